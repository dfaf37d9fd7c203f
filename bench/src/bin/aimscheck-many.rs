//! Times `Engine::evaluate_many` (models loaded and evaluated in parallel on one engine):
//! `aimscheck-many COUNT PROCESSES AS_OF [JOBS...]`.
//!
//! Generates COUNT models of PROCESSES processes each (`aimscheck-gen PROCESSES SEED` for seeds
//! 1..=COUNT, as JSON text), compiles the default pack once, then for each thread count in JOBS
//! (default `1 2`) evaluates every model once and prints one JSON object: the thread count, the
//! wall time, the throughput in models per second and the speed-up over the first count. Every
//! run's reports are checked to be the same as the first run's.

/// The allocator the CLI has, so that what is timed is what the CLI runs.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use aimscheck::api::ModelInput;
use aimscheck::{Engine, LoadLimits, Options};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::Instant;

const USAGE: &str = "usage: aimscheck-many COUNT PROCESSES AS_OF [JOBS...]";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().ok_or(USAGE)?.parse()?;
    let processes: usize = args.next().ok_or(USAGE)?.parse()?;
    let as_of = args.next().ok_or(USAGE)?;
    let mut jobs: Vec<usize> = args.map(|a| a.parse()).collect::<Result<_, _>>()?;
    if jobs.is_empty() {
        jobs = vec![1, 2];
    }
    let texts: Vec<String> = (1..=count as u64)
        .map(|seed| aimscheck_bench::generate_text(processes, seed))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    eprintln!("{count} models of {processes} processes, {bytes} bytes of JSON");
    let engine = Engine::new()?;
    let options = Options::parse(&as_of, None, None)?;
    let limits = LoadLimits::default();
    let mut first: Option<(f64, Vec<u64>)> = None;
    for j in jobs {
        let inputs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("m{i}"), ModelInput::Text(t.clone())))
            .collect();
        let start = Instant::now();
        let items = engine.evaluate_many(inputs, &options, &limits, Some(j))?;
        let seconds = start.elapsed().as_secs_f64();
        // A hash of each report's JSON, not the JSON itself: ten thousand reports kept as text
        // would weigh on the allocator of the runs after the first.
        let digests: Vec<u64> = items
            .iter()
            .map(|i| {
                let mut h = DefaultHasher::new();
                match &i.result {
                    Ok(r) => r.to_json_pretty().hash(&mut h),
                    Err(e) => e.to_string().hash(&mut h),
                }
                h.finish()
            })
            .collect();
        let failed = items.iter().filter(|i| i.result.is_err()).count();
        drop(items);
        #[allow(clippy::cast_precision_loss)]
        let per_second = count as f64 / seconds;
        let speedup = first.as_ref().map_or(1.0, |(s, _)| s / seconds);
        if let Some((_, reports)) = &first
            && *reports != digests
        {
            return Err(format!("the reports at {j} threads differ from the first run's").into());
        }
        println!(
            "{}",
            serde_json::json!({
                "jobs": j,
                "models": count,
                "not_evaluated": failed,
                "seconds": (seconds * 1000.0).round() / 1000.0,
                "models_per_second": (per_second * 10.0).round() / 10.0,
                "speedup": (speedup * 100.0).round() / 100.0,
            })
        );
        if first.is_none() {
            first = Some((seconds, digests));
        }
    }
    Ok(())
}
