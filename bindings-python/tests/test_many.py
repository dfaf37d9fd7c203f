"""evaluate_many: one item per model in input order, each the report `evaluate` gives or the
exception it raises (returned, not raised); and an Engine that pickles, to cross a process
boundary."""

import copy
import json
import multiprocessing
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Union

import pytest

import aimscheck
from conftest import AS_OF, EXAMPLES

MODELS = sorted(EXAMPLES.glob("*.json"))
OVERLAY: aimscheck.Overlay = {"disable": ["AIMS-CI-02"], "severity": {"AIMS-DOC-04": "high"}}


def as_text(item: Union[aimscheck.Report, Exception]) -> str:
    """A report as JSON text in its own key order (byte-for-byte comparisons)."""
    assert isinstance(item, dict), item
    return json.dumps(item, sort_keys=False)


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_example_as_evaluate_gives_it(jobs: int) -> None:
    engine = aimscheck.Engine()
    expected = [as_text(engine.evaluate(m, as_of=AS_OF)) for m in MODELS]
    got = engine.evaluate_many(MODELS, as_of=AS_OF, jobs=jobs)
    assert [as_text(r) for r in got] == expected
    # Every form of a model, and the module-level function with the engine's options.
    forms: List[aimscheck.ModelSource] = [MODELS[0], MODELS[1].read_text(encoding="utf-8"), MODELS[2].read_bytes(),
                                          json.loads(MODELS[3].read_text(encoding="utf-8"))]
    got = aimscheck.evaluate_many(forms, as_of=AS_OF, tier="scaleup", overlay=OVERLAY, jobs=jobs)
    expected = [as_text(aimscheck.evaluate(m, as_of=AS_OF, tier="scaleup", overlay=OVERLAY)) for m in forms]
    assert [as_text(r) for r in got] == expected


def test_order_is_kept_over_many_models() -> None:
    models = [MODELS[i % len(MODELS)] for i in range(40)]
    got = aimscheck.evaluate_many(iter(models), as_of=AS_OF, jobs=2)
    expected = {m: aimscheck.evaluate(m, as_of=AS_OF) for m in MODELS}
    assert got == [expected[m] for m in models]


def test_a_bad_model_is_its_own_item(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    models: List[aimscheck.ModelSource] = [
        MODELS[0],
        {"schema_version": 1},
        '{"schema_version": ',
        missing,
        {"schema_version": "1.0", "x": float("nan")},
        MODELS[1],
    ]
    got = aimscheck.evaluate_many(models, as_of=AS_OF, names=["a", "b", "c", "d", "e", "f"])
    assert len(got) == len(models)
    assert got[0] == aimscheck.evaluate(MODELS[0], as_of=AS_OF)
    assert got[5] == aimscheck.evaluate(MODELS[1], as_of=AS_OF)
    for i in (1, 2, 3, 4):
        with pytest.raises(Exception) as raised:
            aimscheck.evaluate(models[i], as_of=AS_OF)
        error = got[i]
        assert type(error) is type(raised.value), (i, error)
        assert str(error).replace(f" in {'bcde'[i - 1]}", "") == str(raised.value)
    schema, syntax, unreadable = got[1], got[2], got[3]
    assert isinstance(schema, aimscheck.ModelError) and schema.code == "AIMS-E-SCHEMA"
    assert isinstance(syntax, aimscheck.ModelError) and syntax.code == "AIMS-E-SYNTAX"
    assert [e["file"] for e in schema.errors] == ["b"]
    assert [(e["file"], e["line"]) for e in syntax.errors] == [("c", 1)]
    assert isinstance(unreadable, FileNotFoundError) and unreadable.filename == str(missing)
    assert isinstance(got[4], TypeError) and "/x" in str(got[4])


def test_default_names_and_limits() -> None:
    deep: Dict[str, Any] = {"schema_version": "1.0"}
    node = deep
    for _ in range(10):
        node["x"] = {}
        node = node["x"]
    got = aimscheck.evaluate_many([MODELS[0], deep, json.dumps(deep)], as_of=AS_OF, limits={"max_depth": 5})
    assert isinstance(got[0], dict)
    for i in (1, 2):
        error = got[i]
        assert isinstance(error, aimscheck.LimitError) and error.code == "AIMS-E-LIMIT"
        assert [e["file"] for e in error.errors] == [f"models/{i}"]


def test_options_apply_to_every_model() -> None:
    got = aimscheck.evaluate_many(MODELS[:2], as_of=AS_OF, profile="certification", max_findings_per_rule=1)
    assert got == [aimscheck.evaluate(m, as_of=AS_OF, profile="certification", max_findings_per_rule=1) for m in MODELS[:2]]
    assert aimscheck.evaluate_many([], as_of=AS_OF) == []


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"as_of": "2026-02-30"}, aimscheck.OptionsError),
        ({"as_of": AS_OF, "tier": "huge"}, aimscheck.OptionsError),
        ({"as_of": AS_OF, "jobs": "2"}, TypeError),
        ({"as_of": AS_OF, "jobs": True}, TypeError),
        ({"as_of": AS_OF, "jobs": 0}, aimscheck.OptionsError),
        ({"as_of": AS_OF, "jobs": -1}, aimscheck.OptionsError),
        ({"as_of": AS_OF, "names": ["only one"]}, aimscheck.OptionsError),
        ({"as_of": AS_OF, "names": "ab"}, TypeError),
        ({"as_of": AS_OF, "names": ["a", 2]}, TypeError),
        ({"as_of": AS_OF, "limits": {"max_depth": -1}}, aimscheck.OptionsError),
    ],
)
def test_an_invalid_option_is_raised(kwargs: Dict[str, Any], error: type) -> None:
    with pytest.raises(error):
        aimscheck.evaluate_many(MODELS[:2], **kwargs)
    with pytest.raises(error):
        aimscheck.Engine().evaluate_many(MODELS[:2], **kwargs)


