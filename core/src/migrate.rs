//! Rewrites a model of schema 1.0 as schema 1.1, changing nothing else.
//!
//! Model 1.1 only adds optional members, so a 1.0 model is a valid 1.1 model once its
//! `schema_version` says so. The text is rewritten in place of that one value: layout, key
//! order and every other byte stay as they were.
//!
//! ```
//! use aimscheck::migrate::{Migrated, migrate_text};
//! let out = migrate_text("{\"schema_version\": \"1.0\"}", &Default::default())?;
//! assert_eq!(out, Migrated::Rewritten("{\"schema_version\": \"1.1\"}".to_owned()));
//! # Ok::<(), aimscheck::Error>(())
//! ```

use crate::error::{Error, Issue, Result, codes};
use crate::model::{LoadLimits, Model};
use serde_json::Value;

/// The schema version [`migrate_text`] writes.
pub const TARGET: &str = "1.1";

/// What [`migrate_text`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Migrated {
    /// The model was 1.0: here it is as 1.1.
    Rewritten(String),
    /// The model already says 1.1: nothing to change.
    AlreadyCurrent,
}

fn refused(message: &str) -> Error {
    Error::Model(vec![Issue::new(codes::MIGRATE, message, "/schema_version")])
}

/// Rewrites `text`, a model of schema 1.0, as 1.1. Fails with the model's own issues when it
/// does not load, and with `AIMS-E-MIGRATE` when its schema version is neither 1.0 nor 1.1.
pub fn migrate_text(text: &str, limits: &LoadLimits) -> Result<Migrated> {
    let model = Model::from_json_with(text, limits)?;
    let version = model
        .value()
        .get("schema_version")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match version {
        TARGET => return Ok(Migrated::AlreadyCurrent),
        "1.0" => {}
        other => {
            return Err(refused(&format!(
                "migrate rewrites models of schema 1.0 as {TARGET}; this one says \"{other}\""
            )));
        }
    }
    let start = crate::locate::offset(text, "/schema_version")
        .ok_or_else(|| refused("the schema_version value could not be found in the text"))?;
    let end = string_end(text, start)
        .ok_or_else(|| refused("the schema_version value could not be found in the text"))?;
    let rewritten = format!(
        "{}\"{TARGET}\"{}",
        text.get(..start).unwrap_or_default(),
        text.get(end..).unwrap_or_default()
    );
    // Nothing but the version may differ: the rewritten text loads, to the same model.
    let check = Model::from_json_with(&rewritten, limits).ok().map(|m| {
        let mut v = m.value().clone();
        if let Some(o) = v.as_object_mut() {
            o.insert("schema_version".to_owned(), Value::from("1.0"));
        }
        v == *model.value()
    });
    if check != Some(true) {
        return Err(refused(
            "the rewritten model would differ in more than its schema_version; nothing written",
        ));
    }
    Ok(Migrated::Rewritten(rewritten))
}

/// Byte offset just past the JSON string that starts at `start` (its closing quote included).
fn string_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(start) != Some(&b'"') {
        return None;
    }
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    fn migrate(text: &str) -> Migrated {
        migrate_text(text, &LoadLimits::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn only_the_version_changes() {
        let text = "{\n  \"organization\": {\"name\": \"Caf\u{e9}\"},\n  \"schema_version\" : \"1.0\",\n  \"x_note\": \"\\\"1.0\\\"\"\n}\n";
        let Migrated::Rewritten(out) = migrate(text) else {
            panic!("not rewritten")
        };
        assert_eq!(
            out,
            "{\n  \"organization\": {\"name\": \"Caf\u{e9}\"},\n  \"schema_version\" : \"1.1\",\n  \"x_note\": \"\\\"1.0\\\"\"\n}\n"
        );
        // A byte order mark and a version on the first line.
        let Migrated::Rewritten(out) = migrate("\u{feff}{\"schema_version\":\"1.0\"}") else {
            panic!("not rewritten")
        };
        assert_eq!(out, "\u{feff}{\"schema_version\":\"1.1\"}");
        // The version written with an escape is replaced whole.
        assert_eq!(
            migrate("{\"schema_version\": \"1\\u002e0\"}"),
            Migrated::Rewritten("{\"schema_version\": \"1.1\"}".to_owned())
        );
    }

    #[test]
    fn a_current_model_is_left_alone_and_others_are_refused() {
        assert_eq!(
            migrate("{\"schema_version\": \"1.1\"}"),
            Migrated::AlreadyCurrent
        );
        let e = migrate_text("{\"schema_version\": \"1.7\"}", &LoadLimits::default()).unwrap_err();
        assert_eq!(e.code(), codes::MIGRATE);
        assert!(e.to_string().contains("\"1.7\""), "{e}");
        let e = migrate_text(
            "{\"schema_version\": \"1.0\", \"processes\": 3}",
            &LoadLimits::default(),
        )
        .unwrap_err();
        assert_eq!(e.issues()[0].code, "AIMS-E-SCHEMA");
    }

    #[test]
    fn every_example_and_case_of_schema_1_0_migrates_to_the_same_model() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("examples"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        for e in std::fs::read_dir(root.join("tests/cases")).unwrap() {
            files.push(e.unwrap().path().join("model.json"));
        }
        let mut migrated = 0;
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            let Ok(model) = Model::from_json(&text) else {
                continue;
            };
            if model.value()["schema_version"] != "1.0" {
                continue;
            }
            let Migrated::Rewritten(out) = migrate(&text) else {
                panic!("{}: not rewritten", f.display())
            };
            assert_eq!(out.len(), text.len(), "{}", f.display());
            assert_eq!(
                out.replacen("\"1.1\"", "\"1.0\"", 1),
                text,
                "{}",
                f.display()
            );
            migrated += 1;
        }
        assert!(migrated > 100, "only {migrated} models migrated");
    }
}
