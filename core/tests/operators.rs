#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! One test (at least) per check and per expression operator of the rule language
//! (reference: rules/README.md), each through the public API: a one-rule pack, a tiny model.

mod common;

use aimscheck::{Engine, FindingKind, Status};
use common::*;
use serde_json::{Value, json};

/// Three processes: P1 → P2 (matched), P3 isolated; P2 has no owner.
fn procs() -> Value {
    json!({
        "roles": [{"id": "R1", "name": "Owner"}],
        "processes": [
            {"id": "P1", "name": "Risk", "status": "active", "owner_role_id": "R1",
             "clause_refs": ["6.1.2"],
             "outputs": [{"artifact": "register", "to_process_id": "P2"}]},
            {"id": "P2", "name": "Treat", "status": "active", "clause_refs": ["6.1.3"],
             "inputs": [{"artifact": "register", "from_process_id": "P1"}]},
            {"id": "P3", "name": "Lonely", "status": "planned", "owner_role_id": "R9"}
        ]
    })
}

// ---------------------------------------------------------------- checks

#[test]
fn check_all_runs_every_child() {
    let r = run(
        json!({"all": [
            {"assert": {"that": false, "message": "first"}},
            {"assert": {"that": true, "message": "second"}},
            {"assert": {"that": false, "message": "third"}}
        ]}),
        json!({}),
    );
    assert_eq!(r.status, Status::Fail);
    assert_eq!(messages(&r), ["first", "third"]);
    assert_eq!(r.checked, 3);
}

#[test]
fn check_for_each_binds_item_and_name() {
    let r = run(
        json!({"for_each": {"in": "/processes/*", "as": "p",
            "check": {"assert": {"that": {"exists": "@/owner_role_id"},
                "message": "{$p/id} ({@/name}) has no owner", "at": "$p/owner_role_id"}}}}),
        procs(),
    );
    assert_eq!(r.status, Status::Fail);
    assert_eq!(r.checked, 3);
    assert_eq!(messages(&r), ["P2 (Treat) has no owner"]);
    assert_eq!(pointers(&r), ["/processes/1/owner_role_id"]);
    assert_eq!(r.findings[0].entity_id.as_deref(), Some("P2"));
    assert_eq!(r.findings[0].kind, FindingKind::Violation);
}

#[test]
fn check_for_each_where_filters_and_array_node_is_iterated() {
    // `in` may name the array itself; `where` keeps the items whose predicate is true.
    let r = run(
        json!({"for_each": {"in": "/processes", "where": {"eq": [{"get": "@/status"}, "active"]},
            "check": {"assert": {"that": {"exists": "@/owner_role_id"}, "message": "{@/id}", "at": "@"}}}}),
        procs(),
    );
    assert_eq!(r.checked, 2);
    assert_eq!(messages(&r), ["P2"]);
    assert_eq!(pointers(&r), ["/processes/1"]);
}

#[test]
fn check_for_each_if_none_variants() {
    let each = |if_none: Value| {
        let mut fe = json!({"in": "/processes/*", "where": {"eq": [{"get": "@/status"}, "retired"]},
            "check": {"assert": {"that": false, "message": "x"}}});
        if !if_none.is_null() {
            fe["if_none"] = if_none;
        }
        run(json!({ "for_each": fe }), procs())
    };
    let na = each(Value::Null);
    assert_eq!(na.status, Status::NotApplicable);
    assert_eq!(na.reason.as_deref(), Some("nothing in scope for this rule"));
    assert_eq!(each(json!("not_applicable")).status, Status::NotApplicable);
    let pass = each(json!("pass"));
    assert_eq!((pass.status, pass.checked), (Status::Pass, 1));
    let fail = each(json!({"status": "fail", "message": "no retired process"}));
    assert_eq!(fail.status, Status::Fail);
    assert_eq!(pointers(&fail), ["/processes"]);
    assert_eq!(messages(&fail), ["no retired process"]);
    let ie = each(json!({"status": "insufficient_evidence", "message": "none"}));
    assert_eq!(ie.status, Status::InsufficientEvidence);
    assert_eq!(ie.findings[0].kind, FindingKind::MissingEvidence);
}

#[test]
fn check_assert_at_expected_and_actual() {
    let r = run(
        json!({"for_each": {"in": "/processes/*", "check": {"assert": {
            "that": {"eq": [{"get": "@/status"}, "active"]},
            "message": "{@/id} is {@/status}", "at": "@/status", "expected": "active"}}}}),
        procs(),
    );
    assert_eq!(r.status, Status::Fail);
    let f = &r.findings[0];
    assert_eq!(f.pointer, "/processes/2/status");
    assert_eq!(f.entity_id.as_deref(), Some("P3"));
    assert_eq!(f.message, "P3 is planned");
    assert_eq!(f.expected.as_deref(), Some("active"));
    assert_eq!(f.actual, Some(json!("planned")));
    // An explicit `actual` is an expression (or a path) evaluated as JSON.
    let r = run(
        json!({"assert": {"that": false, "message": "m", "actual": "/processes/*/id"}}),
        procs(),
    );
    assert_eq!(r.findings[0].actual, Some(json!(["P1", "P2", "P3"])));
    assert_eq!(r.findings[0].pointer, "");
}

#[test]
fn check_assert_unknown_is_insufficient_evidence() {
    let that = json!({"lt": [{"get": "@/x_due"}, {"as_of": {}}]});
    let r = run(
        json!({"for_each": {"in": "/processes/*", "check": {"assert": {
            "that": that, "message": "{@/id} is overdue", "at": "@/x_due"}}}}),
        json!({"processes": [{"id": "P1", "x_due": "2026-01-01"}, {"id": "P2"}]}),
    );
    // P1 passes (due before as_of), P2 has no date: unknown, never pass.
    assert_eq!(r.status, Status::InsufficientEvidence);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].kind, FindingKind::MissingEvidence);
    assert_eq!(r.findings[0].pointer, "/processes/1/x_due");
    assert_eq!(
        r.findings[0].message,
        "P2 is overdue (the data needed to decide is missing)"
    );
    let r = run(
        json!({"assert": {"that": {"known": "/aims/established_on"}, "message": "m",
            "unknown": "no date {{yet}}", "at": "/aims/established_on"}}),
        json!({}),
    );
    assert_eq!(messages(&r), ["no date {yet}"]);
    assert_eq!(pointers(&r), ["/aims/established_on"]);
}

#[test]
fn check_when_then_else_and_reason() {
    let when = |cond: Value, with_else: bool| {
        let mut w = json!({"cond": cond, "then": {"assert": {"that": false, "message": "then"}},
            "reason": "no AI system is deployed"});
        if with_else {
            w["else"] = json!({"assert": {"that": false, "message": "else"}});
        }
        run(json!({ "when": w }), json!({"aims": {}}))
    };
    assert_eq!(messages(&when(json!(true), false)), ["then"]);
    let na = when(json!(false), false);
    assert_eq!(na.status, Status::NotApplicable);
    assert_eq!(na.reason.as_deref(), Some("no AI system is deployed"));
    assert_eq!(messages(&when(json!(false), true)), ["else"]);
    let unknown = when(json!({"known": "/aims/established_on"}), true);
    assert_eq!(unknown.status, Status::InsufficientEvidence);
    assert_eq!(messages(&unknown), ["no AI system is deployed"]);
    // Without `reason`, the default texts.
    let r = run(
        json!({"when": {"cond": false, "then": {"assert": {"that": false, "message": "x"}}}}),
        json!({}),
    );
    assert_eq!(r.reason.as_deref(), Some("its condition does not hold"));
}

#[test]
fn check_let_binds_a_value_for_the_body() {
    let r = run(
        json!({"let": {"name": "owners", "value": "/processes/*/owner_role_id",
            "check": {"for_each": {"in": "/roles/*", "check": {"assert": {
                "that": {"one_of": [{"get": "@/id"}, {"get": "$owners"}]},
                "message": "{@/id} owns nothing; owners are {$owners}"}}}}}}),
        json!({"roles": [{"id": "R1"}, {"id": "R2"}],
               "processes": [{"id": "P1", "owner_role_id": "R1"}, {"id": "P2", "owner_role_id": "R9"}]}),
    );
    assert_eq!(messages(&r), ["R2 owns nothing; owners are R1, R9"]);
}

#[test]
fn check_graph_isolated() {
    let check = json!({"graph_isolated": {"where": {"ne": [{"get": "@/status"}, "retired"]},
        "message": "{$process/id} has no interaction"}});
    let r = run(check.clone(), procs());
    assert_eq!(r.status, Status::Fail);
    assert_eq!(r.checked, 3);
    assert_eq!(messages(&r), ["P3 has no interaction"]);
    assert_eq!(pointers(&r), ["/processes/2"]);
    // A declared external counts as an interaction.
    let mut m = procs();
    m["processes"][2]["inputs"] = json!([{"artifact": "complaint", "from_external": "customers"}]);
    assert_eq!(run(check.clone(), m).status, Status::Pass);
    // No `processes` collection at all: not applicable.
    let na = run(check, json!({}));
    assert_eq!(na.status, Status::NotApplicable);
    assert_eq!(na.reason.as_deref(), Some("the model has no processes"));
}

#[test]
fn check_graph_unmatched() {
    let body = json!({"processes": [
        {"id": "A", "outputs": [{"artifact": "report", "to_process_id": "B"},
                                {"artifact": "log", "to_process_id": "B"}]},
        {"id": "B", "inputs": [{"artifact": "report", "from_process_id": "A"},
                               {"artifact": "plan", "from_process_id": "A"}]}
    ]});
    let r = run(
        json!({"graph_unmatched": {
            "output_message": "{$process/id} sends {$flow/artifact} to {$peer/id}, which does not expect it",
            "input_message": "{@/id} expects {$flow/artifact} from {$peer/id}, which does not send it"}}),
        body,
    );
    assert_eq!(r.status, Status::Fail);
    assert_eq!(
        messages(&r),
        [
            "A sends log to B, which does not expect it",
            "B expects plan from A, which does not send it"
        ]
    );
    assert_eq!(
        pointers(&r),
        ["/processes/0/outputs/1", "/processes/1/inputs/1"]
    );
    assert_eq!(r.findings[1].entity_id.as_deref(), Some("B"));
}

