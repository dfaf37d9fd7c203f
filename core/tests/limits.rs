#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]
//! Every limit, hit and not hit: array length (`LoadLimits::max_array_len`), findings kept
//! per rule (`Options::max_findings_per_rule`), the compiled size of a regular expression, and
//! the evaluation step budget (`Options::max_steps_per_rule`).

use aimscheck::{
    DEFAULT_MAX_ARRAY_LEN, DEFAULT_MAX_FINDINGS, DEFAULT_MAX_STEPS, DEFAULT_MAX_STEPS_TOTAL,
    Engine, Error, LoadLimits, Model, Options, REPORT_SCHEMA, Report, RulePack, Status, Verdict,
};
use serde_json::{Value, json};

const AS_OF: &str = "2026-06-30";

fn limits(max_array_len: usize) -> LoadLimits {
    LoadLimits {
        max_array_len,
        ..LoadLimits::default()
    }
}

/// The single issue of a limit error.
fn limit_issue(e: Error) -> aimscheck::Issue {
    assert!(matches!(e, Error::Limit(_)), "{e:?}");
    assert_eq!(e.code(), "AIMS-E-LIMIT");
    assert_eq!(e.issues().len(), 1);
    e.issues()[0].clone()
}

// ---------------------------------------------------------------- array length

#[test]
fn array_limit_defaults() {
    assert_eq!(DEFAULT_MAX_ARRAY_LEN, 10_000_000);
    assert_eq!(
        LoadLimits::default().max_array_len,
        DEFAULT_MAX_ARRAY_LEN,
        "the default limits use the published default"
    );
}

#[test]
fn array_at_the_limit_loads_and_one_more_item_is_refused_from_text() {
    let three = "{\"schema_version\": \"1.0\",\n  \"roles\": [{\"id\": \"a\", \"name\": \"A\"}, {\"id\": \"b\", \"name\": \"B\"}, {\"id\": \"c\", \"name\": \"C\"}]}";
    // Exactly at the limit, and below it.
    Model::from_json_with(three, &limits(3)).unwrap();
    Model::from_json_with(three, &limits(4)).unwrap();
    Model::from_json(three).unwrap();
    // One item past it.
    let issue = limit_issue(Model::from_json_with(three, &limits(2)).unwrap_err());
    assert_eq!(issue.pointer, "/roles");
    // Line 2, column 12: where the array starts (`  "roles": [`).
    assert_eq!((issue.line, issue.column), (Some(2), Some(12)));
    assert!(
        issue.message.contains("/roles") && issue.message.contains("more than 2 items"),
        "{}",
        issue.message
    );
    // The other ways of loading text apply the same limits.
    let issue = limit_issue(Model::from_string_with(three.to_owned(), &limits(2)).unwrap_err());
    assert_eq!((issue.pointer.as_str(), issue.line), ("/roles", Some(2)));
    let issue =
        limit_issue(Model::from_vec_with(three.as_bytes().to_vec(), &limits(2)).unwrap_err());
    assert_eq!((issue.pointer.as_str(), issue.line), ("/roles", Some(2)));
    // The root array counts too (the model must be an object, but the limit comes first).
    let issue = limit_issue(Model::from_json_with("[1, 2, 3]", &limits(2)).unwrap_err());
    assert_eq!(
        (issue.pointer.as_str(), issue.line, issue.column),
        ("", Some(1), Some(1))
    );
    assert!(issue.message.starts_with("the model has more than 2 items"));
}

#[test]
fn array_limit_stops_the_parse_at_the_first_item_too_many() {
    // What follows the third item is not JSON: the parse never reads that far, so the error is
    // the limit's, not a syntax error.
    let text = r#"{"schema_version": "1.0", "roles": [{}, {}, {}, {"id": ]]] not json"#;
    let issue = limit_issue(Model::from_json_with(text, &limits(2)).unwrap_err());
    assert_eq!(issue.pointer, "/roles");
    // With room for every item, the same text is a syntax error.
    let e = Model::from_json_with(text, &limits(10)).unwrap_err();
    assert_eq!(e.code(), "AIMS-E-SYNTAX");
}

#[test]
fn array_limit_names_nested_arrays_by_pointer() {
    let cases = [
        // An array in an array: the index of the inner one.
        (r#"{"x": [[0], [0, 1, 2]]}"#, "/x/1", (1, 13)),
        // Deeper, under keys that the pointer escapes.
        (
            r#"{"a/b": {"m~n": [{"k": [1, 2, 3]}]}}"#,
            "/a~1b/m~0n/0/k",
            (1, 24),
        ),
        // Two arrays under the same key: the first within the limit, the second past it.
        (
            r#"{"p": [{"q": [1]}, {"q": [1, 2, 3, 4]}]}"#,
            "/p/1/q",
            (1, 26),
        ),
    ];
    for (text, pointer, (line, column)) in cases {
        let issue = limit_issue(Model::from_json_with(text, &limits(2)).unwrap_err());
        assert_eq!(issue.pointer, pointer, "{text}");
        assert_eq!(
            (issue.line, issue.column),
            (Some(line), Some(column)),
            "{text}"
        );
        // The same value, loaded as a value: the same pointer, no position.
        let value: Value = serde_json::from_str(text).unwrap();
        let issue = limit_issue(Model::from_value_with(value, &limits(2)).unwrap_err());
        assert_eq!(issue.pointer, pointer, "{text}");
        assert_eq!((issue.line, issue.column), (None, None));
    }
}

#[test]
fn array_limit_from_a_value() {
    let model = json!({"schema_version": "1.0",
        "roles": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]});
    Model::from_value_with(model.clone(), &limits(2)).unwrap();
    Model::from_value(model.clone()).unwrap();
    let issue = limit_issue(Model::from_value_with(model, &limits(1)).unwrap_err());
    assert_eq!(issue.pointer, "/roles");
    // Checked before the schema: an invalid model past the limit gets the limit's error.
    let invalid = json!({"schema_version": "9", "roles": [1, 2, 3]});
    let issue = limit_issue(Model::from_value_with(invalid, &limits(2)).unwrap_err());
    assert_eq!(issue.pointer, "/roles");
    // An empty array is within any limit.
    Model::from_value_with(json!({"schema_version": "1.0", "roles": []}), &limits(0)).unwrap();
}

