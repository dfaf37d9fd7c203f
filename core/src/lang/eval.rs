//! Evaluates compiled checks and expressions over a model.

use super::jref::JRef;
use super::members::{SetCache, members};
use super::probe::{self, EqIndex, IndexKey};
use super::{
    Base, Check, Cmp, Expr, IfNone, Key, Part, Path, Period, Quant, Seg, Template, Tier, Tri, Val,
};
use crate::catalogue;
use crate::date::{self, Unit};
use crate::doc::{Doc, Kind, NodeId, Sym};
use crate::error::codes;
use crate::locate::escape;
use crate::model::Model;
use crate::report::{Finding, FindingKind, MAX_ACTUAL_ITEMS};
use chrono::NaiveDate;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::rc::Rc;
use std::sync::LazyLock;
use std::time::Instant;

/// The ids of the catalogue's clauses and of its Annex A controls, as JSON strings made once:
/// `catalogue` reads them in place.
static CLAUSE_IDS: LazyLock<Vec<Value>> = LazyLock::new(|| catalogue_ids(catalogue::CLAUSES));
static CONTROL_IDS: LazyLock<Vec<Value>> = LazyLock::new(|| catalogue_ids(catalogue::CONTROLS));

fn catalogue_ids(list: &[(&str, &str)]) -> Vec<Value> {
    list.iter()
        .map(|(id, _)| Value::String((*id).to_owned()))
        .collect()
}

/// Most cadence periods `period_gaps` walks through.
const MAX_PERIODS: usize = 10_000;

/// Steps taken between two readings of the clock when a deadline is set (well under a
/// millisecond of evaluation).
const DEADLINE_CHUNK: u64 = 1 << 16;

/// The limits of one evaluation's work.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    /// Steps each rule and each indicator may take.
    pub per_rule: u64,
    /// Steps the whole evaluation may take.
    pub total: u64,
    /// When the evaluation must stop.
    pub deadline: Option<Instant>,
}

/// A limit of the evaluation's work that ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    /// The step budget of one rule or indicator.
    Rule,
    /// The step budget of the whole evaluation.
    Total,
    /// The time limit.
    Deadline,
}

impl Limit {
    /// The option that sets the limit, as the report names it.
    pub fn option(self) -> &'static str {
        match self {
            Limit::Rule => "max_steps_per_rule",
            Limit::Total => "max_steps_total",
            Limit::Deadline => "timeout",
        }
    }

    fn message(self, per_rule: u64, total: u64) -> String {
        match self {
            Limit::Rule => format!(
                "stopped after {per_rule} evaluation steps, the step budget of each rule and \
                 indicator (max_steps_per_rule): the check does too much work on this model"
            ),
            Limit::Total => format!(
                "not finished: the evaluation as a whole used its budget of {total} steps \
                 (max_steps_total) before this rule or indicator was done; the model makes \
                 the rules do too much work"
            ),
            Limit::Deadline => "not finished: the evaluation reached its time limit (timeout) \
                 before this rule or indicator was done"
                .to_owned(),
        }
    }
}

/// An error that stops one rule (reported as status `error`).
#[derive(Debug, Clone)]
pub(crate) struct EvalError {
    /// Stable code: `AIMS-E-EVAL`, or `AIMS-E-BUDGET` when the step budget ran out.
    pub code: &'static str,
    /// What went wrong.
    pub message: String,
}

impl EvalError {
    /// A run-time error of the rule language (`AIMS-E-EVAL`).
    pub fn new(message: impl Into<String>) -> Self {
        EvalError {
            code: codes::EVAL,
            message: message.into(),
        }
    }
}

pub(crate) type R<T> = Result<T, EvalError>;

type Index<'a> = Rc<HashMap<String, Rc<Vec<Val<'a>>>>>;

/// What evaluation reads: the model, the date, the tier, and caches built once per model.
pub(crate) struct Ctx<'a> {
    pub model: &'a Model,
    /// The model's document, which every model node of a value belongs to.
    pub doc: &'a Doc,
    pub as_of: NaiveDate,
    as_of_text: &'a Value,
    /// The root's arrays (its collections) by name.
    collections: HashMap<&'a str, NodeId>,
    pub tier: Tier,
    pub max_findings: usize,
    /// The step budget each rule and indicator starts with.
    max_steps: u64,
    /// Steps left in the running chunk of the budget: one per expression evaluated and per
    /// check run, one per item a loop or an aggregate goes over. A chunk is taken from both the
    /// rule's budget and the evaluation's, and ends early when a deadline is set, so that the
    /// clock is read between chunks and never per step.
    steps_left: Cell<u64>,
    /// Steps of the running rule or indicator not yet in a chunk.
    rule_left: Cell<u64>,
    /// Steps of the whole evaluation not yet in a chunk.
    total_left: Cell<u64>,
    /// The step budget of the whole evaluation.
    max_steps_total: u64,
    /// When the evaluation must stop, if the caller set a time limit.
    deadline: Option<Instant>,
    /// The limit of the whole evaluation that ran out: every rule after it stops at once.
    stopped: Cell<Option<Limit>>,
    /// Whether a rule or indicator has started its budget.
    started: Cell<bool>,
    backrefs: RefCell<HashMap<(String, Vec<Seg>), Index<'a>>>,
    graphs: RefCell<HashMap<String, Rc<super::graph::Built>>>,
    eq_indexes: RefCell<HashMap<IndexKey, Rc<EqIndex<'a>>>>,
    /// The same indexes by the addresses of the probe's paths (no key built per probe).
    eq_index_sites: RefCell<HashMap<(usize, usize), Rc<EqIndex<'a>>>>,
    memos: RefCell<HashMap<&'a str, Val<'a>>>,
    /// The values of keyed expressions ([`super::keyed`]).
    pub(crate) keyed: RefCell<super::keyed::KeyedCache<'a>>,
    /// The hashed sets of the lists membership tests have gone through.
    pub(crate) sets: RefCell<SetCache<'a>>,
    /// The items selected by each `for_each` whose selection is fixed, by the loop's address.
    loops: RefCell<HashMap<usize, Rc<Vec<Val<'a>>>>>,
    /// The sorted indexes `range` has built.
    pub(crate) ranges: RefCell<super::ranges::RangeCache<'a>>,
    /// The document's symbol of each numbered path key ([`Key`]), looked up on first use:
    /// `None` not yet, `Some(None)` when no object of the model has that key.
    syms: Vec<Cell<Option<Option<Sym>>>>,
}

/// Slots bound by `for_each`, quantifiers and `let`.
pub(crate) type Env<'a> = Vec<Val<'a>>;

/// What one rule's check found.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub findings: Vec<Finding>,
    pub violations: usize,
    pub missing: usize,
    pub checked: usize,
    pub applicable: bool,
    pub reason: Option<String>,
}

impl<'a> Ctx<'a> {
    /// A context for one evaluation; `as_of_text` is `as_of` as a `YYYY-MM-DD` string.
    pub fn new(
        model: &'a Model,
        as_of: NaiveDate,
        as_of_text: &'a Value,
        tier: Tier,
        max_findings: usize,
        budget: Budget,
    ) -> Self {
        let doc = model.doc();
        Ctx {
            model,
            doc,
            as_of,
            as_of_text,
            collections: doc
                .members(doc.root())
                .filter(|(_, c)| doc.kind(*c) == Kind::Array)
                .collect(),
            tier,
            max_findings,
            max_steps: budget.per_rule,
            steps_left: Cell::new(0),
            rule_left: Cell::new(budget.per_rule),
            total_left: Cell::new(budget.total),
            max_steps_total: budget.total,
            deadline: budget.deadline,
            stopped: Cell::new(None),
            started: Cell::new(false),
            backrefs: RefCell::new(HashMap::new()),
            graphs: RefCell::new(HashMap::new()),
            eq_indexes: RefCell::new(HashMap::new()),
            eq_index_sites: RefCell::new(HashMap::new()),
            memos: RefCell::new(HashMap::new()),
            keyed: RefCell::default(),
            sets: RefCell::new(SetCache::default()),
            ranges: RefCell::new(super::ranges::RangeCache::default()),
            loops: RefCell::new(HashMap::new()),
            syms: vec![Cell::new(None); Key::count()],
        }
    }

