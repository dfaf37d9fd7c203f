"""The Ray Data job of the README, run: the models of every shared case in an Arrow table with
an `id` column, mapped in batches over a callable class that receives the engine once per Ray
worker (an actor) and calls `Engine.evaluate_arrow`. Every row's report equals the serial
result; every model that does not load has the same error code as serially."""

import faulthandler
import json
import sys
from typing import Any, Dict, Iterator, List, Tuple

import pyarrow as pa
import pytest
import ray

import aimscheck
from conftest import AS_OF, case_dirs

BATCH = 50


class CheckModels:
    """Ray Data's callable class: built once per worker, so the engine is unpickled once there."""

    def __init__(self, engine: aimscheck.Engine, as_of: str) -> None:
        self.engine = engine
        self.as_of = as_of

    def __call__(self, batch: pa.Table) -> pa.Table:
        answer = self.engine.evaluate_arrow(batch, as_of=self.as_of, jobs=1)
        return pa.Table.from_batches([answer])


@pytest.fixture(scope="module")
def ray_session() -> Iterator[None]:
    # The workers cannot import this test module: CheckModels goes to them by value.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # type: ignore[no-untyped-call]
    # Two CPUs, a small object store, no dashboard: a lean local cluster.
    ray.init(
        num_cpus=2,
        object_store_memory=200 * 1024 * 1024,
        include_dashboard=False,
        log_to_driver=False,
    )
    # A job that waits forever (resources held, a worker lost) ends the test run after five
    # minutes, with every thread's traceback, instead of holding the test command.
    faulthandler.dump_traceback_later(300, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        ray.shutdown()


def serial(engine: aimscheck.Engine, texts: List[str]) -> Dict[int, Tuple[str, str]]:
    """Each model's report as JSON text, or its error code, by row id."""
    out: Dict[int, Tuple[str, str]] = {}
    for i, text in enumerate(texts):
        try:
            out[i] = ("report", json.dumps(engine.evaluate(text, as_of=AS_OF), sort_keys=True))
        except aimscheck.AimsCheckError as e:
            out[i] = ("error", e.code)
    return out


def test_every_report_on_ray_data_equals_the_serial_one(ray_session: Any) -> None:
    texts = [(case / "model.json").read_text(encoding="utf-8") for case in case_dirs()]
    assert len(texts) > 250, len(texts)
    engine = aimscheck.Engine(overlay={"disable": ["AIMS-CI-02"]})
    table = pa.table({"id": pa.array(range(len(texts)), pa.int64()), "model": texts})
    # Blocks of one batch each, so that both workers get some (a repartition would need a CPU
    # that the two workers already hold).
    ds = ray.data.from_arrow([table.slice(i, BATCH) for i in range(0, len(texts), BATCH)])
    answers = ds.map_batches(
        CheckModels,
        fn_constructor_args=(engine, AS_OF),
        batch_format="pyarrow",
        batch_size=BATCH,
        compute=ray.data.ActorPoolStrategy(size=2),
    )
    result = pa.concat_tables(ray.get(answers.to_arrow_refs()))
    assert result.num_rows == len(texts)
    got: Dict[int, Tuple[str, str]] = {}
    for row in result.to_pylist():
        if row["report"] is None:
            got[row["id"]] = ("error", row["error_code"])
        else:
            report = json.loads(row["report"])
            assert row["verdict"] == report["verdict"]
            assert row["fail"] == report["summary"]["by_status"]["fail"]
            got[row["id"]] = ("report", json.dumps(report, sort_keys=True))
    expected = serial(engine, texts)
    assert sorted(got) == sorted(expected)
    mismatched = [i for i in expected if got[i] != expected[i]]
    assert not mismatched, f"{len(mismatched)} models differ, first at row {mismatched[0]}"
    assert any(kind == "error" for kind, _ in expected.values())
    assert any("disabled by the overlay" in r for kind, r in expected.values() if kind == "report")
