//! The binding's work in plain Rust, with no Node-API type: reading the options a JS caller
//! passed (as the JSON text `JSON.stringify` made of them), building engines, loading models,
//! evaluating, exporting reports and drawing process maps, and turning every error (panics
//! included) into a [`Failure`].
//!
//! Keeping this apart from the Node-API glue lets `cargo test` exercise it without Node.

use aimscheck::api::{EngineConfig, EvaluateOptions};
use aimscheck::error::codes;
use aimscheck::export::diagram::{self, DiagramFormat};
use aimscheck::export::{self, Format};
use aimscheck::{Engine, Error, Issue, LoadLimits, Model, Options, Overlay, Report};
use serde::Serialize;
use serde_json::{Map, Value};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Code of an error that is a bug of the binding or the engine (a panic caught at the boundary).
pub const INTERNAL: &str = codes::INTERNAL;

/// A model as the caller gave it.
#[derive(Debug, Clone)]
pub enum ModelSource {
    /// A JSON string: errors carry the line and column in it.
    Text(String),
    /// A `Buffer` or `Uint8Array` of UTF-8 JSON: errors carry the line and column in it.
    Bytes(Vec<u8>),
    /// A JS value, as the text `JSON.stringify` made of it: errors carry pointers only, since
    /// lines and columns of that text mean nothing to the caller.
    Value(String),
}

impl ModelSource {
    /// Loads and validates the model within `limits` (the text is kept by the model, not
    /// copied).
    pub fn load(self, limits: &LoadLimits) -> Result<Model, Error> {
        match self {
            ModelSource::Text(text) => Model::from_string_with(text, limits),
            ModelSource::Bytes(bytes) => Model::from_vec_with(bytes, limits),
            ModelSource::Value(json) => Model::from_string_with(json, limits).map_err(unlocated),
        }
    }

    /// Loads the model for an export: as [`ModelSource::load`], but a model given as a JS value
    /// keeps no text, so that SARIF gives no line numbers in the text `JSON.stringify` made
    /// (which the caller never saw); a string or a `Buffer` keeps its text and its lines.
    pub fn load_for_export(self, limits: &LoadLimits) -> Result<Model, Error> {
        let value = matches!(self, ModelSource::Value(_));
        let model = self.load(limits)?;
        if value {
            Model::from_value_with(model.value().clone(), limits)
        } else {
            Ok(model)
        }
    }
}

/// `e` without lines and columns.
fn unlocated(e: Error) -> Error {
    let strip = |mut issues: Vec<Issue>| {
        for i in &mut issues {
            i.line = None;
            i.column = None;
        }
        issues
    };
    match e {
        Error::Model(issues) => Error::Model(strip(issues)),
        Error::RulePack(issues) => Error::RulePack(strip(issues)),
        Error::Limit(mut issue) => {
            issue.line = None;
            issue.column = None;
            Error::Limit(issue)
        }
        other => other,
    }
}

/// One issue as JS sees it: camelCase, optional fields absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsIssue {
    /// Stable code.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// JSON Pointer of the node (`""` is the document).
    pub pointer: String,
    /// 1-based line, when the input was text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column, when the input was text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// File the issue is in (rule packs, overlays).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Rule the issue is in (rule packs, overlays).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
}

impl From<&Issue> for JsIssue {
    fn from(i: &Issue) -> Self {
        JsIssue {
            code: i.code.to_owned(),
            message: i.message.clone(),
            pointer: i.pointer.clone(),
            line: i.line,
            column: i.column,
            file: i.file.clone(),
            rule_id: i.rule_id.clone(),
        }
    }
}

/// Which family an error belongs to; index.js maps it to an `Error` subclass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The model could not be loaded (`ModelError`).
    Model,
    /// A rule pack or overlay could not be loaded (`RulePackError`).
    RulePack,
    /// An input exceeds a limit (`LimitError`).
    Limit,
    /// An option or argument is invalid (`OptionsError`).
    Options,
    /// A report could not be exported, or another family (`AimsCheckError`).
    Export,
    /// A bug: a panic caught at the boundary (`InternalError`).
    Internal,
}

impl Kind {
    /// The name index.js reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Model => "model",
            Kind::RulePack => "rule_pack",
            Kind::Limit => "limit",
            Kind::Options => "options",
            Kind::Export => "export",
            Kind::Internal => "internal",
        }
    }
}

/// Any error the binding reports: what becomes a JS `Error` with `code` and `errors`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Family.
    pub kind: Kind,
    /// Stable code.
    pub code: String,
    /// The message of the JS error.
    pub message: String,
    /// Every issue, with pointers (and lines and columns where the input was text).
    pub issues: Vec<JsIssue>,
}

impl Failure {
    /// An invalid option or argument.
    pub fn options(message: impl Into<String>) -> Failure {
        let message = message.into();
        Failure {
            kind: Kind::Options,
            code: codes::OPTIONS.to_owned(),
            issues: vec![JsIssue::from(&Issue::new(
                codes::OPTIONS,
                message.clone(),
                "",
            ))],
            message,
        }
    }

    /// A bug caught at the boundary.
    pub fn internal(message: impl Into<String>) -> Failure {
        let message = message.into();
        Failure {
            kind: Kind::Internal,
            code: INTERNAL.to_owned(),
            issues: vec![JsIssue::from(&Issue::new(INTERNAL, message.clone(), ""))],
            message,
        }
    }

