//! `rules explain`: what a rule checks and why, and a model fragment on which it passes.

use crate::diag::{Failure, codes};
use crate::text::Style;
use aimscheck::{Engine, Issue, RuleMeta};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

/// How many near ids an unknown-rule error suggests.
const SUGGESTIONS: usize = 3;

/// The rule `id` of the engine's packs (exact, else the only case-insensitive match), or an
/// `AIMS-E-UNKNOWN-RULE` issue naming the nearest ids.
pub fn find<'a>(engine: &'a Engine, id: &str) -> Result<&'a RuleMeta, Failure> {
    let all: Vec<&RuleMeta> = engine.packs().flat_map(|p| p.rules()).collect();
    if let Some(r) = all.iter().find(|r| r.id == id) {
        return Ok(r);
    }
    let folded: Vec<&&RuleMeta> = all
        .iter()
        .filter(|r| r.id.eq_ignore_ascii_case(id))
        .collect();
    if let [only] = folded.as_slice() {
        return Ok(only);
    }
    let upper = id.to_ascii_uppercase();
    let mut ranked: Vec<(usize, &str)> = all
        .iter()
        .map(|r| (distance(&upper, &r.id.to_ascii_uppercase()), r.id.as_str()))
        .collect();
    ranked.sort();
    let nearest: Vec<&str> = ranked.iter().take(SUGGESTIONS).map(|(_, id)| *id).collect();
    let hint = if nearest.is_empty() {
        "no pack is loaded".to_owned()
    } else {
        format!(
            "nearest: {}; `aimscheck rules list` shows them all",
            nearest.join(", ")
        )
    };
    let mut issue = Issue::new(
        codes::UNKNOWN_RULE,
        format!("no loaded pack has rule \"{id}\"; {hint}"),
        "",
    );
    issue.rule_id = Some(id.to_owned());
    Err(Failure::one(issue))
}

/// Levenshtein distance between two strings, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute =
                prev.get(j).copied().unwrap_or(usize::MAX / 2) + usize::from(ca != *cb);
            let delete = prev.get(j + 1).copied().unwrap_or(usize::MAX / 2) + 1;
            let insert = cur.get(j).copied().unwrap_or(usize::MAX / 2) + 1;
            cur.push(substitute.min(delete).min(insert));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or_default()
}

/// Where the rule's pack came from, to say how to load it again.
#[derive(Debug, Clone, Copy)]
pub struct Loading<'a> {
    /// The `--rules` folder of the rule's pack; `None` for the embedded pack.
    pub dir: Option<&'a Path>,
    /// Whether the embedded pack was left out.
    pub no_default_rules: bool,
}

/// Renders the explanation of `rule`.
pub fn text(rule: &RuleMeta, loading: &Loading<'_>, style: Style) -> String {
    let mut s = String::new();
    let tiers: Vec<&str> = rule.tiers.iter().map(|t| t.as_str()).collect();
    let _ = writeln!(
        s,
        "{} [{}] {}",
        style.bold(&rule.id),
        rule.severity.as_str(),
        rule.title
    );
    let _ = writeln!(
        s,
        "  severity {}; aspect {}; tiers {}; pack {}",
        rule.severity.as_str(),
        rule.aspect,
        tiers.join(", "),
        rule.pack
    );

    s.push_str("\nclauses:\n");
    for c in &rule.clause_refs {
        match aimscheck::catalogue::title(c) {
            Some(title) => {
                let _ = writeln!(s, "  {c} {title}");
            }
            None => {
                let _ = writeln!(s, "  {c}");
            }
        }
    }
    if !rule.forms.is_empty() {
        s.push_str("\nwhat each tier checks:\n");
        // In tier order (startup, scaleup, enterprise), then any other key.
        let mut forms: Vec<(&String, &String)> = rule.forms.iter().collect();
        forms.sort_by_key(|(tier, _)| {
            let t = aimscheck::Tier::parse(tier);
            (t.is_none(), t, tier.as_str())
        });
        for (tier, form) in forms {
            let _ = writeln!(s, "  {tier}: {form}");
        }
    }
    let _ = write!(s, "\nwhy:\n  {}\n", rule.rationale);
    let _ = write!(s, "\nwhat to do when it fails:\n  {}\n", rule.remediation);

    let example = rule.example.as_ref();
    let as_of = example.and_then(|e| e.get("as_of")).and_then(Value::as_str);
    let model = example.and_then(|e| e.get("model"));
    match (as_of, model) {
        (Some(as_of), Some(model)) => {
            let tier = rule.tiers.iter().min().map_or("startup", |t| t.as_str());
            let _ = writeln!(
                s,
                "\npassing example (as of {as_of}, tier {tier}): a model fragment on which the rule passes"
            );
            let pretty = serde_json::to_string_pretty(model).unwrap_or_default();
            for line in pretty.lines() {
                let _ = writeln!(s, "  {line}");
            }
            let mut packs = String::new();
            if loading.no_default_rules {
                packs.push_str(" --no-default-rules");
            }
            if let Some(dir) = loading.dir {
                let _ = write!(packs, " --rules {}", dir.display());
            }
            let _ = write!(
                s,
                "\ntry it: save the fragment with \"schema_version\": \"1.0\" added as example.json, then run\n  aimscheck check example.json --as-of {as_of} --tier {tier}{packs}\n  ({} passes; rules about the parts the fragment leaves out may fail)\n",
                rule.id
            );
        }
        _ => s.push_str("\npassing example: none in the pack\n"),
    }
    s
}

#[cfg(test)]
mod tests {
    use super::distance;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("AIMS-PROC-1", "AIMS-PROC-01"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("abc", "abc"), 0);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