#[test]
fn check_graph_flow_direct_and_transitive() {
    // impact (6.1.4) → risk (6.1.2) → treatment (6.1.3); nothing goes straight from 6.1.4 to 6.1.3.
    let body = json!({"processes": [
        {"id": "I", "clause_refs": ["6.1.4"], "outputs": [{"artifact": "a", "to_process_id": "R"}]},
        {"id": "R", "clause_refs": ["6.1.2"], "inputs": [{"artifact": "a", "from_process_id": "I"}],
         "outputs": [{"artifact": "b", "to_process_id": "T"}]},
        {"id": "T", "clause_refs": ["6.1.3"]}
    ]});
    let flow = |from: &str, to: &str, transitive: bool| {
        run(
            json!({"graph_flow": {"from": [from], "to": [to], "transitive": transitive,
                "message": "no flow from {{" }}),
            body.clone(),
        )
    };
    assert_eq!(flow("6.1.4", "6.1.2", false).status, Status::Pass);
    // `from` / `to` match sub-clauses: 6.1.2 is under 6.1.
    assert_eq!(flow("6.1.4", "6.1", false).status, Status::Pass);
    let r = flow("6.1.4", "6.1.3", false);
    assert_eq!(r.status, Status::Fail);
    assert_eq!(pointers(&r), ["/processes"]);
    assert_eq!(messages(&r), ["no flow from {"]);
    assert_eq!(flow("6.1.4", "6.1.3", true).status, Status::Pass);
    // Reverse direction does not count.
    assert_eq!(flow("6.1.3", "6.1.4", true).status, Status::Fail);
}

#[test]
fn check_graph_acyclic_binds_cycle() {
    let body = json!({"processes": [
        {"id": "A", "outputs": [{"to_process_id": "B"}]},
        {"id": "B", "outputs": [{"to_process_id": "C"}]},
        {"id": "C", "inputs": [{"from_process_id": "B"}], "outputs": [{"to_process_id": "A"}]},
        {"id": "D", "outputs": [{"to_process_id": "D"}]},
        {"id": "E", "inputs": [{"from_process_id": "A"}]}
    ]});
    let r = run(
        json!({"graph_acyclic": {"message": "cycle through {$cycle} (starts at {@/id})"}}),
        body,
    );
    assert_eq!(r.status, Status::Fail);
    assert_eq!(r.checked, 5);
    assert_eq!(
        messages(&r),
        [
            "cycle through A, B, C (starts at A)",
            "cycle through D (starts at D)"
        ]
    );
    assert_eq!(pointers(&r), ["/processes/0", "/processes/3"]);
    let ok = run(
        json!({"graph_acyclic": {"message": "x"}}),
        json!({"processes": [{"id": "A", "outputs": [{"to_process_id": "B"}]}, {"id": "B"}]}),
    );
    assert_eq!(ok.status, Status::Pass);
}

#[test]
fn check_graph_custom_fields_and_where() {
    // Another collection and other field names, through `graph`.
    let body = json!({"x_units": [
        {"id": "U1", "kind": "core", "sends": [{"what": "w", "dest": "U2"}]},
        {"id": "U2", "kind": "core", "gets": [{"what": "w", "src": "U1"}]},
        {"id": "U3", "kind": "core"},
        {"id": "U4", "kind": "legacy"}
    ]});
    let graph = json!({"nodes": "x_units", "outputs": "sends", "to": "dest",
        "inputs": "gets", "from": "src", "label": "what"});
    let r = run(
        json!({"graph_isolated": {"graph": graph, "where": {"eq": [{"get": "@/kind"}, "core"]},
            "message": "{@/id}"}}),
        body,
    );
    assert_eq!(messages(&r), ["U3"]);
    assert_eq!(pointers(&r), ["/x_units/2"]);
    let bad = compile_issues(json!({"graph_isolated": {"graph": {"edges": "x"}, "message": "m"}}));
    assert_eq!(bad[0].code, "AIMS-E-PACK-OPERATOR");
}

// ---------------------------------------------------------------- paths and templates

#[test]
fn path_wildcards_indexes_and_escapes() {
    let body = json!({"x_data": {"a/b": 1, "c~d": 2, "list": [{"n": "x"}, {"n": "y"}]}});
    assert_eq!(
        value(json!({"get": "/x_data/a~1b"}), body.clone()),
        json!(1)
    );
    assert_eq!(
        value(json!({"get": "/x_data/c~0d"}), body.clone()),
        json!(2)
    );
    assert_eq!(
        value(json!({"get": "/x_data/list/1/n"}), body.clone()),
        json!("y")
    );
    assert_eq!(
        value(json!({"get": "/x_data/list/*/n"}), body.clone()),
        json!(["x", "y"])
    );
    // A wildcard on an object gives its values.
    assert_eq!(value(json!({"count": "/x_data/*"}), body.clone()), json!(3));
    // A missing step gives nothing: missing without a wildcard, an empty selection with one.
    assert_eq!(
        value(json!({"get": "/x_data/nope/n"}), body.clone()),
        json!(null)
    );
    assert_eq!(
        value(json!({"get": "/x_data/nope/*"}), body.clone()),
        json!([])
    );
    assert_eq!(
        value(json!({"get": "/x_data/list/7"}), body.clone()),
        json!(null)
    );
    // `@` outside any item is the root; the empty path is the root too.
    assert_eq!(
        value(json!({"get": "@/x_data/a~1b"}), body.clone()),
        json!(1)
    );
    assert_eq!(value(json!({"count": {"get": ""}}), body), json!(1));
}

#[test]
fn path_at_builds_pointer_for_missing_field() {
    let r = run(
        json!({"for_each": {"in": "/processes/*", "check": {"assert": {
            "that": {"exists": "@/cadence/every"}, "message": "m", "at": "@/cadence/every"}}}}),
        json!({"processes": [{"id": "P1", "cadence": {"unit": "month"}}, {"id": "P2"}]}),
    );
    assert_eq!(
        pointers(&r),
        ["/processes/0/cadence/every", "/processes/1/cadence/every"]
    );
    assert!(r.findings.iter().all(|f| f.actual.is_none()));
    // `at` stops at a wildcard.
    let r = run(
        json!({"assert": {"that": false, "message": "m", "at": "/processes/*/id"}}),
        json!({"processes": [{"id": "P1"}]}),
    );
    assert_eq!(pointers(&r), ["/processes"]);
}

#[test]
fn path_at_on_a_value_that_is_not_a_model_node_points_at_the_whole_model() {
    // Items of a constant list are not in the model: the finding cannot point into it.
    let r = run(
        json!({"for_each": {"in": {"const": [{"clause": "9.2"}]}, "check": {"assert": {
            "that": false, "message": "{@/clause} missing", "at": "@/clause"}}}}),
        json!({"x_clause": "not this"}),
    );
    assert_eq!(messages(&r), ["9.2 missing"]);
    assert_eq!(pointers(&r), [""]);
    // Same for a variable holding nothing.
    let r = run(
        json!({"let": {"name": "role", "value": {"lookup": {"in": "roles", "id": "R9"}},
            "check": {"assert": {"that": {"exists": "$role"}, "message": "m", "at": "$role/name"}}}}),
        json!({"roles": [{"id": "R1"}]}),
    );
    assert_eq!(pointers(&r), [""]);
}

#[test]
fn template_holes_braces_and_missing_values() {
    let r = run(
        json!({"for_each": {"in": "/processes/*", "as": "p", "where": {"eq": [{"get": "@/id"}, "P1"]},
            "check": {"assert": {"that": false,
                "message": "{{literal}} {@/name} / {$p/id} / {@/nope} / {/processes/*/id} / { @/status }"}}}}),
        procs(),
    );
    assert_eq!(
        messages(&r),
        ["{literal} Risk / P1 / (none) / P1, P2, P3 / active"]
    );
    // A hole's path is checked when the pack compiles.
    let issues = compile_issues(json!({"assert": {"that": true, "message": "{name}"}}));
    assert_eq!(issues[0].code, "AIMS-E-PACK-PATH");
    assert_eq!(issues[0].pointer, "/rules/0/check/assert/message");
}

#[test]
fn template_fallbacks_replace_missing_and_empty_values() {
    let r = run(
        json!({"for_each": {"in": "/processes/*", "as": "p", "where": {"eq": [{"get": "@/id"}, "P2"]},
            "check": {"assert": {"that": false,
                "message": "{@/name|unnamed} / {@/owner_role_id | no owner} / {@/outputs/*/artifact|nothing} / {@/inputs/*/artifact | nothing}"}}}}),
        procs(),
    );
    assert_eq!(messages(&r), ["Treat / no owner / nothing / register"]);
    // The path before the bar is still checked when the pack compiles.
    let issues = compile_issues(json!({"assert": {"that": true, "message": "{$nope | x}"}}));
    assert_eq!(issues[0].code, "AIMS-E-PACK-PATH");
}

// ---------------------------------------------------------------- tiers and profile

#[test]
fn tiers_and_certification_profile() {
    let rules = vec![
        rule(
            "T-S",
            &["startup", "scaleup", "enterprise"],
            json!({"assert": {"that": true, "message": "m"}}),
        ),
        rule(
            "T-U",
            &["scaleup", "enterprise"],
            json!({"assert": {"that": true, "message": "m"}}),
        ),
        rule(
            "T-E",
            &["enterprise"],
            json!({"assert": {"that": true, "message": "m"}}),
        ),
    ];
    let r = report_with(rules.clone(), json!({}), Some("startup"), None);
    assert_eq!(r.rule("T-S").unwrap().status, Status::Pass);
    let u = r.rule("T-U").unwrap();
    assert_eq!(u.status, Status::NotApplicable);
    assert_eq!(
        u.reason.as_deref(),
        Some(
            "the rule applies to tier scaleup, enterprise and this evaluation is tier startup with profile tier"
        )
    );
    let c = report_with(
        rules.clone(),
        json!({}),
        Some("startup"),
        Some("certification"),
    );
    assert_eq!(c.rule("T-U").unwrap().status, Status::Pass);
    assert_eq!(c.rule("T-E").unwrap().status, Status::NotApplicable);
    // Tier from the model when no option is given.
    let m = report_with(
        rules,
        json!({"organization": {"size_tier": "enterprise"}}),
        None,
        None,
    );
    assert_eq!(m.rule("T-E").unwrap().status, Status::Pass);
    assert_eq!(m.tier_source, "model");
}

// ---------------------------------------------------------------- expressions: values

#[test]
fn op_const() {
    assert_eq!(
        value(json!({"const": "/processes"}), procs()),
        json!("/processes")
    );
    assert_eq!(
        value(json!({"const": {"op": [1, 2]}}), json!({})),
        json!({"op": [1, 2]})
    );
    // Bare JSON scalars in expression position are constants too.
    assert_eq!(
        truth(json!({"eq": ["a", {"const": "a"}]}), json!({})),
        Status::Pass
    );
}

