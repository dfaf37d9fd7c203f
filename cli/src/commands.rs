//! The subcommands: read inputs, call the library, write the output, choose the exit code.

use crate::args::{
    CheckArgs, CheckFormat, Command, DiagramArgs, DiffArgs, EvalLimitArgs, ExplainArgs, Format,
    LintArgs, ListArgs, PackArgs, ProfileArg, RulesCommand, TierArg, ValidateArgs,
};
use crate::diag::Failure;
use crate::text::{self, Style};
use crate::{diff, explain, init, output};
use aimscheck::api::{
    self, EngineRef, EvaluateRequest, ModelFields, ModelInput, PacksArg, RunOptions,
    ValidateRequest,
};
use aimscheck::{Issue, LoadLimits};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Exit status when no rule fails at or above `--fail-on`, or the command succeeded.
pub const EXIT_OK: u8 = 0;
/// Exit status when a rule fails at or above `--fail-on` (or `rules lint` warns).
pub const EXIT_FAIL: u8 = 1;
/// Exit status for bad input or usage.
pub const EXIT_ERROR: u8 = 2;

/// Runs a command; `Ok` carries the exit status, `Err` the issues to print (exit 2).
pub fn run(command: Command) -> Result<u8, Failure> {
    match command {
        Command::Check(a) => check(&a),
        Command::Validate(a) => validate(&a),
        Command::Rules(RulesCommand::List(a)) => list(&a),
        Command::Rules(RulesCommand::Explain(a)) => explain_rule(&a),
        Command::Rules(RulesCommand::Lint(a)) => lint(&a),
        Command::Init(a) => init::run(&a),
        Command::Migrate(a) => crate::migrate::run(&a),
        Command::Diff(a) => diff_reports(&a),
        Command::Diagram(a) => diagram(&a),
    }
}

/// The model at `path` (`-` for standard input) as the library's loader takes it, and the
/// name to show for it.
fn model_input(path: &str, limits: &LoadLimits) -> Result<(String, ModelInput), Failure> {
    if path != "-" {
        return Ok((path.to_owned(), ModelInput::Path(path.into())));
    }
    // Standard input has no size to check first: read one byte past the limit, so that an
    // oversized input is refused without being read whole.
    let name = "<stdin>".to_owned();
    let cap = u64::try_from(limits.max_bytes).map_or(u64::MAX, |m| m.saturating_add(1));
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().lock().take(cap).read_to_end(&mut bytes) {
        let mut f = Failure::default();
        f.add(&api::io_error(Path::new(&name), "model", &e), None);
        return Err(f);
    }
    if bytes.len() > limits.max_bytes {
        // Checked here because a cut-off read may end inside a UTF-8 sequence.
        return Err(Failure::one(Issue {
            file: Some(name),
            ..Issue::new(
                aimscheck::error::codes::LIMIT,
                format!(
                    "the model is larger than the limit of {} bytes",
                    limits.max_bytes
                ),
                "",
            )
        }));
    }
    Ok((name, ModelInput::Bytes(bytes)))
}

/// The failure of a library error about the input `name` (options name no file).
fn failure_in(e: &aimscheck::Error, name: &str) -> Failure {
    let mut f = Failure::default();
    let file = (api::error_kind(e) != api::ErrorKind::Options).then_some(name);
    f.add(e, file);
    f
}

/// The packs and overlay `packs` and `overlay` select, as the library reads them.
pub fn packs_arg(packs: &PackArgs, overlay: Option<&Path>) -> PacksArg {
    PacksArg {
        rules: packs.rules.clone(),
        default_rules: !packs.no_default_rules,
        overlay_path: overlay.map(Path::to_path_buf),
        ..PacksArg::default()
    }
}

/// Loads the packs and, when `overlay` is given, applies it; every problem goes into
/// `failure`.
fn load_engine(
    packs: &PackArgs,
    overlay: Option<&Path>,
    failure: &mut Failure,
) -> Option<EngineRef> {
    packs_arg(packs, overlay)
        .engine()
        .map_err(|e| failure.add(&e, None))
        .ok()
}

/// Today's local date, for `check` without `--as-of`.
fn today() -> String {
    chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// The evaluation date: `--as-of`, else today (with a note on stderr).
pub fn as_of_or_today(as_of: Option<&String>) -> String {
    match as_of {
        Some(d) => d.clone(),
        None => {
            let d = today();
            output::note(&format!(
                "note: --as-of not given; evaluating as of {d} (today)\n"
            ));
            d
        }
    }
}

/// What `check` and `diagram` evaluate: the model file, the date and the rule selection.
struct Evaluation<'a> {
    model: &'a str,
    as_of: Option<&'a String>,
    tier: Option<TierArg>,
    profile: ProfileArg,
    packs: &'a PackArgs,
    overlay: Option<&'a Path>,
    load: LoadLimits,
    limits: EvalLimitArgs,
}

