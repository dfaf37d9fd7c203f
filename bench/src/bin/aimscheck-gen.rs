//! Writes a generated AIMS model: `aimscheck-gen N [SEED] > model.json`.

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .ok_or("usage: aimscheck-gen N [SEED]")?
        .parse()?;
    let seed: u64 = args.next().map_or(Ok(1), |s| s.parse())?;
    let text = aimscheck_bench::generate_text(n, seed);
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}
