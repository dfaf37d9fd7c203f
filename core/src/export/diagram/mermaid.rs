//! The map as a Mermaid flowchart: plain-word node ids (with comments naming the model's
//! ids), labels in Mermaid's entity codes, dotted arrows for one-sided flows and classes for
//! status, kind and failing processes.

use super::map::{Kind, Map, node_id};
use std::fmt::Write as _;

/// Writes `map` as a left-to-right Mermaid flowchart.
pub(super) fn render(map: &Map) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "%% {}", map.title.replace('\n', " "));
    s.push_str("flowchart LR\n");
    for (i, n) in map.nodes.iter().enumerate() {
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
    for e in &map.edges {
        let (Some(a), Some(b)) = (map.nodes.get(e.from), map.nodes.get(e.to)) else {
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
    let failing: Vec<String> = map
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Characters that would end a label or be read as markup become entity codes.
    #[test]
    fn mermaid_text_uses_entity_codes() {
        assert_eq!(
            mermaid_text("A \"q\" <b> & #1 | `x`\n"),
            "A #quot;q#quot; #lt;b#gt; #amp; #35;1 #124; #96;x#96; "
        );
        assert_eq!(mermaid_text("plain"), "plain");
    }
}
