//! The check language: compiled expressions and checks, and the values they evaluate to.
//!
//! The reference of every operator is `rules/README.md`.

pub(crate) mod compile;
pub(crate) mod eval;
pub(crate) mod graph;
pub(crate) mod jref;
pub(crate) mod keyed;
pub(crate) mod members;
pub(crate) mod prelude;
pub(crate) mod probe;
pub(crate) mod ranges;

use crate::doc::{Doc, Kind, NodeId};
use jref::JRef;
use serde_json::Value;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{LazyLock, Mutex, PoisonError};

/// Where a path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    /// The model root (`/...`).
    Root,
    /// A bound slot: the current item (`@`) or a named variable (`$name`).
    Slot(usize),
}

/// An object key of a compiled path, numbered once for the whole process: an evaluation
/// looks up each number's symbol in the model's document once (`Ctx::sym`), so that a path
/// step compares integers instead of hashing its text at every step.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    /// The key as written (unescaped).
    pub text: String,
    /// Its number: the same text always has the same number.
    pub id: u32,
}

/// The numbers of the keys compiled so far, by their text. Packs hold a few hundred distinct
/// keys; the table only grows by keys no pack compiled before.
static KEY_IDS: LazyLock<Mutex<HashMap<String, u32>>> = LazyLock::new(Default::default);

impl Key {
    /// The key `text`, numbered.
    pub fn new(text: String) -> Key {
        // A panic elsewhere while the table was held leaves it whole: entries are inserted
        // in one call.
        let mut ids = KEY_IDS.lock().unwrap_or_else(PoisonError::into_inner);
        let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
        let id = *ids.entry(text.clone()).or_insert(next);
        Key { text, id }
    }

    /// How many keys have been numbered (the numbers are `0..count()`).
    pub fn count() -> usize {
        KEY_IDS.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

impl std::ops::Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Seg {
    /// An object key, or an array index when the node is an array.
    Key(Key),
    /// Every element of an array or every value of an object (`*`).
    Wild,
}

/// A compiled path: a base and steps.
#[derive(Debug, Clone)]
pub(crate) struct Path {
    pub base: Base,
    pub segs: Vec<Seg>,
    /// The path as written (shown in `Debug` output of compiled checks).
    #[allow(dead_code)]
    pub text: String,
}

impl Path {
    pub fn has_wildcard(&self) -> bool {
        self.segs.contains(&Seg::Wild)
    }
}

/// Effective size tier of an evaluation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Tier {
    /// Startup: the core rules.
    Startup,
    /// Scaleup: adds the full process set and the performance-evaluation rules.
    Scaleup,
    /// Enterprise: adds integration and automation rules.
    Enterprise,
}

impl Tier {
    /// Parses `startup`, `scaleup` or `enterprise`.
    pub fn parse(s: &str) -> Option<Tier> {
        Some(match s {
            "startup" => Tier::Startup,
            "scaleup" => Tier::Scaleup,
            "enterprise" => Tier::Enterprise,
            _ => return None,
        })
    }

    /// The tier's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Startup => "startup",
            Tier::Scaleup => "scaleup",
            Tier::Enterprise => "enterprise",
        }
    }
}

/// A compiled message template: literal text and paths to fill in.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone)]
pub(crate) enum Part {
    Text(String),
    /// A path, and the text shown instead when its value is missing, null or empty.
    Value(Path, Option<String>),
}

/// Comparison operators.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
}

/// Interval of a freshness or date operator.
#[derive(Debug)]
pub(crate) enum Period {
    /// A fixed number of months (an expression).
    Months(Box<Expr>),
    /// Days (an expression).
    Days(Box<Expr>),
    /// `aims.planned_intervals.<name>` months, default 12.
    Interval(String),
    /// A cadence object `{every, unit}` (an expression).
    Cadence(Box<Expr>),
}