// ---------------------------------------------------------------- packs and models

/// A complete rule around `check`, for every tier.
fn rule(id: &str, check: Value) -> Value {
    json!({
        "id": id, "title": "test rule", "clause_refs": ["4.4"], "aspect": "establish",
        "severity": "high", "tiers": ["startup", "scaleup", "enterprise"], "rationale": "r",
        "remediation": "m", "check": check
    })
}

fn pack_files(rules: Vec<Value>) -> Vec<(String, String)> {
    vec![
        (
            "pack.json".to_owned(),
            json!({"id": "limits", "version": "1.0.0", "title": "Limits"}).to_string(),
        ),
        (
            "rules.json".to_owned(),
            serde_json::to_string_pretty(&json!({ "rules": rules })).unwrap(),
        ),
    ]
}

fn engine(rules: Vec<Value>) -> Engine {
    let pack = RulePack::from_files(&pack_files(rules))
        .unwrap_or_else(|e| panic!("pack does not compile: {:#?}", e.issues()));
    Engine::with_packs(vec![pack]).unwrap()
}

/// A model with `n` roles `r-0` … `r-{n-1}`.
fn roles_model(n: usize) -> Model {
    let roles: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("r-{i}"), "name": format!("Role {i}")}))
        .collect();
    Model::from_value(json!({"schema_version": "1.0", "roles": roles})).unwrap()
}

fn options(max_findings: usize, max_steps: u64) -> Options {
    Options {
        max_findings_per_rule: max_findings,
        max_steps_per_rule: max_steps,
        ..Options::parse(AS_OF, Some("startup"), None).unwrap()
    }
}

/// The report as JSON, checked against the published report schema.
fn checked_json(report: &Report) -> Value {
    let json: Value = serde_json::from_str(&report.to_json_pretty()).unwrap();
    let schema: Value = serde_json::from_str(REPORT_SCHEMA).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "report invalid: {errors:#?}");
    json
}

// ---------------------------------------------------------------- findings per rule

/// A rule with one violation per role.
fn one_finding_per_role() -> Value {
    rule(
        "T-MANY",
        json!({"for_each": {"in": "/roles/*", "check": {"assert": {
            "that": false, "message": "role {@/id}", "at": "@/id"}}}}),
    )
}

#[test]
fn findings_limit_cuts_the_list_and_says_so() {
    let engine = engine(vec![one_finding_per_role()]);
    let model = roles_model(5);
    let report = engine
        .evaluate(&model, &options(2, DEFAULT_MAX_STEPS))
        .unwrap();
    let r = report.rule("T-MANY").unwrap();
    assert_eq!(r.status, Status::Fail);
    assert_eq!(r.findings_total, 5);
    assert!(r.findings_truncated);
    // The first findings in model order are the ones kept.
    let pointers: Vec<&str> = r.findings.iter().map(|f| f.pointer.as_str()).collect();
    assert_eq!(pointers, ["/roles/0/id", "/roles/1/id"]);
    assert_eq!(report.summary.findings, 5, "the summary counts them all");
    let json = checked_json(&report);
    assert_eq!(json["rules"][0]["findings_truncated"], json!(true));
    // Read back, the field is kept.
    let again: Report = serde_json::from_value(json).unwrap();
    assert!(again.rules[0].findings_truncated);
}

#[test]
fn findings_within_the_limit_are_not_marked() {
    let engine = engine(vec![one_finding_per_role()]);
    let model = roles_model(5);
    for max in [5, 6, DEFAULT_MAX_FINDINGS] {
        let report = engine
            .evaluate(&model, &options(max, DEFAULT_MAX_STEPS))
            .unwrap();
        let r = report.rule("T-MANY").unwrap();
        assert_eq!((r.findings.len(), r.findings_total), (5, 5), "{max}");
        assert!(!r.findings_truncated, "{max}");
        // Absent from the JSON, which is then what it was before the field existed.
        let json = checked_json(&report);
        assert_eq!(json["rules"][0].get("findings_truncated"), None, "{max}");
    }
    // The default options keep 1000.
    assert_eq!(
        Options::parse(AS_OF, None, None)
            .unwrap()
            .max_findings_per_rule,
        1000
    );
    // No findings at all: nothing cut, even with a limit of 0.
    let report = engine
        .evaluate(&roles_model(0), &options(0, DEFAULT_MAX_STEPS))
        .unwrap();
    assert!(!report.rule("T-MANY").unwrap().findings_truncated);
    // A limit of 0 keeps none of 5.
    let report = engine
        .evaluate(&model, &options(0, DEFAULT_MAX_STEPS))
        .unwrap();
    let r = report.rule("T-MANY").unwrap();
    assert_eq!((r.findings.len(), r.findings_total), (0, 5));
    assert!(r.findings_truncated);
}

