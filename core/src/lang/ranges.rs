//! `range`: the items of a selection whose key lies between two bounds, found by binary search
//! in an index of the selection sorted by that key.
//!
//! The index is built once per evaluation for a selection that is the same wherever it is
//! read: a path from the model root, an array of the model, or a selection bound by `let` or
//! `memo`. A loop that asks, for each of its items, which items of another collection fall in
//! a window (the reviews held after an audit, say) then costs a search per item and the items
//! found, instead of a scan of the other collection per item. The answer is the one a `filter`
//! with `ge` and `le` on the key gives: items whose key is missing or null are left out, and
//! the items found keep their selection order.

use super::eval::{Ctx, Env, EvalError, R, bind, cmp_json, eval};
use super::jref::JRef;
use super::{Base, Expr, Val};
use crate::doc::{Kind, NodeId};
use foldhash::HashMap;
use serde_json::Value;
use std::cmp::Ordering;
use std::rc::Rc;

/// What identifies a selection for the whole evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Source {
    /// A path from the root (by the address of its compiled expression).
    Path(usize),
    /// An array of the model.
    Node(NodeId),
    /// A shared selection, held by the cache so that its address stays its own.
    Selection(usize),
}

/// The indexes built so far in one evaluation, by selection and by the `by` expression.
#[derive(Default)]
pub(crate) struct RangeCache<'a> {
    indexes: HashMap<(Source, usize), Rc<Sorted<'a>>>,
    held: Vec<Rc<Vec<Val<'a>>>>,
}

/// A selection's items and their keys, the keys in order.
#[derive(Debug)]
pub(crate) struct Sorted<'a> {
    items: Vec<Val<'a>>,
    /// Each key with the position of its item, by key, then position.
    keys: Vec<(Value, usize)>,
}

fn source_of<'a>(ctx: &Ctx<'a>, src: &Expr, v: &Val<'a>) -> Option<Source> {
    match (src, v) {
        (Expr::Get(p), _) if p.base == Base::Root => {
            Some(Source::Path(std::ptr::from_ref(src) as usize))
        }
        (_, Val::Node(d, id)) if std::ptr::eq(*d, ctx.doc) && d.kind(*id) == Kind::Array => {
            Some(Source::Node(*id))
        }
        (_, Val::List(l)) if Rc::strong_count(l) > 1 => {
            Some(Source::Selection(Rc::as_ptr(l) as usize))
        }
        _ => None,
    }
}

/// Compares two keys as `ge` and `le` do; keys of different kinds are a run-time error.
fn compare(a: &Value, b: &Value) -> R<Ordering> {
    cmp_json(JRef::Value(a), JRef::Value(b))
}

fn build<'a>(
    ctx: &Ctx<'a>,
    items: Vec<Val<'a>>,
    slot: usize,
    by: &'a Expr,
    env: &mut Env<'a>,
) -> R<Sorted<'a>> {
    ctx.charge(items.len())?;
    let mut keys = Vec::with_capacity(items.len());
    let mut kind: Option<Kind> = None;
    for (i, item) in items.iter().enumerate() {
        bind(env, slot, item.clone());
        let key = eval(ctx, by, env)?;
        let Some(k) = key.json().filter(|k| !k.is_null()) else {
            continue;
        };
        // One kind of key: two kinds would not compare, as `ge` between them is an error.
        match kind {
            Some(seen) if seen != k.kind() => {
                let first = keys
                    .first()
                    .map_or(Value::Null, |(v, _): &(Value, usize)| v.clone());
                compare(&first, &k.to_value())?;
            }
            _ => kind = Some(k.kind()),
        }
        if !matches!(k.kind(), Kind::String | Kind::Number) {
            return Err(EvalError::new(format!(
                "range: cannot order {k}: keys must be strings (such as dates) or numbers"
            )));
        }
        keys.push((k.to_value(), i));
    }
    ctx.charge(keys.len())?;
    // The kinds are checked: every comparison below succeeds.
    keys.sort_by(|(a, i), (b, j)| {
        compare(a, b)
            .unwrap_or(Ordering::Equal)
            .then_with(|| i.cmp(j))
    });
    Ok(Sorted { items, keys })
}

/// The bound `e` as a key, or `None` when it is missing, null, unknown or a selection (a
/// window with such a bound holds nothing, as `ge` against it is never true).
fn bound<'a>(ctx: &Ctx<'a>, e: Option<&'a Expr>, env: &mut Env<'a>) -> R<Option<Option<Value>>> {
    let Some(e) = e else {
        return Ok(Some(None));
    };
    let v = eval(ctx, e, env)?;
    Ok(v.json()
        .filter(|j| !j.is_null())
        .map(|j| Some(j.to_value())))
}

/// Evaluates `range`.
pub(crate) fn range<'a>(
    ctx: &Ctx<'a>,
    src: &'a Expr,
    slot: usize,
    by: &'a Expr,
    from: Option<&'a Expr>,
    to: Option<&'a Expr>,
    env: &mut Env<'a>,
) -> R<Val<'a>> {
    let (Some(lo), Some(hi)) = (bound(ctx, from, env)?, bound(ctx, to, env)?) else {
        return Ok(Val::list(Vec::new()));
    };
    let v = eval(ctx, src, env)?;
    let key = source_of(ctx, src, &v).map(|s| (s, std::ptr::from_ref(by) as usize));
    let known = key.and_then(|k| ctx.ranges.borrow().indexes.get(&k).cloned());
    let sorted = match known {
        Some(s) => s,
        None => {
            let held = match &v {
                Val::List(l) => Some(l.clone()),
                _ => None,
            };
            let items = match v {
                Val::List(l) => l.as_ref().clone(),
                other => other.items(),
            };
            let sorted = Rc::new(build(ctx, items, slot, by, env)?);
            if let Some(k) = key {
                let mut cache = ctx.ranges.borrow_mut();
                if let (Source::Selection(_), Some(l)) = (k.0, held) {
                    cache.held.push(l);
                }
                cache.indexes.insert(k, sorted.clone());
            }
            sorted
        }
    };
    let keys = &sorted.keys;
    // A bound of another kind than the keys is an error, as `ge` would give on the first item.
    if let Some((first, _)) = keys.first() {
        for b in [&lo, &hi].into_iter().flatten() {
            compare(first, b)?;
        }
    }
    let start = match &lo {
        Some(b) => keys.partition_point(|(k, _)| compare(k, b).ok() == Some(Ordering::Less)),
        None => 0,
    };
    let end = match &hi {
        Some(b) => keys.partition_point(|(k, _)| compare(k, b).ok() != Some(Ordering::Greater)),
        None => keys.len(),
    };
    let mut found: Vec<usize> = keys
        .get(start..end.max(start))
        .unwrap_or_default()
        .iter()
        .map(|(_, i)| *i)
        .collect();
    // One step per halving of the search, and one per item found.
    let searched = usize::try_from(keys.len().max(1).ilog2()).unwrap_or(0) + 1;
    ctx.charge(searched + found.len())?;
    found.sort_unstable();
    Ok(Val::list(
        found
            .into_iter()
            .filter_map(|i| sorted.items.get(i).cloned())
            .collect(),
    ))
}