#[test]
fn op_get() {
    assert_eq!(
        value(json!({"get": "/processes/0/name"}), procs()),
        json!("Risk")
    );
    assert_eq!(
        value(json!({"get": "/processes/*/owner_role_id"}), procs()),
        json!(["R1", "R9"])
    );
    assert_eq!(
        value(json!({"get": "/aims/grace_days"}), procs()),
        json!(null)
    );
    // A bound list: a path from it applies to each element.
    assert_eq!(
        value(
            json!({"let": {"name": "ps", "value": "/processes/*", "in": {"get": "$ps/id"}}}),
            procs()
        ),
        json!(["P1", "P2", "P3"])
    );
}

#[test]
fn op_lookup() {
    let r = run(
        json!({"for_each": {"in": "/processes/*", "where": {"exists": "@/owner_role_id"},
            "check": {"let": {"name": "role", "value": {"lookup": {"in": "roles", "id": {"get": "@/owner_role_id"}}},
                "check": {"assert": {"that": {"exists": "$role"},
                    "message": "{@/id}: owner {@/owner_role_id} not found ({$role/name})"}}}}}}),
        procs(),
    );
    assert_eq!(messages(&r), ["P3: owner R9 not found ((none))"]);
    // Several collections: the first that has the id; the result is the entity with its pointer.
    let body = json!({"people": [{"id": "X", "name": "person"}], "roles": [{"id": "X", "name": "role"}, {"id": "Y", "name": "r2"}]});
    assert_eq!(
        shown(
            json!({"lookup": {"in": ["people", "roles"], "id": "Y"}}),
            body.clone()
        ),
        r#"{"id":"Y","name":"r2"}"#
    );
    let r = run(
        json!({"let": {"name": "x", "value": {"lookup": {"in": ["people", "roles"], "id": "X"}},
            "check": {"assert": {"that": false, "message": "{$x/name}", "at": "$x/name"}}}}),
        body,
    );
    assert_eq!(messages(&r), ["person"]);
    assert_eq!(pointers(&r), ["/people/0/name"]);
}

#[test]
fn op_resolves() {
    let r = run(
        json!({"for_each": {"in": "/processes/*", "check": {"assert": {
            "that": {"resolves": {"in": "roles", "id": {"get": "@/owner_role_id"}}},
            "message": "{@/id}: {@/owner_role_id}", "at": "@/owner_role_id"}}}}),
        procs(),
    );
    // P2 has no owner (a missing id does not resolve) and P3's owner R9 dangles.
    assert_eq!(messages(&r), ["P2: (none)", "P3: R9"]);
    assert_eq!(
        pointers(&r),
        ["/processes/1/owner_role_id", "/processes/2/owner_role_id"]
    );
    assert_eq!(r.findings[1].actual, Some(json!("R9")));
}

#[test]
fn op_backrefs() {
    let body = json!({
        "processes": [{"id": "P1"}, {"id": "P2"}],
        "process_runs": [
            {"id": "X1", "process_id": "P1", "performed_by": ["A", "B"]},
            {"id": "X2", "process_id": "P1", "performed_by": ["B"]},
            {"id": "X3", "process_id": "P9"}
        ]
    });
    let r = run(
        json!({"for_each": {"in": "/processes/*", "check": {"assert": {
            "that": {"gt": [{"count": {"backrefs": {"from": "process_runs", "field": "process_id", "id": {"get": "@/id"}}}}, 0]},
            "message": "{@/id} never ran", "at": "@"}}}}),
        body.clone(),
    );
    assert_eq!(messages(&r), ["P2 never ran"]);
    assert_eq!(
        value(
            json!({"map": {"in": {"backrefs": {"from": "process_runs", "field": "performed_by/*", "id": "B"}}, "to": {"get": "@/id"}}}),
            body.clone()
        ),
        json!(["X1", "X2"])
    );
    assert_eq!(
        value(
            json!({"count": {"backrefs": {"from": "process_runs", "field": "process_id", "id": {"get": "/nope"}}}}),
            body
        ),
        json!(0)
    );
}

#[test]
fn op_backrefs_over_an_array_below_the_root() {
    // `from` may be the path of an array from the root: the entries of the Statement of
    // Applicability citing an evidence id, in model order, each once.
    let body = json!({
        "statement_of_applicability": {"entries": [
            {"control": "A.2.2", "evidence_ids": ["E1", "E2", "E1"]},
            {"control": "A.5.2", "evidence_ids": ["E2"]},
            {"control": "A.6.2.4", "evidence_ids": ["E1"]}
        ]}
    });
    let citing = |id: &str, from: &str| {
        value(
            json!({"map": {"in": {"backrefs": {"from": from, "field": "evidence_ids/*", "id": id}},
                "to": {"get": "@/control"}}}),
            body.clone(),
        )
    };
    assert_eq!(
        citing("E1", "statement_of_applicability/entries"),
        json!(["A.2.2", "A.6.2.4"])
    );
    assert_eq!(
        citing("E2", "statement_of_applicability/entries"),
        json!(["A.2.2", "A.5.2"])
    );
    // A path to no array (an object, or nothing) selects nothing.
    assert_eq!(citing("E1", "statement_of_applicability"), json!([]));
    assert_eq!(citing("E1", "statement_of_applicability/rows"), json!([]));
    // A step that is not a member name is refused when the pack loads.
    for bad in ["statement_of_applicability/*", "a//b", "/processes", ""] {
        let issues = compile_issues(json!({"assert": {"that": {"exists":
            {"backrefs": {"from": bad, "field": "x", "id": "E1"}}}, "message": "m"}}));
        assert_eq!(issues.len(), 1, "{bad}: {issues:?}");
        assert_eq!(issues[0].code, "AIMS-E-PACK-OPERATOR");
        assert_eq!(
            issues[0].pointer,
            "/rules/0/check/assert/that/exists/backrefs/from"
        );
        assert!(
            issues[0].message.contains("path of an array"),
            "{}",
            issues[0].message
        );
    }
}

#[test]
fn long_lists_in_messages_and_actual_are_cut_and_counted() {
    // The finding of an assert listing `n` process ids in its message and its actual.
    let finding_of = |n: usize| {
        let ids: Vec<String> = (0..n).map(|i| format!("P{i}")).collect();
        let body = json!({"processes": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>()});
        let r = run(
            json!({"assert": {"that": false, "message": "unowned: {/processes/*/id}",
                "actual": "/processes/*/id"}}),
            body,
        );
        (ids, r.findings[0].clone())
    };
    // 150 items: the message shows the first 100 and counts the rest; `actual` holds the first
    // 100 and `actual_total` says there were 150.
    let (ids, f) = finding_of(150);
    assert_eq!(
        f.message,
        format!("unowned: {} and 50 more", ids[..100].join(", "))
    );
    assert_eq!(f.actual, Some(json!(ids[..100])));
    assert_eq!(f.actual_total, Some(150));
    // 100 items exactly: all shown, nothing counted.
    let (ids, f) = finding_of(100);
    assert_eq!(f.message, format!("unowned: {}", ids.join(", ")));
    assert_eq!(f.actual, Some(json!(ids)));
    assert_eq!(f.actual_total, None);
}

#[test]
fn op_filter() {
    assert_eq!(
        value(
            json!({"map": {"in": {"filter": {"in": "/processes/*", "where": {"eq": [{"get": "@/status"}, "active"]}}}, "to": {"get": "@/id"}}}),
            procs()
        ),
        json!(["P1", "P2"])
    );
    // An item whose predicate is unknown is left out.
    assert_eq!(
        value(
            json!({"count": {"filter": {"in": "/processes/*", "as": "p", "where": {"lt": [{"get": "$p/x_n"}, 5]}}}}),
            json!({"processes": [{"id": "A", "x_n": 1}, {"id": "B"}, {"id": "C", "x_n": 9}]})
        ),
        json!(1)
    );
}

#[test]
fn op_map() {
    // Missing results are dropped and list results are flattened.
    assert_eq!(
        value(
            json!({"map": {"in": "/processes/*", "to": {"get": "@/owner_role_id"}}}),
            procs()
        ),
        json!(["R1", "R9"])
    );
    assert_eq!(
        value(
            json!({"map": {"in": "/processes/*", "as": "p", "to": {"get": "$p/outputs/*/artifact"}}}),
            procs()
        ),
        json!(["register"])
    );
}

#[test]
fn op_some() {
    let active = json!({"eq": [{"get": "@/status"}, "active"]});
    assert_eq!(
        truth(
            json!({"some": {"in": "/processes/*", "where": active}}),
            procs()
        ),
        Status::Pass
    );
    assert_eq!(
        truth(
            json!({"some": {"in": "/nothing/*", "where": true}}),
            procs()
        ),
        Status::Fail
    );
    let lt = json!({"lt": [{"get": "@/x_n"}, 5]});
    assert_eq!(
        truth(
            json!({"some": {"in": "/x_l/*", "where": lt}}),
            json!({"x_l": [{"x_n": 9}, {}]})
        ),
        Status::InsufficientEvidence
    );
    assert_eq!(
        truth(
            json!({"some": {"in": "/x_l/*", "where": lt}}),
            json!({"x_l": [{"x_n": 1}, {}]})
        ),
        Status::Pass
    );
}

#[test]
fn op_every() {
    let owned = json!({"exists": "@/owner_role_id"});
    assert_eq!(
        truth(
            json!({"every": {"in": "/processes/*", "where": owned}}),
            procs()
        ),
        Status::Fail
    );
    assert_eq!(
        truth(
            json!({"every": {"in": "/nothing/*", "where": false}}),
            procs()
        ),
        Status::Pass
    );
    let lt = json!({"lt": [{"get": "@/x_n"}, 5]});
    assert_eq!(
        truth(
            json!({"every": {"in": "/x_l/*", "as": "i", "where": lt}}),
            json!({"x_l": [{"x_n": 1}, {}]})
        ),
        Status::InsufficientEvidence
    );
    assert_eq!(
        truth(
            json!({"every": {"in": "/x_l/*", "where": lt}}),
            json!({"x_l": [{"x_n": 9}, {}]})
        ),
        Status::Fail
    );
}

#[test]
fn op_none() {
    let retired = json!({"eq": [{"get": "@/status"}, "retired"]});
    assert_eq!(
        truth(
            json!({"none": {"in": "/processes/*", "where": retired}}),
            procs()
        ),
        Status::Pass
    );
    assert_eq!(
        truth(
            json!({"none": {"in": "/processes/*", "where": true}}),
            procs()
        ),
        Status::Fail
    );
    assert_eq!(
        truth(json!({"none": {"in": "/nothing", "where": true}}), procs()),
        Status::Pass
    );
    let lt = json!({"lt": [{"get": "@/x_n"}, 5]});
    assert_eq!(
        truth(
            json!({"none": {"in": "/x_l/*", "where": lt}}),
            json!({"x_l": [{"x_n": 9}, {}]})
        ),
        Status::InsufficientEvidence
    );
}

