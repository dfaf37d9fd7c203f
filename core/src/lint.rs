//! A lint of rule packs: loops whose cost is a product of two model collections.
//!
//! A check runs once per evaluation, but a selection written inside a loop over a model
//! collection runs once per item of that loop. When that selection walks a whole model
//! collection again, a rule costs the product of the two sizes: 2,000 processes and 50,000
//! runs are 10⁸ steps for one rule. [`lint`] finds such selections in a compiled pack and
//! warns about each with `AIMS-W-NESTED-SCAN` ([`NESTED_SCAN`]), a JSON Pointer into the rule
//! file and how to rewrite it. The rule it applies is stated in `rules/README.md` ("Lint:
//! nested scans"); in short:
//!
//! - a **model collection** is what a path from the model root with a `*` step selects (or a
//!   root path naming an array of the model schema), and what `filter`, `map`, `distinct`,
//!   `union` or a variable make of one;
//! - a **scan** is a loop or aggregate over a model collection (`for_each`, `filter`, `map`,
//!   `some`, `every`, `none`, `max`/`min` by, `count_by`, `count`, `sum`, `median`, `max`,
//!   `min`, `distinct`, `unique`, `ascending`), unless an index answers it (an equality probe
//!   whose value is read from a variable, as `probe.rs` detects it: such a selection holds the
//!   items related to one value) or it is computed once per evaluation (an expression that
//!   reads no variable bound outside it);
//! - a scan inside the per-item part of a loop over a model collection warns when it depends
//!   on that loop's item (a **scan join**), or when it is an expression (recomputed for each
//!   item although it does not depend on it). A `for_each` that does not depend on the outer
//!   item is a **cross product**: each pair is a possible finding, so the rule's cost is the
//!   size of what it judges, and it does not warn.
//!
//! Membership operators (`one_of`, `intersects`, `subset`, `refs_under`) are not scans: they
//! test against a hashed set.

use crate::error::Issue;
use crate::locate::{escape, locate};
use crate::pack::{PackSource, RulePack};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// The code of a nested scan: a selection over a model collection, run once per item of a
/// loop over another, that no index serves.
pub const NESTED_SCAN: &str = "AIMS-W-NESTED-SCAN";

/// The nested scans of a compiled pack, in file order then pointer order, each an [`Issue`]
/// with code [`NESTED_SCAN`], the rule (or indicator) id, the file, the JSON Pointer of the
/// inner selection in that file with its line and column, a message and a `help` saying how
/// to rewrite it. Files of the embedded default pack are named `iso42001-4.4/<file>`.
///
/// ```
/// let pack = aimscheck::RulePack::embedded()?;
/// for warning in aimscheck::lint::lint(&pack) {
///     assert_eq!(warning.code, aimscheck::lint::NESTED_SCAN);
///     assert!(warning.rule_id.is_some() && warning.file.is_some() && warning.help.is_some());
/// }
/// # Ok::<(), aimscheck::Error>(())
/// ```
pub fn lint(pack: &RulePack) -> Vec<Issue> {
    let files: Vec<(String, String)> = match pack.source() {
        PackSource::Files(files) => files.clone(),
        PackSource::Embedded { .. } => crate::catalogue::DEFAULT_PACK
            .iter()
            .map(|(n, t)| (format!("{}/{n}", pack.id()), (*t).to_owned()))
            .collect(),
    };
    lint_files(&files)
}

/// [`lint`] of the files of a pack, as `(file name, JSON text)` pairs; files that are not
/// JSON, and the manifest, have nothing to lint.
pub fn lint_files(files: &[(String, String)]) -> Vec<Issue> {
    let mut out = Vec::new();
    for (name, text) in files {
        let Ok(doc) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        let mut found = Vec::new();
        for (key, body) in [("rules", "check"), ("indicators", "value")] {
            let Some(list) = doc.get(key).and_then(Value::as_array) else {
                continue;
            };
            for (i, item) in list.iter().enumerate() {
                let Some(v) = item.get(body) else { continue };
                let id = item
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let mut w = Walker::default();
                let at = format!("/{key}/{i}/{body}");
                if body == "check" {
                    w.check(v, &at);
                } else {
                    w.expr(v, &at);
                }
                for mut issue in w.found {
                    issue.rule_id = Some(id.clone());
                    found.push(issue);
                }
            }
        }
        for mut issue in found {
            if let Some((l, c)) = locate(text, &issue.pointer) {
                issue.line = Some(l);
                issue.column = Some(c);
            }
            issue.file = Some(name.clone());
            out.push(issue);
        }
    }
    out
}

/// The top-level members of the model schema that are arrays, and the schema itself, for
/// root paths written without `*` (`/processes` selects the same items as `/processes/*`).
static MODEL_SCHEMA: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(crate::model::MODEL_SCHEMA).unwrap_or(Value::Null));

/// Whether the model schema says the root path `keys` (no `*`) names an array.
fn schema_array(keys: &[String]) -> bool {
    let root = &*MODEL_SCHEMA;
    let resolve = |mut node: &'static Value| {
        // Follows local `$ref`s (`#/$defs/...`), a few levels at most.
        for _ in 0..8 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(r) => match r.strip_prefix('#').and_then(|p| root.pointer(p)) {
                    Some(n) => node = n,
                    None => return node,
                },
                None => return node,
            }
        }
        node
    };
    let mut node = resolve(root);
    for k in keys {
        match node.get("properties").and_then(|p| p.get(k)) {
            Some(n) => node = resolve(n),
            None => return false,
        }
    }
    match node.get("type") {
        Some(Value::String(t)) => t == "array",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "array"),
        _ => false,
    }
}

