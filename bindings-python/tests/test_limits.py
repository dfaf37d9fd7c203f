"""Limits as keyword options: max_findings_per_rule, max_steps_per_rule, max_steps_total and
timeout on the evaluations,
limits (max_bytes, max_depth, max_issues, max_array_len) on every function that loads a model,
for a str, bytes, a dict and a path; and what an invalid value raises."""

import json
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest

import aimscheck
from conftest import AS_OF, EXAMPLES

GAPS = EXAMPLES / "gaps.json"
GAPS_TEXT = GAPS.read_text(encoding="utf-8")
ENGINE = aimscheck.Engine()

Form = Callable[[str], Any]
FORMS: Dict[str, Form] = {
    "str": lambda text: text,
    "bytes": lambda text: text.encode(),
    "dict": json.loads,
}
TEXT_FORMS = ("str", "bytes")


def evaluations(model: Any, **kwargs: Any) -> List[aimscheck.Report]:
    """The report of `evaluate` and of `Engine.evaluate`, with the same arguments."""
    return [aimscheck.evaluate(model, as_of=AS_OF, **kwargs), ENGINE.evaluate(model, as_of=AS_OF, **kwargs)]


@pytest.fixture(scope="module")
def gaps_default() -> aimscheck.Report:
    return aimscheck.evaluate(GAPS, as_of=AS_OF)


# --- max_findings_per_rule -------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_max_findings_per_rule_1_keeps_the_first_finding_and_marks_the_cut(
    form: str, gaps_default: aimscheck.Report
) -> None:
    default = {r["id"]: r for r in gaps_default["rules"]}
    several = [i for i, r in default.items() if r["findings_total"] > 1]
    assert len(several) >= 5, "gaps.json should have several rules with more than one finding"
    assert not any("findings_truncated" in r for r in default.values())
    for report in evaluations(FORMS[form](GAPS_TEXT), max_findings_per_rule=1):
        for rule in report["rules"]:
            before = default[rule["id"]]
            assert rule["findings_total"] == before["findings_total"], rule["id"]
            assert rule["findings"] == before["findings"][:1], rule["id"]
            if before["findings_total"] > 1:
                assert rule.get("findings_truncated") is True, rule["id"]
            else:
                assert "findings_truncated" not in rule, rule["id"]
        # The status and the counts do not depend on how many findings are listed.
        assert report["summary"]["by_status"] == gaps_default["summary"]["by_status"]
        assert report["verdict"] == gaps_default["verdict"]


def test_max_findings_per_rule_0_lists_none_and_counts_all(gaps_default: aimscheck.Report) -> None:
    totals = {r["id"]: r["findings_total"] for r in gaps_default["rules"]}
    for report in evaluations(GAPS_TEXT, max_findings_per_rule=0):
        for rule in report["rules"]:
            assert rule["findings"] == []
            assert rule["findings_total"] == totals[rule["id"]]
            assert ("findings_truncated" in rule) == (totals[rule["id"]] > 0)


def test_max_findings_per_rule_none_or_large_is_the_default(gaps_default: aimscheck.Report) -> None:
    assert aimscheck.evaluate(GAPS, as_of=AS_OF, max_findings_per_rule=None) == gaps_default
    assert aimscheck.evaluate(GAPS, as_of=AS_OF, max_findings_per_rule=2**64 - 1) == gaps_default
    # The largest count of findings any rule of the example has: a limit that cuts nothing.
    most = max(len(rule["findings"]) for rule in gaps_default["rules"])
    assert ENGINE.evaluate(GAPS, as_of=AS_OF, max_findings_per_rule=most) == gaps_default
    assert ENGINE.evaluate(GAPS, as_of=AS_OF, max_findings_per_rule=most - 1) != gaps_default


# --- max_steps_per_rule ----------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_max_steps_per_rule_10_stops_rules_with_a_budget_error(form: str) -> None:
    for report in evaluations(FORMS[form](GAPS_TEXT), max_steps_per_rule=10):
        errors = [r for r in report["rules"] if r["status"] == "error"]
        assert len(errors) >= len(report["rules"]) // 2, [r["status"] for r in report["rules"]]
        for rule in errors:
            assert rule["error"]["code"] == "AIMS-E-BUDGET", rule["id"]
            assert rule["findings"] == [], rule["id"]
        assert report["summary"]["by_status"]["error"] == len(errors)
        assert report["verdict"] != "conformant"


def test_max_steps_per_rule_large_is_the_default(gaps_default: aimscheck.Report) -> None:
    assert aimscheck.evaluate(GAPS, as_of=AS_OF, max_steps_per_rule=10**9) == gaps_default
    assert ENGINE.evaluate(GAPS, as_of=AS_OF, max_steps_per_rule=None) == gaps_default
    assert ENGINE.evaluate(GAPS, as_of=AS_OF, max_steps_per_rule=2**64 - 1) == gaps_default


