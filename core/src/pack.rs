//! Rule packs: folders of JSON rule files, validated against the rule-pack schema and compiled.

use crate::catalogue;
use crate::error::{Error, Issue, Result, codes};
use crate::lang::compile::Compiler;
use crate::lang::{Check, Tier};
use crate::locate::locate;
use crate::model::hex;
use crate::report::Severity;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// The rule-pack JSON Schema (draft 2020-12), as published.
pub const RULE_PACK_SCHEMA: &str = crate::catalogue::RULE_PACK_SCHEMA_JSON;

/// Name of a pack's manifest file.
pub const MANIFEST: &str = "pack.json";

/// What a rule is and says, without its check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleMeta {
    /// Stable id, e.g. `AIMS-PROC-01`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Clauses and Annex A controls the rule evidences.
    pub clause_refs: Vec<String>,
    /// establish / implement / maintain / improve / document.
    pub aspect: String,
    /// Severity of a failure.
    pub severity: Severity,
    /// Tiers the rule is on for by default.
    pub tiers: Vec<Tier>,
    /// Why the rule matters.
    pub rationale: String,
    /// What to do when it fails.
    pub remediation: String,
    /// Id of the pack the rule belongs to.
    pub pack: String,
    /// For rules with a lighter and a stricter form: what each tier's form checks.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub forms: BTreeMap<String, String>,
    /// A passing example: `{"as_of", "model"}`, the model a fragment without `schema_version`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
}

/// What an indicator is, without its expression.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IndicatorMeta {
    /// Stable id, e.g. `corrective_action_on_time_rate`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Unit of the value.
    pub unit: String,
    /// How it is computed, in words.
    pub method: String,
}

#[derive(Debug)]
pub(crate) struct CompiledIndicator {
    pub meta: IndicatorMeta,
    pub value: crate::lang::Expr,
}

#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub meta: RuleMeta,
    pub check: Check,
}

/// A compiled, immutable rule pack: `Send + Sync`, evaluate it from any number of threads.
#[derive(Debug)]
pub struct RulePack {
    id: String,
    version: String,
    title: String,
    digest: String,
    pub(crate) rules: Vec<CompiledRule>,
    pub(crate) indicators: Vec<CompiledIndicator>,
    /// What it was compiled from: the embedded default pack, or its files.
    source: PackSource,
}

/// What a pack was compiled from, as data: enough to compile it again elsewhere (another
/// process, another machine) without its folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum PackSource {
    /// The default pack embedded in the library, by its digest: a library embedding another
    /// version of it refuses to build the engine rather than judge with other rules.
    Embedded {
        /// The pack's digest (`sha256:...`).
        digest: String,
    },
    /// Its files, as `(file name, JSON text)` pairs.
    Files(Vec<(String, String)>),
}

impl PackSource {
    /// Compiles the pack again.
    pub fn compile(&self) -> Result<RulePack> {
        match self {
            PackSource::Embedded { digest } => {
                let pack = RulePack::embedded()?;
                if pack.digest() == digest {
                    return Ok(pack);
                }
                Err(Error::RulePack(vec![Issue::new(
                    codes::PACK_SCHEMA,
                    format!(
                        "the engine was built with the embedded pack {} of digest {digest}; \
                         this library embeds {} {} of digest {}: use the same aimscheck \
                         version on both sides",
                        pack.id(),
                        pack.id(),
                        pack.version(),
                        pack.digest()
                    ),
                    "",
                )]))
            }
            PackSource::Files(files) => RulePack::from_files(files),
        }
    }
}

impl RulePack {
    /// The default pack `iso42001-4.4`, embedded in the library.
    ///
    /// ```
    /// let pack = aimscheck::RulePack::embedded()?;
    /// assert_eq!(pack.id(), "iso42001-4.4");
    /// assert!(pack.rules().any(|r| r.id == "AIMS-PROC-01"));
    /// # Ok::<(), aimscheck::Error>(())
    /// ```
    pub fn embedded() -> Result<RulePack> {
        let files: Vec<(String, String)> = crate::catalogue::DEFAULT_PACK
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
            .collect();
        let mut pack = Self::from_files(&files)?;
        pack.source = PackSource::Embedded {
            digest: pack.digest.clone(),
        };
        Ok(pack)
    }