/// A compiled expression: evaluates to a value or a three-valued truth.
#[derive(Debug)]
pub(crate) enum Expr {
    Const(Value),
    List(Vec<Expr>),
    Get(Path),
    Lookup {
        colls: Vec<String>,
        id: Box<Expr>,
    },
    Backrefs {
        coll: String,
        field: Vec<Seg>,
        id: Box<Expr>,
    },
    Filter {
        src: Box<Expr>,
        slot: usize,
        pred: Box<Expr>,
        probe: Option<probe::Probe>,
    },
    Map {
        src: Box<Expr>,
        slot: usize,
        to: Box<Expr>,
    },
    Count(Box<Expr>),
    Max(Box<Expr>),
    Min(Box<Expr>),
    Coalesce(Vec<Expr>),
    Union(Vec<Expr>),
    Distinct(Box<Expr>),
    /// The items in model order: nodes of the model by their place in it, each once, then
    /// the other values in their order.
    Ordered(Box<Expr>),
    /// The item of `src` whose `by` is greatest (`max`) or least (`min`).
    ExtremeBy {
        max: bool,
        src: Box<Expr>,
        slot: usize,
        by: Box<Expr>,
    },
    /// The items of `src` whose `by` lies between `from` and `to` (each bound inclusive and
    /// optional), in selection order, found in an index of `src` sorted by `by`.
    Range {
        src: Box<Expr>,
        slot: usize,
        by: Box<Expr>,
        from: Option<Box<Expr>>,
        to: Option<Box<Expr>>,
    },
    Ascending {
        src: Box<Expr>,
        strict: bool,
        versions: bool,
    },
    DaysBetween(Box<Expr>, Box<Expr>),
    /// The first (`false`) or last (`true`) item of a selection.
    Nth(Box<Expr>, bool),
    CountBy {
        src: Box<Expr>,
        slot: usize,
        key: Box<Expr>,
    },
    Ratio(Box<Expr>, Box<Expr>),
    Sum(Box<Expr>),
    Median(Box<Expr>),
    Let {
        slot: usize,
        value: Box<Expr>,
        body: Box<Expr>,
    },
    If {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    DateAdd {
        date: Box<Expr>,
        period: Period,
        times: i64,
        grace: bool,
    },
    Interval(String),
    /// A period in words: "every month", "every 6 months".
    PeriodText(Period),
    AsOf,
    TierName,
    Catalogue(bool),
    PeriodGaps {
        start: Box<Expr>,
        cadence: Box<Expr>,
        dates: Box<Expr>,
        grace: bool,
    },
    // Predicates.
    Exists(Box<Expr>),
    Nonempty(Box<Expr>),
    Known(Box<Expr>),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Eq(Box<Expr>, Box<Expr>),
    Ne(Box<Expr>, Box<Expr>),
    Compare(Cmp, Box<Expr>, Box<Expr>),
    OneOf(Box<Expr>, Box<Expr>),
    Matches(Box<Expr>, regex::Regex),
    Intersects(Box<Expr>, Box<Expr>),
    Subset(Box<Expr>, Box<Expr>),
    RefsUnder(Box<Expr>, Box<Expr>),
    Unique(Box<Expr>),
    Quant {
        kind: Quant,
        src: Box<Expr>,
        slot: usize,
        pred: Box<Expr>,
        probe: Option<probe::Probe>,
    },
    Resolves {
        colls: Vec<String>,
        id: Box<Expr>,
    },
    TierAtLeast(Tier),
    Within {
        date: Box<Expr>,
        period: Period,
        grace: bool,
    },
    Schema(Box<Expr>, Box<jsonschema::Validator>),
    /// An expression evaluated once per evaluation and remembered under `key`.
    Memo {
        key: String,
        expr: Box<Expr>,
    },
    /// An expression that walks a selection and reads the variables in `slots`, bound outside
    /// it: remembered per evaluation by the values of those variables ([`keyed`]).
    Keyed {
        slots: Vec<usize>,
        expr: Box<Expr>,
    },
}

impl Expr {
    /// Whether evaluating this walks a selection (worth remembering when its value is fixed).
    pub fn walks_selection(&self) -> bool {
        matches!(
            self,
            Expr::Filter { .. }
                | Expr::Map { .. }
                | Expr::Quant { .. }
                | Expr::Union(_)
                | Expr::Distinct(_)
                | Expr::Ordered(_)
                | Expr::CountBy { .. }
                | Expr::Count(_)
                | Expr::Sum(_)
                | Expr::Median(_)
                | Expr::Max(_)
                | Expr::Min(_)
                | Expr::ExtremeBy { .. }
                | Expr::Range { .. }
                | Expr::Ascending { .. }
                | Expr::Unique(_)
                | Expr::Intersects(..)
                | Expr::Subset(..)
                | Expr::PeriodGaps { .. }
        )
    }
}

/// Kinds of quantifier.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Quant {
    Some,
    Every,
    None,
}

