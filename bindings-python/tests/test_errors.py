"""Errors: the exception classes defined in Python, with codes, pointers and locations."""

import datetime
import pickle
from pathlib import Path
from typing import Any, Dict, List

import pytest

import aimscheck
import importlib
from conftest import AS_OF

# Five violations of four kinds, one per line, so that every one has its own location.
BAD_MODEL = """{
  "schema_version": "1.0",
  "organization": {"name": "Acme", "size_tier": "huge"},
  "processes": [
    {"id": "p-1", "name": "Risk", "clause_refs": ["4.4", "99.9"], "status": "active"},
    {"id": "p-1", "name": "Twin"},
    {"id": 7, "name": "Not an id"}
  ],
  "process_runs": [{"id": "run-1", "process_id": "p-1", "started_on": "2025-02-30"}]
}
"""
BAD_POINTERS = {
    ("AIMS-E-SCHEMA", "/organization/size_tier"),
    ("AIMS-E-UNKNOWN-CLAUSE", "/processes/0/clause_refs/1"),
    ("AIMS-E-DUPLICATE-ID", "/processes/1/id"),
    ("AIMS-E-SCHEMA", "/processes/2/id"),
    ("AIMS-E-DATE", "/process_runs/0/started_on"),
}


def pairs(errors: List[aimscheck.ErrorDetail]) -> "set[tuple[str, str]]":
    return {(e["code"], e["pointer"]) for e in errors}


@pytest.mark.parametrize("model", [42, 4.2, None, [1, 2], object(), {1, 2}])
def test_a_model_of_the_wrong_type_is_a_type_error(model: Any) -> None:
    with pytest.raises(TypeError, match="model must be a dict, a JSON str or bytes, or an os.PathLike"):
        aimscheck.evaluate(model, as_of=AS_OF)
    with pytest.raises(TypeError, match="model must be"):
        aimscheck.validate_model(model)
    with pytest.raises(TypeError, match="model must be"):
        aimscheck.Engine().evaluate(model, as_of=AS_OF)


def test_42_is_a_type_error_naming_int() -> None:
    with pytest.raises(TypeError) as raised:
        aimscheck.evaluate(42, as_of=AS_OF)  # type: ignore[arg-type]
    assert str(raised.value).endswith("not int")
    assert not isinstance(raised.value, aimscheck.AimsCheckError)


@pytest.mark.parametrize(
    "value, where",
    [
        # A date is taken (as YYYY-MM-DD), a date and a time is not.
        (
            {"schema_version": "1.0", "aims": {"established_on": datetime.datetime(2026, 1, 1, 9, 30)}},
            '"/aims/established_on" is a datetime.datetime',
        ),
        ({"schema_version": "1.0", "x_a/b~c": {1, 2}}, '"/x_a~1b~0c"'),
        ({"schema_version": "1.0", "processes": [{"id": "p", "tags": [b"x"]}]}, '"/processes/0/tags/0"'),
        ({"schema_version": "1.0", 3: "x"}, "keys must be str"),
        ({"schema_version": "1.0", "x_n": float("nan")}, '"/x_n"'),
        ({"schema_version": "1.0", "x_n": [10**400]}, '"/x_n/0" is an int (of 1329 bits) beyond the range of a double'),
        ({"schema_version": "1.0", "x_n": -(2**1024)}, '"/x_n" is a negative int (of 1025 bits) beyond'),
        ({"schema_version": "1.0", "x_s": ["ok", "caf\udce9"]}, 'a string at "/x_s/1" holds a lone surrogate'),
        ({"schema_version": "1.0", "x_o": {"caf\udce9": 1}}, 'a key in the object at "/x_o" holds a lone surrogate'),
    ],
)
def test_a_value_json_cannot_hold_is_a_type_error_with_its_place(value: Dict[Any, Any], where: str) -> None:
    with pytest.raises(TypeError) as raised:
        aimscheck.evaluate(value, as_of=AS_OF)
    assert where in str(raised.value)