#[test]
fn op_count() {
    assert_eq!(value(json!({"count": "/processes/*"}), procs()), json!(3));
    assert_eq!(value(json!({"count": "/processes"}), procs()), json!(3));
    assert_eq!(value(json!({"count": "/audits"}), procs()), json!(0));
    assert_eq!(value(json!({"count": "/roles/0"}), procs()), json!(1));
    assert_eq!(value(json!({"count": {"const": null}}), procs()), json!(0));
    assert_eq!(value(json!({"count": ["a", "b"]}), procs()), json!(2));
}

#[test]
fn op_max() {
    let body = json!({"audits": [{"id": "A1", "completed_on": "2025-03-01"}, {"id": "A2"}, {"id": "A3", "completed_on": "2025-11-15"}]});
    assert_eq!(
        value(json!({"max": "/audits/*/completed_on"}), body.clone()),
        json!("2025-11-15")
    );
    assert_eq!(value(json!({"max": [3, 10, 2.5]}), json!({})), json!(10));
    assert_eq!(value(json!({"max": "/nothing/*"}), body), json!(null));
    let err = run(
        json!({"assert": {"that": {"exists": {"max": [1, "a"]}}, "message": "m"}}),
        json!({}),
    );
    assert_eq!(err.status, Status::Error);
}

#[test]
fn op_min() {
    let body = json!({"audits": [{"id": "A1", "completed_on": "2025-03-01"}, {"id": "A3", "completed_on": "2025-11-15"}]});
    assert_eq!(
        value(json!({"min": "/audits/*/completed_on"}), body),
        json!("2025-03-01")
    );
    assert_eq!(
        value(json!({"min": [3, 10, 2.5, null]}), json!({})),
        json!(2.5)
    );
    assert_eq!(value(json!({"min": []}), json!({})), json!(null));
}

#[test]
fn op_distinct() {
    assert_eq!(
        value(
            json!({"distinct": "/processes/*/inputs/*/from_process_id"}),
            json!({"processes": [{"id": "A", "inputs": [{"from_process_id": "X"}, {"from_process_id": "Y"}]},
                                 {"id": "B", "inputs": [{"from_process_id": "X"}]}]})
        ),
        json!(["X", "Y"])
    );
    assert_eq!(
        value(json!({"distinct": [1, 1.0, "1", 2]}), json!({})),
        json!([1, "1", 2])
    );
}

#[test]
fn op_coalesce() {
    let body = json!({"aims": {"planned_intervals": {"internal_audit_months": 6}}});
    assert_eq!(
        value(
            json!({"coalesce": [{"get": "/aims/planned_intervals/policy_review_months"}, {"get": "/aims/planned_intervals/internal_audit_months"}, 12]}),
            body.clone()
        ),
        json!(6)
    );
    assert_eq!(
        value(
            json!({"coalesce": [{"const": null}, {"get": "/x"}, "z"]}),
            body.clone()
        ),
        json!("z")
    );
    assert_eq!(
        value(json!({"coalesce": [{"get": "/nope"}]}), body),
        json!(null)
    );
}

#[test]
fn op_union() {
    assert_eq!(
        value(
            json!({"union": [{"get": "/processes/*/id"}, {"get": "/roles/*/id"}, {"get": "/nope"}, "extra"]}),
            procs()
        ),
        json!(["P1", "P2", "P3", "R1", "extra"])
    );
}

// ---------------------------------------------------------------- expressions: logic

#[test]
fn op_and() {
    let unknown = json!({"known": "/nope"});
    assert_eq!(
        truth(json!({"and": [true, 1, "x"]}), json!({})),
        Status::Pass
    );
    assert_eq!(
        truth(json!({"and": [true, false]}), json!({})),
        Status::Fail
    );
    assert_eq!(
        truth(json!({"and": [unknown.clone(), false]}), json!({})),
        Status::Fail
    );
    assert_eq!(
        truth(json!({"and": [unknown, true]}), json!({})),
        Status::InsufficientEvidence
    );
    assert_eq!(truth(json!({"and": []}), json!({})), Status::Pass);
}

#[test]
fn op_or() {
    let unknown = json!({"known": "/nope"});
    assert_eq!(
        truth(json!({"or": [false, {"get": "/nope"}, true]}), json!({})),
        Status::Pass
    );
    assert_eq!(truth(json!({"or": [false, null]}), json!({})), Status::Fail);
    assert_eq!(
        truth(json!({"or": [unknown.clone(), true]}), json!({})),
        Status::Pass
    );
    assert_eq!(
        truth(json!({"or": [unknown, false]}), json!({})),
        Status::InsufficientEvidence
    );
    assert_eq!(truth(json!({"or": []}), json!({})), Status::Fail);
}

#[test]
fn op_not() {
    assert_eq!(truth(json!({"not": false}), json!({})), Status::Pass);
    assert_eq!(
        truth(json!({"not": {"get": "/nope"}}), json!({})),
        Status::Pass
    );
    assert_eq!(
        truth(json!({"not": {"get": "/processes/*"}}), procs()),
        Status::Fail
    );
    assert_eq!(
        truth(json!({"not": {"known": "/nope"}}), json!({})),
        Status::InsufficientEvidence
    );
}

#[test]
fn op_exists() {
    let body = json!({"x_d": {"n": null, "e": [], "s": ""}});
    assert_eq!(
        truth(json!({"exists": "/x_d/n"}), body.clone()),
        Status::Fail
    );
    assert_eq!(
        truth(json!({"exists": "/x_d/e"}), body.clone()),
        Status::Pass
    );
    assert_eq!(
        truth(json!({"exists": "/x_d/s"}), body.clone()),
        Status::Pass
    );
    assert_eq!(
        truth(json!({"exists": "/x_d/e/*"}), body.clone()),
        Status::Fail
    );
    assert_eq!(truth(json!({"exists": "/x_d/zzz"}), body), Status::Fail);
}

#[test]
fn op_nonempty() {
    let body =
        json!({"x_d": {"n": null, "e": [], "o": {}, "s": "  ", "t": "x", "z": 0, "f": false}});
    for (k, want) in [
        ("n", false),
        ("e", false),
        ("o", false),
        ("s", false),
        ("t", true),
        ("z", true),
        ("f", true),
        ("zz", false),
    ] {
        let got = truth(json!({"nonempty": format!("/x_d/{k}")}), body.clone());
        assert_eq!(got, if want { Status::Pass } else { Status::Fail }, "{k}");
    }
}

#[test]
fn op_known() {
    assert_eq!(
        truth(
            json!({"known": "/aims/established_on"}),
            json!({"aims": {"established_on": "2025-01-01"}})
        ),
        Status::Pass
    );
    assert_eq!(
        truth(
            json!({"known": "/aims/established_on"}),
            json!({"aims": {}})
        ),
        Status::InsufficientEvidence
    );
    assert_eq!(
        truth(json!({"known": "/processes/*"}), json!({"processes": []})),
        Status::InsufficientEvidence
    );
}

#[test]
fn op_unique() {
    assert_eq!(
        truth(json!({"unique": "/processes/*/name"}), procs()),
        Status::Pass
    );
    assert_eq!(
        truth(json!({"unique": "/processes/*/status"}), procs()),
        Status::Fail
    );
    assert_eq!(
        truth(json!({"unique": "/nothing/*"}), procs()),
        Status::Pass
    );
    // Numbers compare by value, as in `eq` and `distinct`.
    assert_eq!(truth(json!({"unique": [1, 1.0]}), json!({})), Status::Fail);
    assert_eq!(truth(json!({"unique": [1, "1"]}), json!({})), Status::Pass);
}

#[test]
fn op_eq() {
    assert_eq!(
        truth(
            json!({"eq": [{"get": "/processes/0/status"}, "active"]}),
            procs()
        ),
        Status::Pass
    );
    assert_eq!(truth(json!({"eq": [1, 1.0]}), json!({})), Status::Pass);
    assert_eq!(
        truth(json!({"eq": [{"get": "/nope"}, null]}), json!({})),
        Status::Pass
    );
    assert_eq!(
        truth(json!({"eq": [{"get": "/nope"}, "x"]}), json!({})),
        Status::Fail
    );
    assert_eq!(
        truth(
            json!({"eq": [{"get": "/processes/*/id"}, ["P1", "P2", "P3"]]}),
            procs()
        ),
        Status::Pass
    );
}

#[test]
fn op_ne() {
    assert_eq!(
        truth(
            json!({"ne": [{"get": "/processes/2/status"}, "active"]}),
            procs()
        ),
        Status::Pass
    );
    assert_eq!(
        truth(json!({"ne": [{"get": "/nope"}, "x"]}), json!({})),
        Status::Pass
    );
    assert_eq!(truth(json!({"ne": [2, 2]}), json!({})), Status::Fail);
}

#[test]
fn op_lt() {
    assert_eq!(
        truth(json!({"lt": ["2025-01-01", {"as_of": {}}]}), json!({})),
        Status::Pass
    );
    assert_eq!(truth(json!({"lt": [3, 3]}), json!({})), Status::Fail);
    assert_eq!(
        truth(json!({"lt": [{"get": "/nope"}, 3]}), json!({})),
        Status::InsufficientEvidence
    );
}

#[test]
fn op_le() {
    assert_eq!(truth(json!({"le": [3, 3.0]}), json!({})), Status::Pass);
    assert_eq!(truth(json!({"le": ["b", "a"]}), json!({})), Status::Fail);
    assert_eq!(
        truth(json!({"le": [1, {"const": null}]}), json!({})),
        Status::InsufficientEvidence
    );
}

#[test]
fn op_gt() {
    assert_eq!(
        truth(json!({"gt": [{"count": "/processes"}, 2]}), procs()),
        Status::Pass
    );
    assert_eq!(
        truth(json!({"gt": ["2025-01-01", "2025-01-02"]}), json!({})),
        Status::Fail
    );
    // A selection of several values is not comparable: unknown.
    assert_eq!(
        truth(json!({"gt": [{"get": "/processes/*/id"}, "A"]}), procs()),
        Status::InsufficientEvidence
    );
}

#[test]
fn op_ge() {
    assert_eq!(truth(json!({"ge": [3, 3]}), json!({})), Status::Pass);
    assert_eq!(truth(json!({"ge": [2, 3]}), json!({})), Status::Fail);
    assert_eq!(
        truth(
            json!({"ge": [{"get": "/nope"}, {"get": "/nope"}]}),
            json!({})
        ),
        Status::InsufficientEvidence
    );
}

