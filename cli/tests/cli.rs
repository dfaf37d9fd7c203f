//! End-to-end tests of the `aimscheck` binary: exit codes, stdout and stderr.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_aimscheck");
const AS_OF: &str = "2026-06-30";

/// A file or folder under the temporary directory, removed on drop.
struct Tmp(PathBuf);

impl Tmp {
    fn unique(name: &str) -> PathBuf {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        std::env::temp_dir().join(format!(
            "aimscheck-cli-test-{}-{n}-{name}",
            std::process::id()
        ))
    }

    /// A file with `contents`.
    fn file(name: &str, contents: impl AsRef<[u8]>) -> Tmp {
        let path = Self::unique(name);
        std::fs::write(&path, contents).unwrap();
        Tmp(path)
    }

    /// A folder with the given files.
    fn dir(name: &str, files: &[(&str, &str)]) -> Tmp {
        let path = Self::unique(name);
        std::fs::create_dir_all(&path).unwrap();
        for (f, text) in files {
            std::fs::write(path.join(f), text).unwrap();
        }
        Tmp(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        if self.0.is_dir() {
            let _ = std::fs::remove_dir_all(&self.0);
        } else {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally, not by a signal")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(o)))
}

/// Asserts exit 2, nothing on stdout, and an `error[CODE]` line on stderr; returns stderr.
fn assert_input_error(o: &Output, error_code: &str) -> String {
    let err = stderr(o);
    assert_eq!(code(o), 2, "exit status; stderr: {err}");
    assert!(
        o.stdout.is_empty(),
        "stdout should be empty, is: {}",
        stdout(o)
    );
    assert!(
        err.contains(&format!("error[{error_code}]: ")),
        "stderr lacks error[{error_code}]: {err}"
    );
    err
}

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
fn a_directory_is_not_a_model() {
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
    assert_eq!(lines.next(), Some("verdict: nonconformant"));
    assert!(out.contains("\n4.4 "), "no clause group 4.4: {out}");
    assert!(out.contains("FAIL AIMS-PROC-01 [critical] "), "{out}");
    assert!(out.contains("    /processes"), "no finding line: {out}");
    assert!(out.contains("    remediation: "), "{out}");
    assert!(!out.contains('\x1b'), "colour on a pipe: {out:?}");
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