@pytest.mark.parametrize("option", ["max_findings_per_rule", "max_steps_per_rule", "max_steps_total"])
@pytest.mark.parametrize("value", [-1, -(2**70), 2**64])
def test_a_count_out_of_range_is_an_options_error(option: str, value: int) -> None:
    kwargs: Dict[str, Any] = {option: value}
    for call in (aimscheck.evaluate, ENGINE.evaluate):
        with pytest.raises(aimscheck.OptionsError) as raised:
            call({"schema_version": "1.0"}, as_of=AS_OF, **kwargs)
        assert raised.value.code == "AIMS-E-OPTIONS"
        assert option in str(raised.value)
        assert ("non-negative" in str(raised.value)) == (value < 0)


@pytest.mark.parametrize("option", ["max_findings_per_rule", "max_steps_per_rule", "max_steps_total"])
@pytest.mark.parametrize("value, type_name", [(True, "bool"), ("10", "str"), (10.0, "float"), ([10], "list")])
def test_a_count_of_another_type_is_a_type_error(option: str, value: Any, type_name: str) -> None:
    for call in (aimscheck.evaluate, ENGINE.evaluate):
        with pytest.raises(TypeError) as raised:
            call({"schema_version": "1.0"}, as_of=AS_OF, **{option: value})
        assert str(raised.value) == f"{option} must be an int or None, not {type_name}"


# --- max_steps_total and timeout: the whole evaluation ---------------------------------------


def test_max_steps_total_stops_the_rules_not_done_and_the_report_says_so(gaps_default: aimscheck.Report) -> None:
    for report in evaluations(GAPS_TEXT, max_steps_total=2000):
        assert report["stopped"]["limit"] == "max_steps_total"
        assert "2000 steps" in report["stopped"]["message"]
        errors = [r for r in report["rules"] if r["status"] == "error"]
        assert errors, "a budget of 2000 steps cannot finish every rule of gaps.json"
        for rule in errors:
            assert rule["error"]["code"] == "AIMS-E-BUDGET", rule["id"]
            assert "max_steps_total" in rule["error"]["message"], rule["id"]
        # The rules done before it ran out keep the result they have without the limit.
        before = {r["id"]: r for r in gaps_default["rules"]}
        done = [r for r in report["rules"] if r["status"] != "error"]
        assert done, "the first rules fit in 2000 steps"
        for rule in done:
            assert rule == before[rule["id"]], rule["id"]
        assert report["verdict"] != "conformant"
    # The default, None and a large budget: the report without the limit, with no `stopped`.
    assert "stopped" not in gaps_default
    assert ENGINE.evaluate(GAPS, as_of=AS_OF, max_steps_total=None) == gaps_default
    assert ENGINE.evaluate(GAPS, as_of=AS_OF, max_steps_total=2**64 - 1) == gaps_default


def test_timeout_stops_the_evaluation(gaps_default: aimscheck.Report) -> None:
    # A billionth of a second runs out before the first rule is done.
    for report in evaluations(GAPS_TEXT, timeout=1e-9):
        assert report["stopped"]["limit"] == "timeout"
        assert report["verdict"] == "inconclusive"
        for rule in report["rules"]:
            if rule["status"] != "not_applicable":
                assert rule["status"] == "error", rule["id"]
                assert rule["error"]["code"] == "AIMS-E-BUDGET", rule["id"]
    # An hour is enough: the same report as without a limit (an int or a float).
    assert aimscheck.evaluate(GAPS, as_of=AS_OF, timeout=3600) == gaps_default
    assert ENGINE.evaluate(GAPS, as_of=AS_OF, timeout=3600.0) == gaps_default
    [many] = ENGINE.evaluate_many([GAPS], as_of=AS_OF, timeout=1e-9)
    assert isinstance(many, dict) and many["stopped"]["limit"] == "timeout"


@pytest.mark.parametrize("value", [0, -1, 0.0, float("nan"), float("inf")])
def test_a_timeout_not_above_0_is_an_options_error(value: float) -> None:
    for call in (aimscheck.evaluate, ENGINE.evaluate):
        with pytest.raises(aimscheck.OptionsError) as raised:
            call({"schema_version": "1.0"}, as_of=AS_OF, timeout=value)
        assert "timeout must be a positive number of seconds" in str(raised.value)


@pytest.mark.parametrize("value, type_name", [(True, "bool"), ("10", "str"), ([1], "list")])
def test_a_timeout_of_another_type_is_a_type_error(value: Any, type_name: str) -> None:
    with pytest.raises(TypeError) as raised:
        aimscheck.evaluate({"schema_version": "1.0"}, as_of=AS_OF, timeout=value)
    assert str(raised.value) == f"timeout must be a number of seconds (int or float) or None, not {type_name}"


