//! Members of a model object that the model schema does not define.
//!
//! The schema closes only the root object: below it, an object may hold members the schema
//! does not list, and the rules never read them. Such a member is most often a misspelling
//! (`owner_roleid` for `owner_role_id`), after which a rule reports the real member as missing
//! with no hint why. So each one is a warning (an error under `strict`), naming the member the
//! schema defines at that place that it most resembles. Members whose name starts with `x_` are
//! extensions, never warned about.

use super::MODEL_SCHEMA;
use crate::doc::{Doc, Kind, NodeId};
use crate::error::Issue;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// What the schema allows at one place of the model.
#[derive(Debug, Default)]
struct Shape {
    /// The members the schema defines for an object at this place, with their own shapes.
    members: BTreeMap<String, Shape>,
    /// Whether a member not in `members` is unknown here: the schema lists the properties and
    /// leaves the object open (no `additionalProperties`, no `patternProperties`). Where it
    /// closes the object, as at the root, an unknown member is a schema error instead.
    open: bool,
    /// The shape of the items of an array at this place.
    items: Option<Box<Shape>>,
}

/// Deepest `$ref` chain followed while reading the schema (it has none longer than one).
const MAX_REFS: usize = 8;

/// The shapes of the model schema, read once.
static SHAPE: LazyLock<Shape> = LazyLock::new(|| match serde_json::from_str(MODEL_SCHEMA) {
    Ok(schema) => shape(&schema, &schema),
    Err(_) => Shape::default(),
});

/// The shape of the subschema `s` of `root`, its `$ref`s to `#/$defs/…` followed.
fn shape(s: &Value, root: &Value) -> Shape {
    let mut s = s;
    for _ in 0..MAX_REFS {
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| root.pointer(p)) {
                Some(target) => s = target,
                None => return Shape::default(),
            },
            None => break,
        }
    }
    let props = s.get("properties").and_then(Value::as_object);
    Shape {
        members: props
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), shape(v, root)))
            .collect(),
        open: props.is_some()
            && s.get("additionalProperties").is_none()
            && s.get("patternProperties").is_none(),
        items: s.get("items").map(|i| Box::new(shape(i, root))),
    }
}

/// The members of `doc` the model schema does not define, (members by name, items in order), each an issue
/// with `code` (the warning code, or the error code under `strict`); at most `max` of them.
pub(crate) fn unknown_members(doc: &Doc, code: &'static str, max: usize) -> Vec<Issue> {
    let mut found = Vec::new();
    walk(doc, doc.root(), &SHAPE, code, max, &mut found);
    found
}

fn walk(
    doc: &Doc,
    node: NodeId,
    shape: &Shape,
    code: &'static str,
    max: usize,
    found: &mut Vec<Issue>,
) {
    match doc.kind(node) {
        Kind::Object => {
            for (key, child) in doc.members(node) {
                if found.len() >= max {
                    return;
                }
                match shape.members.get(key) {
                    Some(s) => walk(doc, child, s, code, max, found),
                    None if shape.open && !key.starts_with("x_") => {
                        found.push(unknown(doc, node, key, child, shape, code));
                    }
                    None => {}
                }
            }
        }
        Kind::Array => {
            if let Some(items) = &shape.items {
                for item in doc.items(node) {
                    // Past `max`, no item can add one: the rest of a long array is not walked.
                    if found.len() >= max {
                        return;
                    }
                    walk(doc, item, items, code, max, found);
                }
            }
        }
        _ => {}
    }
}

/// The issue of the member `key` of the object `parent`.
fn unknown(
    doc: &Doc,
    parent: NodeId,
    key: &str,
    child: NodeId,
    shape: &Shape,
    code: &'static str,
) -> Issue {
    let at = doc.pointer(parent);
    let place = if at.is_empty() {
        "the model".to_owned()
    } else {
        at
    };
    let message = format!(
        "`{key}` in {place} is not a member the model schema defines there, so no rule reads it"
    );
    let help = match closest(key, shape.members.keys().map(String::as_str)) {
        Some(m) => format!("did you mean `{m}`? (a member meant as an extension starts with `x_`)"),
        None => format!(
            "the members defined there are {}; a member meant as an extension starts with `x_`",
            list(shape.members.keys().map(String::as_str))
        ),
    };
    Issue {
        help: Some(help),
        ..Issue::new(code, message, doc.pointer(child))
    }
}

