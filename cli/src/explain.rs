//! `rules explain`: what a rule checks and why, and a model fragment on which it passes.

use crate::diag::Failure;
use crate::text::Style;
use aimscheck::{Engine, RuleMeta};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

/// The rule `id` of the engine's packs ([`aimscheck::api::find_rule`]), or an
/// `AIMS-E-UNKNOWN-RULE` issue naming the nearest ids.
pub fn find<'a>(engine: &'a Engine, id: &str) -> Result<&'a RuleMeta, Failure> {
    aimscheck::api::find_rule(engine, id).map_err(|e| {
        let mut f = Failure::default();
        f.add(&e, None);
        f
    })
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
