//! Compiles the JSON form of checks and expressions into their typed form.

use super::graph;
use super::prelude::Definition;
use super::{Base, Check, Cmp, Expr, IfNone, Key, Part, Path, Period, Quant, Seg, Template, Tier};
use crate::date::Unit;
use crate::error::{Issue, codes};
use crate::locate::{escape, unescape_checked};
use serde_json::{Map, Value};

/// The intervals of `aims.planned_intervals` that `interval` may name: each with its unit
/// (months unless the name ends in `_days`) and the default used when the model leaves it out.
pub(crate) const PLANNED_INTERVALS: &[(&str, Unit, i64)] = &[
    ("policy_review_months", Unit::Month, 12),
    ("internal_audit_months", Unit::Month, 12),
    ("management_review_months", Unit::Month, 12),
    ("risk_assessment_months", Unit::Month, 12),
    ("impact_assessment_months", Unit::Month, 12),
    ("document_review_months", Unit::Month, 12),
    ("supplier_review_months", Unit::Month, 12),
    ("data_review_months", Unit::Month, 12),
    ("correction_days", Unit::Day, 30),
    ("major_nc_close_days", Unit::Day, 90),
];

/// The unit and default of the planned interval `name`, if it is one.
pub(crate) fn planned_interval(name: &str) -> Option<(Unit, i64)> {
    PLANNED_INTERVALS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, unit, default)| (*unit, *default))
}

/// Largest compiled size of one regular expression of a pack's `matches` (1 MiB). A pattern
/// past it, such as `\w{5000}` or `(a{1000}){1000}`, is refused when the pack is loaded with
/// `AIMS-E-PACK-REGEX`, naming the file, the rule and the pattern's pointer; matching itself
/// takes time linear in the text (the `regex` crate has no backtracking).
pub(crate) const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Deepest nesting of checks and expressions in one rule or indicator: every check, operator
/// and constant is one level. Evaluation recurses once per level, so the limit bounds its stack
/// (a 2 MiB thread stack holds it in a debug build); the default pack nests at most 34.
pub(crate) const MAX_NESTING: usize = 40;

/// Most variables bound outside an expression that it may be remembered by ([`Expr::Keyed`]).
const MAX_KEYED_SLOTS: usize = 4;

/// The slots below `depth` set in `reads`, when there are 1 to [`MAX_KEYED_SLOTS`] of them and
/// none is past the bits kept.
fn free_slots(reads: u128, depth: usize) -> Option<Vec<usize>> {
    let slots: Vec<usize> = (0..depth.min(128))
        .filter(|s| reads & (1u128 << s) != 0)
        .collect();
    let past = depth > 127 && reads & (1u128 << 127) != 0;
    (!slots.is_empty() && slots.len() <= MAX_KEYED_SLOTS && !past).then_some(slots)
}

/// Compiles one rule's check; collects every problem instead of stopping at the first.
pub(crate) struct Compiler {
    names: Vec<Option<String>>,
    current: Option<usize>,
    pub issues: std::cell::RefCell<Vec<Issue>>,
    pub max_slots: usize,
    /// The lowest slot a path has read since the expression being compiled began.
    lowest: std::cell::Cell<usize>,
    /// The slots paths have read since the expression being compiled began, one bit each
    /// (the last bit for every slot from 127 up).
    reads: std::cell::Cell<u128>,
    /// Checks and expressions open around the one being compiled.
    depth: usize,
    /// Whether the nesting limit was reported (once per rule).
    too_deep: bool,
    /// The prelude definitions being expanded (a definition may not call itself).
    expanding: Vec<&'static str>,
}

type Args<'v> = &'v Map<String, Value>;

impl Compiler {
    pub fn new() -> Self {
        Compiler {
            names: Vec::new(),
            current: None,
            issues: std::cell::RefCell::new(Vec::new()),
            max_slots: 0,
            lowest: std::cell::Cell::new(usize::MAX),
            reads: std::cell::Cell::new(0),
            depth: 0,
            too_deep: false,
            expanding: Vec::new(),
        }
    }

    /// Enters one level of nesting; false (reporting it once) past [`MAX_NESTING`].
    fn enter(&mut self, at: &str) -> bool {
        self.depth += 1;
        if self.depth <= MAX_NESTING {
            return true;
        }
        if !self.too_deep {
            self.too_deep = true;
            self.error(
                codes::LIMIT,
                format!(
                    "checks and expressions nest deeper than {MAX_NESTING} levels here, the \
                     limit of one rule (each check, operator and constant is a level)"
                ),
                at,
            );
        }
        false
    }

    pub fn error(&self, code: &'static str, message: impl Into<String>, at: &str) {
        self.issues.borrow_mut().push(Issue::new(code, message, at));
    }

    /// Binds a new slot (optionally named) as the current item while `f` runs.
    pub fn scoped<T>(
        &mut self,
        name: Option<String>,
        as_current: bool,
        f: impl FnOnce(&mut Self, usize) -> T,
    ) -> T {
        let slot = self.names.len();
        self.names.push(name);
        self.max_slots = self.max_slots.max(self.names.len());
        let saved = self.current;
        if as_current {
            self.current = Some(slot);
        }
        let out = f(self, slot);
        self.current = saved;
        self.names.pop();
        out
    }

