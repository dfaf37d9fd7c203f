//! Definitions written once in the check language (`rules/prelude.json`) and used by every pack
//! as operators: how time, roles and evidence are judged (`happened`, `holds`, `holders`,
//! `management_role`, `criteria_in_force`, ...).
//!
//! A call such as `{"holds": {"person": "$aud", "role": "@/owner_role_id", "on": "@/held_on"}}`
//! compiles its arguments where it stands, binds them to the definition's parameters and
//! compiles the definition's body under those bindings, so a definition behaves exactly like
//! the expression it stands for.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The text of `rules/prelude.json`.
pub(crate) const PRELUDE: &str = crate::catalogue::PRELUDE_JSON;

/// One definition of the prelude.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Definition {
    /// The operator name it is called by.
    pub name: String,
    /// Its parameters, each bound as `$name` in `body`. Every argument is a source.
    pub params: Vec<String>,
    /// Argument names that stand for several parameters at once (`on` for `from` and `to`).
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    /// What it means, in words (shown in rules/README.md).
    #[allow(dead_code)]
    pub doc: String,
    /// The expression it stands for.
    pub body: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PreludeFile {
    #[allow(dead_code)]
    description: String,
    definitions: Vec<Definition>,
}

static DEFINITIONS: LazyLock<Vec<Definition>> = LazyLock::new(|| {
    serde_json::from_str::<PreludeFile>(PRELUDE)
        .map(|f| f.definitions)
        .unwrap_or_default()
});

/// The definition called `name`, if the prelude has one.
pub(crate) fn find(name: &str) -> Option<&'static Definition> {
    DEFINITIONS.iter().find(|d| d.name == name)
}

/// Every definition, in file order.
#[cfg(test)]
pub(crate) fn definitions() -> &'static [Definition] {
    &DEFINITIONS
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn the_prelude_parses_and_each_definition_uses_only_earlier_ones() {
        let file: PreludeFile = serde_json::from_str(PRELUDE).unwrap();
        assert_eq!(file.definitions.len(), definitions().len());
        assert!(definitions().len() >= 9);
        for (i, d) in definitions().iter().enumerate() {
            let text = d.body.to_string();
            for later in &definitions()[i..] {
                assert!(
                    !text.contains(&format!("\"{}\":", later.name)),
                    "{} uses {}, which is not defined before it",
                    d.name,
                    later.name
                );
            }
            for (alias, params) in &d.aliases {
                assert!(
                    !d.params.contains(alias),
                    "{}: alias {alias} is a parameter",
                    d.name
                );
                assert!(
                    params.iter().all(|p| d.params.contains(p)),
                    "{}: alias {alias}",
                    d.name
                );
            }
        }
    }
}
