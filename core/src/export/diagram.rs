//! The process-interaction map: the model's processes as nodes, their inputs and outputs as
//! labelled edges, the external parties they exchange with as nodes of their own, and the
//! processes with failing findings marked.
//!
//! Three forms: Graphviz DOT and Mermaid (text for other tools to draw) and a self-contained
//! SVG picture laid out by the `layout-rs` crate (a layered, Sugiyama-style layout that also
//! routes edges and places their labels) and drawn by this module, so that the output is
//! deterministic and carries classes and ids a page or a test can address.
//!
//! ```
//! use aimscheck::export::diagram::{self, DiagramFormat};
//! let model = aimscheck::Model::from_json(r#"{"schema_version": "1.0", "processes": [
//!     {"id": "p-ra", "name": "Risk assessment", "status": "active",
//!      "outputs": [{"artifact": "assessed risks", "to_process_id": "p-rt"}]},
//!     {"id": "p-rt", "name": "Risk treatment", "status": "active",
//!      "inputs": [{"artifact": "assessed risks", "from_process_id": "p-ra"}]}]}"#)?;
//! let dot = diagram::render(&model, None, DiagramFormat::Dot)?;
//! assert!(dot.contains("Risk assessment") && dot.contains("assessed risks"));
//! let svg = diagram::render(&model, None, DiagramFormat::Svg)?;
//! assert!(svg.starts_with("<svg") && svg.contains(r#"data-id="p-rt""#));
//! # Ok::<(), aimscheck::Error>(())
//! ```

use crate::error::{Error, Issue, Result, codes};
use crate::model::Model;
use crate::report::{Report, Status};
use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::{Point, Position};
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// A form of the process map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagramFormat {
    /// Graphviz DOT.
    Dot,
    /// A self-contained SVG picture.
    Svg,
    /// A Mermaid flowchart.
    Mermaid,
}

impl DiagramFormat {
    /// Parses `dot`, `svg` or `mermaid`.
    pub fn parse(s: &str) -> Option<DiagramFormat> {
        Some(match s {
            "dot" => DiagramFormat::Dot,
            "svg" => DiagramFormat::Svg,
            "mermaid" => DiagramFormat::Mermaid,
            _ => return None,
        })
    }

    /// The format's name.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagramFormat::Dot => "dot",
            DiagramFormat::Svg => "svg",
            DiagramFormat::Mermaid => "mermaid",
        }
    }
}

/// Renders the process map of `model`; with `report`, the processes with findings of failing
/// rules are marked (red border, class `failing`).
pub fn render(model: &Model, report: Option<&Report>, format: DiagramFormat) -> Result<String> {
    let map = Map::build(model, report);
    match format {
        DiagramFormat::Dot => Ok(map.dot()),
        DiagramFormat::Mermaid => Ok(map.mermaid()),
        DiagramFormat::Svg => {
            let mut svg = map.svg()?;
            svg.push('\n');
            Ok(svg)
        }
    }
}

/// The SVG picture without a trailing newline, for embedding in a page.
pub(crate) fn svg(model: &Model, report: Option<&Report>) -> Result<String> {
    Map::build(model, report).svg()
}

/// What a node of the map stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// A process of the model, with its status.
    Process { status: String },
    /// An external party named by `from_external` / `to_external`.
    External,
    /// A process id that some input or output names but no process has.
    Missing,
}

#[derive(Debug, Clone)]
struct Node {
    /// Process id, external party name, or the dangling id.
    key: String,
    /// Process name (or the key).
    name: String,
    kind: Kind,
    /// Failing rules with a finding on this process.
    failing: BTreeSet<String>,
}

impl Node {
    fn status_line(&self) -> String {
        match &self.kind {
            Kind::Process { status } => status.clone(),
            Kind::External => "external party".to_owned(),
            Kind::Missing => "no such process".to_owned(),
        }
    }

    /// One-line description for tooltips.
    fn tooltip(&self) -> String {
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

    fn css_classes(&self) -> String {
        let mut c = match &self.kind {
            Kind::Process { status } => format!("node process status-{}", css_word(status)),
            Kind::External => "node external".to_owned(),
            Kind::Missing => "node missing".to_owned(),
        };
        if !self.failing.is_empty() {
            c.push_str(" failing");
        }
        c
    }
}

#[derive(Debug, Clone)]
struct Edge {
    from: usize,
    to: usize,
    /// Artifacts carried, in model order, without duplicates.
    artifacts: Vec<String>,
    /// Declared by one side only (an output without the matching input, or the reverse).
    one_sided: bool,
}

/// The process-interaction graph read from a model.
#[derive(Debug, Clone)]
struct Map {
    title: String,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
}

/// Which end of a flow declared it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Output,
    Input,
}

