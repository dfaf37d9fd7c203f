//! # aimscheck for Node.js
//!
//! The napi-rs binding of [`aimscheck`]: `evaluate`, `evaluateAsync`, `validateModel`, `rules`,
//! `exportReport`, `exportReportAsync`, `diagram`, `version` and the `Engine` class. `index.js`
//! loads the addon through the loader `napi build` generates (`binding.js`), turns the errors it
//! throws into `Error` subclasses and also exports `exportReport` as `export`.
//!
//! Values cross the boundary as JSON: a model or options object goes through the JS
//! `JSON.stringify` (so `Date`s and `toJSON` behave as in JS), and reports, rule lists and issue
//! lists come back through `JSON.parse` of the text serde wrote, so a report has the same fields
//! in the same order as the Rust report. The heavy work (loading the model, evaluating it,
//! writing the report, exporting it, drawing the map) runs inside [`call::guarded`], so a panic
//! becomes an `Error` with code `AIMS-E-INTERNAL` instead of aborting the process;
//! `evaluateAsync` and `exportReportAsync` run it on the libuv thread pool. Exports and maps
//! come back as JS strings, as they are.

mod call;

use call::{
    Accept, Arg, CallOptions, DiagramJob, ExportJob, Failure, Loaded, ModelSource, guarded,
};
use napi::bindgen_prelude::{
    AsyncTask, FromNapiValue, Function, JsObjectValue, Object, Uint8Array, Unknown,
};
use napi::{Env, JsValue, ScopedTask, Status, ValueType};
use napi_derive::napi;
use std::sync::Arc;

/// Version of the engine (and of this package).
// Lower case because napi-rs registers a const under its Rust name (a `js_name` only renames
// it in index.d.ts).
#[allow(non_upper_case_globals)]
#[napi]
pub const version: &str = aimscheck::VERSION;

/// `JSON.stringify(value)`: `Ok(None)` when it gives `undefined` (for `undefined`, a function
/// or a symbol); an exception it throws (a cycle, a `BigInt`) becomes an options failure.
fn stringify(
    env: &Env,
    value: Unknown<'_>,
    what: &str,
) -> napi::Result<Result<Option<String>, Failure>> {
    let json: Object<'_> = env.get_global()?.get_named_property_unchecked("JSON")?;
    let f: Function<'_, Unknown<'_>, Unknown<'_>> =
        json.get_named_property_unchecked("stringify")?;
    let out = match f.call(value) {
        Ok(out) => out,
        Err(e) => {
            return Ok(Err(Failure::options(format!(
                "{what} cannot be converted to JSON: {}",
                e.reason
            ))));
        }
    };
    match out.get_type()? {
        ValueType::String => Ok(Ok(Some(String::from_unknown(out)?))),
        _ => Ok(Ok(None)),
    }
}

/// `JSON.parse(text)`.
fn parse<'env>(env: &'env Env, text: String) -> napi::Result<Unknown<'env>> {
    let json: Object<'_> = env.get_global()?.get_named_property_unchecked("JSON")?;
    let f: Function<'_, String, Unknown<'env>> = json.get_named_property_unchecked("parse")?;
    f.call(text)
}

/// The JS `Error` for `failure`: its message, and `code`, `kind` and `errors` (the issues)
/// as properties. Returned as a `napi::Error` that throws (or rejects with) that very object.
fn to_js_error(env: &Env, failure: &Failure) -> napi::Error {
    let build = || -> napi::Result<napi::Error> {
        let mut error = env.create_error(napi::Error::new(
            Status::GenericFailure,
            failure.message.clone(),
        ))?;
        error.set_named_property("code", failure.code.as_str())?;
        error.set_named_property("kind", failure.kind.as_str())?;
        error.set_named_property("errors", parse(env, failure.issues_json())?)?;
        Ok(napi::Error::from(error.to_unknown()))
    };
    build().unwrap_or_else(|e| e)
}

/// Ends a call: the value `JSON.parse` makes of the text, or the failure thrown as an `Error`.
fn finish<'env>(env: &'env Env, result: Result<String, Failure>) -> napi::Result<Unknown<'env>> {
    match result {
        Ok(text) => parse(env, text),
        Err(failure) => Err(to_js_error(env, &failure)),
    }
}

