//! The report: what each rule found, summaries, the clause roll-up and the verdict.
//!
//! Its JSON form is published as `core/schema/report.schema.json`. Every map is ordered and
//! nothing depends on a clock, so the same inputs give byte-identical JSON.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the report format.
///
/// `2.0` replaced `overall` (which named clause 4.4 and its URN) by [`Report::aims`], the
/// result of the AIMS as a whole, added [`Report::grades_note`], and decides each clause's
/// result and grade together ([`roll_up`]).
pub const REPORT_VERSION: &str = "2.0";

/// What the report and every export say about grades.
pub const GRADES_NOTE: &str = "Grades are indicative: a certification body grades nonconformities.";

/// The status a rule ends in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// The rule holds over the nodes it looked at.
    Pass,
    /// The rule does not hold; findings say where.
    Fail,
    /// Data the rule needs is missing or undated; never shown as pass.
    InsufficientEvidence,
    /// Nothing in scope, or the tier or profile excludes the rule.
    NotApplicable,
    /// An unexpired exception covers the failure.
    Waived,
    /// The rule could not be evaluated; the others still ran.
    Error,
}

impl Status {
    /// Every status, in the order of the report's `summary.by_status`.
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Fail,
        Status::InsufficientEvidence,
        Status::NotApplicable,
        Status::Waived,
        Status::Error,
    ];

    /// The status's name as in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::InsufficientEvidence => "insufficient_evidence",
            Status::NotApplicable => "not_applicable",
            Status::Waived => "waived",
            Status::Error => "error",
        }
    }

    /// The status in words, for people: `Pass`, `Fail`, `Insufficient evidence`,
    /// `Not applicable`, `Waived` or `Error`.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "Pass",
            Status::Fail => "Fail",
            Status::InsufficientEvidence => "Insufficient evidence",
            Status::NotApplicable => "Not applicable",
            Status::Waived => "Waived",
            Status::Error => "Error",
        }
    }
}

/// Severity of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// Lowest.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Highest: a failure is a major nonconformity.
    Critical,
}

impl Severity {
    /// Parses `low`, `medium`, `high` or `critical`.
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }

    /// The severity's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The severity in words, for people: `Low`, `Medium`, `High` or `Critical`.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
        }
    }
}

/// Whether a finding shows a violation or missing evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FindingKind {
    /// The model shows the requirement is not met.
    Violation,
    /// The model lacks the data (often a date) to decide.
    MissingEvidence,
}

/// One thing a rule found, located in the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Violation or missing evidence.
    pub kind: FindingKind,
    /// JSON Pointer of the node in the model (`""` is the whole model).
    pub pointer: String,
    /// Id of the entity the pointer is in, when it is in a collection.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub entity_id: Option<String>,
    /// What is wrong, in words.
    pub message: String,
    /// What the rule expected.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub expected: Option<String>,
    /// The value found.
    #[serde(
        skip_serializing_if = "Option::is_none",
        default,
        deserialize_with = "present"
    )]
    pub actual: Option<serde_json::Value>,
    /// When `actual` is a selection of more than [`MAX_ACTUAL_ITEMS`] items, it holds the first
    /// of them and this is how many there were.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub actual_total: Option<u64>,
}

/// Items of a selection a finding's `actual` holds; [`Finding::actual_total`] counts them all.
pub const MAX_ACTUAL_ITEMS: usize = 100;

/// Reads a member that is there as `Some`, `null` included, so that a finding whose actual
/// value was `null` reads back as it was written (an absent member stays `None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<serde_json::Value>, D::Error> {
    serde::Deserialize::deserialize(d).map(Some)
}

/// An exception from the model that waived findings of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiver {
    /// Id of the exception in the model.
    pub exception_id: String,
    /// Why the finding is accepted.
    pub justification: String,
    /// Role that approved the exception.
    pub approved_by: String,
    /// When it was approved.
    pub approved_on: String,
    /// When it expires.
    pub expires_on: String,
    /// JSON Pointer or entity id the exception is limited to.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub target: Option<String>,
    /// How many findings it waived.
    pub findings_waived: usize,
}

/// What became of one exception of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExceptionStatus {
    /// Valid and it waived findings.
    Applied,
    /// Valid, but nothing it covers failed.
    Unused,
    /// Past its `expires_on` (or with none): waives nothing.
    Expired,
    /// Not approved by a role of the model, or approved after as_of: waives nothing.
    Unapproved,
    /// Names a rule that no loaded pack has: waives nothing.
    UnknownRule,
}

/// One exception of the model and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionResult {
    /// Id of the exception.
    pub id: String,
    /// Rule it names.
    pub rule_id: String,
    /// Its target, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub target: Option<String>,
    /// Applied, unused, or why it waives nothing.
    pub status: ExceptionStatus,
    /// JSON Pointer of the exception in the model.
    pub pointer: String,
    /// What happened, in words.
    pub message: String,
}

/// An indicator computed from the model as of `as_of`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorResult {
    /// Stable id.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Unit of the value.
    pub unit: String,
    /// How it was computed.
    pub method: String,
    /// The value; null when the data it needs is missing.
    pub value: serde_json::Value,
    /// Why it could not be computed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
}