#[test]
fn runtime_error_is_reported_and_other_rules_still_run() {
    let report = report_with(
        vec![
            all_tiers(
                "T-ERR",
                json!({"assert": {"that": {"lt": [1, "a"]}, "message": "m"}}),
            ),
            all_tiers("T-OK", json!({"assert": {"that": true, "message": "m"}})),
            all_tiers(
                "T-DATE",
                json!({"assert": {"that": {"within": {"date": "/x_d", "months": 1}}, "message": "m"}}),
            ),
        ],
        json!({"x_d": "yesterday"}),
        Some("startup"),
        None,
    );
    let e = report.rule("T-ERR").unwrap();
    assert_eq!(e.status, Status::Error);
    let err = e.error.as_ref().unwrap();
    assert_eq!(err.code, "AIMS-E-EVAL");
    assert_eq!(err.message, "cannot compare 1 with \"a\"");
    assert_eq!(report.rule("T-DATE").unwrap().status, Status::Error);
    assert_eq!(report.rule("T-OK").unwrap().status, Status::Pass);
    assert_eq!(report.summary.by_status.error, 2);
    assert_eq!(report.verdict, aimscheck::Verdict::Inconclusive);
}

#[test]
fn op_one_of() {
    assert_eq!(
        truth(
            json!({"one_of": [{"get": "/processes/2/status"}, ["active", "planned"]]}),
            procs()
        ),
        Status::Pass
    );
    assert_eq!(
        truth(
            json!({"one_of": ["retired", ["active", "planned"]]}),
            json!({})
        ),
        Status::Fail
    );
    assert_eq!(
        truth(json!({"one_of": [{"get": "/nope"}, [null]]}), json!({})),
        Status::Fail
    );
    assert_eq!(
        truth(json!({"one_of": ["R1", {"get": "/roles/*/id"}]}), procs()),
        Status::Pass
    );
}

#[test]
fn op_intersects() {
    assert_eq!(
        truth(
            json!({"intersects": [{"get": "/processes/0/clause_refs"}, ["6.1.2", "9.2"]]}),
            procs()
        ),
        Status::Pass
    );
    assert_eq!(
        truth(json!({"intersects": [["a"], ["b"]]}), json!({})),
        Status::Fail
    );
    assert_eq!(
        truth(json!({"intersects": [{"get": "/nope"}, ["b"]]}), json!({})),
        Status::Fail
    );
}

#[test]
fn op_subset() {
    assert_eq!(
        truth(json!({"subset": [["a", "b"], ["b", "c", "a"]]}), json!({})),
        Status::Pass
    );
    assert_eq!(
        truth(json!({"subset": [["a", "d"], ["b", "c", "a"]]}), json!({})),
        Status::Fail
    );
    assert_eq!(
        truth(json!({"subset": [{"get": "/nope/*"}, ["x"]]}), json!({})),
        Status::Pass
    );
    // Which required clauses no process covers: the classic use with `filter`.
    assert_eq!(
        value(
            json!({"filter": {"in": {"const": ["6.1.2", "9.2"]}, "as": "c",
            "where": {"not": {"one_of": [{"get": "$c"}, {"get": "/processes/*/clause_refs/*"}]}}}}),
            procs()
        ),
        json!(["9.2"])
    );
}

#[test]
fn op_refs_under() {
    let body = json!({"processes": [{"id": "A", "clause_refs": ["9.2.1", "A.6.2.5"]}]});
    assert_eq!(
        truth(
            json!({"refs_under": [{"get": "/processes/0/clause_refs"}, ["9.2"]]}),
            body.clone()
        ),
        Status::Pass
    );
    assert_eq!(
        truth(
            json!({"refs_under": [{"get": "/processes/0/clause_refs"}, ["A.6.2"]]}),
            body.clone()
        ),
        Status::Pass
    );
    assert_eq!(
        truth(json!({"refs_under": [["9.21"], ["9.2"]]}), json!({})),
        Status::Fail
    );
    assert_eq!(
        truth(
            json!({"refs_under": [{"get": "/processes/0/clause_refs"}, ["10"]]}),
            body
        ),
        Status::Fail
    );
}

#[test]
fn op_matches() {
    let body = json!({"evidence": [{"id": "E1", "uri": "https://x.example/a.pdf", "sha256": "ab".repeat(32)}]});
    assert_eq!(
        truth(
            json!({"matches": [{"get": "/evidence/0/uri"}, "^https://"]}),
            body.clone()
        ),
        Status::Pass
    );
    // Unanchored unless the pattern anchors.
    assert_eq!(
        truth(
            json!({"matches": [{"get": "/evidence/0/uri"}, "pdf"]}),
            body.clone()
        ),
        Status::Pass
    );
    assert_eq!(
        truth(
            json!({"matches": [{"get": "/evidence/0/uri"}, "^pdf"]}),
            body.clone()
        ),
        Status::Fail
    );
    assert_eq!(
        truth(
            json!({"matches": [{"get": "/evidence/0/nope"}, ".*"]}),
            body.clone()
        ),
        Status::Fail
    );
    assert_eq!(truth(json!({"matches": [42, ".*"]}), body), Status::Fail);
}

#[test]
fn op_let() {
    assert_eq!(
        value(
            json!({"let": {"name": "n", "value": {"count": "/processes"}, "in": {"gt": [{"get": "$n"}, 2]}}}),
            procs()
        ),
        json!(true)
    );
    // `value` given as a string is a path; the inner name shadows the outer one.
    assert_eq!(
        value(
            json!({"let": {"name": "x", "value": "/processes/0/id",
            "in": {"let": {"name": "x", "value": {"const": "inner"}, "in": {"get": "$x"}}}}}),
            procs()
        ),
        json!("inner")
    );
}

#[test]
fn op_if() {
    assert_eq!(
        value(
            json!({"if": {"cond": true, "then": "a", "else": "b"}}),
            json!({})
        ),
        json!("a")
    );
    assert_eq!(
        value(
            json!({"if": {"cond": {"get": "/nope"}, "then": "a", "else": "b"}}),
            json!({})
        ),
        json!("b")
    );
    // Without `else`, a false condition gives true (read: "if cond then ...").
    assert_eq!(
        truth(json!({"if": {"cond": false, "then": false}}), json!({})),
        Status::Pass
    );
    assert_eq!(
        truth(json!({"if": {"cond": true, "then": false}}), json!({})),
        Status::Fail
    );
    assert_eq!(
        truth(
            json!({"if": {"cond": {"known": "/nope"}, "then": true}}),
            json!({})
        ),
        Status::InsufficientEvidence
    );
}

// ---------------------------------------------------------------- expressions: dates and context

#[test]
fn op_date_add() {
    let body = json!({"aims": {"established_on": "2025-01-31", "grace_days": 10,
        "planned_intervals": {"internal_audit_months": 6}},
        "processes": [{"id": "P", "cadence": {"every": 2, "unit": "week"}}]});
    let add = |args: Value| value(json!({ "date_add": args }), body.clone());
    assert_eq!(
        add(json!({"date": "/aims/established_on", "months": 1})),
        json!("2025-02-28")
    );
    assert_eq!(
        add(json!({"date": "/aims/established_on", "days": -31})),
        json!("2024-12-31")
    );
    assert_eq!(
        add(json!({"date": "/aims/established_on", "interval": "internal_audit_months"})),
        json!("2025-07-31")
    );
    // Unknown interval names, like absent ones, default to 12 months.
    assert_eq!(
        add(json!({"date": "/aims/established_on", "interval": "management_review_months"})),
        json!("2026-01-31")
    );
    assert_eq!(
        add(json!({"date": "/aims/established_on", "cadence": "/processes/0/cadence", "times": 2})),
        json!("2025-02-28")
    );
    assert_eq!(
        add(json!({"date": "/aims/established_on", "months": 1, "grace": true})),
        json!("2025-03-10")
    );
    assert_eq!(
        add(json!({"date": "/aims/established_on", "months": 1, "times": -1, "grace": true})),
        json!("2024-12-21")
    );
    assert_eq!(add(json!({"date": "/aims/nope", "months": 1})), json!(null));
    assert_eq!(
        add(json!({"date": "/aims/established_on", "months": {"get": "/nope"}})),
        json!(null)
    );
    let issues = compile_issues(
        json!({"assert": {"that": {"date_add": {"date": "/a", "months": 1, "days": 2}}, "message": "m"}}),
    );
    assert_eq!(issues[0].code, "AIMS-E-PACK-OPERATOR");
}

#[test]
fn op_interval_has_a_unit_and_a_default_per_name() {
    let set = json!({"aims": {"established_on": "2025-01-31", "planned_intervals": {
        "correction_days": 10, "major_nc_close_days": 45, "supplier_review_months": 6}}});
    let unset = json!({"aims": {"established_on": "2025-01-31"}});
    let add = |name: &str, body: &Value| {
        value(
            json!({"date_add": {"date": "/aims/established_on", "interval": name}}),
            body.clone(),
        )
    };
    // The `_days` intervals count days; the others count months.
    assert_eq!(add("correction_days", &set), json!("2025-02-10"));
    assert_eq!(add("major_nc_close_days", &set), json!("2025-03-17"));
    assert_eq!(add("supplier_review_months", &set), json!("2025-07-31"));
    // Each has its own default: 30 and 90 days, 12 months.
    assert_eq!(add("correction_days", &unset), json!("2025-03-02"));
    assert_eq!(add("major_nc_close_days", &unset), json!("2025-05-01"));
    assert_eq!(add("data_review_months", &unset), json!("2026-01-31"));
    assert_eq!(
        value(json!({"interval": "correction_days"}), unset.clone()),
        json!(30)
    );
    assert_eq!(
        value(json!({"interval": "major_nc_close_days"}), set),
        json!(45)
    );
    assert_eq!(
        value(
            json!({"period_text": {"interval": "correction_days"}}),
            unset
        ),
        json!("every 30 days")
    );
    let issues =
        compile_issues(json!({"assert": {"that": {"interval": "review_days"}, "message": "m"}}));
    assert_eq!(issues[0].code, "AIMS-E-PACK-OPERATOR");
    assert!(
        issues[0].message.contains("correction_days"),
        "{}",
        issues[0].message
    );
}

