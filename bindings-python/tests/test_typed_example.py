"""The typed example runs, and the stubs are precise enough that mypy rejects misuse; the model
types are those scripts/gen-model-types.py generates from the model schema.

mypy --strict itself, and stubtest, are run by test.sh; these tests run them too when mypy is
installed, so that pytest alone checks the stubs.
"""

import json
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import aimscheck.model

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


REPO = HERE.parents[1]


def test_the_model_types_are_what_the_script_generates_from_the_schema() -> None:
    # scripts/gen-model-types.py writes aimscheck/model.py and the Node binding's model.d.ts.
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen-model-types.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_model_types_describe_every_member_of_the_schema() -> None:
    schema = json.loads((REPO / "core" / "schema" / "model.schema.json").read_text(encoding="utf-8"))
    model = aimscheck.model.Model
    assert model.__required_keys__ == frozenset(schema["required"]) == {"schema_version"}
    assert model.__required_keys__ | model.__optional_keys__ == set(schema["properties"])
    process = schema["properties"]["processes"]["items"]
    assert aimscheck.model.Process.__required_keys__ == {"id"}
    assert aimscheck.model.Process.__optional_keys__ == set(process["properties"]) - {"id"}
    # A member named by a Python keyword, and the descriptions as docstrings.
    assert "from" in aimscheck.model.RoleAssignee.__optional_keys__
    assert aimscheck.model.Process.__doc__ == process["description"]
