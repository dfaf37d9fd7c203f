"""Runs every shared case of tests/cases exactly like core/tests/cases.rs does.

A case is `model.json` (the model text, valid or not), `options.json` (`as_of`, optional `tier`
and `profile`) and `expected.json`: the statuses of the rules the case is about (and, when
given, the exact multiset of finding pointers), or the error a model that must not load gives.
"""

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import aimscheck
from conftest import case_dirs, read_json

CASES = case_dirs()


def test_there_are_cases() -> None:
    assert len(CASES) > 100, f"only {len(CASES)} cases found"


def options_of(case: Path) -> Dict[str, Any]:
    o = read_json(case / "options.json")
    return {"as_of": o["as_of"], "tier": o.get("tier"), "profile": o.get("profile", "tier")}


def check_error(err: Dict[str, Any], issues: List[aimscheck.ErrorDetail]) -> List[str]:
    code = err["code"]
    problems = []
    if not any(i["code"] == code for i in issues):
        problems.append(f"expected error code {code}, got {issues}")
    for p in err.get("pointers", []):
        if not any(i["pointer"] == p and i["code"] == code for i in issues):
            problems.append(f"expected a {code} issue at {p!r}, got {issues}")
    if err.get("located") and any(i["line"] is None or i["column"] is None for i in issues):
        problems.append(f"expected line and column on every issue: {issues}")
    return problems


def check_rules(want: Dict[str, Any], report: aimscheck.Report) -> List[str]:
    assert want, "expected.json names no rule"
    by_id = {r["id"]: r for r in report["rules"]}
    problems = []
    for rule_id, expected in want.items():
        got = by_id.get(rule_id)
        if got is None:
            problems.append(f"{rule_id}: not in the report")
            continue
        if got["status"] != expected["status"]:
            problems.append(
                f"{rule_id}: expected {expected['status']}, got {got['status']} "
                f"({got.get('reason')}; findings "
                f"{[(f['pointer'], f['message']) for f in got['findings']]})"
            )
        if "findings" in expected:
            want_p = sorted(expected["findings"])
            got_p = sorted(f["pointer"] for f in got["findings"])
            if want_p != got_p:
                problems.append(f"{rule_id}: expected findings at {want_p}, got {got_p}")
    return problems


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path) -> None:
    model = case / "model.json"
    text = model.read_text(encoding="utf-8") if model.is_file() else ""
    expected = read_json(case / "expected.json")
    opts = options_of(case)
    if "error" in expected:
        with pytest.raises(aimscheck.AimsCheckError) as raised:
            aimscheck.evaluate(text, **opts)
        assert isinstance(raised.value, (aimscheck.ModelError, aimscheck.LimitError))
        problems = check_error(expected["error"], raised.value.errors)
        assert not problems, "\n".join(problems)
        # validate_model lists the same issues instead of raising.
        assert aimscheck.validate_model(text) == raised.value.errors
        return
    report = aimscheck.evaluate(text, **opts)
    problems = check_rules(expected["rules"], report)
    assert not problems, "\n".join(problems)
    # The same model as a dict gives the very same report (the digest included).
    assert aimscheck.evaluate(json.loads(text), **opts) == report
    assert aimscheck.validate_model(text) == []