    /// The issues as a JSON array.
    pub fn issues_json(&self) -> String {
        serde_json::to_string(&self.issues).unwrap_or_else(|_| "[]".to_owned())
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let kind = match aimscheck::api::error_kind(&e) {
            aimscheck::api::ErrorKind::Model => Kind::Model,
            aimscheck::api::ErrorKind::RulePack => Kind::RulePack,
            aimscheck::api::ErrorKind::Limit => Kind::Limit,
            aimscheck::api::ErrorKind::Options => Kind::Options,
            aimscheck::api::ErrorKind::Export => Kind::Export,
            aimscheck::api::ErrorKind::Internal => Kind::Internal,
            // A report that is not one, an I/O error, or a family the core may add later (the enum is non-exhaustive).
            _ => Kind::Export,
        };
        Failure {
            kind,
            code: e.code().to_owned(),
            message: e.to_string(),
            issues: e.issues().iter().map(JsIssue::from).collect(),
        }
    }
}

/// Runs `f`, turning a panic into an internal [`Failure`]: nothing unwinds into Node.
pub fn guarded<T>(f: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            Err(Failure::internal(format!(
                "internal error in aimscheck (please report it): {what}"
            )))
        }
    }
}

/// An engine and the overlay it applies (kept to list rules as changed).
#[derive(Debug)]
pub struct Loaded {
    /// The compiled packs, the overlay applied.
    pub engine: Engine,
}

/// The options of `evaluate`, `new Engine` and `Engine#evaluate`, read from the JSON text of
/// the JS options object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallOptions {
    /// `asOf`, as a `YYYY-MM-DD` date.
    pub as_of: Option<String>,
    /// `tier`.
    pub tier: Option<String>,
    /// `profile`.
    pub profile: Option<String>,
    /// `maxFindingsPerRule`.
    pub max_findings_per_rule: Option<usize>,
    /// `maxStepsPerRule`.
    pub max_steps_per_rule: Option<u64>,
    /// `limits`: the limits applied while loading the model (the library's defaults for
    /// those not given).
    pub limits: LoadLimits,
    /// `rules`: folders of further packs.
    pub rules: Vec<PathBuf>,
    /// `defaultRules` (default true).
    pub default_rules: Option<bool>,
    /// `overlay`: a path, or the overlay object as JSON.
    pub overlay: Option<OverlayArg>,
}

/// An overlay as given.
#[derive(Debug, Clone, PartialEq)]
pub enum OverlayArg {
    /// A JSON file.
    Path(PathBuf),
    /// `{disable?, severity?}` as JSON.
    Inline(Value),
}

/// Which option names a call takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// `evaluate(model, options)`: evaluation and engine options.
    All,
    /// `Engine#evaluate`: evaluation options only.
    Evaluation,
    /// `new Engine(config)`: engine options only.
    Engine,
}

const EVALUATION: [&str; 6] = [
    "asOf",
    "tier",
    "profile",
    "maxFindingsPerRule",
    "maxStepsPerRule",
    "limits",
];
const ENGINE: [&str; 3] = ["rules", "defaultRules", "overlay"];

impl CallOptions {
    /// Reads the JSON text of a JS options object (`None`: the caller passed `undefined`).
    pub fn parse(json: Option<&str>, accept: Accept, what: &str) -> Result<CallOptions, Failure> {
        let value: Value = match json {
            None => return Ok(CallOptions::default()),
            Some(text) => serde_json::from_str(text)
                .map_err(|e| Failure::options(format!("{what} could not be read as JSON: {e}")))?,
        };
        let map = match value {
            Value::Null => return Ok(CallOptions::default()),
            Value::Object(map) => map,
            other => {
                return Err(Failure::options(format!(
                    "{what} must be an object, not {}",
                    js_type(&other)
                )));
            }
        };
        Self::from_map(map, accept, what)
    }

    fn from_map(
        map: Map<String, Value>,
        accept: Accept,
        what: &str,
    ) -> Result<CallOptions, Failure> {
        let mut o = CallOptions::default();
        for (key, value) in map {
            let known = match accept {
                Accept::All => EVALUATION.contains(&key.as_str()) || ENGINE.contains(&key.as_str()),
                Accept::Evaluation => EVALUATION.contains(&key.as_str()),
                Accept::Engine => ENGINE.contains(&key.as_str()),
            };
            if !known {
                let hint = if accept == Accept::Evaluation && ENGINE.contains(&key.as_str()) {
                    " (an engine's packs and overlay are set by new Engine({rules, overlay}))"
                } else if accept == Accept::Engine && EVALUATION.contains(&key.as_str()) {
                    " (evaluation options go to engine.evaluate(model, options))"
                } else {
                    ""
                };
                let allowed: Vec<&str> = match accept {
                    Accept::All => EVALUATION.iter().chain(ENGINE.iter()).copied().collect(),
                    Accept::Evaluation => EVALUATION.to_vec(),
                    Accept::Engine => ENGINE.to_vec(),
                };
                return Err(Failure::options(format!(
                    "unknown option {key} in {what}{hint}; expected {}",
                    allowed.join(", ")
                )));
            }
            if value.is_null() {
                if key == "asOf" {
                    return Err(Failure::options(
                        "asOf is null (an invalid Date becomes null in JSON): give a valid Date \
                         or a YYYY-MM-DD string",
                    ));
                }
                continue;
            }
            match key.as_str() {
                "asOf" => o.as_of = Some(as_of(&value)?),
                "tier" => o.tier = Some(string(&value, "tier")?),
                "profile" => o.profile = Some(string(&value, "profile")?),
                "maxFindingsPerRule" => {
                    o.max_findings_per_rule = Some(count(&value, "maxFindingsPerRule")?);
                }
                "maxStepsPerRule" => {
                    o.max_steps_per_rule = Some(safe_integer(&value, "maxStepsPerRule")?);
                }
                "limits" => o.limits = read_limits(&value)?,
                "rules" => {
                    o.rules = match &value {
                        Value::String(s) => vec![PathBuf::from(s)],
                        Value::Array(items) => items
                            .iter()
                            .map(|v| string(v, "every entry of rules").map(PathBuf::from))
                            .collect::<Result<_, _>>()?,
                        other => {
                            return Err(Failure::options(format!(
                                "rules must be a folder path or an array of folder paths, not {}",
                                js_type(other)
                            )));
                        }
                    }
                }
                "defaultRules" => {
                    o.default_rules = Some(value.as_bool().ok_or_else(|| {
                        Failure::options(format!(
                            "defaultRules must be a boolean, not {}",
                            js_type(&value)
                        ))
                    })?);
                }
                "overlay" => {
                    o.overlay = Some(match value {
                        Value::String(s) => OverlayArg::Path(PathBuf::from(s)),
                        v @ Value::Object(_) => OverlayArg::Inline(v),
                        other => {
                            return Err(Failure::options(format!(
                                "overlay must be an object {{disable?, severity?}} or a file path, not {}",
                                js_type(&other)
                            )));
                        }
                    })
                }
                _ => {}
            }
        }
        Ok(o)
    }

