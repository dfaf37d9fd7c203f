//! The call/answer API every binding reuses: engine configuration and evaluation options as
//! JSON-shaped values, and errors as JSON with a code, a message and located issues.
//!
//! ```
//! use aimscheck::api::{EngineConfig, EvaluateOptions};
//! use serde_json::json;
//!
//! let config: EngineConfig = serde_json::from_value(json!({"overlay": {"disable": ["AIMS-CI-02"]}}))?;
//! let engine = aimscheck::Engine::from_config(&config)?;
//! let options: EvaluateOptions = serde_json::from_value(json!({"as_of": "2026-06-30", "tier": "startup"}))?;
//! let model = aimscheck::Model::from_value(json!({"schema_version": "1.0"}))?;
//! let report = engine.evaluate(&model, &options.to_options()?)?;
//! assert_eq!(report.as_of, "2026-06-30");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod input;
mod many;
mod ops;
mod tools;

pub use input::{
    ModelInput, OverlayInput, READABLE_REPORT_VERSIONS, ReportInput, io_error, read_capped,
    read_report,
};
pub use many::{
    EvaluateManyRequest, ManyAnswer, NamedModel, evaluate_many, evaluate_many_json,
    evaluate_many_on,
};
pub use ops::{
    DiagramRequest, EngineRef, EvaluateRequest, Evaluation, ExportRequest, Limits, ListedRule,
    ModelFields, PacksArg, RulesAnswer, RulesRequest, RunOptions, ValidateAnswer, ValidateRequest,
    diagram, diagram_json, evaluate, evaluate_json, evaluate_on, evaluation, evaluation_on,
    explain_rule, export, export_json, find_rule, list_rules, listed_rules, rules, rules_call_json,
    same_model, validate, validate_json,
};
pub use tools::{
    DiffRequest, InitRequest, LintAnswer, LintRequest, LintedPack, MigrateAnswer, MigrateRequest,
    diff, diff_json, init, init_json, lint_rules, lint_rules_json, migrate, migrate_json,
};

use crate::engine::{
    DEFAULT_MAX_FINDINGS, DEFAULT_MAX_STEPS, DEFAULT_MAX_STEPS_TOTAL, Engine, Options,
};
use crate::error::{Error, Result};
use crate::overlay::Overlay;
use crate::pack::RulePack;
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::PathBuf;

/// How to build an engine: which packs, which overlay.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineConfig {
    /// Folders of further packs, loaded beside the default one.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Whether the embedded default pack `iso42001-4.4` is loaded (default true).
    #[serde(default = "yes")]
    pub default_rules: bool,
    /// Rules to disable and severities to change.
    #[serde(default)]
    pub overlay: Option<Overlay>,
}

fn yes() -> bool {
    true
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            rules: Vec::new(),
            default_rules: true,
            overlay: None,
        }
    }
}

impl Engine {
    /// Builds an engine from a configuration (reads the pack folders it names).
    pub fn from_config(config: &EngineConfig) -> Result<Engine> {
        ops::no_pack_at_all(config.default_rules, &config.rules)?;
        let mut packs = Vec::new();
        if config.default_rules {
            packs.push(RulePack::embedded()?);
        }
        for dir in &config.rules {
            packs.push(RulePack::from_dir(dir)?);
        }
        let engine = Engine::with_packs(packs)?;
        match &config.overlay {
            Some(o) => engine.with_overlay(o.clone()),
            None => Ok(engine),
        }
    }
}

/// Evaluation options in their text form.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluateOptions {
    /// Evaluation date, `YYYY-MM-DD`.
    pub as_of: String,
    /// `startup`, `scaleup` or `enterprise`; default `organization.size_tier`.
    #[serde(default)]
    pub tier: Option<String>,
    /// `tier` (default) or `certification`.
    #[serde(default)]
    pub profile: Option<String>,
    /// Findings kept per rule (default 1,000).
    #[serde(default)]
    pub max_findings_per_rule: Option<usize>,
    /// Evaluation steps allowed per rule (default 10⁹); a rule past it has status `error`
    /// with code `AIMS-E-BUDGET`.
    #[serde(default)]
    pub max_steps_per_rule: Option<u64>,
    /// Evaluation steps allowed for the whole evaluation (default 10¹⁰); past it the rules not
    /// done have status `error` with code `AIMS-E-BUDGET`.
    #[serde(default)]
    pub max_steps_total: Option<u64>,
    /// Seconds the evaluation may take (default: no limit), stopping it as
    /// `max_steps_total` does.
    #[serde(default)]
    pub timeout: Option<f64>,
}

