//! The check language: compiled expressions and checks, and the values they evaluate to.
//!
//! The reference of every operator is `rules/README.md`.

pub(crate) mod compile;
pub(crate) mod eval;
pub(crate) mod graph;
pub(crate) mod probe;

use crate::locate::escape;
use serde_json::Value;

/// Where a path starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    /// The model root (`/...`).
    Root,
    /// A bound slot: the current item (`@`) or a named variable (`$name`).
    Slot(usize),
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Seg {
    /// An object key, or an array index when the node is an array.
    Key(String),
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
    Value(Path),
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
    /// The item of `src` whose `by` is greatest (`max`) or least (`min`).
    ExtremeBy {
        max: bool,
        src: Box<Expr>,
        slot: usize,
        by: Box<Expr>,
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
                | Expr::CountBy { .. }
                | Expr::Count(_)
                | Expr::Sum(_)
                | Expr::Median(_)
                | Expr::Max(_)
                | Expr::Min(_)
                | Expr::ExtremeBy { .. }
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

/// Where a model node sits, kept cheap to copy while paths are walked: the pointer text is
/// only rendered for findings, by a search for the node's address under its anchor.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ptr<'a> {
    /// Not a model node (a constant or a computed value).
    None,
    /// The model root.
    Root,
    /// A member of the root (`/key`).
    Top(&'a str),
    /// Somewhere under the root member `key`, which is not an array: found by searching it.
    Under(&'a str, &'a Value),
    /// Element `idx` of the root array `coll` (an entity), or somewhere inside it.
    Entity {
        coll: &'a str,
        idx: usize,
        entity: &'a Value,
    },
}

/// One step from a node to a child.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> Ptr<'a> {
    /// The pointer of `child`, reached from a node with this pointer (`parent`) by `step`.
    pub fn child(self, parent: &'a Value, step: Step<'a>, child: &'a Value) -> Ptr<'a> {
        match (self, step) {
            (Ptr::None, _) => Ptr::None,
            (Ptr::Root, Step::Key(k)) => Ptr::Top(k),
            // An array root is not a model; keep the pointer findable from its parent.
            (Ptr::Root, Step::Index(_)) => Ptr::None,
            (Ptr::Top(coll), Step::Index(idx)) if parent.is_array() => Ptr::Entity {
                coll,
                idx,
                entity: child,
            },
            (Ptr::Top(key), _) => Ptr::Under(key, parent),
            (p @ (Ptr::Under(..) | Ptr::Entity { .. }), _) => p,
        }
    }

    /// The JSON Pointer text of `node` (which must be the node this pointer was built for),
    /// or `None` for values that are not model nodes.
    pub fn render(&self, node: &Value) -> Option<String> {
        let (mut out, anchor) = match *self {
            Ptr::None => return None,
            Ptr::Root => return Some(String::new()),
            Ptr::Top(k) => return Some(format!("/{}", escape(k))),
            Ptr::Under(k, top) => (format!("/{}", escape(k)), top),
            Ptr::Entity { coll, idx, entity } => (format!("/{}/{idx}", escape(coll)), entity),
        };
        let mut steps = Vec::new();
        if !find(anchor, node, &mut steps) {
            return None;
        }
        for step in steps.iter().rev() {
            out.push('/');
            match step {
                Step::Key(k) => out.push_str(&escape(k)),
                Step::Index(i) => out.push_str(&i.to_string()),
            }
        }
        Some(out)
    }
}

/// Searches `at` for the node at the address of `target`, pushing the steps (innermost first).
fn find<'v>(at: &'v Value, target: &Value, steps: &mut Vec<Step<'v>>) -> bool {
    if std::ptr::eq(at, target) {
        return true;
    }
    match at {
        Value::Object(o) => o.iter().any(|(k, v)| {
            let hit = find(v, target, steps);
            if hit {
                steps.push(Step::Key(k.as_str()));
            }
            hit
        }),
        Value::Array(a) => a.iter().enumerate().any(|(i, v)| {
            let hit = find(v, target, steps);
            if hit {
                steps.push(Step::Index(i));
            }
            hit
        }),
        _ => false,
    }
}

/// A value during evaluation.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    /// Absent: the path led nowhere.
    Missing,
    /// A predicate that could not be decided for lack of data.
    Unknown,
    /// A node of the model or of the pack, with its pointer.
    Node(&'a Value, Ptr<'a>),
    /// A computed value.
    Own(Value),
    /// A selection of several values.
    List(Vec<Val<'a>>),
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
    pub fn json(&self) -> Option<&Value> {
        match self {
            Val::Node(v, _) => Some(v),
            Val::Own(v) => Some(v),
            _ => None,
        }
    }

    /// Whether the value is absent or JSON null.
    pub fn is_missing(&self) -> bool {
        match self {
            Val::Missing | Val::Unknown => true,
            Val::Node(v, _) => v.is_null(),
            Val::Own(v) => v.is_null(),
            Val::List(_) => false,
        }
    }

    pub fn truth(&self) -> Tri {
        match self {
            Val::Unknown => Tri::Unknown,
            Val::Missing => Tri::False,
            Val::List(l) => Tri::from_bool(!l.is_empty()),
            Val::Node(v, _) => Tri::from_bool(json_truthy(v)),
            Val::Own(v) => Tri::from_bool(json_truthy(v)),
        }
    }

    /// The value as a list of items: a selection's items, a JSON array's elements
    /// (as nodes with pointers), nothing for absent, or the value itself.
    pub fn items(self) -> Vec<Val<'a>> {
        match self {
            Val::Missing | Val::Unknown => Vec::new(),
            Val::List(l) => l,
            Val::Node(arr @ Value::Array(a), ptr) => a
                .iter()
                .enumerate()
                .map(|(i, v)| Val::Node(v, ptr.child(arr, Step::Index(i), v)))
                .collect(),
            Val::Node(Value::Null, _) | Val::Own(Value::Null) => Vec::new(),
            Val::Own(Value::Array(a)) => a.into_iter().map(Val::Own).collect(),
            other => vec![other],
        }
    }

    /// Converts to an owned JSON value (lists become arrays, absent becomes null).
    pub fn to_json(&self) -> Value {
        match self {
            Val::Missing | Val::Unknown => Value::Null,
            Val::Node(v, _) => (*v).clone(),
            Val::Own(v) => v.clone(),
            Val::List(l) => Value::Array(l.iter().map(Val::to_json).collect()),
        }
    }

    /// Text for messages: strings bare, other values as compact JSON, absent as `(none)`.
    pub fn display(&self) -> String {
        match self {
            Val::Missing | Val::Unknown => "(none)".to_owned(),
            Val::List(l) => l.iter().map(Val::display).collect::<Vec<_>>().join(", "),
            other => match other.json() {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => "(none)".to_owned(),
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|v| match v {
                        Value::String(s) => s.clone(),
                        v => v.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                Some(v) => v.to_string(),
            },
        }
    }

    pub fn ptr(&self) -> Option<String> {
        match self {
            Val::Node(v, p) => p.render(v),
            _ => None,
        }
    }
}

fn json_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        _ => true,
    }
}