/// What the walk knows of an expression's value.
#[derive(Debug, Clone, Default)]
struct Sum {
    /// The lowest slot it reads (`usize::MAX` for none), as the compiler tracks it to decide
    /// whether an expression is computed once per evaluation.
    lowest: usize,
    /// The loops (by the slot of their item) whose item it depends on.
    deps: BTreeSet<usize>,
    /// Where it comes from, when it may hold as many items as a model collection.
    coll: Option<String>,
    /// Whether computing it is a scan waiting to be judged (so that what consumes it is not
    /// reported again for the same walk).
    pushed: bool,
}

impl Sum {
    fn none() -> Sum {
        Sum {
            lowest: usize::MAX,
            ..Sum::default()
        }
    }

    fn join(&mut self, other: &Sum) {
        self.lowest = self.lowest.min(other.lowest);
        self.deps.extend(other.deps.iter().copied());
        if self.coll.is_none() {
            self.coll.clone_from(&other.coll);
        }
    }

    /// The same value as data (its reads and dependencies), but a single value.
    fn single(mut self) -> Sum {
        self.coll = None;
        self
    }
}

/// A bound name.
#[derive(Debug, Clone)]
struct Binding {
    name: Option<String>,
    /// The item of a loop: it depends on that loop (its own slot) and on what the loop's
    /// source depends on. Otherwise a `let` (or a parameter of a prelude call).
    item: bool,
    value: Sum,
}

/// A scan not yet judged: it waits for the loops around it.
#[derive(Debug, Clone)]
struct Site {
    pointer: String,
    /// `` `some` over /process_runs/* ``.
    what: String,
    deps: BTreeSet<usize>,
    /// A `for_each` check (a cross product when it does not depend on the outer item).
    check: bool,
    /// Set when an equality probe leads its `where` but compares with the same value for
    /// every item of the loops around it.
    fixed_probe: bool,
}

/// A loop over a model collection, as a warning names it.
struct Outer<'a> {
    slot: usize,
    pointer: &'a str,
    what: &'a str,
    /// `$p` or `@`.
    item: String,
}

#[derive(Default)]
struct Walker {
    names: Vec<Binding>,
    current: Option<usize>,
    pending: Vec<Site>,
    found: Vec<Issue>,
    /// Inside a prelude definition's body: every node is reported at the call.
    frozen: usize,
    /// The prelude definitions being expanded.
    expanding: Vec<&'static str>,
}

/// Whether a source is written as a path (a string, or `{"get": path}`).
fn is_path(src: Option<&Value>) -> bool {
    match src {
        Some(Value::String(_)) => true,
        Some(Value::Object(o)) => o.len() == 1 && o.contains_key("get"),
        _ => false,
    }
}

/// A path: where it starts and its steps.
enum Base {
    Root,
    Slot(usize),
}

impl Walker {
    fn sub(&self, at: &str, key: &str) -> String {
        if self.frozen > 0 {
            at.to_owned()
        } else {
            format!("{at}/{}", escape(key))
        }
    }

    fn parse(&self, text: &str) -> Option<(Base, Vec<String>)> {
        let (base, rest) = if let Some(rest) = text.strip_prefix('@') {
            (self.current.map_or(Base::Root, Base::Slot), rest)
        } else if let Some(rest) = text.strip_prefix('$') {
            let end = rest.find('/').unwrap_or(rest.len());
            let (name, tail) = rest.split_at(end);
            let slot = self
                .names
                .iter()
                .rposition(|n| n.name.as_deref() == Some(name))?;
            (Base::Slot(slot), tail)
        } else {
            (Base::Root, text)
        };
        let segs = rest
            .split('/')
            .skip(1)
            .map(crate::locate::unescape)
            .collect();
        Some((base, segs))
    }

    /// A path read as a value.
    fn path(&self, text: &str) -> Sum {
        let Some((base, segs)) = self.parse(text) else {
            return Sum::none();
        };
        match base {
            Base::Root => {
                let wild = segs.iter().any(|s| s == "*");
                let coll = (wild || (!segs.is_empty() && schema_array(&segs)))
                    .then(|| if text.is_empty() { "/" } else { text }.to_owned());
                Sum {
                    coll,
                    ..Sum::none()
                }
            }
            Base::Slot(s) => {
                let Some(b) = self.names.get(s) else {
                    return Sum::none();
                };
                let mut sum = if b.item {
                    // One item of a loop: a single value, whatever steps follow.
                    let mut deps = b.value.deps.clone();
                    deps.insert(s);
                    Sum {
                        deps,
                        ..Sum::none()
                    }
                } else {
                    b.value.clone()
                };
                sum.lowest = s;
                sum.pushed = false;
                sum
            }
        }
    }

    /// Binds a slot while `f` runs.
    fn scoped<T>(
        &mut self,
        name: Option<String>,
        item: bool,
        value: Sum,
        f: impl FnOnce(&mut Self, usize) -> T,
    ) -> T {
        let slot = self.names.len();
        self.names.push(Binding { name, item, value });
        let saved = self.current;
        if item {
            self.current = Some(slot);
        }
        let out = f(self, slot);
        self.current = saved;
        self.names.truncate(slot);
        out
    }

