"""The typed example runs, and the stubs are precise enough that mypy rejects misuse.

mypy --strict itself, and stubtest, are run by test.sh; these tests run them too when mypy is
installed, so that pytest alone checks the stubs.
"""

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def test_the_typed_example_runs() -> None:
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(HERE / "typed_example.py"), run_name="__main__")
    assert done.value.code == 0


def mypy(*args: str) -> "subprocess.CompletedProcess[str]":
    pytest.importorskip("mypy")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, *args],
        capture_output=True,
        text=True,
        cwd=HERE,
    )


def test_mypy_strict_accepts_the_typed_example() -> None:
    done = mypy("typed_example.py")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_rejects_every_misuse() -> None:
    source = (HERE / "mistyped_example.py").read_text().splitlines()
    marked = {i + 1 for i, line in enumerate(source) if "# E:" in line}
    done = mypy("mistyped_example.py")
    flagged = {int(m) for m in re.findall(r"^mistyped_example\.py:(\d+): error", done.stdout, re.M)}
    assert done.returncode == 1
    assert flagged == marked, done.stdout