    /// The document's symbol of `key`, if some object of the model has that key.
    #[inline]
    fn sym(&self, key: &Key) -> Option<Sym> {
        // A key numbered after this evaluation started (a pack compiled meanwhile on another
        // thread) has no slot: it is looked up by its text.
        let Some(slot) = usize::try_from(key.id).ok().and_then(|i| self.syms.get(i)) else {
            return self.doc.sym(&key.text);
        };
        match slot.get() {
            Some(known) => known,
            None => {
                let found = self.doc.sym(&key.text);
                slot.set(Some(found));
                found
            }
        }
    }

    /// Starts the step budget of a rule or an indicator.
    pub fn start_budget(&self) {
        self.return_chunk();
        self.rule_left.set(self.max_steps);
        self.started.set(true);
    }

    /// Forgets which rule or indicator ran last: [`Ctx::steps_taken`] is 0 until the next
    /// one starts its budget.
    pub fn forget_steps(&self) {
        self.return_chunk();
        self.started.set(false);
    }

    /// Steps taken by the rule or indicator evaluated last (0 if none has started since
    /// [`Ctx::forget_steps`]).
    pub fn steps_taken(&self) -> u64 {
        let left = self.rule_left.get().saturating_add(self.steps_left.get());
        if self.started.get() {
            self.max_steps.saturating_sub(left)
        } else {
            0
        }
    }

    /// The limit of the whole evaluation that ran out, if one did.
    pub fn stopped(&self) -> Option<Limit> {
        self.stopped.get()
    }

    /// Takes one step of the budget: an error once it is spent.
    #[inline]
    pub fn step(&self) -> R<()> {
        let left = self.steps_left.get();
        if left == 0 {
            return self.refill(1);
        }
        self.steps_left.set(left - 1);
        Ok(())
    }

    /// Takes `n` steps of the budget (one per item of a collection gone over).
    #[inline]
    pub fn charge(&self, n: usize) -> R<()> {
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        let left = self.steps_left.get();
        if n > left {
            return self.refill(n);
        }
        self.steps_left.set(left - n);
        Ok(())
    }

    /// Gives the steps left in the running chunk back to the rule's and the evaluation's
    /// budgets.
    fn return_chunk(&self) {
        let rest = self.steps_left.replace(0);
        self.rule_left
            .set(self.rule_left.get().saturating_add(rest));
        self.total_left
            .set(self.total_left.get().saturating_add(rest));
    }

    /// Takes `n` steps beyond the running chunk, and the next chunk: an error when a limit
    /// runs out (the rule's budget, the evaluation's, or the deadline).
    #[cold]
    #[inline(never)]
    fn refill(&self, n: u64) -> R<()> {
        self.return_chunk();
        if let Some(limit) = self.stopped.get() {
            return Err(self.over(limit));
        }
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            self.stopped.set(Some(Limit::Deadline));
            return Err(self.over(Limit::Deadline));
        }
        let (rule, total) = (self.rule_left.get(), self.total_left.get());
        if n > rule.min(total) {
            if total < rule {
                self.total_left.set(0);
                self.stopped.set(Some(Limit::Total));
                return Err(self.over(Limit::Total));
            }
            self.rule_left.set(0);
            return Err(self.over(Limit::Rule));
        }
        let (rule, total) = (rule - n, total - n);
        let most = if self.deadline.is_some() {
            DEADLINE_CHUNK
        } else {
            u64::MAX
        };
        let chunk = rule.min(total).min(most);
        self.rule_left.set(rule - chunk);
        self.total_left.set(total - chunk);
        self.steps_left.set(chunk);
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn over(&self, limit: Limit) -> EvalError {
        EvalError {
            code: codes::BUDGET,
            message: limit.message(self.max_steps, self.max_steps_total),
        }
    }

    /// The items of `v`, one step each.
    fn items_of(&self, v: Val<'a>) -> R<Vec<Val<'a>>> {
        let items = v.items();
        self.charge(items.len())?;
        Ok(items)
    }

    /// The model root.
    pub fn root(&self) -> JRef<'a> {
        JRef::Doc(self.doc, self.doc.root())
    }

    /// The equality index built earlier in this evaluation under `key`.
    pub fn eq_index(&self, key: &IndexKey) -> Option<Rc<EqIndex<'a>>> {
        self.eq_indexes.borrow().get(key).cloned()
    }

    /// The equality index a probe at `site` (its paths' addresses) found earlier.
    pub fn eq_index_at(&self, site: (usize, usize)) -> Option<Rc<EqIndex<'a>>> {
        self.eq_index_sites.borrow().get(&site).cloned()
    }

    /// Keeps the equality index of a probe at `site`.
    pub fn keep_eq_index_at(&self, site: (usize, usize), index: Rc<EqIndex<'a>>) {
        self.eq_index_sites.borrow_mut().insert(site, index);
    }

    /// The items of a selection, shared when it is one already: one step per item.
    fn shared_items(&self, v: Val<'a>) -> R<Rc<Vec<Val<'a>>>> {
        match v {
            Val::List(l) => {
                self.charge(l.len())?;
                Ok(l)
            }
            other => Ok(Rc::new(self.items_of(other)?)),
        }
    }

    /// Keeps an equality index for the rest of this evaluation.
    pub fn keep_eq_index(&self, key: IndexKey, index: Rc<EqIndex<'a>>) {
        self.eq_indexes.borrow_mut().insert(key, index);
    }

    /// The graph read earlier in this evaluation under `key`.
    pub fn graph(&self, key: &str) -> Option<Rc<super::graph::Built>> {
        self.graphs.borrow().get(key).cloned()
    }

    /// Keeps a graph for the rest of this evaluation.
    pub fn keep_graph(&self, key: &str, graph: Rc<super::graph::Built>) {
        self.graphs.borrow_mut().insert(key.to_owned(), graph);
    }

    /// `aims.planned_intervals.<name>` in its unit (months, or days for a `_days` name), its
    /// default when absent; an error when it is a number no date can be moved by.
    pub fn interval(&self, name: &str) -> R<(i64, Unit)> {
        let (unit, default) = super::compile::planned_interval(name).unwrap_or((Unit::Month, 12));
        let given = self
            .root()
            .get("aims")
            .and_then(|a| a.get("planned_intervals"))
            .and_then(|p| p.get(name));
        Ok((whole(given, unit.plural())?.unwrap_or(default), unit))
    }

    /// `aims.grace_days`, 0 when absent; an error when it is a number no date can be moved by.
    pub fn grace_days(&self) -> R<i64> {
        let days = self.root().get("aims").and_then(|a| a.get("grace_days"));
        Ok(whole(days, "days")?.unwrap_or(0))
    }

    /// The root array `name` (a collection).
    pub fn collection(&self, name: &str) -> Option<NodeId> {
        self.collections.get(name).copied()
    }

    /// The array `from` names: a collection, or the path of an array from the root
    /// (`statement_of_applicability/entries`).
    fn array_at(&self, from: &str) -> Option<NodeId> {
        if !from.contains('/') {
            return self.collection(from);
        }
        let id = self.doc.pointer_get(&format!("/{from}"))?;
        (self.doc.kind(id) == Kind::Array).then_some(id)
    }

    fn entity(&self, coll: &str, idx: usize) -> Option<Val<'a>> {
        let id = self.doc.item(self.collection(coll)?, idx)?;
        Some(Val::Node(self.doc, id))
    }

    /// Items of `coll` whose `field` (a relative path, maybe with `*`) holds `id`.
    fn backrefs(&self, coll: &str, field: &[Seg], id: &str) -> Rc<Vec<Val<'a>>> {
        let key = (coll.to_owned(), field.to_vec());
        let cached = self.backrefs.borrow().get(&key).cloned();
        let index = match cached {
            Some(i) => i,
            None => {
                let mut map: HashMap<String, Vec<Val<'a>>> = HashMap::new();
                let mut last: HashMap<&str, NodeId> = HashMap::new();
                let items = self.array_at(coll).map(|c| self.doc.item_ids(c));
                for item in items.into_iter().flatten() {
                    let mut found = Vec::new();
                    raw_walk(JRef::Doc(self.doc, item), field, &mut found);
                    for v in found {
                        if let Some(s) = v.as_str()
                            && last.insert(s, item) != Some(item)
                        {
                            map.entry(s.to_owned())
                                .or_default()
                                .push(Val::Node(self.doc, item));
                        }
                    }
                }
                let rc = Rc::new(map.into_iter().map(|(k, v)| (k, Rc::new(v))).collect());
                self.backrefs.borrow_mut().insert(key, Rc::clone(&rc));
                rc
            }
        };
        index.get(id).cloned().unwrap_or_default()
    }

    fn lookup(&self, colls: &[String], id: &str) -> Option<Val<'a>> {
        colls.iter().find_map(|c| {
            self.model
                .index_of(c, id)
                .and_then(|i| self.entity(c.as_str(), i))
        })
    }
}

