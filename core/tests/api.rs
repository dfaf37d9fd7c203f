//! The call layer (`aimscheck::api`): one typed call per operation, its JSON entry points, and
//! the inputs every front end reads through it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use aimscheck::api::{self, ReportInput};
use aimscheck::{Engine, Model, Options};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn example_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/{name}.json"))
}

fn example(name: &str) -> String {
    std::fs::read_to_string(example_path(name)).unwrap()
}

/// Calls a `*_json` entry point and returns its value, or panics with its error.
fn ok(answer: String) -> Value {
    let v: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(v["ok"], true, "{v}");
    v["value"].clone()
}

/// Calls a `*_json` entry point and returns its error.
fn err(answer: String) -> Value {
    let v: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(v["ok"], false, "{v}");
    v["error"].clone()
}

#[test]
fn evaluate_gives_the_engines_report_whatever_the_model_form() {
    let text = example("scaleup");
    let direct = Engine::new()
        .unwrap()
        .evaluate(
            &Model::from_json(&text).unwrap(),
            &Options::parse("2026-06-30", None, None).unwrap(),
        )
        .unwrap();
    let want = serde_json::to_value(&direct).unwrap();
    let path = example_path("scaleup");
    for request in [
        json!({"model_text": text, "as_of": "2026-06-30"}),
        json!({"modelText": text, "asOf": "2026-06-30"}),
        json!({"model": serde_json::from_str::<Value>(&text).unwrap(), "as_of": "2026-06-30"}),
        json!({"model_path": path, "as_of": "2026-06-30"}),
    ] {
        assert_eq!(ok(api::evaluate_json(&request.to_string())), want);
    }
}

#[test]
fn requests_refuse_unknown_members_and_ambiguous_inputs() {
    let text = example("startup");
    let e = err(api::evaluate_json(
        &json!({"model_text": text, "as_of": "2026-06-30", "asof": "x"}).to_string(),
    ));
    assert_eq!(e["code"], "AIMS-E-OPTIONS");
    assert!(e["message"].as_str().unwrap().contains("asof"), "{e}");
    let e = err(api::evaluate_json(
        &json!({"model_text": text, "model": {}, "as_of": "2026-06-30"}).to_string(),
    ));
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("give the model once"),
        "{e}"
    );
    let e = err(api::evaluate_json(
        &json!({"as_of": "2026-06-30"}).to_string(),
    ));
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("the model is required"),
        "{e}"
    );
    let e = err(api::evaluate_json("{\"as_of\": "));
    assert_eq!(e["code"], "AIMS-E-OPTIONS");
    assert_eq!(e["errors"][0]["line"], 1);
}

#[test]
fn a_model_file_past_the_size_limit_is_refused_before_it_is_read() {
    let e = err(api::evaluate_json(
        &json!({"model_path": example_path("startup"), "as_of": "2026-06-30",
                "limits": {"maxBytes": 100}})
        .to_string(),
    ));
    assert_eq!(e["code"], "AIMS-E-LIMIT");
    assert_eq!(e["kind"], "limit");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("limit of 100 bytes"),
        "{e}"
    );
    let e = err(api::evaluate_json(
        &json!({"model_path": "/nonexistent/model.json", "as_of": "2026-06-30"}).to_string(),
    ));
    assert_eq!(e["code"], "AIMS-E-IO");
    assert_eq!(e["kind"], "io");
}

#[test]
fn an_inline_overlays_errors_point_into_the_text_the_caller_gave() {
    let overlay = "{\n  \"disable\": [\n    \"AIMS-NOPE-01\"\n  ]\n}";
    let e = err(api::evaluate_json(
        &json!({"model_text": example("startup"), "as_of": "2026-06-30",
                "overlay_text": overlay})
        .to_string(),
    ));
    let issue = &e["errors"][0];
    assert_eq!(issue["pointer"], "/disable/0", "{e}");
    assert_eq!(
        (issue["line"].clone(), issue["column"].clone()),
        (json!(3), json!(5)),
        "{e}"
    );
    // The same overlay as a value: pointers, no lines.
    let e = err(api::evaluate_json(
        &json!({"model_text": example("startup"), "as_of": "2026-06-30",
                "overlay": {"disable": ["AIMS-NOPE-01"]}})
        .to_string(),
    ));
    assert_eq!(e["errors"][0]["pointer"], "/disable/0", "{e}");
    assert!(e["errors"][0].get("line").is_none(), "{e}");
}

