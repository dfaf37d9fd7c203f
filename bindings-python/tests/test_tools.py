"""The calls of the CLI's other commands: rules list and explain, init, migrate, diff, and the
packs options (default_rules). Where the CLI writes JSON, the call's dict written as JSON with
two-space indents is the CLI's output byte for byte."""

import json
import subprocess
from pathlib import Path
from typing import Any, Callable, List, Tuple

import pytest

import aimscheck
from conftest import AS_OF, EXAMPLES
from test_examples import ORG_RULE


def run(cli: Path, *args: str, code: int = 0) -> str:
    done = subprocess.run([str(cli), *args], capture_output=True, text=True)
    assert done.returncode == code, done.stderr
    return done.stdout


def pretty(value: Any) -> str:
    """JSON as the CLI writes it: two-space indents, UTF-8 as is, a final newline."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "pack.json").write_text(json.dumps({"id": "py-test", "version": "1.0.0", "title": "t"}))
    (folder / "rules.json").write_text(json.dumps({"rules": [ORG_RULE]}))
    return folder


@pytest.fixture()
def overlay(tmp_path: Path) -> Path:
    path = tmp_path / "overlay.json"
    path.write_text(json.dumps({"disable": ["AIMS-CI-02"], "severity": {"AIMS-DOC-04": "high"}}))
    return path


# ---- rules list ----


def test_rules_are_the_cli_rules_list_byte_for_byte(cli: Path, pack: Path, overlay: Path) -> None:
    assert pretty(aimscheck.rules()) == run(cli, "rules", "list", "--format", "json")
    listed = aimscheck.rules(rules=pack, overlay=overlay)
    assert pretty(listed) == run(
        cli, "rules", "list", "--format", "json", "--rules", str(pack), "--overlay", str(overlay)
    )
    # The overlay's marks, worked out from the overlay file.
    by_id = {r["id"]: r for r in listed}
    assert by_id["AIMS-CI-02"].get("disabled") is True
    assert by_id["AIMS-DOC-04"]["severity"] == "high"
    assert "disabled" not in by_id["AIMS-DOC-04"]
    assert by_id["TEST-ORG-01"]["pack"] == "py-test"
    # The same overlay as a dict, and the same packs compiled once.
    assert aimscheck.rules(rules=[pack], overlay=json.loads(overlay.read_text())) == listed
    assert aimscheck.Engine(rules=pack, overlay=overlay).rules() == listed


def test_default_rules_false_leaves_out_the_default_pack(cli: Path, pack: Path) -> None:
    alone = aimscheck.rules(rules=pack, default_rules=False)
    assert [r["id"] for r in alone] == ["TEST-ORG-01"]
    assert pretty(alone) == run(
        cli, "rules", "list", "--format", "json", "--rules", str(pack), "--no-default-rules"
    )
    engine = aimscheck.Engine(pack, default_rules=False)
    assert [p["id"] for p in engine.packs] == ["py-test"]
    model = {"schema_version": "1.0"}
    expected_path = pack.parent / "model.json"
    expected_path.write_text(json.dumps(model))
    expected = json.loads(
        run(cli, "check", str(expected_path), "--format", "json", "--as-of", AS_OF, "--tier", "startup",
            "--rules", str(pack), "--no-default-rules", code=1)
    )
    report = aimscheck.evaluate(model, as_of=AS_OF, tier="startup", rules=pack, default_rules=False)
    assert report == expected
    assert [r["id"] for r in report["rules"]] == ["TEST-ORG-01"]
    assert engine.evaluate(model, as_of=AS_OF, tier="startup") == expected
    (many,) = aimscheck.evaluate_many([model], as_of=AS_OF, tier="startup", rules=pack, default_rules=False)
    assert many == expected


def test_default_rules_false_needs_a_pack_and_must_be_a_bool() -> None:
    calls: List[Callable[[], object]] = [
        lambda: aimscheck.rules(default_rules=False),
        lambda: aimscheck.Engine(default_rules=False),
        lambda: aimscheck.evaluate({"schema_version": "1.0"}, as_of=AS_OF, default_rules=False),
        lambda: aimscheck.explain_rule("AIMS-PROC-01", default_rules=False),
    ]
    for call in calls:
        with pytest.raises(aimscheck.OptionsError, match="no rule to evaluate"):
            call()
    with pytest.raises(TypeError, match="default_rules must be a bool"):
        aimscheck.rules(default_rules="no")  # type: ignore[arg-type]
    # The default is the default pack: True and None are the same.
    assert aimscheck.rules(default_rules=True) == aimscheck.rules()


# ---- rules explain ----


def test_explain_rule_is_the_cli_rules_explain_byte_for_byte(cli: Path) -> None:
    ids = [r["id"] for r in aimscheck.rules()]
    assert len(ids) == 53
    for rule_id in ids:
        assert pretty(aimscheck.explain_rule(rule_id)) == run(
            cli, "rules", "explain", rule_id, "--format", "json"
        ), rule_id
    # The only case-insensitive match is the rule.
    assert aimscheck.explain_rule("aims-proc-01") == aimscheck.explain_rule("AIMS-PROC-01")


def test_explain_rule_of_a_pack(cli: Path, pack: Path) -> None:
    rule = aimscheck.explain_rule("TEST-ORG-01", rules=pack)
    assert rule["pack"] == "py-test" and rule["title"] == ORG_RULE["title"]
    assert pretty(rule) == run(
        cli, "rules", "explain", "TEST-ORG-01", "--format", "json", "--rules", str(pack)
    )
    assert aimscheck.explain_rule("TEST-ORG-01", rules=pack, default_rules=False) == rule
    with pytest.raises(aimscheck.OptionsError) as raised:
        aimscheck.explain_rule("AIMS-PROC-01", rules=pack, default_rules=False)
    assert raised.value.code == "AIMS-E-UNKNOWN-RULE"
    assert "nearest: TEST-ORG-01" in raised.value.message


# ---- rules lint ----

JOIN_RULE = {
    "id": "PY-LINT-01", "title": "t", "clause_refs": ["4.4"], "aspect": "establish",
    "severity": "low", "tiers": ["startup"], "rationale": "r", "remediation": "r",
    "check": {"for_each": {"in": "/processes/*", "as": "p", "check": {"assert": {"message": "m",
        "that": {"some": {"in": "/process_runs/*", "where": {"ne": [
            {"get": "@/process_id"}, {"get": "$p/id"}]}}}}}}},
}


def test_lint_rules_is_the_cli_rules_lint_byte_for_byte(cli: Path, tmp_path: Path) -> None:
    folder = tmp_path / "lintpack"
    folder.mkdir()
    (folder / "pack.json").write_text(json.dumps({"id": "py-lint", "version": "1.0.0", "title": "t"}))
    (folder / "rules.json").write_text(json.dumps({"rules": [JOIN_RULE]}, indent=1))
    answer = aimscheck.lint_rules(rules=folder)
    assert answer["packs"] == [{"id": "py-lint", "version": "1.0.0", "checks": 1}]
    [warning] = answer["warnings"]
    assert warning["code"] == "AIMS-W-NESTED-SCAN" and warning["rule_id"] == "PY-LINT-01"
    assert warning["pointer"] == "/rules/0/check/for_each/check/assert/that/some"
    assert warning["file"] == str(folder / "rules.json")
    assert "backrefs" in warning["help"]
    assert pretty(answer) == run(cli, "rules", "lint", str(folder), "--format", "json", code=1)
    # Without a folder: the default pack, as the CLI lints it.
    default = aimscheck.lint_rules()
    assert [p["id"] for p in default["packs"]] == ["iso42001-4.4"]
    code = 1 if default["warnings"] else 0
    assert pretty(default) == run(cli, "rules", "lint", "--format", "json", code=code)
    with pytest.raises(aimscheck.RulePackError):
        aimscheck.lint_rules(rules=tmp_path / "no-such-pack")


def test_an_unknown_rule_id_names_the_nearest(cli: Path) -> None:
    with pytest.raises(aimscheck.OptionsError) as raised:
        aimscheck.explain_rule("AIMS-PROC-1")
    e = raised.value
    assert e.code == "AIMS-E-UNKNOWN-RULE"
    assert "nearest: AIMS-PROC-01, " in e.message
    assert [(i["code"], i["rule_id"]) for i in e.errors] == [("AIMS-E-UNKNOWN-RULE", "AIMS-PROC-1")]
    issue = e.errors[0]["message"]
    assert issue.startswith('no loaded pack has rule "AIMS-PROC-1"; nearest: AIMS-PROC-01, ')
    # The CLI says the same.
    done = subprocess.run([str(cli), "rules", "explain", "AIMS-PROC-1"], capture_output=True, text=True)
    assert done.returncode == 2
    assert f"error[AIMS-E-UNKNOWN-RULE]: {issue}\n" in done.stderr
    with pytest.raises(TypeError, match="rule_id must be a str"):
        aimscheck.explain_rule(1)  # type: ignore[arg-type]


# ---- init ----


@pytest.mark.parametrize("tier", ["startup", "scaleup", "enterprise"])
def test_init_is_the_cli_init_byte_for_byte(cli: Path, tier: Any) -> None:
    text = aimscheck.init(tier=tier)
    assert text == run(cli, "init", "--tier", tier)
    model = json.loads(text)
    assert model["schema_version"] == "1.1"
    assert model["organization"]["size_tier"] == tier
    answer = aimscheck.validate(text)
    assert answer["valid"] and answer["warnings"] == []


def test_init_refuses_another_tier() -> None:
    with pytest.raises(aimscheck.OptionsError, match="unknown tier huge"):
        aimscheck.init(tier="huge")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="tier must be a str"):
        aimscheck.init(tier=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        aimscheck.init("startup")  # type: ignore[call-arg]


# ---- migrate ----


@pytest.mark.parametrize("name", ["gaps", "scaleup", "startup"])
def test_migrate_is_the_cli_migrate_byte_for_byte(cli: Path, name: str) -> None:
    path = EXAMPLES / f"{name}.json"
    text = path.read_text(encoding="utf-8")
    expected = run(cli, "migrate", str(path))
    for model in (path, text, text.encode()):
        answer = aimscheck.migrate(model)
        assert answer == {"model_text": expected, "changed": True}
    # Only the version changed.
    assert expected == text.replace('"schema_version": "1.0"', '"schema_version": "1.1"', 1)
    # A dict is written as JSON: the same model.
    answer = aimscheck.migrate(json.loads(text))
    assert answer["changed"] and json.loads(answer["model_text"]) == json.loads(expected)


def test_migrate_leaves_a_model_of_1_1_as_it_is() -> None:
    text = (EXAMPLES / "gaps-1.1.json").read_text(encoding="utf-8")
    assert aimscheck.migrate(text) == {"model_text": text, "changed": False}


def test_migrate_refuses_what_it_cannot_rewrite(cli: Path, tmp_path: Path) -> None:
    with pytest.raises(aimscheck.ModelError) as raised:
        aimscheck.migrate('{"schema_version": "1.9"}')
    assert raised.value.code == "AIMS-E-MIGRATE"
    with pytest.raises(aimscheck.ModelError) as raised:
        aimscheck.migrate('{"schema_version": "1.0", "processes": 3}')
    assert [i["code"] for i in raised.value.errors] == ["AIMS-E-SCHEMA"]
    # A member the schema does not define: a warning, so migrated; with strict, refused.
    misspelt = '{"schema_version": "1.0", "organization": {"name": "A", "size_tier": "startup", "nmae": 1}}'
    assert aimscheck.migrate(misspelt)["changed"]
    with pytest.raises(aimscheck.ModelError) as raised:
        aimscheck.migrate(misspelt, strict=True)
    assert [(i["code"], i["pointer"]) for i in raised.value.errors] == [
        ("AIMS-E-UNKNOWN-MEMBER", "/organization/nmae")
    ]
    path = tmp_path / "misspelt.json"
    path.write_text(misspelt)
    run(cli, "migrate", str(path), "--strict", code=2)
    with pytest.raises(aimscheck.LimitError):
        aimscheck.migrate(misspelt, limits={"max_bytes": 10})


# ---- diff ----


def reports(cli: Path, tmp_path: Path) -> List[Path]:
    """The CLI's reports of gaps.json and enterprise.json, as files."""
    files = []
    for name in ("gaps", "enterprise"):
        out = tmp_path / f"{name}-report.json"
        done = subprocess.run(
            [str(cli), "check", str(EXAMPLES / f"{name}.json"), "--format", "json", "--as-of", AS_OF,
             "--output", str(out)],
            capture_output=True,
            text=True,
        )
        assert done.returncode in (0, 1), done.stderr
        files.append(out)
    return files


