//! One typed call and answer per operation the front ends offer: evaluate, validate, export,
//! diagram, rules list and rules explain (and, in `tools`, init, migrate and diff). Each request is a serde type that refuses unknown
//! members and accepts the camelCase spellings JavaScript passes; each operation also has a
//! `*_json` entry point taking the request as JSON text and answering
//! `{"ok": true, "value": ...}` or `{"ok": false, "error": {code, message, errors}}`, for FFI,
//! WASM or any other embedder.

use super::error_json;
use super::input::{ModelInput, OverlayInput, ReportInput, read_report};
use crate::engine::{
    DEFAULT_MAX_FINDINGS, DEFAULT_MAX_STEPS, DEFAULT_MAX_STEPS_TOTAL, Engine, Options,
};
use crate::error::{Error, Issue, Result, codes};
use crate::export::diagram::{self, DiagramFormat};
use crate::export::{self, Format};
use crate::model::{LoadLimits, Model};
use crate::pack::{RuleMeta, RulePack};
use crate::report::Report;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

/// Load limits; those not given keep the library's defaults.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest accepted input, in bytes.
    #[serde(default, alias = "maxBytes")]
    pub max_bytes: Option<usize>,
    /// Deepest accepted nesting of arrays and objects.
    #[serde(default, alias = "maxDepth")]
    pub max_depth: Option<usize>,
    /// Most issues listed in one model error.
    #[serde(default, alias = "maxIssues")]
    pub max_issues: Option<usize>,
    /// Most items of any one array.
    #[serde(default, alias = "maxArrayLen")]
    pub max_array_len: Option<usize>,
}

impl Limits {
    /// The load limits, defaults filled in.
    pub fn to_load_limits(&self) -> LoadLimits {
        let d = LoadLimits::default();
        LoadLimits {
            max_bytes: self.max_bytes.unwrap_or(d.max_bytes),
            max_depth: self.max_depth.unwrap_or(d.max_depth),
            max_issues: self.max_issues.unwrap_or(d.max_issues),
            max_array_len: self.max_array_len.unwrap_or(d.max_array_len),
            strict: d.strict,
        }
    }
}

impl From<&LoadLimits> for Limits {
    fn from(l: &LoadLimits) -> Self {
        Limits {
            max_bytes: Some(l.max_bytes),
            max_depth: Some(l.max_depth),
            max_issues: Some(l.max_issues),
            max_array_len: Some(l.max_array_len),
        }
    }
}

/// The model of a request: at most one of `model` (the model as a JSON value), `model_text`
/// (its JSON text) or `model_path` (a file).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ModelFields {
    /// The model as a JSON value.
    #[serde(default)]
    pub model: Option<Value>,
    /// The model's JSON text.
    #[serde(default, alias = "modelText")]
    pub model_text: Option<String>,
    /// A model file.
    #[serde(default, alias = "modelPath")]
    pub model_path: Option<PathBuf>,
    /// The model's JSON as bytes (UTF-8): set by a front end that holds bytes (a Python
    /// `bytes`, a Node `Buffer`), never read from a JSON request.
    #[serde(skip)]
    pub model_bytes: Option<Vec<u8>>,
}

impl ModelFields {
    /// The model given, if any; an error when it is given more than once.
    pub fn input(self) -> Result<Option<ModelInput>> {
        let given = [
            self.model.map(ModelInput::Value),
            self.model_text.map(ModelInput::Text),
            self.model_path.map(ModelInput::Path),
            self.model_bytes.map(ModelInput::Bytes),
        ];
        let mut given = given.into_iter().flatten();
        match (given.next(), given.next()) {
            (one, None) => Ok(one),
            _ => Err(Error::options(
                "give the model once: as model, model_text or model_path",
            )),
        }
    }

    /// The model given as `input`.
    pub fn of(input: ModelInput) -> ModelFields {
        let mut f = ModelFields::default();
        match input {
            ModelInput::Value(v) => f.model = Some(v),
            ModelInput::Text(t) => f.model_text = Some(t),
            ModelInput::Path(p) => f.model_path = Some(p),
            ModelInput::Bytes(b) => f.model_bytes = Some(b),
        }
        f
    }
}

pub(super) fn required<T>(v: Option<T>, what: &str) -> Result<T> {
    v.ok_or_else(|| Error::options(format!("{what} is required")))
}

