"""evaluate_arrow: models read from Arrow data (strings, binaries, a `model` column) and answered
with one record batch, each row holding what `evaluate` gives for that model (its report, as
the CLI's JSON text, with its verdict, counts and rule statuses) or the error `evaluate_many`
returns for it."""

import json
import pickle
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

import pyarrow as pa
import pytest

import aimscheck
from conftest import AS_OF, EXAMPLES, case_dirs, read_json

MODELS = sorted(EXAMPLES.glob("*.json"))
TEXTS = [p.read_text(encoding="utf-8") for p in MODELS]
STATUSES = ["pass", "fail", "insufficient_evidence", "not_applicable", "waived", "error"]
ANSWER_FIELDS = [
    pa.field("verdict", pa.utf8()),
    *[pa.field(s, pa.int64()) for s in STATUSES],
    pa.field("statuses", pa.map_(pa.utf8(), pa.utf8())),
    pa.field("error_code", pa.utf8()),
    pa.field("error_message", pa.utf8()),
    pa.field("report", pa.utf8()),
]
OVERLAY: aimscheck.Overlay = {"disable": ["AIMS-CI-02"], "severity": {"AIMS-DOC-04": "high"}}
ENGINE = aimscheck.Engine()


def expected_items(texts: List[Optional[str]], **options: Any) -> List[Union[aimscheck.Report, Exception]]:
    """What evaluate_many answers for each model, named as evaluate_arrow names its rows; a
    null model is left out of the call and answered with the error its row must hold."""
    given = [(i, t) for i, t in enumerate(texts) if t is not None]
    got = ENGINE.evaluate_many([t for _, t in given], names=[f"rows/{i}" for i, _ in given], **options)
    answers: List[Union[aimscheck.Report, Exception]] = [
        aimscheck.ModelError(
            f"the model is not valid: AIMS-E-EMPTY: the model is null in rows/{i}", "AIMS-E-EMPTY"
        )
        for i in range(len(texts))
    ]
    for (i, _), item in zip(given, got):
        answers[i] = item
    return answers


def check_rows(batch: Any, expected: List[Union[aimscheck.Report, Exception]]) -> None:
    """Each row of `batch` holds the report or the error of `expected` at its index."""
    assert isinstance(batch, pa.RecordBatch)
    assert batch.num_rows == len(expected)
    for i, (row, want) in enumerate(zip(batch.to_pylist(), expected)):
        if isinstance(want, dict):
            assert row["error_code"] is None and row["error_message"] is None, (i, row["error_message"])
            assert json.loads(row["report"]) == want, i
            assert row["verdict"] == want["verdict"]
            assert list(want["summary"]["by_status"]) == STATUSES
            assert {s: row[s] for s in STATUSES} == want["summary"]["by_status"]
            assert row["statuses"] == [(r["id"], r["status"]) for r in want["rules"]]
        else:
            assert isinstance(want, aimscheck.AimsCheckError), (i, want)
            assert (row["error_code"], row["error_message"]) == (want.code, str(want)), i
            assert row["verdict"] is None and row["report"] is None and row["statuses"] is None
            assert all(row[s] is None for s in STATUSES)


def answer_columns(batch: Any) -> Any:
    """`batch` without its `id` column."""
    return batch.select([f.name for f in ANSWER_FIELDS])


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_example_row_is_the_report_evaluate_gives(jobs: int) -> None:
    batch = ENGINE.evaluate_arrow(pa.array(TEXTS), as_of=AS_OF, jobs=jobs)
    expected = [ENGINE.evaluate(m, as_of=AS_OF) for m in MODELS]
    check_rows(batch, list(expected))
    # The module-level function takes the engine's options itself.
    batch = aimscheck.evaluate_arrow(pa.array(TEXTS), as_of=AS_OF, tier="scaleup", overlay=OVERLAY, jobs=jobs)
    expected = [aimscheck.evaluate(m, as_of=AS_OF, tier="scaleup", overlay=OVERLAY) for m in MODELS]
    check_rows(batch, list(expected))
    assert json.loads(batch.column("report")[0].as_py())["overlay"]["disable"] == ["AIMS-CI-02"]


