//! Evaluates a model file with the default pack and prints the JSON report.
//!
//! `cargo run -p aimscheck --example evaluate -- examples/startup.json 2026-06-30 [tier]`

use aimscheck::{Engine, Model, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(as_of)) = (args.next(), args.next()) else {
        return Err("usage: evaluate MODEL.json YYYY-MM-DD [tier]".into());
    };
    let tier = args.next();
    let engine = Engine::new()?;
    let model = Model::from_json(&std::fs::read_to_string(path)?)?;
    let report = engine.evaluate(&model, &Options::parse(&as_of, tier.as_deref(), None)?)?;
    print!("{}", report.to_json_pretty());
    Ok(())
}