impl EvaluateOptions {
    /// The typed options; an error with code `AIMS-E-OPTIONS` when a value is invalid.
    pub fn to_options(&self) -> Result<Options> {
        let mut o = Options::parse(&self.as_of, self.tier.as_deref(), self.profile.as_deref())?;
        o.max_findings_per_rule = self.max_findings_per_rule.unwrap_or(DEFAULT_MAX_FINDINGS);
        o.max_steps_per_rule = self.max_steps_per_rule.unwrap_or(DEFAULT_MAX_STEPS);
        o.max_steps_total = self.max_steps_total.unwrap_or(DEFAULT_MAX_STEPS_TOTAL);
        o.timeout = self.timeout.map(ops::timeout).transpose()?;
        Ok(o)
    }
}

/// The kind of an error, for bindings that map it to their own exception classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The model could not be loaded.
    Model,
    /// A rule pack or overlay could not be loaded.
    RulePack,
    /// An input exceeds a limit.
    Limit,
    /// An option is invalid.
    Options,
    /// A report could not be exported.
    Export,
    /// What was given as a report is not one.
    Report,
    /// A file could not be read or written.
    Io,
    /// A failure inside the library or a binding: a bug.
    Internal,
}

impl ErrorKind {
    /// The kind's stable name, as the JSON entry points and the bindings write it: `model`,
    /// `rule_pack`, `limit`, `options`, `export`, `report`, `io` or `internal`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Model => "model",
            ErrorKind::RulePack => "rule_pack",
            ErrorKind::Limit => "limit",
            ErrorKind::Options => "options",
            ErrorKind::Export => "export",
            ErrorKind::Report => "report",
            ErrorKind::Io => "io",
            ErrorKind::Internal => "internal",
        }
    }
}

/// The kind of `e`. Any error whose code is `AIMS-E-LIMIT` is of kind [`ErrorKind::Limit`],
/// whatever family carries it, so that every binding raises the same class for it.
pub fn error_kind(e: &Error) -> ErrorKind {
    if e.code() == crate::error::codes::LIMIT {
        return ErrorKind::Limit;
    }
    match e {
        Error::Model(_) => ErrorKind::Model,
        Error::RulePack(_) => ErrorKind::RulePack,
        Error::Limit(_) => ErrorKind::Limit,
        Error::Options(_) => ErrorKind::Options,
        Error::Export(_) => ErrorKind::Export,
        Error::Report(_) => ErrorKind::Report,
        Error::Io(_) => ErrorKind::Io,
        Error::Internal(_) => ErrorKind::Internal,
    }
}

/// An error as JSON: `{"code", "kind", "message", "errors": [{code, message, pointer, line?,
/// column?, file?, rule_id?}]}`, `kind` being [`ErrorKind::as_str`].
pub fn error_json(e: &Error) -> Value {
    json!({
        "code": e.code(),
        "kind": error_kind(e).as_str(),
        "message": e.to_string(),
        "errors": e.issues(),
    })
}

/// The rules of an engine as a JSON value ([`listed_rules`], the objects
/// `aimscheck rules list --format json` prints), with the engine's overlay applied: changed
/// severities, and `"disabled": true` on the rules it turns off. A JSON value orders each
/// object's members by name; serialize [`listed_rules`] to keep the order of the CLI's output.
pub fn rules_json(engine: &Engine) -> Value {
    serde_json::to_value(listed_rules(engine)).unwrap_or(Value::Array(Vec::new()))
}