def test_the_report_column_is_the_cli_json_byte_for_byte(cli: Path) -> None:
    batch = aimscheck.evaluate_arrow(pa.array(TEXTS), as_of=AS_OF)
    for path, text in zip(MODELS, batch.column("report").to_pylist()):
        done = subprocess.run(
            [str(cli), "check", str(path), "--format", "json", "--as-of", AS_OF],
            capture_output=True,
            check=False,
        )
        assert done.returncode in (0, 1), done.stderr
        assert text.encode("utf-8") == done.stdout, path.name


def case_groups() -> Dict[Tuple[str, Optional[str], str], List[Path]]:
    """The shared cases with a model file, by their options (as_of, tier, profile)."""
    groups: Dict[Tuple[str, Optional[str], str], List[Path]] = defaultdict(list)
    for case in case_dirs():
        o = read_json(case / "options.json")
        if (case / "model.json").is_file():
            groups[(o["as_of"], o.get("tier"), o.get("profile", "tier"))].append(case)
    return groups


def test_every_shared_case_as_evaluate_gives_it() -> None:
    groups = case_groups()
    assert sum(len(g) for g in groups.values()) > 100
    errors = 0
    for (as_of, tier, profile), cases in sorted(groups.items(), key=str):
        options: Dict[str, Any] = {"as_of": as_of, "tier": tier, "profile": profile}
        texts: List[Optional[str]] = [(c / "model.json").read_text(encoding="utf-8") for c in cases]
        batch = ENGINE.evaluate_arrow(pa.array(texts), **options)
        expected = expected_items(texts, **options)
        check_rows(batch, expected)
        for case, want in zip(cases, expected):
            if "error" not in read_json(case / "expected.json"):
                assert isinstance(want, dict), case.name
                assert want == ENGINE.evaluate(case / "model.json", **options)
        errors += sum(1 for w in expected if not isinstance(w, dict))
    assert errors > 0, "no case of a model that does not load"


@pytest.mark.parametrize(
    "kind",
    [pa.utf8(), pa.large_utf8(), pa.string_view(), pa.binary(), pa.large_binary(), pa.binary_view()],
    ids=str,
)
def test_every_string_and_binary_type_gives_the_same_batch(kind: Any) -> None:
    texts: List[Optional[str]] = [*TEXTS, None, "{"]
    as_bytes = [None if t is None else t.encode("utf-8") for t in texts]
    binary = kind in (pa.binary(), pa.large_binary(), pa.binary_view())
    array = pa.array(as_bytes if binary else texts, type=kind)
    assert array.type == kind
    batch = ENGINE.evaluate_arrow(array, as_of=AS_OF)
    assert batch.equals(ENGINE.evaluate_arrow(pa.array(texts), as_of=AS_OF))
    check_rows(batch, expected_items(texts, as_of=AS_OF))


def test_bytes_that_are_not_utf8_are_their_row_error() -> None:
    batch = ENGINE.evaluate_arrow(pa.array([TEXTS[0].encode(), b'{"schema_version": "\xff"}']), as_of=AS_OF)
    with pytest.raises(aimscheck.ModelError) as raised:
        ENGINE.evaluate(b'{"schema_version": "\xff"}', as_of=AS_OF)
    assert batch.column("error_code").to_pylist() == [None, raised.value.code]
    assert raised.value.code == "AIMS-E-SYNTAX"
    assert batch.column("error_message")[1].as_py().endswith("in rows/1 (line 1, column 21)")


