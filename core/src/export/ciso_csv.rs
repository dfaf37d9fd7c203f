//! CSV that CISO Assistant's data wizard imports into a compliance assessment (audit) of its
//! ISO/IEC 42001:2023 framework (`urn:intuitem:risk:framework:iso42001-2023`).
//!
//! Columns: `ref_id`, `urn`, `assessable`, `compliance_result`, `requirement_progress`,
//! `observations`; one row per assessable requirement node of that framework that the rule
//! packs cover, in catalogue order. The wizard matches a row on `ref_id` and falls back to
//! the `urn`.
//!
//! Mapping of the roll-up's clauses to the framework's nodes:
//!
//! - `6.1.1` … `6.1.4` are folded into `6.1` (the framework has no nodes for them);
//! - a clause whose node the framework does not assess (`7.5`, `9.2`, `9.3`) and an Annex A
//!   group (`A.5`) are reported on each of their assessable sub-nodes of the catalogue
//!   (`7.5.1` … `7.5.3`, `A.5.2` … `A.5.5`), since a rule that evidences the whole evidences
//!   each part;
//! - where several clauses land on one node, the row takes the worst roll-up (in the order of
//!   the roll-up table: non_compliant with a major, then a minor nonconformity;
//!   partially_compliant with an observation, then an opportunity for improvement;
//!   not_assessed; compliant; not_applicable) and lists the rules of all of them.
//!
//! Each row is a clause's own roll-up, never the AIMS's result over every rule: the `4.4` row
//! is clause 4.4's entry of the report's roll-up.
//!
//! `requirement_progress` is `done` when the result is decided and `in_progress` when it is
//! `not_assessed` (rules apply but lack evidence or could not be evaluated). `observations`
//! says in words which rules fail and what they found, what is missing, what was waived, and
//! which rules were checked; on a row with a grade (the wizard imports no grade column) it
//! names the grade and says that grades are indicative.

