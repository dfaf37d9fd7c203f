//! The engine: compiled packs evaluated over a model into a report.

use crate::catalogue;
use crate::date;
use crate::error::{Error, Issue, Result, codes};
use crate::lang::Tier;
use crate::lang::Val;
use crate::lang::eval::eval;
use crate::lang::eval::{Budget, Ctx, Outcome, run};
use crate::model::Model;
use crate::overlay::Overlay;
use crate::pack::{CompiledIndicator, CompiledRule, RulePack};
use crate::report::IndicatorResult;
use crate::report::{
    Aims, ClauseResult, ClauseRollup, EngineInfo, GRADES_NOTE, Grade, ModelInfo, PackInfo,
    REPORT_VERSION, Report, RuleError, RuleResult, Status, Stopped, Summary, Verdict,
    compare_clauses, fix_first, roll_up,
};
use crate::waivers;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Which rules an evaluation turns on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Profile {
    /// The rules of the tier (default).
    #[default]
    Tier,
    /// Every startup and scaleup rule whatever the tier, in their stricter form.
    Certification,
}

impl Profile {
    /// Parses `tier` or `certification`.
    pub fn parse(s: &str) -> Option<Profile> {
        match s {
            "tier" => Some(Profile::Tier),
            "certification" => Some(Profile::Certification),
            _ => None,
        }
    }

    /// The profile's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Tier => "tier",
            Profile::Certification => "certification",
        }
    }
}

/// Default of [`Options::max_findings_per_rule`]: findings kept per rule.
pub const DEFAULT_MAX_FINDINGS: usize = 1000;

/// Default of [`Options::max_steps_per_rule`]: 1,000,000,000 evaluation steps per rule, about
/// 30 times what the costliest rule of the default pack takes on a generated model of 200,000
/// processes (AIMS-DOC-01, 32.5 million steps; 1.6 million at 10,000 processes).
pub const DEFAULT_MAX_STEPS: u64 = 1_000_000_000;

/// Default of [`Options::max_steps_total`]: 10,000,000,000 evaluation steps for a whole
/// evaluation, about 40 times what the default pack takes on a generated model of 200,000
/// processes (258 million steps, every rule and indicator).
pub const DEFAULT_MAX_STEPS_TOTAL: u64 = 10_000_000_000;

/// Options of one evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Evaluation date: every freshness rule is judged as of this day.
    pub as_of: NaiveDate,
    /// Tier; when `None`, `organization.size_tier` (else startup).
    pub tier: Option<Tier>,
    /// Profile.
    pub profile: Profile,
    /// Findings kept per rule (default 1,000, [`DEFAULT_MAX_FINDINGS`]). The others are
    /// counted in the rule's `findings_total`, and the rule's `findings_truncated` is true.
    pub max_findings_per_rule: usize,
    /// Evaluation steps each rule, and each indicator, may take (default 1,000,000,000,
    /// [`DEFAULT_MAX_STEPS`]): one per expression evaluated and per check run, and one per
    /// item that a loop, a selection or an aggregate goes over. A membership test (`one_of`,
    /// `intersects`, `subset`, `refs_under`) counts one per item looked up, and one per item of
    /// the list it hashes, which a list of the model, a constant or a bound selection pays once
    /// per evaluation; a list of fewer than 8 items is scanned, one step per item compared. A
    /// rule that runs out stops with
    /// status `error` and code `AIMS-E-BUDGET` (an indicator with a null value and an
    /// error); the other rules still run. Indexes built once per evaluation and shared by
    /// the rules are not counted; an expression of `memo`, computed once, counts for the
    /// rule that computes it.
    pub max_steps_per_rule: u64,
    /// Evaluation steps the whole evaluation may take, every rule and indicator together
    /// (default [`DEFAULT_MAX_STEPS_TOTAL`]). Once they are spent, the rule or indicator being
    /// evaluated and every one after it stop with code `AIMS-E-BUDGET`; the report is still
    /// produced, says in `stopped` which limit ran out, and its verdict is at best
    /// inconclusive.
    pub max_steps_total: u64,
    /// Wall-clock time each evaluation may take, counted from its start; `None` (the default)
    /// for no limit. It stops the evaluation as `max_steps_total` does. Unlike the step
    /// budgets, where it stops depends on the machine: the same model may give another
    /// report on a slower one. It is the only reading of the clock an evaluation makes, and
    /// only when set.
    pub timeout: Option<Duration>,
    /// An instant after which every evaluation with these options stops, as with `timeout`
    /// (for a caller with a deadline of its own, such as a batch that must end by then);
    /// `None` (the default) for none. With both, the earlier one holds.
    pub deadline: Option<Instant>,
}

