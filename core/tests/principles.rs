#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The operators that carry the five principles of CHECKS.md ("How time, roles and evidence are
//! judged"), defined once in `rules/prelude.json`: each through the public API, a one-rule pack
//! and a tiny model, with true, false and unknown outcomes.

mod common;

use aimscheck::Status;
use common::{compile_issues, run, truth, value};
use serde_json::{Value, json};

use Status::{Fail, InsufficientEvidence as Unknown, Pass};

#[test]
fn happened_is_on_or_before_as_of() {
    let body = json!({"documents": [
        {"id": "D1", "approved_on": "2026-06-30"},
        {"id": "D2", "approved_on": "2026-07-01"},
        {"id": "D3"}
    ]});
    assert_eq!(
        truth(
            json!({"happened": "/documents/0/approved_on"}),
            body.clone()
        ),
        Pass
    );
    assert_eq!(
        truth(
            json!({"happened": "/documents/1/approved_on"}),
            body.clone()
        ),
        Fail
    );
    assert_eq!(
        truth(
            json!({"happened": "/documents/2/approved_on"}),
            body.clone()
        ),
        Unknown
    );
    // An expression argument, and the selection of the facts that happened.
    assert_eq!(
        truth(
            json!({"happened": {"coalesce": ["/documents/2/approved_on", "/documents/0/approved_on"]}}),
            body.clone()
        ),
        Pass
    );
    assert_eq!(
        value(
            json!({"map": {"in": {"filter": {"in": "/documents/*", "where": {"happened": "@/approved_on"}}}, "to": {"get": "@/id"}}}),
            body
        ),
        json!(["D1"])
    );
}

fn roles() -> Value {
    json!({
        "aims": {"top_management_role_ids": ["R-BOARD"]},
        "roles": [
            {"id": "R-CEO", "aims_duties": ["top_management"], "assignees": [
                {"person_id": "ana", "from": "2020-01-01", "to": "2026-03-31"},
                {"person_id": "ben", "from": "2026-04-01"}
            ]},
            {"id": "R-OPS", "aims_duties": ["process_owner"], "assignees": [
                {"person_id": "cy"},
                {"person_id": "dee", "from": "2025-01-01", "to": "2025-06-30"}
            ]},
            {"id": "R-BOARD", "assignees": []},
            {"id": "R-QM", "aims_duties": ["ensure_conformance"]},
            {"id": "R-PERF", "aims_duties": ["report_performance", "process_owner"]}
        ]
    })
}

#[test]
fn holds_judges_the_role_on_the_date_of_the_event() {
    let holds = |person: &str, role: &str, on: &str| {
        truth(
            json!({"holds": {"person": {"const": person}, "role": {"const": role}, "on": {"const": on}}}),
            roles(),
        )
    };
    // Ana was CEO until 2026-03-31: she held the role at a review in January, not in May.
    assert_eq!(holds("ana", "R-CEO", "2026-01-15"), Pass);
    assert_eq!(holds("ana", "R-CEO", "2026-05-15"), Fail);
    // Ben became CEO on 2026-04-01: not at the January review.
    assert_eq!(holds("ben", "R-CEO", "2026-01-15"), Fail);
    assert_eq!(holds("ben", "R-CEO", "2026-04-01"), Pass);
    // The last day of an assignment counts.
    assert_eq!(holds("ana", "R-CEO", "2026-03-31"), Pass);
    // Cy's assignment has no start date: unknown, never a pass.
    assert_eq!(holds("cy", "R-OPS", "2026-01-15"), Unknown);
    // No such role, or a person who is not an assignee: false.
    assert_eq!(holds("ana", "R-NONE", "2026-01-15"), Fail);
    assert_eq!(holds("eve", "R-CEO", "2026-01-15"), Fail);
    // A missing date is unknown.
    assert_eq!(
        truth(
            json!({"holds": {"person": {"const": "ana"}, "role": {"const": "R-CEO"}, "on": "/nowhere"}}),
            roles()
        ),
        Unknown
    );
}

