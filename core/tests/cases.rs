//! Runs every shared case in `tests/cases/` (the same files the Python and Node tests run).
//!
//! A case is a folder with `model.json` (the model text, valid or not), `options.json`
//! (`as_of`, optional `tier` and `profile`) and `expected.json`: either
//! `{"rules": {"RULE-ID": {"status": "...", "findings": ["/pointer", ...]}}}` (the statuses of the
//! rules the case is about and, when given, the exact multiset of finding pointers), or
//! `{"error": {"code": "AIMS-E-...", "pointers": ["/pointer", ...]}}` for a model that must not load.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use aimscheck::{Engine, Model, Options, api};
use common::{cases_dir, read_json};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Checks one case; returns the mismatches.
/// The case runs through the call layer (`api::evaluate`), as every front end does.
fn run_case(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("model.json")).unwrap_or_default();
    let expected = read_json(&dir.join("expected.json"));
    let mut request = read_json(&dir.join("options.json"));
    request["model_text"] = Value::from(text);
    let request: api::EvaluateRequest = serde_json::from_value(request).unwrap();
    let mut problems = Vec::new();
    let loaded = api::evaluate(request);
    if let Some(err) = expected.get("error") {
        match loaded {
            Ok(_) => problems.push("expected a load error, the model loaded".to_owned()),
            Err(e) => {
                let code = err["code"].as_str().unwrap();
                if !e.issues().iter().any(|i| i.code == code) {
                    problems.push(format!("expected error code {code}, got {e}"));
                }
                for p in err
                    .get("pointers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let p = p.as_str().unwrap();
                    if !e.issues().iter().any(|i| i.pointer == p && i.code == code) {
                        problems.push(format!(
                            "expected a {code} issue at {p}, got {:?}",
                            e.issues()
                        ));
                    }
                }
                if err.get("located").and_then(Value::as_bool) == Some(true)
                    && e.issues()
                        .iter()
                        .any(|i| i.line.is_none() || i.column.is_none())
                {
                    problems.push(format!(
                        "expected line and column on every issue: {:?}",
                        e.issues()
                    ));
                }
            }
        }
        return problems;
    }
    let report = match loaded {
        Ok(r) => r,
        Err(e) => return vec![format!("model does not load: {e}")],
    };
    problems.extend(unreadable_texts(&report));
    let rules = expected["rules"].as_object().expect("expected.rules");
    assert!(
        !rules.is_empty(),
        "{}: expected.json names no rule",
        dir.display()
    );
    for (id, want) in rules {
        let Some(got) = report.rule(id) else {
            problems.push(format!("{id}: not in the report"));
            continue;
        };
        let status = want["status"].as_str().unwrap();
        if got.status.as_str() != status {
            problems.push(format!(
                "{id}: expected {status}, got {} ({:?}; findings {:?})",
                got.status.as_str(),
                got.reason,
                got.findings
                    .iter()
                    .map(|f| (&f.pointer, &f.message))
                    .collect::<Vec<_>>()
            ));
        }
        if let Some(pointers) = want.get("findings").and_then(Value::as_array) {
            let mut want_p: Vec<&str> = pointers.iter().map(|p| p.as_str().unwrap()).collect();
            let mut got_p: Vec<&str> = got.findings.iter().map(|f| f.pointer.as_str()).collect();
            want_p.sort_unstable();
            got_p.sort_unstable();
            if want_p != got_p {
                problems.push(format!(
                    "{id}: expected findings at {want_p:?}, got {got_p:?}"
                ));
            }
        }
    }
    problems
}

/// Texts of a report that an auditor could not read without the schema: a value shown as
/// `(none)` (a template hole whose value is missing and has no fallback).
fn unreadable_texts(report: &aimscheck::Report) -> Vec<String> {
    let mut out = Vec::new();
    for r in &report.rules {
        let texts = r
            .findings
            .iter()
            .flat_map(|f| [Some(&f.message), f.expected.as_ref()])
            .chain([r.reason.as_ref()])
            .flatten();
        for t in texts {
            if t.contains("(none)") {
                out.push(format!("{}: a text shows a missing value: {t}", r.id));
            }
        }
    }
    out
}

#[test]
fn shared_cases() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no cases found");
    let mut failures = Vec::new();
    for dir in &dirs {
        for p in run_case(dir) {
            failures.push(format!(
                "{}: {p}",
                dir.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
    eprintln!("{} shared cases passed", dirs.len());
}

/// Every rule of the default pack has a passing and a failing case; S/U rules at both tiers.
#[test]
fn every_rule_has_cases() {
    let engine = Engine::new().unwrap();
    let mut seen: std::collections::BTreeMap<String, Vec<(String, String)>> = Default::default();
    for entry in std::fs::read_dir(cases_dir()).unwrap() {
        let dir = entry.unwrap().path();
        let expected = read_json(&dir.join("expected.json"));
        let options = read_json(&dir.join("options.json"));
        let tier = options
            .get("tier")
            .and_then(Value::as_str)
            .unwrap_or("model")
            .to_owned();
        for (id, want) in expected
            .get("rules")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            seen.entry(id.clone())
                .or_default()
                .push((want["status"].as_str().unwrap().to_owned(), tier.clone()));
        }
    }
    let mut missing = Vec::new();
    for pack in engine.packs() {
        for rule in pack.rules() {
            let got = seen.get(&rule.id).cloned().unwrap_or_default();
            for status in ["pass", "fail"] {
                if !got.iter().any(|(s, _)| s == status) {
                    missing.push(format!("{}: no {status} case", rule.id));
                }
            }
            if !rule.forms.is_empty() {
                for tier in ["startup", "scaleup"] {
                    if !got.iter().any(|(_, t)| t == tier) {
                        missing.push(format!(
                            "{}: has tier forms but no case at tier {tier}",
                            rule.id
                        ));
                    }
                }
            }
        }
    }
    let all: Vec<&String> = seen.values().flatten().map(|(s, _)| s).collect();
    for status in ["insufficient_evidence", "not_applicable"] {
        if !all.iter().any(|s| *s == status) {
            missing.push(format!("no case expects {status}"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Every rule carries a passing example (shown by `rules explain`), and it does pass.
#[test]
fn every_rule_example_passes() {
    let engine = Engine::new().unwrap();
    let mut problems = Vec::new();
    for pack in engine.packs() {
        for rule in pack.rules() {
            let Some(example) = &rule.example else {
                problems.push(format!("{}: no example", rule.id));
                continue;
            };
            let mut model = example["model"].clone();
            model["schema_version"] = Value::from("1.1");
            let model = match Model::from_value(model) {
                Ok(m) => m,
                Err(e) => {
                    problems.push(format!("{}: example does not load: {e}", rule.id));
                    continue;
                }
            };
            let tier = rule.tiers.iter().min().unwrap().as_str();
            let opts =
                Options::parse(example["as_of"].as_str().unwrap(), Some(tier), None).unwrap();
            let r = engine.evaluate(&model, &opts).unwrap();
            let got = r.rule(&rule.id).unwrap();
            if got.status != aimscheck::Status::Pass {
                problems.push(format!(
                    "{}: example gives {} at tier {tier}: {:?}",
                    rule.id,
                    got.status.as_str(),
                    got.findings
                        .iter()
                        .map(|f| (&f.pointer, &f.message))
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
