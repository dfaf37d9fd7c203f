//! Text output for people: the report of `check` and the list of `rules list`.

use aimscheck::{
    ClauseResult, ClauseRollup, Engine, Finding, FindingKind, GRADES_NOTE, Grade, IndicatorResult,
    Overlay, Report, RuleResult, Status, Verdict,
};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal;

/// Whether to colour the output with ANSI escapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Colour on.
    pub color: bool,
}

impl Style {
    /// Colour only when stdout is a terminal and `NO_COLOR` is unset.
    pub fn for_stdout() -> Style {
        Style {
            color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    /// Red (failures).
    pub fn red(self, s: &str) -> String {
        self.paint("31", s)
    }

    /// Yellow (insufficient evidence).
    pub fn yellow(self, s: &str) -> String {
        self.paint("33", s)
    }

    /// Green (conformant).
    pub fn green(self, s: &str) -> String {
        self.paint("32", s)
    }

    /// Bold (rule ids).
    pub fn bold(self, s: &str) -> String {
        self.paint("1", s)
    }
}

/// The report's name of a verdict.
pub fn verdict_name(v: Verdict) -> &'static str {
    v.as_str()
}

/// The report's name of a clause result.
fn result_name(r: ClauseResult) -> &'static str {
    r.as_str()
}

/// The report's name of a nonconformity grade.
fn grade_name(g: Grade) -> &'static str {
    g.as_str()
}

/// How statuses that need attention are listed: label and order.
fn attention(status: Status) -> Option<(&'static str, u8)> {
    match status {
        Status::Fail => Some(("FAIL", 0)),
        Status::Error => Some(("ERROR", 1)),
        Status::InsufficientEvidence => Some(("INSUFFICIENT", 2)),
        // Pass, not applicable, waived, and any status a later engine adds.
        _ => None,
    }
}

/// `result` or `result, grade`, as the text prints a roll-up.
fn result_with_grade(result: ClauseResult, grade: Option<Grade>) -> String {
    match grade {
        Some(g) => format!("{}, {}", result_name(result), grade_name(g)),
        None => result_name(result).to_owned(),
    }
}

/// One clause of the roll-up: `4.4 Title: result, grade`.
fn clause_line(c: &ClauseRollup, style: Style) -> String {
    format!(
        "{} {}: {}",
        style.bold(&c.clause),
        c.title,
        result_with_grade(c.result, c.grade)
    )
}