impl IndicatorResult {
    /// The value with its unit, for people: a ratio as a percentage (`33%`; `<1%` and `>99%`
    /// rather than a rounding that would read as none or all), days as `177 days`, a value
    /// per AI system as `0.5 per AI system`, a count as the number, a breakdown as
    /// `internal audit 1, monitoring 1`, null as `n/a (no data)` (or the error that
    /// prevented it). Another unit follows the number in words (`_` as spaces).
    pub fn display_value(&self) -> String {
        use serde_json::Value;
        let words = |s: &str| s.replace('_', " ");
        let scalar = |v: &Value| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match &self.value {
            Value::Null => match &self.error {
                Some(e) => format!("n/a (error: {e})"),
                None => "n/a (no data)".to_owned(),
            },
            Value::Object(parts) if parts.is_empty() => "none".to_owned(),
            Value::Object(parts) => parts
                .iter()
                .map(|(k, v)| format!("{} {}", words(k), scalar(v)))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Number(n) => match (self.unit.as_str(), n.as_f64()) {
                ("ratio", Some(x)) => percent(x),
                ("days", _) if n.as_u64() == Some(1) => "1 day".to_owned(),
                ("days", _) => format!("{n} days"),
                ("per_system", _) => format!("{n} per AI system"),
                ("count" | "", _) => n.to_string(),
                (unit, _) => format!("{n} {}", words(unit)),
            },
            v if self.unit.is_empty() => scalar(v),
            v => format!("{} {}", scalar(v), words(&self.unit)),
        }
    }
}

/// A ratio as a whole percentage: `0.3333` is `33%`. A ratio above 0 that rounds to 0 reads
/// `<1%`, one below 1 that rounds to 100 reads `>99%`, so that neither reads as none or all.
fn percent(ratio: f64) -> String {
    // `+ 0.0` turns a negative zero into zero, so that it never prints `-0%`.
    let pct = (ratio * 100.0).round() + 0.0;
    if pct == 0.0 && ratio > 0.0 {
        "<1%".to_owned()
    } else if pct == 100.0 && ratio < 1.0 {
        ">99%".to_owned()
    } else {
        format!("{pct}%")
    }
}

impl Finding {
    /// The message followed by what was expected and found, when known:
    /// `message (expected: …; actual: …)`.
    pub fn describe(&self) -> String {
        let mut extra = Vec::new();
        if let Some(e) = &self.expected {
            extra.push(format!("expected: {e}"));
        }
        if let Some(a) = &self.actual {
            extra.push(format!("actual: {a}"));
        }
        if extra.is_empty() {
            self.message.clone()
        } else {
            format!("{} ({})", self.message, extra.join("; "))
        }
    }
}

fn grades_note() -> String {
    GRADES_NOTE.to_owned()
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Why a rule ended in `error`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleError {
    /// Stable code: `AIMS-E-EVAL` for a run-time error of the rule language,
    /// `AIMS-E-BUDGET` when the rule ran out of evaluation steps (`Options::max_steps_per_rule`).
    pub code: String,
    /// What went wrong.
    pub message: String,
}

/// The result of one rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleResult {
    /// Rule id, e.g. `AIMS-PROC-01`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Pack the rule came from.
    pub pack: String,
    /// Final status.
    pub status: Status,
    /// Severity (after any overlay).
    pub severity: Severity,
    /// establish / implement / maintain / improve / document.
    pub aspect: String,
    /// Clauses and controls the rule evidences.
    pub clause_refs: Vec<String>,
    /// Tiers the rule applies to by default.
    pub tiers: Vec<String>,
    /// How many nodes or conditions the rule examined.
    pub checked: usize,
    /// Why the rule is not applicable, or what it lacked.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
    /// Findings, in model order (at most the per-rule limit).
    pub findings: Vec<Finding>,
    /// How many findings there were before the per-rule limit.
    pub findings_total: usize,
    /// True when `findings` holds fewer than `findings_total`: the per-rule limit
    /// (`Options::max_findings_per_rule`) cut the list. Serialised only when true.
    #[serde(skip_serializing_if = "is_false", default)]
    pub findings_truncated: bool,
    /// What to do about a failure.
    pub remediation: String,
    /// Why the rule could not be evaluated.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<RuleError>,
    /// Exceptions that waived findings of this rule.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub waivers: Vec<Waiver>,
    /// Violations found (before the findings limit and waivers); not serialised.
    #[serde(skip)]
    pub(crate) violations: usize,
}

/// Counts of rules by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    /// Rules that pass.
    pub pass: usize,
    /// Rules that fail.
    pub fail: usize,
    /// Rules that lack evidence.
    pub insufficient_evidence: usize,
    /// Rules not applicable.
    pub not_applicable: usize,
    /// Rules waived.
    pub waived: usize,
    /// Rules in error.
    pub error: usize,
}

impl StatusCounts {
    /// How many rules have `status`.
    pub fn get(&self, status: Status) -> usize {
        match status {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::InsufficientEvidence => self.insufficient_evidence,
            Status::NotApplicable => self.not_applicable,
            Status::Waived => self.waived,
            Status::Error => self.error,
        }
    }