/// The report of a request: `report` (the report as a JSON value) or `report_text`.
fn report_input(report: Option<Value>, text: Option<String>) -> Result<Option<ReportInput>> {
    match (report, text) {
        (None, None) => Ok(None),
        (Some(v), None) => Ok(Some(ReportInput::Value(v))),
        (None, Some(t)) => Ok(Some(ReportInput::Text(t))),
        _ => Err(Error::options(
            "give the report once: as report or report_text",
        )),
    }
}

/// Which rule packs, and which overlay.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PacksArg {
    /// Folders of further packs, loaded beside the default one.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Whether the embedded default pack is loaded (default true).
    #[serde(default = "yes", alias = "defaultRules")]
    pub default_rules: bool,
    /// An overlay given inline (`{"disable": [...], "severity": {...}}`).
    #[serde(default)]
    pub overlay: Option<Value>,
    /// An overlay given as JSON text.
    #[serde(default, alias = "overlayText")]
    pub overlay_text: Option<String>,
    /// An overlay file.
    #[serde(default, alias = "overlayPath")]
    pub overlay_path: Option<PathBuf>,
}

fn yes() -> bool {
    true
}

impl Default for PacksArg {
    fn default() -> Self {
        PacksArg {
            rules: Vec::new(),
            default_rules: true,
            overlay: None,
            overlay_text: None,
            overlay_path: None,
        }
    }
}

/// The engine of the default pack with no overlay, compiled once per process.
static DEFAULT_ENGINE: OnceLock<Engine> = OnceLock::new();

/// An engine a request names: the shared default one, or one built for the request.
#[derive(Debug)]
#[non_exhaustive]
pub enum EngineRef {
    /// The default pack, no overlay: compiled once per process and shared.
    Default(&'static Engine),
    /// Built for this request.
    Owned(Box<Engine>),
}

impl std::ops::Deref for EngineRef {
    type Target = Engine;
    fn deref(&self) -> &Engine {
        match self {
            EngineRef::Default(e) => e,
            EngineRef::Owned(e) => e,
        }
    }
}

impl PacksArg {
    /// Whether the request names only the default pack and no overlay.
    pub fn is_default(&self) -> bool {
        self.rules.is_empty()
            && self.default_rules
            && self.overlay.is_none()
            && self.overlay_text.is_none()
            && self.overlay_path.is_none()
    }

    /// The engine: the packs loaded and compiled, the overlay applied (the default engine is
    /// compiled once and shared).
    pub fn engine(&self) -> Result<EngineRef> {
        if self.is_default() {
            if let Some(e) = DEFAULT_ENGINE.get() {
                return Ok(EngineRef::Default(e));
            }
            let built = Engine::new()?;
            return Ok(EngineRef::Default(DEFAULT_ENGINE.get_or_init(|| built)));
        }
        Ok(EngineRef::Owned(Box::new(self.build()?)))
    }

