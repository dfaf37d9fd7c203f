//! Python binding of aimscheck: the native module `aimscheck._native` of the `aimscheck`
//! package (the package re-exports it; see `python/aimscheck/__init__.pyi` for the typed API).
//!
//! A skin over `aimscheck::api`: every entry point converts its Python arguments into the
//! api's request while holding the GIL, makes the call with the GIL released (so that threads
//! sharing one `Engine` run at once), and converts the answer. Library errors become the
//! exception classes defined in Python in `aimscheck._errors`; a panic becomes an
//! `AimsCheckError` with code `AIMS-E-INTERNAL`. `evaluate_many` returns a failing model's
//! exception in its place instead of raising it; `evaluate_arrow` takes Arrow data and answers
//! a record batch, a failing model's error in its row. An `Engine` pickles as its
//! [`EngineState`], rebuilt by `_engine_from_state`.

mod arrow;
mod convert;
mod errors;
mod many;
mod run;

use aimscheck::api::{
    self, DiagramRequest, DiffRequest, ExportRequest, InitRequest, MigrateRequest, ModelFields,
    ValidateAnswer, ValidateRequest,
};
use aimscheck::error::{Issue, codes};
use aimscheck::export::Format;
use aimscheck::{Engine, EngineState, Error, Result};
use arrow::ArrowArgs;
use convert::{EvalArgs, given};
use many::ManyArgs;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use run::RunArgs;
use std::sync::Arc;

/// Runs `op` without the GIL; a library error becomes its Python exception.
fn call<T: Send>(py: Python<'_>, op: impl FnOnce() -> Result<T> + Send) -> PyResult<T> {
    py.detach(op).map_err(|e| errors::to_py(py, &e))
}

/// [`call`] of an operation that loads `model`: a `str` model that is not JSON but names a
/// file has its error say how to read the file (see [`convert::path_hint`]).
fn call_on<T: Send>(
    py: Python<'_>,
    model: Option<&Bound<'_, PyAny>>,
    op: impl FnOnce() -> Result<T> + Send,
) -> PyResult<T> {
    py.detach(op).map_err(|e| {
        let e = match model {
            Some(m) => convert::path_hint(m, e),
            None => e,
        };
        errors::to_py(py, &e)
    })
}

/// Evaluates `model` as of `as_of` and returns the report as a dict.
#[pyfunction]
#[pyo3(
    signature = (model, *, as_of, rules = None, default_rules = None, overlay = None, **options),
    text_signature = "(model, *, as_of, tier=None, profile='tier', rules=None, default_rules=True, \
                      overlay=None, max_findings_per_rule=None, max_steps_per_rule=None, max_steps_total=None, timeout=None, \
                      limits=None, strict=False)"
)]
fn evaluate<'py>(
    py: Python<'py>,
    model: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    rules: Option<&Bound<'py, PyAny>>,
    default_rules: Option<&Bound<'py, PyAny>>,
    overlay: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    errors::guard(py, || {
        let run = RunArgs::parse("evaluate", as_of, options, false)?;
        let packs = convert::packs(rules, default_rules, overlay)?;
        let req = EvalArgs { model, run }.request(packs)?;
        let report = call_on(py, Some(model), || api::evaluate(req))?;
        Ok(pythonize::pythonize(py, &report)?)
    })
}

/// Evaluates every model of `models` on one engine, in parallel on `jobs` threads, and returns
/// a list in input order: each model's report as a dict, or the exception `evaluate` would
/// raise for it (returned, not raised). `names` name the models in errors (default
/// `models/<index>`).
#[pyfunction]
#[pyo3(
    signature = (models, *, as_of, rules = None, default_rules = None, overlay = None, names = None, **options),
    text_signature = "(models, *, as_of, tier=None, profile='tier', rules=None, default_rules=True, \
                      overlay=None, max_findings_per_rule=None, max_steps_per_rule=None, max_steps_total=None, timeout=None, \
                      limits=None, strict=False, jobs=None, names=None)"
)]
#[allow(
    clippy::too_many_arguments,
    reason = "pyo3 takes each keyword parameter of the Python function as an argument"
)]
fn evaluate_many<'py>(
    py: Python<'py>,
    models: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    rules: Option<&Bound<'py, PyAny>>,
    default_rules: Option<&Bound<'py, PyAny>>,
    overlay: Option<&Bound<'py, PyAny>>,
    names: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyList>> {
    errors::guard(py, || {
        let run = RunArgs::parse("evaluate_many", as_of, options, true)?;
        let args = ManyArgs { models, run, names };
        args.run(py, None, convert::packs(rules, default_rules, overlay)?)
    })
}

