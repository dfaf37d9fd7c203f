//! Graph checks over the process-interaction graph.
//!
//! Nodes are the entities of a collection (default `processes`) that pass `where`; an edge
//! A→B comes from an output of A naming B (`to_process_id`) or an input of B naming A
//! (`from_process_id`). Field names can be changed with the `graph` argument.

use super::compile::Compiler;
use super::eval::{Ctx, Env, Outcome, R, bind, eval, finding, message};
use super::jref::JRef;
use super::{Expr, Template, Tri, Val};
use crate::catalogue;
use crate::error::codes;
use crate::report::FindingKind;
use foldhash::HashMap;
use petgraph::graph::{DiGraph, NodeIndex};
use serde_json::{Map, Value};

/// Field names the graph is read from.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    nodes: String,
    outputs: String,
    to: String,
    to_external: String,
    inputs: String,
    from: String,
    from_external: String,
    label: String,
    refs: String,
}

impl Default for Spec {
    fn default() -> Self {
        let s = |x: &str| x.to_owned();
        Spec {
            nodes: s("processes"),
            outputs: s("outputs"),
            to: s("to_process_id"),
            to_external: s("to_external"),
            inputs: s("inputs"),
            from: s("from_process_id"),
            from_external: s("from_external"),
            label: s("artifact"),
            refs: s("clause_refs"),
        }
    }
}

/// Which end of a flow declared it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// An output of the sending node, naming the receiver.
    Output,
    /// An input of the receiving node, naming the sender.
    Input,
}

/// One flow a node declares, its fields as written (not trimmed, possibly empty).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Declared<'v> {
    /// Which end declared it.
    pub(crate) end: End,
    /// The other node's id (`to_process_id` of an output, `from_process_id` of an input).
    pub(crate) peer: Option<&'v str>,
    /// The external party (`to_external` / `from_external`).
    pub(crate) external: Option<&'v str>,
    /// What the flow carries (`artifact`).
    pub(crate) label: Option<&'v str>,
}

impl Spec {
    /// The flows `node` declares: its outputs, then its inputs, in model order. The checks
    /// and the process map read the graph through this one reader.
    pub(crate) fn declared<'v>(&self, node: JRef<'v>) -> Vec<Declared<'v>> {
        let field = |x: JRef<'v>, k: &str| x.get(k).and_then(JRef::as_str);
        let outputs = items(node, &self.outputs).map(|o| Declared {
            end: End::Output,
            peer: field(o, &self.to),
            external: field(o, &self.to_external),
            label: field(o, &self.label),
        });
        let inputs = items(node, &self.inputs).map(|i| Declared {
            end: End::Input,
            peer: field(i, &self.from),
            external: field(i, &self.from_external),
            label: field(i, &self.label),
        });
        outputs.chain(inputs).collect()
    }

    /// The collection the graph's nodes are read from (`processes`).
    pub(crate) fn nodes(&self) -> &str {
        &self.nodes
    }
}

#[derive(Debug)]
pub(crate) enum Kind {
    Isolated(Template),
    Unmatched {
        output: Template,
        input: Template,
    },
    Flow {
        from: Vec<String>,
        to: Vec<String>,
        transitive: bool,
        message: Template,
    },
    Acyclic(Template),
}

/// A compiled graph check.
#[derive(Debug)]
pub(crate) struct GraphCheck {
    kind: Kind,
    spec: Spec,
    filter: Option<Expr>,
    process: usize,
    peer: usize,
    flow: usize,
    cycle: usize,
    /// Identifies the graph this check reads, so that checks over the same graph share it
    /// within one evaluation; `None` when `where` reads variables (it may differ per use).
    key: Option<String>,
}

/// The graph of one evaluation: which nodes pass `where`, the edges between them, and which
/// nodes an edge touches.
#[derive(Debug)]
pub(crate) struct Built {
    included: Vec<bool>,
    edges: Vec<Edge>,
    touched: Vec<bool>,
}

