//! # aimscheck for Node.js
//!
//! The napi-rs binding of [`aimscheck`]: `evaluate`, `evaluateAsync`, `validateModel`, `rules`,
//! `exportReport`, `exportReportAsync`, `diagram`, `version` and the `Engine` class. `index.js`
//! loads the addon through the loader `napi build` generates (`binding.js`), turns the errors it
//! throws into `Error` subclasses and also exports `exportReport` as `export`.
//!
//! Values cross the boundary as JSON: a model or options object goes through the JS
//! `JSON.stringify` (so `Date`s and `toJSON` behave as in JS), with a replacer that refuses what
//! the text would silently change (`Infinity` and `NaN`, written as `null`) and stops at the
//! depth limit before the walk could exhaust the stack; reports, rule lists and issue
//! lists come back through `JSON.parse` of the text serde wrote, so a report has the same fields
//! in the same order as the Rust report. The heavy work (loading the model, evaluating it,
//! writing the report, exporting it, drawing the map) runs inside [`call::guarded`], so a panic
//! becomes an `Error` with code `AIMS-E-INTERNAL` instead of aborting the process;
//! `evaluateAsync` and `exportReportAsync` run it on the libuv thread pool. Exports and maps
//! come back as JS strings, as they are.

mod call;

use aimscheck::error::codes;
use aimscheck::{Error, Issue, LoadLimits};
use call::{
    Accept, Arg, CallOptions, DiagramJob, ExportJob, Failure, Loaded, ModelSource, guarded,
};
use napi::bindgen_prelude::{
    Array, AsyncTask, FnArgs, FromNapiValue, Function, JsObjectValue, Object, Uint8Array, Unknown,
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

/// The deepest nesting the core's JSON parser reads: a text whose arrays and objects nest 128
/// levels deep is refused whatever the model limit, so a JS value is never walked deeper.
const PARSER_DEPTH: usize = 127;

/// `JSON.stringify(value, replacer)` with a replacer that watches what the text would lose or
/// what the walk must not reach: it stops at the first number that is not finite (`Infinity`,
/// `-Infinity`, `NaN`, which JSON.stringify would silently write as `null`) and at the first
/// array or object nested deeper than the limit given (the root is level 1), before the walk
/// could recurse far enough to exhaust the stack. It returns the text (or `undefined`), or
/// `["number", pointer, "Infinity"]` or `["depth"]` when it stopped; the exceptions
/// JSON.stringify throws (a cycle, a `BigInt`, a throwing `toJSON`) are thrown as they are.
/// The pointer is the JSON Pointer (RFC 6901) of the value, after `prefix`.
const CHECKED_STRINGIFY: &str = r#"(function (value, maxDepth, prefix) {
  'use strict'
  let holders = null
  const keys = []
  let stop
  const escape = (key) => '/' + String(key).replace(/~/g, '~0').replace(/\//g, '~1')
  const pointer = (key) => prefix + (holders.length > 1 ? [...keys.slice(1), key] : []).map(escape).join('')
  function replacer(key, v) {
    if (holders === null) {
      holders = [this]
    } else {
      while (holders.length > 1 && holders[holders.length - 1] !== this) {
        holders.pop()
        keys.pop()
      }
    }
    const n = v instanceof Number ? Number(v) : v
    if (typeof n === 'number') {
      if (!Number.isFinite(n)) {
        stop = ['number', pointer(key), String(n)]
        throw stop
      }
    } else if (typeof v === 'object' && v !== null) {
      if (holders.length > maxDepth) {
        stop = ['depth']
        throw stop
      }
      holders.push(v)
      keys.push(key)
    }
    return v
  }
  try {
    return JSON.stringify(value, replacer)
  } catch (e) {
    if (stop !== undefined && e === stop) return stop
    throw e
  }
})"#;

/// Why a value could not become JSON text.
enum Unjson {
    /// A number JSON cannot hold, at a JSON Pointer: how JS writes it (`Infinity`, `NaN`).
    Number { pointer: String, shown: String },
    /// Arrays and objects nested deeper than the limit.
    TooDeep,
    /// The exception JSON.stringify threw (a cycle, a `BigInt`, a throwing `toJSON`).
    Thrown(String),
}