#[test]
fn a_waiver_of_every_violation_leaves_nothing_cut() {
    let engine = engine(vec![one_finding_per_role()]);
    let mut model = json!({"schema_version": "1.0",
        "roles": [{"id": "r-0", "name": "R0"}, {"id": "r-1", "name": "R1"}, {"id": "r-2", "name": "R2"}],
        "exceptions": [{"id": "ex-1", "rule_id": "T-MANY", "justification": "accepted",
            "approved_by": "r-0", "approved_on": "2026-01-01", "expires_on": "2027-01-01"}]});
    let waived = Model::from_value(model.clone()).unwrap();
    let report = engine
        .evaluate(&waived, &options(1, DEFAULT_MAX_STEPS))
        .unwrap();
    let r = report.rule("T-MANY").unwrap();
    assert_eq!(r.status, Status::Waived);
    assert_eq!((r.findings.len(), r.findings_total), (0, 0));
    assert!(!r.findings_truncated);
    // Without the exception, the same limit cuts two of three.
    model.as_object_mut().unwrap().remove("exceptions");
    let report = engine
        .evaluate(
            &Model::from_value(model).unwrap(),
            &options(1, DEFAULT_MAX_STEPS),
        )
        .unwrap();
    let r = report.rule("T-MANY").unwrap();
    assert_eq!((r.findings.len(), r.findings_total), (1, 3));
    assert!(r.findings_truncated);
}

// ---------------------------------------------------------------- regular expressions

#[test]
fn oversized_regular_expressions_are_refused_when_the_pack_loads() {
    for pattern in ["\\w{5000}", "(a{1000}){1000}"] {
        let files = pack_files(vec![
            rule("T-OK", json!({"assert": {"that": true, "message": "m"}})),
            rule(
                "T-RE",
                json!({"assert": {"that": {"matches": [{"get": "/organization/name"}, pattern]},
                    "message": "m"}}),
            ),
        ]);
        let e = RulePack::from_files(&files).unwrap_err();
        assert_eq!(e.code(), "AIMS-E-PACK-REGEX", "{pattern}");
        let issue = &e.issues()[0];
        assert_eq!(issue.file.as_deref(), Some("rules.json"), "{pattern}");
        assert_eq!(issue.rule_id.as_deref(), Some("T-RE"), "{pattern}");
        assert_eq!(issue.pointer, "/rules/1/check/assert/that/matches/1");
        assert!(issue.line.is_some(), "{pattern}: located in the file");
        assert!(
            issue.message.contains("too large") && issue.message.contains("1048576"),
            "{pattern}: {}",
            issue.message
        );
    }
    // Large but within the limit: compiles, and matches.
    let engine = engine(vec![rule(
        "T-RE",
        json!({"assert": {"that": {"matches": [{"get": "/organization/name"}, "^\\w{3}$"]},
            "message": "m"}}),
    )]);
    let model =
        Model::from_value(json!({"schema_version": "1.0", "organization": {"name": "Acm"}}))
            .unwrap();
    let report = engine
        .evaluate(&model, &options(10, DEFAULT_MAX_STEPS))
        .unwrap();
    assert_eq!(report.rule("T-RE").unwrap().status, Status::Pass);
    RulePack::from_files(&pack_files(vec![rule(
        "T-RE",
        json!({"assert": {"that": {"matches": ["x", "a{1000}"]}, "message": "m"}}),
    )]))
    .unwrap();
}

// ---------------------------------------------------------------- evaluation steps

/// For every role, no role is named with its id: quadratic in the number of roles (the inner
/// loop reads the outer item, so it is not computed once and remembered).
fn quadratic() -> Value {
    rule(
        "T-QUAD",
        json!({"for_each": {"in": "/roles/*", "as": "a", "check": {"assert": {
            "that": {"every": {"in": "/roles/*", "where": {"ne": [{"get": "@/name"}, {"get": "$a/id"}]}}},
            "message": "m"}}}}),
    )
}

/// Every role has a name: linear.
fn linear() -> Value {
    rule(
        "T-LIN",
        json!({"for_each": {"in": "/roles/*", "check": {"assert": {
            "that": {"nonempty": {"get": "@/name"}}, "message": "m"}}}}),
    )
}

