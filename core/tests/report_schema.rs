//! Reports validate against the published report JSON Schema (`core/schema/report.schema.json`),
//! and the schema rejects what a report cannot contain.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use aimscheck::report::coherent;
use aimscheck::{
    ClauseResult, Engine, ExceptionStatus, GRADES_NOTE, Grade, Model, Options, Overlay,
    REPORT_SCHEMA, REPORT_VERSION, Report, Status,
};
use serde_json::{Value, json};

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(REPORT_SCHEMA).expect("the report schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the report schema compiles")
}

fn errors(v: &Value) -> Vec<String> {
    validator()
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path().as_str()))
        .collect()
}

fn evaluate(model: Value, as_of: &str, tier: Option<&str>, profile: Option<&str>) -> Report {
    let engine = Engine::new().expect("the default pack compiles");
    let model = Model::from_value(model).expect("the test model is valid");
    let options = Options::parse(as_of, tier, profile).expect("valid options");
    engine
        .evaluate(&model, &options)
        .expect("evaluation succeeds")
}

fn assert_valid(report: &Report) -> Value {
    let v = serde_json::to_value(report).unwrap();
    let errs = errors(&v);
    assert!(
        errs.is_empty(),
        "report does not match its schema: {errs:#?}"
    );
    v
}

/// A small model with processes, roles and documents, some of them incomplete.
fn small_model() -> Value {
    json!({
        "schema_version": "1.0",
        "organization": {"name": "Acme AI", "size_tier": "scaleup"},
        "roles": [
            {"id": "r-ciso", "name": "CISO", "aims_duties": ["process_owner"],
             "assignees": [{"person_id": "u1", "from": "2024-01-01"}]}
        ],
        "people": [{"id": "u1", "name": "Ada"}],
        "documents": [
            {"id": "d-risk", "title": "Risk procedure", "type": "procedure", "status": "approved",
             "version": "1.0", "approved_on": "2025-01-10", "next_review_on": "2026-01-10"}
        ],
        "processes": [
            {"id": "p-risk", "name": "AI risk assessment", "clause_refs": ["6.1.2", "8.2"],
             "status": "active", "owner_role_id": "r-ciso", "procedure_document_id": "d-risk",
             "outputs": [{"artifact": "risk register", "to_process_id": "p-treat"}],
             "cadence": {"every": 12, "unit": "month"}},
            {"id": "p-treat", "name": "AI risk treatment", "clause_refs": ["6.1.3"],
             "status": "active", "owner_role_id": "r-missing",
             "inputs": [{"artifact": "risk register", "from_process_id": "p-risk"}]},
            {"id": "p-audit", "name": "Internal audit", "clause_refs": ["9.2"], "status": "planned"}
        ],
        "process_runs": [
            {"id": "run-1", "process_id": "p-risk", "started_on": "2025-03-01", "completed_on": "2025-03-05"}
        ]
    })
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let schema: Value = serde_json::from_str(REPORT_SCHEMA).unwrap();
    assert_eq!(schema["$id"], "urn:aimscheck:schema:report:2");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    if let Err(e) = jsonschema::meta::validate(&schema) {
        panic!("the report schema is not a valid JSON Schema: {e}");
    }
}

#[test]
fn every_object_in_the_schema_forbids_additional_properties() {
    // Objects with fixed fields say `additionalProperties: false`; maps give a value schema.
    fn walk(v: &Value, at: &str, bad: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if o.get("type") == Some(&json!("object"))
                    && !o.contains_key("additionalProperties")
                {
                    bad.push(at.to_owned());
                }
                if o.contains_key("properties")
                    && o.get("additionalProperties") != Some(&json!(false))
                {
                    bad.push(at.to_owned());
                }
                for (k, x) in o {
                    // `if` / `then` / `else` constrain fields of the object they sit in (a
                    // result and its grade); they describe no object of their own.
                    if !matches!(k.as_str(), "if" | "then" | "else") {
                        walk(x, &format!("{at}/{k}"), bad);
                    }
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{at}/{i}"), bad);
                }
            }
            _ => {}
        }
    }
    let schema: Value = serde_json::from_str(REPORT_SCHEMA).unwrap();
    let mut bad = Vec::new();
    walk(&schema, "", &mut bad);
    assert!(
        bad.is_empty(),
        "objects without additionalProperties: {bad:?}"
    );
}