#[test]
fn the_rule_list_applies_the_overlay_once() {
    let all = ok(api::rules_call_json("{}"));
    assert_eq!(all.as_array().unwrap().len(), 53);
    let listed = ok(api::rules_call_json(
        &json!({"overlay": {"disable": ["AIMS-CI-02"], "severity": {"AIMS-DOC-04": "high"}}})
            .to_string(),
    ));
    let find = |id: &str| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(find("AIMS-CI-02")["disabled"], true);
    assert_eq!(find("AIMS-DOC-04")["severity"], "high");
    assert!(find("AIMS-PROC-01").get("disabled").is_none());
    let one = ok(api::rules_call_json(
        &json!({"id": "AIMS-LC-01"}).to_string(),
    ));
    assert_eq!(one["id"], "AIMS-LC-01");
    assert!(
        one["example"].is_object(),
        "{}",
        one.get("example").map(Value::to_string).unwrap_or_default()
    );
    let e = err(api::rules_call_json(
        &json!({"id": "AIMS-NOPE-01"}).to_string(),
    ));
    assert_eq!(e["code"], "AIMS-E-UNKNOWN-RULE");
    // The only case-insensitive match is the rule; a near miss names the nearest ids.
    let folded = ok(api::rules_call_json(
        &json!({"id": "aims-lc-01"}).to_string(),
    ));
    assert_eq!(folded["id"], "AIMS-LC-01");
    let e = err(api::rules_call_json(
        &json!({"id": "AIMS-PROC-1"}).to_string(),
    ));
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("nearest: AIMS-PROC-01"), "{message}");
    assert_eq!(e["errors"][0]["rule_id"], "AIMS-PROC-1");
}

#[test]
fn export_refuses_a_report_of_another_model_and_of_another_format() {
    let (a, b) = (example("startup"), example("scaleup"));
    let report = ok(api::evaluate_json(
        &json!({"model_text": a, "as_of": "2026-06-30"}).to_string(),
    ));
    // With its own model: the export of the report.
    let html = ok(api::export_json(
        &json!({"report": report, "format": "html", "model_text": a}).to_string(),
    ));
    assert!(html.as_str().unwrap().starts_with("<!DOCTYPE html>"));
    // With another model: refused, naming both digests.
    let e = err(api::export_json(
        &json!({"report": report, "format": "html", "model_text": b}).to_string(),
    ));
    assert_eq!(e["code"], "AIMS-E-REPORT");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("not the one the report is about"),
        "{e}"
    );
    // The same for the diagram.
    let e = err(api::diagram_json(
        &json!({"model_text": b, "report": report, "format": "svg"}).to_string(),
    ));
    assert_eq!(e["code"], "AIMS-E-REPORT");
    // A report of another format, a model given as a report, text that is not JSON.
    let mut old = report.clone();
    old["report_version"] = json!("3.0");
    for (given, says) in [
        (
            ReportInput::Value(old),
            "format 3.0; this engine reads reports of formats 1.0 and 2.0",
        ),
        (ReportInput::Text(a.clone()), "not a report but a model"),
        (ReportInput::Text("{\n  oops".to_owned()), "not JSON"),
    ] {
        let e = api::read_report(given).unwrap_err();
        assert_eq!(e.code(), "AIMS-E-REPORT");
        assert!(e.to_string().contains(says), "{e}");
    }
    let e = api::read_report(ReportInput::Text("{\n  oops".to_owned())).unwrap_err();
    assert_eq!(e.issues()[0].line, Some(2));
}

