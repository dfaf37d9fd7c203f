//! The evaluation steps of the default pack on one model file:
//! `aimscheck-steps MODEL_FILE [AS_OF]` (as of 2026-06-30 by default, tier enterprise so that
//! every rule runs) prints one JSON object: the total, and each rule's and indicator's steps,
//! the costliest first. The figures the README gives for the step budgets come from it.

use aimscheck::{Engine, LoadLimits, Model, Options};
use serde_json::{Value, json};

fn ranked(steps: &std::collections::BTreeMap<String, u64>) -> Value {
    let mut v: Vec<(&String, &u64)> = steps.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    Value::Array(v.into_iter().map(|(id, n)| json!([id, n])).collect())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let file = args
        .next()
        .ok_or("usage: aimscheck-steps MODEL_FILE [AS_OF]")?;
    let as_of = args.next().unwrap_or_else(|| "2026-06-30".to_owned());
    let text = std::fs::read_to_string(&file)?;
    let limits = LoadLimits {
        max_bytes: usize::MAX,
        ..LoadLimits::default()
    };
    let model = Model::from_json_with(&text, &limits)?;
    let options = Options {
        max_steps_per_rule: u64::MAX,
        max_steps_total: u64::MAX,
        ..Options::parse(&as_of, Some("enterprise"), None)?
    };
    let (report, steps) = Engine::new()?.evaluate_with_steps(&model, &options)?;
    println!(
        "{}",
        json!({
            "model": file,
            "bytes": text.len(),
            "total": steps.total,
            "errors": report.summary.by_status.error,
            "rules": ranked(&steps.rules),
            "indicators": ranked(&steps.indicators),
        })
    );
    Ok(())
}
