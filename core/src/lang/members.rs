//! Membership tests (`one_of`, `intersects`, `subset`, `refs_under`) against hashed sets.
//!
//! A list of [`FEW`] items or more is turned into a [`MemberSet`] once per evaluation: a list
//! of the model (an array node), a constant of the pack, or a selection bound by `let` or
//! `memo` is found again by its identity, so a loop that tests membership in the same list on
//! every turn pays for the list once and then one step per test. A selection computed on the
//! spot is hashed for that call only. Strings and numbers are hashed; any other item (an
//! object, an array, a boolean, null) is compared one by one, as before, so every answer is
//! the one a scan of the list gives.

use super::Val;
use super::eval::{Ctx, R, json_eq, val_eq};
use super::jref::JRef;
use crate::catalogue;
use crate::doc::{Kind, NodeId};
use foldhash::{HashMap, HashSet, HashSetExt};
use std::borrow::Cow;
use std::rc::Rc;

/// Lists shorter than this are scanned: hashing them costs more than it saves.
pub(crate) const FEW: usize = 8;

/// Most sets of computed selections kept at once; beyond, they are dropped and built again.
const MAX_KEPT_SELECTIONS: usize = 256;

/// What identifies a list for the whole evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SetKey {
    /// An array of the model.
    Node(NodeId),
    /// An array constant of the pack, by address (it lives as long as the evaluation).
    Lit(usize),
    /// A shared selection, by address; the cache holds the selection, so the address is not
    /// reused while the set is kept.
    Selection(usize),
}

/// The sets built so far in one evaluation.
#[derive(Default)]
pub(crate) struct SetCache<'a> {
    sets: HashMap<SetKey, Rc<MemberSet<'a>>>,
    /// The selections whose sets are kept, held so that their addresses stay theirs.
    held: Vec<Rc<Vec<Val<'a>>>>,
}

/// The items of a list, hashed where that keeps the answers of a scan.
#[derive(Debug, Default)]
pub(crate) struct MemberSet<'a> {
    strings: HashSet<Cow<'a, str>>,
    /// Numbers by the bits of their value (`-0` as `0`): equal numbers, equal keys.
    numbers: HashSet<u64>,
    /// Items neither string nor number, compared one by one.
    others: Vec<Val<'a>>,
}

fn number_key(x: f64) -> u64 {
    if x == 0.0 { 0 } else { x.to_bits() }
}

impl<'a> MemberSet<'a> {
    fn build(items: Vec<Val<'a>>) -> Self {
        let mut set = MemberSet {
            strings: HashSet::with_capacity(items.len()),
            ..MemberSet::default()
        };
        for item in items {
            // Model nodes and constants are read in place; computed strings are copied.
            if let Some(s) = item.node().and_then(JRef::as_str) {
                set.strings.insert(Cow::Borrowed(s));
                continue;
            }
            match item.json() {
                Some(j) if j.kind() == Kind::String => {
                    let s = j.as_str().unwrap_or_default().to_owned();
                    set.strings.insert(Cow::Owned(s));
                }
                Some(j) if j.kind() == Kind::Number => {
                    set.numbers.insert(number_key(j.as_f64().unwrap_or(0.0)));
                }
                _ => set.others.push(item),
            }
        }
        set
    }

    fn contains(&self, x: &Val<'_>) -> bool {
        match x.json() {
            Some(j) if j.kind() == Kind::String => {
                self.strings.contains(j.as_str().unwrap_or_default())
            }
            Some(j) if j.kind() == Kind::Number => self
                .numbers
                .contains(&number_key(j.as_f64().unwrap_or(0.0))),
            _ => self.others.iter().any(|o| val_eq(x, o)),
        }
    }

    /// Whether some string of the set is `reference` or a clause `reference` is under.
    fn has_ref_above(&self, reference: &str) -> bool {
        self.strings.contains(reference)
            || reference
                .match_indices('.')
                .any(|(i, _)| reference.get(..i).is_some_and(|p| self.strings.contains(p)))
    }
}

