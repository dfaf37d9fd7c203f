//! A self-contained HTML page: the summary (the verdict and the result of the AIMS over every
//! rule), the picture of the process-interaction map (an inline SVG, processes with failing
//! findings marked), the clause table (each clause's own result and grade, with the note that
//! grades are indicative), the failing rules in the order to fix them (the report's
//! `fix_first`) with findings and remediation, the indicators, the waivers and every rule's
//! status. Statuses, severities, results and grades read as words (`Observation (sensitive
//! point)`), ratios as percentages.
//!
//! Printed (`@media print`, A4), each finding takes one line and the expected and found values
//! stay on the screen, so that a report with many findings stays a few pages long.
//!
//! The page loads nothing: no script, no font, no style sheet or image from elsewhere (its
//! Content-Security-Policy forbids any), so it can be mailed, archived or opened offline.
//! Without the model in the [`Context`] the page says the map is unavailable.

use super::diagram;
use super::markdown::{by_severity, code_segments, indicator_value};
use super::{Context, FIX_FIRST_NOTE, profile_words, tier_source_words};
use crate::error::Result;
use crate::report::{
    ClauseResult, ExceptionStatus, Finding, FindingKind, GRADES_NOTE, Report, RuleResult, Severity,
    Status, Verdict,
};
use std::fmt::Write as _;

