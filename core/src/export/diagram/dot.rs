//! The map as Graphviz DOT: a left-to-right digraph whose nodes carry the model's ids and
//! tooltips, styled by kind and status, with failing processes in red.

use super::map::{Kind, Map, node_id};
use std::fmt::Write as _;

/// Writes `map` as a Graphviz DOT digraph.
pub(super) fn render(map: &Map) -> String {
    let mut s = String::new();
    s.push_str("digraph aimscheck_process_map {\n");
    let _ = writeln!(
        s,
        "  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica,Arial,sans-serif\", label={}];",
        dot_str(&map.title)
    );
    s.push_str(
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#37474f\", fontname=\"Helvetica,Arial,sans-serif\"];\n",
    );
    s.push_str(
        "  edge [color=\"#546e7a\", fontsize=10, fontname=\"Helvetica,Arial,sans-serif\"];\n",
    );
    for (i, n) in map.nodes.iter().enumerate() {
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
    for e in &map.edges {
        let (Some(a), Some(b)) = (map.nodes.get(e.from), map.nodes.get(e.to)) else {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Quotes and backslashes are escaped, line breaks kept as `\n`, other controls blanked.
    #[test]
    fn dot_strings_are_quoted_and_escaped() {
        assert_eq!(dot_str("plain"), "\"plain\"");
        assert_eq!(dot_str("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(dot_str("one\r\ntwo\tthree"), r#""one\ntwo three""#);
    }
}
