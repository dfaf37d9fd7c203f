//! Loading an AIMS model: parse into an arena document, validate against the model JSON Schema,
//! semantic checks, indexes. A model loaded from text is never held as a whole
//! `serde_json::Value` (which takes about ten times its text): the document is what is kept.

use crate::catalogue;
use crate::date;
use crate::doc::{Doc, Kind, NodeId, ParseError};
use crate::error::{Error, Issue, Result, codes};
use crate::locate::{escape, locate};
use foldhash::{HashMap, HashMapExt};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

#[cfg(test)]
pub(crate) mod doc_tests;
mod members;

/// The model JSON Schema (draft 2020-12), as published.
pub const MODEL_SCHEMA: &str = include_str!("../schema/model.schema.json");

/// Model schema version this engine reads.
pub const SCHEMA_VERSION: &str = "1.0";

/// Default of [`LoadLimits::max_bytes`]: 256 MiB.
pub const DEFAULT_MAX_BYTES: usize = 256 * 1024 * 1024;
/// Default of [`LoadLimits::max_depth`].
pub const DEFAULT_MAX_DEPTH: usize = 64;
/// Default of [`LoadLimits::max_issues`].
pub const DEFAULT_MAX_ISSUES: usize = 1000;
/// Default of [`LoadLimits::max_array_len`]: ten million items, about 25 times the longest
/// array of a generated model of 200,000 processes (its 392,000 process runs).
pub const DEFAULT_MAX_ARRAY_LEN: usize = 10_000_000;

/// Limits applied while loading a model. A model past `max_bytes`, `max_depth` or
/// `max_array_len` is refused with [`Error::Limit`] (code `AIMS-E-LIMIT`).
///
/// Build one from the defaults, so that a limit added later keeps its default:
///
/// ```
/// use aimscheck::{LoadLimits, Model};
/// let limits = LoadLimits { max_array_len: 2, ..LoadLimits::default() };
/// let text = "{\"schema_version\": \"1.0\",\n \"roles\": [{}, {}, {}]}";
/// let err = Model::from_json_with(text, &limits).unwrap_err();
/// assert_eq!(err.code(), "AIMS-E-LIMIT");
/// let issue = &err.issues()[0];
/// assert_eq!((issue.pointer.as_str(), issue.line, issue.column), ("/roles", Some(2), Some(11)));
/// ```
///
/// From JSON (as the bindings take it), every field is optional and an unknown one is refused:
///
/// ```
/// let limits: aimscheck::LoadLimits = serde_json::from_str(r#"{"max_depth": 16}"#)?;
/// assert_eq!((limits.max_depth, limits.max_bytes), (16, aimscheck::DEFAULT_MAX_BYTES));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoadLimits {
    /// Largest accepted input, in bytes (default 256 MiB, [`DEFAULT_MAX_BYTES`]; texts of about
    /// 4 GiB and more are refused whatever the limit, as the model document's offsets are
    /// 32-bit). Checked before anything is parsed.
    pub max_bytes: usize,
    /// Deepest accepted nesting of arrays and objects (default 64, [`DEFAULT_MAX_DEPTH`]; a
    /// text nested deeper than 128 levels is refused by the parser whatever the limit).
    pub max_depth: usize,
    /// Most issues listed in one model error (default 1,000, [`DEFAULT_MAX_ISSUES`]); the
    /// others are not reported, and this is no error of its own.
    pub max_issues: usize,
    /// Most items of any one array of the model (default 10,000,000,
    /// [`DEFAULT_MAX_ARRAY_LEN`]). From text, the parse stops at the first item past the
    /// limit; the error names the array by JSON Pointer, with its line and column.
    pub max_array_len: usize,
    /// Whether a member the model schema does not define (and that does not start with `x_`)
    /// is an error (`AIMS-E-UNKNOWN-MEMBER`) rather than a warning (`AIMS-W-UNKNOWN-MEMBER`,
    /// in [`Model::warnings`]); default `false`.
    pub strict: bool,
}

