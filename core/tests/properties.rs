//! Properties of evaluation over generated AIMS models: it is deterministic, whatever form the
//! model came in; an entity that nothing refers to changes only the rules that read its
//! collection; and a valid exception only ever turns a `fail` into `waived`.
//!
//! The models come from a proptest strategy: every collection of core/schema/model.schema.json
//! with entities whose fields are drawn from the schema's enums, dates and the catalogue's
//! clause and control ids, and whose references name an entity of the right collection or,
//! now and then, one that does not exist. Each entity is built from a fixed run of numbers
//! ("genes"), so proptest shrinks a failing model by dropping entities and by moving each
//! choice towards the first option: present fields, first enum values, the first entity.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use aimscheck::{Engine, ExceptionStatus, FindingKind, Model, Options, Report, Status};
use chrono::Days;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::sync::LazyLock;

/// Cases per property. An evaluation of a generated model takes a few milliseconds in a debug
/// build and a case loads and evaluates two to four times, so 256 cases keep each property to
/// a few seconds and the file under a minute on a 2-core machine, while still reaching every
/// collection, every status and most rules many times (see `the_generator_reaches_every_status`).
const CASES: u32 = 256;

/// Numbers drawn per entity: enough for the longest entity (a process with its flows).
const GENES: usize = 48;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::new().unwrap());

/// The ids of the default pack's rules, in report order.
static RULE_IDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ENGINE
        .packs()
        .flat_map(|p| p.rules())
        .map(|r| r.id.clone())
        .collect()
});

/// Root collections (arrays of entities with an `id`): name, id prefix, and how often an
/// entity is drawn in it (processes, their documents and runs most often).
const COLLECTIONS: &[(&str, &str, usize)] = &[
    ("context_issues", "ctx", 1),
    ("interested_parties", "ip", 1),
    ("roles", "r", 2),
    ("people", "p", 2),
    ("documents", "doc", 3),
    ("policies", "pol", 1),
    ("processes", "proc", 4),
    ("process_runs", "run", 3),
    ("ai_systems", "sys", 1),
    ("risk_criteria", "crit", 1),
    ("risk_assessments", "ra", 1),
    ("impact_assessments", "ia", 1),
    ("risks", "risk", 1),
    ("objectives", "obj", 1),
    ("metrics", "met", 1),
    ("measurements", "mea", 2),
    ("audits", "aud", 1),
    ("management_reviews", "mr", 1),
    ("nonconformities", "nc", 1),
    ("corrective_actions", "ca", 1),
    ("improvements", "imp", 1),
    ("evidence", "ev", 2),
    ("exceptions", "exc", 1),
    // Model 1.1.
    ("suppliers", "sup", 1),
    ("data_resources", "data", 1),
];

/// Most entities a model has (besides its first role); about half as many on average.
const MOST_ENTITIES: usize = 80;

/// Root objects.
const SINGLETONS: &[&str] = &[
    "organization",
    "aims",
    "scope",
    "statement_of_applicability",
    "audit_programme",
];

/// Clause sets a process serves: those the pack expects, and a few others.
const CLAUSE_SETS: &[&[&str]] = &[
    &["5.2", "A.2.2"],
    &["5.3", "A.3.2"],
    &["6.1.2", "8.2"],
    &["6.1.3", "8.3"],
    &["6.1.4", "8.4", "A.5.2"],
    &["7.5"],
    &["10.2"],
    &["6.2"],
    &["8.1", "A.6.1.3"],
    &["9.1"],
    &["9.2"],
    &["9.3"],
    &["7.2", "7.3"],
    &["A.10.3"],
    &["10.1"],
    &["4.3"],
    &["4.4", "7.5.1"],
    &["9.2.2", "9.3.2"],
];

const CONTROLS: &[&str] = &[
    "A.2.2", "A.3.2", "A.4.2", "A.5.2", "A.5.4", "A.6.1.2", "A.6.2.4", "A.6.2.6", "A.7.4", "A.8.2",
    "A.9.2", "A.10.3",
];

const ARTIFACTS: &[&str] = &["risks", "findings", "metrics", "minutes", "actions"];
const DUTIES: &[&str] = &[
    "top_management",
    "ensure_conformance",
    "report_performance",
    "process_owner",
    "risk_owner",
    "internal_auditor",
];
const DOC_TYPES: &[&str] = &[
    "policy",
    "procedure",
    "methodology",
    "plan",
    "register",
    "record",
    "scope",
    "soa",
    "process_map",
    "report",
    "minutes",
];
const DOC_STATUSES: &[&str] = &[
    "approved",
    "published",
    "draft",
    "in_review",
    "superseded",
    "retired",
];
const STAGES: &[&str] = &[
    "operation",
    "deployment",
    "design",
    "inception",
    "development",
    "verification",
    "retirement",
];
const TRIGGERS: &[&str] = &["planned", "significant_change", "stage_gate"];
const UNITS: &[&str] = &["month", "quarter", "year", "week", "day"];
const VERSIONS: &[&str] = &["1.0", "2.0", "3.1"];

/// Reads an entity's numbers one by one; past the end every number is 0.
struct Genes<'a> {
    genes: &'a [u8],
    at: usize,
}

impl Genes<'_> {
    fn next(&mut self) -> usize {
        let g = self.genes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        usize::from(g)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        let g = self.next();
        if n == 0 { 0 } else { g % n }
    }

    fn pick<'s>(&mut self, xs: &[&'s str]) -> &'s str {
        xs[self.below(xs.len())]
    }

    fn flag(&mut self) -> bool {
        self.below(2) == 0
    }

    /// Whether an optional field is there (four times in five).
    fn has(&mut self) -> bool {
        self.below(5) != 4
    }

    /// A date from 2024-01-01 to 2027-12-28 (28 days a month, so every one exists).
    fn date(&mut self) -> Value {
        let d = (self.next() * 256 + self.next()) % (4 * 12 * 28);
        json!(format!(
            "{:04}-{:02}-{:02}",
            2024 + d / 336,
            1 + d / 28 % 12,
            1 + d % 28
        ))
    }

    fn list(&mut self, most: usize, mut item: impl FnMut(&mut Self, usize) -> Value) -> Value {
        let n = self.below(most + 1);
        Value::Array((0..n).map(|k| item(self, k)).collect())
    }

    fn picks(&mut self, most: usize, xs: &[&str]) -> Value {
        self.list(most, |g, _| json!(g.pick(xs)))
    }
}