    /// Adds one rule of `status`.
    pub fn add(&mut self, status: Status) {
        let slot = match status {
            Status::Pass => &mut self.pass,
            Status::Fail => &mut self.fail,
            Status::InsufficientEvidence => &mut self.insufficient_evidence,
            Status::NotApplicable => &mut self.not_applicable,
            Status::Waived => &mut self.waived,
            Status::Error => &mut self.error,
        };
        *slot += 1;
    }
}

/// Counts by status, overall and by severity and aspect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Number of rules evaluated.
    pub rules: usize,
    /// Number of findings (violations and missing evidence) before limits.
    pub findings: usize,
    /// Rules by status.
    pub by_status: StatusCounts,
    /// Rules by severity, then status.
    pub by_severity: BTreeMap<String, StatusCounts>,
    /// Rules by aspect, then status.
    pub by_aspect: BTreeMap<String, StatusCounts>,
}

/// Result of a clause or control in the roll-up, in the vocabulary GRC tools use.
///
/// It is decided together with the [`Grade`] by [`roll_up`], from the worst status among the
/// rules that cite the clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClauseResult {
    /// No rule fails, none lacks evidence or errs, and at least one passes or is waived.
    Compliant,
    /// The worst failing rule is of medium or low severity.
    PartiallyCompliant,
    /// The worst failing rule is of critical or high severity.
    NonCompliant,
    /// Every rule is `not_applicable` (or none cites the clause).
    NotApplicable,
    /// No rule fails, but one lacks evidence or could not be evaluated.
    NotAssessed,
}
impl ClauseResult {
    /// The name used in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            ClauseResult::Compliant => "compliant",
            ClauseResult::PartiallyCompliant => "partially_compliant",
            ClauseResult::NonCompliant => "non_compliant",
            ClauseResult::NotApplicable => "not_applicable",
            ClauseResult::NotAssessed => "not_assessed",
        }
    }

    /// The result in words, for people: `Compliant`, `Partially compliant`, `Non-compliant`,
    /// `Not applicable` or `Not assessed`.
    pub fn label(self) -> &'static str {
        match self {
            ClauseResult::Compliant => "Compliant",
            ClauseResult::PartiallyCompliant => "Partially compliant",
            ClauseResult::NonCompliant => "Non-compliant",
            ClauseResult::NotApplicable => "Not applicable",
            ClauseResult::NotAssessed => "Not assessed",
        }
    }
}

/// Nonconformity grading of a clause, from the worst failing severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Grade {
    /// A critical rule fails.
    MajorNonconformity,
    /// A high rule fails.
    MinorNonconformity,
    /// A medium rule fails.
    ObservationSensitivePoint,
    /// Only low rules fail.
    OpportunityForImprovement,
}

impl Grade {
    /// The name used in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::MajorNonconformity => "major_nonconformity",
            Grade::MinorNonconformity => "minor_nonconformity",
            Grade::ObservationSensitivePoint => "observation_sensitive_point",
            Grade::OpportunityForImprovement => "opportunity_for_improvement",
        }
    }

    /// The grade in words, for people: `Major nonconformity`, `Minor nonconformity`,
    /// `Observation (sensitive point)` or `Opportunity for improvement`.
    pub fn label(self) -> &'static str {
        match self {
            Grade::MajorNonconformity => "Major nonconformity",
            Grade::MinorNonconformity => "Minor nonconformity",
            Grade::ObservationSensitivePoint => "Observation (sensitive point)",
            Grade::OpportunityForImprovement => "Opportunity for improvement",
        }
    }
}

impl Grade {
    /// The grade of a failure of `severity`.
    pub fn of(severity: Severity) -> Grade {
        match severity {
            Severity::Critical => Grade::MajorNonconformity,
            Severity::High => Grade::MinorNonconformity,
            Severity::Medium => Grade::ObservationSensitivePoint,
            Severity::Low => Grade::OpportunityForImprovement,
        }
    }

    /// The result that goes with the grade: `non_compliant` for a major or minor
    /// nonconformity, `partially_compliant` for an observation or an opportunity for
    /// improvement.
    pub fn result(self) -> ClauseResult {
        match self {
            Grade::MajorNonconformity | Grade::MinorNonconformity => ClauseResult::NonCompliant,
            Grade::ObservationSensitivePoint | Grade::OpportunityForImprovement => {
                ClauseResult::PartiallyCompliant
            }
        }
    }
}