#[test]
fn report_of_an_empty_model_is_valid() {
    let report = evaluate(
        json!({"schema_version": "1.0"}),
        "2026-06-30",
        Some("startup"),
        None,
    );
    let v = assert_valid(&report);
    assert_eq!(v["verdict"], "nonconformant");
    assert_eq!(v["report_version"], REPORT_VERSION);
    assert_eq!(REPORT_VERSION, "2.0");
    // The AIMS's result over every rule: no clause id, no clause URN, no `overall`.
    assert_eq!(
        v["aims"],
        json!({"result": "non_compliant", "grade": "major_nonconformity"})
    );
    assert!(v.get("overall").is_none());
    assert_eq!(v["grades_note"], GRADES_NOTE);
    // organization is skipped, not null, when the model has no name.
    assert!(v["model"].get("organization").is_none());
    // All six status keys are present even when zero.
    for k in [
        "pass",
        "fail",
        "insufficient_evidence",
        "not_applicable",
        "waived",
        "error",
    ] {
        assert!(
            v["summary"]["by_status"].get(k).is_some(),
            "by_status lacks {k}"
        );
    }
}

#[test]
fn reports_of_a_small_model_are_valid_in_every_tier_and_profile() {
    for (tier, profile) in [
        (None, None),
        (Some("startup"), None),
        (Some("scaleup"), None),
        (Some("enterprise"), None),
        (Some("startup"), Some("certification")),
        (Some("enterprise"), Some("certification")),
    ] {
        let report = evaluate(small_model(), "2026-06-30", tier, profile);
        let v = assert_valid(&report);
        assert_eq!(v["as_of"], "2026-06-30");
        assert_eq!(v["model"]["organization"], "Acme AI");
        assert!(!report.rules.is_empty());
    }
}

