//! The sample user pack `examples/packs/supplier-rules` (the pack the READMEs load beside the
//! default one), evaluated by the binary on the examples and on a small model. Every status,
//! pointer and message below is worked out by hand from the models and the two rules.

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
use std::path::Path;

/// The folder of the sample pack.
fn pack() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/packs/supplier-rules")
        .to_str()
        .unwrap()
        .to_owned()
}

/// The JSON report of `check MODEL --rules PACK --as-of AS_OF`, and the exit code.
fn check(model: &str, as_of: &str) -> (Value, i32) {
    let o = run(&[
        "check",
        model,
        "--rules",
        &pack(),
        "--as-of",
        as_of,
        "--format",
        "json",
    ]);
    assert!(o.stderr.is_empty(), "stderr: {}", stderr(&o));
    (json(&o), code(&o))
}

/// The rule `id` of a report.
fn rule<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not in the report"))
}

/// `(kind, pointer, message)` of each finding of a rule, in order.
fn findings(rule: &Value) -> Vec<(String, String, String)> {
    rule["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_owned(),
                f["pointer"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A finding as `findings` lists it.
fn finding(kind: &str, pointer: &str, message: &str) -> (String, String, String) {
    (kind.to_owned(), pointer.to_owned(), message.to_owned())
}

#[test]
fn the_pack_loads_beside_the_default_one() {
    let o = run(&["rules", "list", "--rules", &pack(), "--format", "json"]);
    assert_eq!(code(&o), 0, "stderr: {}", stderr(&o));
    let rules = json(&o);
    let ids: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    // The 53 rules of the default pack and the pack's two.
    assert_eq!(ids.len(), 55, "{ids:?}");
    assert!(ids.contains(&"ACME-SUP-01") && ids.contains(&"ACME-SUP-02"));
    assert!(ids.contains(&"AIMS-SUP-03"));
}

#[test]
fn models_without_suppliers_leave_both_rules_not_applicable_and_say_why() {
    // The 1.0 examples record no suppliers at all.
    for name in ["startup.json", "scaleup.json", "gaps.json"] {
        let (report, _) = check(&example(name), AS_OF);
        let one = rule(&report, "ACME-SUP-01");
        assert_eq!(one["status"], "not_applicable", "{name}");
        assert_eq!(
            one["reason"],
            "the model records no supplier of a model (suppliers[].provides is \"model\")",
            "{name}"
        );
        let two = rule(&report, "ACME-SUP-02");
        assert_eq!(two["status"], "not_applicable", "{name}");
        assert_eq!(
            two["reason"], "the model records no suppliers (suppliers)",
            "{name}"
        );
    }
}

#[test]
fn the_enterprise_example_passes_both() {
    // Model suppliers Lexaris (assessed 2026-04-20) and Sonorant (2026-04-22), within 6 months
    // of 2026-06-30; six agreements, each approved before it and due for review after it.
    let (report, exit) = check(&example("enterprise.json"), AS_OF);
    assert_eq!(rule(&report, "ACME-SUP-01")["status"], "pass");
    assert_eq!(rule(&report, "ACME-SUP-02")["status"], "pass");
    assert_eq!(report["verdict"], "conformant");
    assert_eq!(exit, 0);
}

#[test]
fn the_enterprise_example_half_a_year_later_fails_both() {
    // As of 2027-01-15, with aims.grace_days 30: Lexaris (/suppliers/1) was due by 2026-04-20 +
    // 6 months + 30 days = 2026-11-19, 11 + 31 + 15 = 57 days before; Sonorant (/suppliers/5)
    // by 2026-11-21, 55 days before. The agreements of DriveMetric (/documents/67, review
    // 2026-12-15: 31 days) and Sonorant (/documents/69, review 2026-10-27: 4 + 30 + 31 + 15 = 80
    // days) are past their review dates; the other four are due for review later.
    let (report, exit) = check(&example("enterprise.json"), "2027-01-15");
    let one = rule(&report, "ACME-SUP-01");
    assert_eq!(one["status"], "fail");
    assert_eq!(one["severity"], "high");
    assert_eq!(
        findings(one),
        [
            finding(
                "violation",
                "/suppliers/1/assessed_on",
                "Lexaris AI Ltd (foundation model behind Ada) (sup-lexaris) provides a model and \
                 was last assessed on 2026-04-20; under the 6-month policy the next assessment \
                 was due by 2026-11-19: 57 days overdue as of 2027-01-15; assess it again and \
                 record the date in assessed_on"
            ),
            finding(
                "violation",
                "/suppliers/5/assessed_on",
                "Sonorant Speech Ltd (speech-recognition engine for VoiceInsight) \
                 (sup-sonorant) provides a model and was last assessed on 2026-04-22; under the \
                 6-month policy the next assessment was due by 2026-11-21: 55 days overdue as of \
                 2027-01-15; assess it again and record the date in assessed_on"
            ),
        ]
    );
    let two = rule(&report, "ACME-SUP-02");
    assert_eq!(two["status"], "fail");
    let found = findings(two);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].1, "/documents/67/next_review_on");
    assert_eq!(
        found[0].2,
        "the agreement with DriveMetric Telematics Ltd (telematics driving-behaviour scores) \
         (sup-drivemetric), doc-agr-drivemetric (Telematics data licence: DriveMetric Telematics \
         Ltd), was due for review on 2026-12-15: 31 days overdue as of 2027-01-15; review it \
         with the supplier and record the next review date in next_review_on"
    );
    assert_eq!(found[1].1, "/documents/69/next_review_on");
    assert!(
        found[1]
            .2
            .contains("was due for review on 2026-10-27: 80 days overdue as of 2027-01-15"),
        "{}",
        found[1].2
    );
    assert_eq!(exit, 1);
}

#[test]
fn the_gaps_example_lacks_an_assessment_date_and_agreements() {
    // gaps-1.1: Parla (/suppliers/0) provides a model, without assessed_on nor an agreement;
    // InkRead's agreement (/documents/29) is a draft.
    let (report, _) = check(&example("gaps-1.1.json"), AS_OF);
    let one = rule(&report, "ACME-SUP-01");
    assert_eq!(one["status"], "insufficient_evidence");
    assert_eq!(
        findings(one),
        [finding(
            "missing_evidence",
            "/suppliers/0/assessed_on",
            "Parla Models Inc. (language model behind the maths tutor since February 2026) \
             (sup-parla) provides a model but records no assessment date (assessed_on), so \
             whether it was assessed in the last 6 months cannot be decided; assess it and \
             record the date in assessed_on"
        )]
    );
    let two = rule(&report, "ACME-SUP-02");
    assert_eq!(two["status"], "fail");
    assert_eq!(
        findings(two),
        [
            finding(
                "violation",
                "/suppliers/0/agreement_document_id",
                "Parla Models Inc. (language model behind the maths tutor since February 2026) \
                 (sup-parla) works under no recorded agreement (agreement_document_id), so \
                 nothing records who answers for what; agree terms with the supplier, record \
                 them as an approved document and name it in agreement_document_id"
            ),
            finding(
                "violation",
                "/documents/29/status",
                "the agreement with InkRead API (handwriting recognition for scanned essays) \
                 (sup-inkread), doc-agr-inkread (InkRead API terms of service and data \
                 processing addendum), is draft, not approved; have it approved and record \
                 approved_on"
            ),
        ]
    );
}

#[test]
fn dates_after_the_evaluation_date_and_a_missing_agreement_count_against() {
    let model = r#"{
      "schema_version": "1.1",
      "organization": {"name": "Acme", "size_tier": "startup"},
      "documents": [
        {"id": "doc-a", "title": "Model licence", "status": "approved", "approved_on": "2026-08-01"},
        {"id": "doc-b", "status": "approved", "approved_on": "2026-01-01", "next_review_on": "2026-06-29"}
      ],
      "suppliers": [
        {"id": "s1", "name": "Norda", "provides": "model", "assessed_on": "2026-09-01",
         "agreement_document_id": "doc-a"},
        {"id": "s2", "name": "Datafeed", "provides": "data", "agreement_document_id": "doc-x"},
        {"id": "s3", "provides": "model", "assessed_on": "2026-06-01",
         "agreement_document_id": "doc-b"}
      ]
    }"#;
    let f = Tmp::file("model.json", model);
    let (report, _) = check(f.path(), AS_OF);
    // s1's assessment (2026-09-01) has not happened as of 2026-06-30; s3 was assessed 29 days
    // before; s2 provides data.
    let one = rule(&report, "ACME-SUP-01");
    assert_eq!(one["status"], "fail");
    assert_eq!(
        findings(one),
        [finding(
            "violation",
            "/suppliers/0/assessed_on",
            "Norda (s1) provides a model and is recorded as assessed on 2026-09-01, after the \
             evaluation date: as of 2026-06-30 no assessment of it has happened; assess it and \
             record the date in assessed_on"
        )]
    );
    // doc-a approved after the evaluation date; doc-x names nothing; doc-b (approved, no
    // title) was due for review the day before.
    let two = rule(&report, "ACME-SUP-02");
    assert_eq!(two["status"], "fail");
    assert_eq!(
        findings(two),
        [
            finding(
                "violation",
                "/documents/0/approved_on",
                "the agreement with Norda (s1), doc-a (Model licence), was approved on \
                 2026-08-01, after the evaluation date: as of 2026-06-30 it was not yet \
                 approved; if it was approved earlier, correct approved_on"
            ),
            finding(
                "violation",
                "/suppliers/1/agreement_document_id",
                "Datafeed (s2) names the agreement doc-x, which is not in documents; record the \
                 agreement there or correct the id"
            ),
            finding(
                "violation",
                "/documents/1/next_review_on",
                "the agreement with an unnamed supplier (s3), doc-b (untitled), was due for \
                 review on 2026-06-29: 1 day overdue as of 2026-06-30; review it with the \
                 supplier and record the next review date in next_review_on"
            ),
        ]
    );
}
