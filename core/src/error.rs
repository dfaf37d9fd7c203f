//! Typed errors. Every error and every issue inside one carries a stable code.

use serde::Serialize;
use std::fmt;

/// One problem found while loading a model or a rule pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Stable code, e.g. `AIMS-E-SCHEMA`.
    pub code: &'static str,
    /// What is wrong, in words.
    pub message: String,
    /// JSON Pointer of the offending node (`""` is the document itself).
    pub pointer: String,
    /// 1-based line of the node, where the input was text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column of the node, where the input was text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// File the issue is in, for rule packs loaded from disk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Rule the issue is in, for rule packs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    /// What to do about it, where the message alone does not say (e.g. the member a
    /// misspelt one probably meant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Issue {
    /// An issue with a code, a message and a pointer, and no location yet.
    pub fn new(code: &'static str, message: impl Into<String>, pointer: impl Into<String>) -> Self {
        Issue {
            code,
            message: message.into(),
            pointer: pointer.into(),
            line: None,
            column: None,
            file: None,
            rule_id: None,
            help: None,
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(file) = &self.file {
            write!(f, " in {file}")?;
        }
        if let Some(rule) = &self.rule_id {
            write!(f, " (rule {rule})")?;
        }
        if !self.pointer.is_empty() {
            write!(f, " at {}", self.pointer)?;
        }
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, " (line {l}, column {c})")?;
        }
        Ok(())
    }
}

/// Stable issue and error codes.
pub mod codes {
    /// The model text is not JSON.
    pub const SYNTAX: &str = "AIMS-E-SYNTAX";
    /// The model text is empty.
    pub const EMPTY: &str = "AIMS-E-EMPTY";
    /// The model violates the model JSON Schema.
    pub const SCHEMA: &str = "AIMS-E-SCHEMA";
    /// A date is malformed or impossible (e.g. 2025-02-30).
    pub const DATE: &str = "AIMS-E-DATE";
    /// A clause reference is not in the catalogue.
    pub const UNKNOWN_CLAUSE: &str = "AIMS-E-UNKNOWN-CLAUSE";
    /// An Annex A control reference is not in the catalogue.
    pub const UNKNOWN_CONTROL: &str = "AIMS-E-UNKNOWN-CONTROL";
    /// A member the model schema does not define (not an `x_` extension), loaded `strict`.
    pub const UNKNOWN_MEMBER: &str = "AIMS-E-UNKNOWN-MEMBER";
    /// Warning: a member the model schema does not define (not an `x_` extension); no rule
    /// reads it.
    pub const UNKNOWN_MEMBER_WARNING: &str = "AIMS-W-UNKNOWN-MEMBER";
    /// Two entities of one collection share an id.
    pub const DUPLICATE_ID: &str = "AIMS-E-DUPLICATE-ID";
    /// An input exceeds a limit (size, nesting depth, array length).
    pub const LIMIT: &str = "AIMS-E-LIMIT";
    /// An evaluation option is invalid (date, tier, profile).
    pub const OPTIONS: &str = "AIMS-E-OPTIONS";
    /// A model carrying several kinds of issue.
    pub const MODEL: &str = "AIMS-E-MODEL";
    /// A rule-pack file could not be read.
    pub const PACK_IO: &str = "AIMS-E-PACK-IO";
    /// A rule-pack file is not JSON.
    pub const PACK_SYNTAX: &str = "AIMS-E-PACK-SYNTAX";
    /// A rule-pack file violates the rule-pack JSON Schema.
    pub const PACK_SCHEMA: &str = "AIMS-E-PACK-SCHEMA";
    /// A check uses an unknown operator or malformed arguments.
    pub const PACK_OPERATOR: &str = "AIMS-E-PACK-OPERATOR";
    /// A path in a check is malformed or names an unbound variable.
    pub const PACK_PATH: &str = "AIMS-E-PACK-PATH";
    /// A regular expression does not compile or exceeds the size limit.
    pub const PACK_REGEX: &str = "AIMS-E-PACK-REGEX";
    /// A JSON Schema fragment in a check does not compile.
    pub const PACK_FRAGMENT: &str = "AIMS-E-PACK-FRAGMENT";
    /// A rule names a clause or control that is not in the catalogue.
    pub const PACK_CLAUSE: &str = "AIMS-E-PACK-CLAUSE";
    /// Two rules share an id.
    pub const PACK_DUPLICATE: &str = "AIMS-E-PACK-DUPLICATE";
    /// A rule failed while being evaluated (reported as status `error`).
    pub const EVAL: &str = "AIMS-E-EVAL";
    /// A rule or indicator took more evaluation steps than its budget
    /// (`Options::max_steps_per_rule`) and was stopped (reported as status `error`).
    pub const BUDGET: &str = "AIMS-E-BUDGET";
    /// A report could not be exported.
    pub const EXPORT: &str = "AIMS-E-EXPORT";
    /// What was given as a report is not a report of this engine's report format.
    pub const REPORT: &str = "AIMS-E-REPORT";
    /// A file could not be read or written.
    pub const IO: &str = "AIMS-E-IO";
    /// A file to write exists and overwriting it was not asked for.
    pub const EXISTS: &str = "AIMS-E-EXISTS";
    /// A model could not be migrated to the current schema version.
    pub const MIGRATE: &str = "AIMS-E-MIGRATE";
    /// A rule id that no loaded pack has.
    pub const UNKNOWN_RULE: &str = "AIMS-E-UNKNOWN-RULE";
    /// A failure inside the library or a binding (a bug: please report it).
    pub const INTERNAL: &str = "AIMS-E-INTERNAL";
}