    /// The evaluation options; `asOf` is required.
    pub fn evaluation(&self) -> Result<Options, Failure> {
        let as_of = self.as_of.clone().ok_or_else(|| {
            Failure::options(
                "asOf is required: the evaluation date, a Date or a YYYY-MM-DD string \
                 (the engine never reads a clock)",
            )
        })?;
        let options = EvaluateOptions {
            as_of,
            tier: self.tier.clone(),
            profile: self.profile.clone(),
            max_findings_per_rule: self.max_findings_per_rule,
            max_steps_per_rule: self.max_steps_per_rule,
        };
        Ok(options.to_options()?)
    }

    /// Whether the options name no pack and no overlay (the shared default engine will do).
    pub fn default_engine(&self) -> bool {
        self.rules.is_empty() && self.default_rules.unwrap_or(true) && self.overlay.is_none()
    }

    /// Builds the engine the options describe (reads the pack folders and overlay file).
    pub fn engine(&self) -> Result<Loaded, Failure> {
        let overlay = match &self.overlay {
            None => None,
            // An object: its errors point into it, with no line of a text the caller never wrote.
            Some(OverlayArg::Inline(v)) => {
                Some(aimscheck::api::OverlayInput::Value(v.clone()).load()?)
            }
            Some(OverlayArg::Path(p)) => {
                let name = p.display().to_string();
                let text = std::fs::read_to_string(p).map_err(|e| {
                    Failure::from(Error::RulePack(vec![Issue {
                        file: Some(name.clone()),
                        ..Issue::new(codes::PACK_IO, format!("cannot read the overlay: {e}"), "")
                    }]))
                })?;
                Some(Overlay::from_json(&text, Some(&name))?)
            }
        };
        let config = EngineConfig {
            rules: self.rules.clone(),
            default_rules: self.default_rules.unwrap_or(true),
            overlay,
        };
        Ok(Loaded {
            engine: Engine::from_config(&config)?,
        })
    }
}

/// The engine of the embedded default pack, compiled once per process.
pub fn default_engine() -> Result<Arc<Loaded>, Failure> {
    static DEFAULT: OnceLock<Result<Arc<Loaded>, Failure>> = OnceLock::new();
    DEFAULT
        .get_or_init(|| {
            guarded(|| {
                Ok(Arc::new(Loaded {
                    engine: Engine::new()?,
                }))
            })
        })
        .clone()
}

/// The engine for `options`: the shared default one, or a new one.
pub fn engine_for(options: &CallOptions) -> Result<Arc<Loaded>, Failure> {
    if options.default_engine() {
        default_engine()
    } else {
        options.engine().map(Arc::new)
    }
}

/// `asOf`: `YYYY-MM-DD`, or an ISO date-time (what `JSON.stringify` makes of a `Date`), whose
/// date part as written is used (for a `Date`, its UTC date).
fn as_of(value: &Value) -> Result<String, Failure> {
    let bad = || {
        Failure::options(format!(
            "asOf must be a valid Date or an ISO date string (YYYY-MM-DD), not {value}"
        ))
    };
    let s = value.as_str().ok_or_else(bad)?;
    let date = s.get(..10).ok_or_else(bad)?;
    let rest = s.get(10..).unwrap_or_default();
    let time_ok = rest.is_empty()
        || chrono::DateTime::parse_from_rfc3339(s).is_ok()
        || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").is_ok();
    if !time_ok {
        return Err(bad());
    }
    Ok(date.to_owned())
}

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A non-negative safe integer (`0` to `Number.MAX_SAFE_INTEGER`) named `name`.
fn safe_integer(value: &Value, name: &str) -> Result<u64, Failure> {
    value
        .as_u64()
        .filter(|n| *n <= MAX_SAFE_INTEGER)
        .ok_or_else(|| {
            let what = match value {
                Value::Number(n) => n.to_string(),
                other => js_type(other).to_owned(),
            };
            Failure::options(format!(
                "{name} must be a non-negative integer (at most Number.MAX_SAFE_INTEGER), not {what}"
            ))
        })
}

