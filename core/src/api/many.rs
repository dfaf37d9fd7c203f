//! `evaluate_many`: many models judged on one engine, in parallel
//! ([`Engine::evaluate_many`]), each answered with its report or its error.

use super::error_json;
use super::ops::{ModelFields, PacksArg, RunOptions, call};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::report::Report;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One model of an `evaluate_many` request.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedModel {
    /// What to call it in the answer and in its errors (default `models/<index>`).
    #[serde(default)]
    pub name: Option<String>,
    /// The model.
    #[serde(flatten)]
    pub model: ModelFields,
}

/// `evaluate_many`: models judged as of one date, with one set of options.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluateManyRequest {
    /// The models.
    pub models: Vec<NamedModel>,
    /// The evaluation options, the same for every model.
    #[serde(flatten)]
    pub run: RunOptions,
    /// Threads (default: one per core).
    #[serde(default)]
    pub jobs: Option<usize>,
    /// Rule packs and overlay.
    #[serde(default, flatten)]
    pub packs: PacksArg,
}

/// What `evaluate_many` answers for one model: its report, or its error.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ManyAnswer {
    /// The model's name.
    pub name: String,
    /// Its report, when it was evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<Report>,
    /// Its error (`{code, kind, message, errors}`), when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
    /// The error itself, for Rust callers.
    #[serde(skip)]
    pub failure: Option<Error>,
}

/// Evaluates every model of the request on the packs it names (compiled once): one answer per
/// model, in request order. Only an invalid request or engine is an error; a model that does
/// not load has its own answer.
pub fn evaluate_many(req: EvaluateManyRequest) -> Result<Vec<ManyAnswer>> {
    let engine = req.packs.engine()?;
    run(&engine, req)
}

/// [`evaluate_many`] on an engine built beforehand (the request may not name packs).
pub fn evaluate_many_on(engine: &Engine, req: EvaluateManyRequest) -> Result<Vec<ManyAnswer>> {
    if !req.packs.is_default() {
        return Err(Error::options(
            "rules, default_rules and the overlay belong to the engine: build it with them",
        ));
    }
    run(engine, req)
}

fn run(engine: &Engine, req: EvaluateManyRequest) -> Result<Vec<ManyAnswer>> {
    let options = req.run.options()?;
    let mut inputs = Vec::with_capacity(req.models.len());
    for (i, m) in req.models.into_iter().enumerate() {
        let name = m.name.unwrap_or_else(|| format!("models/{i}"));
        let input = m
            .model
            .input()?
            .ok_or_else(|| Error::options(format!("{name} has no model")))?;
        inputs.push((name, input));
    }
    let limits = req.run.load_limits();
    let items = engine.evaluate_many(inputs, &options, &limits, req.jobs)?;
    Ok(items
        .into_iter()
        .map(|item| match item.result {
            Ok(report) => ManyAnswer {
                name: item.name,
                report: Some(report),
                error: None,
                failure: None,
            },
            Err(e) => ManyAnswer {
                name: item.name,
                report: None,
                error: Some(error_json(&e)),
                failure: Some(e),
            },
        })
        .collect())
}

/// [`evaluate_many`] with the request and the answer as JSON text.
pub fn evaluate_many_json(request: &str) -> String {
    call(request, evaluate_many)
}