/// An object built field by field; an optional field is left out now and then.
struct Obj(Map<String, Value>);

impl Obj {
    fn new(id: &str) -> Obj {
        let mut m = Map::new();
        m.insert("id".to_owned(), json!(id));
        Obj(m)
    }

    fn empty() -> Obj {
        Obj(Map::new())
    }

    fn opt(mut self, g: &mut Genes, key: &str, f: impl FnOnce(&mut Genes) -> Value) -> Obj {
        if g.has() {
            let v = f(g);
            self.0.insert(key.to_owned(), v);
        }
        self
    }

    fn set(mut self, key: &str, value: Value) -> Obj {
        self.0.insert(key.to_owned(), value);
        self
    }

    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

/// What references can name: how many entities each collection has.
struct Sizes(BTreeMap<&'static str, usize>);

impl Sizes {
    fn of(model: &Value) -> Sizes {
        Sizes(
            COLLECTIONS
                .iter()
                .map(|(name, ..)| (*name, model[*name].as_array().map_or(0, Vec::len)))
                .collect(),
        )
    }

    /// An id of `collection`, or one time in eight (and always when it is empty) one that no
    /// entity has (`<prefix>-gone`).
    fn id(&self, g: &mut Genes, collection: &str) -> Value {
        let (_, prefix, ..) = COLLECTIONS
            .iter()
            .find(|c| c.0 == collection)
            .expect("a collection");
        let n = self.0[collection];
        if n == 0 || g.below(8) == 7 {
            json!(format!("{prefix}-gone"))
        } else {
            json!(format!("{prefix}-{}", g.below(n)))
        }
    }

    fn ids(&self, g: &mut Genes, collection: &str) -> Value {
        g.list(2, |g, _| self.id(g, collection))
    }
}

/// A date, for `Obj::opt`.
fn day(g: &mut Genes) -> Value {
    g.date()
}

fn clauses(g: &mut Genes) -> Value {
    json!(CLAUSE_SETS[g.below(CLAUSE_SETS.len())])
}

fn cadence(g: &mut Genes) -> Value {
    json!({"every": 1 + g.below(3), "unit": g.pick(UNITS)})
}

/// One entity of `collection` with id `id`; its references point into a model of `sizes`.
fn entity(collection: &str, id: &str, g: &mut Genes, s: &Sizes) -> Value {
    let o = Obj::new(id);
    let built = match collection {
        "context_issues" => o
            .opt(g, "kind", |g| json!(g.pick(&["internal", "external"])))
            .opt(g, "description", |_| json!("an issue"))
            .opt(g, "is_climate_change", |g| json!(g.flag()))
            .opt(g, "reviewed_on", day),
        "interested_parties" => o.opt(g, "name", |_| json!("Customers")).opt(g, "requirements", |g| {
            g.list(2, |g, k| {
                json!({"id": format!("{id}-req-{k}"), "text": "fair decisions", "addressed_by_aims": g.flag()})
            })
        }),
        "roles" => o
            .opt(g, "name", |_| json!(format!("Role {id}")))
            .opt(g, "aims_duties", |g| g.picks(3, DUTIES))
            .opt(g, "responsibilities", |_| json!(["keeps the AIMS running"]))
            .opt(g, "assignees", |g| {
                g.list(2, |g, _| {
                    Obj::empty()
                        .opt(g, "person_id", |g| s.id(g, "people"))
                        .opt(g, "from", day)
                        .opt(g, "to", day)
                        .done()
                })
            }),
        "people" => o
            .opt(g, "name", |_| json!(format!("Person {id}")))
            .opt(g, "competence_evidence_ids", |g| s.ids(g, "evidence"))
            .opt(g, "policy_acknowledgements", |g| {
                g.list(2, |g, _| {
                    Obj::empty()
                        .opt(g, "document_id", |g| s.id(g, "documents"))
                        .opt(g, "version", |g| json!(g.pick(VERSIONS)))
                        .opt(g, "on", day)
                        .done()
                })
            }),
        "documents" => o
            .opt(g, "title", |_| json!(format!("Document {id}")))
            .opt(g, "type", |g| json!(g.pick(DOC_TYPES)))
            .opt(g, "clause_refs", clauses)
            .opt(g, "version", |g| json!(g.pick(VERSIONS)))
            .opt(g, "status", |g| json!(g.pick(DOC_STATUSES)))
            .opt(g, "author_id", |g| s.id(g, "people"))
            .opt(g, "owner_role_id", |g| s.id(g, "roles"))
            .opt(g, "approved_by", |g| s.id(g, "roles"))
            .opt(g, "approved_on", day)
            .opt(g, "next_review_on", day)
            .opt(g, "history", |g| {
                g.list(2, |g, _| {
                    Obj::empty()
                        .opt(g, "version", |g| json!(g.pick(VERSIONS)))
                        .opt(g, "on", day)
                        .opt(g, "approved_by", |g| s.id(g, "roles"))
                        .done()
                })
            }),
        "policies" => o
            .opt(g, "document_id", |g| s.id(g, "documents"))
            .opt(g, "is_ai_policy", |g| json!(g.flag()))
            .opt(g, "commitments", |g| {
                g.picks(
                    3,
                    &[
                        "objectives_framework",
                        "applicable_requirements",
                        "continual_improvement",
                    ],
                )
            })
            .opt(g, "related_policy_ids", |g| s.ids(g, "policies"))
            .opt(g, "communicated_on", day),
        "processes" => {
            let o = o
                .opt(g, "name", |_| json!(format!("Process {id}")))
                .opt(g, "purpose", |_| json!("runs part of the AIMS"))
                .opt(g, "clause_refs", clauses)
                .opt(g, "status", |g| {
                    json!(g.pick(&["active", "active", "planned", "retired"]))
                })
                .opt(g, "owner_role_id", |g| s.id(g, "roles"))
                .opt(g, "procedure_document_id", |g| s.id(g, "documents"))
                .opt(g, "inputs", |g| {
                    g.list(3, |g, _| {
                        let a = g.pick(ARTIFACTS);
                        if g.below(4) == 3 {
                            json!({"artifact": a, "from_external": "customers"})
                        } else {
                            json!({"artifact": a, "from_process_id": s.id(g, "processes")})
                        }
                    })
                })
                .opt(g, "outputs", |g| {
                    g.list(3, |g, _| {
                        let a = g.pick(ARTIFACTS);
                        if g.below(4) == 3 {
                            json!({"artifact": a, "to_external": "regulator"})
                        } else {
                            json!({"artifact": a, "to_process_id": s.id(g, "processes")})
                        }
                    })
                })
                .opt(g, "external_interfaces", |_| {
                    json!([{"system": "ticketing", "management_system": "ISO/IEC 27001"}])
                })
                .opt(g, "automated", |g| json!(g.flag()))
                .opt(g, "changed_on", day);
            if g.flag() {
                o.opt(g, "cadence", cadence)
            } else {
                o.opt(g, "triggers", |_| json!(["incident"]))
            }
        }
        "process_runs" => o
            .opt(g, "process_id", |g| s.id(g, "processes"))
            .opt(g, "started_on", day)
            .opt(g, "completed_on", day)
            .opt(g, "performed_by", |g| s.ids(g, "people"))
            .opt(g, "record_ids", |g| s.ids(g, "evidence")),
        "ai_systems" => o
            .opt(g, "name", |_| json!(format!("System {id}")))
            .opt(g, "owner_role_id", |g| s.id(g, "roles"))
            .opt(g, "in_scope", |g| json!(g.flag()))
            .opt(g, "lifecycle_stage", |g| json!(g.pick(STAGES)))
            .opt(g, "stage_transitions", |g| {
                g.list(2, |g, _| {
                    Obj::empty()
                        .opt(g, "from", |g| json!(g.pick(STAGES)))
                        .opt(g, "to", |g| json!(g.pick(STAGES)))
                        .opt(g, "on", day)
                        .opt(g, "approved_by", |g| s.id(g, "roles"))
                        .opt(g, "risk_assessment_id", |g| s.id(g, "risk_assessments"))
                        .opt(g, "impact_assessment_id", |g| s.id(g, "impact_assessments"))
                        .done()
                })
            })
            .opt(g, "changes", |g| {
                g.list(2, |g, _| {
                    json!({"on": g.date(), "description": "retrained", "significant": g.flag()})
                })
            })
            .opt(g, "intended_use", |_| json!("ranks tickets for human agents"))
            .opt(g, "records", |g| {
                [
                    "requirements_document_id",
                    "design_document_id",
                    "verification_validation_document_id",
                    "deployment_document_id",
                    "technical_documentation_document_id",
                ]
                .into_iter()
                .fold(Obj::empty(), |o, k| o.opt(g, k, |g| s.id(g, "documents")))
                .opt(g, "event_log_evidence_ids", |g| s.ids(g, "evidence"))
                .done()
            })
            .opt(g, "supplier_ids", |g| s.ids(g, "suppliers"))
            .opt(g, "data_resource_ids", |g| s.ids(g, "data_resources")),
        "risk_criteria" => o
            .opt(g, "document_id", |g| s.id(g, "documents"))
            .opt(g, "acceptance_threshold", |g| json!(g.below(20))),
        "risk_assessments" => o
            .opt(g, "ai_system_ids", |g| s.ids(g, "ai_systems"))
            .opt(g, "performed_on", day)
            .opt(g, "trigger", |g| json!(g.pick(TRIGGERS)))
            .opt(g, "approved_by", |g| s.id(g, "roles"))
            .opt(g, "approved_on", day)
            .opt(g, "impact_assessment_ids", |g| s.ids(g, "impact_assessments"))
            .opt(g, "risk_ids", |g| s.ids(g, "risks")),
        "impact_assessments" => o
            .opt(g, "ai_system_id", |g| s.id(g, "ai_systems"))
            .opt(g, "performed_on", day)
            .opt(g, "trigger", |g| json!(g.pick(TRIGGERS)))
            .opt(g, "covers", |g| {
                g.picks(3, &["individuals", "groups", "societies"])
            })
            .opt(g, "considers_misuse", |g| json!(g.flag()))
            .opt(g, "approved_by", |g| s.id(g, "roles"))
            .opt(g, "approved_on", day)
            .opt(g, "document_id", |g| s.id(g, "documents")),
        "risks" => o
            .opt(g, "ai_system_ids", |g| s.ids(g, "ai_systems"))
            .opt(g, "level", |g| json!(g.below(25)))
            .opt(g, "owner_role_id", |g| s.id(g, "roles"))
            .opt(g, "treatment", |g| {
                json!(g.pick(&["mitigate", "accept", "avoid", "transfer"]))
            })
            .opt(g, "control_refs", |g| g.picks(2, CONTROLS))
            .opt(g, "residual_level", |g| json!(g.below(25)))
            .opt(g, "residual_acceptance", |g| {
                Obj::empty()
                    .opt(g, "approved_by", |g| s.id(g, "roles"))
                    .opt(g, "approved_on", day)
                    .opt(g, "expires_on", day)
                    .done()
            }),
        "objectives" => o
            .opt(g, "statement", |_| json!("keep fairness above target"))
            .opt(g, "policy_id", |g| s.id(g, "policies"))
            .opt(g, "target", |g| {
                if g.flag() { json!("95%") } else { json!(95) }
            })
            .opt(g, "metric_id", |g| s.id(g, "metrics"))
            .opt(g, "owner_role_id", |g| s.id(g, "roles"))
            .opt(g, "due_on", day),
        "metrics" => o
            .opt(g, "name", |_| json!(format!("Metric {id}")))
            .opt(g, "method", |_| json!("automated count"))
            .opt(g, "cadence", cadence)
            .opt(g, "owner_role_id", |g| s.id(g, "roles"))
            .opt(g, "process_id", |g| s.id(g, "processes"))
            .opt(g, "target", |g| json!(g.below(100)))
            .opt(g, "target_value", |g| json!(g.below(100)))
            .opt(g, "target_direction", |g| json!(g.pick(&["at_least", "at_most"])))
            .opt(g, "since", day),
        "measurements" => o
            .opt(g, "metric_id", |g| s.id(g, "metrics"))
            .opt(g, "period_start", day)
            .opt(g, "value", |g| json!(g.below(100)))
            .opt(g, "recorded_on", day),
        "audits" => o
            .opt(g, "type", |g| {
                json!(g.pick(&["internal", "external", "certification"]))
            })
            .opt(g, "scope_process_ids", |g| s.ids(g, "processes"))
            .opt(g, "clause_refs", clauses)
            .opt(g, "auditor_ids", |g| s.ids(g, "people"))
            .opt(g, "planned_on", day)
            .opt(g, "completed_on", day)
            .opt(g, "status", |g| {
                json!(g.pick(&["completed", "planned", "in_progress", "cancelled"]))
            })
            .opt(g, "report_document_id", |g| s.id(g, "documents"))
            .opt(g, "reported_to_role_ids", |g| s.ids(g, "roles"))
            .opt(g, "finding_ids", |g| s.ids(g, "nonconformities"))
            .opt(g, "criteria", |_| json!("ISO/IEC 42001 clauses 4 to 10")),
        "management_reviews" => o
            .opt(g, "planned_on", day)
            .opt(g, "held_on", day)
            .opt(g, "attendee_ids", |g| s.ids(g, "people"))
            .opt(g, "inputs", |g| {
                [
                    "previous_actions",
                    "context_changes",
                    "interested_party_changes",
                    "performance_trends",
                    "improvement_opportunities",
                ]
                .into_iter()
                .fold(Obj::empty(), |o, k| o.opt(g, k, |_| json!("discussed")))
                .done()
            })
            .opt(g, "decisions", |g| {
                g.list(2, |g, _| {
                    json!({"text": "automate checks",
                        "kind": g.pick(&["improvement", "change", "resources", "other"])})
                })
            })
            .opt(g, "action_ids", |g| {
                g.list(2, |g, _| {
                    if g.flag() {
                        s.id(g, "improvements")
                    } else {
                        s.id(g, "corrective_actions")
                    }
                })
            })
            .opt(g, "minutes_document_id", |g| s.id(g, "documents")),
        "nonconformities" => o
            .opt(g, "source", |g| {
                json!(g.pick(&[
                    "internal_audit",
                    "external_audit",
                    "management_review",
                    "incident",
                    "monitoring",
                    "automated_check",
                ]))
            })
            .opt(g, "source_id", |g| {
                let from = g.pick(&["audits", "management_reviews", "process_runs"]);
                s.id(g, from)
            })
            .opt(g, "clause_refs", clauses)
            .opt(g, "grade", |g| {
                json!(g.pick(&["minor", "major", "observation", "opportunity"]))
            })
            .opt(g, "detected_on", day)
            .opt(g, "correction", |_| json!("fixed the record"))
            .opt(g, "root_cause", |_| json!("a step was missing"))
            .opt(g, "corrective_action_ids", |g| s.ids(g, "corrective_actions"))
            .opt(g, "status", |g| json!(g.pick(&["closed", "open", "in_progress"])))
            .opt(g, "closed_on", day)
            .opt(g, "metric_id", |g| s.id(g, "metrics")),
        "corrective_actions" => o
            .opt(g, "nonconformity_ids", |g| s.ids(g, "nonconformities"))
            .opt(g, "owner_role_id", |g| s.id(g, "roles"))
            .opt(g, "due_on", day)
            .opt(g, "status", |g| {
                json!(g.pick(&["closed", "implemented", "open", "in_progress", "cancelled"]))
            })
            .opt(g, "implemented_on", day)
            .opt(g, "objective_id", |g| s.id(g, "objectives"))
            .opt(g, "metric_id", |g| s.id(g, "metrics"))
            .opt(g, "effectiveness", |g| {
                Obj::empty()
                    .opt(g, "reviewed_on", day)
                    .opt(g, "reviewer_id", |g| s.id(g, "people"))
                    .opt(g, "effective", |g| json!(g.flag()))
                    .opt(g, "evidence_ids", |g| s.ids(g, "evidence"))
                    .done()
            }),
        "improvements" => o
            .opt(g, "source", |_| json!("management review"))
            .opt(g, "description", |_| json!("automate checks"))
            .opt(g, "decided_in", |g| s.id(g, "management_reviews"))
            .opt(g, "owner_role_id", |g| s.id(g, "roles"))
            .opt(g, "due_on", day)
            .opt(g, "status", |g| {
                json!(g.pick(&[
                    "implemented",
                    "closed",
                    "proposed",
                    "planned",
                    "in_progress",
                    "rejected",
                ]))
            })
            .opt(g, "implemented_on", day)
            .opt(g, "objective_id", |g| s.id(g, "objectives"))
            .opt(g, "metric_id", |g| s.id(g, "metrics")),
        "evidence" => o
            .opt(g, "kind", |_| json!("record"))
            .opt(g, "title", |_| json!(format!("Evidence {id}")))
            .opt(g, "uri", |_| json!(format!("https://records.example/{id}")))
            .opt(g, "sha256", |g| json!(format!("{:064x}", g.next())))
            .opt(g, "collected_on", day)
            .opt(g, "valid_until", day),
        "suppliers" => o
            .opt(g, "name", |_| json!(format!("Vendor {id}")))
            .opt(g, "provides", |g| {
                json!(g.pick(&["model", "data", "platform", "service", "component"]))
            })
            .opt(g, "ai_system_ids", |g| s.ids(g, "ai_systems"))
            .opt(g, "agreement_document_id", |g| s.id(g, "documents"))
            .opt(g, "assessed_on", day)
            .opt(g, "responsibilities", |g| {
                json!(if g.below(4) == 3 { " " } else { "the vendor reports incidents" })
            }),
        "data_resources" => o
            .opt(g, "name", |_| json!(format!("Dataset {id}")))
            .opt(g, "ai_system_ids", |g| s.ids(g, "ai_systems"))
            .opt(g, "acquisition", |_| json!("bought under licence"))
            .opt(g, "provenance", |_| json!("catalogued with its source"))
            .opt(g, "preparation", |_| json!("deduplicated and labelled"))
            .opt(g, "quality_assessed_on", day)
            .opt(g, "document_id", |g| s.id(g, "documents")),
        "exceptions" => {
            let o = o
                .opt(g, "rule_id", |g| {
                    let k = g.below(RULE_IDS.len() + 1);
                    json!(RULE_IDS.get(k).map_or("NOPE-01", String::as_str))
                })
                .opt(g, "justification", |g| {
                    json!(if g.below(4) == 3 { " " } else { "accepted for now" })
                })
                .opt(g, "approved_by", |g| s.id(g, "roles"))
                .opt(g, "approved_on", day)
                .opt(g, "expires_on", day);
            // Without a target, for a process, or for the first process's node.
            match g.below(3) {
                0 => o,
                1 => {
                    let target = s.id(g, "processes");
                    o.set("target", target)
                }
                _ => o.set("target", json!("/processes/0")),
            }
        }
        other => panic!("no generator for collection {other}"),
    };
    built.done()
}

/// One root object.
fn singleton(name: &str, g: &mut Genes, s: &Sizes) -> Value {
    let o = Obj::empty();
    let built = match name {
        "organization" => o
            .opt(g, "name", |_| json!("Generated Org"))
            .opt(g, "size_tier", |g| {
                json!(g.pick(&["startup", "scaleup", "enterprise"]))
            })
            .opt(g, "ai_roles", |g| {
                g.picks(
                    2,
                    &["provider", "producer", "customer", "partner", "subject"],
                )
            })
            .opt(g, "management_systems", |g| {
                g.list(1, |g, _| {
                    json!({"standard": "ISO/IEC 27001", "certified": g.flag(),
                        "shared_process_ids": s.ids(g, "processes")})
                })
            }),
        "aims" => o
            .opt(g, "established_on", day)
            .opt(g, "scope_document_id", |g| s.id(g, "documents"))
            .opt(g, "process_map_document_id", |g| s.id(g, "documents"))
            .opt(g, "top_management_role_ids", |g| s.ids(g, "roles"))
            .opt(g, "planned_intervals", |g| {
                [
                    "policy_review_months",
                    "internal_audit_months",
                    "management_review_months",
                    "risk_assessment_months",
                    "impact_assessment_months",
                    "document_review_months",
                    "supplier_review_months",
                    "data_review_months",
                ]
                .into_iter()
                .fold(Obj::empty(), |o, k| o.opt(g, k, |g| json!(1 + g.below(24))))
                .opt(g, "correction_days", |g| json!(1 + g.below(60)))
                .opt(g, "major_nc_close_days", |g| json!(1 + g.below(180)))
                .done()
            })
            .opt(g, "grace_days", |g| json!(g.below(30)))
            .opt(g, "customer_terms_document_id", |g| s.id(g, "documents")),
        "scope" => o
            .opt(g, "document_id", |g| s.id(g, "documents"))
            .opt(g, "ai_system_ids", |g| s.ids(g, "ai_systems"))
            .opt(g, "exclusions", |g| {
                g.list(
                    1,
                    |_, _| json!({"item": "HR chatbot", "justification": "not ours"}),
                )
            }),
        "statement_of_applicability" => o
            .opt(g, "document_id", |g| s.id(g, "documents"))
            .opt(g, "version", |g| json!(g.pick(VERSIONS)))
            .opt(g, "approved_by", |g| s.id(g, "roles"))
            .opt(g, "approved_on", day)
            .opt(g, "entries", |g| {
                g.list(4, |g, _| {
                    Obj::empty()
                        .opt(g, "control", |g| json!(g.pick(CONTROLS)))
                        .opt(g, "applicable", |g| json!(g.flag()))
                        .opt(g, "justification", |_| json!("we build AI systems"))
                        .opt(g, "implementation_status", |g| {
                            json!(g.pick(&[
                                "implemented",
                                "partial",
                                "planned",
                                "not_started",
                                "not_applicable",
                            ]))
                        })
                        .opt(g, "evidence_ids", |g| s.ids(g, "evidence"))
                        .done()
                })
            }),
        "audit_programme" => o
            .opt(g, "document_id", |g| s.id(g, "documents"))
            .opt(g, "cycle_months", |g| json!(1 + g.below(24)))
            .opt(g, "approved_by", |g| s.id(g, "roles"))
            .opt(g, "approved_on", day),
        other => panic!("no generator for {other}"),
    };
    built.done()
}

/// A generated model; shown as its JSON text when a property fails.
#[derive(Clone)]
struct Aims(Value);

impl fmt::Debug for Aims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(&self.0).map_err(|_| fmt::Error)?)
    }
}

