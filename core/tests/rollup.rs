//! The clause roll-up and the AIMS's result, through the public API: each clause's result and
//! grade come from the rules that cite it, together, by the table of CHECKS.md ("The clause
//! roll-up"); the AIMS's result is over every rule and is not clause 4.4's row; and every
//! export (Markdown, HTML, OSCAL, SARIF, JUnit, CISO Assistant CSV) says what the report says
//! and that grades are indicative.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use aimscheck::export::{self, Context, Format};
use aimscheck::report::coherent;
use aimscheck::{
    ClauseResult, ClauseRollup, Engine, GRADES_NOTE, Grade, Model, Options, Overlay, Report,
    RulePack, Status, roll_up,
};
use serde_json::{Value, json};

const AS_OF: &str = "2026-06-30";

// ---------------------------------------------------------------- helpers

/// A check that ends in `status` on the models of these tests (which have no processes).
fn check(status: &str) -> Value {
    let empty = |if_none: Option<Value>| {
        let mut fe =
            json!({"in": "/processes/*", "check": {"assert": {"that": true, "message": "m"}}});
        if let Some(n) = if_none {
            fe["if_none"] = n;
        }
        json!({ "for_each": fe })
    };
    match status {
        "pass" => json!({"assert": {"that": true, "message": "holds"}}),
        // Also what a waiver turns into `waived`.
        "fail" => json!({"assert": {"that": false, "message": "does not hold"}}),
        "insufficient_evidence" => empty(Some(
            json!({"status": "insufficient_evidence", "message": "no process to judge"}),
        )),
        "not_applicable" => empty(None),
        "error" => json!({"assert": {"that": {"lt": [1, "a"]}, "message": "m"}}),
        other => panic!("no check for {other}"),
    }
}

/// A rule `id` citing `clauses`, of `severity`, that ends in `status` (`fail` for a rule the
/// model waives).
fn rule(id: &str, clauses: &[&str], severity: &str, status: &str) -> Value {
    json!({
        "id": id, "title": format!("rule {id}"), "clause_refs": clauses, "aspect": "establish",
        "severity": severity, "tiers": ["startup", "scaleup", "enterprise"], "rationale": "r",
        "remediation": "fix it", "check": check(status)
    })
}

fn pack(rules: Vec<Value>) -> RulePack {
    RulePack::from_files(&[
        (
            "pack.json".to_owned(),
            json!({"id": "rollup-test", "version": "1.0.0", "title": "Roll-up test pack"})
                .to_string(),
        ),
        (
            "rules.json".to_owned(),
            serde_json::to_string_pretty(&json!({ "rules": rules })).unwrap(),
        ),
    ])
    .unwrap_or_else(|e| panic!("pack does not compile: {:#?}", e.issues()))
}

/// A startup with a CEO and the exceptions that waive each rule of `waived`.
fn model(waived: &[&str]) -> Model {
    let exceptions: Vec<Value> = waived
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            json!({"id": format!("ex-{i}"), "rule_id": rule, "justification": "accepted for now",
                "approved_by": "r-ceo", "approved_on": "2026-06-01", "expires_on": "2026-09-30"})
        })
        .collect();
    Model::from_value(json!({
        "schema_version": "1.0",
        "organization": {"name": "Rollup Co", "size_tier": "startup"},
        "roles": [{"id": "r-ceo", "name": "CEO", "aims_duties": ["top_management"]}],
        "exceptions": exceptions
    }))
    .unwrap()
}

fn evaluate(rules: Vec<Value>, waived: &[&str], overlay: Option<&str>) -> (Model, Report) {
    let mut engine = Engine::with_packs(vec![pack(rules)]).unwrap();
    if let Some(o) = overlay {
        engine = engine
            .with_overlay(Overlay::from_json(o, Some("overlay.json")).unwrap())
            .unwrap();
    }
    let model = model(waived);
    let report = engine
        .evaluate(&model, &Options::parse(AS_OF, None, None).unwrap())
        .unwrap();
    (model, report)
}

