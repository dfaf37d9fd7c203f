//! Loading an AIMS model: parse, validate against the model JSON Schema, semantic checks, indexes.

use crate::catalogue;
use crate::date;
use crate::error::{Error, Issue, Result, codes};
use crate::locate::{escape, locate};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The model JSON Schema (draft 2020-12), as published.
pub const MODEL_SCHEMA: &str = include_str!("../schema/model.schema.json");

/// Model schema version this engine reads.
pub const SCHEMA_VERSION: &str = "1.0";

/// Limits applied while loading a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadLimits {
    /// Largest accepted input, in bytes (default 256 MiB).
    pub max_bytes: usize,
    /// Deepest accepted nesting of arrays and objects (default 64).
    pub max_depth: usize,
    /// Most issues listed in one model error (default 1,000).
    pub max_issues: usize,
}

impl Default for LoadLimits {
    fn default() -> Self {
        LoadLimits {
            max_bytes: 256 * 1024 * 1024,
            max_depth: 64,
            max_issues: 1000,
        }
    }
}

/// A loaded, validated AIMS model, indexed for evaluation. Immutable; evaluate it any number of times.
#[derive(Debug, Clone)]
pub struct Model {
    value: Value,
    digest: String,
    ids: HashMap<String, HashMap<String, usize>>,
    source: Option<String>,
}

impl Model {
    /// Loads a model from JSON text with default limits.
    ///
    /// ```
    /// let model = aimscheck::Model::from_json(r#"{"schema_version": "1.0"}"#)?;
    /// assert!(model.digest().starts_with("sha256:"));
    /// # Ok::<(), aimscheck::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Model> {
        Self::from_json_with(text, &LoadLimits::default())
    }

    /// Loads a model from JSON text with the given limits.
    pub fn from_json_with(text: &str, limits: &LoadLimits) -> Result<Model> {
        if text.len() > limits.max_bytes {
            return Err(Error::Limit(Box::new(Issue::new(
                codes::LIMIT,
                format!(
                    "the model is {} bytes, more than the limit of {} bytes",
                    text.len(),
                    limits.max_bytes
                ),
                "",
            ))));
        }
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        if body.trim().is_empty() {
            return Err(Error::Model(vec![Issue {
                line: Some(1),
                column: Some(1),
                ..Issue::new(
                    codes::EMPTY,
                    "the model is empty: expected a JSON object",
                    "",
                )
            }]));
        }
        let value: Value = serde_json::from_str(body).map_err(|e| syntax_issue(&e, limits))?;
        let mut model = Self::build(value, limits, Some(text))?;
        model.source = Some(text.to_owned());
        Ok(model)
    }

    /// Loads a model from JSON bytes (UTF-8) with default limits.
    pub fn from_slice(bytes: &[u8]) -> Result<Model> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let (line, column) = crate::locate::line_col(
                std::str::from_utf8(bytes.get(..e.valid_up_to()).unwrap_or_default())
                    .unwrap_or_default(),
                e.valid_up_to(),
            );
            Error::Model(vec![Issue {
                line: Some(line),
                column: Some(column),
                ..Issue::new(codes::SYNTAX, format!("the model is not UTF-8: {e}"), "")
            }])
        })?;
        Self::from_json(text)
    }

    /// Loads a model from an already parsed JSON value with default limits.
    pub fn from_value(value: Value) -> Result<Model> {
        Self::from_value_with(value, &LoadLimits::default())
    }

    /// Loads a model from an already parsed JSON value with the given limits.
    pub fn from_value_with(value: Value, limits: &LoadLimits) -> Result<Model> {
        Self::build(value, limits, None)
    }

    fn build(mut value: Value, limits: &LoadLimits, text: Option<&str>) -> Result<Model> {
        if depth(&value, 0, limits.max_depth) > limits.max_depth {
            return Err(Error::Limit(Box::new(Issue::new(
                codes::LIMIT,
                format!("the model nests deeper than {} levels", limits.max_depth),
                "",
            ))));
        }
        // A member whose value is null is the same as an absent one ("not filled in"), and a
        // whole number is the same whether written 2 or 2.0 (as in every language's JSON).
        normalize(&mut value);
        let mut issues = validate(&value, limits.max_issues);
        let ids = index_ids(&value, &mut issues);
        if !issues.is_empty() {
            issues.truncate(limits.max_issues);
            if let Some(text) = text {
                for issue in &mut issues {
                    if let Some((l, c)) = locate(text, &issue.pointer) {
                        issue.line = Some(l);
                        issue.column = Some(c);
                    }
                }
            }
            // Document order when the text is known, pointer order otherwise.
            issues.sort_by(|a, b| {
                (a.line, a.column, &a.pointer).cmp(&(b.line, b.column, &b.pointer))
            });
            return Err(Error::Model(issues));
        }
        let canonical = serde_json::to_vec(&value).unwrap_or_default();
        let digest = format!("sha256:{}", hex(&Sha256::digest(&canonical)));
        Ok(Model {
            value,
            digest,
            ids,
            source: None,
        })
    }

    /// The model as JSON.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// `sha256:` digest of the model's canonical JSON (sorted keys, no spaces): the same
    /// model gives the same digest whichever language or text form it came from.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The JSON text the model was loaded from, if it came as text.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// Line and column of the node at `pointer`, if the model came as text.
    pub fn position(&self, pointer: &str) -> Option<(usize, usize)> {
        self.source.as_deref().and_then(|t| locate(t, pointer))
    }

    /// Index of the entity with `id` in the root collection `collection`.
    pub(crate) fn index_of(&self, collection: &str, id: &str) -> Option<usize> {
        self.ids.get(collection).and_then(|m| m.get(id)).copied()
    }
}

