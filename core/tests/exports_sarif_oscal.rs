//! The SARIF 2.1.0 and OSCAL 1.1.3 exports of every example validate against the official
//! schemas (unmodified copies in `tests/data/schemas/`, checked by SHA-256), are byte-identical
//! run to run and whatever form the model came in, and say what the report says.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use aimscheck::export::{Context, Format, oscal, render, sarif};
use aimscheck::{Engine, FindingKind, Model, Options, Report, Severity, Status};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const AS_OF: &str = "2026-06-30";
const EXAMPLES: [&str; 5] = [
    "startup.json",
    "scaleup.json",
    "enterprise.json",
    "gaps.json",
    "gaps-1.1.json",
];

const OSCAL_SCHEMA: &str = "oscal_assessment-results_schema.json";
const SARIF_SCHEMA: &str = "sarif-schema-2.1.0.json";
/// SHA-256 of the official files, as in `tests/data/schemas/README.md` and `../shared/schemas/README.md`.
const SCHEMA_SHA256: [(&str, &str, usize); 2] = [
    (
        OSCAL_SCHEMA,
        "d9e34757f0c12aff61f52b821f0b8f83ba0ba75b3a149a202b08ba82f82bc4c3",
        137_528,
    ),
    (
        SARIF_SCHEMA,
        "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e",
        112_768,
    ),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn schema_bytes(name: &str) -> Vec<u8> {
    std::fs::read(root().join("tests/data/schemas").join(name)).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn validator(name: &str, draft: jsonschema::Draft) -> jsonschema::Validator {
    let schema: Value = serde_json::from_slice(&schema_bytes(name)).unwrap();
    jsonschema::options()
        .with_draft(draft)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name} compiles: {e}"))
}

fn sarif_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| validator(SARIF_SCHEMA, jsonschema::Draft::Draft4))
}

fn oscal_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| validator(OSCAL_SCHEMA, jsonschema::Draft::Draft7))
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path().as_str()))
        .collect()
}

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new().unwrap())
}

struct Example {
    name: &'static str,
    uri: String,
    text: String,
    model: Model,
    report: Report,
}

impl Example {
    fn ctx(&self) -> Context<'_> {
        Context {
            model: Some(&self.model),
            model_uri: Some(&self.uri),
        }
    }

    fn sarif(&self) -> Value {
        serde_json::from_str(&sarif::render(&self.report, &self.ctx()).unwrap()).unwrap()
    }

    fn oscal(&self) -> Value {
        serde_json::from_str(&oscal::render(&self.report, &self.ctx()).unwrap()).unwrap()
    }
}

fn evaluate(model: &Model) -> Report {
    // The tier comes from the model's organization.size_tier.
    engine()
        .evaluate(model, &Options::parse(AS_OF, None, None).unwrap())
        .unwrap()
}

fn example(name: &'static str) -> Example {
    let text = std::fs::read_to_string(root().join("../examples").join(name)).unwrap();
    let model = Model::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let report = evaluate(&model);
    Example {
        name,
        uri: format!("examples/{name}"),
        text,
        model,
        report,
    }
}

fn examples() -> Vec<Example> {
    EXAMPLES.iter().map(|n| example(n)).collect()
}

/// Every array in `v`, with its pointer, that is empty.
fn empty_arrays(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Array(a) => {
            if a.is_empty() {
                out.push(at.to_owned());
            }
            for (i, x) in a.iter().enumerate() {
                empty_arrays(x, &format!("{at}/{i}"), out);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                empty_arrays(x, &format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

/// Every value of a member named exactly `key`.
fn values_of<'a>(v: &'a Value, key: &str, out: &mut Vec<&'a str>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| values_of(x, key, out)),
        Value::Object(o) => {
            for (k, x) in o {
                if k == key
                    && let Some(s) = x.as_str()
                {
                    out.push(s);
                }
                values_of(x, key, out);
            }
        }
        _ => {}
    }
}

/// Byte offset of 1-based `line` and `column` (in characters) in `text`.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let rest = &text[start..];
    start
        + rest
            .char_indices()
            .nth(column - 1)
            .map_or(rest.len(), |(i, _)| i)
}

/// The nearest pointer, `pointer` or an ancestor, that names a node of `model`.
fn present<'a>(model: &Value, mut pointer: &'a str) -> &'a str {
    while model.pointer(pointer).is_none() {
        pointer = &pointer[..pointer.rfind('/').unwrap()];
    }
    pointer
}