impl Map {
    fn build(model: &Model, report: Option<&Report>) -> Map {
        let root = model.value();
        let empty = Vec::new();
        let processes = root
            .get("processes")
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

        // Every declared flow, in model order: (from, to, artifact, side).
        let mut externals: BTreeMap<String, usize> = BTreeMap::new();
        let mut missing: BTreeMap<String, usize> = BTreeMap::new();
        let mut flows: Vec<(usize, usize, String, Side)> = Vec::new();
        for (i, p) in processes.iter().enumerate() {
            for (field, side) in [("outputs", Side::Output), ("inputs", Side::Input)] {
                let Some(items) = p.get(field).and_then(Value::as_array) else {
                    continue;
                };
                for item in items {
                    let (process_key, external_key) = match side {
                        Side::Output => ("to_process_id", "to_external"),
                        Side::Input => ("from_process_id", "from_external"),
                    };
                    let other = if let Some(id) = text(item, process_key) {
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
                    } else if let Some(name) = text(item, external_key) {
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
                    let artifact =
                        text(item, "artifact").unwrap_or_else(|| "(unnamed artifact)".to_owned());
                    let (from, to) = match side {
                        Side::Output => (i, other),
                        Side::Input => (other, i),
                    };
                    flows.push((from, to, artifact, side));
                }
            }
        }

        // A flow between two processes of the model is matched when both ends declare it.
        let declared = |side: Side| -> BTreeSet<(usize, usize, &str)> {
            flows
                .iter()
                .filter(|f| f.3 == side)
                .map(|f| (f.0, f.1, f.2.as_str()))
                .collect()
        };
        let (outs, ins) = (declared(Side::Output), declared(Side::Input));
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
            if let Some(edge) = edges.get_mut(e) {
                if !edge.artifacts.contains(artifact) {
                    edge.artifacts.push(artifact.clone());
                }
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

    /// Graphviz DOT.
    fn dot(&self) -> String {
        let mut s = String::new();
        s.push_str("digraph aimscheck_process_map {\n");
        let _ = writeln!(
            s,
            "  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica,Arial,sans-serif\", label={}];",
            dot_str(&self.title)
        );
        s.push_str(
            "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#37474f\", fontname=\"Helvetica,Arial,sans-serif\"];\n",
        );
        s.push_str(
            "  edge [color=\"#546e7a\", fontsize=10, fontname=\"Helvetica,Arial,sans-serif\"];\n",
        );
        for (i, n) in self.nodes.iter().enumerate() {
            let mut attrs = vec![
                format!(
                    "label={}",
                    dot_str(&format!("{}\n{}", n.name, n.status_line()))
                ),
                format!("id={}", dot_str(&n.key)),
                format!("tooltip={}", dot_str(&n.tooltip())),
            ];
            match &n.kind {
                Kind::Process { status } if status == "planned" => {
                    attrs.push("style=\"rounded,filled,dashed\"".to_owned());
                    attrs.push("fillcolor=\"#fff8e1\"".to_owned());
                }
                Kind::Process { status } if status == "retired" => {
                    attrs.push("fillcolor=\"#eeeeee\"".to_owned());
                    attrs.push("fontcolor=\"#616161\"".to_owned());
                }
                Kind::Process { .. } => {}
                Kind::External => {
                    attrs.push("shape=ellipse".to_owned());
                    attrs.push("style=filled".to_owned());
                    attrs.push("fillcolor=\"#e3f2fd\"".to_owned());
                    attrs.push("color=\"#5c7c99\"".to_owned());
                }
                Kind::Missing => {
                    attrs.push("style=\"rounded,dashed\"".to_owned());
                    attrs.push("color=\"#9e9e9e\"".to_owned());
                    attrs.push("fontcolor=\"#757575\"".to_owned());
                }
            }
            if !n.failing.is_empty() {
                attrs.push("color=\"#c62828\"".to_owned());
                attrs.push("penwidth=3".to_owned());
                attrs.push("fillcolor=\"#ffebee\"".to_owned());
                attrs.push("class=\"failing\"".to_owned());
            }
            let _ = writeln!(s, "  {} [{}];", node_id(i, n), attrs.join(", "));
        }
        for e in &self.edges {
            let (Some(a), Some(b)) = (self.nodes.get(e.from), self.nodes.get(e.to)) else {
                continue;
            };
            let mut attrs = vec![format!("label={}", dot_str(&e.artifacts.join("\n")))];
            if e.one_sided {
                attrs.push("style=dashed".to_owned());
                attrs.push("tooltip=\"declared by one side only\"".to_owned());
            }
            let _ = writeln!(
                s,
                "  {} -> {} [{}];",
                node_id(e.from, a),
                node_id(e.to, b),
                attrs.join(", ")
            );
        }
        s.push_str("}\n");
        s
    }

    /// Mermaid flowchart.
    fn mermaid(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "%% {}", self.title.replace('\n', " "));
        s.push_str("flowchart LR\n");
        for (i, n) in self.nodes.iter().enumerate() {
            let label = format!(
                "{}<br/>{}",
                mermaid_text(&n.name),
                mermaid_text(&n.status_line())
            );
            let id = node_id(i, n);
            let class = match &n.kind {
                Kind::Process { status } if status == "planned" => ":::planned",
                Kind::Process { status } if status == "retired" => ":::retired",
                Kind::Process { .. } => "",
                Kind::External => ":::external",
                Kind::Missing => ":::missing",
            };
            // Mermaid node ids must be plain words; a comment names the model's id.
            let _ = writeln!(s, "  %% {id}: {}", n.key.replace('\n', " "));
            match n.kind {
                Kind::External => {
                    let _ = writeln!(s, "  {id}([\"{label}\"]){class}");
                }
                _ => {
                    let _ = writeln!(s, "  {id}[\"{label}\"]{class}");
                }
            }
        }
        for e in &self.edges {
            let (Some(a), Some(b)) = (self.nodes.get(e.from), self.nodes.get(e.to)) else {
                continue;
            };
            let label: Vec<String> = e.artifacts.iter().map(|x| mermaid_text(x)).collect();
            let arrow = if e.one_sided { "-.->" } else { "-->" };
            let _ = writeln!(
                s,
                "  {} {arrow}|\"{}\"| {}",
                node_id(e.from, a),
                label.join("<br/>"),
                node_id(e.to, b)
            );
        }
        s.push_str("  classDef failing stroke:#c62828,stroke-width:3px,fill:#ffebee\n");
        s.push_str("  classDef planned stroke-dasharray:5 3,fill:#fff8e1\n");
        s.push_str("  classDef retired fill:#eeeeee,color:#616161\n");
        s.push_str("  classDef external fill:#e3f2fd,stroke:#5c7c99\n");
        s.push_str("  classDef missing stroke-dasharray:4 3,stroke:#9e9e9e,color:#757575\n");
        let failing: Vec<String> = self
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| !n.failing.is_empty())
            .map(|(i, n)| node_id(i, n))
            .collect();
        if !failing.is_empty() {
            let _ = writeln!(s, "  class {} failing", failing.join(","));
        }
        s
    }

    /// The SVG picture, laid out by `layout-rs`: with its crossing-reduction passes up to
    /// `OPTIMISE_UP_TO` nodes and flows, without them up to `DRAW_UP_TO` (the passes cost
    /// much more than linear time) or when a layout with them fails.
    fn svg(&self) -> Result<String> {
        if self.nodes.is_empty() {
            return Ok(empty_svg(&self.title));
        }
        let size = self.nodes.len() + self.edges.len();
        if size > DRAW_UP_TO {
            return Err(Error::Export(Box::new(Issue::new(
                codes::EXPORT,
                format!(
                    "cannot draw the process map: its {} nodes and {} flows are more than the picture lays out ({DRAW_UP_TO} in all); use the DOT or Mermaid form",
                    self.nodes.len(),
                    self.edges.len()
                ),
                "/processes",
            ))));
        }
        let optimised = if size <= OPTIMISE_UP_TO {
            self.lay_out(true)
        } else {
            None
        };
        optimised.or_else(|| self.lay_out(false)).ok_or_else(|| {
            Error::Export(Box::new(Issue::new(
                codes::EXPORT,
                "cannot draw the process map: the graph layout failed; use the DOT or Mermaid form",
                "/processes",
            )))
        })
    }

    /// One layout and drawing; `None` when `layout-rs` panics (it asserts on some inputs).
    fn lay_out(&self, optimise: bool) -> Option<String> {
        let mut vg = VisualGraph::new(Orientation::TopToBottom);
        let mut handles = Vec::with_capacity(self.nodes.len());
        let mut boxes = Vec::with_capacity(self.nodes.len());
        for (i, n) in self.nodes.iter().enumerate() {
            let lines = node_lines(n);
            let size = text_size(&lines, NODE_CHAR, NODE_LINE, 28.0, 16.0);
            let (shape, size) = match n.kind {
                Kind::External => (
                    ShapeKind::Circle(lines.join("\n")),
                    Point::new(size.x * 1.3, size.y * 1.4),
                ),
                _ => (ShapeKind::Box(lines.join("\n")), size),
            };
            let look = StyleAttr::new(Color::fast("black"), 1, None, 0, NODE_FONT);
            let mut element = Element::create_with_properties(
                shape,
                look,
                Orientation::TopToBottom,
                size,
                format!("n{i}"),
            );
            // Less free space around nodes than the crate's default (60 px each side): the
            // map of a large AIMS is wide enough already.
            element.pos = Position::new(Point::zero(), size, Point::zero(), NODE_HALO);
            handles.push(vg.add_node(element));
            boxes.push(lines);
        }
        for (i, e) in self.edges.iter().enumerate() {
            let (Some(&from), Some(&to)) = (handles.get(e.from), handles.get(e.to)) else {
                continue;
            };
            // The label is laid out as a node of its own; `layout-rs` sizes it from the
            // character count times the style's font size.
            let look = StyleAttr::new(Color::fast("black"), 1, None, 0, LABEL_SIZING_FONT);
            let style = if e.one_sided {
                LineStyleKind::Dashed
            } else {
                LineStyleKind::Normal
            };
            let arrow = Arrow::with_properties(
                LineEndKind::None,
                LineEndKind::Arrow,
                style,
                &edge_label(&e.artifacts).join("\n"),
                &look,
                format!("e{i}"),
                &None,
                &None,
            );
            vg.add_edge(arrow, from, to);
        }
        let mut canvas = Canvas::new(self, &boxes);
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            vg.do_it(false, !optimise, false, &mut canvas);
        }))
        .ok()?;
        Some(canvas.finish(&self.title))
    }
}

