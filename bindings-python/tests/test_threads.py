"""One Engine shared by 8 threads evaluating at once gives the reports one thread gives, to the
byte (compared as JSON text, so key order counts too); a panic inside the extension on any thread
is an AimsCheckError there."""

import importlib
import json
import threading
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import aimscheck
from conftest import AS_OF, EXAMPLES

THREADS = 8
ROUNDS = 2


def generated_model(n: int) -> Dict[str, Any]:
    """`n` processes in a chain of hand-offs with owners, procedures and runs; every seventh owner
    does not exist and every eleventh process has not run, so some rules fail."""
    roles = [{"id": f"r-{r}", "name": f"Owner {r}", "aims_duties": ["process_owner"]} for r in range(10)]
    documents: List[Dict[str, Any]] = []
    processes: List[Dict[str, Any]] = []
    runs: List[Dict[str, Any]] = []
    for i in range(n):
        documents.append(
            {"id": f"doc-{i}", "title": f"Procedure {i}", "type": "procedure", "status": "approved",
             "version": "1.0", "approved_by": "r-0", "approved_on": "2026-01-10", "next_review_on": "2027-01-10"}
        )
        inputs = (
            [{"artifact": "requirements", "from_external": "customers"}]
            if i == 0
            else [{"artifact": f"handoff-{i - 1}", "from_process_id": f"proc-{i - 1}"}]
        )
        outputs = (
            [{"artifact": "report", "to_external": "regulator"}]
            if i + 1 == n
            else [{"artifact": f"handoff-{i}", "to_process_id": f"proc-{i + 1}"}]
        )
        processes.append(
            {"id": f"proc-{i}", "name": f"Process {i}", "clause_refs": [["8.1", "9.1", "9.2", "9.3", "10.2"][i % 5]],
             "status": "active", "owner_role_id": "r-none" if i % 7 == 0 else f"r-{i % 10}",
             "procedure_document_id": f"doc-{i}", "inputs": inputs, "outputs": outputs,
             "cadence": {"every": 1, "unit": "quarter"}}
        )
        if i % 11:
            runs.append({"id": f"run-{i}", "process_id": f"proc-{i}", "started_on": "2026-05-02",
                         "completed_on": "2026-05-03"})
    return {"schema_version": "1.0", "organization": {"name": "Threaded Co", "size_tier": "scaleup"},
            "roles": roles, "documents": documents, "processes": processes, "process_runs": runs}


def in_threads(work: Callable[[int], List[Any]]) -> List[List[Any]]:
    """Runs `work(i)` in THREADS threads started together; the results, or the first error."""
    start = threading.Barrier(THREADS)
    results: List[List[Any]] = [[] for _ in range(THREADS)]
    errors: List[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def test_eight_threads_share_one_engine() -> None:
    engine = aimscheck.Engine(overlay={"severity": {"AIMS-DOC-04": "high"}})
    # Every example, each in another form a model may take (path, str, bytes, dict), and a
    # generated model.
    paths = sorted(EXAMPLES.glob("*.json"))
    assert len(paths) >= 4
    forms: List[Callable[[Path], Any]] = [
        lambda p: p,
        lambda p: p.read_text(encoding="utf-8"),
        lambda p: p.read_bytes(),
        lambda p: json.loads(p.read_text(encoding="utf-8")),
    ]
    models: List[Any] = [forms[i % len(forms)](p) for i, p in enumerate(paths)]
    models.append(generated_model(300))
    options: List[Dict[str, Any]] = [{"as_of": AS_OF}, {"as_of": AS_OF, "tier": "startup", "profile": "certification"}]
    expected = [[json.dumps(engine.evaluate(m, **o)) for o in options] for m in models]
    # The models give different reports, so a mix-up would show.
    firsts = [e[0] for e in expected]
    assert len(set(firsts)) == len(firsts)

    def work(t: int) -> List[Tuple[int, int, str]]:
        out = []
        for r in range(ROUNDS):
            # Each thread walks the models in its own order: different models are evaluated at
            # the same time as well as the same one.
            for k in range(len(models)):
                m = (k + t + r) % len(models)
                for o, opts in enumerate(options):
                    out.append((m, o, json.dumps(engine.evaluate(models[m], **opts))))
        return out

    for got in in_threads(work):
        assert len(got) == ROUNDS * len(models) * len(options)
        for m, o, text in got:
            assert text == expected[m][o], f"model {m}, options {options[o]}"


def test_module_level_evaluate_from_threads() -> None:
    # `aimscheck.evaluate` builds (or reuses) the default engine on each call.
    text = (EXAMPLES / "gaps.json").read_text(encoding="utf-8")
    expected = json.dumps(aimscheck.evaluate(text, as_of=AS_OF))
    assert json.loads(expected)["verdict"] == "nonconformant"
    for got in in_threads(lambda _: [json.dumps(aimscheck.evaluate(text, as_of=AS_OF)) for _ in range(ROUNDS)]):
        assert got == [expected] * ROUNDS


def test_a_panic_on_any_thread_is_an_aimscheck_error() -> None:
    native = importlib.import_module("aimscheck._native")
    text = (EXAMPLES / "startup.json").read_text(encoding="utf-8")
    expected = json.dumps(aimscheck.evaluate(text, as_of=AS_OF))

    def work(i: int) -> List[Any]:
        # Half the threads panic inside the extension (with the GIL released, as evaluations run)
        # while the other half evaluate.
        if i % 2:
            return [json.dumps(aimscheck.evaluate(text, as_of=AS_OF))]
        try:
            native._panic_for_tests(f"deliberate panic {i}")
        except aimscheck.AimsCheckError as e:
            return [e]
        raise AssertionError("the panic did not raise")

    for i, got in enumerate(in_threads(work)):
        if i % 2:
            assert got == [expected]
        else:
            (e,) = got
            assert type(e) is aimscheck.AimsCheckError
            assert e.code == "AIMS-E-INTERNAL"
            assert f"deliberate panic {i}" in str(e)
    # The interpreter and the module still work afterwards.
    assert json.dumps(aimscheck.evaluate(text, as_of=AS_OF)) == expected


def test_the_gil_is_released_while_evaluating() -> None:
    # While other threads evaluate a large model, this thread keeps running Python code.
    processes = [
        {"id": f"p-{i}", "name": f"Process {i}", "clause_refs": ["8.1"], "status": "active"}
        for i in range(20_000)
    ]
    text = json.dumps({"schema_version": "1.0", "processes": processes})
    engine = aimscheck.Engine()
    done = threading.Event()
    ticks = 0

    def evaluate() -> None:
        try:
            engine.evaluate(text, as_of=AS_OF, tier="startup")
        finally:
            done.set()

    worker = threading.Thread(target=evaluate)
    worker.start()
    while not done.is_set():
        ticks += 1
        done.wait(0.001)
    worker.join()
    assert ticks > 10, f"the main thread ran only {ticks} times while the engine evaluated"