impl Default for LoadLimits {
    fn default() -> Self {
        LoadLimits {
            max_bytes: DEFAULT_MAX_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
            max_issues: DEFAULT_MAX_ISSUES,
            max_array_len: DEFAULT_MAX_ARRAY_LEN,
            strict: false,
        }
    }
}

/// A loaded, validated AIMS model, indexed for evaluation. Immutable; evaluate it any number of times.
#[derive(Debug, Clone)]
pub struct Model {
    /// The normalized model, what evaluation walks.
    doc: Doc,
    /// The model as a `Value`, built from `doc` on first use by [`Model::value`]; evaluation
    /// does not need it.
    value: OnceLock<Value>,
    digest: String,
    ids: HashMap<String, HashMap<String, usize>>,
    source: Option<String>,
    warnings: Vec<Issue>,
}

// A model is shared between threads and cloned by the bindings.
const _: fn() = || {
    fn check<T: Clone + std::fmt::Debug + Send + Sync>() {}
    check::<Model>();
};

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
        let mut model = Self::load_text(text, limits)?;
        model.source = Some(text.to_owned());
        Ok(model)
    }

    /// Loads a model from JSON text it takes, with default limits: as [`Model::from_json`], but
    /// the text the model keeps (for line and column positions) is not copied.
    ///
    /// ```
    /// let model = aimscheck::Model::from_string(r#"{"schema_version": "1.0"}"#.to_owned())?;
    /// assert_eq!(model.source(), Some(r#"{"schema_version": "1.0"}"#));
    /// # Ok::<(), aimscheck::Error>(())
    /// ```
    pub fn from_string(text: String) -> Result<Model> {
        Self::from_string_with(text, &LoadLimits::default())
    }

    /// Loads a model from JSON text it takes, with the given limits.
    pub fn from_string_with(text: String, limits: &LoadLimits) -> Result<Model> {
        let mut model = Self::load_text(&text, limits)?;
        model.source = Some(text);
        Ok(model)
    }

    /// Loads a model from JSON bytes (UTF-8) it takes, with default limits: as
    /// [`Model::from_slice`], without copying the text the model keeps.
    pub fn from_vec(bytes: Vec<u8>) -> Result<Model> {
        Self::from_vec_with(bytes, &LoadLimits::default())
    }

    /// Loads a model from JSON bytes (UTF-8) it takes, with the given limits.
    pub fn from_vec_with(bytes: Vec<u8>, limits: &LoadLimits) -> Result<Model> {
        match String::from_utf8(bytes) {
            Ok(text) => Self::from_string_with(text, limits),
            Err(e) => Err(not_utf8(e.as_bytes(), e.utf8_error())),
        }
    }

    /// The model of a text, without the text.
    fn load_text(text: &str, limits: &LoadLimits) -> Result<Model> {
        // The document's 32-bit offsets bound any limit (at about 4 GiB).
        let max_bytes = limits.max_bytes.min(crate::doc::MAX_TEXT);
        if text.len() > max_bytes {
            return Err(Error::Limit(Box::new(Issue::new(
                codes::LIMIT,
                format!(
                    "the model is {} bytes, more than the limit of {max_bytes} bytes",
                    text.len(),
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
        // Parsed and normalized in one pass into the document, as `from_value_with` normalizes
        // a value; no `Value` of the whole model is built.
        let doc = Doc::parse_limited(body, limits.max_array_len).map_err(|e| match e {
            ParseError::Json(e) => syntax_issue(&e, body, limits),
            ParseError::LongArray { pointer, limit } => {
                let position = locate(text, &pointer);
                long_array(pointer, limit, position)
            }
        })?;
        check_depth(doc.depth(), limits, Some(text))?;
        let issues = validate_doc(&doc, limits.max_issues);
        Self::finish(doc, issues, limits, Some(text))
    }

    /// Loads a model from JSON bytes (UTF-8) with default limits.
    pub fn from_slice(bytes: &[u8]) -> Result<Model> {
        let text = std::str::from_utf8(bytes).map_err(|e| not_utf8(bytes, e))?;
        Self::from_json(text)
    }

    /// Loads a model from an already parsed JSON value with default limits.
    pub fn from_value(value: Value) -> Result<Model> {
        Self::from_value_with(value, &LoadLimits::default())
    }

    /// Loads a model from an already parsed JSON value with the given limits.
    pub fn from_value_with(mut value: Value, limits: &LoadLimits) -> Result<Model> {
        // A member whose value is null is the same as an absent one ("not filled in"), and a
        // whole number is the same whether written 2 or 2.0 (as in every language's JSON).
        let deepest = normalize_within(&mut value, 0, limits).map_err(|path| {
            let pointer: String = path.iter().rev().map(|t| format!("/{t}")).collect();
            long_array(pointer, limits.max_array_len, None)
        })?;
        check_depth(deepest, limits, None)?;
        // The value exists already: validated as it is, without materializing pieces of it.
        let issues = validate(&value, limits.max_issues);
        let doc = Doc::from_value(&value)
            .map_err(|e| Error::Limit(Box::new(Issue::new(codes::LIMIT, e.to_string(), ""))))?;
        // Dropped rather than kept for `value()`: the model then holds the same memory (the
        // document, about a tenth of the value) whichever way it was loaded, and evaluation
        // does not need the value; `value()` rebuilds it from the document if it is asked for.
        drop(value);
        Self::finish(doc, issues, limits, None)
    }

    /// Indexes a normalized, validated document, adding the semantic issues to the schema
    /// `issues`, and gives the model unless there is an issue.
    fn finish(
        doc: Doc,
        mut issues: Vec<Issue>,
        limits: &LoadLimits,
        text: Option<&str>,
    ) -> Result<Model> {
        let ids = index_ids(&doc, &mut issues);
        let code = if limits.strict {
            codes::UNKNOWN_MEMBER
        } else {
            codes::UNKNOWN_MEMBER_WARNING
        };
        let mut unknown = members::unknown_members(&doc, code, limits.max_issues);
        if let Some(text) = text {
            locate_all(&mut unknown, text);
        }
        if limits.strict {
            issues.append(&mut unknown);
        }
        if !issues.is_empty() {
            issues.truncate(limits.max_issues);
            if let Some(text) = text {
                locate_all(&mut issues, text);
            }
            // Document order when the text is known, pointer order otherwise.
            issues.sort_by(|a, b| {
                (a.line, a.column, &a.pointer).cmp(&(b.line, b.column, &b.pointer))
            });
            return Err(Error::Model(issues));
        }
        let digest = doc_digest(&doc);
        Ok(Model {
            doc,
            value: OnceLock::new(),
            digest,
            ids,
            source: None,
            warnings: unknown,
        })
    }

    /// The warnings of the load: the members the model schema does not define
    /// (`AIMS-W-UNKNOWN-MEMBER`, each with the member it probably meant in `help`), members by
    /// name and items in order, the same whatever form the model came in. Loaded with
    /// [`LoadLimits::strict`], these are errors instead and a model has none.
    ///
    /// ```
    /// let text = r#"{"schema_version": "1.0", "processes": [{"id": "p1", "owner_roleid": "r1"}]}"#;
    /// let model = aimscheck::Model::from_json(text)?;
    /// let w = &model.warnings()[0];
    /// assert_eq!((w.code, w.pointer.as_str()), ("AIMS-W-UNKNOWN-MEMBER", "/processes/0/owner_roleid"));
    /// assert_eq!(w.help.as_deref(), Some("did you mean `owner_role_id`? (a member meant as an extension starts with `x_`)"));
    ///
    /// let strict = aimscheck::LoadLimits { strict: true, ..Default::default() };
    /// let err = aimscheck::Model::from_json_with(text, &strict).unwrap_err();
    /// assert_eq!(err.issues()[0].code, "AIMS-E-UNKNOWN-MEMBER");
    /// # Ok::<(), aimscheck::Error>(())
    /// ```
    pub fn warnings(&self) -> &[Issue] {
        &self.warnings
    }

    /// The model as JSON (normalized: no null members, whole numbers as integers). Built on
    /// first use, from the document, and then kept; evaluation does not need it.
    pub fn value(&self) -> &Value {
        self.value.get_or_init(|| self.doc.to_value())
    }

    /// The model's `schema_version` (read from the document, without building [`Model::value`]).
    pub fn schema_version(&self) -> Option<&str> {
        self.doc.str_at("/schema_version")
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

/// Sets the line and column of each issue whose pointer is located in `text`, all found in one
/// pass over the text.
fn locate_all(issues: &mut [Issue], text: &str) {
    let at = crate::locate::locate_each(text, issues.iter().map(|i| i.pointer.as_str()));
    for (issue, at) in issues.iter_mut().zip(at) {
        if let Some((l, c)) = at {
            issue.line = Some(l);
            issue.column = Some(c);
        }
    }
}

/// Refuses a model nested deeper than the limit; `deepest` is counted as [`Doc::depth`] counts.
fn check_depth(deepest: usize, limits: &LoadLimits, text: Option<&str>) -> Result<()> {
    if deepest > limits.max_depth {
        // Located at the bracket that opens the first level too deep, when there is a text.
        let at = text.and_then(|t| {
            let offset = crate::locate::opening_at_level(t, limits.max_depth + 1)?;
            Some(crate::locate::line_col(t, offset))
        });
        return Err(Error::Limit(Box::new(Issue {
            line: at.map(|(l, _)| l),
            column: at.map(|(_, c)| c),
            ..Issue::new(
                codes::LIMIT,
                format!("the model nests deeper than {} levels", limits.max_depth),
                "",
            )
        })));
    }
    Ok(())
}

/// The error for an array with more items than `limit`, at `pointer`.
fn long_array(pointer: String, limit: usize, position: Option<(usize, usize)>) -> Error {
    let at = if pointer.is_empty() {
        "the model".to_owned()
    } else {
        format!("the array at {pointer}")
    };
    Error::Limit(Box::new(Issue {
        line: position.map(|(l, _)| l),
        column: position.map(|(_, c)| c),
        ..Issue::new(
            codes::LIMIT,
            format!("{at} has more than {limit} items, the limit of items in one array"),
            pointer,
        )
    }))
}

/// The error for bytes that are not UTF-8, located where the valid text ends.
fn not_utf8(bytes: &[u8], e: std::str::Utf8Error) -> Error {
    let (line, column) = crate::locate::line_col(
        std::str::from_utf8(bytes.get(..e.valid_up_to()).unwrap_or_default()).unwrap_or_default(),
        e.valid_up_to(),
    );
    Error::Model(vec![Issue {
        line: Some(line),
        column: Some(column),
        ..Issue::new(codes::SYNTAX, format!("the model is not UTF-8: {e}"), "")
    }])
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

/// Validates a model document: the issues of [`validate`] of its value, but a valid document
/// (most are) is validated in small pieces and its whole value is never built.
///
/// The pieces: the root object with every split collection (see [`split_validators`]) replaced
/// by an empty array, then each item of those collections against the collection's `items`
/// schema. The document is valid exactly when every piece is; when one is not, the whole value
/// is built and [`validate`] lists the issues, so they are those of the value, in its order.
pub(crate) fn validate_doc(doc: &Doc, max_issues: usize) -> Vec<Issue> {
    if let (Ok(root), Ok(split)) = (schema_validator(), split_validators())
        && pieces_valid(doc, root, split)
    {
        return Vec::new();
    }
    validate(&doc.to_value(), max_issues)
}

/// Whether every piece of the document is valid (see [`validate_doc`]); stops at the first
/// invalid one.
fn pieces_valid(
    doc: &Doc,
    root_validator: &jsonschema::Validator,
    split: &HashMap<String, jsonschema::Validator>,
) -> bool {
    let root = doc.root();
    let mut collections: Vec<(&jsonschema::Validator, NodeId)> = Vec::new();
    let piece = if doc.kind(root) == Kind::Object {
        let mut members = Map::new();
        for (key, node) in doc.members(root) {
            let value = match split.get(key) {
                // Another type is left in place, where the root schema rejects it.
                Some(items) if doc.kind(node) == Kind::Array => {
                    collections.push((items, node));
                    Value::Array(Vec::new())
                }
                _ => doc.node_value(node),
            };
            members.insert(key.to_owned(), value);
        }
        Value::Object(members)
    } else {
        doc.node_value(root)
    };
    root_validator.is_valid(&piece)
        && collections.iter().all(|&(items, node)| {
            doc.items(node)
                .all(|item| items.is_valid(&doc.node_value(item)))
        })
}

/// The model schema, parsed.
fn model_schema() -> std::result::Result<Value, String> {
    serde_json::from_str(MODEL_SCHEMA)
        .map_err(|e| format!("the embedded model schema is not JSON: {e}"))
}

/// Compiles a schema with the model schema's draft, formats and options. Without the
/// `jsonschema` crate's default features no remote or file `$ref` is ever fetched.
fn compile(schema: &Value) -> std::result::Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_format("aims-date", |s: &str| date::parse(s).is_some())
        .with_format("aims-ref", catalogue::is_ref)
        .with_format("aims-control", catalogue::is_control)
        .build(schema)
        .map_err(|e| format!("the embedded model schema does not compile: {e}"))
}

fn schema_validator() -> &'static std::result::Result<jsonschema::Validator, String> {
    static VALIDATOR: OnceLock<std::result::Result<jsonschema::Validator, String>> =
        OnceLock::new();
    VALIDATOR.get_or_init(|| compile(&model_schema()?))
}

/// Keywords that only annotate: they never make an instance invalid.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "$comment",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// The root collections whose items are validated one by one, each with a validator of its
/// `items` schema: every `properties` member of the root schema whose schema has no keyword
/// but `type` (`"array"`), `items` and annotations, and which no `patternProperties` schema
/// that can fail applies to. Then an array there is valid exactly when each item is, and an
/// empty array in its place leaves the rest of the root as valid as it was. None when the root
/// schema has keywords that could look into a collection (`allOf`, `if`,
/// `unevaluatedProperties`...): each collection is then validated whole, with the root.
fn split_validators() -> &'static std::result::Result<HashMap<String, jsonschema::Validator>, String>
{
    static SPLIT: OnceLock<std::result::Result<HashMap<String, jsonschema::Validator>, String>> =
        OnceLock::new();
    SPLIT.get_or_init(|| {
        let schema = model_schema()?;
        let mut split = HashMap::new();
        let Some(root) = schema.as_object() else {
            return Ok(split);
        };
        const ROOT: &[&str] = &[
            "$schema",
            "$id",
            "$defs",
            "type",
            "required",
            "additionalProperties",
            "patternProperties",
            "properties",
        ];
        if !root
            .keys()
            .all(|k| ROOT.contains(&k.as_str()) || ANNOTATIONS.contains(&k.as_str()))
        {
            return Ok(split);
        }
        let patterns = root
            .get("patternProperties")
            .and_then(Value::as_object)
            .map(|p| {
                p.iter()
                    // A schema that accepts anything does not matter.
                    .filter(|(_, s)| {
                        !(s.as_bool() == Some(true) || s.as_object().is_some_and(Map::is_empty))
                    })
                    .map(|(p, _)| regex::Regex::new(p).ok())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        for (name, property) in root
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Some(property) = property.as_object() else {
                continue;
            };
            let plain = property.iter().all(|(k, v)| match k.as_str() {
                "type" => v == "array",
                "items" => true,
                k => ANNOTATIONS.contains(&k),
            });
            // A pattern that does not compile here might match: the collection stays whole.
            let patterned = patterns
                .iter()
                .any(|p| p.as_ref().is_none_or(|p| p.is_match(name)));
            let Some(items) = property.get("items").filter(|_| plain && !patterned) else {
                continue;
            };
            // The items schema where its `#/$defs/...` references find the root's `$defs`.
            let mut piece = Map::new();
            for key in ["$schema", "$id", "$defs"] {
                if let Some(v) = root.get(key) {
                    piece.insert(key.to_owned(), v.clone());
                }
            }
            piece.insert("allOf".to_owned(), Value::Array(vec![items.clone()]));
            split.insert(name.clone(), compile(&Value::Object(piece))?);
        }
        Ok(split)
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

fn syntax_issue(e: &serde_json::Error, text: &str, limits: &LoadLimits) -> Error {
    let column = crate::locate::char_column(text, e.line(), e.column());
    let (line, column) = (Some(e.line()), Some(column));
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

/// Indexes every root collection (every array member of the root) by id and reports duplicate
/// ids.
fn index_ids(doc: &Doc, issues: &mut Vec<Issue>) -> HashMap<String, HashMap<String, usize>> {
    let mut all = HashMap::new();
    let root = doc.root();
    let id_key = doc.sym("id");
    for (name, coll) in doc.members(root) {
        if doc.kind(coll) != Kind::Array {
            continue;
        }
        let mut ids: HashMap<String, usize> = HashMap::with_capacity(doc.count(coll));
        for (i, item) in doc.items(coll).enumerate() {
            let Some(id) = id_key
                .and_then(|k| doc.get_sym(item, k))
                .and_then(|n| doc.as_str(n))
            else {
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
        all.insert(name.to_owned(), ids);
    }
    all
}

/// Removes object members whose value is null and writes whole floats as integers, at every
/// depth, so that the same model gives the same canonical JSON from text, Python or JavaScript.
/// Returns the nesting depth as [`Doc::depth`] counts it (removing a scalar does not change
/// it); below `limits.max_depth` it stops, returning more than the limit, and leaves the rest
/// as it is. An array longer than `limits.max_array_len` stops it with the escaped pointer
/// tokens of the array, innermost first.
fn normalize_within(
    v: &mut Value,
    at: usize,
    limits: &LoadLimits,
) -> std::result::Result<usize, Vec<String>> {
    if at > limits.max_depth {
        return Ok(at);
    }
    let mut deepest = at + 1;
    match v {
        Value::Object(o) => {
            o.retain(|_, x| !x.is_null());
            for (k, x) in o.iter_mut() {
                let d = normalize_within(x, at + 1, limits).map_err(|mut path| {
                    path.push(escape(k));
                    path
                })?;
                deepest = deepest.max(d);
            }
        }
        Value::Array(a) => {
            if a.len() > limits.max_array_len {
                return Err(Vec::new());
            }
            for (i, x) in a.iter_mut().enumerate() {
                let d = normalize_within(x, at + 1, limits).map_err(|mut path| {
                    path.push(i.to_string());
                    path
                })?;
                deepest = deepest.max(d);
            }
        }
        _ => {
            normalize_number(v);
            deepest = at;
        }
    }
    Ok(deepest)
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
#[cfg(test)]
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

/// What loading a text amounts to, done the plain way: serde_json's parse, then the nesting
/// depth ([`depth`]) and the normalization ([`normalize_within`]). `Doc::parse` is tested
/// against it.
#[cfg(test)]
pub(crate) fn reference_parse(text: &str) -> serde_json::Result<(Value, usize)> {
    let mut value: Value = serde_json::from_str(text)?;
    let deepest = depth(&value, 0, usize::MAX);
    let unlimited = LoadLimits {
        max_depth: usize::MAX,
        max_array_len: usize::MAX,
        ..LoadLimits::default()
    };
    let _ = normalize_within(&mut value, 0, &unlimited);
    Ok((value, deepest))
}

/// `sha256:` digest of the document's canonical JSON ([`Doc::write_canonical`], which is
/// `serde_json::to_vec` of its value), written straight into the hash instead of a buffer as
/// large as the model.
fn doc_digest(doc: &Doc) -> String {
    // Buffered: the document is written a few bytes at a time.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, HashWriter(Sha256::new()));
    let hash = if doc.write_canonical(&mut out).is_ok()
        && let Ok(HashWriter(hasher)) = out.into_inner()
    {
        hasher.finalize()
    } else {
        Sha256::digest([])
    };
    format!("sha256:{}", hex(&hash))
}

/// `sha256:` digest of the value's canonical JSON (`serde_json::to_vec`): what [`doc_digest`]
/// gives for the value's document.
#[cfg(test)]
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