def test_a_chunked_array_is_read_chunk_after_chunk() -> None:
    chunked = pa.chunked_array([TEXTS[:2], TEXTS[2:]])
    assert chunked.num_chunks == 2
    batch = ENGINE.evaluate_arrow(chunked, as_of=AS_OF)
    assert batch.equals(ENGINE.evaluate_arrow(pa.array(TEXTS), as_of=AS_OF))
    # A row is named by its index over the whole input, not within its chunk.
    batch = ENGINE.evaluate_arrow(pa.chunked_array([TEXTS[:1], ["{", None]]), as_of=AS_OF)
    assert batch.column("error_code").to_pylist() == [None, "AIMS-E-SYNTAX", "AIMS-E-EMPTY"]
    messages = batch.column("error_message").to_pylist()
    assert " in rows/1 " in messages[1]
    assert messages[2] == "the model is not valid: AIMS-E-EMPTY: the model is null in rows/2"


def test_a_record_batch_reader_is_read_to_its_end() -> None:
    schema = pa.schema([("model", pa.utf8()), ("id", pa.int64())])
    batches = [
        pa.record_batch([pa.array(TEXTS[:3]), pa.array([10, 11, 12])], schema=schema),
        pa.record_batch([pa.array(TEXTS[3:]), pa.array([13, 14])], schema=schema),
    ]
    reader = pa.RecordBatchReader.from_batches(schema, iter(batches))
    batch = ENGINE.evaluate_arrow(reader, as_of=AS_OF)
    assert batch.schema.field("id") == pa.field("id", pa.int64())
    assert batch.column("id").to_pylist() == [10, 11, 12, 13, 14]
    assert answer_columns(batch).equals(ENGINE.evaluate_arrow(pa.array(TEXTS), as_of=AS_OF))


@pytest.mark.parametrize(
    "ids",
    [pa.array([7, -1, 2**40, 0, 3], pa.int64()), pa.array(["a", "b", None, "é", ""])],
    ids=["int64", "string"],
)
def test_a_table_or_record_batch_carries_its_id_column(ids: Any) -> None:
    reference = ENGINE.evaluate_arrow(pa.array(TEXTS), as_of=AS_OF)
    table = pa.table({"other": pa.array(range(5)), "model": pa.array(TEXTS), "id": ids})
    two_chunks = pa.Table.from_batches([*table.slice(0, 2).to_batches(), *table.slice(2).to_batches()])
    assert two_chunks.column("model").num_chunks == 2
    for source in (table, table.to_batches()[0], two_chunks):
        batch = ENGINE.evaluate_arrow(source, as_of=AS_OF)
        assert batch.schema.names == ["id", *[f.name for f in ANSWER_FIELDS]]
        assert batch.schema.field("id").type == ids.type
        assert batch.column("id").equals(ids)
        assert answer_columns(batch).equals(reference)


def test_ids_are_carried_through_unchanged() -> None:
    reference = ENGINE.evaluate_arrow(pa.array(TEXTS), as_of=AS_OF)
    for ids in (
        pa.array([1.5, None, 3.0, 4.0, 5.0]),
        pa.array([{"tenant": "a", "n": 1}] * 5),
        pa.chunked_array([["x", "y"], ["z", "w", "v"]]),
        pa.array(["2026-01-01"] * 5, pa.utf8()).cast(pa.date32()),
    ):
        batch = ENGINE.evaluate_arrow(pa.array(TEXTS), ids=ids, as_of=AS_OF)
        assert batch.schema.field("id").type == ids.type
        expected = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
        assert batch.column("id").equals(expected)
        assert answer_columns(batch).equals(reference)


def test_a_polars_frame_and_series() -> None:
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"id": [1, 2, 3], "model": TEXTS[:3]})
    batch = ENGINE.evaluate_arrow(frame, as_of=AS_OF)
    assert batch.column("id").to_pylist() == [1, 2, 3]
    reference = ENGINE.evaluate_arrow(pa.array(TEXTS[:3]), as_of=AS_OF)
    assert answer_columns(batch).equals(reference)
    assert ENGINE.evaluate_arrow(frame["model"], as_of=AS_OF).equals(reference)
    # Polars reads the answer back.
    assert pl.from_arrow(batch)["verdict"].to_list() == reference.column("verdict").to_pylist()