    /// A source: a path string, or an expression.
    fn source(&mut self, v: Option<&Value>, at: &str) -> Sum {
        match v {
            Some(Value::String(s)) => self.path(s),
            Some(v) => self.expr(v, at),
            None => Sum::none(),
        }
    }

    fn exprs(&mut self, v: &Value, at: &str) -> Sum {
        let mut sum = Sum::none();
        if let Some(items) = v.as_array() {
            for (i, x) in items.iter().enumerate() {
                let s = self.expr(x, &self.sub(at, &i.to_string()));
                sum.join(&s);
            }
        }
        sum
    }

    /// An expression. Mirrors the compiler: an expression that walks a selection and reads no
    /// slot bound outside it is computed once per evaluation, so the scans inside it are
    /// judged only against the loops inside it.
    fn expr(&mut self, v: &Value, at: &str) -> Sum {
        let depth = self.names.len();
        let mark = self.pending.len();
        let (mut sum, walks) = match v {
            Value::Array(_) => (self.exprs(v, at), false),
            Value::Object(o) if o.len() == 1 => match o.iter().next() {
                Some((op, arg)) => {
                    let at = self.sub(at, op);
                    self.op(op, arg, &at)
                }
                None => (Sum::none(), false),
            },
            _ => (Sum::none(), false),
        };
        sum.deps.retain(|d| *d < depth);
        if walks && sum.lowest >= depth {
            // Computed once per evaluation: no loop outside it repeats it.
            self.pending.truncate(mark);
            sum.pushed = false;
        }
        sum
    }

    /// An operator; the summary and whether the compiler counts it as walking a selection.
    fn op(&mut self, op: &str, arg: &Value, at: &str) -> (Sum, bool) {
        let a = arg.as_object();
        let get = |k: &str| a.and_then(|a| a.get(k));
        match op {
            "get" => (arg.as_str().map_or_else(Sum::none, |p| self.path(p)), false),
            "lookup" | "resolves" | "backrefs" => {
                (self.source(get("id"), &self.sub(at, "id")).single(), false)
            }
            // A search in an index built once per evaluation: what it reads is its selection
            // and its bounds, and it scans nothing.
            "range" => {
                let mut sum = self.source(get("in"), &self.sub(at, "in"));
                for k in ["from", "to"] {
                    if let Some(x) = get(k) {
                        let s = self.expr(x, &self.sub(at, k));
                        sum.join(&s);
                    }
                }
                (sum.single(), false)
            }
            "filter" | "some" | "every" | "none" | "map" | "count_by" => {
                let body = match op {
                    "map" => "to",
                    "count_by" => "key",
                    _ => "where",
                };
                let probes = matches!(op, "filter" | "some" | "none");
                let s = self.binder(op, a, body, probes, false, at);
                let s = if matches!(op, "filter" | "map") {
                    s
                } else {
                    s.single()
                };
                (s, true)
            }
            "max" | "min" if get("by").is_some() => {
                (self.binder(op, a, "by", false, false, at).single(), true)
            }
            "count" | "max" | "min" | "sum" | "median" | "distinct" | "ordered" | "unique" => {
                let s = self.source(Some(arg), at);
                let s = self.aggregate(op, s, Some(arg), at);
                (
                    if matches!(op, "distinct" | "ordered") {
                        s
                    } else {
                        s.single()
                    },
                    true,
                )
            }
            "ascending" => {
                let s = self.source(get("in"), &self.sub(at, "in"));
                (self.aggregate(op, s, get("in"), at).single(), true)
            }
            "first" | "last" | "exists" | "nonempty" | "known" => {
                (self.source(Some(arg), at).single(), false)
            }
            "coalesce" | "union" => (self.exprs(arg, at), op == "union"),
            "and" | "or" | "days_between" | "ratio" | "eq" | "ne" | "lt" | "le" | "gt" | "ge"
            | "one_of" | "intersects" | "subset" | "refs_under" => (
                self.exprs(arg, at).single(),
                matches!(op, "intersects" | "subset"),
            ),
            "matches" => {
                let first = arg.as_array().and_then(|l| l.first());
                let s = first.map_or_else(Sum::none, |x| self.expr(x, &self.sub(at, "0")));
                (s.single(), false)
            }
            "not" => (self.expr(arg, at).single(), false),
            "let" => {
                let value = self.source(get("value"), &self.sub(at, "value"));
                let name = get("name").and_then(Value::as_str).map(str::to_owned);
                let body = get("in").cloned().unwrap_or(Value::Null);
                let sub = self.sub(at, "in");
                let mut sum = value.clone();
                let inner = self.scoped(name, false, value, |w, _| w.expr(&body, &sub));
                sum.join(&inner);
                sum.coll = inner.coll;
                (sum, false)
            }
            "if" => {
                let mut sum = self.expr(get("cond").unwrap_or(&Value::Null), &self.sub(at, "cond"));
                sum.coll = None;
                for k in ["then", "else"] {
                    if let Some(x) = get(k) {
                        let s = self.expr(x, &self.sub(at, k));
                        sum.join(&s);
                    }
                }
                (sum, false)
            }
            "date_add" | "within" | "period_text" | "period_gaps" | "schema" => {
                let mut sum = Sum::none();
                for k in ["date", "cadence", "start", "dates", "value"] {
                    if get(k).is_some() {
                        let s = self.source(get(k), &self.sub(at, k));
                        sum.join(&s);
                    }
                }
                for k in ["months", "days"] {
                    if let Some(x) = get(k) {
                        let s = self.expr(x, &self.sub(at, k));
                        sum.join(&s);
                    }
                }
                (sum.single(), op == "period_gaps")
            }
            other => match crate::lang::prelude::find(other) {
                Some(def) if !self.expanding.contains(&def.name.as_str()) => {
                    (self.call(def, arg, at), false)
                }
                // Constants and context (`const`, `as_of`, `tier`, `interval`, `catalogue`,
                // `tier_at_least`), which read nothing.
                _ => (Sum::none(), false),
            },
        }
    }