    /// Splits an operator object `{"op": args}` into its name and arguments.
    fn op<'v>(&self, v: &'v Value, at: &str) -> Option<(&'v str, &'v Value)> {
        match v.as_object() {
            Some(o) if o.len() == 1 => o.iter().next().map(|(k, v)| (k.as_str(), v)),
            _ => {
                self.error(
                    codes::PACK_OPERATOR,
                    format!("expected an operator object with exactly one key, found {v}"),
                    at,
                );
                None
            }
        }
    }

    fn args<'v>(&self, v: &'v Value, op: &str, at: &str) -> Option<Args<'v>> {
        let o = v.as_object();
        if o.is_none() {
            self.error(
                codes::PACK_OPERATOR,
                format!("operator `{op}` takes an object of arguments"),
                at,
            );
        }
        o
    }

    fn required<'v>(&self, a: Args<'v>, key: &str, op: &str, at: &str) -> Option<&'v Value> {
        let v = a.get(key);
        if v.is_none() {
            self.error(
                codes::PACK_OPERATOR,
                format!("operator `{op}` needs the argument `{key}`"),
                at,
            );
        }
        v
    }

    fn known_args(&self, a: Args<'_>, allowed: &[&str], op: &str, at: &str) {
        for k in a.keys() {
            if !allowed.contains(&k.as_str()) {
                self.error(
                    codes::PACK_OPERATOR,
                    format!(
                        "operator `{op}` has no argument `{k}` (it takes {})",
                        allowed.join(", ")
                    ),
                    &format!("{at}/{}", escape(k)),
                );
            }
        }
    }

    fn string<'v>(&self, v: Option<&'v Value>, what: &str, at: &str) -> Option<&'v str> {
        let s = v.and_then(Value::as_str);
        if s.is_none() && v.is_some() {
            self.error(
                codes::PACK_OPERATOR,
                format!("`{what}` must be a string"),
                at,
            );
        }
        s
    }

    fn name(&self, a: Args<'_>, at: &str) -> Option<String> {
        let v = a.get("as")?;
        match v.as_str() {
            Some(s) if is_ident(s) => Some(s.to_owned()),
            _ => {
                self.error(
                    codes::PACK_OPERATOR,
                    format!("`as` must be a name of letters, digits and _, found {v}"),
                    &format!("{at}/as"),
                );
                None
            }
        }
    }

    fn collections(&self, v: Option<&Value>, at: &str) -> Vec<String> {
        match v {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) if a.iter().all(Value::is_string) && !a.is_empty() => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect(),
            _ => {
                self.error(
                    codes::PACK_OPERATOR,
                    "`in` must name a collection or a non-empty list of collections",
                    at,
                );
                Vec::new()
            }
        }
    }

    /// Parses a path: `/a/*/b` (model root), `@` or `@/a` (current item), `$name/a` (variable).
    pub fn path(&self, text: &str, at: &str) -> Option<Path> {
        let (base, rest) = if let Some(rest) = text.strip_prefix('@') {
            (self.current.map_or(Base::Root, Base::Slot), rest)
        } else if let Some(rest) = text.strip_prefix('$') {
            let end = rest.find('/').unwrap_or(rest.len());
            let (name, tail) = rest.split_at(end);
            let slot = self.names.iter().rposition(|n| n.as_deref() == Some(name));
            match slot {
                Some(s) => (Base::Slot(s), tail),
                None => {
                    self.error(
                        codes::PACK_PATH,
                        format!("path `{text}` names `${name}`, which is not bound here"),
                        at,
                    );
                    return None;
                }
            }
        } else if text.starts_with('/') || text.is_empty() {
            (Base::Root, text)
        } else {
            self.error(
                codes::PACK_PATH,
                format!("path `{text}` must start with `/`, `@` or `$name`"),
                at,
            );
            return None;
        };
        if let Base::Slot(s) = base {
            self.lowest.set(self.lowest.get().min(s));
            self.reads.set(self.reads.get() | 1u128 << s.min(127));
        }
        let segs = match rel_segments(rest) {
            Ok(s) => s,
            Err(why) => {
                self.error(codes::PACK_PATH, format!("path `{text}`: {why}"), at);
                return None;
            }
        };
        Some(Path {
            base,
            segs,
            text: text.to_owned(),
        })
    }

    /// A message template: text with `{path}` holes (`{{` and `}}` for braces).
    pub fn template(&self, v: Option<&Value>, at: &str) -> Option<Template> {
        let text = self.string(v, "message", at)?;
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let inner: String = chars.by_ref().take_while(|c| *c != '}').collect();
                    if !lit.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut lit)));
                    }
                    let (path, fallback) = match inner.split_once('|') {
                        Some((path, text)) => (path, Some(text.trim().to_owned())),
                        None => (inner.as_str(), None),
                    };
                    if let Some(p) = self.path(path.trim(), at) {
                        parts.push(Part::Value(p, fallback));
                    }
                }
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Text(lit));
        }
        Some(Template { parts })
    }

    /// A source of items: a path string, or any expression.
    fn source(&mut self, v: Option<&Value>, at: &str) -> Expr {
        match v {
            Some(Value::String(s)) => self.path(s, at).map_or(Expr::Const(Value::Null), Expr::Get),
            Some(v) => self.expr(v, at),
            None => Expr::Const(Value::Null),
        }
    }

    fn period(&mut self, a: Args<'_>, op: &str, at: &str) -> Option<Period> {
        let given: Vec<&str> = ["months", "days", "interval", "cadence"]
            .into_iter()
            .filter(|k| a.contains_key(*k))
            .collect();
        if given.len() != 1 {
            self.error(
                codes::PACK_OPERATOR,
                format!(
                    "operator `{op}` needs exactly one of `months`, `days`, `interval`, `cadence`"
                ),
                at,
            );
            return None;
        }
        let key = given.first().copied().unwrap_or_default();
        let v = a.get(key)?;
        let sub = format!("{at}/{key}");
        Some(match key {
            "months" => Period::Months(Box::new(self.expr(v, &sub))),
            "days" => Period::Days(Box::new(self.expr(v, &sub))),
            "cadence" => Period::Cadence(Box::new(self.source(Some(v), &sub))),
            _ => {
                Period::Interval(self.interval_name(self.string(Some(v), "interval", &sub)?, &sub)?)
            }
        })
    }

    fn pair(&mut self, v: &Value, op: &str, at: &str) -> Option<(Box<Expr>, Box<Expr>)> {
        match v.as_array().map(Vec::as_slice) {
            Some([a, b]) => Some((
                Box::new(self.expr(a, &format!("{at}/0"))),
                Box::new(self.expr(b, &format!("{at}/1"))),
            )),
            _ => {
                self.error(
                    codes::PACK_OPERATOR,
                    format!("operator `{op}` takes a list of two expressions"),
                    at,
                );
                None
            }
        }
    }

    fn list(&mut self, v: &Value, op: &str, at: &str) -> Vec<Expr> {
        match v.as_array() {
            Some(items) => items
                .iter()
                .enumerate()
                .map(|(i, x)| self.expr(x, &format!("{at}/{i}")))
                .collect(),
            None => {
                self.error(
                    codes::PACK_OPERATOR,
                    format!("operator `{op}` takes a list"),
                    at,
                );
                Vec::new()
            }
        }
    }

    fn boolean(&self, a: Args<'_>, key: &str, default: bool, at: &str) -> bool {
        match a.get(key) {
            None => default,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.error(
                    codes::PACK_OPERATOR,
                    format!("`{key}` must be true or false"),
                    &format!("{at}/{key}"),
                );
                default
            }
        }
    }

    /// A quantifier-like operator `{"in", "as"?, <body key>}` binding each item.
    fn binder(
        &mut self,
        a: Args<'_>,
        body_key: &str,
        op: &str,
        at: &str,
    ) -> Option<(Box<Expr>, usize, Box<Expr>)> {
        self.known_args(a, &["in", "as", body_key], op, at);
        let src = Box::new(self.source(self.required_ref(a, "in", op, at), &format!("{at}/in")));
        let name = self.name(a, at);
        let body = self.required(a, body_key, op, at)?;
        let sub = format!("{at}/{body_key}");
        let (slot, body) = self.scoped(name, true, |c, slot| (slot, c.expr(body, &sub)));
        Some((src, slot, Box::new(body)))
    }

    /// `{"range": {"in", "as"?, "by", "from"?, "to"?}}`. Its index is built once per
    /// evaluation for each selection, so `by` may read only the item and the model.
    fn range(&mut self, arg: &Value, op: &str, at: &str) -> Option<Expr> {
        let a = self.args(arg, op, at)?;
        self.known_args(a, &["in", "as", "by", "from", "to"], op, at);
        let src = Box::new(self.source(self.required_ref(a, "in", op, at), &format!("{at}/in")));
        let name = self.name(a, at);
        let by = self.required(a, "by", op, at)?;
        let sub = format!("{at}/by");
        let outer = self.lowest.replace(usize::MAX);
        let (slot, by) = self.scoped(name, true, |c, slot| (slot, c.expr(by, &sub)));
        let read = self.lowest.get();
        self.lowest.set(outer.min(read));
        if read < slot {
            self.error(
                codes::PACK_OPERATOR,
                "the `by` of `range` may read only the item (`@`, or its `as` name) and the \
                 model: the index it is found in is built once per evaluation"
                    .to_owned(),
                &sub,
            );
        }
        let mut bound = |key: &str| {
            a.get(key)
                .map(|v| Box::new(self.expr(v, &format!("{at}/{key}"))))
        };
        let (from, to) = (bound("from"), bound("to"));
        if from.is_none() && to.is_none() {
            self.error(
                codes::PACK_OPERATOR,
                "operator `range` needs `from`, `to` or both".to_owned(),
                at,
            );
        }
        Some(Expr::Range {
            src,
            slot,
            by: Box::new(by),
            from,
            to,
        })
    }

    fn required_ref<'v>(&self, a: Args<'v>, key: &str, op: &str, at: &str) -> Option<&'v Value> {
        self.required(a, key, op, at)
    }

    /// Compiles an expression. Non-object JSON values are constants; arrays are lists.
    ///
    /// An expression that walks a selection and reads no variable bound outside it (its value
    /// is the same wherever it appears in one evaluation) is memoized per evaluation under its
    /// JSON text.
    pub fn expr(&mut self, v: &Value, at: &str) -> Expr {
        let outer = self.lowest.replace(usize::MAX);
        let outer_reads = self.reads.replace(0);
        let depth = self.names.len();
        let e = if self.enter(at) {
            self.try_expr(v, at)
        } else {
            None
        };
        self.depth -= 1;
        let e = e.unwrap_or(Expr::Const(Value::Null));
        let lowest = self.lowest.get();
        self.lowest.set(outer.min(lowest));
        let reads = self.reads.get();
        self.reads.set(outer_reads | reads);
        if !e.walks_selection() {
            e
        } else if lowest >= depth {
            Expr::Memo {
                key: v.to_string(),
                expr: Box::new(e),
            }
        } else if let Some(slots) = free_slots(reads, depth) {
            Expr::Keyed {
                slots,
                expr: Box::new(e),
            }
        } else {
            e
        }
    }

    fn try_expr(&mut self, v: &Value, at: &str) -> Option<Expr> {
        match v {
            Value::Array(items) => {
                return Some(Expr::List(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, x)| self.expr(x, &format!("{at}/{i}")))
                        .collect(),
                ));
            }
            Value::Object(_) => {}
            other => return Some(Expr::Const(other.clone())),
        }
        let (op, arg) = self.op(v, at)?;
        let at = &format!("{at}/{}", escape(op));
        let b = |e: Expr| Box::new(e);
        Some(match op {
            "const" => Expr::Const(arg.clone()),
            "get" => Expr::Get(self.path(self.string(Some(arg), "get", at)?, at)?),
            "lookup" | "resolves" => {
                let a = self.args(arg, op, at)?;
                self.known_args(a, &["in", "id"], op, at);
                let colls = self.collections(a.get("in"), &format!("{at}/in"));
                let id = b(self.expr(self.required(a, "id", op, at)?, &format!("{at}/id")));
                if op == "lookup" {
                    Expr::Lookup { colls, id }
                } else {
                    Expr::Resolves { colls, id }
                }
            }
            "backrefs" => {
                let a = self.args(arg, op, at)?;
                self.known_args(a, &["from", "field", "id"], op, at);
                let coll = self.string(self.required(a, "from", op, at), "from", at)?;
                let plain = |k: &str| {
                    !k.is_empty()
                        && k.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                };
                if !coll.split('/').all(plain) {
                    self.error(
                        codes::PACK_OPERATOR,
                        format!(
                            "`from` must name a collection (`process_runs`) or the path of an \
                             array from the model root (`statement_of_applicability/entries`), \
                             each step a member name of letters, digits, `_` and `-`; got \
                             `{coll}`"
                        ),
                        &format!("{at}/from"),
                    );
                    return None;
                }
                let field_text = self.string(self.required(a, "field", op, at), "field", at)?;
                let field = match rel_segments(&format!("/{field_text}")) {
                    Ok(field) => field,
                    Err(why) => {
                        self.error(
                            codes::PACK_PATH,
                            format!(
                                "`field` must be a relative path such as `process_id` or \
                                 `ai_system_ids/*`: {why}"
                            ),
                            at,
                        );
                        return None;
                    }
                };
                let id = b(self.expr(self.required(a, "id", op, at)?, &format!("{at}/id")));
                Expr::Backrefs {
                    coll: coll.to_owned(),
                    field,
                    id,
                }
            }
            "filter" => {
                let a = self.args(arg, op, at)?;
                let (src, slot, pred) = self.binder(a, "where", op, at)?;
                let probe = super::probe::detect(&src, slot, &pred);
                Expr::Filter {
                    src,
                    slot,
                    pred,
                    probe,
                }
            }
            "map" => {
                let a = self.args(arg, op, at)?;
                let (src, slot, to) = self.binder(a, "to", op, at)?;
                Expr::Map { src, slot, to }
            }
            "some" | "every" | "none" => {
                let a = self.args(arg, op, at)?;
                let (src, slot, pred) = self.binder(a, "where", op, at)?;
                let kind = match op {
                    "some" => Quant::Some,
                    "every" => Quant::Every,
                    _ => Quant::None,
                };
                // `every` needs every item, so only `some` and `none` probe.
                let probe = match kind {
                    Quant::Every => None,
                    _ => super::probe::detect(&src, slot, &pred),
                };
                Expr::Quant {
                    kind,
                    src,
                    slot,
                    pred,
                    probe,
                }
            }
            "count" => Expr::Count(b(self.source(Some(arg), at))),
            "max" | "min" if arg.get("by").is_some() => {
                let a = self.args(arg, op, at)?;
                let (src, slot, by) = self.binder(a, "by", op, at)?;
                Expr::ExtremeBy {
                    max: op == "max",
                    src,
                    slot,
                    by,
                }
            }
            "range" => self.range(arg, op, at)?,
            "max" => Expr::Max(b(self.source(Some(arg), at))),
            "min" => Expr::Min(b(self.source(Some(arg), at))),
            "count_by" => {
                let a = self.args(arg, op, at)?;
                let (src, slot, key) = self.binder(a, "key", op, at)?;
                Expr::CountBy { src, slot, key }
            }
            "first" => Expr::Nth(b(self.source(Some(arg), at)), false),
            "last" => Expr::Nth(b(self.source(Some(arg), at)), true),
            "sum" => Expr::Sum(b(self.source(Some(arg), at))),
            "median" => Expr::Median(b(self.source(Some(arg), at))),
            "days_between" | "ratio" => {
                let (x, y) = self.pair(arg, op, at)?;
                if op == "ratio" {
                    Expr::Ratio(x, y)
                } else {
                    Expr::DaysBetween(x, y)
                }
            }
            "ascending" => {
                let a = self.args(arg, op, at)?;
                self.known_args(a, &["in", "strict", "compare"], op, at);
                let r = self.required(a, "in", op, at);
                let src = b(self.source(r, &format!("{at}/in")));
                let strict = self.boolean(a, "strict", true, at);
                let versions = match a.get("compare").map(|v| v.as_str()) {
                    None | Some(Some("value")) => false,
                    Some(Some("version")) => true,
                    Some(_) => {
                        self.error(
                            codes::PACK_OPERATOR,
                            "`compare` is \"value\" or \"version\"",
                            &format!("{at}/compare"),
                        );
                        false
                    }
                };
                Expr::Ascending {
                    src,
                    strict,
                    versions,
                }
            }
            "distinct" => Expr::Distinct(b(self.source(Some(arg), at))),
            "ordered" => Expr::Ordered(b(self.source(Some(arg), at))),
            "coalesce" => Expr::Coalesce(self.list(arg, op, at)),
            "union" => Expr::Union(self.list(arg, op, at)),
            "and" => Expr::And(self.list(arg, op, at)),
            "or" => Expr::Or(self.list(arg, op, at)),
            "not" => Expr::Not(b(self.expr(arg, at))),
            "exists" => Expr::Exists(b(self.source(Some(arg), at))),
            "nonempty" => Expr::Nonempty(b(self.source(Some(arg), at))),
            "known" => Expr::Known(b(self.source(Some(arg), at))),
            "unique" => Expr::Unique(b(self.source(Some(arg), at))),
            "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "one_of" | "intersects" | "subset"
            | "refs_under" => {
                let (x, y) = self.pair(arg, op, at)?;
                match op {
                    "eq" => Expr::Eq(x, y),
                    "ne" => Expr::Ne(x, y),
                    "lt" => Expr::Compare(Cmp::Lt, x, y),
                    "le" => Expr::Compare(Cmp::Le, x, y),
                    "gt" => Expr::Compare(Cmp::Gt, x, y),
                    "ge" => Expr::Compare(Cmp::Ge, x, y),
                    "one_of" => Expr::OneOf(x, y),
                    "intersects" => Expr::Intersects(x, y),
                    "subset" => Expr::Subset(x, y),
                    _ => Expr::RefsUnder(x, y),
                }
            }
            "matches" => match arg.as_array().map(Vec::as_slice) {
                Some([x, Value::String(re)]) => {
                    let x = b(self.expr(x, &format!("{at}/0")));
                    match regex::RegexBuilder::new(re)
                        .size_limit(REGEX_SIZE_LIMIT)
                        .build()
                    {
                        Ok(r) => Expr::Matches(x, r),
                        Err(regex::Error::CompiledTooBig(_)) => {
                            self.error(
                                codes::PACK_REGEX,
                                format!(
                                    "regular expression is too large: compiled, it exceeds the \
                                     limit of {REGEX_SIZE_LIMIT} bytes (1 MiB) on one pattern"
                                ),
                                &format!("{at}/1"),
                            );
                            return None;
                        }
                        Err(e) => {
                            self.error(
                                codes::PACK_REGEX,
                                format!("regular expression does not compile: {e}"),
                                &format!("{at}/1"),
                            );
                            return None;
                        }
                    }
                }
                _ => {
                    self.error(
                        codes::PACK_OPERATOR,
                        "operator `matches` takes [expression, \"regex\"]",
                        at,
                    );
                    return None;
                }
            },
            "let" => {
                let a = self.args(arg, op, at)?;
                self.known_args(a, &["name", "value", "in"], op, at);
                let (name, value) = self.let_head(a, at)?;
                let body = self.required(a, "in", op, at)?;
                let sub = format!("{at}/in");
                let (slot, body) =
                    self.scoped(Some(name), false, |c, slot| (slot, c.expr(body, &sub)));
                Expr::Let {
                    slot,
                    value: b(value),
                    body: b(body),
                }
            }
            "if" => {
                let a = self.args(arg, op, at)?;
                self.known_args(a, &["cond", "then", "else"], op, at);
                let cond = self.expr(self.required(a, "cond", op, at)?, &format!("{at}/cond"));
                let then = self.expr(self.required(a, "then", op, at)?, &format!("{at}/then"));
                let otherwise = match a.get("else") {
                    Some(e) => self.expr(e, &format!("{at}/else")),
                    None => Expr::Const(Value::Bool(true)),
                };
                Expr::If {
                    cond: b(cond),
                    then: b(then),
                    otherwise: b(otherwise),
                }
            }
            "date_add" | "within" => {
                let a = self.args(arg, op, at)?;
                let extra: &[&str] = if op == "date_add" {
                    &[
                        "date", "months", "days", "interval", "cadence", "grace", "times",
                    ]
                } else {
                    &["date", "months", "days", "interval", "cadence", "grace"]
                };
                self.known_args(a, extra, op, at);
                let date = b(self.source(self.required(a, "date", op, at), &format!("{at}/date")));
                let period = self.period(a, op, at)?;
                let grace = self.boolean(a, "grace", op == "within", at);
                if op == "within" {
                    Expr::Within {
                        date,
                        period,
                        grace,
                    }
                } else {
                    let times = match a.get("times") {
                        None => 1,
                        Some(t) => match t.as_i64() {
                            Some(n) => n,
                            None => {
                                self.error(codes::PACK_OPERATOR, "`times` must be an integer", at);
                                1
                            }
                        },
                    };
                    Expr::DateAdd {
                        date,
                        period,
                        times,
                        grace,
                    }
                }
            }
            "period_gaps" => {
                let a = self.args(arg, op, at)?;
                self.known_args(a, &["start", "cadence", "dates", "grace"], op, at);
                let start = self.source(self.required(a, "start", op, at), &format!("{at}/start"));
                let cadence = self.source(
                    self.required(a, "cadence", op, at),
                    &format!("{at}/cadence"),
                );
                let dates = self.source(self.required(a, "dates", op, at), &format!("{at}/dates"));
                let grace = self.boolean(a, "grace", true, at);
                Expr::PeriodGaps {
                    start: b(start),
                    cadence: b(cadence),
                    dates: b(dates),
                    grace,
                }
            }
            "interval" => {
                Expr::Interval(self.interval_name(self.string(Some(arg), "interval", at)?, at)?)
            }
            "period_text" => {
                let a = self.args(arg, op, at)?;
                self.known_args(a, &["months", "days", "interval", "cadence"], op, at);
                Expr::PeriodText(self.period(a, op, at)?)
            }
            "as_of" => Expr::AsOf,
            "tier" => Expr::TierName,
            "catalogue" => match arg.as_str() {
                Some("clauses") => Expr::Catalogue(false),
                Some("controls") => Expr::Catalogue(true),
                _ => {
                    self.error(
                        codes::PACK_OPERATOR,
                        "operator `catalogue` takes \"clauses\" or \"controls\"",
                        at,
                    );
                    return None;
                }
            },
            "tier_at_least" => match arg.as_str().and_then(Tier::parse) {
                Some(t) => Expr::TierAtLeast(t),
                None => {
                    self.error(
                        codes::PACK_OPERATOR,
                        "operator `tier_at_least` takes \"startup\", \"scaleup\" or \"enterprise\"",
                        at,
                    );
                    return None;
                }
            },
            "schema" => {
                let a = self.args(arg, op, at)?;
                self.known_args(a, &["value", "schema"], op, at);
                let value = self.source(self.required(a, "value", op, at), &format!("{at}/value"));
                let schema = self.required(a, "schema", op, at)?;
                match jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .build(schema)
                {
                    Ok(v) => Expr::Schema(b(value), Box::new(v)),
                    Err(e) => {
                        self.error(
                            codes::PACK_FRAGMENT,
                            format!("schema fragment does not compile: {e}"),
                            &format!("{at}/schema"),
                        );
                        return None;
                    }
                }
            }
            other if super::prelude::find(other).is_some() => {
                let def = super::prelude::find(other)?;
                return self.call(def, arg, at);
            }
            other => {
                self.error(
                    codes::PACK_OPERATOR,
                    format!("unknown operator `{other}` (see rules/README.md for the vocabulary)"),
                    at,
                );
                return None;
            }
        })
    }

    /// Compiles a call of a prelude definition: its arguments (sources) here, then its body
    /// with each parameter bound to its argument.
    fn call(&mut self, def: &'static Definition, arg: &Value, at: &str) -> Option<Expr> {
        let op = def.name.as_str();
        if self.expanding.contains(&op) {
            self.error(
                codes::PACK_OPERATOR,
                format!("operator `{op}` is defined in terms of itself"),
                at,
            );
            return None;
        }
        let mut bound: Vec<(String, Expr)> = Vec::new();
        match def.params.as_slice() {
            [] => {}
            [only] if def.aliases.is_empty() => {
                bound.push((only.clone(), self.source(Some(arg), at)));
            }
            params => {
                let a = self.args(arg, op, at)?;
                let mut allowed: Vec<&str> = params.iter().map(String::as_str).collect();
                allowed.extend(def.aliases.keys().map(String::as_str));
                self.known_args(a, &allowed, op, at);
                for p in params {
                    let alias = def
                        .aliases
                        .iter()
                        .find(|(name, stands_for)| stands_for.contains(p) && a.contains_key(*name));
                    let (key, value) = match (a.get(p), alias) {
                        (Some(v), None) => (p.as_str(), v),
                        (None, Some((name, _))) => (name.as_str(), a.get(name)?),
                        (Some(_), Some((name, _))) => {
                            self.error(
                                codes::PACK_OPERATOR,
                                format!("operator `{op}` takes `{p}` or `{name}`, not both"),
                                at,
                            );
                            return None;
                        }
                        (None, None) => {
                            let mut how = format!("`{p}`");
                            for (name, stands_for) in &def.aliases {
                                if stands_for.contains(p) {
                                    how.push_str(&format!(" (or `{name}`)"));
                                }
                            }
                            self.error(
                                codes::PACK_OPERATOR,
                                format!("operator `{op}` needs the argument {how}"),
                                at,
                            );
                            return None;
                        }
                    };
                    let e = self.source(Some(value), &format!("{at}/{}", escape(key)));
                    bound.push((p.clone(), e));
                }
            }
        }
        self.expanding.push(op);
        let body = self.bind_all(bound, &def.body, at);
        self.expanding.pop();
        Some(body)
    }

    /// Binds each `(name, value)` in turn (as `let` does) and compiles `body` inside them.
    fn bind_all(&mut self, mut bound: Vec<(String, Expr)>, body: &Value, at: &str) -> Expr {
        if bound.is_empty() {
            return self.expr(body, at);
        }
        let (name, value) = bound.remove(0);
        let (slot, inner) = self.scoped(Some(name), false, |c, slot| {
            (slot, c.bind_all(bound, body, at))
        });
        Expr::Let {
            slot,
            value: Box::new(value),
            body: Box::new(inner),
        }
    }

    fn let_head(&mut self, a: Args<'_>, at: &str) -> Option<(String, Expr)> {
        let name = match a.get("name").and_then(Value::as_str) {
            Some(n) if is_ident(n) => n.to_owned(),
            _ => {
                self.error(
                    codes::PACK_OPERATOR,
                    "`let` needs a `name` of letters, digits and _",
                    at,
                );
                return None;
            }
        };
        let value = self.source(self.required(a, "value", "let", at), &format!("{at}/value"));
        Some((name, value))
    }

    /// Compiles a check.
    pub fn check(&mut self, v: &Value, at: &str) -> Option<Check> {
        let c = if self.enter(at) {
            self.try_check(v, at)
        } else {
            None
        };
        self.depth -= 1;
        c
    }

    fn try_check(&mut self, v: &Value, at: &str) -> Option<Check> {
        let (op, arg) = self.op(v, at)?;
        let at = &format!("{at}/{}", escape(op));
        Some(match op {
            "all" => match arg.as_array() {
                Some(items) => Check::All(
                    items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, x)| self.check(x, &format!("{at}/{i}")))
                        .collect(),
                ),
                None => {
                    self.error(
                        codes::PACK_OPERATOR,
                        "check `all` takes a list of checks",
                        at,
                    );
                    return None;
                }
            },
            "for_each" => {
                let a = self.args(arg, op, at)?;
                self.known_args(a, &["in", "as", "where", "check", "if_none"], op, at);
                // The lowest slot the selection and its `where` read: none bound outside the
                // loop makes the items selected the same every time it runs.
                let outer = self.lowest.replace(usize::MAX);
                let src = self.source(self.required(a, "in", op, at), &format!("{at}/in"));
                let src_read = self.lowest.replace(usize::MAX);
                let name = self.name(a, at);
                let body = self.required(a, "check", op, at)?;
                let (slot, filter, read, body) = self.scoped(name, true, |c, slot| {
                    let filter = a.get("where").map(|w| c.expr(w, &format!("{at}/where")));
                    let read = c.lowest.get().min(src_read);
                    (slot, filter, read, c.check(body, &format!("{at}/check")))
                });
                let if_none = self.if_none(a.get("if_none"), &format!("{at}/if_none"));
                self.lowest.set(outer.min(self.lowest.get()).min(src_read));
                let probe = filter
                    .as_ref()
                    .and_then(|f| super::probe::detect(&src, slot, f));
                Check::ForEach {
                    fixed: filter.is_some() && read >= slot,
                    src,
                    slot,
                    filter,
                    probe,
                    body: Box::new(body?),
                    if_none,
                }
            }
            "assert" => {
                let a = self.args(arg, op, at)?;
                self.known_args(
                    a,
                    &["that", "message", "at", "expected", "actual", "unknown"],
                    op,
                    at,
                );
                let that = self.expr(self.required(a, "that", op, at)?, &format!("{at}/that"));
                let message = self.template(
                    self.required(a, "message", op, at),
                    &format!("{at}/message"),
                )?;
                let at_path = match a.get("at") {
                    Some(p) => {
                        let s = self.string(Some(p), "at", at)?;
                        Some(self.path(s, &format!("{at}/at"))?)
                    }
                    None => None,
                };
                let expected = match a.get("expected") {
                    Some(e) => self.template(Some(e), &format!("{at}/expected")),
                    None => None,
                };
                let actual = a
                    .get("actual")
                    .map(|e| self.source(Some(e), &format!("{at}/actual")));
                let unknown = match a.get("unknown") {
                    Some(e) => self.template(Some(e), &format!("{at}/unknown")),
                    None => None,
                };
                Check::Assert {
                    that,
                    message,
                    at: at_path,
                    expected,
                    actual,
                    unknown,
                }
            }
            "when" => {
                let a = self.args(arg, op, at)?;
                self.known_args(a, &["cond", "then", "else", "reason"], op, at);
                let cond = self.expr(self.required(a, "cond", op, at)?, &format!("{at}/cond"));
                let then = self.check(self.required(a, "then", op, at)?, &format!("{at}/then"))?;
                let otherwise = match a.get("else") {
                    Some(e) => Some(Box::new(self.check(e, &format!("{at}/else"))?)),
                    None => None,
                };
                let reason = match a.get("reason") {
                    Some(r) => self.template(Some(r), &format!("{at}/reason")),
                    None => None,
                };
                Check::When {
                    cond,
                    then: Box::new(then),
                    otherwise,
                    reason,
                }
            }
            "let" => {
                let a = self.args(arg, op, at)?;
                self.known_args(a, &["name", "value", "check"], op, at);
                let (name, value) = self.let_head(a, at)?;
                let body = self.required(a, "check", op, at)?;
                let sub = format!("{at}/check");
                let (slot, body) =
                    self.scoped(Some(name), false, |c, slot| (slot, c.check(body, &sub)));
                Check::Let {
                    slot,
                    value,
                    body: Box::new(body?),
                }
            }
            g if g.starts_with("graph_") => Check::Graph(graph::compile(self, g, arg, at)?),
            other => {
                self.error(
                    codes::PACK_OPERATOR,
                    format!(
                        "unknown check `{other}` (checks are all, for_each, assert, when, let and graph_*)"
                    ),
                    at,
                );
                return None;
            }
        })
    }

    /// Checks that `name` is one of `aims.planned_intervals`.
    fn interval_name(&self, name: &str, at: &str) -> Option<String> {
        if planned_interval(name).is_some() {
            Some(name.to_owned())
        } else {
            self.error(
                codes::PACK_OPERATOR,
                format!(
                    "`{name}` is not an interval of aims.planned_intervals ({})",
                    PLANNED_INTERVALS
                        .iter()
                        .map(|(n, _, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                at,
            );
            None
        }
    }

    fn if_none(&self, v: Option<&Value>, at: &str) -> IfNone {
        match v {
            None => IfNone::NotApplicable(None),
            Some(Value::String(s)) if s == "not_applicable" => IfNone::NotApplicable(None),
            Some(Value::String(s)) if s == "pass" => IfNone::Pass,
            Some(Value::Object(o)) => {
                let status = o.get("status").and_then(Value::as_str);
                let msg = self.template(o.get("message"), &format!("{at}/message"));
                match (status, msg) {
                    (Some("fail"), Some(m)) => IfNone::Fail(m),
                    (Some("insufficient_evidence"), Some(m)) => IfNone::Insufficient(m),
                    (Some("not_applicable"), m) => IfNone::NotApplicable(m),
                    _ => {
                        self.error(
                            codes::PACK_OPERATOR,
                            "`if_none` object needs `status` (not_applicable, fail or insufficient_evidence) and `message`",
                            at,
                        );
                        IfNone::NotApplicable(None)
                    }
                }
            }
            Some(_) => {
                self.error(
                    codes::PACK_OPERATOR,
                    "`if_none` is \"not_applicable\", \"pass\" or {\"status\", \"message\"}",
                    at,
                );
                IfNone::NotApplicable(None)
            }
        }
    }
}

fn is_ident(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses `""` or `/a/*/b` into steps; the reason when it is not a path.
fn rel_segments(rest: &str) -> Result<Vec<Seg>, String> {
    if rest.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = rest.strip_prefix('/') else {
        return Err("after its start a path is `/`-separated steps".to_owned());
    };
    rest.split('/')
        .map(|s| {
            if s == "*" {
                Ok(Seg::Wild)
            } else {
                unescape_checked(s)
                    .map(|k| Seg::Key(Key::new(k)))
                    .ok_or_else(|| {
                    format!(
                        "the step `{s}` has a `~` that is not `~0` (for `~`) or `~1` (for `/`), \
                         the only escapes of a JSON Pointer"
                    )
                })
            }
        })
        .collect()
}
