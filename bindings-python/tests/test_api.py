"""The API: inputs in every form, options, rules(), validate_model(), Engine, __version__."""

import datetime
import json
import os
import re
from pathlib import Path
from typing import Any, Dict

import pytest

import aimscheck
from conftest import AS_OF, EXAMPLES

STARTUP = EXAMPLES / "startup.json"


def test_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", aimscheck.__version__)
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", aimscheck.ENGINE_VERSION)
    report = aimscheck.evaluate({"schema_version": "1.0"}, as_of=AS_OF, tier="startup")
    assert report["engine"] == {"name": "aimscheck", "version": aimscheck.ENGINE_VERSION}


def test_every_form_of_a_model_gives_the_same_report() -> None:
    text = STARTUP.read_text(encoding="utf-8")

    class PathLike:
        def __fspath__(self) -> str:
            return str(STARTUP)

    forms: Any = [STARTUP, PathLike(), text, text.encode(), bytearray(text.encode()), json.loads(text)]
    reports = [aimscheck.evaluate(m, as_of=AS_OF) for m in forms]
    assert all(r == reports[0] for r in reports)
    assert reports[0]["as_of"] == AS_OF


def test_tuples_are_arrays() -> None:
    model = {"schema_version": "1.0", "processes": ({"id": "p-1", "name": "Risk", "clause_refs": ("6.1.2",)},)}
    as_list = json.loads(json.dumps(model))
    assert aimscheck.evaluate(model, as_of=AS_OF) == aimscheck.evaluate(as_list, as_of=AS_OF)


def test_big_integers_and_floats_convert_like_json() -> None:
    model: Dict[str, Any] = {"schema_version": "1.0", "x_big": 2**70, "x_neg": -(2**63), "x_u": 2**64 - 1, "x_f": 0.1}
    assert aimscheck.validate_model(model) == []
    r1 = aimscheck.evaluate(model, as_of=AS_OF, tier="startup")
    r2 = aimscheck.evaluate(json.dumps(model), as_of=AS_OF, tier="startup")
    assert r1["model"]["digest"] == r2["model"]["digest"]


def test_as_of_as_a_date_or_a_string() -> None:
    a = aimscheck.evaluate(STARTUP, as_of=datetime.date(2026, 6, 30))
    b = aimscheck.evaluate(STARTUP, as_of="2026-06-30")
    assert a == b and a["as_of"] == "2026-06-30"


def test_tier_and_profile() -> None:
    model = {"schema_version": "1.0", "organization": {"name": "Acme", "size_tier": "startup"}}
    by_model = aimscheck.evaluate(model, as_of=AS_OF)
    assert (by_model["tier"], by_model["tier_source"], by_model["profile"]) == ("startup", "model", "tier")
    by_option = aimscheck.evaluate(model, as_of=AS_OF, tier="enterprise", profile="certification")
    assert (by_option["tier"], by_option["tier_source"], by_option["profile"]) == ("enterprise", "option", "certification")
    assert aimscheck.evaluate(model, as_of=AS_OF, profile=None) == by_model  # type: ignore[arg-type]


def test_overlay_dict_and_file(tmp_path: Path) -> None:
    overlay: aimscheck.Overlay = {"disable": ["AIMS-CI-02"], "severity": {"AIMS-DOC-04": "high"}}
    report = aimscheck.evaluate(STARTUP, as_of=AS_OF, overlay=overlay)
    rules = {r["id"]: r for r in report["rules"]}
    assert rules["AIMS-CI-02"]["status"] == "not_applicable"
    assert rules["AIMS-DOC-04"]["severity"] == "high"
    assert report.get("overlay") == overlay
    path = tmp_path / "overlay.json"
    path.write_text(json.dumps(overlay))
    assert aimscheck.evaluate(STARTUP, as_of=AS_OF, overlay=path) == report
    assert aimscheck.evaluate(STARTUP, as_of=AS_OF, overlay=str(path)) == report