    /// Loads and compiles the pack in folder `dir` (its `pack.json` and every other `*.json`).
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<RulePack> {
        let dir = dir.as_ref();
        let io = |e: std::io::Error, p: &Path| {
            Error::RulePack(vec![Issue {
                file: Some(p.display().to_string()),
                ..Issue::new(codes::PACK_IO, format!("cannot read: {e}"), "")
            }])
        };
        let mut files = Vec::new();
        let entries = std::fs::read_dir(dir).map_err(|e| io(e, dir))?;
        for entry in entries {
            let path = entry.map_err(|e| io(e, dir))?.path();
            if path.extension().is_some_and(|x| x == "json") {
                let text = std::fs::read_to_string(&path).map_err(|e| io(e, &path))?;
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                files.push((name, text));
            }
        }
        files.sort();
        // File names become paths under `dir`.
        let in_dir = |mut i: Issue| {
            i.file = i.file.map(|f| dir.join(f).display().to_string());
            i
        };
        Self::from_files(&files).map_err(|e| match e {
            Error::RulePack(issues) => Error::RulePack(issues.into_iter().map(in_dir).collect()),
            Error::Limit(issue) => Error::Limit(Box::new(in_dir(*issue))),
            other => other,
        })
    }

    /// Compiles a pack from `(file name, JSON text)` pairs: one `pack.json` manifest and rule files.
    pub fn from_files(files: &[(String, String)]) -> Result<RulePack> {
        let mut issues = Vec::new();
        let mut manifest = None;
        let mut manifest_seen = false;
        let mut docs: BTreeMap<String, Value> = BTreeMap::new();
        let mut rule_values: Vec<(String, String, Value)> = Vec::new();
        let mut indicator_values: Vec<(String, String, Value)> = Vec::new();
        for (name, text) in files {
            let file_issue = |mut i: Issue| {
                if let Some((l, c)) = locate(text, &i.pointer) {
                    i.line = Some(l);
                    i.column = Some(c);
                }
                i.file = Some(name.clone());
                i
            };
            manifest_seen |= name == MANIFEST;
            let value: Value = match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => {
                    let located = |issue: Issue| Issue {
                        line: Some(e.line()),
                        column: Some(crate::locate::char_column(text, e.line(), e.column())),
                        file: Some(name.clone()),
                        ..issue
                    };
                    // The parser stops at 128 levels: JSON nested deeper is over a limit, as for
                    // a model.
                    if e.to_string().contains("recursion limit") {
                        return Err(Error::Limit(Box::new(located(Issue::new(
                            codes::LIMIT,
                            format!(
                                "the file nests deeper than 128 levels, which the parser refuses: {e}"
                            ),
                            "",
                        )))));
                    }
                    issues.push(located(Issue::new(
                        codes::PACK_SYNTAX,
                        format!("not JSON: {e}"),
                        "",
                    )));
                    continue;
                }
            };
            match pack_validator() {
                Ok(v) => {
                    for e in v.iter_errors(&value) {
                        let pointer = e.instance_path().as_str().to_owned();
                        let mut i =
                            file_issue(Issue::new(codes::PACK_SCHEMA, e.to_string(), pointer));
                        i.rule_id = rule_id_at(&value, &i.pointer);
                        issues.push(i);
                    }
                }
                Err(msg) => issues.push(Issue::new(codes::PACK_SCHEMA, msg.clone(), "")),
            }
            if name == MANIFEST {
                manifest = Some(value.clone());
            } else if let Some(rules) = value.get("rules").and_then(Value::as_array) {
                for (i, r) in rules.iter().enumerate() {
                    rule_values.push((name.clone(), format!("/rules/{i}"), r.clone()));
                }
            } else if let Some(list) = value.get("indicators").and_then(Value::as_array) {
                for (i, r) in list.iter().enumerate() {
                    indicator_values.push((name.clone(), format!("/indicators/{i}"), r.clone()));
                }
            }
            docs.insert(name.clone(), value);
        }
        let Some(manifest) = manifest else {
            // A manifest that is there but unreadable has its own issue already.
            if !manifest_seen {
                issues.push(Issue::new(
                    codes::PACK_SCHEMA,
                    format!("the pack has no {MANIFEST} (id, version, title)"),
                    "",
                ));
            }
            return Err(Error::RulePack(issues));
        };
        let text_of = |file: &str| {
            files
                .iter()
                .find(|(n, _)| n == file)
                .map(|(_, t)| t.as_str())
        };
        let field = |k: &str| {
            manifest
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let id = field("id");
        let mut rules: Vec<CompiledRule> = Vec::new();
        for (file, at, r) in &rule_values {
            let rid = r
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let mut rule_issues = Vec::new();
            if rules.iter().any(|x| x.meta.id == rid) {
                rule_issues.push(Issue::new(
                    codes::PACK_DUPLICATE,
                    format!("rule id {rid} is used twice"),
                    format!("{at}/id"),
                ));
            }
            let meta = meta(r, &id, at, &mut rule_issues);
            let mut c = Compiler::new();
            let check = r
                .get("check")
                .and_then(|v| c.check(v, &format!("{at}/check")));
            rule_issues.append(&mut c.issues.borrow_mut());
            for mut i in rule_issues {
                i.file = Some(file.clone());
                i.rule_id = Some(rid.clone());
                if let Some((l, col)) = text_of(file).and_then(|t| locate(t, &i.pointer)) {
                    i.line = Some(l);
                    i.column = Some(col);
                }
                issues.push(i);
            }
            if let (Some(meta), Some(check)) = (meta, check) {
                rules.push(CompiledRule { meta, check });
            }
        }
        let mut indicators: Vec<CompiledIndicator> = Vec::new();
        for (file, at, v) in &indicator_values {
            let s = |k: &str| {
                v.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let mut c = Compiler::new();
            let value = c.expr(
                v.get("value").unwrap_or(&Value::Null),
                &format!("{at}/value"),
            );
            let id = s("id");
            if indicators.iter().any(|x| x.meta.id == id) {
                c.error(
                    codes::PACK_DUPLICATE,
                    format!("indicator id {id} is used twice"),
                    &format!("{at}/id"),
                );
            }
            for mut i in c.issues.take() {
                i.file = Some(file.clone());
                i.rule_id = Some(id.clone());
                if let Some((l, col)) = text_of(file).and_then(|t| locate(t, &i.pointer)) {
                    i.line = Some(l);
                    i.column = Some(col);
                }
                issues.push(i);
            }
            indicators.push(CompiledIndicator {
                meta: IndicatorMeta {
                    id,
                    title: s("title"),
                    unit: s("unit"),
                    method: s("method"),
                },
                value,
            });
        }
        if !issues.is_empty() {
            return Err(Error::RulePack(issues));
        }
        rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        let canonical = serde_json::to_vec(&docs).unwrap_or_default();
        Ok(RulePack {
            version: field("version"),
            title: field("title"),
            digest: format!("sha256:{}", hex(&Sha256::digest(&canonical))),
            id,
            rules,
            indicators,
            source: PackSource::Files(files.to_vec()),
        })
    }

    /// What the pack was compiled from ([`PackSource::compile`] compiles it again).
    pub fn source(&self) -> &PackSource {
        &self.source
    }

    /// Pack id, e.g. `iso42001-4.4`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Pack version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Pack title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// `sha256:` digest of the pack's files as canonical JSON.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The pack's indicators, in file order.
    pub fn indicators(&self) -> impl Iterator<Item = &IndicatorMeta> {
        self.indicators.iter().map(|i| &i.meta)
    }

    /// The pack's rules, ordered by id.
    pub fn rules(&self) -> impl Iterator<Item = &RuleMeta> {
        self.rules.iter().map(|r| &r.meta)
    }
}

fn rule_id_at(doc: &Value, pointer: &str) -> Option<String> {
    let mut it = pointer.split('/').skip(1);
    if it.next()? != "rules" {
        return None;
    }
    let i: usize = it.next()?.parse().ok()?;
    doc.get("rules")?
        .get(i)?
        .get("id")?
        .as_str()
        .map(str::to_owned)
}

fn meta(r: &Value, pack: &str, at: &str, issues: &mut Vec<Issue>) -> Option<RuleMeta> {
    let s = |k: &str| {
        r.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let list = |k: &str| -> Vec<String> {
        r.get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let clause_refs = list("clause_refs");
    for (i, c) in clause_refs.iter().enumerate() {
        if !catalogue::is_ref(c) && !catalogue::is_group(c) {
            issues.push(Issue::new(
                codes::PACK_CLAUSE,
                format!(
                    "\"{c}\" is not a clause, Annex A control or Annex A group of the catalogue"
                ),
                format!("{at}/clause_refs/{i}"),
            ));
        }
    }
    let severity = Severity::parse(&s("severity"))?;
    let tiers = list("tiers")
        .iter()
        .filter_map(|t| Tier::parse(t))
        .collect();
    Some(RuleMeta {
        id: s("id"),
        title: s("title"),
        clause_refs,
        aspect: s("aspect"),
        severity,
        tiers,
        rationale: s("rationale"),
        remediation: s("remediation"),
        pack: pack.to_owned(),
        forms: r
            .get("forms")
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                    .collect()
            })
            .unwrap_or_default(),
        example: r.get("example").cloned(),
    })
}

fn pack_validator() -> &'static std::result::Result<jsonschema::Validator, String> {
    static VALIDATOR: OnceLock<std::result::Result<jsonschema::Validator, String>> =
        OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(RULE_PACK_SCHEMA)
            .map_err(|e| format!("the embedded rule-pack schema is not JSON: {e}"))?;
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&schema)
            .map_err(|e| format!("the embedded rule-pack schema does not compile: {e}"))
    })
}