/// The fewest steps with which `rule_id` does not run out, by bisection.
fn steps_needed(engine: &Engine, model: &Model, rule_id: &str) -> u64 {
    let errs = |budget: u64| {
        let report = engine.evaluate(model, &options(10, budget)).unwrap();
        report.rule(rule_id).unwrap().status == Status::Error
    };
    let (mut lo, mut hi) = (0u64, 1u64 << 40);
    assert!(!errs(hi));
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if errs(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

#[test]
fn a_rule_past_its_step_budget_errs_and_the_others_still_run() {
    let engine = engine(vec![quadratic(), linear()]);
    let model = roles_model(300);
    let report = engine.evaluate(&model, &options(10, 50_000)).unwrap();
    let quad = report.rule("T-QUAD").unwrap();
    assert_eq!(quad.status, Status::Error);
    let error = quad.error.as_ref().unwrap();
    assert_eq!(error.code, "AIMS-E-BUDGET");
    assert!(
        error.message.contains("50000 evaluation steps")
            && error.message.contains("max_steps_per_rule"),
        "{}",
        error.message
    );
    assert!(quad.findings.is_empty());
    // The linear rule, after it, starts with a budget of its own.
    assert_eq!(report.rule("T-LIN").unwrap().status, Status::Pass);
    assert_eq!(report.verdict, Verdict::Inconclusive);
    assert_eq!(report.summary.by_status.error, 1);
    checked_json(&report);

    // The same model with the default budget: both pass.
    let report = engine
        .evaluate(
            &model,
            &Options::parse(AS_OF, Some("startup"), None).unwrap(),
        )
        .unwrap();
    assert_eq!(report.rule("T-QUAD").unwrap().status, Status::Pass);
    assert_eq!(report.verdict, Verdict::Conformant);
    assert_eq!(DEFAULT_MAX_STEPS, 1_000_000_000);
    assert_eq!(
        Options::parse(AS_OF, None, None)
            .unwrap()
            .max_steps_per_rule,
        DEFAULT_MAX_STEPS
    );
}

#[test]
fn steps_count_items_visited() {
    let engine = engine(vec![quadratic(), linear()]);
    let (small, large) = (roles_model(100), roles_model(200));
    let quad = (
        steps_needed(&engine, &small, "T-QUAD"),
        steps_needed(&engine, &large, "T-QUAD"),
    );
    let lin = (
        steps_needed(&engine, &small, "T-LIN"),
        steps_needed(&engine, &large, "T-LIN"),
    );
    // Twice the roles: about four times the steps for the nested loop, twice for the single
    // one.
    let ratio = |(a, b): (u64, u64)| b as f64 / a as f64;
    assert!((3.8..4.2).contains(&ratio(quad)), "{quad:?}");
    assert!((1.9..2.1).contains(&ratio(lin)), "{lin:?}");
    // At least one step per pair of roles, and per role.
    assert!(quad.0 >= 100 * 100 && lin.0 >= 100, "{quad:?} {lin:?}");
    // The budget is exact: one step fewer errs, and the same evaluation gives the same answer.
    let report = engine.evaluate(&small, &options(10, quad.0 - 1)).unwrap();
    assert_eq!(report.rule("T-QUAD").unwrap().status, Status::Error);
    let report = engine.evaluate(&small, &options(10, quad.0)).unwrap();
    assert_eq!(report.rule("T-QUAD").unwrap().status, Status::Pass);
}

#[test]
fn membership_operators_cost_a_step_per_item() {
    // `intersects` of two lists with nothing in common: the right-hand list is hashed once,
    // then each item of the left one is one lookup. Twice the roles, about twice the steps.
    let engine = engine(vec![rule(
        "T-PAIRS",
        json!({"assert": {"that": {"not": {"intersects": [{"get": "/roles/*/id"}, {"get": "/roles/*/name"}]}},
            "message": "m"}}),
    )]);
    let (small, large) = (roles_model(100), roles_model(200));
    let (a, b) = (
        steps_needed(&engine, &small, "T-PAIRS"),
        steps_needed(&engine, &large, "T-PAIRS"),
    );
    assert!((300..1_000).contains(&a), "{a}");
    let ratio = b as f64 / a as f64;
    assert!((1.9..2.1).contains(&ratio), "{a} {b}");
}

/// A model with `systems` other management systems, each sharing the first `shared` of
/// `processes` active internal-audit processes `p-0` … .
fn systems_model(systems: usize, shared: usize, processes: usize) -> Model {
    let ids: Vec<String> = (0..shared).map(|i| format!("p-{i}")).collect();
    let systems: Vec<Value> = (0..systems)
        .map(|i| json!({"standard": format!("MS {i}"), "shared_process_ids": ids}))
        .collect();
    let processes: Vec<Value> = (0..processes)
        .map(|i| json!({"id": format!("p-{i}"), "name": format!("Audit {i}"), "clause_refs": ["9.2"], "status": "active"}))
        .collect();
    Model::from_value(json!({
        "schema_version": "1.0",
        "organization": {"name": "O", "management_systems": systems},
        "processes": processes,
    }))
    .unwrap()
}

#[test]
fn nested_loops_with_membership_cost_their_pairs_not_the_lists() {
    // Every system × every process, each pair a `one_of` in the system's list: the list of
    // each system is hashed once, however many processes test it.
    let engine = engine(vec![rule(
        "T-SHARED",
        json!({"for_each": {"in": "/organization/management_systems/*", "as": "ms", "check":
            {"for_each": {"in": "/processes/*", "as": "p", "check": {"assert": {
                "that": {"one_of": [{"get": "$p/id"}, {"get": "$ms/shared_process_ids"}]},
                "message": "{$p/id} is not shared with {$ms/standard}"}}}}}}),
    )]);
    let short = steps_needed(&engine, &systems_model(20, 50, 100), "T-SHARED");
    let long = steps_needed(&engine, &systems_model(20, 100, 100), "T-SHARED");
    let more = steps_needed(&engine, &systems_model(40, 50, 100), "T-SHARED");
    // Twice the list: only the hashing of the longer lists is added (20 × 50 items), not a
    // step more per pair; twice the systems: twice the pairs.
    assert!(long - short <= 20 * 50 + 20, "{short} {long}");
    let ratio = more as f64 / short as f64;
    assert!((1.9..2.1).contains(&ratio), "{short} {more}");
    // Half of the pairs fail, each found.
    let report = engine
        .evaluate(&systems_model(20, 50, 100), &options(10, 1 << 30))
        .unwrap();
    let r = report.rule("T-SHARED").unwrap();
    assert_eq!((r.status, r.findings_total), (Status::Fail, 20 * 50));
}

#[test]
fn hashed_membership_answers_as_a_scan_does() {
    // Each `that` with its expected answer; every list is given twice, short (scanned) and
    // padded to 12 items (hashed), and both must answer alike.
    let pad = |items: Value| -> Value {
        let mut v = items.as_array().unwrap().clone();
        v.extend((0..12).map(|i| json!(format!("pad-{i}"))));
        Value::Array(v)
    };
    let cases: Vec<(&str, Value, bool)> = vec![
        ("one_of", json!(["b", ["a", "b"]]), true),
        ("one_of", json!(["z", ["a", "b"]]), false),
        // Numbers by value: 1 and 1.0 are equal, -0.0 and 0 too; "1" is a string.
        ("one_of", json!([1, [1.0]]), true),
        ("one_of", json!([0, [-0.0]]), true),
        ("one_of", json!(["1", [1]]), false),
        ("one_of", json!([true, [true]]), true),
        ("intersects", json!([["x", {"k": 1}], [{"k": 1}]]), true),
        ("intersects", json!([["x", 2], ["y", 3]]), false),
        ("subset", json!([["a", 2.0], ["a", 2, "b"]]), true),
        ("subset", json!([["a", "c"], ["a", "b"]]), false),
        ("subset", json!([[], ["a"]]), true),
        // Sub-clauses are under their clause; `9.21` is not under `9.2`.
        ("refs_under", json!([["9.2.1"], ["9.2"]]), true),
        ("refs_under", json!([["9.2"], ["9.2"]]), true),
        ("refs_under", json!([["9.21"], ["9.2"]]), false),
        ("refs_under", json!([["9"], ["9.2"]]), false),
        ("refs_under", json!([["A.6.2.5", "4.1"], ["A.6"]]), true),
    ];
    let mut rules = Vec::new();
    for (i, (op, args, _)) in cases.iter().enumerate() {
        for (form, list) in [("SHORT", args[1].clone()), ("PADDED", pad(args[1].clone()))] {
            rules.push(rule(
                &format!("T-{i}-{form}"),
                json!({"assert": {"that": {*op: [{"const": args[0].clone()}, {"const": list}]}, "message": "m"}}),
            ));
        }
    }
    // The same list bound by `let` and tested twice, hashed once.
    rules.push(rule(
        "T-LET",
        json!({"let": {"name": "ids", "value": {"get": "/roles/*/id"}, "check": {"assert": {
            "that": {"and": [{"one_of": [{"const": "r-3"}, {"get": "$ids"}]}, {"not": {"one_of": [{"const": "r-30"}, {"get": "$ids"}]}}]},
            "message": "m"}}}}),
    ));
    let engine = engine(rules);
    let report = engine
        .evaluate(&roles_model(20), &options(10, 1 << 30))
        .unwrap();
    for (i, (op, args, want)) in cases.iter().enumerate() {
        let want = if *want { Status::Pass } else { Status::Fail };
        for form in ["SHORT", "PADDED"] {
            let got = report.rule(&format!("T-{i}-{form}")).unwrap().status;
            assert_eq!(got, want, "{op} {args} ({form})");
        }
    }
    assert_eq!(report.rule("T-LET").unwrap().status, Status::Pass);
}

/// The startup example.
fn startup_model() -> Model {
    Model::from_json(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/startup.json"
        ))
        .unwrap(),
    )
    .unwrap()
}

