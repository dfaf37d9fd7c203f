//! Loading through the document (`Doc::parse`, `validate_doc`, `index_ids`, `doc_digest`) gives
//! what loading through a whole `Value` gave: the same issues, ids and digest.

use super::*;
use serde_json::json;
use std::path::{Path, PathBuf};

/// What `index_ids` did on the whole value: the reference for the document's.
fn value_index_ids(
    value: &Value,
    issues: &mut Vec<Issue>,
) -> HashMap<String, HashMap<String, usize>> {
    let mut all = HashMap::new();
    let Some(root) = value.as_object() else {
        return all;
    };
    for (name, coll) in root {
        let Some(items) = coll.as_array() else {
            continue;
        };
        let mut ids: HashMap<String, usize> = HashMap::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let Some(id) = item.get("id").and_then(Value::as_str) else {
                continue;
            };
            if let Some(first) = ids.get(id) {
                issues.push(Issue::new(
                    codes::DUPLICATE_ID,
                    format!(
                        "id \"{id}\" is used twice in {name} (first at /{}/{first})",
                        escape(name)
                    ),
                    format!("/{}/{i}/id", escape(name)),
                ));
            } else {
                ids.insert(id.to_owned(), i);
            }
        }
        all.insert(name.clone(), ids);
    }
    all
}

/// The issues that loading gave when it held the whole value: schema issues of `validate`,
/// duplicate ids, truncated, located in `text` when there is one and sorted.
fn value_load_issues(value: &Value, limits: &LoadLimits, text: Option<&str>) -> Vec<Issue> {
    let mut issues = validate(value, limits.max_issues);
    value_index_ids(value, &mut issues);
    issues.truncate(limits.max_issues);
    if let Some(text) = text {
        for issue in &mut issues {
            if let Some((l, c)) = locate(text, &issue.pointer) {
                issue.line = Some(l);
                issue.column = Some(c);
            }
        }
    }
    issues.sort_by(|a, b| (a.line, a.column, &a.pointer).cmp(&(b.line, b.column, &b.pointer)));
    issues
}

/// Checks one JSON text through both paths; gives the issues (empty for a valid model), or
/// none when the text is not JSON.
fn check(text: &str, what: &str) -> Option<Vec<Issue>> {
    let Ok((value, _)) = reference_parse(text) else {
        assert!(Doc::parse(text).is_err(), "{what}");
        return None;
    };
    let doc = Doc::parse(text).unwrap();
    let (root, split) = (
        schema_validator().as_ref().unwrap(),
        split_validators().as_ref().unwrap(),
    );

    // Validation: the pieces are valid exactly when the whole value is, and the issues are
    // those of the value, at any limit.
    let want = validate(&value, 1000);
    assert_eq!(pieces_valid(&doc, root, split), want.is_empty(), "{what}");
    assert_eq!(validate_doc(&doc, 1000), want, "{what}");
    for max in [0, 1, 3] {
        assert_eq!(
            validate_doc(&doc, max),
            validate(&value, max),
            "{what}: {max}"
        );
    }

    // Ids and their issues.
    let (mut got_issues, mut want_issues) = (Vec::new(), Vec::new());
    let got_ids = index_ids(&doc, &mut got_issues);
    let want_ids = value_index_ids(&value, &mut want_issues);
    assert_eq!(got_ids, want_ids, "{what}");
    assert_eq!(got_issues, want_issues, "{what}");

    // Digest.
    assert_eq!(doc_digest(&doc), canonical_digest(&value), "{what}");

    // Loading, from the text and from the value.
    let limits = LoadLimits {
        max_issues: 5,
        ..LoadLimits::default()
    };
    let raw: Value = serde_json::from_str(text).unwrap();
    for (loaded, text) in [
        (Model::from_json_with(text, &limits), Some(text)),
        (Model::from_value_with(raw, &limits), None),
    ] {
        let want = value_load_issues(&value, &limits, text);
        match loaded {
            Ok(model) => {
                assert!(want.is_empty(), "{what}: loads, but {want:?}");
                assert_eq!(*model.value(), value, "{what}");
                assert_eq!(model.digest(), canonical_digest(&value), "{what}");
                assert_eq!(model.ids, want_ids, "{what}");
                assert_eq!(model.source(), text, "{what}");
            }
            Err(Error::Model(got)) => assert_eq!(got, want, "{what}"),
            Err(e) => panic!("{what}: {e}"),
        }
    }
    Some(value_load_issues(&value, &LoadLimits::default(), None))
}

