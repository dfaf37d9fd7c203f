//! An adversarial-cost corpus: for every rule and indicator of the default pack, a valid model
//! shaped to make that rule do as much work per byte of input as its check allows.
//!
//! aimscheck evaluates untrusted models, so the cost of an evaluation must stay bounded per
//! byte of input. Each model starts from a small generated model ([`crate::generate`]) and
//! inflates the collections one rule loops over, in the proportions that make the loops
//! multiply: many management systems × processes × shared process ids (AIMS-PROC-09), audits
//! × scope ids, one role × thousands of assignees, long document histories, metrics measured
//! every day since 1990, process graphs with a fan-in hub and a long chain, exceptions ×
//! failing findings, nonconformities × corrective actions, documents × references.
//!
//! Rules that loop over the same collections share a [`Family`]; [`SHAPES`] maps every rule
//! and indicator id of the pack to its family (a test checks that no id is left out), and
//! [`EXTRAS`] adds named models of fixed size. [`scaled`] sizes a family to a byte target.
//! Everything is deterministic: the same family, target and seed give the same text.

use serde_json::{Value, json};

/// A family of shapes: which collections are inflated, and how they refer to one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// The generated model itself at `k` processes (hand-off chains, runs, documents).
    Processes,
    /// `k` management systems, each sharing `0.36 k` of `2.5 k` active processes, none of
    /// which declares an interface to them: every system × every process × the shared list.
    MgmtSystems,
    /// `k` active processes and `k / 4` internal audits, each with every process in its
    /// scope; half completed after the evaluation date, half without a completion date, so
    /// that no process counts as audited and every audit is looked through for every one.
    Audits,
    /// One role with `k` assignees (and `k` people) that owns `k / 4` processes and
    /// `k / 16` AI systems, is top management and attends the management review.
    Roles,
    /// Eight documents with `k / 8` history entries each, the policies on them, and `k / 8`
    /// people acknowledging each version.
    History,
    /// `k` metrics measured daily since 1990 (10,000 cadence periods each), `k` objectives on
    /// them, and `k / 4` processes run daily but never recorded.
    Cadence,
    /// `k` processes in one long hand-off chain whose every link also feeds a hub; the hub's
    /// `k` inputs are looked through for every output, and no chain reaches its target clause.
    Graph,
    /// `k` processes owned by an undefined role and `k` exceptions for AIMS-PROC-03 and
    /// AIMS-PROC-02, each waiving one process: every finding against every exception.
    Exceptions,
    /// `k` nonconformities and `k` corrective actions listing one another, `k / 20` AI systems
    /// and `k / 20` management reviews that look through them.
    NcCa,
    /// `k` documents and `k` processes, audits, reviews and measurements referring to them.
    DocRefs,
    /// `k` AI systems with long stage-transition and change lists, `k / 4` risk and impact
    /// assessments, suppliers and data resources each listing many systems.
    AiSystems,
    /// `k` statement-of-applicability entries and `k / 2` risks each naming 24 controls;
    /// `k / 2` process runs each with ten records.
    Soa,
    /// `k` context issues and `k / 10` interested parties with 20 requirements each.
    Context,
    /// `k / 8` management reviews with 40 attendees, 40 actions and 10 decisions each, and
    /// `k` improvements decided in them.
    Reviews,
    /// `k` risk criteria.
    RiskCriteria,
    /// `k` policies with all commitments, each relating to 10 others.
    Policies,
    /// `k` context issues, then (last in the text, as members are written in name order)
    /// 1,000 suppliers each with a member the schema does not define: a warning per supplier
    /// that loading places by line and column in the text.
    UnknownMembers,
}

impl Family {
    /// Every family, in order.
    pub const ALL: [Family; 17] = [
        Family::Processes,
        Family::MgmtSystems,
        Family::Audits,
        Family::Roles,
        Family::History,
        Family::Cadence,
        Family::Graph,
        Family::Exceptions,
        Family::NcCa,
        Family::DocRefs,
        Family::AiSystems,
        Family::Soa,
        Family::Context,
        Family::Reviews,
        Family::RiskCriteria,
        Family::Policies,
        Family::UnknownMembers,
    ];

    /// The family's name, as in file names and tables.
    pub fn name(self) -> &'static str {
        match self {
            Family::Processes => "processes",
            Family::MgmtSystems => "mgmt-systems",
            Family::Audits => "audits",
            Family::Roles => "roles",
            Family::History => "history",
            Family::Cadence => "cadence",
            Family::Graph => "graph",
            Family::Exceptions => "exceptions",
            Family::NcCa => "nc-ca",
            Family::DocRefs => "doc-refs",
            Family::AiSystems => "ai-systems",
            Family::Soa => "soa",
            Family::Context => "context",
            Family::Reviews => "reviews",
            Family::RiskCriteria => "risk-criteria",
            Family::Policies => "policies",
            Family::UnknownMembers => "unknown-members",
        }
    }
}