/// The numbers an entity is built from, shown on one line when a property fails.
#[derive(Clone)]
struct Genome(Vec<u8>);

impl fmt::Debug for Genome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

fn genes() -> impl Strategy<Value = Genome> {
    prop::collection::vec(any::<u8>(), GENES).prop_map(Genome)
}

/// The collection a drawn number stands for, by the weights of `COLLECTIONS`.
fn collection_of(mut tag: usize) -> usize {
    for (i, (.., weight)) in COLLECTIONS.iter().enumerate() {
        if tag < *weight {
            return i;
        }
        tag -= weight;
    }
    0
}

/// Builds the model: the sizes first, so that references can name any entity. `first_role`
/// is always there (a model has a role to approve exceptions); `entities` are tagged with
/// their collection, in the order they take in it.
fn build(first_role: &Genome, entities: &[(usize, Genome)], singles: &[Option<Genome>]) -> Value {
    let mut members: Vec<Vec<&Genome>> = vec![Vec::new(); COLLECTIONS.len()];
    let roles = COLLECTIONS.iter().position(|c| c.0 == "roles").unwrap();
    members[roles].push(first_role);
    for (tag, genes) in entities {
        members[collection_of(*tag)].push(genes);
    }
    let sizes = Sizes(
        COLLECTIONS
            .iter()
            .zip(&members)
            .map(|((name, ..), items)| (*name, items.len()))
            .collect(),
    );
    let mut root = Map::new();
    // Schema 1.0 or 1.1, drawn from the first role's genes so that adding or removing an
    // entity never changes it.
    let version = if first_role.0.first().is_some_and(|b| b % 2 == 1) {
        "1.1"
    } else {
        "1.0"
    };
    root.insert("schema_version".to_owned(), json!(version));
    for (name, genes) in SINGLETONS.iter().zip(singles) {
        if let Some(genes) = genes {
            let g = &mut Genes {
                genes: &genes.0,
                at: 0,
            };
            root.insert((*name).to_owned(), singleton(name, g, &sizes));
        }
    }
    for ((name, prefix, _), items) in COLLECTIONS.iter().zip(&members) {
        if items.is_empty() {
            continue;
        }
        let entities = items
            .iter()
            .enumerate()
            .map(|(i, genes)| {
                let g = &mut Genes {
                    genes: &genes.0,
                    at: 0,
                };
                entity(name, &format!("{prefix}-{i}"), g, &sizes)
            })
            .collect();
        root.insert((*name).to_owned(), Value::Array(entities));
    }
    Value::Object(root)
}