#[test]
fn holds_over_an_interval_is_any_overlap() {
    let over = |person: &str, from: &str, to: &str| {
        truth(
            json!({"holds": {"person": {"const": person}, "role": {"const": "R-OPS"},
                             "from": {"const": from}, "to": {"const": to}}}),
            roles(),
        )
    };
    // Dee owned R-OPS in the first half of 2025: an audit from May to July 2025 overlaps it.
    assert_eq!(over("dee", "2025-05-01", "2025-07-15"), Pass);
    assert_eq!(over("dee", "2025-07-01", "2025-07-15"), Fail);
    assert_eq!(over("dee", "2024-11-01", "2025-01-01"), Pass);
    assert_eq!(over("dee", "2024-11-01", "2024-12-31"), Fail);
}

#[test]
fn holders_lists_the_people_on_a_date() {
    let on = |role: &str, date: &str| {
        value(
            json!({"holders": {"role": {"const": role}, "on": {"const": date}}}),
            roles(),
        )
    };
    assert_eq!(on("R-CEO", "2026-01-15"), json!(["ana"]));
    assert_eq!(on("R-CEO", "2026-06-30"), json!(["ben"]));
    // Undated assignments are left out; Dee's ended.
    assert_eq!(on("R-OPS", "2026-06-30"), json!([]));
    assert_eq!(
        value(
            json!({"holders": {"role": {"const": "R-CEO"}, "from": {"const": "2026-03-01"}, "to": {"const": "2026-04-30"}}}),
            roles()
        ),
        json!(["ana", "ben"])
    );
    // Currently: on as_of.
    assert_eq!(
        value(
            json!({"holders": {"role": {"const": "R-CEO"}, "on": {"as_of": true}}}),
            roles()
        ),
        json!(["ben"])
    );
}

#[test]
fn management_and_top_management_roles_have_one_definition() {
    let is = |op: &str, role: &str| truth(json!({ op: {"const": role} }), roles());
    for (role, top, mgmt) in [
        ("R-CEO", Pass, Pass),
        ("R-BOARD", Pass, Pass),
        ("R-QM", Fail, Pass),
        ("R-PERF", Fail, Pass),
        ("R-OPS", Fail, Fail),
        ("R-NONE", Fail, Fail),
    ] {
        assert_eq!(
            is("top_management_role", role),
            top,
            "top_management_role {role}"
        );
        assert_eq!(is("management_role", role), mgmt, "management_role {role}");
    }
}

fn criteria() -> Value {
    json!({
        "documents": [
            {"id": "old", "status": "superseded", "next_review_on": "2027-01-01"},
            {"id": "cur", "status": "approved", "approved_on": "2026-01-10", "next_review_on": "2027-01-10"},
            {"id": "pub", "status": "published", "approved_on": "2026-02-01"},
            {"id": "late", "status": "approved", "approved_on": "2026-09-01", "next_review_on": "2027-09-01"},
            {"id": "stale", "status": "approved", "approved_on": "2024-01-01", "next_review_on": "2025-01-01"}
        ],
        "risk_criteria": [
            {"id": "c-old", "document_id": "old", "acceptance_threshold": 20},
            {"id": "c-cur", "document_id": "cur", "acceptance_threshold": 9},
            {"id": "c-pub", "document_id": "pub", "acceptance_threshold": 12},
            {"id": "c-late", "document_id": "late", "acceptance_threshold": 3},
            {"id": "c-stale", "document_id": "stale", "acceptance_threshold": 2},
            {"id": "c-none", "document_id": "missing", "acceptance_threshold": 1}
        ]
    })
}

#[test]
fn documents_approved_and_in_force_as_of() {
    for (doc, approved, in_force) in [
        ("old", Fail, Fail),
        ("cur", Pass, Pass),
        ("pub", Pass, Pass),
        // Approved after as_of: not yet approved on the evaluation date.
        ("late", Fail, Fail),
        // Past its review date: approved, but not in force.
        ("stale", Pass, Fail),
        ("missing", Fail, Fail),
    ] {
        assert_eq!(
            truth(json!({"document_approved": {"const": doc}}), criteria()),
            approved,
            "{doc}"
        );
        assert_eq!(
            truth(json!({"document_in_force": {"const": doc}}), criteria()),
            in_force,
            "{doc}"
        );
    }
}