/// Most nodes plus flows laid out with the crate's crossing-reduction passes.
const OPTIMISE_UP_TO: usize = 120;
/// Most nodes plus flows drawn at all (a layout of this size takes about two seconds).
const DRAW_UP_TO: usize = 400;
/// Free space kept around each node by the layout, in px (horizontal, vertical).
const NODE_HALO: Point = Point { x: 24.0, y: 30.0 };
/// Font size of node text in the SVG, in px.
const NODE_FONT: usize = 13;
/// Average advance of a node character at `NODE_FONT`, in px (sans-serif).
const NODE_CHAR: f64 = 7.3;
/// Line height of node text, in px.
const NODE_LINE: f64 = 17.0;
/// Font size of edge labels in the SVG, in px.
const LABEL_FONT: f64 = 11.0;
/// Line height of edge labels, in px.
const LABEL_LINE: f64 = 13.5;
/// The font size `layout-rs` sizes edge labels with: it reserves this many px per character
/// and per line (plus padding), about the advance of an 11 px sans-serif character.
const LABEL_SIZING_FONT: usize = 7;
/// Characters per line of a node label and an edge label.
const NODE_WRAP: usize = 20;
const LABEL_WRAP: usize = 16;
/// Lines shown per artifact of an edge label (the full text is in the edge's tooltip).
const LABEL_LINES_PER_ARTIFACT: usize = 3;