def test_diff_is_the_cli_diff_byte_for_byte(cli: Path, tmp_path: Path) -> None:
    old, new = reports(cli, tmp_path)
    cli_json = run(cli, "diff", str(old), str(new), "--format", "json")
    # The CLI names the two files; the call, given no file, names none.
    lines = cli_json.splitlines(keepends=True)
    named = [line for line in lines if line.startswith('    "file": ')]
    assert named == [f'    "file": {json.dumps(str(old))},\n', f'    "file": {json.dumps(str(new))},\n']
    expected = "".join(line for line in lines if line not in named)

    old_text, new_text = old.read_text(encoding="utf-8"), new.read_text(encoding="utf-8")
    compared = aimscheck.diff(json.loads(old_text), json.loads(new_text))
    assert pretty(compared) == expected
    assert aimscheck.diff(old_text, new_text) == compared
    assert aimscheck.diff(old_text.encode(), json.loads(new_text)) == compared
    # From the reports evaluate returns, the same comparison.
    fresh = [aimscheck.evaluate(EXAMPLES / f"{n}.json", as_of=AS_OF) for n in ("gaps", "enterprise")]
    assert aimscheck.diff(*fresh) == compared
    # gaps fails rules enterprise passes: findings fixed, none new.
    summary = compared["summary"]
    assert summary["fixed"] > 0 and summary["new"] == 0 and summary["rules_improved"] > 0
    assert compared["old"]["verdict"] == "nonconformant" and "file" not in compared["old"]
    # Backwards, what was fixed is new.
    back = aimscheck.diff(new_text, old_text)["summary"]
    assert (back["new"], back["fixed"]) == (summary["fixed"], summary["new"])
    assert back["rules_regressed"] == summary["rules_improved"]