/// Renders the report as one HTML page.
pub fn render(report: &Report, ctx: &Context<'_>) -> Result<String> {
    let mut s = String::new();
    let org = report.model.organization.as_deref().unwrap_or("AIMS model");
    let title = format!(
        "aimscheck report: {org} as of {} (ISO/IEC 42001 clause 4.4)",
        report.as_of
    );
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    let _ = writeln!(s, "<title>{}</title>", esc(&title));
    let _ = writeln!(s, "<style>{CSS}</style>\n</head>\n<body>");

    // Summary.
    let _ = writeln!(
        s,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">ISO/IEC 42001:2023 clause 4.4 · as of <strong>{}</strong> · tier {} ({}) · profile: {} · aimscheck {}</p>\n</header>",
        esc(org),
        esc(&report.as_of),
        esc(&report.tier),
        esc(&tier_source_words(&report.tier_source)),
        esc(&profile_words(&report.profile)),
        esc(&report.engine.version)
    );
    s.push_str("<main>\n<section id=\"summary\" class=\"summary\">\n");
    let _ = writeln!(
        s,
        "<div class=\"verdict {}\"><span class=\"label\">Verdict</span><span class=\"value\">{}</span></div>",
        verdict_class(report.verdict),
        esc(report.verdict.label())
    );
    let grade = report
        .aims
        .grade
        .map(|g| format!(" <span class=\"grade\">{}</span>", esc(g.label())))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "<div class=\"aims\"><span class=\"label\">AIMS (every rule)</span><span class=\"value result {}\">{}</span>{grade}</div>",
        result_class(report.aims.result),
        esc(report.aims.result.label())
    );
    if let Some(stop) = &report.stopped {
        let _ = writeln!(s, "<p class=\"stopped\">{}</p>", esc(&stop.message));
    }
    s.push_str("<ul class=\"counts\">");
    for status in Status::ALL {
        let _ = write!(
            s,
            "<li class=\"status-{}\"><span class=\"n\">{}</span> {}</li>",
            status.as_str(),
            report.summary.by_status.get(status),
            esc(&status.label().to_lowercase())
        );
    }
    s.push_str("</ul>\n");
    let _ = writeln!(
        s,
        "<p class=\"totals\">{} rules evaluated, {} findings.</p>",
        report.summary.rules, report.summary.findings
    );
    s.push_str("</section>\n");

    // The map.
    s.push_str("<section id=\"map\">\n<h2>Process-interaction map</h2>\n");
    match ctx.model.map(|m| diagram::svg(m, Some(report))) {
        Some(Ok(svg)) => {
            s.push_str(LEGEND);
            // Fitted by default, for the whole picture at once; unticked, the map keeps its
            // own size and the frame scrolls. No script: the checkbox drives the CSS.
            s.push_str("<input type=\"checkbox\" id=\"fit\" checked><label for=\"fit\" class=\"fit\">Fit the map to the page width (untick for actual size, to scroll)</label>\n");
            s.push_str("<div class=\"map-frame\">\n");
            s.push_str(&svg);
            s.push_str("\n</div>\n");
        }
        Some(Err(e)) => {
            let why = e
                .issues()
                .first()
                .map_or_else(|| e.to_string(), |i| i.message.clone());
            let _ = writeln!(
                s,
                "<p class=\"unavailable\">The process map is not drawn here ({}).</p>",
                esc(&why)
            );
        }
        None => s.push_str("<p class=\"unavailable\">The process map is unavailable: the report was exported without the model it was evaluated on.</p>\n"),
    }
    s.push_str("</section>\n");

    // Clauses.
    s.push_str("<section id=\"clauses\">\n<h2>Clauses and controls</h2>\n");
    let _ = writeln!(
        s,
        "<p class=\"note\">Each clause's result and grade come from the rules that cite it. {}</p>",
        esc(GRADES_NOTE)
    );
    s.push_str("<p class=\"note print-only\">Printed without each clause's rules: every rule's status and clauses are in the table of all rules.</p>\n");
    s.push_str("<table>\n<thead><tr><th>Clause</th><th>Title</th><th>Result</th><th>Grade</th><th class=\"rules\">Rules</th></tr></thead>\n<tbody>\n");
    for c in &report.clauses {
        let rules: Vec<String> = c
            .rules
            .iter()
            .map(|(id, st)| {
                format!(
                    "<span class=\"rule status-{}\" title=\"{}\">{}</span>",
                    st.as_str(),
                    esc(st.label()),
                    esc(id)
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "<tr><td class=\"clause\">{}</td><td>{}</td><td><span class=\"result {}\">{}</span></td><td>{}</td><td class=\"rules\">{}</td></tr>",
            esc(&c.clause),
            esc(&c.title),
            result_class(c.result),
            esc(c.result.label()),
            esc(c.grade.map_or("", |g| g.label())),
            rules.join(" ")
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");

    // Rules needing attention: the failing ones in the order to fix them.
    s.push_str("<section id=\"failing\">\n<h2>Failing rules</h2>\n");
    let failing = report.fix_first_rules();
    if failing.is_empty() {
        s.push_str("<p class=\"none\">No rule fails.</p>\n");
    } else {
        let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(FIX_FIRST_NOTE));
        s.push_str("<p class=\"note print-only\">Printed, each finding takes one line; the expected and found values are on the screen version of this page and in the JSON report.</p>\n");
    }
    for r in failing {
        rule(&mut s, r);
    }
    s.push_str("</section>\n");
    for (status, id, heading) in [
        (
            Status::InsufficientEvidence,
            "lacking",
            "Rules lacking evidence",
        ),
        (Status::Error, "errors", "Rules in error"),
    ] {
        let rules = by_severity(report, status);
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(s, "<section id=\"{id}\">\n<h2>{heading}</h2>");
        for r in rules {
            rule(&mut s, r);
        }
        s.push_str("</section>\n");
    }

    // Indicators.
    if !report.indicators.is_empty() {
        s.push_str("<section id=\"indicators\">\n<h2>Indicators</h2>\n<table>\n<thead><tr><th>Indicator</th><th>Value</th><th>Method</th></tr></thead>\n<tbody>\n");
        for i in &report.indicators {
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td class=\"value\">{}</td><td class=\"method\">{}</td></tr>",
                esc(&i.title),
                esc(&indicator_value(i)),
                esc(&i.method)
            );
        }
        s.push_str("</tbody>\n</table>\n</section>\n");
    }

    // Waivers and exceptions.
    let waived: Vec<&RuleResult> = report
        .rules
        .iter()
        .filter(|r| !r.waivers.is_empty())
        .collect();
    let idle: Vec<_> = report
        .exceptions
        .iter()
        .filter(|e| e.status != ExceptionStatus::Applied)
        .collect();
    if !waived.is_empty() || !idle.is_empty() {
        s.push_str("<section id=\"waivers\">\n<h2>Waivers</h2>\n");
        if !waived.is_empty() {
            s.push_str("<table>\n<thead><tr><th>Rule</th><th>Status</th><th>Exception</th><th>Target</th><th>Approved by</th><th>Until</th><th>Justification</th></tr></thead>\n<tbody>\n");
            for r in waived {
                for w in &r.waivers {
                    let _ = writeln!(
                        s,
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        esc(&r.id),
                        status_badge(r.status),
                        esc(&w.exception_id),
                        esc(w.target.as_deref().unwrap_or("")),
                        esc(&w.approved_by),
                        esc(&w.expires_on),
                        esc(&w.justification)
                    );
                }
            }
            s.push_str("</tbody>\n</table>\n");
        }
        if !idle.is_empty() {
            s.push_str("<h3>Exceptions that waive nothing</h3>\n<ul>\n");
            for e in idle {
                let _ = writeln!(
                    s,
                    "<li><strong>{}</strong> <code>{}</code>: {}</li>",
                    esc(&e.id),
                    esc(&e.pointer),
                    esc(&e.message)
                );
            }
            s.push_str("</ul>\n");
        }
        s.push_str("</section>\n");
    }

    // Every rule.
    s.push_str("<section id=\"rules\">\n<h2>All rules</h2>\n<table>\n<thead><tr><th>Rule</th><th>Title</th><th>Status</th><th>Severity</th><th>Clauses</th></tr></thead>\n<tbody>\n");
    for r in &report.rules {
        let _ = writeln!(
            s,
            "<tr><td class=\"rule-id\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.id),
            esc(&r.title),
            status_badge(r.status),
            severity_badge(r.severity),
            esc(&r.clause_refs.join(", "))
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n</main>\n");

    // Provenance.
    let packs: Vec<String> = report
        .rule_packs
        .iter()
        .map(|p| {
            format!(
                "{} {} <code>{}</code>",
                esc(&p.id),
                esc(&p.version),
                esc(&p.digest)
            )
        })
        .collect();
    let _ = writeln!(
        s,
        "<footer>\n<p>Rule packs: {}. Model digest <code>{}</code> (schema {}). Report format {}.</p>\n</footer>\n</body>\n</html>",
        packs.join("; "),
        esc(&report.model.digest),
        esc(&report.model.schema_version),
        esc(&report.report_version)
    );
    Ok(s)
}

/// One rule that needs attention: heading, findings, remediation.
fn rule(s: &mut String, r: &RuleResult) {
    let _ = writeln!(
        s,
        "<article class=\"rule-card status-{}\" id=\"rule-{}\">\n<h3><span class=\"rule-id\">{}</span> {}</h3>",
        r.status.as_str(),
        esc(&r.id),
        esc(&r.id),
        esc(&r.title)
    );
    let _ = writeln!(
        s,
        "<p class=\"facts\">{} {} clauses {} · aspect {}</p>",
        status_badge(r.status),
        severity_badge(r.severity),
        esc(&r.clause_refs.join(", ")),
        esc(&r.aspect)
    );
    if !r.findings.is_empty() || r.reason.is_some() || r.error.is_some() {
        s.push_str("<ul class=\"findings\">\n");
        for f in &r.findings {
            let _ = writeln!(s, "<li>{}</li>", finding(f));
        }
        let more = r.findings_total.saturating_sub(r.findings.len());
        if more > 0 {
            let _ = writeln!(s, "<li class=\"more\">… and {more} more findings</li>");
        }
        if r.findings.is_empty()
            && let Some(reason) = &r.reason
        {
            let _ = writeln!(s, "<li>{}</li>", esc(reason));
        }
        if let Some(e) = &r.error {
            let _ = writeln!(
                s,
                "<li>error <code>{}</code>: {}</li>",
                esc(&e.code),
                esc(&e.message)
            );
        }
        s.push_str("</ul>\n");
    }
    for w in &r.waivers {
        let _ = writeln!(
            s,
            "<p class=\"waiver\">Partly waived by exception {} (approved by {} until {}): {}</p>",
            esc(&w.exception_id),
            esc(&w.approved_by),
            esc(&w.expires_on),
            esc(&w.justification)
        );
    }
    if !r.remediation.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"remediation\"><strong>Remediation:</strong> {}</p>",
            with_code(&r.remediation)
        );
    }
    s.push_str("</article>\n");
}

fn finding(f: &Finding) -> String {
    let mut s = String::new();
    if f.kind == FindingKind::MissingEvidence {
        s.push_str("<span class=\"missing\">missing evidence</span> ");
    }
    let pointer = if f.pointer.is_empty() {
        "(model root)"
    } else {
        f.pointer.as_str()
    };
    let _ = write!(s, "<code class=\"pointer\">{}</code>", esc(pointer));
    if let Some(id) = &f.entity_id {
        let _ = write!(s, " <span class=\"entity\">{}</span>", esc(id));
    }
    let _ = write!(s, ": {}", esc(&f.message));
    let expected = f.expected.as_deref().map(|e| format!("expected {e}"));
    let actual = f.actual.as_ref().map(|a| format!("found {a}"));
    let detail: Vec<String> = expected.into_iter().chain(actual).collect();
    if !detail.is_empty() {
        let _ = write!(s, "<div class=\"detail\">{}</div>", esc(&detail.join("; ")));
    }
    s
}

/// A status as a badge: its words, coloured by its class.
fn status_badge(status: Status) -> String {
    format!(
        "<span class=\"status status-{}\">{}</span>",
        status.as_str(),
        esc(status.label())
    )
}

/// A severity as a badge: its words, coloured by its class.
fn severity_badge(severity: Severity) -> String {
    format!(
        "<span class=\"severity severity-{}\">{}</span>",
        severity.as_str(),
        esc(severity.label())
    )
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Conformant => "good",
        Verdict::Nonconformant => "bad",
        Verdict::Inconclusive => "unknown",
    }
}

