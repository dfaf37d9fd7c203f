//! # aimscheck for Node.js
//!
//! The napi-rs skin of [`aimscheck::api`]. `index.js` checks the JS arguments, builds the
//! request of an operation as JSON text and calls [`call`] (or [`call_async`], which runs on the
//! libuv thread pool); this file reads the typed request, runs the operation and answers JSON
//! text, `{"ok":true,"value":...}` or `{"ok":false,"error":{code,kind,message,errors}}`, which
//! `index.js` turns into a value or an `Error` subclass. [`engine`] compiles the engine an
//! `Engine` of `index.js` holds and passes to [`call`]. A panic becomes an `AIMS-E-INTERNAL` error
//! instead of unwinding into Node.

use aimscheck::api::{self, Limits, ModelFields, ReportInput};
use aimscheck::error::codes;
use aimscheck::{Error, Issue};
use napi::bindgen_prelude::{AsyncTask, Either, External, ExternalRef, JsObjectValue, Uint8Array};
use napi::{Env, JsValue, Status, Task};
use napi_derive::napi;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

/// Version of the engine (and of this package).
// Lower case because napi-rs registers a const under its Rust name (a `js_name` only renames
// it in index.d.ts).
#[allow(non_upper_case_globals)]
#[napi]
pub const version: &str = aimscheck::VERSION;

/// The model depth limit when none is given (`limits.maxDepth`), for the message of a JS
/// value nested deeper than the parser reads.
#[napi(skip_typescript)]
pub const DEFAULT_MAX_DEPTH: u32 = aimscheck::DEFAULT_MAX_DEPTH as u32;

/// A JSON argument given beside the request: a string is the text `JSON.stringify` made of a
/// JS value (read as a value, so its errors carry pointers only), a `Uint8Array` UTF-8 JSON
/// the caller holds (errors located in it).
type JsonArg = Either<String, Uint8Array>;

/// [`JsonArg`], owned, to cross to the thread pool.
enum Input {
    Value(String),
    Bytes(Vec<u8>),
}

impl From<JsonArg> for Input {
    fn from(arg: JsonArg) -> Self {
        match arg {
            Either::A(text) => Input::Value(text),
            Either::B(bytes) => Input::Bytes(bytes.to_vec()),
        }
    }
}

/// An engine: the shared default one, or one built for an `Engine` of `index.js`.
type SharedEngine = Arc<api::EngineRef>;

/// One operation with everything it needs, owned.
struct Call {
    op: String,
    request: String,
    model: Option<Input>,
    report: Option<Input>,
    /// The models of `evaluate_many`, one per entry of the request's `models`; or the old and
    /// the new report of `diff`.
    models: Vec<Input>,
    /// The engine of an `Engine` method; the top-level functions build theirs from the request.
    engine: Option<SharedEngine>,
}

impl Call {
    fn new(
        op: String,
        request: String,
        model: Option<JsonArg>,
        report: Option<JsonArg>,
        models: Option<Vec<JsonArg>>,
        engine: Option<ExternalRef<SharedEngine>>,
    ) -> Self {
        Call {
            op,
            request,
            model: model.map(Input::from),
            report: report.map(Input::from),
            models: models.into_iter().flatten().map(Input::from).collect(),
            engine: engine.map(|e| Arc::clone(&e)),
        }
    }