impl Options {
    /// Options for `as_of`, tier from the model, profile `tier`.
    pub fn new(as_of: NaiveDate) -> Options {
        Options {
            as_of,
            tier: None,
            profile: Profile::Tier,
            max_findings_per_rule: DEFAULT_MAX_FINDINGS,
            max_steps_per_rule: DEFAULT_MAX_STEPS,
            max_steps_total: DEFAULT_MAX_STEPS_TOTAL,
            timeout: None,
            deadline: None,
        }
    }

    /// Options from their text forms, as the CLI and the bindings receive them.
    ///
    /// ```
    /// let o = aimscheck::Options::parse("2026-06-30", Some("scaleup"), None)?;
    /// assert_eq!(o.tier, Some(aimscheck::Tier::Scaleup));
    /// assert!(aimscheck::Options::parse("2026-02-30", None, None).is_err());
    /// # Ok::<(), aimscheck::Error>(())
    /// ```
    pub fn parse(as_of: &str, tier: Option<&str>, profile: Option<&str>) -> Result<Options> {
        let as_of = date::parse(as_of).ok_or_else(|| {
            Error::options(format!(
                "as_of \"{as_of}\" is not a calendar date (YYYY-MM-DD)"
            ))
        })?;
        let tier = match tier {
            None => None,
            Some(t) => Some(Tier::parse(t).ok_or_else(|| {
                Error::options(format!(
                    "tier \"{t}\" is not startup, scaleup or enterprise"
                ))
            })?),
        };
        let profile = match profile {
            None => Profile::Tier,
            Some(p) => Profile::parse(p).ok_or_else(|| {
                Error::options(format!("profile \"{p}\" is not tier or certification"))
            })?,
        };
        Ok(Options {
            as_of,
            tier,
            profile,
            max_findings_per_rule: DEFAULT_MAX_FINDINGS,
            max_steps_per_rule: DEFAULT_MAX_STEPS,
            max_steps_total: DEFAULT_MAX_STEPS_TOTAL,
            timeout: None,
            deadline: None,
        })
    }
}

/// The evaluation steps of one evaluation ([`Engine::evaluate_with_steps`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepCounts {
    /// Steps each rule took, by id (0 for a rule that did not run).
    pub rules: BTreeMap<String, u64>,
    /// Steps each indicator took, by id.
    pub indicators: BTreeMap<String, u64>,
    /// Steps of the whole evaluation, counted against `max_steps_total`.
    pub total: u64,
}

/// Compiled rule packs, ready to evaluate any number of models from any number of threads.
#[derive(Debug, Clone)]
pub struct Engine {
    packs: Vec<Arc<RulePack>>,
    overlay: Overlay,
}

impl Engine {
    /// An engine with the embedded default pack `iso42001-4.4`.
    pub fn new() -> Result<Engine> {
        Ok(Engine {
            packs: vec![Arc::new(RulePack::embedded()?)],
            overlay: Overlay::default(),
        })
    }

    /// An engine over the given packs (rule ids must be unique across them).
    pub fn with_packs(packs: Vec<RulePack>) -> Result<Engine> {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        let mut issues = Vec::new();
        for p in &packs {
            for r in p.rules() {
                if let Some(other) = seen.insert(&r.id, p.id()) {
                    issues.push(Issue {
                        rule_id: Some(r.id.clone()),
                        ..Issue::new(
                            codes::PACK_DUPLICATE,
                            format!("rule {} is in both pack {other} and pack {}", r.id, p.id()),
                            "",
                        )
                    });
                }
            }
        }
        if !issues.is_empty() {
            return Err(Error::RulePack(issues));
        }
        Ok(Engine {
            packs: packs.into_iter().map(Arc::new).collect(),
            overlay: Overlay::default(),
        })
    }

