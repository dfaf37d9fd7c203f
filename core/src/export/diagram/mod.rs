//! The process-interaction map: the model's processes as nodes, their inputs and outputs as
//! labelled edges, the external parties they exchange with as nodes of their own, and the
//! processes with failing findings marked.
//!
//! Three forms: Graphviz DOT and Mermaid (text for other tools to draw) and a self-contained
//! SVG picture laid out by the `layout-rs` crate (a layered, Sugiyama-style layout that also
//! routes edges and places their labels) and drawn by this module, so that the output is
//! deterministic and carries classes and ids a page or a test can address.
//!
//! Inside, `map` reads the graph (nodes, edges, failing marks) from the model and report, and
//! `dot`, `mermaid` and `svg` each write one form of it.
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

use crate::error::Result;
use crate::model::Model;
use crate::report::Report;
use map::Map;

mod dot;
mod map;
mod mermaid;
mod svg;

pub(crate) use svg::xml_escape;

/// A form of the process map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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
        DiagramFormat::Dot => Ok(dot::render(&map)),
        DiagramFormat::Mermaid => Ok(mermaid::render(&map)),
        DiagramFormat::Svg => {
            let mut svg = svg::render(&map)?;
            svg.push('\n');
            Ok(svg)
        }
    }
}

/// The SVG picture without a trailing newline, for embedding in a page.
pub(crate) fn svg(model: &Model, report: Option<&Report>) -> Result<String> {
    svg::render(&Map::build(model, report))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    /// A model read from JSON.
    fn model(json: &str) -> Model {
        Model::from_json(json).unwrap()
    }

    /// A model without processes still has a picture and a digraph.
    #[test]
    fn empty_model_has_a_picture() {
        let m = model(r#"{"schema_version": "1.0"}"#);
        let svg = render(&m, None, DiagramFormat::Svg).unwrap();
        assert!(svg.contains("no processes"));
        let dot = render(&m, None, DiagramFormat::Dot).unwrap();
        assert!(dot.starts_with("digraph"));
    }

    /// Self-loops, duplicate and one-sided flows, dangling ids, external parties and markup
    /// in names come out in every form, and the picture is the same each time.
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
            svg::lay_out(&map, false).map(|s| s.contains("data-id=\"ghost\"")),
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
}
