//! Structured edits of valid models, for `evaluate_edits`.
//!
//! Bytes mutated at random rarely stay a model that loads: one wrong enum value or a broken
//! bracket and the model is refused, so the evaluator and the exporters see few inputs. Here
//! the fuzzer's bytes instead choose a valid seed model and then a short list of edits to it,
//! each of a kind that often keeps the model valid but changes what the rules see: a member or
//! an element removed, a value replaced by one found under the same member name elsewhere in
//! the model (another process's status, another id: a dangling or crossed reference), dates
//! moved around the evaluation date (and onto days that do not exist), strings, numbers and
//! booleans changed, entities duplicated under new ids, values set to null (the same as
//! absent). libFuzzer still mutates the bytes and keeps those that reach new code, so the
//! choices it learns are choices of edits.

use arbitrary::{Result, Unstructured};
use serde_json::{Value, json};
use std::sync::LazyLock;

/// The valid models the edits start from: shared cases that each fill in a different part of
/// the model (the examples are too large: evaluating and exporting one takes seconds under
/// AddressSanitizer).
const SEEDS: &[&str] = &[
    include_str!("../../tests/cases/aims-proc-01-full-set-scaleup-pass/model.json"),
    include_str!("../../tests/cases/aims-proc-06-implied-flows-pass/model.json"),
    include_str!("../../tests/cases/aims-risk-07-soa-complete-startup/model.json"),
    include_str!("../../tests/cases/aims-doc-01-all-documents-approved-startup/model.json"),
    include_str!(
        "../../tests/cases/aims-ci-02-automated-nc-and-approved-transitions-enterprise/model.json"
    ),
    include_str!("../../tests/cases/aims-aud-02-recent-independent-reported-scaleup/model.json"),
    include_str!("../../tests/cases/aims-ctx-01-context-reviewed-startup/model.json"),
];

/// The seeds, parsed once.
static BASES: LazyLock<Vec<Value>> = LazyLock::new(|| {
    SEEDS
        .iter()
        .map(|s| serde_json::from_str(s).expect("a seed model is JSON"))
        .collect()
});

/// Most edits applied to one seed.
pub const MAX_EDITS: usize = 16;

/// Strings worth trying anywhere a string goes.
const STRINGS: &[&str] = &[
    "",
    " ",
    "x",
    "approved",
    "draft",
    "retired",
    "planned",
    "completed",
    "high",
    "low",
    "4.4",
    "4.1",
    "10.2",
    "A.2.2",
    "ai-system",
    "\u{0}",
    "\u{feff}é漢字😀",
    "<script>\"&'</script>",
    "line\nbreak,comma\"quote",
    "--> ]]> `|` {}",
    "#/processes/0",
];

/// Numbers worth trying anywhere a number goes.
const NUMBERS: &[f64] = &[
    0.0,
    1.0,
    -1.0,
    2.0,
    0.5,
    100.0,
    101.0,
    1e9,
    9007199254740993.0,
    1e300,
    -1e300,
    5e-324,
];

/// Where a node is: its JSON Pointer, its parent's, the last step and the member name it is
/// under (an array element is under its array's name).
struct Node {
    pointer: String,
    parent: String,
    step: Step,
    name: String,
}

enum Step {
    Key(String),
    Index(usize),
}