fn raw_walk<'v>(v: JRef<'v>, segs: &[Seg], out: &mut Vec<JRef<'v>>) {
    match segs.split_first() {
        None => out.push(v),
        Some((Seg::Wild, rest)) => match v.kind() {
            Kind::Array => v.items().for_each(|x| raw_walk(x, rest, out)),
            Kind::Object => v.values().for_each(|x| raw_walk(x, rest, out)),
            _ => {}
        },
        Some((Seg::Key(k), rest)) => {
            if let Some(c) = v.child(k) {
                raw_walk(c, rest, out);
            }
        }
    }
}

fn child<'a>(v: &Val<'a>, k: &str) -> Val<'a> {
    match v {
        Val::Node(..) | Val::Lit(_) => v
            .node()
            .and_then(|j| j.child(k))
            .map_or(Val::Missing, Val::from_ref),
        Val::Own(v) => JRef::Value(v)
            .child(k)
            .map_or(Val::Missing, |c| Val::Own(c.to_value())),
        _ => Val::Missing,
    }
}

/// [`child`] under a compiled key: a member of a model object is found by the key's symbol.
#[inline]
fn child_key<'a>(ctx: &Ctx<'a>, v: &Val<'a>, k: &Key) -> Val<'a> {
    if let Val::Node(d, id) = v
        && std::ptr::eq(*d, ctx.doc)
        && d.kind(*id) == Kind::Object
    {
        return ctx
            .sym(k)
            .and_then(|s| d.get_sym(*id, s))
            .map_or(Val::Missing, |c| Val::Node(d, c));
    }
    child(v, k)
}

fn children<'a>(v: Val<'a>) -> Vec<Val<'a>> {
    match v {
        Val::Own(Value::Object(o)) => o.into_iter().map(|(_, c)| Val::Own(c)).collect(),
        v => match v.node() {
            Some(j) if j.kind() == Kind::Object => j.values().map(Val::from_ref).collect(),
            _ => v.items(),
        },
    }
}

fn walk<'a>(ctx: &Ctx<'a>, v: Val<'a>, segs: &[Seg], out: &mut Vec<Val<'a>>) {
    if let Val::List(items) = v {
        for i in items.iter() {
            walk(ctx, i.clone(), segs, out);
        }
        return;
    }
    match segs.split_first() {
        None => {
            if !matches!(v, Val::Missing) {
                out.push(v);
            }
        }
        Some((Seg::Wild, rest)) => {
            for c in children(v) {
                walk(ctx, c, rest, out);
            }
        }
        Some((Seg::Key(k), rest)) => {
            let c = child_key(ctx, &v, k);
            if !matches!(c, Val::Missing) {
                walk(ctx, c, rest, out);
            }
        }
    }
}

fn base<'a>(ctx: &Ctx<'a>, b: Base, env: &Env<'a>) -> Val<'a> {
    match b {
        Base::Root => Val::Node(ctx.doc, ctx.doc.root()),
        Base::Slot(i) => env.get(i).cloned().unwrap_or(Val::Missing),
    }
}

pub(crate) fn get<'a>(ctx: &Ctx<'a>, p: &Path, env: &Env<'a>) -> Val<'a> {
    let start = base(ctx, p.base, env);
    if p.segs.is_empty() {
        // A bound value read whole: a selection is shared, not copied.
        return start;
    }
    let multi = p.has_wildcard() || matches!(start, Val::List(_));
    if !multi {
        // One node at most: follow the keys without collecting.
        let mut cur = start;
        for seg in &p.segs {
            if let Seg::Key(k) = seg {
                cur = child_key(ctx, &cur, k);
                if matches!(cur, Val::Missing) {
                    break;
                }
            }
        }
        return cur;
    }
    let mut out = Vec::new();
    walk(ctx, start, &p.segs, &mut out);
    Val::list(out)
}

/// The pointer a finding at `p` should carry: as deep as the model goes, then the
/// path's remaining steps as written (so a missing field still gets its own pointer).
fn intended_pointer<'a>(ctx: &Ctx<'a>, p: &Path, env: &Env<'a>) -> String {
    let mut cur = base(ctx, p.base, env);
    if cur.ptr().is_none() {
        // A constant, a computed value or nothing: there is no node to point into.
        return String::new();
    }
    let mut tail = String::new();
    for seg in &p.segs {
        match seg {
            Seg::Wild => break,
            Seg::Key(k) => {
                if tail.is_empty() {
                    let next = child(&cur, k);
                    if matches!(next, Val::Node(..)) {
                        cur = next;
                        continue;
                    }
                }
                tail.push('/');
                tail.push_str(&escape(k));
            }
        }
    }
    format!("{}{tail}", cur.ptr().unwrap_or_default())
}

fn render<'a>(ctx: &Ctx<'a>, t: &Template, env: &Env<'a>) -> String {
    let mut s = String::new();
    for part in &t.parts {
        match part {
            Part::Text(x) => s.push_str(x),
            Part::Value(p, fallback) => {
                let v = get(ctx, p, env);
                match fallback {
                    Some(text) if v.is_blank() => s.push_str(text),
                    _ => s.push_str(&v.display()),
                }
            }
        }
    }
    s
}

fn entity_id(root: JRef<'_>, pointer: &str) -> Option<String> {
    let mut it = pointer.split('/').skip(1);
    let coll = it.next()?;
    let idx: usize = it.next()?.parse().ok()?;
    root.get(&crate::locate::unescape(coll))?
        .item(idx)?
        .get("id")?
        .as_str()
        .map(str::to_owned)
}

