//! Errors to Python: the library's typed errors become the exception classes defined in
//! Python in `aimscheck._errors`, and a Rust panic becomes an `AimsCheckError` with code
//! `AIMS-E-INTERNAL` instead of `PanicException` (which is not an `Exception`).

use aimscheck::Error;
use aimscheck::api::{ErrorKind, error_kind};
use aimscheck::error::Issue;
use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// Code of an internal error (a bug in aimscheck).
pub const INTERNAL: &str = "AIMS-E-INTERNAL";

/// Code of a value given as a report that is not one (or not the model's).
pub const REPORT: &str = "AIMS-E-REPORT";

/// Module that defines the exception classes.
const ERRORS_MODULE: &str = "aimscheck._errors";

/// An issue as the dict Python sees: every key present, `None` where the issue has no value.
pub fn issue_dict<'py>(py: Python<'py>, issue: &Issue) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("code", issue.code)?;
    d.set_item("message", &issue.message)?;
    d.set_item("pointer", &issue.pointer)?;
    d.set_item("line", issue.line)?;
    d.set_item("column", issue.column)?;
    d.set_item("file", issue.file.as_deref())?;
    d.set_item("rule_id", issue.rule_id.as_deref())?;
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

/// An instance of the exception class `class` of `aimscheck._errors`, as a `PyErr`.
/// Should the class itself be unavailable, the import error is what is raised.
pub fn raise(py: Python<'_>, class: &str, code: &str, message: &str, issues: &[Issue]) -> PyErr {
    let made = (|| -> PyResult<PyErr> {
        let cls = py.import(ERRORS_MODULE)?.getattr(class)?;
        let instance = cls.call1((message, code, issue_list(py, issues)?))?;
        Ok(PyErr::from_value(instance))
    })();
    made.unwrap_or_else(|e| e)
}

/// An `AimsCheckError` with code `AIMS-E-REPORT`: the value given as a report is not one.
pub fn not_a_report(py: Python<'_>, why: &str) -> PyErr {
    report_error(
        py,
        format!("not an aimscheck report (pass the dict aimscheck.evaluate returned): {why}"),
    )
}

/// An `AimsCheckError` with code `AIMS-E-REPORT` and `message`.
pub fn report_error(py: Python<'_>, message: String) -> PyErr {
    let issue = Issue::new(REPORT, message, "");
    raise(
        py,
        "AimsCheckError",
        REPORT,
        &issue.message,
        std::slice::from_ref(&issue),
    )
}

/// The exception class for a library error, by its kind (any limit, whatever family carries
/// it, is of kind `Limit`: a `LimitError`).
fn class_of(e: &Error) -> &'static str {
    match error_kind(e) {
        ErrorKind::Model => "ModelError",
        ErrorKind::RulePack => "RulePackError",
        ErrorKind::Limit => "LimitError",
        ErrorKind::Options => "OptionsError",
        // Other kinds (an export error) are still aimscheck errors.
        _ => "AimsCheckError",
    }
}

/// A library error as the matching Python exception.
pub fn to_py(py: Python<'_>, e: &Error) -> PyErr {
    raise(py, class_of(e), e.code(), &e.to_string(), e.issues())
}

/// An I/O error on `path` as the `OSError` subclass Python would raise (`FileNotFoundError`,
/// `IsADirectoryError`, ...), with the file name set.
pub fn io_to_py(py: Python<'_>, e: &std::io::Error, path: &Path, what: &str) -> PyErr {
    let name = path.display().to_string();
    match e.raw_os_error() {
        Some(errno) => {
            let strerror = py
                .import("os")
                .and_then(|os| os.getattr("strerror")?.call1((errno,)))
                .and_then(|s| s.extract::<String>())
                .unwrap_or_else(|_| e.to_string());
            PyOSError::new_err((errno, format!("cannot read the {what}: {strerror}"), name))
        }
        None => PyOSError::new_err(format!("cannot read the {what} {name}: {e}")),
    }
}

/// Runs `f`, turning a panic into an `AimsCheckError` with code `AIMS-E-INTERNAL`.
pub fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let message = format!(
                "internal error in aimscheck (please report it): {}",
                panic_message(payload.as_ref())
            );
            Err(raise(
                py,
                "AimsCheckError",
                INTERNAL,
                &message,
                &[Issue::new(INTERNAL, message.clone(), "")],
            ))
        }
    }
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
