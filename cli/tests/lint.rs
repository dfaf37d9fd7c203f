//! `aimscheck rules lint`: a pack with a scan join warns (exit 1) with the diagnostic's
//! location and help, a clean pack exits 0, a pack that does not load exits 2. Positions and
//! pointers below are worked out by hand from the pack written here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use common::*;
use std::path::Path;

const MANIFEST: &str = r#"{"id": "lint-test", "version": "0.1.0", "title": "t"}"#;

/// A rule whose `some` scans every run for each process (the `eq` comes second in `and`).
const JOIN: &str = r#"{"rules": [
{"id": "T-LINT-01", "title": "t", "clause_refs": ["4.4"], "aspect": "establish",
 "severity": "low", "tiers": ["startup"], "rationale": "r", "remediation": "r",
 "check": {"for_each": {"in": "/processes/*", "as": "p", "check": {"assert": {"message": "m",
   "that": {"some": {"in": "/process_runs/*", "where": {"and": [
     {"known": "@/completed_on"},
     {"eq": [{"get": "@/process_id"}, {"get": "$p/id"}]}]}}}}}}}}
]}"#;

#[test]
fn a_scan_join_warns_with_its_location_and_help_and_exits_1() {
    let dir = Tmp::dir(
        "lint-join",
        &[("pack.json", MANIFEST), ("rules.json", JOIN)],
    );
    let o = run(&["rules", "lint", dir.path()]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    let file = Path::new(dir.path()).join("rules.json");
    // The value of `some` opens on line 5 of rules.json, after `   "that": {"some": ` (20
    // characters), at column 21.
    let head = "warning[AIMS-W-NESTED-SCAN]: `some` over /process_runs/* runs once for each \
                item of the `for_each` over /processes/* (at /rules/0/check/for_each)";
    assert!(out.starts_with(head), "{out}");
    assert!(out.contains(" (rule T-LINT-01)\n"), "{out}");
    assert!(
        out.contains(&format!(
            "\n  --> {}:5:21 at /rules/0/check/for_each/check/assert/that/some\n",
            file.display()
        )),
        "{out}"
    );
    assert!(out.contains("\n  = help: select the related items by an index: `backrefs`"));
    assert!(out.ends_with("linted lint-test 0.1.0 (1 rules and indicators): 1 warning\n"));

    let o = run(&["rules", "lint", dir.path(), "--format", "json"]);
    assert_eq!(code(&o), 1);
    let v = json(&o);
    assert_eq!(v["packs"][0]["id"], "lint-test");
    assert_eq!(v["packs"][0]["checks"], 1);
    let w = &v["warnings"][0];
    assert_eq!(v["warnings"].as_array().unwrap().len(), 1);
    assert_eq!(w["code"], "AIMS-W-NESTED-SCAN");
    assert_eq!(w["rule_id"], "T-LINT-01");
    assert_eq!(
        w["pointer"],
        "/rules/0/check/for_each/check/assert/that/some"
    );
    assert_eq!(
        (w["line"].as_u64(), w["column"].as_u64()),
        (Some(5), Some(21))
    );
    assert_eq!(w["file"], file.display().to_string());
}

#[test]
fn the_same_rule_with_the_eq_first_is_clean_and_exits_0() {
    let probed = JOIN.replace(
        r#"{"known": "@/completed_on"},
     {"eq": [{"get": "@/process_id"}, {"get": "$p/id"}]}"#,
        r#"{"eq": [{"get": "@/process_id"}, {"get": "$p/id"}]},
     {"known": "@/completed_on"}"#,
    );
    assert_ne!(probed, JOIN);
    let dir = Tmp::dir(
        "lint-probe",
        &[("pack.json", MANIFEST), ("rules.json", &probed)],
    );
    let o = run(&["rules", "lint", dir.path()]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(
        stdout(&o),
        "linted lint-test 0.1.0 (1 rules and indicators): no nested scan\n"
    );
    // The sample pack of the examples is clean too.
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/packs/supplier-rules");
    let o = run(&[
        "rules",
        "lint",
        sample.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(json(&o)["warnings"], serde_json::json!([]));
}

#[test]
fn without_a_folder_it_lints_the_default_pack() {
    let o = run(&["rules", "lint", "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["packs"][0]["id"], "iso42001-4.4");
    assert_eq!(v["packs"].as_array().unwrap().len(), 1);
    let warned = !v["warnings"].as_array().unwrap().is_empty();
    assert_eq!(code(&o), if warned { 1 } else { 0 });
}

#[test]
fn a_pack_that_does_not_load_exits_2() {
    let dir = Tmp::dir("lint-bad", &[("pack.json", MANIFEST), ("rules.json", "{")]);
    let o = run(&["rules", "lint", dir.path()]);
    assert_input_error(&o, "AIMS-E-PACK-SYNTAX");
}
