//! # aimscheck
//!
//! Judges whether an organization's AI management system (AIMS), exported as one JSON
//! model, conforms to ISO/IEC 42001:2023 clause 4.4, with declarative rules (data, not code).
//!
//! Compile the rules once ([`Engine`]), load a model ([`Model`]), evaluate it as of a date
//! ([`Options`]) and read the [`Report`]: a status per rule, findings with JSON Pointers,
//! a roll-up per clause (result and indicative grade decided together) and the verdict on the
//! AIMS as a whole.
//!
//! ```
//! use aimscheck::{Engine, Model, Options, Verdict};
//!
//! let engine = Engine::new()?; // the embedded pack iso42001-4.4
//! let model = Model::from_json(r#"{"schema_version": "1.0"}"#)?;
//! let report = engine.evaluate(&model, &Options::parse("2026-06-30", Some("startup"), None)?)?;
//! assert_eq!(report.verdict, Verdict::Nonconformant); // an empty AIMS fails
//! println!("{}", report.to_json_pretty());
//! # Ok::<(), aimscheck::Error>(())
//! ```
//!
//! Evaluation reads no file, clock or network: the date is an input.
//!
//! Every operation the command line and the Python and Node packages offer is one typed call
//! of [`api`] (evaluate, evaluate_many, validate, export, diagram, rules, init, migrate, diff),
//! also callable with JSON text in and out (`api::evaluate_json` and the others) from any other
//! language; [`export`] renders a report as SARIF, OSCAL, JUnit, Markdown, HTML or CISO
//! Assistant CSV.
//!
//! Many models: [`Engine::evaluate_many`] loads and evaluates them in parallel on one
//! compiled engine, each with its report or its own error. [`Engine::state`] is the engine as
//! data ([`EngineState`]), from which [`Engine::from_state`] builds the same engine in another
//! process, without the pack folders.

pub mod api;
mod batch;
pub mod catalogue;
pub mod ciso;
#[doc(hidden)]
/// Internal: the calendar arithmetic of the check language; not part of the stable API.
pub mod date;
pub mod diff;
pub(crate) mod doc;
mod engine;
pub mod error;
pub mod export;
mod lang;
pub mod lint;
#[doc(hidden)]
/// Internal: JSON Pointer to line and column in a JSON text; not part of the stable API.
pub mod locate;
pub mod migrate;
mod model;
mod overlay;
mod pack;
pub mod report;
pub mod starter;
mod state;
mod waivers;

pub use batch::BatchItem;
pub use chrono::NaiveDate;
pub use engine::{
    DEFAULT_MAX_FINDINGS, DEFAULT_MAX_STEPS, DEFAULT_MAX_STEPS_TOTAL, Engine, Options, Profile,
    StepCounts, ciso_ref,
};
pub use error::{Error, Issue, Result};
pub use lang::Tier;
#[doc(hidden)]
pub use model::validate as validate_value;
pub use model::{
    DEFAULT_MAX_ARRAY_LEN, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ISSUES, LoadLimits,
    MODEL_SCHEMA, Model, SCHEMA_VERSION,
};
pub use overlay::Overlay;
pub use pack::{IndicatorMeta, MANIFEST, PackSource, RULE_PACK_SCHEMA, RuleMeta, RulePack};
pub use report::{
    Aims, ClauseResult, ClauseRollup, ExceptionResult, ExceptionStatus, Finding, FindingKind,
    GRADES_NOTE, Grade, IndicatorResult, ModelWarning, REPORT_VERSION, Report, RuleResult,
    Severity, Status, Stopped, Summary, Verdict, Waiver, roll_up,
};
pub use state::EngineState;

/// Version of the engine.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The report JSON Schema (draft 2020-12), as published.
pub const REPORT_SCHEMA: &str = include_str!("../schema/report.schema.json");

#[cfg(test)]
mod tests {
    #[test]
    fn compiled_packs_are_send_and_sync() {
        fn is<T: Send + Sync>() {}
        is::<super::Engine>();
        is::<super::RulePack>();
        is::<super::Model>();
    }
}

/// The README's Rust example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