/// Every rule and indicator id of the default pack, and the family of its hostile model.
pub const SHAPES: &[(&str, Family)] = &[
    ("AIMS-PROC-01", Family::Processes),
    ("AIMS-PROC-02", Family::Roles),
    ("AIMS-PROC-03", Family::Exceptions),
    ("AIMS-PROC-04", Family::Audits),
    ("AIMS-PROC-05", Family::Graph),
    ("AIMS-PROC-06", Family::Graph),
    ("AIMS-PROC-07", Family::Processes),
    ("AIMS-PROC-08", Family::Processes),
    ("AIMS-PROC-09", Family::MgmtSystems),
    ("AIMS-PROC-10", Family::Processes),
    ("AIMS-CTX-01", Family::Context),
    ("AIMS-CTX-02", Family::Context),
    ("AIMS-CTX-03", Family::AiSystems),
    ("AIMS-LEAD-01", Family::Policies),
    ("AIMS-LEAD-02", Family::Roles),
    ("AIMS-RISK-01", Family::RiskCriteria),
    ("AIMS-RISK-02", Family::AiSystems),
    ("AIMS-RISK-03", Family::AiSystems),
    ("AIMS-RISK-04", Family::AiSystems),
    ("AIMS-RISK-05", Family::AiSystems),
    ("AIMS-RISK-06", Family::Soa),
    ("AIMS-RISK-07", Family::Soa),
    ("AIMS-RISK-08", Family::AiSystems),
    ("AIMS-RISK-09", Family::Soa),
    ("AIMS-RISK-10", Family::Roles),
    ("AIMS-OBJ-01", Family::Cadence),
    ("AIMS-OBJ-02", Family::Cadence),
    ("AIMS-DOC-01", Family::DocRefs),
    ("AIMS-DOC-02", Family::DocRefs),
    ("AIMS-DOC-03", Family::History),
    ("AIMS-DOC-04", Family::History),
    ("AIMS-SUP-01", Family::History),
    ("AIMS-SUP-02", Family::Roles),
    ("AIMS-SUP-03", Family::AiSystems),
    ("AIMS-OPS-01", Family::Cadence),
    ("AIMS-OPS-02", Family::Soa),
    ("AIMS-MON-01", Family::Cadence),
    ("AIMS-MON-02", Family::Cadence),
    ("AIMS-AUD-01", Family::Audits),
    ("AIMS-AUD-02", Family::Audits),
    ("AIMS-AUD-03", Family::Audits),
    ("AIMS-AUD-04", Family::Audits),
    ("AIMS-MR-01", Family::Reviews),
    ("AIMS-MR-02", Family::Reviews),
    ("AIMS-MR-03", Family::NcCa),
    ("AIMS-NC-01", Family::NcCa),
    ("AIMS-NC-02", Family::NcCa),
    ("AIMS-NC-03", Family::NcCa),
    ("AIMS-NC-04", Family::NcCa),
    ("AIMS-CI-01", Family::Reviews),
    ("AIMS-CI-02", Family::NcCa),
    ("AIMS-LC-01", Family::AiSystems),
    ("AIMS-DATA-01", Family::AiSystems),
    ("risk_assessments_per_ai_system", Family::AiSystems),
    ("impact_assessments_per_ai_system", Family::AiSystems),
    ("nonconformities_by_source", Family::NcCa),
    ("nonconformities_by_grade", Family::NcCa),
    ("corrective_action_resolution_rate", Family::NcCa),
    ("corrective_action_on_time_rate", Family::NcCa),
    ("median_days_to_close_nonconformity", Family::NcCa),
    ("processes_run_within_cadence", Family::Cadence),
    ("days_since_internal_audit", Family::Audits),
    ("days_since_management_review", Family::Reviews),
    ("lifecycle_records_complete_rate", Family::AiSystems),
    ("suppliers_assessed_on_time_rate", Family::AiSystems),
];

/// Named models beside the one per id: `(name, family, k)`, at scale `k`, or sized to the
/// corpus's byte target when `k` is `None`.
///
/// `proc09-issue` is the case reported against AIMS-PROC-09: 2,000 management systems each
/// sharing 715 of 5,000 processes (about 15 MB). `unknown-members` costs the loader, not a
/// rule: the warnings about members the schema does not define.
pub const EXTRAS: &[(&str, Family, Option<usize>)] = &[
    ("proc09-issue", Family::MgmtSystems, Some(2000)),
    ("unknown-members", Family::UnknownMembers, None),
];

/// The family of rule or indicator `id`, if [`SHAPES`] has it.
pub fn family_of(id: &str) -> Option<Family> {
    SHAPES.iter().find(|(i, _)| *i == id).map(|(_, f)| *f)
}

/// How many processes of the generated model the base keeps.
const BASE_PROCESSES: usize = 4;

/// The base every family inflates: a generated model, tier enterprise, cut down to its first
/// few processes (with their runs and procedures) so that it is small beside what is added.
fn base(seed: u64) -> Value {
    let mut m = crate::generate(16, seed);
    let kept: Vec<String> = (0..BASE_PROCESSES).map(|i| format!("proc-{i}")).collect();
    let keep = |v: &Value, field: &str| {
        v[field]
            .as_str()
            .is_some_and(|id| kept.iter().any(|k| k == id))
    };
    if let Some(a) = m.pointer_mut("/processes").and_then(Value::as_array_mut) {
        a.retain(|p| keep(p, "id"));
    }
    if let Some(a) = m.pointer_mut("/process_runs").and_then(Value::as_array_mut) {
        a.retain(|r| keep(r, "process_id"));
    }
    let procedures: Vec<String> = (BASE_PROCESSES..16).map(|i| format!("doc-{i}")).collect();
    if let Some(a) = m.pointer_mut("/documents").and_then(Value::as_array_mut) {
        a.retain(|d| {
            !d["id"]
                .as_str()
                .is_some_and(|id| procedures.iter().any(|p| p == id))
        });
    }
    if let Some(audit) = m.pointer_mut("/audits/0") {
        set(audit, "scope_process_ids", json!(kept));
    }
    m
}