pub(crate) fn cmp_json(a: JRef<'_>, b: JRef<'_>) -> R<Ordering> {
    match (a.kind(), b.kind()) {
        (Kind::Number, Kind::Number) => {
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            Ok(x.partial_cmp(&y).unwrap_or(Ordering::Equal))
        }
        (Kind::String, Kind::String) => Ok(a.as_str().cmp(&b.as_str())),
        _ => Err(EvalError::new(format!("cannot compare {a} with {b}"))),
    }
}

/// A key that is equal for two values exactly when `json_eq` holds (top-level numbers by value).
pub(crate) fn eq_key(v: JRef<'_>) -> String {
    match v.as_number() {
        Some(n) => match n.as_f64() {
            // -0 and 0 are equal numbers.
            Some(f) => format!("#{:?}", if f == 0.0 { 0.0 } else { f }),
            None => n.to_string(),
        },
        None => v.to_string(),
    }
}

/// [`eq_key`] of any value, a selection as an array.
pub(crate) fn val_key(v: &Val<'_>) -> String {
    match v.json() {
        Some(j) => eq_key(j),
        None => eq_key(JRef::Value(&v.to_json())),
    }
}

/// Whether a value is an undecided predicate (as opposed to absent data).
fn is_unknown(v: &Val<'_>) -> bool {
    matches!(v, Val::Unknown)
}

pub(crate) fn json_eq(a: JRef<'_>, b: JRef<'_>) -> bool {
    match (a.as_number(), b.as_number()) {
        (Some(x), Some(y)) => x.as_f64() == y.as_f64(),
        _ => a.strict_eq(b),
    }
}

/// The string a value holds, if it is one.
fn str_of<'v>(v: &'v Val<'_>) -> Option<&'v str> {
    v.json().and_then(JRef::as_str)
}

/// [`json_eq`] of two items, read in place when both are single values (a selection nested
/// in a selection is compared as the array it stands for).
pub(crate) fn val_eq(a: &Val<'_>, b: &Val<'_>) -> bool {
    match (a.json(), b.json()) {
        (Some(x), Some(y)) => json_eq(x, y),
        _ => json_eq(JRef::Value(&a.to_json()), JRef::Value(&b.to_json())),
    }
}

fn as_date(v: &Val<'_>) -> R<Option<NaiveDate>> {
    let Some(j) = v.json().filter(|j| !j.is_null()) else {
        return Ok(None);
    };
    match j.as_str() {
        Some(s) => date::parse(s)
            .map(Some)
            .ok_or_else(|| EvalError::new(format!("\"{s}\" is not a date (YYYY-MM-DD)"))),
        None => Err(EvalError::new(format!("{j} is not a date"))),
    }
}

/// A period as (count, unit); `None` when the data it needs is missing.
fn period<'a>(ctx: &Ctx<'a>, p: &'a Period, env: &mut Env<'a>) -> R<Option<(i64, Unit)>> {
    Ok(match p {
        Period::Interval(name) => Some(ctx.interval(name)?),
        Period::Months(e) => whole(eval(ctx, e, env)?.json(), "months")?.map(|n| (n, Unit::Month)),
        Period::Days(e) => whole(eval(ctx, e, env)?.json(), "days")?.map(|n| (n, Unit::Day)),
        Period::Cadence(e) => cadence(&eval(ctx, e, env)?)?,
    })
}

/// A cadence `{every, unit}` as (count, unit); `None` when a member is missing.
fn cadence(v: &Val<'_>) -> R<Option<(i64, Unit)>> {
    let Some(o) = v.json() else {
        return Ok(None);
    };
    let Some(unit) = o.get("unit").and_then(JRef::as_str).and_then(Unit::parse) else {
        return Ok(None);
    };
    Ok(whole(o.get("every"), unit.plural())?.map(|every| (every, unit)))
}

/// A number of `unit`s to move a date by: `None` when absent or not a number; an error when it
/// is a number no date can be moved by (a fraction, or beyond ±9×10¹⁸, such as an integer past
/// the range of i64 or 1e300, which JSON Schema also counts as integers). An integral float
/// such as `12.0` counts as the integer.
fn whole(j: Option<JRef<'_>>, unit: &str) -> R<Option<i64>> {
    let Some(n) = j.and_then(JRef::as_number) else {
        return Ok(None);
    };
    if let Some(i) = n.as_i64() {
        return Ok(Some(i));
    }
    match n.as_f64() {
        Some(x) if x.fract() == 0.0 && x.abs() <= 9.0e18 =>
        {
            #[allow(clippy::cast_possible_truncation)]
            Ok(Some(x as i64))
        }
        Some(x) if x.fract() != 0.0 => Err(EvalError::new(format!(
            "{n} is not a whole number of {unit}"
        ))),
        _ => Err(EvalError::new(format!("{n} {unit} is beyond any date"))),
    }
}

fn shift(d: NaiveDate, n: i64, unit: Unit) -> R<NaiveDate> {
    date::shift(d, n, unit).ok_or_else(|| EvalError::new("date arithmetic out of range".to_owned()))
}

/// A number, `None` when absent; an error for any other kind of value.
fn number(v: &Val<'_>) -> R<Option<f64>> {
    let Some(j) = v.json().filter(|j| !j.is_null()) else {
        return Ok(None);
    };
    match j.as_number() {
        Some(n) => Ok(n.as_f64()),
        None => Err(EvalError::new(format!("{j} is not a number"))),
    }
}

/// A computed number: integral values as integers, others rounded to 4 decimals.
fn own_number<'a>(x: f64) -> Val<'a> {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        return Val::Own(Value::from(x as i64));
    }
    let rounded = (x * 10_000.0).round() / 10_000.0;
    serde_json::Number::from_f64(rounded).map_or(Val::Missing, |n| Val::Own(Value::Number(n)))
}

/// Compares dotted versions part by part: numbers numerically, other parts as text.
pub(crate) fn cmp_versions(a: &str, b: &str) -> Ordering {
    let mut xs = a.split(['.', '-']);
    let mut ys = b.split(['.', '-']);
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let o = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(x), Ok(y)) => x.cmp(&y),
                    _ => x.cmp(y),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

/// Evaluates an expression: one step of the budget, and the steps of what it evaluates.
#[inline]
pub(crate) fn eval<'a>(ctx: &Ctx<'a>, e: &'a Expr, env: &mut Env<'a>) -> R<Val<'a>> {
    ctx.step()?;
    eval_expr(ctx, e, env)
}

