//! An engine as data (`Engine::state`, `Engine::from_state`): the same engine built again,
//! from the packs' sources, with no pack folder left.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use aimscheck::{Engine, EngineState, Model, Options, Overlay, PackSource, RulePack};

const PACK: &str = r#"{"id": "state-test", "version": "1.0.0", "title": "State test pack"}"#;
const RULES: &str = r#"{"rules": [{
    "id": "TEST-ORG-01", "title": "The organization is named",
    "clause_refs": ["4.1"], "aspect": "establish", "severity": "medium",
    "tiers": ["startup", "scaleup", "enterprise"],
    "rationale": "An AIMS belongs to a named organization.",
    "remediation": "Set organization.name.",
    "check": {"assert": {"that": {"exists": "/organization/name"},
                         "message": "the organization has no name"}}
}]}"#;

#[test]
fn an_engine_is_rebuilt_from_its_state_after_its_pack_folder_is_gone() {
    let dir = std::env::temp_dir().join(format!("aimscheck-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("pack.json"), PACK).unwrap();
    std::fs::write(dir.join("rules.json"), RULES).unwrap();
    let overlay = Overlay::from_json(
        r#"{"disable": ["AIMS-CI-02"], "severity": {"TEST-ORG-01": "high"}}"#,
        None,
    )
    .unwrap();
    let engine = Engine::with_packs(vec![
        RulePack::embedded().unwrap(),
        RulePack::from_dir(&dir).unwrap(),
    ])
    .unwrap()
    .with_overlay(overlay)
    .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();

    let state = engine.state();
    let embedded = RulePack::embedded().unwrap();
    assert_eq!(
        state.packs[0],
        PackSource::Embedded {
            digest: embedded.digest().to_owned()
        }
    );
    assert!(matches!(&state.packs[1], PackSource::Files(f) if f.len() == 2));
    let text = serde_json::to_string(&state).unwrap();
    let again = Engine::from_state(&serde_json::from_str::<EngineState>(&text).unwrap()).unwrap();

    let model = Model::from_json(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/gaps-1.1.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let options = Options::parse("2026-06-30", None, None).unwrap();
    let (a, b) = (
        engine.evaluate(&model, &options).unwrap(),
        again.evaluate(&model, &options).unwrap(),
    );
    assert_eq!(a.to_json_pretty(), b.to_json_pretty());
    let org = b.rule("TEST-ORG-01").unwrap();
    assert_eq!(org.severity.as_str(), "high");
    assert_eq!(
        b.rule("AIMS-CI-02").unwrap().reason.as_deref(),
        Some("disabled by the overlay")
    );
    // An embedded pack of another digest (another library version) is refused.
    let other: EngineState =
        serde_json::from_str(r#"{"packs": [{"embedded": {"digest": "sha256:00"}}]}"#).unwrap();
    let e = Engine::from_state(&other).unwrap_err();
    assert!(
        e.to_string().contains("use the same aimscheck version"),
        "{e}"
    );
    // A state naming a pack that does not compile is the pack's error.
    let bad: EngineState =
        serde_json::from_str(r#"{"packs": [{"files": [["pack.json", "{}"]]}]}"#).unwrap();
    let e = Engine::from_state(&bad).unwrap_err();
    assert!(e.code().starts_with("AIMS-E-PACK"), "{e}");
}