/// Valid AIMS models of every collection. Entities come first in the tuple, so that a failing
/// model shrinks by losing entities before its choices are simplified.
fn aims() -> impl Strategy<Value = Aims> {
    let weights: usize = COLLECTIONS.iter().map(|c| c.2).sum();
    let entities = prop::collection::vec((0..weights, genes()), 0..=MOST_ENTITIES);
    let singles = prop::collection::vec(prop::option::weighted(0.8, genes()), SINGLETONS.len());
    (entities, genes(), singles).prop_map(|(e, r, s)| Aims(build(&r, &e, &s)))
}

/// Evaluation options: the three dates bracket most generated dates; tier from the model or
/// given; either profile.
fn options() -> impl Strategy<Value = Options> {
    (
        prop::sample::select(vec!["2025-03-31", "2026-06-30", "2027-01-15"]),
        prop::sample::select(vec![
            None,
            Some("startup"),
            Some("scaleup"),
            Some("enterprise"),
        ]),
        prop::sample::select(vec![None, Some("certification")]),
    )
        .prop_map(|(as_of, tier, profile)| Options::parse(as_of, tier, profile).unwrap())
}

fn load(model: &Value) -> Model {
    Model::from_value(model.clone()).unwrap_or_else(|e| panic!("generated model refused: {e}"))
}