#[test]
fn default_pack_runs_within_the_default_budget() {
    let engine = Engine::new().unwrap();
    let model = startup_model();
    let report = engine
        .evaluate(&model, &Options::parse(AS_OF, None, None).unwrap())
        .unwrap();
    assert_eq!(report.summary.by_status.error, 0);
    // With a budget of 1 every applicable rule errs with the budget's code, and every
    // indicator has no value and an error naming it.
    let report = engine.evaluate(&model, &options(10, 1)).unwrap();
    let applicable: Vec<_> = report
        .rules
        .iter()
        .filter(|r| r.status != Status::NotApplicable)
        .collect();
    assert!(!applicable.is_empty());
    for r in applicable {
        assert_eq!(r.status, Status::Error, "{}", r.id);
        assert_eq!(r.error.as_ref().unwrap().code, "AIMS-E-BUDGET", "{}", r.id);
    }
    assert!(!report.indicators.is_empty());
    for i in &report.indicators {
        assert_eq!(i.value, Value::Null, "{}", i.id);
        assert!(
            i.error.as_deref().unwrap().starts_with("AIMS-E-BUDGET"),
            "{}",
            i.id
        );
    }
}

// ---------------------------------------------------------------- the whole evaluation

/// `linear` under another id, so that a pack can hold it twice.
fn linear_as(id: &str) -> Value {
    let mut r = linear();
    r["id"] = json!(id);
    r
}