    fn build(&self) -> Result<Engine> {
        no_pack_at_all(self.default_rules, &self.rules)?;
        let mut packs = Vec::new();
        if self.default_rules {
            packs.push(RulePack::embedded()?);
        }
        for dir in &self.rules {
            packs.push(RulePack::from_dir(dir)?);
        }
        let engine = Engine::with_packs(packs)?;
        let overlay = match (&self.overlay, &self.overlay_text, &self.overlay_path) {
            (None, None, None) => None,
            (Some(v), None, None) => Some(OverlayInput::Value(v.clone())),
            (None, Some(t), None) => Some(OverlayInput::Text(t.clone())),
            (None, None, Some(p)) => Some(OverlayInput::Path(p.clone())),
            _ => {
                return Err(Error::options(
                    "give the overlay once: as overlay, overlay_text or overlay_path",
                ));
            }
        };
        match overlay {
            Some(o) => engine.with_overlay(o.load()?),
            None => Ok(engine),
        }
    }
}

/// Refuses a request that leaves out the default pack and names no other: an engine without a
/// rule would judge every model conformant (the CLI's `--no-default-rules` needs `--rules`).
pub(super) fn no_pack_at_all(default_rules: bool, rules: &[PathBuf]) -> Result<()> {
    if default_rules || !rules.is_empty() {
        return Ok(());
    }
    Err(Error::options(
        "the default pack is left out and rules names no other pack folder: there would be no \
         rule to evaluate (name a pack folder in rules, or keep the default pack)",
    ))
}

/// The options of an evaluation, the same for `evaluate` and `evaluate_many` (flattened into
/// their requests): the date, the tier and profile, the per-rule limits and the load limits.
#[derive(Debug, Clone, Deserialize)]
pub struct RunOptions {
    /// Evaluation date, `YYYY-MM-DD`.
    #[serde(alias = "asOf")]
    pub as_of: String,
    /// `startup`, `scaleup` or `enterprise`; default the model's `organization.size_tier`.
    #[serde(default)]
    pub tier: Option<String>,
    /// `tier` (default) or `certification`.
    #[serde(default)]
    pub profile: Option<String>,
    /// Findings kept per rule (default 1,000).
    #[serde(default, alias = "maxFindingsPerRule")]
    pub max_findings_per_rule: Option<usize>,
    /// Evaluation steps allowed per rule (default 10⁹).
    #[serde(default, alias = "maxStepsPerRule")]
    pub max_steps_per_rule: Option<u64>,
    /// Evaluation steps allowed for the whole evaluation of each model (default 10¹⁰).
    #[serde(default, alias = "maxStepsTotal")]
    pub max_steps_total: Option<u64>,
    /// Seconds each model's evaluation may take (default: no limit); a positive number.
    #[serde(default)]
    pub timeout: Option<f64>,
    /// Load limits, for each model.
    #[serde(default)]
    pub limits: Limits,
    /// Whether a model member the schema does not define is an error rather than a warning.
    #[serde(default)]
    pub strict: bool,
}

impl RunOptions {
    /// Options as of `as_of` (`YYYY-MM-DD`, checked when they are used), every other one its
    /// default.
    pub fn new(as_of: impl Into<String>) -> Self {
        RunOptions {
            as_of: as_of.into(),
            tier: None,
            profile: None,
            max_findings_per_rule: None,
            max_steps_per_rule: None,
            max_steps_total: None,
            timeout: None,
            limits: Limits::default(),
            strict: false,
        }
    }

    /// The load limits of each model, `strict` included.
    pub fn load_limits(&self) -> LoadLimits {
        LoadLimits {
            strict: self.strict,
            ..self.limits.to_load_limits()
        }
    }

    /// The engine's options, checked (the date, the tier and the profile), defaults filled in.
    pub fn options(&self) -> Result<Options> {
        let mut options =
            Options::parse(&self.as_of, self.tier.as_deref(), self.profile.as_deref())?;
        options.max_findings_per_rule = self.max_findings_per_rule.unwrap_or(DEFAULT_MAX_FINDINGS);
        options.max_steps_per_rule = self.max_steps_per_rule.unwrap_or(DEFAULT_MAX_STEPS);
        options.max_steps_total = self.max_steps_total.unwrap_or(DEFAULT_MAX_STEPS_TOTAL);
        options.timeout = self.timeout.map(timeout).transpose()?;
        Ok(options)
    }
}

/// A time limit from its seconds: a positive, finite number.
pub(crate) fn timeout(seconds: f64) -> Result<Duration> {
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            Error::options(format!(
                "timeout {seconds} is not a positive number of seconds"
            ))
        })
}

/// `evaluate`: a model judged as of a date.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluateRequest {
    /// The model.
    #[serde(flatten)]
    pub model: ModelFields,
    /// The evaluation options.
    #[serde(flatten)]
    pub run: RunOptions,
    /// Rule packs and overlay.
    #[serde(default, flatten)]
    pub packs: PacksArg,
}

/// Evaluates a model with the packs and overlay the request names: the report.
pub fn evaluate(req: EvaluateRequest) -> Result<Report> {
    evaluation(req).map(|e| e.report)
}

/// Evaluates a model on an engine built beforehand (compile once, evaluate many): the request
/// may not name packs or an overlay, which belong to the engine.
pub fn evaluate_on(engine: &Engine, req: EvaluateRequest) -> Result<Report> {
    evaluation_on(engine, req).map(|e| e.report)
}

/// A model and its report, for a front end that renders the report (an export, the process
/// map) without loading the model again.
#[derive(Debug)]
#[non_exhaustive]
pub struct Evaluation {
    /// The model judged.
    pub model: Model,
    /// Its report.
    pub report: Report,
}

impl Evaluation {
    /// The report rendered as `format`, with the model's lines (SARIF) and process map (HTML);
    /// `model_uri` names the model file in locations.
    pub fn export(&self, format: Format, model_uri: Option<&str>) -> Result<String> {
        let ctx = export::Context {
            model: Some(&self.model),
            model_uri,
        };
        export::render(format, &self.report, &ctx)
    }

