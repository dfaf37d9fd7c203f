//! Python arguments to Rust values: the model (a dict walked natively, JSON text or bytes, or a
//! path), `as_of`, `tier`, `profile`, pack folders, the overlay, and a report to export.

use crate::errors;
use aimscheck::error::{Issue, codes};
use aimscheck::{Error, LoadLimits};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple,
};
use serde_json::{Map, Number, Value};
use std::path::PathBuf;

/// A model as received from Python, before it is loaded (loading runs without the GIL).
pub enum ModelInput {
    /// A dict already converted to JSON.
    Value(Value),
    /// A dict the library rejects before loading (nested too deeply).
    Rejected(Error),
    /// JSON text.
    Text(String),
    /// JSON bytes (UTF-8).
    Bytes(Vec<u8>),
    /// A path to a JSON file.
    File(PathBuf),
}

/// The name of `obj`'s type, for error messages.
pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .qualname()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "object".to_owned())
}

/// The model argument: a dict, a JSON `str`, `bytes` or `bytearray`, or an `os.PathLike`.
pub fn model_input(obj: &Bound<'_, PyAny>) -> PyResult<ModelInput> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(ModelInput::Text(s.to_cow()?.into_owned()));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(ModelInput::Bytes(b.as_bytes().to_vec()));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(ModelInput::Bytes(b.to_vec()));
    }
    if obj.cast::<PyDict>().is_ok() {
        return Ok(match to_value(obj, "model")? {
            Ok(v) => ModelInput::Value(v),
            Err(e) => ModelInput::Rejected(e),
        });
    }
    if is_path_like(obj)? {
        return Ok(ModelInput::File(fspath(obj)?));
    }
    Err(PyTypeError::new_err(format!(
        "model must be a dict, a JSON str or bytes, or an os.PathLike to a JSON file, not {}",
        type_name(obj)
    )))
}

/// Whether `obj` implements `os.PathLike` (has `__fspath__`).
fn is_path_like(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    obj.get_type().hasattr("__fspath__")
}

/// `obj` (`str`, `bytes` or `os.PathLike`) as a path, byte for byte as Python means it.
#[cfg(unix)]
fn fspath(obj: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let raw = obj.py().import("os")?.getattr("fsencode")?.call1((obj,))?;
    Ok(PathBuf::from(std::ffi::OsStr::from_bytes(
        raw.cast::<PyBytes>()?.as_bytes(),
    )))
}

/// `obj` (`str`, `bytes` or `os.PathLike`) as a path.
#[cfg(not(unix))]
fn fspath(obj: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    let path = obj.py().import("os")?.getattr("fsdecode")?.call1((obj,))?;
    Ok(PathBuf::from(
        path.cast::<PyString>()?.to_cow()?.into_owned(),
    ))
}

/// A path argument (`str`, `bytes` or `os.PathLike`); `what` names the argument in errors.
pub fn path_arg(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<PathBuf> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() || is_path_like(obj)? {
        return fspath(obj);
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be a str or os.PathLike path, not {}",
        type_name(obj)
    )))
}

/// The `rules` argument: `None`, one folder, or a list or tuple of folders.
pub fn pack_dirs(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PathBuf>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        return obj
            .try_iter()?
            .map(|item| path_arg(&item?, "each entry of rules"))
            .collect();
    }
    path_arg(obj, "rules").map(|p| vec![p])
}

/// The `overlay` argument before it is parsed: a JSON value or a file to read.
pub enum OverlayInput {
    /// A dict, converted.
    Value(Value),
    /// A JSON file.
    File(PathBuf),
}

/// The `overlay` argument: `None`, a dict, or a path to a JSON file.
pub fn overlay_input(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<OverlayInput>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if obj.cast::<PyDict>().is_ok() {
        return match to_value(obj, "overlay")? {
            Ok(v) => Ok(Some(OverlayInput::Value(v))),
            Err(e) => Err(errors::to_py(obj.py(), &e)),
        };
    }
    if obj.is_instance_of::<PyString>() || is_path_like(obj)? {
        return Ok(Some(OverlayInput::File(fspath(obj)?)));
    }
    Err(PyTypeError::new_err(format!(
        "overlay must be a dict like {{\"disable\": [...], \"severity\": {{...}}}} or a path to a JSON file, not {}",
        type_name(obj)
    )))
}

/// The `report` argument: the dict `evaluate` returned, converted to JSON (it is parsed as a
/// report later, without the GIL). Anything but a dict is a `TypeError`; a dict nested deeper
/// than any report is not one (`AIMS-E-REPORT`).
pub fn report_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.cast::<PyDict>().is_err() {
        return Err(PyTypeError::new_err(format!(
            "report must be the dict aimscheck.evaluate returned, not {}",
            type_name(obj)
        )));
    }
    match to_value(obj, "report")? {
        Ok(v) => Ok(v),
        Err(e) => Err(errors::not_a_report(obj.py(), &e.to_string())),
    }
}