fn clause<'a>(report: &'a Report, id: &str) -> &'a ClauseRollup {
    report
        .clauses
        .iter()
        .find(|c| c.clause == id)
        .unwrap_or_else(|| panic!("no clause {id} in the roll-up"))
}

fn pair(report: &Report, id: &str) -> (ClauseResult, Option<Grade>) {
    let c = clause(report, id);
    (c.result, c.grade)
}

fn render(format: Format, model: &Model, report: &Report) -> String {
    let ctx = Context {
        model: Some(model),
        model_uri: Some("model.json"),
    };
    export::render(format, report, &ctx).unwrap_or_else(|e| panic!("{format:?}: {e}"))
}

/// Every row of the table, one clause each, with the AIMS over all of them.
fn mixed() -> (Model, Report) {
    evaluate(
        vec![
            // 4.4: a medium and a critical rule fail.
            rule("T-44-MED", &["4.4"], "medium", "fail"),
            rule("T-44-CRIT", &["4.4"], "critical", "fail"),
            rule("T-44-PASS", &["4.4"], "high", "pass"),
            // 4.1: a high rule fails, a low one lacks evidence.
            rule("T-41-HIGH", &["4.1"], "high", "fail"),
            rule("T-41-IE", &["4.1"], "low", "insufficient_evidence"),
            // 5.1: only a rule that lacks evidence.
            rule("T-51-IE", &["5.1"], "critical", "insufficient_evidence"),
            // 5.2: a medium rule fails and nothing passes.
            rule("T-52-MED", &["5.2"], "medium", "fail"),
            // 6.2: a pass beside a rule that does not apply.
            rule("T-62-PASS", &["6.2"], "low", "pass"),
            rule("T-62-NA", &["6.2"], "critical", "not_applicable"),
            // 7.2: nothing applies.
            rule("T-72-NA", &["7.2"], "critical", "not_applicable"),
            // 9.1: an error beside a pass.
            rule("T-91-ERR", &["9.1"], "high", "error"),
            rule("T-91-PASS", &["9.1"], "high", "pass"),
            // 10.1: a waived critical rule and a failing low one.
            rule("T-101-WAIVED", &["10.1"], "critical", "fail"),
            rule("T-101-LOW", &["10.1"], "low", "fail"),
            // 10.2: waived only.
            rule("T-102-WAIVED", &["10.2"], "high", "fail"),
        ],
        &["T-101-WAIVED", "T-102-WAIVED"],
        None,
    )
}

// ---------------------------------------------------------------- the table

#[test]
fn each_clause_follows_the_table() {
    let (_, report) = mixed();
    assert_eq!(report.rule("T-101-WAIVED").unwrap().status, Status::Waived);
    assert_eq!(report.rule("T-91-ERR").unwrap().status, Status::Error);
    use ClauseResult::*;
    use Grade::*;
    let expected = [
        ("4.1", NonCompliant, Some(MinorNonconformity)),
        ("4.4", NonCompliant, Some(MajorNonconformity)),
        ("5.1", NotAssessed, None),
        ("5.2", PartiallyCompliant, Some(ObservationSensitivePoint)),
        ("6.2", Compliant, None),
        ("7.2", NotApplicable, None),
        ("9.1", NotAssessed, None),
        ("10.1", PartiallyCompliant, Some(OpportunityForImprovement)),
        ("10.2", Compliant, None),
    ];
    for (id, result, grade) in expected {
        assert_eq!(pair(&report, id), (result, grade), "clause {id}");
    }
    assert_eq!(report.clauses.len(), expected.len());
    // The AIMS: over every rule, the critical failure of 4.4 decides.
    assert_eq!(
        (report.aims.result, report.aims.grade),
        (NonCompliant, Some(MajorNonconformity))
    );
}