#[test]
fn validate_answers_with_every_issue_or_the_digest() {
    let good = ok(api::validate_json(
        &json!({"model_text": example("gaps-1.1")}).to_string(),
    ));
    assert_eq!(good["valid"], true);
    assert_eq!(good["schema_version"], "1.1");
    let bad = ok(api::validate_json(
        &json!({"model_text": "{\"schema_version\": \"1.0\", \"processes\": 5}"}).to_string(),
    ));
    assert_eq!(bad["valid"], false);
    assert_eq!(bad["errors"][0]["pointer"], "/processes");
    assert_eq!(bad["errors"][0]["code"], "AIMS-E-SCHEMA");
    // A limit passed is one more issue of the answer, not an error.
    let big = ok(api::validate_json(
        &json!({"model_path": example_path("startup"), "limits": {"max_bytes": 10}}).to_string(),
    ));
    assert_eq!(big["valid"], false);
    assert_eq!(big["errors"][0]["code"], "AIMS-E-LIMIT");
    // Bytes, which only a front end sets, load like text and name their line.
    let fields = api::ModelFields {
        model_bytes: Some(b"{\"schema_version\": \"1.0\",\n \"processes\": 5}".to_vec()),
        ..Default::default()
    };
    let answer = api::validate(api::ValidateRequest {
        model: fields,
        limits: api::Limits::default(),
        strict: false,
    })
    .unwrap();
    assert_eq!(answer.errors[0].line, Some(2));
    let twice = api::ModelFields {
        model_text: Some("{}".to_owned()),
        ..api::ModelFields::of(api::ModelInput::Bytes(b"{}".to_vec()))
    };
    let e = api::validate(api::ValidateRequest {
        model: twice,
        limits: api::Limits::default(),
        strict: false,
    })
    .unwrap_err();
    assert_eq!(e.code(), "AIMS-E-OPTIONS");
}

#[test]
fn an_engine_built_once_evaluates_requests_without_packs_of_their_own() {
    let engine = Engine::new().unwrap();
    let request = |extra: Value| -> api::EvaluateRequest {
        let mut r = json!({"model_text": example("startup"), "as_of": "2026-06-30"});
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        serde_json::from_value(r).unwrap()
    };
    let a = api::evaluate_on(&engine, request(json!({}))).unwrap();
    let b = api::evaluate(request(json!({}))).unwrap();
    assert_eq!(a.to_json_pretty(), b.to_json_pretty());
    let e = api::evaluate_on(&engine, request(json!({"overlay": {"disable": []}}))).unwrap_err();
    assert_eq!(e.code(), "AIMS-E-OPTIONS");
    assert!(e.to_string().contains("belong to the engine"), "{e}");
}

#[test]
fn init_migrate_and_diff_are_calls_too() {
    let starter = ok(api::init_json(&json!({"tier": "scaleup"}).to_string()));
    let starter = starter.as_str().unwrap();
    let model = Model::from_json(starter).unwrap();
    assert_eq!(model.value()["schema_version"], "1.1");
    assert_eq!(model.value()["organization"]["size_tier"], "scaleup");
    let e = err(api::init_json(&json!({"tier": "huge"}).to_string()));
    assert_eq!(e["code"], "AIMS-E-OPTIONS");

    // A 1.0 model: only its schema_version changes, layout kept.
    let text = example("startup");
    let migrated = ok(api::migrate_json(&json!({"model_text": text}).to_string()));
    assert_eq!(migrated["changed"], true);
    let out = migrated["model_text"].as_str().unwrap();
    assert_eq!(out.replacen("\"1.1\"", "\"1.0\"", 1), text);
    let again = ok(api::migrate_json(&json!({"model_text": out}).to_string()));
    assert_eq!(again["changed"], false);
    let e = err(api::migrate_json(
        &json!({"model_text": "{\"schema_version\": \"1.0\", \"processes\": 1}"}).to_string(),
    ));
    assert_eq!(e["kind"], "model");

    // Two reports of the same model: nothing fixed, nothing new.
    let report = ok(api::evaluate_json(
        &json!({"model_text": example("gaps-1.1"), "as_of": "2026-06-30"}).to_string(),
    ));
    let d = ok(api::diff_json(
        &json!({"old": report, "new_text": report.to_string()}).to_string(),
    ));
    assert_eq!(d["summary"]["fixed"], 0);
    assert_eq!(d["summary"]["new"], 0);
    assert!(d["summary"]["unchanged"].as_u64().unwrap() > 0);
    assert!(d["old"].get("file").is_none());
    assert_eq!(d["old"]["verdict"], "nonconformant");
    // Against a conformant model: findings fixed, rules improved.
    let fixed = ok(api::evaluate_json(
        &json!({"model_text": example("enterprise"), "as_of": "2026-06-30"}).to_string(),
    ));
    let d = ok(api::diff_json(
        &json!({"old": report, "new": fixed}).to_string(),
    ));
    assert!(
        d["summary"]["fixed"].as_u64().unwrap() > 0,
        "{}",
        d["summary"]
    );
    assert!(d["summary"]["rules_improved"].as_u64().unwrap() > 0);
    let e = err(api::diff_json(&json!({"old": report}).to_string()));
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("the new report is required")
    );
    let e = err(api::diff_json(
        &json!({"old": report, "new_text": text}).to_string(),
    ));
    assert_eq!(e["code"], "AIMS-E-REPORT");
}

