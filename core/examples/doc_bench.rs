//! Temporary benchmark of the arena document (`core/src/doc.rs`) against `serde_json::Value`.
//! The module is crate-private, so it is compiled into this example from its source.
//!
//! ```text
//! cargo run --release -p aimscheck --example doc_bench -- time FILE RUNS
//! cargo run --release -p aimscheck --example doc_bench -- rss doc|value FILE
//! cargo run --release -p aimscheck --example doc_bench -- get FILE
//! cargo run --release -p aimscheck --example doc_bench -- canon FILE > canonical.json
//! ```
//!
//! `time`: median parse time of `Doc::parse` and `serde_json::from_str::<Value>`, alternating
//! in one process. `rss`: peak resident memory (VmHWM) of one parse, measured from after the
//! text is read, divided by the text size; run once per structure, in separate processes.
//! `get`: 1,000,000 lookups of `owner_role_id` on the `processes` objects. `canon`: the
//! document's canonical JSON (`Doc::write_canonical`).

#[path = "../src/doc.rs"]
mod doc;

/// What `doc.rs` uses of the crate, from its public API.
mod locate {
    pub use aimscheck::locate::escape;
}

use doc::Doc;
use serde_json::Value;
use std::hint::black_box;
use std::time::{Duration, Instant};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| {
        args.get(i)
            .map(String::as_str)
            .ok_or("usage: see the doc comment")
    };
    match arg(0)? {
        "time" => time(arg(1)?, arg(2)?.parse()?),
        "rss" => rss(arg(1)?, arg(2)?),
        "get" => get(arg(1)?),
        "canon" => {
            let doc = Doc::parse(&std::fs::read_to_string(arg(1)?)?)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            doc.write_canonical(&mut out)?;
            Ok(std::io::Write::flush(&mut out)?)
        }
        _ => Err("usage: time FILE RUNS | rss doc|value FILE | get FILE | canon FILE".into()),
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn time(path: &str, runs: usize) -> Result<()> {
    let text = std::fs::read_to_string(path)?;
    let (mut docs, mut values) = (Vec::new(), Vec::new());
    let mut nodes = 0;
    let mut heap = 0;
    let mut layout = Vec::new();
    for run in 0..runs {
        // Alternating which goes first; each result is dropped outside the timing.
        for first in [run % 2 == 0, run % 2 != 0] {
            if first {
                let t = Instant::now();
                let doc = Doc::parse(black_box(&text))?;
                docs.push(t.elapsed());
                nodes = doc.node_count();
                heap = doc.heap_bytes();
                layout = doc.layout();
                drop(black_box(doc));
            } else {
                let t = Instant::now();
                let value: Value = serde_json::from_str(black_box(&text))?;
                values.push(t.elapsed());
                drop(black_box(value));
            }
        }
    }
    println!(
        "{path}: {} bytes, {nodes} nodes, Doc heap {heap} bytes ({:.3} x text, {:.1} bytes/node incl. strings)",
        text.len(),
        heap as f64 / text.len() as f64,
        heap as f64 / nodes as f64,
    );
    println!("Doc heap by vector (bytes): {:?}", layout);
    println!(
        "Doc::parse        median {:8.1} ms  runs {:?}",
        ms(median(docs.clone())),
        docs.iter().map(|d| ms(*d).round()).collect::<Vec<_>>()
    );
    println!(
        "from_str::<Value> median {:8.1} ms  runs {:?}",
        ms(median(values.clone())),
        values.iter().map(|d| ms(*d).round()).collect::<Vec<_>>()
    );
    Ok(())
}

/// A line of /proc/self/status, in bytes.
fn status_bytes(field: &str) -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .ok_or("no such field")?;
    let kb: u64 = line
        .trim_start_matches(field)
        .trim_start_matches(':')
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()?;
    Ok(kb * 1024)
}

fn rss(which: &str, path: &str) -> Result<()> {
    let text = std::fs::read_to_string(path)?;
    let (hwm0, rss0) = (status_bytes("VmHWM")?, status_bytes("VmRSS")?);
    let t = Instant::now();
    let held: Box<dyn std::any::Any> = match which {
        "doc" => Box::new(Doc::parse(&text)?),
        "value" => Box::new(serde_json::from_str::<Value>(&text)?),
        _ => return Err("doc or value".into()),
    };
    let took = t.elapsed();
    let (hwm1, rss1) = (status_bytes("VmHWM")?, status_bytes("VmRSS")?);
    let len = text.len() as f64;
    println!(
        "{which:5} {path}: text {} MB; peak (VmHWM) {:.1} MB above the text = {:.2} x text; held (VmRSS) {:.1} MB = {:.2} x text; {:.0} ms",
        text.len() / 1_000_000,
        (hwm1 - hwm0) as f64 / 1e6,
        (hwm1 - hwm0) as f64 / len,
        rss1.saturating_sub(rss0) as f64 / 1e6,
        rss1.saturating_sub(rss0) as f64 / len,
        ms(took),
    );
    drop(black_box(held));
    Ok(())
}

fn get(path: &str) -> Result<()> {
    const N: usize = 1_000_000;
    let text = std::fs::read_to_string(path)?;
    let doc = Doc::parse(&text)?;
    let value: Value = serde_json::from_str(&text)?;
    let processes = doc.get(doc.root(), "processes").ok_or("no processes")?;
    let nodes: Vec<doc::NodeId> = doc.items(processes).collect();
    let values: Vec<&Value> = value
        .get("processes")
        .and_then(Value::as_array)
        .ok_or("no processes")?
        .iter()
        .collect();
    let sym = doc.sym("owner_role_id").ok_or("no owner_role_id")?;
    println!(
        "{path}: {} process objects of {} members; {N} lookups each, median of 7",
        nodes.len(),
        doc.count(nodes.first().copied().ok_or("no process")?)
    );
    let mut results: [Vec<Duration>; 3] = Default::default();
    let mut found = [0usize; 3];
    for _ in 0..7 {
        let t = Instant::now();
        found[0] = nodes
            .iter()
            .cycle()
            .take(N)
            .filter(|&&n| doc.get(n, black_box("owner_role_id")).is_some())
            .count();
        results[0].push(t.elapsed());
        let t = Instant::now();
        found[1] = nodes
            .iter()
            .cycle()
            .take(N)
            .filter(|&&n| doc.get_sym(n, black_box(sym)).is_some())
            .count();
        results[1].push(t.elapsed());
        let t = Instant::now();
        found[2] = values
            .iter()
            .cycle()
            .take(N)
            .filter(|v| v.get(black_box("owner_role_id")).is_some())
            .count();
        results[2].push(t.elapsed());
    }
    for ((name, times), found) in ["Doc::get(&str)", "Doc::get_sym(Sym)", "Value::get(&str)"]
        .iter()
        .zip(results)
        .zip(found)
    {
        let m = median(times);
        println!(
            "{name:18} {:7.2} ms  {:5.1} ns/lookup  ({found} found)",
            ms(m),
            m.as_secs_f64() * 1e9 / N as f64
        );
    }
    Ok(())
}
