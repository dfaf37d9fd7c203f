//! The report's `fix_first` (the failing rules in the order to fix them) on the gaps example as
//! of 2026-06-30, with an overlay, in a report read back without it, and the order in which
//! the Markdown and HTML outputs print the failing rules.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use aimscheck::export::{self, Context, Format};
use aimscheck::{Engine, Options, Overlay, Report, Severity, Status};
use serde_json::Value;

/// `fix_first` of examples/gaps.json as of 2026-06-30, worked out by hand from the severity
/// and the first clause of each of its 32 failing rules (the pack's severities; the first
/// clause is the first of the rule's `clause_refs`):
///
/// - critical, by first clause: AIMS-PROC-01 (4.4), AIMS-RISK-02 (6.1.2), AIMS-RISK-07
///   (6.1.3), AIMS-RISK-03 (6.1.4), AIMS-DOC-01 (7.5.1), AIMS-RISK-04 (8.1), AIMS-AUD-02
///   (9.2.1), AIMS-MR-01 (9.3.1);
/// - high: AIMS-CTX-01 (4.1); six rules whose first clause is 4.4, by id: AIMS-OPS-01,
///   AIMS-PROC-02, -03, -04, -05, -06; AIMS-RISK-06 and AIMS-RISK-09 (6.1.3); AIMS-SUP-02
///   (7.2); AIMS-DOC-03 (7.5.2); AIMS-RISK-05 (8.2); AIMS-MON-01 (9.1); AIMS-AUD-01 and
///   AIMS-AUD-03 (9.2.2); AIMS-NC-01 … 04 (10.2: after 9.x although "10" sorts first as text);
/// - medium: AIMS-PROC-07 and AIMS-PROC-08 (4.4), AIMS-SUP-01 (7.2), AIMS-OPS-02 (7.5),
///   AIMS-CI-01 (10.1);
/// - no low rule fails.
const GAPS_FIX_FIRST: [&str; 32] = [
    "AIMS-PROC-01",
    "AIMS-RISK-02",
    "AIMS-RISK-07",
    "AIMS-RISK-03",
    "AIMS-DOC-01",
    "AIMS-RISK-04",
    "AIMS-AUD-02",
    "AIMS-MR-01",
    "AIMS-CTX-01",
    "AIMS-OPS-01",
    "AIMS-PROC-02",
    "AIMS-PROC-03",
    "AIMS-PROC-04",
    "AIMS-PROC-05",
    "AIMS-PROC-06",
    "AIMS-RISK-06",
    "AIMS-RISK-09",
    "AIMS-SUP-02",
    "AIMS-DOC-03",
    "AIMS-RISK-05",
    "AIMS-MON-01",
    "AIMS-AUD-01",
    "AIMS-AUD-03",
    "AIMS-NC-01",
    "AIMS-NC-02",
    "AIMS-NC-03",
    "AIMS-NC-04",
    "AIMS-PROC-07",
    "AIMS-PROC-08",
    "AIMS-SUP-01",
    "AIMS-OPS-02",
    "AIMS-CI-01",
];

fn render(format: Format, report: &Report) -> String {
    export::render(format, report, &Context::default()).unwrap()
}

/// Where each of `ids` first appears in `text` after `marker(id)`, in the order of `ids`.
fn positions(text: &str, ids: &[&str], marker: impl Fn(&str) -> String) -> Vec<usize> {
    ids.iter()
        .map(|id| {
            text.find(&marker(id))
                .unwrap_or_else(|| panic!("{} is not in the output", marker(id)))
        })
        .collect()
}

fn increasing(at: &[usize]) -> bool {
    at.windows(2).all(|w| w[0] < w[1])
}

