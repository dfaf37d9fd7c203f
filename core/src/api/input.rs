//! The inputs every front end takes in several forms: a model (text, bytes, a JSON value or a
//! file), a report (the JSON an evaluation returned, as text, bytes or a value) and an overlay
//! (inline, as text, or a file), each read by one function here with its errors located in
//! what the caller gave.

use crate::error::{Error, Issue, Result, codes};
use crate::model::{LoadLimits, Model};
use crate::overlay::Overlay;
use crate::report::{REPORT_VERSION, Report};
use serde_json::Value;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// A model in any of the forms a front end accepts.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ModelInput {
    /// JSON text; errors carry the line and column of each issue.
    Text(String),
    /// JSON as bytes (UTF-8, an optional byte-order mark); located like text.
    Bytes(Vec<u8>),
    /// An already parsed JSON value; errors carry pointers only.
    Value(Value),
    /// A file holding JSON text, read up to the size limit and located like text.
    Path(PathBuf),
}

impl ModelInput {
    /// Loads the model within `limits` (a file larger than `max_bytes` is refused before it
    /// is read whole).
    pub fn load(self, limits: &LoadLimits) -> Result<Model> {
        match self {
            ModelInput::Text(t) => Model::from_string_with(t, limits),
            ModelInput::Bytes(b) => Model::from_vec_with(b, limits),
            ModelInput::Value(v) => Model::from_value_with(v, limits),
            ModelInput::Path(p) => {
                Model::from_vec_with(read_capped(&p, limits.max_bytes, "model")?, limits)
            }
        }
    }
}

/// The bytes of the file at `path`, refused with `AIMS-E-LIMIT` when it holds more than
/// `max_bytes` (only `max_bytes + 1` are ever read) and with `AIMS-E-IO` when it cannot be
/// read; `what` names what the file was meant to hold.
pub fn read_capped(path: &Path, max_bytes: usize, what: &str) -> Result<Vec<u8>> {
    let cap = u64::try_from(max_bytes).map_or(u64::MAX, |m| m.saturating_add(1));
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(cap).read_to_end(&mut bytes))
        .map_err(|e| io_error(path, what, &e))?;
    if bytes.len() > max_bytes {
        let size = std::fs::metadata(path).map(|m| m.len()).ok();
        let message = match size {
            Some(n) => format!(
                "the {what} file {} is {n} bytes, more than the limit of {max_bytes} bytes",
                path.display()
            ),
            None => format!(
                "the {what} file {} is larger than the limit of {max_bytes} bytes",
                path.display()
            ),
        };
        return Err(Error::Limit(Box::new(Issue::new(
            codes::LIMIT,
            message,
            "",
        ))));
    }
    Ok(bytes)
}

/// An I/O error on `path` (`AIMS-E-IO`), naming the file and what it was meant to hold.
pub fn io_error(path: &Path, what: &str, e: &std::io::Error) -> Error {
    Error::Io(Box::new(Issue {
        file: Some(path.display().to_string()),
        ..Issue::new(
            codes::IO,
            format!("cannot read the {what} file {}: {e}", path.display()),
            "",
        )
    }))
}

/// A report in any of the forms a front end accepts: the JSON an evaluation returned.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ReportInput {
    /// JSON text; a syntax error carries its line and column.
    Text(String),
    /// JSON as bytes (UTF-8).
    Bytes(Vec<u8>),
    /// An already parsed JSON value.
    Value(Value),
}

/// The report formats [`read_report`] reads: the current one ([`REPORT_VERSION`]) and 1.0,
/// whose members 2.0 only renamed (`overall` is read as `aims`).
pub const READABLE_REPORT_VERSIONS: &[&str] = &["1.0", REPORT_VERSION];

/// Reads a report. Anything that is not a report of a format this engine reads
/// ([`READABLE_REPORT_VERSIONS`]) is an error with code `AIMS-E-REPORT`, which says what it is
/// instead: not JSON, a model rather than a report, a report of another format, or not a report.
pub fn read_report(input: ReportInput) -> Result<Report> {
    let (value, text) = match input {
        ReportInput::Value(v) => (v, None),
        ReportInput::Bytes(b) => {
            let text = String::from_utf8(b)
                .map_err(|e| report_error(format!("the report is not UTF-8 text: {e}"), None))?;
            (parse_report_text(&text)?, Some(text))
        }
        ReportInput::Text(t) => (parse_report_text(&t)?, Some(t)),
    };
    // Where the version is written, for a report given as text.
    let at_version = text
        .as_deref()
        .and_then(|t| crate::locate::locate(t, "/report_version"));
    match value.get("report_version") {
        Some(Value::String(v)) if READABLE_REPORT_VERSIONS.contains(&v.as_str()) => {}
        Some(v) => {
            let shown = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            return Err(report_error(
                format!(
                    "the report is of format {shown}; this engine reads reports of formats \
                     {}: evaluate the model again with this version",
                    READABLE_REPORT_VERSIONS.join(" and ")
                ),
                at_version,
            ));
        }
        None if value.get("schema_version").is_some() => {
            return Err(report_error(
                "not a report but a model (it has schema_version and no report_version): pass \
                 the report an evaluation returned for it"
                    .to_owned(),
                text.as_deref()
                    .and_then(|t| crate::locate::locate(t, "/schema_version")),
            ));
        }
        None => {
            return Err(report_error(
                "not a report: it has no report_version".to_owned(),
                None,
            ));
        }
    }
    serde_json::from_value::<Report>(value).map_err(|e| {
        report_error(
            format!("not a report of format {REPORT_VERSION}: {e}"),
            None,
        )
    })
}

/// The JSON value of a report's text; a syntax error is located.
fn parse_report_text(text: &str) -> Result<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| {
        report_error(
            format!("the report is not JSON: {e}"),
            (e.line() > 0).then(|| (e.line(), e.column().max(1))),
        )
    })
}

/// An `AIMS-E-REPORT` error, located when `at` is given.
fn report_error(message: String, at: Option<(usize, usize)>) -> Error {
    Error::Report(Box::new(Issue {
        line: at.map(|a| a.0),
        column: at.map(|a| a.1),
        ..Issue::new(codes::REPORT, message, "")
    }))
}

/// An overlay in any of the forms a front end accepts.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum OverlayInput {
    /// An already parsed JSON value (`{"disable": [...], "severity": {...}}`); errors carry
    /// pointers only, into that value.
    Value(Value),
    /// JSON text; errors carry their line and column in that text.
    Text(String),
    /// A file holding JSON text; errors name the file and carry line and column.
    Path(PathBuf),
}

impl OverlayInput {
    /// Reads the overlay; errors point into what the caller gave.
    pub fn load(self) -> Result<Overlay> {
        match self {
            OverlayInput::Value(v) => serde_json::from_value(v).map_err(|e| {
                Error::RulePack(vec![Issue::new(
                    codes::PACK_SCHEMA,
                    format!(
                        "not a valid overlay ({{\"disable\": [ids], \"severity\": {{id: level}}}}): {e}"
                    ),
                    "",
                )])
            }),
            OverlayInput::Text(t) => Overlay::from_json(&t, None),
            OverlayInput::Path(p) => {
                let text = std::fs::read_to_string(&p).map_err(|e| io_error(&p, "overlay", &e))?;
                Overlay::from_json(&text, Some(&p.display().to_string()))
            }
        }
    }
}
