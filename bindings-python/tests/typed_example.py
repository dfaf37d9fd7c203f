"""A typed use of the API, checked with `mypy --strict` (and run by test_typed_example.py).

It reads a report through its TypedDicts, so a wrong key or a wrong status literal is a type
error, and passes every documented input form.
"""

import datetime
import pathlib
import pickle
import uuid
from decimal import Decimal
from typing import Dict, List

import aimscheck

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


def failing_pointers(report: aimscheck.Report) -> Dict[str, List[str]]:
    """Rule id -> JSON Pointers of its findings, for the failing rules."""
    failing: Dict[str, List[str]] = {}
    for rule in report["rules"]:
        status: aimscheck.Status = rule["status"]
        if status == "fail":
            failing[rule["id"]] = [f["pointer"] for f in rule["findings"]]
    return failing


def main() -> int:
    overlay: aimscheck.Overlay = {"disable": ["AIMS-CI-02"], "severity": {"AIMS-DOC-04": "high"}}
    engine = aimscheck.Engine(rules=None, overlay=overlay)
    report: aimscheck.Report = engine.evaluate(
        EXAMPLES / "gaps.json", as_of=datetime.date(2026, 6, 30), tier="scaleup"
    )
    verdict: aimscheck.Verdict = report["verdict"]
    by_status: int = report["summary"]["by_status"]["fail"]
    print(verdict, by_status, len(failing_pointers(report)))
    for clause in report["clauses"]:
        grade = clause.get("grade")
        if grade is not None:
            print(clause["clause"], clause["result"], grade)
    # The AIMS over every rule: not clause 4.4's row, which is in report["clauses"].
    aims = report["aims"]
    note: str = report["grades_note"]
    print("AIMS", aims["result"], aims.get("grade", "no grade"), note)

    same = aimscheck.evaluate(
        (EXAMPLES / "gaps.json").read_bytes(),
        as_of="2026-06-30",
        tier="scaleup",
        profile="tier",
        rules=[],
        overlay=overlay,
    )
    assert same == report

    # Many models at once: a report, or the exception evaluate would raise, per model.
    batch = engine.evaluate_many(
        [EXAMPLES / "gaps.json", {"schema_version": 1}], as_of="2026-06-30", jobs=2, names=["gaps", "broken"]
    )
    for item in batch:
        if isinstance(item, aimscheck.AimsCheckError):
            print(item.code, [issue["file"] for issue in item.errors])
        elif isinstance(item, Exception):
            raise item
        else:
            print(item["verdict"])
    # An engine pickles (for worker processes), packs and overlay included.
    again: aimscheck.Engine = pickle.loads(pickle.dumps(engine))
    assert again.evaluate_many([EXAMPLES / "gaps.json"], as_of="2026-06-30", tier="scaleup") == [report]

    rules: List[aimscheck.RuleInfo] = aimscheck.rules()
    severities = {r["id"]: r["severity"] for r in rules}
    print(len(severities), [p["digest"] for p in engine.packs])

    issues: List[aimscheck.ErrorDetail] = aimscheck.validate_model('{"schema_version": 1}')
    for issue in issues:
        line = issue["line"]
        print(issue["code"], issue["pointer"], line + 0 if line is not None else "-")

    try:
        aimscheck.evaluate({"schema_version": "1.0"}, as_of="2026-02-30")
    except aimscheck.OptionsError as e:
        code: str = e.code
        errors: List[aimscheck.ErrorDetail] = e.errors
        print(code, len(errors))
    except aimscheck.AimsCheckError as e:
        raise SystemExit(f"unexpected {e.code}") from e
    # A model 1.1, with its new parts typed as they are built.
    supplier: aimscheck.Supplier = {"id": "sup-1", "provides": "model", "ai_system_ids": ["sys-1"]}
    data: aimscheck.DataResource = {"id": "data-1", "provenance": "licensed corpus"}
    records: aimscheck.LifecycleRecords = {"event_log_evidence_ids": ["ev-log"]}
    model11 = {"schema_version": "1.1", "suppliers": [supplier], "data_resources": [data]}
    version: aimscheck.SchemaVersion = aimscheck.evaluate(model11, as_of="2026-06-30")["model"][
        "schema_version"
    ]
    print(version, sorted(records))

    # A model built with the types of aimscheck.model, its members checked as it is written; a
    # date may be a datetime.date, an id a uuid.UUID and a number a Decimal, as rows bring them.
    owner: aimscheck.model.Role = {"id": uuid.UUID(int=7), "aims_duties": ["process_owner"]}
    process: aimscheck.model.Process = {
        "id": "proc-ra",
        "clause_refs": ["6.1.2"],
        "owner_role_id": owner["id"],
        "cadence": {"every": 3, "unit": "month"},
        "changed_on": datetime.date(2026, 5, 4),
    }
    metric: aimscheck.model.Metric = {"id": "m-1", "target_value": Decimal("0.95"), "target_direction": "at_least"}
    typed: aimscheck.Model = {"schema_version": "1.1", "roles": [owner], "processes": [process], "metrics": [metric]}
    # mypy catches a misspelt member (the ignore would be unused, an error under --strict, if not).
    misspelt: aimscheck.model.Process = {"id": "proc-x", "owner_roleid": "r"}  # type: ignore[typeddict-unknown-key]
    typed_report = aimscheck.evaluate(typed, as_of="2026-06-30")
    assert typed_report["model"]["schema_version"] == "1.1"
    assert aimscheck.validate_model({"schema_version": "1.1", "processes": [misspelt]}) == []
    # The CLI's other commands: rules explain, init, migrate, diff.
    explained: aimscheck.RuleInfo = aimscheck.explain_rule("AIMS-PROC-01", default_rules=True)
    print(explained["rationale"][:20], explained.get("disabled", False))
    starter: str = aimscheck.init(tier="startup")
    migration: aimscheck.Migration = aimscheck.migrate(EXAMPLES / "gaps.json", strict=False)
    print(len(starter), migration["changed"])
    fixed = aimscheck.evaluate(EXAMPLES / "enterprise.json", as_of="2026-06-30")
    compared: aimscheck.ReportDiff = aimscheck.diff(report, fixed)
    for moved in compared["rules"]:
        change: aimscheck.Change = moved["change"]
        if change == "improved":
            print(moved["id"], moved["old_status"], "->", moved["new_status"], len(moved["fixed"]))
    print(compared["summary"]["fixed"], compared["old"]["verdict"])
    print(aimscheck.__version__)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