/// Sets member `key` of object `v` (nothing when `v` is not an object).
fn set(v: &mut Value, key: &str, value: Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_owned(), value);
    }
}

/// Appends `items` to the array at `key` of `model` (creating it).
fn push_all(model: &mut Value, key: &str, items: impl IntoIterator<Item = Value>) {
    if let Some(obj) = model.as_object_mut() {
        let slot = obj.entry(key).or_insert_with(|| json!([]));
        if let Some(a) = slot.as_array_mut() {
            a.extend(items);
        }
    }
}

/// A day of year 2026 from a counter: cycles through the first 28 days of every month.
fn day(i: usize) -> String {
    format!("2026-{:02}-{:02}", 1 + (i / 28) % 5, 1 + i % 28)
}

/// An active process of `clause_refs`, owned by `owner`, with no hand-offs.
fn process(id: &str, clause_refs: Value, owner: &str) -> Value {
    json!({"id": id, "name": format!("Process {id}"), "purpose": "Runs a part of the AIMS",
        "clause_refs": clause_refs, "status": "active", "owner_role_id": owner,
        "procedure_document_id": "doc-ops",
        "external_interfaces": [{"system": "Ticketing", "kind": "change_management"}],
        "inputs": [{"artifact": "requests", "from_external": "customers"}],
        "outputs": [{"artifact": "records", "to_external": "regulator"}],
        "cadence": {"every": 1, "unit": "quarter"}})
}

/// The management-system shape at scale `k`: how many management systems, processes, and
/// shared process ids per system (2,000, 5,000 and 715 at `k` = 2,000, the reported case).
pub fn mgmt_dims(k: usize) -> (usize, usize, usize) {
    let n_proc = k * 5 / 2;
    (k, n_proc, (k * 715 / 2000).clamp(1, n_proc.max(1)))
}

