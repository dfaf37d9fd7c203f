//! Exporter: OSCAL 1.1.3 `assessment-results` (NIST), for GRC tools that read OSCAL.
//!
//! One `assessment-results` document with one `results` entry for the evaluation.
//!
//! # Mapping
//!
//! | report | OSCAL |
//! |---|---|
//! | the evaluation | `results[0]`: `start` = `as_of` at `T00:00:00Z`; `props` verdict, tier, profile, model digest, the AIMS's result and grade over every rule (`aims-result`, `aims-grade`); `remarks` says that grades are indicative |
//! | every clause and control of the roll-up | `reviewed-controls`: `include-controls` and `include-objectives` with ids `iso42001-<ref in lower case>` (`iso42001-4.4`, `iso42001-a.6.2.5`) |
//! | each rule | one `observation`: `methods` `["TEST"]`, `types` `control-objective` (and `finding` when it has findings), `props` rule id, status, severity, aspect, pack and clauses; the remediation in `remarks` |
//! | each finding of a rule | one `relevant-evidence` of its observation: `href` = model URI + `#` + the JSON Pointer (RFC 6901 fragment), `description` = the message, expected and actual |
//! | each clause of the roll-up | one `finding`: `target` `{type: "objective-id", target-id: "iso42001-4.4"}`, `related-observations` = the rules that reference the clause, `props` result, grade, CISO Assistant URN (the clause's own roll-up: clause 4.4's finding is not the AIMS's result) |
//! | roll-up result | `target.status`: `compliant` → `satisfied`/`pass`; `not_applicable` → `satisfied`/`other`; `partially_compliant`, `non_compliant` → `not-satisfied`/`fail`; `not_assessed` → `not-satisfied`/`other` (never shown as satisfied). The exact roll-up result is in the `result` prop and in `status.remarks` |
//! | rule packs | `back-matter` resource (id, version, digest) that `import-ap.href` points to as `#<uuid>`: the packs stand in for an assessment plan |
//! | the model | `back-matter` resource with an `rlink` to the model URI and its digest |
//!
//! Properties that OSCAL does not define carry the namespace [`NS`]. The model URI is
//! [`Context::model_uri`](super::Context::model_uri), else `model.json`.
//!
//! **Deterministic.** No clock is read: every timestamp is `as_of` at midnight UTC. Every UUID
//! is a version-5 UUID: a document namespace is derived from [`UUID_NAMESPACE`] and the inputs
//! (model digest, each pack's id, version and digest, as_of, tier, profile and any overlay),
//! and each item's UUID from that namespace and the item's kind and id (`observation:AIMS-PROC-04`,
//! `finding:4.4`). The same inputs give the same document, byte for byte.
//!
//! **No empty arrays.** OSCAL arrays have `minItems: 1`: a list with nothing in it is left out
//! (a rule that passes has no `relevant-evidence`; a report without clauses has no findings).

use super::sarif::{DEFAULT_MODEL_URI, encode_fragment, encode_uri_reference};
use super::{Context, Format, export_error};
use crate::error::Result;
use crate::report::{
    ClauseResult, ClauseRollup, Finding, FindingKind, GRADES_NOTE, Report, RuleResult, Status,
};
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// OSCAL version written.
pub const OSCAL_VERSION: &str = "1.1.3";

/// Namespace of the properties aimscheck defines (a URL that is reserved never to resolve).
pub const NS: &str = "https://aimscheck.invalid/ns/oscal";

/// Fixed namespace from which every UUID of the document is derived (with the inputs).
pub const UUID_NAMESPACE: Uuid = Uuid::from_u128(0x5e0c_4a1f_7b2d_4c8e_9a36_d1f0_b7e2_c463);

/// The OSCAL id of a clause or control: `iso42001-` and the reference in lower case.
///
/// ```
/// assert_eq!(aimscheck::export::oscal::control_id("A.6.2.5"), "iso42001-a.6.2.5");
/// ```
pub fn control_id(clause: &str) -> String {
    format!("iso42001-{}", clause.to_lowercase())
}

