//! The graph the map draws: the model's processes, the external parties and the missing
//! processes they exchange with as nodes; their flows, merged per pair of ends, as edges
//! labelled with the artifacts they carry; and the processes with failing findings marked.

use crate::lang::graph::{End, Spec};
use crate::lang::jref::JRef;
use crate::model::Model;
use crate::report::{Report, Status};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// What a node of the map stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    /// A process of the model, with its status.
    Process {
        /// The process's `status` (or `no status`).
        status: String,
    },
    /// An external party named by `from_external` / `to_external`.
    External,
    /// A process id that some input or output names but no process has.
    Missing,
}

/// A node of the map: a process, an external party or a missing process.
#[derive(Debug, Clone)]
pub(super) struct Node {
    /// Process id, external party name, or the dangling id.
    pub(super) key: String,
    /// Process name (or the key).
    pub(super) name: String,
    /// What the node stands for.
    pub(super) kind: Kind,
    /// Failing rules with a finding on this process.
    pub(super) failing: BTreeSet<String>,
}

impl Node {
    /// The second line of the node's label: the process status, or what the node is.
    pub(super) fn status_line(&self) -> String {
        match &self.kind {
            Kind::Process { status } => status.clone(),
            Kind::External => "external party".to_owned(),
            Kind::Missing => "no such process".to_owned(),
        }
    }

    /// One-line description for tooltips.
    pub(super) fn tooltip(&self) -> String {
        let mut s = match &self.kind {
            Kind::Process { status } => format!("process {} ({}): {status}", self.key, self.name),
            Kind::External => format!("external party: {}", self.name),
            Kind::Missing => format!("process {} is referenced but not in the model", self.key),
        };
        if !self.failing.is_empty() {
            let ids: Vec<&str> = self.failing.iter().map(String::as_str).collect();
            let _ = write!(s, "; failing rules: {}", ids.join(", "));
        }
        s
    }
}

/// An edge of the map: the flows from one node to another, matched or one-sided.
#[derive(Debug, Clone)]
pub(super) struct Edge {
    /// Index of the sending node in [`Map::nodes`].
    pub(super) from: usize,
    /// Index of the receiving node in [`Map::nodes`].
    pub(super) to: usize,
    /// Artifacts carried, in model order, without duplicates.
    pub(super) artifacts: Vec<String>,
    /// Declared by one side only (an output without the matching input, or the reverse).
    pub(super) one_sided: bool,
}

/// The process-interaction graph read from a model.
#[derive(Debug, Clone)]
pub(super) struct Map {
    /// The map's title: the organisation, and the report's date when there is one.
    pub(super) title: String,
    /// The processes in model order, then the missing processes and external parties in
    /// the order flows first name them.
    pub(super) nodes: Vec<Node>,
    /// The edges in the order their first flow is declared.
    pub(super) edges: Vec<Edge>,
}