#[test]
fn op_date_periods_must_be_whole_and_within_reach() {
    let body = json!({"aims": {"established_on": "2025-01-31"},
        "x_p": {"whole": 2.0, "half": 2.5, "huge": 1e300, "big": 9_223_372_036_854_775_808_u64,
            "text": "3"},
        "processes": [{"id": "P", "cadence": {"every": 1e19, "unit": "day"}}]});
    let error_of = |period: Value| {
        let mut args = json!({"date": "/aims/established_on"});
        args.as_object_mut()
            .unwrap()
            .extend(period.as_object().unwrap().clone());
        let r = run(
            json!({"assert": {"that": false, "message": "v", "actual": {"date_add": args}}}),
            body.clone(),
        );
        r.error.map(|e| (r.status, e.code, e.message))
    };
    // An integral float counts as the integer; a value that is no number is missing.
    assert_eq!(error_of(json!({"months": {"get": "/x_p/whole"}})), None);
    assert_eq!(
        value(
            json!({"date_add": {"date": "/aims/established_on", "months": {"get": "/x_p/whole"}}}),
            body.clone()
        ),
        json!("2025-03-31")
    );
    assert_eq!(
        value(
            json!({"date_add": {"date": "/aims/established_on", "days": {"get": "/x_p/text"}}}),
            body.clone()
        ),
        json!(null)
    );
    let eval = |message: &str| Some((Status::Error, "AIMS-E-EVAL".to_owned(), message.to_owned()));
    assert_eq!(
        error_of(json!({"months": {"get": "/x_p/half"}})),
        eval("2.5 is not a whole number of months")
    );
    assert_eq!(
        error_of(json!({"days": {"get": "/x_p/huge"}})),
        eval("1e+300 days is beyond any date")
    );
    assert_eq!(
        error_of(json!({"months": {"get": "/x_p/big"}})),
        eval("9223372036854775808 months is beyond any date")
    );
    assert_eq!(
        error_of(json!({"cadence": "/processes/0/cadence"})),
        eval("1e+19 days is beyond any date")
    );
}

#[test]
fn op_within() {
    let within = |date: &str, extra: Value, aims: Value| {
        let mut args = json!({"date": "/x_d"});
        for (k, v) in extra.as_object().unwrap() {
            args[k] = v.clone();
        }
        truth(
            json!({ "within": args }),
            json!({"x_d": date, "aims": aims}),
        )
    };
    // as_of is 2026-06-30.
    assert_eq!(
        within(
            "2025-07-01",
            json!({"interval": "internal_audit_months"}),
            json!({})
        ),
        Status::Pass
    );
    assert_eq!(
        within(
            "2025-06-29",
            json!({"interval": "internal_audit_months"}),
            json!({})
        ),
        Status::Fail
    );
    assert_eq!(
        within(
            "2025-12-01",
            json!({"interval": "internal_audit_months"}),
            json!({"planned_intervals": {"internal_audit_months": 6}})
        ),
        Status::Fail
    );
    // grace_days is added by default, not when `grace` is false.
    assert_eq!(
        within(
            "2025-06-20",
            json!({"months": 12}),
            json!({"grace_days": 10})
        ),
        Status::Pass
    );
    assert_eq!(
        within(
            "2025-06-20",
            json!({"months": 12, "grace": false}),
            json!({"grace_days": 10})
        ),
        Status::Fail
    );
    assert_eq!(
        within("2026-06-01", json!({"days": 29}), json!({})),
        Status::Pass
    );
    // A date after as_of is not within.
    assert_eq!(
        within("2026-07-01", json!({"months": 12}), json!({})),
        Status::Fail
    );
    assert_eq!(
        truth(
            json!({"within": {"date": "/nope", "months": 12}}),
            json!({})
        ),
        Status::InsufficientEvidence
    );
    assert_eq!(
        truth(
            json!({"within": {"date": "/x_d", "cadence": "/nope"}}),
            json!({"x_d": "2026-06-01"})
        ),
        Status::InsufficientEvidence
    );
}

#[test]
fn op_period_gaps() {
    let body = json!({"aims": {"established_on": "2026-01-01"},
    "metrics": [{"id": "M", "cadence": {"every": 1, "unit": "month"}}],
    "measurements": [
        {"id": "a", "metric_id": "M", "period_start": "2026-01-05"},
        {"id": "b", "metric_id": "M", "period_start": "2026-03-31"},
        {"id": "c", "metric_id": "M", "period_start": "2026-05-01"}
    ]});
    let gaps = json!({"period_gaps": {"start": "/aims/established_on", "cadence": "/metrics/0/cadence",
        "dates": "/measurements/*/period_start"}});
    // Periods that ended by as_of 2026-06-30: Jan..May; February and April have no date.
    assert_eq!(
        value(gaps.clone(), body.clone()),
        json!(["2026-02-01", "2026-04-01"])
    );
    let mut grace = body.clone();
    grace["aims"]["grace_days"] = json!(1);
    assert_eq!(value(gaps, grace), json!(["2026-02-01", "2026-04-01"]));
    // The period that has not ended (June) is not a gap yet; with grace its end moves later.
    let june = json!({"aims": {"established_on": "2026-05-30", "grace_days": 5}, "metrics": [{"id": "M", "cadence": {"every": 1, "unit": "month"}}]});
    let g = |grace: bool| {
        value(
            json!({"period_gaps": {"start": "/aims/established_on", "cadence": "/metrics/0/cadence",
        "dates": "/measurements/*/period_start", "grace": grace}}),
            june.clone(),
        )
    };
    assert_eq!(g(false), json!(["2026-05-30"]));
    assert_eq!(g(true), json!([]));
}

#[test]
fn op_period_gaps_keeps_calendar_periods_after_a_month_end() {
    // Monthly from 31 January: periods start on Jan 31, Feb 28, Mar 31, Apr 30, ... (not Mar 28).
    let body = json!({"aims": {"established_on": "2026-01-31"},
    "metrics": [{"id": "M", "cadence": {"every": 1, "unit": "month"}}],
    "measurements": [
        {"id": "a", "metric_id": "M", "period_start": "2026-02-01"},
        {"id": "b", "metric_id": "M", "period_start": "2026-03-30"},
        {"id": "c", "metric_id": "M", "period_start": "2026-04-15"},
        {"id": "d", "metric_id": "M", "period_start": "2026-05-30"},
            {"id": "e", "metric_id": "M", "period_start": "2026-06-10"}
    ]});
    let gaps = json!({"period_gaps": {"start": "/aims/established_on", "cadence": "/metrics/0/cadence",
        "dates": "/measurements/*/period_start"}});
    // Jan 31-Feb 27, Feb 28-Mar 30, Mar 31-Apr 29, Apr 30-May 30, May 31-Jun 29 each have a date.
    assert_eq!(value(gaps, body), json!([]));
}

#[test]
fn op_period_gaps_unknown_is_never_pass() {
    let body = json!({"metrics": [{"id": "M", "cadence": {"every": 1, "unit": "month"}}]});
    let gaps = json!({"period_gaps": {"start": "/aims/established_on", "cadence": "/metrics/0/cadence",
        "dates": "/measurements/*/period_start"}});
    // Without a start date the gaps cannot be listed: every way of asking "no gaps?" is unknown.
    assert_eq!(
        truth(json!({"eq": [{"count": gaps.clone()}, 0]}), body.clone()),
        Status::InsufficientEvidence
    );
    assert_eq!(
        truth(json!({"not": {"nonempty": gaps.clone()}}), body.clone()),
        Status::InsufficientEvidence
    );
    assert_eq!(
        truth(json!({"not": {"exists": gaps.clone()}}), body.clone()),
        Status::InsufficientEvidence
    );
    let r = run(
        json!({"let": {"name": "gaps", "value": gaps.clone(), "check": {"assert": {
            "that": {"eq": [{"count": "$gaps"}, 0]}, "message": "no measurement for {$gaps}"}}}}),
        body.clone(),
    );
    assert_eq!(r.status, Status::InsufficientEvidence);
    // Listing the gaps one by one with for_each is unknown too, not "nothing in scope".
    let r = run(
        json!({"for_each": {"in": gaps, "check": {"assert": {"that": false, "message": "gap {@}"}}}}),
        body,
    );
    assert_eq!(r.status, Status::InsufficientEvidence);
}

#[test]
fn op_interval() {
    let body = json!({"aims": {"planned_intervals": {"internal_audit_months": 6}}});
    assert_eq!(
        value(json!({"interval": "internal_audit_months"}), body.clone()),
        json!(6)
    );
    assert_eq!(
        value(json!({"interval": "management_review_months"}), body),
        json!(12)
    );
    assert_eq!(
        value(json!({"interval": "policy_review_months"}), json!({})),
        json!(12)
    );
}

#[test]
fn op_as_of() {
    assert_eq!(value(json!({"as_of": {}}), json!({})), json!(AS_OF));
    assert_eq!(value(json!({"as_of": null}), json!({})), json!(AS_OF));
}

#[test]
fn op_tier() {
    assert_eq!(value(json!({"tier": {}}), json!({})), json!("startup"));
    let r = report_with(
        vec![all_tiers(
            RULE,
            json!({"assert": {"that": false, "message": "m", "actual": {"tier": {}}}}),
        )],
        json!({}),
        Some("startup"),
        Some("certification"),
    );
    // The certification profile evaluates at least as scaleup.
    assert_eq!(
        r.rule(RULE).unwrap().findings[0].actual,
        Some(json!("scaleup"))
    );
    assert_eq!(r.tier, "startup");
}

#[test]
fn op_catalogue() {
    assert_eq!(
        value(json!({"count": {"catalogue": "clauses"}}), json!({})),
        json!(36)
    );
    assert_eq!(
        value(json!({"count": {"catalogue": "controls"}}), json!({})),
        json!(38)
    );
    assert_eq!(
        truth(
            json!({"one_of": ["A.6.2.5", {"catalogue": "controls"}]}),
            json!({})
        ),
        Status::Pass
    );
    assert_eq!(
        truth(
            json!({"one_of": ["6.1.5", {"catalogue": "clauses"}]}),
            json!({})
        ),
        Status::Fail
    );
    assert_eq!(
        compile_issues(json!({"assert": {"that": {"catalogue": "annex"}, "message": "m"}}))[0].code,
        "AIMS-E-PACK-OPERATOR"
    );
}

#[test]
fn op_tier_at_least() {
    let at = |tier: &str, profile: Option<&str>| {
        let r = report_with(
            vec![all_tiers(
                RULE,
                json!({"assert": {"that": {"tier_at_least": "scaleup"}, "message": "m"}}),
            )],
            json!({}),
            Some(tier),
            profile,
        );
        r.rule(RULE).unwrap().status
    };
    assert_eq!(at("startup", None), Status::Fail);
    assert_eq!(at("scaleup", None), Status::Pass);
    assert_eq!(at("enterprise", None), Status::Pass);
    assert_eq!(at("startup", Some("certification")), Status::Pass);
}

#[test]
fn op_schema() {
    let shape = json!({"type": "object", "required": ["every", "unit"]});
    let body = json!({"processes": [{"id": "A", "cadence": {"every": 1, "unit": "month"}}, {"id": "B", "cadence": {"unit": "month"}}, {"id": "C"}]});
    let r = run(
        json!({"for_each": {"in": "/processes/*", "check": {"assert": {
            "that": {"schema": {"value": "@/cadence", "schema": shape}},
            "message": "{@/id} cadence malformed", "at": "@/cadence"}}}}),
        body,
    );
    assert_eq!(r.status, Status::Fail);
    assert_eq!(
        r.findings
            .iter()
            .map(|f| (f.kind, f.pointer.as_str()))
            .collect::<Vec<_>>(),
        [
            (FindingKind::Violation, "/processes/1/cadence"),
            (FindingKind::MissingEvidence, "/processes/2/cadence")
        ]
    );
}

