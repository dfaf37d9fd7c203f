//! The default pack holds exactly the 53 rules of the clause 4.4 contract (CHECKS.md sections
//! A to G, and the 14 rules of section H added by pack 0.2), with their
//! clauses, severities and tiers (S every tier, U scaleup and up, E enterprise, S/U every
//! tier with a lighter startup form).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use aimscheck::{RulePack, Tier};

const CONTRACT: &[(&str, &[&str], &str, &str)] = &[
    ("AIMS-PROC-01", &["4.4"], "critical", "S/U"),
    ("AIMS-PROC-02", &["4.4", "5.3"], "high", "S"),
    ("AIMS-PROC-03", &["4.4", "7.5.1"], "high", "S"),
    ("AIMS-PROC-04", &["4.4", "7.5.3"], "high", "S"),
    ("AIMS-PROC-05", &["4.4"], "high", "U"),
    (
        "AIMS-PROC-06",
        &["4.4", "6.1.2", "6.1.4", "9.3.2", "10.1"],
        "high",
        "U",
    ),
    ("AIMS-PROC-07", &["4.4"], "medium", "U"),
    ("AIMS-PROC-08", &["4.4", "5.1", "8.1"], "medium", "U"),
    ("AIMS-PROC-09", &["4.4", "5.1"], "medium", "E"),
    ("AIMS-CTX-01", &["4.1"], "high", "S"),
    ("AIMS-CTX-02", &["4.2"], "high", "S"),
    ("AIMS-CTX-03", &["4.3"], "critical", "S"),
    ("AIMS-LEAD-01", &["5.2", "A.2.2", "A.2.3"], "critical", "S"),
    ("AIMS-LEAD-02", &["5.3", "A.3.2"], "high", "S"),
    ("AIMS-RISK-01", &["6.1.1", "6.1.2"], "critical", "S"),
    ("AIMS-RISK-02", &["6.1.2", "8.2"], "critical", "S"),
    ("AIMS-RISK-03", &["6.1.4", "8.4", "A.5"], "critical", "S"),
    (
        "AIMS-RISK-04",
        &["8.1", "8.2", "8.4", "A.6.2.5"],
        "critical",
        "S/U",
    ),
    ("AIMS-RISK-05", &["8.2", "8.4", "6.3"], "high", "U"),
    ("AIMS-RISK-06", &["6.1.3", "8.3"], "high", "S"),
    ("AIMS-RISK-07", &["6.1.3"], "critical", "S"),
    ("AIMS-OBJ-01", &["6.2", "9.1"], "high", "S/U"),
    ("AIMS-DOC-01", &["7.5.1"], "critical", "S"),
    ("AIMS-DOC-02", &["7.5.2"], "high", "S"),
    ("AIMS-DOC-03", &["7.5.2", "A.2.4"], "high", "S"),
    ("AIMS-DOC-04", &["7.5.3", "6.3"], "medium", "U"),
    ("AIMS-SUP-01", &["7.2", "7.3"], "medium", "U"),
    ("AIMS-OPS-01", &["4.4", "8.1"], "high", "S/U"),
    ("AIMS-OPS-02", &["7.5", "9.1"], "medium", "U"),
    ("AIMS-MON-01", &["9.1"], "high", "U"),
    ("AIMS-AUD-01", &["9.2.2"], "high", "U"),
    ("AIMS-AUD-02", &["9.2.1", "9.2.2"], "critical", "U"),
    ("AIMS-MR-01", &["9.3.1"], "critical", "U"),
    ("AIMS-MR-02", &["9.3.2", "9.3.3"], "high", "U"),
    ("AIMS-NC-01", &["10.2"], "high", "S"),
    ("AIMS-NC-02", &["10.2", "9.3.3"], "high", "S"),
    ("AIMS-NC-03", &["10.2"], "high", "U"),
    ("AIMS-CI-01", &["10.1", "9.3.3"], "medium", "U"),
    ("AIMS-CI-02", &["10.1", "4.4"], "medium", "E"),
    // Section H (pack 0.2).
    ("AIMS-PROC-10", &["4.4", "7.5.2"], "medium", "S"),
    ("AIMS-RISK-08", &["6.1.4", "6.1.2", "8.4"], "high", "S"),
    ("AIMS-RISK-09", &["6.1.3", "8.3"], "high", "S"),
    ("AIMS-RISK-10", &["8.1", "A.6.2.6"], "medium", "S"),
    ("AIMS-OBJ-02", &["6.2", "9.1", "10.1"], "medium", "U"),
    ("AIMS-SUP-02", &["7.2", "A.4.6"], "high", "S"),
    ("AIMS-MON-02", &["9.1", "10.1"], "medium", "U"),
    ("AIMS-AUD-03", &["9.2.2"], "high", "U"),
    ("AIMS-AUD-04", &["9.2.2", "10.2"], "medium", "U"),
    ("AIMS-MR-03", &["9.3.2", "9.3.3", "9.2.2"], "medium", "U"),
    ("AIMS-NC-04", &["10.2"], "high", "S"),
    (
        "AIMS-SUP-03",
        &["8.1", "A.10.2", "A.10.3", "A.10.4"],
        "high",
        "U",
    ),
    (
        "AIMS-LC-01",
        &[
            "8.1", "A.6.2.2", "A.6.2.3", "A.6.2.4", "A.6.2.5", "A.6.2.7", "A.6.2.8", "A.9.4",
        ],
        "high",
        "U",
    ),
    (
        "AIMS-DATA-01",
        &["8.1", "A.7.2", "A.7.3", "A.7.4", "A.7.5", "A.7.6"],
        "medium",
        "U",
    ),
];