# --- limits ----------------------------------------------------------------------------------


def loaders(model: Any, limits: Any) -> Dict[str, Callable[[], Any]]:
    """Every function that loads a model, with `limits`."""
    return {
        "evaluate": lambda: aimscheck.evaluate(model, as_of=AS_OF, limits=limits),
        "Engine.evaluate": lambda: ENGINE.evaluate(model, as_of=AS_OF, limits=limits),
        "diagram": lambda: aimscheck.diagram(model, limits=limits),
    }


def assert_refused(model: Any, limits: aimscheck.Limits) -> aimscheck.ErrorDetail:
    """`model` is refused with a LimitError by every loader; returns the one issue."""
    issues = aimscheck.validate_model(model, limits=limits)
    assert [i["code"] for i in issues] == ["AIMS-E-LIMIT"], issues
    for name, call in loaders(model, limits).items():
        with pytest.raises(aimscheck.LimitError) as raised:
            call()
        assert raised.value.code == "AIMS-E-LIMIT", name
        assert raised.value.errors == issues, name
    return issues[0]


def assert_accepted(model: Any, limits: aimscheck.Limits) -> None:
    assert aimscheck.validate_model(model, limits=limits) == []
    for call in loaders(model, limits).values():
        call()


@pytest.mark.parametrize("form", FORMS)
def test_max_depth_3_refuses_a_real_model(form: str) -> None:
    issue = assert_refused(FORMS[form](GAPS_TEXT), {"max_depth": 3})
    assert issue["message"] == "the model nests deeper than 3 levels"
    if form in TEXT_FORMS:
        # At the bracket that opens the first level too deep.
        assert issue["line"] is not None and issue["column"] is not None
        line = GAPS_TEXT.splitlines()[issue["line"] - 1]
        assert line[issue["column"] - 1] in "[{"
    else:
        assert issue["line"] is None


@pytest.mark.parametrize("form", FORMS)
def test_max_depth_counts_levels_the_same_in_every_form(form: str) -> None:
    # The root is level 1, x_a level 2, x_a.b level 3.
    text = '{"schema_version": "1.0", "x_a": {"b": {}}}'
    model = FORMS[form](text)
    assert_accepted(model, {"max_depth": 3})
    issue = assert_refused(model, {"max_depth": 2})
    if form in TEXT_FORMS:
        assert (issue["line"], issue["column"]) == (1, 40)


def test_a_dict_deeper_than_a_parser_reads_is_refused_whatever_max_depth() -> None:
    value: Any = []
    for _ in range(200_000):
        value = [value]
    model = {"schema_version": "1.0", "x_deep": value}
    issue = assert_refused(model, {"max_depth": 10**6})
    assert "128 levels" in issue["message"]
    # Within what a parser reads, a higher limit lets a dict and its text through alike.
    value = []
    for _ in range(100):
        value = [value]
    model = {"schema_version": "1.0", "x_deep": value}
    assert_accepted(model, {"max_depth": 200})
    assert_accepted(json.dumps(model), {"max_depth": 200})
    assert_refused(model, {})
    assert_refused(json.dumps(model), {})


@pytest.mark.parametrize("form", FORMS)
def test_max_array_len_1_refuses_an_array_of_2(form: str) -> None:
    text = '{"schema_version": "1.0",\n "x_list": [1, 2]}'
    model = FORMS[form](text)
    assert_accepted(model, {"max_array_len": 2})
    issue = assert_refused(model, {"max_array_len": 1})
    assert issue["pointer"] == "/x_list"
    assert "more than 1 items" in issue["message"]
    if form in TEXT_FORMS:
        assert (issue["line"], issue["column"]) == (2, 12)


@pytest.mark.parametrize("form", FORMS)
def test_max_array_len_1_refuses_a_real_model(form: str) -> None:
    issue = assert_refused(FORMS[form](GAPS_TEXT), {"max_array_len": 1})
    assert issue["pointer"].startswith("/")


@pytest.mark.parametrize("form", TEXT_FORMS)
def test_max_bytes_10_refuses_text_and_bytes(form: str) -> None:
    issue = assert_refused(FORMS[form](GAPS_TEXT), {"max_bytes": 10})
    size = len(GAPS_TEXT.encode())
    assert issue["message"] == f"the model is {size} bytes, more than the limit of 10 bytes"


def test_max_bytes_counts_the_utf8_bytes_of_a_str() -> None:
    text = '{"schema_version": "1.0", "x_name": "\u00e9\u20ac"}'
    size = len(text.encode())
    assert size == len(text) + 3
    assert_accepted(text, {"max_bytes": size})
    assert_refused(text, {"max_bytes": size - 1})
    assert_refused(text.encode(), {"max_bytes": size - 1})