/// Validates a model value and returns every issue (empty when valid).
pub fn validate(value: &Value, max_issues: usize) -> Vec<Issue> {
    let validator = match schema_validator() {
        Ok(v) => v,
        Err(msg) => return vec![Issue::new(codes::SCHEMA, msg.clone(), "")],
    };
    validator
        .iter_errors(value)
        .take(max_issues)
        .map(|e| schema_issue(&e, value))
        .collect()
}

fn schema_validator() -> &'static std::result::Result<jsonschema::Validator, String> {
    static VALIDATOR: OnceLock<std::result::Result<jsonschema::Validator, String>> =
        OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(MODEL_SCHEMA)
            .map_err(|e| format!("the embedded model schema is not JSON: {e}"))?;
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_format("aims-date", |s: &str| date::parse(s).is_some())
            .with_format("aims-ref", catalogue::is_ref)
            .with_format("aims-control", catalogue::is_control)
            .build(&schema)
            .map_err(|e| format!("the embedded model schema does not compile: {e}"))
    })
}

fn schema_issue(e: &jsonschema::ValidationError<'_>, root: &Value) -> Issue {
    let pointer = e.instance_path().as_str().to_owned();
    let shown = root
        .pointer(&pointer)
        .map(|v| v.to_string())
        .unwrap_or_default();
    match e.kind() {
        jsonschema::error::ValidationErrorKind::Format { format } => match format.as_str() {
            "aims-date" => Issue::new(
                codes::DATE,
                format!("{shown} is not a calendar date in the form YYYY-MM-DD"),
                pointer,
            ),
            "aims-control" => Issue::new(
                codes::UNKNOWN_CONTROL,
                format!("{shown} is not an Annex A control of the catalogue"),
                pointer,
            ),
            _ if shown.starts_with("\"A.") => Issue::new(
                codes::UNKNOWN_CONTROL,
                format!("{shown} is not an Annex A control of the catalogue"),
                pointer,
            ),
            _ => Issue::new(
                codes::UNKNOWN_CLAUSE,
                format!("{shown} is not a clause or Annex A control of the catalogue"),
                pointer,
            ),
        },
        _ => Issue::new(codes::SCHEMA, e.to_string(), pointer),
    }
}

fn syntax_issue(e: &serde_json::Error, limits: &LoadLimits) -> Error {
    let (line, column) = (Some(e.line()), Some(e.column().max(1)));
    if e.to_string().contains("recursion limit") {
        // The parser stops at 128 levels; the model limit (default 64) is checked after it.
        return Error::Limit(Box::new(Issue {
            line,
            column,
            ..Issue::new(
                codes::LIMIT,
                format!(
                    "the model nests deeper than 128 levels, which the parser refuses (the model limit is {}): {e}",
                    limits.max_depth
                ),
                "",
            )
        }));
    }
    let message = match e.classify() {
        serde_json::error::Category::Eof => format!("the model is not complete JSON: {e}"),
        _ => format!("the model is not JSON: {e}"),
    };
    Error::Model(vec![Issue {
        line,
        column,
        ..Issue::new(codes::SYNTAX, message, "")
    }])
}

/// Indexes every root collection by id and reports duplicate ids.
fn index_ids(value: &Value, issues: &mut Vec<Issue>) -> HashMap<String, HashMap<String, usize>> {
    let mut all = HashMap::new();
    let Some(root) = value.as_object() else {
        return all;
    };
    for (name, coll) in root {
        let Some(items) = coll.as_array() else {
            continue;
        };
        let mut ids: HashMap<String, usize> = HashMap::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let Some(id) = item.get("id").and_then(Value::as_str) else {
                continue;
            };
            if let Some(first) = ids.get(id) {
                issues.push(Issue::new(
                    codes::DUPLICATE_ID,
                    format!(
                        "id \"{id}\" is used twice in {name} (first at /{}/{first})",
                        escape(name)
                    ),
                    format!("/{}/{i}/id", escape(name)),
                ));
            } else {
                ids.insert(id.to_owned(), i);
            }
        }
        all.insert(name.clone(), ids);
    }
    all
}

/// Removes object members whose value is null and writes whole floats as integers, at every
/// depth, so that the same model gives the same canonical JSON from text, Python or JavaScript.
fn normalize(v: &mut Value) {
    match v {
        Value::Object(o) => {
            o.retain(|_, x| !x.is_null());
            o.values_mut().for_each(normalize);
        }
        Value::Array(a) => a.iter_mut().for_each(normalize),
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                #[allow(clippy::cast_possible_truncation)]
                let whole = f as i64;
                *v = Value::from(whole);
            }
        }
        _ => {}
    }
}

fn depth(v: &Value, at: usize, limit: usize) -> usize {
    if at > limit {
        return at;
    }
    match v {
        Value::Array(a) => a
            .iter()
            .map(|x| depth(x, at + 1, limit))
            .max()
            .unwrap_or(at + 1),
        Value::Object(o) => o
            .values()
            .map(|x| depth(x, at + 1, limit))
            .max()
            .unwrap_or(at + 1),
        _ => at,
    }
}

/// Lower-case hexadecimal of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
