//! Many models at once (`Engine::evaluate_many`): one result per input, in input order, each
//! the report a single evaluation gives, whatever the number of threads; a bad model has its
//! error, naming it, and stops nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use aimscheck::api::ModelInput;
use aimscheck::{Engine, LoadLimits, Model, Options};
use std::path::Path;

/// Every example and shared-case model, as (name, text).
fn models() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(root.join("tests/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for d in dirs {
        let text = std::fs::read_to_string(d.join("model.json")).unwrap();
        out.push((d.file_name().unwrap().to_string_lossy().into_owned(), text));
    }
    for name in ["startup", "scaleup", "enterprise", "gaps-1.1"] {
        let text = std::fs::read_to_string(root.join(format!("examples/{name}.json"))).unwrap();
        out.push((name.to_owned(), text));
    }
    out
}

#[test]
fn every_result_is_the_single_evaluation_in_input_order() {
    let engine = Engine::new().unwrap();
    let options = Options::parse("2026-06-30", None, None).unwrap();
    let models = models();
    assert!(models.len() > 290, "{}", models.len());
    let serial: Vec<Result<String, String>> = models
        .iter()
        .map(|(_, text)| {
            Model::from_json(text)
                .and_then(|m| engine.evaluate(&m, &options))
                .map(|r| r.to_json_pretty())
                .map_err(|e| e.code().to_owned())
        })
        .collect();
    for jobs in [Some(1), Some(2), None] {
        let inputs = models
            .iter()
            .map(|(n, t)| (n.clone(), ModelInput::Text(t.clone())))
            .collect();
        let results = engine
            .evaluate_many(inputs, &options, &LoadLimits::default(), jobs)
            .unwrap();
        assert_eq!(results.len(), models.len());
        for ((item, (name, _)), want) in results.iter().zip(&models).zip(&serial) {
            assert_eq!(&item.name, name);
            let got = item
                .result
                .as_ref()
                .map(|r| r.to_json_pretty())
                .map_err(|e| e.code().to_owned());
            assert_eq!(&got, want, "{name} with {jobs:?} threads");
        }
    }
}

#[test]
fn a_bad_model_has_its_named_error_and_stops_nothing() {
    let engine = Engine::new().unwrap();
    let options = Options::parse("2026-06-30", Some("startup"), None).unwrap();
    let good = r#"{"schema_version": "1.1"}"#;
    let inputs = vec![
        ("t1".to_owned(), ModelInput::Text(good.to_owned())),
        (
            "t2".to_owned(),
            ModelInput::Text("{\"schema_version\": \"1.1\",\n  \"processes\": 5\n}".to_owned()),
        ),
        ("t3".to_owned(), ModelInput::Bytes(vec![0xff, 0xfe])),
        (
            "t4".to_owned(),
            ModelInput::Path("/nonexistent/t4.json".into()),
        ),
        ("t5".to_owned(), ModelInput::Text(good.to_owned())),
    ];
    let results = engine
        .evaluate_many(inputs, &options, &LoadLimits::default(), Some(2))
        .unwrap();
    let names: Vec<&str> = results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["t1", "t2", "t3", "t4", "t5"]);
    assert!(results[0].result.is_ok() && results[4].result.is_ok());
    let t2 = results[1].result.as_ref().unwrap_err();
    assert_eq!(t2.issues()[0].file.as_deref(), Some("t2"));
    assert_eq!(t2.issues()[0].line, Some(2));
    let t3 = results[2].result.as_ref().unwrap_err();
    assert_eq!(t3.issues()[0].file.as_deref(), Some("t3"));
    // An unreadable file keeps its own name.
    let t4 = results[3].result.as_ref().unwrap_err();
    assert_eq!(t4.code(), "AIMS-E-IO");
    assert_eq!(t4.issues()[0].file.as_deref(), Some("/nonexistent/t4.json"));
    // Nothing in, nothing out; zero threads means one.
    let none = engine
        .evaluate_many(Vec::new(), &options, &LoadLimits::default(), Some(0))
        .unwrap();
    assert!(none.is_empty());
}
