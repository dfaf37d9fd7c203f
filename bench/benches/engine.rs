//! Benchmarks of compiling the default pack, loading a model, evaluating it, and text → report,
//! each beside the bare `serde_json::from_str::<Value>` of the same text, at N processes.
//!
//! `cargo bench -p aimscheck-bench` runs N = 100, 10,000 and 200,000;
//! `AIMSCHECK_BENCH_SIZES=100,10000 cargo bench -p aimscheck-bench` picks sizes.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use aimscheck::{Engine, Model, Options};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn sizes() -> Vec<usize> {
    std::env::var("AIMSCHECK_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 10_000, 200_000])
}

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    t[t.len() / 2]
}

fn engine(c: &mut Criterion) {
    let opts = Options::parse(aimscheck_bench::AS_OF, None, None).unwrap();
    c.bench_function("compile default pack", |b| {
        b.iter(|| black_box(Engine::new().unwrap()))
    });
    let engine = Engine::new().unwrap();
    for n in sizes() {
        let text = aimscheck_bench::generate_text(n, 1);
        let mut group = c.benchmark_group(format!("n={n}"));
        if n >= 10_000 {
            group.sample_size(10);
            group.measurement_time(Duration::from_secs(if n >= 100_000 { 60 } else { 10 }));
        }
        group.bench_with_input(
            BenchmarkId::new("serde_json parse (baseline)", n),
            &text,
            |b, t| b.iter(|| black_box(serde_json::from_str::<serde_json::Value>(t).unwrap())),
        );
        group.bench_with_input(BenchmarkId::new("load", n), &text, |b, t| {
            b.iter(|| black_box(Model::from_json(t).unwrap()))
        });
        let model = Model::from_json(&text).unwrap();
        group.bench_with_input(BenchmarkId::new("evaluate", n), &model, |b, m| {
            b.iter(|| black_box(engine.evaluate(m, &opts).unwrap()))
        });
        group.bench_with_input(BenchmarkId::new("text to report", n), &text, |b, t| {
            b.iter(|| {
                let m = Model::from_json(t).unwrap();
                black_box(engine.evaluate(&m, &opts).unwrap().to_json_pretty())
            })
        });
        group.finish();
        // Ratios measured here, in one run, on this machine.
        let runs = if n >= 100_000 { 3 } else { 7 };
        let parse = median(runs, || {
            black_box(serde_json::from_str::<serde_json::Value>(&text).unwrap());
        });
        let load = median(runs, || {
            black_box(Model::from_json(&text).unwrap());
        });
        let eval = median(runs, || {
            black_box(engine.evaluate(&model, &opts).unwrap());
        });
        let full = median(runs, || {
            let m = Model::from_json(&text).unwrap();
            black_box(engine.evaluate(&m, &opts).unwrap().to_json_pretty());
        });
        let r = |d: Duration| d.as_secs_f64() / parse.as_secs_f64();
        println!(
            "ratios n={n} ({} bytes): parse {:.3} ms = 1.00; load {:.2}x; evaluate {:.2}x; text -> report {:.2}x",
            text.len(),
            parse.as_secs_f64() * 1e3,
            r(load),
            r(eval),
            r(full)
        );
    }
}

criterion_group!(benches, engine);
criterion_main!(benches);
