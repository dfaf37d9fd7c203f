//! Times whole processes on one model file: `aimscheck-proc CLI MODEL_FILE AS_OF RUNS`.
//!
//! Runs, RUNS times each and in turn, `aimscheck-parse MODEL_FILE` (the binary beside this
//! one, which only reads and parses the file) and `CLI check MODEL_FILE --as-of AS_OF` with
//! `--format text` and with `--format json`, their output discarded, and prints one JSON
//! object: the median wall time of each in milliseconds and each check's ratio to the parse.
//! Running them in turn spreads the noise of a shared machine over all three.

use aimscheck_bench::median_ms;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: aimscheck-proc CLI MODEL_FILE AS_OF RUNS";

/// The wall time of one run of `cmd`; an error unless it exits with `ok` codes.
fn time(cmd: &mut Command, ok: &[i32]) -> Result<Duration, Box<dyn std::error::Error>> {
    let start = Instant::now();
    let status = cmd.stdout(Stdio::null()).status()?;
    let took = start.elapsed();
    match status.code() {
        Some(c) if ok.contains(&c) => Ok(took),
        _ => Err(format!("{cmd:?} ended with {status}").into()),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(cli), Some(file), Some(as_of), Some(runs), None) = (
        args.next(),
        args.next(),
        args.next(),
        args.next(),
        args.next(),
    ) else {
        return Err(USAGE.into());
    };
    let runs: usize = runs.parse()?;
    let parse_bin: PathBuf = std::env::current_exe()?.with_file_name("aimscheck-parse");
    let (mut parse, mut text, mut json) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        parse.push(time(Command::new(&parse_bin).arg(&file), &[0])?);
        // `check` exits 1 when the model does not conform: a finished run either way.
        let check = |format: &str| {
            let mut c = Command::new(&cli);
            c.args(["check", &file, "--as-of", &as_of, "--format", format]);
            c
        };
        text.push(time(&mut check("text"), &[0, 1])?);
        json.push(time(&mut check("json"), &[0, 1])?);
    }
    let (parse, text, json) = (median_ms(parse), median_ms(text), median_ms(json));
    let round = |x: f64| (x * 100.0).round() / 100.0;
    println!(
        "{}",
        serde_json::json!({
            "runs": runs,
            "parse_process_ms": round(parse),
            "check_text_ms": round(text),
            "check_json_ms": round(json),
            "check_text_to_parse": round(text / parse),
            "check_json_to_parse": round(json / parse),
        })
    );
    Ok(())
}
