//! `aimscheck`: the command line of the aimscheck library.
//!
//! `aimscheck check MODEL` evaluates an AIMS model against the embedded ISO/IEC 42001
//! clause 4.4 rule pack (and any `--rules DIR`, with an optional `--overlay FILE`),
//! `aimscheck validate MODEL` only loads it, `aimscheck rules list` lists the rules,
//! `aimscheck rules explain ID` explains one, `aimscheck rules lint [DIR ...]` lints packs for
//! nested scans, `aimscheck init --tier T` writes a starter model,
//! `aimscheck diff OLD NEW` compares two JSON reports and `aimscheck diagram MODEL` draws the
//! process-interaction map. `check --format` also exports SARIF, OSCAL, JUnit, Markdown, HTML
//! and CISO Assistant CSV. Exit status: 0 ok, 1 a rule fails at or above `--fail-on`, 2 bad
//! input or usage (with `error[CODE]: ...` lines on stderr).

/// The allocator of the command (see `tikv-jemallocator` in Cargo.toml for why).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

mod args;
mod batch;
mod commands;
mod diag;
mod diff;
mod explain;
mod init;
mod migrate;
mod output;
mod text;

use clap::Parser;
use std::process::ExitCode;

/// Parses the arguments, runs the command and maps the outcome to the exit status.
fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Usage errors go to stderr and exit 2; --help and --version to stdout and exit 0.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(commands::EXIT_ERROR));
        }
    };
    match commands::run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(failure) if failure.is_empty() => {
            output::note("error: the command failed without details\n");
            ExitCode::from(commands::EXIT_ERROR)
        }
        Err(failure) => {
            output::note(&diag::render_all(&failure));
            ExitCode::from(commands::EXIT_ERROR)
        }
    }
}