fn eval_expr<'a>(ctx: &Ctx<'a>, e: &'a Expr, env: &mut Env<'a>) -> R<Val<'a>> {
    Ok(match e {
        Expr::Const(v) => Val::Lit(v),
        Expr::Get(p) => {
            let v = get(ctx, p, env);
            // A selection the path walked costs a step per item; a bound one is shared as is.
            if let Val::List(items) = &v
                && !p.segs.is_empty()
            {
                ctx.charge(items.len())?;
            }
            v
        }
        Expr::Lookup { colls, id } => match eval(ctx, id, env)?.json().and_then(JRef::as_str) {
            Some(id) => ctx.lookup(colls, id).unwrap_or(Val::Missing),
            None => Val::Missing,
        },
        Expr::Resolves { colls, id } => match eval(ctx, id, env)?.json().and_then(JRef::as_str) {
            Some(id) => Val::bool(colls.iter().any(|c| ctx.model.index_of(c, id).is_some())),
            None => Val::bool(false),
        },
        Expr::Coalesce(items) => {
            for i in items {
                let v = eval(ctx, i, env)?;
                if !v.is_missing() {
                    return Ok(v);
                }
            }
            Val::Missing
        }
        Expr::Let { slot, value, body } => {
            let v = eval(ctx, value, env)?;
            bind(env, *slot, v);
            eval(ctx, body, env)?
        }
        Expr::If {
            cond,
            then,
            otherwise,
        } => match eval(ctx, cond, env)?.truth() {
            Tri::True => eval(ctx, then, env)?,
            Tri::False => eval(ctx, otherwise, env)?,
            Tri::Unknown => Val::Unknown,
        },
        Expr::AsOf => Val::Lit(ctx.as_of_text),
        Expr::Exists(x) => {
            let v = eval(ctx, x, env)?;
            match v {
                Val::Unknown => Val::Unknown,
                Val::List(l) => Val::bool(!l.is_empty()),
                v => Val::bool(!v.is_missing()),
            }
        }
        Expr::Nonempty(x) => Val::bool(match eval(ctx, x, env)? {
            Val::Unknown => return Ok(Val::Unknown),
            Val::List(l) => !l.is_empty(),
            v => match v.json() {
                Some(j) => match j.kind() {
                    Kind::String => !j.as_str().unwrap_or_default().trim().is_empty(),
                    Kind::Array | Kind::Object => j.len() > 0,
                    Kind::Null => false,
                    Kind::Bool | Kind::Number => true,
                },
                None => false,
            },
        }),
        Expr::Known(x) => {
            let v = eval(ctx, x, env)?;
            let missing = match &v {
                Val::List(l) => l.is_empty(),
                v => v.is_missing(),
            };
            if missing {
                Val::Unknown
            } else {
                Val::bool(true)
            }
        }
        Expr::Not(x) => Val::tri(match eval(ctx, x, env)?.truth() {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }),
        Expr::And(items) => {
            let mut acc = Tri::True;
            for i in items {
                match eval(ctx, i, env)?.truth() {
                    Tri::False => return Ok(Val::bool(false)),
                    Tri::Unknown => acc = Tri::Unknown,
                    Tri::True => {}
                }
            }
            Val::tri(acc)
        }
        Expr::Or(items) => {
            let mut acc = Tri::False;
            for i in items {
                match eval(ctx, i, env)?.truth() {
                    Tri::True => return Ok(Val::bool(true)),
                    Tri::Unknown => acc = Tri::Unknown,
                    Tri::False => {}
                }
            }
            Val::tri(acc)
        }
        Expr::Eq(a, b) | Expr::Ne(a, b) => {
            let (x, y) = (eval(ctx, a, env)?, eval(ctx, b, env)?);
            if is_unknown(&x) || is_unknown(&y) {
                return Ok(Val::Unknown);
            }
            let same = match (x.is_missing(), y.is_missing()) {
                (true, true) => true,
                (false, false) => match (x.json(), y.json()) {
                    (Some(a), Some(b)) => json_eq(a, b),
                    _ => json_eq(JRef::Value(&x.to_json()), JRef::Value(&y.to_json())),
                },
                _ => false,
            };
            Val::bool(same == matches!(e, Expr::Eq(..)))
        }
        Expr::Compare(op, a, b) => {
            let (x, y) = (eval(ctx, a, env)?, eval(ctx, b, env)?);
            match (x.json(), y.json()) {
                (Some(x), Some(y)) if !x.is_null() && !y.is_null() => {
                    let o = cmp_json(x, y)?;
                    Val::bool(match op {
                        Cmp::Lt => o == Ordering::Less,
                        Cmp::Le => o != Ordering::Greater,
                        Cmp::Gt => o == Ordering::Greater,
                        Cmp::Ge => o != Ordering::Less,
                    })
                }
                _ => Val::Unknown,
            }
        }
        Expr::OneOf(a, b) => {
            let x = eval(ctx, a, env)?;
            if is_unknown(&x) {
                return Ok(Val::Unknown);
            }
            let Some(x) = x.json().filter(|v| !v.is_null()) else {
                return Ok(Val::bool(false));
            };
            let list = members(ctx, eval(ctx, b, env)?)?;
            Val::bool(list.contains_json(ctx, x)?)
        }
        Expr::TierAtLeast(t) => Val::bool(ctx.tier >= *t),
        Expr::Memo { key, expr } => {
            let known = ctx.memos.borrow().get(key.as_str()).cloned();
            match known {
                Some(v) => v,
                None => {
                    let v = eval(ctx, expr, env)?;
                    ctx.memos.borrow_mut().insert(key.as_str(), v.clone());
                    v
                }
            }
        }
        Expr::Keyed { slots, expr } => return super::keyed::eval_keyed(ctx, e, slots, expr, env),
        Expr::Filter { .. }
        | Expr::Map { .. }
        | Expr::Quant { .. }
        | Expr::List(_)
        | Expr::Backrefs { .. }
        | Expr::Count(_) => return eval_selection(ctx, e, env),
        _ => return eval_other(ctx, e, env),
    })
}

/// The operators that go over a selection, in a function of their own: their locals stay out
/// of the stack frame of [`eval_expr`], which every expression goes through.
#[inline(never)]
fn eval_selection<'a>(ctx: &Ctx<'a>, e: &'a Expr, env: &mut Env<'a>) -> R<Val<'a>> {
    Ok(match e {
        Expr::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                out.push(eval(ctx, i, env)?);
            }
            Val::list(out)
        }
        Expr::Backrefs { coll, field, id } => {
            match eval(ctx, id, env)?.json().and_then(JRef::as_str) {
                Some(id) => Val::List(ctx.backrefs(coll, field, id)),
                None => Val::list(Vec::new()),
            }
        }
        Expr::Filter {
            src,
            slot,
            pred,
            probe,
        } => {
            let mut out = Vec::new();
            for item in selection(ctx, src, *slot, pred, *probe, env)?.iter() {
                bind(env, *slot, item.clone());
                if eval(ctx, pred, env)?.truth() == Tri::True {
                    out.push(item.clone());
                }
            }
            Val::list(out)
        }
        Expr::Map { src, slot, to } => {
            let mut out = Vec::new();
            for item in ctx.items_of(eval(ctx, src, env)?)? {
                bind(env, *slot, item);
                let v = eval(ctx, to, env)?;
                match v {
                    Val::List(l) => out.extend(Rc::unwrap_or_clone(l)),
                    v if v.is_missing() => {}
                    v => out.push(v),
                }
            }
            Val::list(out)
        }
        Expr::Count(x) => match eval(ctx, x, env)? {
            Val::Unknown => Val::Unknown,
            v => Val::Own(Value::from(ctx.shared_items(v)?.len())),
        },
        Expr::Quant {
            kind,
            src,
            slot,
            pred,
            probe,
        } => {
            let mut any_true = false;
            let mut any_false = false;
            let mut any_unknown = false;
            for item in selection(ctx, src, *slot, pred, *probe, env)?.iter() {
                bind(env, *slot, item.clone());
                match eval(ctx, pred, env)?.truth() {
                    Tri::True => any_true = true,
                    Tri::False => any_false = true,
                    Tri::Unknown => any_unknown = true,
                }
                let decided = match kind {
                    Quant::Some | Quant::None => any_true,
                    Quant::Every => any_false,
                };
                if decided {
                    break;
                }
            }
            let some = if any_true {
                Tri::True
            } else if any_unknown {
                Tri::Unknown
            } else {
                Tri::False
            };
            Val::tri(match kind {
                Quant::Some => some,
                Quant::None => match some {
                    Tri::True => Tri::False,
                    Tri::False => Tri::True,
                    Tri::Unknown => Tri::Unknown,
                },
                Quant::Every => {
                    if any_false {
                        Tri::False
                    } else if any_unknown {
                        Tri::Unknown
                    } else {
                        Tri::True
                    }
                }
            })
        }
        _ => return eval_other(ctx, e, env),
    })
}

