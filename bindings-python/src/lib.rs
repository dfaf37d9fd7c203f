//! Python binding of aimscheck: the native module `aimscheck._native` of the `aimscheck`
//! package (the package re-exports it; see `python/aimscheck/__init__.pyi` for the typed API).
//!
//! Every entry point converts its Python arguments while holding the GIL, then loads the model
//! and evaluates it (or renders an export or the process map) with the GIL released, so that
//! threads sharing one [`PyEngine`] run at once.
//! Library errors become the exception classes defined in Python in `aimscheck._errors`; a
//! panic becomes an `AimsCheckError` with code `AIMS-E-INTERNAL`.

mod convert;
mod errors;

use aimscheck::api::{EngineConfig, EvaluateOptions, rules_json};
use aimscheck::error::{Issue, codes};
use aimscheck::export::diagram::DiagramFormat;
use aimscheck::export::{Context, Format};
use aimscheck::{Engine, Error, LoadLimits, Model, Overlay, Report};
use convert::{ModelInput, OverlayInput};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Why something could not be loaded: a library error, a file that could not be read, or a
/// report that is not one.
enum LoadError {
    /// The library rejected the input.
    Library(Error),
    /// A file could not be read: the error, the file, and what it was meant to hold.
    Io(std::io::Error, PathBuf, &'static str),
    /// The value given as a report is not one: why.
    NotAReport(String),
}

impl LoadError {
    /// The Python exception for the error (needs the GIL back).
    fn into_py(self, py: Python<'_>) -> PyErr {
        match self {
            LoadError::Library(e) => errors::to_py(py, &e),
            LoadError::Io(e, path, what) => errors::io_to_py(py, &e, &path, what),
            LoadError::NotAReport(why) => errors::not_a_report(py, &why),
        }
    }
}

/// Loads a model within `limits`; runs without the GIL.
fn load(input: ModelInput, limits: &LoadLimits) -> Result<Model, LoadError> {
    match input {
        ModelInput::Value(v) => Model::from_value_with(v, limits).map_err(LoadError::Library),
        ModelInput::Rejected(e) => Err(LoadError::Library(e)),
        ModelInput::Text(t) => Model::from_string_with(t, limits).map_err(LoadError::Library),
        ModelInput::Bytes(b) => Model::from_vec_with(b, limits).map_err(LoadError::Library),
        ModelInput::File(p) => match read_at_most(&p, limits.max_bytes) {
            Ok(bytes) if bytes.len() > limits.max_bytes => {
                Err(LoadError::Library(file_too_large(&p, limits.max_bytes)))
            }
            Ok(bytes) => Model::from_vec_with(bytes, limits).map_err(LoadError::Library),
            Err(e) => Err(LoadError::Io(e, p, "model")),
        },
    }
}

/// The first `max_bytes + 1` bytes of the file at `path`: enough to tell a file past the limit,
/// without reading all of a larger one.
fn read_at_most(path: &Path, max_bytes: usize) -> std::io::Result<Vec<u8>> {
    let cap = u64::try_from(max_bytes).map_or(u64::MAX, |m| m.saturating_add(1));
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(cap)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The limit error for a model file larger than `max_bytes` (refused here, as the part read
/// may end inside a UTF-8 sequence); with the file's size when it is known.
fn file_too_large(path: &Path, max_bytes: usize) -> Error {
    let message = match std::fs::metadata(path) {
        Ok(meta) if meta.len() > u64::try_from(max_bytes).unwrap_or(u64::MAX) => format!(
            "the model is {} bytes, more than the limit of {max_bytes} bytes",
            meta.len()
        ),
        _ => format!("the model is larger than the limit of {max_bytes} bytes"),
    };
    Error::Limit(Box::new(Issue::new(codes::LIMIT, message, "")))
}

/// Reads a report converted from Python through the core's report reader (which refuses a
/// report of another format, or a model given as a report); runs without the GIL.
fn parse_report(value: serde_json::Value) -> Result<Report, LoadError> {
    aimscheck::api::read_report(aimscheck::api::ReportInput::Value(value)).map_err(|e| {
        LoadError::NotAReport(
            e.issues()
                .first()
                .map_or_else(|| e.to_string(), |i| i.message.clone()),
        )
    })
}

/// Checks that `model` is the model `report` is about (the same digest), so that locations and
/// marks are not taken from another model.
fn check_model(model: &Model, report: &Report) -> Result<(), LoadError> {
    aimscheck::api::same_model(model, report).map_err(LoadError::Library)
}

/// A format argument: a `str` that `parse` knows; `kind` and `names` describe the choices.
fn format_arg<F>(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    kind: &str,
    names: &[&str],
    parse: impl Fn(&str) -> Option<F>,
) -> PyResult<F> {
    let choices = names.join(", ");
    let Ok(s) = obj.cast::<PyString>() else {
        return Err(PyTypeError::new_err(format!(
            "format must be a str (one of {choices}), not {}",
            convert::type_name(obj)
        )));
    };
    let name = s.to_cow()?;
    parse(&name).ok_or_else(|| {
        let message = format!("unknown {kind} format '{name}': use one of {choices}");
        errors::to_py(
            py,
            &Error::Options(Box::new(Issue::new(codes::OPTIONS, message, ""))),
        )
    })
}

/// The engine with the embedded default pack, compiled once per process.
fn default_engine() -> Result<Arc<Engine>, Error> {
    static DEFAULT: OnceLock<Result<Arc<Engine>, Error>> = OnceLock::new();
    DEFAULT.get_or_init(|| Engine::new().map(Arc::new)).clone()
}

/// Builds an engine from the `rules` and `overlay` arguments; the default one when both are
/// `None`. Reading and compiling run without the GIL.
fn build_engine(
    py: Python<'_>,
    rules: Option<&Bound<'_, PyAny>>,
    overlay: Option<&Bound<'_, PyAny>>,
) -> PyResult<Arc<Engine>> {
    let dirs = convert::pack_dirs(rules)?;
    let overlay = convert::overlay_input(overlay)?;
    if dirs.is_empty() && overlay.is_none() {
        return py.detach(default_engine).map_err(|e| errors::to_py(py, &e));
    }
    let built = py.detach(move || -> Result<Engine, LoadError> {
        let config = EngineConfig {
            rules: dirs,
            default_rules: true,
            overlay: overlay.map(read_overlay).transpose()?,
        };
        Engine::from_config(&config).map_err(LoadError::Library)
    });
    built.map(Arc::new).map_err(|e| e.into_py(py))
}

/// Parses the overlay (reading its file); runs without the GIL. An overlay given as a dict
/// that is not one is a `RulePackError` with code `AIMS-E-PACK-SCHEMA`, as a file would be.
fn read_overlay(input: OverlayInput) -> Result<Overlay, LoadError> {
    match input {
        OverlayInput::File(path) => {
            let text = match std::fs::read_to_string(&path) {
                Ok(text) => text,
                Err(e) => return Err(LoadError::Io(e, path, "overlay")),
            };
            Overlay::from_json(&text, Some(&path.display().to_string())).map_err(LoadError::Library)
        }
        OverlayInput::Value(value) => aimscheck::api::OverlayInput::Value(value)
            .load()
            .map_err(LoadError::Library),
    }
}

/// The keyword arguments of an evaluation, as Python gave them.
struct EvalArgs<'a, 'py> {
    as_of: &'a Bound<'py, PyAny>,
    tier: Option<&'a Bound<'py, PyAny>>,
    profile: Option<&'a Bound<'py, PyAny>>,
    max_findings_per_rule: Option<&'a Bound<'py, PyAny>>,
    max_steps_per_rule: Option<&'a Bound<'py, PyAny>>,
    limits: Option<&'a Bound<'py, PyAny>>,
}

/// Converts the arguments of an evaluation, evaluates without the GIL, and returns the report
/// as Python objects.
fn run<'py>(
    py: Python<'py>,
    engine: Arc<Engine>,
    model: &Bound<'py, PyAny>,
    args: &EvalArgs<'_, 'py>,
) -> PyResult<Bound<'py, PyAny>> {
    let limits = convert::load_limits(args.limits)?;
    let input = convert::model_input(model, &limits)?;
    let max_findings = convert::opt_count(args.max_findings_per_rule, "max_findings_per_rule")?;
    let options = EvaluateOptions {
        as_of: convert::as_of(args.as_of)?,
        tier: convert::opt_str(args.tier, "tier")?,
        profile: convert::opt_str(args.profile, "profile")?,
        // Past the address space, every finding is kept anyway.
        max_findings_per_rule: max_findings.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        max_steps_per_rule: convert::opt_count(args.max_steps_per_rule, "max_steps_per_rule")?,
    };
    let options = options.to_options().map_err(|e| errors::to_py(py, &e))?;
    let report = py.detach(move || {
        let model = load(input, &limits)?;
        engine
            .evaluate(&model, &options)
            .map_err(LoadError::Library)
    });
    let report = report.map_err(|e| e.into_py(py))?;
    Ok(pythonize::pythonize(py, &report)?)
}

/// Evaluates `model` as of `as_of` and returns the report as a dict.
#[pyfunction]
#[pyo3(
    signature = (
        model, *, as_of, tier = None, profile = None, rules = None, overlay = None,
        max_findings_per_rule = None, max_steps_per_rule = None, limits = None
    ),
    text_signature = "(model, *, as_of, tier=None, profile='tier', rules=None, overlay=None, \
                      max_findings_per_rule=None, max_steps_per_rule=None, limits=None)"
)]
#[allow(
    clippy::too_many_arguments,
    reason = "the keyword arguments of the Python function"
)]
fn evaluate<'py>(
    py: Python<'py>,
    model: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    tier: Option<&Bound<'py, PyAny>>,
    profile: Option<&Bound<'py, PyAny>>,
    rules: Option<&Bound<'py, PyAny>>,
    overlay: Option<&Bound<'py, PyAny>>,
    max_findings_per_rule: Option<&Bound<'py, PyAny>>,
    max_steps_per_rule: Option<&Bound<'py, PyAny>>,
    limits: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    errors::guard(py, || {
        let args = EvalArgs {
            as_of,
            tier,
            profile,
            max_findings_per_rule,
            max_steps_per_rule,
            limits,
        };
        let engine = build_engine(py, rules, overlay)?;
        run(py, engine, model, &args)
    })
}

