//! Python arguments to the requests of `aimscheck::api`: the model (a dict walked natively,
//! JSON text or bytes, or a path), the load limits, `as_of`, `tier`, `profile`, the evaluation
//! limits, pack folders, the overlay, a format and a report.

use crate::errors;
use crate::run::RunArgs;
use aimscheck::api::{EvaluateRequest, Limits, ModelFields, ModelInput, PacksArg};
use aimscheck::error::{Issue, codes};
use aimscheck::{Error, LoadLimits};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType,
};
use serde_json::{Map, Number, Value};
use std::path::{Path, PathBuf};

/// The name of `obj`'s type, for error messages.
pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .qualname()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "object".to_owned())
}

/// `obj` unless it is absent or `None`.
pub fn given<'a, 'py>(obj: Option<&'a Bound<'py, PyAny>>) -> Option<&'a Bound<'py, PyAny>> {
    obj.filter(|o| !o.is_none())
}

/// Deepest nesting a JSON text parser reads (serde_json's recursion limit): a dict nested
/// deeper is refused whatever `max_depth` says, as its text would be, and the walk that
/// converts it never recurses further.
const PARSER_MAX_DEPTH: usize = 128;

/// The model argument: a dict, a JSON `str`, `bytes` or `bytearray`, or an `os.PathLike`. A
/// dict is converted within `limits.max_depth`: one nested deeper is the library's limit error
/// (the inner `Err`, which `validate_model` lists and the others raise).
///
/// A `str` holding lone surrogates (what `bytes.decode(errors="surrogateescape")` makes of
/// bytes that are not UTF-8) has no UTF-8 form: it is encoded with `surrogatepass` and loaded
/// as those bytes, which the loader refuses as bytes that are not UTF-8, located at the first
/// surrogate: the error, at the same place, that the original bytes give.
pub fn model_input(
    obj: &Bound<'_, PyAny>,
    limits: &LoadLimits,
) -> PyResult<Result<ModelInput, Error>> {
    let input = if let Ok(s) = obj.cast::<PyString>() {
        match s.to_cow() {
            Ok(text) => ModelInput::Text(text.into_owned()),
            Err(_) => {
                let raw = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
                ModelInput::Bytes(raw.cast::<PyBytes>()?.as_bytes().to_vec())
            }
        }
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        ModelInput::Bytes(b.as_bytes().to_vec())
    } else if let Ok(b) = obj.cast::<PyByteArray>() {
        ModelInput::Bytes(b.to_vec())
    } else if obj.cast::<PyDict>().is_ok() {
        return Ok(to_value(obj, "model", limits.max_depth)?.map(ModelInput::Value));
    } else if is_path_like(obj)? {
        ModelInput::Path(fspath(obj)?)
    } else {
        return Err(PyTypeError::new_err(format!(
            "model must be a dict, a JSON str or bytes, or an os.PathLike to a JSON file, not {}",
            type_name(obj)
        )));
    };
    Ok(Ok(input))
}

/// [`model_input`] as a request's model fields; a dict nested too deeply is raised.
pub fn model_fields(obj: &Bound<'_, PyAny>, limits: &LoadLimits) -> PyResult<ModelFields> {
    match model_input(obj, limits)? {
        Ok(input) => Ok(ModelFields::of(input)),
        Err(e) => Err(errors::to_py(obj.py(), &e)),
    }
}

/// The help a `str` model that is not JSON but names an existing file gets.
const PATH_HELP: &str = "a str model is JSON text, and this one names a file: pass \
                         `pathlib.Path(...)` to read a file";

/// Longest `str` looked up as a file for [`PATH_HELP`] (Linux's `PATH_MAX`): a longer one is
/// no path.
const MAX_PATH_LEN: usize = 4096;

/// `e`, the error of loading `model`, with [`PATH_HELP`] when `model` is a `str` that is not
/// JSON but names an existing file (see [`path_hint_issues`]).
pub fn path_hint(model: &Bound<'_, PyAny>, e: Error) -> Error {
    match e {
        Error::Model(mut issues) => {
            path_hint_issues(model, &mut issues);
            Error::Model(issues)
        }
        other => other,
    }
}

