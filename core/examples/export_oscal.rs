//! Prints the OSCAL 1.1.3 assessment-results of a model: `cargo run -q -p aimscheck --example
//! export_oscal -- MODEL [--as-of DATE] [--format oscal|sarif]` (as of 2026-06-30 by default,
//! tier from the model). Used by `tests/oscal/` until `aimscheck check --format oscal` exists.

use aimscheck::export::{Context, Format, render};
use aimscheck::{Engine, Model, Options};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("export_oscal: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut as_of = "2026-06-30".to_owned();
    let mut format = Format::Oscal;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--as-of" => as_of = args.next().ok_or("--as-of needs a date")?,
            "--format" => {
                let name = args.next().ok_or("--format needs a format")?;
                format = Format::parse(&name).ok_or(format!("unknown format {name}"))?;
            }
            _ if path.is_none() => path = Some(arg),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    let path = path.ok_or("usage: export_oscal MODEL [--as-of DATE] [--format F]")?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let model = Model::from_json(&text).map_err(|e| e.to_string())?;
    let options = Options::parse(&as_of, None, None).map_err(|e| e.to_string())?;
    let report = Engine::new()
        .and_then(|engine| engine.evaluate(&model, &options))
        .map_err(|e| e.to_string())?;
    let ctx = Context {
        model: Some(&model),
        model_uri: Some(&path),
    };
    render(format, &report, &ctx).map_err(|e| e.to_string())
}