/// The right-hand list of a membership test.
pub(crate) enum Members<'a> {
    /// A short list, scanned.
    Few(Vec<Val<'a>>),
    /// A hashed set.
    Set(Rc<MemberSet<'a>>),
}

impl<'a> Members<'a> {
    /// Whether `x` equals an item (the equality of `eq`).
    pub fn contains(&self, ctx: &Ctx<'a>, x: &Val<'_>) -> R<bool> {
        match self {
            Members::Few(items) => {
                ctx.charge(items.len())?;
                Ok(items.iter().any(|i| val_eq(x, i)))
            }
            Members::Set(set) => {
                ctx.step()?;
                Ok(set.contains(x))
            }
        }
    }

    /// Whether `x` (a JSON value) equals an item: the test of `one_of`.
    pub fn contains_json(&self, ctx: &Ctx<'a>, x: JRef<'_>) -> R<bool> {
        match self {
            Members::Few(items) => {
                ctx.charge(items.len())?;
                Ok(items
                    .iter()
                    .any(|i| i.json().is_some_and(|v| json_eq(v, x))))
            }
            Members::Set(set) => {
                ctx.step()?;
                Ok(match x.kind() {
                    Kind::String => set.strings.contains(x.as_str().unwrap_or_default()),
                    Kind::Number => set.numbers.contains(&number_key(x.as_f64().unwrap_or(0.0))),
                    _ => set
                        .others
                        .iter()
                        .any(|o| o.json().is_some_and(|v| json_eq(v, x))),
                })
            }
        }
    }

    /// Whether some string item is `reference` or a clause it is under (`refs_under`).
    pub fn has_ref_above(&self, ctx: &Ctx<'a>, reference: &str) -> R<bool> {
        match self {
            Members::Few(items) => {
                ctx.charge(items.len())?;
                Ok(items
                    .iter()
                    .filter_map(|i| i.json().and_then(JRef::as_str))
                    .any(|t| catalogue::is_under(reference, t)))
            }
            Members::Set(set) => {
                // One step for the reference and one per clause level above it.
                ctx.charge(1 + reference.matches('.').count())?;
                Ok(set.has_ref_above(reference))
            }
        }
    }
}

/// The identity of `v` for the whole evaluation, when it has one and is long enough to hash.
fn key_of<'a>(ctx: &Ctx<'a>, v: &Val<'a>) -> Option<SetKey> {
    match v {
        Val::Node(d, id)
            if std::ptr::eq(*d, ctx.doc)
                && d.kind(*id) == Kind::Array
                && JRef::Doc(d, *id).len() >= FEW =>
        {
            Some(SetKey::Node(*id))
        }
        Val::Lit(serde_json::Value::Array(a)) if a.len() >= FEW => {
            Some(SetKey::Lit(std::ptr::from_ref(a) as usize))
        }
        // Held elsewhere too (bound by `let` or `memo`): it may be tested again.
        Val::List(l) if l.len() >= FEW && Rc::strong_count(l) > 1 => {
            Some(SetKey::Selection(Rc::as_ptr(l) as usize))
        }
        _ => None,
    }
}

impl<'a> SetCache<'a> {
    fn get(&self, key: SetKey) -> Option<Rc<MemberSet<'a>>> {
        self.sets.get(&key).cloned()
    }

    fn keep(&mut self, key: SetKey, v: &Val<'a>, set: Rc<MemberSet<'a>>) {
        if let (SetKey::Selection(_), Val::List(l)) = (key, v) {
            if self.held.len() >= MAX_KEPT_SELECTIONS {
                self.held.clear();
                self.sets.retain(|k, _| !matches!(k, SetKey::Selection(_)));
            }
            self.held.push(l.clone());
        }
        self.sets.insert(key, set);
    }
}

/// `v` as the right-hand side of a membership test: its set when one was built for it in
/// this evaluation, else its items (one step each), hashed when there are [`FEW`] or more.
pub(crate) fn members<'a>(ctx: &Ctx<'a>, v: Val<'a>) -> R<Members<'a>> {
    let key = key_of(ctx, &v);
    if let Some(set) = key.and_then(|k| ctx.sets.borrow().get(k)) {
        return Ok(Members::Set(set));
    }
    let items = match &v {
        Val::List(l) => l.as_ref().clone(),
        other => other.clone().items(),
    };
    ctx.charge(items.len())?;
    if items.len() < FEW {
        return Ok(Members::Few(items));
    }
    let set = Rc::new(MemberSet::build(items));
    if let Some(k) = key {
        ctx.sets.borrow_mut().keep(k, &v, set.clone());
    }
    Ok(Members::Set(set))
}