fn root_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The model of every case, the examples and the generated models given as paths separated by
/// `:` in `AIMSCHECK_DOC_MODELS` (`aimscheck-gen 200 1 > g200-1.json`; too large to keep in
/// the repository).
fn model_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root_dir().join("tests/cases")).unwrap() {
        let path = entry.unwrap().path().join("model.json");
        if path.exists() {
            files.push(path);
        }
    }
    assert!(files.len() > 100, "{} case models", files.len());
    for entry in std::fs::read_dir(root_dir().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    let generated = generated_files();
    if generated.is_empty() {
        eprintln!("AIMSCHECK_DOC_MODELS is not set: no generated model checked");
    }
    files.extend(generated);
    files.sort();
    files
}

#[test]
fn case_example_and_generated_models() {
    let mut invalid = Vec::new();
    for path in model_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let what = path.display().to_string();
        if let Some(issues) = check(&text, &what)
            && !issues.is_empty()
        {
            invalid.push(path.parent().unwrap().file_name().unwrap().to_owned());
        }
    }
    // The cases whose model is JSON but not a valid model (the other two are not JSON).
    assert_eq!(
        invalid,
        [
            "error-duplicate-id",
            "error-impossible-date",
            "error-malformed-date",
            "error-missing-schema-version",
            "error-model-1-1-malformed-members",
            "error-schema-every-violation",
            "error-schema-wrong-type",
            "error-unknown-clause",
            "error-unknown-control",
            "error-unknown-root-key",
        ]
    );
}

/// Every array property of the current model schema is validated item by item.
#[test]
fn every_collection_is_split() {
    let schema = model_schema().unwrap();
    let mut arrays: Vec<&String> = schema["properties"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, p)| p["type"] == "array")
        .map(|(k, _)| k)
        .collect();
    arrays.sort();
    let split = split_validators().as_ref().unwrap();
    let mut names: Vec<&String> = split.keys().collect();
    names.sort();
    assert_eq!(names, arrays);
    assert!(names.len() > 20, "{names:?}");
}

/// The generated models named in `AIMSCHECK_DOC_MODELS` (paths separated by `:`), none when
/// it is not set.
pub(crate) fn generated_files() -> Vec<PathBuf> {
    let paths = std::env::var("AIMSCHECK_DOC_MODELS").unwrap_or_default();
    paths
        .split(':')
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .collect()
}

/// A valid example and the generated models, each changed in one place: both paths give the
/// same issues.
#[test]
fn invalid_models() {
    let mut bases = vec![root_dir().join("examples/scaleup.json")];
    bases.extend(generated_files());
    for path in bases {
        let text = std::fs::read_to_string(&path).unwrap();
        let (base, _) = reference_parse(&text).unwrap();
        assert_eq!(check(&text, &path.display().to_string()), Some(Vec::new()));
        invalid_variants(&base);
    }
}