fn total_options(max_steps_total: u64) -> Options {
    Options {
        max_steps_total,
        ..options(10, DEFAULT_MAX_STEPS)
    }
}

#[test]
fn the_whole_evaluation_budget_stops_the_rules_not_done() {
    // Pack order: a linear rule, the quadratic one, another linear one (the engine evaluates
    // in pack order; the report lists by id).
    let engine = engine(vec![linear_as("T-A"), quadratic(), linear_as("T-Z")]);
    let model = roles_model(100);
    let lin = steps_needed(&engine, &model, "T-A");
    let quad = steps_needed(&engine, &model, "T-QUAD");
    // The counts the engine reports are the budgets found by bisection.
    let (_, steps) = engine
        .evaluate_with_steps(&model, &total_options(u64::MAX))
        .unwrap();
    assert_eq!(
        (
            steps.rules["T-A"],
            steps.rules["T-QUAD"],
            steps.rules["T-Z"]
        ),
        (lin, quad, lin)
    );
    assert_eq!(steps.total, 2 * lin + quad);
    // Exactly enough for the three: all pass, and nothing says the evaluation stopped.
    let report = engine
        .evaluate(&model, &total_options(2 * lin + quad))
        .unwrap();
    assert!(report.stopped.is_none());
    assert_eq!(report.verdict, Verdict::Conformant);
    assert!(
        !checked_json(&report)
            .as_object()
            .unwrap()
            .contains_key("stopped")
    );
    // One step fewer: the last rule is the one not done.
    let report = engine
        .evaluate(&model, &total_options(2 * lin + quad - 1))
        .unwrap();
    assert_eq!(report.rule("T-A").unwrap().status, Status::Pass);
    assert_eq!(report.rule("T-QUAD").unwrap().status, Status::Pass);
    assert_eq!(report.rule("T-Z").unwrap().status, Status::Error);
    // Enough for the first rule and half the second: the second and the third are not done,
    // the first keeps its result.
    let report = engine
        .evaluate(&model, &total_options(lin + quad / 2))
        .unwrap();
    assert_eq!(report.rule("T-A").unwrap().status, Status::Pass);
    for id in ["T-QUAD", "T-Z"] {
        let r = report.rule(id).unwrap();
        assert_eq!(r.status, Status::Error, "{id}");
        let e = r.error.as_ref().unwrap();
        assert_eq!(e.code, "AIMS-E-BUDGET");
        assert!(e.message.contains("max_steps_total"), "{}", e.message);
        assert!(
            e.message.contains(&(lin + quad / 2).to_string()),
            "{}",
            e.message
        );
    }
    // The indicators of the pack (none here) and the report itself: it says which limit.
    let stopped = report.stopped.as_ref().unwrap();
    assert_eq!(stopped.limit, "max_steps_total");
    assert!(
        stopped.message.contains("at best inconclusive"),
        "{}",
        stopped.message
    );
    assert_eq!(report.verdict, Verdict::Inconclusive);
    let json = checked_json(&report);
    assert_eq!(json["stopped"]["limit"], "max_steps_total");
    // The per-rule budget is still the rule's own: a total larger than needed changes nothing.
    let report = engine
        .evaluate(
            &model,
            &Options {
                max_steps_per_rule: quad - 1,
                ..total_options(u64::MAX)
            },
        )
        .unwrap();
    let quad_error = report.rule("T-QUAD").unwrap().error.as_ref().unwrap();
    assert!(quad_error.message.contains("max_steps_per_rule"));
    assert_eq!(report.rule("T-Z").unwrap().status, Status::Pass);
    assert!(report.stopped.is_none());
}

#[test]
fn a_deadline_stops_the_evaluation_and_says_so() {
    let engine = Engine::new().unwrap();
    let model = startup_model();
    let base = Options::parse(AS_OF, None, None).unwrap();
    // A deadline already passed: no applicable rule or indicator is done.
    let passed = Options {
        deadline: Some(std::time::Instant::now()),
        ..base.clone()
    };
    let timeout = Options {
        timeout: Some(std::time::Duration::from_nanos(1)),
        ..base.clone()
    };
    for options in [passed, timeout] {
        let report = engine.evaluate(&model, &options).unwrap();
        let stopped = report.stopped.as_ref().unwrap();
        assert_eq!(stopped.limit, "timeout");
        assert_eq!(report.verdict, Verdict::Inconclusive);
        for r in report
            .rules
            .iter()
            .filter(|r| r.status != Status::NotApplicable)
        {
            assert_eq!(r.status, Status::Error, "{}", r.id);
            let e = r.error.as_ref().unwrap();
            assert_eq!(e.code, "AIMS-E-BUDGET");
            assert!(e.message.contains("time limit (timeout)"), "{}", e.message);
        }
        for i in &report.indicators {
            assert_eq!(i.value, Value::Null, "{}", i.id);
            assert!(i.error.as_deref().unwrap().starts_with("AIMS-E-BUDGET"));
        }
        checked_json(&report);
    }
    // A generous limit: the same report as without one.
    let generous = Options {
        timeout: Some(std::time::Duration::from_secs(3600)),
        ..base.clone()
    };
    assert_eq!(
        engine.evaluate(&model, &generous).unwrap().to_json_pretty(),
        engine.evaluate(&model, &base).unwrap().to_json_pretty()
    );
}