/// The text lines of a node: its name, wrapped, then its status.
fn node_lines(n: &Node) -> Vec<String> {
    let mut lines = wrap(&n.name, NODE_WRAP);
    lines.push(n.status_line());
    lines
}

/// The lines of an edge label: each artifact wrapped, cut with an ellipsis past a few lines.
fn edge_label(artifacts: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for a in artifacts {
        let mut lines = wrap(a, LABEL_WRAP);
        if lines.len() > LABEL_LINES_PER_ARTIFACT {
            lines.truncate(LABEL_LINES_PER_ARTIFACT);
            if let Some(last) = lines.last_mut() {
                last.push('…');
            }
        }
        out.extend(lines);
    }
    out
}

/// Width and height of a block of text lines, with padding.
fn text_size(lines: &[String], char_w: f64, line_h: f64, pad_x: f64, pad_y: f64) -> Point {
    let widest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(1);
    Point::new(
        widest as f64 * char_w + pad_x,
        lines.len().max(1) as f64 * line_h + pad_y,
    )
}

/// Greedy word wrap at `width` characters; longer words are split.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let rest = word.split_off(width);
            lines.push(word.into_iter().collect());
            word = rest;
        }
        let len = line.chars().count();
        if len > 0 && len + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.extend(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
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

/// A node's id in DOT and Mermaid: `p<i>` for processes, `x<i>` for external parties,
/// `m<i>` for missing processes (plain ASCII, so no quoting is needed).
fn node_id(i: usize, n: &Node) -> String {
    let prefix = match n.kind {
        Kind::Process { .. } => 'p',
        Kind::External => 'x',
        Kind::Missing => 'm',
    };
    format!("{prefix}{i}")
}

/// A DOT double-quoted string; line breaks become `\n` (centred lines).
fn dot_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text inside a quoted Mermaid label, with Mermaid's entity codes for the characters that
/// would end the label or be read as markup.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A word usable in a CSS class name.
fn css_word(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Escapes text for XML content and attribute values (`quick-xml`'s escape); drops the
/// characters XML 1.0 forbids, which no escape can carry.
pub(crate) fn xml_escape(s: &str) -> String {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || !((c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}')
    };
    if s.chars().all(allowed) {
        quick_xml::escape::escape(s).into_owned()
    } else {
        quick_xml::escape::escape(
            s.chars()
                .filter(|&c| allowed(c))
                .collect::<String>()
                .as_str(),
        )
        .into_owned()
    }
}

/// A coordinate with one decimal, never `-0.0` or `NaN`.
fn num(v: f64) -> String {
    if !v.is_finite() || v.abs() < 0.05 {
        return "0".to_owned();
    }
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

/// The style sheet of the picture, scoped to its root class.
const STYLE: &str = "\
.aimscheck-map{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;background:#ffffff}\
.aimscheck-map .node rect,.aimscheck-map .node ellipse{fill:#ffffff;stroke:#37474f;stroke-width:1.5}\
.aimscheck-map .node text{font-size:13px;fill:#212121}\
.aimscheck-map .node text .status{font-size:11px;fill:#546e7a;font-style:italic}\
.aimscheck-map .status-planned rect{fill:#fff8e1;stroke-dasharray:6 3}\
.aimscheck-map .status-retired rect{fill:#eeeeee}\
.aimscheck-map .status-retired text{fill:#757575}\
.aimscheck-map .external ellipse{fill:#e3f2fd;stroke:#5c7c99}\
.aimscheck-map .missing rect{fill:#fafafa;stroke:#9e9e9e;stroke-dasharray:4 3}\
.aimscheck-map .missing text{fill:#757575}\
.aimscheck-map .failing rect,.aimscheck-map .failing ellipse{fill:#ffebee;stroke:#c62828;stroke-width:3}\
.aimscheck-map .failing text .status{fill:#c62828;font-weight:600}\
.aimscheck-map .edge path{fill:none;stroke:#78909c;stroke-width:1.3}\
.aimscheck-map .edge.one-sided path{stroke:#ef6c00;stroke-dasharray:5 4}\
.aimscheck-map .edge-label{font-size:11px;fill:#37474f;paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round}";

/// An SVG for a model without processes.
fn empty_svg(title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"aimscheck-map\" width=\"420\" height=\"60\" viewBox=\"0 0 420 60\" role=\"img\" aria-labelledby=\"aimscheck-map-title\">\
<title id=\"aimscheck-map-title\">{}</title><style>{STYLE}</style>\
<text x=\"210\" y=\"34\" text-anchor=\"middle\" font-size=\"14\">The model declares no processes.</text></svg>",
        xml_escape(title)
    )
}

/// A `layout-rs` rendering backend that writes deterministic SVG with the map's classes.
struct Canvas<'a> {
    map: &'a Map,
    lines: &'a [Vec<String>],
    edges: String,
    nodes: String,
    labels: String,
    /// The node whose shape was drawn and whose text comes next.
    open: Option<usize>,
    min: (f64, f64),
    max: (f64, f64),
    clips: usize,
}

impl<'a> Canvas<'a> {
    fn new(map: &'a Map, lines: &'a [Vec<String>]) -> Canvas<'a> {
        Canvas {
            map,
            lines,
            edges: String::new(),
            nodes: String::new(),
            labels: String::new(),
            open: None,
            min: (f64::INFINITY, f64::INFINITY),
            max: (f64::NEG_INFINITY, f64::NEG_INFINITY),
            clips: 0,
        }
    }

    fn grow(&mut self, x: f64, y: f64) {
        if x.is_finite() && y.is_finite() {
            self.min = (self.min.0.min(x), self.min.1.min(y));
            self.max = (self.max.0.max(x), self.max.1.max(y));
        }
    }

    /// The node a shape's properties (`n<i>`) name.
    fn node_of(properties: Option<&str>) -> Option<usize> {
        properties?.strip_prefix('n')?.parse().ok()
    }

    /// Opens the group of node `i` (closed after its text).
    fn open_node(&mut self, i: usize) -> bool {
        let Some(n) = self.map.nodes.get(i) else {
            return false;
        };
        self.close_node();
        let failing: Vec<&str> = n.failing.iter().map(String::as_str).collect();
        let _ = write!(
            self.nodes,
            "<g class=\"{}\" data-id=\"{}\" data-kind=\"{}\"",
            n.css_classes(),
            xml_escape(&n.key),
            match n.kind {
                Kind::Process { .. } => "process",
                Kind::External => "external",
                Kind::Missing => "missing",
            }
        );
        if !failing.is_empty() {
            let _ = write!(
                self.nodes,
                " data-failing-rules=\"{}\"",
                xml_escape(&failing.join(" "))
            );
        }
        let _ = write!(self.nodes, "><title>{}</title>", xml_escape(&n.tooltip()));
        self.open = Some(i);
        true
    }

    fn close_node(&mut self) {
        if self.open.take().is_some() {
            self.nodes.push_str("</g>\n");
        }
    }

    fn finish(mut self, title: &str) -> String {
        self.close_node();
        let pad = 12.0;
        let (x0, y0) = if self.min.0.is_finite() {
            (self.min.0 - pad, self.min.1 - pad)
        } else {
            (0.0, 0.0)
        };
        let (x1, y1) = if self.max.0.is_finite() {
            (self.max.0 + pad, self.max.1 + pad)
        } else {
            (100.0, 100.0)
        };
        let (w, h) = ((x1 - x0).max(1.0), (y1 - y0).max(1.0));
        let mut s = String::new();
        let _ = writeln!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"aimscheck-map\" width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\" role=\"img\" aria-labelledby=\"aimscheck-map-title\">",
            num(w.ceil()),
            num(h.ceil()),
            num(x0),
            num(y0),
            num(w.ceil()),
            num(h.ceil())
        );
        let _ = writeln!(
            s,
            "<title id=\"aimscheck-map-title\">{}</title>",
            xml_escape(title)
        );
        let _ = writeln!(s, "<style>{STYLE}</style>");
        s.push_str(
            "<defs><marker id=\"aimscheck-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#607d8b\"/></marker></defs>\n",
        );
        let _ = writeln!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            num(x0),
            num(y0),
            num(w.ceil()),
            num(h.ceil())
        );
        let _ = write!(
            s,
            "<g class=\"edges\">\n{}</g>\n<g class=\"nodes\">\n{}</g>\n<g class=\"labels\">\n{}</g>\n</svg>",
            self.edges, self.nodes, self.labels
        );
        s
    }

    /// Writes `lines` centred on (x, y) into `out` as one `<text>`.
    fn text_block(out: &mut String, x: f64, y: f64, lines: &[String], line_h: f64, class: &str) {
        let n = lines.len();
        let first = y - (n.saturating_sub(1) as f64) * line_h / 2.0;
        let _ = write!(
            out,
            "<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\">",
            num(x),
            num(first)
        );
        for (k, line) in lines.iter().enumerate() {
            let dy = if k == 0 { "0".to_owned() } else { num(line_h) };
            let _ = write!(
                out,
                "<tspan x=\"{}\" dy=\"{dy}\">{}</tspan>",
                num(x),
                xml_escape(line)
            );
        }
        out.push_str("</text>");
    }
}

