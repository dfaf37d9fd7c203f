//! Reading the bad-input corpus (tests/bad/cases.json, described in tests/bad/README.md),
//! shared by the Rust runners: `core/tests/bad_inputs.rs` and `cli/tests/bad_inputs.rs` include
//! it with `#[path]`. Test code: it panics on a malformed manifest.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Forms that read the model as text.
pub const TEXT_FORMS: &[&str] = &[
    "rust-str",
    "rust-bytes",
    "cli",
    "python-str",
    "python-bytes",
    "node-string",
    "node-buffer",
];

/// The corpus folder, `tests/bad`.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/bad")
}

/// The manifest, `cases.json`.
pub fn manifest() -> Value {
    let text = std::fs::read_to_string(corpus().join("cases.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The input of a model case: its file, or the nesting it describes.
pub fn input(case: &Value) -> Vec<u8> {
    if let Some(file) = case["file"].as_str() {
        return std::fs::read(corpus().join(file)).unwrap();
    }
    let nest = &case["nest"];
    let depth = usize::try_from(nest["depth"].as_u64().unwrap()).unwrap();
    let inner = match nest["container"].as_str().unwrap() {
        "array" => format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        "object" => format!(
            "{}{{}}{}",
            "{\"a\": ".repeat(depth - 1),
            "}".repeat(depth - 1)
        ),
        other => panic!("unknown container {other}"),
    };
    match nest["under"].as_str() {
        Some(key) => format!("{{\"schema_version\": \"1.0\", \"{key}\": {inner}}}").into_bytes(),
        None => inner.into_bytes(),
    }
}

/// The known bug that keeps `form` from being checked, if any.
pub fn known_bug<'a>(case: &'a Value, form: &str) -> Option<&'a str> {
    let bug = &case["known_bug"];
    if let Some(reason) = bug.as_str() {
        return Some(reason);
    }
    let group = if TEXT_FORMS.contains(&form) {
        "text"
    } else {
        "value"
    };
    bug[form].as_str().or_else(|| bug[group].as_str())
}

/// What `form` must give: `Err(reason)` when it is skipped.
pub fn expectation(case: &Value, form: &str) -> Result<Value, String> {
    if let Some(reason) = known_bug(case, form) {
        return Err(format!("known bug: {reason}"));
    }
    let want = if let Some(f) = case["forms"].get(form) {
        f.clone()
    } else if !TEXT_FORMS.contains(&form) {
        match case.get("value") {
            Some(v) => v.clone(),
            None => unlocated(&case["expect"]),
        }
    } else {
        case["expect"].clone()
    };
    match want["skip"].as_str() {
        Some(reason) => Err(reason.to_owned()),
        None => Ok(want),
    }
}

/// An expectation without lines and columns, for a model that came as a value.
pub fn unlocated(want: &Value) -> Value {
    let mut want = want.clone();
    if let Some(issues) = want["issues"].as_array_mut() {
        for issue in issues {
            let issue = issue.as_object_mut().unwrap();
            issue.remove("line");
            issue.remove("column");
        }
    }
    want
}

/// Checks a report (as JSON) against a case's expected `report`: model fields, rule statuses,
/// finding pointers (in any order), error codes and exceptions.
pub fn check_report(report: &Value, want: &Value) -> Result<(), String> {
    for (k, v) in want["model"].as_object().into_iter().flatten() {
        if &report["model"][k] != v {
            return Err(format!("model.{k} is {}, want {v}", report["model"][k]));
        }
    }
    for (id, w) in want["rules"].as_object().into_iter().flatten() {
        let Some(rule) = report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id.as_str())
        else {
            return Err(format!("no rule {id} in the report"));
        };
        if rule["status"] != w["status"] {
            return Err(format!(
                "{id} is {} ({:#}), want {}",
                rule["status"], rule["findings"], w["status"]
            ));
        }
        if let Some(pointers) = w["findings"].as_array() {
            let mut got: Vec<&str> = rule["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["pointer"].as_str().unwrap())
                .collect();
            let mut want: Vec<&str> = pointers.iter().map(|p| p.as_str().unwrap()).collect();
            got.sort_unstable();
            want.sort_unstable();
            if got != want {
                return Err(format!("{id} findings at {got:?}, want {want:?}"));
            }
        }
        if let Some(code) = w["error_code"].as_str()
            && rule["error"]["code"] != code
        {
            return Err(format!("{id} error {}, want {code}", rule["error"]));
        }
    }
    if let Some(exceptions) = want["exceptions"].as_array() {
        let got: Vec<Value> = report["exceptions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                json!({"id": e["id"], "rule_id": e["rule_id"], "status": e["status"], "pointer": e["pointer"]})
            })
            .collect();
        if &got != exceptions {
            return Err(format!("exceptions {got:?}, want {exceptions:?}"));
        }
    }
    Ok(())
}