#[test]
fn a_medium_and_a_critical_failure_in_one_clause_are_non_compliant_and_major() {
    let (_, report) = evaluate(
        vec![
            rule("T-MED", &["4.4"], "medium", "fail"),
            rule("T-CRIT", &["4.4"], "critical", "fail"),
            rule("T-PASS", &["4.4"], "high", "pass"),
        ],
        &[],
        None,
    );
    // Format 1.0 said partially_compliant (some rules pass) with major_nonconformity here.
    assert_eq!(
        pair(&report, "4.4"),
        (ClauseResult::NonCompliant, Some(Grade::MajorNonconformity))
    );
    let v = serde_json::to_value(&report).unwrap();
    assert_eq!(v["clauses"][0]["result"], "non_compliant");
    assert_eq!(v["clauses"][0]["grade"], "major_nonconformity");
}

#[test]
fn a_clause_with_only_missing_evidence_is_not_assessed_without_grade() {
    let (_, report) = evaluate(
        vec![rule("T-IE", &["4.4"], "critical", "insufficient_evidence")],
        &[],
        None,
    );
    assert_eq!(pair(&report, "4.4"), (ClauseResult::NotAssessed, None));
    let v = serde_json::to_value(&report).unwrap();
    assert_eq!(v["clauses"][0]["result"], "not_assessed");
    assert!(v["clauses"][0].get("grade").is_none(), "{v:#}");
    assert!(v["aims"].get("grade").is_none(), "{v:#}");
}

#[test]
fn only_medium_or_low_failures_never_make_a_clause_non_compliant() {
    // Every rule of the clause fails, yet none is high or critical: partially compliant.
    let (_, report) = evaluate(
        vec![
            rule("T-MED", &["4.4"], "medium", "fail"),
            rule("T-LOW", &["4.4"], "low", "fail"),
        ],
        &[],
        None,
    );
    assert_eq!(
        pair(&report, "4.4"),
        (
            ClauseResult::PartiallyCompliant,
            Some(Grade::ObservationSensitivePoint)
        )
    );
}