/// Evaluates the models of `models`, Arrow data (JSON text, or a `model` column), as
/// `evaluate_many` does, and returns one record batch with a row per model in input order: its
/// verdict, counts by status, rule statuses and report JSON, or its error code and message.
#[pyfunction]
#[pyo3(
    signature = (models, *, ids = None, as_of, rules = None, default_rules = None, overlay = None, **options),
    text_signature = "(models, *, ids=None, as_of, tier=None, profile='tier', rules=None, \
                      default_rules=True, overlay=None, max_findings_per_rule=None, \
                      max_steps_per_rule=None, max_steps_total=None, timeout=None, limits=None, strict=False, jobs=None)"
)]
#[allow(
    clippy::too_many_arguments,
    reason = "pyo3 takes each keyword parameter of the Python function as an argument"
)]
fn evaluate_arrow<'py>(
    py: Python<'py>,
    models: &Bound<'py, PyAny>,
    ids: Option<&Bound<'py, PyAny>>,
    as_of: &Bound<'py, PyAny>,
    rules: Option<&Bound<'py, PyAny>>,
    default_rules: Option<&Bound<'py, PyAny>>,
    overlay: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    errors::guard(py, || {
        let run = RunArgs::parse("evaluate_arrow", as_of, options, true)?;
        let args = ArrowArgs { models, ids, run };
        args.run(py, None, convert::packs(rules, default_rules, overlay)?)
    })
}

/// Loads `model` within `limits` (unknown members errors when `strict`) and returns its
/// validation answer: the answer of the library's `validate` (issues as `validate_model`'s
/// dicts), or the issues of a model refused before loading.
fn validation<'py>(
    py: Python<'py>,
    model: &Bound<'py, PyAny>,
    limits: Option<&Bound<'py, PyAny>>,
    strict: Option<&Bound<'py, PyAny>>,
) -> PyResult<std::result::Result<ValidateAnswer, Vec<Issue>>> {
    let limits = convert::load_limits(limits)?;
    let input = match convert::model_input(model, &limits)? {
        Ok(input) => input,
        Err(refused) => return Ok(Err(refused.issues().to_vec())),
    };
    let req = ValidateRequest {
        model: ModelFields::of(input),
        limits: convert::api_limits(&limits),
        strict: convert::opt_bool(strict, "strict")?.unwrap_or(false),
    };
    let mut answer = call_on(py, Some(model), || api::validate(req))?;
    convert::path_hint_issues(model, &mut answer.errors);
    Ok(Ok(answer))
}

/// Loads `model` within `limits` and returns every error found (an empty list when it is
/// valid); with `strict`, a member the schema does not define is one.
#[pyfunction]
#[pyo3(
    signature = (model, *, limits = None, strict = None),
    text_signature = "(model, *, limits=None, strict=False)"
)]
fn validate_model<'py>(
    py: Python<'py>,
    model: &Bound<'py, PyAny>,
    limits: Option<&Bound<'py, PyAny>>,
    strict: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    errors::guard(py, || match validation(py, model, limits, strict)? {
        Ok(answer) => errors::issue_list(py, &answer.errors),
        Err(issues) => errors::issue_list(py, &issues),
    })
}