def test_bad_rows_are_their_own_errors_and_spoil_no_other() -> None:
    texts: List[Optional[str]] = [TEXTS[0], '{"schema_version": ', '{"schema_version": 1}', None, TEXTS[1]]
    batch = ENGINE.evaluate_arrow(pa.array(texts), as_of=AS_OF)
    codes = batch.column("error_code").to_pylist()
    assert codes == [None, "AIMS-E-SYNTAX", "AIMS-E-SCHEMA", "AIMS-E-EMPTY", None]
    assert batch.column("verdict").null_count == 3 and batch.column("report").null_count == 3
    assert batch.column("statuses").null_count == 3 and batch.column("pass").null_count == 3
    check_rows(batch, expected_items(texts, as_of=AS_OF))
    assert batch.column("error_message")[3].as_py() == (
        "the model is not valid: AIMS-E-EMPTY: the model is null in rows/3"
    )
    # A null struct row has no model either, whatever its `model` field holds.
    rows = pa.StructArray.from_arrays(
        [pa.array(TEXTS[:3]), pa.array([1, 2, 3])],
        names=["model", "id"],
        mask=pa.array([False, True, False]),
    )
    batch = ENGINE.evaluate_arrow(rows, as_of=AS_OF)
    assert batch.column("error_code").to_pylist() == [None, "AIMS-E-EMPTY", None]
    assert batch.column("id").to_pylist() == [1, 2, 3]


def test_limits_and_options_apply_to_every_row() -> None:
    batch = ENGINE.evaluate_arrow(pa.array(TEXTS[:2]), as_of=AS_OF, limits={"max_bytes": 100})
    assert batch.column("error_code").to_pylist() == ["AIMS-E-LIMIT", "AIMS-E-LIMIT"]
    batch = ENGINE.evaluate_arrow(pa.array([TEXTS[3]]), as_of=AS_OF, max_findings_per_rule=0)
    report = json.loads(batch.column("report")[0].as_py())
    assert report == ENGINE.evaluate(TEXTS[3], as_of=AS_OF, max_findings_per_rule=0)
    assert all(r["findings"] == [] for r in report["rules"])


def test_an_invalid_option_is_raised() -> None:
    with pytest.raises(aimscheck.OptionsError):
        ENGINE.evaluate_arrow(pa.array(TEXTS), as_of="2026-02-30")
    with pytest.raises(aimscheck.OptionsError, match="jobs must be at least 1"):
        ENGINE.evaluate_arrow(pa.array(TEXTS), as_of=AS_OF, jobs=0)
    with pytest.raises(aimscheck.OptionsError, match="tier"):
        aimscheck.evaluate_arrow(pa.array(TEXTS), as_of=AS_OF, tier="galactic")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="jobs must be an int"):
        ENGINE.evaluate_arrow(pa.array(TEXTS), as_of=AS_OF, jobs="2")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("models", "message"),
    [
        (pa.array([1, 2]), "models holds values of type Int64: the models must be JSON text"),
        (["{}"], "models must be Arrow data, an object with __arrow_c_array__ or __arrow_c_stream__"),
        ('{"schema_version": "1.0"}', "not str"),
        (pa.table({"text": ["{}"]}), "without a `model` column (its columns: text)"),
        (pa.table({"model": [1]}), "the `model` column is of type Int64"),
        (pa.array(["{}"]).dictionary_encode(), "models holds values of type Dictionary(Int32, Utf8)"),
    ],
    ids=["int64", "list", "str", "no-model-column", "int-model-column", "dictionary"],
)
def test_data_of_another_shape_is_an_options_error(models: Any, message: str) -> None:
    with pytest.raises(aimscheck.OptionsError) as raised:
        ENGINE.evaluate_arrow(models, as_of=AS_OF)
    assert message in str(raised.value)
    assert raised.value.code == "AIMS-E-OPTIONS"
    assert isinstance(raised.value, ValueError)


