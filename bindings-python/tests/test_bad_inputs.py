"""The bad-input corpus (tests/bad/cases.json, described in tests/bad/README.md) through the
Python API: each model as a str, bytes and a dict (evaluate, Engine.evaluate and
validate_model), each rule pack as Engine(rules=...) and evaluate(rules=[...]). An error raises
the expected class with the expected code and every expected issue, and returns no report."""

import builtins
import json
import os
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple, Type

import pytest

import aimscheck
from conftest import REPO

BAD = REPO / "tests" / "bad"
MANIFEST: Dict[str, Any] = json.loads((BAD / "cases.json").read_text(encoding="utf-8"))
AS_OF: str = MANIFEST["as_of"]
MODEL_FORMS = ("python-str", "python-bytes", "python-dict")
VALUE_FORMS = ("rust-value", "python-dict", "node-object")
KINDS = {
    "model": aimscheck.ModelError,
    "limit": aimscheck.LimitError,
    "options": aimscheck.OptionsError,
    "rule_pack": aimscheck.RulePackError,
}
ENGINE = aimscheck.Engine()

Case = Dict[str, Any]
IssueKey = Tuple[str, str, str, int, int]


def nest_text(nest: Dict[str, Any]) -> str:
    depth: int = nest["depth"]
    if nest["container"] == "array":
        inner = "[" * depth + "]" * depth
    else:
        inner = '{"a": ' * (depth - 1) + "{}" + "}" * (depth - 1)
    under: Optional[str] = nest.get("under")
    return inner if under is None else '{"schema_version": "1.0", "%s": %s}' % (under, inner)


def nest_value(nest: Dict[str, Any]) -> Any:
    """The nesting built with a loop (json.loads would recurse)."""
    innermost: Any = [] if nest["container"] == "array" else {}
    value = innermost
    for _ in range(nest["depth"] - 1):
        value = [value] if nest["container"] == "array" else {"a": value}
    under: Optional[str] = nest.get("under")
    return value if under is None else {"schema_version": "1.0", under: value}


def model_bytes(case: Case) -> bytes:
    if "file" in case:
        return (BAD / str(case["file"])).read_bytes()
    return nest_text(case["nest"]).encode()


def model_input(case: Case, form: str) -> Any:
    raw = model_bytes(case)
    if form == "python-bytes":
        return raw
    if form == "python-str":
        # Bytes that are not UTF-8 become lone surrogates, as Python decodes file names.
        return raw.decode("utf-8", errors="surrogateescape")
    if "nest" in case:
        return nest_value(case["nest"])
    return json.loads(raw.decode("utf-8"))


def known_bug(case: Case, form: str) -> Optional[str]:
    bug = case.get("known_bug")
    if isinstance(bug, str) or bug is None:
        return bug
    group = "value" if form in VALUE_FORMS else "text"
    found: Optional[str] = bug.get(form, bug.get(group))
    return found


def unlocated(want: Dict[str, Any]) -> Dict[str, Any]:
    if "issues" not in want:
        return want
    issues = [{k: v for k, v in i.items() if k not in ("line", "column")} for i in want["issues"]]
    return {**want, "issues": issues}


def expectation(case: Case, form: str) -> Dict[str, Any]:
    """What `form` must give; skips the test when the case is not run in this form."""
    bug = known_bug(case, form)
    if bug is not None:
        pytest.skip(f"known bug: {bug}")
    want: Dict[str, Any]
    if form in case.get("forms", {}):
        want = case["forms"][form]
    elif form in VALUE_FORMS:
        want = case["value"] if "value" in case else unlocated(case["expect"])
    else:
        want = case["expect"]
    if "skip" in want:
        pytest.skip(want["skip"])
    return want


def issue_key(code: str, pointer: str, file: Optional[str], line: Optional[int], column: Optional[int]) -> IssueKey:
    return (pointer, code, file or "", line or 0, column or 0)


def check_issues(got: List[aimscheck.ErrorDetail], want: List[Dict[str, Any]], folder: Optional[Path] = None) -> None:
    """Every expected issue and no other, in any order; no line where none is expected."""

    def wanted_file(issue: Dict[str, Any]) -> Optional[str]:
        name: Optional[str] = issue.get("file")
        return None if name is None or folder is None else os.path.join(str(folder), name)

    got_sorted = sorted(got, key=lambda i: issue_key(i["code"], i["pointer"], i["file"], i["line"], i["column"]))
    want_sorted = sorted(
        want,
        key=lambda i: issue_key(i["code"], i["pointer"], wanted_file(i), i.get("line"), i.get("column")),
    )
    assert [(i["code"], i["pointer"], i["file"], i["line"], i["column"]) for i in got_sorted] == [
        (i["code"], i["pointer"], wanted_file(i), i.get("line"), i.get("column")) for i in want_sorted
    ]
    for g, w in zip(got_sorted, want_sorted):
        assert w.get("message_contains", "") in g["message"]
        assert g["rule_id"] == w.get("rule_id")


