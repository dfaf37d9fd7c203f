#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The bad-input corpus (tests/bad/cases.json, described in tests/bad/README.md) through the
//! Rust API: each model as `&str`, `String`, bytes and a parsed `Value`, each pack from its
//! folder and from its files. Every case must give the expected error (code, kind, and every
//! issue with its pointer, line and column) or the expected report, and never panic.

use aimscheck::api::{ErrorKind, ModelInput};
use aimscheck::{Engine, Error, Issue, LoadLimits, Model, Options, RulePack};
use serde_json::Value;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

#[path = "../../tests/bad/corpus.rs"]
mod corpus;
use corpus::{corpus, expectation, input, manifest};

fn as_of(m: &Value) -> &str {
    m["as_of"].as_str().unwrap()
}

/// The kind of `e`, as the bindings pick their exception classes (any error coded
/// `AIMS-E-LIMIT` is a limit, whatever family carries it).
fn kind(e: &Error) -> &'static str {
    match aimscheck::api::error_kind(e) {
        ErrorKind::Model => "model",
        ErrorKind::Limit => "limit",
        ErrorKind::RulePack => "rule_pack",
        ErrorKind::Options => "options",
        ErrorKind::Export => "export",
        _ => "other",
    }
}

fn opt_usize(v: &Value) -> Option<usize> {
    v.as_u64().map(|n| usize::try_from(n).unwrap())
}

/// Checks the issues of an error against the expected ones (all of them, in any order).
fn check_issues(got: &[Issue], want: &[Value], dir: Option<&Path>) -> Result<(), String> {
    let key = |code: &str, pointer: &str, file: Option<String>, line, column| {
        (pointer.to_owned(), code.to_owned(), file, line, column)
    };
    let mut got_keys: Vec<_> = got
        .iter()
        .map(|i| {
            let k = key(i.code, &i.pointer, i.file.clone(), i.line, i.column);
            (k, i)
        })
        .collect();
    let mut want_keys: Vec<_> = want
        .iter()
        .map(|w| {
            // The loaders name a file of a pack folder joined to the folder.
            let file = w["file"].as_str().map(|f| match dir {
                Some(d) => d.join(f).display().to_string(),
                None => f.to_owned(),
            });
            let k = key(
                w["code"].as_str().unwrap(),
                w["pointer"].as_str().unwrap(),
                file,
                opt_usize(&w["line"]),
                opt_usize(&w["column"]),
            );
            (k, w)
        })
        .collect();
    got_keys.sort_by(|a, b| a.0.cmp(&b.0));
    want_keys.sort_by(|a, b| a.0.cmp(&b.0));
    let got_list: Vec<_> = got_keys.iter().map(|(k, _)| k).collect();
    let want_list: Vec<_> = want_keys.iter().map(|(k, _)| k).collect();
    if got_list != want_list {
        return Err(format!(
            "issues (pointer, code, file, line, column) differ:\n  got  {got_list:?}\n  want {want_list:?}"
        ));
    }
    for ((_, g), (_, w)) in got_keys.iter().zip(&want_keys) {
        if let Some(text) = w["message_contains"].as_str()
            && !g.message.contains(text)
        {
            return Err(format!("message {:?} lacks {text:?}", g.message));
        }
        let want_rule = w["rule_id"].as_str();
        if g.rule_id.as_deref() != want_rule {
            return Err(format!(
                "rule id of {}: {:?}, want {want_rule:?}",
                g.pointer, g.rule_id
            ));
        }
    }
    Ok(())
}

fn check_error(e: &Error, want: &Value) -> Result<(), String> {
    if want.get("error").is_none() {
        return Err(format!("expected a report, got the error {e}"));
    }
    let (code, k) = (want["error"].as_str().unwrap(), want["kind"].as_str());
    if e.code() != code {
        return Err(format!("code {}, want {code}: {e}", e.code()));
    }
    if let Some(k) = k
        && kind(e) != k
    {
        return Err(format!("kind {}, want {k}: {e}", kind(e)));
    }
    check_issues(e.issues(), want["issues"].as_array().unwrap(), None)
}

/// Checks a report (as JSON) against the expected parts.
fn check_report(report: &Value, want: &Value) -> Result<(), String> {
    let Some(want) = want.get("report") else {
        return Err(format!(
            "expected the error {}, got a report",
            want["error"]
        ));
    };
    corpus::check_report(report, want)
}