/// Loads `model` within `limits` and returns every issue found (an empty list when it is
/// valid).
#[pyfunction]
#[pyo3(signature = (model, *, limits = None), text_signature = "(model, *, limits=None)")]
fn validate_model<'py>(
    py: Python<'py>,
    model: &Bound<'py, PyAny>,
    limits: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    errors::guard(py, || {
        let limits = convert::load_limits(limits)?;
        let input = convert::model_input(model, &limits)?;
        match py.detach(move || load(input, &limits)) {
            Ok(_) => Ok(PyList::empty(py)),
            Err(LoadError::Library(e)) => match e {
                Error::Model(_) | Error::Limit(_) => errors::issue_list(py, e.issues()),
                other => Err(errors::to_py(py, &other)),
            },
            Err(io) => Err(io.into_py(py)),
        }
    })
}

/// The rules of the embedded default pack, as dicts.
#[pyfunction]
#[pyo3(signature = (), text_signature = "()")]
fn rules(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    errors::guard(py, || {
        let engine = py
            .detach(default_engine)
            .map_err(|e| errors::to_py(py, &e))?;
        Ok(pythonize::pythonize(py, &rules_json(&engine))?)
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
        let names = Format::ALL.map(Format::as_str);
        let format = format_arg(py, format, "export", &names, Format::parse)?;
        let limits = convert::load_limits(limits)?;
        let report = convert::report_value(report)?;
        let model = model
            .filter(|m| !m.is_none())
            .map(|m| convert::model_input(m, &limits))
            .transpose()?;
        let model_uri = match convert::opt_str(model_uri, "model_uri")? {
            Some(uri) => Some(uri),
            None => match &model {
                Some(ModelInput::File(path)) => Some(path.display().to_string()),
                _ => None,
            },
        };
        let text = py.detach(move || -> Result<String, LoadError> {
            let report = parse_report(report)?;
            let model = model.map(|m| load(m, &limits)).transpose()?;
            if let Some(model) = &model {
                check_model(model, &report)?;
            }
            let ctx = Context {
                model: model.as_ref(),
                model_uri: model_uri.as_deref(),
            };
            aimscheck::export::render(format, &report, &ctx).map_err(LoadError::Library)
        });
        text.map_err(|e| e.into_py(py))
    })
}

