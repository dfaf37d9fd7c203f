//! The adversarial-cost corpus (`aimscheck_bench::hostile`).
//!
//! `aimscheck-hostile [--bytes N] [--seed S] [--out DIR] [--no-extras]` writes, for every
//! rule and indicator of the default pack, `DIR/ID.json` (default `target/hostile`), a valid
//! model of about N bytes (default 10,000,000) shaped to make that rule work hardest, and the
//! named extra models (`proc09-issue.json`); it prints one line per file: name, family, bytes.
//!
//! `aimscheck-hostile --bench CLI [--out DIR] [--runs R] [--timeout SECONDS]` times the corpus
//! already written in DIR: for each distinct model (ids of one family share one), the median
//! of R runs (default 3; one when a run takes over a minute) of `aimscheck-parse FILE` (the
//! binary beside this one: read and parse only) and of `CLI check FILE --format json`, and
//! prints a markdown table: size, parse ms, check ms, check/parse, and the rules and
//! indicators that ended in an error (a step budget hit). A check past the timeout (default
//! 600 s) is stopped and shown as such.
//!
//! `aimscheck-hostile --rule-times FILE` evaluates the model in FILE once with every rule but
//! one turned off (by an overlay), for each rule, and once with all of them off (indicators
//! only), and prints each rule's evaluation time over that baseline, slowest first: where the
//! time of a slow model goes, including work the step budget does not count.
//!
//! `aimscheck-hostile --steps [--bytes N] [--seed S]` writes nothing: for each family's model
//! it finds, by bisection, the smallest per-rule step budget at which each id of the family
//! ends without an error, and prints that budget over the model's size (steps per byte), then
//! the largest such figure of every id on that model.

use aimscheck_bench::hostile::{self, Family, SHAPES};
use aimscheck_bench::median_ms;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: aimscheck-hostile [--bytes N] [--seed S] [--out DIR] [--no-extras] \
                     [--steps] [--bench CLI [--runs R] [--timeout SECONDS]] | --rule-times FILE";

/// The wall time and standard output of a finished run.
type Finished = (Duration, Vec<u8>);

