//! The limit flags of `check`, `validate` and `diagram`: each limit hit and not hit.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use common::*;
use serde_json::Value;
use std::process::Output;

fn check_json(model: &str, extra: &[&str]) -> (Output, Value) {
    let mut args = vec!["check", model, "--as-of", AS_OF, "--format", "json"];
    args.extend_from_slice(extra);
    let o = run(&args);
    let v = json(&o);
    (o, v)
}

fn rules(report: &Value) -> &Vec<Value> {
    report["rules"].as_array().unwrap()
}

#[test]
fn max_findings_cuts_the_lists_and_marks_them() {
    let gaps = example("gaps.json");
    let (o, full) = check_json(&gaps, &[]);
    assert_eq!(o.status.code(), Some(1), "gaps.json fails: {}", stderr(&o));
    // With the default, nothing is cut.
    assert!(
        rules(&full)
            .iter()
            .all(|r| r.get("findings_truncated").is_none())
    );
    let many: Vec<&Value> = rules(&full)
        .iter()
        .filter(|r| r["findings"].as_array().unwrap().len() > 1)
        .collect();
    assert!(
        !many.is_empty(),
        "gaps.json has a rule with several findings"
    );

    let (o, cut) = check_json(&gaps, &["--max-findings", "1"]);
    assert_eq!(o.status.code(), Some(1));
    for (before, after) in rules(&full).iter().zip(rules(&cut)) {
        assert_eq!(before["id"], after["id"]);
        assert_eq!(before["status"], after["status"]);
        assert_eq!(before["findings_total"], after["findings_total"]);
        let kept = after["findings"].as_array().unwrap();
        let all = before["findings"].as_array().unwrap();
        assert_eq!(kept.as_slice(), &all[..all.len().min(1)], "{}", after["id"]);
        let truncated = all.len() > 1;
        assert_eq!(
            after.get("findings_truncated"),
            truncated.then_some(&Value::Bool(true)),
            "{}",
            after["id"]
        );
    }
    // The text output says how many were left out.
    let o = run(&["check", &gaps, "--as-of", AS_OF, "--max-findings", "1"]);
    let text = stdout(&o);
    let first = many[0];
    let more = first["findings"].as_array().unwrap().len() - 1;
    assert!(
        text.contains(&format!("... and {more} more findings not shown")),
        "{text}"
    );
    let o = run(&["check", &gaps, "--as-of", AS_OF]);
    assert!(!stdout(&o).contains("more findings not shown"));
}

#[test]
fn max_steps_stops_rules_with_a_budget_error() {
    let startup = example("startup.json");
    let (_, within) = check_json(&startup, &["--max-steps", "1000000"]);
    assert!(rules(&within).iter().all(|r| r["status"] != "error"));
    let (o, starved) = check_json(&startup, &["--max-steps", "1"]);
    // No rule fails (they all stopped): exit 0, verdict inconclusive.
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(starved["verdict"], "inconclusive");
    let errored: Vec<&Value> = rules(&starved)
        .iter()
        .filter(|r| r["status"] == "error")
        .collect();
    assert!(!errored.is_empty());
    for r in &errored {
        assert_eq!(r["error"]["code"], "AIMS-E-BUDGET", "{}", r["id"]);
    }
    let o = run(&["check", &startup, "--as-of", AS_OF, "--max-steps", "1"]);
    assert!(
        stdout(&o).contains("error[AIMS-E-BUDGET]"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn max_steps_total_and_timeout_stop_the_evaluation_and_say_so() {
    let startup = example("startup.json");
    let (_, full) = check_json(&startup, &[]);
    assert!(full.get("stopped").is_none());
    for (flags, limit) in [
        (["--max-steps-total", "100"], "max_steps_total"),
        (["--timeout", "0.000000001"], "timeout"),
    ] {
        let (o, report) = check_json(&startup, &flags);
        assert_eq!(report["stopped"]["limit"], limit, "{}", stderr(&o));
        assert_eq!(report["verdict"], "inconclusive");
        assert!(rules(&report).iter().any(|r| r["status"] == "error"));
        // The text output says it under the verdict.
        let mut args = vec!["check", startup.as_str(), "--as-of", AS_OF];
        args.extend_from_slice(&flags);
        let text = stdout(&run(&args));
        assert!(
            text.contains("stopped: the evaluation stopped early"),
            "{text}"
        );
        assert!(text.contains(&format!("({limit})")), "{text}");
    }
    // A generous limit gives the report without one.
    let (_, same) = check_json(
        &startup,
        &["--timeout", "3600", "--max-steps-total", "1000000000"],
    );
    assert_eq!(same, full);
    for bad in ["0", "-1", "nan", "inf", "soon"] {
        let flag = format!("--timeout={bad}");
        let o = run(&["check", &startup, "--as-of", AS_OF, &flag]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&o).contains("is not a positive number of seconds"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn model_limits_refuse_the_model_with_exit_2() {
    let startup = example("startup.json");
    for command in ["check", "validate", "diagram"] {
        let with = |max: &'static str| {
            let mut args = vec![command, startup.as_str()];
            if command != "validate" {
                args.extend(["--as-of", AS_OF]);
            }
            args.extend(["--max-array-len", max]);
            run(&args)
        };
        let err = assert_input_error(&with("1"), "AIMS-E-LIMIT");
        assert!(err.contains("more than 1 items"), "{command}: {err}");
        // Within the limit, the same command loads the model.
        let o = with("1000");
        assert_ne!(o.status.code(), Some(2), "{command}: {}", stderr(&o));
    }
    let o = run(&["validate", &startup, "--max-bytes", "100"]);
    let err = assert_input_error(&o, "AIMS-E-LIMIT");
    assert!(err.contains("100 bytes"), "{err}");
    let o = run(&["validate", &startup, "--max-depth", "2"]);
    let err = assert_input_error(&o, "AIMS-E-LIMIT");
    assert!(err.contains("deeper than 2 levels"), "{err}");
    let o = run(&[
        "validate",
        &startup,
        "--max-depth",
        "64",
        "--max-bytes",
        "100000000",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn limit_flags_take_numbers() {
    let startup = example("startup.json");
    for flag in ["--max-findings", "--max-steps", "--max-array-len"] {
        let o = run(&["check", &startup, "--as-of", AS_OF, flag, "many"]);
        assert_eq!(o.status.code(), Some(2), "{flag}");
        assert!(o.stdout.is_empty());
        assert!(stderr(&o).contains(flag), "{flag}: {}", stderr(&o));
    }
}
