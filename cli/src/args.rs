//! Command-line arguments (clap derive).

use aimscheck::{
    DEFAULT_MAX_ARRAY_LEN, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_FINDINGS,
    DEFAULT_MAX_STEPS, DEFAULT_MAX_STEPS_TOTAL, LoadLimits, Severity,
};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Checks an ISO/IEC 42001 AI management system (AIMS) model against declarative rules.
///
/// Exit status: 0 when no rule fails at or above --fail-on, 1 when one does (or when
/// `rules lint` warns), 2 for bad input or usage (unreadable or invalid model, invalid rule
/// pack or overlay, bad option).
#[derive(Debug, Parser)]
#[command(name = "aimscheck", version, arg_required_else_help = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate a model and print the report.
    Check(CheckArgs),
    /// Load a model and report whether it is valid, without evaluating rules.
    Validate(ValidateArgs),
    /// Work with rule packs.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Write a starter model for a tier, to fill in.
    Init(InitArgs),
    /// Rewrite a model of schema 1.0 as schema 1.1 (only its schema_version changes).
    Migrate(MigrateArgs),
    /// Compare two reports of `check --format json`: findings fixed, new and unchanged.
    Diff(DiffArgs),
    /// Draw the process-interaction map of a model (processes, their inputs and outputs,
    /// external parties), with the processes that have failing findings marked.
    Diagram(DiagramArgs),
}

/// Subcommands of `rules`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules of the loaded packs.
    List(ListArgs),
    /// Explain one rule: what it checks and why, and a model fragment on which it passes.
    Explain(ExplainArgs),
    /// Lint rule packs for loops whose cost is the product of two model collections (a
    /// selection over a collection, inside a loop over another, that no index serves).
    Lint(LintArgs),
}

/// Which rule packs to load.
#[derive(Debug, Clone, Args)]
pub struct PackArgs {
    /// Also load the rule pack in DIR (its pack.json and rule files); repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Do not load the embedded default pack (iso42001-4.4); needs --rules.
    #[arg(long, requires = "rules")]
    pub no_default_rules: bool,
}

/// Limits on the model read (each default is the library's; past one, exit 2 with
/// AIMS-E-LIMIT).
#[derive(Debug, Clone, Copy, Args)]
pub struct LoadArgs {
    /// Largest model accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BYTES)]
    pub max_bytes: usize,
    /// Deepest nesting of arrays and objects accepted in the model.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_DEPTH)]
    pub max_depth: usize,
    /// Most items accepted in any one array of the model.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_ARRAY_LEN)]
    pub max_array_len: usize,
    /// Refuse a model holding a member the model schema does not define (error
    /// AIMS-E-UNKNOWN-MEMBER) instead of warning about it (AIMS-W-UNKNOWN-MEMBER); members
    /// starting with `x_` are extensions and always accepted.
    #[arg(long)]
    pub strict: bool,
}

impl LoadArgs {
    /// The library's load limits with these values.
    pub fn limits(&self) -> LoadLimits {
        LoadLimits {
            max_bytes: self.max_bytes,
            max_depth: self.max_depth,
            max_array_len: self.max_array_len,
            strict: self.strict,
            ..LoadLimits::default()
        }
    }
}

/// Limits on the evaluation.
#[derive(Debug, Clone, Copy, Args)]
pub struct EvalLimitArgs {
    /// Findings listed per rule; the others are counted in `findings_total` and the rule
    /// is marked `findings_truncated` (alias: the bindings' name).
    #[arg(
        long,
        visible_alias = "max-findings-per-rule",
        value_name = "N",
        default_value_t = DEFAULT_MAX_FINDINGS
    )]
    pub max_findings: usize,
    /// Evaluation steps each rule (and indicator) may take; a rule that needs more stops
    /// with status error (AIMS-E-BUDGET) and the others still run (alias: the
    /// bindings' name).
    #[arg(
        long,
        visible_alias = "max-steps-per-rule",
        value_name = "N",
        default_value_t = DEFAULT_MAX_STEPS
    )]
    pub max_steps: u64,
    /// Evaluation steps the whole evaluation of a model may take, all rules and indicators
    /// together; past it the rules not done stop with status error (AIMS-E-BUDGET), the
    /// report says so in `stopped`, and the verdict is at best inconclusive.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_STEPS_TOTAL)]
    pub max_steps_total: u64,
    /// Seconds the evaluation of each model may take (default: no limit); past it the
    /// evaluation stops as with --max-steps-total. Where it stops depends on the machine.
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    pub timeout: Option<f64>,
}