#[test]
fn reports_with_findings_cover_the_optional_fields() {
    let report = evaluate(small_model(), "2027-12-31", Some("scaleup"), None);
    let v = assert_valid(&report);
    let findings: Vec<&Value> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .collect();
    assert!(!findings.is_empty(), "the small model should have findings");
    for field in ["entity_id", "expected", "actual"] {
        assert!(
            findings.iter().any(|f| f.get(field).is_some()),
            "no finding carries {field}"
        );
    }
    let rules = v["rules"].as_array().unwrap();
    assert!(
        rules.iter().any(|r| r.get("reason").is_some()),
        "no rule carries a reason"
    );
    assert!(
        v["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.get("grade").is_some())
    );
}

/// A startup whose two active processes name owner roles that do not exist (AIMS-PROC-04
/// fails twice), with nonconformities and corrective actions for the indicators, and four
/// exceptions: one that waives AIMS-PROC-04, one expired, one that names an unknown rule and
/// one whose rule does not fail.
fn model_with_exceptions() -> Value {
    json!({
        "schema_version": "1.0",
        "organization": {"name": "Waiver Co", "size_tier": "startup"},
        "roles": [{"id": "r-ceo", "name": "CEO", "aims_duties": ["top_management"]}],
        "processes": [
            {"id": "p1", "name": "Risk", "clause_refs": ["6.1.2"], "status": "active", "owner_role_id": "r-gone"},
            {"id": "p2", "name": "Docs", "clause_refs": ["7.5"], "status": "active", "owner_role_id": "r-lost"}
        ],
        "nonconformities": [
            {"id": "nc-1", "source": "internal_audit", "grade": "minor", "detected_on": "2026-02-01",
             "closed_on": "2026-03-01", "status": "closed", "corrective_action_ids": ["ca-1"]},
            {"id": "nc-2", "source": "monitoring", "grade": "observation", "detected_on": "2026-04-01"}
        ],
        "corrective_actions": [
            {"id": "ca-1", "nonconformity_ids": ["nc-1"], "owner_role_id": "r-ceo", "due_on": "2026-03-15",
             "status": "implemented", "implemented_on": "2026-02-20"}
        ],
        "exceptions": [
            {"id": "ex-1", "rule_id": "AIMS-PROC-04", "justification": "roles are being re-created after the merger",
             "approved_by": "r-ceo", "approved_on": "2026-06-01", "expires_on": "2026-09-30"},
            {"id": "ex-2", "rule_id": "AIMS-PROC-01", "target": "/processes", "justification": "old waiver",
             "approved_by": "r-ceo", "approved_on": "2025-01-01", "expires_on": "2025-12-31"},
            {"id": "ex-3", "rule_id": "AIMS-NOPE-99", "justification": "typo",
             "approved_by": "r-ceo", "approved_on": "2026-06-01", "expires_on": "2026-09-30"},
            {"id": "ex-4", "rule_id": "AIMS-NC-02", "justification": "nothing to waive",
             "approved_by": "r-ceo", "approved_on": "2026-06-01", "expires_on": "2026-09-30"}
        ]
    })
}

#[test]
fn a_report_with_indicators_exceptions_waivers_and_an_overlay_is_valid() {
    let overlay = Overlay::from_json(
        r#"{"disable": ["AIMS-CI-02"], "severity": {"AIMS-PROC-03": "low"}}"#,
        Some("overlay.json"),
    )
    .expect("the overlay parses");
    let engine = Engine::new()
        .and_then(|e| e.with_overlay(overlay))
        .expect("the overlay names known rules");
    let model = Model::from_value(model_with_exceptions()).expect("the test model is valid");
    let report = engine
        .evaluate(&model, &Options::parse("2026-06-30", None, None).unwrap())
        .expect("evaluation succeeds");
    let v = assert_valid(&report);

    // A waived rule with its waiver.
    let proc04 = report.rule("AIMS-PROC-04").unwrap();
    assert_eq!(proc04.status, Status::Waived);
    assert_eq!(proc04.waivers.len(), 1);
    assert_eq!(proc04.waivers[0].findings_waived, 2);
    let waived = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "AIMS-PROC-04")
        .unwrap();
    assert_eq!(waived["status"], "waived");
    assert_eq!(waived["waivers"][0]["exception_id"], "ex-1");
    assert!(waived["waivers"][0].get("target").is_none());
    // Rules without waivers do not carry the field.
    assert!(
        v["rules"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["id"] != "AIMS-PROC-04")
            .all(|r| r.get("waivers").is_none())
    );

    // Every exception, in model order, with what became of it.
    let statuses: Vec<ExceptionStatus> = report.exceptions.iter().map(|e| e.status).collect();
    assert_eq!(
        statuses,
        [
            ExceptionStatus::Applied,
            ExceptionStatus::Expired,
            ExceptionStatus::UnknownRule,
            ExceptionStatus::Unused
        ]
    );
    assert_eq!(v["exceptions"][1]["target"], "/processes");
    assert_eq!(v["exceptions"][1]["pointer"], "/exceptions/1");

    // The overlay is stated and took effect.
    assert_eq!(
        v["overlay"],
        json!({"disable": ["AIMS-CI-02"], "severity": {"AIMS-PROC-03": "low"}})
    );
    assert_eq!(
        report.rule("AIMS-CI-02").unwrap().status,
        Status::NotApplicable
    );

    // Indicators: numbers, breakdowns and nulls all validate.
    let indicators = v["indicators"].as_array().unwrap();
    assert!(!indicators.is_empty());
    assert!(
        indicators.iter().any(|i| i["value"].is_number()),
        "{indicators:#?}"
    );
    assert!(
        indicators.iter().any(|i| i["value"].is_object()),
        "{indicators:#?}"
    );
    assert!(
        indicators.iter().any(|i| i["value"].is_null()),
        "{indicators:#?}"
    );
}