def test_an_invalid_model_lists_every_violation_with_line_and_column() -> None:
    with pytest.raises(aimscheck.ModelError) as raised:
        aimscheck.evaluate(BAD_MODEL, as_of=AS_OF)
    e = raised.value
    assert isinstance(e, aimscheck.AimsCheckError) and isinstance(e, Exception)
    assert e.code == "AIMS-E-MODEL"  # several kinds of issue
    assert pairs(e.errors) == BAD_POINTERS
    lines = {err["pointer"]: err["line"] for err in e.errors}
    assert lines["/organization/size_tier"] == 3
    assert lines["/processes/0/clause_refs/1"] == 5
    assert lines["/processes/1/id"] == 6
    assert lines["/processes/2/id"] == 7
    assert lines["/process_runs/0/started_on"] == 9
    for err in e.errors:
        assert set(err) == {"code", "message", "pointer", "line", "column", "file", "rule_id", "help"}
        assert isinstance(err["column"], int) and err["column"] >= 1
        assert err["message"]
    assert "the model is not valid" in str(e)
    assert pairs(aimscheck.validate_model(BAD_MODEL)) == BAD_POINTERS
    assert pairs(aimscheck.validate_model(BAD_MODEL.encode())) == BAD_POINTERS


def test_a_dict_model_lists_every_violation_without_location() -> None:
    import json

    with pytest.raises(aimscheck.ModelError) as raised:
        aimscheck.evaluate(json.loads(BAD_MODEL), as_of=AS_OF)
    assert pairs(raised.value.errors) == BAD_POINTERS
    assert all(err["line"] is None and err["column"] is None for err in raised.value.errors)


def test_a_syntax_error_has_line_and_column() -> None:
    with pytest.raises(aimscheck.ModelError) as raised:
        aimscheck.evaluate('{\n  "schema_version": "1.0",\n  oops\n}\n', as_of=AS_OF)
    assert raised.value.code == "AIMS-E-SYNTAX"
    [err] = raised.value.errors
    assert (err["line"], err["column"]) == (3, 3)


def test_bytes_that_are_not_utf8_are_a_syntax_error() -> None:
    with pytest.raises(aimscheck.ModelError) as raised:
        aimscheck.evaluate(b'{"schema_version": "1.0", "x_a": "\xff"}', as_of=AS_OF)
    assert raised.value.code == "AIMS-E-SYNTAX"


def test_the_largest_ints_a_double_holds_are_numbers() -> None:
    # 2**1024 - 2**971 is the largest double; from 2**1024 - 2**970 ints round past it.
    largest = 2**1024 - 2**971
    assert float(largest) == 1.7976931348623157e308
    model: Dict[str, Any] = {"schema_version": "1.0", "x_max": largest, "x_min": -largest}
    assert aimscheck.validate_model(model) == []
    with pytest.raises(TypeError, match="beyond the range of a double"):
        aimscheck.validate_model({"schema_version": "1.0", "x_past": 2**1024 - 2**970})


@pytest.mark.parametrize(
    "text, line, column",
    [
        # What bytes.decode(errors="surrogateescape") makes of a Latin-1 byte, after two
        # characters of two and three bytes: the column counts characters.
        ('{"schema_version": "1.0",\n "x_name": "\u00e9\u20ac\udce9"}', 2, 15),
        # A lone surrogate that no decoding of bytes gives, in a key.
        ('{"schema_version": "1.0", "x_\ud800": 1}', 1, 30),
        # Escaped bytes that would read as UTF-8 (C3 A9 is "\u00e9") are not taken for it.
        ('{"schema_version": "1.0", "x_name": "\udcc3\udca9"}', 1, 38),
    ],
)
def test_a_str_with_lone_surrogates_is_a_syntax_error_at_the_first(text: str, line: int, column: int) -> None:
    for call in (
        lambda: aimscheck.evaluate(text, as_of=AS_OF),
        lambda: aimscheck.Engine().evaluate(text, as_of=AS_OF),
        lambda: aimscheck.diagram(text),
    ):
        with pytest.raises(aimscheck.ModelError) as raised:
            call()
        assert raised.value.code == "AIMS-E-SYNTAX"
        [err] = raised.value.errors
        assert (err["code"], err["pointer"], err["line"], err["column"]) == ("AIMS-E-SYNTAX", "", line, column)
        assert "UTF-8" in err["message"]
    assert [(e["line"], e["column"]) for e in aimscheck.validate_model(text)] == [(line, column)]