fn evaluate(model: &Value, options: &Options) -> Report {
    ENGINE.evaluate(&load(model), options).unwrap()
}

/// The words of a rule's check: every key, and every run of `[a-z0-9_]` in a string (so a
/// path `/processes/*/owner_role_id`, a `resolves`/`lookup`/`backrefs` `in` naming a
/// collection, and a message all give their collection names). Operators that read the model
/// without naming it add what they read: the graph checks read `processes` (unless their
/// `graph.nodes` names another collection, which then is a word too); `interval` reads
/// `aims.planned_intervals`, and `grace` (which `within` and `period_gaps` take by default)
/// reads `aims.grace_days`.
fn words(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => text_words(s, out),
        Value::Array(items) => items.iter().for_each(|x| words(x, out)),
        Value::Object(m) => {
            for (k, x) in m {
                text_words(k, out);
                if k.starts_with("graph_") {
                    out.insert("processes".to_owned());
                }
                if matches!(
                    k.as_str(),
                    "interval" | "grace" | "within" | "date_add" | "period_gaps"
                ) {
                    out.insert("aims".to_owned());
                }
                words(x, out);
            }
        }
        _ => {}
    }
}

fn text_words(s: &str, out: &mut BTreeSet<String>) {
    let word = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
    out.extend(
        s.split(|c| !word(c))
            .filter(|w| !w.is_empty())
            .map(str::to_owned),
    );
}