/// The less frequent operators (aggregates, dates, sets), out of the frame of [`eval_expr`].
#[inline(never)]
fn eval_other<'a>(ctx: &Ctx<'a>, e: &'a Expr, env: &mut Env<'a>) -> R<Val<'a>> {
    Ok(match e {
        Expr::Max(x) | Expr::Min(x) => {
            let want = if matches!(e, Expr::Max(_)) {
                Ordering::Greater
            } else {
                Ordering::Less
            };
            let mut best: Option<Val<'a>> = None;
            for item in ctx.items_of(eval(ctx, x, env)?)? {
                let Some(v) = item.json() else { continue };
                if v.is_null() {
                    continue;
                }
                let better = match best.as_ref().and_then(Val::json) {
                    None => true,
                    Some(b) => cmp_json(v, b)? == want,
                };
                if better {
                    best = Some(item);
                }
            }
            best.unwrap_or(Val::Missing)
        }
        Expr::ExtremeBy { max, src, slot, by } => {
            let want = if *max {
                Ordering::Greater
            } else {
                Ordering::Less
            };
            let mut best: Option<(Value, Val<'a>)> = None;
            for item in ctx.items_of(eval(ctx, src, env)?)? {
                bind(env, *slot, item.clone());
                let key = eval(ctx, by, env)?;
                let Some(k) = key.json().filter(|k| !k.is_null()).map(JRef::to_value) else {
                    continue;
                };
                let better = match &best {
                    None => true,
                    Some((b, _)) => cmp_json(JRef::Value(&k), JRef::Value(b))? == want,
                };
                if better {
                    best = Some((k, item));
                }
            }
            best.map_or(Val::Missing, |(_, item)| item)
        }
        Expr::Range {
            src,
            slot,
            by,
            from,
            to,
        } => super::ranges::range(ctx, src, *slot, by, from.as_deref(), to.as_deref(), env)?,
        Expr::Ascending {
            src,
            strict,
            versions,
        } => {
            let items: Vec<Value> = ctx
                .items_of(eval(ctx, src, env)?)?
                .iter()
                .map(Val::to_json)
                .collect();
            let mut ok = true;
            for pair in items.windows(2) {
                let [a, b] = pair else { continue };
                let o = if *versions {
                    match (a.as_str(), b.as_str()) {
                        (Some(x), Some(y)) => cmp_versions(x, y),
                        _ => return Err(EvalError::new(format!("{a} and {b} are not versions"))),
                    }
                } else {
                    cmp_json(JRef::Value(a), JRef::Value(b))?
                };
                if o == Ordering::Greater || (*strict && o == Ordering::Equal) {
                    ok = false;
                    break;
                }
            }
            Val::bool(ok)
        }
        Expr::CountBy { src, slot, key } => {
            let mut counts: std::collections::BTreeMap<String, u64> = Default::default();
            for item in ctx.items_of(eval(ctx, src, env)?)? {
                bind(env, *slot, item);
                let k = eval(ctx, key, env)?;
                let name = match k.json() {
                    Some(j) if j.is_null() => "(none)".to_owned(),
                    Some(j) => j.as_str().map_or_else(|| j.to_string(), str::to_owned),
                    None => "(none)".to_owned(),
                };
                *counts.entry(name).or_default() += 1;
            }
            Val::Own(Value::Object(
                counts
                    .into_iter()
                    .map(|(k, n)| (k, Value::from(n)))
                    .collect(),
            ))
        }
        Expr::Nth(x, last) => {
            let v = eval(ctx, x, env)?;
            if matches!(v, Val::Unknown) {
                return Ok(Val::Unknown);
            }
            let mut items = ctx.items_of(v)?;
            let item = if *last {
                items.pop()
            } else {
                items.into_iter().next()
            };
            item.unwrap_or(Val::Missing)
        }
        Expr::DaysBetween(a, b) => {
            let (x, y) = (as_date(&eval(ctx, a, env)?)?, as_date(&eval(ctx, b, env)?)?);
            match (x, y) {
                (Some(x), Some(y)) => Val::Own(Value::from((y - x).num_days())),
                _ => Val::Missing,
            }
        }
        Expr::Ratio(a, b) => {
            let (x, y) = (eval(ctx, a, env)?, eval(ctx, b, env)?);
            match (number(&x)?, number(&y)?) {
                (Some(x), Some(y)) if y != 0.0 => own_number(x / y),
                _ => Val::Missing,
            }
        }
        Expr::Sum(x) => {
            let mut total = 0.0;
            for item in ctx.items_of(eval(ctx, x, env)?)? {
                total += number(&item)?.unwrap_or(0.0);
            }
            own_number(total)
        }
        Expr::Median(x) => {
            let mut nums = Vec::new();
            for item in ctx.items_of(eval(ctx, x, env)?)? {
                if let Some(n) = number(&item)? {
                    nums.push(n);
                }
            }
            nums.sort_by(f64::total_cmp);
            let mid = nums.len() / 2;
            match (
                nums.len() % 2,
                nums.get(mid),
                mid.checked_sub(1).and_then(|i| nums.get(i)),
            ) {
                (_, None, _) => Val::Missing,
                (1, Some(m), _) => own_number(*m),
                (_, Some(hi), Some(lo)) => own_number((hi + lo) / 2.0),
                (_, Some(m), None) => own_number(*m),
            }
        }
        Expr::Union(items) => {
            let mut out = Vec::new();
            for i in items {
                out.extend(ctx.items_of(eval(ctx, i, env)?)?);
            }
            Val::list(out)
        }
        Expr::Ordered(x) => {
            let mut nodes = Vec::new();
            let mut others = Vec::new();
            for item in ctx.items_of(eval(ctx, x, env)?)? {
                match item {
                    Val::Node(d, id) if std::ptr::eq(d, ctx.doc) => nodes.push(id),
                    other => others.push(other),
                }
            }
            // Node ids follow the model: the items of an array are numbered in its order.
            nodes.sort_unstable();
            nodes.dedup();
            let mut out: Vec<Val<'a>> =
                nodes.into_iter().map(|id| Val::Node(ctx.doc, id)).collect();
            out.extend(others);
            Val::list(out)
        }
        Expr::Distinct(x) => {
            let mut seen: HashSet<String> = HashSet::new();
            let mut out = Vec::new();
            for item in ctx.items_of(eval(ctx, x, env)?)? {
                if seen.insert(val_key(&item)) {
                    out.push(item);
                }
            }
            Val::list(out)
        }
        Expr::DateAdd {
            date: d,
            period: p,
            times,
            grace,
        } => {
            let Some(d) = as_date(&eval(ctx, d, env)?)? else {
                return Ok(Val::Missing);
            };
            let Some((n, unit)) = period(ctx, p, env)? else {
                return Ok(Val::Missing);
            };
            let n = n
                .checked_mul(*times)
                .ok_or_else(|| EvalError::new("interval too large".to_owned()))?;
            let mut out = shift(d, n, unit)?;
            if *grace {
                out = shift(out, ctx.grace_days()? * times.signum(), Unit::Day)?;
            }
            Val::Own(Value::String(date::format(out)))
        }
        Expr::Within {
            date: d,
            period: p,
            grace,
        } => {
            let Some(d) = as_date(&eval(ctx, d, env)?)? else {
                return Ok(Val::Unknown);
            };
            let Some((n, unit)) = period(ctx, p, env)? else {
                return Ok(Val::Unknown);
            };
            let mut due = shift(d, n, unit)?;
            if *grace {
                due = shift(due, ctx.grace_days()?, Unit::Day)?;
            }
            Val::bool(d <= ctx.as_of && due >= ctx.as_of)
        }
        Expr::PeriodGaps {
            start,
            cadence: c,
            dates,
            grace,
        } => {
            let Some(start) = as_date(&eval(ctx, start, env)?)? else {
                return Ok(Val::Unknown);
            };
            let Some((n, unit)) = cadence(&eval(ctx, c, env)?)? else {
                return Ok(Val::Unknown);
            };
            if n < 1 {
                return Err(EvalError::new("a cadence must be at least 1".to_owned()));
            }
            let mut seen = Vec::new();
            for d in ctx.items_of(eval(ctx, dates, env)?)? {
                if let Some(d) = as_date(&d)? {
                    seen.push(d);
                }
            }
            seen.sort_unstable();
            let grace_days = if *grace { ctx.grace_days()? } else { 0 };
            let mut gaps = Vec::new();
            let mut from = start;
            let mut walked = 0;
            for k in 1..=MAX_PERIODS {
                walked = k;
                // Each boundary is counted from the start, so 31 January + 2 months is 31 March.
                let steps = i64::try_from(k)
                    .ok()
                    .and_then(|k| n.checked_mul(k))
                    .ok_or_else(|| EvalError::new("interval too large".to_owned()))?;
                let to = shift(start, steps, unit)?;
                if shift(to, grace_days, Unit::Day)? > ctx.as_of {
                    break;
                }
                let i = seen.partition_point(|d| *d < from);
                if seen.get(i).is_none_or(|d| *d >= to) {
                    gaps.push(Val::Own(Value::String(date::format(from))));
                }
                from = to;
            }
            // One step per period walked: a few bytes of cadence may stand for many periods.
            ctx.charge(walked)?;
            Val::list(gaps)
        }
        Expr::Interval(name) => Val::Own(Value::from(ctx.interval(name)?.0)),
        Expr::PeriodText(p) => match period(ctx, p, env)? {
            Some((1, unit)) => Val::Own(Value::from(format!("every {}", unit.singular()))),
            Some((n, unit)) => Val::Own(Value::from(format!("every {n} {}", unit.plural()))),
            None => Val::Missing,
        },
        Expr::TierName => Val::Own(Value::String(ctx.tier.as_str().to_owned())),
        Expr::Catalogue(controls) => {
            let ids: &'static [Value] = if *controls { &CONTROL_IDS } else { &CLAUSE_IDS };
            Val::list(ids.iter().map(Val::Lit).collect())
        }
        Expr::Intersects(a, b) | Expr::Subset(a, b) => {
            let (x, y) = (eval(ctx, a, env)?, eval(ctx, b, env)?);
            if is_unknown(&x) || is_unknown(&y) {
                return Ok(Val::Unknown);
            }
            let xs = ctx.items_of(x)?;
            let ys = members(ctx, y)?;
            let any = matches!(e, Expr::Intersects(..));
            // `intersects` stops at the first item found, `subset` at the first one missing.
            let mut answer = !any;
            for x in &xs {
                if ys.contains(ctx, x)? == any {
                    answer = any;
                    break;
                }
            }
            Val::bool(answer)
        }
        Expr::RefsUnder(a, b) => {
            let (x, y) = (eval(ctx, a, env)?, eval(ctx, b, env)?);
            if is_unknown(&x) || is_unknown(&y) {
                return Ok(Val::Unknown);
            }
            let (x_items, ys) = (ctx.items_of(x)?, members(ctx, y)?);
            let mut found = false;
            for x in x_items.iter().filter_map(str_of) {
                if ys.has_ref_above(ctx, x)? {
                    found = true;
                    break;
                }
            }
            Val::bool(found)
        }
        Expr::Matches(a, re) => match eval(ctx, a, env)? {
            Val::Unknown => Val::Unknown,
            v => match v.json().and_then(JRef::as_str) {
                Some(s) => Val::bool(re.is_match(s)),
                None => Val::bool(false),
            },
        },
        Expr::Unique(x) => {
            let v = eval(ctx, x, env)?;
            if is_unknown(&v) {
                return Ok(Val::Unknown);
            }
            let mut seen: HashSet<String> = HashSet::new();
            let unique = ctx
                .items_of(v)?
                .iter()
                .all(|item| seen.insert(val_key(item)));
            Val::bool(unique)
        }
        Expr::Schema(x, validator) => {
            let v = eval(ctx, x, env)?;
            if v.is_missing() {
                Val::Unknown
            } else {
                Val::bool(validator.is_valid(&v.to_json()))
            }
        }
        _ => {
            return Err(EvalError::new(
                "internal error: an operator reached the wrong evaluator".to_owned(),
            ));
        }
    })
}

