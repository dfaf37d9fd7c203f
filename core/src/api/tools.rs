//! The operations around an evaluation: `init` (a starter model), `migrate` (a 1.0 model as
//! 1.1), `diff` (two reports compared) and `rules lint` (packs linted for nested scans).

use super::input::{ReportInput, read_report};
use super::ops::{Limits, ModelFields, call, required};
use crate::diff::ReportDiff;
use crate::error::{Error, Result};
use crate::lang::Tier;
use crate::migrate::{Migrated, migrate_text};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `init`: the starter model of a size tier.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitRequest {
    /// `startup`, `scaleup` or `enterprise`.
    pub tier: String,
}

/// The starter model of the tier (JSON text of schema 1.1, to fill in).
pub fn init(req: InitRequest) -> Result<String> {
    let tier = Tier::parse(&req.tier).ok_or_else(|| {
        Error::options(format!(
            "unknown tier {}: startup, scaleup or enterprise",
            req.tier
        ))
    })?;
    Ok(crate::starter::model(tier).to_owned())
}

/// `migrate`: a model of schema 1.0 rewritten as 1.1.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrateRequest {
    /// The model (as text, bytes or a file, its layout is kept; as a value it is written
    /// with two-space indents).
    #[serde(flatten)]
    pub model: ModelFields,
    /// Load limits.
    #[serde(default)]
    pub limits: Limits,
    /// Whether a member the schema does not define is an error (`AIMS-E-UNKNOWN-MEMBER`)
    /// rather than a warning, as in `validate`: with it, such a model is not migrated.
    #[serde(default)]
    pub strict: bool,
}

/// What `migrate` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MigrateAnswer {
    /// The model's text at schema 1.1.
    pub model_text: String,
    /// Whether it changed (false when the model already followed 1.1).
    pub changed: bool,
}

/// Rewrites a model of schema 1.0 as 1.1, changing only its `schema_version`; a model of
/// another version is `AIMS-E-MIGRATE`.
pub fn migrate(req: MigrateRequest) -> Result<MigrateAnswer> {
    let limits = crate::LoadLimits {
        strict: req.strict,
        ..req.limits.to_load_limits()
    };
    let text = match required(req.model.input()?, "the model")? {
        super::ModelInput::Value(v) => serde_json::to_string_pretty(&v).unwrap_or_default(),
        super::ModelInput::Text(t) => t,
        super::ModelInput::Bytes(b) => bytes_text(b, &limits)?,
        super::ModelInput::Path(p) => {
            bytes_text(super::read_capped(&p, limits.max_bytes, "model")?, &limits)?
        }
    };
    Ok(match migrate_text(&text, &limits)? {
        Migrated::Rewritten(model_text) => MigrateAnswer {
            model_text,
            changed: true,
        },
        _ => MigrateAnswer {
            model_text: text,
            changed: false,
        },
    })
}

/// The text of `bytes`; bytes that are not UTF-8 get the model loader's own error.
fn bytes_text(bytes: Vec<u8>, limits: &crate::LoadLimits) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(t) => Ok(t),
        Err(e) => match crate::Model::from_vec_with(e.into_bytes(), limits) {
            Err(err) => Err(err),
            Ok(_) => Err(Error::options("the model is not UTF-8 text")),
        },
    }
}

/// `diff`: two reports compared, rule by rule and finding by finding.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffRequest {
    /// The old report, as a JSON value.
    #[serde(default)]
    pub old: Option<Value>,
    /// The old report's JSON text.
    #[serde(default, alias = "oldText")]
    pub old_text: Option<String>,
    /// The new report, as a JSON value.
    #[serde(default)]
    pub new: Option<Value>,
    /// The new report's JSON text.
    #[serde(default, alias = "newText")]
    pub new_text: Option<String>,
}

fn one_report(value: Option<Value>, text: Option<String>, which: &str) -> Result<ReportInput> {
    match (value, text) {
        (Some(v), None) => Ok(ReportInput::Value(v)),
        (None, Some(t)) => Ok(ReportInput::Text(t)),
        (None, None) => Err(Error::options(format!("the {which} report is required"))),
        _ => Err(Error::options(format!(
            "give the {which} report once: as {which} or {which}_text"
        ))),
    }
}

/// Compares two reports (each of a format [`read_report`] reads).
pub fn diff(req: DiffRequest) -> Result<ReportDiff> {
    let old = read_report(one_report(req.old, req.old_text, "old")?)?;
    let new = read_report(one_report(req.new, req.new_text, "new")?)?;
    Ok(ReportDiff::of(&old, &new))
}

/// [`init`] with the request and the answer as JSON text.
pub fn init_json(request: &str) -> String {
    call(request, init)
}

/// [`migrate`] with the request and the answer as JSON text.
pub fn migrate_json(request: &str) -> String {
    call(request, migrate)
}

/// [`diff`] with the request and the answer as JSON text.
pub fn diff_json(request: &str) -> String {
    call(request, diff)
}

/// `rules lint`: the packs whose loops to lint.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintRequest {
    /// Pack folders to lint; none lints the embedded default pack.
    #[serde(default)]
    pub rules: Vec<std::path::PathBuf>,
}

/// One pack linted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LintedPack {
    /// The pack's id.
    pub id: String,
    /// Its version.
    pub version: String,
    /// How many rules and indicators it holds.
    pub checks: usize,
}

/// What `rules lint` answers: the packs linted and the warnings, in pack order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LintAnswer {
    /// The packs linted, in the order given.
    pub packs: Vec<LintedPack>,
    /// The warnings (`AIMS-W-NESTED-SCAN`), each with its file, rule id, pointer, line,
    /// column, message and help; empty when the packs are clean.
    pub warnings: Vec<crate::Issue>,
}

/// Lints the packs `req` names (the default pack when it names none) for loops whose cost is
/// a product of two model collections ([`crate::lint::lint`]). A pack that does not compile is
/// an error (`AIMS-E-PACK-*`), as for an evaluation.
pub fn lint_rules(req: LintRequest) -> Result<LintAnswer> {
    let packs = if req.rules.is_empty() {
        vec![crate::RulePack::embedded()?]
    } else {
        req.rules
            .iter()
            .map(crate::RulePack::from_dir)
            .collect::<Result<Vec<_>>>()?
    };
    let mut answer = LintAnswer {
        packs: Vec::new(),
        warnings: Vec::new(),
    };
    for (i, pack) in packs.iter().enumerate() {
        let mut warnings = crate::lint::lint(pack);
        // File names become paths under the folder, as in the pack's load errors.
        if let Some(dir) = req.rules.get(i) {
            for w in &mut warnings {
                w.file = w.file.as_ref().map(|f| dir.join(f).display().to_string());
            }
        }
        answer.packs.push(LintedPack {
            id: pack.id().to_owned(),
            version: pack.version().to_owned(),
            checks: pack.rules().count() + pack.indicators().count(),
        });
        answer.warnings.append(&mut warnings);
    }
    Ok(answer)
}

/// [`lint_rules`] with the request and the answer as JSON text.
pub fn lint_rules_json(request: &str) -> String {
    call(request, lint_rules)
}
