//! Embeds the clause / Annex A catalogue and the default rule pack in the crate.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    // In the repository the rule packs are `rules/` beside the crate; a packaged crate carries
    // its own copy in `rules/` (scripts/package.sh puts it there before `cargo package`).
    let rules = if manifest.join("rules").join("catalogue.json").is_file() {
        manifest.join("rules")
    } else {
        manifest.join("..").join("rules")
    };
    let pack_dir = rules.join("iso42001-4.4");
    println!("cargo:rerun-if-changed={}", rules.display());
    println!("cargo:rerun-if-changed={}", pack_dir.display());

    let mut out = String::new();
    let catalogue: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(rules.join("catalogue.json"))?)?;
    for (name, key) in [
        ("CLAUSES", "clauses"),
        ("CONTROLS", "controls"),
        ("GROUPS", "groups"),
    ] {
        let map = catalogue
            .get(key)
            .and_then(|v| v.as_object())
            .ok_or("catalogue.json lacks a section")?;
        writeln!(
            out,
            "/// Catalogue `{key}`: id and title, in catalogue order."
        )?;
        writeln!(out, "pub static {name}: &[(&str, &str)] = &[")?;
        let mut entries: Vec<(&String, &serde_json::Value)> = map.iter().collect();
        entries.sort_by_key(|e| crate_order(e.0));
        for (id, title) in entries {
            writeln!(
                out,
                "    ({id:?}, {:?}),",
                title.as_str().unwrap_or_default()
            )?;
        }
        writeln!(out, "];")?;
    }

    let mut files: Vec<PathBuf> = std::fs::read_dir(&pack_dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    writeln!(
        out,
        "/// Files of the default pack `iso42001-4.4`: name and text."
    )?;
    writeln!(out, "pub static DEFAULT_PACK: &[(&str, &str)] = &[")?;
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or("bad file name")?;
        writeln!(out, "    ({name:?}, include_str!({:?})),", abs(f)?)?;
    }
    writeln!(out, "];")?;
    for (name, file, doc) in [
        (
            "PRELUDE_JSON",
            "prelude.json",
            "The text of `rules/prelude.json`.",
        ),
        (
            "RULE_PACK_SCHEMA_JSON",
            "rule-pack.schema.json",
            "The text of `rules/rule-pack.schema.json`.",
        ),
    ] {
        let path = rules.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(out, "/// {doc}")?;
        writeln!(
            out,
            "pub(crate) const {name}: &str = include_str!({:?});",
            abs(&path)?
        )?;
    }
    println!(
        "cargo:rerun-if-changed={}",
        rules.join("catalogue.json").display()
    );

    std::fs::write(
        PathBuf::from(std::env::var("OUT_DIR")?).join("embedded.rs"),
        out,
    )?;
    Ok(())
}

fn abs(p: &Path) -> Result<String, Box<dyn std::error::Error>> {
    Ok(p.canonicalize()?.to_string_lossy().into_owned())
}

/// Orders "A.10.2" after "A.9.4" and "10.1" after "9.3.3".
fn crate_order(id: &str) -> (bool, Vec<u32>) {
    let annex = id.starts_with("A.");
    let nums = id
        .trim_start_matches("A.")
        .split('.')
        .map(|s| s.parse().unwrap_or(0))
        .collect();
    (annex, nums)
}
