//! Exporter: SARIF 2.1.0 (OASIS, errata 01), for code-scanning dashboards and SARIF viewers.
//!
//! One log with one run. `tool.driver` is aimscheck with its version (no `informationUri`),
//! and `tool.driver.rules` lists **every** rule of the report — also those that pass or do not
//! apply — in report order (by rule id), so `ruleIndex` is stable for a given set of packs.
//!
//! # Mapping
//!
//! | report | SARIF |
//! |---|---|
//! | rule `id`, `title` | `reportingDescriptor.id`, `name` (the title in CamelCase), `shortDescription` |
//! | title, clauses, aspect, tiers, rationale (for rules of the embedded pack) | `fullDescription` |
//! | `remediation` | `help.text` |
//! | `clause_refs`, `severity`, `aspect`, `tiers`, `pack` | `properties` (same names), plus `tags` and `security-severity` |
//! | severity critical / high / medium / low | `security-severity` `"9.0"` / `"7.0"` / `"5.0"` / `"3.0"`; `defaultConfiguration.level` as for a violation |
//! | finding of kind `violation` | result `kind: "fail"`, `level` `error` (critical, high), `warning` (medium), `note` (low) |
//! | finding of kind `missing_evidence` | result `kind: "review"`, `level: "note"` |
//! | finding `message` (+ `expected`, `actual`) | `message.text`; `expected`, `actual`, `entity_id` also in `properties` |
//! | finding `pointer` | `logicalLocations[0]` (`fullyQualifiedName` = the JSON Pointer, `kind: "member"`) |
//! | model file | `physicalLocation.artifactLocation.uri` = [`Context::model_uri`] or `model.json` |
//! | line and column of the pointed node | `physicalLocation.region.startLine` / `startColumn` |
//! | rule in status `error` | `invocations[0].toolExecutionNotifications` (level `error`) |
//! | `as_of`, `tier`, `profile`, `verdict`, the AIMS's result and grade (`aims_result`, `aims_grade`, with `grades_note`: grades are indicative), model digest, packs, waivers | run `properties` |
//!
//! The region is known when the model was loaded from text ([`Model::from_json`](crate::Model::from_json)).
//! A pointer that names an absent member (a missing date, say) has no node of its own: the
//! region is then that of its nearest ancestor present in the text (the object the member is
//! missing from); the logical location keeps the exact pointer. Columns count Unicode code
//! points (`run.columnKind` is `unicodeCodePoints`).
//!
//! **Waivers.** Findings waived by an exception of the model are not results: the report
//! drops them when it applies the exception (only their number and the justification remain),
//! so there is nothing to locate. Each waiver is listed in run `properties.waivers` with the
//! rule, the exception, how many findings it waived, who approved it and until when.
//!
//! Results are ordered by rule id, then in the report's (model) order of findings; every
//! object is serialised with a fixed field order, so the same inputs give byte-identical output.

use super::{Context, Format, export_error};
use crate::error::Result;
use crate::locate::Positions;
use crate::report::{Finding, FindingKind, GRADES_NOTE, Report, RuleResult, Severity, Status};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// `$schema` of the log: the OASIS SARIF 2.1.0 errata 01 schema.
pub const SARIF_SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// SARIF version written.
pub const SARIF_VERSION: &str = "2.1.0";

/// How the model file is named when [`Context::model_uri`] is not given.
pub const DEFAULT_MODEL_URI: &str = "model.json";