fn result_class(r: ClauseResult) -> &'static str {
    match r {
        ClauseResult::Compliant => "good",
        ClauseResult::PartiallyCompliant => "partial",
        ClauseResult::NonCompliant => "bad",
        ClauseResult::NotApplicable => "na",
        ClauseResult::NotAssessed => "unknown",
    }
}

/// Text whose `` `…` `` segments are code, as HTML with `<code>` elements.
fn with_code(text: &str) -> String {
    code_segments(text)
        .into_iter()
        .map(|(is_code, part)| {
            if is_code {
                format!("<code>{}</code>", esc(part))
            } else {
                esc(part)
            }
        })
        .collect()
}

/// Escapes text for HTML content and attribute values.
fn esc(s: &str) -> String {
    diagram::xml_escape(s)
}

/// Legend of the map's marks.
const LEGEND: &str = "<ul class=\"legend\">\
<li><span class=\"key process\"></span> process (name, status)</li>\
<li><span class=\"key failing\"></span> process with findings of failing rules</li>\
<li><span class=\"key planned\"></span> planned process</li>\
<li><span class=\"key external\"></span> external party</li>\
<li><span class=\"key missing\"></span> referenced process that does not exist</li>\
<li><span class=\"key flow\"></span> flow declared by both processes</li>\
<li><span class=\"key one-sided\"></span> flow declared by one side only</li>\
</ul>\n";