/// Runs `body` for each item of a fixed loop's selection, or its `if_none` when it is empty.
#[allow(clippy::too_many_arguments)]
fn run_selected<'a>(
    ctx: &Ctx<'a>,
    selected: &[Val<'a>],
    slot: usize,
    body: &'a Check,
    src: &'a Expr,
    if_none: &'a IfNone,
    env: &mut Env<'a>,
    out: &mut Outcome,
) -> R<()> {
    for item in selected {
        bind(env, slot, item.clone());
        run(ctx, body, env, out)?;
    }
    if selected.is_empty() {
        none_selected(ctx, src, if_none, env, out);
    }
    Ok(())
}

/// What a `for_each` that selected nothing gives, by its `if_none`.
fn none_selected<'a>(
    ctx: &Ctx<'a>,
    src: &'a Expr,
    if_none: &'a IfNone,
    env: &Env<'a>,
    out: &mut Outcome,
) {
    let at = match src {
        Expr::Get(p) => source_pointer(p),
        _ => String::new(),
    };
    match if_none {
        IfNone::NotApplicable(reason) => out.not_applicable(reason.as_ref().map_or_else(
            || "nothing in scope for this rule".to_owned(),
            |t| render(ctx, t, env),
        )),
        IfNone::Pass => {
            out.applicable = true;
            out.checked += 1;
        }
        IfNone::Fail(t) | IfNone::Insufficient(t) => {
            out.applicable = true;
            let kind = if matches!(if_none, IfNone::Fail(_)) {
                FindingKind::Violation
            } else {
                FindingKind::MissingEvidence
            };
            let f = finding(ctx, kind, at, render(ctx, t, env));
            out.push(f, ctx.max_findings);
        }
    }
}

/// The items a binder over `src` tries: the probe's candidates when it has one, else all.
fn selection<'a>(
    ctx: &Ctx<'a>,
    src: &'a Expr,
    slot: usize,
    pred: &'a Expr,
    probe: Option<probe::Probe>,
    env: &mut Env<'a>,
) -> R<Rc<Vec<Val<'a>>>> {
    if let Some(p) = probe
        && let Some(items) = probe::candidates(ctx, p, src, slot, pred, env)?
    {
        return Ok(items);
    }
    ctx.shared_items(eval(ctx, src, env)?)
}

