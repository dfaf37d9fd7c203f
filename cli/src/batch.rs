//! `check` of several models: files, a directory's `*.json`, or a JSON Lines file, checked in
//! parallel on one engine ([`aimscheck::api::evaluate_many_on`]), written one line per model
//! as each chunk completes.

use crate::args::{CheckArgs, CheckFormat};
use crate::commands::{EXIT_ERROR, EXIT_FAIL, EXIT_OK, as_of_or_today, packs_arg};
use crate::diag::{self, Failure, codes};
use crate::output;
use aimscheck::api::{self, EvaluateManyRequest, ManyAnswer, ModelFields, ModelInput, NamedModel};
use aimscheck::error::codes::OPTIONS;
use aimscheck::{Issue, Verdict};
use std::fmt::Write as _;
use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};

/// The one model file `args` names, when `check` has a single model to write in full.
pub fn single(args: &CheckArgs) -> Option<&str> {
    match (args.models.as_slice(), &args.jsonl, args.format) {
        (_, _, CheckFormat::Jsonl) | (_, Some(_), _) => None,
        ([one], None, _) if one == "-" || !Path::new(one).is_dir() => Some(one.as_str()),
        _ => None,
    }
}

/// Models evaluated per chunk, per thread: output is written and memory freed chunk by chunk.
const CHUNK_PER_THREAD: usize = 32;

/// The models `args` names, in order: each file, each directory's `*.json` (sorted by name),
/// then each line of the JSON Lines file (named `FILE:LINE`).
fn inputs(args: &CheckArgs) -> Result<Vec<(String, ModelInput)>, Failure> {
    let io = |path: &Path, e: &std::io::Error| {
        let mut f = Failure::default();
        f.add(&api::io_error(path, "model", e), None);
        f
    };
    let mut out = Vec::new();
    for m in &args.models {
        if m == "-" {
            return Err(Failure::one(Issue::new(
                codes::IO,
                "standard input holds one model: give several models as files, a directory or --jsonl",
                "",
            )));
        }
        let path = Path::new(m);
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| io(path, &e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
                .collect();
            files.sort();
            out.extend(
                files
                    .into_iter()
                    .map(|p| (p.display().to_string(), ModelInput::Path(p))),
            );
        } else {
            out.push((m.clone(), ModelInput::Path(path.to_path_buf())));
        }
    }
    if let Some(file) = &args.jsonl {
        let reader = std::fs::File::open(file).map_err(|e| io(file, &e))?;
        for (i, line) in std::io::BufReader::new(reader).lines().enumerate() {
            let line = line.map_err(|e| io(file, &e))?;
            if !line.trim().is_empty() {
                let name = format!("{}:{}", file.display(), i + 1);
                out.push((name, ModelInput::Text(line)));
            }
        }
    }
    Ok(out)
}

/// The JSON Lines file and line a model named `name` came from (`FILE:LINE`).
fn jsonl_line(args: &CheckArgs, name: &str) -> Option<(String, usize)> {
    let file = args.jsonl.as_ref()?.display().to_string();
    let line = name.strip_prefix(&file)?.strip_prefix(':')?.parse().ok()?;
    Some((file, line))
}

/// Where the lines go: standard output, or `--output FILE`.
enum Sink {
    Stdout,
    File(std::io::BufWriter<std::fs::File>, String),
}

impl Sink {
    fn open(path: Option<&Path>) -> Result<Sink, Failure> {
        let Some(path) = path else {
            return Ok(Sink::Stdout);
        };
        let name = path.display().to_string();
        let file = std::fs::File::create(path).map_err(|e| {
            Failure::one(Issue {
                file: Some(name.clone()),
                ..Issue::new(codes::IO, format!("cannot write the output: {e}"), "")
            })
        })?;
        Ok(Sink::File(std::io::BufWriter::new(file), name))
    }

    fn write(&mut self, text: &str) -> Result<(), Failure> {
        match self {
            Sink::Stdout => output::stdout(text),
            Sink::File(w, name) => w
                .write_all(text.as_bytes())
                .and_then(|()| w.flush())
                .map_err(|e| {
                    Failure::one(Issue {
                        file: Some(name.clone()),
                        ..Issue::new(codes::IO, format!("cannot write the output: {e}"), "")
                    })
                }),
        }
    }
}

/// Totals over the models.
#[derive(Default)]
struct Tally {
    conformant: usize,
    nonconformant: usize,
    inconclusive: usize,
    not_loaded: usize,
    failing: usize,
}

/// One summary line: the name, the verdict and the rules by status, or the error.
fn summary_line(a: &ManyAnswer) -> String {
    match (&a.report, &a.failure) {
        (Some(r), _) => {
            let c = &r.summary.by_status;
            format!(
                "{}: {} (pass {}, fail {}, insufficient_evidence {}, not_applicable {}, waived {}, error {})\n",
                a.name,
                r.verdict.as_str(),
                c.pass,
                c.fail,
                c.insufficient_evidence,
                c.not_applicable,
                c.waived,
                c.error
            )
        }
        (None, Some(e)) => format!("{}: not loaded: error[{}]: {e}\n", a.name, e.code()),
        (None, None) => format!("{}: no report\n", a.name),
    }
}