#[test]
fn gaps_fix_first_is_the_order_worked_out_by_hand() {
    let (_, report) = common::example("gaps");
    assert_eq!(report.fix_first, GAPS_FIX_FIRST);
    let ids: Vec<&str> = report
        .fix_first_rules()
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(ids, GAPS_FIX_FIRST);
    // Every failing rule, and no other, is listed once.
    let failing = report
        .rules
        .iter()
        .filter(|r| r.status == Status::Fail)
        .count();
    assert_eq!(failing, GAPS_FIX_FIRST.len());
    // In the JSON, after grades_note and before summary.
    let json = report.to_json_pretty();
    let v: Value = serde_json::from_str(&json).unwrap();
    let listed: Vec<&str> = v["fix_first"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(listed, GAPS_FIX_FIRST);
    let at = |key: &str| json.find(&format!("\n  \"{key}\":")).unwrap();
    assert!(at("grades_note") < at("fix_first") && at("fix_first") < at("summary"));
}

#[test]
fn fix_first_follows_the_severity_an_overlay_sets_and_is_empty_without_failures() {
    let (model, _) = common::example("gaps");
    // AIMS-CI-01 (medium, 10.1) made critical: last of the critical rules (10.1 after 9.3.1);
    // AIMS-PROC-01 (critical, 4.4) made low: last of all.
    let overlay: Overlay = serde_json::from_value(serde_json::json!({
        "severity": {"AIMS-CI-01": "critical", "AIMS-PROC-01": "low"}
    }))
    .unwrap();
    let engine = Engine::new().unwrap().with_overlay(overlay).unwrap();
    let report = engine
        .evaluate(&model, &Options::parse(common::AS_OF, None, None).unwrap())
        .unwrap();
    let mut expected: Vec<&str> = GAPS_FIX_FIRST
        .iter()
        .copied()
        .filter(|id| *id != "AIMS-CI-01" && *id != "AIMS-PROC-01")
        .collect();
    expected.insert(7, "AIMS-CI-01");
    expected.push("AIMS-PROC-01");
    assert_eq!(report.fix_first, expected);
    assert_eq!(report.rule("AIMS-PROC-01").unwrap().severity, Severity::Low);

    let (_, conformant) = common::example("scaleup");
    assert_eq!(conformant.summary.by_status.fail, 0);
    assert!(conformant.fix_first.is_empty());
    let v: Value = serde_json::to_value(&conformant).unwrap();
    assert_eq!(v["fix_first"], serde_json::json!([]));
}

#[test]
fn a_report_read_without_fix_first_is_still_in_that_order() {
    let (_, report) = common::example("gaps");
    let mut v: Value = serde_json::to_value(&report).unwrap();
    v.as_object_mut().unwrap().remove("fix_first");
    let old: Report = serde_json::from_value(v).unwrap();
    assert!(old.fix_first.is_empty());
    let ids: Vec<&str> = old
        .fix_first_rules()
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(ids, GAPS_FIX_FIRST);
    // Its exports print the failing rules in the same order as the report's.
    for format in [Format::Markdown, Format::Html] {
        assert_eq!(render(format, &old), render(format, &report), "{format:?}");
    }
}

#[test]
fn markdown_prints_the_failing_rules_in_fix_first_order() {
    let (_, report) = common::example("gaps");
    let md = render(Format::Markdown, &report);
    let (_, failing) = md.split_once("\n## Failing rules\n").unwrap();
    let failing = failing.split("\n## ").next().unwrap();
    assert!(failing.starts_with(
        "\nIn the order to fix them: the most severe first, then by clause number.\n"
    ));
    let at = positions(failing, &GAPS_FIX_FIRST, |id| format!("\n### {id} "));
    assert!(increasing(&at), "{at:?}");
    assert_eq!(failing.matches("\n### ").count(), GAPS_FIX_FIRST.len());
    assert!(
        failing.contains("\nStatus **Fail**, severity critical, clauses 4.4, aspect establish.\n")
    );
}

#[test]
fn html_prints_the_failing_rules_in_fix_first_order() {
    let (_, report) = common::example("gaps");
    let html = render(Format::Html, &report);
    let (_, failing) = html.split_once("<section id=\"failing\">").unwrap();
    let failing = failing.split("</section>").next().unwrap();
    let at = positions(failing, &GAPS_FIX_FIRST, |id| {
        format!("<article class=\"rule-card status-fail\" id=\"rule-{id}\">")
    });
    assert!(increasing(&at), "{at:?}");
    assert_eq!(failing.matches("<article ").count(), GAPS_FIX_FIRST.len());
    assert!(failing.contains(
        "<p class=\"note\">In the order to fix them: the most severe first, then by clause number.</p>"
    ));
}

#[test]
fn html_and_markdown_print_words_and_percentages() {
    let (_, report) = common::example("gaps");
    let html = render(Format::Html, &report);
    let md = render(Format::Markdown, &report);
    // gaps.json as of 2026-06-30: one corrective action of three is resolved, 5 of 11 active
    // processes ran inside their cadence, clause 5.1's worst failure is medium.
    for out in [&html, &md] {
        assert!(out.contains("33%"));
        assert!(out.contains("45%"));
        assert!(out.contains("0.5 per AI system"));
        assert!(out.contains("177 days"));
        assert!(out.contains("Observation (sensitive point)"));
        assert!(!out.contains(" ratio"));
        assert!(!out.contains("per_system"));
    }
    assert!(html.contains(
        "<td class=\"clause\">5.1</td><td>Leadership and commitment</td><td><span class=\"result partial\">Partially compliant</span></td><td>Observation (sensitive point)</td>"
    ));
    assert!(html.contains("<span class=\"status status-fail\">Fail</span> <span class=\"severity severity-critical\">Critical</span> clauses 4.4"));
    assert!(html.contains("<span class=\"status status-not_applicable\">Not applicable</span>"));
    assert!(html.contains("<li class=\"status-insufficient_evidence\"><span class=\"n\">0</span> insufficient evidence</li>"));
    assert!(html.contains("tier scaleup (from the model) · profile: the rules of the tier"));
    assert!(md.contains("| Rules | 53: 14 pass, 32 fail, 0 insufficient evidence, 7 not applicable, 0 waived, 0 error |"));
    assert!(md.contains(
        "| 5.1 | Leadership and commitment | Partially compliant | Observation (sensitive point) |"
    ));
    assert!(md.contains("| Verdict | **Nonconformant** |"));
    // Outside code and the model's own words, no enum name of the report is left.
    let text: String = html
        .split("<style>")
        .next()
        .into_iter()
        .chain(html.split("</style>").nth(1))
        .collect();
    let prose = text
        .split("<code")
        .map(|part| part.split_once("</code>").map_or(part, |(_, after)| after))
        .collect::<String>();
    for raw in [
        "non_compliant",
        "partially_compliant",
        "observation_sensitive_point",
        "major_nonconformity",
        "minor_nonconformity",
    ] {
        assert!(!prose.contains(&format!(">{raw}<")), "{raw}");
        assert!(!prose.contains(&format!(" {raw}")), "{raw}");
    }
}
