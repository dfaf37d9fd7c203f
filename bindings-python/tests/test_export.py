"""Exports and the process map: the same bytes as `aimscheck check --format F` and
`aimscheck diagram --format F`, and the errors of `export` and `diagram`."""

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

import aimscheck
from conftest import AS_OF, EXAMPLES, REPO, read_json

NAMES = ["startup", "scaleup", "enterprise", "gaps"]
FORMATS: List[aimscheck.ExportFormat] = ["sarif", "oscal", "junit", "markdown", "html", "ciso-csv"]
DIAGRAMS: List[aimscheck.DiagramFormat] = ["dot", "svg", "mermaid"]


def run_cli(cli: Path, *args: str) -> bytes:
    """The standard output of `aimscheck ARGS`, run from the repository root."""
    done = subprocess.run([str(cli), *args], cwd=REPO, capture_output=True)
    assert done.returncode in (0, 1), done.stderr.decode(errors="replace")
    return done.stdout


def relative(name: str) -> str:
    """The example as the CLI is given it: a path relative to the repository root."""
    return f"examples/{name}.json"


def processes(name: str) -> List[Dict[str, Any]]:
    found: List[Dict[str, Any]] = read_json(EXAMPLES / f"{name}.json").get("processes", [])
    return found


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", NAMES)
def test_export_equals_the_cli_byte_for_byte(cli: Path, name: str, fmt: aimscheck.ExportFormat) -> None:
    expected = run_cli(cli, "check", relative(name), "--as-of", AS_OF, "--format", fmt)
    path = EXAMPLES / f"{name}.json"
    report = aimscheck.evaluate(path, as_of=AS_OF)
    got = aimscheck.export(report, fmt, model=path, model_uri=relative(name))
    assert isinstance(got, str)
    assert got.encode("utf-8") == expected


@pytest.mark.parametrize("name", NAMES)
def test_the_cli_json_report_exports_like_the_evaluated_one(cli: Path, name: str) -> None:
    path = EXAMPLES / f"{name}.json"
    from_cli = json.loads(run_cli(cli, "check", str(path), "--as-of", AS_OF, "--format", "json"))
    report = aimscheck.evaluate(path, as_of=AS_OF)
    for fmt in FORMATS:
        assert aimscheck.export(from_cli, fmt, model=path) == aimscheck.export(report, fmt, model=path)


