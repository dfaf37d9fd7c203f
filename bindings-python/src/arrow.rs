//! `evaluate_arrow`: the models of an Arrow array, chunked array, record batch, table or stream
//! (read through the Arrow C data interface, no Python object per value) evaluated as
//! `evaluate_many` evaluates them, and answered with one record batch of one row per model.
//!
//! The models are JSON text: the values of a string or binary array, or of the `model` column
//! of a struct array, record batch or table, whose `id` column (or the `ids` argument) is
//! carried through. A null model, or one that does not load, is its row's error; only an
//! invalid option or an input of another shape is raised.

use crate::convert::{self, given, type_name};
use crate::errors;
use crate::many;
use crate::run::RunArgs;
use aimscheck::api::{
    self, EvaluateManyRequest, ManyAnswer, ModelFields, ModelInput, NamedModel, PacksArg,
};
use aimscheck::error::{Issue, codes};
use aimscheck::report::{Report, Status};
use aimscheck::{Engine, Error};
use arrow_array::builder::{ArrayBuilder, Int64Builder, MapBuilder, MapFieldNames, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, RecordBatchOptions, new_empty_array};
use arrow_buffer::NullBuffer;
use arrow_schema::{ArrowError, DataType, Field, FieldRef, Fields, Schema};
use pyo3::exceptions::PyImportError;
use pyo3::prelude::*;
use pyo3_arrow::PyRecordBatch;
use pyo3_arrow::error::PyArrowError;
use pyo3_arrow::ffi::ArrayReader;
use pyo3_arrow::input::AnyArray;
use std::sync::Arc;

/// The rule statuses, in the order of the report's `summary.by_status`: one count column each.
const STATUSES: [Status; 6] = Status::ALL;

/// The arguments of an `evaluate_arrow` call, as Python gave them.
pub struct ArrowArgs<'a, 'py> {
    pub models: &'a Bound<'py, PyAny>,
    pub ids: Option<&'a Bound<'py, PyAny>>,
    pub run: RunArgs<'py>,
}

impl<'py> ArrowArgs<'_, 'py> {
    /// Evaluates the models on `engine` (or, without one, on the engine `packs` describe) with
    /// the GIL released, and returns the record batch of their answers: a `pyarrow.RecordBatch`
    /// when pyarrow can be imported, else pyo3-arrow's own record batch object.
    pub fn run(
        &self,
        py: Python<'py>,
        engine: Option<&Engine>,
        packs: PacksArg,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (req, _) = many::request(&self.run, packs)?;
        let input = Input::read(py, self.models)?;
        let id = match (given(self.ids), input.id) {
            (Some(_), Some(_)) => {
                return Err(convert::options_error(
                    py,
                    "ids was given and the input has an `id` column: give one or the other"
                        .to_owned(),
                ));
            }
            (Some(obj), None) => {
                let ids = read_column(obj, "ids")?;
                let (found, rows) = (ids.len(), input.models.len());
                if found != rows {
                    return Err(convert::options_error(
                        py,
                        format!("ids has {found} values for {rows} models: give one id per model"),
                    ));
                }
                Some(ids)
            }
            (None, id) => id,
        };
        let batch = crate::call(py, move || answer_batch(engine, req, &input.models, id))?;
        to_python(py, batch)
    }
}

/// Evaluates `models` with the options of `req` (called with the GIL released) and makes the
/// record batch of the answers, with `id` as its first column when given.
fn answer_batch(
    engine: Option<&Engine>,
    mut req: EvaluateManyRequest,
    models: &ModelColumn,
    id: Option<Column>,
) -> aimscheck::Result<RecordBatch> {
    // `None` for a model sent to the engine, its error for a null one.
    let mut refused: Vec<Option<Error>> = Vec::with_capacity(models.len());
    for (row, input) in models.inputs()?.into_iter().enumerate() {
        let name = format!("rows/{row}");
        match input {
            Some(input) => {
                req.models.push(NamedModel {
                    name: Some(name),
                    model: ModelFields::of(input),
                });
                refused.push(None);
            }
            None => {
                // The error names its row (`rows/<i>`) itself.
                let message = "the model is null".to_owned();
                let issue = Issue::new(codes::EMPTY, message, "");
                refused.push(Some(Error::Model(vec![issue]).in_file(&name)));
            }
        }
    }
    let answers = match engine {
        Some(engine) => api::evaluate_many_on(engine, req),
        None => api::evaluate_many(req),
    }?;
    let mut answers = answers.into_iter();
    let mut columns = Columns::with_capacity(refused.len());
    let built = refused.into_iter().try_for_each(|slot| match slot {
        Some(e) => columns.push_error(&e),
        None => columns.push_answer(answers.next()),
    });
    built
        .and_then(|()| columns.finish(id))
        .map_err(|e| internal(&format!("the record batch of the answers: {e}")))
}