    /// This engine with `overlay` applied: rules disabled and severities changed.
    /// Every rule the overlay names must be in a loaded pack.
    pub fn with_overlay(mut self, overlay: Overlay) -> Result<Engine> {
        let issues = overlay.check(&|id| self.has_rule(id));
        if !issues.is_empty() {
            return Err(Error::RulePack(issues));
        }
        self.overlay = overlay;
        Ok(self)
    }

    /// The overlay applied (empty when none).
    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    /// Whether a loaded pack has rule `id`.
    pub fn has_rule(&self, id: &str) -> bool {
        self.packs.iter().any(|p| p.rules().any(|r| r.id == id))
    }

    /// The packs, in evaluation order.
    pub fn packs(&self) -> impl Iterator<Item = &RulePack> {
        self.packs.iter().map(|p| p.as_ref())
    }

    /// Evaluates every rule over `model` and returns the report. Reads no file or network, and
    /// reads the clock only when `options` set a time limit (`timeout`, `deadline`).
    ///
    /// ```
    /// use aimscheck::{Engine, Model, Options, Status};
    /// let engine = Engine::new()?;
    /// let model = Model::from_json(r#"{"schema_version": "1.0",
    ///     "organization": {"name": "Acme", "size_tier": "startup"}}"#)?;
    /// let report = engine.evaluate(&model, &Options::parse("2026-06-30", None, None)?)?;
    /// assert_eq!(report.tier, "startup");
    /// // A model with no processes fails the rule that the required processes exist.
    /// assert_eq!(report.rule("AIMS-PROC-01").map(|r| r.status), Some(Status::Fail));
    /// # Ok::<(), aimscheck::Error>(())
    /// ```
    pub fn evaluate(&self, model: &Model, options: &Options) -> Result<Report> {
        self.run(model, options, None)
    }

    /// Evaluates as [`Engine::evaluate`] does, and also returns the evaluation steps each rule
    /// and indicator took: what to size `max_steps_per_rule` and `max_steps_total` by.
    ///
    /// ```
    /// use aimscheck::{Engine, Model, Options};
    /// let engine = Engine::new()?;
    /// let model = Model::from_json(r#"{"schema_version": "1.0", "processes": []}"#)?;
    /// let (report, steps) = engine.evaluate_with_steps(&model, &Options::parse("2026-06-30", None, None)?)?;
    /// assert_eq!(steps.total, steps.rules.values().sum::<u64>() + steps.indicators.values().sum::<u64>());
    /// assert_eq!(report, engine.evaluate(&model, &Options::parse("2026-06-30", None, None)?)?);
    /// # Ok::<(), aimscheck::Error>(())
    /// ```
    pub fn evaluate_with_steps(
        &self,
        model: &Model,
        options: &Options,
    ) -> Result<(Report, StepCounts)> {
        let mut steps = StepCounts::default();
        let report = self.run(model, options, Some(&mut steps))?;
        steps.total = steps.rules.values().sum::<u64>() + steps.indicators.values().sum::<u64>();
        Ok((report, steps))
    }

