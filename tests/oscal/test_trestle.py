"""The OSCAL export of every example loads with compliance-trestle 3.12.x.

For each of examples/{startup,scaleup,enterprise,gaps}.json, as of 2026-06-30 (tier from the
model), runs `aimscheck check MODEL --as-of 2026-06-30 --format oscal`; if that CLI does not
know the format yet, the same document comes from
`cargo run -q -p aimscheck --example export_oscal -- MODEL` (set AIMSCHECK_OSCAL_VIA=example to
use that path always). The document is read with
`AssessmentResults.oscal_read` and compared with the JSON report of the same evaluation:
one finding per clause of the roll-up, one observation per rule.

Run through tests/oscal/run.sh, which creates the virtual environment.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess

import pytest
from trestle.oscal.assessment_results import AssessmentResults

ROOT = pathlib.Path(__file__).resolve().parents[2]
AS_OF = "2026-06-30"
EXAMPLES = ["startup", "scaleup", "enterprise", "gaps"]


def _cargo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["cargo", "run", "-q", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _check(model: str, fmt: str) -> subprocess.CompletedProcess[str]:
    return _cargo("-p", "aimscheck-cli", "--", "check", model, "--as-of", AS_OF, "--format", fmt)


def _oscal(model: str) -> tuple[str, str]:
    """The OSCAL document of `model` and where it came from (`cli` or `example`)."""
    if os.environ.get("AIMSCHECK_OSCAL_VIA") != "example":
        run = _check(model, "oscal")
        # Exit 0: nothing fails, 1: failures found; both print the document. 2: bad usage.
        if run.returncode in (0, 1) and run.stdout.strip():
            return run.stdout, "cli"
    fallback = _cargo("-p", "aimscheck", "--example", "export_oscal", "--", model, "--as-of", AS_OF)
    assert fallback.returncode == 0, f"export_oscal failed for {model}: {fallback.stderr}"
    return fallback.stdout, "example"


def _report(model: str) -> dict:
    run = _check(model, "json")
    assert run.returncode in (0, 1), f"check failed for {model}: {run.stderr}"
    return json.loads(run.stdout)


@pytest.mark.parametrize("name", EXAMPLES)
def test_trestle_reads_the_oscal_export(name: str, tmp_path: pathlib.Path) -> None:
    model = f"examples/{name}.json"
    text, source = _oscal(model)
    path = tmp_path / f"{name}-assessment-results.json"
    path.write_text(text, encoding="utf-8")

    ar = AssessmentResults.oscal_read(path)
    assert ar is not None, f"trestle could not read {path} (from the {source})"
    report = _report(model)

    assert ar.metadata.oscal_version.__root__ == "1.1.3"
    assert len(ar.results) == 1
    result = ar.results[0]
    assert len(result.findings) == len(report["clauses"]), "one finding per clause"
    assert len(result.observations) == len(report["rules"]), "one observation per rule"

    targets = [f.target.target_id for f in result.findings]
    assert targets == [f"iso42001-{c['clause'].lower()}" for c in report["clauses"]]
    assert "iso42001-4.4" in targets
    states = {f.target.status.state.value for f in result.findings}
    assert states <= {"satisfied", "not-satisfied"}

    observation_uuids = {o.uuid for o in result.observations}
    for finding in result.findings:
        for related in finding.related_observations or []:
            assert related.observation_uuid in observation_uuids

    evidence = sum(len(o.relevant_evidence or []) for o in result.observations)
    assert evidence == sum(len(r["findings"]) for r in report["rules"]), "one evidence per finding"
    if name == "gaps":
        assert report["verdict"] == "nonconformant"
        assert "not-satisfied" in states
    else:
        assert report["verdict"] == "conformant"
        assert states == {"satisfied"}