/// Loads `model` within `limits` and returns a dict: `valid`, the model's `schema_version` and
/// `digest` when it is, its `errors` when it is not, and its `warnings` (members the schema
/// does not define; errors instead with `strict`).
#[pyfunction]
#[pyo3(
    signature = (model, *, limits = None, strict = None),
    text_signature = "(model, *, limits=None, strict=False)"
)]
fn validate<'py>(
    py: Python<'py>,
    model: &Bound<'py, PyAny>,
    limits: Option<&Bound<'py, PyAny>>,
    strict: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    errors::guard(py, || {
        let d = PyDict::new(py);
        match validation(py, model, limits, strict)? {
            Ok(answer) => {
                d.set_item("valid", answer.valid)?;
                d.set_item("schema_version", answer.schema_version)?;
                d.set_item("digest", answer.digest)?;
                d.set_item("errors", errors::issue_list(py, &answer.errors)?)?;
                d.set_item("warnings", errors::issue_list(py, &answer.warnings)?)?;
            }
            Err(issues) => {
                d.set_item("valid", false)?;
                d.set_item("schema_version", py.None())?;
                d.set_item("digest", py.None())?;
                d.set_item("errors", errors::issue_list(py, &issues)?)?;
                d.set_item("warnings", PyList::empty(py))?;
            }
        }
        Ok(d)
    })
}

/// The rules of the packs (the default pack unless `default_rules` is `False`, plus the `rules`
/// folders), as dicts, with the `overlay`'s severities and `disabled` on the rules it turns
/// off: what `aimscheck rules list --format json` prints.
#[pyfunction]
#[pyo3(
    signature = (*, rules = None, default_rules = None, overlay = None),
    text_signature = "(*, rules=None, default_rules=True, overlay=None)"
)]
fn rules<'py>(
    py: Python<'py>,
    rules: Option<&Bound<'py, PyAny>>,
    default_rules: Option<&Bound<'py, PyAny>>,
    overlay: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    errors::guard(py, || {
        let packs = convert::packs(rules, default_rules, overlay)?;
        let listed = call(py, || api::list_rules(&packs))?;
        Ok(pythonize::pythonize(py, &listed)?)
    })
}

/// The rule `rule_id` of the packs (as `rules` names them), as a dict: what
/// `aimscheck rules explain ID --format json` prints. An id matching no rule exactly is
/// taken case-insensitively; one matching none is `OptionsError` `AIMS-E-UNKNOWN-RULE`, naming
/// the nearest ids.
#[pyfunction]
#[pyo3(
    signature = (rule_id, *, rules = None, default_rules = None),
    text_signature = "(rule_id, *, rules=None, default_rules=True)"
)]
fn explain_rule<'py>(
    py: Python<'py>,
    rule_id: &Bound<'py, PyAny>,
    rules: Option<&Bound<'py, PyAny>>,
    default_rules: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    errors::guard(py, || {
        let id = convert::required_str(rule_id, "rule_id")?;
        let packs = convert::packs(rules, default_rules, None)?;
        let rule = call(py, || api::explain_rule(&id, &packs))?;
        Ok(pythonize::pythonize(py, &rule)?)
    })
}

/// The pack folders `rules` (a path or a list of paths; none: the embedded default pack)
/// linted for loops whose cost is the product of two model collections, as a dict:
/// `{"packs": [{"id", "version", "checks"}], "warnings": [...]}`, each warning with `code`
/// (`AIMS-W-NESTED-SCAN`), `message`, `pointer`, `line`, `column`, `file`, `rule_id` and
/// `help`: what `aimscheck rules lint [DIR ...] --format json` prints.
#[pyfunction]
#[pyo3(signature = (*, rules = None), text_signature = "(*, rules=None)")]
fn lint_rules<'py>(
    py: Python<'py>,
    rules: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    errors::guard(py, || {
        let packs = convert::packs(rules, None, None)?;
        let req = api::LintRequest { rules: packs.rules };
        let answer = call(py, || api::lint_rules(req))?;
        Ok(pythonize::pythonize(py, &answer)?)
    })
}

/// The starter model of size tier `tier` (`startup`, `scaleup` or `enterprise`) as JSON text
/// of schema 1.1, to fill in: what `aimscheck init --tier TIER` writes.
#[pyfunction]
#[pyo3(signature = (*, tier), text_signature = "(*, tier)")]
fn init(py: Python<'_>, tier: &Bound<'_, PyAny>) -> PyResult<String> {
    errors::guard(py, || {
        let req = InitRequest {
            tier: convert::required_str(tier, "tier")?,
        };
        call(py, || api::init(req))
    })
}

