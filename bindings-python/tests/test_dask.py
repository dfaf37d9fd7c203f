"""A real distributed run: the models of every shared case (a few hundred, valid and not)
evaluated on Dask distributed (a LocalCluster of two worker processes), with the engine
pickled to the workers and each worker calling `Engine.evaluate_many` on a batch. Every
report equals the serial result, byte for byte once written as JSON; every model that does not
load is the same error there."""

import json
from typing import Any, List, Tuple, Union

import pytest
from distributed import Client, LocalCluster, get_worker

import aimscheck
from conftest import AS_OF, case_dirs

BATCH = 40


def models() -> List[str]:
    """The model text of every shared case (the run's input), in case order."""
    return [(case / "model.json").read_text(encoding="utf-8") for case in case_dirs()]


def evaluate_batch(
    engine: aimscheck.Engine, batch: List[str]
) -> Tuple[str, List[Tuple[str, str]]]:
    """On a worker: the worker's address, and each model's report as JSON text or its error
    code (picklable either way)."""
    outcomes = [as_outcome(item) for item in engine.evaluate_many(batch, as_of=AS_OF, jobs=1)]
    return get_worker().address, outcomes


def as_outcome(item: Union[aimscheck.Report, aimscheck.AimsCheckError, Any]) -> Tuple[str, str]:
    if isinstance(item, BaseException):
        return ("error", getattr(item, "code", type(item).__name__))
    return ("report", json.dumps(item))


@pytest.fixture(scope="module")
def client() -> Any:
    # distributed's constructors carry no annotations.
    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Client(cluster) as c:  # type: ignore[no-untyped-call]
        yield c


def test_every_report_on_dask_equals_the_serial_one(client: Any, tmp_path: Any) -> None:
    texts = models()
    assert len(texts) > 250, len(texts)
    engine = aimscheck.Engine(overlay={"disable": ["AIMS-CI-02"]})
    serial: List[Tuple[str, str]] = []
    for text in texts:
        try:
            serial.append(("report", json.dumps(engine.evaluate(text, as_of=AS_OF))))
        except aimscheck.AimsCheckError as e:
            serial.append(("error", e.code))
    # The engine crosses to the workers pickled, once each.
    remote_engine = client.scatter(engine, broadcast=True)
    batches = [texts[i : i + BATCH] for i in range(0, len(texts), BATCH)]
    futures = client.map(evaluate_batch, [remote_engine] * len(batches), batches, pure=False)
    done = client.gather(futures)
    distributed = [outcome for _, batch in done for outcome in batch]
    assert len(distributed) == len(serial)
    mismatched = [i for i, (a, b) in enumerate(zip(distributed, serial)) if a != b]
    assert not mismatched, f"{len(mismatched)} models differ, first at case {mismatched[0]}"
    # Both worker processes took part, and some models did not load (the bad-model cases).
    assert len({worker for worker, _ in done}) == 2
    assert any(kind == "error" for kind, _ in serial)
    assert any('"AIMS-CI-02"' in r and "disabled by the overlay" in r for _, r in serial)