/// What a `for_each` reports when it selects nothing.
#[derive(Debug)]
pub(crate) enum IfNone {
    NotApplicable(Option<Template>),
    Pass,
    Fail(Template),
    Insufficient(Template),
}

/// A compiled check: produces findings.
#[derive(Debug)]
pub(crate) enum Check {
    All(Vec<Check>),
    ForEach {
        src: Expr,
        slot: usize,
        filter: Option<Expr>,
        probe: Option<probe::Probe>,
        /// Whether the selection and its `where` read no variable bound outside the loop: the
        /// items selected are then the same each time the loop runs, and are found once per
        /// evaluation (a loop nested in another does not test its `where` for every pair).
        fixed: bool,
        body: Box<Check>,
        if_none: IfNone,
    },
    Assert {
        that: Expr,
        message: Template,
        at: Option<Path>,
        expected: Option<Template>,
        actual: Option<Expr>,
        unknown: Option<Template>,
    },
    When {
        cond: Expr,
        then: Box<Check>,
        otherwise: Option<Box<Check>>,
        reason: Option<Template>,
    },
    Let {
        slot: usize,
        value: Expr,
        body: Box<Check>,
    },
    Graph(graph::GraphCheck),
}

/// A value during evaluation.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    /// Absent: the path led nowhere.
    Missing,
    /// A predicate that could not be decided for lack of data.
    Unknown,
    /// A node of the model; its JSON Pointer comes from the document.
    Node(&'a Doc, NodeId),
    /// A constant of the pack (or a value shared by the evaluation): not a model node.
    Lit(&'a Value),
    /// A computed value.
    Own(Value),
    /// A selection of several values, shared: a selection bound by `let` is read without a copy,
    /// and a membership test finds the hashed set built for it (`Ctx::members`).
    List(Rc<Vec<Val<'a>>>),
}

/// Items of a list a message shows; the rest are counted (`… and 9900 more`).
pub(crate) const MAX_SHOWN: usize = 100;

/// The first [`MAX_SHOWN`] of `len` items joined with `, `, and how many more there are.
fn shown(items: impl Iterator<Item = String>, len: usize) -> String {
    let mut text = items.take(MAX_SHOWN).collect::<Vec<_>>().join(", ");
    if len > MAX_SHOWN {
        text.push_str(&format!(" and {} more", len - MAX_SHOWN));
    }
    text
}

/// Three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }
}

impl<'a> Val<'a> {
    /// A selection of `items`.
    pub fn list(items: Vec<Val<'a>>) -> Val<'a> {
        Val::List(Rc::new(items))
    }

    pub fn bool(b: bool) -> Val<'a> {
        Val::Own(Value::Bool(b))
    }

    pub fn tri(t: Tri) -> Val<'a> {
        match t {
            Tri::True => Val::bool(true),
            Tri::False => Val::bool(false),
            Tri::Unknown => Val::Unknown,
        }
    }

    /// The JSON value, if this is a single value.
    pub fn json(&self) -> Option<JRef<'_>> {
        match self {
            Val::Node(d, id) => Some(JRef::Doc(d, *id)),
            Val::Lit(v) => Some(JRef::Value(v)),
            Val::Own(v) => Some(JRef::Value(v)),
            _ => None,
        }
    }

    /// The JSON value of a node or constant, borrowed for as long as the evaluation.
    pub fn node(&self) -> Option<JRef<'a>> {
        match self {
            Val::Node(d, id) => Some(JRef::Doc(d, *id)),
            Val::Lit(v) => Some(JRef::Value(v)),
            _ => None,
        }
    }

    /// Whether the value is absent or JSON null.
    pub fn is_missing(&self) -> bool {
        match self {
            Val::Missing | Val::Unknown => true,
            Val::List(_) => false,
            v => v.json().is_none_or(JRef::is_null),
        }
    }

    pub fn truth(&self) -> Tri {
        match self {
            Val::Unknown => Tri::Unknown,
            Val::Missing => Tri::False,
            Val::List(l) => Tri::from_bool(!l.is_empty()),
            v => Tri::from_bool(v.json().is_some_and(|j| match j.kind() {
                Kind::Null => false,
                Kind::Bool => j.as_bool() == Some(true),
                _ => true,
            })),
        }
    }

    /// A node or constant for a value read in place.
    pub fn from_ref(j: JRef<'a>) -> Val<'a> {
        match j {
            JRef::Doc(d, id) => Val::Node(d, id),
            JRef::Value(v) => Val::Lit(v),
        }
    }

    /// The value as a list of items: a selection's items, a JSON array's elements
    /// (as nodes with pointers), nothing for absent, or the value itself.
    pub fn items(self) -> Vec<Val<'a>> {
        match self {
            Val::Missing | Val::Unknown => Vec::new(),
            Val::List(l) => Rc::unwrap_or_clone(l),
            Val::Own(Value::Null) => Vec::new(),
            Val::Own(Value::Array(a)) => a.into_iter().map(Val::Own).collect(),
            Val::Own(v) => vec![Val::Own(v)],
            v => match v.node() {
                Some(j) if j.kind() == Kind::Array => j.items().map(Val::from_ref).collect(),
                Some(j) if j.is_null() => Vec::new(),
                _ => vec![v],
            },
        }
    }

    /// Converts to an owned JSON value (lists become arrays, absent becomes null).
    pub fn to_json(&self) -> Value {
        match self {
            Val::Missing | Val::Unknown => Value::Null,
            Val::List(l) => Value::Array(l.iter().map(Val::to_json).collect()),
            v => v.json().map_or(Value::Null, JRef::to_value),
        }
    }

    /// Whether a template shows its fallback text for this value: missing, unknown, null, an
    /// empty selection or an empty string or array.
    pub fn is_blank(&self) -> bool {
        match self {
            Val::Missing | Val::Unknown => true,
            Val::List(l) => l.iter().all(Val::is_blank),
            other => match other.json() {
                None => true,
                Some(j) => match j.kind() {
                    Kind::Null => true,
                    Kind::String => j.as_str().is_some_and(|s| s.trim().is_empty()),
                    Kind::Array => j.items().next().is_none(),
                    _ => false,
                },
            },
        }
    }

    /// Text for messages: strings bare, other values as compact JSON, absent as `(none)`.
    pub fn display(&self) -> String {
        match self {
            Val::Missing | Val::Unknown => "(none)".to_owned(),
            Val::List(l) => shown(l.iter().map(Val::display), l.len()),
            other => match other.json() {
                None => "(none)".to_owned(),
                Some(j) => match j.kind() {
                    Kind::String => j.as_str().unwrap_or_default().to_owned(),
                    Kind::Null => "(none)".to_owned(),
                    Kind::Array => shown(
                        j.items().map(|v| match v.as_str() {
                            Some(s) => s.to_owned(),
                            None => v.to_string(),
                        }),
                        j.len(),
                    ),
                    _ => j.to_string(),
                },
            },
        }
    }

    /// The JSON Pointer of a model node (none for other values).
    pub fn ptr(&self) -> Option<String> {
        match self {
            Val::Node(d, id) => Some(d.pointer(*id)),
            _ => None,
        }
    }
}