/// Renders a report: summary lines (the verdict and the result of the AIMS over every rule,
/// and that grades are indicative); the model's warnings, each at its line and column in
/// `source` as `position` finds them; the failing rules in the order to fix them (the report's
/// `fix_first`: most severe first, then by clause), each with its clauses, findings and
/// remediation; the erring and insufficient rules grouped by their first clause (in the
/// report's clause order, each under its clause's own roll-up); then the roll-up of every
/// clause, the indicators and the waivers.
pub fn report(
    report: &Report,
    source: &str,
    style: Style,
    position: impl Fn(&str) -> Option<(usize, usize)>,
) -> String {
    let mut s = String::new();
    let who = report.model.organization.as_deref().unwrap_or(source);
    let _ = writeln!(
        s,
        "aimscheck {}: {who} as of {}, tier {} ({}), profile {}",
        report.engine.version, report.as_of, report.tier, report.tier_source, report.profile
    );
    let c = &report.summary.by_status;
    let _ = writeln!(
        s,
        "pass {}, fail {}, insufficient_evidence {}, not_applicable {}, waived {}, error {}",
        c.pass, c.fail, c.insufficient_evidence, c.not_applicable, c.waived, c.error
    );
    let verdict = verdict_name(report.verdict);
    let verdict = match report.verdict {
        Verdict::Nonconformant => style.red(verdict),
        Verdict::Inconclusive => style.yellow(verdict),
        Verdict::Conformant => style.green(verdict),
        _ => verdict.to_owned(),
    };
    let _ = writeln!(
        s,
        "verdict: {verdict} (AIMS, every rule: {})",
        result_with_grade(report.aims.result, report.aims.grade)
    );
    let _ = writeln!(s, "{GRADES_NOTE}");
    if let Some(stop) = &report.stopped {
        let _ = writeln!(s, "{}: {}", style.yellow("stopped"), stop.message);
    }
    if let Some(o) = &report.overlay {
        let mut parts = Vec::new();
        if !o.disable.is_empty() {
            parts.push(format!("disabled {}", o.disable.join(", ")));
        }
        if !o.severity.is_empty() {
            let changed: Vec<String> = o
                .severity
                .iter()
                .map(|(id, sev)| format!("{id} {}", sev.as_str()))
                .collect();
            parts.push(format!("severity {}", changed.join(", ")));
        }
        let _ = writeln!(s, "overlay: {}", parts.join("; "));
    }
    model_warnings(&mut s, report, source, style, position);

    // The failing rules, in the order to fix them.
    let failing = report.fix_first_rules();
    if !failing.is_empty() {
        let _ = writeln!(
            s,
            "\nfix first: {} failing rule{}, the most severe first, then by clause",
            failing.len(),
            if failing.len() == 1 { "" } else { "s" }
        );
        for r in failing {
            rule(&mut s, r, style, true);
        }
    }

    // The other rules that need attention, grouped by first clause ref, in the order of the
    // report's clause roll-up.
    let order: BTreeMap<&str, usize> = report
        .clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.clause.as_str(), i))
        .collect();
    let mut groups: BTreeMap<(usize, &str), Vec<&RuleResult>> = BTreeMap::new();
    for r in &report.rules {
        if r.status == Status::Fail || attention(r.status).is_none() {
            continue;
        }
        let clause = r.clause_refs.first().map_or("", String::as_str);
        let rank = order.get(clause).copied().unwrap_or(usize::MAX);
        groups.entry((rank, clause)).or_default().push(r);
    }
    if !groups.is_empty() {
        s.push_str("\nin error or lacking evidence, by clause:\n");
    }
    for ((rank, clause), mut rules) in groups {
        s.push('\n');
        match report.clauses.get(rank) {
            Some(c) => {
                let _ = writeln!(s, "{}", clause_line(c, style));
            }
            None if clause.is_empty() => s.push_str("(no clause)\n"),
            None => {
                let _ = writeln!(s, "{}", style.bold(clause));
            }
        }
        rules.sort_by_key(|r| {
            (
                attention(r.status).map_or(u8::MAX, |(_, o)| o),
                std::cmp::Reverse(r.severity),
                r.id.as_str(),
            )
        });
        for r in rules {
            rule(&mut s, r, style, false);
        }
    }
    if !report.clauses.is_empty() {
        s.push_str("\nclause roll-up:\n");
        for c in &report.clauses {
            let _ = writeln!(s, "  {}", clause_line(c, style));
        }
    }
    indicators(&mut s, &report.indicators);
    waivers(&mut s, report, style);
    s
}

/// The warnings of the model's load, each as `validate` prints it, under a line that says what
/// they mean for the report.
fn model_warnings(
    s: &mut String,
    report: &Report,
    source: &str,
    style: Style,
    position: impl Fn(&str) -> Option<(usize, usize)>,
) {
    if report.warnings.is_empty() {
        return;
    }
    let n = report.warnings.len();
    let _ = writeln!(
        s,
        "\n{}: {n} member{} of the model {} not defined by the model schema, so no rule read {}:",
        style.yellow("warning"),
        if n == 1 { "" } else { "s" },
        if n == 1 { "is" } else { "are" },
        if n == 1 { "it" } else { "them" },
    );
    for w in &report.warnings {
        s.push_str(&crate::diag::render_warning(
            w,
            source,
            position(&w.pointer),
        ));
    }
}

/// The `indicators:` section: one line per indicator, `  title: value unit`.
fn indicators(s: &mut String, indicators: &[IndicatorResult]) {
    if indicators.is_empty() {
        return;
    }
    s.push_str("\nindicators:\n");
    for i in indicators {
        let _ = writeln!(s, "  {}: {}", i.title, indicator_value(i));
    }
}

pub fn indicator_value(i: &IndicatorResult) -> String {
    i.display_value()
}