def test_max_bytes_refuses_a_file_without_reading_it_all(tmp_path: Path) -> None:
    # Cut inside a two-byte character, the part read is not UTF-8: still a limit error.
    path = tmp_path / "model.json"
    path.write_text('{"schema_version": "1.0", "x_name": "\u00e9\u00e9\u00e9"}', encoding="utf-8")
    size = path.stat().st_size
    assert_accepted(path, {"max_bytes": size})
    for limit in (10, size - 4, size - 1):
        issue = assert_refused(path, {"max_bytes": limit})
        assert issue["message"] == f"the model file {path} is {size} bytes, more than the limit of {limit} bytes"


def test_max_bytes_does_not_apply_to_a_dict() -> None:
    assert_accepted(json.loads(GAPS_TEXT), {"max_bytes": 10})


@pytest.mark.parametrize("form", FORMS)
def test_max_issues_bounds_the_issues_listed(form: str) -> None:
    model = FORMS[form]('{"schema_version": "1.0", "processes": [{"id": 1}, {"id": 2}, {"id": 3}]}')
    everything = aimscheck.validate_model(model)
    assert len(everything) >= 3
    two = aimscheck.validate_model(model, limits={"max_issues": 2})
    assert len(two) == 2 and all(i in everything for i in two)
    with pytest.raises(aimscheck.ModelError) as raised:
        aimscheck.evaluate(model, as_of=AS_OF, limits={"max_issues": 1})
    assert len(raised.value.errors) == 1 and raised.value.errors[0] in everything


def test_no_limits_and_empty_limits_are_the_defaults(gaps_default: aimscheck.Report) -> None:
    no_limits: List[Optional[aimscheck.Limits]] = [None, {}]
    for limits in no_limits:
        for form in FORMS.values():
            assert aimscheck.evaluate(form(GAPS_TEXT), as_of=AS_OF, limits=limits) == gaps_default


def test_export_loads_its_model_within_limits(gaps_default: aimscheck.Report) -> None:
    assert "AIMS-" in aimscheck.export(gaps_default, "sarif", model=GAPS, limits={"max_depth": 10})
    for model in (GAPS, GAPS_TEXT, json.loads(GAPS_TEXT)):
        with pytest.raises(aimscheck.LimitError):
            aimscheck.export(gaps_default, "sarif", model=model, limits={"max_depth": 3})


@pytest.mark.parametrize(
    "limits, message",
    [
        (
            {"max_dept": 3},
            "invalid limits: unknown field `max_dept`, expected one of `max_bytes`, `max_depth`, "
            "`max_issues`, `max_array_len`",
        ),
        ({"max_depth": True}, "invalid limits: max_depth must be a non-negative int, not True"),
        ({"max_bytes": -1}, "invalid limits: max_bytes must be a non-negative int, not -1"),
        ({"max_array_len": "3"}, "invalid limits: max_array_len must be a non-negative int, not a str"),
        ({"max_issues": 3.0}, "invalid limits: max_issues must be a non-negative int, not 3.0"),
        ({"max_depth": None}, "invalid limits: max_depth must be a non-negative int, not a NoneType"),
        ({"max_depth": 2**200}, "invalid limits: max_depth must be a non-negative int, not an int of 201 bits"),
        ({1: 3}, "invalid limits: keys must be str"),
        ({"max_\udce9": 3}, "invalid limits: a key holds a lone surrogate"),
    ],
)
def test_invalid_limits_are_an_options_error(limits: Any, message: str) -> None:
    calls: List[Callable[[], Any]] = [
        *loaders({"schema_version": "1.0"}, limits).values(),
        lambda: aimscheck.validate_model("{}", limits=limits),
        lambda: aimscheck.export(aimscheck.evaluate({"schema_version": "1.0"}, as_of=AS_OF), "junit", limits=limits),
    ]
    for call in calls:
        with pytest.raises(aimscheck.OptionsError) as raised:
            call()
        assert raised.value.code == "AIMS-E-OPTIONS"
        assert isinstance(raised.value, ValueError)
        assert str(raised.value).startswith("AIMS-E-OPTIONS: " + message), str(raised.value)
        assert [e["code"] for e in raised.value.errors] == ["AIMS-E-OPTIONS"]


@pytest.mark.parametrize("limits", [[("max_depth", 3)], "max_depth=3", 3])
def test_limits_of_another_type_are_a_type_error(limits: Any) -> None:
    for call in loaders({"schema_version": "1.0"}, limits).values():
        with pytest.raises(TypeError) as raised:
            call()
        assert "limits must be a dict" in str(raised.value)
    with pytest.raises(TypeError):
        aimscheck.validate_model({"schema_version": "1.0"}, limits=limits)