#[test]
fn the_grade_follows_the_severity_an_overlay_sets() {
    let rules = || {
        vec![
            rule("T-CRIT", &["4.4"], "critical", "fail"),
            rule("T-LOW", &["5.1"], "low", "fail"),
        ]
    };
    let (_, plain) = evaluate(rules(), &[], None);
    assert_eq!(
        pair(&plain, "4.4"),
        (ClauseResult::NonCompliant, Some(Grade::MajorNonconformity))
    );
    let (_, overlaid) = evaluate(
        rules(),
        &[],
        Some(r#"{"severity": {"T-CRIT": "low", "T-LOW": "high"}}"#),
    );
    assert_eq!(
        pair(&overlaid, "4.4"),
        (
            ClauseResult::PartiallyCompliant,
            Some(Grade::OpportunityForImprovement)
        )
    );
    assert_eq!(
        pair(&overlaid, "5.1"),
        (ClauseResult::NonCompliant, Some(Grade::MinorNonconformity))
    );
    assert_eq!(
        (overlaid.aims.result, overlaid.aims.grade),
        (ClauseResult::NonCompliant, Some(Grade::MinorNonconformity))
    );
}

#[test]
fn reports_of_the_examples_roll_up_by_the_table() {
    for name in ["startup", "scaleup", "enterprise", "gaps"] {
        let (_, report) = common::example(name);
        for c in &report.clauses {
            assert!(coherent(c.result, c.grade), "{name} {}", c.clause);
            let rules = report
                .rules
                .iter()
                .filter(|r| r.clause_refs.contains(&c.clause))
                .map(|r| (r.status, r.severity));
            assert_eq!((c.result, c.grade), roll_up(rules), "{name} {}", c.clause);
        }
        let all = report.rules.iter().map(|r| (r.status, r.severity));
        assert_eq!(
            (report.aims.result, report.aims.grade),
            roll_up(all),
            "{name}"
        );
        assert!(coherent(report.aims.result, report.aims.grade), "{name}");
        assert_eq!(report.grades_note, GRADES_NOTE);
    }
}

// ---------------------------------------------------------------- the AIMS is not clause 4.4

/// Clause 4.4 holds; a critical rule of 5.1 fails: the AIMS is non-compliant, 4.4 is not.
fn aims_differs_from_4_4() -> (Model, Report) {
    evaluate(
        vec![
            rule("T-44", &["4.4"], "high", "pass"),
            rule("T-51", &["5.1"], "critical", "fail"),
        ],
        &[],
        None,
    )
}

#[test]
fn the_aims_result_is_not_clause_4_4s_row() {
    let (_, report) = aims_differs_from_4_4();
    assert_eq!(pair(&report, "4.4"), (ClauseResult::Compliant, None));
    assert_eq!(
        (report.aims.result, report.aims.grade),
        (ClauseResult::NonCompliant, Some(Grade::MajorNonconformity))
    );
    let v = serde_json::to_value(&report).unwrap();
    assert_eq!(
        v["aims"],
        json!({"result": "non_compliant", "grade": "major_nonconformity"})
    );
    assert!(v.get("overall").is_none());
    assert_eq!(v["grades_note"], GRADES_NOTE);
}

#[test]
fn every_export_tells_the_aims_from_clause_4_4() {
    let (model, report) = aims_differs_from_4_4();

    let md = render(Format::Markdown, &model, &report);
    assert!(
        md.contains("| AIMS (every rule) | Non-compliant (Major nonconformity) |"),
        "{md}"
    );
    assert!(
        md.contains("| 4.4 | AI management system | Compliant |  | T-44 (pass) |"),
        "{md}"
    );
    assert!(!md.contains("Clause 4.4 overall"), "{md}");

    let html = render(Format::Html, &model, &report);
    assert!(
        html.contains("<span class=\"label\">AIMS (every rule)</span><span class=\"value result bad\">Non-compliant</span> <span class=\"grade\">Major nonconformity</span>"),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"clause\">4.4</td><td>AI management system</td><td><span class=\"result good\">Compliant</span></td><td></td>"),
        "{html}"
    );
    assert!(!html.contains("Clause 4.4 overall"));

    let oscal: Value = serde_json::from_str(&render(Format::Oscal, &model, &report)).unwrap();
    let result = &oscal["assessment-results"]["results"][0];
    let props = |v: &Value| -> Vec<(String, String)> {
        v["props"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_owned(),
                    p["value"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let top = props(result);
    assert!(top.contains(&("aims-result".into(), "non_compliant".into())));
    assert!(top.contains(&("aims-grade".into(), "major_nonconformity".into())));
    assert!(
        top.iter().all(|(n, _)| !n.starts_with("overall")),
        "{top:?}"
    );
    let finding_44 = result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["target-id"] == "iso42001-4.4")
        .unwrap();
    assert!(props(finding_44).contains(&("result".into(), "compliant".into())));
    assert_eq!(finding_44["target"]["status"]["state"], "satisfied");

    let sarif: Value = serde_json::from_str(&render(Format::Sarif, &model, &report)).unwrap();
    let run = &sarif["runs"][0]["properties"];
    assert_eq!(run["aims_result"], "non_compliant");
    assert_eq!(run["aims_grade"], "major_nonconformity");
    assert_eq!(run["grades_note"], GRADES_NOTE);
    assert!(run.get("overall_result").is_none());

    let csv = render(Format::CisoCsv, &model, &report);
    let rows = csv_rows(&csv);
    let row_44 = rows.iter().find(|r| r[0] == "4.4").unwrap();
    assert_eq!(row_44[3], "compliant", "the 4.4 row is clause 4.4's own");
    assert!(!row_44[5].contains("Grade:"), "{}", row_44[5]);
    let row_51 = rows.iter().find(|r| r[0] == "5.1").unwrap();
    assert_eq!(row_51[3], "non_compliant");
    assert!(
        row_51[5].contains(&format!("Grade: major_nonconformity. {GRADES_NOTE}")),
        "{}",
        row_51[5]
    );
}

// ---------------------------------------------------------------- exports agree

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The Markdown clause table: (clause, result, grade) per row.
fn markdown_clauses(md: &str) -> Vec<(String, String, String)> {
    let table = md
        .split("\n## Clauses\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .find(|block| block.starts_with("| Clause |"))
        .unwrap();
    table
        .lines()
        .skip(2)
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
            (
                cells[0].trim().to_owned(),
                cells[2].trim().to_owned(),
                cells[3].trim().to_owned(),
            )
        })
        .collect()
}

/// The HTML clause table: (clause, result, grade) per row.
fn html_clauses(html: &str) -> Vec<(String, String, String)> {
    html.split("<td class=\"clause\">")
        .skip(1)
        .map(|row| {
            let row = row.split("</tr>").next().unwrap();
            let clause = row.split("</td>").next().unwrap();
            let result = row
                .split("<span class=\"result ")
                .nth(1)
                .unwrap()
                .split_once("\">")
                .unwrap()
                .1
                .split("</span>")
                .next()
                .unwrap();
            let grade = row
                .split("</span></td><td>")
                .nth(1)
                .unwrap()
                .split("</td>")
                .next()
                .unwrap();
            (clause.to_owned(), result.to_owned(), grade.to_owned())
        })
        .collect()
}

/// A result or grade of the report in the words the Markdown and HTML outputs print.
fn words(name: &str) -> &'static str {
    match name {
        "" => "",
        "compliant" => "Compliant",
        "partially_compliant" => "Partially compliant",
        "non_compliant" => "Non-compliant",
        "not_applicable" => "Not applicable",
        "not_assessed" => "Not assessed",
        "major_nonconformity" => "Major nonconformity",
        "minor_nonconformity" => "Minor nonconformity",
        "observation_sensitive_point" => "Observation (sensitive point)",
        "opportunity_for_improvement" => "Opportunity for improvement",
        other => panic!("a name this test does not know: {other}"),
    }
}

