//! The default pack holds exactly the 39 rules of the clause 4.4 contract, with their
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