use super::{Context, Format, export_error};
use crate::catalogue::{self, CLAUSES, CONTROLS, GROUPS};
use crate::ciso::{reference as ciso_ref, urn};
use crate::error::Result;
use crate::report::{
    ClauseResult, Finding, FindingKind, GRADES_NOTE, Grade, Report, RuleResult, Status,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The header row.
pub const HEADER: [&str; 6] = [
    "ref_id",
    "urn",
    "assessable",
    "compliance_result",
    "requirement_progress",
    "observations",
];

/// Renders the report as CISO Assistant CSV (RFC 4180: CRLF line ends, fields with commas,
/// quotes or line breaks quoted).
pub fn render(report: &Report, _ctx: &Context<'_>) -> Result<String> {
    let rows = rows(report);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let fail = |e: csv::Error| export_error(Format::CisoCsv, e.to_string());
    w.write_record(HEADER).map_err(fail)?;
    for row in &rows {
        let (result, grade) = row.roll_up();
        let progress = match result {
            ClauseResult::NotAssessed => "in_progress",
            _ => "done",
        };
        w.write_record([
            row.ref_id.as_str(),
            &urn(&row.ref_id),
            "true",
            result.as_str(),
            progress,
            &row.observations(report, grade),
        ])
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| export_error(Format::CisoCsv, e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| export_error(Format::CisoCsv, e.to_string()))
}

/// One requirement node of the framework and what the roll-up says about it.
struct Row<'a> {
    /// The node's `ref_id` as the framework spells it (`6.1`, `A.5.2`).
    ref_id: String,
    /// Results and grades of the roll-up clauses that land here.
    results: Vec<(ClauseResult, Option<Grade>)>,
    /// Roll-up clauses that land here.
    clauses: BTreeSet<&'a str>,
    /// Rules of those clauses.
    rules: BTreeSet<&'a str>,
}

impl Row<'_> {
    /// The worst roll-up (result and grade) of the clauses that land on the node.
    fn roll_up(&self) -> (ClauseResult, Option<Grade>) {
        self.results
            .iter()
            .copied()
            .max_by_key(|(r, g)| (badness(*r), g.map(grade_rank)))
            .unwrap_or((ClauseResult::NotApplicable, None))
    }

    fn observations(&self, report: &Report, grade: Option<Grade>) -> String {
        let rules: Vec<&RuleResult> = report
            .rules
            .iter()
            .filter(|r| self.rules.contains(r.id.as_str()))
            .collect();
        let mut parts: Vec<String> = Vec::new();
        let mut ordered = rules.clone();
        ordered.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.id.cmp(&b.id)));
        for r in ordered.iter().filter(|r| r.status == Status::Fail) {
            parts.push(format!(
                "{} ({}) fails: {}.{}{}",
                r.id,
                r.severity.as_str(),
                r.title,
                findings(r),
                remediation(r)
            ));
        }
        for r in ordered
            .iter()
            .filter(|r| r.status == Status::InsufficientEvidence)
        {
            parts.push(format!(
                "{} ({}) lacks evidence: {}.{}{}",
                r.id,
                r.severity.as_str(),
                r.title,
                findings(r),
                remediation(r)
            ));
        }
        for r in ordered.iter().filter(|r| r.status == Status::Error) {
            let why = r.error.as_ref().map_or("", |e| e.message.as_str());
            parts.push(format!("{} could not be evaluated: {why}", r.id));
        }
        for r in &ordered {
            for w in &r.waivers {
                parts.push(format!(
                    "{} {} by exception {} (approved by {} until {}): {}",
                    r.id,
                    if r.status == Status::Waived {
                        "waived"
                    } else {
                        "partly waived"
                    },
                    w.exception_id,
                    w.approved_by,
                    w.expires_on,
                    w.justification
                ));
            }
        }
        let applicable: Vec<&&RuleResult> = rules
            .iter()
            .filter(|r| r.status != Status::NotApplicable)
            .collect();
        if parts.is_empty() {
            if applicable.is_empty() {
                parts.push(
                    "No rule of the pack applies to this requirement at this tier and profile."
                        .to_owned(),
                );
            } else if applicable.len() == 1 {
                parts.push("The applicable rule holds.".to_owned());
            } else {
                parts.push(format!("All {} applicable rules hold.", applicable.len()));
            }
        }
        let statuses: Vec<String> = rules
            .iter()
            .map(|r| format!("{} {}", r.id, r.status.as_str()))
            .collect();
        let mut footer = format!(
            "Checked by aimscheck {} ({}) as of {}, tier {}, profile {}: {}.",
            report.engine.version,
            report
                .rule_packs
                .iter()
                .map(|p| format!("{} {}", p.id, p.version))
                .collect::<Vec<_>>()
                .join(", "),
            report.as_of,
            report.tier,
            report.profile,
            statuses.join(", ")
        );
        if let Some(g) = grade {
            let _ = write!(footer, " Grade: {}. {GRADES_NOTE}", g.as_str());
        }
        let others: Vec<&str> = self
            .clauses
            .iter()
            .copied()
            .filter(|c| *c != self.ref_id)
            .collect();
        if !others.is_empty() {
            let _ = write!(footer, " Reported here for clause {}.", others.join(", "));
        }
        parts.push(footer);
        parts.join("\n")
    }
}

/// How bad a result is, for merging rows.
fn badness(r: ClauseResult) -> u8 {
    match r {
        ClauseResult::NotApplicable => 0,
        ClauseResult::Compliant => 1,
        ClauseResult::NotAssessed => 2,
        ClauseResult::PartiallyCompliant => 3,
        ClauseResult::NonCompliant => 4,
    }
}

/// How grave a grade is, for merging rows: major first.
fn grade_rank(g: Grade) -> u8 {
    match g {
        Grade::OpportunityForImprovement => 0,
        Grade::ObservationSensitivePoint => 1,
        Grade::MinorNonconformity => 2,
        Grade::MajorNonconformity => 3,
    }
}

/// ` Findings: pointer: message; ...` (empty when there are none).
fn findings(r: &RuleResult) -> String {
    if r.findings.is_empty() {
        return r
            .reason
            .as_deref()
            .map(|reason| format!(" {reason}."))
            .unwrap_or_default();
    }
    let lines: Vec<String> = r.findings.iter().map(finding).collect();
    let more = r.findings_total.saturating_sub(r.findings.len());
    let more = if more > 0 {
        format!(" (and {more} more)")
    } else {
        String::new()
    };
    format!(" Findings: {}{more}.", lines.join("; "))
}

fn finding(f: &Finding) -> String {
    let pointer = if f.pointer.is_empty() {
        "(model root)"
    } else {
        f.pointer.as_str()
    };
    let missing = match f.kind {
        FindingKind::MissingEvidence => "missing evidence at ",
        FindingKind::Violation => "",
    };
    format!("{missing}{pointer}: {}", f.message)
}

fn remediation(r: &RuleResult) -> String {
    if r.remediation.is_empty() {
        String::new()
    } else {
        format!(" Remediation: {}", r.remediation)
    }
}

