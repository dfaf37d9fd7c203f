//! What the end-to-end tests of the `aimscheck` binary share: running it, reading its output,
//! temporary files, the examples. Each test file uses part of it.
#![allow(dead_code)]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_aimscheck");
/// The evaluation date of the tests.
pub const AS_OF: &str = "2026-06-30";

/// The path of `examples/<file>`.
pub fn example(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(file)
        .to_str()
        .unwrap()
        .to_owned()
}

/// A file or folder under the temporary directory, removed on drop.
pub struct Tmp(pub PathBuf);

impl Tmp {
    /// A path under the temporary directory no other test uses.
    pub fn unique(name: &str) -> PathBuf {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        std::env::temp_dir().join(format!(
            "aimscheck-cli-test-{}-{n}-{name}",
            std::process::id()
        ))
    }

    /// A path nothing is written to yet (a command's output file).
    pub fn new(name: &str) -> Tmp {
        Tmp(Self::unique(name))
    }

    /// A file with `contents`.
    pub fn file(name: &str, contents: impl AsRef<[u8]>) -> Tmp {
        let path = Self::unique(name);
        std::fs::write(&path, contents).unwrap();
        Tmp(path)
    }

    /// A folder with the given files.
    pub fn dir(name: &str, files: &[(&str, &str)]) -> Tmp {
        let path = Self::unique(name);
        std::fs::create_dir_all(&path).unwrap();
        for (f, text) in files {
            std::fs::write(path.join(f), text).unwrap();
        }
        Tmp(path)
    }

    /// The path as text, for arguments.
    pub fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        if self.0.is_dir() {
            let _ = std::fs::remove_dir_all(&self.0);
        } else {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

/// Runs the binary with `args` (and without `NO_COLOR` from the environment).
pub fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

/// Runs the binary with `args` and `input` on stdin.
pub fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// The exit status.
pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally, not by a signal")
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Stdout as JSON.
pub fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(o)))
}

/// Asserts exit 2, nothing on stdout, and an `error[CODE]` line on stderr; returns stderr.
pub fn assert_input_error(o: &Output, error_code: &str) -> String {
    let err = stderr(o);
    assert_eq!(code(o), 2, "exit status; stderr: {err}");
    assert!(
        o.stdout.is_empty(),
        "stdout should be empty, is: {}",
        stdout(o)
    );
    assert!(
        err.contains(&format!("error[{error_code}]: ")),
        "stderr lacks error[{error_code}]: {err}"
    );
    err
}
