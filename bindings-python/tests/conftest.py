"""Shared fixtures: where the repository's cases and examples are, and the CLI to compare with."""

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict

import pytest

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "cases"
EXAMPLES = REPO / "examples"
AS_OF = "2026-06-30"


def read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def case_dirs() -> "list[Path]":
    """Every case folder of tests/cases, sorted (the order of the Rust runner)."""
    return sorted(p for p in CASES.iterdir() if p.is_dir())


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `aimscheck` binary: $AIMSCHECK_CLI, or built once with cargo for this session."""
    given = os.environ.get("AIMSCHECK_CLI")
    if given:
        return Path(given)
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.skip("cargo is not installed: the CLI to compare with cannot be built")
    subprocess.run([cargo, "build", "-q", "-p", "aimscheck-cli"], cwd=REPO, check=True)
    meta = subprocess.run(
        [cargo, "metadata", "--format-version", "1", "--no-deps"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    target = Path(json.loads(meta.stdout)["target_directory"])
    binary = target / "debug" / ("aimscheck.exe" if os.name == "nt" else "aimscheck")
    assert binary.is_file(), f"cargo built no {binary}"
    return binary


def cli_report(cli: Path, model: Path, *args: str) -> Dict[str, Any]:
    """The parsed output of `aimscheck check MODEL --format json --as-of 2026-06-30 ARGS`."""
    done = subprocess.run(
        [str(cli), "check", str(model), "--format", "json", "--as-of", AS_OF, *args],
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr
    report: Dict[str, Any] = json.loads(done.stdout)
    return report