pub(crate) fn bind<'a>(env: &mut Env<'a>, slot: usize, v: Val<'a>) {
    if env.len() <= slot {
        env.resize(slot + 1, Val::Missing);
    }
    if let Some(s) = env.get_mut(slot) {
        *s = v;
    }
}

impl Outcome {
    /// Counts a finding of `kind` without keeping it.
    pub(crate) fn count(&mut self, kind: FindingKind) {
        match kind {
            FindingKind::Violation => self.violations += 1,
            FindingKind::MissingEvidence => self.missing += 1,
        }
    }

    pub(crate) fn push(&mut self, f: Finding, max: usize) {
        self.count(f.kind);
        if self.findings.len() < max {
            self.findings.push(f);
        }
    }

    fn not_applicable(&mut self, reason: String) {
        if self.reason.is_none() {
            self.reason = Some(reason);
        }
    }
}

/// Builds a finding at `pointer`.
pub(crate) fn finding(
    ctx: &Ctx<'_>,
    kind: FindingKind,
    pointer: String,
    message: String,
) -> Finding {
    Finding {
        kind,
        entity_id: entity_id(ctx.root(), &pointer),
        pointer,
        message,
        expected: None,
        actual: None,
        actual_total: None,
    }
}

/// Runs a check, adding what it finds to `out`.
pub(crate) fn run<'a>(ctx: &Ctx<'a>, c: &'a Check, env: &mut Env<'a>, out: &mut Outcome) -> R<()> {
    ctx.step()?;
    match c {
        Check::All(items) => {
            for i in items {
                run(ctx, i, env, out)?;
            }
        }
        Check::ForEach {
            src,
            slot,
            filter,
            probe,
            fixed,
            body,
            if_none,
        } => {
            // A fixed selection found before: its items, already filtered.
            let key = std::ptr::from_ref(c) as usize;
            let known = if *fixed {
                ctx.loops.borrow().get(&key).cloned()
            } else {
                None
            };
            if let Some(selected) = known {
                ctx.charge(selected.len())?;
                return run_selected(ctx, &selected, *slot, body, src, if_none, env, out);
            }
            // The probe's candidates when it has some, else the whole selection.
            let probed = match (probe, filter) {
                (Some(p), Some(f)) => probe::candidates(ctx, *p, src, *slot, f, env)?,
                _ => None,
            };
            let items = match probed {
                Some(items) => items,
                None => {
                    let source = eval(ctx, src, env)?;
                    if is_unknown(&source) {
                        // The selection itself could not be decided: missing evidence, not
                        // "nothing in scope".
                        out.applicable = true;
                        let at = match src {
                            Expr::Get(p) => source_pointer(p),
                            _ => String::new(),
                        };
                        let text =
                            "the data needed to select the items to check is missing".to_owned();
                        let f = finding(ctx, FindingKind::MissingEvidence, at, text);
                        out.push(f, ctx.max_findings);
                        return Ok(());
                    }
                    ctx.shared_items(source)?
                }
            };
            if *fixed {
                // Every item's `where` first, then the body for those selected: the same
                // findings in the same order, and the selection kept for the next run.
                let mut selected = Vec::new();
                for item in items.iter().cloned() {
                    bind(env, *slot, item.clone());
                    if filter.as_ref().map_or(Ok(true), |f| {
                        Ok::<_, EvalError>(eval(ctx, f, env)?.truth() == Tri::True)
                    })? {
                        selected.push(item);
                    }
                }
                let selected = Rc::new(selected);
                ctx.loops.borrow_mut().insert(key, selected.clone());
                return run_selected(ctx, &selected, *slot, body, src, if_none, env, out);
            }
            let mut selected = 0usize;
            for item in items.iter().cloned() {
                bind(env, *slot, item);
                if let Some(f) = filter
                    && eval(ctx, f, env)?.truth() != Tri::True
                {
                    continue;
                }
                selected += 1;
                run(ctx, body, env, out)?;
            }
            if selected == 0 {
                none_selected(ctx, src, if_none, env, out);
            }
        }
        Check::Assert {
            that,
            message,
            at,
            expected,
            actual,
            unknown,
        } => {
            out.applicable = true;
            out.checked += 1;
            let t = eval(ctx, that, env)?.truth();
            if t == Tri::True {
                return Ok(());
            }
            if out.findings.len() >= ctx.max_findings {
                // Past the findings kept, a finding is only counted: its text is not written.
                out.count(if t == Tri::Unknown {
                    FindingKind::MissingEvidence
                } else {
                    FindingKind::Violation
                });
                return Ok(());
            }
            let pointer = match at {
                Some(p) => intended_pointer(ctx, p, env),
                None => String::new(),
            };
            let (kind, text) = match (t, unknown) {
                (Tri::Unknown, Some(u)) => (FindingKind::MissingEvidence, render(ctx, u, env)),
                (Tri::Unknown, None) => (
                    FindingKind::MissingEvidence,
                    format!(
                        "{} (the data needed to decide is missing)",
                        render(ctx, message, env)
                    ),
                ),
                _ => (FindingKind::Violation, render(ctx, message, env)),
            };
            let mut f = finding(ctx, kind, pointer, text);
            f.expected = expected.as_ref().map(|t| render(ctx, t, env));
            f.actual = match (actual, at) {
                (Some(a), _) => match eval(ctx, a, env)? {
                    // A long selection: its first items, and how many there were.
                    Val::List(l) if l.len() > MAX_ACTUAL_ITEMS => {
                        f.actual_total = u64::try_from(l.len()).ok();
                        let first = l.iter().take(MAX_ACTUAL_ITEMS).map(Val::to_json);
                        Some(Value::Array(first.collect()))
                    }
                    v => Some(v.to_json()),
                },
                (None, Some(p)) => get(ctx, p, env)
                    .json()
                    .filter(|j| matches!(j.kind(), Kind::String | Kind::Number | Kind::Bool))
                    .map(JRef::to_value),
                (None, None) => None,
            };
            out.push(f, ctx.max_findings);
        }
        Check::When {
            cond,
            then,
            otherwise,
            reason,
        } => match eval(ctx, cond, env)?.truth() {
            Tri::True => run(ctx, then, env, out)?,
            Tri::False => match otherwise {
                Some(o) => run(ctx, o, env, out)?,
                None => out.not_applicable(reason.as_ref().map_or_else(
                    || "its condition does not hold".to_owned(),
                    |r| render(ctx, r, env),
                )),
            },
            Tri::Unknown => {
                out.applicable = true;
                let text = reason.as_ref().map_or_else(
                    || "the data needed to decide whether the rule applies is missing".to_owned(),
                    |r| render(ctx, r, env),
                );
                let f = finding(ctx, FindingKind::MissingEvidence, String::new(), text);
                out.push(f, ctx.max_findings);
            }
        },
        Check::Let { slot, value, body } => {
            let v = eval(ctx, value, env)?;
            bind(env, *slot, v);
            run(ctx, body, env, out)?;
        }
        Check::Graph(g) => super::graph::run(ctx, g, env, out)?,
    }
    Ok(())
}

/// The pointer of a selection's container: `/processes/*` gives `/processes`.
fn source_pointer(p: &Path) -> String {
    if p.base != Base::Root {
        return String::new();
    }
    let mut s = String::new();
    for seg in &p.segs {
        match seg {
            Seg::Wild => break,
            Seg::Key(k) => {
                s.push('/');
                s.push_str(&escape(k));
            }
        }
    }
    s
}

/// Renders a template (used by graph checks).
pub(crate) fn message<'a>(ctx: &Ctx<'a>, t: &Template, env: &Env<'a>) -> String {
    render(ctx, t, env)
}