fn strings(c: &mut Compiler, v: Option<&Value>, what: &str, at: &str) -> Vec<String> {
    match v.and_then(Value::as_array) {
        Some(a) if !a.is_empty() && a.iter().all(Value::is_string) => {
            let ids: Vec<String> = a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect();
            for (i, id) in ids.iter().enumerate() {
                if !catalogue::is_ref(id) {
                    c.error(
                        codes::PACK_CLAUSE,
                        format!("\"{id}\" is not a clause or Annex A control of the catalogue"),
                        &format!("{at}/{i}"),
                    );
                }
            }
            ids
        }
        _ => {
            c.error(
                codes::PACK_OPERATOR,
                format!("`{what}` must be a non-empty list of clause or control ids"),
                at,
            );
            Vec::new()
        }
    }
}

fn spec(c: &mut Compiler, v: Option<&Value>, at: &str) -> Spec {
    let mut s = Spec::default();
    let Some(v) = v else { return s };
    let Some(o) = v.as_object() else {
        c.error(
            codes::PACK_OPERATOR,
            "`graph` must be an object of field names",
            at,
        );
        return s;
    };
    for (k, v) in o {
        let Some(val) = v.as_str().map(str::to_owned) else {
            c.error(
                codes::PACK_OPERATOR,
                format!("`graph.{k}` must be a string"),
                at,
            );
            continue;
        };
        let slot = match k.as_str() {
            "nodes" => &mut s.nodes,
            "outputs" => &mut s.outputs,
            "to" => &mut s.to,
            "to_external" => &mut s.to_external,
            "inputs" => &mut s.inputs,
            "from" => &mut s.from,
            "from_external" => &mut s.from_external,
            "label" => &mut s.label,
            "refs" => &mut s.refs,
            _ => {
                c.error(
                    codes::PACK_OPERATOR,
                    format!("`graph` has no field `{k}`"),
                    at,
                );
                continue;
            }
        };
        *slot = val;
    }
    s
}

pub(crate) fn compile(c: &mut Compiler, op: &str, arg: &Value, at: &str) -> Option<GraphCheck> {
    let empty = Map::new();
    let a = match arg.as_object() {
        Some(a) => a,
        None => {
            c.error(
                codes::PACK_OPERATOR,
                format!("check `{op}` takes an object of arguments"),
                at,
            );
            &empty
        }
    };
    let allowed: &[&str] = match op {
        "graph_isolated" | "graph_acyclic" => &["where", "message", "graph"],
        "graph_unmatched" => &["where", "output_message", "input_message", "graph"],
        "graph_flow" => &["where", "from", "to", "transitive", "message", "graph"],
        other => {
            c.error(
                codes::PACK_OPERATOR,
                format!("unknown graph check `{other}` (graph_isolated, graph_unmatched, graph_flow, graph_acyclic)"),
                at,
            );
            return None;
        }
    };
    for k in a.keys() {
        if !allowed.contains(&k.as_str()) {
            c.error(
                codes::PACK_OPERATOR,
                format!("check `{op}` has no argument `{k}`"),
                &format!("{at}/{k}"),
            );
        }
    }
    let spec = spec(c, a.get("graph"), &format!("{at}/graph"));
    let where_text = a.get("where").map(Value::to_string).unwrap_or_default();
    let key = (!where_text.contains('$')).then(|| format!("{spec:?}\u{0}{where_text}"));
    c.scoped(Some("process".to_owned()), true, |c, process| {
        let filter = a.get("where").map(|w| c.expr(w, &format!("{at}/where")));
        c.scoped(Some("peer".to_owned()), false, |c, peer| {
            c.scoped(Some("flow".to_owned()), false, |c, flow| {
                c.scoped(Some("cycle".to_owned()), false, |c, cycle| {
                    let tpl = |c: &mut Compiler, key: &str| {
                        let t = c.template(a.get(key), &format!("{at}/{key}"));
                        if t.is_none() {
                            c.error(
                                codes::PACK_OPERATOR,
                                format!("check `{op}` needs `{key}`"),
                                at,
                            );
                        }
                        t
                    };
                    let kind = match op {
                        "graph_isolated" => Kind::Isolated(tpl(c, "message")?),
                        "graph_acyclic" => Kind::Acyclic(tpl(c, "message")?),
                        "graph_unmatched" => Kind::Unmatched {
                            output: tpl(c, "output_message")?,
                            input: tpl(c, "input_message")?,
                        },
                        _ => {
                            let from = strings(c, a.get("from"), "from", &format!("{at}/from"));
                            let to = strings(c, a.get("to"), "to", &format!("{at}/to"));
                            let transitive = a
                                .get("transitive")
                                .and_then(Value::as_bool)
                                .unwrap_or(false);
                            Kind::Flow {
                                from,
                                to,
                                transitive,
                                message: tpl(c, "message")?,
                            }
                        }
                    };
                    Some(GraphCheck {
                        kind,
                        spec,
                        filter,
                        process,
                        peer,
                        flow,
                        cycle,
                        key,
                    })
                })
            })
        })
    })
}