#[test]
fn schemas_are_the_unmodified_official_copies() {
    let readme = std::fs::read_to_string(root().join("tests/data/schemas/README.md")).unwrap();
    for (name, sha, len) in SCHEMA_SHA256 {
        let bytes = schema_bytes(name);
        assert_eq!(bytes.len(), len, "{name}: size");
        assert_eq!(hex(&Sha256::digest(&bytes)), sha, "{name}: SHA-256");
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}`")))
            .unwrap_or_else(|| panic!("README.md lists {name}"));
        assert!(row.contains(sha), "README.md gives the SHA-256 of {name}");
    }
}

#[test]
fn format_checks_are_on() {
    // The validators check formats: a SARIF log with a malformed `uri` and an OSCAL date-time
    // without a timezone are rejected.
    let bad_sarif = json!({"version": "2.1.0", "runs": [{"tool": {"driver": {
        "name": "x", "informationUri": "not a uri"}}}]});
    assert!(!errors(sarif_validator(), &bad_sarif).is_empty());
    let e = example("startup.json");
    let doc = e.oscal();
    assert!(errors(oscal_validator(), &doc).is_empty());
    // The OSCAL validator rejects what the exporter must never write: a timestamp without a
    // timezone, an id that starts with a digit (its pattern uses \p{L}), an empty array, a
    // random-looking non-v4/v5 uuid, a property value with outer whitespace.
    let broken: [(&str, Value); 5] = [
        (
            "/assessment-results/metadata/last-modified",
            json!("2026-06-30T00:00:00"),
        ),
        (
            "/assessment-results/results/0/reviewed-controls/control-selections/0/include-controls/0/control-id",
            json!("4.4"),
        ),
        ("/assessment-results/results/0/findings", json!([])),
        (
            "/assessment-results/uuid",
            json!("00000000-0000-1000-8000-000000000000"),
        ),
        (
            "/assessment-results/results/0/props/0/value",
            json!(" nonconformant"),
        ),
    ];
    for (pointer, value) in broken {
        let mut bad = doc.clone();
        *bad.pointer_mut(pointer).unwrap() = value;
        assert!(
            !errors(oscal_validator(), &bad).is_empty(),
            "{pointer} is checked"
        );
    }
}

#[test]
fn sarif_of_every_example_validates() {
    for e in examples() {
        let log = e.sarif();
        let errs = errors(sarif_validator(), &log);
        assert!(errs.is_empty(), "{}: SARIF invalid: {errs:#?}", e.name);
    }
}

#[test]
fn oscal_of_every_example_validates() {
    for e in examples() {
        let doc = e.oscal();
        let errs = errors(oscal_validator(), &doc);
        assert!(errs.is_empty(), "{}: OSCAL invalid: {errs:#?}", e.name);
    }
}

#[test]
fn exports_are_byte_identical_run_to_run_and_from_value_or_text() {
    for e in examples() {
        for format in [Format::Sarif, Format::Oscal] {
            let a = render(format, &e.report, &e.ctx()).unwrap();
            let b = render(format, &e.report, &e.ctx()).unwrap();
            assert_eq!(a, b, "{}: {} differs run to run", e.name, format.as_str());
            assert!(a.ends_with("}\n"), "pretty JSON with a trailing newline");
        }
        // The same model from a parsed value gives the same report and, with the same
        // context, the same exports.
        let value: Value = serde_json::from_str(&e.text).unwrap();
        let from_value = Model::from_value(value).unwrap();
        assert_eq!(from_value.digest(), e.model.digest());
        let report = evaluate(&from_value);
        assert_eq!(report, e.report, "{}: report from value vs text", e.name);
        for format in [Format::Sarif, Format::Oscal] {
            assert_eq!(
                render(format, &report, &e.ctx()).unwrap(),
                render(format, &e.report, &e.ctx()).unwrap(),
                "{}: {}",
                e.name,
                format.as_str()
            );
        }
        // OSCAL needs no positions: the value-loaded model gives the same document.
        let value_ctx = Context {
            model: Some(&from_value),
            model_uri: Some(&e.uri),
        };
        assert_eq!(
            oscal::render(&report, &value_ctx).unwrap(),
            oscal::render(&e.report, &e.ctx()).unwrap()
        );
        // SARIF from the value-loaded model is the same log without regions.
        let mut with_text = e.sarif();
        let without: Value =
            serde_json::from_str(&sarif::render(&report, &value_ctx).unwrap()).unwrap();
        for r in with_text["runs"][0]["results"].as_array_mut().unwrap() {
            let physical = r["locations"][0]["physicalLocation"]
                .as_object_mut()
                .unwrap();
            physical.remove("region");
        }
        assert_eq!(with_text, without, "{}: SARIF without text", e.name);
    }
}

#[test]
fn sarif_lists_every_rule_and_one_result_per_finding() {
    for e in examples() {
        let log = e.sarif();
        assert_eq!(log["$schema"], sarif::SARIF_SCHEMA_URI);
        assert_eq!(log["version"], "2.1.0");
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "aimscheck");
        assert_eq!(driver["version"], aimscheck::VERSION);
        assert!(driver.get("informationUri").is_none());
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), e.report.rules.len(), "{}: every rule", e.name);
        for (d, r) in rules.iter().zip(&e.report.rules) {
            assert_eq!(d["id"], r.id.as_str());
            let name = d["name"].as_str().unwrap();
            assert!(
                name.chars().next().unwrap().is_ascii_uppercase()
                    && name.chars().all(char::is_alphanumeric),
                "{name}"
            );
            assert_eq!(d["shortDescription"]["text"], r.title.as_str());
            assert!(
                d["fullDescription"]["text"]
                    .as_str()
                    .unwrap()
                    .starts_with(r.title.trim_end_matches('.'))
            );
            assert!(
                d["help"]["text"]
                    .as_str()
                    .unwrap()
                    .contains(r.remediation.as_str())
            );
            let p = &d["properties"];
            assert_eq!(p["clause_refs"], json!(r.clause_refs));
            assert_eq!(p["severity"], r.severity.as_str());
            let score = match r.severity {
                Severity::Critical => "9.0",
                Severity::High => "7.0",
                Severity::Medium => "5.0",
                Severity::Low => "3.0",
                other => panic!("a severity this test does not know: {other:?}"),
            };
            assert_eq!(p["security-severity"], score);
            assert!(p["tags"].as_array().unwrap().contains(&json!("iso42001")));
        }
        // Rules of the embedded pack carry their rationale.
        let pack = aimscheck::RulePack::embedded().unwrap();
        let meta = pack.rules().next().unwrap();
        let d = rules.iter().find(|d| d["id"] == meta.id.as_str()).unwrap();
        assert!(
            d["fullDescription"]["text"]
                .as_str()
                .unwrap()
                .contains(meta.rationale.trim())
        );

        let results = run["results"].as_array().unwrap();
        let findings: usize = e.report.rules.iter().map(|r| r.findings.len()).sum();
        assert_eq!(
            results.len(),
            findings,
            "{}: one result per finding",
            e.name
        );
        let mut expected = Vec::new();
        for (i, r) in e.report.rules.iter().enumerate() {
            for f in &r.findings {
                expected.push((i, r, f));
            }
        }
        for (res, (i, r, f)) in results.iter().zip(expected) {
            assert_eq!(res["ruleId"], r.id.as_str());
            assert_eq!(res["ruleIndex"], i);
            assert_eq!(rules[i]["id"], r.id.as_str());
            let (kind, level) = match (f.kind, r.severity) {
                (FindingKind::MissingEvidence, _) => ("review", "note"),
                (_, Severity::Critical | Severity::High) => ("fail", "error"),
                (_, Severity::Medium) => ("fail", "warning"),
                (_, Severity::Low) => ("fail", "note"),
                other => panic!("a kind or severity this test does not know: {other:?}"),
            };
            assert_eq!(
                (res["kind"].as_str(), res["level"].as_str()),
                (Some(kind), Some(level))
            );
            assert!(
                res["message"]["text"]
                    .as_str()
                    .unwrap()
                    .starts_with(f.message.as_str())
            );
            let loc = &res["locations"][0];
            assert_eq!(
                loc["physicalLocation"]["artifactLocation"]["uri"],
                e.uri.as_str()
            );
            assert_eq!(
                loc["logicalLocations"][0]["fullyQualifiedName"],
                f.pointer.as_str()
            );
            assert_eq!(loc["logicalLocations"][0]["kind"], "member");
            // The region is where the pointed node (or, for an absent member, the object it
            // is missing from) starts in the text.
            let region = &loc["physicalLocation"]["region"];
            let (line, column) = (
                region["startLine"].as_u64().unwrap() as usize,
                region["startColumn"].as_u64().unwrap() as usize,
            );
            let at = offset(&e.text, line, column);
            let node: Value = serde_json::Deserializer::from_str(&e.text[at..])
                .into_iter::<Value>()
                .next()
                .unwrap()
                .unwrap();
            let p = present(e.model.value(), &f.pointer);
            assert_eq!(
                Some(&node),
                e.model.value().pointer(p),
                "{}: region of {}",
                e.name,
                f.pointer
            );
        }
        let props = &run["properties"];
        assert_eq!(props["as_of"], AS_OF);
        assert_eq!(props["tier"], e.report.tier.as_str());
        assert_eq!(props["profile"], "tier");
        assert_eq!(props["verdict"], e.report.verdict.as_str());
        assert_eq!(props["model_digest"], e.model.digest());
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    }
}

#[test]
fn sarif_region_of_a_gaps_finding_is_checked_by_hand() {
    let e = example("gaps.json");
    let log = e.sarif();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let find = |rule: &str, pointer: &str| {
        results
            .iter()
            .find(|r| {
                r["ruleId"] == rule
                    && r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == pointer
            })
            .unwrap_or_else(|| panic!("a result of {rule} at {pointer}"))
    };
    // examples/gaps.json, lines 1444-1445: process 12, documented but never run (AIMS-OPS-01):
    //     {
    //       "id": "proc-competence",
    let r = find("AIMS-OPS-01", "/processes/12");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(1444), Some(5))
    );
    assert_eq!(
        e.text.lines().nth(1444).unwrap().trim(),
        r#""id": "proc-competence","#
    );
    assert_eq!(r["level"], "error"); // AIMS-OPS-01 is high
    // The audit programme has no approved_on: the region is the object it is missing from,
    // line 2404: `  "audit_programme": {`.
    let r = find("AIMS-AUD-01", "/audit_programme/approved_on");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(2404), Some(22))
    );
    assert!(
        e.text
            .lines()
            .nth(2403)
            .unwrap()
            .starts_with(r#"  "audit_programme": {"#)
    );
}

#[test]
fn waived_findings_are_not_results_and_the_waiver_is_reported() {
    let mut value: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("../examples/gaps.json")).unwrap(),
    )
    .unwrap();
    value["exceptions"] = json!([{
        "id": "ex-competence-runs", "rule_id": "AIMS-OPS-01", "target": "/processes/12",
        "justification": "the competence process starts with the 2026 training cycle",
        "approved_by": "role-aims", "approved_on": "2026-06-01", "expires_on": "2026-09-30"
    }]);
    let text = serde_json::to_string_pretty(&value).unwrap();
    let model = Model::from_json(&text).unwrap();
    let report = evaluate(&model);
    let rule = report.rule("AIMS-OPS-01").unwrap();
    assert_eq!(rule.waivers.len(), 1);
    assert_eq!(rule.status, Status::Fail, "other processes still fail");
    let ctx = Context {
        model: Some(&model),
        model_uri: None,
    };
    let log: Value = serde_json::from_str(&sarif::render(&report, &ctx).unwrap()).unwrap();
    assert!(errors(sarif_validator(), &log).is_empty());
    let results = log["runs"][0]["results"].as_array().unwrap();
    let not_waived: usize = report.rules.iter().map(|r| r.findings.len()).sum();
    assert_eq!(results.len(), not_waived);
    assert!(!results.iter().any(|r| r["ruleId"] == "AIMS-OPS-01"
        && r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "/processes/12"));
    assert!(results.iter().all(
        |r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == sarif::DEFAULT_MODEL_URI
    ));
    let w = &log["runs"][0]["properties"]["waivers"][0];
    assert_eq!(
        (
            w["rule_id"].as_str(),
            w["exception_id"].as_str(),
            w["findings_waived"].as_u64()
        ),
        (Some("AIMS-OPS-01"), Some("ex-competence-runs"), Some(1))
    );
    // The OSCAL observation of the rule states the waiver and stays valid.
    let doc: Value = serde_json::from_str(&oscal::render(&report, &ctx).unwrap()).unwrap();
    assert!(errors(oscal_validator(), &doc).is_empty());
    let obs = doc["assessment-results"]["results"][0]["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["title"].as_str().unwrap().starts_with("AIMS-OPS-01:"))
        .unwrap();
    assert!(
        obs["description"]
            .as_str()
            .unwrap()
            .contains("ex-competence-runs")
    );
}

#[test]
fn oscal_has_a_finding_per_clause_and_an_observation_per_rule() {
    for e in examples() {
        let doc = e.oscal();
        let ar = &doc["assessment-results"];
        let md = &ar["metadata"];
        let midnight = format!("{AS_OF}T00:00:00Z");
        assert_eq!(md["oscal-version"], "1.1.3");
        assert_eq!(md["version"], aimscheck::VERSION);
        assert_eq!(md["published"], midnight.as_str());
        assert_eq!(md["last-modified"], midnight.as_str());
        let results = ar["results"].as_array().unwrap();
        assert_eq!(results.len(), 1);
        let result = &results[0];
        assert_eq!(result["start"], midnight.as_str());

        // import-ap points at a back-matter resource.
        let href = ar["import-ap"]["href"].as_str().unwrap();
        let resources = ar["back-matter"]["resources"].as_array().unwrap();
        assert!(
            resources
                .iter()
                .any(|r| format!("#{}", r["uuid"].as_str().unwrap()) == href)
        );

        let controls: Vec<&str> =
            result["reviewed-controls"]["control-selections"][0]["include-controls"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["control-id"].as_str().unwrap())
                .collect();
        let expected: Vec<String> = e
            .report
            .clauses
            .iter()
            .map(|c| format!("iso42001-{}", c.clause.to_lowercase()))
            .collect();
        assert_eq!(controls, expected);
        assert!(controls.contains(&"iso42001-4.4"));

        let observations = result["observations"].as_array().unwrap();
        assert_eq!(
            observations.len(),
            e.report.rules.len(),
            "{}: one per rule",
            e.name
        );
        let mut by_rule: BTreeMap<&str, &Value> = BTreeMap::new();
        for (o, r) in observations.iter().zip(&e.report.rules) {
            assert_eq!(o["methods"], json!(["TEST"]));
            assert_eq!(o["collected"], midnight.as_str());
            assert!(
                o["title"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("{}:", r.id))
            );
            let evidence = o.get("relevant-evidence").and_then(Value::as_array);
            assert_eq!(evidence.map_or(0, Vec::len), r.findings.len());
            for (ev, f) in evidence.into_iter().flatten().zip(&r.findings) {
                let href = ev["href"].as_str().unwrap();
                let pointer = href.strip_prefix(&format!("{}#", e.uri)).unwrap();
                assert_eq!(
                    pointer, f.pointer,
                    "pointers of the examples need no escaping"
                );
                assert!(
                    ev["description"]
                        .as_str()
                        .unwrap()
                        .starts_with(f.message.as_str())
                );
            }
            by_rule.insert(&r.id, o);
        }

        let findings = result["findings"].as_array().unwrap();
        assert_eq!(
            findings.len(),
            e.report.clauses.len(),
            "{}: one per clause",
            e.name
        );
        for (f, c) in findings.iter().zip(&e.report.clauses) {
            let target = &f["target"];
            assert_eq!(target["type"], "objective-id");
            let id = target["target-id"].as_str().unwrap();
            assert_eq!(id, format!("iso42001-{}", c.clause.to_lowercase()));
            assert!(id.starts_with(|ch: char| ch.is_ascii_alphabetic()));
            let (state, reason) = oscal::status_of(c.result);
            assert_eq!(target["status"]["state"], state);
            assert_eq!(target["status"]["reason"], reason);
            let props: BTreeMap<&str, &str> = f["props"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p["name"].as_str().unwrap(), p["value"].as_str().unwrap()))
                .collect();
            assert_eq!(props["ciso-assistant-urn"], c.urn);
            assert_eq!(props["result"], c.result.as_str());
            assert_eq!(props.get("grade").copied(), c.grade.map(|g| g.as_str()));
            let related: BTreeSet<&str> = f["related-observations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["observation-uuid"].as_str().unwrap())
                .collect();
            let rules: BTreeSet<&str> = c
                .rules
                .keys()
                .map(|id| by_rule[id.as_str()]["uuid"].as_str().unwrap())
                .collect();
            assert_eq!(related, rules, "{}: {}", e.name, c.clause);
        }

        let mut empty = Vec::new();
        empty_arrays(&doc, "", &mut empty);
        assert!(empty.is_empty(), "{}: empty arrays at {empty:?}", e.name);
    }
}

#[test]
fn oscal_uuids_are_unique_version_5_and_depend_on_the_inputs() {
    let mut all_docs = BTreeSet::new();
    for e in examples() {
        let doc = e.oscal();
        let mut uuids = Vec::new();
        values_of(&doc, "uuid", &mut uuids);
        let unique: BTreeSet<&str> = uuids.iter().copied().collect();
        assert_eq!(unique.len(), uuids.len(), "{}: uuids unique", e.name);
        for u in &uuids {
            assert_eq!(
                uuid::Uuid::parse_str(u).unwrap().get_version_num(),
                5,
                "{u}"
            );
        }
        // Stable: the same inputs give the same uuids.
        assert_eq!(doc, e.oscal());
        assert!(
            all_docs.insert(
                doc["assessment-results"]["uuid"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            )
        );
        // Another date is another evaluation: other uuids.
        let later = engine()
            .evaluate(&e.model, &Options::parse("2026-07-01", None, None).unwrap())
            .unwrap();
        let other: Value = serde_json::from_str(&oscal::render(&later, &e.ctx()).unwrap()).unwrap();
        let mut other_uuids = Vec::new();
        values_of(&other, "uuid", &mut other_uuids);
        assert!(
            other_uuids.iter().all(|u| !unique.contains(u)),
            "{}",
            e.name
        );
    }
}

#[test]
fn oscal_uuids_are_pinned_for_fixed_inputs() {
    // The derivation is pinned: with the digests fixed, the document and the finding of
    // clause 4.4 always get these uuids (a change here is a deliberate change of the format).
    let mut report = example("gaps.json").report;
    report.model.digest = format!("sha256:{}", "0".repeat(64));
    report.rule_packs = vec![aimscheck::report::PackInfo {
        id: "iso42001-4.4".to_owned(),
        version: "1.0.0".to_owned(),
        digest: format!("sha256:{}", "1".repeat(64)),
    }];
    let doc: Value =
        serde_json::from_str(&oscal::render(&report, &Context::default()).unwrap()).unwrap();
    let ar = &doc["assessment-results"];
    let clause = ar["results"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["target-id"] == "iso42001-4.4")
        .unwrap();
    assert_eq!(
        (
            ar["uuid"].as_str().unwrap(),
            clause["uuid"].as_str().unwrap()
        ),
        (PINNED_DOCUMENT, PINNED_CLAUSE_4_4)
    );
}

// Cross-checked with Python: uuid5(uuid5(UUID(int=0x5e0c4a1f7b2d4c8e9a36d1f0b7e2c463), seed),
// "document:assessment-results") where seed is the lines "aimscheck-oscal/1", "model=…",
// "pack=iso42001-4.4@1.0.0=…", "as_of=2026-06-30", "tier=scaleup", "profile=tier".
const PINNED_DOCUMENT: &str = "e837a09a-6ed2-51b1-b1d6-5ad62d0c76ef";
const PINNED_CLAUSE_4_4: &str = "d2e36913-77fd-54ce-8ee6-f81bffa6410d";