    fn run(
        &self,
        model: &Model,
        options: &Options,
        mut steps: Option<&mut StepCounts>,
    ) -> Result<Report> {
        let doc = model.doc();
        let model_tier = doc.str_at("/organization/size_tier").and_then(Tier::parse);
        let (tier, tier_source) = match (options.tier, model_tier) {
            (Some(t), _) => (t, "option"),
            (None, Some(t)) => (t, "model"),
            (None, None) => (Tier::Startup, "default"),
        };
        let effective = match options.profile {
            Profile::Certification => tier.max(Tier::Scaleup),
            Profile::Tier => tier,
        };
        let as_of_text = Value::String(date::format(options.as_of));
        // The clock is read only when a time limit is set.
        let own_deadline = options.timeout.and_then(|t| Instant::now().checked_add(t));
        let deadline = match (options.deadline, own_deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let budget = Budget {
            per_rule: options.max_steps_per_rule,
            total: options.max_steps_total,
            deadline,
        };
        let ctx = Ctx::new(
            model,
            options.as_of,
            &as_of_text,
            effective,
            options.max_findings_per_rule,
            budget,
        );
        let (exceptions, mut exception_results) =
            waivers::read(model, options.as_of, &|id| self.has_rule(id));
        let mut rules: Vec<RuleResult> = Vec::new();
        for pack in &self.packs {
            for rule in &pack.rules {
                ctx.forget_steps();
                let mut result = if self.overlay.disable.contains(&rule.meta.id) {
                    disabled(rule)
                } else {
                    evaluate_rule(&ctx, rule, tier, options.profile)
                };
                if let Some(steps) = steps.as_deref_mut() {
                    steps.rules.insert(rule.meta.id.clone(), ctx.steps_taken());
                }
                if let Some(sev) = self.overlay.severity.get(&rule.meta.id) {
                    result.severity = *sev;
                }
                waivers::apply(&mut result, &exceptions, &mut exception_results);
                // After the waivers, which may remove findings kept and from the total alike.
                result.findings_truncated = result.findings.len() < result.findings_total;
                rules.push(result);
            }
        }
        let mut indicators = Vec::new();
        for pack in &self.packs {
            for ind in &pack.indicators {
                indicators.push(evaluate_indicator(&ctx, ind));
                if let Some(steps) = steps.as_deref_mut() {
                    steps
                        .indicators
                        .insert(ind.meta.id.clone(), ctx.steps_taken());
                }
            }
        }
        let stopped = ctx.stopped().map(|limit| Stopped::new(limit, options));
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        let summary = summarise(&rules);
        let clauses = rollup(&rules);
        let fix_first = fix_first(&rules).iter().map(|r| r.id.clone()).collect();
        let (result, grade) = judge(&rules);
        let aims = Aims { result, grade };
        let verdict = if summary.by_status.fail > 0 {
            Verdict::Nonconformant
        } else if summary.by_status.insufficient_evidence + summary.by_status.error > 0 {
            Verdict::Inconclusive
        } else {
            Verdict::Conformant
        };
        Ok(Report {
            report_version: REPORT_VERSION.to_owned(),
            engine: EngineInfo {
                name: "aimscheck".to_owned(),
                version: crate::VERSION.to_owned(),
            },
            rule_packs: self
                .packs
                .iter()
                .map(|p| PackInfo {
                    id: p.id().to_owned(),
                    version: p.version().to_owned(),
                    digest: p.digest().to_owned(),
                })
                .collect(),
            model: ModelInfo {
                digest: model.digest().to_owned(),
                schema_version: doc.str_at("/schema_version").unwrap_or_default().to_owned(),
                organization: doc.str_at("/organization/name").map(str::to_owned),
            },
            as_of: date::format(options.as_of),
            tier: tier.as_str().to_owned(),
            tier_source: tier_source.to_owned(),
            profile: options.profile.as_str().to_owned(),
            verdict,
            aims,
            grades_note: GRADES_NOTE.to_owned(),
            fix_first,
            summary,
            clauses,
            rules,
            indicators,
            exceptions: exception_results,
            overlay: (!self.overlay.is_empty()).then(|| self.overlay.clone()),
            warnings: model.warnings().iter().map(Into::into).collect(),
            stopped,
        })
    }
}

fn disabled(rule: &CompiledRule) -> RuleResult {
    let mut r = blank(rule);
    r.reason = Some("disabled by the overlay".to_owned());
    r
}

fn evaluate_indicator<'a>(ctx: &Ctx<'a>, ind: &'a CompiledIndicator) -> IndicatorResult {
    let m = &ind.meta;
    ctx.start_budget();
    let (value, error) = match eval(ctx, &ind.value, &mut Vec::new()) {
        Ok(Val::Unknown | Val::Missing) => (Value::Null, None),
        Ok(v) => (v.to_json(), None),
        Err(e) if e.code == codes::EVAL => (Value::Null, Some(e.message)),
        Err(e) => (Value::Null, Some(format!("{}: {}", e.code, e.message))),
    };
    IndicatorResult {
        id: m.id.clone(),
        title: m.title.clone(),
        unit: m.unit.clone(),
        method: m.method.clone(),
        value,
        error,
    }
}

fn applies(rule: &CompiledRule, tier: Tier, profile: Profile) -> bool {
    let tiers = &rule.meta.tiers;
    tiers.contains(&tier)
        || (profile == Profile::Certification
            && (tiers.contains(&Tier::Startup) || tiers.contains(&Tier::Scaleup)))
}

