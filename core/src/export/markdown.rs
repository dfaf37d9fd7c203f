//! Markdown (CommonMark with GitHub tables): a summary (the verdict and the result of the AIMS
//! over every rule), the clause table (each clause's own result and grade) with the note that
//! grades are indicative, the failing rules in the order to fix them (the report's
//! `fix_first`) with their findings and remediation, the rules lacking evidence or in error,
//! the indicators and the waivers. Statuses, severities, results and grades read as words,
//! ratios as percentages. Meant for pull-request comments, wikis and tickets.

use super::{Context, FIX_FIRST_NOTE, profile_words, tier_source_words};
use crate::error::Result;
use crate::report::{
    ClauseResult, Finding, FindingKind, GRADES_NOTE, Grade, IndicatorResult, Report, RuleResult,
    Status,
};
use std::fmt::Write as _;

/// Renders the report as Markdown.
pub fn render(report: &Report, _ctx: &Context<'_>) -> Result<String> {
    let mut s = String::new();
    let org = report.model.organization.as_deref().unwrap_or("AIMS model");
    let _ = writeln!(s, "# aimscheck report: {}\n", inline(org));

    s.push_str("| | |\n|---|---|\n");
    row(&mut s, &["Organization", &inline(org)]);
    row(&mut s, &["As of", &report.as_of]);
    row(
        &mut s,
        &[
            "Tier",
            &inline(&format!(
                "{} ({})",
                report.tier,
                tier_source_words(&report.tier_source)
            )),
        ],
    );
    row(
        &mut s,
        &["Profile", &inline(&profile_words(&report.profile))],
    );
    row(
        &mut s,
        &["Verdict", &format!("**{}**", report.verdict.label())],
    );
    row(
        &mut s,
        &[
            "AIMS (every rule)",
            &result_with_grade(report.aims.result, report.aims.grade),
        ],
    );
    if let Some(stop) = &report.stopped {
        row(&mut s, &["Stopped early", &inline(&stop.message)]);
    }
    row(&mut s, &["Rules", &status_counts(report)]);
    row(&mut s, &["Findings", &report.summary.findings.to_string()]);
    let packs: Vec<String> = report
        .rule_packs
        .iter()
        .map(|p| format!("{} {} (`{}`)", inline(&p.id), inline(&p.version), p.digest))
        .collect();
    row(&mut s, &["Rule packs", &packs.join(", ")]);
    row(
        &mut s,
        &[
            "Engine",
            &format!("{} {}", report.engine.name, report.engine.version),
        ],
    );
    row(
        &mut s,
        &["Model digest", &format!("`{}`", report.model.digest)],
    );

    s.push_str("\n## Clauses\n\n");
    let _ = writeln!(
        s,
        "Each clause's result and grade come from the rules that cite it. {GRADES_NOTE}\n"
    );
    s.push_str("| Clause | Title | Result | Grade | Rules |\n|---|---|---|---|---|\n");
    for c in &report.clauses {
        let rules: Vec<String> = c
            .rules
            .iter()
            .map(|(id, st)| format!("{} ({})", inline(id), inline(&st.label().to_lowercase())))
            .collect();
        row(
            &mut s,
            &[
                &inline(&c.clause),
                &inline(&c.title),
                &inline(c.result.label()),
                &inline(c.grade.map_or("", |g| g.label())),
                &rules.join(", "),
            ],
        );
    }

    let failing: Vec<&RuleResult> = report.fix_first_rules();
    s.push_str("\n## Failing rules\n\n");
    if failing.is_empty() {
        s.push_str("No rule fails.\n");
    } else {
        let _ = writeln!(s, "{FIX_FIRST_NOTE}\n");
    }
    for r in failing {
        rule(&mut s, r);
    }
    let lacking = by_severity(report, Status::InsufficientEvidence);
    if !lacking.is_empty() {
        s.push_str("\n## Rules lacking evidence\n\n");
        for r in lacking {
            rule(&mut s, r);
        }
    }
    let erring = by_severity(report, Status::Error);
    if !erring.is_empty() {
        s.push_str("\n## Rules in error\n\n");
        for r in erring {
            rule(&mut s, r);
        }
    }

    if !report.indicators.is_empty() {
        s.push_str("\n## Indicators\n\n| Indicator | Value | Method |\n|---|---|---|\n");
        for i in &report.indicators {
            row(
                &mut s,
                &[
                    &inline(&i.title),
                    &inline(&indicator_value(i)),
                    &inline(&i.method),
                ],
            );
        }
    }

    let waived: Vec<&RuleResult> = report
        .rules
        .iter()
        .filter(|r| !r.waivers.is_empty())
        .collect();
    if !waived.is_empty() {
        s.push_str("\n## Waivers\n\n");
        s.push_str(
            "| Rule | Status | Exception | Target | Approved by | Until | Justification |\n",
        );
        s.push_str("|---|---|---|---|---|---|---|\n");
        for r in waived {
            for w in &r.waivers {
                row(
                    &mut s,
                    &[
                        &inline(&r.id),
                        &inline(r.status.label()),
                        &inline(&w.exception_id),
                        &inline(w.target.as_deref().unwrap_or("")),
                        &inline(&w.approved_by),
                        &inline(&w.expires_on),
                        &inline(&w.justification),
                    ],
                );
            }
        }
    }
    let idle: Vec<_> = report.idle_exceptions().collect();
    if !idle.is_empty() {
        s.push_str("\n## Exceptions that waive nothing\n\n");
        for e in idle {
            let _ = writeln!(
                s,
                "- {} ({}): {}",
                inline(&e.id),
                code(&e.pointer),
                inline(&e.message)
            );
        }
    }
    Ok(s)
}

