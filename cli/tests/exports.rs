//! End-to-end tests of `check --format <export>`, `--output FILE` and `diagram`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use common::{AS_OF, Tmp, code, run, stderr, stdout};
use serde_json::Value;

/// `examples/<name>.json`.
fn example(name: &str) -> String {
    common::example(&format!("{name}.json"))
}

/// `check` of an example in `format`; asserts the exit status and returns stdout.
fn check(name: &str, format: &str, exit: i32) -> String {
    let o = run(&[
        "check",
        &example(name),
        "--as-of",
        AS_OF,
        "--format",
        format,
    ]);
    assert_eq!(code(&o), exit, "{name} {format}: stderr {}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{name} {format}: {}", stderr(&o));
    stdout(&o)
}

fn process_ids(name: &str) -> Vec<String> {
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(example(name)).unwrap()).unwrap();
    model["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn check_sarif_is_a_sarif_log() {
    let out = check("gaps", "sarif", 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(!v["runs"][0]["results"].as_array().unwrap().is_empty());
}

#[test]
fn check_oscal_is_assessment_results() {
    let out = check("scaleup", "oscal", 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["assessment-results"].is_object(), "{out}");
}

#[test]
fn check_junit_is_xml_with_a_suite_per_clause() {
    let out = check("gaps", "junit", 1);
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
    assert!(out.contains("<testsuite name=\"4.4 AI management system\""));
    assert!(out.contains("<failure "));
}

#[test]
fn check_markdown_lists_the_failing_rules() {
    let out = check("gaps", "markdown", 1);
    assert!(out.starts_with("# aimscheck report: Lumora Learning Ltd\n"));
    assert!(out.contains("## Failing rules"));
    assert!(out.contains("### AIMS-PROC-01 "));
    let out = check("scaleup", "markdown", 0);
    assert!(out.contains("No rule fails."));
}

#[test]
fn check_html_is_a_page_with_the_map() {
    let out = check("gaps", "html", 1);
    assert!(out.starts_with("<!DOCTYPE html>"));
    assert!(out.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    for id in process_ids("gaps") {
        assert!(out.contains(&format!("data-id=\"{id}\"")), "{id}");
    }
    assert!(!out.contains("<script"));
}

#[test]
fn check_ciso_csv_has_the_import_columns() {
    let out = check("gaps", "ciso-csv", 1);
    let mut lines = out.split("\r\n");
    assert_eq!(
        lines.next(),
        Some("ref_id,urn,assessable,compliance_result,requirement_progress,observations")
    );
    assert!(
        out.contains(
            "\r\n4.4,urn:intuitem:risk:req_node:iso42001-2023:4.4,true,non_compliant,done,"
        )
    );
    assert!(!out.contains("\r\n6.1.1,"));
}

#[test]
fn output_writes_the_file_and_keeps_the_exit_status() {
    for (name, exit) in [("gaps", 1), ("scaleup", 0)] {
        for format in ["text", "json", "junit", "markdown", "html", "ciso-csv"] {
            let file = Tmp::new(&format!("{name}.{format}"));
            let o = run(&[
                "check",
                &example(name),
                "--as-of",
                AS_OF,
                "--format",
                format,
                "--output",
                file.path(),
            ]);
            assert_eq!(code(&o), exit, "{name} {format}: {}", stderr(&o));
            assert!(o.stdout.is_empty(), "{name} {format}: stdout not empty");
            let written = std::fs::read_to_string(file.path()).unwrap();
            assert_eq!(written, check(name, format, exit), "{name} {format}");
            assert!(
                !written.contains('\u{1b}'),
                "{name} {format}: colour codes in a file"
            );
        }
    }
}

#[test]
fn an_unwritable_output_is_exit_2() {
    let o = run(&[
        "check",
        &example("gaps"),
        "--as-of",
        AS_OF,
        "--format",
        "html",
        "--output",
        "/nonexistent-dir/report.html",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("error[AIMS-E-IO]: cannot write the output"));
}

#[test]
fn exports_of_a_bad_model_are_exit_2_with_nothing_on_stdout() {
    let bad = Tmp::new("bad.json");
    std::fs::write(&bad.0, "{\"schema_version\": 1}").unwrap();
    for format in ["sarif", "junit", "html", "ciso-csv"] {
        let o = run(&["check", bad.path(), "--as-of", AS_OF, "--format", format]);
        assert_eq!(code(&o), 2, "{format}");
        assert!(o.stdout.is_empty(), "{format}");
        assert!(stderr(&o).contains("error[AIMS-E-SCHEMA]"), "{format}");
    }
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let o = run(&["check", &example("gaps"), "--format", "pdf"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("ciso-csv"), "{}", stderr(&o));
}

#[test]
fn diagram_prints_each_form_with_every_process() {
    let ids = process_ids("gaps");
    for (format, start) in [
        ("dot", "digraph "),
        ("svg", "<svg xmlns=\"http://www.w3.org/2000/svg\""),
        (
            "mermaid",
            "%% Process-interaction map of Lumora Learning Ltd",
        ),
    ] {
        let o = run(&[
            "diagram",
            &example("gaps"),
            "--as-of",
            AS_OF,
            "--format",
            format,
        ]);
        assert_eq!(code(&o), 0, "{format}: {}", stderr(&o));
        assert!(stderr(&o).is_empty(), "{format}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(out.starts_with(start), "{format}: {out}");
        let marker = match format {
            "dot" => "class=\"failing\"",
            "svg" => " failing\"",
            _ => "\n  class ",
        };
        assert!(out.contains(marker), "{format}: no failing process marked");
        if format != "mermaid" {
            for id in &ids {
                let attr = if format == "dot" { "id" } else { "data-id" };
                assert!(out.contains(&format!("{attr}=\"{id}\"")), "{format}: {id}");
            }
        }
    }
    // The default form is DOT.
    let o = run(&["diagram", &example("scaleup"), "--as-of", AS_OF]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert!(out.starts_with("digraph "));
    assert!(
        !out.contains("class=\"failing\""),
        "scaleup has no failing process"
    );
}

#[test]
fn diagram_without_as_of_uses_today_and_says_so() {
    let o = run(&["diagram", &example("startup"), "--format", "mermaid"]);
    assert_eq!(code(&o), 0);
    assert!(
        stderr(&o).contains("note: --as-of not given; evaluating as of "),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("flowchart LR"));
}

#[test]
fn diagram_writes_to_output_and_rejects_bad_input() {
    let file = Tmp::new("map.svg");
    let o = run(&[
        "diagram",
        &example("enterprise"),
        "--as-of",
        AS_OF,
        "--format",
        "svg",
        "-o",
        file.path(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert!(
        std::fs::read_to_string(file.path())
            .unwrap()
            .starts_with("<svg")
    );

    let o = run(&["diagram", "/nonexistent/model.json", "--as-of", AS_OF]);
    assert_eq!(code(&o), 2);
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("error[AIMS-E-IO]"));

    let o = run(&["diagram", &example("gaps"), "--as-of", "2026-02-30"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("error[AIMS-E-OPTIONS]"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn diagram_of_a_map_too_large_to_draw_is_exit_2_for_svg_only() {
    let processes: Vec<Value> = (0..200)
        .map(|i| {
            serde_json::json!({"id": format!("p{i}"), "name": format!("Process {i}"),
                "status": "active",
                "outputs": [{"artifact": "work", "to_process_id": format!("p{}", i + 1)}]})
        })
        .collect();
    let model = Tmp::new("large.json");
    std::fs::write(
        &model.0,
        serde_json::json!({"schema_version": "1.0", "processes": processes}).to_string(),
    )
    .unwrap();
    let o = run(&["diagram", model.path(), "--as-of", AS_OF, "--format", "svg"]);
    assert_eq!(code(&o), 2);
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("error[AIMS-E-EXPORT]: cannot draw the process map"),
        "{}",
        stderr(&o)
    );
    let o = run(&["diagram", model.path(), "--as-of", AS_OF, "--format", "dot"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("p199"));
}