#[test]
fn the_default_pack_matches_the_contract() {
    let pack = RulePack::embedded().unwrap();
    let ids: Vec<&str> = pack.rules().map(|r| r.id.as_str()).collect();
    let mut want: Vec<&str> = CONTRACT.iter().map(|r| r.0).collect();
    want.sort_unstable();
    assert_eq!(ids, want, "rule ids");
    for (id, clauses, severity, tier) in CONTRACT {
        let r = pack.rules().find(|r| r.id == *id).unwrap();
        assert_eq!(r.clause_refs, clauses.to_vec(), "{id} clauses");
        assert_eq!(r.severity.as_str(), *severity, "{id} severity");
        let tiers: Vec<Tier> = match *tier {
            "S" | "S/U" => vec![Tier::Startup, Tier::Scaleup, Tier::Enterprise],
            "U" => vec![Tier::Scaleup, Tier::Enterprise],
            _ => vec![Tier::Enterprise],
        };
        assert_eq!(r.tiers, tiers, "{id} tiers");
        assert_eq!(
            *tier == "S/U",
            !r.forms.is_empty(),
            "{id}: a lighter startup form is described in `forms`"
        );
        assert!(
            !r.title.is_empty() && !r.rationale.is_empty() && !r.remediation.is_empty(),
            "{id} texts"
        );
    }
}

/// The default pack's files, as JSON.
fn pack_files() -> Vec<(String, serde_json::Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/iso42001-4.4");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap(),
            )
        })
        .collect()
}

/// Every place in `v` where `f` finds something wrong, with its JSON Pointer.
fn walk(
    v: &serde_json::Value,
    at: &str,
    f: &dyn Fn(&serde_json::Value) -> bool,
    out: &mut Vec<String>,
) {
    if f(v) {
        out.push(at.to_owned());
    }
    match v {
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk(x, &format!("{at}/{i}"), f, out);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                walk(x, &format!("{at}/{k}"), f, out);
            }
        }
        _ => {}
    }
}

/// Principle 1 has one spelling: "dated on or before as_of" is `happened`, never a comparison
/// with `as_of` written out in a rule or an indicator (CHECKS.md, "How time, roles and evidence
/// are judged"). Deadlines (`lt` due date, `ge` expiry) are other questions and stay comparisons.
#[test]
fn the_default_pack_says_on_or_before_as_of_one_way() {
    let as_of = serde_json::json!({"as_of": true});
    let spelled_out = |v: &serde_json::Value| -> bool {
        let pair = |op: &str| v.get(op).and_then(serde_json::Value::as_array).cloned();
        // "on or before as_of" (happened) and "after as_of" (not happened).
        pair("le").is_some_and(|a| a.len() == 2 && a[1] == as_of)
            || pair("ge").is_some_and(|a| a.len() == 2 && a[0] == as_of)
            || pair("gt").is_some_and(|a| a.len() == 2 && a[1] == as_of)
            || pair("lt").is_some_and(|a| a.len() == 2 && a[0] == as_of)
    };
    let mut found = Vec::new();
    for (name, file) in pack_files() {
        walk(&file, &name, &spelled_out, &mut found);
    }
    assert!(
        found.is_empty(),
        "use {{\"happened\": date}} (or its negation) instead of comparing with as_of at:\n{}",
        found.join("\n")
    );
}

/// Principles 4 and 5 have one definition each: no rule reads "the first" risk criteria entry,
/// and none spells out which roles are management or top management.
#[test]
fn the_default_pack_uses_one_definition_of_management_and_of_the_criteria_in_force() {
    let mut found = Vec::new();
    for (name, file) in pack_files() {
        let text = file.to_string();
        for banned in ["/risk_criteria/0", "\"/aims/top_management_role_ids\""] {
            if text.contains(banned) {
                found.push(format!("{name}: {banned}"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
