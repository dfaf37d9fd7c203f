//! The baseline of whole-process timings: `aimscheck-parse MODEL_FILE` reads the file and
//! parses it with `serde_json::from_str::<Value>`, and does nothing else. `aimscheck-proc`
//! compares `aimscheck check` with this process.

/// The allocator the CLI has, so that what is timed is what the CLI runs.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::hint::black_box;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let file = std::env::args()
        .nth(1)
        .ok_or("usage: aimscheck-parse MODEL_FILE")?;
    let text = std::fs::read_to_string(file)?;
    black_box(serde_json::from_str::<serde_json::Value>(&text)?);
    Ok(())
}
