//! Bytes as edits to a valid seed model (see `src/edits.rs`): the edited model is loaded from
//! its value; when it loads, it loads again from its text with the same digest, and it is
//! evaluated and exported as in the `evaluate` target (deterministic, no panic).
#![no_main]

use aimscheck::Model;
use aimscheck_fuzz::{Stats, check_evaluation, check_round_trip, edits, init};
use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

static STATS: Stats = Stats::new("evaluate_edits", "loaded as a model");

fuzz_target!(|data: &[u8]| {
    init();
    let Ok(value) = edits::apply(&mut Unstructured::new(data)) else {
        return;
    };
    let model = Model::from_value(value);
    STATS.record(model.is_ok());
    if let Ok(model) = model {
        check_round_trip(&model);
        check_evaluation(&model);
    }
});
