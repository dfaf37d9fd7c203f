//! What the fuzz targets share: the panic policy, the default engine and options, the checks
//! run on every loaded model, and the structured model edits of `evaluate_edits`.

use aimscheck::export::{self, Context, Format, diagram};
use aimscheck::{Engine, Model, Options, Report};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Once};

pub mod edits;

/// The evaluation date of every target that evaluates.
pub const AS_OF: &str = "2026-06-30";

/// The default engine (the embedded pack), compiled once per process.
pub static ENGINE: LazyLock<Engine> =
    LazyLock::new(|| Engine::new().expect("the embedded pack compiles"));

/// The options every evaluating target uses: a fixed date, tier from the model, tier profile.
pub static OPTIONS: LazyLock<Options> =
    LazyLock::new(|| Options::parse(AS_OF, None, None).expect("fixed options parse"));

/// Call first in every target. libfuzzer-sys aborts on any panic, from its panic hook; the
/// library itself catches panics of one dependency (the SVG layout of `layout-rs`, run under
/// `catch_unwind` in `export::diagram`, which then draws no picture), so those are let through
/// to that `catch_unwind`. Every other panic still aborts (and a panic that escaped the library
/// would abort in libfuzzer-sys's own `catch_unwind` anyway).
pub fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let trace = std::backtrace::Backtrace::force_capture().to_string();
            if trace.contains("VisualGraph") && trace.contains("do_it") {
                let n = CAUGHT_LAYOUT_PANICS.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_power_of_two() {
                    eprintln!("note: {n} panic(s) inside layout-rs, caught by the library: {info}");
                }
                return;
            }
            previous(info);
        }));
        // The engine and options are built once, in the first run, not inside a later one.
        LazyLock::force(&ENGINE);
        LazyLock::force(&OPTIONS);
    });
}

/// Panics of `layout-rs` that the library caught (see [`init`]).
pub static CAUGHT_LAYOUT_PANICS: AtomicU64 = AtomicU64::new(0);

/// Counts how many inputs of a target got past loading (a model that loads, a pack that
/// compiles), printed now and then (at powers of two) so a run shows how often the deeper
/// checks ran.
pub struct Stats {
    name: &'static str,
    what: &'static str,
    runs: AtomicU64,
    loaded: AtomicU64,
}

impl Stats {
    /// Counters for target `name`, whose inputs get past loading when they `what`.
    pub const fn new(name: &'static str, what: &'static str) -> Stats {
        Stats {
            name,
            what,
            runs: AtomicU64::new(0),
            loaded: AtomicU64::new(0),
        }
    }

    /// Records one input, and whether it got past loading.
    pub fn record(&self, loaded: bool) {
        let runs = self.runs.fetch_add(1, Ordering::Relaxed) + 1;
        let ok = self.loaded.fetch_add(u64::from(loaded), Ordering::Relaxed) + u64::from(loaded);
        if runs >= 1024 && runs.is_power_of_two() {
            eprintln!("stats: {}: {ok} of {runs} inputs {}", self.name, self.what);
        }
    }
}

/// Loading the same model another way gives the same model: from its normalized value (as the
/// bindings pass it), and from that value written back out as text.
pub fn check_round_trip(model: &Model) {
    let value = model.value().clone();
    let text = serde_json::to_string(&value).expect("a value serializes");
    let again = Model::from_value(value)
        .unwrap_or_else(|e| panic!("a loaded model's value does not load again: {e:?}"));
    assert_eq!(
        model.digest(),
        again.digest(),
        "the value of a loaded model loads with another digest"
    );
    let from_text = Model::from_json(&text)
        .unwrap_or_else(|e| panic!("a loaded model's value, as text, does not load: {e:?}"));
    assert_eq!(
        model.digest(),
        from_text.digest(),
        "the value of a loaded model, as text, loads with another digest"
    );
}

/// Evaluates `model` with the default engine twice: the two reports must be byte-identical.
/// Renders every export (and the process map in each form) without a panic; each export but
/// the two that lay out the SVG map (HTML, SVG) is rendered from both reports, and must be
/// byte-identical too. Returns the report.
pub fn check_evaluation(model: &Model) -> Option<Report> {
    let first = ENGINE.evaluate(model, &OPTIONS);
    let second = ENGINE.evaluate(model, &OPTIONS);
    let (first, second) = match (first, second) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(a), Err(b)) => {
            assert_eq!(
                format!("{a:?}"),
                format!("{b:?}"),
                "two evaluations fail differently"
            );
            return None;
        }
        (a, b) => panic!("one evaluation failed, the other did not: {a:?} / {b:?}"),
    };
    let json = first.to_json_pretty();
    assert!(
        json == second.to_json_pretty(),
        "two evaluations of one model give different reports"
    );
    assert!(
        serde_json::from_str::<Value>(&json).is_ok(),
        "the report JSON does not parse"
    );
    let ctx = Context {
        model: Some(model),
        model_uri: Some("model.json"),
    };
    for format in Format::ALL {
        let a = export::render(format, &first, &ctx);
        // The HTML page holds the SVG process map, whose layout is the slowest step by far
        // (seconds for a large AIMS under AddressSanitizer): rendered once, not compared.
        if format != Format::Html {
            let b = export::render(format, &second, &ctx);
            assert!(
                same(&a, &b),
                "two renders of the {} export differ",
                format.as_str()
            );
        }
        // Without the model (no locations, no process map): no panic.
        let _ = export::render(format, &first, &Context::default());
    }
    for format in [diagram::DiagramFormat::Dot, diagram::DiagramFormat::Mermaid] {
        let a = diagram::render(model, Some(&first), format);
        let b = diagram::render(model, Some(&second), format);
        assert!(
            same(&a, &b),
            "two renders of the {} process map differ",
            format.as_str()
        );
        let _ = diagram::render(model, None, format);
    }
    let _ = diagram::render(model, Some(&first), diagram::DiagramFormat::Svg);
    Some(first)
}

/// Two export results are the same text, or both errors with the same message.
fn same(a: &aimscheck::Result<String>, b: &aimscheck::Result<String>) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => x == y,
        (Err(x), Err(y)) => format!("{x:?}") == format!("{y:?}"),
        _ => false,
    }
}