/// Loads `load`'s model and evaluates it: the error or the report, checked; a panic is a
/// failure like any other.
fn run_model(
    load: impl FnOnce() -> aimscheck::Result<Model>,
    engine: &Engine,
    options: &Options,
    want: &Value,
) -> Result<(), String> {
    let loaded = catch_unwind(AssertUnwindSafe(load)).map_err(|_| "panicked".to_owned())?;
    match loaded {
        Err(e) => check_error(&e, want),
        Ok(model) => {
            let report = catch_unwind(AssertUnwindSafe(|| engine.evaluate(&model, options)))
                .map_err(|_| "evaluation panicked".to_owned())?
                .map_err(|e| format!("evaluation failed: {e}"))?;
            check_report(&serde_json::to_value(&report).unwrap(), want)
        }
    }
}

#[test]
fn every_bad_model_gives_its_error_or_report() {
    let m = manifest();
    let engine = Engine::new().unwrap();
    let limits = LoadLimits::default();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in m["models"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let bytes = input(case);
        let options = Options::parse(as_of(&m), case["options"]["tier"].as_str(), None).unwrap();
        let mut record = |form: &str, outcome: Result<(), String>| match outcome {
            Ok(()) => checked += 1,
            Err(e) => failures.push(format!("{name} [{form}]: {e}")),
        };
        for form in ["rust-str", "rust-bytes", "rust-value"] {
            let want = match expectation(case, form) {
                Ok(want) => want,
                Err(reason) => {
                    eprintln!("skipped {name} [{form}]: {reason}");
                    continue;
                }
            };
            match form {
                "rust-str" => {
                    let text = String::from_utf8(bytes.clone())
                        .unwrap_or_else(|_| panic!("{name}: rust-str needs UTF-8 text"));
                    record(
                        "from_json",
                        run_model(|| Model::from_json(&text), &engine, &options, &want),
                    );
                    record(
                        "from_string",
                        run_model(
                            || Model::from_string(text.clone()),
                            &engine,
                            &options,
                            &want,
                        ),
                    );
                    // The call layer every front end loads through.
                    record(
                        "api::ModelInput::Text",
                        run_model(
                            || ModelInput::Text(text).load(&limits),
                            &engine,
                            &options,
                            &want,
                        ),
                    );
                }
                "rust-bytes" => {
                    record(
                        "from_slice",
                        run_model(|| Model::from_slice(&bytes), &engine, &options, &want),
                    );
                    let owned = bytes.clone();
                    record(
                        "from_vec",
                        run_model(|| Model::from_vec(owned), &engine, &options, &want),
                    );
                    let owned = bytes.clone();
                    record(
                        "api::ModelInput::Bytes",
                        run_model(
                            || ModelInput::Bytes(owned).load(&limits),
                            &engine,
                            &options,
                            &want,
                        ),
                    );
                }
                _ => {
                    let value: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                        panic!("{name}: rust-value needs JSON that serde_json reads: {e}")
                    });
                    record(
                        "from_value",
                        run_model(
                            || Model::from_value(value.clone()),
                            &engine,
                            &options,
                            &want,
                        ),
                    );
                    record(
                        "api::ModelInput::Value",
                        run_model(
                            || ModelInput::Value(value).load(&limits),
                            &engine,
                            &options,
                            &want,
                        ),
                    );
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} checks failed:\n{}",
        failures.len(),
        failures.len() + checked,
        failures.join("\n")
    );
    // Every case is checked in some form: a manifest that skips everything tests nothing.
    assert!(
        checked >= m["models"].as_array().unwrap().len(),
        "{checked}"
    );
}