/// Reads a model argument: a string, a `Buffer`/`Uint8Array`, or any other JS value (converted
/// with `JSON.stringify`).
fn model_source(env: &Env, model: Unknown<'_>) -> napi::Result<Result<ModelSource, Failure>> {
    json_source(env, model, "model")
}

/// Reads a JSON argument (a model or a report, named by `noun`): a string, a
/// `Buffer`/`Uint8Array`, or any other JS value (converted with `JSON.stringify`).
fn json_source(
    env: &Env,
    value: Unknown<'_>,
    noun: &str,
) -> napi::Result<Result<ModelSource, Failure>> {
    match value.get_type()? {
        ValueType::String => return Ok(Ok(ModelSource::Text(String::from_unknown(value)?))),
        ValueType::Undefined => {
            return Ok(Err(Failure::options(format!(
                "the {noun} is required: an object, a JSON string or a Buffer"
            ))));
        }
        _ => {}
    }
    if value.is_buffer()? || value.is_typedarray()? {
        return Ok(match Uint8Array::from_unknown(value) {
            Ok(bytes) => Ok(ModelSource::Bytes(bytes.to_vec())),
            Err(_) => Err(Failure::options(format!(
                "a typed-array {noun} must be a Buffer or a Uint8Array of UTF-8 JSON"
            ))),
        });
    }
    Ok(
        stringify(env, value, &format!("the {noun}"))?.and_then(|json| {
            json.map(ModelSource::Value).ok_or_else(|| {
                Failure::options(format!(
                    "the {noun} must be an object, a JSON string or a Buffer"
                ))
            })
        }),
    )
}

/// How JS would name the type of `value` (`a number`, `an array`, ...), for messages.
fn js_type(value: &Unknown<'_>) -> napi::Result<&'static str> {
    Ok(match value.get_type()? {
        ValueType::Undefined => "undefined",
        ValueType::Null => "null",
        ValueType::Boolean => "a boolean",
        ValueType::Number => "a number",
        ValueType::String => "a string",
        ValueType::Symbol => "a symbol",
        ValueType::Function => "a function",
        ValueType::Object if value.is_array()? => "an array",
        ValueType::Object if value.is_buffer()? || value.is_typedarray()? => "a typed array",
        ValueType::Object => "an object",
        // A BigInt (napi4 has no type for it), an external.
        _ => "a value of another type",
    })
}

/// Reads an argument that must be a string (`undefined` and `null` read as missing).
fn arg(value: &Unknown<'_>) -> napi::Result<Arg> {
    Ok(match value.get_type()? {
        ValueType::Undefined | ValueType::Null => Arg::Missing,
        ValueType::String => Arg::String(String::from_unknown(*value)?),
        _ => Arg::Other(js_type(value)?),
    })
}

/// Reads an options object property by property (not through `JSON.stringify`, which would
/// turn a `Buffer` into `{type, data}`): the properties named in `allowed` whose value is
/// neither `undefined` nor `null`, in the order of `allowed`. `undefined` and `null` options
/// read as none; another name, or options that are not an object, are an options failure.
fn option_values<'env>(
    options: Unknown<'env>,
    allowed: &[&'static str],
    what: &str,
) -> napi::Result<Result<Vec<(&'static str, Unknown<'env>)>, Failure>> {
    match options.get_type()? {
        ValueType::Undefined | ValueType::Null => return Ok(Ok(Vec::new())),
        ValueType::Object
            if !options.is_array()? && !options.is_buffer()? && !options.is_typedarray()? => {}
        _ => {
            return Ok(Err(Failure::options(format!(
                "{what} must be an object {{{}}}, not {}",
                allowed
                    .iter()
                    .map(|k| format!("{k}?"))
                    .collect::<Vec<_>>()
                    .join(", "),
                js_type(&options)?
            ))));
        }
    }
    let object = Object::from_unknown(options)?;
    for key in Object::keys(&object)? {
        if !allowed.contains(&key.as_str()) {
            return Ok(Err(Failure::options(format!(
                "unknown option {key} in {what}; expected {}",
                allowed.join(", ")
            ))));
        }
    }
    let mut values = Vec::new();
    for key in allowed {
        let value: Unknown<'env> = object.get_named_property_unchecked(key)?;
        if !matches!(value.get_type()?, ValueType::Undefined | ValueType::Null) {
            values.push((*key, value));
        }
    }
    Ok(Ok(values))
}

/// Reads an options argument (`undefined` and `null` read as no options).
fn call_options(
    env: &Env,
    options: Unknown<'_>,
    accept: Accept,
    what: &str,
) -> napi::Result<Result<CallOptions, Failure>> {
    Ok(stringify(env, options, what)?
        .and_then(|json| CallOptions::parse(json.as_deref(), accept, what)))
}

/// What an evaluation needs, read on the JS thread. Compiling packs, loading the model and
/// evaluating wait for [`Job::run`] (on the thread pool for `evaluateAsync`).
struct Job {
    /// The `Engine` the call is on; `None` for the top-level functions.
    engine: Option<Arc<Loaded>>,
    model: ModelSource,
    options: CallOptions,
}

impl Job {
    /// Reads the arguments; `engine` is the `Engine` the call is on, if any.
    fn read(
        env: &Env,
        engine: Option<&Arc<Loaded>>,
        model: Unknown<'_>,
        options: Unknown<'_>,
    ) -> napi::Result<Result<Job, Failure>> {
        let accept = if engine.is_some() {
            Accept::Evaluation
        } else {
            Accept::All
        };
        let options = match call_options(env, options, accept, "the options")? {
            Ok(o) => o,
            Err(f) => return Ok(Err(f)),
        };
        let model = match model_source(env, model)? {
            Ok(m) => m,
            Err(f) => return Ok(Err(f)),
        };
        Ok(Ok(Job {
            engine: engine.cloned(),
            model,
            options,
        }))
    }

    /// Checks the options, builds the engine if the call has none, loads and evaluates.
    fn run(&self) -> Result<String, Failure> {
        guarded(|| {
            let evaluation = self.options.evaluation()?;
            let engine = match &self.engine {
                Some(e) => Arc::clone(e),
                None => call::engine_for(&self.options)?,
            };
            call::evaluate(&engine.engine, &self.model, &evaluation)
        })
    }
}

/// An evaluation on the libuv thread pool; resolves to the report.
pub struct EvaluateTask {
    job: Option<Result<Job, Failure>>,
    /// Test hook: panic with this message on the worker thread instead of evaluating.
    panic: Option<String>,
}

impl<'task> ScopedTask<'task> for EvaluateTask {
    type Output = Result<String, Failure>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let panic = self.panic.take();
        let job = self.job.take();
        Ok(guarded(move || {
            if let Some(message) = panic {
                panic_for_tests(&message);
            }
            match job {
                Some(Ok(job)) => job.run(),
                Some(Err(failure)) => Err(failure),
                None => Err(Failure::internal("the evaluation ran twice")),
            }
        }))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        finish(env, output)
    }
}

