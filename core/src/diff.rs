//! The comparison of two reports, rule by rule and finding by finding.
//!
//! Findings are matched by (rule id, pointer, message): in the old report only they are
//! *fixed*, in the new one only *new*, in both *unchanged* (as many times as they occur in both).
//!
//! ```
//! use aimscheck::diff::{Change, ReportDiff};
//! use aimscheck::{Engine, Model, Options};
//! let engine = Engine::new()?;
//! let model = Model::from_json(r#"{"schema_version": "1.0"}"#)?;
//! let report = engine.evaluate(&model, &Options::parse("2026-06-30", Some("startup"), None)?)?;
//! let d = ReportDiff::of(&report, &report);
//! assert!(d.summary.unchanged > 0);
//! assert_eq!((d.summary.fixed, d.summary.new), (0, 0));
//! assert!(d.rules.iter().all(|r| r.change == Change::Same));
//! # Ok::<(), aimscheck::Error>(())
//! ```

use crate::report::{Finding, Report, RuleResult, Status, Verdict};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The comparison of two reports; serialized, the JSON `aimscheck diff --format json` prints:
/// `old`, `new`, `rules`, `summary`, in that order.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ReportDiff {
    /// The old report.
    pub old: Side,
    /// The new report.
    pub new: Side,
    /// One entry per rule of either report, ordered by rule id.
    pub rules: Vec<RuleDiff>,
    /// Totals.
    pub summary: Summary,
}

/// One of the two reports.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Side {
    /// The file it was read from, when a front end names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Its evaluation date.
    pub as_of: String,
    /// The digest of the model it judged.
    pub model_digest: String,
    /// Its verdict.
    pub verdict: Verdict,
}

/// How a rule's status moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Change {
    /// Only the new report has the rule.
    Added,
    /// Only the old report has the rule.
    Removed,
    /// Better: fail, then error, then insufficient evidence, then the rest.
    Improved,
    /// Worse, in the same order.
    Regressed,
    /// Another status of the same badness (pass, waived, not applicable).
    Changed,
    /// The same status.
    Same,
}

impl Change {
    /// The name the JSON form uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Improved => "improved",
            Change::Regressed => "regressed",
            Change::Changed => "changed",
            Change::Same => "same",
        }
    }
}

/// The comparison of one rule.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct RuleDiff {
    /// Rule id.
    pub id: String,
    /// Status in the old report; `None` when the rule is new.
    pub old_status: Option<Status>,
    /// Status in the new report; `None` when the rule is gone.
    pub new_status: Option<Status>,
    /// How the status moved.
    pub change: Change,
    /// Findings of the old report only.
    pub fixed: Vec<Finding>,
    /// Findings of the new report only.
    pub new: Vec<Finding>,
    /// Findings in both.
    pub unchanged: usize,
    /// Whether either report kept fewer findings of this rule than it found (only those kept
    /// are compared).
    #[serde(skip)]
    pub truncated: bool,
}

/// Totals over every rule.
#[derive(Debug, Clone, Copy, Default, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Findings fixed.
    pub fixed: usize,
    /// Findings new.
    pub new: usize,
    /// Findings in both reports.
    pub unchanged: usize,
    /// Rules whose status improved.
    pub rules_improved: usize,
    /// Rules whose status regressed.
    pub rules_regressed: usize,
    /// Rules whose status changed without getting better or worse.
    pub rules_changed: usize,
    /// Rules only the new report has.
    pub rules_added: usize,
    /// Rules only the old report has.
    pub rules_removed: usize,
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

fn change(old: Option<Status>, new: Option<Status>) -> Change {
    match (old, new) {
        (None, _) => Change::Added,
        (_, None) => Change::Removed,
        (Some(o), Some(n)) if badness(n) < badness(o) => Change::Improved,
        (Some(o), Some(n)) if badness(n) > badness(o) => Change::Regressed,
        (o, n) if o != n => Change::Changed,
        _ => Change::Same,
    }
}

/// Findings of `a` not matched in `b` (by pointer and message, counting repeats), and how
/// many were matched.
fn unmatched(a: &[Finding], b: &[Finding]) -> (Vec<Finding>, usize) {
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
            _ => left.push(f.clone()),
        }
    }
    (left, matched)
}

impl Side {
    fn of(r: &Report) -> Side {
        Side {
            file: None,
            as_of: r.as_of.clone(),
            model_digest: r.model.digest.clone(),
            verdict: r.verdict,
        }
    }
}

impl ReportDiff {
    /// Compares `old` with `new`.
    pub fn of(old: &Report, new: &Report) -> ReportDiff {
        let by_id = |r: &Report| -> BTreeMap<String, RuleResult> {
            r.rules.iter().map(|x| (x.id.clone(), x.clone())).collect()
        };
        let (o, n) = (by_id(old), by_id(new));
        let ids: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
        let mut summary = Summary::default();
        let mut rules = Vec::new();
        for id in ids {
            let (ro, rn) = (o.get(id), n.get(id));
            let fo = ro.map_or(&[][..], |r| r.findings.as_slice());
            let fn_ = rn.map_or(&[][..], |r| r.findings.as_slice());
            let (fixed, unchanged) = unmatched(fo, fn_);
            let (added, _) = unmatched(fn_, fo);
            let truncated = [ro, rn]
                .iter()
                .flatten()
                .any(|r| r.findings_total > r.findings.len());
            let (old_status, new_status) = (ro.map(|r| r.status), rn.map(|r| r.status));
            let d = RuleDiff {
                id: id.clone(),
                old_status,
                new_status,
                change: change(old_status, new_status),
                fixed,
                new: added,
                unchanged,
                truncated,
            };
            summary.fixed += d.fixed.len();
            summary.new += d.new.len();
            summary.unchanged += d.unchanged;
            match d.change {
                Change::Improved => summary.rules_improved += 1,
                Change::Regressed => summary.rules_regressed += 1,
                Change::Changed => summary.rules_changed += 1,
                Change::Added => summary.rules_added += 1,
                Change::Removed => summary.rules_removed += 1,
                Change::Same => {}
            }
            rules.push(d);
        }
        ReportDiff {
            old: Side::of(old),
            new: Side::of(new),
            rules,
            summary,
        }
    }

    /// The JSON form, pretty-printed with a trailing newline.
    pub fn to_json_pretty(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::FindingKind;

    fn f(pointer: &str, message: &str) -> Finding {
        Finding {
            kind: FindingKind::Violation,
            pointer: pointer.to_owned(),
            entity_id: None,
            message: message.to_owned(),
            expected: None,
            actual: None,
            actual_total: None,
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
    fn statuses_move_by_badness() {
        assert!(badness(Status::Fail) > badness(Status::Error));
        assert!(badness(Status::InsufficientEvidence) > badness(Status::Pass));
        assert_eq!(badness(Status::Waived), badness(Status::NotApplicable));
        let (fail, pass) = (Some(Status::Fail), Some(Status::Pass));
        assert_eq!(change(fail, pass), Change::Improved);
        assert_eq!(change(pass, fail), Change::Regressed);
        assert_eq!(change(pass, Some(Status::Waived)), Change::Changed);
        assert_eq!(change(None, pass), Change::Added);
        assert_eq!(change(pass, None), Change::Removed);
        assert_eq!(change(pass, pass), Change::Same);
    }
}