/// A positive, finite number of seconds.
fn seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 => Ok(s),
        _ => Err(format!("{text} is not a positive number of seconds")),
    }
}

impl Default for EvalLimitArgs {
    fn default() -> Self {
        EvalLimitArgs {
            max_findings: DEFAULT_MAX_FINDINGS,
            max_steps: DEFAULT_MAX_STEPS,
            max_steps_total: DEFAULT_MAX_STEPS_TOTAL,
            timeout: None,
        }
    }
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The AIMS model (JSON file), or `-` for standard input; several files, or a directory
    /// (its `*.json` files), check each model (see --jobs).
    #[arg(value_name = "MODEL", required_unless_present = "jsonl")]
    pub models: Vec<String>,
    /// A JSON Lines file: one model per line, each checked.
    #[arg(long, value_name = "FILE")]
    pub jsonl: Option<PathBuf>,
    /// Threads checking several models at once (default: one per core).
    #[arg(long, short, value_name = "N")]
    pub jobs: Option<usize>,
    /// Evaluation date (YYYY-MM-DD); default today's local date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Size tier; default `organization.size_tier` of the model, else startup.
    #[arg(long, value_enum)]
    pub tier: Option<TierArg>,
    /// Profile: the tier's rules, or every startup and scaleup rule (certification).
    #[arg(long, value_enum, default_value_t = ProfileArg::Tier)]
    pub profile: ProfileArg,
    /// Rule packs.
    #[command(flatten)]
    pub packs: PackArgs,
    /// Output format: text or json (the report), or an export: sarif (SARIF 2.1.0), oscal
    /// (OSCAL assessment-results), junit (JUnit XML), markdown, html (a self-contained page
    /// with the process map) or ciso-csv (CISO Assistant's compliance-assessment import).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Write the output to FILE instead of standard output (exit status unchanged).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a rule at or above this severity fails.
    #[arg(long, value_enum, default_value_t = FailOn::Low)]
    pub fail_on: FailOn,
    /// Overlay: a JSON file `{"disable": [rule ids], "severity": {rule id: level}}`.
    #[arg(long, value_name = "FILE")]
    pub overlay: Option<PathBuf>,
    /// Limits on the model.
    #[command(flatten)]
    pub load: LoadArgs,
    /// Limits on the evaluation.
    #[command(flatten)]
    pub eval: EvalLimitArgs,
}

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The AIMS model (JSON file), or `-` for standard input.
    #[arg(value_name = "MODEL")]
    pub model: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Limits on the model.
    #[command(flatten)]
    pub load: LoadArgs,
}

/// Arguments of `rules list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Rule packs.
    #[command(flatten)]
    pub packs: PackArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Overlay: list severities as changed and disabled rules as such.
    #[arg(long, value_name = "FILE")]
    pub overlay: Option<PathBuf>,
}

/// Arguments of `rules explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule id, e.g. AIMS-PROC-01.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Rule packs.
    #[command(flatten)]
    pub packs: PackArgs,
    /// Output format: text, or the rule's metadata as JSON.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `rules lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Rule pack folders to lint (each with its pack.json); none lints the embedded default
    /// pack (iso42001-4.4). Exit 1 when a pack has a warning.
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output format: text (warnings as diagnostics), or JSON (the packs and the warnings).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Size tier of the starter model: which processes it lists.
    #[arg(long, value_enum)]
    pub tier: TierArg,
    /// Write the model to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite FILE if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// Arguments of `migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The AIMS model of schema 1.0 (JSON file).
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,
    /// Write the model to FILE instead of standard output (it may be MODEL itself, with
    /// --force).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite FILE if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Limits on the model.
    #[command(flatten)]
    pub load: LoadArgs,
}

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier report (JSON from `check --format json`).
    #[arg(value_name = "OLD_REPORT")]
    pub old: PathBuf,
    /// The later report.
    #[arg(value_name = "NEW_REPORT")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Arguments of `diagram`.
