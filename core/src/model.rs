//! Loading an AIMS model: parse, validate against the model JSON Schema, semantic checks, indexes.

use crate::catalogue;
use crate::date;
use crate::doc::Doc;
use crate::error::{Error, Issue, Result, codes};
use crate::locate::{escape, locate};
use foldhash::{HashMap, HashMapExt};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};
use std::fmt;
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
    doc: Doc,
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
        // Parsed and normalized in one pass, as `build` normalizes a value.
        let (value, deepest) = parse(body).map_err(|e| syntax_issue(&e, limits))?;
        let mut model = Self::check(value, deepest, limits, Some(text))?;
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
        // A member whose value is null is the same as an absent one ("not filled in"), and a
        // whole number is the same whether written 2 or 2.0 (as in every language's JSON).
        let deepest = normalize_within(&mut value, 0, limits.max_depth);
        Self::check(value, deepest, limits, text)
    }

    /// Checks a normalized value whose nesting depth (as [`depth`] counts it) is `deepest`.
    fn check(
        value: Value,
        deepest: usize,
        limits: &LoadLimits,
        text: Option<&str>,
    ) -> Result<Model> {
        if deepest > limits.max_depth {
            return Err(Error::Limit(Box::new(Issue::new(
                codes::LIMIT,
                format!("the model nests deeper than {} levels", limits.max_depth),
                "",
            ))));
        }
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
        let digest = canonical_digest(&value);
        let doc = Doc::from_value(&value).map_err(|e| {
            Error::Limit(Box::new(Issue::new(codes::LIMIT, e.to_string(), "")))
        })?;
        Ok(Model {
            value,
            doc,
            digest,
            ids,
            source: None,
        })
    }

    /// The model as JSON.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The model as an arena document, what evaluation walks.
    pub(crate) fn doc(&self) -> &Doc {
        &self.doc
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
    // Most models are valid: `is_valid` builds no errors and stops at the first one, and only an
    // invalid model is walked again to list its errors.
    if validator.is_valid(value) {
        return Vec::new();
    }
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
/// Returns the nesting depth as [`depth`] counts it (removing a scalar does not change it); below
/// `limit` it stops, returning more than `limit`, and leaves the rest as it is.
fn normalize_within(v: &mut Value, at: usize, limit: usize) -> usize {
    if at > limit {
        return at;
    }
    match v {
        Value::Object(o) => {
            o.retain(|_, x| !x.is_null());
            o.values_mut()
                .map(|x| normalize_within(x, at + 1, limit))
                .max()
                .unwrap_or(at + 1)
        }
        Value::Array(a) => a
            .iter_mut()
            .map(|x| normalize_within(x, at + 1, limit))
            .max()
            .unwrap_or(at + 1),
        _ => {
            normalize_number(v);
            at
        }
    }
}

/// Writes a whole float as an integer.
fn normalize_number(v: &mut Value) {
    if let Value::Number(n) = v
        && n.is_f64()
        && let Some(f) = n.as_f64()
        && f.fract() == 0.0
        && f.abs() < 9.0e15
    {
        #[allow(clippy::cast_possible_truncation)]
        let whole = f as i64;
        *v = Value::from(whole);
    }
}

/// Nesting depth of a value: 0 for a scalar, one more than its deepest member or item (or 1 if it
/// has none) for an array or object, counted from `at`; stops below `limit`.
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

/// Parses JSON text into the value that `serde_json::from_str` gives, normalized as by
/// [`normalize_within`], and its nesting depth before normalizing, as [`depth`] counts it: one
/// pass instead of three, with the same parser and so the same errors at the same positions.
pub(crate) fn parse(text: &str) -> serde_json::Result<(Value, usize)> {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Node(0).deserialize(&mut de)?;
    de.end()?;
    Ok(parsed)
}

/// A JSON value being parsed at nesting level `.0` (0 for the document): it gives the normalized
/// value and its depth counted from that level.
#[derive(Clone, Copy)]
struct Node(usize);

impl<'de> DeserializeSeed<'de> for Node {
    type Value = (Value, usize);

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node {
    type Value = (Value, usize);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> std::result::Result<Self::Value, E> {
        Ok((Value::Bool(b), self.0))
    }

    fn visit_i64<E>(self, n: i64) -> std::result::Result<Self::Value, E> {
        Ok((Value::Number(n.into()), self.0))
    }

    fn visit_u64<E>(self, n: u64) -> std::result::Result<Self::Value, E> {
        Ok((Value::Number(n.into()), self.0))
    }

    fn visit_f64<E>(self, f: f64) -> std::result::Result<Self::Value, E> {
        // As serde_json's own value visitor: a float JSON cannot hold becomes null.
        let mut v = Number::from_f64(f).map_or(Value::Null, Value::Number);
        normalize_number(&mut v);
        Ok((v, self.0))
    }

    fn visit_str<E>(self, s: &str) -> std::result::Result<Self::Value, E> {
        Ok((Value::String(s.to_owned()), self.0))
    }

    fn visit_string<E>(self, s: String) -> std::result::Result<Self::Value, E> {
        Ok((Value::String(s), self.0))
    }

    fn visit_none<E>(self) -> std::result::Result<Self::Value, E> {
        Ok((Value::Null, self.0))
    }

    fn visit_unit<E>(self) -> std::result::Result<Self::Value, E> {
        Ok((Value::Null, self.0))
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let inner = Node(self.0 + 1);
        let mut items = Vec::new();
        let mut deepest = inner.0;
        while let Some((item, d)) = seq.next_element_seed(inner)? {
            deepest = deepest.max(d);
            items.push(item);
        }
        Ok((Value::Array(items), deepest))
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let inner = Node(self.0 + 1);
        let mut members = Map::new();
        let mut deepest = inner.0;
        // A repeated key keeps its last value, as in serde_json's own map; the depth of the value
        // it replaces must then not count.
        let mut replaced = false;
        while let Some(key) = map.next_key::<String>()? {
            let (member, d) = map.next_value_seed(inner)?;
            deepest = deepest.max(d);
            // A null member is an absent one: removing it here also drops an earlier value.
            let old = if member.is_null() {
                members.remove(&key)
            } else {
                members.insert(key, member)
            };
            replaced |= old.is_some();
        }
        if replaced {
            deepest = members
                .values()
                .map(|x| depth(x, inner.0, usize::MAX))
                .fold(inner.0, usize::max);
        }
        Ok((Value::Object(members), deepest))
    }
}

/// `sha256:` digest of the value's canonical JSON (`serde_json::to_vec`), written straight into
/// the hash instead of a buffer as large as the model.
fn canonical_digest(value: &Value) -> String {
    // Buffered: serde_json writes a few bytes at a time.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, HashWriter(Sha256::new()));
    let hash = if serde_json::to_writer(&mut out, value).is_ok()
        && let Ok(HashWriter(hasher)) = out.into_inner()
    {
        hasher.finalize()
    } else {
        // As the digest of `serde_json::to_vec(value).unwrap_or_default()`.
        Sha256::digest([])
    };
    format!("sha256:{}", hex(&hash))
}

/// Feeds what is written to it to a SHA-256 hash.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.0.update(buf);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What `parse` replaces: serde_json's own parse, then `depth` and `normalize_within`.
    fn reference(text: &str) -> serde_json::Result<(Value, usize)> {
        let mut value: Value = serde_json::from_str(text)?;
        let deepest = depth(&value, 0, usize::MAX);
        normalize_within(&mut value, 0, usize::MAX);
        Ok((value, deepest))
    }

    #[test]
    fn parse_is_from_str_depth_and_normalize() {
        let deep = |n: usize, inner: &str| format!("{}{inner}{}", "[".repeat(n), "]".repeat(n));
        let mut texts: Vec<String> = [
            "null",
            "1.0",
            "-0.0",
            "1e400",
            "2.5",
            "[]",
            "{}",
            "[null, 1.0, {\"a\": null}]",
            "{\"a\": null}",
            "{\"a\": 1, \"a\": null}",
            "{\"a\": null, \"a\": 1}",
            "{\"a\": [[[]]], \"a\": 1}",
            "{\"a\": [[[]]], \"a\": null}",
            "{\"a\": [[[]]], \"a\": null, \"a\": [1]}",
            "{\"a\": 1, \"a\": [[[]]]}",
            "{\"a\": null, \"a\": [[[]]]}",
            "{\"a\": {\"b\": [[{}]], \"b\": 2.0}, \"c\": [{\"d\": null}]}",
            "{\"a\": [1.0, 9e15, 8999999999999999.0, -8e15, 1e20, 18446744073709551616, -9223372036854775809]}",
            "{\"s\": \"a\\u00e9\\n\\ud83d\\ude00 \\/\"}",
            "{\"a\": 1,}",
            "{\"a\": 1} x",
            "{\"a\": ",
            "{1: 2}",
            "[1, 2",
            "\"\\ud800\"",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        for n in [1, 2, 63, 64, 65, 127, 128, 129] {
            texts.push(deep(n, ""));
            texts.push(deep(n, "1.0"));
            texts.push(format!("{{\"a\": {}, \"a\": 1}}", deep(n, "")));
            texts.push(format!("{}, }}", deep(n, "")));
        }
        for text in &texts {
            let got = parse(text).map_err(|e| (e.to_string(), e.line(), e.column()));
            let want = reference(text).map_err(|e| (e.to_string(), e.line(), e.column()));
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn date_parse_agrees_with_chrono_format_parse() {
        let check = |s: &str| {
            assert_eq!(
                crate::date::parse(s),
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .ok()
                    .filter(|_| {
                        // The shape: four, two and two digits joined by dashes.
                        s.len() == 10
                            && s.bytes().enumerate().all(|(i, c)| match i {
                                4 | 7 => c == b'-',
                                _ => c.is_ascii_digit(),
                            })
                    }),
                "{s}"
            )
        };
        for year in 0..=9999 {
            for (m, d) in [
                (1, 1),
                (2, 28),
                (2, 29),
                (2, 30),
                (12, 31),
                (13, 1),
                (0, 1),
                (1, 0),
            ] {
                check(&format!("{year:04}-{m:02}-{d:02}"));
            }
        }
        for year in [0, 1, 4, 100, 400, 1900, 1999, 2000, 2024, 2025, 2100, 9999] {
            for m in 0..=99 {
                for d in 0..=99 {
                    check(&format!("{year:04}-{m:02}-{d:02}"));
                }
            }
        }
        for s in [
            "",
            "2024-1-01",
            "2024-01-1",
            "20240101",
            "2024/01/01",
            "+024-01-01",
            "-024-01-01",
            "2024-01-01 ",
            " 2024-01-01",
            "2024-01-011",
            "２０２４-01-01",
            "2024-0a-01",
            "2024-01-01T",
        ] {
            check(s);
        }
    }
}
