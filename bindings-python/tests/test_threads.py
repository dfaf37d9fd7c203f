"""One Engine shared by 8 threads evaluating at once gives identical reports."""

import threading
from pathlib import Path
from typing import Any, List

import aimscheck
from conftest import AS_OF, EXAMPLES

THREADS = 8


def test_eight_threads_share_one_engine() -> None:
    engine = aimscheck.Engine(overlay={"severity": {"AIMS-DOC-04": "high"}})
    models: List[Any] = [EXAMPLES / "gaps.json", (EXAMPLES / "enterprise.json").read_text()]
    expected = [engine.evaluate(m, as_of=AS_OF) for m in models]
    start = threading.Barrier(THREADS)
    results: List[List[Any]] = [[] for _ in range(THREADS)]
    errors: List[BaseException] = []

    def work(i: int) -> None:
        try:
            start.wait()
            for _ in range(5):
                for m in models:
                    results[i].append(engine.evaluate(m, as_of=AS_OF))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for got in results:
        assert got == expected * 5


def test_the_gil_is_released_while_evaluating() -> None:
    # While other threads evaluate a large model, this thread keeps running Python code.
    processes = [
        {"id": f"p-{i}", "name": f"Process {i}", "clause_refs": ["8.1"], "status": "active"}
        for i in range(20_000)
    ]
    import json

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
