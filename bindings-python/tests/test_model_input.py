"""A model dict as rows read from a database bring it: a ``datetime.date``, a ``Decimal``, a
``UUID`` and an ``enum.Enum`` member load as the JSON they stand for, so the dict gives the report
its JSON text gives; a ``datetime.datetime``, a ``Decimal`` that is not finite and the like are
refused with a ``TypeError`` naming the place. A ``str`` model that is not JSON but names a file
is told how to read the file."""

import datetime
import enum
import json
import re
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest

import aimscheck
from conftest import AS_OF, EXAMPLES

# ---- a model from database rows ----

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Unit(str, enum.Enum):
    """A str-Enum: its members are str."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def as_rows(value: Any, key: str, counts: Dict[str, int]) -> Any:
    """`value` (parsed with numbers as Decimals) as rows bring it: dates as `datetime.date`,
    statuses as members of a plain Enum, cadence units as members of a str-Enum; `counts` counts
    each kind."""
    if isinstance(value, dict):
        return {k: as_rows(v, k, counts) for k, v in value.items()}
    if isinstance(value, list):
        return [as_rows(v, key, counts) for v in value]
    if isinstance(value, str) and DATE.match(value):
        counts["date"] += 1
        return datetime.date.fromisoformat(value)
    if isinstance(value, str) and key == "status":
        counts["enum"] += 1
        # A class of its own per value (made at run time, so typed Any).
        Status: Any = enum.Enum("Status", {"MEMBER": value})
        return Status.MEMBER
    if isinstance(value, str) and key == "unit":
        counts["enum"] += 1
        return Unit(value)
    if isinstance(value, Decimal):
        counts["decimal"] += 1
    return value


def test_an_example_as_database_rows_gives_the_report_of_its_json_text() -> None:
    text = (EXAMPLES / "startup.json").read_text(encoding="utf-8")
    counts = {"date": 0, "enum": 0, "decimal": 0}
    rows = as_rows(json.loads(text, parse_float=Decimal, parse_int=Decimal), "", counts)
    # The conversion has something to do: the example has dates, statuses, units and numbers.
    assert counts["date"] > 100 and counts["enum"] > 10 and counts["decimal"] > 50, counts
    report = aimscheck.evaluate(text, as_of=AS_OF)
    # The very report, the model's digest included: the same document was loaded.
    assert aimscheck.evaluate(rows, as_of=AS_OF) == report
    assert aimscheck.Engine().evaluate(rows, as_of=AS_OF) == report
    assert aimscheck.evaluate_many([rows], as_of=AS_OF) == [report]
    assert aimscheck.validate_model(rows) == []


OWNER = uuid.UUID("6f1c2e0a-3b4d-4e5f-8a9b-0c1d2e3f4a5b")


class Duty(enum.Enum):
    PROCESS_OWNER = "process_owner"


class Tier(str, enum.Enum):
    SCALEUP = "scaleup"


class Every(enum.IntEnum):
    QUARTERLY = 3


class Months(enum.Enum):
    """A plain Enum with int values."""

    YEARLY = 12


class Nested(enum.Enum):
    """A member whose value is a member of another Enum."""

    DUTY = Duty.PROCESS_OWNER


ROWS: Dict[str, Any] = {
    "schema_version": "1.1",
    "organization": {"name": "Acme", "size_tier": Tier.SCALEUP},
    "aims": {"established_on": datetime.date(2025, 3, 3), "planned_intervals": {"policy_review_months": Months.YEARLY}},
    "roles": [{"id": OWNER, "aims_duties": [Duty.PROCESS_OWNER, Nested.DUTY]}],
    "processes": [
        {
            "id": "proc-ra",
            "owner_role_id": OWNER,
            "clause_refs": ["6.1.2"],
            "cadence": {"every": Every.QUARTERLY, "unit": Unit.MONTH},
            "changed_on": datetime.date(2026, 5, 4),
        }
    ],
    "metrics": [{"id": "m-1", "target_value": Decimal("0.10"), "target": Decimal("95")}],
    "x_numbers": (Decimal("12345678901234567891"), Decimal("5"), Decimal("5.0"), Decimal("1E+2"), Decimal("-0.000")),
}
# The same model as JSON text, written out by hand.
ROWS_TEXT = """{
  "schema_version": "1.1",
  "organization": {"name": "Acme", "size_tier": "scaleup"},
  "aims": {"established_on": "2025-03-03", "planned_intervals": {"policy_review_months": 12}},
  "roles": [{"id": "6f1c2e0a-3b4d-4e5f-8a9b-0c1d2e3f4a5b", "aims_duties": ["process_owner", "process_owner"]}],
  "processes": [
    {
      "id": "proc-ra",
      "owner_role_id": "6f1c2e0a-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
      "clause_refs": ["6.1.2"],
      "cadence": {"every": 3, "unit": "month"},
      "changed_on": "2026-05-04"
    }
  ],
  "metrics": [{"id": "m-1", "target_value": 0.10, "target": 95}],
  "x_numbers": [12345678901234567891, 5, 5.0, 1E+2, -0.000]
}"""


def test_dates_decimals_uuids_and_enum_members_load_as_their_json_text() -> None:
    report = aimscheck.evaluate(ROWS, as_of=AS_OF)
    assert report == aimscheck.evaluate(ROWS_TEXT, as_of=AS_OF)
    # The tier was read from the model, through the str-Enum member.
    assert (report["tier"], report["tier_source"]) == ("scaleup", "model")


def digest(model: Any) -> str:
    return aimscheck.evaluate(model, as_of=AS_OF)["model"]["digest"]


@pytest.mark.parametrize(
    "number, text",
    [
        (Decimal("0.10"), "0.10"),
        (Decimal("12345678901234567891"), "12345678901234567891"),
        (Decimal("-9223372036854775809"), "-9223372036854775809"),
        (Decimal("5"), "5"),
        (Decimal("5.0"), "5.0"),
        (Decimal("1E+2"), "1E+2"),
        (Decimal("1E-400"), "1E-400"),
    ],
)
def test_a_decimal_loads_as_the_number_its_digits_write(number: Decimal, text: str) -> None:
    as_dict = digest({"schema_version": "1.0", "x_n": number})
    assert as_dict == digest('{"schema_version": "1.0", "x_n": %s}' % text)


def test_a_decimal_is_not_taken_through_a_float() -> None:
    # 12345678901234567891 fits in 64 bits: as its digits it stays that integer, while a float
    # would round it to 12345678901234567168.
    big = Decimal("12345678901234567891")
    assert digest({"schema_version": "1.0", "x_n": big}) != digest({"schema_version": "1.0", "x_n": float(big)})
    assert digest({"schema_version": "1.0", "x_n": Decimal("5")}) == digest({"schema_version": "1.0", "x_n": 5})
    # 0.10 is the number 0.1.
    assert digest({"schema_version": "1.0", "x_n": Decimal("0.10")}) == digest({"schema_version": "1.0", "x_n": 0.1})


# ---- what is refused ----


class Timestamp(datetime.datetime):
    """A datetime subclass, as pandas has one."""


class Stamp(enum.Enum):
    AT = datetime.datetime(2026, 5, 4, 9, 30)


class Opaque(enum.Enum):
    THING = object()


PLACE = "/processes/0/changed_on"
DATE_HELP = (
    ", a date and a time, where the model takes dates only: pass a date (its .date(), to say which "
    "day is meant) or a 'YYYY-MM-DD' string"
)
REFUSED = [
    (datetime.datetime(2026, 5, 4, 9, 30), f'model: the value at "{PLACE}" is a datetime.datetime{DATE_HELP}'),
    (
        Timestamp(2026, 5, 4),
        f'model: the value at "{PLACE}" is a Timestamp (a datetime.datetime){DATE_HELP}',
    ),
    (Stamp.AT, f'model: the value at "{PLACE}" is a datetime.datetime{DATE_HELP}'),
    (Decimal("NaN"), f"model: the number at \"{PLACE}\" is Decimal('NaN'), which JSON cannot hold"),
    (Decimal("-sNaN"), f"model: the number at \"{PLACE}\" is Decimal('-sNaN'), which JSON cannot hold"),
    (Decimal("Infinity"), f"model: the number at \"{PLACE}\" is Decimal('Infinity'), which JSON cannot hold"),
    (
        Decimal("1E+400"),
        f"model: the number at \"{PLACE}\" is Decimal('1E+400') beyond the range of a double, which JSON "
        "cannot hold",
    ),
    (
        Opaque.THING,
        f'model: the value at "{PLACE}" is an object, which JSON cannot hold (use dict, list, tuple, str, '
        "int, float, bool, None, datetime.date, decimal.Decimal, uuid.UUID or an enum.Enum member)",
    ),
]


@pytest.mark.parametrize(
    "value, message",
    REFUSED,
    ids=["datetime", "datetime-subclass", "enum-of-datetime", "nan", "snan", "infinity", "huge", "enum-of-object"],
)
def test_a_value_the_model_cannot_take_is_a_type_error_naming_its_place(value: Any, message: str) -> None:
    model = {"schema_version": "1.0", "processes": [{"id": "proc-ra", "changed_on": value}]}
    calls: List[Callable[[], Any]] = [
        lambda: aimscheck.evaluate(model, as_of=AS_OF),
        lambda: aimscheck.Engine().evaluate(model, as_of=AS_OF),
        lambda: aimscheck.validate_model(model),
        lambda: aimscheck.diagram(model),
    ]
    for call in calls:
        with pytest.raises(TypeError) as raised:
            call()
        assert str(raised.value) == message
    [item] = aimscheck.evaluate_many([model], as_of=AS_OF)
    assert isinstance(item, TypeError) and str(item) == message


# ---- a str model that names a file ----

HELP = "a str model is JSON text, and this one names a file: pass `pathlib.Path(...)` to read a file"


def model_calls(model: Any) -> List[Tuple[str, Callable[[], Any]]]:
    """Every call that loads `model`, raising its error (evaluate_many's item raised)."""
    report = aimscheck.evaluate({"schema_version": "1.0"}, as_of=AS_OF)

    def many() -> None:
        [item] = aimscheck.evaluate_many([model], as_of=AS_OF)
        assert isinstance(item, Exception)
        raise item

    return [
        ("evaluate", lambda: aimscheck.evaluate(model, as_of=AS_OF)),
        ("Engine.evaluate", lambda: aimscheck.Engine().evaluate(model, as_of=AS_OF)),
        ("evaluate_many", many),
        ("diagram", lambda: aimscheck.diagram(model)),
        ("export", lambda: aimscheck.export(report, "sarif", model=model)),
    ]


@pytest.fixture
def model_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid model in `aims.json`, in the current folder."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "aims.json"
    path.write_text('{"schema_version": "1.0"}', encoding="utf-8")
    return path


@pytest.mark.parametrize("relative", [False, True], ids=["absolute", "relative"])
def test_a_str_naming_a_file_is_told_to_pass_a_path(model_file: Path, relative: bool) -> None:
    name = "aims.json" if relative else str(model_file)
    # Not read: the file holds a valid model, yet the str is still JSON text that is not JSON.
    message = f"the model is not JSON: expected value at line 1 column 1; {HELP}"
    for what, call in model_calls(name):
        with pytest.raises(aimscheck.ModelError) as raised:
            call()
        error = raised.value
        assert error.code == "AIMS-E-SYNTAX", what
        assert [(i["code"], i["message"], i["line"], i["column"]) for i in error.errors] == [
            ("AIMS-E-SYNTAX", message, 1, 1)
        ], what
        assert f": {message}" in str(error) and str(error).endswith("(line 1, column 1)"), what
    assert [(i["code"], i["message"]) for i in aimscheck.validate_model(name)] == [("AIMS-E-SYNTAX", message)]
    # The same file as a path is read.
    assert aimscheck.evaluate(Path(name), as_of=AS_OF)["model"]["schema_version"] == "1.0"


def test_a_file_name_that_starts_like_json_is_told_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "1.json").write_text('{"schema_version": "1.0"}', encoding="utf-8")
    with pytest.raises(aimscheck.ModelError) as raised:
        aimscheck.evaluate("1.json", as_of=AS_OF)
    [issue] = raised.value.errors
    assert issue["message"] == f"the model is not JSON: invalid number at line 1 column 3; {HELP}"


def test_no_help_unless_a_str_that_is_not_json_names_a_file(model_file: Path) -> None:
    tmp = model_file.parent
    (tmp / "aims.json\n").write_text("{}", encoding="utf-8")
    (tmp / "null").write_text('{"schema_version": "1.0"}', encoding="utf-8")
    cases: List[Any] = [
        "missing.json",  # no such file
        str(tmp),  # a folder
        "aims.json\n",  # a file, but a str on more than one line is no path here
        str(model_file).encode(),  # bytes are JSON bytes
        bytearray(str(model_file).encode()),
        "x" * 5000,  # longer than any path
    ]
    for model in cases:
        for what, call in model_calls(model):
            with pytest.raises(aimscheck.ModelError) as raised:
                call()
            assert raised.value.code == "AIMS-E-SYNTAX", (model, what)
            assert "pathlib" not in str(raised.value) and "pathlib" not in raised.value.errors[0]["message"], (model, what)
    # "null" names a file, but it is JSON: the model is refused by the schema, with no help.
    with pytest.raises(aimscheck.ModelError) as schema:
        aimscheck.evaluate("null", as_of=AS_OF)
    assert schema.value.code == "AIMS-E-SCHEMA" and "pathlib" not in str(schema.value)
