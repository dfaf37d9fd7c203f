//! Model 1.1 and the pack's new rules change nothing for a model of schema 1.0: the 39 rules of
//! pack 0.1.1 give byte-identical results on every shipped 1.0 example and 1.0 shared case.
//!
//! `tests/compat/pack-0.1.1.json` records, for each of those models, the SHA-256 of the 39
//! rules' results (each `RuleResult` serialized as the report's JSON, in the listed order) as
//! pack 0.1.1 gave them. It is a record of that release, not an expectation written by hand:
//! it was written once by `write_the_0_1_1_record` (ignored) before the first rule of pack 0.2
//! was added, and is never rewritten to make this test pass.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use aimscheck::{Engine, Model, Options};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn record_path() -> PathBuf {
    root().join("tests/compat/pack-0.1.1.json")
}

/// The 1.0 models of the repository, each with the options it is judged with: the shipped
/// examples as of 2026-06-30 at their own tier, and the shared cases with their options.
fn models_1_0() -> Vec<(String, String, Options)> {
    let mut out = Vec::new();
    let mut examples: Vec<_> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    examples.sort();
    for p in examples {
        let text = std::fs::read_to_string(&p).unwrap();
        let name = format!("examples/{}", p.file_name().unwrap().to_string_lossy());
        out.push((
            name,
            text,
            Options::parse("2026-06-30", None, None).unwrap(),
        ));
    }
    let mut cases: Vec<_> = std::fs::read_dir(common::cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    for dir in cases {
        let text = std::fs::read_to_string(dir.join("model.json")).unwrap_or_default();
        let opts = common::case_options(&dir);
        let name = format!(
            "tests/cases/{}/model.json",
            dir.file_name().unwrap().to_string_lossy()
        );
        out.push((name, text, opts));
    }
    out.into_iter()
        .filter(|(_, text, _)| {
            serde_json::from_str::<Value>(text)
                .ok()
                .is_some_and(|v| v["schema_version"] == "1.0")
        })
        .collect()
}

/// SHA-256 (hex) of the results of `rules` on the model, or `None` when it does not load.
fn digest(engine: &Engine, text: &str, opts: &Options, rules: &[String]) -> Option<String> {
    let model = Model::from_json(text).ok()?;
    let report = engine.evaluate(&model, opts).unwrap();
    let mut hash = Sha256::new();
    for id in rules {
        let r = report
            .rule(id)
            .unwrap_or_else(|| panic!("rule {id} is not in the report"));
        hash.update(serde_json::to_string(r).unwrap().as_bytes());
        hash.update(b"\n");
    }
    Some(hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Recorded models that became 1.1 models on purpose: the enterprise example shows model 1.1.
const MIGRATED: &[&str] = &["examples/enterprise.json"];

#[test]
fn every_1_0_model_keeps_the_results_of_the_39_rules_byte_for_byte() {
    let record = common::read_json(&record_path());
    let rules: Vec<String> = record["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(rules.len(), 39);
    let recorded = record["models"].as_object().unwrap();
    let engine = Engine::new().unwrap();
    let models = models_1_0();
    let mut changed = Vec::new();
    let mut compared = 0;
    for (name, text, opts) in &models {
        let Some(want) = recorded.get(name) else {
            continue; // a model added since pack 0.1.1
        };
        compared += 1;
        let got = digest(&engine, text, opts, &rules);
        if got.as_deref() != want.as_str() {
            changed.push(name.clone());
        }
    }
    // Every recorded model is still here, still a 1.0 model, but for those migrated on purpose.
    for name in recorded.keys() {
        assert!(
            models.iter().any(|(n, _, _)| n == name) || MIGRATED.contains(&name.as_str()),
            "{name} was recorded for pack 0.1.1 and is no longer a 1.0 model of the repository"
        );
    }
    assert!(compared >= 199, "only {compared} models compared");
    assert!(
        changed.is_empty(),
        "the 39 rules of pack 0.1.1 give other results on:\n{}",
        changed.join("\n")
    );
}

/// Writes the record of pack 0.1.1. Run once, at pack 0.1.1, with `--ignored`.
#[test]
#[ignore = "writes tests/compat/pack-0.1.1.json; run only at pack 0.1.1"]
fn write_the_0_1_1_record() {
    let engine = Engine::new().unwrap();
    let pack = engine.packs().next().unwrap();
    assert_eq!(pack.version(), "0.1.1", "the record is of pack 0.1.1");
    let rules: Vec<String> = pack.rules().map(|r| r.id.clone()).collect();
    let mut models = serde_json::Map::new();
    for (name, text, opts) in models_1_0() {
        if let Some(d) = digest(&engine, &text, &opts, &rules) {
            models.insert(name, Value::from(d));
        }
    }
    let record = json!({
        "description": "SHA-256 of the results of the 39 rules of pack iso42001-4.4 0.1.1 on every 1.0 model of the repository (each RuleResult as the report's JSON, one per line, in this order). Checked by core/tests/compat.rs.",
        "pack": "iso42001-4.4 0.1.1",
        "rules": rules,
        "models": models,
    });
    std::fs::write(
        record_path(),
        serde_json::to_string_pretty(&record).unwrap() + "\n",
    )
    .unwrap();
}