    /// The process map, the report's failing processes marked.
    pub fn diagram(&self, format: DiagramFormat) -> Result<String> {
        diagram::render(&self.model, Some(&self.report), format)
    }
}

/// [`evaluate`], answering the model with the report.
pub fn evaluation(req: EvaluateRequest) -> Result<Evaluation> {
    let engine = req.packs.engine()?;
    run_evaluation(&engine, req)
}

/// [`evaluate_on`], answering the model with the report.
pub fn evaluation_on(engine: &Engine, req: EvaluateRequest) -> Result<Evaluation> {
    if !req.packs.is_default() {
        return Err(Error::options(
            "rules, default_rules and the overlay belong to the engine: build it with them",
        ));
    }
    run_evaluation(engine, req)
}

/// Checks the options, then loads the model, then evaluates it.
fn run_evaluation(engine: &Engine, req: EvaluateRequest) -> Result<Evaluation> {
    let options = req.run.options()?;
    let model = required(req.model.input()?, "the model")?.load(&req.run.load_limits())?;
    let report = engine.evaluate(&model, &options)?;
    Ok(Evaluation { model, report })
}

/// `validate`: a model loaded and checked, not evaluated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidateRequest {
    /// The model.
    #[serde(flatten)]
    pub model: ModelFields,
    /// Load limits.
    #[serde(default)]
    pub limits: Limits,
    /// Whether a member the schema does not define is an error rather than a warning.
    #[serde(default)]
    pub strict: bool,
}

/// What `validate` answers: whether the model loads, every issue when it does not, and the
/// warnings of a model that does.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ValidateAnswer {
    /// Whether the model loaded.
    pub valid: bool,
    /// Its schema version, when it loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    /// Its digest, when it loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Every issue, when it did not (at most `limits.max_issues`).
    pub errors: Vec<Issue>,
    /// The warnings, when it loaded: the members the schema does not define (see
    /// [`Model::warnings`]).
    pub warnings: Vec<Issue>,
}

/// Validates a model. A model that does not load, or passes a load limit, is an answer
/// listing every issue, not an error; a file that cannot be read is an error.
pub fn validate(req: ValidateRequest) -> Result<ValidateAnswer> {
    let input = required(req.model.input()?, "the model")?;
    let limits = LoadLimits {
        strict: req.strict,
        ..req.limits.to_load_limits()
    };
    match input.load(&limits) {
        Ok(m) => Ok(ValidateAnswer {
            valid: true,
            schema_version: m.schema_version().map(str::to_owned),
            digest: Some(m.digest().to_owned()),
            errors: Vec::new(),
            warnings: m.warnings().to_vec(),
        }),
        Err(e @ (Error::Model(_) | Error::Limit(_))) => Ok(ValidateAnswer {
            valid: false,
            schema_version: None,
            digest: None,
            errors: e.issues().to_vec(),
            warnings: Vec::new(),
        }),
        Err(e) => Err(e),
    }
}

/// `export`: a report rendered in another format.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportRequest {
    /// The report as a JSON value.
    #[serde(default)]
    pub report: Option<Value>,
    /// The report's JSON text.
    #[serde(default, alias = "reportText")]
    pub report_text: Option<String>,
    /// `sarif`, `oscal`, `junit`, `markdown`, `html` or `ciso-csv`.
    pub format: String,
    /// The model the report is about (for the process map and locations; given as text or a
    /// file, SARIF gets line numbers too).
    #[serde(flatten)]
    pub model: ModelFields,
    /// How to name the model file in locations.
    #[serde(default, alias = "modelUri")]
    pub model_uri: Option<String>,
    /// Load limits of the model.
    #[serde(default)]
    pub limits: Limits,
}

/// Exports a report. A model given with it must be the model the report is about (the same
/// digest), or the export is refused with `AIMS-E-REPORT`: its map and locations would be
/// another model's.
pub fn export(req: ExportRequest) -> Result<String> {
    let format = Format::parse(&req.format).ok_or_else(|| {
        Error::options(format!(
            "unknown export format {}: sarif, oscal, junit, markdown, html or ciso-csv",
            req.format
        ))
    })?;
    let report = read_report(required(
        report_input(req.report, req.report_text)?,
        "the report",
    )?)?;
    let model = req
        .model
        .input()?
        .map(|m| m.load(&req.limits.to_load_limits()))
        .transpose()?;
    if let Some(m) = &model {
        same_model(m, &report)?;
    }
    let ctx = export::Context {
        model: model.as_ref(),
        model_uri: req.model_uri.as_deref(),
    };
    export::render(format, &report, &ctx)
}