// ---------------------------------------------------------------- compile errors

#[test]
fn compile_error_unknown_operator() {
    let issues = compile_issues(json!({"assert": {"that": {"frobnicate": [1]}, "message": "m"}}));
    assert_eq!(issues.len(), 1);
    let i = &issues[0];
    assert_eq!(i.code, "AIMS-E-PACK-OPERATOR");
    assert_eq!(i.rule_id.as_deref(), Some(RULE));
    assert_eq!(i.pointer, "/rules/0/check/assert/that/frobnicate");
    assert_eq!(i.file.as_deref(), Some("rules.json"));
    assert!(i.line.is_some() && i.column.is_some());
    assert!(i.message.contains("frobnicate"), "{}", i.message);
    // An unknown check, and an unknown argument.
    assert_eq!(
        compile_issues(json!({"check_all": []}))[0].code,
        "AIMS-E-PACK-OPERATOR"
    );
    let extra = compile_issues(json!({"assert": {"that": true, "message": "m", "severity": "x"}}));
    assert_eq!(extra[0].pointer, "/rules/0/check/assert/severity");
}

#[test]
fn compile_error_unbound_variable() {
    let issues = compile_issues(json!({"for_each": {"in": "/processes/*", "as": "p",
        "check": {"assert": {"that": {"exists": "$q/id"}, "message": "m"}}}}));
    assert_eq!(issues[0].code, "AIMS-E-PACK-PATH");
    assert_eq!(issues[0].rule_id.as_deref(), Some(RULE));
    assert_eq!(
        issues[0].pointer,
        "/rules/0/check/for_each/check/assert/that/exists"
    );
    // A name goes out of scope after its for_each.
    let issues = compile_issues(json!({"all": [
        {"for_each": {"in": "/processes/*", "as": "p", "check": {"assert": {"that": true, "message": "m"}}}},
        {"assert": {"that": {"exists": "$p"}, "message": "m"}}]}));
    assert_eq!(issues[0].code, "AIMS-E-PACK-PATH");
    // A path must start with /, @ or $.
    assert_eq!(
        compile_issues(json!({"assert": {"that": {"get": "processes"}, "message": "m"}}))[0].code,
        "AIMS-E-PACK-PATH"
    );
}

#[test]
fn compile_error_bad_regex() {
    let issues = compile_issues(
        json!({"assert": {"that": {"matches": [{"get": "/x"}, "(unclosed"]}, "message": "m"}}),
    );
    assert_eq!(issues[0].code, "AIMS-E-PACK-REGEX");
    assert_eq!(issues[0].pointer, "/rules/0/check/assert/that/matches/1");
    // Larger than the compiled size limit (1 MiB).
    let issues = compile_issues(
        json!({"assert": {"that": {"matches": ["x", "(\\w{50}){200}"]}, "message": "m"}}),
    );
    assert_eq!(issues[0].code, "AIMS-E-PACK-REGEX");
}

#[test]
fn compile_error_bad_schema_fragment() {
    let issues = compile_issues(
        json!({"assert": {"that": {"schema": {"value": "/aims", "schema": {"type": "nonsense"}}}, "message": "m"}}),
    );
    assert_eq!(issues[0].code, "AIMS-E-PACK-FRAGMENT");
    assert_eq!(
        issues[0].pointer,
        "/rules/0/check/assert/that/schema/schema"
    );
    // No remote or file `$ref` is fetched.
    let issues = compile_issues(
        json!({"assert": {"that": {"schema": {"value": "/aims", "schema": {"$ref": "https://example.invalid/s.json"}}}, "message": "m"}}),
    );
    assert_eq!(issues[0].code, "AIMS-E-PACK-FRAGMENT");
}

#[test]
fn compile_error_unknown_clause() {
    let mut r = all_tiers(RULE, json!({"assert": {"that": true, "message": "m"}}));
    r["clause_refs"] = json!(["4.4", "6.1.5"]);
    let issues = pack(vec![r]).unwrap_err().issues().to_vec();
    assert_eq!(issues[0].code, "AIMS-E-PACK-CLAUSE");
    assert_eq!(issues[0].pointer, "/rules/0/clause_refs/1");
    assert_eq!(issues[0].rule_id.as_deref(), Some(RULE));
    // The clause lists of graph_flow are checked against the catalogue too.
    let issues =
        compile_issues(json!({"graph_flow": {"from": ["6.1.5"], "to": ["6.1.2"], "message": "m"}}));
    assert_eq!(issues[0].code, "AIMS-E-PACK-CLAUSE");
    assert_eq!(issues[0].pointer, "/rules/0/check/graph_flow/from/0");
}

#[test]
fn compile_error_duplicate_rule_id() {
    let a = all_tiers(RULE, json!({"assert": {"that": true, "message": "m"}}));
    let issues = pack(vec![a.clone(), a.clone()])
        .unwrap_err()
        .issues()
        .to_vec();
    assert_eq!(issues[0].code, "AIMS-E-PACK-DUPLICATE");
    assert_eq!(issues[0].pointer, "/rules/1/id");
    // Across packs, the engine refuses them.
    let e = Engine::with_packs(vec![pack(vec![a.clone()]).unwrap(), pack(vec![a]).unwrap()])
        .unwrap_err();
    assert_eq!(e.code(), "AIMS-E-PACK-DUPLICATE");
}

#[test]
fn compile_errors_are_all_collected() {
    let issues = compile_issues(json!({"all": [
        {"assert": {"that": {"nope1": 1}, "message": "m"}},
        {"assert": {"that": {"matches": ["x", "["]}, "message": "{$z}"}}
    ]}));
    let codes: Vec<&str> = issues.iter().map(|i| i.code).collect();
    assert_eq!(
        codes,
        [
            "AIMS-E-PACK-OPERATOR",
            "AIMS-E-PACK-REGEX",
            "AIMS-E-PACK-PATH"
        ]
    );
}

#[test]
fn unknown_propagates_through_value_predicates() {
    // `if` with an undecidable condition gives unknown; whatever asks about that value is unknown too.
    let u = json!({"if": {"cond": {"known": "/aims/established_on"}, "then": "a", "else": "b"}});
    for that in [
        json!({"eq": [u.clone(), "a"]}),
        json!({"ne": [u.clone(), "a"]}),
        json!({"one_of": [u.clone(), ["a", "b"]]}),
        json!({"matches": [u.clone(), "^a$"]}),
        json!({"intersects": [u.clone(), ["a"]]}),
        json!({"subset": [u.clone(), ["a"]]}),
        json!({"refs_under": [u.clone(), ["4.4"]]}),
        json!({"unique": u.clone()}),
        json!({"exists": u.clone()}),
        json!({"nonempty": u.clone()}),
        json!({"gt": [{"count": u.clone()}, 0]}),
    ] {
        assert_eq!(
            truth(that.clone(), json!({})),
            Status::InsufficientEvidence,
            "{that}"
        );
    }
    // Absent data is not unknown: `exists` and `eq` decide on it.
    assert_eq!(
        truth(json!({"exists": "/aims/established_on"}), json!({})),
        Status::Fail
    );
}

#[test]
fn check_for_each_if_none_not_applicable_with_reason() {
    let r = run(
        json!({"for_each": {"in": "/processes/*", "check": {"assert": {"that": true, "message": "x"}},
            "if_none": {"status": "not_applicable", "message": "there is no process"}}}),
        json!({}),
    );
    assert_eq!(r.status, Status::NotApplicable);
    assert_eq!(r.reason.as_deref(), Some("there is no process"));
}

#[test]
fn interval_names_are_checked_when_the_pack_compiles() {
    let issues = compile_issues(
        json!({"assert": {"that": {"within": {"date": "/aims/established_on",
        "interval": "audit_months"}}, "message": "x"}}),
    );
    assert!(
        issues
            .iter()
            .any(|i| i.code == "AIMS-E-PACK-OPERATOR" && i.message.contains("audit_months")),
        "{issues:#?}"
    );
    let issues = compile_issues(
        json!({"assert": {"that": {"eq": [{"interval": "review_months"}, 12]}, "message": "x"}}),
    );
    assert!(
        issues.iter().any(|i| i.code == "AIMS-E-PACK-OPERATOR"),
        "{issues:#?}"
    );
}

#[test]
fn graph_isolated_ignores_links_to_excluded_nodes() {
    let body = json!({"processes": [
        {"id": "A", "status": "active", "outputs": [{"artifact": "x", "to_process_id": "B"}]},
        {"id": "B", "status": "retired", "inputs": [{"artifact": "x", "from_process_id": "A"}]}
    ]});
    let r = run(
        json!({"graph_isolated": {"where": {"eq": [{"get": "@/status"}, "active"]}, "message": "{@/id} isolated"}}),
        body,
    );
    assert_eq!(r.status, Status::Fail);
    assert_eq!(pointers(&r), vec!["/processes/0"]);
}

#[test]
fn graph_flow_is_satisfied_by_a_node_carrying_both_ends() {
    let body = json!({"processes": [{"id": "R", "clause_refs": ["6.1.2", "6.1.3"]}]});
    let r = run(
        json!({"graph_flow": {"from": ["6.1.2"], "to": ["6.1.3"], "message": "no flow"}}),
        body,
    );
    assert_eq!(r.status, Status::Pass);
}

#[test]
fn op_max_and_min_by_return_the_item() {
    let body = json!({"audits": [
        {"id": "a1", "completed_on": "2025-09-01"},
        {"id": "a2", "completed_on": "2026-03-01"},
        {"id": "a3"}
    ]});
    let latest = json!({"max": {"in": "/audits/*", "by": {"get": "@/completed_on"}}});
    let r = run(
        json!({"let": {"name": "x", "value": latest, "check": {"assert": {"that": false,
            "message": "{$x/id}", "at": "$x"}}}}),
        body.clone(),
    );
    assert_eq!(messages(&r), vec!["a2"]);
    assert_eq!(pointers(&r), vec!["/audits/1"]);
    let earliest = json!({"min": {"in": "/audits/*", "as": "a", "by": {"get": "$a/completed_on"}}});
    let r = run(
        json!({"let": {"name": "x", "value": earliest, "check": {"assert": {"that": false, "message": "{$x/id}"}}}}),
        body,
    );
    assert_eq!(messages(&r), vec!["a1"]);
}