/// Adds [`PATH_HELP`] to the message of the syntax error (`AIMS-E-SYNTAX`, the first issue)
/// among `issues`, the issues of loading `model`, when `model` is a `str` that names an
/// existing file: short, on one line, and a file for `Path::is_file`, which looks the path up
/// without reading the file. Only a model that failed as JSON is looked up.
pub fn path_hint_issues(model: &Bound<'_, PyAny>, issues: &mut [Issue]) {
    let Some(issue) = issues.first_mut() else {
        return;
    };
    if issue.code == codes::SYNTAX && names_file(model) {
        issue.message.push_str("; ");
        issue.message.push_str(PATH_HELP);
    }
}

/// Whether `model` is a `str` naming an existing file (see [`path_hint_issues`]).
fn names_file(model: &Bound<'_, PyAny>) -> bool {
    let Ok(s) = model.cast::<PyString>() else {
        return false;
    };
    let Ok(text) = s.to_cow() else {
        return false;
    };
    !text.is_empty()
        && text.len() <= MAX_PATH_LEN
        && !text.contains(['\n', '\r', '\0'])
        && Path::new(text.as_ref()).is_file()
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
fn path_arg(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<PathBuf> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() || is_path_like(obj)? {
        return fspath(obj);
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be a str or os.PathLike path, not {}",
        type_name(obj)
    )))
}

/// The packs a request names: the default pack (unless `default_rules` is `False`), plus the
/// `rules` argument (`None`, one folder, or a list or tuple of folders), with the `overlay`
/// argument (`None`, a dict, or a path to a JSON file).
pub fn packs(
    rules: Option<&Bound<'_, PyAny>>,
    default_rules: Option<&Bound<'_, PyAny>>,
    overlay: Option<&Bound<'_, PyAny>>,
) -> PyResult<PacksArg> {
    let mut packs = PacksArg {
        default_rules: opt_bool(default_rules, "default_rules")?.unwrap_or(true),
        ..PacksArg::default()
    };
    if let Some(obj) = given(rules) {
        packs.rules = if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
            obj.try_iter()?
                .map(|item| path_arg(&item?, "each entry of rules"))
                .collect::<PyResult<_>>()?
        } else {
            vec![path_arg(obj, "rules")?]
        };
    }
    let Some(obj) = given(overlay) else {
        return Ok(packs);
    };
    if obj.cast::<PyDict>().is_ok() {
        let value = to_value(obj, "overlay", LoadLimits::default().max_depth)?;
        packs.overlay = Some(value.map_err(|e| errors::to_py(obj.py(), &e))?);
    } else if obj.is_instance_of::<PyString>() || is_path_like(obj)? {
        packs.overlay_path = Some(fspath(obj)?);
    } else {
        return Err(PyTypeError::new_err(format!(
            "overlay must be a dict like {{\"disable\": [...], \"severity\": {{...}}}} or a path \
             to a JSON file, not {}",
            type_name(obj)
        )));
    }
    Ok(packs)
}

/// The `report` argument: the dict `evaluate` returned, as JSON (read as a report by the
/// call). Anything but a dict is a `TypeError`; a dict nested deeper than any report is not
/// one (`AIMS-E-REPORT`).
pub fn report_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.cast::<PyDict>().is_err() {
        return Err(PyTypeError::new_err(format!(
            "report must be the dict aimscheck.evaluate returned, not {}",
            type_name(obj)
        )));
    }
    match to_value(obj, "report", LoadLimits::default().max_depth)? {
        Ok(v) => Ok(v),
        Err(e) => {
            let why = e.issues().first().map_or("", |i| i.message.as_str());
            let issue = Issue::new(codes::REPORT, format!("not a report: {why}"), "");
            Err(errors::to_py(obj.py(), &Error::Report(Box::new(issue))))
        }
    }
}