def test_model_uri_defaults_to_the_model_path(cli: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    report = aimscheck.evaluate(Path(relative("gaps")), as_of=AS_OF)
    for fmt in ("sarif", "oscal"):
        expected = run_cli(cli, "check", relative("gaps"), "--as-of", AS_OF, "--format", fmt)
        assert aimscheck.export(report, fmt, model=Path(relative("gaps"))).encode() == expected


def test_sarif_is_json_2_1_0_with_lines_from_text_and_none_from_a_dict() -> None:
    path = EXAMPLES / "gaps.json"
    text = path.read_text(encoding="utf-8")
    report = aimscheck.evaluate(text, as_of=AS_OF)
    sarif = json.loads(aimscheck.export(report, "sarif", model=text, model_uri="gaps.json"))
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"]) == 1
    results = sarif["runs"][0]["results"]
    assert results, "the gaps example has findings"
    lines = []
    for result in results:
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "gaps.json"
        if "region" in physical:
            lines.append(physical["region"]["startLine"])
    assert lines and all(line >= 1 for line in lines)
    # Text and a path give the same document; bytes too.
    assert aimscheck.export(report, "sarif", model=text, model_uri="gaps.json") == aimscheck.export(
        report, "sarif", model=path, model_uri="gaps.json"
    )
    assert aimscheck.export(report, "sarif", model=text.encode(), model_uri="gaps.json") == aimscheck.export(
        report, "sarif", model=text, model_uri="gaps.json"
    )
    # A dict has no lines: the results keep their logical location (the JSON Pointer).
    from_dict = json.loads(aimscheck.export(report, "sarif", model=json.loads(text)))
    for result in from_dict["runs"][0]["results"]:
        for location in result["locations"]:
            assert "region" not in location.get("physicalLocation", {})
            assert isinstance(location["logicalLocations"][0]["fullyQualifiedName"], str)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_exports_without_a_model(fmt: aimscheck.ExportFormat) -> None:
    report = aimscheck.evaluate(EXAMPLES / "startup.json", as_of=AS_OF)
    got = aimscheck.export(report, fmt)
    assert got and got == aimscheck.export(report, fmt, model=None, model_uri=None)


def test_exports_in_threads_are_identical() -> None:
    path = EXAMPLES / "enterprise.json"
    report = aimscheck.evaluate(path, as_of=AS_OF)
    jobs: List[Tuple[aimscheck.ExportFormat, int]] = [(fmt, i) for fmt in FORMATS for i in range(3)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = list(pool.map(lambda job: (job[0], aimscheck.export(report, job[0], model=path)), jobs))
    for fmt, text in done:
        assert text == aimscheck.export(report, fmt, model=path)


@pytest.mark.parametrize("fmt", ["pdf", "SARIF", "", "json"])
def test_an_unknown_format_is_an_options_error_listing_the_formats(fmt: Any) -> None:
    report = aimscheck.evaluate(EXAMPLES / "startup.json", as_of=AS_OF)
    with pytest.raises(aimscheck.OptionsError) as raised:
        aimscheck.export(report, fmt)
    assert isinstance(raised.value, ValueError)
    assert raised.value.code == "AIMS-E-OPTIONS"
    for name in FORMATS:
        assert name in str(raised.value)
    with pytest.raises(ValueError):
        aimscheck.export(report, fmt)


def test_a_format_of_the_wrong_type_is_a_type_error() -> None:
    report = aimscheck.evaluate(EXAMPLES / "startup.json", as_of=AS_OF)
    bad: Any = 42
    with pytest.raises(TypeError, match="format must be a str"):
        aimscheck.export(report, bad)
    with pytest.raises(TypeError, match="model_uri must be a str"):
        aimscheck.export(report, "sarif", model_uri=bad)


@pytest.mark.parametrize(
    "value, why",
    [
        ({}, "it has no report_version"),
        ({"schema_version": "1.0"}, "not a report but a model"),
        ({"verdict": "conformant"}, "it has no report_version"),
        ({"report_version": "3.0"}, "of format 3.0; this engine reads reports of formats 1.0 and 2.0"),
    ],
)
def test_a_dict_that_is_not_a_report_is_an_aimscheck_error(value: Dict[str, Any], why: str) -> None:
    not_a_report: Any = value
    with pytest.raises(aimscheck.AimsCheckError) as raised:
        aimscheck.export(not_a_report, "sarif")
    e = raised.value
    assert type(e) is aimscheck.AimsCheckError
    assert e.code == "AIMS-E-REPORT"
    assert why in e.message and why in e.errors[0]["message"]
    assert [err["code"] for err in e.errors] == ["AIMS-E-REPORT"]


def test_a_report_with_a_wrong_value_is_not_a_report() -> None:
    report: Any = dict(aimscheck.evaluate(EXAMPLES / "startup.json", as_of=AS_OF))
    report["verdict"] = "splendid"
    with pytest.raises(aimscheck.AimsCheckError) as raised:
        aimscheck.export(report, "markdown")
    assert raised.value.code == "AIMS-E-REPORT"
    assert "splendid" in raised.value.message


@pytest.mark.parametrize("value", [[1], 42, None])
def test_a_report_that_is_not_a_dict_or_text_is_a_type_error(value: Any) -> None:
    with pytest.raises(TypeError, match="report must be the dict aimscheck.evaluate returned"):
        aimscheck.export(value, "sarif")


@pytest.mark.parametrize("value", ["{}", b"{}", bytearray(b"{}")])
def test_a_text_that_is_not_a_report_is_refused_as_one(value: Any) -> None:
    with pytest.raises(aimscheck.AimsCheckError) as raised:
        aimscheck.export(value, "sarif")
    assert raised.value.code == "AIMS-E-REPORT"


def test_a_report_as_json_text_exports_as_the_dict_does() -> None:
    report = aimscheck.evaluate(EXAMPLES / "startup.json", as_of=AS_OF)
    text = json.dumps(report, indent=2)
    expected = aimscheck.export(report, "markdown")
    assert aimscheck.export(text, "markdown") == expected
    assert aimscheck.export(text.encode(), "markdown") == expected
    # Bytes that are not UTF-8 are refused as the CLI refuses such a file.
    with pytest.raises(aimscheck.AimsCheckError) as raised:
        aimscheck.export(b"\xff{}", "markdown")
    assert raised.value.code == "AIMS-E-REPORT"
    assert "UTF-8" in raised.value.message


def test_a_model_that_is_not_the_reports_is_refused() -> None:
    report = aimscheck.evaluate(EXAMPLES / "startup.json", as_of=AS_OF)
    with pytest.raises(aimscheck.AimsCheckError) as raised:
        aimscheck.export(report, "sarif", model=EXAMPLES / "gaps.json")
    assert raised.value.code == "AIMS-E-REPORT"
    assert "not the one the report is about" in raised.value.message
    with pytest.raises(aimscheck.AimsCheckError, match="not the one the report is about"):
        aimscheck.diagram(EXAMPLES / "gaps.json", report=report)


def test_model_errors_and_missing_files_are_raised_as_by_evaluate(tmp_path: Path) -> None:
    report = aimscheck.evaluate(EXAMPLES / "startup.json", as_of=AS_OF)
    with pytest.raises(aimscheck.ModelError):
        aimscheck.export(report, "sarif", model='{"schema_version": 1}')
    with pytest.raises(FileNotFoundError):
        aimscheck.export(report, "sarif", model=tmp_path / "missing.json")
    with pytest.raises(TypeError, match="model must be"):
        aimscheck.export(report, "sarif", model=42)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", DIAGRAMS)
@pytest.mark.parametrize("name", NAMES)
def test_diagram_equals_the_cli_byte_for_byte(cli: Path, name: str, fmt: aimscheck.DiagramFormat) -> None:
    expected = run_cli(cli, "diagram", relative(name), "--as-of", AS_OF, "--format", fmt)
    path = EXAMPLES / f"{name}.json"
    report = aimscheck.evaluate(path, as_of=AS_OF)
    assert aimscheck.diagram(path, format=fmt, report=report).encode("utf-8") == expected


MERMAID_ESCAPES = {'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "|": "#124;", "`": "#96;"}


def mermaid_text(s: str) -> str:
    """A name as the Mermaid flowchart writes it."""
    return "".join(MERMAID_ESCAPES.get(c, " " if not c.isprintable() else c) for c in s)


@pytest.mark.parametrize("name", NAMES)
def test_diagram_shows_every_process(name: str) -> None:
    path = EXAMPLES / f"{name}.json"
    procs = processes(name)
    assert procs
    dot = aimscheck.diagram(path)
    assert dot == aimscheck.diagram(path, format="dot")
    assert dot.startswith("digraph ")
    svg = aimscheck.diagram(path.read_text(encoding="utf-8"), format="svg")
    assert svg.startswith("<svg")
    mermaid = aimscheck.diagram(read_json(path), format="mermaid")
    assert mermaid.splitlines()[1] == "flowchart LR"
    for process in procs:
        # DOT and SVG carry the process id; the Mermaid flowchart names its nodes p0, p1, ...
        # and labels them with the process name.
        assert f'id="{process["id"]}"' in dot
        assert f'data-id="{process["id"]}"' in svg
        assert f'["{mermaid_text(process["name"])}<br/>' in mermaid


def test_diagram_with_a_report_marks_failing_processes() -> None:
    path = EXAMPLES / "gaps.json"
    report = aimscheck.evaluate(path, as_of=AS_OF)
    plain = aimscheck.diagram(path, format="mermaid")
    marked = aimscheck.diagram(path, format="mermaid", report=report)
    assert not any(line.startswith("  class ") for line in plain.splitlines())
    assert any(line.startswith("  class ") and line.endswith(" failing") for line in marked.splitlines())


@pytest.mark.parametrize("fmt", ["png", "DOT", ""])
def test_an_unknown_diagram_format_is_an_options_error(fmt: Any) -> None:
    with pytest.raises(aimscheck.OptionsError) as raised:
        aimscheck.diagram(EXAMPLES / "startup.json", format=fmt)
    assert raised.value.code == "AIMS-E-OPTIONS"
    assert all(name in str(raised.value) for name in DIAGRAMS)


def test_diagram_report_must_be_a_report() -> None:
    bad: Any = {"verdict": "conformant"}
    with pytest.raises(aimscheck.AimsCheckError) as raised:
        aimscheck.diagram(EXAMPLES / "startup.json", report=bad)
    assert raised.value.code == "AIMS-E-REPORT"
    with pytest.raises(aimscheck.AimsCheckError) as raised:
        aimscheck.diagram(EXAMPLES / "startup.json", report="{}")
    assert raised.value.code == "AIMS-E-REPORT"
    with pytest.raises(TypeError, match="report must be"):
        aimscheck.diagram(EXAMPLES / "startup.json", report=42)  # type: ignore[arg-type]


def test_an_inline_overlays_error_points_into_the_dict() -> None:
    with pytest.raises(aimscheck.RulePackError) as raised:
        aimscheck.Engine(overlay={"disable": ["AIMS-NOPE-01"]})
    first = raised.value.errors[0]
    assert first["pointer"] == "/disable/0"
    assert first["line"] is None