/// Loads the packs and the model and evaluates it through the library's call layer.
/// Returns the name to show for the input and the evaluation (the model and its report).
fn evaluate(e: &Evaluation<'_>) -> Result<(String, api::Evaluation), Failure> {
    let as_of = as_of_or_today(e.as_of);
    let mut failure = Failure::default();
    let engine = load_engine(e.packs, e.overlay, &mut failure);
    let (name, input) = model_input(e.model, &e.load)?;
    let Some(engine) = engine else {
        return Err(failure);
    };
    let request = EvaluateRequest {
        model: ModelFields::of(input),
        run: RunOptions {
            tier: e.tier.map(|t| t.as_str().to_owned()),
            profile: Some(e.profile.as_str().to_owned()),
            max_findings_per_rule: Some(e.limits.max_findings),
            max_steps_per_rule: Some(e.limits.max_steps),
            max_steps_total: Some(e.limits.max_steps_total),
            timeout: e.limits.timeout,
            limits: (&e.load).into(),
            strict: e.load.strict,
            ..RunOptions::new(as_of)
        },
        packs: PacksArg::default(),
    };
    let evaluation = api::evaluation_on(&engine, request).map_err(|err| failure_in(&err, &name))?;
    Ok((name, evaluation))
}

/// `aimscheck check`: one model, or several ([`crate::batch`]).
fn check(args: &CheckArgs) -> Result<u8, Failure> {
    match crate::batch::single(args) {
        Some(model) => check_one(args, model),
        None => crate::batch::run(args),
    }
}

/// `aimscheck check` of one model.
fn check_one(args: &CheckArgs, model: &str) -> Result<u8, Failure> {
    let (name, evaluation) = evaluate(&Evaluation {
        model,
        as_of: args.as_of.as_ref(),
        tier: args.tier,
        profile: args.profile,
        packs: &args.packs,
        overlay: args.overlay.as_deref(),
        load: args.load.limits(),
        limits: args.eval,
    })?;
    let report = &evaluation.report;
    let style = match args.output {
        Some(_) => Style { color: false },
        None => Style::for_stdout(),
    };
    let text = match (args.format, args.format.export()) {
        (_, Some(format)) => evaluation
            .export(format, (model != "-").then_some(model))
            .map_err(|e| failure_in(&e, &name))?,
        (CheckFormat::Json, None) => report.to_json_pretty(),
        (_, None) => {
            // The warnings were placed while the model loaded, all in one pass over its text;
            // placing each again here would scan the text once per warning.
            let placed: HashMap<&str, (usize, usize)> = evaluation
                .model
                .warnings()
                .iter()
                .filter_map(|w| Some((w.pointer.as_str(), (w.line?, w.column?))))
                .collect();
            text::report(report, &name, style, |p| {
                placed
                    .get(p)
                    .copied()
                    .or_else(|| evaluation.model.position(p))
            })
        }
    };
    output::write(&text, args.output.as_deref())?;
    Ok(if report.fails_at(args.fail_on.severity()) {
        EXIT_FAIL
    } else {
        EXIT_OK
    })
}

/// `aimscheck diagram`: the process map alone, with failing processes marked.
fn diagram(args: &DiagramArgs) -> Result<u8, Failure> {
    let (name, evaluation) = evaluate(&Evaluation {
        model: &args.model,
        as_of: args.as_of.as_ref(),
        tier: args.tier,
        profile: args.profile,
        packs: &args.packs,
        overlay: args.overlay.as_deref(),
        load: args.load.limits(),
        limits: EvalLimitArgs::default(),
    })?;
    let text = evaluation
        .diagram(args.format.format())
        .map_err(|e| failure_in(&e, &name))?;
    output::write(&text, args.output.as_deref())?;
    Ok(EXIT_OK)
}