def test_validate_model() -> None:
    assert aimscheck.validate_model(STARTUP) == []
    assert aimscheck.validate_model({"schema_version": "1.0"}) == []
    issues = aimscheck.validate_model('{"schema_version": "1.0", "processes": "x"}')
    assert [(i["code"], i["pointer"]) for i in issues] == [("AIMS-E-SCHEMA", "/processes")]
    assert issues[0]["line"] == 1


def test_rules_lists_the_default_pack() -> None:
    listed = aimscheck.rules()
    assert len(listed) == 53
    assert "AIMS-DATA-01" in [r["id"] for r in listed]
    ids = [r["id"] for r in listed]
    assert len(set(ids)) == len(ids)
    assert "AIMS-PROC-01" in ids
    for r in listed:
        assert {"id", "title", "clause_refs", "aspect", "severity", "tiers", "rationale", "remediation", "pack"} <= set(r)
    assert aimscheck.Engine().rules() == listed


def test_rules_equal_the_cli_rules_list(cli: Path) -> None:
    import subprocess

    done = subprocess.run([str(cli), "rules", "list", "--format", "json"], capture_output=True, text=True, check=True)
    assert aimscheck.rules() == json.loads(done.stdout)


def test_engine_with_an_extra_pack(tmp_path: Path) -> None:
    from test_examples import ORG_RULE

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.json").write_text(json.dumps({"id": "py-test", "version": "1.0.0", "title": "t"}))
    (pack / "rules.json").write_text(json.dumps({"rules": [ORG_RULE]}))
    engine = aimscheck.Engine(rules=pack)
    assert [p["id"] for p in engine.packs] == ["iso42001-4.4", "py-test"]
    assert "py-test 1.0.0" in repr(engine)
    assert "TEST-ORG-01" in [r["id"] for r in engine.rules()]
    report = engine.evaluate({"schema_version": "1.0"}, as_of=AS_OF, tier="startup")
    org = next(r for r in report["rules"] if r["id"] == "TEST-ORG-01")
    assert org["status"] == "fail" and org["pack"] == "py-test"
    with pytest.raises(aimscheck.RulePackError) as raised:
        aimscheck.Engine(rules=[pack, pack])
    assert raised.value.code == "AIMS-E-PACK-DUPLICATE"


def test_engine_is_immutable() -> None:
    engine = aimscheck.Engine()
    with pytest.raises((AttributeError, TypeError)):
        engine.inner = None  # type: ignore[attr-defined]
    with pytest.raises(TypeError):

        class Sub(aimscheck.Engine):  # type: ignore[misc]
            pass


def test_reports_are_plain_python_objects() -> None:
    report = aimscheck.evaluate(EXAMPLES / "gaps.json", as_of=AS_OF)
    assert type(report) is dict
    assert json.loads(json.dumps(report)) == report
    assert report["verdict"] == "nonconformant"


def test_the_package_is_typed() -> None:
    root = Path(aimscheck.__file__).parent
    assert (root / "py.typed").is_file()
    assert (root / "__init__.pyi").is_file()
    assert os.path.basename(aimscheck._native.__file__).startswith("_native")  # type: ignore[attr-defined]


EVALUATING = [
    ("evaluate", lambda **kw: aimscheck.evaluate(STARTUP, as_of=AS_OF, **kw)),
    ("Engine.evaluate", lambda **kw: aimscheck.Engine().evaluate(STARTUP, as_of=AS_OF, **kw)),
    ("evaluate_many", lambda **kw: aimscheck.evaluate_many([STARTUP], as_of=AS_OF, **kw)),
    (
        "Engine.evaluate_many",
        lambda **kw: aimscheck.Engine().evaluate_many([STARTUP], as_of=AS_OF, **kw),
    ),
]


