//! The shipped example models: the three conformant companies pass at their own tier, the
//! gaps company fails rules of every group, and reports are byte-identical run to run.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use aimscheck::{Engine, Model, Options, Status, Verdict};
use std::path::Path;

const AS_OF: &str = "2026-06-30";

fn load(name: &str) -> (String, Model) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let model = Model::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    (text, model)
}

fn assert_conformant(name: &str, tier: &str) {
    let engine = Engine::new().unwrap();
    let (_, model) = load(name);
    let report = engine
        .evaluate(&model, &Options::parse(AS_OF, None, None).unwrap())
        .unwrap();
    assert_eq!(report.tier, tier, "{name}: tier read from the model");
    let bad: Vec<String> = report
        .rules
        .iter()
        .filter(|r| !matches!(r.status, Status::Pass | Status::NotApplicable))
        .map(|r| {
            format!(
                "{} {:?}: {:?}",
                r.id,
                r.status,
                r.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
            )
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{name} should conform at tier {tier}:\n{}",
        bad.join("\n")
    );
    assert_eq!(report.verdict, Verdict::Conformant);
    // Rules on at this tier pass rather than being skipped for lack of data.
    let passed = report.summary.by_status.pass;
    assert!(passed >= 20, "{name}: only {passed} rules pass");
}

#[test]
fn startup_conforms() {
    assert_conformant("startup.json", "startup");
}

#[test]
fn scaleup_conforms() {
    assert_conformant("scaleup.json", "scaleup");
}

#[test]
fn enterprise_conforms() {
    assert_conformant("enterprise.json", "enterprise");
    let engine = Engine::new().unwrap();
    let (_, model) = load("enterprise.json");
    let report = engine
        .evaluate(&model, &Options::parse(AS_OF, None, None).unwrap())
        .unwrap();
    for id in ["AIMS-PROC-09", "AIMS-CI-02"] {
        assert_eq!(
            report.rule(id).unwrap().status,
            Status::Pass,
            "{id} must pass, not be skipped"
        );
    }
}

#[test]
fn gaps_fails_rules_of_every_group() {
    let engine = Engine::new().unwrap();
    let (_, model) = load("gaps.json");
    let report = engine
        .evaluate(&model, &Options::parse(AS_OF, None, None).unwrap())
        .unwrap();
    assert_eq!(report.verdict, Verdict::Nonconformant);
    let failing: Vec<&str> = report
        .rules
        .iter()
        .filter(|r| r.status == Status::Fail)
        .map(|r| r.id.as_str())
        .collect();
    for group in [
        ["AIMS-PROC-"].as_slice(),
        &["AIMS-CTX-", "AIMS-LEAD-"],
        &["AIMS-RISK-"],
        &["AIMS-OBJ-", "AIMS-DOC-", "AIMS-SUP-"],
        &["AIMS-OPS-", "AIMS-MON-"],
        &["AIMS-AUD-", "AIMS-MR-"],
        &["AIMS-NC-", "AIMS-CI-"],
    ] {
        assert!(
            failing
                .iter()
                .any(|id| group.iter().any(|g| id.starts_with(g))),
            "gaps.json fails no rule of {group:?}; failing: {failing:?}"
        );
    }
    pointers_are_in_the_model(&model, &report);
}

/// Every finding points at a node of the model, or at a member its parent lacks.
fn pointers_are_in_the_model(model: &Model, report: &aimscheck::Report) {
    for f in report.rules.iter().flat_map(|r| &r.findings) {
        assert!(
            f.pointer.is_empty()
                || model.value().pointer(&f.pointer).is_some()
                || f.pointer
                    .rsplit_once('/')
                    .is_some_and(|(parent, _)| model.value().pointer(parent).is_some()),
            "finding pointer {} is not in the model",
            f.pointer
        );
    }
}

/// The 1.1 gaps company fails each of the 14 rules of pack 0.2, each with findings that read
/// without the schema and point into the model.
#[test]
fn gaps_1_1_fails_every_rule_of_pack_0_2() {
    let engine = Engine::new().unwrap();
    let (_, model) = load("gaps-1.1.json");
    assert_eq!(model.value()["schema_version"], "1.1");
    let report = engine
        .evaluate(&model, &Options::parse(AS_OF, None, None).unwrap())
        .unwrap();
    assert_eq!(report.tier, "scaleup");
    for id in [
        "AIMS-PROC-10",
        "AIMS-RISK-08",
        "AIMS-RISK-09",
        "AIMS-RISK-10",
        "AIMS-OBJ-02",
        "AIMS-SUP-02",
        "AIMS-MON-02",
        "AIMS-AUD-03",
        "AIMS-AUD-04",
        "AIMS-MR-03",
        "AIMS-NC-04",
        "AIMS-SUP-03",
        "AIMS-LC-01",
        "AIMS-DATA-01",
    ] {
        let r = report.rule(id).unwrap();
        assert_eq!(r.status, Status::Fail, "{id}: {:?}", r.findings);
    }
    pointers_are_in_the_model(&model, &report);
}

/// The rules that need model 1.1 data say so on a 1.0 model instead of passing.
#[test]
fn rules_that_need_model_1_1_are_not_applicable_on_the_1_0_examples_and_say_why() {
    let engine = Engine::new().unwrap();
    let (_, model) = load("scaleup.json");
    let report = engine
        .evaluate(&model, &Options::parse(AS_OF, None, None).unwrap())
        .unwrap();
    for id in ["AIMS-SUP-03", "AIMS-LC-01", "AIMS-DATA-01", "AIMS-MON-02"] {
        let r = report.rule(id).unwrap();
        assert_eq!(r.status, Status::NotApplicable, "{id}");
        let reason = r.reason.as_deref().unwrap_or_default();
        assert!(reason.contains("1.1"), "{id}: {reason}");
    }
}

#[test]
fn reports_are_byte_identical_whatever_the_input_form() {
    let engine = Engine::new().unwrap();
    for name in [
        "startup.json",
        "scaleup.json",
        "enterprise.json",
        "gaps.json",
        "gaps-1.1.json",
    ] {
        let (text, model) = load(name);
        let opts = Options::parse(AS_OF, None, None).unwrap();
        let a = engine.evaluate(&model, &opts).unwrap().to_json_pretty();
        let b = engine.evaluate(&model, &opts).unwrap().to_json_pretty();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let c = engine
            .evaluate(&Model::from_value(value).unwrap(), &opts)
            .unwrap()
            .to_json_pretty();
        assert_eq!(a, b, "{name}: two evaluations differ");
        assert_eq!(a, c, "{name}: text and value inputs differ");
    }
}

#[test]
fn certification_profile_turns_on_scaleup_rules_for_a_startup() {
    let engine = Engine::new().unwrap();
    let (_, model) = load("startup.json");
    let tier = engine
        .evaluate(&model, &Options::parse(AS_OF, None, None).unwrap())
        .unwrap();
    let cert = engine
        .evaluate(
            &model,
            &Options::parse(AS_OF, None, Some("certification")).unwrap(),
        )
        .unwrap();
    assert_eq!(cert.profile, "certification");
    let skipped_by_tier = |r: &aimscheck::RuleResult| {
        r.status == Status::NotApplicable
            && r.reason
                .as_deref()
                .is_some_and(|x| x.contains("applies to tier"))
    };
    for pack in engine.packs() {
        for rule in pack.rules() {
            let scaleup_or_startup = rule
                .tiers
                .iter()
                .any(|t| matches!(t, aimscheck::Tier::Startup | aimscheck::Tier::Scaleup));
            let r = cert.rule(&rule.id).unwrap();
            assert_eq!(
                skipped_by_tier(r),
                !scaleup_or_startup,
                "{} under certification",
                rule.id
            );
        }
    }
    assert!(
        tier.rules.iter().filter(|r| skipped_by_tier(r)).count()
            > cert.rules.iter().filter(|r| skipped_by_tier(r)).count()
    );
}

/// Every finding of every example, at every tier and under the certification profile, reads
/// without the schema: no value is shown as `(none)`, and no freshness finding points the reader
/// at a model field instead of a date.
#[test]
fn example_findings_read_without_the_schema() {
    let engine = Engine::new().unwrap();
    let mut problems = Vec::new();
    for name in [
        "startup.json",
        "scaleup.json",
        "enterprise.json",
        "gaps.json",
        "gaps-1.1.json",
    ] {
        let (_, model) = load(name);
        for (tier, profile) in [
            ("startup", None),
            ("scaleup", None),
            ("enterprise", None),
            ("startup", Some("certification")),
        ] {
            let opts = Options::parse(AS_OF, Some(tier), profile).unwrap();
            let report = engine.evaluate(&model, &opts).unwrap();
            for r in &report.rules {
                for f in &r.findings {
                    for t in [Some(&f.message), f.expected.as_ref()]
                        .into_iter()
                        .flatten()
                    {
                        if t.contains("(none)") || t.contains("planned_intervals") {
                            problems.push(format!("{name} {tier}: {}: {t}", r.id));
                        }
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