/// The model of `family` at scale `k` (at least 1), deterministic for `seed`.
pub fn build(family: Family, k: usize, seed: u64) -> Value {
    let k = k.max(1);
    if family == Family::Processes {
        return crate::generate(k.max(16), seed);
    }
    let mut m = base(seed);
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x5eed);
    match family {
        Family::Processes => {}
        Family::MgmtSystems => {
            let (_, n_proc, shared) = mgmt_dims(k);
            push_all(
                &mut m,
                "processes",
                (0..n_proc).map(|i| process(&format!("pm{i}"), json!(["9.2", "10.2"]), "r-0")),
            );
            let systems: Vec<Value> = (0..k)
                .map(|s| {
                    let start = rng.usize(0..n_proc.max(1));
                    let ids: Vec<String> = (0..shared)
                        .map(|j| format!("pm{}", (start + j * 7) % n_proc.max(1)))
                        .collect();
                    json!({"standard": format!("ISO/IEC 27001 site {s}"), "certified": true,
                        "shared_process_ids": ids})
                })
                .collect();
            if let Some(org) = m.get_mut("organization") {
                set(org, "management_systems", Value::Array(systems));
            }
        }
        Family::Audits => {
            let n_proc = k;
            let ids: Vec<String> = (0..n_proc).map(|i| format!("proc-a{i}")).collect();
            push_all(
                &mut m,
                "processes",
                ids.iter()
                    .map(|id| process(id, json!(["9.2.1", "8.1"]), "r-1")),
            );
            let findings: Vec<String> = (0..(k / 8).max(1))
                .map(|i| format!("nc-{}", i % 2))
                .collect();
            push_all(
                &mut m,
                "audits",
                (0..(k / 4).max(1)).map(|a| {
                    let mut audit = json!({"id": format!("aud-h{a}"), "type": "internal",
                        "scope_process_ids": ids, "clause_refs": ["9.2", "8.1", "A.6.2.4"],
                        "criteria": "ISO/IEC 42001:2023", "auditor_ids": ["p-0", "p-1"],
                        "planned_on": "2026-03-01", "status": "completed",
                        "reported_to_role_ids": ["r-board"], "finding_ids": findings,
                        "report_document_id": "doc-audit-report"});
                    if a % 2 == 0 {
                        set(&mut audit, "completed_on", json!("2026-09-01"));
                    }
                    audit
                }),
            );
        }
        Family::Roles => {
            let assignees: Vec<Value> = (0..k)
                .map(
                    |i| json!({"person_id": format!("p-r{i}"), "from": "2020-01-01", "to": day(i)}),
                )
                .collect();
            push_all(
                &mut m,
                "roles",
                [
                    json!({"id": "r-hub", "name": "Shared owner", "required_competence": ["ISO/IEC 42001 awareness"],
                    "aims_duties": ["top_management", "process_owner", "ensure_conformance", "report_performance", "internal_auditor"],
                    "assignees": assignees}),
                ],
            );
            push_all(
                &mut m,
                "people",
                (0..k).map(|i| json!({"id": format!("p-r{i}"), "name": format!("Person r{i}"),
                    "competence_evidence_ids": ["ev-training"],
                    "policy_acknowledgements": [{"document_id": "doc-policy", "version": "2.0", "on": "2026-01-15"}]})),
            );
            push_all(
                &mut m,
                "processes",
                (0..(k / 4).max(1))
                    .map(|i| process(&format!("proc-r{i}"), json!(["8.1"]), "r-hub")),
            );
            push_all(
                &mut m,
                "ai_systems",
                (0..(k / 16).max(1)).map(|s| json!({"id": format!("sys-r{s}"), "name": format!("AI system r{s}"),
                    "owner_role_id": "r-hub", "in_scope": true, "lifecycle_stage": "operation",
                    "intended_use": "Ranks tickets",
                    "stage_transitions": [{"from": "verification", "to": "deployment", "on": "2026-03-10",
                        "approved_by": "r-hub", "risk_assessment_id": "ra-0", "impact_assessment_id": "ia-0"}]})),
            );
            if let Some(top) = m
                .pointer_mut("/aims/top_management_role_ids")
                .and_then(Value::as_array_mut)
            {
                top.push(json!("r-hub"));
            }
            if let Some(mr) = m.pointer_mut("/management_reviews/0") {
                mr["attendee_ids"] = json!(
                    (0..(k / 4).max(1))
                        .map(|i| format!("p-r{i}"))
                        .collect::<Vec<_>>()
                );
            }
        }
        Family::History => {
            let n_hist = (k / 8).max(1);
            let history: Vec<Value> = (0..n_hist)
                .map(|h| json!({"version": format!("{}.{}", 1 + h / 100, h % 100), "on": format!("{:04}-{:02}-{:02}", 2000 + (h / 336) % 26, 1 + (h / 28) % 12, 1 + h % 28),
                    "approved_by": "r-board"}))
                .collect();
            push_all(
                &mut m,
                "documents",
                (0..8).map(|d| json!({"id": format!("doc-h{d}"), "title": format!("Policy {d}"),
                    "type": "policy", "clause_refs": ["5.2"], "version": "9.99", "status": "approved",
                    "owner_role_id": "r-0", "approved_by": "r-board", "approved_on": "2026-01-10",
                    "next_review_on": "2027-01-10", "history": history})),
            );
            push_all(
                &mut m,
                "policies",
                (0..8).map(|d| json!({"id": format!("pol-h{d}"), "document_id": format!("doc-h{d}"),
                    "is_ai_policy": d == 0, "commitments": ["objectives_framework"], "communicated_on": "2026-01-20"})),
            );
            let acks: Vec<Value> = (0..8)
                .map(|d| json!({"document_id": format!("doc-h{d}"), "version": "1.0", "on": "2026-01-15"}))
                .collect();
            push_all(
                &mut m,
                "people",
                (0..n_hist).map(|i| {
                    json!({"id": format!("p-h{i}"), "name": format!("Person h{i}"),
                    "competence_evidence_ids": ["ev-training"], "policy_acknowledgements": acks})
                }),
            );
            if let Some(role) = m.pointer_mut("/roles/1")
                && let Some(a) = role["assignees"].as_array_mut()
            {
                a.extend(
                    (0..n_hist)
                        .map(|i| json!({"person_id": format!("p-h{i}"), "from": "2024-01-01"})),
                );
            }
        }
        Family::Cadence => {
            push_all(
                &mut m,
                "metrics",
                (0..k).map(|i| json!({"id": format!("met-c{i}"), "name": format!("Daily metric {i}"),
                    "method": "automated count", "cadence": {"every": 1, "unit": "day"}, "since": "1990-01-01",
                    "owner_role_id": "r-1", "process_id": "proc-9", "target_value": 95, "target_direction": "at_least"})),
            );
            push_all(
                &mut m,
                "measurements",
                (0..k).map(|i| {
                    json!({"id": format!("mea-c{i}"), "metric_id": format!("met-c{i}"),
                    "period_start": day(i), "value": 90, "recorded_on": "2026-12-01"})
                }),
            );
            push_all(
                &mut m,
                "objectives",
                (0..k).map(|i| {
                    json!({"id": format!("obj-c{i}"), "statement": "Keep it above target",
                    "policy_id": "pol-ai", "target": "95%", "metric_id": format!("met-c{i}"),
                    "owner_role_id": "r-1", "due_on": "2026-12-31"})
                }),
            );
            push_all(
                &mut m,
                "processes",
                (0..(k / 4).max(1)).map(|i| {
                    let mut p = process(&format!("proc-c{i}"), json!(["9.1"]), "r-1");
                    set(&mut p, "cadence", json!({"every": 1, "unit": "day"}));
                    p
                }),
            );
        }
        Family::Graph => {
            // proc-g0 is the hub; proc-g1 → proc-g2 → … is the chain, every link also feeding
            // the hub. Clause refs alternate between impact assessment and monitoring, so no
            // chain reaches risk assessment or management review.
            let n = k.max(2);
            let id = |i: usize| format!("proc-g{i}");
            let mut procs = Vec::with_capacity(n);
            let hub_inputs: Vec<Value> = (1..n)
                .map(|i| json!({"artifact": format!("to-hub-{i}"), "from_process_id": id(i)}))
                .collect();
            let mut hub = process(&id(0), json!(["7.5.1"]), "r-1");
            set(&mut hub, "inputs", Value::Array(hub_inputs));
            procs.push(hub);
            for i in 1..n {
                let refs = if i % 2 == 0 {
                    json!(["6.1.4", "8.4"])
                } else {
                    json!(["9.1"])
                };
                let mut p = process(&id(i), refs, "r-1");
                let mut outputs =
                    vec![json!({"artifact": format!("to-hub-{i}"), "to_process_id": id(0)})];
                if i + 1 < n {
                    outputs
                        .push(json!({"artifact": format!("link-{i}"), "to_process_id": id(i + 1)}));
                }
                set(&mut p, "outputs", Value::Array(outputs));
                if i > 1 {
                    set(
                        &mut p,
                        "inputs",
                        json!([{"artifact": format!("link-{}", i - 1), "from_process_id": id(i - 1)}]),
                    );
                }
                procs.push(p);
            }
            push_all(&mut m, "processes", procs);
        }
        Family::Exceptions => {
            push_all(
                &mut m,
                "processes",
                (0..k).map(|i| {
                    process(
                        &format!("proc-x{i}"),
                        json!(["8.1"]),
                        &format!("r-missing-{i}"),
                    )
                }),
            );
            push_all(
                &mut m,
                "exceptions",
                (0..k).map(|i| json!({"id": format!("exc-{i}"),
                    "rule_id": if i % 2 == 0 { "AIMS-PROC-03" } else { "AIMS-PROC-02" },
                    "target": format!("proc-x{}", k - 1 - i),
                    "justification": "Owner appointed, role record pending", "approved_by": "r-board",
                    "approved_on": "2026-01-01", "expires_on": "2027-01-01"})),
            );
        }
        Family::NcCa => {
            let n = k;
            push_all(
                &mut m,
                "nonconformities",
                (0..n).map(|i| json!({"id": format!("nc-n{i}"),
                    "source": match i % 4 { 0 => "internal_audit", 1 => "automated_check", 2 => "external_audit", _ => "incident" },
                    "source_id": "aud-1", "clause_refs": ["8.1", "10.2"], "grade": if i % 2 == 0 { "minor" } else { "major" },
                    "detected_on": day(i), "correction": "fixed the record", "root_cause": "step missing",
                    "corrective_action_ids": [format!("ca-n{i}"), format!("ca-n{}", (i + 1) % n), format!("ca-n{}", (i + 2) % n)],
                    "status": if i % 3 == 0 { "open" } else { "closed" },
                    "closed_on": if i % 3 == 0 { Value::Null } else { json!("2026-06-01") }})),
            );
            push_all(
                &mut m,
                "corrective_actions",
                (0..n).map(|i| json!({"id": format!("ca-n{i}"),
                    "nonconformity_ids": [format!("nc-n{i}"), format!("nc-n{}", (i + n - 1) % n), format!("nc-n{}", (i + n - 2) % n)],
                    "owner_role_id": "r-0", "due_on": "2026-04-30",
                    "status": if i % 3 == 0 { "in_progress" } else { "closed" },
                    "implemented_on": "2026-05-01",
                    "effectiveness": {"reviewed_on": "2026-05-15", "reviewer_id": "p-1", "effective": i % 5 != 0,
                        "evidence_ids": ["ev-runlog", "ev-training"]}})),
            );
            push_all(
                &mut m,
                "ai_systems",
                (0..(k / 20).max(1)).map(|s| json!({"id": format!("sys-n{s}"), "name": format!("AI system n{s}"),
                    "owner_role_id": "r-0", "in_scope": true, "lifecycle_stage": "operation", "intended_use": "Ranks tickets",
                    "stage_transitions": [{"from": "verification", "to": "deployment", "on": "2026-03-10",
                        "approved_by": "r-board", "risk_assessment_id": "ra-0", "impact_assessment_id": "ia-0"}]})),
            );
            push_all(
                &mut m,
                "management_reviews",
                (0..(k / 20).max(1)).map(|r| json!({"id": format!("mr-n{r}"), "planned_on": day(r), "held_on": day(r),
                    "attendee_ids": ["p-0"], "decisions": [{"text": "review actions", "kind": "improvement"}],
                    "action_ids": [format!("ca-n{}", r % n)], "minutes_document_id": "doc-mr-minutes"})),
            );
        }
        Family::DocRefs => {
            push_all(
                &mut m,
                "documents",
                (0..k).map(|d| json!({"id": format!("doc-d{d}"), "title": format!("Procedure {d}"),
                    "type": "procedure", "clause_refs": ["8.1"], "version": "1.0", "status": "approved",
                    "owner_role_id": "r-0", "approved_by": "r-board", "approved_on": "2026-01-10",
                    "next_review_on": "2027-01-10"})),
            );
            push_all(
                &mut m,
                "processes",
                (0..k).map(|i| {
                    let mut p = process(&format!("proc-d{i}"), json!(["7.5.1"]), "r-0");
                    set(
                        &mut p,
                        "procedure_document_id",
                        json!(format!("doc-d{}", (i * 7 + 3) % k)),
                    );
                    p
                }),
            );
            push_all(
                &mut m,
                "audits",
                (0..(k / 8).max(1)).map(|a| json!({"id": format!("aud-d{a}"), "type": "internal",
                    "scope_process_ids": [format!("proc-d{a}")], "clause_refs": ["7.5"], "criteria": "ISO/IEC 42001:2023",
                    "auditor_ids": ["p-0"], "planned_on": "2026-03-01", "completed_on": "2026-03-15", "status": "completed",
                    "reported_to_role_ids": ["r-board"], "report_document_id": format!("doc-d{}", (a * 13) % k)})),
            );
            push_all(
                &mut m,
                "measurements",
                (0..(k / 4).max(1)).map(|i| {
                    json!({"id": format!("mea-d{i}"), "metric_id": "met-0",
                    "period_start": day(i), "value": 96, "recorded_on": day(i)})
                }),
            );
        }
        Family::AiSystems => {
            let n = k;
            let sid = |s: usize| format!("sys-s{s}");
            let many =
                |from: usize| -> Vec<String> { (0..32).map(|j| sid((from + j * 3) % n)).collect() };
            push_all(
                &mut m,
                "ai_systems",
                (0..n).map(|s| {
                    let transitions: Vec<Value> = (0..8).map(|t| json!({"from": "verification", "to": "deployment",
                        "on": day(s + t), "approved_by": "r-board", "risk_assessment_id": format!("ra-s{}", s / 4),
                        "impact_assessment_id": format!("ia-s{}", s / 4)})).collect();
                    let changes: Vec<Value> = (0..8).map(|c| json!({"on": day(s + c), "description": "retrained",
                        "significant": c % 2 == 0})).collect();
                    json!({"id": sid(s), "name": format!("AI system s{s}"), "owner_role_id": "r-0", "in_scope": true,
                        "lifecycle_stage": "operation", "intended_use": "Ranks tickets",
                        "records": {"requirements_document_id": "doc-requirements-0", "design_document_id": "doc-design-0",
                            "verification_validation_document_id": "doc-vv-0", "deployment_document_id": "doc-deployment-0",
                            "technical_documentation_document_id": "doc-techdoc-0", "event_log_evidence_ids": ["ev-log-0", "ev-runlog"]},
                        "supplier_ids": [format!("sup-s{}", s / 4)], "data_resource_ids": [format!("data-s{}", s / 4)],
                        "stage_transitions": transitions, "changes": changes})
                }),
            );
            let quarter = (n / 4).max(1);
            push_all(
                &mut m,
                "risk_assessments",
                (0..quarter).map(|r| json!({"id": format!("ra-s{r}"), "ai_system_ids": many(r), "performed_on": "2026-03-01",
                    "trigger": "stage_gate", "approved_by": "r-board", "approved_on": "2026-03-05",
                    "impact_assessment_ids": [format!("ia-s{r}")], "risk_ids": [format!("risk-s{r}")]})),
            );
            push_all(
                &mut m,
                "impact_assessments",
                (0..quarter).map(|r| json!({"id": format!("ia-s{r}"), "ai_system_id": sid((r * 4) % n), "performed_on": "2026-03-01",
                    "trigger": "stage_gate", "covers": ["individuals"], "considers_misuse": true,
                    "approved_by": "r-board", "approved_on": "2026-03-05"})),
            );
            push_all(
                &mut m,
                "risks",
                (0..quarter).map(|r| json!({"id": format!("risk-s{r}"), "ai_system_ids": many(r + 1), "level": 12,
                    "owner_role_id": "r-0", "treatment": "mitigate", "control_refs": ["A.6.2.4"], "residual_level": 4})),
            );
            push_all(
                &mut m,
                "suppliers",
                (0..quarter).map(|r| json!({"id": format!("sup-s{r}"), "name": format!("Vendor s{r}"), "provides": "model",
                    "ai_system_ids": many(r + 2), "assessed_on": "2024-01-01"})),
            );
            push_all(
                &mut m,
                "data_resources",
                (0..quarter).map(|r| json!({"id": format!("data-s{r}"), "name": format!("Dataset s{r}"),
                    "ai_system_ids": many(r + 3), "acquisition": "collected", "provenance": "catalogue"})),
            );
            if let Some(scope) = m
                .pointer_mut("/scope/ai_system_ids")
                .and_then(Value::as_array_mut)
            {
                scope.extend((0..n).map(|s| json!(sid(s))));
            }
        }
        Family::Soa => {
            let controls: Vec<&str> = crate::CONTROLS.to_vec();
            let n_controls = controls.len();
            push_all(
                &mut m,
                "evidence",
                (0..k).map(|e| json!({"id": format!("ev-s{e}"), "kind": "record", "title": format!("Record {e}"),
                    "collected_on": day(e)})),
            );
            if let Some(entries) = m
                .pointer_mut("/statement_of_applicability/entries")
                .and_then(Value::as_array_mut)
            {
                entries.extend((0..k).map(|i| json!({"control": controls.get(i % n_controls).copied().unwrap_or("A.2.2"),
                    "applicable": true, "justification": "in house", "implementation_status": "implemented",
                    "evidence_ids": [format!("ev-s{i}"), format!("ev-s{}", (i + 1) % k)]})));
            }
            push_all(
                &mut m,
                "risks",
                (0..(k / 2).max(1)).map(|r| json!({"id": format!("risk-x{r}"), "ai_system_ids": ["sys-0"], "level": 12,
                    "owner_role_id": "r-0", "treatment": "mitigate",
                    "control_refs": (0..24).map(|c| controls.get((r + c) % n_controls).copied().unwrap_or("A.2.2")).collect::<Vec<_>>(),
                    "residual_level": 10,
                    "residual_acceptance": {"approved_by": "r-board", "approved_on": "2026-03-05", "expires_on": "2027-03-05"}})),
            );
            push_all(
                &mut m,
                "process_runs",
                (0..(k / 2).max(1)).map(|i| json!({"id": format!("run-s{i}"), "process_id": "proc-0",
                    "started_on": day(i), "completed_on": day(i),
                    "performed_by": ["p-1"], "record_ids": (0..10).map(|j| format!("ev-s{}", (i * 10 + j) % k)).collect::<Vec<_>>()})),
            );
        }
        Family::Context => {
            push_all(
                &mut m,
                "context_issues",
                (0..k).map(|i| json!({"id": format!("ctx-c{i}"), "kind": if i % 2 == 0 { "internal" } else { "external" },
                    "description": "An issue", "is_climate_change": false, "reviewed_on": "2020-01-15"})),
            );
            push_all(
                &mut m,
                "interested_parties",
                (0..(k / 10).max(1)).map(|p| json!({"id": format!("ip-c{p}"), "name": format!("Party {p}"),
                    "requirements": (0..20).map(|r| json!({"id": format!("req-c{p}-{r}"), "text": "a need",
                        "addressed_by_aims": r % 3 != 0})).collect::<Vec<_>>()})),
            );
        }
        Family::Reviews => {
            let n = (k / 8).max(1);
            push_all(
                &mut m,
                "improvements",
                (0..k).map(|i| json!({"id": format!("imp-r{i}"), "source": "management review", "description": "automate",
                    "decided_in": format!("mr-r{}", i % n), "owner_role_id": "r-0", "due_on": "2026-01-30",
                    "status": "in_progress"})),
            );
            push_all(
                &mut m,
                "management_reviews",
                (0..n).map(|r| json!({"id": format!("mr-r{r}"), "planned_on": day(r), "held_on": day(r),
                    "attendee_ids": (0..40).map(|a| format!("p-{}", a % 3)).collect::<Vec<_>>(),
                    "decisions": (0..10).map(|d| json!({"text": format!("decision {d}"), "kind": "improvement"})).collect::<Vec<_>>(),
                    "action_ids": (0..40).map(|a| format!("imp-r{}", (r * 40 + a) % k)).collect::<Vec<_>>(),
                    "minutes_document_id": "doc-mr-minutes",
                    "inputs": {"previous_actions": "open", "context_changes": "none", "interested_party_changes": "none",
                        "performance_trends": "stable", "improvement_opportunities": "automation"}})),
            );
        }
        Family::RiskCriteria => {
            push_all(
                &mut m,
                "risk_criteria",
                (0..k).map(|i| json!({"id": format!("crit-r{i}"), "document_id": if i % 2 == 0 { "doc-risk-method" } else { "doc-missing" },
                    "acceptance_threshold": i % 25})),
            );
        }
        Family::UnknownMembers => {
            push_all(
                &mut m,
                "context_issues",
                (0..k).map(|i| json!({"id": format!("ctx-u{i}"), "kind": "internal",
                    "description": "An issue", "is_climate_change": false, "reviewed_on": "2026-01-15"})),
            );
            push_all(
                &mut m,
                "suppliers",
                (0..1000).map(|i| {
                    json!({"id": format!("sup-u{i}"), "name": format!("Vendor u{i}"),
                    "provides": "model", "ai_system_ids": ["sys-0"], "assessed_on": "2026-02-01",
                    "note": "a member the schema does not define"})
                }),
            );
        }
        Family::Policies => {
            push_all(
                &mut m,
                "policies",
                (0..k).map(|i| json!({"id": format!("pol-p{i}"), "document_id": "doc-policy", "is_ai_policy": i % 4 == 0,
                    "commitments": ["objectives_framework", "applicable_requirements", "continual_improvement"],
                    "related_policy_ids": (1..=10).map(|j| format!("pol-p{}", (i + j) % k)).collect::<Vec<_>>(),
                    "communicated_on": "2026-01-20"})),
            );
        }
    }
    m
}