#[allow(clippy::panic)] // The one deliberate panic: proves the guard holds (tests only call it).
fn panic_for_tests(message: &str) {
    panic!("{message}");
}

/// Evaluates `model` as of `options.asOf`; throws on a malformed model or invalid options.
#[napi(
    ts_args_type = "model: ModelInput, options: EvaluateOptions & EngineConfig",
    ts_return_type = "Report"
)]
pub fn evaluate<'env>(
    env: &'env Env,
    model: Unknown<'env>,
    options: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let result = Job::read(env, None, model, options)?.and_then(|job| job.run());
    finish(env, result)
}

/// Like `evaluate`, off the JS thread: loading, evaluating and writing the report run on the
/// libuv thread pool. Rejects (never throws) on a malformed model or invalid options.
#[napi(
    ts_args_type = "model: ModelInput, options: EvaluateOptions & EngineConfig",
    ts_return_type = "Promise<Report>"
)]
pub fn evaluate_async(
    env: &Env,
    model: Unknown<'_>,
    options: Unknown<'_>,
) -> napi::Result<AsyncTask<EvaluateTask>> {
    let job = Job::read(env, None, model, options)?;
    Ok(AsyncTask::new(EvaluateTask {
        job: Some(job),
        panic: None,
    }))
}

/// Every issue of `model` (empty when it is valid): syntax, schema, dates, catalogue ids,
/// duplicate ids, limits; each with a code, a JSON Pointer and, for text, a line and column.
#[napi(ts_args_type = "model: ModelInput", ts_return_type = "Issue[]")]
pub fn validate_model<'env>(env: &'env Env, model: Unknown<'env>) -> napi::Result<Unknown<'env>> {
    let result = model_source(env, model)?.and_then(|m| guarded(|| call::validate(&m)));
    finish(env, result)
}