#[derive(Debug)]
struct Edge {
    from: usize,
    to: usize,
}

fn s<'v>(v: JRef<'v>, k: &str) -> Option<&'v str> {
    v.get(k).and_then(JRef::as_str).filter(|x| !x.is_empty())
}

fn items<'v>(v: JRef<'v>, k: &str) -> super::jref::Items<'v> {
    match v.get(k) {
        Some(list) => list.items(),
        None => JRef::Value(&Value::Null).items(),
    }
}

pub(crate) fn run<'a>(
    ctx: &Ctx<'a>,
    g: &'a GraphCheck,
    env: &mut Env<'a>,
    out: &mut Outcome,
) -> R<()> {
    let sp = &g.spec;
    let Some(coll) = ctx.root().get(&sp.nodes) else {
        out.reason
            .get_or_insert_with(|| format!("the model has no {}", sp.nodes));
        return Ok(());
    };
    let nodes: Vec<JRef<'a>> = coll.items().collect();
    let node_val = |_: usize, v: JRef<'a>| Val::from_ref(v);
    let built = match g.key.as_ref().and_then(|k| ctx.graph(k)) {
        Some(b) => b,
        None => {
            let b = std::rc::Rc::new(build(ctx, g, &nodes, &node_val, env)?);
            if let Some(k) = &g.key {
                ctx.keep_graph(k, b.clone());
            }
            b
        }
    };
    let Built {
        included,
        edges,
        touched,
    } = &*built;
    // One step per node and per edge the check goes over.
    ctx.charge(nodes.len().saturating_add(edges.len()))?;
    let inc = |i: usize| included.get(i).copied().unwrap_or(false);
    let resolve = |id: &str| ctx.model.index_of(&sp.nodes, id);
    match &g.kind {
        Kind::Isolated(t) => {
            for (i, &n) in nodes.iter().enumerate().filter(|(i, _)| inc(*i)) {
                out.applicable = true;
                out.checked += 1;
                let external = items(n, &sp.inputs).any(|x| s(x, &sp.from_external).is_some())
                    || items(n, &sp.outputs).any(|x| s(x, &sp.to_external).is_some());
                if !external && !touched.get(i).copied().unwrap_or(false) {
                    let v = node_val(i, n);
                    let ptr = v.ptr().unwrap_or_default();
                    bind(env, g.process, v);
                    let f = finding(ctx, FindingKind::Violation, ptr, message(ctx, t, env));
                    out.push(f, ctx.max_findings);
                }
            }
        }
        Kind::Unmatched { output, input } => {
            let id_of = |i: usize| nodes.get(i).and_then(|n| s(*n, "id"));
            let label = |x: JRef<'a>| x.get(&sp.label).filter(|v| !v.is_null());
            // The labels each included node lists in one direction, by the node it names: a
            // lookup per flow instead of a walk of the peer's list (a hub that every process
            // feeds would otherwise be walked once per process).
            let back = |list: &str, key: &str| {
                let mut by: HashMap<(usize, Option<&'a str>), Vec<Option<JRef<'a>>>> =
                    HashMap::default();
                for (b, &peer) in nodes.iter().enumerate().filter(|(i, _)| inc(*i)) {
                    for y in items(peer, list) {
                        by.entry((b, s(y, key))).or_default().push(label(y));
                    }
                }
                by
            };
            let (back_inputs, back_outputs) =
                (back(&sp.inputs, &sp.from), back(&sp.outputs, &sp.to));
            for (a, &n) in nodes.iter().enumerate().filter(|(i, _)| inc(*i)) {
                out.applicable = true;
                out.checked += 1;
                let a_id = id_of(a);
                for (list, other_key, backs, t) in [
                    (items(n, &sp.outputs), &sp.to, &back_inputs, output),
                    (items(n, &sp.inputs), &sp.from, &back_outputs, input),
                ] {
                    for x in list {
                        let Some(b) = s(x, other_key).and_then(resolve).filter(|b| inc(*b)) else {
                            continue;
                        };
                        let Some(&peer) = nodes.get(b) else { continue };
                        let matched = backs.get(&(b, a_id)).is_some_and(|labels| {
                            labels.iter().any(|l| match (*l, label(x)) {
                                (Some(p), Some(q)) => p.strict_eq(q),
                                (p, q) => p.is_none() && q.is_none(),
                            })
                        });
                        if matched {
                            continue;
                        }
                        let nv = node_val(a, n);
                        let fv = Val::from_ref(x);
                        let ptr = fv.ptr().unwrap_or_default();
                        bind(env, g.process, nv);
                        bind(env, g.peer, node_val(b, peer));
                        bind(env, g.flow, fv);
                        let f = finding(ctx, FindingKind::Violation, ptr, message(ctx, t, env));
                        out.push(f, ctx.max_findings);
                    }
                }
            }
        }
        Kind::Flow {
            from,
            to,
            transitive,
            message: t,
        } => {
            out.applicable = true;
            out.checked += 1;
            let under = |i: usize, set: &[String]| {
                nodes.get(i).is_some_and(|n| {
                    items(*n, &sp.refs)
                        .filter_map(JRef::as_str)
                        .any(|r| set.iter().any(|t| catalogue::is_under(r, t)))
                })
            };
            let starts: Vec<usize> = (0..nodes.len())
                .filter(|i| inc(*i) && under(*i, from))
                .collect();
            let mut is_start = vec![false; nodes.len()];
            for i in &starts {
                if let Some(x) = is_start.get_mut(*i) {
                    *x = true;
                }
            }
            let starts_at = |i: usize| is_start.get(i).copied().unwrap_or(false);
            // A process that carries both ends of the flow performs it internally.
            let found = starts.iter().any(|s| under(*s, to))
                || if *transitive {
                    let mut graph: DiGraph<usize, ()> = DiGraph::new();
                    let idx: Vec<NodeIndex> = (0..nodes.len()).map(|i| graph.add_node(i)).collect();
                    let source = graph.add_node(usize::MAX);
                    for e in edges.iter() {
                        if let (Some(x), Some(y)) = (idx.get(e.from), idx.get(e.to)) {
                            graph.add_edge(*x, *y, ());
                        }
                    }
                    // The search starts from the nodes one real edge away from a start node.
                    for e in edges.iter().filter(|e| starts_at(e.from)) {
                        if let Some(y) = idx.get(e.to) {
                            graph.update_edge(source, *y, ());
                        }
                    }
                    let mut dfs = petgraph::visit::Dfs::new(&graph, source);
                    let mut hit = false;
                    while let Some(nx) = dfs.next(&graph) {
                        let i = graph.node_weight(nx).copied().unwrap_or(usize::MAX);
                        if nx != source && under(i, to) {
                            hit = true;
                            break;
                        }
                    }
                    hit
                } else {
                    edges.iter().any(|e| starts_at(e.from) && under(e.to, to))
                };
            if !found {
                let f = finding(
                    ctx,
                    FindingKind::Violation,
                    format!("/{}", crate::locate::escape(&sp.nodes)),
                    message(ctx, t, env),
                );
                out.push(f, ctx.max_findings);
            }
        }
        Kind::Acyclic(t) => {
            let mut graph: DiGraph<usize, ()> = DiGraph::new();
            let idx: Vec<NodeIndex> = (0..nodes.len()).map(|i| graph.add_node(i)).collect();
            for e in edges.iter() {
                if let (Some(x), Some(y)) = (idx.get(e.from), idx.get(e.to)) {
                    graph.update_edge(*x, *y, ());
                }
            }
            out.applicable = true;
            out.checked += included.iter().filter(|x| **x).count();
            let mut cycles: Vec<Vec<usize>> = petgraph::algo::tarjan_scc(&graph)
                .into_iter()
                .map(|scc| {
                    let mut v: Vec<usize> = scc
                        .iter()
                        .filter_map(|n| graph.node_weight(*n).copied())
                        .collect();
                    v.sort_unstable();
                    v
                })
                .filter(|v| match v.as_slice() {
                    [one] => edges.iter().any(|e| e.from == *one && e.to == *one),
                    more => more.len() > 1,
                })
                .collect();
            cycles.sort();
            for cyc in cycles {
                let Some(first) = cyc.first().copied() else {
                    continue;
                };
                let Some(&n) = nodes.get(first) else { continue };
                let ids: Vec<Value> = cyc
                    .iter()
                    .filter_map(|i| nodes.get(*i).and_then(|n| s(*n, "id")))
                    .map(|x| Value::String(x.to_owned()))
                    .collect();
                let v = node_val(first, n);
                let ptr = v.ptr().unwrap_or_default();
                bind(env, g.process, v);
                bind(env, g.cycle, Val::Own(Value::Array(ids)));
                let f = finding(ctx, FindingKind::Violation, ptr, message(ctx, t, env));
                out.push(f, ctx.max_findings);
            }
        }
    }
    Ok(())
}

/// Reads the graph: the nodes that pass `where`, and the edges between them.
fn build<'a>(
    ctx: &Ctx<'a>,
    g: &'a GraphCheck,
    nodes: &[JRef<'a>],
    node_val: &dyn Fn(usize, JRef<'a>) -> Val<'a>,
    env: &mut Env<'a>,
) -> R<Built> {
    let sp = &g.spec;
    let mut included = vec![false; nodes.len()];
    for (i, &n) in nodes.iter().enumerate() {
        let ok = match &g.filter {
            None => true,
            Some(f) => {
                bind(env, g.process, node_val(i, n));
                eval(ctx, f, env)?.truth() == Tri::True
            }
        };
        if let Some(x) = included.get_mut(i) {
            *x = ok;
        }
    }
    let inc = |i: usize| included.get(i).copied().unwrap_or(false);
    let resolve = |id: &str| ctx.model.index_of(&sp.nodes, id);
    // Edges between included nodes, from both sides' declarations.
    let mut edges: Vec<Edge> = Vec::new();
    let mut touched = vec![false; nodes.len()];
    for (a, &n) in nodes.iter().enumerate() {
        for d in sp.declared(n) {
            let Some(b) = d.peer.filter(|x| !x.is_empty()).and_then(resolve) else {
                continue;
            };
            if inc(a) && inc(b) {
                mark(&mut touched, a, b);
                edges.push(match d.end {
                    End::Output => Edge { from: a, to: b },
                    End::Input => Edge { from: b, to: a },
                });
            }
        }
    }
    Ok(Built {
        included,
        edges,
        touched,
    })
}

fn mark(touched: &mut [bool], a: usize, b: usize) {
    if a == b {
        return;
    }
    for i in [a, b] {
        if let Some(t) = touched.get_mut(i) {
            *t = true;
        }
    }
}