#[test]
fn whole_evaluation_defaults() {
    assert_eq!(DEFAULT_MAX_STEPS_TOTAL, 10_000_000_000);
    let o = Options::parse(AS_OF, None, None).unwrap();
    assert_eq!(
        (o.max_steps_total, o.timeout, o.deadline),
        (DEFAULT_MAX_STEPS_TOTAL, None, None)
    );
}

#[test]
fn a_fixed_inner_selection_is_filtered_once_not_for_every_outer_item() {
    // For each system, each active internal-audit process: the inner `where` reads only the
    // process, so the processes it selects are found once; the same `where` made to read the
    // outer system (a condition that is always true) is tested for every pair.
    let loop_with = |extra: Value| {
        let mut conds = vec![
            json!({"eq": [{"get": "@/status"}, "active"]}),
            json!({"refs_under": [{"get": "@/clause_refs"}, ["7.5", "9.2", "9.3"]]}),
        ];
        if !extra.is_null() {
            conds.push(extra);
        }
        json!({"for_each": {"in": "/organization/management_systems/*", "as": "ms", "check":
            {"for_each": {"in": "/processes/*", "as": "p", "where": {"and": conds},
                "if_none": {"status": "fail", "message": "nothing shared with {$ms/standard}"},
                "check": {"assert": {
                    "that": {"one_of": [{"get": "$p/id"}, {"get": "$ms/shared_process_ids"}]},
                    "message": "{$p/id} is not shared with {$ms/standard}"}}}}}})
    };
    let engine = engine(vec![
        rule("T-FIXED", loop_with(Value::Null)),
        rule("T-PAIRS", loop_with(json!({"exists": "$ms/standard"}))),
    ]);
    let model = systems_model(40, 10, 200);
    let (report, steps) = engine
        .evaluate_with_steps(&model, &options(10_000, 1 << 40))
        .unwrap();
    let (fixed, pairs) = (
        report.rule("T-FIXED").unwrap(),
        report.rule("T-PAIRS").unwrap(),
    );
    // The same outcome, findings and order.
    assert_eq!(fixed.status, Status::Fail);
    assert_eq!(fixed.findings_total, 40 * 190);
    assert_eq!(fixed.findings, pairs.findings);
    assert_eq!(fixed.checked, pairs.checked);
    // The `where` (about 20 steps) is evaluated 200 times instead of 40 × 200.
    let (f, p) = (steps.rules["T-FIXED"], steps.rules["T-PAIRS"]);
    assert!(p - f > 39 * 200 * 15, "{f} {p}");
    // A fixed selection that is empty gives its if_none for each outer item.
    let none = systems_model(3, 0, 0);
    let r = engine.evaluate(&none, &options(10, 1 << 40)).unwrap();
    let fixed = r.rule("T-FIXED").unwrap();
    assert_eq!(fixed.findings.len(), 3);
    assert_eq!(fixed.findings[2].message, "nothing shared with MS 2");
    assert_eq!(fixed.findings, r.rule("T-PAIRS").unwrap().findings);
}

/// `roles` roles of `assignees` assignments each (half of them ended before 2026), and
/// `processes` processes owned by them in turn.
fn owners_model(roles: usize, assignees: usize, processes: usize) -> Model {
    let roles: Vec<Value> = (0..roles)
        .map(|r| {
            let a: Vec<Value> = (0..assignees)
                .map(|i| {
                    let to = if i % 2 == 0 {
                        "2025-06-30"
                    } else {
                        "2027-06-30"
                    };
                    json!({"person_id": format!("p-{i}"), "from": "2024-01-01", "to": to})
                })
                .collect();
            json!({"id": format!("r-{r}"), "name": format!("Role {r}"), "assignees": a})
        })
        .collect();
    let n = roles.len().max(1);
    let processes: Vec<Value> = (0..processes)
        .map(|i| {
            json!({"id": format!("proc-{i}"), "name": format!("Process {i}"),
            "status": "active", "owner_role_id": format!("r-{}", i % n)})
        })
        .collect();
    Model::from_value(json!({"schema_version": "1.0", "roles": roles, "processes": processes}))
        .unwrap()
}