@pytest.mark.parametrize("models", [{"schema_version": "1.0"}, "{}", b"{}", MODELS[0], 42])
def test_one_model_is_not_a_list_of_them(models: Any) -> None:
    with pytest.raises(TypeError, match="models must be an iterable"):
        aimscheck.evaluate_many(models, as_of=AS_OF)


def test_a_pack_error_is_raised(tmp_path: Path) -> None:
    with pytest.raises(aimscheck.RulePackError):
        aimscheck.evaluate_many(MODELS[:1], as_of=AS_OF, rules=tmp_path / "no-such-pack")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
def test_the_gil_is_released(tmp_path: Path) -> None:
    """A model read from a named pipe that a Python thread writes only once the batch is
    running: were the GIL held, that thread could not run and the batch would never end (the
    child process is stopped after a generous timeout, which is a hang guard, not a timing)."""
    script = textwrap.dedent(
        """
        import os, pathlib, sys, threading
        import aimscheck
        fifo = pathlib.Path(sys.argv[1]) / "model.fifo"
        os.mkfifo(fifo)
        text = pathlib.Path(sys.argv[2]).read_text(encoding="utf-8")
        def write() -> None:
            with open(fifo, "w", encoding="utf-8") as f:
                f.write(text)
        writer = threading.Thread(target=write)
        writer.start()
        got = aimscheck.evaluate_many([pathlib.Path(sys.argv[2]), fifo], as_of="2026-06-30", jobs=1)
        writer.join()
        assert got[0] == got[1] == aimscheck.evaluate(text, as_of="2026-06-30"), got
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), str(MODELS[0])], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def user_pack(root: Path) -> Path:
    from test_examples import ORG_RULE

    pack = root / "pack"
    pack.mkdir()
    (pack / "pack.json").write_text(json.dumps({"id": "py-test", "version": "1.0.0", "title": "t"}))
    (pack / "rules.json").write_text(json.dumps({"rules": [ORG_RULE]}))
    return pack


def test_an_engine_pickles_without_its_pack_folder(tmp_path: Path) -> None:
    pack = user_pack(tmp_path)
    engine = aimscheck.Engine(rules=pack, overlay=OVERLAY)
    expected = [as_text(engine.evaluate(m, as_of=AS_OF)) for m in MODELS]
    data = pickle.dumps(engine)
    shutil.rmtree(pack)
    again = pickle.loads(data)
    assert type(again) is aimscheck.Engine and again is not engine
    assert again.packs == engine.packs and repr(again) == repr(engine)
    assert again.rules() == engine.rules()
    assert [as_text(again.evaluate(m, as_of=AS_OF)) for m in MODELS] == expected
    assert [as_text(r) for r in again.evaluate_many(MODELS, as_of=AS_OF)] == expected
    org = next(r for r in json.loads(expected[0])["rules"] if r["id"] == "TEST-ORG-01")
    assert org["pack"] == "py-test"
    # The state is the same once more: pickling an unpickled engine gives the same bytes.
    assert pickle.dumps(again) == data


def test_copies_are_the_engine_itself() -> None:
    engine = aimscheck.Engine(overlay=OVERLAY)
    assert copy.copy(engine) is engine
    assert copy.deepcopy(engine) is engine
    assert copy.deepcopy({"e": engine})["e"] is engine


def test_a_bad_state_is_refused() -> None:
    with pytest.raises(aimscheck.OptionsError):
        aimscheck._native._engine_from_state("{}")  # type: ignore[attr-defined]


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_an_engine_crosses_a_process_boundary(tmp_path: Path, method: str) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method here")
    pack = user_pack(tmp_path)
    engine = aimscheck.Engine(rules=pack, overlay=OVERLAY)
    expected = [engine.evaluate(m, as_of=AS_OF) for m in MODELS]
    shutil.rmtree(pack)
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method)) as pool:
        # The bound method pickles with its engine; the reports come back pickled too.
        one = pool.submit(engine.evaluate, MODELS[0], as_of=AS_OF).result()
        many = pool.submit(engine.evaluate_many, MODELS, as_of=AS_OF, jobs=2).result()
    assert one == expected[0]
    assert many == expected