/// For every rule of the default pack, the root collections and objects its check names.
static READS: LazyLock<BTreeMap<String, BTreeSet<String>>> = LazyLock::new(|| {
    let roots: BTreeSet<&str> = COLLECTIONS
        .iter()
        .map(|c| c.0)
        .chain(SINGLETONS.iter().copied())
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/iso42001-4.4");
    let mut reads = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let file: Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        for rule in file["rules"].as_array().into_iter().flatten() {
            let mut w = BTreeSet::new();
            words(&rule["check"], &mut w);
            let named = w
                .into_iter()
                .filter(|x| roots.contains(x.as_str()))
                .collect();
            reads.insert(rule["id"].as_str().unwrap().to_owned(), named);
        }
    }
    reads
});

/// Whether a finding at `pointer` in entity `entity` is one an exception with `target` covers:
/// the brief's "JSON Pointer or id" target.
fn covered(target: &str, pointer: &str, entity: Option<&str>) -> bool {
    if target.starts_with('/') {
        pointer == target || pointer.starts_with(&format!("{target}/"))
    } else {
        entity == Some(target)
    }
}

fn statuses(r: &Report) -> BTreeMap<&str, Status> {
    r.rules.iter().map(|x| (x.id.as_str(), x.status)).collect()
}

#[test]
fn every_rule_is_scanned_and_the_scan_sees_implicit_reads() {
    let ids: BTreeSet<&str> = RULE_IDS.iter().map(String::as_str).collect();
    let scanned: BTreeSet<&str> = READS.keys().map(String::as_str).collect();
    assert_eq!(scanned, ids);
    // Graph checks name no collection, and read the processes.
    assert!(READS["AIMS-PROC-05"].contains("processes"));
    assert!(READS["AIMS-PROC-06"].contains("processes"));
    // A reference check names the collection it resolves in.
    assert!(READS["AIMS-PROC-02"].contains("roles"));
    // Not everything reads everything: the property below has rules to check.
    assert!(!READS["AIMS-CTX-02"].contains("processes"));
}

