//! End-to-end tests of the `aimscheck` binary: exit codes, stdout and stderr.

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
use std::path::Path;
use std::process::Output;

/// `check` on a model text as of AS_OF.
fn check_text(model: &str) -> (Tmp, Output) {
    let f = Tmp::file("model.json", model);
    let o = run(&["check", f.path(), "--as-of", AS_OF]);
    (f, o)
}

const EMPTY_MODEL: &str = r#"{"schema_version": "1.0"}"#;

/// A pack with one medium rule that fails when the organization has no name.
fn medium_pack() -> Tmp {
    Tmp::dir(
        "pack",
        &[
            (
                "pack.json",
                r#"{"id": "cli-test", "version": "1.0.0", "title": "CLI test pack"}"#,
            ),
            (
                "rules.json",
                r#"{"rules": [{
                    "id": "TEST-ORG-01", "title": "The organization is named",
                    "clause_refs": ["4.1"], "aspect": "establish", "severity": "medium",
                    "tiers": ["startup", "scaleup", "enterprise"],
                    "rationale": "An AIMS belongs to a named organization.",
                    "remediation": "Set organization.name.",
                    "check": {"assert": {"that": {"exists": "/organization/name"},
                                         "message": "the organization has no name"}}
                }]}"#,
            ),
        ],
    )
}

// ---- bad input: exit 2, a code on stderr, nothing on stdout ----

#[test]
fn not_json_is_a_syntax_error_with_line_and_column() {
    let (f, o) = check_text("{\n  \"schema_version\": \"1.0\",\n  oops\n}\n");
    let err = assert_input_error(&o, "AIMS-E-SYNTAX");
    assert!(
        err.contains(&format!("  --> {}:3:3", f.path())),
        "no FILE:LINE:COLUMN: {err}"
    );
}

#[test]
fn an_empty_file_is_reported_as_empty() {
    let (_f, o) = check_text("");
    assert_input_error(&o, "AIMS-E-EMPTY");
    let (_f, o) = check_text("  \n\t\n");
    assert_input_error(&o, "AIMS-E-EMPTY");
}

