//! Errors to Python: the library's errors become the exception classes defined in Python in
//! `aimscheck._errors` (by [`error_kind`]), a file that cannot be read the `OSError` subclass
//! Python raises for it, and a Rust panic an `AimsCheckError` with code `AIMS-E-INTERNAL`
//! instead of `PanicException` (which is not an `Exception`).

use aimscheck::Error;
use aimscheck::api::{ErrorKind, error_kind};
use aimscheck::error::{Issue, codes};
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// An issue as the dict Python sees: every key present, `None` where the issue has no value.
fn issue_dict<'py>(py: Python<'py>, issue: &Issue) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("code", issue.code)?;
    d.set_item("message", &issue.message)?;
    d.set_item("pointer", &issue.pointer)?;
    d.set_item("line", issue.line)?;
    d.set_item("column", issue.column)?;
    d.set_item("file", issue.file.as_deref())?;
    d.set_item("rule_id", issue.rule_id.as_deref())?;
    d.set_item("help", issue.help.as_deref())?;
    Ok(d)
}

/// A list of issue dicts.
pub fn issue_list<'py>(py: Python<'py>, issues: &[Issue]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for issue in issues {
        list.append(issue_dict(py, issue)?)?;
    }
    Ok(list)
}

/// An instance of the class `class` of `aimscheck._errors`; should the class be unavailable,
/// the import error is what is raised.
fn raise(py: Python<'_>, class: &str, code: &str, message: &str, issues: &[Issue]) -> PyErr {
    let made = (|| -> PyResult<PyErr> {
        let cls = py.import("aimscheck._errors")?.getattr(class)?;
        let instance = cls.call1((message, code, issue_list(py, issues)?))?;
        Ok(PyErr::from_value(instance))
    })();
    made.unwrap_or_else(|e| e)
}

/// A library error as its Python exception. A report that is not one (or not the model's)
/// and an export that fails are `AimsCheckError`s themselves.
pub fn to_py(py: Python<'_>, e: &Error) -> PyErr {
    let class = match error_kind(e) {
        ErrorKind::Model => "ModelError",
        ErrorKind::RulePack => "RulePackError",
        ErrorKind::Limit => "LimitError",
        ErrorKind::Options => "OptionsError",
        ErrorKind::Io => return os_error(e),
        _ => "AimsCheckError",
    };
    raise(py, class, e.code(), &e.to_string(), e.issues())
}

/// A file that cannot be read as the `OSError` subclass Python raises for its errno
/// (`FileNotFoundError`, `IsADirectoryError`, ...), the file name set. The errno is the one
/// Rust writes at the end of the message, `... (os error 2)`; without one, a plain `OSError`.
fn os_error(e: &Error) -> PyErr {
    let issue = e.issues().first();
    let message = issue.map_or_else(|| e.to_string(), |i| i.message.clone());
    let with_errno = message
        .strip_suffix(')')
        .and_then(|m| m.rsplit_once(" (os error "))
        .and_then(|(text, n)| Some((text, n.parse::<i32>().ok()?)));
    match (with_errno, issue.and_then(|i| i.file.clone())) {
        (Some((text, errno)), Some(file)) => PyOSError::new_err((errno, text.to_owned(), file)),
        _ => PyOSError::new_err(message),
    }
}

/// Runs `f`, turning a panic into an `AimsCheckError` with code `AIMS-E-INTERNAL`.
pub fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let message = format!(
            "internal error in aimscheck (please report it): {}",
            panic_message(payload.as_ref())
        );
        let issue = Issue::new(codes::INTERNAL, message.clone(), "");
        Err(raise(
            py,
            "AimsCheckError",
            codes::INTERNAL,
            &message,
            &[issue],
        ))
    })
}

/// The text of a panic payload.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    }
}