#[test]
fn the_generator_reaches_every_status() {
    // 150 models: each status is reached, and most rules both pass and fail somewhere, so the
    // properties below are not checked over degenerate reports.
    let mut runner = TestRunner::deterministic();
    let strategy = (aims(), options());
    let mut seen: BTreeMap<String, BTreeSet<Status>> = BTreeMap::new();
    for _ in 0..150 {
        let (model, options) = strategy.new_tree(&mut runner).unwrap().current();
        for r in evaluate(&model.0, &options).rules {
            seen.entry(r.id).or_default().insert(r.status);
        }
    }
    let all: BTreeSet<Status> = seen.values().flatten().copied().collect();
    for s in [
        Status::Pass,
        Status::Fail,
        Status::InsufficientEvidence,
        Status::NotApplicable,
        Status::Waived,
    ] {
        assert!(all.contains(&s), "no generated model gave {s:?}");
    }
    let both: Vec<&String> = seen
        .iter()
        .filter(|(_, s)| s.contains(&Status::Pass) && s.contains(&Status::Fail))
        .map(|(id, _)| id)
        .collect();
    assert!(
        both.len() * 2 >= RULE_IDS.len(),
        "only {} of {} rules both pass and fail over the generated models: {seen:?}",
        both.len(),
        RULE_IDS.len()
    );
}