#[test]
fn a_schema_violation_is_reported_with_its_pointer() {
    let (f, o) = check_text(r#"{"schema_version": "1.0", "processes": "x"}"#);
    let err = assert_input_error(&o, "AIMS-E-SCHEMA");
    assert!(err.contains(&format!("  --> {}:1:", f.path())), "{err}");
    assert!(err.contains(" at /processes"), "{err}");
}

#[test]
fn an_unknown_clause_is_reported_with_its_pointer() {
    let (f, o) = check_text(
        "{\n  \"schema_version\": \"1.0\",\n  \"processes\": [\n    {\"id\": \"p1\", \"clause_refs\": [\"4.4\", \"99.9\"]}\n  ]\n}\n",
    );
    let err = assert_input_error(&o, "AIMS-E-UNKNOWN-CLAUSE");
    assert!(err.contains("99.9"), "{err}");
    assert!(
        err.contains(&format!("  --> {}:4:", f.path())),
        "no line: {err}"
    );
    assert!(err.contains(" at /processes/0/clause_refs/1"), "{err}");
}

#[test]
fn a_duplicate_process_id_is_reported() {
    let (_f, o) =
        check_text(r#"{"schema_version": "1.0", "processes": [{"id": "p1"}, {"id": "p1"}]}"#);
    let err = assert_input_error(&o, "AIMS-E-DUPLICATE-ID");
    assert!(err.contains(" at /processes/1/id"), "{err}");
}

#[test]
fn an_impossible_date_is_reported() {
    let (_f, o) =
        check_text(r#"{"schema_version": "1.0", "aims": {"established_on": "2025-02-30"}}"#);
    let err = assert_input_error(&o, "AIMS-E-DATE");
    assert!(err.contains("2025-02-30"), "{err}");
    assert!(err.contains(" at /aims/established_on"), "{err}");
}

#[test]
fn every_issue_of_a_model_is_listed() {
    let (_f, o) = check_text(
        r#"{"schema_version": "1.0", "aims": {"established_on": "2025-02-30"},
            "processes": [{"id": "p1", "clause_refs": ["99.9"]}, {"id": "p1"}]}"#,
    );
    let err = stderr(&o);
    assert_eq!(code(&o), 2);
    for c in [
        "AIMS-E-DATE",
        "AIMS-E-UNKNOWN-CLAUSE",
        "AIMS-E-DUPLICATE-ID",
    ] {
        assert!(err.contains(&format!("error[{c}]")), "{c} missing: {err}");
    }
}

#[test]
fn invalid_utf8_is_an_error_with_a_code() {
    let f = Tmp::file(
        "latin1.json",
        b"{\"schema_version\": \"1.0\", \"x_name\": \"caf\xe9\"}",
    );
    let o = run(&["check", f.path(), "--as-of", AS_OF]);
    assert_input_error(&o, "AIMS-E-SYNTAX");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (_f, o) = check_text(&text);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("error[AIMS-E-"), "{}", stderr(&o));
}

#[test]
fn a_non_object_model_is_a_schema_error() {
    for text in ["[]", "42", "null", "\"model\""] {
        let (_f, o) = check_text(text);
        assert_input_error(&o, "AIMS-E-SCHEMA");
    }
}

#[test]
fn a_missing_file_is_an_io_error() {
    let missing = Tmp::unique("does-not-exist.json");
    let o = run(&["check", missing.to_str().unwrap(), "--as-of", AS_OF]);
    let err = assert_input_error(&o, "AIMS-E-IO");
    assert!(err.contains(missing.to_str().unwrap()), "{err}");
    let o = run(&["validate", missing.to_str().unwrap()]);
    assert_input_error(&o, "AIMS-E-IO");
}

#[test]
fn a_directory_without_models_is_an_io_error() {
    let d = Tmp::dir("not-a-model", &[]);
    let o = run(&["check", d.path(), "--as-of", AS_OF]);
    assert_input_error(&o, "AIMS-E-IO");
}

#[test]
fn a_bad_as_of_is_an_options_error() {
    let f = Tmp::file("model.json", EMPTY_MODEL);
    for bad in ["2026-02-30", "30/06/2026", "tomorrow", "2026-6-30", ""] {
        let o = run(&["check", f.path(), "--as-of", bad]);
        let err = assert_input_error(&o, "AIMS-E-OPTIONS");
        assert!(err.contains(bad), "{err}");
    }
}

#[test]
fn bad_options_and_usage_exit_2() {
    let f = Tmp::file("model.json", EMPTY_MODEL);
    for args in [
        vec!["check", f.path(), "--tier", "huge"],
        vec!["check", f.path(), "--profile", "strict"],
        vec!["check", f.path(), "--format", "xml"],
        vec!["check", f.path(), "--fail-on", "never"],
        vec!["check", f.path(), "--no-default-rules"],
        vec!["check"],
        vec!["frobnicate"],
        vec!["rules"],
        vec![],
    ] {
        let o = run(&args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?} wrote to stdout");
        assert!(!o.stderr.is_empty(), "{args:?} explained nothing");
    }
}

#[test]
fn help_and_version_exit_0() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["check", "--help"],
        &["rules", "list", "--help"],
    ] {
        let o = run(args);
        assert_eq!(code(&o), 0, "{args:?}");
        assert!(stdout(&o).contains("Usage"), "{args:?}");
    }
    let o = run(&["--version"]);
    assert_eq!(code(&o), 0);
    assert_eq!(
        stdout(&o).trim(),
        format!("aimscheck {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_broken_rule_pack_is_exit_2_with_file() {
    let pack = Tmp::dir(
        "broken-pack",
        &[
            (
                "pack.json",
                r#"{"id": "broken", "version": "1.0.0", "title": "Broken"}"#,
            ),
            ("rules.json", "{\"rules\": [\n  {\"id\": \n"),
        ],
    );
    let f = Tmp::file("model.json", EMPTY_MODEL);
    let o = run(&["check", f.path(), "--as-of", AS_OF, "--rules", pack.path()]);
    let err = assert_input_error(&o, "AIMS-E-PACK-SYNTAX");
    assert!(err.contains("rules.json"), "{err}");
    let o = run(&["rules", "list", "--rules", pack.path()]);
    assert_input_error(&o, "AIMS-E-PACK-SYNTAX");
    let missing = Tmp::unique("no-pack");
    let o = run(&["rules", "list", "--rules", missing.to_str().unwrap()]);
    assert_input_error(&o, "AIMS-E-PACK-IO");
}

#[test]
fn loading_a_pack_twice_is_a_duplicate_rule_error() {
    let pack = medium_pack();
    let o = run(&[
        "rules",
        "list",
        "--rules",
        pack.path(),
        "--rules",
        pack.path(),
    ]);
    assert_input_error(&o, "AIMS-E-PACK-DUPLICATE");
}

// ---- check ----

#[test]
fn check_json_prints_only_the_report_with_the_given_as_of() {
    let f = Tmp::file("model.json", EMPTY_MODEL);
    let o = run(&["check", f.path(), "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let report = json(&o);
    assert_eq!(report["as_of"], AS_OF);
    assert_eq!(report["verdict"], "nonconformant");
    assert_eq!(report["tier_source"], "default");
    assert!(stdout(&o).ends_with("}\n"));
    assert!(
        !stderr(&o).contains("note:"),
        "no note when --as-of is given"
    );
    // Same inputs, same bytes.
    let again = run(&["check", f.path(), "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(o.stdout, again.stdout);
}

#[test]
fn check_json_report_matches_the_published_schema_shape() {
    let f = Tmp::file(
        "model.json",
        r#"{"schema_version": "1.0", "organization": {"name": "Acme", "size_tier": "scaleup"}}"#,
    );
    let o = run(&[
        "check",
        f.path(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--tier",
        "enterprise",
        "--profile",
        "certification",
    ]);
    let report = json(&o);
    assert_eq!(report["tier"], "enterprise");
    assert_eq!(report["tier_source"], "option");
    assert_eq!(report["profile"], "certification");
    assert_eq!(report["model"]["organization"], "Acme");
    for k in [
        "pass",
        "fail",
        "insufficient_evidence",
        "not_applicable",
        "waived",
        "error",
    ] {
        assert!(report["summary"]["by_status"][k].is_u64(), "{k}");
    }
}

#[test]
fn check_without_as_of_uses_today_and_says_so() {
    let f = Tmp::file("model.json", EMPTY_MODEL);
    let o = run(&["check", f.path(), "--format", "json"]);
    let err = stderr(&o);
    let prefix = "note: --as-of not given; evaluating as of ";
    let line = err.lines().find(|l| l.starts_with(prefix)).expect(&err);
    let date = line
        .strip_prefix(prefix)
        .and_then(|r| r.strip_suffix(" (today)"))
        .expect(line);
    assert!(
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
        "{date}"
    );
    assert_eq!(json(&o)["as_of"], date);
}

#[test]
fn check_reads_standard_input() {
    let o = run_stdin(
        &["check", "-", "--as-of", AS_OF, "--format", "json"],
        EMPTY_MODEL.as_bytes(),
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(json(&o)["as_of"], AS_OF);
    let o = run_stdin(&["check", "-", "--as-of", AS_OF], b"{");
    let err = assert_input_error(&o, "AIMS-E-SYNTAX");
    assert!(err.contains("<stdin>"), "{err}");
    let o = run_stdin(&["validate", "-"], EMPTY_MODEL.as_bytes());
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).starts_with("valid: <stdin> (schema_version 1.0, digest sha256:"));
}

#[test]
fn check_text_has_summary_groups_findings_and_remediation() {
    let (f, o) = check_text(EMPTY_MODEL);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    let mut lines = out.lines();
    let first = lines.next().unwrap();
    assert_eq!(
        first,
        format!(
            "aimscheck {}: {} as of {AS_OF}, tier startup (default), profile tier",
            env!("CARGO_PKG_VERSION"),
            f.path()
        )
    );
    let counts = lines.next().unwrap();
    let names: Vec<&str> = counts
        .split(", ")
        .map(|part| {
            let (name, n) = part.split_once(' ').expect(counts);
            assert!(n.parse::<usize>().is_ok(), "{counts}");
            name
        })
        .collect();
    assert_eq!(
        names,
        [
            "pass",
            "fail",
            "insufficient_evidence",
            "not_applicable",
            "waived",
            "error"
        ]
    );
    let verdict = lines.next().unwrap();
    assert_eq!(
        verdict,
        "verdict: nonconformant (AIMS, every rule: non_compliant, major_nonconformity)"
    );
    assert_eq!(
        lines.next().unwrap(),
        "Grades are indicative: a certification body grades nonconformities."
    );
    assert_eq!(lines.next().unwrap(), "");
    assert!(
        lines.next().unwrap().starts_with("fix first: "),
        "no fix-first section: {out}"
    );
    assert!(
        out.contains("\n  4.4 AI management system: non_compliant, major_nonconformity\n"),
        "no roll-up of 4.4: {out}"
    );
    assert!(!out.contains("clause 4.4:"), "{out}");
    assert!(
        out.contains("\nFAIL AIMS-PROC-01 [critical] The processes the AIMS needs exist and are active (clause 4.4)\n"),
        "{out}"
    );
    assert!(out.contains("    /processes"), "no finding line: {out}");
    assert!(out.contains("    remediation: "), "{out}");
    assert!(!out.contains('\x1b'), "colour on a pipe: {out:?}");
}

/// (clause, "result[, grade]") as the text prints a clause.
type ClauseLine = (String, String);

/// The roll-up lines of the text (`CLAUSE Title: result[, grade]`), from the clause groups and
/// from the `clause roll-up:` section, as (clause, "result[, grade]").
fn text_clause_lines(out: &str, clauses: &[Value]) -> (Vec<ClauseLine>, Vec<ClauseLine>) {
    let titled = |line: &str| -> Option<ClauseLine> {
        clauses.iter().find_map(|c| {
            let head = format!("{} {}: ", c["clause"].as_str()?, c["title"].as_str()?);
            line.strip_prefix(&head)
                .map(|rest| (c["clause"].as_str().unwrap().to_owned(), rest.to_owned()))
        })
    };
    let (body, rollup) = out.split_once("\nclause roll-up:\n").expect(out);
    let groups = body.lines().filter_map(titled).collect();
    let section = rollup
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| titled(&l[2..]).unwrap_or_else(|| panic!("not a clause line: {l}")))
        .collect();
    (groups, section)
}

fn json_result(c: &Value) -> String {
    match c.get("grade").and_then(Value::as_str) {
        Some(g) => format!("{}, {g}", c["result"].as_str().unwrap()),
        None => c["result"].as_str().unwrap().to_owned(),
    }
}

#[test]
fn check_text_header_and_clause_sections_agree_with_the_report() {
    for model in [example("gaps.json"), example("startup.json")] {
        let text = stdout(&run(&["check", &model, "--as-of", AS_OF]));
        let report = json(&run(&[
            "check", &model, "--as-of", AS_OF, "--format", "json",
        ]));
        let clauses = report["clauses"].as_array().unwrap();
        // The header names the AIMS's result over every rule, never a clause's.
        let header = text.lines().nth(2).unwrap();
        assert_eq!(
            header,
            format!(
                "verdict: {} (AIMS, every rule: {})",
                report["verdict"].as_str().unwrap(),
                json_result(&report["aims"])
            )
        );
        assert!(
            text.contains(
                "\nGrades are indicative: a certification body grades nonconformities.\n"
            )
        );
        // Each clause group and the roll-up section say what the report's clause says.
        let (groups, section) = text_clause_lines(&text, clauses);
        let expected: Vec<ClauseLine> = clauses
            .iter()
            .map(|c| (c["clause"].as_str().unwrap().to_owned(), json_result(c)))
            .collect();
        assert_eq!(section, expected, "{model}");
        for g in &groups {
            assert!(expected.contains(g), "{model}: group {g:?}");
        }
        // Neither example has a rule in error or lacking evidence: its failing rules are all
        // under `fix first:`, and no clause heads a group.
        assert!(groups.is_empty(), "{model}: {groups:?}");
    }
}

/// The failing rules of examples/gaps.json as of 2026-06-30 in the order to fix them, worked
/// out by hand from each rule's severity and first clause: the critical rules by first clause
/// (4.4, 6.1.2, 6.1.3, 6.1.4, 7.5.1, 8.1, 9.2.1, 9.3.1), then the high ones (4.1; six at 4.4
/// by id; 6.1.3 twice; 7.2; 7.5.2; 8.2; 9.1; 9.2.2 twice; 10.2 four times), then the medium
/// ones (4.4 twice, 7.2, 7.5, 10.1).
const GAPS_FIX_FIRST: [(&str, &str, &str); 32] = [
    ("AIMS-PROC-01", "critical", "(clause 4.4)"),
    ("AIMS-RISK-02", "critical", "(clauses 6.1.2, 8.2)"),
    ("AIMS-RISK-07", "critical", "(clause 6.1.3)"),
    ("AIMS-RISK-03", "critical", "(clauses 6.1.4, 8.4, A.5)"),
    ("AIMS-DOC-01", "critical", "(clause 7.5.1)"),
    (
        "AIMS-RISK-04",
        "critical",
        "(clauses 8.1, 8.2, 8.4, A.6.2.5)",
    ),
    ("AIMS-AUD-02", "critical", "(clauses 9.2.1, 9.2.2)"),
    ("AIMS-MR-01", "critical", "(clause 9.3.1)"),
    ("AIMS-CTX-01", "high", "(clause 4.1)"),
    ("AIMS-OPS-01", "high", "(clauses 4.4, 8.1)"),
    ("AIMS-PROC-02", "high", "(clauses 4.4, 5.3)"),
    ("AIMS-PROC-03", "high", "(clauses 4.4, 7.5.1)"),
    ("AIMS-PROC-04", "high", "(clauses 4.4, 7.5.3)"),
    ("AIMS-PROC-05", "high", "(clause 4.4)"),
    (
        "AIMS-PROC-06",
        "high",
        "(clauses 4.4, 6.1.2, 6.1.4, 9.3.2, 10.1)",
    ),
    ("AIMS-RISK-06", "high", "(clauses 6.1.3, 8.3)"),
    ("AIMS-RISK-09", "high", "(clauses 6.1.3, 8.3)"),
    ("AIMS-SUP-02", "high", "(clauses 7.2, A.4.6)"),
    ("AIMS-DOC-03", "high", "(clauses 7.5.2, A.2.4)"),
    ("AIMS-RISK-05", "high", "(clauses 8.2, 8.4, 6.3)"),
    ("AIMS-MON-01", "high", "(clause 9.1)"),
    ("AIMS-AUD-01", "high", "(clause 9.2.2)"),
    ("AIMS-AUD-03", "high", "(clause 9.2.2)"),
    ("AIMS-NC-01", "high", "(clause 10.2)"),
    ("AIMS-NC-02", "high", "(clauses 10.2, 9.3.3)"),
    ("AIMS-NC-03", "high", "(clause 10.2)"),
    ("AIMS-NC-04", "high", "(clause 10.2)"),
    ("AIMS-PROC-07", "medium", "(clause 4.4)"),
    ("AIMS-PROC-08", "medium", "(clauses 4.4, 5.1, 8.1)"),
    ("AIMS-SUP-01", "medium", "(clauses 7.2, 7.3)"),
    ("AIMS-OPS-02", "medium", "(clauses 7.5, 9.1)"),
    ("AIMS-CI-01", "medium", "(clauses 10.1, 9.3.3)"),
];

#[test]
fn check_text_prints_the_failing_rules_in_fix_first_order() {
    let gaps = example("gaps.json");
    let text = stdout(&run(&["check", &gaps, "--as-of", AS_OF]));
    let (_, section) = text
        .split_once("\nfix first: 32 failing rules, the most severe first, then by clause\n")
        .expect(&text);
    let section = section.split("\n\n").next().unwrap();
    let heads: Vec<&str> = section.lines().filter(|l| l.starts_with("FAIL ")).collect();
    assert_eq!(heads.len(), GAPS_FIX_FIRST.len(), "{section}");
    for (line, (id, severity, clauses)) in heads.iter().zip(GAPS_FIX_FIRST) {
        assert!(
            line.starts_with(&format!("FAIL {id} [{severity}] ")) && line.ends_with(clauses),
            "{line} is not {id} [{severity}] … {clauses}"
        );
    }
    // The JSON report lists the same ids in the same order.
    let report = json(&run(&[
        "check", &gaps, "--as-of", AS_OF, "--format", "json",
    ]));
    let ids: Vec<&str> = report["fix_first"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let expected: Vec<&str> = GAPS_FIX_FIRST.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(ids, expected);
}

#[test]
fn check_text_groups_the_other_rules_needing_attention_by_clause() {
    // A startup with an undated nonconformity: AIMS-NC-04 (high, 10.2) lacks evidence, and
    // the rules of an empty AIMS fail.
    let (_, o) = check_text(
        r#"{"schema_version": "1.0", "organization": {"name": "Undated Co", "size_tier": "startup"},
            "nonconformities": [{"id": "nc-1", "source": "internal_audit", "grade": "minor",
                                 "status": "open"}]}"#,
    );
    let out = stdout(&o);
    let blocks: Vec<&str> = out.split("\n\n").collect();
    let failures = blocks
        .iter()
        .find(|b| b.starts_with("fix first: "))
        .expect(&out);
    assert!(!failures.contains("INSUFFICIENT"), "{out}");
    // After the failures, under a heading of their own, by clause.
    let heading = blocks
        .iter()
        .position(|b| *b == "in error or lacking evidence, by clause:")
        .expect(&out);
    let group = blocks
        .iter()
        .skip(heading)
        .find(|b| b.starts_with("10.2 Nonconformity and corrective action: "))
        .expect(&out);
    assert!(
        group.contains("\nINSUFFICIENT AIMS-NC-04 [high] "),
        "{group}"
    );
    assert!(!group.contains("FAIL "), "{group}");
}

#[test]
fn check_text_tells_the_aims_from_clause_4_4() {
    // The embedded pack off, a pack whose one medium rule (clause 4.1) fails: the AIMS is
    // partially compliant, and no line speaks of clause 4.4.
    let pack = medium_pack();
    let f = Tmp::file("model.json", EMPTY_MODEL);
    let o = run(&[
        "check",
        f.path(),
        "--as-of",
        AS_OF,
        "--rules",
        pack.path(),
        "--no-default-rules",
    ]);
    let out = stdout(&o);
    assert!(
        out.contains(
            "verdict: nonconformant (AIMS, every rule: partially_compliant, observation_sensitive_point)\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("\n  4.1 Understanding the organization and its context: partially_compliant, observation_sensitive_point\n"),
        "{out}"
    );
    assert!(!out.contains("4.4"), "{out}");
}

#[test]
fn check_text_names_the_organization() {
    let (_f, o) = check_text(
        r#"{"schema_version": "1.0", "organization": {"name": "Acme AI", "size_tier": "scaleup"}}"#,
    );
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!(
            "aimscheck {}: Acme AI as of {AS_OF}, tier scaleup (model), profile tier\n",
            env!("CARGO_PKG_VERSION")
        )),
        "{out}"
    );
}

#[test]
fn check_text_marks_entities_of_findings() {
    let (_f, o) = check_text(
        r#"{"schema_version": "1.0",
            "processes": [{"id": "p-risk", "name": "Risk", "clause_refs": ["6.1.2"],
                           "status": "active", "owner_role_id": "r-nobody"}]}"#,
    );
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(
        out.contains(" (p-risk): "),
        "no entity id on a finding: {out}"
    );
}

// ---- exit codes and --fail-on ----

#[test]
fn fail_on_critical_still_fails_a_critical_rule() {
    // An empty model fails AIMS-PROC-01 (critical) at startup: no processes exist.
    let f = Tmp::file("model.json", EMPTY_MODEL);
    for level in ["critical", "high", "medium", "low"] {
        let o = run(&[
            "check",
            f.path(),
            "--as-of",
            AS_OF,
            "--tier",
            "startup",
            "--fail-on",
            level,
            "--format",
            "json",
        ]);
        assert_eq!(code(&o), 1, "--fail-on {level}");
        let report = json(&o);
        let proc01 = report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "AIMS-PROC-01")
            .expect("AIMS-PROC-01 is in the report");
        assert_eq!(proc01["status"], "fail");
        assert_eq!(proc01["severity"], "critical");
    }
}

#[test]
fn fail_on_sets_the_threshold() {
    // Only a medium rule fails: exit 1 at medium and low, 0 at high and critical.
    let pack = medium_pack();
    let f = Tmp::file("model.json", EMPTY_MODEL);
    for (level, expected) in [("critical", 0), ("high", 0), ("medium", 1), ("low", 1)] {
        let o = run(&[
            "check",
            f.path(),
            "--as-of",
            AS_OF,
            "--no-default-rules",
            "--rules",
            pack.path(),
            "--fail-on",
            level,
        ]);
        assert_eq!(code(&o), expected, "--fail-on {level}: {}", stderr(&o));
        assert!(stdout(&o).contains("FAIL TEST-ORG-01 [medium] The organization is named"));
    }
    // Default --fail-on is low.
    let o = run(&[
        "check",
        f.path(),
        "--as-of",
        AS_OF,
        "--no-default-rules",
        "--rules",
        pack.path(),
    ]);
    assert_eq!(code(&o), 1);
    // A model that passes exits 0.
    let named = Tmp::file(
        "named.json",
        r#"{"schema_version": "1.0", "organization": {"name": "Acme"}}"#,
    );
    let o = run(&[
        "check",
        named.path(),
        "--as-of",
        AS_OF,
        "--no-default-rules",
        "--rules",
        pack.path(),
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let report = json(&o);
    assert_eq!(report["verdict"], "conformant");
    assert_eq!(report["rule_packs"].as_array().unwrap().len(), 1);
    assert_eq!(report["rule_packs"][0]["id"], "cli-test");
}

#[test]
fn extra_packs_are_added_to_the_default_one() {
    let pack = medium_pack();
    let f = Tmp::file("model.json", EMPTY_MODEL);
    let o = run(&[
        "check",
        f.path(),
        "--as-of",
        AS_OF,
        "--rules",
        pack.path(),
        "--format",
        "json",
    ]);
    let report = json(&o);
    let ids: Vec<&str> = report["rule_packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["iso42001-4.4", "cli-test"]);
}

// ---- validate ----

#[test]
fn validate_accepts_a_valid_model() {
    let f = Tmp::file("model.json", EMPTY_MODEL);
    let o = run(&["validate", f.path()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!(
            "valid: {} (schema_version 1.0, digest sha256:",
            f.path()
        )),
        "{out}"
    );
    let o = run(&["validate", f.path(), "--format", "json"]);
    assert_eq!(code(&o), 0);
    let v = json(&o);
    assert_eq!(v["valid"], true);
    assert!(v["digest"].as_str().unwrap().starts_with("sha256:"));
}

#[test]
fn validate_rejects_an_invalid_model() {
    let f = Tmp::file(
        "model.json",
        r#"{"schema_version": "1.0", "processes": "x"}"#,
    );
    let o = run(&["validate", f.path()]);
    assert_input_error(&o, "AIMS-E-SCHEMA");
    let o = run(&["validate", f.path(), "--format", "json"]);
    assert_eq!(code(&o), 2);
    let v = json(&o);
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["code"], "AIMS-E-SCHEMA");
    assert_eq!(v["errors"][0]["pointer"], "/processes");
}

// ---- rules list ----

#[test]
fn rules_list_json_is_an_array_of_rule_metadata() {
    let o = run(&["rules", "list", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rules = json(&o);
    let rules = rules.as_array().expect("an array");
    assert!(!rules.is_empty());
    for r in rules {
        for k in [
            "id",
            "title",
            "clause_refs",
            "severity",
            "tiers",
            "aspect",
            "pack",
        ] {
            assert!(r.get(k).is_some(), "rule lacks {k}: {r}");
        }
        for t in r["tiers"].as_array().unwrap() {
            assert!(
                ["startup", "scaleup", "enterprise"].contains(&t.as_str().unwrap()),
                "{t}"
            );
        }
    }
    assert!(rules.iter().any(|r| r["id"] == "AIMS-PROC-01"));
    // Pack 0.2: the 39 rules of groups A to G and the 14 of group H.
    assert_eq!(rules.len(), 53);
    for id in [
        "AIMS-PROC-10",
        "AIMS-AUD-03",
        "AIMS-SUP-03",
        "AIMS-LC-01",
        "AIMS-DATA-01",
    ] {
        assert!(rules.iter().any(|r| r["id"] == id), "{id}");
    }
}

#[test]
fn rules_list_text_and_extra_packs() {
    let pack = medium_pack();
    let o = run(&["rules", "list", "--rules", pack.path()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("AIMS-PROC-01 [critical] "), "{out}");
    assert!(
        out.contains("TEST-ORG-01 [medium] The organization is named"),
        "{out}"
    );
    assert!(out.contains("pack cli-test"), "{out}");
    let o = run(&[
        "rules",
        "list",
        "--no-default-rules",
        "--rules",
        pack.path(),
        "--format",
        "json",
    ]);
    let rules = json(&o);
    assert_eq!(rules.as_array().unwrap().len(), 1);
    assert_eq!(
        rules[0]["tiers"],
        serde_json::json!(["startup", "scaleup", "enterprise"])
    );
}

#[test]
fn a_model_path_that_is_a_pack_folder_file_is_not_confused() {
    // A rule-pack file given as a model is a schema error, not a crash.
    let pack = medium_pack();
    let rules = Path::new(pack.path()).join("rules.json");
    let o = run(&["check", rules.to_str().unwrap(), "--as-of", AS_OF]);
    assert_input_error(&o, "AIMS-E-SCHEMA");
}

// ---- --overlay ----

/// An overlay file with `text`.
fn overlay(text: &str) -> Tmp {
    Tmp::file("overlay.json", text)
}

#[test]
fn an_overlay_that_disables_the_failing_rule_changes_the_exit_code() {
    let pack = medium_pack();
    let f = Tmp::file("model.json", EMPTY_MODEL);
    let base = [
        "check",
        f.path(),
        "--as-of",
        AS_OF,
        "--no-default-rules",
        "--rules",
        pack.path(),
    ];
    let o = run(&base);
    assert_eq!(code(&o), 1, "{}", stderr(&o));

    let off = overlay(r#"{"disable": ["TEST-ORG-01"]}"#);
    let o = run(&[&base[..], &["--overlay", off.path(), "--format", "json"]].concat());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let report = json(&o);
    assert_eq!(
        report["overlay"]["disable"],
        serde_json::json!(["TEST-ORG-01"])
    );
    assert_eq!(report["rules"][0]["status"], "not_applicable");
    assert_eq!(report["rules"][0]["reason"], "disabled by the overlay");
    assert_eq!(report["verdict"], "conformant");

    // Lowering the severity below --fail-on also turns exit 1 into 0.
    let low = overlay(r#"{"severity": {"TEST-ORG-01": "low"}}"#);
    let o = run(&[&base[..], &["--overlay", low.path(), "--fail-on", "medium"]].concat());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("\noverlay: severity TEST-ORG-01 low\n"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("FAIL TEST-ORG-01 [low] "),
        "{}",
        stdout(&o)
    );
    let o = run(&[&base[..], &["--fail-on", "medium"]].concat());
    assert_eq!(code(&o), 1);
}

#[test]
fn an_overlay_naming_an_unknown_rule_is_exit_2_with_file_and_pointer() {
    let bad = overlay("{\"disable\": [\n  \"AIMS-NOPE-01\"\n]}\n");
    let f = Tmp::file("model.json", EMPTY_MODEL);
    for args in [
        vec!["check", f.path(), "--as-of", AS_OF, "--overlay", bad.path()],
        vec!["rules", "list", "--overlay", bad.path()],
    ] {
        let o = run(&args);
        let err = assert_input_error(&o, "AIMS-E-PACK-OPERATOR");
        assert!(err.contains("AIMS-NOPE-01"), "{err}");
        assert!(
            err.contains(&format!("  --> {}:2:3 at /disable/0", bad.path())),
            "{args:?}: {err}"
        );
    }
    let bad = overlay(r#"{"severity": {"AIMS-PROC-01": "urgent"}}"#);
    let o = run(&["check", f.path(), "--as-of", AS_OF, "--overlay", bad.path()]);
    let err = assert_input_error(&o, "AIMS-E-PACK-SCHEMA");
    assert!(err.contains(&format!("  --> {}:1:", bad.path())), "{err}");
    let missing = Tmp::unique("no-overlay.json");
    let o = run(&[
        "check",
        f.path(),
        "--as-of",
        AS_OF,
        "--overlay",
        missing.to_str().unwrap(),
    ]);
    let err = assert_input_error(&o, "AIMS-E-IO");
    assert!(err.contains(missing.to_str().unwrap()), "{err}");
}

#[test]
fn rules_list_shows_the_overlay() {
    let o = overlay(r#"{"disable": ["AIMS-PROC-02"], "severity": {"AIMS-PROC-01": "low"}}"#);
    let out = run(&["rules", "list", "--overlay", o.path()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("AIMS-PROC-01 [low (overlay; pack critical)] "),
        "{text}"
    );
    let line = text
        .lines()
        .find(|l| l.starts_with("AIMS-PROC-02 "))
        .expect(&text);
    assert!(line.ends_with(" (disabled by the overlay)"), "{line}");
    let out = run(&["rules", "list", "--overlay", o.path(), "--format", "json"]);
    let rules = json(&out);
    let find = |id: &str| {
        rules
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(find("AIMS-PROC-01")["severity"], "low");
    assert_eq!(find("AIMS-PROC-02")["disabled"], true);
    assert!(find("AIMS-PROC-03").get("disabled").is_none());
    // The members in the order of the list without an overlay, `disabled` last.
    let text = stdout(&out);
    let proc02 = &text[text.find(r#"    "id": "AIMS-PROC-02""#).unwrap()..];
    let proc02 = &proc02[..proc02.find("\n  }").unwrap()];
    let keys: Vec<&str> = proc02
        .lines()
        .filter_map(|l| l.strip_prefix("    \""))
        .filter_map(|l| l.split('"').next())
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "title",
            "clause_refs",
            "aspect",
            "severity",
            "tiers",
            "rationale",
            "remediation",
            "pack",
            "example",
            "disabled"
        ],
        "{proc02}"
    );
}

#[test]
fn max_findings_and_max_steps_take_the_bindings_names_too() {
    let gaps = example("gaps.json");
    let short = run(&[
        "check",
        &gaps,
        "--format",
        "json",
        "--as-of",
        "2026-06-30",
        "--max-findings",
        "1",
        "--max-steps",
        "100000",
    ]);
    let long = run(&[
        "check",
        &gaps,
        "--format",
        "json",
        "--as-of",
        "2026-06-30",
        "--max-findings-per-rule",
        "1",
        "--max-steps-per-rule",
        "100000",
    ]);
    assert_eq!(code(&short), 1, "{}", stderr(&short));
    assert_eq!(stdout(&short), stdout(&long));
    let report = json(&long);
    assert!(
        report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["findings"].as_array().unwrap().len() <= 1)
    );
}

// ---- text output: indicators, waivers, exceptions ----

/// Two active processes whose owner roles do not exist (AIMS-PROC-04 fails twice), two
/// nonconformities, and two exceptions: ex-1 waives AIMS-PROC-04, ex-2 has expired.
const WAIVED_MODEL: &str = r#"{
  "schema_version": "1.0",
  "organization": {"name": "Waiver Co", "size_tier": "startup"},
  "roles": [{"id": "r-ceo", "name": "CEO", "aims_duties": ["top_management"]}],
  "processes": [
    {"id": "p1", "name": "Risk", "clause_refs": ["6.1.2"], "status": "active", "owner_role_id": "r-gone"},
    {"id": "p2", "name": "Docs", "clause_refs": ["7.5"], "status": "active", "owner_role_id": "r-lost"}
  ],
  "nonconformities": [
    {"id": "nc-1", "source": "internal_audit", "grade": "minor", "detected_on": "2026-02-01"},
    {"id": "nc-2", "source": "monitoring", "grade": "minor", "detected_on": "2026-03-01"}
  ],
  "exceptions": [
    {"id": "ex-1", "rule_id": "AIMS-PROC-04", "justification": "roles are being re-created after the merger",
     "approved_by": "r-ceo", "approved_on": "2026-06-01", "expires_on": "2026-09-30"},
    {"id": "ex-2", "rule_id": "AIMS-PROC-01", "justification": "last year's waiver",
     "approved_by": "r-ceo", "approved_on": "2025-06-01", "expires_on": "2025-09-30"}
  ]
}"#;

#[test]
fn check_text_shows_indicators_waived_rules_and_idle_exceptions() {
    let f = Tmp::file("model.json", WAIVED_MODEL);
    let o = run(&["check", f.path(), "--as-of", AS_OF]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    let report = json(&run(&[
        "check",
        f.path(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]));

    // One line per indicator, after the failing rules.
    let section = out
        .split_once("\nindicators:\n")
        .map(|(before, after)| {
            assert!(before.contains("FAIL AIMS-PROC-01 "), "{out}");
            after
        })
        .expect(&out);
    let indicators = report["indicators"].as_array().unwrap();
    assert!(!indicators.is_empty());
    let mut seen_kinds = Vec::new();
    for i in indicators {
        let title = i["title"].as_str().unwrap();
        let unit = i["unit"].as_str().unwrap();
        let expected = match &i["value"] {
            Value::Null => "n/a (no data)".to_owned(),
            Value::Object(parts) if parts.is_empty() => "none".to_owned(),
            Value::Object(parts) => parts
                .iter()
                .map(|(k, v)| format!("{} {v}", k.replace('_', " ")))
                .collect::<Vec<_>>()
                .join(", "),
            // Ratios as whole percentages, the other units in words.
            v if unit == "ratio" => format!("{}%", (v.as_f64().unwrap() * 100.0).round()),
            v if unit == "per_system" => format!("{v} per AI system"),
            v => format!("{v} {unit}"),
        };
        seen_kinds.push(match &i["value"] {
            Value::Null => "null",
            Value::Object(_) => "breakdown",
            _ => "number",
        });
        let line = format!("  {title}: {expected}\n");
        assert!(section.contains(&line), "no line {line:?} in {section}");
    }
    assert!(seen_kinds.contains(&"null"), "{seen_kinds:?}");
    assert!(seen_kinds.contains(&"breakdown"), "{seen_kinds:?}");
    assert!(
        section.contains(": internal audit 1, monitoring 1\n"),
        "{section}"
    );

    // The waived rule, and the exception that waives nothing.
    assert!(
        out.contains("\n  WAIVED AIMS-PROC-04 by exception ex-1 (approved by r-ceo until 2026-09-30): roles are being re-created after the merger\n"),
        "{out}"
    );
    assert!(!out.contains("FAIL AIMS-PROC-04"), "{out}");
    assert!(
        out.contains("\n  exception ex-2 (/exceptions/1): exception ex-2 for AIMS-PROC-01 expired"),
        "{out}"
    );
    assert!(!out.contains("exception ex-1 (/exceptions/0)"), "{out}");
}

#[test]
fn a_partly_waived_rule_still_fails_and_says_so() {
    let model = WAIVED_MODEL.replace(
        r#""rule_id": "AIMS-PROC-04","#,
        r#""rule_id": "AIMS-PROC-04", "target": "p1","#,
    );
    let (_f, o) = check_text(&model);
    let out = stdout(&o);
    assert!(out.contains("FAIL AIMS-PROC-04 "), "{out}");
    assert!(
        out.contains("  PARTLY WAIVED AIMS-PROC-04 by exception ex-1 for p1 (approved by r-ceo until 2026-09-30): "),
        "{out}"
    );
}

// ---- rules explain ----

fn embedded_rule(id: &str) -> aimscheck::RuleMeta {
    aimscheck::RulePack::embedded()
        .unwrap()
        .rules()
        .find(|r| r.id == id)
        .unwrap()
        .clone()
}

#[test]
fn rules_explain_says_what_the_rule_checks_why_and_shows_its_example() {
    let meta = embedded_rule("AIMS-PROC-01");
    let o = run(&["rules", "explain", "AIMS-PROC-01"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!("AIMS-PROC-01 [critical] {}\n", meta.title)),
        "{out}"
    );
    for c in &meta.clause_refs {
        let title = aimscheck::catalogue::title(c).unwrap();
        assert!(out.contains(&format!("\n  {c} {title}\n")), "{c}: {out}");
    }
    assert!(out.contains("tiers startup, scaleup, enterprise"), "{out}");
    assert!(out.contains(&meta.rationale), "{out}");
    assert!(out.contains(&meta.remediation), "{out}");
    for (tier, form) in &meta.forms {
        assert!(out.contains(&format!("  {tier}: {form}\n")), "{out}");
    }
    let example = meta.example.as_ref().expect("AIMS-PROC-01 has an example");
    let as_of = example["as_of"].as_str().unwrap();
    assert!(
        out.contains(&format!("passing example (as of {as_of}, tier startup)")),
        "{out}"
    );
    for p in example["model"]["processes"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        assert!(out.contains(&format!("\"id\": \"{id}\"")), "{id}: {out}");
    }
    assert!(
        out.contains(&format!(
            "  aimscheck check example.json --as-of {as_of} --tier startup\n"
        )),
        "{out}"
    );

    // The "try it" line does what it says: the fragment passes the rule.
    let mut model = example["model"].clone();
    model["schema_version"] = Value::from("1.0");
    let f = Tmp::file("example.json", model.to_string());
    let o = run(&[
        "check",
        f.path(),
        "--as-of",
        as_of,
        "--tier",
        "startup",
        "--format",
        "json",
    ]);
    let report = json(&o);
    let rule = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "AIMS-PROC-01")
        .unwrap();
    assert_eq!(rule["status"], "pass", "{rule}");
}

#[test]
fn rules_explain_json_is_the_rule_metadata() {
    let o = run(&["rules", "explain", "AIMS-PROC-04", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(
        v,
        serde_json::to_value(embedded_rule("AIMS-PROC-04")).unwrap()
    );
    assert_eq!(v["id"], "AIMS-PROC-04");
    // Ids are matched without regard to case.
    let o = run(&["rules", "explain", "aims-proc-04", "--format", "json"]);
    assert_eq!(json(&o)["id"], "AIMS-PROC-04");
}

#[test]
fn rules_explain_of_an_unknown_id_names_the_nearest() {
    let o = run(&["rules", "explain", "AIMS-PROC-1"]);
    let err = assert_input_error(&o, "AIMS-E-UNKNOWN-RULE");
    assert!(err.contains("AIMS-PROC-1"), "{err}");
    assert!(err.contains("nearest: AIMS-PROC-01"), "{err}");
    let o = run(&["rules", "explain", "NOPE", "--format", "json"]);
    assert_input_error(&o, "AIMS-E-UNKNOWN-RULE");
}

#[test]
fn rules_explain_finds_rules_of_extra_packs() {
    let pack = medium_pack();
    let o = run(&["rules", "explain", "TEST-ORG-01", "--rules", pack.path()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("TEST-ORG-01 [medium] The organization is named\n"),
        "{out}"
    );
    assert!(out.contains("Set organization.name."), "{out}");
    assert!(out.contains("passing example: none in the pack"), "{out}");
    let o = run(&["rules", "explain", "TEST-ORG-01"]);
    assert_input_error(&o, "AIMS-E-UNKNOWN-RULE");
}

// ---- init ----

#[test]
fn init_writes_a_starter_model_that_loads_and_fails_what_is_left_to_fill_in() {
    for (tier, processes) in [("startup", 7), ("scaleup", 14), ("enterprise", 14)] {
        let out = Tmp::unique(&format!("init-{tier}.json"));
        let _cleanup = Tmp(out.clone());
        let path = out.to_str().unwrap();
        let o = run(&["init", "--tier", tier, "--output", path]);
        assert_eq!(code(&o), 0, "{tier}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
        assert!(
            stderr(&o).contains(&format!(
                "next: fill in roles, owners and procedures, then run: aimscheck check {path}\n"
            )),
            "{}",
            stderr(&o)
        );
        let model: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(model["schema_version"], "1.1");
        assert_eq!(model["organization"]["name"], "Your organization");
        assert_eq!(model["organization"]["size_tier"], tier);
        assert_eq!(model["aims"]["grace_days"], 14);
        for (_, months) in model["aims"]["planned_intervals"].as_object().unwrap() {
            assert_eq!(months, 12);
        }
        let procs = model["processes"].as_array().unwrap();
        assert_eq!(procs.len(), processes, "{tier}");
        for p in procs {
            assert_eq!(p["status"], "planned");
            for k in ["id", "name", "purpose"] {
                assert!(p[k].is_string(), "{p}");
            }
            assert!(!p["clause_refs"].as_array().unwrap().is_empty(), "{p}");
        }
        for k in ["roles", "people", "documents"] {
            assert_eq!(model[k], serde_json::json!([]), "{k}");
        }

        let o = run(&["validate", path]);
        assert_eq!(code(&o), 0, "{tier}: {}", stderr(&o));
        let o = run(&["check", path, "--as-of", AS_OF, "--format", "json"]);
        assert_eq!(code(&o), 1, "{tier}: {}", stderr(&o));
        let report = json(&o);
        assert_eq!(report["tier"], tier);
        assert_eq!(report["tier_source"], "model");
        let rules = report["rules"].as_array().unwrap();
        let proc01 = rules.iter().find(|r| r["id"] == "AIMS-PROC-01").unwrap();
        assert_eq!(proc01["status"], "fail");
        assert!(
            !rules.iter().any(|r| r["status"] == "error"),
            "a rule errs on the {tier} starter"
        );
    }
}

#[test]
fn migrate_rewrites_only_the_schema_version() {
    let text = std::fs::read_to_string(example("gaps.json")).unwrap();
    let src = Tmp::file("migrate-gaps.json", &text);
    let o = run(&["migrate", src.path()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.len(), text.len());
    let at = text.find("\"schema_version\": \"1.0\"").unwrap();
    assert_eq!(&out[..at], &text[..at]);
    assert_eq!(&out[at..at + 23], "\"schema_version\": \"1.1\"");
    assert_eq!(&out[at + 23..], &text[at + 23..]);
    // The 1.1 model gives the same findings as the 1.0 one.
    let migrated = Tmp::file("migrated-gaps.json", &out);
    let a = json(&run(&[
        "check",
        src.path(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]));
    let b = json(&run(&[
        "check",
        migrated.path(),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]));
    // The same results, but for the rules that need model 1.1: on the 1.0 model they say
    // that it cannot hold their data; on the 1.1 model they judge what it holds.
    let needs_1_1 = ["AIMS-DATA-01", "AIMS-LC-01", "AIMS-SUP-03"];
    let (ra, rb) = (
        a["rules"].as_array().unwrap(),
        b["rules"].as_array().unwrap(),
    );
    assert_eq!(ra.len(), rb.len());
    for (x, y) in ra.iter().zip(rb) {
        if needs_1_1.contains(&x["id"].as_str().unwrap()) {
            assert_eq!(x["status"], "not_applicable", "{}", x["id"]);
            assert!(x["reason"].as_str().unwrap().contains("schema version 1.0"));
            assert!(!y["reason"].as_str().unwrap_or_default().contains("1.0"));
        } else {
            assert_eq!(x, y);
        }
    }
    assert_eq!(b["model"]["schema_version"], "1.1");
    // In place, with --force; a second run leaves it as it is.
    let o = run(&["migrate", src.path(), "--output", src.path()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("AIMS-E-EXISTS"), "{}", stderr(&o));
    let o = run(&["migrate", src.path(), "--output", src.path(), "--force"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(src.path()).unwrap(), out);
    let o = run(&["migrate", src.path()]);
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o), out);
    assert!(
        stderr(&o).contains("already follows schema 1.1"),
        "{}",
        stderr(&o)
    );
    // A version it does not rewrite, and a model that does not load.
    let other = Tmp::file("migrate-other.json", r#"{"schema_version": "1.9"}"#);
    let o = run(&["migrate", other.path()]);
    assert_input_error(&o, "AIMS-E-MIGRATE");
    let bad = Tmp::file(
        "migrate-bad.json",
        r#"{"schema_version": "1.0", "processes": 3}"#,
    );
    let o = run(&["migrate", bad.path()]);
    assert_input_error(&o, "AIMS-E-SCHEMA");
}

#[test]
fn migrate_strict_refuses_a_member_the_schema_does_not_define() {
    let src = Tmp::file(
        "migrate-misspelt.json",
        r#"{"schema_version": "1.0", "organization": {"name": "A", "size_tier": "startup", "nmae": 1}}"#,
    );
    // Without --strict the member is only a warning: the model is migrated.
    let o = run(&["migrate", src.path()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with(r#"{"schema_version": "1.1","#),
        "{}",
        stdout(&o)
    );
    let o = run(&["migrate", src.path(), "--strict"]);
    let err = assert_input_error(&o, "AIMS-E-UNKNOWN-MEMBER");
    assert!(err.contains("/organization/nmae"), "{err}");
    assert_eq!(stdout(&o), "");
}

#[test]
fn init_prints_to_stdout_without_output() {
    let o = run(&["init", "--tier", "scaleup"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let model = json(&o);
    assert_eq!(model["organization"]["size_tier"], "scaleup");
    assert!(stderr(&o).contains("next: "), "{}", stderr(&o));
    // The same model as with --output.
    let out = Tmp::unique("init-stdout.json");
    let _cleanup = Tmp(out.clone());
    let w = run(&[
        "init",
        "--tier",
        "scaleup",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&w), 0);
    assert_eq!(std::fs::read(&out).unwrap(), o.stdout);
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let existing = Tmp::file("existing.json", "keep me");
    let o = run(&["init", "--tier", "startup", "--output", existing.path()]);
    let err = assert_input_error(&o, "AIMS-E-EXISTS");
    assert!(err.contains(existing.path()), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(existing.path()).unwrap(), "keep me");
    let o = run(&[
        "init",
        "--tier",
        "startup",
        "--output",
        existing.path(),
        "--force",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(existing.path()).unwrap()).unwrap();
    assert_eq!(model["organization"]["size_tier"], "startup");
}

// ---- diff ----

/// The JSON report of `model` as of AS_OF, written to a file.
fn report_file(name: &str, model: &str, extra: &[&str]) -> Tmp {
    let f = Tmp::file("model.json", model);
    let o = run(&[
        &["check", f.path(), "--as-of", AS_OF, "--format", "json"],
        extra,
    ]
    .concat());
    assert!(code(&o) <= 1, "{}", stderr(&o));
    Tmp::file(name, &o.stdout)
}

/// A startup with roles r-ceo and processes owned by the given (possibly missing) roles.
fn owners_model(owners: &[(&str, &str)]) -> String {
    let processes: Vec<String> = owners
        .iter()
        .map(|(id, role)| {
            format!(
                r#"{{"id": "{id}", "name": "Process {id}", "clause_refs": ["7.5"], "status": "active", "owner_role_id": "{role}"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"schema_version": "1.0", "organization": {{"name": "Diff Co", "size_tier": "startup"}},
            "roles": [{{"id": "r-ceo", "name": "CEO"}}],
            "processes": [{}]}}"#,
        processes.join(", ")
    )
}

#[test]
fn diff_classifies_findings_as_fixed_new_and_unchanged() {
    // Old: AIMS-PROC-04 fails twice (p1, p2). New: p1 fixed, p2 unchanged, p3 new.
    let old = report_file(
        "old.json",
        &owners_model(&[("p1", "r-gone"), ("p2", "r-lost")]),
        &[],
    );
    let new = report_file(
        "new.json",
        &owners_model(&[("p1", "r-ceo"), ("p2", "r-lost"), ("p3", "r-ghost")]),
        &[],
    );
    let o = run(&["diff", old.path(), new.path(), "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let d = json(&o);
    // Top-level keys in the documented order (the parsed Value sorts them).
    let text = stdout(&o);
    let at: Vec<usize> = ["old", "new", "rules", "summary"]
        .iter()
        .map(|k| text.find(&format!("\n  \"{k}\": ")).expect(k))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    assert_eq!(d.as_object().unwrap().len(), 4);
    for side in ["old", "new"] {
        assert_eq!(d[side]["as_of"], AS_OF);
        assert_eq!(d[side]["verdict"], "nonconformant");
        assert!(
            d[side]["model_digest"]
                .as_str()
                .unwrap()
                .starts_with("sha256:")
        );
    }
    assert_ne!(d["old"]["model_digest"], d["new"]["model_digest"]);
    let rules = d["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "rules are ordered by id");
    let proc04 = rules.iter().find(|r| r["id"] == "AIMS-PROC-04").unwrap();
    assert_eq!(proc04["old_status"], "fail");
    assert_eq!(proc04["new_status"], "fail");
    let pointers = |k: &str| -> Vec<String> {
        proc04[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["pointer"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(pointers("fixed"), ["/processes/0/owner_role_id"]);
    assert_eq!(pointers("new"), ["/processes/2/owner_role_id"]);
    assert_eq!(proc04["unchanged"], 1);
    assert_eq!(proc04["new"][0]["entity_id"], "p3");
    // The summary adds up the rules.
    let sum = |k: &str| -> u64 {
        rules
            .iter()
            .map(|r| match &r[k] {
                Value::Array(a) => a.len() as u64,
                v => v.as_u64().unwrap(),
            })
            .sum()
    };
    for k in ["fixed", "new", "unchanged"] {
        assert_eq!(d["summary"][k].as_u64().unwrap(), sum(k), "{k}");
    }
    // Deterministic.
    let again = run(&["diff", old.path(), new.path(), "--format", "json"]);
    assert_eq!(o.stdout, again.stdout);

    // Text: the summary line, then FIXED and NEW.
    let o = run(&["diff", old.path(), new.path()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let s = &d["summary"];
    assert!(
        out.starts_with(&format!(
            "fixed {}, new {}, unchanged {}; rules improved {}, regressed {}\n",
            s["fixed"], s["new"], s["unchanged"], s["rules_improved"], s["rules_regressed"]
        )),
        "{out}"
    );
    let (fixed, new) = out
        .split_once("\nFIXED\n")
        .and_then(|(_, rest)| rest.split_once("\nNEW\n"))
        .expect(&out);
    assert!(
        fixed.contains("  AIMS-PROC-04 /processes/0/owner_role_id (p1): "),
        "{out}"
    );
    assert!(
        new.contains("  AIMS-PROC-04 /processes/2/owner_role_id (p3): "),
        "{out}"
    );
    // p2's finding is in both reports: in neither section.
    for section in [fixed, new] {
        assert!(
            !section.contains("AIMS-PROC-04 /processes/1/owner_role_id"),
            "{out}"
        );
    }
}

#[test]
fn diff_reports_status_changes_and_added_rules() {
    let pack = medium_pack();
    let only_pack = ["--no-default-rules", "--rules", pack.path()];
    let old = report_file("old.json", EMPTY_MODEL, &only_pack);
    let new = report_file(
        "new.json",
        r#"{"schema_version": "1.0", "organization": {"name": "Acme"}}"#,
        &only_pack,
    );
    let o = run(&["diff", old.path(), new.path(), "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let d = json(&o);
    assert_eq!(d["rules"][0]["id"], "TEST-ORG-01");
    assert_eq!(d["rules"][0]["old_status"], "fail");
    assert_eq!(d["rules"][0]["new_status"], "pass");
    assert_eq!(d["rules"][0]["fixed"].as_array().unwrap().len(), 1);
    assert_eq!(d["summary"]["rules_improved"], 1);
    assert_eq!(d["summary"]["rules_regressed"], 0);
    assert_eq!(d["old"]["verdict"], "nonconformant");
    assert_eq!(d["new"]["verdict"], "conformant");
    let out = stdout(&run(&["diff", old.path(), new.path()]));
    assert!(
        out.starts_with("fixed 1, new 0, unchanged 0; rules improved 1, regressed 0\n"),
        "{out}"
    );
    assert!(
        out.contains("\nSTATUS CHANGES\n  TEST-ORG-01 fail -> pass (improved)\n"),
        "{out}"
    );
    // The other way round it regressed; a report with more packs adds rules.
    let out = stdout(&run(&["diff", new.path(), old.path()]));
    assert!(
        out.contains("  TEST-ORG-01 pass -> fail (regressed)"),
        "{out}"
    );
    let both = report_file("both.json", EMPTY_MODEL, &["--rules", pack.path()]);
    let d = json(&run(&["diff", old.path(), both.path(), "--format", "json"]));
    let added = d["summary"]["rules_added"].as_u64().unwrap();
    assert!(added > 0, "{}", d["summary"]);
    let proc01 = d["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "AIMS-PROC-01")
        .unwrap();
    assert_eq!(proc01["old_status"], Value::Null);
    assert_eq!(proc01["new_status"], "fail");
    // A report against itself: nothing changes.
    let d = json(&run(&["diff", old.path(), old.path(), "--format", "json"]));
    assert_eq!(d["summary"]["fixed"], 0);
    assert_eq!(d["summary"]["new"], 0);
    assert_eq!(d["summary"]["unchanged"], 1);
}

#[test]
fn diff_of_a_file_that_is_not_a_report_is_exit_2() {
    let report = report_file("report.json", EMPTY_MODEL, &[]);
    let model = Tmp::file("model.json", "{\n  \"schema_version\": \"1.0\"\n}\n");
    let o = run(&["diff", model.path(), report.path()]);
    let err = assert_input_error(&o, "AIMS-E-REPORT");
    // Located at what shows it is a model: its schema_version.
    assert!(err.contains("not a report but a model"), "{err}");
    assert!(
        err.contains(&format!("  --> {}:2:21", model.path())),
        "{err}"
    );
    // A report of a format this engine does not read: located at its report_version.
    let mut future: Value =
        serde_json::from_str(&std::fs::read_to_string(report.path()).unwrap()).unwrap();
    future["report_version"] = Value::from("3.0");
    let future = Tmp::file(
        "future.json",
        serde_json::to_string_pretty(&future).unwrap(),
    );
    let o = run(&["diff", report.path(), future.path()]);
    let err = assert_input_error(&o, "AIMS-E-REPORT");
    assert!(err.contains("of format 3.0"), "{err}");
    assert!(err.contains(&format!("  --> {}:", future.path())), "{err}");
    let broken = Tmp::file("broken.json", "{\"report_version\": ");
    let o = run(&["diff", report.path(), broken.path(), "--format", "json"]);
    let err = assert_input_error(&o, "AIMS-E-REPORT");
    assert!(
        err.contains(&format!("  --> {}:1:", broken.path())),
        "{err}"
    );
    let missing = Tmp::unique("no-report.json");
    let o = run(&["diff", report.path(), missing.to_str().unwrap()]);
    assert_input_error(&o, "AIMS-E-IO");
}

#[test]
fn diff_reads_a_report_of_format_1_0() {
    // A report as format 1.0 wrote it: `overall` named clause 4.4 and had its URN, and there
    // was no `grades_note`.
    let new = report_file("new.json", &owners_model(&[("p1", "r-gone")]), &[]);
    let mut old: Value =
        serde_json::from_str(&std::fs::read_to_string(new.path()).unwrap()).unwrap();
    assert_eq!(old["report_version"], "2.0");
    let fields = old.as_object_mut().unwrap();
    let mut overall = fields.remove("aims").unwrap();
    fields.remove("grades_note").unwrap();
    overall["clause"] = Value::from("4.4");
    overall["urn"] = Value::from("urn:intuitem:risk:req_node:iso42001-2023:4.4");
    fields.insert("overall".to_owned(), overall);
    fields.insert("report_version".to_owned(), Value::from("1.0"));
    let old = Tmp::file("old.json", old.to_string());
    let o = run(&["diff", old.path(), new.path(), "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let d = json(&o);
    assert_eq!(d["summary"]["fixed"], 0);
    assert_eq!(d["summary"]["new"], 0);
    assert!(d["summary"]["unchanged"].as_u64().unwrap() > 0, "{d:#}");
}

#[test]
fn usage_errors_of_the_new_subcommands_exit_2() {
    for args in [
        vec!["init"],
        vec!["init", "--tier", "huge"],
        vec!["init", "--tier", "startup", "--force"],
        vec!["diff", "only-one.json"],
        vec!["rules", "explain"],
        vec!["rules", "explain", "AIMS-PROC-01", "--format", "xml"],
    ] {
        let o = run(&args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?} wrote to stdout");
    }
    for args in [
        &["rules", "explain", "--help"][..],
        &["init", "--help"],
        &["diff", "--help"],
    ] {
        let o = run(args);
        assert_eq!(code(&o), 0, "{args:?}");
        assert!(stdout(&o).contains("Usage"), "{args:?}");
    }
}

// ---- members the schema does not define: warnings, errors under --strict ----

/// A model whose second process misspells `owner_role_id` (line 4) and whose organization has
/// an extension member.
const MISSPELT: &str = "{\"schema_version\": \"1.0\",\n \"organization\": {\"name\": \"A\", \"x_crm\": 1},\n \"processes\": [{\"id\": \"p1\"},\n  {\"id\": \"p2\", \"owner_roleid\": \"r1\"}]}\n";

#[test]
fn a_misspelt_member_is_a_warning_in_validate_and_check() {
    let f = Tmp::file("model.json", MISSPELT);
    let o = run(&["validate", f.path()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    // Line 4; the member's value starts at column 32 ("  {\"id\": \"p2\", \"owner_roleid\": " is 31 bytes).
    let expected = format!(
        "warning[AIMS-W-UNKNOWN-MEMBER]: `owner_roleid` in /processes/1 is not a member the model \
         schema defines there, so no rule reads it\n  --> {}:4:32 at /processes/1/owner_roleid\n  \
         = help: did you mean `owner_role_id`? (a member meant as an extension starts with `x_`)\n",
        f.path()
    );
    assert!(out.ends_with(&expected), "{out}");
    assert_eq!(
        out.matches("warning[").count(),
        1,
        "the x_ member is not warned about: {out}"
    );

    let o = run(&["validate", f.path(), "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["valid"], true);
    assert_eq!(v["warnings"][0]["pointer"], "/processes/1/owner_roleid");
    assert_eq!(v["warnings"][0]["line"], 4);

    let o = run(&["check", f.path(), "--as-of", AS_OF, "--tier", "startup"]);
    let out = stdout(&o);
    assert!(
        out.contains("warning: 1 member of the model is not defined by the model schema, so no rule read it:\n"),
        "{out}"
    );
    assert!(out.contains(&expected), "{out}");

    let o = run(&["check", f.path(), "--as-of", AS_OF, "--format", "json"]);
    let w = &json(&o)["warnings"];
    assert_eq!(w.as_array().map(Vec::len), Some(1), "{w}");
    assert_eq!(w[0]["code"], "AIMS-W-UNKNOWN-MEMBER");
    assert!(
        w[0].get("line").is_none(),
        "the report locates by pointer only: {w}"
    );
}

#[test]
fn strict_makes_a_misspelt_member_an_error() {
    let f = Tmp::file("model.json", MISSPELT);
    for args in [
        vec!["validate", f.path(), "--strict"],
        vec!["check", f.path(), "--as-of", AS_OF, "--strict"],
    ] {
        let o = run(&args);
        let err = assert_input_error(&o, "AIMS-E-UNKNOWN-MEMBER");
        assert!(
            err.contains(&format!(
                "  --> {}:4:32 at /processes/1/owner_roleid",
                f.path()
            )),
            "{err}"
        );
        assert!(
            err.contains("= help: did you mean `owner_role_id`?"),
            "{err}"
        );
    }
    // The examples hold no such member: --strict accepts them.
    let o = run(&["validate", &example("scaleup.json"), "--strict"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}