/// Result and grade of a set of rules, each given by its status and its effective severity
/// (after any overlay), decided together from the worst status:
///
/// | worst status among the rules | result | grade |
/// |---|---|---|
/// | a critical rule fails | `non_compliant` | `major_nonconformity` |
/// | a high rule fails | `non_compliant` | `minor_nonconformity` |
/// | a medium rule fails | `partially_compliant` | `observation_sensitive_point` |
/// | a low rule fails | `partially_compliant` | `opportunity_for_improvement` |
/// | none fails; one is `insufficient_evidence` or `error` | `not_assessed` | none |
/// | every rule passes or is waived (`not_applicable` ones aside) | `compliant` | none |
/// | every rule is `not_applicable`, or there is none | `not_applicable` | none |
///
/// The two never contradict: see [`coherent`].
///
/// ```
/// use aimscheck::report::{ClauseResult, Grade, roll_up};
/// use aimscheck::{Severity, Status};
/// let rules = [(Status::Fail, Severity::Medium), (Status::Fail, Severity::Critical)];
/// assert_eq!(
///     roll_up(rules),
///     (ClauseResult::NonCompliant, Some(Grade::MajorNonconformity))
/// );
/// assert_eq!(
///     roll_up([(Status::InsufficientEvidence, Severity::High)]),
///     (ClauseResult::NotAssessed, None)
/// );
/// ```
pub fn roll_up<I>(rules: I) -> (ClauseResult, Option<Grade>)
where
    I: IntoIterator<Item = (Status, Severity)>,
{
    let mut worst_failure: Option<Severity> = None;
    let mut undecided = false;
    let mut holds = false;
    for (status, severity) in rules {
        match status {
            Status::Fail => worst_failure = worst_failure.max(Some(severity)),
            Status::InsufficientEvidence | Status::Error => undecided = true,
            Status::Pass | Status::Waived => holds = true,
            Status::NotApplicable => {}
        }
    }
    match worst_failure.map(Grade::of) {
        Some(grade) => (grade.result(), Some(grade)),
        None if undecided => (ClauseResult::NotAssessed, None),
        None if holds => (ClauseResult::Compliant, None),
        None => (ClauseResult::NotApplicable, None),
    }
}

/// Whether a result and a grade agree: `non_compliant` and `partially_compliant` carry the
/// grade that goes with them ([`Grade::result`]), the other results carry none.
pub fn coherent(result: ClauseResult, grade: Option<Grade>) -> bool {
    match grade {
        Some(g) => g.result() == result,
        None => !matches!(
            result,
            ClauseResult::NonCompliant | ClauseResult::PartiallyCompliant
        ),
    }
}

/// Compares two clause or control references in the report's clause order: clauses before
/// Annex A controls, each compared numerically part by part (`4.4` < `5.1` < `6.1.2` <
/// `10.2`; `7.5` < `7.5.1`; `A.2.2` < `A.10.2`); a part that is not a number counts as 0, and
/// references that compare alike so far are ordered by their text.
///
/// [`Report::clauses`] and [`Report::fix_first`] are in this order.
///
/// ```
/// use aimscheck::report::compare_clauses;
/// use std::cmp::Ordering;
/// assert_eq!(compare_clauses("6.1.2", "10.2"), Ordering::Less);
/// assert_eq!(compare_clauses("10.2", "A.2.2"), Ordering::Less);
/// assert_eq!(compare_clauses("A.10.2", "A.2.2"), Ordering::Greater);
/// ```
pub fn compare_clauses(a: &str, b: &str) -> std::cmp::Ordering {
    clause_key(a).cmp(&clause_key(b)).then_with(|| a.cmp(b))
}

/// Where a reference sorts: whether it is an Annex A control, then its numeric parts.
fn clause_key(reference: &str) -> (bool, Vec<u32>) {
    let annex = reference.starts_with("A.");
    let parts = reference
        .trim_start_matches("A.")
        .split('.')
        .map(|part| part.parse().unwrap_or(0))
        .collect();
    (annex, parts)
}

/// The failing rules in the order to fix them: most severe first (critical, high, medium,
/// low, by the severity the report gives, after any overlay), then by the rule's first
/// clause reference in clause order ([`compare_clauses`]; a rule without one comes last),
/// then by rule id. Rules of any other status are left out.
///
/// [`Report::fix_first`] holds their ids; [`Report::fix_first_rules`] computes them from the
/// rules, also for a report read without `fix_first`.
pub fn fix_first(rules: &[RuleResult]) -> Vec<&RuleResult> {
    let mut failing: Vec<&RuleResult> = rules.iter().filter(|r| r.status == Status::Fail).collect();
    failing.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| match (a.clause_refs.first(), b.clause_refs.first()) {
                (Some(x), Some(y)) => compare_clauses(x, y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.id.cmp(&b.id))
    });
    failing
}

/// One clause or control of the roll-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseRollup {
    /// Clause or control id (`"4.4"`, `"A.6.2.5"`).
    pub clause: String,
    /// Title from the catalogue.
    pub title: String,
    /// Result in GRC vocabulary, decided with the grade by [`roll_up`].
    pub result: ClauseResult,
    /// Grade when a rule of the clause fails (indicative: see [`GRADES_NOTE`]).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub grade: Option<Grade>,
    /// CISO Assistant requirement-node URN (6.1.x folded into 6.1).
    pub urn: String,
    /// Rules that reference the clause, with their status.
    pub rules: BTreeMap<String, Status>,
}

/// The result of the AIMS as a whole, over every rule of the report, in the roll-up
/// vocabulary. It is not a clause's row: clause 4.4's own result is its entry in
/// [`Report::clauses`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aims {
    /// Result over every rule, decided with the grade by [`roll_up`].
    pub result: ClauseResult,
    /// Grade from the worst failing severity (indicative: see [`GRADES_NOTE`]).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub grade: Option<Grade>,
}

/// Overall verdict on the AIMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verdict {
    /// No rule fails, none lacks evidence, none errs.
    Conformant,
    /// At least one rule fails.
    Nonconformant,
    /// No rule fails, but some lack evidence or could not be evaluated.
    Inconclusive,
}

