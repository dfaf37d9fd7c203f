//! `migrate`: rewrite a model of schema 1.0 as schema 1.1, changing nothing else.
//!
//! Model 1.1 only adds optional members, so a 1.0 model is a valid 1.1 model once its
//! `schema_version` says so. The text is rewritten in place of that one value: comments aside
//! (JSON has none), layout, key order and every other byte stay as they were.

use crate::args::MigrateArgs;
use crate::commands::EXIT_OK;
use crate::diag::{Failure, codes};
use crate::output;
use aimscheck::{Issue, LoadLimits, Model};

/// The schema version `migrate` writes.
pub const TARGET: &str = "1.1";

/// What `migrate_text` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Migrated {
    /// The model was 1.0: here it is as 1.1.
    Rewritten(String),
    /// The model already says 1.1: nothing to change.
    AlreadyCurrent,
}

/// Rewrites `text`, a model of schema 1.0, as 1.1. Fails with the model's own issues when it
/// does not load, and with `AIMS-E-MIGRATE` when its schema version is neither 1.0 nor 1.1.
pub fn migrate_text(text: &str, limits: &LoadLimits) -> Result<Migrated, Failure> {
    let model = Model::from_json_with(text, limits).map_err(|e| {
        let mut f = Failure::default();
        f.add(&e, None);
        f
    })?;
    let version = model
        .value()
        .get("schema_version")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned();
    match version.as_str() {
        TARGET => return Ok(Migrated::AlreadyCurrent),
        "1.0" => {}
        other => {
            return Err(Failure::one(Issue::new(
                codes::MIGRATE,
                format!(
                    "migrate rewrites models of schema 1.0 as {TARGET}; this one says \"{other}\""
                ),
                "/schema_version",
            )));
        }
    }
    let (start, end) = value_span(text, "/schema_version").ok_or_else(|| {
        Failure::one(Issue::new(
            codes::MIGRATE,
            "the schema_version value could not be found in the text".to_owned(),
            "/schema_version",
        ))
    })?;
    let rewritten = format!(
        "{}\"{TARGET}\"{}",
        text.get(..start).unwrap_or_default(),
        text.get(end..).unwrap_or_default()
    );
    // Nothing but the version may differ: the rewritten text loads, to the same model.
    let check = Model::from_json_with(&rewritten, limits).ok().map(|m| {
        let mut v = m.value().clone();
        if let Some(o) = v.as_object_mut() {
            o.insert("schema_version".to_owned(), serde_json::Value::from("1.0"));
        }
        v == *model.value()
    });
    if check != Some(true) {
        return Err(Failure::one(Issue::new(
            codes::MIGRATE,
            "the rewritten model would differ in more than its schema_version; nothing written"
                .to_owned(),
            "/schema_version",
        )));
    }
    Ok(Migrated::Rewritten(rewritten))
}

/// Byte range of the JSON string at `pointer` in `text`, quotes included.
fn value_span(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let (line, column) = aimscheck::locate::locate(text, pointer)?;
    let line_start = if line == 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = text.get(line_start..)?;
    // Columns count characters; a byte order mark on the first line is not counted.
    let skip = if line == 1 && rest.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let offset = rest
        .get(skip..)?
        .char_indices()
        .nth(column - 1)
        .map(|(i, _)| line_start + skip + i)?;
    let bytes = text.as_bytes();
    if bytes.get(offset) != Some(&b'"') {
        return None;
    }
    let mut i = offset + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return Some((offset, i + 1)),
            _ => i += 1,
        }
    }
    None
}

/// `aimscheck migrate`.
pub fn run(args: &MigrateArgs) -> Result<u8, Failure> {
    let limits = args.load.limits();
    let name = args.model.display().to_string();
    let text = std::fs::read_to_string(&args.model).map_err(|e| {
        Failure::one(Issue {
            file: Some(name.clone()),
            ..Issue::new(codes::IO, format!("cannot read the model: {e}"), "")
        })
    })?;
    let migrated = migrate_text(&text, &limits).map_err(|mut f| {
        for i in &mut f.issues {
            i.file.get_or_insert_with(|| name.clone());
        }
        f
    })?;
    let out = match migrated {
        Migrated::AlreadyCurrent => {
            output::note(&format!("{name} already follows schema {TARGET}\n"));
            text
        }
        Migrated::Rewritten(t) => t,
    };
    match &args.output {
        Some(path) => {
            output::create(path, &out, args.force, "the model")?;
            output::note(&format!(
                "wrote {name} as schema {TARGET} to {}\n",
                path.display()
            ));
        }
        None => output::stdout(&out)?,
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    fn migrate(text: &str) -> Migrated {
        migrate_text(text, &LoadLimits::default()).unwrap_or_else(|f| panic!("{:?}", f.issues))
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
    }

    #[test]
    fn a_current_model_is_left_alone_and_others_are_refused() {
        assert_eq!(
            migrate("{\"schema_version\": \"1.1\"}"),
            Migrated::AlreadyCurrent
        );
        let f = migrate_text("{\"schema_version\": \"1.7\"}", &LoadLimits::default()).unwrap_err();
        assert_eq!(f.issues[0].code, codes::MIGRATE);
        assert!(
            f.issues[0].message.contains("\"1.7\""),
            "{}",
            f.issues[0].message
        );
        let f = migrate_text(
            "{\"schema_version\": \"1.0\", \"processes\": 3}",
            &LoadLimits::default(),
        )
        .unwrap_err();
        assert_eq!(f.issues[0].code, "AIMS-E-SCHEMA");
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