#[test]
fn a_partly_waived_rule_and_an_indicator_error_are_valid() {
    // A targeted exception leaves the rule failing with a waiver that names its target.
    let mut model = model_with_exceptions();
    model["exceptions"] = json!([{"id": "ex-1", "rule_id": "AIMS-PROC-04", "target": "p1",
        "justification": "p1 is being re-created", "approved_by": "r-ceo",
        "approved_on": "2026-06-01", "expires_on": "2026-09-30"}]);
    let report = evaluate(model, "2026-06-30", None, None);
    let mut v = assert_valid(&report);
    let proc04 = report.rule("AIMS-PROC-04").unwrap();
    assert_eq!(proc04.status, Status::Fail);
    assert_eq!(proc04.waivers[0].target.as_deref(), Some("p1"));
    // No overlay: the field is absent.
    assert!(v.get("overlay").is_none());
    // An indicator that could not be computed carries its error and a null value.
    v["indicators"][0]["value"] = Value::Null;
    v["indicators"][0]["error"] = json!("division by a non-number");
    let errs = errors(&v);
    assert!(errs.is_empty(), "{errs:#?}");
}

#[test]
fn a_rule_in_error_with_null_actual_is_valid() {
    let report = evaluate(json!({"schema_version": "1.0"}), "2026-06-30", None, None);
    let mut v = serde_json::to_value(&report).unwrap();
    let rule = &mut v["rules"][0];
    rule["status"] = json!("error");
    rule["error"] = json!({"code": "AIMS-E-EVAL", "message": "boom"});
    rule["findings"] = json!([{
        "kind": "missing_evidence", "pointer": "/aims/established_on", "entity_id": "x",
        "message": "undated", "expected": "a date", "actual": null
    }]);
    let errs = errors(&v);
    assert!(errs.is_empty(), "{errs:#?}");
}

/// A report read back from its JSON is the report that was written: a finding whose actual
/// value is `null` keeps it (and one without an actual value stays without), so exports of a
/// report read back, as the bindings do, are byte-identical to exports of the report itself.
#[test]
fn a_report_reads_back_as_written_null_actual_included() {
    let mut report = evaluate(small_model(), "2026-06-30", Some("scaleup"), None);
    let failing = report
        .rules
        .iter_mut()
        .find(|r| !r.findings.is_empty())
        .expect("a rule with findings");
    failing.findings[0].actual = Some(Value::Null);
    if let Some(f) = failing.findings.get_mut(1) {
        f.actual = None;
    }
    let text = report.to_json_pretty();
    let back: Report = serde_json::from_str(&text).unwrap();
    let (i, _) = report
        .rules
        .iter()
        .enumerate()
        .find(|(_, r)| !r.findings.is_empty())
        .unwrap();
    assert_eq!(back.rules[i].findings, report.rules[i].findings);
    assert!(
        back.to_json_pretty() == text,
        "the report reads back otherwise"
    );
}

#[test]
fn fix_first_is_written_and_a_2_0_report_without_it_stays_valid() {
    let report = evaluate(json!({"schema_version": "1.0"}), "2026-06-30", None, None);
    let mut v = assert_valid(&report);
    let listed = v["fix_first"]
        .as_array()
        .expect("fix_first is written")
        .clone();
    let failing = report
        .rules
        .iter()
        .filter(|r| r.status == Status::Fail)
        .count();
    assert_eq!(listed.len(), failing);
    assert!(failing > 0);
    // A report written before fix_first existed, of the same format.
    v.as_object_mut().unwrap().remove("fix_first");
    assert_eq!(v["report_version"], "2.0");
    assert!(errors(&v).is_empty(), "{:#?}", errors(&v));
    let back: Report = serde_json::from_value(v).unwrap();
    assert!(back.fix_first.is_empty());
}