    /// An aggregate over a source: a scan when the source is a model collection read from a
    /// path (a selection computed in place is the scan itself).
    fn aggregate(&mut self, op: &str, mut s: Sum, src: Option<&Value>, at: &str) -> Sum {
        if let (Some(origin), true) = (&s.coll, is_path(src)) {
            s.pushed = true;
            self.pending.push(Site {
                pointer: at.to_owned(),
                what: format!("`{op}` of {origin}"),
                deps: s.deps.clone(),
                check: false,
                fixed_probe: false,
            });
        }
        s
    }

    /// A call of a prelude definition: its arguments here, then its body with each parameter
    /// bound to its argument (every node of the body is reported at the call).
    fn call(
        &mut self,
        def: &'static crate::lang::prelude::Definition,
        arg: &Value,
        at: &str,
    ) -> Sum {
        let mut bound: Vec<(String, Sum)> = Vec::new();
        let mut all = Sum::none();
        match def.params.as_slice() {
            [] => {}
            [only] if def.aliases.is_empty() => {
                let s = self.source(Some(arg), at);
                all.join(&s);
                bound.push((only.clone(), s));
            }
            params => {
                for p in params {
                    let key = if arg.get(p).is_some() {
                        Some(p.as_str())
                    } else {
                        def.aliases
                            .iter()
                            .find(|(name, ps)| ps.contains(p) && arg.get(name.as_str()).is_some())
                            .map(|(name, _)| name.as_str())
                    };
                    let s = match key {
                        Some(k) => self.source(arg.get(k), &self.sub(at, k)),
                        None => Sum::none(),
                    };
                    all.join(&s);
                    bound.push((p.clone(), s));
                }
            }
        }
        self.expanding.push(def.name.as_str());
        self.frozen += 1;
        let body = self.bind_all(bound, &def.body, at);
        self.frozen -= 1;
        self.expanding.pop();
        all.join(&body);
        all.coll = body.coll;
        all
    }

    fn bind_all(&mut self, mut bound: Vec<(String, Sum)>, body: &Value, at: &str) -> Sum {
        if bound.is_empty() {
            return self.expr(body, at);
        }
        let (name, value) = bound.remove(0);
        self.scoped(Some(name), false, value, |w, _| w.bind_all(bound, body, at))
    }

    /// A loop (`for_each` when `check`, else a binding operator) over `in`, binding each item
    /// while its `body_key` (and, for `for_each`, its `where`) is walked. Judges the scans
    /// waiting inside it when it goes over a model collection, and waits as a scan itself
    /// unless an index answers it.
    fn binder(
        &mut self,
        op: &str,
        a: Option<&Map<String, Value>>,
        body_key: &str,
        probes: bool,
        check: bool,
        at: &str,
    ) -> Sum {
        let get = |k: &str| a.and_then(|a| a.get(k));
        let src_text = get("in");
        let src = self.source(src_text, &self.sub(at, "in"));
        let root_src = self.root_path(src_text);
        let name = get("as").and_then(Value::as_str).map(str::to_owned);
        let item = match &name {
            Some(n) => format!("${n}"),
            None => "@".to_owned(),
        };
        let mark = self.pending.len();
        let where_key = if check { "where" } else { body_key };
        let (slot, cond, body, probe) = self.scoped(name, true, src.clone(), |w, slot| {
            let mut cond = Sum::none();
            let mut body = Sum::none();
            let mut probe = None;
            if let Some(c) = get(where_key) {
                if probes && root_src {
                    probe = w.probe(slot, c);
                }
                cond = w.expr(c, &w.sub(at, where_key));
            }
            if check && let Some(c) = get(body_key) {
                body = w.check(c, &w.sub(at, body_key));
            }
            (slot, cond, body, probe)
        });
        // What it selects (its source and condition): a `for_each` whose selection does not
        // depend on an outer item is a cross product, whatever its check reads.
        let mut selection = src.clone();
        selection.join(&cond);
        selection.deps.retain(|d| *d < slot);
        let mut sum = selection.clone();
        sum.join(&body);
        sum.deps.retain(|d| *d < slot);
        sum.pushed = false;
        let indexed = probe.as_ref().is_some_and(|p| !p.deps.is_empty());
        if let Some(origin) = &src.coll {
            let what = format!("the `{op}` over {origin}");
            self.judge(
                mark,
                &Outer {
                    slot,
                    pointer: at,
                    what: &what,
                    item,
                },
            );
            // A source computed in place that is a scan itself is reported once, there.
            if !indexed && !src.pushed {
                sum.pushed = true;
                self.pending.push(Site {
                    pointer: at.to_owned(),
                    what: format!("`{op}` over {origin}"),
                    deps: selection.deps.clone(),
                    check,
                    fixed_probe: probe.is_some(),
                });
            }
        }
        // What it keeps are the items related to an outer item when its selection depends on
        // one (the scan that found them is reported here); otherwise as many as its source.
        sum.coll = if indexed || !selection.deps.is_empty() {
            None
        } else {
            src.coll.clone()
        };
        sum
    }