/// One timed run: wall time and standard output, or `None` past the timeout.
fn run(
    cmd: &mut Command,
    timeout: Duration,
) -> Result<Option<Finished>, Box<dyn std::error::Error>> {
    let out_file =
        std::env::temp_dir().join(format!("aimscheck-hostile-{}.out", std::process::id()));
    let start = Instant::now();
    let mut child = cmd
        .stdout(std::fs::File::create(&out_file)?)
        .stderr(Stdio::null())
        .spawn()?;
    loop {
        if let Some(status) = child.try_wait()? {
            let took = start.elapsed();
            // `check` exits 1 when the model does not conform: a finished run either way.
            if !matches!(status.code(), Some(0 | 1)) {
                return Err(format!("{cmd:?} ended with {status}").into());
            }
            let out = std::fs::read(&out_file)?;
            std::fs::remove_file(&out_file)?;
            return Ok(Some((took, out)));
        }
        if start.elapsed() > timeout {
            child.kill()?;
            child.wait()?;
            std::fs::remove_file(&out_file)?;
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The rules and indicators of a JSON report that ended in an error, with the error code.
fn report_errors(report: &[u8]) -> Vec<String> {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(report) else {
        return vec!["(report not readable)".to_owned()];
    };
    let empty = Vec::new();
    let rules = v
        .get("rules")
        .and_then(serde_json::Value::as_array)
        .unwrap_or(&empty);
    let mut out: Vec<String> = rules
        .iter()
        .filter(|r| r.get("status").and_then(serde_json::Value::as_str) == Some("error"))
        .map(|r| {
            format!(
                "{} ({})",
                r.get("id")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("?"),
                r.pointer("/error/code")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("?")
            )
        })
        .collect();
    let indicators = v
        .get("indicators")
        .and_then(serde_json::Value::as_array)
        .unwrap_or(&empty);
    out.extend(
        indicators
            .iter()
            .filter(|i| i.get("error").is_some_and(|e| !e.is_null()))
            .map(|i| {
                i.get("id")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("?")
                    .to_owned()
            }),
    );
    out
}

/// The `--rule-times` mode.
fn rule_times(file: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(file)?;
    let model = aimscheck::Model::from_json(&text)?;
    let engine = aimscheck::Engine::new()?;
    let rules: Vec<&str> = SHAPES
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| engine.has_rule(id))
        .collect();
    let options = aimscheck::Options::parse(aimscheck_bench::AS_OF, Some("enterprise"), None)?;
    let time_with = |on: Option<&str>| -> Result<f64, Box<dyn std::error::Error>> {
        let off: Vec<&str> = rules.iter().copied().filter(|r| Some(*r) != on).collect();
        let overlay = aimscheck::Overlay::from_json(
            &serde_json::json!({ "disable": off }).to_string(),
            None,
        )?;
        let engine = engine.clone().with_overlay(overlay)?;
        let start = Instant::now();
        engine.evaluate(&model, &options)?;
        Ok(start.elapsed().as_secs_f64() * 1e3)
    };
    let baseline = time_with(None)?;
    let mut times = Vec::new();
    for r in &rules {
        times.push(((time_with(Some(r))? - baseline).max(0.0), *r));
    }
    times.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("indicators only: {baseline:.0} ms");
    for (t, r) in times {
        println!("{r}: {t:.0} ms");
    }
    Ok(())
}

/// The `--bench` mode: times every distinct model of `dir`.
fn bench(
    cli: &Path,
    dir: &Path,
    runs: usize,
    timeout: Duration,
) -> Result<(), Box<dyn std::error::Error>> {
    let parse_bin: PathBuf = std::env::current_exe()?.with_file_name("aimscheck-parse");
    // Ids of one family share a model: time it once, under the names of all its ids.
    let mut models: Vec<(Vec<String>, PathBuf, u64)> = Vec::new();
    let mut names: Vec<String> = SHAPES.iter().map(|(id, _)| (*id).to_owned()).collect();
    names.extend(hostile::EXTRAS.iter().map(|(n, _, _)| (*n).to_owned()));
    let mut seen: Vec<(Vec<u8>, usize)> = Vec::new();
    for name in names {
        let path = dir.join(format!("{name}.json"));
        let Ok(text) = std::fs::read(&path) else {
            continue;
        };
        let len = text.len() as u64;
        match seen.iter().find(|(t, _)| *t == text) {
            Some((_, i)) => {
                if let Some(m) = models.get_mut(*i) {
                    m.0.push(name);
                }
            }
            None => {
                seen.push((text, models.len()));
                models.push((vec![name], path, len));
            }
        }
    }
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    writeln!(
        w,
        "| model (ids) | MB | parse ms | check ms | check/parse | errors (budget hits) |"
    )?;
    writeln!(w, "|---|---:|---:|---:|---:|---|")?;
    for (ids, path, len) in models {
        let (mut parse, mut check) = (Vec::new(), Vec::new());
        let mut errors = String::new();
        let mut timed_out = false;
        for i in 0..runs.max(1) {
            if let Some((t, _)) = run(Command::new(&parse_bin).arg(&path), timeout)? {
                parse.push(t);
            }
            let mut c = Command::new(cli);
            c.arg("check")
                .arg(&path)
                .args(["--as-of", aimscheck_bench::AS_OF, "--format", "json"]);
            match run(&mut c, timeout)? {
                Some((t, out)) => {
                    check.push(t);
                    if i == 0 {
                        errors = report_errors(&out).join(", ");
                    }
                    if t > Duration::from_secs(60) {
                        break;
                    }
                }
                None => {
                    timed_out = true;
                    break;
                }
            }
        }
        let (p, c) = (median_ms(parse), median_ms(check));
        let (check_ms, ratio) = if timed_out {
            (
                format!("> {}", timeout.as_millis()),
                format!("> {:.0}", timeout.as_secs_f64() * 1e3 / p),
            )
        } else {
            (format!("{c:.0}"), format!("{:.1}", c / p))
        };
        writeln!(
            w,
            "| {} | {:.1} | {p:.0} | {check_ms} | {ratio} | {} |",
            ids.join(", "),
            len as f64 / 1e6,
            if timed_out {
                "(timed out)".to_owned()
            } else if errors.is_empty() {
                "none".to_owned()
            } else {
                errors
            }
        )?;
        w.flush()?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut bytes = 10_000_000usize;
    let mut seed = 1u64;
    let mut out = PathBuf::from("target/hostile");
    let (mut extras, mut steps) = (true, false);
    let mut cli: Option<PathBuf> = None;
    let mut rule_times_of: Option<PathBuf> = None;
    let (mut runs, mut timeout) = (3usize, 600u64);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--bytes" => bytes = args.next().ok_or(USAGE)?.parse()?,
            "--seed" => seed = args.next().ok_or(USAGE)?.parse()?,
            "--out" => out = args.next().ok_or(USAGE)?.into(),
            "--no-extras" => extras = false,
            "--steps" => steps = true,
            "--rule-times" => rule_times_of = Some(args.next().ok_or(USAGE)?.into()),
            "--bench" => cli = Some(args.next().ok_or(USAGE)?.into()),
            "--runs" => runs = args.next().ok_or(USAGE)?.parse()?,
            "--timeout" => timeout = args.next().ok_or(USAGE)?.parse()?,
            _ => return Err(USAGE.into()),
        }
    }
    if let Some(file) = rule_times_of {
        return rule_times(&file);
    }
    if let Some(cli) = cli {
        return bench(&cli, &out, runs, Duration::from_secs(timeout));
    }
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    if steps {
        writeln!(w, "| family | bytes | id | steps needed | steps/byte |")?;
        writeln!(w, "|---|---:|---|---:|---:|")?;
        for family in Family::ALL {
            let (text, _) = hostile::scaled(family, bytes, seed);
            let model = aimscheck::Model::from_json(&text)?;
            let len = text.len() as f64;
            let mut worst: Option<(&str, u64)> = None;
            for (id, _) in SHAPES {
                let need = hostile::steps_needed(&model, id, aimscheck_bench::AS_OF, 1 << 40)?;
                let own = hostile::family_of(id) == Some(family);
                let need = need.unwrap_or(u64::MAX);
                if own {
                    writeln!(
                        w,
                        "| {} | {} | {id} | {need} | {:.1} |",
                        family.name(),
                        text.len(),
                        need as f64 / len
                    )?;
                }
                if worst.is_none_or(|(_, n)| need > n) {
                    worst = Some((id, need));
                }
            }
            if let Some((id, need)) = worst {
                writeln!(
                    w,
                    "| {} | {} | max: {id} | {need} | {:.1} |",
                    family.name(),
                    text.len(),
                    need as f64 / len
                )?;
            }
            w.flush()?;
        }
        return Ok(());
    }
    std::fs::create_dir_all(&out)?;
    for entry in hostile::corpus(bytes, seed, extras) {
        let path = out.join(format!("{}.json", entry.name));
        std::fs::write(&path, &entry.text)?;
        writeln!(
            w,
            "{} {} {}",
            entry.name,
            entry.family.name(),
            entry.text.len()
        )?;
    }
    Ok(())
}