proptest! {
    // Shrinking a model takes many steps (each drops an entity or simplifies one choice), more
    // than the 4 per case proptest allows by default.
    #![proptest_config(ProptestConfig { max_shrink_iters: 4096, ..ProptestConfig::with_cases(CASES) })]

    /// The same model and options give byte-identical reports, run after run, whether the model
    /// came as a `Value`, as compact text or as pretty text.
    #[test]
    fn evaluation_is_deterministic(model in aims(), options in options()) {
        let from_value = load(&model.0);
        let first = ENGINE.evaluate(&from_value, &options).unwrap().to_json_pretty();
        let again = ENGINE.evaluate(&from_value, &options).unwrap().to_json_pretty();
        prop_assert_eq!(&first, &again);
        let text = Model::from_string(serde_json::to_string(&model.0).unwrap()).unwrap();
        prop_assert_eq!(&first, &ENGINE.evaluate(&text, &options).unwrap().to_json_pretty());
        let pretty = Model::from_json(&serde_json::to_string_pretty(&model.0).unwrap()).unwrap();
        prop_assert_eq!(&first, &ENGINE.evaluate(&pretty, &options).unwrap().to_json_pretty());
    }

    /// An entity that nothing refers to (a fresh id), added anywhere in collection C, leaves
    /// the result of every rule whose check never names C exactly as it was. `exceptions` is
    /// not drawn: the waivers read it for every rule. Roles may be: the waivers look roles up
    /// by the ids exceptions name, and a fresh id is none of them.
    #[test]
    fn an_unrelated_entity_changes_only_the_rules_that_read_its_collection(
        model in aims(),
        options in options(),
        which in any::<Index>(),
        at in any::<Index>(),
        new in genes(),
    ) {
        let candidates: Vec<_> =
            COLLECTIONS.iter().filter(|c| c.0 != "exceptions").collect();
        let (collection, prefix, ..) = *which.get(&candidates);
        let before = evaluate(&model.0, &options);
        let mut bigger = model.0.clone();
        let fresh = {
            let g = &mut Genes { genes: &new.0, at: 0 };
            entity(collection, &format!("fresh-{prefix}"), g, &Sizes::of(&model.0))
        };
        let items = bigger
            .as_object_mut()
            .unwrap()
            .entry(*collection)
            .or_insert_with(|| json!([]))
            .as_array_mut()
            .unwrap();
        items.insert(at.index(items.len() + 1), fresh);
        let after = evaluate(&bigger, &options);
        let mut unchanged = 0;
        for (b, a) in before.rules.iter().zip(&after.rules) {
            prop_assert_eq!(&b.id, &a.id);
            if !READS[&b.id].contains(*collection) {
                prop_assert_eq!(b, a, "rule {} changed, and its check never names {}", b.id, collection);
                unchanged += 1;
            }
        }
        prop_assert!(unchanged > 0);
    }

    /// An `x_` extension member at the root changes no rule and no indicator.
    #[test]
    fn an_extension_member_changes_nothing(
        model in aims(),
        options in options(),
        name in "[a-z_]{1,12}",
        value in prop::sample::select(vec![json!(null), json!(1), json!("processes"),
            json!({"processes": [{"id": "proc-0", "status": "retired"}]}), json!([1, "roles"])]),
    ) {
        let before = evaluate(&model.0, &options);
        let mut extended = model.0.clone();
        extended[format!("x_{name}")] = value;
        let after = evaluate(&extended, &options);
        prop_assert_eq!(&before.rules, &after.rules);
        prop_assert_eq!(&before.indicators, &after.indicators);
        prop_assert_eq!(&before.exceptions, &after.exceptions);
    }

    /// A valid exception (approved by an existing role on or before as_of, with a
    /// justification, expiring after as_of), added after the model's own, leaves every rule as
    /// it was except its own rule when that rule fails: then, without a target or when its
    /// target covers every violation left, the rule is `waived`; with a target that covers only
    /// some, it still fails, with fewer findings. The model's other exceptions end as before.
    #[test]
    fn a_valid_exception_only_turns_a_fail_into_waived(
        model in aims(),
        options in options(),
        rule in any::<Index>(),
        prefer_failing in any::<bool>(),
        target_kind in 0..4u8,
        target in any::<Index>(),
        approver in any::<Index>(),
        approved_days_before in 0..400u64,
        expires_days_after in 1..400u64,
    ) {
        let before = evaluate(&model.0, &options);
        let failing: Vec<&str> = before
            .rules
            .iter()
            .filter(|r| r.status == Status::Fail)
            .map(|r| r.id.as_str())
            .collect();
        let rule_id = if prefer_failing && !failing.is_empty() {
            *rule.get(&failing)
        } else {
            rule.get(&RULE_IDS).as_str()
        };
        let old = before.rule(rule_id).unwrap();
        // Generated models are small: no rule reaches the findings limit, so every violation
        // is listed.
        prop_assert_eq!(old.findings.len(), old.findings_total);
        let violations: Vec<_> =
            old.findings.iter().filter(|f| f.kind == FindingKind::Violation).collect();
        // No target, an entity id, a pointer, or the parent of a pointer, of a violation; an
        // empty target is no target.
        let target: Option<String> = match (target_kind, violations.is_empty()) {
            (0, _) => None,
            (_, true) => Some("proc-0".to_owned()),
            (1, false) => Some(target.get(&violations).entity_id.clone().unwrap_or_else(|| "proc-0".to_owned())),
            (2, false) => Some(target.get(&violations).pointer.clone()),
            (_, false) => {
                let p = &target.get(&violations).pointer;
                Some(p.rsplit_once('/').map_or(p.as_str(), |(parent, _)| parent).to_owned())
            }
        }
        .filter(|t| !t.is_empty());
        let roles = model.0["roles"].as_array().unwrap();
        let approved_by = approver.get(roles)["id"].clone();
        let as_of = options.as_of;
        let mut exception = json!({
            "id": "exc-fresh",
            "rule_id": rule_id,
            "justification": "accepted until the next release",
            "approved_by": approved_by,
            "approved_on": (as_of - Days::new(approved_days_before)).to_string(),
            "expires_on": (as_of + Days::new(expires_days_after)).to_string(),
        });
        if let Some(t) = &target {
            exception["target"] = json!(t);
        }
        let mut waived_model = model.0.clone();
        waived_model
            .as_object_mut()
            .unwrap()
            .entry("exceptions")
            .or_insert_with(|| json!([]))
            .as_array_mut()
            .unwrap()
            .push(exception);
        let after = evaluate(&waived_model, &options);
        prop_assert_eq!(&after.as_of, &as_of.to_string());

        // Every other rule keeps its status.
        let (b, a) = (statuses(&before), statuses(&after));
        prop_assert_eq!(b.len(), a.len());
        for (id, status) in &b {
            if *id != rule_id {
                prop_assert_eq!(a[id], *status, "rule {} changed with an exception for {}", id, rule_id);
            }
        }
        // The rule itself: how many of its violations the exception covers.
        let waived = if old.status != Status::Fail {
            0
        } else {
            match &target {
                None => violations.len(),
                Some(t) => violations
                    .iter()
                    .filter(|f| covered(t, &f.pointer, f.entity_id.as_deref()))
                    .count(),
            }
        };
        let new = after.rule(rule_id).unwrap();
        let expected = if waived > 0 && waived == violations.len() {
            Status::Waived
        } else {
            old.status
        };
        prop_assert_eq!(new.status, expected, "rule {} with target {:?}", rule_id, target);
        prop_assert!(
            new.status == old.status || (old.status == Status::Fail && new.status == Status::Waived)
        );
        if waived == 0 {
            // (Only `checked` may change: AIMS-PROC-04 also checks the new exception's approver.)
            prop_assert_eq!(&new.findings, &old.findings);
            prop_assert_eq!(&new.waivers, &old.waivers);
        } else {
            let w = new.waivers.iter().find(|w| w.exception_id == "exc-fresh").unwrap();
            prop_assert_eq!(&w.target, &target);
            prop_assert_eq!(w.findings_waived, waived);
            prop_assert_eq!(new.findings.len(), old.findings.len() - waived);
            prop_assert_eq!(new.findings_total, old.findings_total - waived);
        }
        // The new exception is reported, applied exactly when it waived something; the model's
        // own exceptions end as they did.
        let (own, fresh) = after.exceptions.split_at(after.exceptions.len() - 1);
        prop_assert_eq!(own, &before.exceptions[..]);
        let expected_status = if waived > 0 {
            ExceptionStatus::Applied
        } else {
            ExceptionStatus::Unused
        };
        prop_assert_eq!(fresh[0].status, expected_status, "{:?}", fresh[0]);
    }
}