fn assert_exports_agree(name: &str, model: &Model, report: &Report) {
    let expected: Vec<(String, String, String)> = report
        .clauses
        .iter()
        .map(|c| {
            (
                c.clause.clone(),
                c.result.as_str().to_owned(),
                c.grade.map_or("", |g| g.as_str()).to_owned(),
            )
        })
        .collect();
    // Markdown and HTML print them in words.
    let in_words: Vec<(String, String, String)> = expected
        .iter()
        .map(|(c, r, g)| (c.clone(), words(r).to_owned(), words(g).to_owned()))
        .collect();
    let aims_result = words(report.aims.result.as_str());
    let aims = match report.aims.grade {
        Some(g) => format!("{aims_result} ({})", words(g.as_str())),
        None => aims_result.to_owned(),
    };

    let md = render(Format::Markdown, model, report);
    assert_eq!(markdown_clauses(&md), in_words, "{name}: Markdown");
    assert!(
        md.contains(&format!("| AIMS (every rule) | {aims} |")),
        "{name}"
    );
    assert!(md.contains(GRADES_NOTE), "{name}: Markdown");

    let html = render(Format::Html, model, report);
    assert_eq!(html_clauses(&html), in_words, "{name}: HTML");
    assert!(
        html.contains(&format!(
            "<span class=\"label\">AIMS (every rule)</span><span class=\"value result {}\">{}</span>",
            match report.aims.result {
                ClauseResult::Compliant => "good",
                ClauseResult::PartiallyCompliant => "partial",
                ClauseResult::NonCompliant => "bad",
                ClauseResult::NotAssessed => "unknown",
                ClauseResult::NotApplicable => "na",
                other => panic!("a result this test does not know: {other:?}"),
            },
            aims_result
        )),
        "{name}: HTML"
    );
    assert!(html.contains(GRADES_NOTE), "{name}: HTML");

    let oscal: Value = serde_json::from_str(&render(Format::Oscal, model, report)).unwrap();
    let result = &oscal["assessment-results"]["results"][0];
    let prop = |v: &Value, name: &str| -> Option<String> {
        v["props"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["value"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        prop(result, "aims-result").as_deref(),
        Some(report.aims.result.as_str())
    );
    assert_eq!(
        prop(result, "aims-grade").as_deref(),
        report.aims.grade.map(|g| g.as_str())
    );
    assert!(
        result["remarks"].as_str().unwrap().contains(GRADES_NOTE),
        "{name}: OSCAL"
    );
    let findings: Vec<(String, String, String)> = result["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|f| {
                    (
                        prop(f, "clause").unwrap(),
                        prop(f, "result").unwrap(),
                        prop(f, "grade").unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(findings, expected, "{name}: OSCAL");

    let sarif: Value = serde_json::from_str(&render(Format::Sarif, model, report)).unwrap();
    let run = &sarif["runs"][0]["properties"];
    assert_eq!(run["aims_result"], report.aims.result.as_str(), "{name}");
    assert_eq!(
        run.get("aims_grade").and_then(Value::as_str),
        report.aims.grade.map(|g| g.as_str()),
        "{name}"
    );

    // JUnit: each clause's suite carries its roll-up as properties.
    let xml = render(Format::Junit, model, report);
    for c in &report.clauses {
        let suite = xml
            .split("<property name=\"clause\" value=\"")
            .find(|part| part.starts_with(&format!("{}\"", c.clause)))
            .and_then(|part| part.split("</properties>").next())
            .unwrap_or_else(|| panic!("{name}: JUnit has no suite for {}", c.clause));
        assert!(
            suite.contains(&format!(
                "<property name=\"result\" value=\"{}\"/>",
                c.result.as_str()
            )),
            "{name}: JUnit {}",
            c.clause
        );
        match c.grade {
            Some(g) => {
                assert!(
                    suite.contains(&format!(
                        "<property name=\"grade\" value=\"{}\"/>",
                        g.as_str()
                    )),
                    "{name}: JUnit {}",
                    c.clause
                );
                assert!(
                    suite.contains(&format!(
                        "<property name=\"grades_note\" value=\"{GRADES_NOTE}\"/>"
                    )),
                    "{name}: JUnit {}",
                    c.clause
                );
            }
            None => assert!(
                !suite.contains("name=\"grade"),
                "{name}: JUnit {}",
                c.clause
            ),
        }
    }

    // CISO Assistant: a row that is one clause's own node says that clause's result, and
    // names its grade with the note.
    let csv = render(Format::CisoCsv, model, report);
    let rows = csv_rows(&csv);
    for c in &report.clauses {
        let Some(row) = rows.iter().find(|r| r[0] == c.clause) else {
            continue; // folded into 6.1 or spread onto sub-nodes
        };
        if row[5].contains("Reported here for clause") {
            continue; // several clauses land on this node
        }
        assert_eq!(row[3], c.result.as_str(), "{name}: CSV {}", c.clause);
        match c.grade {
            Some(g) => {
                assert!(
                    row[5].contains(&format!("Grade: {}. {GRADES_NOTE}", g.as_str())),
                    "{name}: CSV {}: {}",
                    c.clause,
                    row[5]
                );
            }
            None => assert!(!row[5].contains("Grade:"), "{name}: CSV {}", c.clause),
        }
    }
    if report.clauses.iter().any(|c| c.grade.is_some()) {
        assert!(csv.contains(GRADES_NOTE), "{name}: CSV");
    }
}

#[test]
fn every_export_says_what_the_roll_up_says() {
    let (model, report) = mixed();
    assert_exports_agree("mixed", &model, &report);
    let (model, report) = aims_differs_from_4_4();
    assert_exports_agree("aims-differs", &model, &report);
    for name in ["startup", "scaleup", "enterprise", "gaps"] {
        let (model, report) = common::example(name);
        assert_exports_agree(name, &model, &report);
    }
}
