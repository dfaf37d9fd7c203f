//! `check` of several models: files, a directory, a JSON Lines file; a line per model, a
//! tally, and the exit status of the worst model.

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

/// The report `check --format json` writes for one file.
fn single(file: &str) -> Value {
    json(&run(&["check", file, "--as-of", AS_OF, "--format", "json"]))
}

#[test]
fn several_files_get_a_line_each_and_a_tally() {
    let (startup, gaps) = (example("startup.json"), example("gaps-1.1.json"));
    let o = run(&["check", &startup, &gaps, "--as-of", AS_OF, "--jobs", "2"]);
    assert_eq!(code(&o), 1, "a model fails: {}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with(&format!("{startup}: conformant (pass ")),
        "{out}"
    );
    assert!(
        lines[1].starts_with(&format!("{gaps}: nonconformant (pass ")),
        "{out}"
    );
    let fails = single(&gaps)["summary"]["by_status"]["fail"].clone();
    assert!(lines[1].contains(&format!("fail {fails},")), "{out}");
    assert_eq!(
        lines[2],
        "2 models: 1 conformant, 1 nonconformant, 0 inconclusive, 0 not loaded; 1 with a rule failing at low or above"
    );
    // Only conformant models: exit 0.
    let o = run(&[
        "check",
        &startup,
        &example("scaleup.json"),
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn jsonl_writes_each_report_as_check_writes_it() {
    let dir = Tmp::dir(
        "batch-dir",
        &[
            (
                "b.json",
                &std::fs::read_to_string(example("gaps-1.1.json")).unwrap(),
            ),
            (
                "a.json",
                &std::fs::read_to_string(example("startup.json")).unwrap(),
            ),
            ("notes.txt", "not a model"),
        ],
    );
    let o = run(&[
        "check",
        dir.path(),
        "--as-of",
        AS_OF,
        "--format",
        "jsonl",
        "-j",
        "1",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The directory's *.json files, sorted by name.
    assert_eq!(lines.len(), 2);
    for (line, name) in lines.iter().zip(["a.json", "b.json"]) {
        let file = format!("{}/{name}", dir.path());
        assert_eq!(line["name"], file.as_str());
        assert_eq!(line["report"], single(&file), "{name}");
    }
}

#[test]
fn a_model_that_does_not_load_is_exit_2_and_stops_nothing() {
    let model = std::fs::read_to_string(example("startup.json")).unwrap();
    let compact: Value = serde_json::from_str(&model).unwrap();
    let lines = format!("{compact}\n\n{{\"schema_version\": 1}}\nnot json\n");
    let file = Tmp::file("models.jsonl", lines);
    let o = run(&["check", "--jsonl", file.path(), "--as-of", AS_OF]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[0].starts_with(&format!("{}:1: conformant", file.path())),
        "{out}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "{}:3: not loaded: error[AIMS-E-SCHEMA]",
            file.path()
        )),
        "{out}"
    );
    assert!(
        lines[2].starts_with(&format!(
            "{}:4: not loaded: error[AIMS-E-SYNTAX]",
            file.path()
        )),
        "{out}"
    );
    assert!(
        lines[3].contains("1 conformant, 0 nonconformant, 0 inconclusive, 2 not loaded"),
        "{out}"
    );
    // The diagnostics name the file and the line of the JSON Lines file.
    let err = stderr(&o);
    assert!(err.contains(&format!("  --> {}:4:2", file.path())), "{err}");
    assert!(
        err.contains(&format!("  --> {}:3:20 at /schema_version", file.path())),
        "{err}"
    );
    // As JSON Lines, a failed model is an error object with its code.
    let o = run(&[
        "check",
        "--jsonl",
        file.path(),
        "--as-of",
        AS_OF,
        "--format",
        "jsonl",
    ]);
    let answers: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[1]["error"]["code"], "AIMS-E-SCHEMA");
    assert_eq!(answers[2]["error"]["kind"], "model");
    assert!(answers[0]["report"].is_object());
}

#[test]
fn several_models_take_text_or_jsonl_only() {
    let (a, b) = (example("startup.json"), example("scaleup.json"));
    let o = run(&["check", &a, &b, "--as-of", AS_OF, "--format", "sarif"]);
    let err = assert_input_error(&o, "AIMS-E-OPTIONS");
    assert!(err.contains("the other formats take one model"), "{err}");
    let o = run(&["check", &a, "-", "--as-of", AS_OF]);
    assert_input_error(&o, "AIMS-E-IO");
    // An empty folder or JSON Lines file is no model to check: exit 2.
    let empty = Tmp::dir("batch-empty", &[("notes.txt", "none")]);
    let err = assert_input_error(
        &run(&["check", empty.path(), "--as-of", AS_OF]),
        "AIMS-E-IO",
    );
    assert!(err.contains("no model to check"), "{err}");
    let blank = Tmp::file("blank.jsonl", "\n\n");
    assert_input_error(
        &run(&["check", "--jsonl", blank.path(), "--as-of", AS_OF]),
        "AIMS-E-IO",
    );
    // One file and --format jsonl: one line.
    let o = run(&["check", &a, "--as-of", AS_OF, "--format", "jsonl"]);
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o).lines().count(), 1);
}
