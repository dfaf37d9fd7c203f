//! Any bytes as a model; one that loads is evaluated with the default engine at a fixed date
//! (2026-06-30): two evaluations give byte-identical reports, and every export (SARIF, OSCAL,
//! JUnit, Markdown, HTML, CISO CSV, and the process map as DOT, Mermaid and SVG) renders
//! without a panic, the same twice.
#![no_main]

use aimscheck::Model;
use aimscheck_fuzz::{Stats, check_evaluation, init};
use libfuzzer_sys::fuzz_target;

static STATS: Stats = Stats::new("evaluate", "loaded as a model");

fuzz_target!(|data: &[u8]| {
    init();
    let Ok(text) = std::str::from_utf8(data) else {
        STATS.record(false);
        return;
    };
    let model = Model::from_json(text);
    STATS.record(model.is_ok());
    if let Ok(model) = model {
        check_evaluation(&model);
    }
});