fn blank(rule: &CompiledRule) -> RuleResult {
    let m = &rule.meta;
    RuleResult {
        id: m.id.clone(),
        title: m.title.clone(),
        pack: m.pack.clone(),
        status: Status::NotApplicable,
        severity: m.severity,
        aspect: m.aspect.clone(),
        clause_refs: m.clause_refs.clone(),
        tiers: m.tiers.iter().map(|t| t.as_str().to_owned()).collect(),
        checked: 0,
        reason: None,
        findings: Vec::new(),
        findings_total: 0,
        findings_truncated: false,
        remediation: m.remediation.clone(),
        error: None,
        waivers: Vec::new(),
        violations: 0,
    }
}

fn evaluate_rule<'a>(
    ctx: &Ctx<'a>,
    rule: &'a CompiledRule,
    tier: Tier,
    profile: Profile,
) -> RuleResult {
    let m = &rule.meta;
    let mut result = blank(rule);
    if !applies(rule, tier, profile) {
        let names: Vec<&str> = m.tiers.iter().map(|t| t.as_str()).collect();
        result.reason = Some(format!(
            "the rule applies to tier {} and this evaluation is tier {} with profile {}",
            names.join(", "),
            tier.as_str(),
            profile.as_str()
        ));
        return result;
    }
    let mut out = Outcome::default();
    let mut env = Vec::new();
    ctx.start_budget();
    if let Err(e) = run(ctx, &rule.check, &mut env, &mut out) {
        result.status = Status::Error;
        result.error = Some(RuleError {
            code: e.code.to_owned(),
            message: e.message,
        });
        return result;
    }
    result.checked = out.checked;
    result.findings_total = out.violations + out.missing;
    result.violations = out.violations;
    result.status = if out.violations > 0 {
        Status::Fail
    } else if out.missing > 0 {
        Status::InsufficientEvidence
    } else if out.applicable {
        Status::Pass
    } else {
        Status::NotApplicable
    };
    if matches!(result.status, Status::NotApplicable) {
        result.reason = out
            .reason
            .or_else(|| Some("nothing in scope for this rule".to_owned()));
    }
    result.findings = out.findings;
    result
}

fn summarise(rules: &[RuleResult]) -> Summary {
    let mut s = Summary {
        rules: rules.len(),
        ..Summary::default()
    };
    for r in rules {
        s.findings += r.findings_total;
        s.by_status.add(r.status);
        s.by_severity
            .entry(r.severity.as_str().to_owned())
            .or_default()
            .add(r.status);
        s.by_aspect
            .entry(r.aspect.clone())
            .or_default()
            .add(r.status);
    }
    s
}

/// CISO Assistant's reference for a clause: lower case, 6.1.x folded into 6.1
/// ([`crate::ciso::reference`]).
pub fn ciso_ref(clause: &str) -> String {
    crate::ciso::reference(clause)
}

/// Result and grade of a set of rules, from their statuses and effective severities (the
/// severity of a [`RuleResult`] is already the overlay's): [`roll_up`].
fn judge<'a, I>(rs: I) -> (ClauseResult, Option<Grade>)
where
    I: IntoIterator<Item = &'a RuleResult>,
{
    roll_up(rs.into_iter().map(|r| (r.status, r.severity)))
}

fn rollup(rules: &[RuleResult]) -> Vec<ClauseRollup> {
    let mut by_clause: BTreeMap<&str, Vec<&RuleResult>> = BTreeMap::new();
    for r in rules {
        for c in &r.clause_refs {
            by_clause.entry(c.as_str()).or_default().push(r);
        }
    }
    let mut by_clause: Vec<(&str, Vec<&RuleResult>)> = by_clause.into_iter().collect();
    by_clause.sort_by(|(a, _), (b, _)| compare_clauses(a, b));
    by_clause
        .into_iter()
        .map(|(clause, rs)| {
            let (result, grade) = judge(rs.iter().copied());
            ClauseRollup {
                title: catalogue::title(clause).unwrap_or_default().to_owned(),
                urn: crate::ciso::urn(clause),
                rules: rs.iter().map(|r| (r.id.clone(), r.status)).collect(),
                result,
                grade,
                clause: clause.to_owned(),
            }
        })
        .collect()
}