/// The compact JSON text of a model.
pub fn text(model: &Value) -> String {
    serde_json::to_string(model).unwrap_or_default()
}

/// The model of `family` whose text is closest to `target_bytes` (within about 10%), and its
/// scale `k`. Sizes grow with `k` linearly or quadratically: the scale is found by a few
/// secant steps on log size over log scale, then a bisection when those do not settle.
pub fn scaled(family: Family, target_bytes: usize, seed: u64) -> (String, usize) {
    let size = |k: usize| text(&build(family, k, seed));
    let target = target_bytes.max(1) as f64;
    let close = |len: usize| ((len as f64) - target).abs() <= 0.1 * target;
    let (mut k0, mut t0) = (16usize, size(16));
    if close(t0.len()) || t0.len() > target_bytes {
        return (t0, k0);
    }
    let (mut k1, mut t1) = (64usize, size(64));
    for _ in 0..8 {
        if close(t1.len()) {
            return (t1, k1);
        }
        let (l0, l1) = ((t0.len() as f64).ln(), (t1.len() as f64).ln());
        let (x0, x1) = ((k0 as f64).ln(), (k1 as f64).ln());
        let slope = if (x1 - x0).abs() > 1e-9 {
            ((l1 - l0) / (x1 - x0)).clamp(0.8, 2.5)
        } else {
            1.0
        };
        // At most 64 times larger or smaller a step, so that a poor slope cannot run away.
        let step = ((target.ln() - l1) / slope).clamp(-(64f64.ln()), 64f64.ln());
        let next = (x1 + step).exp().round().max(1.0) as usize;
        if next == k1 {
            break;
        }
        (k0, t0) = (k1, t1);
        k1 = next;
        t1 = size(k1);
    }
    // Bisection between a scale below and one above the target.
    let (mut lo, mut hi) = if t1.len() < target_bytes {
        (k1, k1 * 2)
    } else {
        (1, k1)
    };
    while size(hi).len() < target_bytes {
        lo = hi;
        hi *= 2;
    }
    let mut best = (t1, k1);
    while hi > lo + 1 {
        let mid = lo + (hi - lo) / 2;
        let t = size(mid);
        if close(t.len()) {
            return (t, mid);
        }
        if t.len() < target_bytes {
            lo = mid;
        } else {
            hi = mid;
        }
        best = (t, mid);
    }
    best
}

