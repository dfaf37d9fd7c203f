//! Equality probes: a `some`, `none`, `filter` or `for_each … where` over a fixed selection
//! of the model (a path from the root) whose condition is, or starts with, `eq` between a field
//! of the item and a value that does not depend on the item, only needs the items whose field
//! equals that value. An index of the selection by that field, built once per evaluation,
//! finds them; every other item would make the condition false without reading further, so
//! the result is the same as the full scan's.

use super::eval::{Ctx, Env, R, bind, eval, get};
use super::{Base, Expr, Seg, Val};
use foldhash::{HashMap, HashMapExt};
use std::rc::Rc;

/// Which side of the leading `eq` reads the item.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Probe {
    key_left: bool,
}

/// The items of one selection, grouped by the value of one field.
#[derive(Debug)]
pub(crate) struct EqIndex<'a> {
    /// The items of each value, in selection order, shared with every selection read from it.
    buckets: HashMap<String, Rc<Vec<Val<'a>>>>,
    /// The items whose field is missing.
    missing: Rc<Vec<Val<'a>>>,
}

/// The leading `eq` of a condition.
fn leading_eq(pred: &Expr) -> Option<(&Expr, &Expr)> {
    match pred {
        Expr::Eq(a, b) => Some((a, b)),
        Expr::And(items) => match items.first() {
            Some(Expr::Eq(a, b)) => Some((a, b)),
            _ => None,
        },
        _ => None,
    }
}

/// A probe for a binder over `src` binding `slot` with condition `pred`, when one applies.
pub(crate) fn detect(src: &Expr, slot: usize, pred: &Expr) -> Option<Probe> {
    let Expr::Get(p) = src else { return None };
    if p.base != Base::Root {
        return None;
    }
    let (a, b) = leading_eq(pred)?;
    let reads_item =
        |e: &Expr| matches!(e, Expr::Get(p) if p.base == Base::Slot(slot) && !p.has_wildcard());
    let fixed = |e: &Expr| match e {
        Expr::Const(_) => true,
        Expr::Get(p) => match p.base {
            Base::Root => true,
            Base::Slot(s) => s < slot,
        },
        _ => false,
    };
    if reads_item(a) && fixed(b) {
        Some(Probe { key_left: true })
    } else if reads_item(b) && fixed(a) {
        Some(Probe { key_left: false })
    } else {
        None
    }
}

/// The items of `src` that can satisfy `pred`, in selection order; `None` when the probe
/// cannot decide (the value compared with is undecided), and every item must be tried.
pub(crate) fn candidates<'a>(
    ctx: &Ctx<'a>,
    probe: Probe,
    src: &'a Expr,
    slot: usize,
    pred: &'a Expr,
    env: &mut Env<'a>,
) -> R<Option<Rc<Vec<Val<'a>>>>> {
    let (Expr::Get(sp), Some((a, b))) = (src, leading_eq(pred)) else {
        return Ok(None);
    };
    let (key, fixed) = if probe.key_left { (a, b) } else { (b, a) };
    let Expr::Get(kp) = key else { return Ok(None) };
    let want = eval(ctx, fixed, env)?;
    if matches!(want, Val::Unknown) {
        return Ok(None);
    }
    // Found first by the place of the probe, then by its paths (shared by every rule).
    let site = (
        std::ptr::from_ref(sp) as usize,
        std::ptr::from_ref(kp) as usize,
    );
    let index = match ctx.eq_index_at(site) {
        Some(i) => i,
        None => {
            let cache_key = (sp.segs.clone(), kp.segs.clone());
            let index = match ctx.eq_index(&cache_key) {
                Some(i) => i,
                None => {
                    let mut buckets: HashMap<String, Vec<Val<'a>>> = HashMap::new();
                    let mut missing = Vec::new();
                    for item in get(ctx, sp, env).items() {
                        bind(env, slot, item.clone());
                        let v = get(ctx, kp, env);
                        if v.is_missing() {
                            missing.push(item);
                        } else {
                            buckets
                                .entry(super::eval::val_key(&v))
                                .or_default()
                                .push(item);
                        }
                    }
                    let index = Rc::new(EqIndex {
                        buckets: buckets.into_iter().map(|(k, v)| (k, Rc::new(v))).collect(),
                        missing: Rc::new(missing),
                    });
                    ctx.keep_eq_index(cache_key, index.clone());
                    index
                }
            };
            ctx.keep_eq_index_at(site, index.clone());
            index
        }
    };
    let bucket = if want.is_missing() {
        Some(&index.missing)
    } else {
        index.buckets.get(&super::eval::val_key(&want))
    };
    Ok(Some(bucket.cloned().unwrap_or_default()))
}

/// The key an index of `src` by `key` is cached under.
pub(crate) type IndexKey = (Vec<Seg>, Vec<Seg>);