/// The member of `known` that `key` most likely misspells: the same once case, `_` and `-`
/// are set aside, or else the nearest by edit distance (transpositions counting once) when at
/// most a third of `key`'s letters differ; on a tie, the first in alphabetical order.
fn closest<'a>(key: &str, known: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    let plain = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let key_plain = plain(key);
    if let Some(same) = known.clone().find(|k| plain(k) == key_plain) {
        return Some(same);
    }
    let budget = key.chars().count() / 3;
    known
        .map(|k| (strsim::damerau_levenshtein(key, k), k))
        .filter(|(d, _)| *d <= budget.max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// `a`, `b` and `c`, each in backquotes.
fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    match names.split_last() {
        None => "none".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::codes;

    fn warnings(text: &str) -> Vec<Issue> {
        let doc = Doc::parse(text).unwrap();
        unknown_members(&doc, codes::UNKNOWN_MEMBER_WARNING, 100)
    }

    #[test]
    fn a_misspelt_nested_member_is_named_with_the_member_meant() {
        let w = warnings(
            r#"{"schema_version": "1.0", "processes": [{"id": "p1"}, {"id": "p2", "owner_roleid": "r1"}]}"#,
        );
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, "AIMS-W-UNKNOWN-MEMBER");
        assert_eq!(w[0].pointer, "/processes/1/owner_roleid");
        assert!(
            w[0].message.contains("`owner_roleid` in /processes/1"),
            "{}",
            w[0].message
        );
        assert_eq!(
            w[0].help.as_deref(),
            Some("did you mean `owner_role_id`? (a member meant as an extension starts with `x_`)")
        );
    }

    #[test]
    fn extensions_known_members_and_the_closed_root_give_no_warning() {
        // `x_notes` is an extension; an unknown root member is a schema error, not a warning.
        let w = warnings(
            r#"{"schema_version": "1.0", "x_source": 1, "organization": {"name": "A", "x_notes": "n"}}"#,
        );
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn case_and_separators_are_set_aside_before_the_distance() {
        assert_eq!(
            closest("ownerRoleId", ["name", "owner_role_id"].into_iter()),
            Some("owner_role_id")
        );
        assert_eq!(
            closest("staus", ["status", "stage"].into_iter()),
            Some("status")
        );
        // Nothing close: no guess.
        assert_eq!(
            closest("comments", ["id", "name", "status"].into_iter()),
            None
        );
    }

    #[test]
    fn without_a_close_member_the_help_lists_those_defined() {
        let w = warnings(
            r#"{"schema_version": "1.0", "organization": {"name": "A", "headquarters": "Paris"}}"#,
        );
        assert_eq!(w.len(), 1);
        let help = w[0].help.as_deref().unwrap();
        assert!(
            help.starts_with("the members defined there are `"),
            "{help}"
        );
        assert!(help.contains("`name`") && help.contains(" and `"), "{help}");
    }

    #[test]
    fn items_of_nested_arrays_are_walked_and_the_count_is_capped() {
        let w = warnings(
            r#"{"schema_version": "1.0", "processes": [{"id": "p", "inputs": [], "naem": 1, "purpse": 2, "ownr": 3}]}"#,
        );
        assert_eq!(w.len(), 3);
        let doc = Doc::parse(
            r#"{"schema_version": "1.0", "processes": [{"id": "p", "naem": 1, "purpse": 2}]}"#,
        )
        .unwrap();
        assert_eq!(unknown_members(&doc, codes::UNKNOWN_MEMBER, 1).len(), 1);
    }
}