/// `model` (any form `evaluate` takes, loaded within `limits`; with `strict`, a member the
/// schema does not define is an error) of schema 1.0 rewritten as 1.1, only its
/// `schema_version` changing: a dict with `model_text` (the model's text: as text or a file,
/// its layout kept; as a dict, JSON with two-space indents) and `changed` (`False` when it
/// already followed 1.1). What `aimscheck migrate MODEL` writes is `model_text`.
#[pyfunction]
#[pyo3(
    signature = (model, *, limits = None, strict = None),
    text_signature = "(model, *, limits=None, strict=False)"
)]
fn migrate<'py>(
    py: Python<'py>,
    model: &Bound<'py, PyAny>,
    limits: Option<&Bound<'py, PyAny>>,
    strict: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    errors::guard(py, || {
        let limits = convert::load_limits(limits)?;
        let req = MigrateRequest {
            model: convert::model_fields(model, &limits)?,
            limits: convert::api_limits(&limits),
            strict: convert::opt_bool(strict, "strict")?.unwrap_or(false),
        };
        let answer = call_on(py, Some(model), || api::migrate(req))?;
        Ok(pythonize::pythonize(py, &answer)?)
    })
}

/// The comparison of two reports (each the dict `evaluate` returned, or its JSON text): the
/// findings fixed, new and unchanged and how each rule's status moved, as a dict; what
/// `aimscheck diff OLD NEW --format json` prints, without the file names.
#[pyfunction]
#[pyo3(
    signature = (old_report, new_report),
    text_signature = "(old_report, new_report)"
)]
fn diff<'py>(
    py: Python<'py>,
    old_report: &Bound<'py, PyAny>,
    new_report: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    errors::guard(py, || {
        let (old, old_text) = convert::report_source(old_report, "old_report")?;
        let (new, new_text) = convert::report_source(new_report, "new_report")?;
        let req = DiffRequest {
            old,
            old_text,
            new,
            new_text,
        };
        let compared = call(py, || api::diff(req))?;
        Ok(pythonize::pythonize(py, &compared)?)
    })
}

/// Renders `report` (a dict `evaluate` returned) as `sarif`, `oscal`, `junit`, `markdown`,
/// `html` or `ciso-csv`. `model` (what `evaluate` accepts, loaded within `limits`) gives SARIF
/// line numbers and the HTML process map; `model_uri` names the model file in locations
/// (default: `model` when a path).
#[pyfunction]
#[pyo3(
    signature = (report, format, *, model = None, model_uri = None, limits = None),
    text_signature = "(report, format, *, model=None, model_uri=None, limits=None)"
)]
fn export(
    py: Python<'_>,
    report: &Bound<'_, PyAny>,
    format: &Bound<'_, PyAny>,
    model: Option<&Bound<'_, PyAny>>,
    model_uri: Option<&Bound<'_, PyAny>>,
    limits: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    errors::guard(py, || {
        let format = convert::format(format, &Format::ALL.map(Format::as_str).join(", "))?;
        let limits = convert::load_limits(limits)?;
        let (report, report_text) = convert::report_source(report, "report")?;
        let given_model = given(model);
        let model = given_model
            .map(|m| convert::model_fields(m, &limits))
            .transpose()?
            .unwrap_or_default();
        let path = model.model_path.as_ref().map(|p| p.display().to_string());
        let req = ExportRequest {
            report,
            report_text,
            format,
            model,
            model_uri: convert::opt_str(model_uri, "model_uri")?.or(path),
            limits: convert::api_limits(&limits),
        };
        call_on(py, given_model, || api::export(req))
    })
}

/// The process-interaction map of `model` (loaded within `limits`) as `dot`, `svg` or
/// `mermaid`; with `report` (a dict `evaluate` returned for this model), the processes with
/// failing findings are marked.
#[pyfunction]
#[pyo3(
    signature = (model, *, format = None, report = None, limits = None, strict = None),
    text_signature = "(model, *, format='dot', report=None, limits=None, strict=False)"
)]
fn diagram(
    py: Python<'_>,
    model: &Bound<'_, PyAny>,
    format: Option<&Bound<'_, PyAny>>,
    report: Option<&Bound<'_, PyAny>>,
    limits: Option<&Bound<'_, PyAny>>,
    strict: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    errors::guard(py, || {
        let format = given(format).map(|f| convert::format(f, "dot, svg, mermaid"));
        let limits = convert::load_limits(limits)?;
        let (report, report_text) = match given(report) {
            Some(r) => convert::report_source(r, "report")?,
            None => (None, None),
        };
        let req = DiagramRequest {
            format: format.transpose()?,
            model: convert::model_fields(model, &limits)?,
            report,
            report_text,
            limits: convert::api_limits(&limits),
            strict: convert::opt_bool(strict, "strict")?.unwrap_or(false),
        };
        call_on(py, Some(model), || api::diagram(req))
    })
}

