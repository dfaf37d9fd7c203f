//! Any bytes as a rule pack: split at NUL bytes into `pack.json` (the first part) and rule
//! files `rules-1.json`, `rules-2.json`, ... (the others), compiled with `RulePack::from_files`
//! and, when they compile, made into an engine with `Engine::with_packs` and evaluated on a
//! small fixed model and on an empty one. No panic anywhere; two evaluations agree.
#![no_main]

use aimscheck::{Engine, Model, RulePack};
use aimscheck_fuzz::{OPTIONS, Stats, init};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// Models the compiled packs are evaluated on: an empty AIMS and one with processes, flows and
/// documents.
static MODELS: LazyLock<Vec<Model>> = LazyLock::new(|| {
    [
        r#"{"schema_version": "1.0"}"#,
        include_str!("../../tests/cases/aims-proc-06-implied-flows-pass/model.json"),
    ]
    .iter()
    .map(|t| Model::from_json(t).expect("a fixed model loads"))
    .collect()
});

static STATS: Stats = Stats::new("load_pack", "compiled into an engine");

/// Most rule files taken from one input.
const MAX_FILES: usize = 8;

fuzz_target!(|data: &[u8]| {
    init();
    let mut parts = data.split(|b| *b == 0);
    let manifest = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let mut files = vec![("pack.json".to_owned(), manifest)];
    for (i, part) in parts.take(MAX_FILES).enumerate() {
        files.push((
            format!("rules-{}.json", i + 1),
            String::from_utf8_lossy(part).into_owned(),
        ));
    }
    let engine = RulePack::from_files(&files).and_then(|pack| Engine::with_packs(vec![pack]));
    STATS.record(engine.is_ok());
    let Ok(engine) = engine else {
        return;
    };
    for model in MODELS.iter() {
        let a = engine.evaluate(model, &OPTIONS).map(|r| r.to_json_pretty());
        let b = engine.evaluate(model, &OPTIONS).map(|r| r.to_json_pretty());
        match (a, b) {
            (Ok(a), Ok(b)) => assert!(a == b, "two evaluations give different reports"),
            (Err(a), Err(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}")),
            (a, b) => panic!("one evaluation failed, the other did not: {a:?} / {b:?}"),
        }
    }
});
