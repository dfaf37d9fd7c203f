//! Times the Rust engine on one model file, for the Python and Node benchmarks to compare with
//! in the same run: `aimscheck-time [--rules DIR] MODEL_FILE AS_OF RUNS`.
//!
//! Prints one JSON object of medians over `RUNS` runs, in milliseconds:
//!
//! - `parse_ms`: `serde_json::from_str::<Value>` of the text (the baseline);
//! - `load_ms`: `Model::from_json` (parse, schema validation, semantic checks, indexes);
//! - `evaluate_ms`: `Engine::evaluate` of the loaded model with the compiled default pack;
//! - `text_to_report_ms`: load, evaluate and `Report::to_json_pretty`, what a binding does
//!   for JSON-text input before handing the report to its language.
//!
//! The default pack is compiled once, before any timing. With `--rules DIR`, the pack in that
//! folder is used instead (to compare two versions of a pack on the same model in one run); the
//! output then also has `rules` (how many the pack holds) and `evaluate_ms_per_rule`.
//!
//! `aimscheck-time --memory MODEL_FILE AS_OF` instead reads the file and runs text → report
//! once, then prints the peak resident memory of the process (`VmHWM`), the input size and
//! their ratio: the memory a one-shot check of that model needs, the text included.

/// The allocator the CLI has, so that what is timed is what the CLI runs.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use aimscheck::{Engine, Model, Options, RulePack};
use std::hint::black_box;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: aimscheck-time [--rules DIR] MODEL_FILE AS_OF RUNS | aimscheck-time --memory MODEL_FILE AS_OF";

/// Peak resident set size of this process, in bytes (`VmHWM` of /proc/self/status).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The `--memory` mode: one text → report, then the peak memory beside the input size.
fn memory(file: &str, as_of: &str) -> Result<(), Box<dyn std::error::Error>> {
    let engine = Engine::new()?;
    let options = Options::parse(as_of, None, None)?;
    let text = std::fs::read_to_string(file)?;
    let input_bytes = text.len();
    // The model keeps the text it is given (for positions): one copy of it, as the CLI does.
    let model = Model::from_string(text)?;
    let report = engine.evaluate(&model, &options)?.to_json_pretty();
    black_box(&report);
    let peak = peak_rss().ok_or("no VmHWM in /proc/self/status")?;
    #[allow(clippy::cast_precision_loss)]
    let ratio = peak as f64 / input_bytes.max(1) as f64;
    println!(
        "{}",
        serde_json::json!({
            "input_bytes": input_bytes,
            "peak_rss_bytes": peak,
            "peak_to_input": (ratio * 100.0).round() / 100.0,
        })
    );
    Ok(())
}

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
    let mut file = args.next().ok_or(USAGE)?;
    let mut rules = None;
    if file == "--rules" {
        rules = Some(args.next().ok_or(USAGE)?);
        file = args.next().ok_or(USAGE)?;
    }
    if file == "--memory" && rules.is_none() {
        let (Some(file), Some(as_of), None) = (args.next(), args.next(), args.next()) else {
            return Err(USAGE.into());
        };
        return memory(&file, &as_of);
    }
    let as_of = args.next().ok_or(USAGE)?;
    let runs: usize = args.next().ok_or(USAGE)?.parse()?;
    if runs == 0 || args.next().is_some() {
        return Err(USAGE.into());
    }
    let text = std::fs::read_to_string(&file)?;
    let engine = match &rules {
        Some(dir) => Engine::with_packs(vec![RulePack::from_dir(dir)?])?,
        None => Engine::new()?,
    };
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
    let mut out = serde_json::json!({
        "parse_ms": ms(parse),
        "load_ms": ms(load),
        "evaluate_ms": ms(evaluate),
        "text_to_report_ms": ms(text_to_report),
    });
    if rules.is_some() {
        let n: usize = engine.packs().map(|p| p.rules().count()).sum();
        #[allow(clippy::cast_precision_loss)]
        let per_rule = ms(evaluate) / n.max(1) as f64;
        if let Some(o) = out.as_object_mut() {
            o.insert("rules".to_owned(), n.into());
            o.insert("evaluate_ms_per_rule".to_owned(), per_rule.into());
        }
    }
    println!("{out}");
    Ok(())
}
