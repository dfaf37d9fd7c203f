//! The indicators of model 1.1: complete lifecycle records and suppliers assessed on time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use aimscheck::{Engine, Model, Options};
use serde_json::{Value, json};

const AS_OF: &str = "2026-06-30";

fn indicator(body: &Value, id: &str) -> Value {
    let report = Engine::new()
        .unwrap()
        .evaluate(
            &Model::from_value(body.clone()).unwrap(),
            &Options::parse(AS_OF, Some("scaleup"), None).unwrap(),
        )
        .unwrap();
    let ind = report.indicators.iter().find(|i| i.id == id).unwrap();
    assert!(ind.error.is_none(), "{id}: {:?}", ind.error);
    ind.value.clone()
}

fn doc(id: &str, approved_on: &str) -> Value {
    json!({"id": id, "title": id, "type": "record", "status": "approved", "approved_on": approved_on})
}

fn records(s: &str) -> Value {
    json!({"requirements_document_id": format!("{s}-req"), "design_document_id": format!("{s}-design"),
        "verification_validation_document_id": format!("{s}-vv"), "deployment_document_id": format!("{s}-dep"),
        "technical_documentation_document_id": format!("{s}-tech"), "event_log_evidence_ids": ["ev-log"]})
}

fn lifecycle_model() -> Value {
    let mut documents = Vec::new();
    for s in ["s1", "s2"] {
        for k in ["req", "design", "vv", "dep", "tech"] {
            documents.push(doc(&format!("{s}-{k}"), "2026-03-01"));
        }
    }
    json!({
        "schema_version": "1.1",
        "scope": {"ai_system_ids": ["s1", "s2", "s3"]},
        "documents": documents,
        "evidence": [{"id": "ev-log", "kind": "log", "collected_on": "2026-06-01", "valid_until": "2026-12-31"}],
        "ai_systems": [
            {"id": "s1", "lifecycle_stage": "operation", "intended_use": "ranks tickets", "records": records("s1")},
            {"id": "s2", "lifecycle_stage": "deployment", "intended_use": "drafts replies", "records": records("s2")},
            // Still in design: no lifecycle records are due yet.
            {"id": "s3", "lifecycle_stage": "design"},
            // Out of scope: not counted.
            {"id": "s4", "lifecycle_stage": "operation"}
        ]
    })
}

#[test]
fn lifecycle_records_complete_rate_counts_in_scope_systems_past_verification() {
    let id = "lifecycle_records_complete_rate";
    let complete = lifecycle_model();
    assert_eq!(indicator(&complete, id), json!(1));
    // A design document approved after as_of has not been approved yet.
    let mut late = complete.clone();
    late["documents"][1]["approved_on"] = json!("2026-07-15");
    assert_eq!(indicator(&late, id), json!(0.5));
    // In operation, the event log must be valid on as_of.
    let mut expired = complete.clone();
    expired["evidence"][0]["valid_until"] = json!("2026-06-29");
    assert_eq!(indicator(&expired, id), json!(0.5));
    // No intended use, no complete record.
    let mut no_use = complete.clone();
    no_use["ai_systems"][1]
        .as_object_mut()
        .unwrap()
        .remove("intended_use");
    assert_eq!(indicator(&no_use, id), json!(0.5));
    // A 1.0 model cannot hold lifecycle records: no value rather than 0.
    let mut old = json!({"schema_version": "1.0", "scope": {"ai_system_ids": ["s1"]},
        "ai_systems": [{"id": "s1", "lifecycle_stage": "operation"}]});
    assert_eq!(indicator(&old, id), Value::Null);
    // Nor is there one without an in-scope system past verification.
    old["schema_version"] = json!("1.1");
    old["ai_systems"][0]["lifecycle_stage"] = json!("design");
    assert_eq!(indicator(&old, id), Value::Null);
}

#[test]
fn suppliers_assessed_on_time_rate_counts_suppliers_of_in_scope_systems() {
    let id = "suppliers_assessed_on_time_rate";
    let body = json!({
        "schema_version": "1.1",
        "aims": {"planned_intervals": {"supplier_review_months": 6}},
        "scope": {"ai_system_ids": ["s1"]},
        "ai_systems": [{"id": "s1"}, {"id": "s2", "in_scope": true}, {"id": "s9"}],
        "suppliers": [
            {"id": "on-time", "ai_system_ids": ["s1"], "assessed_on": "2026-02-01"},
            // Assessed 8 months ago, with a 6-month interval.
            {"id": "stale", "ai_system_ids": ["s2"], "assessed_on": "2025-10-30"},
            // Assessed after as_of: not yet.
            {"id": "future", "ai_system_ids": ["s1", "s9"], "assessed_on": "2026-07-01"},
            {"id": "never", "ai_system_ids": ["s2"]},
            // Supplies only a system out of scope: not counted.
            {"id": "other", "ai_system_ids": ["s9"], "assessed_on": "2020-01-01"}
        ]
    });
    assert_eq!(indicator(&body, id), json!(0.25));
    let none = json!({"schema_version": "1.1", "ai_systems": [{"id": "s1", "in_scope": true}]});
    assert_eq!(indicator(&none, id), Value::Null);
}