/// Every node below the root, in document order.
fn nodes(value: &Value) -> Vec<Node> {
    fn walk(v: &Value, pointer: &str, name: &str, out: &mut Vec<Node>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let p = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                    out.push(Node {
                        pointer: p.clone(),
                        parent: pointer.to_owned(),
                        step: Step::Key(k.clone()),
                        name: k.clone(),
                    });
                    walk(child, &p, k, out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let p = format!("{pointer}/{i}");
                    out.push(Node {
                        pointer: p.clone(),
                        parent: pointer.to_owned(),
                        step: Step::Index(i),
                        name: name.to_owned(),
                    });
                    walk(child, &p, name, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, "", "", &mut out);
    out
}

/// A seed model with edits chosen by `u`.
pub fn apply(u: &mut Unstructured<'_>) -> Result<Value> {
    let mut model = BASES
        .get(u.choose_index(SEEDS.len())?)
        .cloned()
        .unwrap_or_default();
    for _ in 0..MAX_EDITS {
        if u.is_empty() {
            break;
        }
        edit(u, &mut model)?;
    }
    Ok(model)
}

/// The kinds of edit.
#[derive(Clone, Copy)]
enum Op {
    Remove,
    Donor,
    Date,
    Text,
    Number,
    Bool,
    Null,
    Duplicate,
    Empty,
}

/// Every kind of edit, for the occasional edit that ignores the node's type.
const ALL_OPS: &[Op] = &[
    Op::Remove,
    Op::Donor,
    Op::Date,
    Op::Text,
    Op::Number,
    Op::Bool,
    Op::Null,
    Op::Duplicate,
    Op::Empty,
];

/// The edits that keep a node's JSON type (so the model more often still loads): a model
/// whose every edit is typed loads about a third of the time, against one in ten when any
/// edit goes anywhere.
fn typed_ops(value: Option<&Value>) -> &'static [Op] {
    match value {
        Some(Value::String(_)) => &[
            Op::Remove,
            Op::Donor,
            Op::Date,
            Op::Text,
            Op::Null,
            Op::Duplicate,
        ],
        Some(Value::Number(_)) => &[Op::Remove, Op::Donor, Op::Number, Op::Null],
        Some(Value::Bool(_)) => &[Op::Remove, Op::Donor, Op::Bool, Op::Null],
        Some(Value::Array(_)) => &[Op::Remove, Op::Donor, Op::Empty, Op::Null],
        Some(Value::Object(_)) => &[Op::Remove, Op::Donor, Op::Empty, Op::Null, Op::Duplicate],
        Some(Value::Null) | None => &[Op::Remove, Op::Donor],
    }
}

/// One edit.
fn edit(u: &mut Unstructured<'_>, model: &mut Value) -> Result<()> {
    let all = nodes(model);
    if all.is_empty() {
        return Ok(());
    }
    let at = u.choose(&all)?;
    let ops = if u.ratio(1u8, 16)? {
        ALL_OPS
    } else {
        typed_ops(model.pointer(&at.pointer))
    };
    let new = match *u.choose(ops)? {
        Op::Remove => {
            match (&at.step, model.pointer_mut(&at.parent)) {
                (Step::Key(k), Some(Value::Object(map))) => {
                    map.remove(k);
                }
                (Step::Index(i), Some(Value::Array(items))) if *i < items.len() => {
                    items.remove(*i);
                }
                _ => {}
            }
            return Ok(());
        }
        // A value found under the same member name elsewhere (any node when there is none).
        Op::Donor => {
            let donors: Vec<&Node> = all
                .iter()
                .filter(|n| n.name == at.name && n.pointer != at.pointer)
                .collect();
            let pointer = if donors.is_empty() {
                &u.choose(&all)?.pointer
            } else {
                &u.choose(&donors)?.pointer
            };
            model.pointer(pointer).cloned().unwrap_or(Value::Null)
        }
        // A date near the evaluation date, or one of the calendar's edges.
        Op::Date => {
            let year = 2024 + i32::from(u.int_in_range(0u8..=4)?);
            let year = if u.ratio(1u8, 16)? { 9999 } else { year };
            let month = u.int_in_range(0u8..=13)?;
            let day = u.int_in_range(0u8..=32)?;
            json!(format!("{year:04}-{month:02}-{day:02}"))
        }
        // A string: another one of the model's (an id, a status, a clause), or a tricky one.
        Op::Text => {
            let strings: Vec<&Node> = all
                .iter()
                .filter(|n| model.pointer(&n.pointer).is_some_and(Value::is_string))
                .collect();
            if !strings.is_empty() && u.arbitrary()? {
                let pointer = &u.choose(&strings)?.pointer;
                model.pointer(pointer).cloned().unwrap_or(Value::Null)
            } else {
                json!(u.choose(STRINGS)?)
            }
        }
        Op::Number => {
            if u.arbitrary()? {
                json!(u.choose(NUMBERS)?)
            } else {
                json!(u.arbitrary::<i32>()?)
            }
        }
        Op::Bool => json!(u.arbitrary::<bool>()?),
        // Null, which loading treats as absent.
        Op::Null => Value::Null,
        // Duplicate an element of the array the node is in, under a new id when it has one.
        Op::Duplicate => {
            if let (Step::Index(i), Some(Value::Array(items))) =
                (&at.step, model.pointer_mut(&at.parent))
            {
                if let Some(mut copy) = items.get(*i).cloned() {
                    if let Some(Value::String(id)) = copy.get_mut("id") {
                        id.push_str("-copy");
                    }
                    let to = u.int_in_range(0..=items.len())?;
                    items.insert(to, copy);
                }
            }
            return Ok(());
        }
        // An empty array or object of the kind the node is.
        Op::Empty => match model.pointer(&at.pointer) {
            Some(Value::Object(_)) => json!({}),
            _ => json!([]),
        },
    };
    if let Some(slot) = model.pointer_mut(&at.pointer) {
        *slot = new;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aimscheck::Model;

    /// Every seed loads as it is (an empty input is the first seed, unedited).
    #[test]
    fn every_seed_loads() {
        for (i, seed) in BASES.iter().enumerate() {
            if let Err(e) = Model::from_value(seed.clone()) {
                panic!("seed {i} does not load: {e:?}");
            }
        }
        let value = apply(&mut Unstructured::new(&[])).expect("no bytes, no edit");
        assert_eq!(Some(&value), BASES.first());
    }

    /// Edits change the model, and many edited models still load.
    #[test]
    fn edits_keep_many_models_loading() {
        let (mut changed, mut loaded) = (0, 0);
        for n in 0u32..200 {
            let bytes: Vec<u8> = (0..24u32)
                .map(|i| (n * 31 + i * 17 + n * i) as u8)
                .collect();
            let value = apply(&mut Unstructured::new(&bytes)).expect("edits apply");
            changed += usize::from(!BASES.contains(&value));
            loaded += usize::from(Model::from_value(value).is_ok());
        }
        assert!(
            changed > 150,
            "only {changed} of 200 edited models differ from their seed"
        );
        assert!(loaded > 20, "only {loaded} of 200 edited models load");
        println!("{changed} of 200 changed, {loaded} loaded");
    }
}