/// Renders the report as a SARIF 2.1.0 log (pretty JSON, trailing newline).
///
/// ```
/// use aimscheck::export::{Context, sarif};
/// use aimscheck::{Engine, Model, Options};
/// let model = Model::from_json(r#"{"schema_version": "1.0"}"#)?;
/// let report = Engine::new()?.evaluate(&model, &Options::parse("2026-06-30", None, None)?)?;
/// let ctx = Context { model: Some(&model), model_uri: Some("aims.json") };
/// let log: serde_json::Value = serde_json::from_str(&sarif::render(&report, &ctx)?).unwrap();
/// assert_eq!(log["version"], "2.1.0");
/// assert_eq!(log["runs"][0]["tool"]["driver"]["rules"].as_array().map(Vec::len), Some(report.rules.len()));
/// # Ok::<(), aimscheck::Error>(())
/// ```
pub fn render(report: &Report, ctx: &Context<'_>) -> Result<String> {
    let uri = encode_uri_reference(ctx.model_uri.unwrap_or(DEFAULT_MODEL_URI));
    let rules: Vec<Descriptor<'_>> = report.rules.iter().map(|r| descriptor(report, r)).collect();
    let positions = positions(
        ctx,
        report
            .rules
            .iter()
            .flat_map(|r| r.findings.iter().map(|f| f.pointer.as_str())),
    );
    let mut results = Vec::new();
    for (index, rule) in report.rules.iter().enumerate() {
        for finding in &rule.findings {
            results.push(result(rule, index, finding, &uri, &positions));
        }
    }
    let notifications: Vec<Notification<'_>> = report
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.status == Status::Error)
        .map(|(index, r)| Notification {
            level: "error",
            message: Text::new(match &r.error {
                Some(e) => format!("rule {} could not be evaluated: {}", r.id, e.message),
                None => format!("rule {} could not be evaluated", r.id),
            }),
            associated_rule: RuleRef { id: &r.id, index },
        })
        .collect();
    let log = Log {
        schema: SARIF_SCHEMA_URI,
        version: SARIF_VERSION,
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: &report.engine.name,
                    full_name: format!("{} {}", report.engine.name, report.engine.version),
                    version: &report.engine.version,
                    semantic_version: &report.engine.version,
                    rules,
                },
            },
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results,
            properties: run_properties(report),
        }],
    };
    let mut text = serde_json::to_string_pretty(&log)
        .map_err(|e| export_error(Format::Sarif, e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// The SARIF `level` of a finding: violations by severity (critical and high are `error`,
/// medium `warning`, low `note`); missing evidence is always `note`.
pub fn level(kind: FindingKind, severity: Severity) -> &'static str {
    match (kind, severity) {
        (FindingKind::MissingEvidence, _) => "note",
        (FindingKind::Violation, Severity::Critical | Severity::High) => "error",
        (FindingKind::Violation, Severity::Medium) => "warning",
        (FindingKind::Violation, Severity::Low) => "note",
    }
}

/// The `security-severity` score of a severity (GitHub code scanning reads it as a CVSS-like
/// number in a string): critical 9.0, high 7.0, medium 5.0, low 3.0.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.0",
        Severity::High => "7.0",
        Severity::Medium => "5.0",
        Severity::Low => "3.0",
    }
}

/// A rule title in CamelCase, for `reportingDescriptor.name` ("Process owners are assigned"
/// gives `ProcessOwnersAreAssigned`). Falls back to the id without its punctuation.
pub fn camel_case(title: &str, id: &str) -> String {
    let words = |s: &str| -> String {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut chars = w.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_uppercase().chain(chars).collect::<String>()
                })
            })
            .collect()
    };
    let name = words(title);
    if name.is_empty() { words(id) } else { name }
}

/// `text` as a URI reference: characters that may not appear in one are percent-encoded (as
/// UTF-8), backslashes become slashes, and `%` followed by two hex digits is kept as an escape.
pub(crate) fn encode_uri_reference(text: &str) -> String {
    encode(text, URI_REFERENCE)
}

/// A JSON Pointer as a URI fragment (RFC 6901, section 6): characters not allowed in a
/// fragment are percent-encoded.
pub(crate) fn encode_fragment(pointer: &str) -> String {
    encode(pointer, FRAGMENT)
}

/// What a fragment percent-encodes: everything but its unreserved and sub-delimiter characters,
/// `:`, `@`, `/` and `?` (RFC 3986, section 3.5).
const FRAGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@')
    .remove(b'/')
    .remove(b'?');

/// What a URI reference percent-encodes: as a fragment, and `#` is kept too (it starts one).
const URI_REFERENCE: &AsciiSet = &FRAGMENT.remove(b'#');

/// Percent-encodes `text` with `set` (`percent-encoding`), after turning backslashes into
/// slashes; a `%` that starts an escape (two hex digits follow) is kept as it is.
fn encode(text: &str, set: &'static AsciiSet) -> String {
    let text = text.replace('\\', "/");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find('%') {
        let (before, from) = rest.split_at(at);
        out.extend(utf8_percent_encode(before, set));
        let escape = from
            .get(1..3)
            .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
        out.push_str(if escape { "%" } else { "%25" });
        rest = from.get(1..).unwrap_or_default();
    }
    out.extend(utf8_percent_encode(rest, set));
    out
}

/// Positions of `pointers` (and their ancestors) in the text the model came from; none when it
/// came as a value.
fn positions<'p>(ctx: &Context<'_>, pointers: impl IntoIterator<Item = &'p str>) -> Positions {
    match ctx.model.and_then(|m| m.source()) {
        Some(text) => Positions::in_text(text, pointers),
        None => Positions::default(),
    }
}