fn invalid_variants(base: &Value) {
    type Change = fn(&mut Value);
    let changes: &[(&str, Change)] = &[
        ("process name a number", |m| {
            m["processes"][0]["name"] = json!(5)
        }),
        ("process status unknown", |m| {
            m["processes"][1]["status"] = json!("paused")
        }),
        ("process item a string", |m| m["processes"][1] = json!("p")),
        ("process item null", |m| m["processes"][1] = Value::Null),
        ("process item without id", |m| {
            m["processes"][0].as_object_mut().unwrap().remove("id");
        }),
        ("process id a number", |m| {
            m["processes"][0]["id"] = json!(7)
        }),
        ("processes an object", |m| m["processes"] = json!({"a": 1})),
        ("processes a string", |m| m["processes"] = json!("none")),
        ("processes empty", |m| m["processes"] = json!([])),
        ("every process name a number", |m| {
            for p in m["processes"].as_array_mut().unwrap() {
                p["name"] = json!(1);
            }
        }),
        ("extra root key", |m| m["proceses"] = json!([])),
        ("extra root key, scalar", |m| m["bogus"] = json!(1)),
        ("extension root key", |m| {
            m["x_extra"] = json!([{"id": 1}, {"id": "a"}, {"id": "b"}, "c"])
        }),
        // Any root array is indexed, an extension too.
        ("extension root key with a repeated id", |m| {
            m["x_extra"] = json!([{"id": "a"}, {"id": "a"}])
        }),
        ("schema version missing", |m| {
            m.as_object_mut().unwrap().remove("schema_version");
        }),
        ("schema version a number", |m| {
            m["schema_version"] = json!(1)
        }),
        ("schema version 2", |m| m["schema_version"] = json!("2.0")),
        ("bad date pattern at the root", |m| {
            m["aims"]["established_on"] = json!("2024/09/02")
        }),
        ("impossible date at the root", |m| {
            m["aims"]["established_on"] = json!("2024-02-30")
        }),
        ("bad date pattern in an item", |m| {
            m["context_issues"][0]["reviewed_on"] = json!("09-03-2026")
        }),
        ("impossible date in an item", |m| {
            m["context_issues"][1]["reviewed_on"] = json!("2026-13-01")
        }),
        ("unknown clause in an item", |m| {
            m["processes"][0]["clause_refs"] = json!(["4.4", "99.1"])
        }),
        ("unknown control in an item", |m| {
            m["processes"][0]["clause_refs"] = json!(["A.99.9"])
        }),
        ("unknown control in the statement", |m| {
            m["statement_of_applicability"]["entries"][0]["control"] = json!("A.1.1")
        }),
        ("organization a string", |m| {
            m["organization"] = json!("Acme")
        }),
        ("nested collection item wrong", |m| {
            m["organization"]["management_systems"] = json!([{"certified": "yes"}])
        }),
        ("duplicate id", |m| {
            let id = m["processes"][0]["id"].clone();
            m["processes"][1]["id"] = id;
        }),
        ("duplicate id and a schema issue", |m| {
            let id = m["roles"][0]["id"].clone();
            m["roles"][2]["id"] = id;
            m["roles"][1]["name"] = json!(false);
            m["grace"] = json!(1);
        }),
        ("root an array", |m| *m = json!([m.clone()])),
        ("root a string", |m| *m = json!("model")),
        ("root empty", |m| *m = json!({})),
        ("root only the version", |m| {
            *m = json!({"schema_version": "1.0"})
        }),
    ];
    for (what, change) in changes {
        let mut model = base.clone();
        change(&mut model);
        for text in [
            serde_json::to_string_pretty(&model).unwrap(),
            serde_json::to_string(&model).unwrap(),
        ] {
            let issues = check(&text, what).unwrap();
            let valid = [
                "processes empty",
                "extension root key",
                "root only the version",
            ];
            assert_eq!(
                issues.is_empty(),
                valid.contains(what),
                "{what}: {issues:?}"
            );
        }
    }
}

/// Texts whose document and value differ before normalization: nulls, whole floats, repeated
/// keys, keys out of order.
#[test]
fn normalized_texts() {
    for text in [
        r#"{"schema_version": "1.0", "processes": null}"#,
        r#"{"schema_version": "1.0", "processes": [{"id": "p", "name": null}]}"#,
        r#"{"schema_version": "1.0", "processes": [{"id": "p"}], "processes": [{"id": 1}]}"#,
        r#"{"schema_version": "1.0", "processes": [{"id": 1}], "processes": [{"id": "p"}]}"#,
        r#"{"processes": [{"name": "b", "id": "p"}, {"id": "p"}], "schema_version": "1.0"}"#,
        r#"{"schema_version": "1.0", "aims": {"grace_days": 2.0}}"#,
        r#"{"schema_version": "1.0", "aims": {"grace_days": 2.5}}"#,
        r#"{"schema_version": "1.0", "risks": [{"id": "r", "level": 3.0}, {"id": "s", "level": "high"}]}"#,
        r#"{"schema_version": null}"#,
        "{}",
        "[]",
        "null",
        "1",
    ] {
        check(text, text).unwrap();
    }
}

#[test]
fn owned_text_and_bytes_load_as_borrowed_text_does() {
    let text = r#"{"schema_version": "1.0", "roles": [{"id": "r1", "name": "Owner"}]}"#;
    let borrowed = Model::from_json(text).unwrap();
    let owned = Model::from_string(text.to_owned()).unwrap();
    let bytes = Model::from_vec(text.as_bytes().to_vec()).unwrap();
    for m in [&owned, &bytes] {
        assert_eq!(m.digest(), borrowed.digest());
        assert_eq!(m.source(), Some(text));
        assert_eq!(
            m.position("/roles/0/name"),
            borrowed.position("/roles/0/name")
        );
    }
    // Invalid UTF-8 and invalid models give the errors the borrowing calls give.
    let bad = b"{\"schema_version\": \"1.0\",\n \"x\": \"\xff\"}".to_vec();
    let a = Model::from_slice(&bad).unwrap_err();
    let b = Model::from_vec(bad).unwrap_err();
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    assert!(format!("{b:?}").contains("line: Some(2)"), "{b:?}");
    let invalid = r#"{"schema_version": "1.0", "processes": {"id": "p"}}"#;
    let a = Model::from_json(invalid).unwrap_err();
    let b = Model::from_string(invalid.to_owned()).unwrap_err();
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
}