/// The framework nodes a roll-up clause is reported on.
fn targets(clause: &str) -> Vec<String> {
    if ciso_ref(clause) == "6.1" {
        return vec!["6.1".to_owned()];
    }
    if catalogue::is_group(clause) {
        let parts: Vec<String> = CONTROLS
            .iter()
            .filter(|(c, _)| catalogue::is_under(c, clause))
            .map(|(c, _)| (*c).to_owned())
            .collect();
        if !parts.is_empty() {
            return parts;
        }
    }
    let children: Vec<String> = CLAUSES
        .iter()
        .filter(|(c, _)| *c != clause && catalogue::is_under(c, clause))
        .map(|(c, _)| (*c).to_owned())
        .collect();
    if children.is_empty() {
        vec![clause.to_owned()]
    } else {
        children
    }
}

/// Position of a node in the catalogue, for the row order.
fn order(id: &str) -> usize {
    CLAUSES
        .iter()
        .chain(GROUPS.iter())
        .chain(CONTROLS.iter())
        .position(|(c, _)| *c == id)
        .unwrap_or(usize::MAX)
}

fn rows(report: &Report) -> Vec<Row<'_>> {
    let mut rows: BTreeMap<(usize, String), Row<'_>> = BTreeMap::new();
    for c in &report.clauses {
        for target in targets(&c.clause) {
            let row = rows
                .entry((order(&target), target.clone()))
                .or_insert_with(|| Row {
                    ref_id: target,
                    results: Vec::new(),
                    clauses: BTreeSet::new(),
                    rules: BTreeSet::new(),
                });
            row.results.push((c.result, c.grade));
            row.clauses.insert(c.clause.as_str());
            row.rules.extend(c.rules.keys().map(String::as_str));
        }
    }
    rows.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_spreads_clauses_onto_framework_nodes() {
        assert_eq!(targets("6.1.3"), vec!["6.1"]);
        assert_eq!(targets("6.1"), vec!["6.1"]);
        assert_eq!(targets("4.4"), vec!["4.4"]);
        assert_eq!(targets("7.5"), vec!["7.5.1", "7.5.2", "7.5.3"]);
        assert_eq!(targets("9.3"), vec!["9.3.1", "9.3.2", "9.3.3"]);
        assert_eq!(targets("A.5"), vec!["A.5.2", "A.5.3", "A.5.4", "A.5.5"]);
        assert_eq!(targets("A.6.2.5"), vec!["A.6.2.5"]);
        assert!(order("4.1") < order("10.2") && order("10.2") < order("A.2.2"));
    }

    fn row(results: Vec<(ClauseResult, Option<Grade>)>) -> Row<'static> {
        Row {
            ref_id: "6.1".to_owned(),
            results,
            clauses: BTreeSet::new(),
            rules: BTreeSet::new(),
        }
    }

    #[test]
    fn worst_roll_up_wins() {
        let row = row(vec![
            (ClauseResult::Compliant, None),
            (ClauseResult::NonCompliant, Some(Grade::MinorNonconformity)),
            (ClauseResult::NonCompliant, Some(Grade::MajorNonconformity)),
            (
                ClauseResult::PartiallyCompliant,
                Some(Grade::ObservationSensitivePoint),
            ),
        ]);
        assert_eq!(
            row.roll_up(),
            (ClauseResult::NonCompliant, Some(Grade::MajorNonconformity))
        );
    }

    #[test]
    fn merged_rows_follow_the_roll_up_table_order() {
        // From best to worst, as the table of the clause roll-up orders them.
        let order = [
            (ClauseResult::NotApplicable, None),
            (ClauseResult::Compliant, None),
            (ClauseResult::NotAssessed, None),
            (
                ClauseResult::PartiallyCompliant,
                Some(Grade::OpportunityForImprovement),
            ),
            (
                ClauseResult::PartiallyCompliant,
                Some(Grade::ObservationSensitivePoint),
            ),
            (ClauseResult::NonCompliant, Some(Grade::MinorNonconformity)),
            (ClauseResult::NonCompliant, Some(Grade::MajorNonconformity)),
        ];
        for (i, better) in order.iter().enumerate() {
            for worse in order.iter().skip(i) {
                assert_eq!(row(vec![*better, *worse]).roll_up(), *worse);
                assert_eq!(row(vec![*worse, *better]).roll_up(), *worse);
            }
        }
        assert_eq!(
            row(Vec::new()).roll_up(),
            (ClauseResult::NotApplicable, None)
        );
    }
}