def test_diff_of_a_report_with_itself_changes_nothing() -> None:
    report = aimscheck.evaluate(EXAMPLES / "gaps.json", as_of=AS_OF)
    compared = aimscheck.diff(report, report)
    assert all(r["change"] == "same" and r["fixed"] == [] and r["new"] == [] for r in compared["rules"])
    assert compared["summary"]["unchanged"] == sum(len(r["findings"]) for r in report["rules"])


def test_diff_refuses_what_is_not_a_report() -> None:
    report = aimscheck.evaluate(EXAMPLES / "startup.json", as_of=AS_OF)
    model = json.loads((EXAMPLES / "startup.json").read_text(encoding="utf-8"))
    cases: List[Tuple[Any, Any]] = [(model, report), (report, "not json"), (report, {"report_version": "3.0"})]
    for old, new in cases:
        with pytest.raises(aimscheck.AimsCheckError) as raised:
            aimscheck.diff(old, new)
        assert raised.value.code == "AIMS-E-REPORT"
    with pytest.raises(TypeError, match="new_report must be the dict aimscheck.evaluate returned"):
        aimscheck.diff(report, 42)  # type: ignore[arg-type]


# ---- diagram --strict ----


def test_diagram_strict_refuses_an_unknown_member(cli: Path, tmp_path: Path) -> None:
    misspelt = '{"schema_version": "1.0", "organization": {"name": "A", "size_tier": "startup", "nmae": 1}}'
    assert aimscheck.diagram(misspelt).startswith("digraph")
    with pytest.raises(aimscheck.ModelError) as raised:
        aimscheck.diagram(misspelt, strict=True)
    assert [i["code"] for i in raised.value.errors] == ["AIMS-E-UNKNOWN-MEMBER"]
    path = tmp_path / "misspelt.json"
    path.write_text(misspelt)
    run(cli, "diagram", str(path), "--strict", "--as-of", AS_OF, code=2)
