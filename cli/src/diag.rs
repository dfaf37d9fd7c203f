//! Diagnostics: the issues that make a command exit 2, and how they are printed.

use aimscheck::{Error, Issue, ModelWarning};
use std::fmt::Write as _;

/// The codes of the CLI's own diagnostics, defined with every other code in the library
/// (`aimscheck::error::codes`).
pub mod codes {
    pub use aimscheck::error::codes::{EXISTS, IO};
}

/// A command that could not do its work: every issue found, printed to stderr, exit 2.
#[derive(Debug, Default)]
pub struct Failure {
    /// The issues, in the order they were found.
    pub issues: Vec<Issue>,
}

impl Failure {
    /// A failure with one issue.
    pub fn one(issue: Issue) -> Failure {
        Failure {
            issues: vec![issue],
        }
    }

    /// Adds the issues of a library error; `file` names the input they are in when they
    /// do not name one themselves (the model file, for model errors).
    pub fn add(&mut self, error: &Error, file: Option<&str>) {
        for issue in error.issues() {
            let mut issue = issue.clone();
            if issue.file.is_none() {
                issue.file = file.map(str::to_owned);
            }
            self.issues.push(issue);
        }
    }

    /// Whether nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.issues.is_empty()
    }
}

/// Renders one issue: `error[CODE]: message` (`warning[CODE]` for a warning code,
/// `AIMS-W-…`), then `  --> FILE:LINE:COLUMN at POINTER` when a location is known, then
/// `  = help: …` when the issue has help.
pub fn render(issue: &Issue) -> String {
    let label = if issue.code.starts_with("AIMS-W-") {
        "warning"
    } else {
        "error"
    };
    let mut s = format!("{label}[{}]: {}", issue.code, issue.message);
    if let Some(rule) = issue
        .rule_id
        .as_deref()
        .filter(|r| !issue.message.contains(r))
    {
        let _ = write!(s, " (rule {rule})");
    }
    let position = match (issue.line, issue.column) {
        (Some(l), Some(c)) => Some(format!(":{l}:{c}")),
        _ => None,
    };
    if position.is_some() || !issue.pointer.is_empty() {
        let file = issue.file.as_deref().unwrap_or("<input>");
        let _ = write!(s, "\n  --> {file}{}", position.unwrap_or_default());
        if !issue.pointer.is_empty() {
            let _ = write!(s, " at {}", issue.pointer);
        }
    } else if let Some(file) = &issue.file {
        let _ = write!(s, "\n  --> {file}");
    }
    if let Some(help) = &issue.help {
        let _ = write!(s, "\n  = help: {help}");
    }
    s.push('\n');
    s
}

/// Renders a warning a report carries as [`render`] renders the issue it came from, at its
/// `position` (line, column) in the model `file` when it is known.
pub fn render_warning(w: &ModelWarning, file: &str, position: Option<(usize, usize)>) -> String {
    let mut s = format!("warning[{}]: {}", w.code, w.message);
    let _ = write!(s, "\n  --> {file}");
    if let Some((l, c)) = position {
        let _ = write!(s, ":{l}:{c}");
    }
    let _ = write!(s, " at {}", w.pointer);
    if let Some(help) = &w.help {
        let _ = write!(s, "\n  = help: {help}");
    }
    s.push('\n');
    s
}

/// Renders every issue of a failure.
pub fn render_all(failure: &Failure) -> String {
    failure.issues.iter().map(render).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_code_location_and_pointer() {
        let issue = Issue {
            line: Some(3),
            column: Some(7),
            file: Some("m.json".to_owned()),
            ..Issue::new("AIMS-E-SCHEMA", "bad", "/processes")
        };
        assert_eq!(
            render(&issue),
            "error[AIMS-E-SCHEMA]: bad\n  --> m.json:3:7 at /processes\n"
        );
    }

    #[test]
    fn renders_a_warning_with_its_help() {
        let issue = Issue {
            line: Some(4),
            column: Some(21),
            file: Some("m.json".to_owned()),
            help: Some("did you mean `owner_role_id`?".to_owned()),
            ..Issue::new(
                "AIMS-W-UNKNOWN-MEMBER",
                "unknown",
                "/processes/0/owner_roleid",
            )
        };
        let expected = "warning[AIMS-W-UNKNOWN-MEMBER]: unknown\n  --> m.json:4:21 at \
                        /processes/0/owner_roleid\n  = help: did you mean `owner_role_id`?\n";
        assert_eq!(render(&issue), expected);
        assert_eq!(
            render_warning(&(&issue).into(), "m.json", Some((4, 21))),
            expected
        );
    }

    #[test]
    fn renders_without_location() {
        let issue = Issue::new("AIMS-E-OPTIONS", "bad date", "");
        assert_eq!(render(&issue), "error[AIMS-E-OPTIONS]: bad date\n");
    }

    #[test]
    fn renders_pointer_without_position() {
        let issue = Issue {
            file: Some("m.json".to_owned()),
            ..Issue::new("AIMS-E-DUPLICATE-ID", "twice", "/processes/1/id")
        };
        assert_eq!(
            render(&issue),
            "error[AIMS-E-DUPLICATE-ID]: twice\n  --> m.json at /processes/1/id\n"
        );
    }
}
