//! Exceptions (waivers), overlays and indicators, through the public API.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use aimscheck::{Engine, ExceptionStatus, Model, Options, Overlay, Severity, Status};
use serde_json::{Value, json};

const AS_OF: &str = "2026-06-30";

/// Two active processes whose owner role does not exist: AIMS-PROC-04 fails twice.
fn model(exceptions: Value) -> Model {
    Model::from_value(json!({
        "schema_version": "1.0",
        "organization": {"name": "Waiver Co", "size_tier": "startup"},
        "roles": [{"id": "r-ceo", "name": "CEO", "aims_duties": ["top_management"]}],
        "processes": [
            {"id": "p1", "name": "Risk", "status": "active", "owner_role_id": "r-gone"},
            {"id": "p2", "name": "Docs", "status": "active", "owner_role_id": "r-lost"}
        ],
        "exceptions": exceptions
    }))
    .unwrap()
}

fn exception(id: &str, extra: Value) -> Value {
    let mut e = json!({"id": id, "rule_id": "AIMS-PROC-04", "justification": "roles are being re-created after the merger",
        "approved_by": "r-ceo", "approved_on": "2026-06-01", "expires_on": "2026-09-30"});
    for (k, v) in extra.as_object().unwrap() {
        e[k] = v.clone();
    }
    e
}

fn evaluate(m: &Model) -> aimscheck::Report {
    Engine::new()
        .unwrap()
        .evaluate(m, &Options::parse(AS_OF, None, None).unwrap())
        .unwrap()
}

#[test]
fn without_exceptions_the_rule_fails_twice() {
    let r = evaluate(&model(json!([])));
    let rule = r.rule("AIMS-PROC-04").unwrap();
    assert_eq!(rule.status, Status::Fail);
    assert_eq!(rule.findings.len(), 2);
    assert!(r.exceptions.is_empty());
}

#[test]
fn a_valid_exception_waives_the_rule_and_is_reported() {
    let r = evaluate(&model(json!([exception("ex-1", json!({}))])));
    let rule = r.rule("AIMS-PROC-04").unwrap();
    assert_eq!(rule.status, Status::Waived);
    assert!(rule.findings.is_empty());
    let w = &rule.waivers[0];
    assert_eq!(
        (
            w.exception_id.as_str(),
            w.approved_by.as_str(),
            w.expires_on.as_str()
        ),
        ("ex-1", "r-ceo", "2026-09-30")
    );
    assert_eq!(
        w.justification,
        "roles are being re-created after the merger"
    );
    assert_eq!(w.findings_waived, 2);
    assert_eq!(r.exceptions[0].status, ExceptionStatus::Applied);
    assert_eq!(r.summary.by_status.waived, 1);
}

#[test]
fn a_targeted_exception_waives_only_its_target() {
    for target in ["/processes/0/owner_role_id", "p1", "/processes/0"] {
        let r = evaluate(&model(json!([exception(
            "ex-1",
            json!({"target": target})
        )])));
        let rule = r.rule("AIMS-PROC-04").unwrap();
        assert_eq!(rule.status, Status::Fail, "target {target}");
        assert_eq!(rule.findings.len(), 1);
        assert_eq!(rule.findings[0].pointer, "/processes/1/owner_role_id");
        assert_eq!(rule.waivers[0].findings_waived, 1);
    }
    // Two targeted exceptions together cover both findings.
    let r = evaluate(&model(json!([
        exception("ex-1", json!({"target": "p1"})),
        exception("ex-2", json!({"target": "p2"}))
    ])));
    assert_eq!(r.rule("AIMS-PROC-04").unwrap().status, Status::Waived);
}

#[test]
fn expired_unapproved_and_unknown_rule_exceptions_waive_nothing() {
    let cases = [
        (
            json!({"expires_on": "2026-06-29"}),
            ExceptionStatus::Expired,
        ),
        (json!({"expires_on": null}), ExceptionStatus::Expired),
        (
            json!({"approved_by": "r-nobody"}),
            ExceptionStatus::Unapproved,
        ),
        (
            json!({"approved_on": "2026-07-01"}),
            ExceptionStatus::Unapproved,
        ),
        (json!({"justification": " "}), ExceptionStatus::Unapproved),
        (
            json!({"rule_id": "AIMS-XYZ-99"}),
            ExceptionStatus::UnknownRule,
        ),
    ];
    for (extra, want) in cases {
        let mut e = exception("ex-1", extra.clone());
        if e["expires_on"].is_null() {
            e.as_object_mut().unwrap().remove("expires_on");
        }
        let r = evaluate(&model(json!([e])));
        assert_eq!(
            r.rule("AIMS-PROC-04").unwrap().status,
            Status::Fail,
            "{extra}"
        );
        assert_eq!(r.exceptions[0].status, want, "{extra}");
        assert_eq!(r.exceptions[0].pointer, "/exceptions/0");
    }
}

