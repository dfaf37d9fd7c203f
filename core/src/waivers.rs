//! Exceptions (waivers) from the model's `exceptions`: which are valid, and what they waive.

use crate::date;
use crate::model::Model;
use crate::report::{ExceptionResult, ExceptionStatus, FindingKind, RuleResult, Status, Waiver};
use chrono::NaiveDate;

/// A valid exception, ready to apply.
pub(crate) struct Exception {
    index: usize,
    id: String,
    rule_id: String,
    target: Option<String>,
    justification: String,
    approved_by: String,
    approved_on: String,
    expires_on: String,
}

/// Reads `/exceptions`: the valid ones, and a result for every one (valid ones start `unused`).
pub(crate) fn read(
    model: &Model,
    as_of: NaiveDate,
    known_rule: &dyn Fn(&str) -> bool,
) -> (Vec<Exception>, Vec<ExceptionResult>) {
    let mut valid = Vec::new();
    let mut results = Vec::new();
    let doc = model.doc();
    let items = doc.get(doc.root(), "exceptions").map(|e| doc.items(e));
    for (index, e) in items.into_iter().flatten().enumerate() {
        let text = |k: &str| doc.get(e, k).and_then(|n| doc.as_str(n));
        let s = |k: &str| text(k).unwrap_or_default().to_owned();
        let d = |k: &str| text(k).and_then(date::parse);
        let (id, rule_id, approved_by) = (s("id"), s("rule_id"), s("approved_by"));
        let target = text("target").filter(|t| !t.is_empty()).map(str::to_owned);
        let (status, message) = if !known_rule(&rule_id) {
            (
                ExceptionStatus::UnknownRule,
                format!(
                    "exception {id} names rule \"{rule_id}\", which no loaded pack has; it waives nothing"
                ),
            )
        } else if model.index_of("roles", &approved_by).is_none()
            || d("approved_on").is_none_or(|on| on > as_of)
            || s("justification").trim().is_empty()
        {
            (
                ExceptionStatus::Unapproved,
                format!(
                    "exception {id} for {rule_id} needs a justification, approved_by naming a role and approved_on on or before {}; it waives nothing",
                    date::format(as_of)
                ),
            )
        } else if d("expires_on").is_none_or(|on| on < as_of) {
            (
                ExceptionStatus::Expired,
                format!(
                    "exception {id} for {rule_id} expired on {} (or has no expiry date); it waives nothing",
                    s("expires_on")
                ),
            )
        } else {
            valid.push(Exception {
                index,
                id: id.clone(),
                rule_id: rule_id.clone(),
                target: target.clone(),
                justification: s("justification"),
                approved_by,
                approved_on: s("approved_on"),
                expires_on: s("expires_on"),
            });
            (
                ExceptionStatus::Unused,
                format!("exception {id} for {rule_id} is valid but nothing it covers fails"),
            )
        };
        results.push(ExceptionResult {
            id,
            rule_id,
            target,
            status,
            pointer: format!("/exceptions/{index}"),
            message,
        });
    }
    (valid, results)
}

/// Whether a finding at `pointer` in entity `entity` is covered by `target`.
fn covers(target: Option<&str>, pointer: &str, entity: Option<&str>) -> bool {
    match target {
        None => true,
        Some(t) if t.starts_with('/') => {
            pointer == t
                || pointer
                    .strip_prefix(t)
                    .is_some_and(|rest| rest.starts_with('/'))
        }
        Some(t) => entity == Some(t),
    }
}

/// Waives the failing findings of `rule` that valid exceptions cover. Only a `fail` ever
/// changes, and only to `waived` when no violation is left.
pub(crate) fn apply(rule: &mut RuleResult, valid: &[Exception], results: &mut [ExceptionResult]) {
    if rule.status != Status::Fail {
        return;
    }
    let mut violations_left = rule.violations;
    for e in valid.iter().filter(|e| e.rule_id == rule.id) {
        let before = rule.findings.len();
        rule.findings.retain(|f| {
            f.kind != FindingKind::Violation
                || !covers(e.target.as_deref(), &f.pointer, f.entity_id.as_deref())
        });
        let mut waived = before - rule.findings.len();
        if e.target.is_none() {
            // Without a target every violation is waived, also those past the findings limit.
            waived = violations_left;
        }
        if waived == 0 {
            continue;
        }
        violations_left = violations_left.saturating_sub(waived);
        rule.findings_total = rule.findings_total.saturating_sub(waived);
        rule.waivers.push(Waiver {
            exception_id: e.id.clone(),
            justification: e.justification.clone(),
            approved_by: e.approved_by.clone(),
            approved_on: e.approved_on.clone(),
            expires_on: e.expires_on.clone(),
            target: e.target.clone(),
            findings_waived: waived,
        });
        if let Some(r) = results.get_mut(e.index) {
            r.status = ExceptionStatus::Applied;
            r.message = format!(
                "exception {} waived {waived} finding(s) of {}",
                e.id, e.rule_id
            );
        }
    }
    rule.violations = violations_left;
    if violations_left == 0 && !rule.waivers.is_empty() {
        rule.status = Status::Waived;
    }
}