#[derive(Debug, Args)]
pub struct DiagramArgs {
    /// The AIMS model (JSON file), or `-` for standard input.
    #[arg(value_name = "MODEL")]
    pub model: String,
    /// Form of the map: Graphviz DOT, a self-contained SVG picture, or a Mermaid flowchart.
    #[arg(long, value_enum, default_value_t = DiagramFormatArg::Dot)]
    pub format: DiagramFormatArg,
    /// Evaluation date that decides which processes are marked as failing (YYYY-MM-DD);
    /// default today's local date.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Size tier; default `organization.size_tier` of the model, else startup.
    #[arg(long, value_enum)]
    pub tier: Option<TierArg>,
    /// Profile: the tier's rules, or every startup and scaleup rule (certification).
    #[arg(long, value_enum, default_value_t = ProfileArg::Tier)]
    pub profile: ProfileArg,
    /// Rule packs.
    #[command(flatten)]
    pub packs: PackArgs,
    /// Overlay: a JSON file `{"disable": [rule ids], "severity": {rule id: level}}`.
    #[arg(long, value_name = "FILE")]
    pub overlay: Option<PathBuf>,
    /// Write the map to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Limits on the model.
    #[command(flatten)]
    pub load: LoadArgs,
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Human-readable text.
    Text,
    /// The report as JSON.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// OSCAL 1.1.3 assessment-results (JSON).
    Oscal,
    /// JUnit XML: a testsuite per clause, a testcase per rule.
    Junit,
    /// Markdown: summary, clause table, findings.
    Markdown,
    /// A self-contained HTML page with the process-interaction map.
    Html,
    /// CSV that CISO Assistant's data wizard imports as a compliance assessment.
    CisoCsv,
    /// One line of JSON per model: `{"name", "report"}` or `{"name", "error"}`.
    Jsonl,
}

impl CheckFormat {
    /// The library's export format, for the formats that are exports.
    pub fn export(self) -> Option<aimscheck::export::Format> {
        use aimscheck::export::Format as F;
        Some(match self {
            CheckFormat::Text | CheckFormat::Json | CheckFormat::Jsonl => return None,
            CheckFormat::Sarif => F::Sarif,
            CheckFormat::Oscal => F::Oscal,
            CheckFormat::Junit => F::Junit,
            CheckFormat::Markdown => F::Markdown,
            CheckFormat::Html => F::Html,
            CheckFormat::CisoCsv => F::CisoCsv,
        })
    }
}

/// Form of the process map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramFormatArg {
    /// Graphviz DOT.
    Dot,
    /// A self-contained SVG picture.
    Svg,
    /// A Mermaid flowchart.
    Mermaid,
}

impl DiagramFormatArg {
    /// The library's diagram format.
    pub fn format(self) -> aimscheck::export::diagram::DiagramFormat {
        use aimscheck::export::diagram::DiagramFormat as D;
        match self {
            DiagramFormatArg::Dot => D::Dot,
            DiagramFormatArg::Svg => D::Svg,
            DiagramFormatArg::Mermaid => D::Mermaid,
        }
    }
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable text.
    Text,
    /// JSON.
    Json,
}

/// Size tier given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TierArg {
    /// Startup.
    Startup,
    /// Scaleup.
    Scaleup,
    /// Enterprise.
    Enterprise,
}

impl TierArg {
    /// The library's tier.
    pub fn tier(self) -> aimscheck::Tier {
        match self {
            TierArg::Startup => aimscheck::Tier::Startup,
            TierArg::Scaleup => aimscheck::Tier::Scaleup,
            TierArg::Enterprise => aimscheck::Tier::Enterprise,
        }
    }

    /// The tier's name as the library parses it.
    pub fn as_str(self) -> &'static str {
        match self {
            TierArg::Startup => "startup",
            TierArg::Scaleup => "scaleup",
            TierArg::Enterprise => "enterprise",
        }
    }
}

/// Profile given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// The rules of the tier.
    Tier,
    /// Every startup and scaleup rule, whatever the tier.
    Certification,
}

impl ProfileArg {
    /// The profile's name as the library parses it.
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileArg::Tier => "tier",
            ProfileArg::Certification => "certification",
        }
    }
}

/// Lowest severity of a failing rule that makes `check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only critical failures.
    Critical,
    /// High or critical failures.
    High,
    /// Medium, high or critical failures.
    Medium,
    /// Any failure.
    Low,
}

impl FailOn {
    /// The library's severity.
    pub fn severity(self) -> Severity {
        match self {
            FailOn::Critical => Severity::Critical,
            FailOn::High => Severity::High,
            FailOn::Medium => Severity::Medium,
            FailOn::Low => Severity::Low,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