/// `JSON.stringify(value)`, walking no deeper than `max_depth` levels (at most
/// [`PARSER_DEPTH`]) and refusing numbers JSON cannot hold, whose pointers start with
/// `prefix`: `Ok(None)` when it gives `undefined` (for `undefined`, a function or a symbol).
fn stringify(
    env: &Env,
    value: Unknown<'_>,
    max_depth: usize,
    prefix: &str,
) -> napi::Result<Result<Option<String>, Unjson>> {
    let f: Function<'_, FnArgs<(Unknown<'_>, u32, &str)>, Unknown<'_>> =
        env.run_script(CHECKED_STRINGIFY)?;
    let depth = u32::try_from(max_depth.min(PARSER_DEPTH)).unwrap_or(0);
    let out = match f.call((value, depth, prefix).into()) {
        Ok(out) => out,
        Err(e) => return Ok(Err(Unjson::Thrown(e.reason))),
    };
    match out.get_type()? {
        ValueType::String => Ok(Ok(Some(String::from_unknown(out)?))),
        ValueType::Object if out.is_array()? => {
            let stop = Array::from_unknown(out)?;
            let what: Option<String> = stop.get(0)?;
            if what.as_deref() == Some("number") {
                Ok(Err(Unjson::Number {
                    pointer: stop.get(1)?.unwrap_or_default(),
                    shown: stop.get(2)?.unwrap_or_default(),
                }))
            } else {
                Ok(Err(Unjson::TooDeep))
            }
        }
        _ => Ok(Ok(None)),
    }
}

/// `stringify` for an argument other than a model (options, a report): what stops it is an
/// options failure naming `what`; `prefix` is the pointer of the value in `what`.
fn stringify_arg(
    env: &Env,
    value: Unknown<'_>,
    what: &str,
    prefix: &str,
) -> napi::Result<Result<Option<String>, Failure>> {
    Ok(stringify(env, value, PARSER_DEPTH, prefix)?
        .map_err(|e| Failure::options(unjson_message(&e, what))))
}