#[test]
fn a_selection_read_through_a_shared_variable_is_walked_once_per_value() {
    // For each process, its owner role's assignees still assigned on the evaluation date: the
    // selection reads only `$role`, shared by many processes, so it is walked once per role.
    // The same selection made to read the process too is walked for every process.
    let owners = |extra: Value| {
        let mut conds = vec![json!({"or": [{"not": {"exists": "@/to"}},
            {"ge": [{"get": "@/to"}, {"as_of": true}]}]})];
        if !extra.is_null() {
            conds.push(extra);
        }
        json!({"for_each": {"in": "/processes/*", "as": "p", "check": {"let": {"name": "role",
            "value": {"lookup": {"in": "roles", "id": {"get": "$p/owner_role_id"}}},
            "check": {"let": {"name": "held", "value": {"filter": {"in": "$role/assignees/*",
                "where": {"and": conds}}},
            "check": {"assert": {"that": {"not": {"nonempty": "$held"}},
                "message": "{$p/id} is owned by {$held/person_id}"}}}}}}}})
    };
    let engine = engine(vec![
        rule("T-ROLE", owners(Value::Null)),
        rule("T-PROC", owners(json!({"exists": "$p/id"}))),
    ]);
    let steps_of = |model: &Model| {
        let (report, steps) = engine
            .evaluate_with_steps(model, &options(1, 1 << 40))
            .unwrap();
        let (role, proc) = (
            report.rule("T-ROLE").unwrap(),
            report.rule("T-PROC").unwrap(),
        );
        // The same outcome, findings and order.
        assert_eq!(role.status, Status::Fail);
        assert_eq!(role.findings, proc.findings);
        assert_eq!(role.findings_total, proc.findings_total);
        (steps.rules["T-ROLE"], steps.rules["T-PROC"])
    };
    // Findings past the first are counted, not written, so the messages (which list the
    // holders) do not add to the steps.
    let (one, one_proc) = steps_of(&owners_model(2, 50, 200));
    let (long, long_proc) = steps_of(&owners_model(2, 100, 200));
    // Twice the assignees: 2 roles × 50 more walked once each (about 10 steps per assignee),
    // not once per process; read per process, 200 × 50 more.
    assert!(long - one <= 2 * 50 * 10, "{one} {long}");
    assert!(
        long_proc - one_proc >= 200 * 50 * 10,
        "{one_proc} {long_proc}"
    );
    // Twice the processes: a few steps more per process, the roles walked no more.
    let (more, _) = steps_of(&owners_model(2, 50, 400));
    assert!(more - one < 200 * 20, "{one} {more}");
    // Each process's message names the role's current holders.
    let report = engine
        .evaluate(&owners_model(2, 4, 3), &options(10, 1 << 40))
        .unwrap();
    let msgs: Vec<&str> = report
        .rule("T-ROLE")
        .unwrap()
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        msgs,
        [
            "proc-0 is owned by p-1, p-3",
            "proc-1 is owned by p-1, p-3",
            "proc-2 is owned by p-1, p-3"
        ]
    );
}

#[test]
fn holds_finds_the_person_among_many_assignees_by_an_index() {
    // `holds` for each assignee of a role with many assignees: a search per person, not a walk
    // of the assignees per person.
    let rule_of = json!({"for_each": {"in": "/roles/*", "as": "r", "check": {"for_each": {
        "in": "$r/assignees/*", "as": "a", "check": {"assert": {
            "that": {"holds": {"person": "$a/person_id", "role": "$r/id", "on": {"as_of": true}}},
            "message": "{$a/person_id} does not hold {$r/id} on the evaluation date"}}}}}});
    let engine = engine(vec![rule("T-HOLDS", rule_of)]);
    let steps_of = |n: usize| {
        let (report, steps) = engine
            .evaluate_with_steps(&owners_model(1, n, 0), &options(10_000, 1 << 40))
            .unwrap();
        let r = report.rule("T-HOLDS").unwrap();
        // Those whose assignment ended on 2025-06-30 (every other one) do not hold it.
        assert_eq!((r.status, r.findings_total), (Status::Fail, n / 2));
        assert_eq!(
            r.findings[0].message,
            "p-0 does not hold r-0 on the evaluation date"
        );
        steps.rules["T-HOLDS"]
    };
    let (small, large) = (steps_of(200), steps_of(800));
    // Four times the assignees: about four times the steps (and a logarithm), not sixteen.
    let ratio = large as f64 / small as f64;
    assert!(ratio < 5.0, "{small} {large}");
}

#[test]
fn period_gaps_counts_a_step_per_period_walked() {
    // A daily cadence from `since` to the evaluation date: 1,000 periods walked cost at
    // least 990 steps more than 10.
    let engine = engine(vec![rule(
        "T-GAPS",
        json!({"assert": {"that": {"exists": {"period_gaps": {"start": "/aims/since",
            "cadence": {"const": {"every": 1, "unit": "day"}}, "dates": "/nothing/*",
            "grace": false}}}, "message": "m"}}),
    )]);
    let steps_since = |since: &str| {
        let model = Model::from_value(json!({"schema_version": "1.0",
            "aims": {"since": since}}))
        .unwrap();
        let (_, steps) = engine
            .evaluate_with_steps(&model, &options(10, 1 << 40))
            .unwrap();
        steps.rules["T-GAPS"]
    };
    // AS_OF is 2026-06-30: 10 and 1,000 days before it.
    let (few, many) = (steps_since("2026-06-20"), steps_since("2023-10-04"));
    assert!(many - few >= 990, "{few} {many}");
}