/// The rules of the embedded default pack `iso42001-4.4`, as `aimscheck rules list --format json`.
#[napi(ts_return_type = "RuleInfo[]")]
pub fn rules(env: &Env) -> napi::Result<Unknown<'_>> {
    let result = call::default_engine().and_then(|e| guarded(|| call::rules(&e)));
    finish(env, result)
}

/// Reads the arguments of `exportReport` on the JS thread.
fn read_export(
    env: &Env,
    report: Unknown<'_>,
    format: Unknown<'_>,
    options: Unknown<'_>,
) -> napi::Result<Result<ExportJob, Failure>> {
    let format = match call::export_format(&arg(&format)?) {
        Ok(f) => f,
        Err(f) => return Ok(Err(f)),
    };
    let report = match json_source(env, report, "report")? {
        Ok(r) => r,
        Err(f) => return Ok(Err(f)),
    };
    let values = match option_values(options, &["model", "modelUri"], "the export options")? {
        Ok(v) => v,
        Err(f) => return Ok(Err(f)),
    };
    let mut job = ExportJob {
        report,
        format,
        model: None,
        model_uri: None,
    };
    for (key, value) in values {
        let read = match key {
            "model" => model_source(env, value)?.map(|m| job.model = Some(m)),
            _ => call::string_arg(arg(&value)?, key).map(|u| job.model_uri = u),
        };
        if let Err(f) = read {
            return Ok(Err(f));
        }
    }
    Ok(Ok(job))
}

/// Renders `report` (what `evaluate` returned) in `format`: the text `aimscheck check
/// --format FORMAT` prints. `options.model`, the model the report is about, gives SARIF its
/// line numbers (when it is JSON text) and the HTML page its process map; `options.modelUri`
/// names the model file in SARIF and OSCAL locations.
#[napi(
    ts_args_type = "report: ReportInput, format: ExportFormat, options?: ExportOptions",
    ts_return_type = "string"
)]
pub fn export_report(
    env: &Env,
    report: Unknown<'_>,
    format: Unknown<'_>,
    options: Unknown<'_>,
) -> napi::Result<String> {
    match read_export(env, report, format, options)?.and_then(|job| job.run()) {
        Ok(text) => Ok(text),
        Err(failure) => Err(to_js_error(env, &failure)),
    }
}

/// An export on the libuv thread pool; resolves to the text.
pub struct ExportTask {
    job: Option<Result<ExportJob, Failure>>,
}

impl<'task> ScopedTask<'task> for ExportTask {
    type Output = Result<String, Failure>;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let job = self.job.take();
        Ok(guarded(move || match job {
            Some(Ok(job)) => job.run(),
            Some(Err(failure)) => Err(failure),
            None => Err(Failure::internal("the export ran twice")),
        }))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        output.map_err(|failure| to_js_error(env, &failure))
    }
}

/// Like `exportReport`, off the JS thread: reading the report, loading the model and
/// rendering run on the libuv thread pool. Rejects (never throws) on invalid arguments.
#[napi(
    ts_args_type = "report: ReportInput, format: ExportFormat, options?: ExportOptions",
    ts_return_type = "Promise<string>"
)]
pub fn export_report_async(
    env: &Env,
    report: Unknown<'_>,
    format: Unknown<'_>,
    options: Unknown<'_>,
) -> napi::Result<AsyncTask<ExportTask>> {
    let job = read_export(env, report, format, options)?;
    Ok(AsyncTask::new(ExportTask { job: Some(job) }))
}

