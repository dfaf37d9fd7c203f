//! Times the Rust engine on one model file, for the Python and Node benchmarks to compare with
//! in the same run: `aimscheck-time MODEL_FILE AS_OF RUNS`.
//!
//! Prints one JSON object of medians over `RUNS` runs, in milliseconds:
//!
//! - `parse_ms`: `serde_json::from_str::<Value>` of the text (the baseline);
//! - `load_ms`: `Model::from_json` (parse, schema validation, semantic checks, indexes);
//! - `evaluate_ms`: `Engine::evaluate` of the loaded model with the compiled default pack;
//! - `text_to_report_ms`: load, evaluate and `Report::to_json_pretty`, what a binding does
//!   for JSON-text input before handing the report to its language.
//!
//! The default pack is compiled once, before any timing.

use aimscheck::{Engine, Model, Options};
use std::hint::black_box;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: aimscheck-time MODEL_FILE AS_OF RUNS";

/// Median of `runs` (at least one) timings of `f`; the first error `f` returns stops it.
fn median<E>(runs: usize, mut f: impl FnMut() -> Result<(), E>) -> Result<Duration, E> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times.get(times.len() / 2).copied().unwrap_or_default())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let file = args.next().ok_or(USAGE)?;
    let as_of = args.next().ok_or(USAGE)?;
    let runs: usize = args.next().ok_or(USAGE)?.parse()?;
    if runs == 0 || args.next().is_some() {
        return Err(USAGE.into());
    }
    let text = std::fs::read_to_string(&file)?;
    let engine = Engine::new()?;
    let options = Options::parse(&as_of, None, None)?;
    let model = Model::from_json(&text)?;

    let parse = median(runs, || {
        black_box(serde_json::from_str::<serde_json::Value>(&text)?);
        Ok::<_, Box<dyn std::error::Error>>(())
    })?;
    let load = median(runs, || {
        black_box(Model::from_json(&text)?);
        Ok::<_, aimscheck::Error>(())
    })?;
    let evaluate = median(runs, || {
        black_box(engine.evaluate(&model, &options)?);
        Ok::<_, aimscheck::Error>(())
    })?;
    let text_to_report = median(runs, || {
        let m = Model::from_json(&text)?;
        black_box(engine.evaluate(&m, &options)?.to_json_pretty());
        Ok::<_, aimscheck::Error>(())
    })?;
    println!(
        "{}",
        serde_json::json!({
            "parse_ms": ms(parse),
            "load_ms": ms(load),
            "evaluate_ms": ms(evaluate),
            "text_to_report_ms": ms(text_to_report),
        })
    );
    Ok(())
}
