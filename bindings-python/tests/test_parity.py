"""Every command of the CLI has its calls in Python, with the CLI's options under the same names.

The commands, their flags and the calls that do what they do are listed in tests/parity.json,
which the Node suite reads too. The commands and flags are read from the built CLI's
``--help``: a command or flag the list does not account for, or a call or option Python lacks,
fails here.
"""

import json
import re
import subprocess
from pathlib import Path
from typing import Any, Callable, Dict, List, Set

import pytest

import aimscheck
from conftest import AS_OF, EXAMPLES, REPO

PARITY: Dict[str, Any] = json.loads((REPO / "tests" / "parity.json").read_text(encoding="utf-8"))
COMMANDS: Dict[str, Any] = PARITY["commands"]
STARTUP = EXAMPLES / "startup.json"


def help_text(cli: Path, *args: str) -> str:
    done = subprocess.run([str(cli), *args, "--help"], capture_output=True, text=True, check=True)
    return done.stdout


def subcommands(text: str) -> List[str]:
    """The commands a ``--help`` lists (``help`` aside)."""
    block = text.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    names = [line.split()[0] for line in block.splitlines() if line.startswith("  ")]
    return [n for n in names if n != "help"]


def flags(text: str) -> Set[str]:
    """The long flags a command's ``--help`` lists (``--help`` aside; aliases are not flags)."""
    found = re.findall(r"^\s+(?:-\w, )?(--[a-z][a-z-]*)", text, flags=re.M)
    return {f for f in found if f != "--help"}


def cli_commands(cli: Path) -> List[str]:
    names: List[str] = []
    for name in subcommands(help_text(cli)):
        if name == "rules":
            names += [f"rules {sub}" for sub in subcommands(help_text(cli, "rules"))]
        else:
            names.append(name)
    return names


def test_the_list_has_every_command_of_the_cli(cli: Path) -> None:
    assert sorted(cli_commands(cli)) == sorted(COMMANDS)
    # The list's own shape: every call is a Python function name; every option is a name.
    for command in COMMANDS.values():
        assert command["calls"]
        for call in command["calls"]:
            assert re.fullmatch(r"[a-z_]+", call["python"])
            assert all(re.fullmatch(r"[a-z_]+", o) for o in call["options"].values())


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_flag_of_a_command_is_an_option_or_accounted_for(cli: Path, command: str) -> None:
    entry = COMMANDS[command]
    mapped = {flag for call in entry["calls"] for flag in call["options"]}
    elsewhere = set(entry["elsewhere"])
    assert not mapped & elsewhere, "a flag is both an option and not one"
    assert flags(help_text(cli, *command.split())) == mapped | elsewhere


# Each call with the arguments it needs, and keyword options on top (the None each option gets
# here only shows that the call takes it by that name).
REPORT = aimscheck.evaluate(STARTUP, as_of=AS_OF)
CALLS: Dict[str, Callable[..., Any]] = {
    "evaluate": lambda **kw: aimscheck.evaluate(STARTUP, **{"as_of": AS_OF, **kw}),
    "evaluate_many": lambda **kw: aimscheck.evaluate_many([STARTUP], **{"as_of": AS_OF, **kw}),
    "export": lambda **kw: aimscheck.export(REPORT, **{"format": "markdown", **kw}),
    "validate": lambda **kw: aimscheck.validate(STARTUP, **kw),
    "validate_model": lambda **kw: aimscheck.validate_model(STARTUP, **kw),
    "rules": lambda **kw: aimscheck.rules(**kw),
    "explain_rule": lambda **kw: aimscheck.explain_rule("AIMS-PROC-01", **kw),
    "lint_rules": lambda **kw: aimscheck.lint_rules(**kw),
    "init": lambda **kw: aimscheck.init(**{"tier": "startup", **kw}),
    "migrate": lambda **kw: aimscheck.migrate(STARTUP, **kw),
    "diff": lambda **kw: aimscheck.diff(REPORT, REPORT, **kw),
    "diagram": lambda **kw: aimscheck.diagram(STARTUP, **kw),
}

PAIRS = [
    (command, call["python"], option)
    for command, entry in sorted(COMMANDS.items())
    for call in entry["calls"]
    for option in sorted(set(call["options"].values()))
]


def test_every_call_of_the_list_is_in_the_package() -> None:
    listed = {call["python"] for entry in COMMANDS.values() for call in entry["calls"]}
    assert listed == set(CALLS)
    for name in listed:
        assert callable(getattr(aimscheck, name)) and name in aimscheck.__all__
        assert CALLS[name]() is not None


@pytest.mark.parametrize("command,name,option", PAIRS, ids=[f"{c}:{n}:{o}" for c, n, o in PAIRS])
def test_every_call_takes_its_options_by_the_python_name(command: str, name: str, option: str) -> None:
    try:
        CALLS[name](**{option: None})
    except TypeError as e:
        assert "unexpected keyword argument" not in str(e), f"{command}: {name}() has no {option}"
    except aimscheck.AimsCheckError:
        pass  # a value the option refuses: the option is there
    # A name the call does not take is refused as such: the check above can fail.
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        CALLS[name](**{option + "_x": None})