impl Verdict {
    /// The name used in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Conformant => "conformant",
            Verdict::Nonconformant => "nonconformant",
            Verdict::Inconclusive => "inconclusive",
        }
    }

    /// The verdict in words, for people: `Conformant`, `Nonconformant` or `Inconclusive`.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Conformant => "Conformant",
            Verdict::Nonconformant => "Nonconformant",
            Verdict::Inconclusive => "Inconclusive",
        }
    }
}

/// The engine that wrote the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineInfo {
    /// `aimscheck`.
    pub name: String,
    /// Engine version.
    pub version: String,
}

/// A rule pack used for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackInfo {
    /// Pack id, e.g. `iso42001-4.4`.
    pub id: String,
    /// Pack version.
    pub version: String,
    /// `sha256:` digest of the pack's canonical JSON.
    pub digest: String,
}

/// The model the report is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// `sha256:` digest of the model's canonical JSON.
    pub digest: String,
    /// `schema_version` of the model.
    pub schema_version: String,
    /// `organization.name`, if given.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub organization: Option<String>,
}

/// The full report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Report format version.
    pub report_version: String,
    /// Engine name and version.
    pub engine: EngineInfo,
    /// Rule packs evaluated.
    pub rule_packs: Vec<PackInfo>,
    /// Model digest and version.
    pub model: ModelInfo,
    /// Evaluation date used.
    pub as_of: String,
    /// Tier used.
    pub tier: String,
    /// Where the tier came from: `option`, `model` or `default`.
    pub tier_source: String,
    /// Profile used: `tier` or `certification`.
    pub profile: String,
    /// Overall verdict on the AIMS, over every rule.
    pub verdict: Verdict,
    /// The AIMS's result over every rule in GRC vocabulary (compliant … not_applicable, with
    /// a grade). A report of format 1.x named it `overall`; it is read under that name too.
    #[serde(alias = "overall")]
    pub aims: Aims,
    /// That grades are indicative: [`GRADES_NOTE`].
    #[serde(default = "grades_note")]
    pub grades_note: String,
    /// The ids of the failing rules in the order to fix them: most severe first, then by the
    /// rule's first clause in clause order, then by id ([`fix_first`]). Empty when no rule
    /// fails; a report written before this member existed reads with it empty (use
    /// [`Report::fix_first_rules`], which computes the order from the rules).
    #[serde(default)]
    pub fix_first: Vec<String>,
    /// Counts.
    pub summary: Summary,
    /// Roll-up per clause and control referenced by the rules.
    pub clauses: Vec<ClauseRollup>,
    /// One result per rule, ordered by rule id.
    pub rules: Vec<RuleResult>,
    /// Indicators computed from the model, in pack order.
    #[serde(default)]
    pub indicators: Vec<IndicatorResult>,
    /// The model's exceptions and what became of each.
    #[serde(default)]
    pub exceptions: Vec<ExceptionResult>,
    /// Rules disabled and severities changed by an overlay.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub overlay: Option<crate::Overlay>,
    /// The warnings of the model's load (members the schema does not define, each with the
    /// member it probably meant); absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub warnings: Vec<ModelWarning>,
    /// The limit of the whole evaluation that stopped it before every rule and indicator was
    /// done (`max_steps_total` or `timeout`); absent when none did.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stopped: Option<Stopped>,
}

/// Why an evaluation stopped early: the rules and indicators not done by then have status
/// `error` (a null value) with code `AIMS-E-BUDGET`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stopped {
    /// The option whose limit ran out: `max_steps_total` or `timeout`.
    pub limit: String,
    /// What happened and what to do, in words.
    pub message: String,
}

impl Stopped {
    pub(crate) fn new(limit: crate::lang::eval::Limit, options: &crate::Options) -> Stopped {
        let what = match limit.option() {
            "timeout" => match options.timeout {
                Some(t) => format!("its time limit of {} s", t.as_secs_f64()),
                None => "its deadline".to_owned(),
            },
            _ => format!("its budget of {} steps", options.max_steps_total),
        };
        Stopped {
            limit: limit.option().to_owned(),
            message: format!(
                "the evaluation stopped early: it reached {what} ({}). The rules and indicators \
                 not done by then have status error with code AIMS-E-BUDGET, so the verdict is \
                 at best inconclusive. Find the rules that do the most work on this model, or \
                 raise the limit if the model is trusted.",
                limit.option()
            ),
        }
    }
}

/// A warning of the model's load, as the report carries it: an [`crate::Issue`] of code `AIMS-W-…`,
/// without its line and column, so that a model gives the same report whether it came as
/// text, a file or a value ([`crate::Model::position`] locates the pointer in a text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelWarning {
    /// Stable code, e.g. `AIMS-W-UNKNOWN-MEMBER`.
    pub code: String,
    /// What is wrong, in words.
    pub message: String,
    /// JSON Pointer of the node.
    pub pointer: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub help: Option<String>,
}

impl From<&crate::Issue> for ModelWarning {
    fn from(i: &crate::Issue) -> Self {
        ModelWarning {
            code: i.code.to_owned(),
            message: i.message.clone(),
            pointer: i.pointer.clone(),
            help: i.help.clone(),
        }
    }
}