/// The engine `state` describes (JSON text of an `EngineState`): what an `Engine` unpickles
/// with.
#[pyfunction]
#[pyo3(signature = (state), text_signature = "(state)")]
fn _engine_from_state(py: Python<'_>, state: &str) -> PyResult<PyEngine> {
    errors::guard(py, || {
        let state: EngineState = serde_json::from_str(state).map_err(|e| {
            let message = format!("not the state of an aimscheck Engine: {e}");
            errors::to_py(
                py,
                &Error::Options(Box::new(Issue::new(codes::OPTIONS, message, ""))),
            )
        })?;
        let engine = call(py, || Engine::from_state(&state))?;
        Ok(PyEngine {
            inner: Arc::new(engine),
        })
    })
}

/// Panics inside the guard; lets the tests check that a panic becomes an `AimsCheckError`.
#[pyfunction]
#[pyo3(signature = (message), text_signature = "(message)")]
#[allow(
    clippy::panic,
    reason = "the point of this test hook is to panic, to show the panic is caught"
)]
fn _panic_for_tests(py: Python<'_>, message: String) -> PyResult<()> {
    errors::guard(py, || py.detach(move || panic!("{message}")))
}

/// A compiled rule set (the default pack unless `default_rules` is `False`, plus any `rules`
/// folders, with an optional `overlay`), immutable and safe to share between threads; evaluate
/// any number of models with it.
#[pyclass(frozen, module = "aimscheck", name = "Engine")]
struct PyEngine {
    /// The engine; `Send + Sync`, shared by every evaluation.
    inner: Arc<Engine>,
}