/// An `AIMS-E-INTERNAL` error about `what`.
fn internal(what: &str) -> Error {
    Error::Internal(Box::new(Issue::new(
        codes::INTERNAL,
        format!("internal error in aimscheck (please report it): {what}"),
        "",
    )))
}

/// Whether the values of `dt` can be models: JSON text, as strings or as bytes.
fn is_text(dt: &DataType) -> bool {
    matches!(
        dt,
        DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Binary
            | DataType::LargeBinary
            | DataType::BinaryView
    )
}

/// The Arrow types whose values can be models, for error messages.
const ACCEPTED: &str =
    "a string type (Utf8, LargeUtf8, Utf8View) or a binary type (Binary, LargeBinary, BinaryView)";

/// The models of a chunk of text type (see [`is_text`]), `None` for a null value; `None` for a
/// chunk of another type.
fn chunk_inputs(chunk: &dyn Array) -> Option<Vec<Option<ModelInput>>> {
    let text = |s: Option<&str>| s.map(|s| ModelInput::Text(s.to_owned()));
    let bytes = |b: Option<&[u8]>| b.map(|b| ModelInput::Bytes(b.to_vec()));
    Some(match chunk.data_type() {
        DataType::Utf8 => chunk.as_string_opt::<i32>()?.iter().map(text).collect(),
        DataType::LargeUtf8 => chunk.as_string_opt::<i64>()?.iter().map(text).collect(),
        DataType::Utf8View => chunk.as_string_view_opt()?.iter().map(text).collect(),
        DataType::Binary => chunk.as_binary_opt::<i32>()?.iter().map(bytes).collect(),
        DataType::LargeBinary => chunk.as_binary_opt::<i64>()?.iter().map(bytes).collect(),
        DataType::BinaryView => chunk.as_binary_view_opt()?.iter().map(bytes).collect(),
        _ => return None,
    })
}

/// What `evaluate_arrow` was given: the models and, from a struct input, its `id` column.
struct Input {
    models: ModelColumn,
    id: Option<Column>,
}