fn descriptor<'a>(report: &Report, r: &'a RuleResult) -> Descriptor<'a> {
    let mut tags = vec!["iso42001".to_owned(), r.aspect.clone()];
    for c in &r.clause_refs {
        let tag = format!("iso42001-{}", c.to_lowercase());
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags.retain(|t| !t.is_empty());
    let enabled = report
        .overlay
        .as_ref()
        .is_none_or(|o| !o.disable.contains(&r.id));
    Descriptor {
        id: &r.id,
        name: camel_case(&r.title, &r.id),
        short_description: Text::new(r.title.clone()),
        full_description: Text::new(full_description(report, r)),
        default_configuration: Configuration {
            enabled,
            level: level(FindingKind::Violation, r.severity),
        },
        help: Text::new(format!("Remediation: {}", r.remediation)),
        properties: RuleProperties {
            tags,
            security_severity: security_severity(r.severity),
            severity: r.severity.as_str(),
            clause_refs: &r.clause_refs,
            aspect: &r.aspect,
            tiers: &r.tiers,
            pack: &r.pack,
        },
    }
}

fn full_description(report: &Report, r: &RuleResult) -> String {
    let clauses: Vec<String> = r
        .clause_refs
        .iter()
        .map(|c| match crate::catalogue::title(c) {
            Some(t) => format!("{c} ({t})"),
            None => c.clone(),
        })
        .collect();
    let mut text = format!(
        "{}. ISO/IEC 42001:2023 {}; aspect: {}; severity: {}; applies to tiers: {}.",
        r.title.trim_end_matches('.'),
        clauses.join(", "),
        r.aspect,
        r.severity.as_str(),
        r.tiers.join(", ")
    );
    if let Some(why) = embedded_rationale(report, r) {
        text.push_str(" Why: ");
        text.push_str(why);
    }
    text
}

/// The rationale of a rule of the embedded default pack, when the report used that very pack
/// (same id and digest).
fn embedded_rationale<'a>(report: &Report, r: &RuleResult) -> Option<&'a str> {
    type Rationales = Option<(String, String, BTreeMap<String, String>)>;
    static EMBEDDED: OnceLock<Rationales> = OnceLock::new();
    let (id, digest, map) = EMBEDDED
        .get_or_init(|| {
            let pack = crate::RulePack::embedded().ok()?;
            let map = pack
                .rules()
                .map(|m| (m.id.clone(), m.rationale.clone()))
                .collect();
            Some((pack.id().to_owned(), pack.digest().to_owned(), map))
        })
        .as_ref()?;
    let same_pack = r.pack == *id
        && report
            .rule_packs
            .iter()
            .any(|p| p.id == *id && p.digest == *digest);
    if !same_pack {
        return None;
    }
    map.get(&r.id)
        .map(String::as_str)
        .filter(|s| !s.trim().is_empty())
}

fn result<'a>(
    rule: &'a RuleResult,
    index: usize,
    f: &'a Finding,
    uri: &str,
    positions: &Positions,
) -> SarifResult<'a> {
    let (kind, finding_kind) = match f.kind {
        FindingKind::Violation => ("fail", "violation"),
        FindingKind::MissingEvidence => ("review", "missing_evidence"),
    };
    let text = f.describe();
    let region = positions.find(&f.pointer).map(|(line, column)| Region {
        start_line: line,
        start_column: column,
    });
    let name = f
        .pointer
        .rsplit('/')
        .next()
        .filter(|_| !f.pointer.is_empty())
        .map(crate::locate::unescape);
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert("aimscheckFinding/v1", format!("{}:{}", rule.id, f.pointer));
    SarifResult {
        rule_id: &rule.id,
        rule_index: index,
        kind,
        level: level(f.kind, rule.severity),
        message: Text::new(text),
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri.to_owned(),
                },
                region,
            },
            logical_locations: vec![LogicalLocation {
                name,
                fully_qualified_name: &f.pointer,
                kind: "member",
            }],
        }],
        partial_fingerprints: fingerprints,
        properties: ResultProperties {
            finding_kind,
            entity_id: f.entity_id.as_deref(),
            expected: f.expected.as_deref(),
            actual: f.actual.as_ref(),
            clause_refs: &rule.clause_refs,
        },
    }
}

