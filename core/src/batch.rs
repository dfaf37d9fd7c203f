//! Many models at once: each loaded and evaluated on one compiled engine, in parallel.
//!
//! ```
//! use aimscheck::api::ModelInput;
//! use aimscheck::{Engine, LoadLimits, Options};
//! let engine = Engine::new()?;
//! let inputs = vec![
//!     ("a".to_owned(), ModelInput::Text(r#"{"schema_version": "1.0"}"#.to_owned())),
//!     ("b".to_owned(), ModelInput::Text("not json".to_owned())),
//! ];
//! let options = Options::parse("2026-06-30", Some("startup"), None)?;
//! let results = engine.evaluate_many(inputs, &options, &LoadLimits::default(), Some(2))?;
//! assert!(results[0].result.is_ok());
//! let e = results[1].result.as_ref().unwrap_err();
//! assert_eq!(e.issues()[0].file.as_deref(), Some("b"));
//! # Ok::<(), aimscheck::Error>(())
//! ```

use crate::api::ModelInput;
use crate::engine::{Engine, Options};
use crate::error::{Error, Issue, Result, codes};
use crate::model::LoadLimits;
use crate::report::Report;
use rayon::prelude::*;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// One model of a batch and what came of it.
#[derive(Debug)]
#[non_exhaustive]
pub struct BatchItem {
    /// The name the caller gave the input (a file name, a tenant id).
    pub name: String,
    /// Its report, or why there is none: every issue names the input in `file` unless it
    /// names a file of its own.
    pub result: Result<Report>,
}

impl Engine {
    /// Loads and evaluates every input with `options`, in parallel on `jobs` threads (default:
    /// one per core), and answers one [`BatchItem`] per input, in input order. A model that
    /// does not load, or whose evaluation fails, has its error; the others are unaffected.
    /// The engine is compiled once and shared by the threads. The outer error is only for a
    /// thread pool that cannot be started.
    pub fn evaluate_many(
        &self,
        inputs: Vec<(String, ModelInput)>,
        options: &Options,
        limits: &LoadLimits,
        jobs: Option<usize>,
    ) -> Result<Vec<BatchItem>> {
        let run = || {
            inputs
                .into_par_iter()
                .map(|(name, input)| {
                    let evaluate = || {
                        input
                            .load(limits)
                            .and_then(|model| self.evaluate(&model, options))
                    };
                    // A bug met on one model is that model's error, not the batch's end.
                    let result = catch_unwind(AssertUnwindSafe(evaluate))
                        .unwrap_or_else(|_| {
                            Err(Error::Internal(Box::new(Issue::new(
                                codes::INTERNAL,
                                "internal error in aimscheck while evaluating this model \
                                 (please report it)",
                                "",
                            ))))
                        })
                        .map_err(|e| e.in_file(&name));
                    BatchItem { name, result }
                })
                .collect()
        };
        let mut builder = rayon::ThreadPoolBuilder::new();
        if let Some(n) = jobs {
            builder = builder.num_threads(n.max(1));
        }
        let pool = builder.build().map_err(|e| {
            Error::Internal(Box::new(Issue::new(
                codes::INTERNAL,
                format!("the evaluation threads could not be started: {e}"),
                "",
            )))
        })?;
        Ok(pool.install(run))
    }
}