#[test]
fn op_ascending_values_and_versions() {
    let t = |list: Value, extra: Value| {
        let mut args = json!({"in": list});
        for (k, v) in extra.as_object().unwrap() {
            args[k] = v.clone();
        }
        truth(json!({"ascending": args}), json!({}))
    };
    assert_eq!(
        t(json!(["2025-01-01", "2025-06-01"]), json!({})),
        Status::Pass
    );
    assert_eq!(t(json!([1, 1, 2]), json!({})), Status::Fail);
    assert_eq!(t(json!([1, 1, 2]), json!({"strict": false})), Status::Pass);
    assert_eq!(
        t(json!(["1.9", "1.10", "2.0"]), json!({"compare": "version"})),
        Status::Pass
    );
    assert_eq!(
        t(json!(["1.9", "1.10"]), json!({})),
        Status::Fail,
        "as text 1.10 < 1.9"
    );
    assert_eq!(
        t(json!(["2.0", "1.0"]), json!({"compare": "version"})),
        Status::Fail
    );
    assert_eq!(t(json!([]), json!({})), Status::Pass);
}

#[test]
fn op_days_between_ratio_sum_median() {
    assert_eq!(
        value(
            json!({"days_between": ["2026-01-01", "2026-03-01"]}),
            json!({})
        ),
        json!(59)
    );
    assert_eq!(
        value(
            json!({"days_between": ["2026-03-01", {"get": "/nothing"}]}),
            json!({})
        ),
        Value::Null
    );
    assert_eq!(value(json!({"ratio": [1, 4]}), json!({})), json!(0.25));
    assert_eq!(value(json!({"ratio": [2, 3]}), json!({})), json!(0.6667));
    assert_eq!(value(json!({"ratio": [1, 0]}), json!({})), Value::Null);
    assert_eq!(value(json!({"sum": [1, 2, 3.5]}), json!({})), json!(6.5));
    assert_eq!(value(json!({"median": [5, 1, 3]}), json!({})), json!(3));
    assert_eq!(
        value(json!({"median": [4, 1, 3, 2]}), json!({})),
        json!(2.5)
    );
    assert_eq!(value(json!({"median": []}), json!({})), Value::Null);
    let r = run(
        json!({"assert": {"that": {"gt": [{"sum": ["a"]}, 0]}, "message": "x"}}),
        json!({}),
    );
    assert_eq!(r.status, Status::Error);
}

#[test]
fn op_first_and_last() {
    let body = json!({"documents": [{"id": "d1", "history": [{"version": "1.0"}, {"version": "1.1"}, {"version": "2.0"}]}]});
    assert_eq!(value(json!({"get": "/x"}), body.clone()), Value::Null);
    let r = run(
        json!({"let": {"name": "h", "value": {"last": "/documents/0/history/*"},
            "check": {"assert": {"that": false, "message": "{$h/version}", "at": "$h/version"}}}}),
        body.clone(),
    );
    assert_eq!(messages(&r), vec!["2.0"]);
    assert_eq!(pointers(&r), vec!["/documents/0/history/2/version"]);
    assert_eq!(
        value(
            json!({"first": "/documents/0/history/*/version"}),
            body.clone()
        ),
        json!("1.0")
    );
    assert_eq!(
        value(json!({"last": "/documents/0/nothing/*"}), body),
        Value::Null
    );
}

#[test]
fn op_period_text() {
    let body = json!({
        "aims": {"planned_intervals": {"internal_audit_months": 6}},
        "processes": [{"id": "P1", "cadence": {"every": 1, "unit": "quarter"}},
                      {"id": "P2", "cadence": {"every": 2, "unit": "week"}},
                      {"id": "P3", "cadence": {}}]
    });
    let text = |period: Value| value(json!({ "period_text": period }), body.clone());
    assert_eq!(
        text(json!({"interval": "internal_audit_months"})),
        json!("every 6 months")
    );
    assert_eq!(
        text(json!({"interval": "management_review_months"})),
        json!("every 12 months")
    );
    assert_eq!(text(json!({"months": 1})), json!("every month"));
    assert_eq!(text(json!({"days": 30})), json!("every 30 days"));
    assert_eq!(
        text(json!({"cadence": "/processes/0/cadence"})),
        json!("every quarter")
    );
    assert_eq!(
        text(json!({"cadence": "/processes/1/cadence"})),
        json!("every 2 weeks")
    );
    // An incomplete cadence has no words: missing.
    assert_eq!(
        text(json!({"cadence": "/processes/2/cadence"})),
        Value::Null
    );
    let issues =
        compile_issues(json!({"assert": {"that": {"period_text": {"weeks": 2}}, "message": "m"}}));
    assert!(
        issues.iter().any(|i| i.code == "AIMS-E-PACK-OPERATOR"),
        "{issues:#?}"
    );
}

/// Management reviews out of date order, one without a date, one dated by a number.
fn reviews() -> Value {
    json!({
        "management_reviews": [
            {"id": "MR-C", "held_on": "2026-03-10"},
            {"id": "MR-A", "held_on": "2025-11-02"},
            {"id": "MR-X"},
            {"id": "MR-B", "held_on": "2026-01-15"},
            {"id": "MR-D", "held_on": "2026-03-10"},
            {"id": "MR-E", "held_on": "2026-09-01"}
        ]
    })
}

fn window(from: Value, to: Value) -> Value {
    let mut r = json!({"in": "/management_reviews/*", "by": {"get": "@/held_on"}});
    if !from.is_null() {
        r["from"] = from;
    }
    if !to.is_null() {
        r["to"] = to;
    }
    json!({"range": r})
}

#[test]
fn range_selects_a_window_by_key_in_selection_order() {
    let ids = |from: Value, to: Value| {
        shown(
            json!({"map": {"in": window(from, to), "to": {"get": "@/id"}}}),
            reviews(),
        )
    };
    // Both bounds inclusive; the items keep the model's order, not the keys' order.
    assert_eq!(
        ids(json!("2026-01-15"), json!("2026-03-10")),
        "MR-C, MR-B, MR-D"
    );
    assert_eq!(ids(json!("2026-01-16"), json!("2026-03-09")), "");
    // One bound only; the item without a key is never in a window.
    assert_eq!(ids(json!("2026-03-10"), Value::Null), "MR-C, MR-D, MR-E");
    assert_eq!(ids(Value::Null, json!("2026-01-15")), "MR-A, MR-B");
    assert_eq!(
        ids(json!("2000-01-01"), Value::Null),
        "MR-C, MR-A, MR-B, MR-D, MR-E"
    );
    // A bound that is missing gives nothing, as `ge` against it is never true.
    assert_eq!(ids(json!({"get": "/nowhere"}), Value::Null), "");
    // The index serves a loop: the reviews after each review, by the outer item's date.
    let r = run(
        json!({"for_each": {"in": "/management_reviews/*", "as": "m", "where": {"exists": "@/held_on"},
            "check": {"let": {"name": "after", "value": window(json!({"get": "$m/held_on"}), Value::Null),
                "check": {"assert": {"that": false, "message": "{$m/id}: {$after/id}"}}}}}}),
        reviews(),
    );
    assert_eq!(
        messages(&r),
        [
            "MR-C: MR-C, MR-D, MR-E",
            "MR-A: MR-C, MR-A, MR-B, MR-D, MR-E",
            "MR-B: MR-C, MR-B, MR-D, MR-E",
            "MR-D: MR-C, MR-D, MR-E",
            "MR-E: MR-E"
        ]
    );
    // Numbers order by value.
    let numbers = json!({"x_scores": [{"v": 10}, {"v": 2}, {"v": 7.5}, {"v": 30}]});
    let scores = shown(
        json!({"map": {"in": {"range": {"in": "/x_scores/*", "by": {"get": "@/v"}, "from": 5, "to": 10}},
            "to": {"get": "@/v"}}}),
        numbers,
    );
    assert_eq!(scores, "10, 7.5");
}

#[test]
fn range_refuses_what_it_cannot_index() {
    // `by` reading a variable bound outside: the index would not be the same for each use.
    let issues = compile_issues(
        json!({"for_each": {"in": "/management_reviews/*", "as": "m", "check": {"assert": {
        "that": {"nonempty": {"range": {"in": "/management_reviews/*", "by": {"get": "$m/held_on"}, "from": "2026-01-01"}}},
        "message": "m"}}}}),
    );
    assert_eq!(issues[0].code, "AIMS-E-PACK-OPERATOR");
    assert!(
        issues[0].message.contains("may read only the item"),
        "{}",
        issues[0].message
    );
    assert!(
        issues[0].pointer.ends_with("/range/by"),
        "{}",
        issues[0].pointer
    );
    // Neither bound.
    let issues = compile_issues(json!({"assert": {
        "that": {"nonempty": {"range": {"in": "/management_reviews/*", "by": {"get": "@/held_on"}}}},
        "message": "m"}}));
    assert!(
        issues[0].message.contains("needs `from`, `to` or both"),
        "{}",
        issues[0].message
    );
    // Keys of two kinds, or a bound of another kind, are run-time errors, as `ge` gives.
    let mixed = json!({"management_reviews": [{"id": "a", "held_on": "2026-01-01"}], "x_keys": [{"k": "a"}, {"k": 1}]});
    let r = run(
        json!({"assert": {"that": {"nonempty": {"range": {"in": "/x_keys/*", "by": {"get": "@/k"}, "from": "a"}}}, "message": "m"}}),
        mixed.clone(),
    );
    assert_eq!(r.status, Status::Error);
    let r = run(
        json!({"assert": {"that": {"nonempty": window(json!(5), Value::Null)}, "message": "m"}}),
        mixed,
    );
    assert_eq!(r.status, Status::Error);
    assert!(r.error.unwrap().message.contains("cannot compare"));
}

#[test]
fn ordered_puts_model_nodes_in_model_order_once() {
    // Lookups in the order of a list, then back-references, then a constant: the processes
    // come out in the model's order, each once, and the constant after them.
    let listed = shown(
        json!({"map": {"in": {"ordered": {"union": [
            {"map": {"in": {"const": ["P3", "P1", "P3", "nobody"]}, "to": {"lookup": {"in": "processes", "id": {"get": "@"}}}}},
            {"backrefs": {"from": "processes", "field": "owner_role_id", "id": "R1"}},
            {"const": "tail"}
        ]}}, "to": {"coalesce": [{"get": "@/id"}, {"get": "@"}]}}}),
        procs(),
    );
    assert_eq!(listed, "P1, P3, tail");
    // Items already in order, or nothing, stay as they are.
    assert_eq!(
        shown(
            json!({"map": {"in": {"ordered": "/processes/*"}, "to": {"get": "@/id"}}}),
            procs()
        ),
        "P1, P2, P3"
    );
    assert_eq!(
        shown(json!({"count": {"ordered": "/nowhere/*"}}), procs()),
        "0"
    );
}