/// Any error the library returns.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The model could not be loaded; every issue found is listed.
    #[error("the model is not valid: {}", summary(.0))]
    Model(Vec<Issue>),
    /// A rule pack could not be loaded or compiled; every issue found is listed.
    #[error("the rule pack is not valid: {}", summary(.0))]
    RulePack(Vec<Issue>),
    /// An input exceeds a configured limit.
    #[error("{0}")]
    Limit(Box<Issue>),
    /// An evaluation option is invalid.
    #[error("{0}")]
    Options(Box<Issue>),
    /// A report could not be exported.
    #[error("{0}")]
    Export(Box<Issue>),
    /// What was given as a report is not one (`AIMS-E-REPORT`).
    #[error("{0}")]
    Report(Box<Issue>),
    /// A file could not be read or written (`AIMS-E-IO`, `AIMS-E-EXISTS`).
    #[error("{0}")]
    Io(Box<Issue>),
    /// A failure inside the library (`AIMS-E-INTERNAL`): a bug.
    #[error("{0}")]
    Internal(Box<Issue>),
}

fn summary(issues: &[Issue]) -> String {
    match issues {
        [] => "no details".to_owned(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}

impl Error {
    /// Stable code of the error: the code its issues share, or a family code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Model(issues) => shared_code(issues, codes::MODEL),
            Error::RulePack(issues) => shared_code(issues, codes::PACK_SCHEMA),
            Error::Limit(_) => codes::LIMIT,
            Error::Options(i) => i.code,
            Error::Export(_) => codes::EXPORT,
            Error::Report(i) | Error::Io(i) | Error::Internal(i) => i.code,
        }
    }

    /// Every issue the error carries.
    pub fn issues(&self) -> &[Issue] {
        match self {
            Error::Model(issues) | Error::RulePack(issues) => issues,
            Error::Limit(issue)
            | Error::Options(issue)
            | Error::Export(issue)
            | Error::Report(issue)
            | Error::Io(issue)
            | Error::Internal(issue) => std::slice::from_ref(issue.as_ref()),
        }
    }

    /// The error with `file` set on every issue that names no file: which input of several
    /// it is about.
    pub fn in_file(mut self, file: &str) -> Self {
        let name = |i: &mut Issue| {
            i.file.get_or_insert_with(|| file.to_owned());
        };
        match &mut self {
            Error::Model(issues) | Error::RulePack(issues) => issues.iter_mut().for_each(name),
            Error::Limit(issue)
            | Error::Options(issue)
            | Error::Export(issue)
            | Error::Report(issue)
            | Error::Io(issue)
            | Error::Internal(issue) => name(issue),
        }
        self
    }

    pub(crate) fn options(message: impl Into<String>) -> Self {
        Error::Options(Box::new(Issue::new(codes::OPTIONS, message, "")))
    }
}

fn shared_code(issues: &[Issue], family: &'static str) -> &'static str {
    match issues.split_first() {
        Some((first, rest)) if rest.iter().all(|i| i.code == first.code) => first.code,
        _ => family,
    }
}

/// Result with the library's error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
