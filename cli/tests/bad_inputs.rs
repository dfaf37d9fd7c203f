#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! The bad-input corpus (tests/bad/cases.json, described in tests/bad/README.md) through the
//! `aimscheck` binary: `check FILE` (and `--rules DIR --no-default-rules` for packs) exits 2
//! with nothing on stdout and every expected issue on stderr, in the text, JSON and SARIF
//! formats alike; a model that loads gives the expected report.

use serde_json::Value;
use std::path::PathBuf;

#[path = "../../tests/bad/corpus.rs"]
mod corpus;
use corpus::{corpus, expectation, input, manifest};
use std::process::Output;

mod common;
use common::{Tmp, run};

const FORMATS: &[&[&str]] = &[&[], &["--format", "json"], &["--format", "sarif"]];

/// The file of a model case: its own, or a temporary one holding the nesting it describes.
fn model_file(case: &Value) -> (PathBuf, Option<Tmp>) {
    if let Some(file) = case["file"].as_str() {
        return (corpus().join(file), None);
    }
    let tmp = Tmp::file("nest.json", input(case));
    (tmp.0.clone(), Some(tmp))
}

/// Checks an input error: exit 2, nothing on stdout, and on stderr exactly the expected issues,
/// each `error[CODE]: ...` with its `  --> FILE:LINE:COLUMN at POINTER` line. `file` gives the
/// file an issue is in.
fn check_error(
    o: &Output,
    want: &Value,
    file: &dyn Fn(&Value) -> Option<String>,
) -> Result<(), String> {
    let err = String::from_utf8_lossy(&o.stderr);
    if o.status.code() != Some(2) {
        return Err(format!("exit {:?}, want 2; stderr: {err}", o.status.code()));
    }
    if !o.stdout.is_empty() {
        return Err(format!(
            "stdout is not empty: {}",
            String::from_utf8_lossy(&o.stdout)
        ));
    }
    let issues = want["issues"].as_array().unwrap();
    let printed = err.lines().filter(|l| l.starts_with("error[")).count();
    if printed != issues.len() {
        return Err(format!(
            "{printed} issues printed, want {}: {err}",
            issues.len()
        ));
    }
    for issue in issues {
        let code = issue["code"].as_str().unwrap();
        if !err.contains(&format!("error[{code}]: ")) {
            return Err(format!("no error[{code}]: {err}"));
        }
        let pointer = issue["pointer"].as_str().unwrap();
        let at = if pointer.is_empty() {
            String::new()
        } else {
            format!(" at {pointer}")
        };
        let location = match (
            file(issue),
            issue["line"].as_u64(),
            issue["column"].as_u64(),
        ) {
            (Some(f), Some(l), Some(c)) => Some(format!("  --> {f}:{l}:{c}{at}\n")),
            (Some(f), _, _) if !pointer.is_empty() => Some(format!("  --> {f}{at}\n")),
            _ => None,
        };
        if let Some(location) = location
            && !err.contains(&location)
        {
            return Err(format!("no {location:?} for {code}: {err}"));
        }
        for text in [&issue["message_contains"], &issue["rule_id"]] {
            if let Some(text) = text.as_str()
                && !err.contains(text)
            {
                return Err(format!("{text:?} is not on stderr: {err}"));
            }
        }
    }
    Ok(())
}

/// Checks a report (the JSON of `--format json`) against the expected parts.
fn check_report(o: &Output, want: &Value) -> Result<(), String> {
    let err = String::from_utf8_lossy(&o.stderr);
    if !matches!(o.status.code(), Some(0 | 1)) {
        return Err(format!("exit {:?}, want 0 or 1: {err}", o.status.code()));
    }
    let report: Value = serde_json::from_slice(&o.stdout).map_err(|e| format!("stdout: {e}"))?;
    corpus::check_report(&report, want)
}

#[test]
fn every_bad_model_exits_2_with_its_issues_or_gives_its_report() {
    let m = manifest();
    let as_of = m["as_of"].as_str().unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in m["models"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let want = match expectation(case, "cli") {
            Ok(want) => want,
            Err(reason) => {
                eprintln!("skipped {name}: {reason}");
                continue;
            }
        };
        let (path, _tmp) = model_file(case);
        let path = path.to_str().unwrap();
        let mut args = vec!["check", path, "--as-of", as_of];
        if let Some(tier) = case["options"]["tier"].as_str() {
            args.extend(["--tier", tier]);
        }
        let outcomes: Vec<(String, Result<(), String>)> = if let Some(report) = want.get("report") {
            args.extend(["--format", "json"]);
            vec![("json".to_owned(), check_report(&run(&args), report))]
        } else {
            FORMATS
                .iter()
                .map(|format| {
                    let mut args = args.clone();
                    args.extend(*format);
                    let o = run(&args);
                    let file = |_: &Value| Some(path.to_owned());
                    (format.join(" "), check_error(&o, &want, &file))
                })
                .collect()
        };
        for (format, outcome) in outcomes {
            match outcome {
                Ok(()) => checked += 1,
                Err(e) => failures.push(format!("{name} [{format}]: {e}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 40, "{checked}");
}

#[test]
fn every_bad_pack_exits_2_with_its_issues_or_gives_its_report() {
    let m = manifest();
    let as_of = m["as_of"].as_str().unwrap();
    let model = Tmp::file("model.json", br#"{"schema_version": "1.0"}"#);
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in m["packs"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let bug = &case["known_bug"];
        if let Some(reason) = bug.as_str().or(bug["cli"].as_str()) {
            eprintln!("skipped {name}: known bug: {reason}");
            continue;
        }
        let dir = corpus().join(case["dir"].as_str().unwrap());
        let file = |issue: &Value| {
            issue["file"]
                .as_str()
                .map(|f| dir.join(f).display().to_string())
        };
        let want = &case["expect"];
        for format in FORMATS {
            let mut args = vec![
                "check",
                model.0.to_str().unwrap(),
                "--as-of",
                as_of,
                "--rules",
                dir.to_str().unwrap(),
                "--no-default-rules",
            ];
            args.extend(*format);
            let outcome = match want.get("report") {
                Some(report) if format.is_empty() => {
                    args.extend(["--format", "json"]);
                    check_report(&run(&args), report)
                }
                Some(_) => continue,
                None => check_error(&run(&args), want, &file),
            };
            match outcome {
                Ok(()) => checked += 1,
                Err(e) => failures.push(format!("{name} [{}]: {e}", format.join(" "))),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 3 * 7, "{checked}");
}