    /// Runs the operation: the answer's JSON text.
    fn answer(self) -> String {
        match guarded(|| self.run()) {
            Ok(value) => format!(r#"{{"ok":true,"value":{value}}}"#),
            Err(error) => json!({"ok": false, "error": error}).to_string(),
        }
    }

    /// Runs the operation: the value's JSON text.
    fn run(self) -> Result<String, Error> {
        let Call {
            op,
            request: text,
            model,
            report,
            models,
            engine,
        } = self;
        match op.as_str() {
            "evaluate" => {
                let mut req: api::EvaluateRequest = request(&text)?;
                let given = set_model(&mut req.model, model, &req.run.limits)?;
                let result = match &engine {
                    Some(e) => api::evaluate_on(e, req),
                    None => api::evaluate(req),
                };
                to_json(&result.map_err(|e| in_order(e, given.as_deref()))?)
            }
            "validate" => {
                let mut req: api::ValidateRequest = request(&text)?;
                let given = set_model(&mut req.model, model, &req.limits)?;
                let mut answer = api::validate(req)?;
                if let Some(t) = &given {
                    document_order(&mut answer.errors, t);
                }
                to_json(&answer)
            }
            "export" => {
                let mut req: api::ExportRequest = request(&text)?;
                set_report(&mut req.report, &mut req.report_text, report)?;
                let given = set_model(&mut req.model, model, &req.limits)?;
                to_json(&api::export(req).map_err(|e| in_order(e, given.as_deref()))?)
            }
            "diagram" => {
                let mut req: api::DiagramRequest = request(&text)?;
                set_report(&mut req.report, &mut req.report_text, report)?;
                let given = set_model(&mut req.model, model, &req.limits)?;
                to_json(&api::diagram(req).map_err(|e| in_order(e, given.as_deref()))?)
            }
            "evaluate_many" => {
                let mut req: api::EvaluateManyRequest = request(&text)?;
                if req.models.len() != models.len() {
                    return Err(internal(format!(
                        "the request lists {} models but {} were given",
                        req.models.len(),
                        models.len()
                    )));
                }
                let mut given = Vec::with_capacity(models.len());
                for (m, input) in req.models.iter_mut().zip(models) {
                    given.push(set_model(&mut m.model, Some(input), &req.run.limits)?);
                }
                let mut answers = match &engine {
                    Some(e) => api::evaluate_many_on(e, req)?,
                    None => api::evaluate_many(req)?,
                };
                // The issues of a model given as a JS value, in its order, as for `evaluate`.
                for (a, text) in answers.iter_mut().zip(given) {
                    if let Some(e) = a.failure.take() {
                        let e = in_order(e, text.as_deref());
                        a.error = Some(api::error_json(&e));
                    }
                }
                to_json(&answers)
            }
            "rules" => match &engine {
                Some(e) => to_json(&api::listed_rules(e)),
                None => to_json(&api::rules(request(&text)?)?),
            },
            "lint" => to_json(&api::lint_rules(request(&text)?)?),
            "init" => to_json(&api::init(request(&text)?)?),
            "migrate" => {
                let mut req: api::MigrateRequest = request(&text)?;
                let given = set_model(&mut req.model, model, &req.limits)?;
                to_json(&api::migrate(req).map_err(|e| in_order(e, given.as_deref()))?)
            }
            "diff" => {
                let mut req: api::DiffRequest = request(&text)?;
                let mut reports = models.into_iter();
                let (Some(old), Some(new), None) = (reports.next(), reports.next(), reports.next())
                else {
                    return Err(internal("diff takes two reports".to_owned()));
                };
                set_report(&mut req.old, &mut req.old_text, Some(old))?;
                set_report(&mut req.new, &mut req.new_text, Some(new))?;
                to_json(&api::diff(req)?)
            }
            // The test hook's panic, the request being its message.
            "panic" => panic_for_tests(&text),
            other => Err(internal(format!("unknown operation {other}"))),
        }
    }
}

/// The typed request of its JSON text.
fn request<R: DeserializeOwned>(text: &str) -> Result<R, Error> {
    serde_json::from_str(text).map_err(|e| {
        Error::Options(Box::new(Issue::new(
            codes::OPTIONS,
            format!("not a valid request: {e}"),
            "",
        )))
    })
}

fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value)
        .map_err(|e| internal(format!("the answer could not be written as JSON: {e}")))
}

fn internal(message: String) -> Error {
    Error::Internal(Box::new(Issue::new(codes::INTERNAL, message, "")))
}

/// Sets the model given beside the request; answers the text of a model given as a JS value.
/// That text, when longer than the byte limit, goes as text, for the core to refuse it as it
/// refuses the same model given as a string.
fn set_model(
    fields: &mut ModelFields,
    input: Option<Input>,
    limits: &Limits,
) -> Result<Option<String>, Error> {
    match input {
        None => Ok(None),
        Some(Input::Bytes(bytes)) => {
            fields.model_bytes = Some(bytes);
            Ok(None)
        }
        Some(Input::Value(text)) if text.len() > limits.to_load_limits().max_bytes => {
            fields.model_text = Some(text);
            Ok(None)
        }
        Some(Input::Value(text)) => {
            fields.model = Some(serde_json::from_str(&text).map_err(|e| {
                internal(format!("the JSON.stringify text could not be read: {e}"))
            })?);
            Ok(Some(text))
        }
    }
}

/// Sets the report given beside the request: a JS value's text as a value, bytes as text
/// (bytes that are not UTF-8 are refused as the core's report reader refuses them).
fn set_report(
    value: &mut Option<Value>,
    text: &mut Option<String>,
    input: Option<Input>,
) -> Result<(), Error> {
    match input {
        None => {}
        Some(Input::Value(json)) => {
            *value = Some(serde_json::from_str(&json).map_err(|e| {
                internal(format!("the JSON.stringify text could not be read: {e}"))
            })?);
        }
        Some(Input::Bytes(bytes)) => match String::from_utf8(bytes) {
            Ok(t) => *text = Some(t),
            Err(e) => {
                api::read_report(ReportInput::Bytes(e.into_bytes()))?;
            }
        },
    }
    Ok(())
}

/// The issues of a model given as a JS value, which carry pointers only, in the order of the
/// caller's object (the order of its `JSON.stringify` text), as they are for the same model
/// given as text.
fn in_order(mut e: Error, text: Option<&str>) -> Error {
    if let (Error::Model(issues), Some(t)) = (&mut e, text) {
        document_order(issues, t);
    }
    e
}