/// A non-negative safe integer named `name`, as a count or size.
fn count(value: &Value, name: &str) -> Result<usize, Failure> {
    let n = safe_integer(value, name)?;
    usize::try_from(n)
        .map_err(|_| Failure::options(format!("{name} is {n}, more than this platform can count")))
}

/// Reads `limits` from the JSON text of the JS value (`None`: the caller passed `undefined`).
pub fn limits_from_json(json: Option<&str>) -> Result<LoadLimits, Failure> {
    let Some(text) = json else {
        return Ok(LoadLimits::default());
    };
    let value: Value = serde_json::from_str(text)
        .map_err(|e| Failure::options(format!("limits could not be read as JSON: {e}")))?;
    read_limits(&value)
}

/// The names of the members of `limits`, in the order messages list them.
pub const LIMITS: [&str; 4] = ["maxBytes", "maxDepth", "maxIssues", "maxArrayLen"];

/// Reads the `limits` option, `{maxBytes?, maxDepth?, maxIssues?, maxArrayLen?}` (each a
/// non-negative integer; `null` or absent keeps the library's default).
pub fn read_limits(value: &Value) -> Result<LoadLimits, Failure> {
    let expected = || {
        LIMITS
            .iter()
            .map(|k| format!("{k}?"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let map = match value {
        Value::Null => return Ok(LoadLimits::default()),
        Value::Object(map) => map,
        other => {
            return Err(Failure::options(format!(
                "limits must be an object {{{}}}, not {}",
                expected(),
                js_type(other)
            )));
        }
    };
    let mut limits = LoadLimits::default();
    for (key, v) in map {
        if v.is_null() && LIMITS.contains(&key.as_str()) {
            continue;
        }
        let name = format!("limits.{key}");
        match key.as_str() {
            "maxBytes" => limits.max_bytes = count(v, &name)?,
            "maxDepth" => limits.max_depth = count(v, &name)?,
            "maxIssues" => limits.max_issues = count(v, &name)?,
            "maxArrayLen" => limits.max_array_len = count(v, &name)?,
            _ => {
                return Err(Failure::options(format!(
                    "unknown limit {key} in limits; expected {}",
                    LIMITS.join(", ")
                )));
            }
        }
    }
    Ok(limits)
}

fn string(value: &Value, what: &str) -> Result<String, Failure> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Failure::options(format!("{what} must be a string, not {}", js_type(value))))
}

/// How JS would name the type of `v`.
fn js_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Loads `model` within `limits` and evaluates it: the report as compact JSON.
pub fn evaluate(
    engine: &Engine,
    model: ModelSource,
    limits: &LoadLimits,
    options: &Options,
) -> Result<String, Failure> {
    let model = model.load(limits)?;
    let report = engine.evaluate(&model, options)?;
    serde_json::to_string(&report)
        .map_err(|e| Failure::internal(format!("the report could not be written as JSON: {e}")))
}

/// Every issue of `model`, loaded within `limits`, as a JSON array (`[]` when it is valid):
/// the issues of an error of kind model or limit; another error is thrown.
pub fn validate(model: ModelSource, limits: &LoadLimits) -> Result<String, Failure> {
    let issues: Vec<JsIssue> = match model.load(limits) {
        Ok(_) => Vec::new(),
        Err(e) => match aimscheck::api::error_kind(&e) {
            aimscheck::api::ErrorKind::Model | aimscheck::api::ErrorKind::Limit => {
                e.issues().iter().map(JsIssue::from).collect()
            }
            _ => return Err(e.into()),
        },
    };
    serde_json::to_string(&issues)
        .map_err(|e| Failure::internal(format!("the issues could not be written as JSON: {e}")))
}

/// The rules of `loaded` as JSON: what `aimscheck rules list --format json` prints, with the
/// severity the engine's overlay sets and `"disabled": true` for the rules it turns off.
pub fn rules(loaded: &Loaded) -> Result<String, Failure> {
    serde_json::to_string(&aimscheck::api::rules_json(&loaded.engine))
        .map_err(|e| Failure::internal(format!("the rules could not be written as JSON: {e}")))
}

/// An argument as JS gave it, for the arguments that must be strings (formats, `modelUri`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// `undefined` or `null`.
    Missing,
    /// A string.
    String(String),
    /// Anything else: how JS would name its type (`a number`, `an object`, ...).
    Other(&'static str),
}

/// The export format names, for messages.
fn export_format_names() -> String {
    Format::ALL.map(Format::as_str).join(", ")
}

/// Reads the `format` of `exportReport`.
pub fn export_format(arg: &Arg) -> Result<Format, Failure> {
    let names = export_format_names();
    match arg {
        Arg::Missing => Err(Failure::options(format!(
            "the format is required: one of {names}"
        ))),
        Arg::String(s) => Format::parse(s).ok_or_else(|| {
            Failure::options(format!(
                "unknown export format {s:?}: expected one of {names}"
            ))
        }),
        Arg::Other(t) => Err(Failure::options(format!(
            "the format must be a string, one of {names}; not {t}"
        ))),
    }
}

/// Reads the `format` option of `diagram` (default `dot`).
pub fn diagram_format(arg: &Arg) -> Result<DiagramFormat, Failure> {
    let names = "dot, svg, mermaid";
    match arg {
        Arg::Missing => Ok(DiagramFormat::Dot),
        Arg::String(s) => DiagramFormat::parse(s).ok_or_else(|| {
            Failure::options(format!(
                "unknown diagram format {s:?}: expected one of {names}"
            ))
        }),
        Arg::Other(t) => Err(Failure::options(format!(
            "the diagram format must be a string, one of {names}; not {t}"
        ))),
    }
}

/// Reads a string option (`modelUri`): `None` when missing.
pub fn string_arg(arg: Arg, name: &str) -> Result<Option<String>, Failure> {
    match arg {
        Arg::Missing => Ok(None),
        Arg::String(s) => Ok(Some(s)),
        Arg::Other(t) => Err(Failure::options(format!(
            "{name} must be a string, not {t}"
        ))),
    }
}

/// Reads a report: the JSON of a report `evaluate` returned (an object, or its JSON text as a
/// string or a `Buffer`), through the core's report reader (`AIMS-E-REPORT` for anything that
/// is not a report of this engine's format).
pub fn read_report(source: &ModelSource) -> Result<Report, Failure> {
    use aimscheck::api::ReportInput;
    let input = match source {
        ModelSource::Text(text) => ReportInput::Text(text.clone()),
        ModelSource::Bytes(bytes) => ReportInput::Bytes(bytes.clone()),
        // The text JSON.stringify made: read as a value, so that no error points into it.
        ModelSource::Value(json) => ReportInput::Value(
            serde_json::from_str(json)
                .map_err(|e| Failure::internal(format!("the report could not be read: {e}")))?,
        ),
    };
    Ok(aimscheck::api::read_report(input)?)
}

/// What `exportReport` needs, read on the JS thread; [`ExportJob::run`] does the work.
#[derive(Debug, Clone)]
pub struct ExportJob {
    /// The report.
    pub report: ModelSource,
    /// The format.
    pub format: Format,
    /// The model the report is about: line numbers (text) and the process map.
    pub model: Option<ModelSource>,
    /// How to name the model file in locations.
    pub model_uri: Option<String>,
    /// The limits the model is loaded within.
    pub limits: LoadLimits,
}

impl ExportJob {
    /// Reads the report, loads the model, renders.
    pub fn run(self) -> Result<String, Failure> {
        guarded(|| {
            let report = read_report(&self.report)?;
            let model = self
                .model
                .map(|m| m.load_for_export(&self.limits))
                .transpose()?;
            if let Some(m) = &model {
                aimscheck::api::same_model(m, &report)?;
            }
            let ctx = export::Context {
                model: model.as_ref(),
                model_uri: self.model_uri.as_deref(),
            };
            Ok(export::render(self.format, &report, &ctx)?)
        })
    }
}

/// What `diagram` needs; [`DiagramJob::run`] does the work.
#[derive(Debug, Clone)]
pub struct DiagramJob {
    /// The model.
    pub model: ModelSource,
    /// The form of the map.
    pub format: DiagramFormat,
    /// A report of the model: its failing processes are marked.
    pub report: Option<ModelSource>,
    /// The limits the model is loaded within.
    pub limits: LoadLimits,
}

impl DiagramJob {
    /// Loads the model, reads the report, draws.
    pub fn run(self) -> Result<String, Failure> {
        guarded(|| {
            let model = self.model.load(&self.limits)?;
            let report = self.report.as_ref().map(read_report).transpose()?;
            if let Some(r) = &report {
                aimscheck::api::same_model(&model, r)?;
            }
            Ok(diagram::render(&model, report.as_ref(), self.format)?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(json: &str, accept: Accept) -> Result<CallOptions, Failure> {
        CallOptions::parse(Some(json), accept, "options")
    }

    #[test]
    fn reads_camel_case_options() {
        let o = opts(
            r#"{"asOf":"2026-06-30T00:00:00.000Z","tier":"scaleup","rules":"packs/x","overlay":{"disable":["AIMS-CI-02"]},"profile":null}"#,
            Accept::All,
        )
        .unwrap();
        assert_eq!(o.as_of.as_deref(), Some("2026-06-30"));
        assert_eq!(o.tier.as_deref(), Some("scaleup"));
        assert_eq!(o.profile, None);
        assert_eq!(o.rules, vec![PathBuf::from("packs/x")]);
        assert!(matches!(o.overlay, Some(OverlayArg::Inline(_))));
        assert!(!o.default_engine());
    }

    #[test]
    fn rejects_unknown_and_misplaced_options() {
        let e = opts(r#"{"as_of":"2026-06-30"}"#, Accept::All).unwrap_err();
        assert_eq!(e.code, "AIMS-E-OPTIONS");
        assert!(e.message.contains("unknown option as_of"), "{}", e.message);
        let e = opts(r#"{"asOf":"2026-06-30","rules":[]}"#, Accept::Evaluation).unwrap_err();
        assert!(e.message.contains("new Engine"), "{}", e.message);
        let e = opts(r#"{"asOf":"2026-06-30"}"#, Accept::Engine).unwrap_err();
        assert!(e.message.contains("engine.evaluate"), "{}", e.message);
        let e = CallOptions::parse(Some("5"), Accept::All, "options").unwrap_err();
        assert!(e.message.contains("must be an object"), "{}", e.message);
    }

    #[test]
    fn checks_as_of() {
        for ok in [
            "2026-06-30",
            "2026-06-30T10:00:00Z",
            "2026-06-30T23:30:00-05:00",
            "2026-06-30T10:00",
        ] {
            let o = opts(&format!(r#"{{"asOf":"{ok}"}}"#), Accept::All).unwrap();
            assert_eq!(o.as_of.as_deref(), Some("2026-06-30"), "{ok}");
        }
        for bad in [
            r#""2026-06-30Tnoon""#,
            "20260630",
            r#""06/30/2026x""#,
            r#""2026""#,
        ] {
            let e = opts(&format!(r#"{{"asOf":{bad}}}"#), Accept::All).unwrap_err();
            assert_eq!(e.code, "AIMS-E-OPTIONS", "{bad}");
        }
        // Date-shaped but impossible: caught by the core's date parser.
        let o = opts(r#"{"asOf":"2026-02-30"}"#, Accept::All).unwrap();
        assert_eq!(o.evaluation().unwrap_err().code, "AIMS-E-OPTIONS");
        let e = CallOptions::default().evaluation().unwrap_err();
        assert!(e.message.contains("asOf is required"), "{}", e.message);
    }

    #[test]
    fn text_errors_are_located_and_value_errors_are_not() {
        let e: Failure = ModelSource::Text("{not json".into())
            .load(&LoadLimits::default())
            .unwrap_err()
            .into();
        assert_eq!(e.kind, Kind::Model);
        assert_eq!(e.code, "AIMS-E-SYNTAX");
        assert_eq!((e.issues[0].line, e.issues[0].column), (Some(1), Some(2)));
        let bad = r#"{"schema_version":"1.0","processes":[{"id":"p","clause_refs":["99.9"]}]}"#;
        let e: Failure = ModelSource::Text(bad.into())
            .load(&LoadLimits::default())
            .unwrap_err()
            .into();
        assert!(e.issues[0].line.is_some());
        let e: Failure = ModelSource::Value(bad.into())
            .load(&LoadLimits::default())
            .unwrap_err()
            .into();
        assert_eq!(e.code, "AIMS-E-UNKNOWN-CLAUSE");
        assert_eq!(e.issues[0].pointer, "/processes/0/clause_refs/0");
        assert_eq!(e.issues[0].line, None);
        let e: Failure = ModelSource::Bytes(vec![b'{', 0xff])
            .load(&LoadLimits::default())
            .unwrap_err()
            .into();
        assert_eq!(e.code, "AIMS-E-SYNTAX");
    }

    #[test]
    fn evaluates_and_validates() {
        let loaded = default_engine().unwrap();
        let o = opts(r#"{"asOf":"2026-06-30","tier":"startup"}"#, Accept::All).unwrap();
        let model = ModelSource::Text(r#"{"schema_version":"1.0"}"#.into());
        let json = evaluate(
            &loaded.engine,
            model.clone(),
            &LoadLimits::default(),
            &o.evaluation().unwrap(),
        )
        .unwrap();
        let report: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(report["as_of"], "2026-06-30");
        assert_eq!(report["verdict"], "nonconformant");
        assert_eq!(validate(model, &LoadLimits::default()).unwrap(), "[]");
        let issues: Value = serde_json::from_str(
            &validate(ModelSource::Text("[]".into()), &LoadLimits::default()).unwrap(),
        )
        .unwrap();
        assert_eq!(issues[0]["code"], "AIMS-E-SCHEMA");
    }

    #[test]
    fn overlays_change_the_rule_list() {
        let o = opts(
            r#"{"overlay":{"disable":["AIMS-CI-02"],"severity":{"AIMS-DOC-04":"critical"}}}"#,
            Accept::Engine,
        )
        .unwrap();
        let loaded = o.engine().unwrap();
        let rules: Value = serde_json::from_str(&rules(&loaded).unwrap()).unwrap();
        let find = |id: &str| {
            rules
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == id)
                .unwrap()
                .clone()
        };
        assert_eq!(find("AIMS-CI-02")["disabled"], true);
        assert_eq!(find("AIMS-DOC-04")["severity"], "critical");
        let e = opts(r#"{"overlay":{"disable":["NOPE-01"]}}"#, Accept::Engine)
            .unwrap()
            .engine()
            .unwrap_err();
        assert_eq!(e.kind, Kind::RulePack);
        assert_eq!(e.issues[0].rule_id.as_deref(), Some("NOPE-01"));
        let e = opts(r#"{"overlay":"/nonexistent/overlay.json"}"#, Accept::Engine)
            .unwrap()
            .engine()
            .unwrap_err();
        assert_eq!(e.code, "AIMS-E-PACK-IO");
    }

    #[test]
    fn reads_the_evaluation_limits() {
        let o = opts(
            r#"{"asOf":"2026-06-30","maxFindingsPerRule":0,"maxStepsPerRule":9007199254740991}"#,
            Accept::Evaluation,
        )
        .unwrap();
        assert_eq!(o.max_findings_per_rule, Some(0));
        assert_eq!(o.max_steps_per_rule, Some(9_007_199_254_740_991));
        let e = o.evaluation().unwrap();
        assert_eq!(
            (e.max_findings_per_rule, e.max_steps_per_rule),
            (0, 9_007_199_254_740_991)
        );
        let defaults = opts(r#"{"asOf":"2026-06-30"}"#, Accept::All)
            .unwrap()
            .evaluation()
            .unwrap();
        assert_eq!(defaults.max_steps_per_rule, aimscheck::DEFAULT_MAX_STEPS);
        for (bad, name) in [
            (r#""maxStepsPerRule":-1"#, "maxStepsPerRule"),
            (r#""maxStepsPerRule":1.5"#, "maxStepsPerRule"),
            (r#""maxStepsPerRule":"10""#, "maxStepsPerRule"),
            (r#""maxStepsPerRule":9007199254740992"#, "maxStepsPerRule"),
            (r#""maxFindingsPerRule":-1"#, "maxFindingsPerRule"),
            (r#""maxFindingsPerRule":1e300"#, "maxFindingsPerRule"),
        ] {
            let e = opts(&format!(r#"{{"asOf":"2026-06-30",{bad}}}"#), Accept::All).unwrap_err();
            assert_eq!(e.code, "AIMS-E-OPTIONS", "{bad}");
            assert!(
                e.message
                    .starts_with(&format!("{name} must be a non-negative integer")),
                "{bad}: {}",
                e.message
            );
        }
        // Evaluation options, not an engine's.
        let e = opts(r#"{"maxStepsPerRule":10}"#, Accept::Engine).unwrap_err();
        assert!(e.message.contains("engine.evaluate"), "{}", e.message);
    }

    #[test]
    fn reads_the_load_limits() {
        let o = opts(
            r#"{"asOf":"2026-06-30","limits":{"maxBytes":10,"maxDepth":3,"maxIssues":0,"maxArrayLen":null}}"#,
            Accept::Evaluation,
        )
        .unwrap();
        assert_eq!(
            o.limits,
            LoadLimits {
                max_bytes: 10,
                max_depth: 3,
                max_issues: 0,
                ..LoadLimits::default()
            }
        );
        assert_eq!(
            opts(r#"{"limits":null}"#, Accept::All).unwrap().limits,
            LoadLimits::default()
        );
        assert_eq!(limits_from_json(None).unwrap(), LoadLimits::default());
        assert_eq!(
            limits_from_json(Some(r#"{"maxArrayLen":2}"#))
                .unwrap()
                .max_array_len,
            2
        );
        for (bad, message) in [
            (r#"{"max_depth":3}"#, "unknown limit max_depth in limits"),
            (r#"{"depth":null}"#, "unknown limit depth in limits"),
            (
                r#"{"maxDepth":-1}"#,
                "limits.maxDepth must be a non-negative integer",
            ),
            (
                r#"{"maxBytes":2.5}"#,
                "limits.maxBytes must be a non-negative integer",
            ),
            (
                r#"{"maxIssues":"5"}"#,
                "limits.maxIssues must be a non-negative integer",
            ),
            (r#"{"maxArrayLen":true}"#, "not a boolean"),
            (
                "[]",
                "limits must be an object {maxBytes?, maxDepth?, maxIssues?, maxArrayLen?}",
            ),
            ("5", "not a number"),
        ] {
            let e = limits_from_json(Some(bad)).unwrap_err();
            assert_eq!((e.kind, e.code.as_str()), (Kind::Options, "AIMS-E-OPTIONS"));
            assert!(e.message.contains(message), "{bad}: {}", e.message);
            let e = opts(&format!(r#"{{"limits":{bad}}}"#), Accept::All).unwrap_err();
            assert!(e.message.contains(message), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn models_load_within_the_limits() {
        let deep = r#"{"schema_version":"1.0","x_a":[[[1]]]}"#;
        let limits = LoadLimits {
            max_depth: 3,
            ..LoadLimits::default()
        };
        for source in [
            ModelSource::Text(deep.into()),
            ModelSource::Bytes(deep.into()),
            ModelSource::Value(deep.into()),
        ] {
            assert!(source.clone().load(&LoadLimits::default()).is_ok());
            let e: Failure = source.clone().load(&limits).unwrap_err().into();
            assert_eq!((e.kind, e.code.as_str()), (Kind::Limit, "AIMS-E-LIMIT"));
            assert_eq!(
                e.issues[0].line.is_some(),
                !matches!(source, ModelSource::Value(_))
            );
            let issues: Value =
                serde_json::from_str(&validate(source.clone(), &limits).unwrap()).unwrap();
            assert_eq!(issues[0]["code"], "AIMS-E-LIMIT");
            let tiny = LoadLimits {
                max_bytes: 10,
                ..LoadLimits::default()
            };
            let e: Failure = source.load(&tiny).unwrap_err().into();
            assert_eq!(e.kind, Kind::Limit);
            assert!(e.message.contains("limit of 10 bytes"), "{}", e.message);
        }
    }

    #[test]
    fn the_class_follows_the_kind_and_any_limit_code_is_a_limit() {
        let limit = |e: Error| Failure::from(e).kind;
        let issue = || Issue::new(codes::LIMIT, "too much", "");
        assert_eq!(limit(Error::Model(vec![issue()])), Kind::Limit);
        assert_eq!(limit(Error::RulePack(vec![issue()])), Kind::Limit);
        assert_eq!(limit(Error::Limit(Box::new(issue()))), Kind::Limit);
        let schema = Issue::new(codes::SCHEMA, "not an object", "");
        assert_eq!(limit(Error::Model(vec![schema.clone()])), Kind::Model);
        assert_eq!(limit(Error::RulePack(vec![schema])), Kind::RulePack);
        // validate lists the issues of a limit error whatever family carries it.
        let text = r#"{"schema_version":"1.0","roles":[{},{},{}]}"#;
        let limits = LoadLimits {
            max_array_len: 2,
            ..LoadLimits::default()
        };
        let issues: Value =
            serde_json::from_str(&validate(ModelSource::Text(text.into()), &limits).unwrap())
                .unwrap();
        assert_eq!(issues[0]["code"], "AIMS-E-LIMIT");
        assert_eq!(issues[0]["pointer"], "/roles");
    }

    #[test]
    fn panics_become_internal_failures() {
        let r: Result<(), Failure> = guarded(|| panic!("boom"));
        let e = r.unwrap_err();
        assert_eq!(e.kind, Kind::Internal);
        assert_eq!(e.code, INTERNAL);
        assert!(e.message.contains("boom"));
    }

    fn example_report(model: &ModelSource) -> String {
        let loaded = default_engine().unwrap();
        let o = opts(r#"{"asOf":"2026-06-30"}"#, Accept::All).unwrap();
        evaluate(
            &loaded.engine,
            model.clone(),
            &LoadLimits::default(),
            &o.evaluation().unwrap(),
        )
        .unwrap()
    }

    const SMALL: &str = r#"{"schema_version": "1.0", "processes": [
        {"id": "p-ra", "name": "Risk assessment", "status": "active",
         "outputs": [{"artifact": "assessed risks", "to_process_id": "p-rt"}]},
        {"id": "p-rt", "name": "Risk treatment", "status": "active",
         "inputs": [{"artifact": "assessed risks", "from_process_id": "p-ra"}]}]}"#;

    #[test]
    fn exports_a_report_read_back_from_json() {
        let model = ModelSource::Text(SMALL.into());
        let report = example_report(&model);
        for format in Format::ALL {
            let job = ExportJob {
                report: ModelSource::Value(report.clone()),
                format,
                model: Some(model.clone()),
                model_uri: Some("aims.json".into()),
                limits: LoadLimits::default(),
            };
            let text = job.run().unwrap();
            let core = {
                let m = model.clone().load(&LoadLimits::default()).unwrap();
                let r: Report = serde_json::from_str(&report).unwrap();
                let ctx = export::Context {
                    model: Some(&m),
                    model_uri: Some("aims.json"),
                };
                export::render(format, &r, &ctx).unwrap()
            };
            assert_eq!(text, core, "{}", format.as_str());
        }
        // A model given as a JS value has no text, so SARIF has no lines from it.
        let job = ExportJob {
            report: ModelSource::Text(report.clone()),
            format: Format::Sarif,
            model: Some(ModelSource::Value(SMALL.into())),
            model_uri: None,
            limits: LoadLimits::default(),
        };
        assert!(!job.run().unwrap().contains("startLine"));
    }

    #[test]
    fn rejects_what_is_not_a_report() {
        let e = read_report(&ModelSource::Value(r#"{"a":1}"#.into())).unwrap_err();
        assert_eq!((e.kind, e.code.as_str()), (Kind::Export, codes::REPORT));
        assert_eq!(e.issues[0].line, None);
        let e = read_report(&ModelSource::Text(SMALL.into())).unwrap_err();
        assert!(
            e.message.contains("not a report but a model"),
            "{}",
            e.message
        );
        // A report of the right format whose member has the wrong shape.
        let e = read_report(&ModelSource::Text(
            "{\"report_version\": \"2.0\",\n \"rules\": 5}".into(),
        ))
        .unwrap_err();
        assert_eq!(e.code, codes::REPORT);
        assert!(e.message.contains("not a report of format 2.0"), "{e:?}");
        let e = read_report(&ModelSource::Text("{oops".into())).unwrap_err();
        assert!(e.message.contains("not JSON"), "{}", e.message);
        assert_eq!(e.code, codes::REPORT);
        let e = read_report(&ModelSource::Bytes(vec![0xff])).unwrap_err();
        assert_eq!(e.code, codes::REPORT);
    }

    #[test]
    fn reads_formats() {
        assert_eq!(
            export_format(&Arg::String("ciso-csv".into())).unwrap(),
            Format::CisoCsv
        );
        for bad in [
            Arg::String("xml".into()),
            Arg::Missing,
            Arg::Other("a number"),
        ] {
            let e = export_format(&bad).unwrap_err();
            assert_eq!(e.kind, Kind::Options);
            assert!(
                e.message
                    .contains("sarif, oscal, junit, markdown, html, ciso-csv"),
                "{}",
                e.message
            );
        }
        assert_eq!(diagram_format(&Arg::Missing).unwrap(), DiagramFormat::Dot);
        assert_eq!(
            diagram_format(&Arg::String("mermaid".into())).unwrap(),
            DiagramFormat::Mermaid
        );
        assert_eq!(
            diagram_format(&Arg::String("png".into())).unwrap_err().code,
            "AIMS-E-OPTIONS"
        );
        assert_eq!(
            string_arg(Arg::Other("a number"), "modelUri")
                .unwrap_err()
                .message,
            "modelUri must be a string, not a number"
        );
    }

    #[test]
    fn draws_the_map_with_failing_processes_marked() {
        let model = ModelSource::Text(SMALL.into());
        let report = example_report(&model);
        for format in [
            DiagramFormat::Dot,
            DiagramFormat::Mermaid,
            DiagramFormat::Svg,
        ] {
            let job = DiagramJob {
                model: model.clone(),
                format,
                report: Some(ModelSource::Value(report.clone())),
                limits: LoadLimits::default(),
            };
            let text = job.run().unwrap();
            // Mermaid names its nodes p0, p1, ... and shows the process names.
            assert!(
                text.contains("Risk assessment") && text.contains("Risk treatment"),
                "{text}"
            );
            if format != DiagramFormat::Mermaid {
                assert!(text.contains("p-ra") && text.contains("p-rt"), "{text}");
            }
        }
        let job = DiagramJob {
            model: model.clone(),
            format: DiagramFormat::Dot,
            report: Some(ModelSource::Text("[]".into())),
            limits: LoadLimits::default(),
        };
        assert_eq!(job.run().unwrap_err().code, codes::REPORT);
    }
}
