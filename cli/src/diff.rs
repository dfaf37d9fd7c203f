//! `diff`: compare two reports of `check --format json`, rule by rule and finding by finding.
//!
//! Findings are matched by (rule id, pointer, message): in the old report only they are
//! *fixed*, in the new one only *new*, in both *unchanged* (as many times as they occur in both).

use crate::diag::{Failure, codes};
use crate::text::{self, Style};
use aimscheck::{Finding, Issue, Report, RuleResult, Status};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
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

/// How bad a status is, for "improved" and "regressed": fail, then error, then insufficient
/// evidence; pass, waived and not applicable are all fine.
fn badness(status: Status) -> u8 {
    match status {
        Status::Fail => 3,
        Status::Error => 2,
        Status::InsufficientEvidence => 1,
        // Pass, waived, not applicable, and any status a later engine adds.
        _ => 0,
    }
}

/// The comparison of one rule.
#[derive(Debug)]
pub struct RuleDiff<'a> {
    /// Rule id.
    pub id: &'a str,
    /// Status in the old report; `None` when the rule is new.
    pub old_status: Option<Status>,
    /// Status in the new report; `None` when the rule is gone.
    pub new_status: Option<Status>,
    /// Findings of the old report only.
    pub fixed: Vec<&'a Finding>,
    /// Findings of the new report only.
    pub new: Vec<&'a Finding>,
    /// Findings in both.
    pub unchanged: usize,
    /// Whether either report kept fewer findings of this rule than it found.
    pub truncated: bool,
}

impl RuleDiff<'_> {
    /// Whether the status got better (both reports have the rule).
    fn improved(&self) -> bool {
        matches!((self.old_status, self.new_status), (Some(o), Some(n)) if badness(n) < badness(o))
    }

    /// Whether the status got worse (both reports have the rule).
    fn regressed(&self) -> bool {
        matches!((self.old_status, self.new_status), (Some(o), Some(n)) if badness(n) > badness(o))
    }

    /// `improved`, `regressed`, `changed`, `added`, `removed` or `same`.
    fn change(&self) -> &'static str {
        match (self.old_status, self.new_status) {
            (None, _) => "added",
            (_, None) => "removed",
            _ if self.improved() => "improved",
            _ if self.regressed() => "regressed",
            (o, n) if o != n => "changed",
            _ => "same",
        }
    }
}

/// Counts over every rule.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    fixed: usize,
    new: usize,
    unchanged: usize,
    improved: usize,
    regressed: usize,
    changed: usize,
    added: usize,
    removed: usize,
}

/// The comparison of two reports.
#[derive(Debug)]
pub struct Diff<'a> {
    old: &'a Loaded,
    new: &'a Loaded,
    /// One entry per rule of either report, ordered by rule id.
    pub rules: Vec<RuleDiff<'a>>,
    /// Totals.
    counts: Counts,
}

/// Findings of `a` not matched in `b` (by pointer and message, counting repeats), and how
/// many were matched.
fn unmatched<'a>(a: &'a [Finding], b: &[Finding]) -> (Vec<&'a Finding>, usize) {
    let mut pool: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in b {
        *pool
            .entry((f.pointer.as_str(), f.message.as_str()))
            .or_default() += 1;
    }
    let mut left = Vec::new();
    let mut matched = 0;
    for f in a {
        match pool.get_mut(&(f.pointer.as_str(), f.message.as_str())) {
            Some(n) if *n > 0 => {
                *n -= 1;
                matched += 1;
            }
            _ => left.push(f),
        }
    }
    (left, matched)
}