#[test]
fn a_bogus_status_fails_validation() {
    let report = evaluate(json!({"schema_version": "1.0"}), "2026-06-30", None, None);
    let mut v = serde_json::to_value(&report).unwrap();
    v["rules"][0]["status"] = json!("maybe");
    assert!(!validator().is_valid(&v));
}

#[test]
fn other_impossible_reports_fail_validation() {
    let report = evaluate(json!({"schema_version": "1.0"}), "2026-06-30", None, None);
    let good = serde_json::to_value(&report).unwrap();
    type Mutation = (&'static str, Box<dyn Fn(&mut Value)>);
    let mutations: Vec<Mutation> = vec![
        (
            "missing by_status key",
            Box::new(|v| {
                v["summary"]["by_status"]
                    .as_object_mut()
                    .unwrap()
                    .remove("waived");
            }),
        ),
        (
            "extra top-level property",
            Box::new(|v| v["extra"] = json!(1)),
        ),
        (
            "extra finding property",
            Box::new(|v| {
                v["rules"][0]["findings"] =
                    json!([{"kind": "violation", "pointer": "", "message": "m", "x": 1}]);
            }),
        ),
        (
            "null optional field",
            Box::new(|v| v["model"]["organization"] = Value::Null),
        ),
        (
            "bad verdict",
            Box::new(|v| v["verdict"] = json!("Nonconformant")),
        ),
        (
            "bad severity key",
            Box::new(|v| v["summary"]["by_severity"]["urgent"] = v["summary"]["by_status"].clone()),
        ),
        (
            "negative count",
            Box::new(|v| v["summary"]["rules"] = json!(-1)),
        ),
        (
            "bad digest",
            Box::new(|v| v["model"]["digest"] = json!("md5:00")),
        ),
        (
            "bad grade",
            Box::new(|v| v["clauses"][0]["grade"] = json!("major")),
        ),
        (
            "bad clause status",
            Box::new(|v| {
                let id = v["rules"][0]["id"].clone();
                v["clauses"][0]["rules"][id.as_str().unwrap()] = json!("ok");
            }),
        ),
        (
            "missing indicators",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("indicators");
            }),
        ),
        (
            "missing exceptions",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("exceptions");
            }),
        ),
        (
            "indicator without value",
            Box::new(|v| {
                v["indicators"] =
                    json!([{"id": "x", "title": "X", "unit": "ratio", "method": "m"}]);
            }),
        ),
        (
            "extra indicator property",
            Box::new(|v| {
                v["indicators"] = json!([{"id": "x", "title": "X", "unit": "ratio",
                    "method": "m", "value": 1, "extra": true}]);
            }),
        ),
        (
            "bad exception status",
            Box::new(|v| {
                v["exceptions"] = json!([{"id": "ex-1", "rule_id": "AIMS-PROC-04",
                    "status": "approved", "pointer": "/exceptions/0", "message": "m"}]);
            }),
        ),
        (
            "exception pointer outside /exceptions",
            Box::new(|v| {
                v["exceptions"] = json!([{"id": "ex-1", "rule_id": "AIMS-PROC-04",
                    "status": "unused", "pointer": "/processes/0", "message": "m"}]);
            }),
        ),
        (
            "waiver without expiry",
            Box::new(|v| {
                v["rules"][0]["waivers"] = json!([{"exception_id": "ex-1",
                    "justification": "j", "approved_by": "r-ceo",
                    "approved_on": "2026-06-01", "findings_waived": 1}]);
            }),
        ),
        (
            "extra waiver property",
            Box::new(|v| {
                v["rules"][0]["waivers"] = json!([{"exception_id": "ex-1",
                    "justification": "j", "approved_by": "r-ceo",
                    "approved_on": "2026-06-01", "expires_on": "2026-09-30",
                    "findings_waived": 1, "extra": 1}]);
            }),
        ),
        (
            "empty waivers",
            Box::new(|v| v["rules"][0]["waivers"] = json!([])),
        ),
        (
            "waiver with a bad date",
            Box::new(|v| {
                v["rules"][0]["waivers"] = json!([{"exception_id": "ex-1",
                    "justification": "j", "approved_by": "r-ceo",
                    "approved_on": "2026-02-30", "expires_on": "2026-09-30",
                    "findings_waived": 1}]);
            }),
        ),
        (
            "extra overlay property",
            Box::new(|v| v["overlay"] = json!({"disable": ["AIMS-CI-02"], "enable": []})),
        ),
        (
            "bad overlay severity",
            Box::new(|v| v["overlay"] = json!({"severity": {"AIMS-CI-02": "urgent"}})),
        ),
        (
            "missing rules",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("rules");
            }),
        ),
        (
            "the 1.x overall instead of aims",
            Box::new(|v| {
                let aims = v.as_object_mut().unwrap().remove("aims").unwrap();
                v["overall"] = aims;
                v["overall"]["clause"] = json!("4.4");
                v["overall"]["urn"] = json!("urn:intuitem:risk:req_node:iso42001-2023:4.4");
            }),
        ),
        (
            "the AIMS named as clause 4.4",
            Box::new(|v| v["aims"]["clause"] = json!("4.4")),
        ),
        (
            "missing grades note",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("grades_note");
            }),
        ),
        (
            "another grades note",
            Box::new(|v| v["grades_note"] = json!("Grades are final.")),
        ),
        (
            "a 1.x report version",
            Box::new(|v| v["report_version"] = json!("1.0")),
        ),
        (
            "a fix_first entry that is no rule id",
            Box::new(|v| v["fix_first"] = json!(["fix the risks"])),
        ),
        (
            "a rule listed twice in fix_first",
            Box::new(|v| v["fix_first"] = json!(["AIMS-PROC-01", "AIMS-PROC-01"])),
        ),
        (
            "fix_first as text",
            Box::new(|v| v["fix_first"] = json!("AIMS-PROC-01")),
        ),
    ];
    assert!(validator().is_valid(&good));
    for (name, mutate) in mutations {
        let mut v = good.clone();
        mutate(&mut v);
        assert!(
            !validator().is_valid(&v),
            "the schema accepts a report with {name}"
        );
    }
}

