"""Code the stubs must reject: test_typed_example.py expects mypy to flag every marked line."""

import aimscheck

report = aimscheck.evaluate({"schema_version": "1.0"}, as_of="2026-06-30", tier="huge")  # E: tier
aimscheck.evaluate({"schema_version": "1.0"}, "2026-06-30")  # E: as_of is keyword-only
aimscheck.evaluate(42, as_of="2026-06-30")  # E: not a model
aimscheck.Engine().evaluate({}, as_of=20260630)  # E: not a date
status: int = report["verdict"]  # E: a Literal, not an int
report["no_such_key"]  # E: not a key of Report
report["overall"]  # E: report format 1.x; 2.0 has "aims"
report["aims"]["clause"]  # E: the AIMS is no clause
aimscheck.Engine(overlay={"disable": "AIMS-CI-02"})  # E: disable is a list
supplier: aimscheck.Supplier = {"id": "sup-1", "provides": "hardware"}  # E: not a provides
records: aimscheck.LifecycleRecords = {"design_doc": "d"}  # E: not a key of the records
version: aimscheck.SchemaVersion = "2.0"  # E: not a schema version
aimscheck.evaluate_many({"schema_version": "1.0"}, as_of="2026-06-30", jobs="2")  # E: jobs is an int
aimscheck.evaluate_many([], as_of="2026-06-30")[0]["verdict"]  # E: an item may be an exception
process: aimscheck.model.Process = {"id": "p", "owner_roleid": "r"}  # E: a misspelt member
model: aimscheck.Model = {"schema_version": "1.1", "processes": [{"id": "p", "status": "running"}]}  # E: not a status
aimscheck.model.Role(id="r", aims_duties="process_owner")  # E: duties are a list