impl Map {
    /// Reads the map from `model`; with `report`, marks the processes that failing rules
    /// have findings on (by the finding's pointer or its entity id).
    pub(super) fn build(model: &Model, report: Option<&Report>) -> Map {
        let root = model.value();
        let empty = Vec::new();
        let processes = root
            .get(Spec::default().nodes())
            .and_then(Value::as_array)
            .unwrap_or(&empty);
        let mut nodes: Vec<Node> = Vec::new();
        let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
        for (i, p) in processes.iter().enumerate() {
            let key = text(p, "id").unwrap_or_else(|| format!("processes/{i}"));
            let name = text(p, "name").unwrap_or_else(|| key.clone());
            let status = text(p, "status").unwrap_or_else(|| "no status".to_owned());
            by_id.entry(key.clone()).or_insert(nodes.len());
            nodes.push(Node {
                key,
                name,
                kind: Kind::Process { status },
                failing: BTreeSet::new(),
            });
        }
        let process_count = nodes.len();

        // Every declared flow, in model order: (from, to, artifact, end), read as the graph
        // checks read it.
        let spec = Spec::default();
        let mut externals: BTreeMap<String, usize> = BTreeMap::new();
        let mut missing: BTreeMap<String, usize> = BTreeMap::new();
        let mut flows: Vec<(usize, usize, String, End)> = Vec::new();
        let named = |x: Option<&str>| x.filter(|s| !s.trim().is_empty()).map(str::to_owned);
        for (i, p) in processes.iter().enumerate() {
            for d in spec.declared(JRef::Value(p)) {
                let other = if let Some(id) = named(d.peer) {
                    match by_id.get(&id) {
                        Some(&n) => n,
                        None => *missing.entry(id.clone()).or_insert_with(|| {
                            nodes.push(Node {
                                key: id.clone(),
                                name: id.clone(),
                                kind: Kind::Missing,
                                failing: BTreeSet::new(),
                            });
                            nodes.len() - 1
                        }),
                    }
                } else if let Some(name) = named(d.external) {
                    *externals.entry(name.clone()).or_insert_with(|| {
                        nodes.push(Node {
                            key: name.clone(),
                            name: name.clone(),
                            kind: Kind::External,
                            failing: BTreeSet::new(),
                        });
                        nodes.len() - 1
                    })
                } else {
                    continue;
                };
                let artifact = named(d.label).unwrap_or_else(|| "(unnamed artifact)".to_owned());
                let (from, to) = match d.end {
                    End::Output => (i, other),
                    End::Input => (other, i),
                };
                flows.push((from, to, artifact, d.end));
            }
        }

        // A flow between two processes of the model is matched when both ends declare it.
        let declared = |side: End| -> BTreeSet<(usize, usize, &str)> {
            flows
                .iter()
                .filter(|f| f.3 == side)
                .map(|f| (f.0, f.1, f.2.as_str()))
                .collect()
        };
        let (outs, ins) = (declared(End::Output), declared(End::Input));
        let mut edges: Vec<Edge> = Vec::new();
        let mut slot: BTreeMap<(usize, usize, bool), usize> = BTreeMap::new();
        for (from, to, artifact, _) in &flows {
            let between_processes = *from < process_count && *to < process_count;
            let key = (*from, *to, artifact.as_str());
            let one_sided = matches!(nodes.get(*from).map(|n| &n.kind), Some(Kind::Missing))
                || matches!(nodes.get(*to).map(|n| &n.kind), Some(Kind::Missing))
                || (between_processes && !(outs.contains(&key) && ins.contains(&key)));
            let e = *slot.entry((*from, *to, one_sided)).or_insert_with(|| {
                edges.push(Edge {
                    from: *from,
                    to: *to,
                    artifacts: Vec::new(),
                    one_sided,
                });
                edges.len() - 1
            });
            if let Some(edge) = edges.get_mut(e)
                && !edge.artifacts.contains(artifact)
            {
                edge.artifacts.push(artifact.clone());
            }
        }

        if let Some(report) = report {
            for r in report.rules.iter().filter(|r| r.status == Status::Fail) {
                for f in &r.findings {
                    let by_pointer = process_index(&f.pointer).filter(|i| *i < process_count);
                    let by_entity = f.entity_id.as_ref().and_then(|id| by_id.get(id).copied());
                    for n in by_pointer.into_iter().chain(by_entity) {
                        if let Some(node) = nodes.get_mut(n) {
                            node.failing.insert(r.id.clone());
                        }
                    }
                }
            }
        }

        let org = root
            .pointer("/organization/name")
            .and_then(Value::as_str)
            .unwrap_or("the AIMS");
        let mut title = format!("Process-interaction map of {org}");
        if let Some(r) = report {
            let _ = write!(title, " as of {}", r.as_of);
        }
        Map {
            title,
            nodes,
            edges,
        }
    }
}

/// A node's id in DOT and Mermaid: `p<i>` for processes, `x<i>` for external parties,
/// `m<i>` for missing processes (plain ASCII, so no quoting is needed).
pub(super) fn node_id(i: usize, n: &Node) -> String {
    let prefix = match n.kind {
        Kind::Process { .. } => 'p',
        Kind::External => 'x',
        Kind::Missing => 'm',
    };
    format!("{prefix}{i}")
}

/// The index `i` of a pointer `/processes/<i>` or `/processes/<i>/...`.
fn process_index(pointer: &str) -> Option<usize> {
    let rest = pointer.strip_prefix("/processes/")?;
    let index = rest.split('/').next()?;
    if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    index.parse().ok()
}

/// A string field of a JSON object.
fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    /// Pointers into a process and its fields name its index; others name none.
    #[test]
    fn process_pointers() {
        assert_eq!(process_index("/processes/3"), Some(3));
        assert_eq!(process_index("/processes/12/owner_role_id"), Some(12));
        assert_eq!(process_index("/processes"), None);
        assert_eq!(process_index("/processes/x"), None);
        assert_eq!(process_index("/process_runs/1"), None);
    }
}