fn document_order(issues: &mut Vec<Issue>, text: &str) {
    // Every issue placed in one pass over the text, not in one pass each; then a stable sort.
    let at = aimscheck::locate::locate_each(text, issues.iter().map(|i| i.pointer.as_str()));
    let mut placed: Vec<_> = at.into_iter().zip(issues.drain(..)).collect();
    placed.sort_by_key(|(at, _)| *at);
    issues.extend(placed.into_iter().map(|(_, issue)| issue));
}

/// Runs `f`; a panic becomes an `AIMS-E-INTERNAL` error. Errors come back as the JSON
/// `index.js` reads: `{code, kind, message, errors}`.
fn guarded<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Value> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result.map_err(|e| api::error_json(&e)),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            let message = format!("internal error in aimscheck (please report it): {what}");
            Err(json!({
                "code": codes::INTERNAL,
                "kind": "internal",
                "message": message,
                "errors": [Issue::new(codes::INTERNAL, message.clone(), "")],
            }))
        }
    }
}

/// The JS `Error` thrown for `error` (the JSON [`guarded`] gives): its message and `code`,
/// and the answer's JSON text as `answer`, which `index.js` reads.
fn throw(env: &Env, error: &Value) -> napi::Error {
    let message = error.get("message").and_then(Value::as_str).unwrap_or("");
    let code = error.get("code").and_then(Value::as_str).unwrap_or("");
    let answer = json!({"ok": false, "error": error}).to_string();
    let build = || -> napi::Result<napi::Error> {
        let mut e = env.create_error(napi::Error::new(Status::GenericFailure, message))?;
        e.set_named_property("code", code)?;
        e.set_named_property("answer", answer)?;
        Ok(napi::Error::from(e.to_unknown()))
    };
    build().unwrap_or_else(|e| e)
}

#[allow(clippy::panic)] // The one deliberate panic: proves the guard holds (tests only call it).
fn panic_for_tests(message: &str) -> Result<String, Error> {
    panic!("{message}");
}

/// Runs operation `op` (`evaluate`, `evaluate_many`, `validate`, `export`, `diagram`, `rules`,
/// `init`, `migrate`, `diff`) on `request`, the JSON text of its `aimscheck::api` request, with
/// the model, the report and the models (of `evaluate_many`, one per entry of its `models`; the
/// two reports of `diff`) given beside it, on
/// `engine` (from [`engine`]) if given; answers the JSON text `{"ok": true, "value"}` or
/// `{"ok": false, "error"}`.
#[napi(skip_typescript)]
pub fn call(
    op: String,
    request: String,
    model: Option<JsonArg>,
    report: Option<JsonArg>,
    models: Option<Vec<JsonArg>>,
    engine: Option<ExternalRef<SharedEngine>>,
) -> String {
    Call::new(op, request, model, report, models, engine).answer()
}

/// A [`Call`] on the libuv thread pool.
pub struct CallTask(Option<Call>);

impl Task for CallTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        let call = self
            .0
            .take()
            .ok_or_else(|| napi::Error::from_reason("the call ran twice"))?;
        Ok(call.answer())
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

/// Like [`call`], on the libuv thread pool: resolves to the answer.
#[napi(skip_typescript)]
pub fn call_async(
    op: String,
    request: String,
    model: Option<JsonArg>,
    report: Option<JsonArg>,
    models: Option<Vec<JsonArg>>,
    engine: Option<ExternalRef<SharedEngine>>,
) -> AsyncTask<CallTask> {
    AsyncTask::new(CallTask(Some(Call::new(
        op, request, model, report, models, engine,
    ))))
}

/// Test hook: panics with `message` inside the guard, on the JS thread (`mode` `"sync"`:
/// throws) or on the thread pool (`"async"`: resolves to the answer). Not part of the API:
/// `index.js` exposes it only as a non-enumerable `__panicForTests`.
#[napi(js_name = "__panicForTests", skip_typescript)]
pub fn panic_hook(
    env: &Env,
    mode: String,
    message: Option<String>,
) -> napi::Result<Option<AsyncTask<CallTask>>> {
    let message =
        message.unwrap_or_else(|| "deliberate panic for the tests of the Node binding".to_owned());
    let call = Call::new("panic".to_owned(), message, None, None, None, None);
    if mode == "async" {
        return Ok(Some(AsyncTask::new(CallTask(Some(call)))));
    }
    match guarded(|| call.run()) {
        Ok(_) => Ok(None),
        Err(error) => Err(throw(env, &error)),
    }
}

/// Builds the engine of `config`, the JSON text of an `aimscheck::api::PacksArg`, for `Engine` in
/// `index.js`, which passes it to [`call`]; throws an `Error` carrying the answer when a pack or
/// the overlay does not load.
#[napi(skip_typescript)]
pub fn engine(env: &Env, config: String) -> napi::Result<External<SharedEngine>> {
    guarded(|| {
        let packs: api::PacksArg = request(&config)?;
        Ok(Arc::new(packs.engine()?))
    })
    .map(External::new)
    .map_err(|error| throw(env, &error))
}