/// One model of the corpus: its file stem, family and text.
#[derive(Debug, Clone)]
pub struct Entry {
    /// File stem: a rule or indicator id, or the name of an extra model.
    pub name: String,
    /// The family of its shape.
    pub family: Family,
    /// The model as compact JSON.
    pub text: String,
}

/// The corpus: one model per id of [`SHAPES`] at about `target_bytes`, and, when `extras`
/// is true, the models of [`EXTRAS`] at their own size. Ids of one family share one text,
/// built once.
pub fn corpus(target_bytes: usize, seed: u64, extras: bool) -> Vec<Entry> {
    let mut built: Vec<(Family, String)> = Vec::new();
    let mut out = Vec::with_capacity(SHAPES.len() + EXTRAS.len());
    for (id, family) in SHAPES {
        let text = match built.iter().find(|(f, _)| f == family) {
            Some((_, t)) => t.clone(),
            None => {
                let (t, _) = scaled(*family, target_bytes, seed);
                built.push((*family, t.clone()));
                t
            }
        };
        out.push(Entry {
            name: (*id).to_owned(),
            family: *family,
            text,
        });
    }
    if extras {
        for (name, family, k) in EXTRAS {
            let text = match k {
                Some(k) => text(&build(*family, *k, seed)),
                None => scaled(*family, target_bytes, seed).0,
            };
            out.push(Entry {
                name: (*name).to_owned(),
                family: *family,
                text,
            });
        }
    }
    out
}