@pytest.mark.parametrize("name,call", EVALUATING, ids=[n for n, _ in EVALUATING])
def test_every_evaluating_call_takes_the_same_options(name: str, call: Any) -> None:
    first = call(tier="scaleup", profile="certification", max_findings_per_rule=2,
                 max_steps_per_rule=10**9, limits={"max_depth": 64})
    report = first if isinstance(first, dict) else first[0]
    assert report["tier"] == "scaleup" and report["profile"] == "certification"
    assert all(len(r["findings"]) <= 2 for r in report["rules"])
    # A misspelt option is the TypeError Python gives any function, naming the call.
    with pytest.raises(TypeError, match=rf"^{re.escape(name)}\(\) got an unexpected keyword argument 'teir'$"):
        call(teir="scaleup")
    # `jobs` belongs to the batch calls only.
    if "many" in name:
        assert len(call(jobs=1)) == 1
    else:
        with pytest.raises(TypeError, match="unexpected keyword argument 'jobs'"):
            call(jobs=1)
    # The options stay keyword-only, and None is their default.
    assert call(tier=None, profile=None, limits=None) is not None


def _misspelt() -> Dict[str, Any]:
    model: Dict[str, Any] = json.loads(STARTUP.read_text())
    process = model["processes"][0]
    process["owner_roleid"] = process.pop("owner_role_id")
    model["organization"]["x_crm_id"] = "A-17"  # an extension: never warned about
    return model


def test_a_misspelt_member_is_a_warning_with_the_member_meant() -> None:
    model = _misspelt()
    expected = {
        "code": "AIMS-W-UNKNOWN-MEMBER",
        "pointer": "/processes/0/owner_roleid",
        "help": "did you mean `owner_role_id`? (a member meant as an extension starts with `x_`)",
    }
    report = aimscheck.evaluate(model, as_of=AS_OF)
    assert [{"code": w["code"], "pointer": w["pointer"], "help": w.get("help")} for w in report["warnings"]] == [expected]
    # The same report from the model's text: warnings are located by pointer only.
    assert aimscheck.evaluate(json.dumps(model, indent=2), as_of=AS_OF) == report
    # `validate` lists it, with its line and column in a text.
    text = json.dumps(model, indent=2)
    answer = aimscheck.validate(text)
    assert answer["valid"] and answer["errors"] == []
    (w,) = answer["warnings"]
    assert {"code": w["code"], "pointer": w["pointer"], "help": w["help"]} == expected
    line = next(i for i, t in enumerate(text.splitlines(), 1) if '"owner_roleid"' in t)
    assert w["line"] == line and w["column"] is not None
    assert aimscheck.validate_model(text) == []
    # A report of a model without one has no `warnings` member at all.
    assert "warnings" not in aimscheck.evaluate(STARTUP, as_of=AS_OF)


def test_strict_makes_unknown_members_errors() -> None:
    model = _misspelt()
    with pytest.raises(aimscheck.ModelError) as raised:
        aimscheck.evaluate(model, as_of=AS_OF, strict=True)
    assert [e["code"] for e in raised.value.errors] == ["AIMS-E-UNKNOWN-MEMBER"]
    assert raised.value.errors[0]["help"] is not None
    with pytest.raises(aimscheck.ModelError):
        aimscheck.Engine().evaluate(model, as_of=AS_OF, strict=True)
    (item,) = aimscheck.evaluate_many([model], as_of=AS_OF, strict=True)
    assert isinstance(item, aimscheck.ModelError)
    answer = aimscheck.validate(model, strict=True)
    assert not answer["valid"] and answer["warnings"] == []
    assert [e["pointer"] for e in answer["errors"]] == ["/processes/0/owner_roleid"]
    assert [e["code"] for e in aimscheck.validate_model(model, strict=True)] == ["AIMS-E-UNKNOWN-MEMBER"]
    with pytest.raises(TypeError, match="strict must be a bool"):
        aimscheck.evaluate(model, as_of=AS_OF, strict="yes")  # type: ignore[arg-type]