/// The waived rules (one line per exception that waived findings) and the exceptions of the
/// model that waive nothing.
fn waivers(s: &mut String, report: &Report, style: Style) {
    let waived: Vec<&RuleResult> = report
        .rules
        .iter()
        .filter(|r| !r.waivers.is_empty())
        .collect();
    if !waived.is_empty() {
        s.push_str("\nwaived:\n");
        for r in waived {
            // A rule with violations left still fails: only part of it is waived.
            let label = if r.status == Status::Waived {
                "WAIVED"
            } else {
                "PARTLY WAIVED"
            };
            for w in &r.waivers {
                let target = w
                    .target
                    .as_deref()
                    .map(|t| format!(" for {t}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    s,
                    "  {label} {} by exception {}{target} (approved by {} until {}): {}",
                    style.bold(&r.id),
                    w.exception_id,
                    w.approved_by,
                    w.expires_on,
                    w.justification
                );
            }
        }
    }
    let idle: Vec<_> = report.idle_exceptions().collect();
    if !idle.is_empty() {
        s.push_str("\nexceptions that waive nothing:\n");
        for e in idle {
            let _ = writeln!(s, "  exception {} ({}): {}", e.id, e.pointer, e.message);
        }
    }
}

/// One finding on one line: `pointer (entity): message`, prefixed for missing evidence.
pub fn finding_line(f: &Finding) -> String {
    let marker = match f.kind {
        FindingKind::MissingEvidence => "missing evidence: ",
        _ => "",
    };
    let pointer = if f.pointer.is_empty() {
        "(model root)"
    } else {
        f.pointer.as_str()
    };
    let entity = f
        .entity_id
        .as_deref()
        .map(|id| format!(" ({id})"))
        .unwrap_or_default();
    format!("{marker}{pointer}{entity}: {}", f.message)
}

/// Renders one rule that needs attention; `with_clauses` names its clauses after the title
/// (where no clause heading above says them).
fn rule(s: &mut String, r: &RuleResult, style: Style, with_clauses: bool) {
    let label = attention(r.status).map_or("", |(l, _)| l);
    let label = match r.status {
        Status::InsufficientEvidence => style.yellow(label),
        _ => style.red(label),
    };
    let clauses = match r.clause_refs.as_slice() {
        [] => String::new(),
        _ if !with_clauses => String::new(),
        [one] => format!(" (clause {one})"),
        many => format!(" (clauses {})", many.join(", ")),
    };
    let _ = writeln!(
        s,
        "{label} {} [{}] {}{clauses}",
        style.bold(&r.id),
        r.severity.as_str(),
        r.title
    );
    for f in &r.findings {
        let _ = writeln!(s, "    {}", finding_line(f));
        let expected = f.expected.as_deref().map(|e| format!("expected {e}"));
        let actual = f.actual.as_ref().map(|a| format!("found {a}"));
        let detail: Vec<String> = expected.into_iter().chain(actual).collect();
        if !detail.is_empty() {
            let _ = writeln!(s, "      {}", detail.join("; "));
        }
    }
    let more = r.findings_total.saturating_sub(r.findings.len());
    if more > 0 {
        let _ = writeln!(
            s,
            "    ... and {more} more findings not shown (findings listed per rule are limited: --max-findings)"
        );
    }
    if r.findings.is_empty()
        && let Some(reason) = &r.reason
    {
        let _ = writeln!(s, "    {reason}");
    }
    if let Some(e) = &r.error {
        let _ = writeln!(s, "    error[{}]: {}", e.code, e.message);
    }
    if !r.remediation.is_empty() {
        let _ = writeln!(s, "    remediation: {}", r.remediation);
    }
}

/// Renders the rules of the engine's packs: one heading line and one detail line per rule,
/// with the severities the overlay sets and the rules it disables marked.
pub fn rules(engine: &Engine, overlay: &Overlay, style: Style) -> String {
    let mut s = String::new();
    let mut count = 0usize;
    let mut packs = 0usize;
    for p in engine.packs() {
        packs += 1;
        for r in p.rules() {
            count += 1;
            let tiers: Vec<&str> = r.tiers.iter().map(|t| t.as_str()).collect();
            let severity = match overlay.severity.get(&r.id) {
                Some(sev) if *sev != r.severity => {
                    format!("{} (overlay; pack {})", sev.as_str(), r.severity.as_str())
                }
                _ => r.severity.as_str().to_owned(),
            };
            let disabled = if overlay.disable.contains(&r.id) {
                " (disabled by the overlay)"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "{} [{severity}] {}{disabled}",
                style.bold(&r.id),
                r.title
            );
            let _ = writeln!(
                s,
                "    clauses {}; aspect {}; tiers {}; pack {}",
                r.clause_refs.join(", "),
                r.aspect,
                tiers.join(", "),
                r.pack
            );
        }
    }
    let _ = writeln!(
        s,
        "{count} rule{} in {packs} pack{}",
        if count == 1 { "" } else { "s" },
        if packs == 1 { "" } else { "s" }
    );
    s
}
