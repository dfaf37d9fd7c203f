//! Selections remembered by the values of the variables they read.
//!
//! An expression that walks a selection and reads variables bound outside it (the assignees
//! of `$role`, the holders of a role on a date) gives the same value whenever those variables
//! hold the same values. Inside a loop over processes, most of which share a few owner roles,
//! it would be walked again for every process. The compiler wraps such an expression
//! ([`Expr::Keyed`]); the evaluation keeps its value under the identity of the values read:
//! a model node by its place in the model, a constant of the pack by its address, a computed
//! scalar by its JSON text. The value is reused when the same values come back, so a loop costs
//! one walk per distinct value, not one per item.
//!
//! A value the key cannot name (a computed object or array, a selection) evaluates the
//! expression as usual. A place whose values rarely repeat (the loop's own item) stops being
//! remembered after [`TRIALS`] misses with fewer hits than misses, so it costs little more
//! than a plain evaluation; at most [`MAX_ENTRIES`] values are kept in one evaluation.

use super::eval::{Ctx, Env, R, eval};
use super::{Expr, Val};
use crate::doc::NodeId;
use foldhash::HashMap;

/// Misses at one place before it is judged: remembered while it has at least as many hits.
pub(crate) const TRIALS: u32 = 32;
/// Values kept in one evaluation, over every place.
pub(crate) const MAX_ENTRIES: usize = 1 << 16;

/// The identity of one value read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Part {
    Missing,
    Unknown,
    /// A node of a document (by the document's address and the node).
    Node(usize, NodeId),
    /// A constant of the pack or of the evaluation, by address.
    Lit(usize),
    /// A computed scalar, by its JSON text (so `1` and `1.0` differ, as they print).
    Scalar(String),
}

#[derive(Debug, Default)]
struct Place {
    hits: u32,
    misses: u32,
    off: bool,
}

/// The values kept in one evaluation.
#[derive(Default)]
pub(crate) struct KeyedCache<'a> {
    places: HashMap<usize, Place>,
    values: HashMap<(usize, Vec<Part>), Val<'a>>,
}

fn part(v: &Val<'_>) -> Option<Part> {
    Some(match v {
        Val::Missing => Part::Missing,
        Val::Unknown => Part::Unknown,
        Val::Node(doc, id) => Part::Node(std::ptr::from_ref(*doc) as usize, *id),
        Val::Lit(v) => Part::Lit(std::ptr::from_ref(*v) as usize),
        Val::Own(v) if !v.is_array() && !v.is_object() => Part::Scalar(v.to_string()),
        Val::Own(_) | Val::List(_) => return None,
    })
}

/// Evaluates `expr`, which reads the variables in `slots`, or reuses its value for the same
/// values of them. `site` is the wrapping expression (its address names the place).
pub(crate) fn eval_keyed<'a>(
    ctx: &Ctx<'a>,
    site: &'a Expr,
    slots: &[usize],
    expr: &'a Expr,
    env: &mut Env<'a>,
) -> R<Val<'a>> {
    let place = std::ptr::from_ref(site) as usize;
    if ctx.keyed.borrow().places.get(&place).is_some_and(|p| p.off) {
        return eval(ctx, expr, env);
    }
    let key: Option<Vec<Part>> = slots
        .iter()
        .map(|s| part(env.get(*s).unwrap_or(&Val::Missing)))
        .collect();
    let Some(key) = key else {
        return eval(ctx, expr, env);
    };
    let key = (place, key);
    {
        let mut cache = ctx.keyed.borrow_mut();
        if let Some(v) = cache.values.get(&key).cloned() {
            cache.places.entry(place).or_default().hits += 1;
            return Ok(v);
        }
    }
    let v = eval(ctx, expr, env)?;
    let mut cache = ctx.keyed.borrow_mut();
    let p = cache.places.entry(place).or_default();
    p.misses += 1;
    if p.misses >= TRIALS && p.hits < p.misses {
        p.off = true;
    } else if cache.values.len() < MAX_ENTRIES {
        cache.values.insert(key, v.clone());
    }
    Ok(v)
}