/// The page's style sheet.
///
/// Every badge (status, severity, result) sets its own text and background colours, each pair
/// at least 4.5:1 apart (WCAG AA), with selectors as specific as the badge's base rule, so
/// that no colour is lost to the base. Printed, the page is compact: one line per finding,
/// details and controls left to the screen.
const CSS: &str = "\
:root{--fg:#1f2933;--muted:#5f6b7a;--line:#d9dee5;--bg:#ffffff;--soft:#f5f7fa;\
--good:#1b5e20;--good-bg:#e8f5e9;--bad:#b71c1c;--bad-bg:#ffebee;--partial:#8a3d00;--partial-bg:#fff3e0;\
--unknown:#6b4f00;--unknown-bg:#fff8e1;--na:#455a64;--na-bg:#eceff1;--waived:#1a4f8b;--waived-bg:#e3f2fd;\
--error-bg:#37474f;--critical-bg:#b71c1c}\
*{box-sizing:border-box}\
body{margin:0;font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;color:var(--fg);background:var(--bg)}\
header{padding:24px 32px 8px;border-bottom:1px solid var(--line)}\
h1{margin:0 0 4px;font-size:26px}\
h2{font-size:20px;margin:32px 0 12px;padding-bottom:4px;border-bottom:1px solid var(--line)}\
h3{font-size:16px;margin:0 0 6px}\
main{padding:0 32px 32px}\
.meta{color:var(--muted);margin:0}\
.summary{display:flex;flex-wrap:wrap;gap:16px;align-items:stretch;margin-top:20px}\
.verdict,.aims{padding:12px 18px;border-radius:8px;background:var(--soft);border:1px solid var(--line);display:flex;flex-direction:column;min-width:220px}\
.verdict .label,.aims .label{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}\
.verdict .value{font-size:24px;font-weight:700}\
.verdict.good{border-left:6px solid var(--good)}.verdict.good .value{color:var(--good)}\
.verdict.bad{border-left:6px solid var(--bad)}.verdict.bad .value{color:var(--bad)}\
.verdict.unknown{border-left:6px solid var(--unknown)}.verdict.unknown .value{color:var(--unknown)}\
.aims .value{font-size:20px;font-weight:600}\
.grade{font-size:13px;color:var(--muted)}\
.counts{list-style:none;display:flex;flex-wrap:wrap;gap:8px;margin:0;padding:0;align-items:center}\
.counts li{padding:8px 12px;border-radius:8px;background:var(--soft);border:1px solid var(--line)}\
.counts .n{font-weight:700;font-size:18px}\
.counts .status-pass .n{color:var(--good)}.counts .status-fail .n{color:var(--bad)}\
.counts .status-insufficient_evidence .n{color:var(--unknown)}.counts .status-not_applicable .n{color:var(--na)}\
.counts .status-waived .n{color:var(--waived)}.counts .status-error .n{color:var(--error-bg)}\
.totals{flex-basis:100%;margin:0;color:var(--muted)}\
p.note{color:var(--muted)}\
p.stopped{flex-basis:100%;margin:0;padding:8px 12px;border-left:6px solid var(--unknown);background:var(--soft)}\
.print-only{display:none}\
span.result,span.status,span.severity{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;font-weight:600;white-space:nowrap;color:var(--fg);background:var(--soft)}\
span.result.good{color:var(--good);background:var(--good-bg)}span.result.bad{color:var(--bad);background:var(--bad-bg)}\
span.result.partial{color:var(--partial);background:var(--partial-bg)}span.result.unknown{color:var(--unknown);background:var(--unknown-bg)}\
span.result.na{color:var(--na);background:var(--na-bg)}\
span.status.status-pass{color:var(--good);background:var(--good-bg)}span.status.status-fail{color:var(--bad);background:var(--bad-bg)}\
span.status.status-insufficient_evidence{color:var(--unknown);background:var(--unknown-bg)}\
span.status.status-not_applicable{color:var(--na);background:var(--na-bg)}\
span.status.status-waived{color:var(--waived);background:var(--waived-bg)}\
span.status.status-error{color:#fff;background:var(--error-bg)}\
span.severity.severity-critical{color:#fff;background:var(--critical-bg)}\
span.severity.severity-high{color:var(--bad);background:var(--bad-bg)}\
span.severity.severity-medium{color:var(--partial);background:var(--partial-bg)}\
span.severity.severity-low{color:var(--na);background:var(--na-bg)}\
table{border-collapse:collapse;width:100%;font-size:14px}\
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}\
th{background:var(--soft);font-weight:600}\
td.clause,.rule-id{white-space:nowrap;font-weight:600}\
td.rules span.rule{display:inline-block;margin:1px 4px 1px 0;padding:0 6px;border-radius:8px;font-size:12px;color:var(--fg);background:var(--soft);white-space:nowrap}\
td.rules span.status-pass{color:var(--good);background:var(--good-bg)}td.rules span.status-fail{color:var(--bad);background:var(--bad-bg)}\
td.rules span.status-insufficient_evidence{color:var(--unknown);background:var(--unknown-bg)}\
td.rules span.status-not_applicable{color:var(--na);background:var(--na-bg)}\
td.rules span.status-waived{color:var(--waived);background:var(--waived-bg)}\
td.rules span.status-error{color:#fff;background:var(--error-bg)}\
td.method{color:var(--muted);font-size:13px}\
.rule-card{border:1px solid var(--line);border-left:6px solid var(--bad);border-radius:8px;padding:12px 16px;margin:12px 0}\
.rule-card.status-insufficient_evidence{border-left-color:var(--unknown)}\
.rule-card.status-error{border-left-color:var(--error-bg)}\
.facts{margin:0 0 8px;color:var(--muted);font-size:13px}\
.findings{margin:0 0 8px;padding-left:20px}\
.findings li{margin:4px 0}\
.findings .detail{color:var(--muted);font-size:13px}\
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:0 4px;border-radius:4px;overflow-wrap:anywhere}\
.entity{color:var(--muted)}\
.findings .missing{color:var(--unknown);font-weight:600}\
.remediation{margin:8px 0 0;padding:8px 12px;background:#f1f8e9;border-radius:6px}\
.waiver{color:var(--muted)}\
.unavailable,.none{color:var(--muted);font-style:italic}\
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:6px 18px;padding:0;margin:0 0 8px;font-size:13px;color:var(--muted)}\
.legend .key{display:inline-block;width:22px;height:12px;vertical-align:middle;border-radius:3px;border:1.5px solid #37474f;background:#fff}\
.legend .key.failing{border:3px solid #c62828;background:#ffebee}\
.legend .key.planned{border-style:dashed;background:#fff8e1}\
.legend .key.external{border-radius:50%;border-color:#5c7c99;background:#e3f2fd}\
.legend .key.missing{border:1.5px dashed #9e9e9e;background:#fafafa}\
.legend .key.flow{border:0;border-top:2px solid #78909c;height:0;border-radius:0}\
.legend .key.one-sided{border:0;border-top:2px dashed #ef6c00;height:0;border-radius:0}\
.fit{font-size:13px;color:var(--muted);margin-left:4px}\
.map-frame{margin-top:8px;border:1px solid var(--line);border-radius:8px;overflow:auto;max-height:85vh;background:#fff}\
.map-frame svg{display:block}\
#fit:checked~.map-frame svg{width:100%;height:auto}\
footer{padding:16px 32px;border-top:1px solid var(--line);color:var(--muted);font-size:13px}\
@page{size:A4;margin:10mm}\
@media print{\
body{font-size:8.5pt;line-height:1.3}\
header{padding:0 0 3px}h1{font-size:14pt;margin:0}\
main{padding:0}\
h2{font-size:11pt;margin:8px 0 3px;padding-bottom:1px;break-after:avoid}\
h3{display:inline;font-size:9pt;margin:0}\
.summary{margin-top:4px;gap:4px 8px}\
.verdict,.aims{padding:2px 8px;min-width:0;border-radius:4px}\
.verdict .label,.aims .label{font-size:7pt}.verdict .value{font-size:12pt}.aims .value{font-size:10pt}\
.counts{gap:4px}.counts li{padding:1px 6px;border-radius:4px}.counts .n{font-size:9pt}\
p.note{margin:2px 0}.print-only{display:block}\
#fit,.fit{display:none}\
.legend{font-size:7pt;gap:2px 10px;margin:0 0 2px}\
.map-frame{overflow:visible;max-height:none;border:0;margin:0}\
.map-frame svg{width:100%;height:auto;max-height:110mm}\
table{font-size:7pt;line-height:1.25}th,td{padding:1px 4px}tr{break-inside:avoid}\
#clauses .rules{display:none}\
span.result,span.status,span.severity{font-size:7pt;padding:0 4px;border-radius:4px}\
td.method{font-size:7pt}\
.rule-card{border:0;border-left:3px solid var(--bad);border-radius:0;padding:0 0 0 6px;margin:3px 0}\
.rule-card h3,.rule-card .facts{break-after:avoid}\
.facts{display:inline;margin:0 0 0 6px;font-size:7.5pt}\
.findings{margin:0;padding-left:12px}\
.findings li{margin:0;font-size:7.5pt;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}\
.findings .detail{display:none}\
.remediation{margin:0;padding:0;background:none;font-size:7pt;line-height:1.25}\
code{font-size:7.5pt;padding:0 2px}\
footer{padding:4px 0;font-size:7pt}\
}";