/// Words for `e`, about the argument named `what` (`the model`, `the options`).
fn unjson_message(e: &Unjson, what: &str) -> String {
    match e {
        Unjson::Number { pointer, shown } => format!(
            "{what} cannot be converted to JSON: the number at \"{pointer}\" is {shown}, which \
             JSON cannot hold (JSON.stringify would write null)"
        ),
        Unjson::TooDeep => format!(
            "{what} cannot be converted to JSON: its arrays and objects nest deeper than \
             {PARSER_DEPTH} levels"
        ),
        Unjson::Thrown(reason) => format!("{what} cannot be converted to JSON: {reason}"),
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
/// with `JSON.stringify`, walked no deeper than `limits.max_depth`). A value nested deeper is
/// the limit error the same model as text gives; a number JSON cannot hold (`Infinity`,
/// `NaN`) is an options failure naming its JSON Pointer.
fn model_source(
    env: &Env,
    model: Unknown<'_>,
    limits: &LoadLimits,
) -> napi::Result<Result<ModelSource, Failure>> {
    let max_depth = limits.max_depth;
    json_source(env, model, "model", max_depth, |e| match e {
        Unjson::TooDeep => {
            let message = if max_depth <= PARSER_DEPTH {
                format!("the model nests deeper than {max_depth} levels")
            } else {
                format!(
                    "the model nests deeper than {PARSER_DEPTH} levels, the most the parser \
                     reads (the model limit is {max_depth})"
                )
            };
            Failure::from(Error::Limit(Box::new(Issue::new(
                codes::LIMIT,
                message,
                "",
            ))))
        }
        other => Failure::options(unjson_message(&other, "the model")),
    })
}

/// Reads a report argument as [`json_source`] does.
fn report_source(env: &Env, report: Unknown<'_>) -> napi::Result<Result<ModelSource, Failure>> {
    json_source(env, report, "report", PARSER_DEPTH, |e| {
        Failure::options(unjson_message(&e, "the report"))
    })
}

/// Reads a JSON argument (a model or a report, named by `noun`): a string, a
/// `Buffer`/`Uint8Array`, or any other JS value (converted with `JSON.stringify`, walked no
/// deeper than `max_depth`; `unjson` says what stopped it).
fn json_source(
    env: &Env,
    value: Unknown<'_>,
    noun: &str,
    max_depth: usize,
    unjson: impl FnOnce(Unjson) -> Failure,
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
    Ok(stringify(env, value, max_depth, "")?
        .map_err(unjson)
        .and_then(|json| {
            json.map(ModelSource::Value).ok_or_else(|| {
                Failure::options(format!(
                    "the {noun} must be an object, a JSON string or a Buffer"
                ))
            })
        }))
}

/// Reads the `limits` option of the calls whose options are read property by property.
fn limits_arg(env: &Env, value: Unknown<'_>) -> napi::Result<Result<LoadLimits, Failure>> {
    Ok(stringify_arg(env, value, "the options", "/limits")?
        .and_then(|json| call::limits_from_json(json.as_deref())))
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
    Ok(stringify_arg(env, options, what, "")?
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
        let model = match model_source(env, model, &options.limits)? {
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
    fn run(self) -> Result<String, Failure> {
        guarded(|| {
            let evaluation = self.options.evaluation()?;
            let engine = match &self.engine {
                Some(e) => Arc::clone(e),
                None => call::engine_for(&self.options)?,
            };
            call::evaluate(
                &engine.engine,
                self.model,
                &self.options.limits,
                &evaluation,
            )
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
/// `options.limits` sets the limits the model is loaded within.
#[napi(
    ts_args_type = "model: ModelInput, options?: ValidateOptions",
    ts_return_type = "Issue[]"
)]
pub fn validate_model<'env>(
    env: &'env Env,
    model: Unknown<'env>,
    options: Unknown<'env>,
) -> napi::Result<Unknown<'env>> {
    let read = || -> napi::Result<Result<(ModelSource, LoadLimits), Failure>> {
        let values = match option_values(options, &["limits"], "the validateModel options")? {
            Ok(v) => v,
            Err(f) => return Ok(Err(f)),
        };
        let mut limits = LoadLimits::default();
        for (_, value) in values {
            match limits_arg(env, value)? {
                Ok(l) => limits = l,
                Err(f) => return Ok(Err(f)),
            }
        }
        Ok(model_source(env, model, &limits)?.map(|m| (m, limits)))
    };
    let result = match read()? {
        Ok((m, limits)) => guarded(|| call::validate(m, &limits)),
        // A value nested too deep, found while converting it: listed as the text's would be.
        Err(f) if f.kind == call::Kind::Limit => Ok(f.issues_json()),
        Err(f) => Err(f),
    };
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
    let report = match report_source(env, report)? {
        Ok(r) => r,
        Err(f) => return Ok(Err(f)),
    };
    // `limits` first: the model is read within them.
    let values = match option_values(
        options,
        &["limits", "model", "modelUri"],
        "the export options",
    )? {
        Ok(v) => v,
        Err(f) => return Ok(Err(f)),
    };
    let mut job = ExportJob {
        report,
        format,
        model: None,
        model_uri: None,
        limits: LoadLimits::default(),
    };
    for (key, value) in values {
        let read = match key {
            "limits" => limits_arg(env, value)?.map(|l| job.limits = l),
            "model" => model_source(env, value, &job.limits)?.map(|m| job.model = Some(m)),
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
/// names the model file in SARIF and OSCAL locations; `options.limits` sets the limits the
/// model is loaded within.
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
/// report of the model), the processes with findings of failing rules are marked;
/// `options.limits` sets the limits the model is loaded within.
#[napi(
    ts_args_type = "model: ModelInput, options?: DiagramOptions",
    ts_return_type = "string"
)]
pub fn diagram(env: &Env, model: Unknown<'_>, options: Unknown<'_>) -> napi::Result<String> {
    let read = || -> napi::Result<Result<DiagramJob, Failure>> {
        let values = match option_values(
            options,
            &["format", "report", "limits"],
            "the diagram options",
        )? {
            Ok(v) => v,
            Err(f) => return Ok(Err(f)),
        };
        let mut format = aimscheck::export::diagram::DiagramFormat::Dot;
        let mut report = None;
        let mut limits = LoadLimits::default();
        for (key, value) in values {
            let read = match key {
                "report" => report_source(env, value)?.map(|r| report = Some(r)),
                "limits" => limits_arg(env, value)?.map(|l| limits = l),
                _ => call::diagram_format(&arg(&value)?).map(|f| format = f),
            };
            if let Err(f) = read {
                return Ok(Err(f));
            }
        }
        let model = match model_source(env, model, &limits)? {
            Ok(m) => m,
            Err(f) => return Ok(Err(f)),
        };
        Ok(Ok(DiagramJob {
            model,
            format,
            report,
            limits,
        }))
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