/// `aimscheck check` of several models: one line per model, then (text) a tally. Exit 2 when
/// a model could not be loaded, else 1 when a rule fails at or above `--fail-on` in any, else 0.
pub fn run(args: &CheckArgs) -> Result<u8, Failure> {
    if !matches!(args.format, CheckFormat::Text | CheckFormat::Jsonl) {
        return Err(Failure::one(Issue::new(
            OPTIONS,
            "several models are written as --format text (a line each) or jsonl (a report each); \
             the other formats take one model",
            "",
        )));
    }
    let as_of = as_of_or_today(args.as_of.as_ref());
    let engine = packs_arg(&args.packs, args.overlay.as_deref())
        .engine()
        .map_err(|e| {
            let mut f = Failure::default();
            f.add(&e, None);
            f
        })?;
    let models = inputs(args)?;
    if models.is_empty() {
        // Checking nothing is not a pass: a folder without models is an input error.
        let given: Vec<String> = args
            .models
            .iter()
            .cloned()
            .chain(args.jsonl.iter().map(|p| p.display().to_string()))
            .collect();
        return Err(Failure::one(Issue::new(
            codes::IO,
            format!(
                "no model to check: {} holds no *.json file or JSON line",
                given.join(", ")
            ),
            "",
        )));
    }
    let total = models.len();
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let mut sink = Sink::open(args.output.as_deref())?;
    // A bar on a terminal's standard error; nothing when it is not a terminal.
    let bar = indicatif::ProgressBar::with_draw_target(
        u64::try_from(total).ok(),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} models checked, {eta} left")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut tally = Tally::default();
    let limits = args.load.limits();
    let run = api::RunOptions {
        tier: args.tier.map(|t| t.as_str().to_owned()),
        profile: Some(args.profile.as_str().to_owned()),
        max_findings_per_rule: Some(args.eval.max_findings),
        max_steps_per_rule: Some(args.eval.max_steps),
        max_steps_total: Some(args.eval.max_steps_total),
        timeout: args.eval.timeout,
        limits: (&limits).into(),
        strict: limits.strict,
        ..api::RunOptions::new(as_of)
    };
    let mut models = models.into_iter();
    loop {
        let chunk: Vec<NamedModel> = models
            .by_ref()
            .take(jobs.max(1) * CHUNK_PER_THREAD)
            .map(|(name, input)| NamedModel {
                name: Some(name),
                model: ModelFields::of(input),
            })
            .collect();
        if chunk.is_empty() {
            break;
        }
        let n = chunk.len();
        let request = EvaluateManyRequest {
            models: chunk,
            run: run.clone(),
            jobs: Some(jobs),
            packs: api::PacksArg::default(),
        };
        let answers = api::evaluate_many_on(&engine, request).map_err(|e| {
            let mut f = Failure::default();
            f.add(&e, None);
            f
        })?;
        let mut text = String::new();
        for a in &answers {
            match &a.report {
                Some(r) => {
                    match r.verdict {
                        Verdict::Conformant => tally.conformant += 1,
                        Verdict::Nonconformant => tally.nonconformant += 1,
                        _ => tally.inconclusive += 1,
                    }
                    if r.fails_at(args.fail_on.severity()) {
                        tally.failing += 1;
                    }
                }
                None => {
                    tally.not_loaded += 1;
                    if let Some(e) = &a.failure {
                        let mut f = Failure::default();
                        f.add(e, Some(&a.name));
                        if let Some(at) = jsonl_line(args, &a.name) {
                            // A line of the JSON Lines file: located in that file.
                            for i in f
                                .issues
                                .iter_mut()
                                .filter(|i| i.file.as_ref() == Some(&a.name))
                            {
                                i.file = Some(at.0.clone());
                                i.line = i.line.map(|_| at.1);
                            }
                        }
                        bar.suspend(|| output::note(&diag::render_all(&f)));
                    }
                }
            }
            match args.format {
                CheckFormat::Jsonl => {
                    let line = serde_json::to_string(a).unwrap_or_default();
                    let _ = writeln!(text, "{line}");
                }
                _ => text.push_str(&summary_line(a)),
            }
        }
        sink.write(&text)?;
        bar.inc(u64::try_from(n).unwrap_or(u64::MAX));
    }
    bar.finish_and_clear();
    if args.format == CheckFormat::Text {
        sink.write(&format!(
            "{total} models: {} conformant, {} nonconformant, {} inconclusive, {} not loaded; {} with a rule failing at {} or above\n",
            tally.conformant,
            tally.nonconformant,
            tally.inconclusive,
            tally.not_loaded,
            tally.failing,
            args.fail_on.severity().as_str()
        ))?;
    }
    Ok(if tally.not_loaded > 0 {
        EXIT_ERROR
    } else if tally.failing > 0 {
        EXIT_FAIL
    } else {
        EXIT_OK
    })
}