impl Report {
    /// The report as pretty JSON (two-space indent, trailing newline).
    pub fn to_json_pretty(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The result of rule `id`.
    pub fn rule(&self, id: &str) -> Option<&RuleResult> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The failing rules in the order to fix them ([`fix_first`]), computed from the rules,
    /// so that a report read without `fix_first` is in the same order.
    pub fn fix_first_rules(&self) -> Vec<&RuleResult> {
        fix_first(&self.rules)
    }

    /// The exceptions of the model that waived nothing (unused, expired, unapproved, unknown rule).
    pub fn idle_exceptions(&self) -> impl Iterator<Item = &ExceptionResult> {
        self.exceptions
            .iter()
            .filter(|e| e.status != ExceptionStatus::Applied)
    }

    /// Whether some rule at or above `severity` fails.
    pub fn fails_at(&self, severity: Severity) -> bool {
        self.rules
            .iter()
            .any(|r| r.status == Status::Fail && r.severity >= severity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUSES: [Status; 6] = Status::ALL;
    const SEVERITIES: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    use ClauseResult::{Compliant, NonCompliant, NotApplicable, NotAssessed, PartiallyCompliant};
    use Grade::{
        MajorNonconformity, MinorNonconformity, ObservationSensitivePoint,
        OpportunityForImprovement,
    };
    use Severity::{Critical, High, Low, Medium};
    use Status::{Error, Fail, InsufficientEvidence, Pass, Waived};

    #[test]
    fn all_lists_the_statuses_in_the_order_by_status_is_written_and_get_reads_each() {
        let mut counts = StatusCounts::default();
        for (n, status) in Status::ALL.into_iter().enumerate() {
            for _ in 0..=n {
                counts.add(status);
            }
        }
        // The fields are written in ALL's order, each with its count.
        let text = serde_json::to_string(&counts).unwrap_or_default();
        let at: Vec<Option<usize>> = Status::ALL
            .iter()
            .enumerate()
            .map(|(n, s)| text.find(&format!("\"{}\":{}", s.as_str(), n + 1)))
            .collect();
        assert!(at.iter().all(Option::is_some), "{text}");
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
        for (n, status) in Status::ALL.into_iter().enumerate() {
            assert_eq!(counts.get(status), n + 1, "{status:?}");
        }
    }

    #[test]
    fn a_critical_failure_is_non_compliant_and_major() {
        assert_eq!(
            roll_up([(Fail, Critical)]),
            (NonCompliant, Some(MajorNonconformity))
        );
        // Whatever else the clause holds: the worst failure decides.
        assert_eq!(
            roll_up([
                (Pass, High),
                (Fail, Medium),
                (Fail, Critical),
                (Fail, Low),
                (InsufficientEvidence, Critical),
                (Error, High),
                (Waived, Critical),
            ]),
            (NonCompliant, Some(MajorNonconformity))
        );
    }

    #[test]
    fn a_high_failure_is_non_compliant_and_minor() {
        assert_eq!(
            roll_up([(Fail, High)]),
            (NonCompliant, Some(MinorNonconformity))
        );
        assert_eq!(
            roll_up([(Fail, Low), (Pass, Critical), (Fail, High), (Fail, Medium)]),
            (NonCompliant, Some(MinorNonconformity))
        );
    }

    #[test]
    fn a_medium_failure_is_partially_compliant_and_an_observation() {
        assert_eq!(
            roll_up([(Fail, Medium)]),
            (PartiallyCompliant, Some(ObservationSensitivePoint))
        );
        // Even when every rule of the clause fails: the grade decides the result.
        assert_eq!(
            roll_up([(Fail, Medium), (Fail, Low)]),
            (PartiallyCompliant, Some(ObservationSensitivePoint))
        );
        assert_eq!(
            roll_up([(Fail, Medium), (InsufficientEvidence, Critical)]),
            (PartiallyCompliant, Some(ObservationSensitivePoint))
        );
    }

    #[test]
    fn a_low_failure_is_partially_compliant_and_an_opportunity() {
        assert_eq!(
            roll_up([(Fail, Low)]),
            (PartiallyCompliant, Some(OpportunityForImprovement))
        );
        assert_eq!(
            roll_up([(Fail, Low), (Pass, Critical), (Error, High)]),
            (PartiallyCompliant, Some(OpportunityForImprovement))
        );
    }

    #[test]
    fn missing_evidence_or_an_error_without_failure_is_not_assessed_without_grade() {
        assert_eq!(
            roll_up([(InsufficientEvidence, Critical)]),
            (NotAssessed, None)
        );
        assert_eq!(roll_up([(Error, Low)]), (NotAssessed, None));
        assert_eq!(
            roll_up([
                (Pass, High),
                (Waived, High),
                (Status::NotApplicable, Low),
                (InsufficientEvidence, Medium)
            ]),
            (NotAssessed, None)
        );
    }

    #[test]
    fn rules_that_pass_or_are_waived_are_compliant() {
        assert_eq!(roll_up([(Pass, Critical)]), (Compliant, None));
        assert_eq!(roll_up([(Waived, Critical)]), (Compliant, None));
        assert_eq!(roll_up([(Pass, High), (Waived, Low)]), (Compliant, None));
        // Rules that do not apply are set aside, as long as one passes or is waived.
        assert_eq!(
            roll_up([(Status::NotApplicable, Critical), (Waived, Low)]),
            (Compliant, None)
        );
    }

    #[test]
    fn rules_that_all_do_not_apply_are_not_applicable() {
        assert_eq!(
            roll_up([
                (Status::NotApplicable, Critical),
                (Status::NotApplicable, Low)
            ]),
            (NotApplicable, None)
        );
        assert_eq!(roll_up([]), (NotApplicable, None));
    }

    /// The result a clause must have by the table, written out row by row from the worst
    /// status, independently of `roll_up`.
    fn by_the_table(rules: &[(Status, Severity)]) -> (ClauseResult, Option<Grade>) {
        let fails = |sev: Severity| rules.contains(&(Fail, sev));
        let any = |st: Status| rules.iter().any(|(s, _)| *s == st);
        if fails(Critical) {
            (NonCompliant, Some(MajorNonconformity))
        } else if fails(High) {
            (NonCompliant, Some(MinorNonconformity))
        } else if fails(Medium) {
            (PartiallyCompliant, Some(ObservationSensitivePoint))
        } else if fails(Low) {
            (PartiallyCompliant, Some(OpportunityForImprovement))
        } else if any(InsufficientEvidence) || any(Error) {
            (NotAssessed, None)
        } else if any(Pass) || any(Waived) {
            (Compliant, None)
        } else {
            (NotApplicable, None)
        }
    }

    #[test]
    fn result_and_grade_never_contradict() {
        let one: Vec<(Status, Severity)> = STATUSES
            .iter()
            .flat_map(|st| SEVERITIES.iter().map(move |sev| (*st, *sev)))
            .collect();
        let mut sets: Vec<Vec<(Status, Severity)>> = vec![Vec::new()];
        for a in &one {
            sets.push(vec![*a]);
            for b in &one {
                sets.push(vec![*a, *b]);
                for c in &one {
                    sets.push(vec![*a, *b, *c]);
                }
            }
        }
        for rules in &sets {
            let (result, grade) = roll_up(rules.iter().copied());
            assert!(
                coherent(result, grade),
                "{rules:?} gives {} with {grade:?}",
                result.as_str()
            );
            assert_eq!((result, grade), by_the_table(rules), "{rules:?}");
            // The order of the rules does not matter.
            assert_eq!(
                roll_up(rules.iter().rev().copied()),
                (result, grade),
                "{rules:?}"
            );
        }
    }

    #[test]
    fn coherent_pairs() {
        assert!(coherent(NonCompliant, Some(MajorNonconformity)));
        assert!(coherent(NonCompliant, Some(MinorNonconformity)));
        assert!(coherent(
            PartiallyCompliant,
            Some(ObservationSensitivePoint)
        ));
        assert!(coherent(
            PartiallyCompliant,
            Some(OpportunityForImprovement)
        ));
        assert!(coherent(Compliant, None));
        assert!(coherent(NotAssessed, None));
        assert!(coherent(NotApplicable, None));
        // What a 1.0 report could say.
        assert!(!coherent(NonCompliant, Some(ObservationSensitivePoint)));
        assert!(!coherent(PartiallyCompliant, Some(MajorNonconformity)));
        assert!(!coherent(NonCompliant, None));
        assert!(!coherent(Compliant, Some(OpportunityForImprovement)));
        assert!(!coherent(NotAssessed, Some(MinorNonconformity)));
    }

    /// A rule result with only what the order of `fix_first` reads.
    fn rule(id: &str, status: Status, severity: Severity, clauses: &[&str]) -> RuleResult {
        RuleResult {
            id: id.to_owned(),
            title: String::new(),
            pack: "test".to_owned(),
            status,
            severity,
            aspect: "establish".to_owned(),
            clause_refs: clauses.iter().map(|c| (*c).to_owned()).collect(),
            tiers: Vec::new(),
            checked: 0,
            reason: None,
            findings: Vec::new(),
            findings_total: 0,
            findings_truncated: false,
            remediation: String::new(),
            error: None,
            waivers: Vec::new(),
            violations: 0,
        }
    }

    #[test]
    fn clauses_compare_number_by_number_and_controls_come_last() {
        use std::cmp::Ordering::{Equal, Greater, Less};
        // Each before the next: as text, "10.2" would come before "4.4" and "A.10.2" before
        // "A.2.2".
        let ordered = [
            "4.1", "4.4", "5.1", "6.1.2", "6.1.3", "7.5", "7.5.1", "9.2", "10.1", "10.2", "A.2.2",
            "A.5", "A.10.2",
        ];
        for (i, a) in ordered.iter().enumerate() {
            for (j, b) in ordered.iter().enumerate() {
                assert_eq!(compare_clauses(a, b), i.cmp(&j), "{a} vs {b}");
            }
        }
        assert_eq!(compare_clauses("10.2", "9.3.3"), Greater);
        assert_eq!(compare_clauses("7.5", "7.5"), Equal);
        // A part that is not a number counts as 0; the text then tells them apart.
        assert_eq!(compare_clauses("4.x", "4.1"), Less);
        assert_eq!(compare_clauses("4.x", "4.0"), Greater);
    }

    #[test]
    fn fix_first_orders_failures_by_severity_then_clause_then_id() {
        let rules = vec![
            rule("R-01", Fail, Medium, &["10.2"]),
            rule("R-02", Fail, Critical, &["9.2", "4.1"]),
            rule("R-03", Fail, Critical, &["4.4"]),
            rule("R-04", Fail, High, &["6.1.2"]),
            rule("R-05", Fail, High, &["5.1"]),
            rule("R-06", Pass, Critical, &["4.1"]),
            rule("R-07", Fail, High, &["A.2.2"]),
            rule("R-08", Fail, High, &["10.1", "4.1"]),
            rule("R-09", Fail, Low, &["4.1"]),
            rule("R-10", Fail, High, &["6.1.2"]),
            rule("R-11", InsufficientEvidence, Critical, &["4.1"]),
            rule("R-12", Fail, Medium, &["7.5.1"]),
            rule("R-13", Fail, Medium, &["7.5"]),
            rule("R-14", Fail, High, &[]),
            rule("R-15", Waived, Critical, &["4.1"]),
            rule("R-16", Error, Critical, &["4.1"]),
            rule("R-17", Status::NotApplicable, Critical, &["4.1"]),
            rule("R-00", Fail, High, &["6.1.2"]),
        ];
        // By hand:
        // critical: R-03 (4.4) before R-02 (9.2; its first clause, not its 4.1, counts);
        // high: R-05 (5.1); R-00, R-04, R-10 (6.1.2, by id); R-08 (10.1, after 6.1.2 in
        //   number order); R-07 (A.2.2: controls after clauses); R-14 (no clause: last);
        // medium: R-13 (7.5) before R-12 (7.5.1), then R-01 (10.2);
        // low: R-09.
        // R-06 passes, R-11 lacks evidence, R-15 is waived, R-16 errs, R-17 does not apply:
        // none of them is listed.
        let ids: Vec<&str> = fix_first(&rules).iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "R-03", "R-02", "R-05", "R-00", "R-04", "R-10", "R-08", "R-07", "R-14", "R-13",
                "R-12", "R-01", "R-09"
            ]
        );
        // The input order does not matter.
        let mut reversed = rules.clone();
        reversed.reverse();
        let again: Vec<&str> = fix_first(&reversed).iter().map(|r| r.id.as_str()).collect();
        assert_eq!(again, ids);
        assert!(fix_first(&[rule("R-1", Pass, High, &["4.4"])]).is_empty());
    }

    fn indicator(unit: &str, value: serde_json::Value) -> IndicatorResult {
        IndicatorResult {
            id: "i".to_owned(),
            title: "I".to_owned(),
            unit: unit.to_owned(),
            method: "m".to_owned(),
            value,
            error: None,
        }
    }

    #[test]
    fn indicator_values_read_as_people_write_them() {
        use serde_json::json;
        let shown = |unit: &str, value: serde_json::Value| indicator(unit, value).display_value();
        assert_eq!(shown("ratio", json!(0.3333)), "33%");
        assert_eq!(shown("ratio", json!(0.4545)), "45%");
        assert_eq!(shown("ratio", json!(0.6667)), "67%");
        assert_eq!(shown("ratio", json!(0)), "0%");
        assert_eq!(shown("ratio", json!(1)), "100%");
        assert_eq!(shown("ratio", json!(0.004)), "<1%");
        assert_eq!(shown("ratio", json!(0.996)), ">99%");
        assert_eq!(shown("days", json!(177)), "177 days");
        assert_eq!(shown("days", json!(1)), "1 day");
        assert_eq!(shown("days", json!(0)), "0 days");
        assert_eq!(shown("per_system", json!(0.5)), "0.5 per AI system");
        assert_eq!(shown("count", json!(3)), "3");
        assert_eq!(shown("widgets_made", json!(2)), "2 widgets made");
        assert_eq!(
            shown("breakdown", json!({"internal_audit": 1, "monitoring": 2})),
            "internal audit 1, monitoring 2"
        );
        assert_eq!(shown("breakdown", json!({})), "none");
        assert_eq!(shown("ratio", serde_json::Value::Null), "n/a (no data)");
        let mut failed = indicator("ratio", serde_json::Value::Null);
        failed.error = Some("boom".to_owned());
        assert_eq!(failed.display_value(), "n/a (error: boom)");
    }

    #[test]
    fn labels_are_words() {
        assert_eq!(
            Status::InsufficientEvidence.label(),
            "Insufficient evidence"
        );
        assert_eq!(Status::NotApplicable.label(), "Not applicable");
        assert_eq!(Severity::Critical.label(), "Critical");
        assert_eq!(PartiallyCompliant.label(), "Partially compliant");
        assert_eq!(NonCompliant.label(), "Non-compliant");
        assert_eq!(NotAssessed.label(), "Not assessed");
        assert_eq!(
            ObservationSensitivePoint.label(),
            "Observation (sensitive point)"
        );
        assert_eq!(
            OpportunityForImprovement.label(),
            "Opportunity for improvement"
        );
        assert_eq!(Verdict::Nonconformant.label(), "Nonconformant");
        for s in Status::ALL {
            assert!(!s.label().contains('_'), "{s:?}");
        }
    }

    #[test]
    fn a_1_0_report_is_read_with_overall_as_aims() {
        let old = serde_json::json!({
            "result": "partially_compliant",
            "grade": "major_nonconformity",
            "clause": "4.4",
            "urn": "urn:intuitem:risk:req_node:iso42001-2023:4.4"
        });
        let aims: Result<Aims, _> = serde_json::from_value(old);
        assert!(aims.is_ok(), "{aims:?}");
    }
}
