//! Writing to stdout and stderr without panicking (unlike `println!`) when a stream is closed.

use crate::diag::{Failure, codes};
use aimscheck::Issue;
use std::io::{ErrorKind, Write};
use std::path::Path;

/// Writes `text` to stdout. A closed pipe (`aimscheck check m.json | head`) is not an error;
/// any other write error is reported as `AIMS-E-IO`.
pub fn stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::one(Issue::new(
            codes::IO,
            format!("cannot write the output: {e}"),
            "",
        ))),
    }
}

/// Writes `text` to stderr, ignoring write errors (there is nowhere left to report them).
pub fn note(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// Writes `text` to `file` when given (`--output FILE`), else to stdout.
pub fn write(text: &str, file: Option<&Path>) -> Result<(), Failure> {
    let Some(path) = file else {
        return stdout(text);
    };
    std::fs::write(path, text).map_err(|e| {
        Failure::one(Issue {
            file: Some(path.display().to_string()),
            ..Issue::new(codes::IO, format!("cannot write the output: {e}"), "")
        })
    })
}

/// Writes `text` to a new file at `path` for `what` (such as "the model"): an existing file is
/// replaced only with `force`, and never one that appears between a check and the write.
pub fn create(path: &Path, text: &str, force: bool, what: &str) -> Result<(), Failure> {
    let name = path.display().to_string();
    let io = |code: &'static str, message: String| {
        Failure::one(Issue {
            file: Some(name.clone()),
            ..Issue::new(code, message, "")
        })
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == ErrorKind::AlreadyExists {
            io(
                codes::EXISTS,
                format!("{name} exists; use --force to overwrite it"),
            )
        } else {
            io(codes::IO, format!("cannot write {what}: {e}"))
        }
    })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| io(codes::IO, format!("cannot write {what}: {e}")))
}
