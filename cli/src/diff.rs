//! `diff`: compare two reports of `check --format json` ([`aimscheck::diff::ReportDiff`]) and
//! write the comparison as text.

use crate::diag::{Failure, codes};
use crate::text::{self, Style};
use aimscheck::diff::{Change, ReportDiff};
use aimscheck::{Issue, Report, Status};
use std::fmt::Write as _;
use std::path::Path;

/// A report read from a file.
#[derive(Debug)]
pub struct Loaded {
    /// The file name as given.
    pub name: String,
    /// The report.
    pub report: Report,
}

/// Reads and parses the report in `path`; a problem goes into `failure`.
pub fn load(path: &Path, failure: &mut Failure) -> Option<Loaded> {
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            failure.issues.push(Issue {
                file: Some(name),
                ..Issue::new(codes::IO, format!("cannot read the report: {e}"), "")
            });
            return None;
        }
    };
    // The core's report reader: a model, text that is not JSON, or a report of a format this
    // engine does not read is an `AIMS-E-REPORT` issue, located in the file where it can be.
    match aimscheck::api::read_report(aimscheck::api::ReportInput::Text(text)) {
        Ok(report) => Some(Loaded { name, report }),
        Err(e) => {
            failure.issues.extend(e.issues().iter().map(|i| Issue {
                file: Some(name.clone()),
                ..i.clone()
            }));
            None
        }
    }
}

/// The comparison of two reports read from files.
pub struct Diff<'a> {
    old: &'a Loaded,
    new: &'a Loaded,
    /// The comparison, with the two file names.
    pub diff: ReportDiff,
}

impl<'a> Diff<'a> {
    /// Compares `old` with `new`.
    pub fn of(old: &'a Loaded, new: &'a Loaded) -> Diff<'a> {
        let mut diff = ReportDiff::of(&old.report, &new.report);
        diff.old.file = Some(old.name.clone());
        diff.new.file = Some(new.name.clone());
        Diff { old, new, diff }
    }

    /// The summary line: `fixed 5, new 1, unchanged 12; rules improved 3, regressed 1`, with
    /// rules added and removed when there are any.
    fn summary_line(&self) -> String {
        let c = &self.diff.summary;
        let mut s = format!(
            "fixed {}, new {}, unchanged {}; rules improved {}, regressed {}",
            c.fixed, c.new, c.unchanged, c.rules_improved, c.rules_regressed
        );
        if c.rules_added > 0 {
            let _ = write!(s, ", added {}", c.rules_added);
        }
        if c.rules_removed > 0 {
            let _ = write!(s, ", removed {}", c.rules_removed);
        }
        s
    }

    /// The text form: the summary line, the two reports, then FIXED, NEW and STATUS CHANGES.
    pub fn text(&self, style: Style) -> String {
        let mut s = self.summary_line();
        s.push('\n');
        for (label, l) in [("old", self.old), ("new", self.new)] {
            let r = &l.report;
            let who = r
                .model
                .organization
                .as_deref()
                .map(|o| format!("{o}, "))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "{label}: {} ({who}as of {}, tier {}, {})",
                l.name,
                r.as_of,
                r.tier,
                text::verdict_name(r.verdict)
            );
        }
        for (title, fixed) in [("FIXED", true), ("NEW", false)] {
            let lines: Vec<String> = self
                .diff
                .rules
                .iter()
                .flat_map(|d| {
                    let found = if fixed { &d.fixed } else { &d.new };
                    found
                        .iter()
                        .map(move |f| format!("  {} {}", style.bold(&d.id), text::finding_line(f)))
                })
                .collect();
            if !lines.is_empty() {
                let _ = write!(s, "\n{title}\n{}\n", lines.join("\n"));
            }
        }
        let changes: Vec<String> = self
            .diff
            .rules
            .iter()
            .filter(|d| d.change != Change::Same)
            .map(|d| {
                let name = |st: Option<Status>| st.map_or("(absent)", Status::as_str);
                format!(
                    "  {} {} -> {} ({})",
                    style.bold(&d.id),
                    name(d.old_status),
                    name(d.new_status),
                    d.change.as_str()
                )
            })
            .collect();
        if !changes.is_empty() {
            let _ = write!(s, "\nSTATUS CHANGES\n{}\n", changes.join("\n"));
        }
        let truncated: Vec<&str> = self
            .diff
            .rules
            .iter()
            .filter(|d| d.truncated)
            .map(|d| d.id.as_str())
            .collect();
        if !truncated.is_empty() {
            let _ = writeln!(
                s,
                "\nnote: a report kept only part of the findings of {} (the per-rule limit); only those kept are compared",
                truncated.join(", ")
            );
        }
        s
    }

    /// The JSON form, pretty-printed with a trailing newline.
    pub fn to_json_pretty(&self) -> String {
        self.diff.to_json_pretty()
    }
}