    /// Whether `src` (a source) is a root path: the only sources an equality probe indexes.
    fn root_path(&self, src: Option<&Value>) -> bool {
        match src {
            Some(Value::String(s)) => self.is_root(s),
            Some(Value::Object(o)) => match o.get("get").and_then(Value::as_str) {
                Some(s) if o.len() == 1 => self.is_root(s),
                _ => false,
            },
            _ => false,
        }
    }

    fn is_root(&self, text: &str) -> bool {
        matches!(self.parse(text), Some((Base::Root, _)))
    }

    /// The equality probe that leads `cond` for a loop binding `slot`, as the compiler
    /// detects it (`probe::detect`): `eq` between a field of the item (no `*`) and a constant,
    /// a root path or a variable bound outside the loop. Its summary is that of the value
    /// compared with.
    fn probe(&self, slot: usize, cond: &Value) -> Option<Sum> {
        let lead = match cond.as_object().and_then(|o| o.iter().next()) {
            Some((k, v)) if k == "eq" => v,
            Some((k, v)) if k == "and" => v.as_array()?.first()?.get("eq")?,
            _ => return None,
        };
        let [x, y] = lead.as_array()?.as_slice() else {
            return None;
        };
        let get_path = |e: &Value| -> Option<String> {
            let o = e.as_object()?;
            (o.len() == 1).then_some(())?;
            o.get("get")?.as_str().map(str::to_owned)
        };
        let reads_item = |e: &Value| {
            get_path(e).is_some_and(|p| match self.parse(&p) {
                Some((Base::Slot(s), segs)) => s == slot && !segs.iter().any(|x| x == "*"),
                _ => false,
            })
        };
        let fixed = |e: &Value| -> Option<Sum> {
            match e {
                Value::Object(o) if o.len() == 1 && o.contains_key("const") => Some(Sum::none()),
                Value::Object(_) => {
                    let p = get_path(e)?;
                    match self.parse(&p)?.0 {
                        Base::Root => Some(Sum::none()),
                        Base::Slot(s) if s < slot => Some(self.path(&p)),
                        Base::Slot(_) => None,
                    }
                }
                Value::Array(_) => None,
                _ => Some(Sum::none()),
            }
        };
        if reads_item(x) {
            fixed(y)
        } else if reads_item(y) {
            fixed(x)
        } else {
            None
        }
    }

    /// Judges the scans waiting since `mark`, which run once per item of the loop `outer`
    /// over a model collection: a warning for a scan that depends on the loop's item, and for
    /// an expression that does not (recomputed for each item); a `for_each` that does not
    /// depend on it (a cross product) waits for the loops further out.
    fn judge(&mut self, mark: usize, outer: &Outer<'_>) {
        let waiting = self.pending.split_off(mark.min(self.pending.len()));
        for site in waiting {
            let joined = site.deps.contains(&outer.slot);
            if !joined && site.check {
                self.pending.push(site);
                continue;
            }
            let probe_note = if site.fixed_probe {
                " (the `eq` that leads its `where` compares with a value that is the same for \
                 every item, so its index leaves the same items each time)"
            } else {
                ""
            };
            let (message, help) = if joined {
                (
                    format!(
                        "{} runs once for each item of {} (at {}) and walks the whole \
                         collection each time{probe_note}: it relates each of its items to {} \
                         by a condition no index serves, so the rule costs the product of the \
                         two collections",
                        site.what, outer.what, outer.pointer, outer.item
                    ),
                    format!(
                        "select the related items by an index: `backrefs` (the entities whose \
                         field holds an id of {item}), or an `eq` between a field of the item \
                         and a value of {item} as the first condition of `where` (the first \
                         item of an `and`); or test membership with `one_of` against a set \
                         computed once (a `map` over the collection that reads no variable)",
                        item = outer.item
                    ),
                )
            } else {
                (
                    format!(
                        "{} runs once for each item of {} (at {}) and walks the whole \
                         collection each time{probe_note}, although it does not depend on {}: \
                         the rule costs the product of the two collections",
                        site.what, outer.what, outer.pointer, outer.item
                    ),
                    format!(
                        "compute it once: bind it with `let` before the loop over {}, where it \
                         reads no variable of the loop, so that it is computed once per \
                         evaluation",
                        outer.item
                    ),
                )
            };
            let mut issue = Issue::new(NESTED_SCAN, message, site.pointer);
            issue.help = Some(help);
            self.found.push(issue);
        }
    }