#[test]
fn an_exception_never_changes_a_rule_that_does_not_fail() {
    let mut e = exception("ex-1", json!({}));
    e["rule_id"] = json!("AIMS-PROC-01");
    let r = evaluate(&model(json!([e.clone()])));
    // AIMS-PROC-01 fails (no core processes): waived. AIMS-PROC-03 (not failing here? it fails:
    // no procedure) is untouched because the exception names another rule.
    assert_eq!(r.rule("AIMS-PROC-01").unwrap().status, Status::Waived);
    e["rule_id"] = json!("AIMS-NC-02");
    let r = evaluate(&model(json!([e])));
    assert_eq!(r.rule("AIMS-NC-02").unwrap().status, Status::NotApplicable);
    assert_eq!(r.exceptions[0].status, ExceptionStatus::Unused);
}

#[test]
fn overlay_disables_rules_and_changes_severities() {
    let overlay = Overlay::from_json(
        r#"{"disable": ["AIMS-PROC-04"], "severity": {"AIMS-PROC-02": "low"}}"#,
        Some("overlay.json"),
    )
    .unwrap();
    let engine = Engine::new().unwrap().with_overlay(overlay).unwrap();
    let r = engine
        .evaluate(
            &model(json!([])),
            &Options::parse(AS_OF, None, None).unwrap(),
        )
        .unwrap();
    let p4 = r.rule("AIMS-PROC-04").unwrap();
    assert_eq!(p4.status, Status::NotApplicable);
    assert_eq!(p4.reason.as_deref(), Some("disabled by the overlay"));
    assert_eq!(r.rule("AIMS-PROC-02").unwrap().severity, Severity::Low);
    assert_eq!(r.overlay.as_ref().unwrap().disable, vec!["AIMS-PROC-04"]);
}