def test_a_str_from_bytes_that_are_not_utf8_fails_as_the_bytes_do() -> None:
    raw = b'{"schema_version": "1.0",\n "x_name": "caf\xe9 cr\xe8me"}'
    with pytest.raises(aimscheck.ModelError) as from_bytes:
        aimscheck.evaluate(raw, as_of=AS_OF)
    with pytest.raises(aimscheck.ModelError) as from_str:
        aimscheck.evaluate(raw.decode("utf-8", errors="surrogateescape"), as_of=AS_OF)
    assert from_str.value.errors == from_bytes.value.errors
    assert str(from_str.value) == str(from_bytes.value)
    assert [(e["line"], e["column"]) for e in from_str.value.errors] == [(2, 16)]


def test_a_200000_deep_json_string_is_a_limit_error() -> None:
    deep = "[" * 200_000 + "]" * 200_000
    for model in (deep, deep.encode(), '{"schema_version": "1.0", "x_deep": ' + deep + "}"):
        with pytest.raises(aimscheck.LimitError) as raised:
            aimscheck.evaluate(model, as_of=AS_OF)
        assert raised.value.code == "AIMS-E-LIMIT"
        assert not isinstance(raised.value, aimscheck.ModelError)
        assert aimscheck.validate_model(model)[0]["code"] == "AIMS-E-LIMIT"


def test_a_200000_deep_dict_is_a_limit_error_not_a_crash() -> None:
    root: Dict[str, Any] = {"schema_version": "1.0"}
    node = root
    for _ in range(200_000):
        child: Dict[str, Any] = {}
        node["x_deep"] = child
        node = child
    with pytest.raises(aimscheck.LimitError) as raised:
        aimscheck.evaluate(root, as_of=AS_OF)
    assert raised.value.code == "AIMS-E-LIMIT"
    # A dict that contains itself is just as deep.
    loop: Dict[str, Any] = {"schema_version": "1.0"}
    loop["x_self"] = loop
    with pytest.raises(aimscheck.LimitError):
        aimscheck.evaluate(loop, as_of=AS_OF)


def test_the_dict_depth_limit_is_the_model_depth_limit() -> None:
    def nested(levels: int) -> Dict[str, Any]:
        root: Dict[str, Any] = {"schema_version": "1.0"}
        node = root
        for _ in range(levels - 1):
            child: Dict[str, Any] = {}
            node["x_n"] = child
            node = child
        return root

    ok, too_deep = nested(64), nested(65)
    assert aimscheck.validate_model(ok) == []
    text_error = aimscheck.validate_model(__import__("json").dumps(too_deep))
    dict_error = aimscheck.validate_model(too_deep)
    assert [e["code"] for e in dict_error] == [e["code"] for e in text_error] == ["AIMS-E-LIMIT"]
    assert dict_error[0]["message"] == text_error[0]["message"]


@pytest.mark.parametrize("as_of", ["2026-02-30", "30/06/2026", "", "tomorrow"])
def test_a_bad_as_of_is_an_options_error(as_of: str) -> None:
    with pytest.raises(aimscheck.OptionsError) as raised:
        aimscheck.evaluate({"schema_version": "1.0"}, as_of=as_of)
    assert raised.value.code == "AIMS-E-OPTIONS"
    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, aimscheck.AimsCheckError)


def test_bad_tier_and_profile_are_options_errors() -> None:
    with pytest.raises(aimscheck.OptionsError):
        aimscheck.evaluate({"schema_version": "1.0"}, as_of=AS_OF, tier="huge")  # type: ignore[arg-type]
    with pytest.raises(aimscheck.OptionsError):
        aimscheck.Engine().evaluate({"schema_version": "1.0"}, as_of=AS_OF, profile="strict")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"as_of": 20260630}, "as_of must be a datetime.date or a 'YYYY-MM-DD' string, not int"),
        ({"as_of": datetime.datetime(2026, 6, 30, 12, 0)}, "not a datetime.datetime"),
        ({"as_of": AS_OF, "tier": 1}, "tier must be a str or None, not int"),
        ({"as_of": AS_OF, "profile": ["tier"]}, "profile must be a str or None, not list"),
        ({"as_of": AS_OF, "rules": 3}, "rules must be a str or os.PathLike path, not int"),
        ({"as_of": AS_OF, "rules": [3]}, "each entry of rules must be"),
        ({"as_of": AS_OF, "overlay": ["AIMS-CI-02"]}, "overlay must be a dict"),
    ],
)
def test_options_of_the_wrong_type_are_type_errors(kwargs: Dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError) as raised:
        aimscheck.evaluate({"schema_version": "1.0"}, **kwargs)
    assert message in str(raised.value)