/// Rules of `status`, most severe first, then by id.
pub(crate) fn by_severity(report: &Report, status: Status) -> Vec<&RuleResult> {
    let mut rules: Vec<&RuleResult> = report.rules.iter().filter(|r| r.status == status).collect();
    rules.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.id.cmp(&b.id)));
    rules
}

/// `53: 14 pass, 32 fail, 0 insufficient evidence, ...` over all rules.
fn status_counts(report: &Report) -> String {
    let counts: Vec<String> = Status::ALL
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                report.summary.by_status.get(*s),
                s.label().to_lowercase()
            )
        })
        .collect();
    format!("{}: {}", report.summary.rules, counts.join(", "))
}

/// `Non-compliant (Major nonconformity)`, or the result alone.
fn result_with_grade(result: ClauseResult, grade: Option<Grade>) -> String {
    match grade {
        Some(g) => inline(&format!("{} ({})", result.label(), g.label())),
        None => inline(result.label()),
    }
}

fn rule(s: &mut String, r: &RuleResult) {
    let _ = writeln!(s, "### {} {}\n", inline(&r.id), inline(&r.title));
    let clauses: Vec<String> = r.clause_refs.iter().map(|c| inline(c)).collect();
    let _ = writeln!(
        s,
        "Status **{}**, severity {}, clauses {}, aspect {}.\n",
        r.status.label(),
        r.severity.label().to_lowercase(),
        clauses.join(", "),
        inline(&r.aspect)
    );
    for f in &r.findings {
        let _ = writeln!(s, "- {}", finding(f));
    }
    let more = r.findings_total.saturating_sub(r.findings.len());
    if more > 0 {
        let _ = writeln!(s, "- … and {more} more findings");
    }
    if r.findings.is_empty()
        && let Some(reason) = &r.reason
    {
        let _ = writeln!(s, "- {}", inline(reason));
    }
    if let Some(e) = &r.error {
        let _ = writeln!(s, "- error {}: {}", code(&e.code), inline(&e.message));
    }
    for w in &r.waivers {
        let _ = writeln!(
            s,
            "- partly waived by exception {} until {}: {}",
            inline(&w.exception_id),
            inline(&w.expires_on),
            inline(&w.justification)
        );
    }
    if !r.remediation.is_empty() {
        let _ = writeln!(s, "\n**Remediation:** {}", with_code(&r.remediation));
    }
    s.push('\n');
}

/// One finding: `` `pointer` (entity): message (expected …; found …) ``.
fn finding(f: &Finding) -> String {
    let mut s = String::new();
    if f.kind == FindingKind::MissingEvidence {
        s.push_str("missing evidence: ");
    }
    if f.pointer.is_empty() {
        s.push_str("(model root)");
    } else {
        s.push_str(&code(&f.pointer));
    }
    if let Some(id) = &f.entity_id {
        let _ = write!(s, " ({})", inline(id));
    }
    let _ = write!(s, ": {}", inline(&f.message));
    let expected = f.expected.as_deref().map(|e| format!("expected {e}"));
    let actual = f.actual.as_ref().map(|a| format!("found {a}"));
    let detail: Vec<String> = expected.into_iter().chain(actual).collect();
    if !detail.is_empty() {
        let _ = write!(s, " ({})", inline(&detail.join("; ")));
    }
    s
}

pub(crate) fn indicator_value(i: &IndicatorResult) -> String {
    i.display_value()
}

/// A table row; cells are already inline Markdown.
fn row(s: &mut String, cells: &[&str]) {
    s.push('|');
    for c in cells {
        let _ = write!(s, " {} |", c.replace('\n', " "));
    }
    s.push('\n');
}

/// Text as inline Markdown: the characters that start markup escaped with a backslash, line
/// breaks as spaces.
pub(crate) fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text whose `` `…` `` segments are code (as rule packs write remediation): the segments
/// become code spans, the rest is escaped like [`inline`]. Unpaired backticks are text.
pub(crate) fn with_code(text: &str) -> String {
    code_segments(text)
        .into_iter()
        .map(|(is_code, part)| if is_code { code(part) } else { inline(part) })
        .collect()
}

/// Splits `text` at paired backticks: `(true, code)` and `(false, text)` segments, in order.
pub(crate) fn code_segments(text: &str) -> Vec<(bool, &str)> {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        // An odd number of backticks: not code.
        return vec![(false, text)];
    }
    parts
        .into_iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty())
        .map(|(i, p)| (i % 2 == 1, p))
        .collect()
}

/// A code span that holds `text` whatever backticks it contains.
fn code(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect();
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_fences_backticks() {
        assert_eq!(
            inline("a_b *c* [d] <e> | #"),
            r"a\_b \*c\* \[d\] \<e\> \| \#"
        );
        assert_eq!(code("/a/b"), "`/a/b`");
        assert_eq!(code("/a`b"), "``/a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(with_code("set `a_b` to *x*"), r"set `a_b` to \*x\*");
        assert_eq!(with_code("odd ` tick"), r"odd \` tick");
    }
}