/// `aimscheck validate`.
fn validate(args: &ValidateArgs) -> Result<u8, Failure> {
    let limits = args.load.limits();
    let (name, input) = model_input(&args.model, &limits)?;
    let request = ValidateRequest {
        model: ModelFields::of(input),
        limits: (&limits).into(),
        strict: limits.strict,
    };
    let answer = api::validate(request).map_err(|e| failure_in(&e, &name))?;
    let issues: Vec<Issue> = answer
        .errors
        .iter()
        .map(|i| Issue {
            file: i.file.clone().or_else(|| Some(name.clone())),
            ..i.clone()
        })
        .collect();
    match (args.format, answer.valid) {
        (Format::Text, true) => {
            let mut text = format!(
                "valid: {name} (schema_version {}, digest {})\n",
                answer.schema_version.unwrap_or_default(),
                answer.digest.unwrap_or_default()
            );
            for w in &answer.warnings {
                text.push_str(&crate::diag::render(&Issue {
                    file: Some(name.clone()),
                    ..w.clone()
                }));
            }
            output::stdout(&text)?;
            Ok(EXIT_OK)
        }
        (Format::Text, false) => Err(Failure { issues }),
        (Format::Json, true) => {
            let doc = json!({
                "valid": true,
                "file": name,
                "schema_version": answer.schema_version.unwrap_or_default(),
                "digest": answer.digest.unwrap_or_default(),
                "warnings": serde_json::to_value(&answer.warnings).unwrap_or_default(),
            });
            output::stdout(&pretty(&doc))?;
            Ok(EXIT_OK)
        }
        (Format::Json, false) => {
            // The JSON answer is the output of `validate --format json`, valid or not.
            let doc = json!({
                "valid": false,
                "file": name,
                "errors": serde_json::to_value(&issues).unwrap_or_default(),
            });
            output::stdout(&pretty(&doc))?;
            Ok(EXIT_ERROR)
        }
    }
}

/// `aimscheck rules list`.
fn list(args: &ListArgs) -> Result<u8, Failure> {
    let mut failure = Failure::default();
    let Some(engine) = load_engine(&args.packs, args.overlay.as_deref(), &mut failure) else {
        return Err(failure);
    };
    let overlay = engine.overlay().clone();
    match args.format {
        // With an overlay, the severity it sets and `"disabled": true` on the rules it turns off.
        Format::Json => {
            let mut s =
                serde_json::to_string_pretty(&api::listed_rules(&engine)).unwrap_or_default();
            s.push('\n');
            output::stdout(&s)?;
        }
        Format::Text => output::stdout(&text::rules(&engine, &overlay, Style::for_stdout()))?,
    }
    Ok(EXIT_OK)
}

/// `aimscheck rules explain`.
fn explain_rule(args: &ExplainArgs) -> Result<u8, Failure> {
    let mut failure = Failure::default();
    let Some(engine) = load_engine(&args.packs, None, &mut failure) else {
        return Err(failure);
    };
    let rule = explain::find(&engine, &args.id)?;
    match args.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(rule).unwrap_or_default();
            s.push('\n');
            output::stdout(&s)?;
        }
        Format::Text => {
            // How to load the rule's pack again in the "try it" line.
            let mut sources: Vec<Option<&Path>> = Vec::new();
            if !args.packs.no_default_rules {
                sources.push(None);
            }
            sources.extend(args.packs.rules.iter().map(|d| Some(d.as_path())));
            let dir = engine
                .packs()
                .zip(sources)
                .find(|(p, _)| p.id() == rule.pack)
                .and_then(|(_, d)| d);
            let loading = explain::Loading {
                dir,
                no_default_rules: args.packs.no_default_rules,
            };
            output::stdout(&explain::text(rule, &loading, Style::for_stdout()))?;
        }
    }
    Ok(EXIT_OK)
}

/// `aimscheck rules lint`: exit 0 when the packs are clean, 1 when one warns, 2 when a pack
/// does not load.
fn lint(args: &LintArgs) -> Result<u8, Failure> {
    let request = api::LintRequest {
        rules: args.dirs.clone(),
    };
    let answer = api::lint_rules(request).map_err(|e| {
        let mut f = Failure::default();
        f.add(&e, None);
        f
    })?;
    match args.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&answer).unwrap_or_default();
            s.push('\n');
            output::stdout(&s)?;
        }
        Format::Text => {
            let mut text: String = answer.warnings.iter().map(crate::diag::render).collect();
            let packs: Vec<String> = answer
                .packs
                .iter()
                .map(|p| format!("{} {} ({} rules and indicators)", p.id, p.version, p.checks))
                .collect();
            let n = answer.warnings.len();
            text.push_str(&format!(
                "linted {}: {}\n",
                packs.join(", "),
                match n {
                    0 => "no nested scan".to_owned(),
                    1 => "1 warning".to_owned(),
                    n => format!("{n} warnings"),
                }
            ));
            output::stdout(&text)?;
        }
    }
    Ok(if answer.warnings.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAIL
    })
}

/// `aimscheck diff`.
fn diff_reports(args: &DiffArgs) -> Result<u8, Failure> {
    let mut failure = Failure::default();
    let old = diff::load(&args.old, &mut failure);
    let new = diff::load(&args.new, &mut failure);
    let (Some(old), Some(new)) = (old, new) else {
        return Err(failure);
    };
    let d = diff::Diff::of(&old, &new);
    match args.format {
        Format::Json => output::stdout(&d.to_json_pretty())?,
        Format::Text => output::stdout(&d.text(Style::for_stdout()))?,
    }
    Ok(EXIT_OK)
}

/// Pretty JSON with a trailing newline.
fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