/// Refuses a model that is not the one `report` is about (`AIMS-E-REPORT`): its process map
/// and locations would be another model's.
pub fn same_model(model: &Model, report: &Report) -> Result<()> {
    if model.digest() == report.model.digest {
        return Ok(());
    }
    Err(Error::Report(Box::new(Issue::new(
        codes::REPORT,
        format!(
            "the model is not the one the report is about: its digest is {}, the report's \
             model digest is {} (pass the model that was evaluated)",
            model.digest(),
            report.model.digest
        ),
        "",
    ))))
}

/// `diagram`: the process-interaction map of a model.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagramRequest {
    /// The model.
    #[serde(flatten)]
    pub model: ModelFields,
    /// `dot` (default), `mermaid` or `svg`.
    #[serde(default)]
    pub format: Option<String>,
    /// A report of the model, as a JSON value: its failing processes are marked.
    #[serde(default)]
    pub report: Option<Value>,
    /// A report of the model, as JSON text.
    #[serde(default, alias = "reportText")]
    pub report_text: Option<String>,
    /// Load limits of the model.
    #[serde(default)]
    pub limits: Limits,
    /// Whether a member the schema does not define is an error rather than a warning.
    #[serde(default)]
    pub strict: bool,
}

/// Draws the process-interaction map. A report given with the model must be about it.
pub fn diagram(req: DiagramRequest) -> Result<String> {
    let format = match req.format.as_deref() {
        None => DiagramFormat::Dot,
        Some(f) => DiagramFormat::parse(f).ok_or_else(|| {
            Error::options(format!("unknown diagram format {f}: dot, mermaid or svg"))
        })?,
    };
    let limits = LoadLimits {
        strict: req.strict,
        ..req.limits.to_load_limits()
    };
    let model = required(req.model.input()?, "the model")?.load(&limits)?;
    let report = report_input(req.report, req.report_text)?
        .map(read_report)
        .transpose()?;
    if let Some(r) = &report {
        same_model(&model, r)?;
    }
    diagram::render(&model, report.as_ref(), format)
}

/// `rules list` and `rules explain`: the rules of the packs, the overlay applied.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesRequest {
    /// One rule's id, for `rules explain`; every rule when absent.
    #[serde(default)]
    pub id: Option<String>,
    /// Rule packs and overlay.
    #[serde(default, flatten)]
    pub packs: PacksArg,
}

/// A rule as `rules list` and `rules explain` show it: its metadata (the severity the overlay
/// sets, if it sets one) and, last, `"disabled": true` when the overlay turns it off.
/// Serialized, its members come in the order of [`RuleMeta`]'s, as
/// `aimscheck rules list --format json` prints them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ListedRule {
    /// The rule's metadata, the overlay's severity applied.
    #[serde(flatten)]
    pub rule: RuleMeta,
    /// Whether the overlay turns the rule off (written only when it does).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

/// The rules of an engine's packs, in pack order, the engine's overlay applied: changed
/// severities, and `disabled` on the rules it turns off.
pub fn listed_rules(engine: &Engine) -> Vec<ListedRule> {
    let overlay = engine.overlay();
    engine
        .packs()
        .flat_map(|p| p.rules())
        .map(|r| {
            let mut rule = r.clone();
            if let Some(sev) = overlay.severity.get(&r.id) {
                rule.severity = *sev;
            }
            ListedRule {
                disabled: overlay.disable.contains(&r.id),
                rule,
            }
        })
        .collect()
}

/// What [`rules`] answers: every rule (`rules list`), or one (`rules explain`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum RulesAnswer {
    /// Every rule of the packs (no `id` in the request).
    All(Vec<ListedRule>),
    /// The rule the request's `id` names.
    One(Box<ListedRule>),
}

/// Lists the rules (each with its pack, the overlay's severity and `"disabled": true` on the
/// rules it turns off), or explains one (its object, with its rationale, remediation and
/// passing example); an unknown id is `AIMS-E-UNKNOWN-RULE`, naming the nearest ids
/// ([`find_rule`]).
pub fn rules(req: RulesRequest) -> Result<RulesAnswer> {
    match req.id {
        None => list_rules(&req.packs).map(RulesAnswer::All),
        Some(id) => explain_rule(&id, &req.packs).map(|r| RulesAnswer::One(Box::new(r))),
    }
}