#[test]
fn strict_refuses_an_unknown_member_in_migrate_and_diagram_too() {
    let text = r#"{"schema_version": "1.0", "organization": {"name": "A", "size_tier": "startup", "nmae": 1}}"#;
    // Without strict, the member is a warning only: migrated, drawn.
    let migrated = ok(api::migrate_json(&json!({"model_text": text}).to_string()));
    assert_eq!(migrated["changed"], true);
    assert!(ok(api::diagram_json(&json!({"model_text": text}).to_string())).is_string());
    for answer in [
        api::migrate_json(&json!({"model_text": text, "strict": true}).to_string()),
        api::diagram_json(&json!({"model_text": text, "strict": true}).to_string()),
    ] {
        let e = err(answer);
        assert_eq!(e["kind"], "model", "{e}");
        assert_eq!(e["errors"][0]["code"], "AIMS-E-UNKNOWN-MEMBER", "{e}");
        assert_eq!(e["errors"][0]["pointer"], "/organization/nmae", "{e}");
    }
}

#[test]
fn leaving_out_the_default_pack_needs_another() {
    for answer in [
        api::rules_call_json(&json!({"default_rules": false}).to_string()),
        api::rules_call_json(&json!({"defaultRules": false, "rules": []}).to_string()),
        api::evaluate_json(
            &json!({"model_text": example("startup"), "as_of": "2026-06-30", "default_rules": false})
                .to_string(),
        ),
    ] {
        let e = err(answer);
        assert_eq!(e["code"], "AIMS-E-OPTIONS", "{e}");
        assert!(e["message"].as_str().unwrap().contains("no rule to evaluate"), "{e}");
    }
    let config: api::EngineConfig =
        serde_json::from_value(json!({"default_rules": false})).unwrap();
    assert_eq!(
        Engine::from_config(&config).unwrap_err().code(),
        "AIMS-E-OPTIONS"
    );
}

