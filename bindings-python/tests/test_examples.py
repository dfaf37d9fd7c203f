"""The five examples give the report of `aimscheck check --format json --as-of 2026-06-30`."""

import datetime
import json
from pathlib import Path

import pytest

import aimscheck
from conftest import AS_OF, EXAMPLES, cli_report

NAMES = ["startup", "scaleup", "enterprise", "gaps", "gaps-1.1"]


def test_the_five_examples_are_there() -> None:
    assert sorted(p.stem for p in EXAMPLES.glob("*.json")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_example_report_equals_the_cli_report(cli: Path, name: str) -> None:
    path = EXAMPLES / f"{name}.json"
    expected = cli_report(cli, path)
    assert aimscheck.evaluate(path, as_of=AS_OF) == expected
    text = path.read_text(encoding="utf-8")
    assert aimscheck.evaluate(text, as_of=AS_OF) == expected
    assert aimscheck.evaluate(text.encode(), as_of=datetime.date(2026, 6, 30)) == expected
    assert aimscheck.evaluate(json.loads(text), as_of=AS_OF) == expected
    assert aimscheck.Engine().evaluate(path, as_of=AS_OF) == expected


@pytest.mark.parametrize("name", ["startup", "gaps"])
def test_example_with_tier_and_profile_equals_the_cli(cli: Path, name: str) -> None:
    path = EXAMPLES / f"{name}.json"
    expected = cli_report(cli, path, "--tier", "enterprise", "--profile", "certification")
    got = aimscheck.evaluate(path, as_of=AS_OF, tier="enterprise", profile="certification")
    assert got == expected


def test_example_with_an_overlay_and_a_pack_equals_the_cli(cli: Path, tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.json"
    overlay.write_text(json.dumps({"disable": ["AIMS-CI-02"], "severity": {"AIMS-DOC-04": "high"}}))
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.json").write_text(
        json.dumps({"id": "py-test", "version": "1.0.0", "title": "Python test pack"})
    )
    (pack / "rules.json").write_text(json.dumps({"rules": [ORG_RULE]}))
    path = EXAMPLES / "gaps.json"
    expected = cli_report(cli, path, "--overlay", str(overlay), "--rules", str(pack))
    assert aimscheck.evaluate(path, as_of=AS_OF, overlay=overlay, rules=pack) == expected
    as_dict = json.loads(overlay.read_text())
    assert aimscheck.evaluate(path, as_of=AS_OF, overlay=as_dict, rules=[str(pack)]) == expected
    assert aimscheck.Engine(rules=(pack,), overlay=str(overlay)).evaluate(path, as_of=AS_OF) == expected


ORG_RULE = {
    "id": "TEST-ORG-01",
    "title": "The organization is named",
    "clause_refs": ["4.1"],
    "aspect": "establish",
    "severity": "medium",
    "tiers": ["startup", "scaleup", "enterprise"],
    "rationale": "An AIMS belongs to a named organization.",
    "remediation": "Set organization.name.",
    "check": {
        "assert": {"that": {"exists": "/organization/name"}, "message": "the organization has no name"}
    },
}
