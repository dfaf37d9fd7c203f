//! The map as a self-contained SVG picture: laid out by the `layout-rs` crate (a layered,
//! Sugiyama-style layout that also routes edges and places their labels) and drawn here, so
//! that the output is deterministic and carries classes and ids a page or a test can address.

use super::map::{Kind, Map, Node};
use crate::error::{Error, Issue, Result, codes};
use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::{Point, Position};
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;
use std::fmt::Write as _;

/// The SVG picture, laid out by `layout-rs`: with its crossing-reduction passes up to
/// `OPTIMISE_UP_TO` nodes and flows, without them up to `DRAW_UP_TO` (the passes cost
/// much more than linear time) or when a layout with them fails.
pub(super) fn render(map: &Map) -> Result<String> {
    if map.nodes.is_empty() {
        return Ok(empty_svg(&map.title));
    }
    let size = map.nodes.len() + map.edges.len();
    if size > DRAW_UP_TO {
        return Err(Error::Export(Box::new(Issue::new(
            codes::EXPORT,
            format!(
                "cannot draw the process map: its {} nodes and {} flows are more than the picture lays out ({DRAW_UP_TO} in all); use the DOT or Mermaid form",
                map.nodes.len(),
                map.edges.len()
            ),
            "/processes",
        ))));
    }
    let optimised = if size <= OPTIMISE_UP_TO {
        lay_out(map, true)
    } else {
        None
    };
    optimised.or_else(|| lay_out(map, false)).ok_or_else(|| {
        Error::Export(Box::new(Issue::new(
            codes::EXPORT,
            "cannot draw the process map: the graph layout failed; use the DOT or Mermaid form",
            "/processes",
        )))
    })
}

/// One layout and drawing; `None` when `layout-rs` panics (it asserts on some inputs).
pub(super) fn lay_out(map: &Map, optimise: bool) -> Option<String> {
    let mut vg = VisualGraph::new(Orientation::TopToBottom);
    let mut handles = Vec::with_capacity(map.nodes.len());
    let mut boxes = Vec::with_capacity(map.nodes.len());
    for (i, n) in map.nodes.iter().enumerate() {
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
    for (i, e) in map.edges.iter().enumerate() {
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
    let mut canvas = Canvas::new(map, &boxes);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        vg.do_it(false, !optimise, false, &mut canvas);
    }))
    .ok()?;
    Some(canvas.finish(&map.title))
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
/// Characters per line of a node label.
const NODE_WRAP: usize = 20;
/// Characters per line of an edge label.
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

/// The CSS classes of a node's group: its kind, its status and whether it is failing.
fn css_classes(n: &Node) -> String {
    let mut c = match &n.kind {
        Kind::Process { status } => format!("node process status-{}", css_word(status)),
        Kind::External => "node external".to_owned(),
        Kind::Missing => "node missing".to_owned(),
    };
    if !n.failing.is_empty() {
        c.push_str(" failing");
    }
    c
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
    /// The map being drawn.
    map: &'a Map,
    /// The text lines of each node, by node index.
    lines: &'a [Vec<String>],
    /// The edges drawn so far (the bottom layer).
    edges: String,
    /// The nodes drawn so far (above the edges).
    nodes: String,
    /// The edge labels drawn so far (the top layer).
    labels: String,
    /// The node whose shape was drawn and whose text comes next.
    open: Option<usize>,
    /// The top-left corner of everything drawn.
    min: (f64, f64),
    /// The bottom-right corner of everything drawn.
    max: (f64, f64),
    /// Clips handed out (none are drawn).
    clips: usize,
}

impl<'a> Canvas<'a> {
    /// An empty canvas for `map`, whose nodes show `lines`.
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

    /// Extends the drawn area to (x, y).
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
            css_classes(n),
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

    /// Closes the open node group, if any.
    fn close_node(&mut self) {
        if self.open.take().is_some() {
            self.nodes.push_str("</g>\n");
        }
    }

    /// The whole picture: its frame, style sheet and arrow marker, then the edge, node and
    /// label layers.
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
    /// A process or missing-process box (opening its node group).
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

    /// A straight line (the map's shapes draw none, but the backend must take them).
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

    /// An external party's ellipse (opening its node group).
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

    /// The text of the open node, or an edge label.
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

    /// An edge: its curve, with its ends and its tooltip.
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

    /// A clip handle, never drawn.
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
    use crate::export::diagram::{DiagramFormat, render as render_map};
    use crate::model::Model;

    /// Markup characters are escaped; characters XML forbids are dropped.
    #[test]
    fn xml_escape_escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(xml_escape("a<b>&\"c's"), "a&lt;b&gt;&amp;&quot;c&apos;s");
        assert_eq!(
            xml_escape("tab\tline\nbell\u{7}end\u{ffff}"),
            "tab\tline\nbellend"
        );
        assert_eq!(xml_escape("plain"), "plain");
    }

    /// Words wrap at the width; longer words are split.
    #[test]
    fn wraps_words_and_splits_long_ones() {
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
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

    /// Maps over `OPTIMISE_UP_TO` are still drawn, without the crossing-reduction passes.
    #[test]
    fn medium_maps_are_laid_out_without_the_costly_passes() {
        // 70 processes, one missing (p70) and 70 flows: over OPTIMISE_UP_TO, under DRAW_UP_TO.
        let m = chain(70);
        let svg = render_map(&m, None, DiagramFormat::Svg).unwrap();
        assert!(svg.contains("data-id=\"p0\"") && svg.contains("data-id=\"p69\""));
    }

    /// Maps over `DRAW_UP_TO` are refused as pictures but still given as DOT.
    #[test]
    fn large_maps_are_refused_with_a_typed_error() {
        let m = chain(200); // 201 nodes and 200 flows
        let e = render_map(&m, None, DiagramFormat::Svg).unwrap_err();
        assert_eq!(e.code(), codes::EXPORT);
        assert!(e.to_string().contains("use the DOT or Mermaid form"), "{e}");
        assert!(
            render_map(&m, None, DiagramFormat::Dot)
                .unwrap()
                .contains("p199")
        );
    }
}