#[test]
fn listed_rules_keep_the_order_of_the_rule_metadata() {
    let packs: api::PacksArg = serde_json::from_value(
        json!({"overlay": {"disable": ["AIMS-PROC-02"], "severity": {"AIMS-PROC-02": "low"}}}),
    )
    .unwrap();
    let listed = api::list_rules(&packs).unwrap();
    let one = listed.iter().find(|r| r.rule.id == "AIMS-PROC-02").unwrap();
    assert!(one.disabled);
    assert_eq!(one.rule.severity.as_str(), "low");
    // Serialized, the members come in the metadata's order, `disabled` last.
    let text = serde_json::to_string(one).unwrap();
    assert!(
        text.starts_with(r#"{"id":"AIMS-PROC-02","title":"#),
        "{text}"
    );
    assert!(text.ends_with(r#","disabled":true}"#), "{text}");
    // Without an overlay, no `disabled` at all; `rules explain` answers the same object.
    let plain = api::explain_rule("aims-proc-02", &api::PacksArg::default()).unwrap();
    assert!(!plain.disabled);
    assert_eq!(plain.rule.severity.as_str(), "high");
    assert!(!serde_json::to_string(&plain).unwrap().contains("disabled"));
    let e = api::explain_rule("AIMS-PROC-2", &api::PacksArg::default()).unwrap_err();
    assert_eq!(e.code(), "AIMS-E-UNKNOWN-RULE");
    assert!(e.to_string().contains("nearest: AIMS-PROC-02"), "{e}");
}

#[test]
fn an_evaluation_renders_what_export_and_diagram_render() {
    let text = example("scaleup");
    let request = || {
        serde_json::from_value::<api::EvaluateRequest>(
            json!({"model_text": text, "as_of": "2026-06-30"}),
        )
        .unwrap()
    };
    let evaluation = api::evaluation(request()).unwrap();
    assert_eq!(
        evaluation.report.to_json_pretty(),
        api::evaluate(request()).unwrap().to_json_pretty()
    );
    let report = serde_json::to_value(&evaluation.report).unwrap();
    for format in ["sarif", "html", "markdown"] {
        let exported = ok(api::export_json(
            &json!({"report": report, "format": format, "model_text": text, "model_uri": "m.json"})
                .to_string(),
        ));
        let f = aimscheck::export::Format::parse(format).unwrap();
        assert_eq!(
            evaluation.export(f, Some("m.json")).unwrap(),
            exported.as_str().unwrap(),
            "{format}"
        );
    }
    let drawn = ok(api::diagram_json(
        &json!({"model_text": text, "report": report, "format": "mermaid"}).to_string(),
    ));
    let mermaid = aimscheck::export::diagram::DiagramFormat::Mermaid;
    assert_eq!(
        evaluation.diagram(mermaid).unwrap(),
        drawn.as_str().unwrap()
    );
}

#[test]
fn evaluate_many_answers_each_model_in_order() {
    let (a, b) = (example("startup"), example("gaps-1.1"));
    let answers = ok(api::evaluate_many_json(
        &json!({
            "models": [
                {"name": "acme", "model_text": a},
                {"model": serde_json::from_str::<Value>(&b).unwrap()},
                {"name": "broken", "model_text": "{\"schema_version\": \"1.0\", \"roles\": 1}"}
            ],
            "as_of": "2026-06-30",
            "jobs": 2
        })
        .to_string(),
    ));
    let answers = answers.as_array().unwrap();
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[0]["name"], "acme");
    assert_eq!(answers[1]["name"], "models/1");
    for (answer, text) in answers.iter().zip([&a, &b]) {
        let single = ok(api::evaluate_json(
            &json!({"model_text": text, "as_of": "2026-06-30"}).to_string(),
        ));
        assert_eq!(answer["report"], single);
        assert!(answer.get("error").is_none());
    }
    assert!(answers[2].get("report").is_none());
    assert_eq!(answers[2]["error"]["kind"], "model");
    assert_eq!(answers[2]["error"]["errors"][0]["file"], "broken");
    assert_eq!(answers[2]["error"]["errors"][0]["pointer"], "/roles");
    // A request error is the call's error; a model missing from an entry is one.
    let e = err(api::evaluate_many_json(
        &json!({"models": [{"name": "x"}], "as_of": "2026-06-30"}).to_string(),
    ));
    assert_eq!(e["code"], "AIMS-E-OPTIONS");
    let e = err(api::evaluate_many_json(
        &json!({"models": [], "as_of": "2026-06-30", "job": 2}).to_string(),
    ));
    assert_eq!(e["code"], "AIMS-E-OPTIONS");
    let e = err(api::evaluate_many_json(
        &json!({"models": [], "as_of": "30/06/2026"}).to_string(),
    ));
    assert_eq!(e["code"], "AIMS-E-OPTIONS");
}