#[pymethods]
impl PyEngine {
    /// Compiles the rules.
    #[new]
    #[pyo3(
        signature = (rules = None, overlay = None, *, default_rules = None),
        text_signature = "(rules=None, overlay=None, *, default_rules=True)"
    )]
    fn new(
        py: Python<'_>,
        rules: Option<&Bound<'_, PyAny>>,
        overlay: Option<&Bound<'_, PyAny>>,
        default_rules: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        errors::guard(py, || {
            let packs = convert::packs(rules, default_rules, overlay)?;
            // The default engine is shared; a copy of it shares its compiled packs.
            let engine = call(py, || packs.engine().map(|e| Engine::clone(&e)))?;
            Ok(PyEngine {
                inner: Arc::new(engine),
            })
        })
    }

    /// Evaluates `model` as of `as_of` and returns the report as a dict.
    #[pyo3(
        signature = (model, *, as_of, **options),
        text_signature = "($self, model, *, as_of, tier=None, profile='tier', \
                          max_findings_per_rule=None, max_steps_per_rule=None, max_steps_total=None, timeout=None, limits=None, strict=False)"
    )]
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        model: &Bound<'py, PyAny>,
        as_of: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        errors::guard(py, || {
            let run = RunArgs::parse("Engine.evaluate", as_of, options, false)?;
            let req = EvalArgs { model, run }.request(api::PacksArg::default())?;
            let engine = &self.inner;
            let report = call_on(py, Some(model), || api::evaluate_on(engine, req))?;
            Ok(pythonize::pythonize(py, &report)?)
        })
    }

    /// Evaluates every model of `models` and returns a list in input order: each model's
    /// report, or the exception `evaluate` would raise for it; the options are those of
    /// `aimscheck.evaluate_many`.
    #[pyo3(
        signature = (models, *, as_of, names = None, **options),
        text_signature = "($self, models, *, as_of, tier=None, profile='tier', \
                          max_findings_per_rule=None, max_steps_per_rule=None, max_steps_total=None, timeout=None, limits=None, strict=False, \
                          jobs=None, names=None)"
    )]
    fn evaluate_many<'py>(
        &self,
        py: Python<'py>,
        models: &Bound<'py, PyAny>,
        as_of: &Bound<'py, PyAny>,
        names: Option<&Bound<'py, PyAny>>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyList>> {
        errors::guard(py, || {
            let run = RunArgs::parse("Engine.evaluate_many", as_of, options, true)?;
            let args = ManyArgs { models, run, names };
            args.run(py, Some(&self.inner), api::PacksArg::default())
        })
    }

    /// Evaluates the models of `models` (Arrow data) and returns one record batch with a row
    /// per model; the options are those of `aimscheck.evaluate_arrow`.
    #[pyo3(
        signature = (models, *, ids = None, as_of, **options),
        text_signature = "($self, models, *, ids=None, as_of, tier=None, profile='tier', \
                          max_findings_per_rule=None, max_steps_per_rule=None, max_steps_total=None, timeout=None, limits=None, strict=False, \
                          jobs=None)"
    )]
    fn evaluate_arrow<'py>(
        &self,
        py: Python<'py>,
        models: &Bound<'py, PyAny>,
        ids: Option<&Bound<'py, PyAny>>,
        as_of: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        errors::guard(py, || {
            let run = RunArgs::parse("Engine.evaluate_arrow", as_of, options, true)?;
            let args = ArrowArgs { models, ids, run };
            args.run(py, Some(&self.inner), api::PacksArg::default())
        })
    }

    /// Pickles as the engine's state (its packs' files and its overlay), rebuilt by
    /// `_engine_from_state` where the pack folders need not exist.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        errors::guard(py, || {
            let state = serde_json::to_string(&self.inner.state()).map_err(|e| {
                let message = format!("internal error in aimscheck: engine state: {e}");
                errors::to_py(
                    py,
                    &Error::Internal(Box::new(Issue::new(codes::INTERNAL, message, ""))),
                )
            })?;
            let rebuild = py
                .import("aimscheck._native")?
                .getattr("_engine_from_state")?;
            Ok((rebuild, (state,)))
        })
    }

    /// The engine itself: it is immutable.
    fn __copy__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    /// The engine itself: it is immutable.
    #[pyo3(signature = (memo, /))]
    fn __deepcopy__<'py>(slf: Bound<'py, Self>, memo: &Bound<'py, PyAny>) -> Bound<'py, Self> {
        let _ = memo;
        slf
    }

    /// The rules this engine evaluates, as dicts.
    #[pyo3(signature = (), text_signature = "($self)")]
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        errors::guard(py, || {
            Ok(pythonize::pythonize(py, &api::listed_rules(&self.inner))?)
        })
    }

    /// The rule packs: id, version and digest of each.
    #[getter]
    fn packs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let packs: Vec<serde_json::Value> = self
            .inner
            .packs()
            .map(
                |p| serde_json::json!({"id": p.id(), "version": p.version(), "digest": p.digest()}),
            )
            .collect();
        Ok(pythonize::pythonize(py, &packs)?)
    }

    fn __repr__(&self) -> String {
        let packs: Vec<String> = self
            .inner
            .packs()
            .map(|p| format!("{} {}", p.id(), p.version()))
            .collect();
        format!("<aimscheck.Engine packs=[{}]>", packs.join(", "))
    }
}

/// Native part of the `aimscheck` package; import `aimscheck` instead.
#[pymodule(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ENGINE_VERSION", aimscheck::VERSION)?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_many, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(_engine_from_state, m)?)?;
    m.add_function(wrap_pyfunction!(validate_model, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(rules, m)?)?;
    m.add_function(wrap_pyfunction!(explain_rule, m)?)?;
    m.add_function(wrap_pyfunction!(lint_rules, m)?)?;
    m.add_function(wrap_pyfunction!(init, m)?)?;
    m.add_function(wrap_pyfunction!(migrate, m)?)?;
    m.add_function(wrap_pyfunction!(diff, m)?)?;
    m.add_function(wrap_pyfunction!(export, m)?)?;
    m.add_function(wrap_pyfunction!(diagram, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_class::<PyEngine>()?;
    Ok(())
}