fn run_properties(report: &Report) -> RunProperties<'_> {
    let mut waivers = Vec::new();
    for r in &report.rules {
        for w in &r.waivers {
            waivers.push(WaiverProperty {
                rule_id: &r.id,
                exception_id: &w.exception_id,
                findings_waived: w.findings_waived,
                target: w.target.as_deref(),
                justification: &w.justification,
                approved_by: &w.approved_by,
                approved_on: &w.approved_on,
                expires_on: &w.expires_on,
            });
        }
    }
    let omitted: usize = report
        .rules
        .iter()
        .map(|r| r.findings_total.saturating_sub(r.findings.len()))
        .sum();
    RunProperties {
        as_of: &report.as_of,
        tier: &report.tier,
        profile: &report.profile,
        verdict: report.verdict.as_str(),
        aims_result: report.aims.result.as_str(),
        aims_grade: report.aims.grade.map(|g| g.as_str()),
        grades_note: GRADES_NOTE,
        model_digest: &report.model.digest,
        organization: report.model.organization.as_deref(),
        rule_packs: report
            .rule_packs
            .iter()
            .map(|p| PackProperty {
                id: &p.id,
                version: &p.version,
                digest: &p.digest,
            })
            .collect(),
        rule_status: report
            .rules
            .iter()
            .map(|r| (r.id.as_str(), r.status.as_str()))
            .collect(),
        findings_omitted: omitted,
        waivers,
    }
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: Vec<Invocation<'a>>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    full_name: String,
    version: &'a str,
    semantic_version: &'a str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    default_configuration: Configuration,
    help: Text,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Configuration {
    enabled: bool,
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    tags: Vec<String>,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    severity: &'static str,
    clause_refs: &'a [String],
    aspect: &'a str,
    tiers: &'a [String],
    pack: &'a str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

impl Text {
    fn new(text: String) -> Text {
        Text { text }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification<'a> {
    level: &'static str,
    message: Text,
    associated_rule: RuleRef<'a>,
}

#[derive(Serialize)]
struct RuleRef<'a> {
    id: &'a str,
    index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    kind: &'static str,
    level: &'static str,
    message: Text,
    locations: Vec<Location<'a>>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation,
    logical_locations: Vec<LogicalLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    finding_kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actual: Option<&'a Value>,
    clause_refs: &'a [String],
}

#[derive(Serialize)]
struct RunProperties<'a> {
    as_of: &'a str,
    tier: &'a str,
    profile: &'a str,
    verdict: &'static str,
    aims_result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    aims_grade: Option<&'static str>,
    grades_note: &'static str,
    model_digest: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<&'a str>,
    rule_packs: Vec<PackProperty<'a>>,
    rule_status: BTreeMap<&'a str, &'static str>,
    findings_omitted: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    waivers: Vec<WaiverProperty<'a>>,
}

#[derive(Serialize)]
struct PackProperty<'a> {
    id: &'a str,
    version: &'a str,
    digest: &'a str,
}

#[derive(Serialize)]
struct WaiverProperty<'a> {
    rule_id: &'a str,
    exception_id: &'a str,
    findings_waived: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    justification: &'a str,
    approved_by: &'a str,
    approved_on: &'a str,
    expires_on: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_scores() {
        assert_eq!(level(FindingKind::Violation, Severity::Critical), "error");
        assert_eq!(level(FindingKind::Violation, Severity::High), "error");
        assert_eq!(level(FindingKind::Violation, Severity::Medium), "warning");
        assert_eq!(level(FindingKind::Violation, Severity::Low), "note");
        assert_eq!(
            level(FindingKind::MissingEvidence, Severity::Critical),
            "note"
        );
        assert_eq!(security_severity(Severity::High), "7.0");
    }

    #[test]
    fn names_and_uris() {
        assert_eq!(
            camel_case("Process owners are assigned", "X"),
            "ProcessOwnersAreAssigned"
        );
        assert_eq!(
            camel_case("Inputs/outputs match (A.6.2.5)", "X"),
            "InputsOutputsMatchA625"
        );
        assert_eq!(camel_case("", "AIMS-PROC-01"), "AIMSPROC01");
        assert_eq!(
            encode_uri_reference("examples/a b.json"),
            "examples/a%20b.json"
        );
        assert_eq!(encode_uri_reference(r"C:\x\m%20.json"), "C:/x/m%20.json");
        assert_eq!(encode_uri_reference("100%.json"), "100%25.json");
        assert_eq!(encode_fragment("/a b/é#"), "/a%20b/%C3%A9%23");
        // A `%` starts an escape only before two hex digits.
        assert_eq!(encode_uri_reference("a%4"), "a%254");
        assert_eq!(encode_uri_reference("%e9%"), "%e9%25");
        assert_eq!(encode_uri_reference("%é1#x"), "%25%C3%A91#x");
        assert_eq!(encode_fragment("/~1a%2F"), "/~1a%2F");
    }
}