/// The `(name, text)` pairs of every JSON file of a pack folder, sorted by name.
fn pack_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Checks what loading a pack gave: the expected error, or (for a pack that must load) the
/// expected report of a model with no data evaluated with the pack alone.
fn check_pack(
    loaded: std::thread::Result<aimscheck::Result<RulePack>>,
    want: &Value,
    dir: Option<&Path>,
    as_of: &str,
) -> Result<(), String> {
    let e = match loaded {
        Err(_) => return Err("panicked".to_owned()),
        Ok(Ok(pack)) if want.get("report").is_some() => {
            let engine = Engine::with_packs(vec![pack]).map_err(|e| e.to_string())?;
            let model = Model::from_json(r#"{"schema_version": "1.0"}"#).unwrap();
            let options = Options::parse(as_of, None, None).unwrap();
            return run_model(|| Ok(model), &engine, &options, want);
        }
        Ok(Ok(pack)) => return Err(format!("pack {} loaded", pack.id())),
        Ok(Err(e)) => e,
    };
    let Some(code) = want["error"].as_str() else {
        return Err(format!("the pack does not load: {e}"));
    };
    let k = want["kind"].as_str().unwrap_or("rule_pack");
    if e.code() != code || kind(&e) != k {
        return Err(format!(
            "{} ({}), want {code} ({k}): {e}",
            e.code(),
            kind(&e)
        ));
    }
    check_issues(e.issues(), want["issues"].as_array().unwrap(), dir)
}

#[test]
fn every_bad_pack_gives_its_error_or_report() {
    let m = manifest();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in m["packs"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let dir = corpus().join(case["dir"].as_str().unwrap());
        for form in ["rust-dir", "rust-files"] {
            let bug = case["known_bug"]
                .as_str()
                .or_else(|| case["known_bug"][form].as_str());
            if let Some(reason) = bug {
                eprintln!("skipped {name} [{form}]: known bug: {reason}");
                continue;
            }
            let outcome = if form == "rust-dir" {
                let loaded = catch_unwind(|| RulePack::from_dir(&dir));
                check_pack(loaded, &case["expect"], Some(&dir), as_of(&m))
            } else {
                let files = pack_files(&dir);
                let loaded = catch_unwind(|| RulePack::from_files(&files));
                check_pack(loaded, &case["expect"], None, as_of(&m))
            };
            match outcome {
                Ok(()) => checked += 1,
                Err(e) => failures.push(format!("{name} [{form}]: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= m["packs"].as_array().unwrap().len(), "{checked}");
}

#[test]
fn the_manifest_names_existing_inputs_and_known_codes() {
    let m = manifest();
    let codes = [
        "AIMS-E-SYNTAX",
        "AIMS-E-EMPTY",
        "AIMS-E-SCHEMA",
        "AIMS-E-DATE",
        "AIMS-E-UNKNOWN-CLAUSE",
        "AIMS-E-UNKNOWN-CONTROL",
        "AIMS-E-DUPLICATE-ID",
        "AIMS-E-LIMIT",
        "AIMS-E-OPTIONS",
        "AIMS-E-MODEL",
        "AIMS-E-PACK-IO",
        "AIMS-E-PACK-SYNTAX",
        "AIMS-E-PACK-SCHEMA",
        "AIMS-E-PACK-OPERATOR",
        "AIMS-E-PACK-PATH",
        "AIMS-E-PACK-REGEX",
        "AIMS-E-PACK-DUPLICATE",
    ];
    let mut names = std::collections::BTreeSet::new();
    let all = m["models"]
        .as_array()
        .unwrap()
        .iter()
        .chain(m["packs"].as_array().unwrap());
    for case in all {
        let name = case["name"].as_str().unwrap();
        assert!(names.insert(name), "{name} twice");
        assert!(
            !case["about"].as_str().unwrap_or_default().is_empty(),
            "{name}"
        );
        if let Some(file) = case["file"].as_str() {
            assert!(corpus().join(file).is_file(), "{name}: {file}");
        }
        if let Some(dir) = case["dir"].as_str() {
            assert!(corpus().join(dir).is_dir(), "{name}: {dir}");
        }
        let expectations = std::iter::once(&case["expect"])
            .chain(case.get("value"))
            .chain(
                case["forms"]
                    .as_object()
                    .into_iter()
                    .flat_map(|f| f.values()),
            );
        for want in expectations {
            if let Some(code) = want["error"].as_str() {
                assert!(codes.contains(&code), "{name}: {code}");
                for issue in want["issues"].as_array().unwrap() {
                    let code = issue["code"].as_str().unwrap();
                    assert!(codes.contains(&code), "{name}: {code}");
                }
            }
        }
    }
    // Every collection of the model schema appears in the wrong-type cases.
    let schema: Value = serde_json::from_str(aimscheck::MODEL_SCHEMA).unwrap();
    let issues = |case: &str| -> Vec<String> {
        let case = m["models"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == case)
            .unwrap();
        case["expect"]["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["pointer"].as_str().unwrap().to_owned())
            .collect()
    };
    for (member, property) in schema["properties"].as_object().unwrap() {
        for case in [
            "wrong-type-members-as-strings",
            "wrong-type-members-as-containers",
        ] {
            assert!(
                issues(case).contains(&format!("/{member}")),
                "{case} lacks /{member}"
            );
        }
        if property["type"] == "array" {
            assert!(
                issues("wrong-type-items-as-numbers").contains(&format!("/{member}/0")),
                "wrong-type-items-as-numbers lacks /{member}/0"
            );
        }
    }
}