def check_report(report: aimscheck.Report, want: Dict[str, Any]) -> None:
    as_json: Dict[str, Any] = json.loads(json.dumps(report))
    for key, value in want.get("model", {}).items():
        assert as_json["model"].get(key) == value, key
    rules = {r["id"]: r for r in as_json["rules"]}
    for rule_id, w in want.get("rules", {}).items():
        rule = rules[rule_id]
        assert rule["status"] == w["status"], (rule_id, rule["findings"])
        if "findings" in w:
            assert sorted(f["pointer"] for f in rule["findings"]) == sorted(w["findings"]), rule_id
        if "error_code" in w:
            assert rule["error"]["code"] == w["error_code"], rule_id
    if "exceptions" in want:
        got = [{k: e[k] for k in ("id", "rule_id", "status", "pointer")} for e in as_json["exceptions"]]
        assert got == want["exceptions"]


MODEL_CASES = [
    pytest.param(case, form, id=f"{case['name']}-{form}") for case in MANIFEST["models"] for form in MODEL_FORMS
]


@pytest.mark.parametrize("case, form", MODEL_CASES)
def test_a_bad_model_raises_its_error_or_gives_its_report(case: Case, form: str) -> None:
    want = expectation(case, form)
    model = model_input(case, form)
    tier: Optional[Any] = case.get("options", {}).get("tier")
    calls: Tuple[Callable[[], aimscheck.Report], ...] = (
        lambda: aimscheck.evaluate(model, as_of=AS_OF, tier=tier),
        lambda: ENGINE.evaluate(model, as_of=AS_OF, tier=tier),
    )
    if "raises" in want:
        # An error Python itself names (a value JSON cannot hold), not an aimscheck error.
        cls: Type[BaseException] = getattr(builtins, want["raises"])
        for call in calls:
            with pytest.raises(cls) as raised:
                call()
            assert not isinstance(raised.value, aimscheck.AimsCheckError)
            assert want["message_contains"] in str(raised.value)
        with pytest.raises(cls):
            aimscheck.validate_model(model)
    elif "report" in want:
        for call in calls:
            check_report(call(), want["report"])
        assert aimscheck.validate_model(model) == []
    else:
        for call in calls:
            with pytest.raises(aimscheck.AimsCheckError) as raised:
                call()
            error = raised.value
            assert type(error) is KINDS[want["kind"]], error
            assert error.code == want["error"], error
            check_issues(error.errors, want["issues"])
        if want["kind"] in ("model", "limit"):
            check_issues(aimscheck.validate_model(model), want["issues"])


PACK_CASES = [pytest.param(case, id=case["name"]) for case in MANIFEST["packs"]]


@pytest.mark.parametrize("case", PACK_CASES)
def test_a_bad_pack_raises_a_rule_pack_error_or_gives_its_report(case: Case) -> None:
    bug = case.get("known_bug")
    if isinstance(bug, dict):
        bug = bug.get("python")
    if bug is not None:
        pytest.skip(f"known bug: {bug}")
    folder = BAD / case["dir"]
    want = case["expect"]
    if "report" in want:
        check_report(aimscheck.evaluate({"schema_version": "1.0"}, as_of=AS_OF, rules=[folder]), want["report"])
        engine = aimscheck.Engine(rules=str(folder))
        check_report(engine.evaluate({"schema_version": "1.0"}, as_of=AS_OF), want["report"])
        return
    for call in (
        lambda: aimscheck.Engine(rules=str(folder)),
        lambda: aimscheck.evaluate({"schema_version": "1.0"}, as_of=AS_OF, rules=[folder]),
    ):
        with pytest.raises(KINDS[want.get("kind", "rule_pack")]) as raised:
            call()
        assert raised.value.code == want["error"], raised.value
        check_issues(raised.value.errors, want["issues"], folder)


def test_the_corpus_is_collected() -> None:
    assert len(MODEL_CASES) >= 3 * 30 and len(PACK_CASES) >= 7