#[test]
fn overlay_errors_name_the_file_the_rule_and_the_pointer() {
    let text = "{\n  \"disable\": [\"AIMS-PROC-04\", \"AIMS-NOPE-01\"]\n}";
    let overlay = Overlay::from_json(text, Some("my-overlay.json")).unwrap();
    let err = Engine::new().unwrap().with_overlay(overlay).unwrap_err();
    let i = &err.issues()[0];
    assert_eq!(i.pointer, "/disable/1");
    assert_eq!(i.rule_id.as_deref(), Some("AIMS-NOPE-01"));
    assert_eq!(i.file.as_deref(), Some("my-overlay.json"));
    assert_eq!((i.line, i.column), (Some(2), Some(31)));
    let bad = Overlay::from_json(r#"{"disabled": []}"#, Some("o.json")).unwrap_err();
    assert_eq!(bad.issues()[0].file.as_deref(), Some("o.json"));
    assert!(Overlay::from_json(r#"{"severity": {"AIMS-PROC-01": "urgent"}}"#, None).is_err());
}

#[test]
fn indicators_are_computed_and_explained() {
    let m = Model::from_value(json!({
        "schema_version": "1.0",
        "ai_systems": [{"id": "s1", "in_scope": true}, {"id": "s2", "in_scope": true}, {"id": "s3", "in_scope": false}],
        "risk_assessments": [{"id": "ra1", "performed_on": "2026-01-10"}, {"id": "ra2", "performed_on": "2025-01-10"},
                             {"id": "ra3", "performed_on": "2026-05-10"}],
        "nonconformities": [
            {"id": "n1", "source": "internal_audit", "grade": "minor", "detected_on": "2026-02-01", "closed_on": "2026-03-03"},
            {"id": "n2", "source": "internal_audit", "grade": "major", "detected_on": "2026-03-01", "closed_on": "2026-03-11"},
            {"id": "n3", "source": "incident", "grade": "minor", "detected_on": "2024-03-01"}],
        "corrective_actions": [
            {"id": "c1", "status": "closed", "due_on": "2026-03-01", "implemented_on": "2026-02-20"},
            {"id": "c2", "status": "implemented", "due_on": "2026-03-01", "implemented_on": "2026-03-20"},
            {"id": "c3", "status": "open", "due_on": "2026-08-01"},
            {"id": "c4", "status": "cancelled"}],
        "audits": [{"id": "a1", "type": "internal", "status": "completed", "completed_on": "2026-06-10"}],
        "management_reviews": [{"id": "m1", "held_on": "2026-04-01"}]
    }))
    .unwrap();
    let r = evaluate(&m);
    let v = |id: &str| -> Value {
        let i = r.indicators.iter().find(|i| i.id == id).unwrap();
        assert!(!i.method.is_empty());
        i.value.clone()
    };
    assert_eq!(v("risk_assessments_per_ai_system"), json!(1));
    assert_eq!(v("impact_assessments_per_ai_system"), json!(0));
    assert_eq!(v("nonconformities_by_source"), json!({"internal_audit": 2}));
    assert_eq!(
        v("nonconformities_by_grade"),
        json!({"major": 1, "minor": 1})
    );
    assert_eq!(v("corrective_action_resolution_rate"), json!(0.6667));
    assert_eq!(v("corrective_action_on_time_rate"), json!(0.5));
    assert_eq!(v("median_days_to_close_nonconformity"), json!(20));
    assert_eq!(v("processes_run_within_cadence"), Value::Null);
    assert_eq!(v("days_since_internal_audit"), json!(20));
    assert_eq!(v("days_since_management_review"), json!(90));
}

#[test]
fn null_members_are_the_same_as_absent_ones() {
    let with_nulls = Model::from_json(
        r#"{"schema_version": "1.0", "organization": {"name": "N", "size_tier": null},
            "processes": [{"id": "p1", "status": "active", "owner_role_id": null, "cadence": null}]}"#,
    )
    .unwrap();
    let without = Model::from_json(
        r#"{"schema_version": "1.0", "organization": {"name": "N"},
            "processes": [{"id": "p1", "status": "active"}]}"#,
    )
    .unwrap();
    assert_eq!(with_nulls.digest(), without.digest());
    assert_eq!(
        evaluate(&with_nulls).to_json_pretty(),
        evaluate(&without).to_json_pretty()
    );
    // A null inside an array of ids is still a type error.
    let err = Model::from_json(
        r#"{"schema_version": "1.0", "aims": {"top_management_role_ids": [null]}}"#,
    )
    .unwrap_err();
    assert_eq!(err.issues()[0].pointer, "/aims/top_management_role_ids/0");
}

#[test]
fn whole_floats_are_the_same_as_integers() {
    let a = Model::from_json(
        r#"{"schema_version": "1.0", "risk_criteria": [{"id": "c", "acceptance_threshold": 2.0}]}"#,
    )
    .unwrap();
    let b = Model::from_json(
        r#"{"schema_version": "1.0", "risk_criteria": [{"id": "c", "acceptance_threshold": 2}]}"#,
    )
    .unwrap();
    let c = Model::from_json(
        r#"{"schema_version": "1.0", "risk_criteria": [{"id": "c", "acceptance_threshold": 2.5}]}"#,
    )
    .unwrap();
    assert_eq!(a.digest(), b.digest());
    assert_ne!(a.digest(), c.digest());
}

/// Principle 1 in the indicators: facts dated after as_of (an implementation, a closure, a run,
/// an audit, a review) change no indicator.
#[test]
fn indicators_ignore_facts_dated_after_as_of() {
    let base = json!({
        "schema_version": "1.0",
        "processes": [{"id": "p1", "status": "active", "cadence": {"every": 1, "unit": "month"}}],
        "process_runs": [{"id": "r1", "process_id": "p1", "started_on": "2026-06-20"}],
        "nonconformities": [
            {"id": "n1", "source": "internal_audit", "grade": "minor", "detected_on": "2026-02-01", "closed_on": "2026-03-03"}],
        "corrective_actions": [
            {"id": "c1", "status": "closed", "due_on": "2026-03-01", "implemented_on": "2026-02-20"},
            {"id": "c3", "status": "open", "due_on": "2026-08-01"}],
        "audits": [{"id": "a1", "type": "internal", "status": "completed", "completed_on": "2026-06-10"}],
        "management_reviews": [{"id": "m1", "held_on": "2026-04-01"}]
    });
    let mut later = base.clone();
    // A closure, an implementation (late, and recorded as done), a run, an audit and a review,
    // all dated after the evaluation date.
    later["nonconformities"][0]["closed_on"] = json!("2026-09-01");
    later["corrective_actions"][1] = json!({"id": "c3", "status": "implemented", "due_on": "2026-08-01", "implemented_on": "2026-09-15"});
    later["process_runs"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "r2", "process_id": "p1", "completed_on": "2026-07-20"}));
    later["process_runs"][0]["started_on"] = json!("2026-04-01");
    later["audits"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "a2", "type": "internal", "status": "completed", "completed_on": "2026-07-01"}));
    later["management_reviews"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "m2", "held_on": "2026-08-01"}));
    let values = |body: &Value| -> Vec<(String, Value)> {
        evaluate(&Model::from_value(body.clone()).unwrap())
            .indicators
            .iter()
            .map(|i| (i.id.clone(), i.value.clone()))
            .collect()
    };
    let (a, b) = (values(&base), values(&later));
    let get = |v: &[(String, Value)], id: &str| v.iter().find(|(i, _)| i == id).unwrap().1.clone();
    for id in [
        "corrective_action_resolution_rate",
        "corrective_action_on_time_rate",
        "days_since_internal_audit",
        "days_since_management_review",
    ] {
        assert_eq!(get(&a, id), get(&b, id), "{id}");
    }
    assert_eq!(get(&a, "corrective_action_resolution_rate"), json!(0.5));
    assert_eq!(get(&a, "median_days_to_close_nonconformity"), json!(30));
    // The closure after as_of leaves no closed nonconformity to measure.
    assert_eq!(get(&b, "median_days_to_close_nonconformity"), Value::Null);
    // A run dated only by started_on counts; the latest run on or before as_of is what matters
    // (2026-04-01 is more than a month before as_of; the run of 2026-07-20 has not happened).
    assert_eq!(get(&a, "processes_run_within_cadence"), json!(1));
    assert_eq!(get(&b, "processes_run_within_cadence"), json!(0));
}
