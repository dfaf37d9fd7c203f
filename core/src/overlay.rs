//! Overlays: disable rules and change severities without editing a pack.

use crate::error::{Error, Issue, Result, codes};
use crate::locate::{escape, locate};
use crate::report::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Customisation applied on top of the loaded packs.
///
/// JSON form: `{"disable": ["AIMS-CI-02"], "severity": {"AIMS-DOC-04": "high"}}`.
///
/// ```
/// let overlay = aimscheck::Overlay::from_json(r#"{"disable": ["AIMS-CI-02"]}"#, None)?;
/// let engine = aimscheck::Engine::new()?.with_overlay(overlay)?;
/// # Ok::<(), aimscheck::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// Rule ids to turn off (reported as `not_applicable`, reason "disabled by the overlay").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disable: Vec<String>,
    /// New severity per rule id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub severity: BTreeMap<String, Severity>,
    /// File name and text the overlay came from, to locate errors.
    #[serde(skip)]
    source: Option<(Option<String>, String)>,
}

impl Overlay {
    /// Parses an overlay from JSON text; `file` names it in errors.
    pub fn from_json(text: &str, file: Option<&str>) -> Result<Overlay> {
        let mut overlay: Overlay = serde_json::from_str(text).map_err(|e| {
            let (line, column) = (e.line(), e.column().max(1));
            Error::RulePack(vec![Issue {
                line: Some(line),
                column: Some(column),
                file: file.map(str::to_owned),
                ..Issue::new(
                    codes::PACK_SCHEMA,
                    format!(
                        "not a valid overlay ({{\"disable\": [ids], \"severity\": {{id: level}}}}): {e}"
                    ),
                    "",
                )
            }])
        })?;
        overlay.source = Some((file.map(str::to_owned), text.to_owned()));
        Ok(overlay)
    }

    /// Whether the overlay changes nothing.
    pub fn is_empty(&self) -> bool {
        self.disable.is_empty() && self.severity.is_empty()
    }

    /// Checks that every rule id is known; issues point into the overlay.
    pub(crate) fn check(&self, known: &dyn Fn(&str) -> bool) -> Vec<Issue> {
        let (file, text) = match &self.source {
            Some((f, t)) => (f.clone(), Some(t.as_str())),
            None => (None, None),
        };
        let mut issues = Vec::new();
        let mut unknown = |id: &str, pointer: String| {
            if !known(id) {
                let mut i = Issue::new(
                    codes::PACK_OPERATOR,
                    format!("the overlay names rule {id}, which no loaded pack has"),
                    pointer,
                );
                i.rule_id = Some(id.to_owned());
                i.file = file.clone();
                if let Some((l, c)) = text.and_then(|t| locate(t, &i.pointer)) {
                    i.line = Some(l);
                    i.column = Some(c);
                }
                issues.push(i);
            }
        };
        for (i, id) in self.disable.iter().enumerate() {
            unknown(id, format!("/disable/{i}"));
        }
        for id in self.severity.keys() {
            unknown(id, format!("/severity/{}", escape(id)));
        }
        issues
    }
}