/// `rules list`: the rules of the packs `packs` names, its overlay applied ([`listed_rules`]).
pub fn list_rules(packs: &PacksArg) -> Result<Vec<ListedRule>> {
    Ok(listed_rules(&*packs.engine()?))
}

/// `rules explain`: the rule `id` of the packs `packs` names, its overlay applied; an unknown
/// id is `AIMS-E-UNKNOWN-RULE`, naming the nearest ids ([`find_rule`]).
pub fn explain_rule(id: &str, packs: &PacksArg) -> Result<ListedRule> {
    let engine = packs.engine()?;
    let found = find_rule(&engine, id)?.id.clone();
    listed_rules(&engine)
        .into_iter()
        .find(|r| r.rule.id == found)
        .ok_or_else(|| unknown_rule(id, "no pack is loaded"))
}

/// How many near ids an unknown-rule error suggests.
const SUGGESTIONS: usize = 3;

/// The rule `id` of the engine's packs: the exact id, else the only case-insensitive match;
/// otherwise `AIMS-E-UNKNOWN-RULE`, naming the nearest ids by edit distance.
pub fn find_rule<'a>(engine: &'a Engine, id: &str) -> Result<&'a RuleMeta> {
    let all: Vec<&RuleMeta> = engine.packs().flat_map(|p| p.rules()).collect();
    if let Some(r) = all.iter().find(|r| r.id == id) {
        return Ok(r);
    }
    let folded: Vec<&&RuleMeta> = all
        .iter()
        .filter(|r| r.id.eq_ignore_ascii_case(id))
        .collect();
    if let [only] = folded.as_slice() {
        return Ok(only);
    }
    let upper = id.to_ascii_uppercase();
    let mut ranked: Vec<(usize, &str)> = all
        .iter()
        .map(|r| {
            let d = strsim::levenshtein(&upper, &r.id.to_ascii_uppercase());
            (d, r.id.as_str())
        })
        .collect();
    ranked.sort();
    let nearest: Vec<&str> = ranked.iter().take(SUGGESTIONS).map(|(_, id)| *id).collect();
    let hint = if nearest.is_empty() {
        "no pack is loaded".to_owned()
    } else {
        format!(
            "nearest: {}; `aimscheck rules list` shows them all",
            nearest.join(", ")
        )
    };
    Err(unknown_rule(id, &hint))
}

fn unknown_rule(id: &str, hint: &str) -> Error {
    Error::Options(Box::new(Issue {
        rule_id: Some(id.to_owned()),
        ..Issue::new(
            codes::UNKNOWN_RULE,
            format!("no loaded pack has rule \"{id}\"; {hint}"),
            "",
        )
    }))
}

/// Runs `op` on the request read from `request` and answers as JSON text.
pub(super) fn call<R: DeserializeOwned, T: serde::Serialize>(
    request: &str,
    op: impl FnOnce(R) -> Result<T>,
) -> String {
    let answer = serde_json::from_str::<R>(request)
        .map_err(|e| {
            Error::Options(Box::new(Issue {
                line: Some(e.line()),
                column: Some(e.column().max(1)),
                ..Issue::new(codes::OPTIONS, format!("not a valid request: {e}"), "")
            }))
        })
        .and_then(op)
        .and_then(|v| {
            serde_json::to_value(v).map_err(|e| {
                Error::Internal(Box::new(Issue::new(
                    codes::INTERNAL,
                    format!("the answer could not be written as JSON: {e}"),
                    "",
                )))
            })
        });
    let json = match answer {
        Ok(value) => json!({"ok": true, "value": value}),
        Err(e) => json!({"ok": false, "error": error_json(&e)}),
    };
    json.to_string()
}

/// [`evaluate`] with the request and the answer as JSON text.
pub fn evaluate_json(request: &str) -> String {
    call(request, evaluate)
}

/// [`validate`] with the request and the answer as JSON text.
pub fn validate_json(request: &str) -> String {
    call(request, validate)
}

/// [`export()`] with the request and the answer as JSON text.
pub fn export_json(request: &str) -> String {
    call(request, export)
}

/// [`diagram()`] with the request and the answer as JSON text.
pub fn diagram_json(request: &str) -> String {
    call(request, diagram)
}

/// [`rules`] with the request and the answer as JSON text.
pub fn rules_call_json(request: &str) -> String {
    call(request, rules)
}