def test_ids_of_another_length_or_beside_an_id_column_are_refused() -> None:
    with pytest.raises(aimscheck.OptionsError, match="ids has 4 values for 5 models"):
        ENGINE.evaluate_arrow(pa.array(TEXTS), ids=pa.array([1, 2, 3, 4]), as_of=AS_OF)
    with pytest.raises(aimscheck.OptionsError, match="ids must be Arrow data"):
        ENGINE.evaluate_arrow(pa.array(TEXTS), ids=[1, 2, 3, 4, 5], as_of=AS_OF)  # type: ignore[arg-type]
    table = pa.table({"model": TEXTS, "id": range(5)})
    with pytest.raises(aimscheck.OptionsError, match="give one or the other"):
        ENGINE.evaluate_arrow(table, ids=pa.array(range(5)), as_of=AS_OF)


def test_no_model_is_an_empty_batch_with_every_column() -> None:
    batch = ENGINE.evaluate_arrow(pa.array([], pa.utf8()), as_of=AS_OF)
    assert batch.num_rows == 0
    assert batch.schema == pa.schema(ANSWER_FIELDS)
    empty = pa.table({"model": pa.array([], pa.large_binary()), "id": pa.array([], pa.int16())})
    batch = aimscheck.evaluate_arrow(empty, as_of=AS_OF)
    assert batch.num_rows == 0
    assert batch.schema == pa.schema([pa.field("id", pa.int16()), *ANSWER_FIELDS])


def test_the_schema_is_the_documented_one() -> None:
    batch = ENGINE.evaluate_arrow(pa.array(TEXTS), ids=pa.array(range(5), pa.uint8()), as_of=AS_OF)
    assert batch.schema == pa.schema([pa.field("id", pa.uint8()), *ANSWER_FIELDS])
    assert batch.schema.names == [
        "id", "verdict", "pass", "fail", "insufficient_evidence", "not_applicable", "waived", "error",
        "statuses", "error_code", "error_message", "report",
    ]
    assert str(batch.schema.field("statuses").type) == "map<string, string>"
    # The count columns are the report's own summary.by_status, in its order.
    report = json.loads(batch.column("report")[0].as_py())
    assert list(report["summary"]["by_status"]) == batch.schema.names[2:8]


def test_a_pickled_engine_gives_the_same_batch() -> None:
    engine = aimscheck.Engine(overlay=OVERLAY)
    again = pickle.loads(pickle.dumps(engine))
    assert again is not engine
    first = engine.evaluate_arrow(pa.array(TEXTS), as_of=AS_OF)
    assert again.evaluate_arrow(pa.array(TEXTS), as_of=AS_OF).equals(first)
    assert not first.equals(ENGINE.evaluate_arrow(pa.array(TEXTS), as_of=AS_OF))


def test_the_reports_are_byte_identical_whatever_jobs_is() -> None:
    texts = [TEXTS[i % len(TEXTS)] for i in range(40)] + ["{", None]
    one = ENGINE.evaluate_arrow(pa.array(texts), as_of=AS_OF, jobs=1)
    two = ENGINE.evaluate_arrow(pa.array(texts), as_of=AS_OF, jobs=2)
    assert one.column("report").to_pylist() == two.column("report").to_pylist()
    assert one.equals(two)
    # The same model gives the same text in every row.
    reports = one.column("report").to_pylist()
    assert all(reports[i] == reports[i % len(TEXTS)] for i in range(40))


def test_without_pyarrow_the_answer_is_still_arrow_data(monkeypatch: pytest.MonkeyPatch) -> None:
    array = pa.array(TEXTS)
    expected = ENGINE.evaluate_arrow(array, as_of=AS_OF)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    plain = ENGINE.evaluate_arrow(array, as_of=AS_OF)
    monkeypatch.undo()
    assert not isinstance(plain, pa.RecordBatch)
    assert hasattr(plain, "__arrow_c_array__")
    assert pa.record_batch(plain).equals(expected)