    /// A check.
    fn check(&mut self, v: &Value, at: &str) -> Sum {
        let Some((op, arg)) = v.as_object().and_then(|o| o.iter().next()) else {
            return Sum::none();
        };
        let at = &self.sub(at, op);
        let a = arg.as_object();
        let get = |k: &str| a.and_then(|a| a.get(k));
        match op.as_str() {
            "all" => {
                let mut sum = Sum::none();
                for (i, c) in arg.as_array().into_iter().flatten().enumerate() {
                    let s = self.check(c, &self.sub(at, &i.to_string()));
                    sum.join(&s);
                }
                sum
            }
            "for_each" => self.binder(op, a, "check", true, true, at),
            "assert" => {
                let mut sum = self.expr(get("that").unwrap_or(&Value::Null), &self.sub(at, "that"));
                if get("actual").is_some() {
                    let s = self.source(get("actual"), &self.sub(at, "actual"));
                    sum.join(&s);
                }
                sum
            }
            "when" => {
                let mut sum = self.expr(get("cond").unwrap_or(&Value::Null), &self.sub(at, "cond"));
                for k in ["then", "else"] {
                    if let Some(c) = get(k) {
                        let s = self.check(c, &self.sub(at, k));
                        sum.join(&s);
                    }
                }
                sum
            }
            "let" => {
                let value = self.source(get("value"), &self.sub(at, "value"));
                let name = get("name").and_then(Value::as_str).map(str::to_owned);
                let body = get("check").cloned().unwrap_or(Value::Null);
                let sub = self.sub(at, "check");
                let mut sum = value.clone();
                let inner = self.scoped(name, false, value, |w, _| w.check(&body, &sub));
                sum.join(&inner);
                sum
            }
            g if g.starts_with("graph_") => {
                // The graph's nodes are a model collection, and `where` runs once per node.
                let nodes = get("graph")
                    .and_then(|g| g.get("nodes"))
                    .and_then(Value::as_str)
                    .unwrap_or("processes");
                let origin = format!("/{}/*", escape(nodes));
                let Some(cond) = get("where") else {
                    return Sum::none();
                };
                let mark = self.pending.len();
                let coll = Sum {
                    coll: Some(origin.clone()),
                    ..Sum::none()
                };
                let (slot, sum) = self.scoped(Some("process".to_owned()), true, coll, |w, slot| {
                    (slot, w.expr(cond, &w.sub(at, "where")))
                });
                let what = format!("the nodes of `{g}` ({origin})");
                self.judge(
                    mark,
                    &Outer {
                        slot,
                        pointer: at,
                        what: &what,
                        item: "$process".to_owned(),
                    },
                );
                sum
            }
            _ => Sum::none(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;
    use serde_json::json;

    /// The warnings of a pack holding one rule with `check`.
    fn lint_check(check: Value) -> Vec<Issue> {
        let rule = json!({"rules": [{
            "id": "T-LINT-01", "title": "t", "clause_refs": ["4.4"], "aspect": "establish",
            "severity": "low", "tiers": ["startup"], "rationale": "r", "remediation": "r",
            "check": check
        }]});
        let files = vec![
            (
                "pack.json".to_owned(),
                json!({"id": "t", "version": "0.1.0", "title": "t"}).to_string(),
            ),
            (
                "rules.json".to_owned(),
                serde_json::to_string_pretty(&rule).unwrap(),
            ),
        ];
        // The pack compiles: the lint judges valid packs only.
        let pack = RulePack::from_files(&files).expect("the test pack compiles");
        lint(&pack)
    }

    fn pointers(issues: &[Issue]) -> Vec<&str> {
        issues.iter().map(|i| i.pointer.as_str()).collect()
    }

    fn assert_that(that: Value) -> Value {
        json!({"assert": {"that": that, "message": "m"}})
    }

    #[test]
    fn a_scan_join_warns_at_the_inner_selection() {
        let check = json!({"for_each": {"in": "/processes/*", "as": "p", "check": assert_that(
            json!({"some": {"in": "/process_runs/*",
                "where": {"and": [{"le": [{"get": "@/completed_on"}, {"as_of": true}]},
                                  {"eq": [{"get": "@/process_id"}, {"get": "$p/id"}]}]}}})
        )}});
        let found = lint_check(check);
        assert_eq!(
            pointers(&found),
            ["/rules/0/check/for_each/check/assert/that/some"]
        );
        let w = &found[0];
        assert_eq!(w.code, "AIMS-W-NESTED-SCAN");
        assert_eq!(w.rule_id.as_deref(), Some("T-LINT-01"));
        assert_eq!(w.file.as_deref(), Some("rules.json"));
        assert!(w.line.is_some() && w.column.is_some());
        assert!(
            w.message.contains("`some` over /process_runs/*"),
            "{}",
            w.message
        );
        assert!(
            w.message.contains("relates each of its items to $p"),
            "{}",
            w.message
        );
        assert!(w.help.as_deref().unwrap().contains("backrefs"));
    }

    #[test]
    fn an_eq_probe_on_the_outer_item_does_not_warn() {
        // The same condition with the `eq` first: an index of the runs by process_id.
        let check = json!({"for_each": {"in": "/processes/*", "as": "p", "check": assert_that(
            json!({"some": {"in": "/process_runs/*",
                "where": {"and": [{"eq": [{"get": "@/process_id"}, {"get": "$p/id"}]},
                                  {"le": [{"get": "@/completed_on"}, {"as_of": true}]}]}}})
        )}});
        assert!(lint_check(check).is_empty());
        // Either side of the `eq`, and a `for_each … where`, and `@` for the outer item.
        let check = json!({"for_each": {"in": "/processes/*", "check": {"for_each": {
            "in": "/process_runs/*", "as": "r",
            "where": {"eq": [{"get": "@/id"}, {"get": "$r/process_id"}]},
            "check": assert_that(json!(true))}}}});
        // `@/id` inside the inner loop reads the run, and `$r/process_id` too: no probe of
        // the outer item, and the inner loop depends on nothing outside it.
        assert!(lint_check(check).is_empty());
    }

    #[test]
    fn a_probe_on_a_fixed_value_still_scans_when_the_join_follows() {
        let check = json!({"for_each": {"in": "/audits/*", "as": "a", "check": assert_that(
            json!({"some": {"in": "/processes/*", "where": {"and": [
                {"eq": [{"get": "@/status"}, "active"]},
                {"one_of": [{"get": "@/id"}, {"get": "$a/scope_process_ids"}]}]}}})
        )}});
        let found = lint_check(check);
        assert_eq!(
            pointers(&found),
            ["/rules/0/check/for_each/check/assert/that/some"]
        );
        assert!(found[0].message.contains("same for every item"));
    }

    #[test]
    fn a_range_window_per_outer_item_does_not_warn_and_the_filter_it_replaces_does() {
        let window = |sel: Value| {
            json!({"for_each": {"in": "/audits/*", "as": "a", "check": {"let": {"name": "w",
                "value": sel, "check": assert_that(json!({"nonempty": "$w"}))}}}})
        };
        let range = json!({"range": {"in": "/management_reviews/*", "by": {"get": "@/held_on"},
            "from": {"get": "$a/completed_on"}}});
        assert!(lint_check(window(range)).is_empty());
        let filter = json!({"filter": {"in": "/management_reviews/*",
            "where": {"ge": [{"get": "@/held_on"}, {"get": "$a/completed_on"}]}}});
        assert_eq!(lint_check(window(filter)).len(), 1);
    }

    #[test]
    fn backrefs_and_lookup_do_not_warn() {
        let check = json!({"for_each": {"in": "/processes/*", "as": "p", "check": {"let": {
            "name": "runs",
            "value": {"backrefs": {"from": "process_runs", "field": "process_id", "id": {"get": "$p/id"}}},
            "check": assert_that(json!({"and": [
                {"some": {"in": "$runs", "where": {"le": [{"get": "@/completed_on"}, {"as_of": true}]}}},
                {"resolves": {"in": "roles", "id": {"get": "$p/owner_role_id"}}}]}))}}}});
        assert!(lint_check(check).is_empty());
    }

    #[test]
    fn membership_in_a_set_computed_once_does_not_warn() {
        let check = json!({"for_each": {"in": "/processes/*", "as": "p", "check": assert_that(
            json!({"one_of": [{"get": "$p/id"},
                {"map": {"in": "/process_runs/*", "to": {"get": "@/process_id"}}}]})
        )}});
        assert!(lint_check(check).is_empty());
        // A root path read whole is a value, not a scan.
        let check = json!({"for_each": {"in": "/processes/*", "as": "p", "check": assert_that(
            json!({"one_of": [{"get": "$p/id"}, {"get": "/process_runs/*/process_id"}]})
        )}});
        assert!(lint_check(check).is_empty());
    }

    #[test]
    fn a_selection_through_a_variable_of_the_whole_collection_warns() {
        // `$runs` holds every run: a `filter` of it is no probe, whatever its condition.
        let check = json!({"let": {"name": "runs", "value": "/process_runs/*", "check":
            {"for_each": {"in": "/processes/*", "as": "p", "check": assert_that(
                json!({"nonempty": {"filter": {"in": "$runs",
                    "where": {"eq": [{"get": "@/process_id"}, {"get": "$p/id"}]}}}}))}}}});
        let found = lint_check(check);
        assert_eq!(
            pointers(&found),
            ["/rules/0/check/let/check/for_each/check/assert/that/nonempty/filter"]
        );
        assert!(found[0].message.contains("`filter` over /process_runs/*"));
    }

    #[test]
    fn a_cross_product_of_for_each_does_not_warn_but_a_recomputed_expression_does() {
        // Every management system × every active process: each pair is a possible finding.
        let check = json!({"for_each": {"in": "/organization/management_systems/*", "as": "ms",
            "check": {"for_each": {"in": "/processes/*", "as": "p",
                "where": {"refs_under": [{"get": "@/clause_refs"}, ["9.2"]]},
                "check": assert_that(json!({"one_of": [{"get": "$p/id"}, {"get": "$ms/shared_process_ids"}]}))}}}});
        assert!(lint_check(check).is_empty());
        // An expression that reads nothing of the loop is computed once per evaluation...
        let check = json!({"for_each": {"in": "/processes/*", "as": "p", "check": assert_that(
            json!({"some": {"in": "/audits/*", "where": {"le": [{"get": "@/completed_on"}, {"as_of": true}]}}}))}});
        assert!(lint_check(check).is_empty());
        // ...but one that reads a variable bound outside it is recomputed for each process.
        let check = json!({"let": {"name": "d", "value": {"as_of": true}, "check":
            {"for_each": {"in": "/processes/*", "as": "p", "check": assert_that(
                json!({"some": {"in": "/audits/*", "where": {"le": [{"get": "@/completed_on"}, {"get": "$d"}]}}}))}}}});
        let found = lint_check(check);
        assert_eq!(
            pointers(&found),
            ["/rules/0/check/let/check/for_each/check/assert/that/some"]
        );
        assert!(found[0].message.contains("does not depend on $p"));
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap()
                .contains("`let` before the loop")
        );
    }

    #[test]
    fn a_cross_product_joined_further_out_warns_at_the_loop_it_joins() {
        let inner = json!({"for_each": {"in": "/process_runs/*", "as": "r",
            "where": {"le": [{"get": "@/completed_on"}, {"get": "$a/completed_on"}]},
            "check": assert_that(json!(true))}});
        let check = json!({"for_each": {"in": "/audits/*", "as": "a", "check":
            {"for_each": {"in": "/processes/*", "check": inner}}}});
        let found = lint_check(check);
        assert_eq!(
            pointers(&found),
            ["/rules/0/check/for_each/check/for_each/check/for_each"]
        );
        assert!(found[0].message.contains("relates each of its items to $a"));
    }

    #[test]
    fn a_loop_over_a_small_list_is_no_outer_loop_and_a_scan_inside_a_computed_once_expression_is_judged_inside_it()
     {
        // The inner loop walks each process's own inputs: no model collection.
        let check = json!({"for_each": {"in": "/processes/*", "as": "p", "check":
            {"for_each": {"in": "$p/inputs/*", "check": assert_that(json!({"exists": "@/artifact"}))}}}});
        assert!(lint_check(check).is_empty());
        // A filter computed once whose own condition scans the runs per process: the join is
        // inside it.
        let check = assert_that(
            json!({"nonempty": {"filter": {"in": "/processes/*", "as": "p",
            "where": {"some": {"in": "/process_runs/*",
                "where": {"ne": [{"get": "@/process_id"}, {"get": "$p/id"}]}}}}}}),
        );
        assert_eq!(
            pointers(&lint_check(check)),
            ["/rules/0/check/assert/that/nonempty/filter/where/some"]
        );
    }

    #[test]
    fn a_graph_check_where_is_a_loop_over_its_nodes() {
        let check = json!({"graph_isolated": {"message": "m", "where": {"some": {
            "in": "/process_runs/*", "where": {"ne": [{"get": "@/process_id"}, {"get": "$process/id"}]}}}}});
        assert_eq!(
            pointers(&lint_check(check)),
            ["/rules/0/check/graph_isolated/where/some"]
        );
    }

    #[test]
    fn a_root_path_without_a_wildcard_naming_an_array_is_a_collection() {
        assert!(schema_array(&["processes".to_owned()]));
        assert!(!schema_array(&["aims".to_owned()]));
        assert!(!schema_array(&["nope".to_owned()]));
        let check = json!({"for_each": {"in": "/processes", "as": "p", "check": assert_that(
            json!({"every": {"in": "/roles", "where": {"ne": [{"get": "@/id"}, {"get": "$p/owner_role_id"}]}}}))}});
        assert_eq!(
            pointers(&lint_check(check)),
            ["/rules/0/check/for_each/check/assert/that/every"]
        );
    }

    #[test]
    fn the_probe_rule_is_the_compilers() {
        // Each condition, as the compiler detects a probe of `some` over a root path, and as
        // the lint does.
        let conds = [
            (json!({"eq": [{"get": "@/a"}, "x"]}), true),
            (json!({"eq": ["x", {"get": "@/a"}]}), true),
            (json!({"eq": [{"get": "@/a"}, {"get": "$o/id"}]}), true),
            (json!({"eq": [{"get": "@/a"}, {"get": "/aims/x"}]}), true),
            (json!({"eq": [{"get": "@/a"}, {"const": "x"}]}), true),
            (
                json!({"and": [{"eq": [{"get": "@/a"}, 1]}, {"known": "@/b"}]}),
                true,
            ),
            (
                json!({"and": [{"known": "@/b"}, {"eq": [{"get": "@/a"}, 1]}]}),
                false,
            ),
            (json!({"eq": [{"get": "@/a/*"}, "x"]}), false),
            (json!({"eq": [{"get": "@/a"}, ["x"]]}), false),
            (json!({"eq": [{"get": "@/a"}, {"get": "@/b"}]}), false),
            (
                json!({"eq": [{"get": "@/a"}, {"lookup": {"in": "roles", "id": "x"}}]}),
                false,
            ),
            (json!({"one_of": [{"get": "@/a"}, ["x"]]}), false),
        ];
        for (cond, expected) in conds {
            let e = json!({"let": {"name": "o", "value": "/aims", "in":
                {"some": {"in": "/processes/*", "where": cond}}}});
            let mut c = crate::lang::compile::Compiler::new();
            let compiled = c.expr(&e, "");
            let crate::lang::Expr::Let { body, .. } = compiled else {
                panic!("a let")
            };
            let quant = match *body {
                crate::lang::Expr::Memo { expr, .. } | crate::lang::Expr::Keyed { expr, .. } => {
                    *expr
                }
                other => other,
            };
            let probed = match quant {
                crate::lang::Expr::Quant { probe, .. } => probe.is_some(),
                other => panic!("a quantifier: {other:?}"),
            };
            assert_eq!(probed, expected, "compiler on {cond}");
            let mut w = Walker::default();
            let seen = w.scoped(Some("o".to_owned()), false, Sum::none(), |w, _| {
                w.scoped(None, true, Sum::none(), |w, slot| {
                    w.probe(slot, &cond).is_some()
                })
            });
            assert_eq!(seen, expected, "lint on {cond}");
        }
    }

    #[test]
    fn the_default_pack_has_no_nested_scan() {
        // Read by hand from the rules: AIMS-OPS-02 lists the implemented controls citing an
        // evidence ref by `backrefs` over the Statement of Applicability entries; AIMS-MR-03's
        // windows of dates are `range`s; AIMS-SUP-03 and AIMS-DATA-01 list the in-scope systems
        // by `backrefs` and `lookup` put in model order by `ordered`.
        let found = lint(&RulePack::embedded().unwrap());
        let found: Vec<(Option<&str>, &str)> = found
            .iter()
            .map(|i| (i.rule_id.as_deref(), i.pointer.as_str()))
            .collect();
        assert_eq!(found, []);
    }
}
