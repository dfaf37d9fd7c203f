//! JUnit XML: a `<testsuite>` per clause of the roll-up and a `<testcase>` per rule that
//! references the clause, so CI systems show the evaluation like a test run.
//!
//! | rule status | testcase |
//! |---|---|
//! | `pass` | passes |
//! | `fail` | `<failure type="SEVERITY">` with the findings (`pointer: message`) as text |
//! | `insufficient_evidence` | `<failure type="insufficient_evidence">` with what is missing |
//! | `error` | `<error type="CODE">` |
//! | `not_applicable`, `waived` | `<skipped message="REASON">` |
//!
//! Each suite's properties are the clause's roll-up: `clause`, `result`, `grade` (with
//! `grades_note`, that grades are indicative, when there is one) and `urn`.
//!
//! A rule that references several clauses appears in each of their suites; the counts of
//! `<testsuites>` are the sums over the suites. Rules without clause references (possible in
//! other packs) form a last suite, `(no clause)`.

use super::{Context, Format, export_error};
use crate::error::Result;
use crate::report::{Finding, FindingKind, GRADES_NOTE, Report, RuleResult, Status};
use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::collections::BTreeMap;
use std::io;

/// Renders the report as JUnit XML.
pub fn render(report: &Report, _ctx: &Context<'_>) -> Result<String> {
    write(report).map_err(|e| export_error(Format::Junit, e.to_string()))
}

/// One suite: its name, the roll-up properties and the rules in it.
struct Suite<'a> {
    name: String,
    properties: Vec<(&'static str, String)>,
    rules: Vec<&'a RuleResult>,
}

/// Counts as JUnit defines them.
#[derive(Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn of(rules: &[&RuleResult]) -> Counts {
        let mut c = Counts::default();
        for r in rules {
            c.tests += 1;
            match r.status {
                Status::Fail | Status::InsufficientEvidence => c.failures += 1,
                Status::Error => c.errors += 1,
                Status::NotApplicable | Status::Waived => c.skipped += 1,
                Status::Pass => {}
            }
        }
        c
    }

    fn add(self, o: Counts) -> Counts {
        Counts {
            tests: self.tests + o.tests,
            failures: self.failures + o.failures,
            errors: self.errors + o.errors,
            skipped: self.skipped + o.skipped,
        }
    }
}

fn suites(report: &Report) -> Vec<Suite<'_>> {
    let by_id: BTreeMap<&str, &RuleResult> =
        report.rules.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut out: Vec<Suite<'_>> = report
        .clauses
        .iter()
        .map(|c| {
            let mut properties = vec![
                ("clause", c.clause.clone()),
                ("result", c.result.as_str().to_owned()),
            ];
            if let Some(g) = c.grade {
                properties.push(("grade", g.as_str().to_owned()));
                properties.push(("grades_note", GRADES_NOTE.to_owned()));
            }
            properties.push(("urn", c.urn.clone()));
            Suite {
                name: if c.title.is_empty() {
                    c.clause.clone()
                } else {
                    format!("{} {}", c.clause, c.title)
                },
                properties,
                rules: c
                    .rules
                    .keys()
                    .filter_map(|id| by_id.get(id.as_str()).copied())
                    .collect(),
            }
        })
        .collect();
    let loose: Vec<&RuleResult> = report
        .rules
        .iter()
        .filter(|r| r.clause_refs.is_empty())
        .collect();
    if !loose.is_empty() {
        out.push(Suite {
            name: "(no clause)".to_owned(),
            properties: Vec::new(),
            rules: loose,
        });
    }
    out
}