/// Every result with every grade (or none), in the clauses and in `aims`: the schema accepts
/// exactly the pairs that agree ([`coherent`]), e.g. never non_compliant with an observation.
#[test]
fn the_schema_accepts_only_results_and_grades_that_agree() {
    let report = evaluate(json!({"schema_version": "1.0"}), "2026-06-30", None, None);
    let good = assert_valid(&report);
    let results = [
        ClauseResult::Compliant,
        ClauseResult::PartiallyCompliant,
        ClauseResult::NonCompliant,
        ClauseResult::NotApplicable,
        ClauseResult::NotAssessed,
    ];
    let grades = [
        None,
        Some(Grade::MajorNonconformity),
        Some(Grade::MinorNonconformity),
        Some(Grade::ObservationSensitivePoint),
        Some(Grade::OpportunityForImprovement),
    ];
    let mut accepted = 0;
    for at in ["/clauses/0", "/aims"] {
        for result in results {
            for grade in grades {
                let mut v = good.clone();
                let node = v.pointer_mut(at).unwrap();
                node["result"] = json!(result.as_str());
                match grade {
                    Some(g) => node["grade"] = json!(g.as_str()),
                    None => {
                        node.as_object_mut().unwrap().remove("grade");
                    }
                }
                let valid = validator().is_valid(&v);
                assert_eq!(
                    valid,
                    coherent(result, grade),
                    "{at}: {} with {grade:?}",
                    result.as_str()
                );
                accepted += usize::from(valid);
            }
        }
    }
    // Per place: compliant, not_applicable, not_assessed alone; two grades each for
    // non_compliant and partially_compliant.
    assert_eq!(accepted, 2 * 7);
}