/// The process-interaction map of `model` (loaded within `limits`) as `dot`, `svg` or
/// `mermaid`; with `report` (a dict `evaluate` returned for this model), the processes with
/// failing findings are marked.
#[pyfunction]
#[pyo3(
    signature = (model, *, format = None, report = None, limits = None),
    text_signature = "(model, *, format='dot', report=None, limits=None)"
)]
fn diagram(
    py: Python<'_>,
    model: &Bound<'_, PyAny>,
    format: Option<&Bound<'_, PyAny>>,
    report: Option<&Bound<'_, PyAny>>,
    limits: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    errors::guard(py, || {
        let format = match format.filter(|f| !f.is_none()) {
            None => DiagramFormat::Dot,
            Some(f) => format_arg(
                py,
                f,
                "diagram",
                &["dot", "svg", "mermaid"],
                DiagramFormat::parse,
            )?,
        };
        let limits = convert::load_limits(limits)?;
        let input = convert::model_input(model, &limits)?;
        let report = convert::opt_report_value(report)?;
        let text = py.detach(move || -> Result<String, LoadError> {
            let model = load(input, &limits)?;
            let report = report.map(parse_report).transpose()?;
            if let Some(report) = &report {
                check_model(&model, report)?;
            }
            aimscheck::export::diagram::render(&model, report.as_ref(), format)
                .map_err(LoadError::Library)
        });
        text.map_err(|e| e.into_py(py))
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

/// A compiled rule set (the default pack, plus any `rules` folders, with an optional `overlay`),
/// immutable and safe to share between threads; evaluate any number of models with it.
#[pyclass(frozen, module = "aimscheck", name = "Engine")]
struct PyEngine {
    /// The engine; `Send + Sync`, shared by every evaluation.
    inner: Arc<Engine>,
}

#[pymethods]
impl PyEngine {
    /// Compiles the rules.
    #[new]
    #[pyo3(signature = (rules = None, overlay = None), text_signature = "(rules=None, overlay=None)")]
    fn new(
        py: Python<'_>,
        rules: Option<&Bound<'_, PyAny>>,
        overlay: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        errors::guard(py, || {
            Ok(PyEngine {
                inner: build_engine(py, rules, overlay)?,
            })
        })
    }

    /// Evaluates `model` as of `as_of` and returns the report as a dict.
    #[pyo3(
        signature = (
            model, *, as_of, tier = None, profile = None, max_findings_per_rule = None,
            max_steps_per_rule = None, limits = None
        ),
        text_signature = "($self, model, *, as_of, tier=None, profile='tier', \
                          max_findings_per_rule=None, max_steps_per_rule=None, limits=None)"
    )]
    #[allow(
        clippy::too_many_arguments,
        reason = "the keyword arguments of the Python method"
    )]
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        model: &Bound<'py, PyAny>,
        as_of: &Bound<'py, PyAny>,
        tier: Option<&Bound<'py, PyAny>>,
        profile: Option<&Bound<'py, PyAny>>,
        max_findings_per_rule: Option<&Bound<'py, PyAny>>,
        max_steps_per_rule: Option<&Bound<'py, PyAny>>,
        limits: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        errors::guard(py, || {
            let args = EvalArgs {
                as_of,
                tier,
                profile,
                max_findings_per_rule,
                max_steps_per_rule,
                limits,
            };
            run(py, Arc::clone(&self.inner), model, &args)
        })
    }

    /// The rules this engine evaluates, as dicts.
    #[pyo3(signature = (), text_signature = "($self)")]
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        errors::guard(py, || {
            Ok(pythonize::pythonize(py, &rules_json(&self.inner))?)
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
    m.add_function(wrap_pyfunction!(validate_model, m)?)?;
    m.add_function(wrap_pyfunction!(rules, m)?)?;
    m.add_function(wrap_pyfunction!(export, m)?)?;
    m.add_function(wrap_pyfunction!(diagram, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_class::<PyEngine>()?;
    Ok(())
}