impl RenderBackend for Canvas<'_> {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _look: &StyleAttr,
        properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        self.grow(xy.x, xy.y);
        self.grow(xy.x + size.x, xy.y + size.y);
        let opened = Self::node_of(properties.as_deref()).is_some_and(|i| self.open_node(i));
        let _ = write!(
            self.nodes,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\"/>",
            num(xy.x),
            num(xy.y),
            num(size.x),
            num(size.y)
        );
        if !opened {
            self.nodes.push('\n');
        }
    }

    fn draw_line(
        &mut self,
        start: Point,
        stop: Point,
        _look: &StyleAttr,
        _properties: Option<String>,
    ) {
        self.grow(start.x, start.y);
        self.grow(stop.x, stop.y);
        let _ = writeln!(
            self.edges,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#78909c\"/>",
            num(start.x),
            num(start.y),
            num(stop.x),
            num(stop.y)
        );
    }

    fn draw_circle(
        &mut self,
        xy: Point,
        size: Point,
        _look: &StyleAttr,
        properties: Option<String>,
    ) {
        self.grow(xy.x - size.x / 2.0, xy.y - size.y / 2.0);
        self.grow(xy.x + size.x / 2.0, xy.y + size.y / 2.0);
        let opened = Self::node_of(properties.as_deref()).is_some_and(|i| self.open_node(i));
        let _ = write!(
            self.nodes,
            "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\"/>",
            num(xy.x),
            num(xy.y),
            num(size.x / 2.0),
            num(size.y / 2.0)
        );
        if !opened {
            self.nodes.push('\n');
        }
    }

    fn draw_text(&mut self, xy: Point, text: &str, _look: &StyleAttr) {
        if let Some(i) = self.open {
            // The text of the node just drawn: its name, then its status in a smaller style.
            let lines = self.lines.get(i).cloned().unwrap_or_default();
            let n = lines.len();
            let first = xy.y - (n.saturating_sub(1) as f64) * NODE_LINE / 2.0;
            let _ = write!(
                self.nodes,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\">",
                num(xy.x),
                num(first)
            );
            for (k, line) in lines.iter().enumerate() {
                let dy = if k == 0 {
                    "0".to_owned()
                } else {
                    num(NODE_LINE)
                };
                let class = if k + 1 == n { " class=\"status\"" } else { "" };
                let _ = write!(
                    self.nodes,
                    "<tspan x=\"{}\" dy=\"{dy}\"{class}>{}</tspan>",
                    num(xy.x),
                    xml_escape(line)
                );
            }
            self.nodes.push_str("</text>");
            self.close_node();
            return;
        }
        // An edge label, laid out as a node of its own.
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        if lines.is_empty() {
            return;
        }
        let size = text_size(&lines, LABEL_FONT * 0.56, LABEL_LINE, 0.0, 0.0);
        self.grow(xy.x - size.x / 2.0, xy.y - size.y / 2.0);
        self.grow(xy.x + size.x / 2.0, xy.y + size.y / 2.0);
        Self::text_block(
            &mut self.labels,
            xy.x,
            xy.y,
            &lines,
            LABEL_LINE,
            "edge-label",
        );
        self.labels.push('\n');
    }

    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        dashed: bool,
        head: (bool, bool),
        _look: &StyleAttr,
        properties: Option<String>,
        _text: &str,
    ) {
        let (Some(first), Some(second)) = (path.first(), path.get(1)) else {
            return;
        };
        for (a, b) in path {
            self.grow(a.x, a.y);
            self.grow(b.x, b.y);
        }
        let mut d = format!(
            "M{},{} C{},{} {},{} {},{}",
            num(first.0.x),
            num(first.0.y),
            num(first.1.x),
            num(first.1.y),
            num(second.0.x),
            num(second.0.y),
            num(second.1.x),
            num(second.1.y)
        );
        for (a, b) in path.iter().skip(2) {
            let _ = write!(d, " S{},{} {},{}", num(a.x), num(a.y), num(b.x), num(b.y));
        }
        let edge = properties
            .as_deref()
            .and_then(|p| p.strip_prefix('e'))
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| self.map.edges.get(i));
        let class = if dashed { "edge one-sided" } else { "edge" };
        let _ = write!(self.edges, "<g class=\"{class}\"");
        if let Some(e) = edge {
            let from = self.map.nodes.get(e.from).map_or("", |n| n.key.as_str());
            let to = self.map.nodes.get(e.to).map_or("", |n| n.key.as_str());
            let _ = write!(
                self.edges,
                " data-from=\"{}\" data-to=\"{}\"><title>{} → {}: {}{}</title>",
                xml_escape(from),
                xml_escape(to),
                xml_escape(from),
                xml_escape(to),
                xml_escape(&e.artifacts.join("; ")),
                if e.one_sided {
                    " (declared by one side only)"
                } else {
                    ""
                }
            );
        } else {
            self.edges.push('>');
        }
        let _ = write!(self.edges, "<path d=\"{d}\"");
        if head.0 {
            self.edges
                .push_str(" marker-start=\"url(#aimscheck-arrow)\"");
        }
        if head.1 {
            self.edges.push_str(" marker-end=\"url(#aimscheck-arrow)\"");
        }
        self.edges.push_str("/></g>\n");
    }

    fn create_clip(&mut self, _xy: Point, _size: Point, _rounded_px: usize) -> ClipHandle {
        // Only records use clips, and the map draws none.
        self.clips += 1;
        self.clips
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    fn model(json: &str) -> Model {
        Model::from_json(json).unwrap()
    }

    #[test]
    fn xml_escape_escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(xml_escape("a<b>&\"c's"), "a&lt;b&gt;&amp;&quot;c&apos;s");
        assert_eq!(
            xml_escape("tab\tline\nbell\u{7}end\u{ffff}"),
            "tab\tline\nbellend"
        );
        assert_eq!(xml_escape("plain"), "plain");
    }

    #[test]
    fn wraps_words_and_splits_long_ones() {
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
    }

    #[test]
    fn process_pointers() {
        assert_eq!(process_index("/processes/3"), Some(3));
        assert_eq!(process_index("/processes/12/owner_role_id"), Some(12));
        assert_eq!(process_index("/processes"), None);
        assert_eq!(process_index("/processes/x"), None);
        assert_eq!(process_index("/process_runs/1"), None);
    }

    #[test]
    fn empty_model_has_a_picture() {
        let m = model(r#"{"schema_version": "1.0"}"#);
        let svg = render(&m, None, DiagramFormat::Svg).unwrap();
        assert!(svg.contains("no processes"));
        let dot = render(&m, None, DiagramFormat::Dot).unwrap();
        assert!(dot.starts_with("digraph"));
    }

    #[test]
    fn self_loops_duplicates_dangling_and_externals_lay_out() {
        let m = model(
            r#"{"schema_version": "1.0", "processes": [
              {"id": "a", "name": "A \"quoted\" <b> & #1 | `x`", "status": "active",
               "inputs": [{"artifact": "feedback", "from_process_id": "a"},
                          {"artifact": "law", "from_external": "regulator"}],
               "outputs": [{"artifact": "feedback", "to_process_id": "a"},
                           {"artifact": "x", "to_process_id": "b"},
                           {"artifact": "y", "to_process_id": "b"},
                           {"artifact": "z", "to_process_id": "ghost"}]},
              {"id": "b", "name": "B", "status": "planned",
               "inputs": [{"artifact": "x", "from_process_id": "a"}],
               "outputs": [{"artifact": "back", "to_process_id": "a"}]}]}"#,
        );
        let map = Map::build(&m, None);
        assert_eq!(map.nodes.len(), 4); // a, b, ghost, regulator
        let svg = render(&m, None, DiagramFormat::Svg).unwrap();
        assert!(svg.contains("data-id=\"ghost\""));
        assert_eq!(
            map.lay_out(false).map(|s| s.contains("data-id=\"ghost\"")),
            Some(true)
        );
        assert!(svg.contains("data-id=\"regulator\""));
        assert!(svg.contains("&quot;quoted&quot; &lt;b&gt;"));
        let mermaid = render(&m, None, DiagramFormat::Mermaid).unwrap();
        assert!(mermaid.contains("#quot;quoted#quot; #lt;b#gt; #amp; #35;1 #124; #96;x#96;"));
        assert!(mermaid.contains("-.->")); // y and back are declared by one side only
        let dot = render(&m, None, DiagramFormat::Dot).unwrap();
        assert!(dot.contains(r#"A \"quoted\" <b>"#));
        assert_eq!(svg, render(&m, None, DiagramFormat::Svg).unwrap());
    }

    /// A chain of `n` processes, each sending one artifact to the next.
    fn chain(n: usize) -> Model {
        let processes: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                serde_json::json!({"id": format!("p{i}"), "name": format!("Process {i}"),
                    "status": "active",
                    "outputs": [{"artifact": "work", "to_process_id": format!("p{}", i + 1)}]})
            })
            .collect();
        Model::from_value(serde_json::json!({"schema_version": "1.0", "processes": processes}))
            .unwrap()
    }

    #[test]
    fn medium_maps_are_laid_out_without_the_costly_passes() {
        // 70 processes, one missing (p70) and 70 flows: over OPTIMISE_UP_TO, under DRAW_UP_TO.
        let m = chain(70);
        let svg = render(&m, None, DiagramFormat::Svg).unwrap();
        assert!(svg.contains("data-id=\"p0\"") && svg.contains("data-id=\"p69\""));
    }

    #[test]
    fn large_maps_are_refused_with_a_typed_error() {
        let m = chain(200); // 201 nodes and 200 flows
        let e = render(&m, None, DiagramFormat::Svg).unwrap_err();
        assert_eq!(e.code(), codes::EXPORT);
        assert!(e.to_string().contains("use the DOT or Mermaid form"), "{e}");
        assert!(
            render(&m, None, DiagramFormat::Dot)
                .unwrap()
                .contains("p199")
        );
    }
}