impl Input {
    /// Reads `obj` through the Arrow C data interface: an array (or stream of arrays) of text
    /// type, or of structs with a `model` column of text type and maybe an `id` column. Any
    /// other type is an `OptionsError`.
    fn read(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Input> {
        let column = read_column(obj, "models")?;
        let dt = column.field.data_type();
        if is_text(dt) {
            let chunks = column.chunks.into_iter().map(|c| (c, None)).collect();
            return Ok(Input {
                models: ModelColumn { chunks },
                id: None,
            });
        }
        let DataType::Struct(fields) = dt else {
            return Err(convert::options_error(
                py,
                format!(
                    "models holds values of type {dt}: the models must be JSON text, an array of \
                     {ACCEPTED}, or a struct array, record batch or table with a `model` column \
                     of such a type"
                ),
            ));
        };
        let at = model_field(py, fields)?;
        let id = fields.find("id").map(|(i, f)| (i, Arc::clone(f)));
        let mut models = Vec::with_capacity(column.chunks.len());
        let mut ids = Vec::with_capacity(column.chunks.len());
        for chunk in &column.chunks {
            let Some(rows) = chunk.as_struct_opt() else {
                return Err(errors::to_py(
                    py,
                    &internal("a chunk is not of its stream's type"),
                ));
            };
            let child = |i: usize| {
                rows.columns()
                    .get(i)
                    .cloned()
                    .ok_or_else(|| errors::to_py(py, &internal("a struct chunk lacks a column")))
            };
            models.push((child(at)?, rows.nulls().cloned()));
            if let Some((i, _)) = &id {
                ids.push(child(*i)?);
            }
        }
        Ok(Input {
            models: ModelColumn { chunks: models },
            id: id.map(|(_, field)| Column { field, chunks: ids }),
        })
    }
}

/// The position of the `model` field of a struct input; an `OptionsError` when there is none
/// or it is not of text type.
fn model_field(py: Python<'_>, fields: &Fields) -> PyResult<usize> {
    let Some((at, field)) = fields.find("model") else {
        let names: Vec<&str> = fields.iter().map(|f| f.name().as_str()).collect();
        return Err(convert::options_error(
            py,
            format!(
                "models is a struct array, record batch or table without a `model` column \
                 (its columns: {}): put each model's JSON text in a column named `model`",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            ),
        ));
    };
    let dt = field.data_type();
    if !is_text(dt) {
        return Err(convert::options_error(
            py,
            format!("the `model` column is of type {dt}: it must hold JSON text, as {ACCEPTED}"),
        ));
    }
    Ok(at)
}

/// The field and chunks of `obj`, an object with `__arrow_c_array__` or `__arrow_c_stream__`;
/// `what` names the argument in errors. Anything else is an `OptionsError`.
fn read_column(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Column> {
    let py = obj.py();
    if !(obj.hasattr("__arrow_c_array__")? || obj.hasattr("__arrow_c_stream__")?) {
        return Err(convert::options_error(
            py,
            format!(
                "{what} must be Arrow data, an object with __arrow_c_array__ or \
                 __arrow_c_stream__ (a pyarrow Array, ChunkedArray, RecordBatch, Table or \
                 RecordBatchReader, a polars Series or DataFrame, ...), not {}",
                type_name(obj)
            ),
        ));
    }
    let reader = obj.extract::<AnyArray>()?.into_reader()?;
    let field = reader.field();
    let chunks = reader
        .collect::<Result<Vec<_>, ArrowError>>()
        .map_err(|e| PyErr::from(PyArrowError::from(e)))?;
    Ok(Column { field, chunks })
}

/// A column of the input: its field and its chunks.
struct Column {
    field: FieldRef,
    chunks: Vec<ArrayRef>,
}

impl Column {
    /// Its number of values.
    fn len(&self) -> usize {
        self.chunks.iter().map(|c| c.len()).sum()
    }

    /// The column as one array, its field named `name`: its chunks concatenated.
    fn into_array(self, name: &str) -> Result<(Field, ArrayRef), ArrowError> {
        let field = Field::clone(&self.field).with_name(name);
        let array = match self.chunks.as_slice() {
            [] => new_empty_array(field.data_type()),
            [one] => Arc::clone(one),
            many => {
                let parts: Vec<&dyn Array> = many.iter().map(|c| c.as_ref()).collect();
                arrow_select::concat::concat(&parts)?
            }
        };
        Ok((field, array))
    }
}

/// The model values of the input: chunks of text type, each with the nulls of the struct rows
/// it comes from (a null struct row has no model).
struct ModelColumn {
    chunks: Vec<(ArrayRef, Option<NullBuffer>)>,
}

impl ModelColumn {
    /// The number of models.
    fn len(&self) -> usize {
        self.chunks.iter().map(|(c, _)| c.len()).sum()
    }

    /// Every row's model, `None` for a null one.
    fn inputs(&self) -> aimscheck::Result<Vec<Option<ModelInput>>> {
        let mut all = Vec::with_capacity(self.len());
        for (chunk, parent) in &self.chunks {
            let inputs = chunk_inputs(chunk.as_ref())
                .ok_or_else(|| internal("a chunk of models is not of text type"))?;
            all.extend(inputs.into_iter().enumerate().map(|(i, input)| {
                input.filter(|_| parent.as_ref().is_none_or(|nulls| nulls.is_valid(i)))
            }));
        }
        Ok(all)
    }
}

/// The builders of the answer columns.
struct Columns {
    verdict: StringBuilder,
    /// One per status of [`STATUSES`], in that order.
    counts: Vec<Int64Builder>,
    statuses: MapBuilder<StringBuilder, StringBuilder>,
    error_code: StringBuilder,
    error_message: StringBuilder,
    report: StringBuilder,
}

impl Columns {
    fn with_capacity(rows: usize) -> Self {
        let names = MapFieldNames {
            entry: "entries".to_owned(),
            key: "key".to_owned(),
            value: "value".to_owned(),
        };
        Columns {
            verdict: StringBuilder::with_capacity(rows, rows.saturating_mul(16)),
            counts: STATUSES
                .iter()
                .map(|_| Int64Builder::with_capacity(rows))
                .collect(),
            statuses: MapBuilder::new(Some(names), StringBuilder::new(), StringBuilder::new()),
            error_code: StringBuilder::new(),
            error_message: StringBuilder::new(),
            report: StringBuilder::new(),
        }
    }

    /// Adds the row of one model's answer.
    fn push_answer(&mut self, answer: Option<ManyAnswer>) -> Result<(), ArrowError> {
        match answer {
            Some(ManyAnswer {
                report: Some(report),
                ..
            }) => self.push_report(&report),
            Some(ManyAnswer {
                failure: Some(e), ..
            }) => self.push_error(&e),
            _ => self.push_error(&many::missing()),
        }
    }

    /// Adds the row of a model with `report`.
    fn push_report(&mut self, report: &Report) -> Result<(), ArrowError> {
        self.verdict.append_value(report.verdict.as_str());
        for (status, counts) in STATUSES.iter().zip(&mut self.counts) {
            let n = report.summary.by_status.get(*status);
            // Signed 64-bit, the integer every engine reads (Spark has no unsigned type).
            counts.append_value(i64::try_from(n).unwrap_or(i64::MAX));
        }
        for rule in &report.rules {
            self.statuses.keys().append_value(&rule.id);
            self.statuses.values().append_value(rule.status.as_str());
        }
        self.statuses.append(true)?;
        self.error_code.append_null();
        self.error_message.append_null();
        self.report.append_value(report.to_json_pretty());
        Ok(())
    }

    /// Adds the row of a model that has error `e` instead of a report.
    fn push_error(&mut self, e: &Error) -> Result<(), ArrowError> {
        self.verdict.append_null();
        for counts in &mut self.counts {
            counts.append_null();
        }
        self.statuses.append(false)?;
        self.error_code.append_value(e.code());
        // What `str()` of the exception `evaluate_many` returns for this model gives.
        self.error_message.append_value(e.to_string());
        self.report.append_null();
        Ok(())
    }

    /// The record batch: `id` (when given), then the answer columns.
    fn finish(mut self, id: Option<Column>) -> Result<RecordBatch, ArrowError> {
        let rows = self.verdict.len();
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        if let Some(id) = id {
            let (field, array) = id.into_array("id")?;
            fields.push(field);
            arrays.push(array);
        }
        let mut add = |name: &str, array: ArrayRef| {
            fields.push(Field::new(name, array.data_type().clone(), true));
            arrays.push(array);
        };
        add("verdict", Arc::new(self.verdict.finish()));
        for (status, counts) in STATUSES.iter().zip(&mut self.counts) {
            add(status.as_str(), Arc::new(counts.finish()));
        }
        add("statuses", Arc::new(self.statuses.finish()));
        add("error_code", Arc::new(self.error_code.finish()));
        add("error_message", Arc::new(self.error_message.finish()));
        add("report", Arc::new(self.report.finish()));
        let options = RecordBatchOptions::new().with_row_count(Some(rows));
        RecordBatch::try_new_with_options(Arc::new(Schema::new(fields)), arrays, &options)
    }
}

/// `batch` to Python: a `pyarrow.RecordBatch` when pyarrow can be imported, else pyo3-arrow's
/// record batch object (which has `__arrow_c_array__`, so any Arrow library reads it).
fn to_python(py: Python<'_>, batch: RecordBatch) -> PyResult<Bound<'_, PyAny>> {
    let batch = PyRecordBatch::new(batch);
    match py.import("pyarrow") {
        Ok(_) => batch.into_pyarrow(py),
        Err(e) if e.is_instance_of::<PyImportError>(py) => Ok(Bound::new(py, batch)?.into_any()),
        Err(e) => Err(e),
    }
}