/// An optional `report` argument.
pub fn opt_report_value(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Value>> {
    obj.filter(|o| !o.is_none()).map(report_value).transpose()
}

/// `as_of`: a `datetime.date` (not a `datetime.datetime`) or a `YYYY-MM-DD` string.
pub fn as_of(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    let datetime = obj.py().import("datetime")?;
    if obj.is_instance(&datetime.getattr("datetime")?)? {
        return Err(PyTypeError::new_err(
            "as_of must be a datetime.date or a 'YYYY-MM-DD' string, not a datetime.datetime \
             (pass its .date() to say which day is meant)",
        ));
    }
    if obj.is_instance(&datetime.getattr("date")?)? {
        let text = obj.call_method0("isoformat")?;
        return Ok(text.cast::<PyString>()?.to_cow()?.into_owned());
    }
    Err(PyTypeError::new_err(format!(
        "as_of must be a datetime.date or a 'YYYY-MM-DD' string, not {}",
        type_name(obj)
    )))
}

/// An optional string option (`tier`, `profile`).
pub fn opt_str(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<String>> {
    match obj.filter(|o| !o.is_none()) {
        None => Ok(None),
        Some(o) => match o.cast::<PyString>() {
            Ok(s) => Ok(Some(s.to_cow()?.into_owned())),
            Err(_) => Err(PyTypeError::new_err(format!(
                "{what} must be a str or None, not {}",
                type_name(o)
            ))),
        },
    }
}

/// Why a walk stopped.
enum WalkError {
    /// A Python error (a value JSON cannot hold, or one raised while reading the object).
    Py(PyErr),
    /// Nesting deeper than the model limit.
    TooDeep,
}

impl From<PyErr> for WalkError {
    fn from(e: PyErr) -> Self {
        WalkError::Py(e)
    }
}

/// Converts a Python object made of dicts (str keys), lists, tuples, str, int, float, bool and
/// None to JSON, natively; `what` (`model`, `overlay`, `report`) names the argument in errors.
/// A value JSON cannot hold is a `TypeError` naming its place. Nesting deeper than the model
/// limit stops the walk before it could exhaust the stack and gives the library's own limit
/// error (the one the same model as text gives).
pub fn to_value(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Result<Value, Error>> {
    let max_depth = LoadLimits::default().max_depth;
    let mut pointer = String::new();
    match walk(obj, 1, max_depth, what, &mut pointer) {
        Ok(v) => Ok(Ok(v)),
        Err(WalkError::Py(e)) => Err(e),
        Err(WalkError::TooDeep) => Ok(Err(Error::Limit(Box::new(Issue::new(
            codes::LIMIT,
            format!("the {what} nests deeper than {max_depth} levels"),
            "",
        ))))),
    }
}

fn walk(
    obj: &Bound<'_, PyAny>,
    level: usize,
    max_depth: usize,
    what: &str,
    pointer: &mut String,
) -> Result<Value, WalkError> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        // Like a JSON parser, an integer beyond 64 bits becomes a float.
        return Ok(float(obj.extract::<f64>()?, what, pointer)?);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(float(f.value(), what, pointer)?);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    let dict = obj.cast::<PyDict>().ok();
    let is_seq = obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>();
    if (dict.is_some() || is_seq) && level > max_depth {
        return Err(WalkError::TooDeep);
    }
    if let Some(d) = dict {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(PyTypeError::new_err(format!(
                    "{what}: keys must be str, found a {} key in the object at \"{pointer}\"",
                    type_name(&k)
                ))
                .into());
            };
            let key = key.to_cow()?.into_owned();
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            let value = walk(&v, level + 1, max_depth, what, pointer)?;
            pointer.truncate(len);
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if is_seq {
        let mut items = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&i.to_string());
            items.push(walk(&item?, level + 1, max_depth, what, pointer)?);
            pointer.truncate(len);
        }
        return Ok(Value::Array(items));
    }
    Err(PyTypeError::new_err(format!(
        "{what}: the value at \"{pointer}\" is a {}, which JSON cannot hold \
         (use dict, list, str, int, float, bool or None; dates as 'YYYY-MM-DD' strings)",
        type_name(obj)
    ))
    .into())
}

fn float(f: f64, what: &str, pointer: &str) -> PyResult<Value> {
    Number::from_f64(f).map(Value::Number).ok_or_else(|| {
        PyTypeError::new_err(format!(
            "{what}: the number at \"{pointer}\" is {f}, which JSON cannot hold"
        ))
    })
}
