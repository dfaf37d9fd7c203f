//! Helpers of the language tests: a one-rule pack around a check, a tiny model, and the value,
//! truth or text an expression gives there.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use aimscheck::{Engine, Error, Issue, Model, Options, Report, RulePack, RuleResult, Status};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

pub const AS_OF: &str = "2026-06-30";
pub const RULE: &str = "T-1";

// ---------------------------------------------------------------- helpers

/// A complete rule around `check`.
pub fn rule(id: &str, tiers: &[&str], check: Value) -> Value {
    json!({
        "id": id, "title": "test rule", "clause_refs": ["4.4"], "aspect": "establish",
        "severity": "high", "tiers": tiers, "rationale": "r", "remediation": "m",
        "check": check
    })
}

pub fn all_tiers(id: &str, check: Value) -> Value {
    rule(id, &["startup", "scaleup", "enterprise"], check)
}

/// Compiles a pack of `rules` (manifest + one rule file).
pub fn pack(rules: Vec<Value>) -> Result<RulePack, Error> {
    RulePack::from_files(&[
        (
            "pack.json".to_owned(),
            json!({"id": "test", "version": "1.0.0", "title": "Test pack"}).to_string(),
        ),
        (
            "rules.json".to_owned(),
            serde_json::to_string_pretty(&json!({ "rules": rules })).unwrap(),
        ),
    ])
}

/// A valid model: `body` plus the schema version.
pub fn model(body: Value) -> Model {
    let mut v = body;
    v.as_object_mut()
        .unwrap()
        .insert("schema_version".to_owned(), json!("1.0"));
    Model::from_json(&v.to_string()).unwrap_or_else(|e| panic!("model invalid: {e:?}"))
}

pub fn report_with(
    rules: Vec<Value>,
    body: Value,
    tier: Option<&str>,
    profile: Option<&str>,
) -> Report {
    let pack = pack(rules).unwrap_or_else(|e| panic!("pack does not compile: {:#?}", e.issues()));
    let engine = Engine::with_packs(vec![pack]).unwrap();
    let opts = Options::parse(AS_OF, tier, profile).unwrap();
    engine.evaluate(&model(body), &opts).unwrap()
}

/// Evaluates one rule with `check` over `body` (tier startup) and returns its result.
pub fn run(check: Value, body: Value) -> RuleResult {
    let report = report_with(vec![all_tiers(RULE, check)], body, Some("startup"), None);
    report.rule(RULE).unwrap().clone()
}

/// Status of a rule that asserts `that`: pass = true, fail = false, insufficient = unknown.
pub fn truth(that: Value, body: Value) -> Status {
    run(json!({"assert": {"that": that, "message": "no"}}), body).status
}

/// The JSON value of `expr` (missing and unknown become null), read through `actual`.
pub fn value(expr: Value, body: Value) -> Value {
    let r = run(
        json!({"assert": {"that": false, "message": "v", "actual": expr}}),
        body,
    );
    assert_eq!(r.status, Status::Fail, "{r:#?}");
    r.findings[0].actual.clone().unwrap()
}

/// The display text of `expr` in a message template.
pub fn shown(expr: Value, body: Value) -> String {
    let r = run(
        json!({"let": {"name": "v", "value": expr,
            "check": {"assert": {"that": false, "message": "{$v}"}}}}),
        body,
    );
    r.findings[0].message.clone()
}

pub fn pointers(r: &RuleResult) -> Vec<&str> {
    r.findings.iter().map(|f| f.pointer.as_str()).collect()
}

pub fn messages(r: &RuleResult) -> Vec<&str> {
    r.findings.iter().map(|f| f.message.as_str()).collect()
}

/// Issues of a pack that must not compile.
pub fn compile_issues(check: Value) -> Vec<Issue> {
    match pack(vec![all_tiers(RULE, check)]) {
        Ok(_) => panic!("the pack compiled"),
        Err(e) => e.issues().to_vec(),
    }
}

/// A shipped example (`examples/NAME.json`) and its report as of [`AS_OF`] at its own tier.
pub fn example(name: &str) -> (Model, Report) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(format!("{name}.json"));
    let model = Model::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let report = Engine::new()
        .unwrap()
        .evaluate(&model, &Options::parse(AS_OF, None, None).unwrap())
        .unwrap();
    (model, report)
}

// ---------------------------------------------------------------- shared cases

/// The folder of the shared cases, `tests/cases`.
pub fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cases")
}

/// A JSON file, read and parsed; a failure names the file.
pub fn read_json(p: &Path) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The evaluation options of the shared case in `dir` (its `options.json`: `as_of`, and
/// optionally `tier` and `profile`).
pub fn case_options(dir: &Path) -> Options {
    let options = read_json(&dir.join("options.json"));
    let s = |k: &str| options.get(k).and_then(Value::as_str);
    Options::parse(s("as_of").expect("options.as_of"), s("tier"), s("profile")).unwrap()
}