/// A report argument (`what` names it in errors) as a request takes it: a dict (the one
/// `evaluate` returned) as a JSON value (see [`report_value`]), or its JSON text as a `str`,
/// `bytes` or `bytearray` (`aimscheck check --format json`'s output, errors located in it).
/// Bytes that are not UTF-8 are refused as the core's report reader refuses them
/// (`AIMS-E-REPORT`).
pub fn report_source(
    obj: &Bound<'_, PyAny>,
    what: &str,
) -> PyResult<(Option<Value>, Option<String>)> {
    let bytes = if let Ok(s) = obj.cast::<PyString>() {
        match s.to_cow() {
            Ok(text) => return Ok((None, Some(text.into_owned()))),
            Err(_) => s
                .call_method1("encode", ("utf-8", "surrogatepass"))?
                .cast::<PyBytes>()?
                .as_bytes()
                .to_vec(),
        }
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else if let Ok(b) = obj.cast::<PyByteArray>() {
        b.to_vec()
    } else if obj.cast::<PyDict>().is_ok() {
        return Ok((Some(report_value(obj)?), None));
    } else {
        return Err(PyTypeError::new_err(format!(
            "{what} must be the dict aimscheck.evaluate returned, or its JSON text as a str or \
             bytes, not {}",
            type_name(obj)
        )));
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok((None, Some(text))),
        Err(e) => {
            let refused =
                aimscheck::api::read_report(aimscheck::api::ReportInput::Bytes(e.into_bytes()));
            Err(match refused {
                Err(err) => errors::to_py(obj.py(), &err),
                Ok(_) => PyTypeError::new_err(format!("{what} is not UTF-8 text")),
            })
        }
    }
}

/// A `format` argument, which must be a `str` (the call checks its value); `choices` names
/// the formats.
pub fn format(obj: &Bound<'_, PyAny>, choices: &str) -> PyResult<String> {
    match obj.cast::<PyString>() {
        Ok(s) => Ok(s.to_cow()?.into_owned()),
        Err(_) => Err(PyTypeError::new_err(format!(
            "format must be a str (one of {choices}), not {}",
            type_name(obj)
        ))),
    }
}

/// The arguments of an evaluation, as Python gave them.
pub struct EvalArgs<'a, 'py> {
    pub model: &'a Bound<'py, PyAny>,
    pub run: RunArgs<'py>,
}

impl EvalArgs<'_, '_> {
    /// The evaluation request, with `packs`.
    pub fn request(&self, packs: PacksArg) -> PyResult<EvaluateRequest> {
        let (run, limits) = self.run.options()?;
        Ok(EvaluateRequest {
            model: model_fields(self.model, &limits)?,
            run,
            packs,
        })
    }
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

/// An optional string argument (`tier`, `profile`, `model_uri`).
pub fn opt_str(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<String>> {
    given(obj)
        .map(|o| match o.cast::<PyString>() {
            Ok(s) => Ok(s.to_cow()?.into_owned()),
            Err(_) => Err(PyTypeError::new_err(format!(
                "{what} must be a str or None, not {}",
                type_name(o)
            ))),
        })
        .transpose()
}

/// A required `str` argument (`tier` of `init`, the rule id of `explain_rule`); anything else,
/// `None` included, is a `TypeError`.
pub fn required_str(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    match obj.cast::<PyString>() {
        Ok(s) => Ok(s.to_cow()?.into_owned()),
        Err(_) => Err(PyTypeError::new_err(format!(
            "{what} must be a str, not {}",
            type_name(obj)
        ))),
    }
}

/// An optional `bool` argument (`strict`): `True`, `False` or `None`; anything else is a
/// `TypeError` (a truthy value is not taken for `True`).
pub fn opt_bool(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<bool>> {
    given(obj)
        .map(|o| match o.cast::<PyBool>() {
            Ok(b) => Ok(b.is_true()),
            Err(_) => Err(PyTypeError::new_err(format!(
                "{what} must be a bool or None, not {}",
                type_name(o)
            ))),
        })
        .transpose()
}

/// An `OptionsError` (code `AIMS-E-OPTIONS`) with `message`.
pub fn options_error(py: Python<'_>, message: String) -> PyErr {
    errors::to_py(
        py,
        &Error::Options(Box::new(Issue::new(codes::OPTIONS, message, ""))),
    )
}

/// The load limits as a request's, every one given.
pub fn api_limits(l: &LoadLimits) -> Limits {
    Limits {
        max_bytes: Some(l.max_bytes),
        max_depth: Some(l.max_depth),
        max_issues: Some(l.max_issues),
        max_array_len: Some(l.max_array_len),
    }
}

/// The `limits` argument: `None` (the defaults) or a dict with any of `max_bytes`,
/// `max_depth`, `max_issues` and `max_array_len`, each a non-negative `int` (the others keep
/// their defaults). Anything but a dict is a `TypeError`; an unknown key, or a value that is
/// not a non-negative `int` (a `bool` is not one), is an `OptionsError`.
pub fn load_limits(obj: Option<&Bound<'_, PyAny>>) -> PyResult<LoadLimits> {
    const KEYS: &str = "`max_bytes`, `max_depth`, `max_issues`, `max_array_len`";
    let mut limits = LoadLimits::default();
    let Some(obj) = given(obj) else {
        return Ok(limits);
    };
    let Ok(dict) = obj.cast::<PyDict>() else {
        return Err(PyTypeError::new_err(format!(
            "limits must be a dict like {{\"max_depth\": 32}} or None, not {}",
            type_name(obj)
        )));
    };
    let invalid = |why: String| options_error(obj.py(), format!("invalid limits: {why}"));
    for (k, v) in dict.iter() {
        let Ok(key) = k.cast::<PyString>() else {
            let found = type_name(&k);
            return Err(invalid(format!(
                "keys must be str ({KEYS}), found a key of type {found}"
            )));
        };
        let Ok(key) = key.to_cow() else {
            return Err(invalid(format!("a key holds a lone surrogate ({KEYS})")));
        };
        let slot = match key.as_ref() {
            "max_bytes" => &mut limits.max_bytes,
            "max_depth" => &mut limits.max_depth,
            "max_issues" => &mut limits.max_issues,
            "max_array_len" => &mut limits.max_array_len,
            _ => {
                return Err(invalid(format!(
                    "unknown field `{key}`, expected one of {KEYS}"
                )));
            }
        };
        let value = (!v.is_instance_of::<PyBool>() && v.is_instance_of::<PyInt>())
            .then(|| v.extract::<u64>().ok())
            .flatten();
        let Some(value) = value else {
            let what = describe(&v);
            return Err(invalid(format!(
                "{key} must be a non-negative int, not {what}"
            )));
        };
        // Past the address space, no input reaches the limit anyway.
        *slot = usize::try_from(value).unwrap_or(usize::MAX);
    }
    Ok(limits)
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
    let Some(obj) = given(obj) else {
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

/// An optional number of seconds (`timeout`): `None`, or an `int` or `float` above 0 (a
/// `TypeError` for another type, an `OptionsError` for a value that is not a positive, finite
/// number).
pub fn opt_seconds(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<f64>> {
    let Some(obj) = given(obj) else {
        return Ok(None);
    };
    if obj.is_instance_of::<PyBool>()
        || !(obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>())
    {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a number of seconds (int or float) or None, not {}",
            type_name(obj)
        )));
    }
    match obj.extract::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Ok(Some(s)),
        _ => Err(options_error(
            obj.py(),
            format!(
                "{what} must be a positive number of seconds, not {}",
                describe(obj)
            ),
        )),
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
/// The classes rows read from a database bring are converted too: a `datetime.date` to its
/// `YYYY-MM-DD` string, a finite `decimal.Decimal` to the number its digits write, a
/// `uuid.UUID` to its canonical string and an `enum.Enum` member to its value (converted in
/// turn); a `datetime.datetime` is refused, the model taking dates only. A value JSON cannot
/// hold is a `TypeError` naming its place (an `int` beyond the range of a double too).
/// Nesting deeper than `max_depth` stops the walk before it could exhaust the stack and gives
/// the library's own limit error (the one the same model as text gives); so does nesting
/// deeper than a text parser reads, whatever `max_depth` says.
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
    // The classes database rows bring, checked only once the common types are ruled out.
    let rare = RareTypes::get(obj.py())?;
    if obj.is_instance(rare.datetime.bind(obj.py()))? {
        return Err(PyTypeError::new_err(format!(
            "{what}: the value at \"{pointer}\" is a {}, a date and a time, where the model \
             takes dates only: pass a date (its .date(), to say which day is meant) or a \
             'YYYY-MM-DD' string",
            datetime_name(obj)
        ))
        .into());
    }
    if obj.is_instance(rare.date.bind(obj.py()))? {
        return Ok(Value::String(str_of(&obj.call_method0("isoformat")?)?));
    }
    if obj.is_instance(rare.decimal.bind(obj.py()))? {
        return Ok(Value::Number(decimal(obj, what, pointer)?));
    }
    if obj.is_instance(rare.uuid.bind(obj.py()))? {
        return Ok(Value::String(str_of(obj)?));
    }
    if obj.is_instance(rare.enumeration.bind(obj.py()))? {
        // A member stands for its value, converted in its place (a str, an int, ...); a value
        // that is a member again is followed, a bounded number of times.
        let mut value = obj.getattr("value")?;
        for _ in 0..PARSER_MAX_DEPTH {
            if !value.is_instance(rare.enumeration.bind(obj.py()))? {
                return walk(&value, level, max_depth, what, pointer);
            }
            value = value.getattr("value")?;
        }
        return Err(PyTypeError::new_err(format!(
            "{what}: the enum.Enum member at \"{pointer}\" has members for values more than \
             {PARSER_MAX_DEPTH} times over"
        ))
        .into());
    }
    Err(PyTypeError::new_err(format!(
        "{what}: the value at \"{pointer}\" is {}, which JSON cannot hold (use dict, list, \
         tuple, str, int, float, bool, None, datetime.date, decimal.Decimal, uuid.UUID or an \
         enum.Enum member)",
        with_article(&type_name(obj))
    ))
    .into())
}

/// `name` after `a` or `an`, as its first letter sounds.
fn with_article(name: &str) -> String {
    let vowel = name
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    format!("{} {name}", if vowel { "an" } else { "a" })
}

/// The classes of the standard library the walk converts besides the built-in types: imported
/// once, the first time the walk meets a value of another type.
struct RareTypes {
    /// `datetime.datetime`, refused (a subclass of `date`, so checked first).
    datetime: Py<PyType>,
    /// `datetime.date`, as `YYYY-MM-DD`.
    date: Py<PyType>,
    /// `decimal.Decimal`, as the JSON number its digits write.
    decimal: Py<PyType>,
    /// `uuid.UUID`, as its canonical string.
    uuid: Py<PyType>,
    /// `enum.Enum`, as the member's value.
    enumeration: Py<PyType>,
}

impl RareTypes {
    /// The classes, imported on the first call.
    fn get(py: Python<'_>) -> PyResult<&'static RareTypes> {
        static TYPES: PyOnceLock<RareTypes> = PyOnceLock::new();
        TYPES.get_or_try_init(py, || {
            let class = |module: &str, name: &str| -> PyResult<Py<PyType>> {
                Ok(py
                    .import(module)?
                    .getattr(name)?
                    .cast_into::<PyType>()?
                    .unbind())
            };
            Ok(RareTypes {
                datetime: class("datetime", "datetime")?,
                date: class("datetime", "date")?,
                decimal: class("decimal", "Decimal")?,
                uuid: class("uuid", "UUID")?,
                enumeration: class("enum", "Enum")?,
            })
        })
    }
}

/// `str(obj)`.
fn str_of(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(obj.str()?.to_cow()?.into_owned())
}

/// `datetime.datetime`, or the name of the subclass `obj` is of with it (`Timestamp, a
/// datetime.datetime`), for the message refusing it.
fn datetime_name(obj: &Bound<'_, PyAny>) -> String {
    match type_name(obj).as_str() {
        "datetime" => "datetime.datetime".to_owned(),
        other => format!("{other} (a datetime.datetime)"),
    }
}

/// A finite `decimal.Decimal` as the number a JSON parser reads from its digits (`str` of a
/// `Decimal` is valid JSON number syntax: `0.10`, `-7`, `1E+3`): the very number its JSON text
/// loads as, an integer staying an integer. A NaN or an infinity, and a value beyond the range
/// of a double, are `TypeError`s naming the place, as the same `float` and `int` are.
fn decimal(obj: &Bound<'_, PyAny>, what: &str, pointer: &str) -> PyResult<Number> {
    let shown = || {
        obj.repr()
            .map(|r| r.to_string_lossy().into_owned())
            .unwrap_or_else(|_| "a Decimal".to_owned())
    };
    if !obj.call_method0("is_finite")?.is_truthy()? {
        return Err(PyTypeError::new_err(format!(
            "{what}: the number at \"{pointer}\" is {}, which JSON cannot hold",
            shown()
        )));
    }
    let digits = str_of(obj)?;
    serde_json::from_str::<Number>(&digits).map_err(|_| {
        PyTypeError::new_err(format!(
            "{what}: the number at \"{pointer}\" is {} beyond the range of a double, which \
             JSON cannot hold",
            shown()
        ))
    })
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