fn write(report: &Report) -> io::Result<String> {
    let suites = suites(report);
    let total = suites
        .iter()
        .map(|s| Counts::of(&s.rules))
        .fold(Counts::default(), Counts::add);
    let org = report.model.organization.as_deref().unwrap_or("AIMS model");
    let packs: Vec<&str> = report.rule_packs.iter().map(|p| p.id.as_str()).collect();
    let timestamp = format!("{}T00:00:00", report.as_of);

    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("testsuites")
        .with_attribute((
            "name",
            attr(&format!(
                "aimscheck {}: {org} as of {}",
                packs.join(", "),
                report.as_of
            ))
            .as_str(),
        ))
        .with_attribute(("tests", total.tests.to_string().as_str()))
        .with_attribute(("failures", total.failures.to_string().as_str()))
        .with_attribute(("errors", total.errors.to_string().as_str()))
        .with_attribute(("skipped", total.skipped.to_string().as_str()))
        .with_attribute(("timestamp", timestamp.as_str()))
        .write_inner_content(|w| {
            for (i, suite) in suites.iter().enumerate() {
                let c = Counts::of(&suite.rules);
                w.create_element("testsuite")
                    .with_attribute(("name", attr(&suite.name).as_str()))
                    .with_attribute(("id", i.to_string().as_str()))
                    .with_attribute(("tests", c.tests.to_string().as_str()))
                    .with_attribute(("failures", c.failures.to_string().as_str()))
                    .with_attribute(("errors", c.errors.to_string().as_str()))
                    .with_attribute(("skipped", c.skipped.to_string().as_str()))
                    .with_attribute(("timestamp", timestamp.as_str()))
                    .write_inner_content(|w| {
                        if !suite.properties.is_empty() {
                            w.create_element("properties").write_inner_content(|w| {
                                for (k, v) in &suite.properties {
                                    w.create_element("property")
                                        .with_attribute(("name", *k))
                                        .with_attribute(("value", attr(v).as_str()))
                                        .write_empty()?;
                                }
                                Ok(())
                            })?;
                        }
                        for r in &suite.rules {
                            testcase(w, &suite.name, r)?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    let mut s = String::from_utf8(w.into_inner())
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    s.push('\n');
    Ok(s)
}

fn testcase(w: &mut Writer<Vec<u8>>, classname: &str, r: &RuleResult) -> io::Result<()> {
    let case = w
        .create_element("testcase")
        .with_attribute(("classname", attr(classname).as_str()))
        .with_attribute(("name", attr(&format!("{} {}", r.id, r.title)).as_str()));
    match r.status {
        Status::Pass => {
            case.write_empty()?;
        }
        Status::Fail | Status::InsufficientEvidence => {
            let kind = match r.status {
                Status::Fail => r.severity.as_str(),
                _ => "insufficient_evidence",
            };
            let message = first_message(r);
            let body = findings_text(r);
            case.write_inner_content(|w| {
                w.create_element("failure")
                    .with_attribute(("message", attr(&message).as_str()))
                    .with_attribute(("type", kind))
                    .write_text_content(text(&body))?;
                Ok(())
            })?;
        }
        Status::Error => {
            let (code, message) = r
                .error
                .as_ref()
                .map(|e| (e.code.as_str(), e.message.as_str()))
                .unwrap_or(("error", "the rule could not be evaluated"));
            case.write_inner_content(|w| {
                w.create_element("error")
                    .with_attribute(("message", attr(message).as_str()))
                    .with_attribute(("type", code))
                    .write_text_content(text(message))?;
                Ok(())
            })?;
        }
        Status::NotApplicable | Status::Waived => {
            let message = skip_reason(r);
            case.write_inner_content(|w| {
                w.create_element("skipped")
                    .with_attribute(("message", attr(&message).as_str()))
                    .write_empty()?;
                Ok(())
            })?;
        }
    }
    Ok(())
}

/// The failure message: the first finding, with how many more there are.
fn first_message(r: &RuleResult) -> String {
    match r.findings.first() {
        Some(f) if r.findings_total > 1 => {
            format!("{} (and {} more findings)", f.message, r.findings_total - 1)
        }
        Some(f) => f.message.clone(),
        None => r
            .reason
            .clone()
            .unwrap_or_else(|| format!("{} {}", r.id, r.status.as_str())),
    }
}

/// One line per finding (`pointer: message`, with expected and found), then the remediation.
fn findings_text(r: &RuleResult) -> String {
    let mut lines: Vec<String> = r.findings.iter().map(finding_line).collect();
    let more = r.findings_total.saturating_sub(r.findings.len());
    if more > 0 {
        lines.push(format!("... and {more} more findings"));
    }
    if r.findings.is_empty()
        && let Some(reason) = &r.reason
    {
        lines.push(reason.clone());
    }
    if !r.waivers.is_empty() {
        for w in &r.waivers {
            lines.push(format!(
                "partly waived by exception {} until {}: {}",
                w.exception_id, w.expires_on, w.justification
            ));
        }
    }
    if !r.remediation.is_empty() {
        lines.push(format!("remediation: {}", r.remediation));
    }
    lines.join("\n")
}

fn finding_line(f: &Finding) -> String {
    let pointer = if f.pointer.is_empty() {
        "(model root)"
    } else {
        f.pointer.as_str()
    };
    let missing = match f.kind {
        FindingKind::MissingEvidence => "missing evidence: ",
        FindingKind::Violation => "",
    };
    let mut s = format!("{missing}{pointer}: {}", f.message);
    if let Some(e) = &f.expected {
        s.push_str(&format!(" (expected {e}"));
        match &f.actual {
            Some(a) => s.push_str(&format!("; found {a})")),
            None => s.push(')'),
        }
    } else if let Some(a) = &f.actual {
        s.push_str(&format!(" (found {a})"));
    }
    s
}

/// Why a rule was skipped: its waivers, or why it does not apply.
fn skip_reason(r: &RuleResult) -> String {
    if r.status == Status::Waived && !r.waivers.is_empty() {
        let parts: Vec<String> = r
            .waivers
            .iter()
            .map(|w| {
                format!(
                    "waived by exception {} (approved by {} until {}): {}",
                    w.exception_id, w.approved_by, w.expires_on, w.justification
                )
            })
            .collect();
        return parts.join("; ");
    }
    r.reason.clone().unwrap_or_else(|| match r.status {
        Status::Waived => "waived".to_owned(),
        _ => "not applicable".to_owned(),
    })
}

/// An attribute value: characters XML 1.0 forbids dropped, line breaks as spaces (a parser
/// would normalise them anyway). `quick-xml` escapes the rest.
fn attr(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if allowed(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Element text: only `&`, `<` and `>` escaped (quotes stay as they are, which readers that
/// drop entity references in text handle better).
fn text(s: &str) -> BytesText<'static> {
    BytesText::from_escaped(partial_escape(body_text(s)).into_owned())
}

/// Element text: characters XML 1.0 forbids dropped.
fn body_text(s: &str) -> String {
    s.chars().filter(|c| allowed(*c)).collect()
}

/// Whether XML 1.0 allows the character.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= '\u{20}' && c != '\u{fffe}' && c != '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_and_text_lose_forbidden_characters() {
        assert_eq!(attr("a\nb\u{1}c"), "a bc");
        assert_eq!(body_text("a\nb\u{1}c\u{7f}"), "a\nbc\u{7f}");
    }
}