/// `satisfied` / `not-satisfied` and the reason (`pass`, `fail`, `other`) for a roll-up result.
pub fn status_of(result: ClauseResult) -> (&'static str, &'static str) {
    match result {
        ClauseResult::Compliant => ("satisfied", "pass"),
        ClauseResult::NotApplicable => ("satisfied", "other"),
        ClauseResult::PartiallyCompliant | ClauseResult::NonCompliant => ("not-satisfied", "fail"),
        ClauseResult::NotAssessed => ("not-satisfied", "other"),
    }
}

/// Renders the report as an OSCAL 1.1.3 assessment-results document (pretty JSON, trailing newline).
///
/// ```
/// use aimscheck::export::{Context, oscal};
/// use aimscheck::{Engine, Model, Options};
/// let model = Model::from_json(r#"{"schema_version": "1.0"}"#)?;
/// let report = Engine::new()?.evaluate(&model, &Options::parse("2026-06-30", None, None)?)?;
/// let doc: serde_json::Value =
///     serde_json::from_str(&oscal::render(&report, &Context::default())?).unwrap();
/// let result = &doc["assessment-results"]["results"][0];
/// assert_eq!(result["start"], "2026-06-30T00:00:00Z");
/// assert_eq!(result["findings"].as_array().map(Vec::len), Some(report.clauses.len()));
/// # Ok::<(), aimscheck::Error>(())
/// ```
pub fn render(report: &Report, ctx: &Context<'_>) -> Result<String> {
    let ids = Ids::new(report)?;
    let at = format!("{}T00:00:00Z", report.as_of);
    let model_uri = encode_uri_reference(ctx.model_uri.unwrap_or(DEFAULT_MODEL_URI));
    let observation_ids: BTreeMap<&str, String> = report
        .rules
        .iter()
        .map(|r| (r.id.as_str(), ids.of("observation", &r.id)))
        .collect();
    let observations: Vec<Observation> = report
        .rules
        .iter()
        .map(|r| observation(r, &ids, &at, &model_uri))
        .collect();
    let findings: Vec<OscalFinding> = report
        .clauses
        .iter()
        .map(|c| finding(c, &ids, &observation_ids))
        .collect();
    let controls: Vec<SelectControl> = report
        .clauses
        .iter()
        .map(|c| SelectControl {
            control_id: control_id(&c.clause),
        })
        .collect();
    let objectives: Vec<SelectObjective> = report
        .clauses
        .iter()
        .map(|c| SelectObjective {
            objective_id: control_id(&c.clause),
        })
        .collect();
    let organization = report
        .model
        .organization
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty());
    let plan_id = ids.of("resource", "rule-packs");
    let model_id = ids.of("resource", "model");
    let doc = Document {
        assessment_results: AssessmentResults {
            uuid: ids.of("document", "assessment-results"),
            metadata: Metadata {
                title: match organization {
                    Some(o) => format!(
                        "ISO/IEC 42001:2023 clause 4.4 assessment results for {o} as of {}",
                        report.as_of
                    ),
                    None => format!(
                        "ISO/IEC 42001:2023 clause 4.4 assessment results as of {}",
                        report.as_of
                    ),
                },
                published: at.clone(),
                last_modified: at.clone(),
                version: report.engine.version.clone(),
                oscal_version: OSCAL_VERSION,
                props: vec![prop("generator", &report.engine.name)],
            },
            import_ap: ImportAp {
                href: format!("#{plan_id}"),
                remarks: "aimscheck evaluates declarative rule packs rather than an OSCAL \
                          assessment plan: the reference is to the back-matter resource that \
                          names the rule packs evaluated."
                    .to_owned(),
            },
            results: vec![OscalResult {
                uuid: ids.of("result", "evaluation"),
                title: format!(
                    "aimscheck evaluation of ISO/IEC 42001:2023 clause 4.4 as of {}",
                    report.as_of
                ),
                description: result_description(report, organization),
                start: at.clone(),
                props: result_props(report),
                reviewed_controls: ReviewedControls {
                    control_selections: vec![ControlSelection {
                        include_controls: controls,
                        remarks: report
                            .clauses
                            .is_empty()
                            .then(|| "no clause or control was evaluated".to_owned()),
                    }],
                    control_objective_selections: if objectives.is_empty() {
                        Vec::new()
                    } else {
                        vec![ObjectiveSelection {
                            include_objectives: objectives,
                        }]
                    },
                },
                observations,
                findings,
                remarks: format!(
                    "Each clause's result and grade come from the rules that cite it. {GRADES_NOTE}"
                ),
            }],
            back_matter: BackMatter {
                resources: vec![
                    Resource {
                        uuid: plan_id,
                        title: "Rule packs evaluated".to_owned(),
                        description: report
                            .rule_packs
                            .iter()
                            .map(|p| format!("{} {} ({})", p.id, p.version, p.digest))
                            .collect::<Vec<_>>()
                            .join("; "),
                        props: report
                            .rule_packs
                            .iter()
                            .flat_map(|p| {
                                [
                                    prop("rule-pack-id", &p.id),
                                    prop("rule-pack-version", &p.version),
                                    prop("rule-pack-digest", &p.digest),
                                ]
                            })
                            .collect(),
                        rlinks: Vec::new(),
                    },
                    Resource {
                        uuid: model_id,
                        title: match organization {
                            Some(o) => format!("AIMS model of {o}"),
                            None => "AIMS model".to_owned(),
                        },
                        description: format!(
                            "The AIMS model evaluated (schema version {}); its digest is the \
                             sha256 of its canonical JSON.",
                            report.model.schema_version
                        ),
                        props: vec![
                            prop("model-digest", &report.model.digest),
                            prop("model-schema-version", &report.model.schema_version),
                        ],
                        rlinks: vec![Rlink {
                            href: model_uri,
                            media_type: "application/json",
                        }],
                    },
                ],
            },
        },
    };
    let mut text = serde_json::to_string_pretty(&doc)
        .map_err(|e| export_error(Format::Oscal, e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// Derives every UUID of the document from the inputs.
struct Ids {
    namespace: Uuid,
}

impl Ids {
    fn new(report: &Report) -> Result<Ids> {
        let mut seed = String::from("aimscheck-oscal/1\n");
        seed.push_str(&format!("model={}\n", report.model.digest));
        for p in &report.rule_packs {
            seed.push_str(&format!("pack={}@{}={}\n", p.id, p.version, p.digest));
        }
        seed.push_str(&format!(
            "as_of={}\ntier={}\nprofile={}\n",
            report.as_of, report.tier, report.profile
        ));
        if let Some(overlay) = &report.overlay {
            let json = serde_json::to_string(overlay)
                .map_err(|e| export_error(Format::Oscal, e.to_string()))?;
            seed.push_str(&format!("overlay={json}\n"));
        }
        Ok(Ids {
            namespace: Uuid::new_v5(&UUID_NAMESPACE, seed.as_bytes()),
        })
    }

    fn of(&self, kind: &str, id: &str) -> String {
        Uuid::new_v5(&self.namespace, format!("{kind}:{id}").as_bytes())
            .hyphenated()
            .to_string()
    }
}

/// A property in the aimscheck namespace; its value on one line, without outer whitespace.
fn prop(name: &'static str, value: &str) -> Prop {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    Prop {
        name,
        ns: NS,
        value: if value.is_empty() {
            "none".to_owned()
        } else {
            value
        },
    }
}

fn result_props(report: &Report) -> Vec<Prop> {
    let mut props = vec![
        prop("verdict", report.verdict.as_str()),
        prop("tier", &report.tier),
        prop("tier-source", &report.tier_source),
        prop("profile", &report.profile),
        prop("model-digest", &report.model.digest),
        prop("aims-result", report.aims.result.as_str()),
    ];
    if let Some(g) = report.aims.grade {
        props.push(prop("aims-grade", g.as_str()));
    }
    props
}

fn result_description(report: &Report, organization: Option<&str>) -> String {
    let s = &report.summary;
    let b = &s.by_status;
    let packs: Vec<String> = report
        .rule_packs
        .iter()
        .map(|p| format!("{} {}", p.id, p.version))
        .collect();
    format!(
        "Evaluation of the AIMS model{} ({}) with the rule pack(s) {} at tier {} (profile {}): \
         verdict {}; the AIMS over every rule {}{}. {} rules: {} pass, {} fail, {} insufficient \
         evidence, {} not applicable, {} waived, {} error; {} finding(s).",
        organization.map(|o| format!(" of {o}")).unwrap_or_default(),
        report.model.digest,
        packs.join(", "),
        report.tier,
        report.profile,
        report.verdict.as_str(),
        report.aims.result.as_str(),
        report
            .aims
            .grade
            .map(|g| format!(" ({})", g.as_str()))
            .unwrap_or_default(),
        s.rules,
        b.pass,
        b.fail,
        b.insufficient_evidence,
        b.not_applicable,
        b.waived,
        b.error,
        s.findings
    )
}

fn observation(r: &RuleResult, ids: &Ids, at: &str, model_uri: &str) -> Observation {
    let mut props = vec![
        prop("rule-id", &r.id),
        prop("status", r.status.as_str()),
        prop("severity", r.severity.as_str()),
        prop("aspect", &r.aspect),
        prop("pack", &r.pack),
    ];
    props.extend(r.clause_refs.iter().map(|c| prop("clause-ref", c)));
    props.push(prop("findings-total", &r.findings_total.to_string()));
    let mut description = format!(
        "Rule {} ({}, severity {}, aspect {}) on ISO/IEC 42001:2023 {}: {} after checking {} node(s)",
        r.id,
        r.title,
        r.severity.as_str(),
        r.aspect,
        r.clause_refs.join(", "),
        r.status.as_str(),
        r.checked
    );
    if r.findings_total > 0 {
        description.push_str(&format!(", {} finding(s)", r.findings_total));
        if r.findings_total > r.findings.len() {
            description.push_str(&format!(" ({} listed)", r.findings.len()));
        }
    }
    description.push('.');
    if let Some(reason) = &r.reason {
        description.push_str(&format!(" {reason}."));
    }
    if let Some(e) = &r.error {
        description.push_str(&format!(" Error {}: {}.", e.code, e.message));
    }
    for w in &r.waivers {
        description.push_str(&format!(
            " Exception {} (approved by {} on {}, expires {}) waived {} finding(s): {}",
            w.exception_id,
            w.approved_by,
            w.approved_on,
            w.expires_on,
            w.findings_waived,
            w.justification
        ));
    }
    let mut types = vec!["control-objective"];
    if !r.findings.is_empty() {
        types.push("finding");
    }
    let remarks = matches!(
        r.status,
        Status::Fail | Status::InsufficientEvidence | Status::Error
    )
    .then(|| format!("Remediation: {}", r.remediation));
    Observation {
        uuid: ids.of("observation", &r.id),
        title: format!("{}: {}", r.id, r.title),
        description,
        props,
        methods: vec!["TEST"],
        types,
        relevant_evidence: r.findings.iter().map(|f| evidence(f, model_uri)).collect(),
        collected: at.to_owned(),
        remarks,
    }
}

fn evidence(f: &Finding, model_uri: &str) -> Evidence {
    let href = if f.pointer.is_empty() {
        model_uri.to_owned()
    } else {
        format!("{model_uri}#{}", encode_fragment(&f.pointer))
    };
    let description = f.describe();
    let mut props = vec![prop(
        "finding-kind",
        match f.kind {
            FindingKind::Violation => "violation",
            FindingKind::MissingEvidence => "missing_evidence",
        },
    )];
    if let Some(id) = f.entity_id.as_deref().filter(|i| !i.trim().is_empty()) {
        props.push(prop("entity-id", id));
    }
    Evidence {
        href,
        description,
        props,
    }
}

fn finding(c: &ClauseRollup, ids: &Ids, observations: &BTreeMap<&str, String>) -> OscalFinding {
    let (state, reason) = status_of(c.result);
    let kind = if c.clause.starts_with("A.") {
        "Control"
    } else {
        "Clause"
    };
    let rules: Vec<String> = c
        .rules
        .iter()
        .map(|(id, s)| format!("{id} {}", s.as_str()))
        .collect();
    let grade = c
        .grade
        .map(|g| format!(" ({})", g.as_str()))
        .unwrap_or_default();
    let mut props = vec![prop("clause", &c.clause), prop("result", c.result.as_str())];
    if let Some(g) = c.grade {
        props.push(prop("grade", g.as_str()));
    }
    props.push(prop("ciso-assistant-urn", &c.urn));
    OscalFinding {
        uuid: ids.of("finding", &c.clause),
        title: format!("{kind} {}: {}", c.clause, c.title),
        description: format!(
            "{kind} {} ({}) is {}{grade} by the rules that reference it: {}.",
            c.clause,
            c.title,
            c.result.as_str(),
            rules.join(", ")
        ),
        props,
        target: Target {
            kind: "objective-id",
            target_id: control_id(&c.clause),
            status: TargetStatus {
                state,
                reason,
                remarks: match c.grade {
                    Some(_) => format!(
                        "roll-up result: {}{grade}. {GRADES_NOTE}",
                        c.result.as_str()
                    ),
                    None => format!("roll-up result: {}", c.result.as_str()),
                },
            },
        },
        related_observations: c
            .rules
            .keys()
            .filter_map(|id| observations.get(id.as_str()))
            .map(|uuid| RelatedObservation {
                observation_uuid: uuid.clone(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct Document {
    #[serde(rename = "assessment-results")]
    assessment_results: AssessmentResults,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct AssessmentResults {
    uuid: String,
    metadata: Metadata,
    import_ap: ImportAp,
    results: Vec<OscalResult>,
    back_matter: BackMatter,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Metadata {
    title: String,
    published: String,
    last_modified: String,
    version: String,
    oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
}

#[derive(Serialize)]
struct Prop {
    name: &'static str,
    ns: &'static str,
    value: String,
}

#[derive(Serialize)]
struct ImportAp {
    href: String,
    remarks: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct OscalResult {
    uuid: String,
    title: String,
    description: String,
    start: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    reviewed_controls: ReviewedControls,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    observations: Vec<Observation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings: Vec<OscalFinding>,
    remarks: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ReviewedControls {
    control_selections: Vec<ControlSelection>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    control_objective_selections: Vec<ObjectiveSelection>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ControlSelection {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    include_controls: Vec<SelectControl>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct SelectControl {
    control_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ObjectiveSelection {
    include_objectives: Vec<SelectObjective>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct SelectObjective {
    objective_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Observation {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    methods: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    types: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relevant_evidence: Vec<Evidence>,
    collected: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
struct Evidence {
    href: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct OscalFinding {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    target: Target,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_observations: Vec<RelatedObservation>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Target {
    #[serde(rename = "type")]
    kind: &'static str,
    target_id: String,
    status: TargetStatus,
}

#[derive(Serialize)]
struct TargetStatus {
    state: &'static str,
    reason: &'static str,
    remarks: String,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedObservation {
    observation_uuid: String,
}

#[derive(Serialize)]
struct BackMatter {
    resources: Vec<Resource>,
}

#[derive(Serialize)]
struct Resource {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rlinks: Vec<Rlink>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Rlink {
    href: String,
    media_type: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_states() {
        assert_eq!(control_id("4.4"), "iso42001-4.4");
        assert_eq!(control_id("A.6.2.5"), "iso42001-a.6.2.5");
        assert_eq!(status_of(ClauseResult::Compliant), ("satisfied", "pass"));
        assert_eq!(
            status_of(ClauseResult::NotAssessed),
            ("not-satisfied", "other")
        );
        assert_eq!(
            status_of(ClauseResult::PartiallyCompliant),
            ("not-satisfied", "fail")
        );
    }

    #[test]
    fn property_values_are_single_line() {
        assert_eq!(prop("x", "  a \n b ").value, "a b");
        assert_eq!(prop("x", " ").value, "none");
    }

    #[test]
    fn uuids_are_version_5() {
        let u = Uuid::new_v5(&UUID_NAMESPACE, b"x");
        assert_eq!(u.get_version_num(), 5);
    }
}