#[test]
fn the_risk_criteria_in_force_and_their_lowest_threshold() {
    assert_eq!(
        value(
            json!({"map": {"in": {"criteria_in_force": true}, "to": {"get": "@/id"}}}),
            criteria()
        ),
        json!(["c-cur", "c-pub"])
    );
    // Never "the first entry" (20, superseded): the lowest threshold in force.
    assert_eq!(value(json!({"risk_threshold": true}), criteria()), json!(9));
    // Nothing in force: missing, so a rule that needs it is unknown, not pass.
    assert_eq!(
        value(json!({"risk_threshold": true}), json!({})),
        Value::Null
    );
    assert_eq!(
        truth(json!({"gt": [5, {"risk_threshold": true}]}), json!({})),
        Unknown
    );
}

#[test]
fn calls_are_checked_when_the_pack_compiles() {
    let issues = compile_issues(
        json!({"assert": {"that": {"holds": {"person": "$x", "role": "@"}}, "message": "m"}}),
    );
    assert!(
        issues.iter().any(|i| i.code == "AIMS-E-PACK-PATH"),
        "{issues:#?}"
    );
    let issues = compile_issues(
        json!({"assert": {"that": {"holds": {"person": "@", "role": "@"}}, "message": "m"}}),
    );
    assert!(
        issues
            .iter()
            .any(|i| i.code == "AIMS-E-PACK-OPERATOR" && i.message.contains("`from` (or `on`)")),
        "{issues:#?}"
    );
    let issues = compile_issues(
        json!({"assert": {"that": {"holds": {"person": "@", "role": "@", "on": "@", "to": "@"}}, "message": "m"}}),
    );
    assert!(
        issues.iter().any(|i| i.message.contains("not both")),
        "{issues:#?}"
    );
    let issues = compile_issues(
        json!({"assert": {"that": {"holders": {"role": "@", "on": "@", "who": 1}}, "message": "m"}}),
    );
    assert!(
        issues
            .iter()
            .any(|i| i.pointer == "/rules/0/check/assert/that/holders/who"),
        "{issues:#?}"
    );
}

#[test]
fn arguments_are_read_where_the_call_stands() {
    // `@` in an argument is the caller's item (an attendee), although the definition loops over
    // the role's assignees inside.
    let r = run(
        json!({"for_each": {"in": "/management_reviews/*", "as": "m", "check": {"assert": {
            "that": {"some": {"in": "$m/attendee_ids/*",
                "where": {"holds": {"person": "@", "role": {"const": "R-CEO"}, "on": "$m/held_on"}}}},
            "message": "no CEO at {@/id}", "at": "@"}}}}),
        {
            let mut b = roles();
            b["management_reviews"] = json!([
                {"id": "M1", "held_on": "2026-01-15", "attendee_ids": ["ana"]},
                {"id": "M2", "held_on": "2026-05-15", "attendee_ids": ["ana"]}
            ]);
            b
        },
    );
    assert_eq!(r.status, Fail);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].message, "no CEO at M2");
}

/// The example of rules/README.md's section on the principles compiles and judges attendance on
/// the date of the review.
#[test]
fn the_readme_example_runs() {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/README.md"),
    )
    .unwrap();
    let section = &readme[readme.find("## The principles").unwrap()..];
    let block = &section[section.find("```json\n").unwrap() + 8..];
    // The block is a whole check: a `for_each` over the reviews.
    let check: Value = serde_json::from_str(&block[..block.find("```").unwrap()]).unwrap();
    let mut body = roles();
    body["management_reviews"] = json!([
        {"id": "M1", "held_on": "2026-01-15", "attendee_ids": ["ana"]},
        {"id": "M2", "held_on": "2026-05-15", "attendee_ids": ["ana"]},
        {"id": "M3", "held_on": "2026-05-16", "attendee_ids": ["ben"]}
    ]);
    let r = run(check, body);
    assert_eq!(r.status, Fail);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(
        r.findings[0].message,
        "no one who held a top-management role on 2026-05-15 attended"
    );
}
