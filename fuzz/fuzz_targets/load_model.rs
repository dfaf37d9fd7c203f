//! Any bytes as a model. Loading never panics, and a model that loads loads again, with the
//! same digest, from its own normalized value (`Model::from_value`, as the bindings pass a
//! model) and from that value written out as text; loading from an owned buffer
//! (`Model::from_vec`) agrees with loading from a slice.
#![no_main]

use aimscheck::Model;
use aimscheck_fuzz::{Stats, check_round_trip, init};
use libfuzzer_sys::fuzz_target;

static STATS: Stats = Stats::new("load_model", "loaded as a model");

fuzz_target!(|data: &[u8]| {
    init();
    let loaded = Model::from_slice(data);
    let owned = Model::from_vec(data.to_vec());
    match (&loaded, &owned) {
        (Ok(a), Ok(b)) => assert_eq!(a.digest(), b.digest(), "from_vec gives another digest"),
        (Err(a), Err(b)) => assert_eq!(
            format!("{a:?}"),
            format!("{b:?}"),
            "from_vec fails otherwise"
        ),
        _ => panic!("from_slice and from_vec disagree: {loaded:?} / {owned:?}"),
    }
    STATS.record(loaded.is_ok());
    if let Ok(model) = loaded {
        check_round_trip(&model);
    }
});