/// The process-interaction map of `model`: Graphviz DOT (the default), a self-contained SVG
/// picture or a Mermaid flowchart, as `aimscheck diagram --format`; with `options.report` (a
/// report of the model), the processes with findings of failing rules are marked.
#[napi(
    ts_args_type = "model: ModelInput, options?: DiagramOptions",
    ts_return_type = "string"
)]
pub fn diagram(env: &Env, model: Unknown<'_>, options: Unknown<'_>) -> napi::Result<String> {
    let read = || -> napi::Result<Result<DiagramJob, Failure>> {
        let values = match option_values(options, &["format", "report"], "the diagram options")? {
            Ok(v) => v,
            Err(f) => return Ok(Err(f)),
        };
        let model = match model_source(env, model)? {
            Ok(m) => m,
            Err(f) => return Ok(Err(f)),
        };
        let mut job = DiagramJob {
            model,
            format: aimscheck::export::diagram::DiagramFormat::Dot,
            report: None,
        };
        for (key, value) in values {
            let read = match key {
                "report" => json_source(env, value, "report")?.map(|r| job.report = Some(r)),
                _ => call::diagram_format(&arg(&value)?).map(|f| job.format = f),
            };
            if let Err(f) = read {
                return Ok(Err(f));
            }
        }
        Ok(Ok(job))
    };
    match read()?.and_then(|job| job.run()) {
        Ok(text) => Ok(text),
        Err(failure) => Err(to_js_error(env, &failure)),
    }
}

/// Test hook: panics with `message` (default "deliberate panic for the tests of the Node
/// binding") inside the guard, on the JS thread (`mode` `"sync"`: throws) or on the thread
/// pool (`"async"`: rejects), to show the error a panic becomes. Not part of the API: left out
/// of index.d.ts, and index.js exposes it only as a non-enumerable `__panicForTests`.
#[napi(js_name = "__panicForTests", skip_typescript)]
pub fn panic_for_tests_hook(
    env: &Env,
    mode: String,
    message: Option<String>,
) -> napi::Result<Option<AsyncTask<EvaluateTask>>> {
    let message =
        message.unwrap_or_else(|| "deliberate panic for the tests of the Node binding".to_owned());
    if mode == "async" {
        return Ok(Some(AsyncTask::new(EvaluateTask {
            job: None,
            panic: Some(message),
        })));
    }
    let result: Result<String, Failure> = guarded(|| {
        panic_for_tests(&message);
        Ok(String::new())
    });
    match result {
        Ok(_) => Ok(None),
        Err(failure) => Err(to_js_error(env, &failure)),
    }
}

/// Compiled rule packs with an optional overlay, evaluated any number of times (from the JS
/// thread or, with `evaluateAsync`, from the thread pool, concurrently).
#[napi(js_name = "Engine")]
pub struct JsEngine {
    loaded: Arc<Loaded>,
}

#[napi]
impl JsEngine {
    /// Compiles the default pack (unless `defaultRules` is false), the packs in `rules` and
    /// the overlay; throws a `RulePackError` when one does not load.
    #[napi(constructor, ts_args_type = "config?: EngineConfig")]
    pub fn new(env: &Env, config: Unknown<'_>) -> napi::Result<Self> {
        let loaded = call_options(env, config, Accept::Engine, "the engine config")?
            .and_then(|o| guarded(|| call::engine_for(&o)));
        match loaded {
            Ok(loaded) => Ok(JsEngine { loaded }),
            Err(failure) => Err(to_js_error(env, &failure)),
        }
    }

    /// Evaluates `model` as of `options.asOf`.
    #[napi(
        ts_args_type = "model: ModelInput, options: EvaluateOptions",
        ts_return_type = "Report"
    )]
    pub fn evaluate<'env>(
        &self,
        env: &'env Env,
        model: Unknown<'env>,
        options: Unknown<'env>,
    ) -> napi::Result<Unknown<'env>> {
        let result = Job::read(env, Some(&self.loaded), model, options)?.and_then(|job| job.run());
        finish(env, result)
    }

    /// Like `evaluate`, on the libuv thread pool.
    #[napi(
        ts_args_type = "model: ModelInput, options: EvaluateOptions",
        ts_return_type = "Promise<Report>"
    )]
    pub fn evaluate_async(
        &self,
        env: &Env,
        model: Unknown<'_>,
        options: Unknown<'_>,
    ) -> napi::Result<AsyncTask<EvaluateTask>> {
        let job = Job::read(env, Some(&self.loaded), model, options)?;
        Ok(AsyncTask::new(EvaluateTask {
            job: Some(job),
            panic: None,
        }))
    }

    /// The rules of the engine's packs, with the overlay's severities and `disabled: true`
    /// for the rules it turns off.
    #[napi(ts_return_type = "RuleInfo[]")]
    pub fn rules<'env>(&self, env: &'env Env) -> napi::Result<Unknown<'env>> {
        let result = guarded(|| call::rules(&self.loaded));
        finish(env, result)
    }
}