/// The ids that ended in an error when `model` was evaluated with `options`: rules with
/// status `error` (with their error code) and indicators with an error.
pub fn errors(
    engine: &aimscheck::Engine,
    model: &aimscheck::Model,
    options: &aimscheck::Options,
) -> Result<Vec<(String, String)>, aimscheck::Error> {
    let report = engine.evaluate(model, options)?;
    let mut out: Vec<(String, String)> = report
        .rules
        .iter()
        .filter(|r| r.status == aimscheck::Status::Error)
        .map(|r| {
            let code = r.error.as_ref().map(|e| e.code.clone()).unwrap_or_default();
            (r.id.clone(), code)
        })
        .collect();
    out.extend(
        report
            .indicators
            .iter()
            .filter_map(|i| i.error.as_ref().map(|e| (i.id.clone(), e.clone()))),
    );
    Ok(out)
}

/// The smallest step budget per rule (`Options::max_steps_per_rule`) at which `id` (a rule
/// or an indicator) ends without an error on `model`, to within 1%; `None` when it errs even
/// with `ceiling` steps. Other rules are turned off by an overlay while the rule is measured.
pub fn steps_needed(
    model: &aimscheck::Model,
    id: &str,
    as_of: &str,
    ceiling: u64,
) -> Result<Option<u64>, aimscheck::Error> {
    let mut engine = aimscheck::Engine::new()?;
    let is_rule = engine.has_rule(id);
    if is_rule {
        let others: Vec<&str> = SHAPES
            .iter()
            .map(|(i, _)| *i)
            .filter(|i| *i != id && engine.has_rule(i))
            .collect();
        let overlay =
            aimscheck::Overlay::from_json(&json!({ "disable": others }).to_string(), None)?;
        engine = engine.with_overlay(overlay)?;
    }
    let fails = |budget: u64| -> Result<bool, aimscheck::Error> {
        let mut options = aimscheck::Options::parse(as_of, Some("enterprise"), None)?;
        options.max_steps_per_rule = budget;
        Ok(errors(&engine, model, &options)?
            .iter()
            .any(|(i, _)| i == id))
    };
    let mut hi = 1024u64;
    while fails(hi)? {
        if hi >= ceiling {
            return Ok(None);
        }
        hi = hi.saturating_mul(4).min(ceiling);
    }
    let mut lo = hi / 4;
    while hi - lo > hi / 100 + 1 {
        let mid = lo + (hi - lo) / 2;
        if fails(mid)? {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(Some(hi))
}