impl<'a> Diff<'a> {
    /// Compares `old` with `new`.
    pub fn of(old: &'a Loaded, new: &'a Loaded) -> Diff<'a> {
        let by_id = |r: &'a Report| -> BTreeMap<&'a str, &'a RuleResult> {
            r.rules.iter().map(|x| (x.id.as_str(), x)).collect()
        };
        let (o, n) = (by_id(&old.report), by_id(&new.report));
        let ids: BTreeSet<&str> = o.keys().chain(n.keys()).copied().collect();
        let none: &[Finding] = &[];
        let mut counts = Counts::default();
        let mut rules = Vec::new();
        for id in ids {
            let (ro, rn) = (o.get(id).copied(), n.get(id).copied());
            let fo = ro.map_or(none, |r| r.findings.as_slice());
            let fn_ = rn.map_or(none, |r| r.findings.as_slice());
            let (fixed, unchanged) = unmatched(fo, fn_);
            let (added, _) = unmatched(fn_, fo);
            let truncated = [ro, rn]
                .iter()
                .flatten()
                .any(|r| r.findings_total > r.findings.len());
            let d = RuleDiff {
                id,
                old_status: ro.map(|r| r.status),
                new_status: rn.map(|r| r.status),
                fixed,
                new: added,
                unchanged,
                truncated,
            };
            counts.fixed += d.fixed.len();
            counts.new += d.new.len();
            counts.unchanged += d.unchanged;
            match d.change() {
                "improved" => counts.improved += 1,
                "regressed" => counts.regressed += 1,
                "changed" => counts.changed += 1,
                "added" => counts.added += 1,
                "removed" => counts.removed += 1,
                _ => {}
            }
            rules.push(d);
        }
        Diff {
            old,
            new,
            rules,
            counts,
        }
    }

    /// The summary line: `fixed 5, new 1, unchanged 12; rules improved 3, regressed 1`, with
    /// rules added and removed when there are any.
    fn summary_line(&self) -> String {
        let c = &self.counts;
        let mut s = format!(
            "fixed {}, new {}, unchanged {}; rules improved {}, regressed {}",
            c.fixed, c.new, c.unchanged, c.improved, c.regressed
        );
        if c.added > 0 {
            let _ = write!(s, ", added {}", c.added);
        }
        if c.removed > 0 {
            let _ = write!(s, ", removed {}", c.removed);
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
                .rules
                .iter()
                .flat_map(|d| {
                    let found = if fixed { &d.fixed } else { &d.new };
                    found
                        .iter()
                        .map(move |f| format!("  {} {}", style.bold(d.id), text::finding_line(f)))
                })
                .collect();
            if !lines.is_empty() {
                let _ = write!(s, "\n{title}\n{}\n", lines.join("\n"));
            }
        }
        let changes: Vec<String> = self
            .rules
            .iter()
            .filter(|d| d.change() != "same")
            .map(|d| {
                let name = |st: Option<Status>| st.map_or("(absent)", Status::as_str);
                format!(
                    "  {} {} -> {} ({})",
                    style.bold(d.id),
                    name(d.old_status),
                    name(d.new_status),
                    d.change()
                )
            })
            .collect();
        if !changes.is_empty() {
            let _ = write!(s, "\nSTATUS CHANGES\n{}\n", changes.join("\n"));
        }
        let truncated: Vec<&str> = self
            .rules
            .iter()
            .filter(|d| d.truncated)
            .map(|d| d.id)
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
        let side = |l: &'a Loaded| JsonSide {
            file: &l.name,
            as_of: &l.report.as_of,
            model_digest: &l.report.model.digest,
            verdict: text::verdict_name(l.report.verdict),
        };
        let c = &self.counts;
        let doc = JsonDiff {
            old: side(self.old),
            new: side(self.new),
            rules: self
                .rules
                .iter()
                .map(|d| JsonRule {
                    id: d.id,
                    old_status: d.old_status,
                    new_status: d.new_status,
                    change: d.change(),
                    fixed: &d.fixed,
                    new: &d.new,
                    unchanged: d.unchanged,
                })
                .collect(),
            summary: JsonSummary {
                fixed: c.fixed,
                new: c.new,
                unchanged: c.unchanged,
                rules_improved: c.improved,
                rules_regressed: c.regressed,
                rules_changed: c.changed,
                rules_added: c.added,
                rules_removed: c.removed,
            },
        };
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// JSON form of a diff: `old`, `new`, `rules`, `summary`, in that order.
#[derive(Serialize)]
struct JsonDiff<'a> {
    old: JsonSide<'a>,
    new: JsonSide<'a>,
    rules: Vec<JsonRule<'a>>,
    summary: JsonSummary,
}

/// One of the two reports.
#[derive(Serialize)]
struct JsonSide<'a> {
    file: &'a str,
    as_of: &'a str,
    model_digest: &'a str,
    verdict: &'static str,
}

/// One rule: statuses, what changed, findings fixed and new, how many unchanged.
#[derive(Serialize)]
struct JsonRule<'a> {
    id: &'a str,
    old_status: Option<Status>,
    new_status: Option<Status>,
    change: &'static str,
    fixed: &'a [&'a Finding],
    new: &'a [&'a Finding],
    unchanged: usize,
}

/// Totals.
#[derive(Serialize)]
struct JsonSummary {
    fixed: usize,
    new: usize,
    unchanged: usize,
    rules_improved: usize,
    rules_regressed: usize,
    rules_changed: usize,
    rules_added: usize,
    rules_removed: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use aimscheck::FindingKind;

    fn f(pointer: &str, message: &str) -> Finding {
        Finding {
            kind: FindingKind::Violation,
            pointer: pointer.to_owned(),
            entity_id: None,
            message: message.to_owned(),
            expected: None,
            actual: None,
        }
    }

    #[test]
    fn repeated_findings_are_matched_one_for_one() {
        let old = [f("/a", "m"), f("/a", "m"), f("/b", "m")];
        let new = [f("/a", "m"), f("/c", "m")];
        let (fixed, unchanged) = unmatched(&old, &new);
        assert_eq!(unchanged, 1);
        let fixed: Vec<&str> = fixed.iter().map(|x| x.pointer.as_str()).collect();
        assert_eq!(fixed, ["/a", "/b"]);
        let (added, _) = unmatched(&new, &old);
        assert_eq!(added.len(), 1);
        assert_eq!(added.first().map(|x| x.pointer.as_str()), Some("/c"));
    }

    #[test]
    fn badness_orders_statuses() {
        assert!(badness(Status::Fail) > badness(Status::Error));
        assert!(badness(Status::InsufficientEvidence) > badness(Status::Pass));
        assert_eq!(badness(Status::Waived), badness(Status::NotApplicable));
    }
}