def test_as_of_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        aimscheck.evaluate({"schema_version": "1.0"}, AS_OF)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        aimscheck.evaluate({"schema_version": "1.0"})  # type: ignore[call-arg]


def test_a_missing_pack_folder_is_a_rule_pack_error(tmp_path: Path) -> None:
    with pytest.raises(aimscheck.RulePackError) as raised:
        aimscheck.Engine(rules=tmp_path / "no-such-pack")
    assert raised.value.code == "AIMS-E-PACK-IO"
    with pytest.raises(aimscheck.RulePackError):
        aimscheck.evaluate({"schema_version": "1.0"}, as_of=AS_OF, rules=[tmp_path / "nope"])


def test_a_broken_pack_is_a_rule_pack_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "pack.json").write_text('{"id": "broken", "version": "1.0.0", "title": "Broken"}')
    (tmp_path / "rules.json").write_text('{"rules": [\n  {"id": \n')
    with pytest.raises(aimscheck.RulePackError) as raised:
        aimscheck.Engine(rules=str(tmp_path))
    e = raised.value
    assert e.code == "AIMS-E-PACK-SYNTAX"
    assert any(err["file"] and err["file"].endswith("rules.json") for err in e.errors)
    assert all(err["line"] is not None for err in e.errors)


def test_an_overlay_naming_an_unknown_rule_is_a_rule_pack_error(tmp_path: Path) -> None:
    with pytest.raises(aimscheck.RulePackError) as raised:
        aimscheck.Engine(overlay={"disable": ["NO-SUCH-RULE"]})
    assert [err["rule_id"] for err in raised.value.errors] == ["NO-SUCH-RULE"]
    overlay = tmp_path / "overlay.json"
    overlay.write_text('{\n  "severity": {"NO-SUCH-RULE": "high"}\n}\n')
    with pytest.raises(aimscheck.RulePackError) as raised:
        aimscheck.Engine(overlay=overlay)
    [err] = raised.value.errors
    assert err["file"] == str(overlay) and err["line"] == 2
    with pytest.raises(aimscheck.RulePackError):
        aimscheck.Engine(overlay={"disable": "AIMS-CI-02"})  # type: ignore[arg-type]
    with pytest.raises(aimscheck.RulePackError):
        aimscheck.Engine(overlay={"severity": {"AIMS-CI-02": "fatal"}})  # type: ignore[arg-type]


def test_unreadable_files_are_os_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as raised:
        aimscheck.evaluate(tmp_path / "missing.json", as_of=AS_OF)
    assert raised.value.filename == str(tmp_path / "missing.json")
    with pytest.raises(IsADirectoryError):
        aimscheck.validate_model(tmp_path)
    with pytest.raises(FileNotFoundError):
        aimscheck.Engine(overlay=tmp_path / "missing-overlay.json")


def test_a_panic_inside_is_an_aimscheck_error_not_an_abort() -> None:
    with pytest.raises(aimscheck.AimsCheckError) as raised:
        importlib.import_module("aimscheck._native")._panic_for_tests("deliberate")
    e = raised.value
    assert type(e) is aimscheck.AimsCheckError
    assert e.code == "AIMS-E-INTERNAL"
    assert "deliberate" in str(e)
    # The interpreter and the module still work afterwards.
    assert aimscheck.validate_model({"schema_version": "1.0"}) == []


def test_errors_are_the_python_defined_classes() -> None:
    from aimscheck import _errors

    assert aimscheck.ModelError is _errors.ModelError
    assert aimscheck.AimsCheckError.__module__ == "aimscheck._errors"
    for cls in (aimscheck.ModelError, aimscheck.RulePackError, aimscheck.LimitError, aimscheck.OptionsError):
        assert issubclass(cls, aimscheck.AimsCheckError)
    assert issubclass(aimscheck.OptionsError, ValueError)
    assert not issubclass(aimscheck.ModelError, RuntimeError)


def test_errors_survive_pickling() -> None:
    with pytest.raises(aimscheck.ModelError) as raised:
        aimscheck.evaluate(BAD_MODEL, as_of=AS_OF)
    copy = pickle.loads(pickle.dumps(raised.value))
    assert type(copy) is aimscheck.ModelError
    assert (copy.code, copy.errors, str(copy)) == (raised.value.code, raised.value.errors, str(raised.value))
