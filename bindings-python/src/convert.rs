//! Python arguments to Rust values: the model (a dict walked natively, JSON text or bytes, or a
//! path), the load limits, `as_of`, `tier`, `profile`, the evaluation limits, pack folders, the
//! overlay, and a report to export.

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

/// Deepest nesting a JSON text parser reads (serde_json's recursion limit): a dict nested
/// deeper is refused whatever `max_depth` says, as its text would be, and the walk that
/// converts it never recurses further.
const PARSER_MAX_DEPTH: usize = 128;

/// The model argument: a dict, a JSON `str`, `bytes` or `bytearray`, or an `os.PathLike`; a
/// dict is converted within `limits.max_depth`.
///
/// A `str` holding lone surrogates (what `bytes.decode(errors="surrogateescape")` makes of
/// bytes that are not UTF-8) has no UTF-8 form: it is encoded with `surrogatepass` and loaded
/// as those bytes, which are not UTF-8 from the first surrogate on. Loading refuses them with
/// the syntax error of bytes that are not UTF-8, located at that first surrogate (its line, and
/// its column in characters); the same error, at the same place, as the original bytes give.
pub fn model_input(obj: &Bound<'_, PyAny>, limits: &LoadLimits) -> PyResult<ModelInput> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(match s.to_cow() {
            Ok(text) => ModelInput::Text(text.into_owned()),
            Err(_) => {
                let raw = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
                ModelInput::Bytes(raw.cast::<PyBytes>()?.as_bytes().to_vec())
            }
        });
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(ModelInput::Bytes(b.as_bytes().to_vec()));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(ModelInput::Bytes(b.to_vec()));
    }
    if obj.cast::<PyDict>().is_ok() {
        return Ok(match to_value(obj, "model", limits.max_depth)? {
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
        return match to_value(obj, "overlay", LoadLimits::default().max_depth)? {
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
    match to_value(obj, "report", LoadLimits::default().max_depth)? {
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

/// An `OptionsError` (code `AIMS-E-OPTIONS`) with `message`.
fn options_error(py: Python<'_>, message: String) -> PyErr {
    errors::to_py(
        py,
        &Error::Options(Box::new(Issue::new(codes::OPTIONS, message, ""))),
    )
}

/// The keys `limits` takes, for error messages.
const LIMIT_KEYS: &str = "max_bytes, max_depth, max_issues and max_array_len";

/// The `limits` argument: `None` (the defaults) or a dict with any of `max_bytes`,
/// `max_depth`, `max_issues` and `max_array_len`, each a non-negative `int` (the others keep
/// their defaults). Anything but a dict is a `TypeError`; an unknown key, or a value that is
/// not a non-negative `int` (a `bool` is not one), is an `OptionsError`.
pub fn load_limits(obj: Option<&Bound<'_, PyAny>>) -> PyResult<LoadLimits> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(LoadLimits::default());
    };
    let py = obj.py();
    let Ok(dict) = obj.cast::<PyDict>() else {
        return Err(PyTypeError::new_err(format!(
            "limits must be a dict like {{\"max_depth\": 32}} or None, not {}",
            type_name(obj)
        )));
    };
    let mut map = Map::new();
    for (k, v) in dict.iter() {
        let Ok(key) = k.cast::<PyString>() else {
            return Err(options_error(
                py,
                format!(
                    "invalid limits: keys must be str ({LIMIT_KEYS}), found a key of type {}",
                    type_name(&k)
                ),
            ));
        };
        let Ok(key) = key.to_cow().map(|k| k.into_owned()) else {
            return Err(options_error(
                py,
                format!("invalid limits: a key holds a lone surrogate ({LIMIT_KEYS})"),
            ));
        };
        let value = if v.is_instance_of::<PyBool>() || !v.is_instance_of::<PyInt>() {
            None
        } else {
            v.extract::<u64>().ok()
        };
        // Checked one entry at a time, so the message names the entry: serde knows the keys.
        let entry = Value::Object(Map::from_iter([(
            key.clone(),
            value.map_or(Value::Null, Value::from),
        )]));
        if let Err(e) = serde_json::from_value::<LoadLimits>(entry) {
            let message = if value.is_none() && e.to_string().contains("invalid type") {
                format!(
                    "invalid limits: {key} must be a non-negative int, not {}",
                    describe(&v)
                )
            } else {
                format!("invalid limits: {e}")
            };
            return Err(options_error(py, message));
        }
        map.insert(key, value.map_or(Value::Null, Value::from));
    }
    serde_json::from_value::<LoadLimits>(Value::Object(map))
        .map_err(|e| options_error(py, format!("invalid limits: {e}")))
}

/// `obj` for an error message: its `repr` for a `bool`, a `float` or an `int` of at most 128
/// bits, its size for a larger `int`, its type otherwise.
fn describe(obj: &Bound<'_, PyAny>) -> String {
    let repr = || {
        obj.repr()
            .map(|r| r.to_string_lossy().into_owned())
            .unwrap_or_else(|_| type_name(obj))
    };
    if obj.is_instance_of::<PyBool>() || obj.is_instance_of::<PyFloat>() {
        return repr();
    }
    if obj.is_instance_of::<PyInt>() {
        return match obj
            .call_method0("bit_length")
            .and_then(|b| b.extract::<u64>())
        {
            Ok(bits) if bits > 128 => format!("an int of {bits} bits"),
            _ => repr(),
        };
    }
    format!("a {}", type_name(obj))
}

/// An optional evaluation limit (`max_findings_per_rule`, `max_steps_per_rule`): `None` or a
/// non-negative `int`. Another type (a `bool` too) is a `TypeError`; a negative `int`, or one
/// beyond 2⁶⁴ − 1, an `OptionsError`.
pub fn opt_count(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<u64>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if obj.is_instance_of::<PyBool>() || !obj.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be an int or None, not {}",
            type_name(obj)
        )));
    }
    obj.extract::<u64>().map(Some).map_err(|_| {
        let message = if obj.lt(0).unwrap_or(false) {
            format!("{what} must be a non-negative int, not {}", describe(obj))
        } else {
            format!("{what} must be at most 2**64 - 1, not {}", describe(obj))
        };
        options_error(obj.py(), message)
    })
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
/// A value JSON cannot hold is a `TypeError` naming its place (an `int` beyond the range of a
/// double too). Nesting deeper than `max_depth` stops the walk before it could exhaust the
/// stack and gives the library's own limit error (the one the same model as text gives); so
/// does nesting deeper than a text parser reads, whatever `max_depth` says.
pub fn to_value(
    obj: &Bound<'_, PyAny>,
    what: &str,
    max_depth: usize,
) -> PyResult<Result<Value, Error>> {
    let walk_depth = max_depth.min(PARSER_MAX_DEPTH);
    let mut pointer = String::new();
    match walk(obj, 1, walk_depth, what, &mut pointer) {
        Ok(v) => Ok(Ok(v)),
        Err(WalkError::Py(e)) => Err(e),
        Err(WalkError::TooDeep) => {
            let message = if walk_depth < max_depth {
                format!(
                    "the {what} nests deeper than {PARSER_MAX_DEPTH} levels, which a JSON parser \
                     refuses (the {what} limit is {max_depth})"
                )
            } else {
                format!("the {what} nests deeper than {max_depth} levels")
            };
            Ok(Err(Error::Limit(Box::new(Issue::new(
                codes::LIMIT,
                message,
                "",
            )))))
        }
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
        // Like a JSON parser, an integer beyond 64 bits becomes a float; one beyond the range of
        // a double is refused, as inf is.
        return match obj.extract::<f64>() {
            Ok(f) => Ok(float(f, what, pointer)?),
            Err(_) => Err(too_large(obj, what, pointer).into()),
        };
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(float(f.value(), what, pointer)?);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(text_of(s, what, pointer, "string")?));
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
            let key = text_of(key, what, pointer, "key in the object")?;
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

/// The text of a `str` of the walked object; one holding lone surrogates, which no JSON text
/// can, is a `TypeError` naming the place (`pointer`, and what the `str` is there).
fn text_of(s: &Bound<'_, PyString>, what: &str, pointer: &str, role: &str) -> PyResult<String> {
    match s.to_cow() {
        Ok(text) => Ok(text.into_owned()),
        Err(_) => Err(PyTypeError::new_err(format!(
            "{what}: a {role} at \"{pointer}\" holds a lone surrogate, which JSON cannot hold \
             (a str decoded with errors=\"surrogateescape\" from bytes that are not UTF-8?)"
        ))),
    }
}

/// The `TypeError` for an `int` beyond the range of a double, at `pointer`.
fn too_large(obj: &Bound<'_, PyAny>, what: &str, pointer: &str) -> PyErr {
    let kind = match obj.lt(0) {
        Ok(true) => "a negative int",
        _ => "an int",
    };
    let bits = obj
        .call_method0("bit_length")
        .and_then(|b| b.extract::<u64>())
        .map_or_else(|_| String::new(), |b| format!(" (of {b} bits)"));
    PyTypeError::new_err(format!(
        "{what}: the number at \"{pointer}\" is {kind}{bits} beyond the range of a double, \
         which JSON cannot hold"
    ))
}

fn float(f: f64, what: &str, pointer: &str) -> PyResult<Value> {
    Number::from_f64(f).map(Value::Number).ok_or_else(|| {
        PyTypeError::new_err(format!(
            "{what}: the number at \"{pointer}\" is {f}, which JSON cannot hold"
        ))
    })
}
