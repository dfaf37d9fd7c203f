//! Exporters: the report in the formats people and tools consume.
//!
//! Every exporter is a pure function of the report (and, for locations, the model it came
//! from): the same inputs give byte-identical output.

use crate::error::{Error, Issue, Result, codes};
use crate::model::Model;
use crate::report::Report;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// SARIF 2.1.0 (one run; one result per finding).
    Sarif,
    /// OSCAL 1.1.3 assessment-results.
    Oscal,
    /// JUnit XML (a testsuite per clause, a testcase per rule).
    Junit,
    /// Markdown (summary, clause table, findings).
    Markdown,
    /// A self-contained HTML page with the process-interaction map.
    Html,
    /// CSV that CISO Assistant's data wizard imports as a compliance assessment.
    CisoCsv,
}

impl Format {
    /// Parses `sarif`, `oscal`, `junit`, `markdown`, `html` or `ciso-csv`.
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "sarif" => Format::Sarif,
            "oscal" => Format::Oscal,
            "junit" => Format::Junit,
            "markdown" => Format::Markdown,
            "html" => Format::Html,
            "ciso-csv" => Format::CisoCsv,
            _ => return None,
        })
    }

    /// The format's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Sarif => "sarif",
            Format::Oscal => "oscal",
            Format::Junit => "junit",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::CisoCsv => "ciso-csv",
        }
    }

    /// Every format.
    pub const ALL: [Format; 6] = [
        Format::Sarif,
        Format::Oscal,
        Format::Junit,
        Format::Markdown,
        Format::Html,
        Format::CisoCsv,
    ];
}

/// What an exporter may know beside the report.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The evaluated model: gives line numbers (when it came as text) and the process map.
    pub model: Option<&'a Model>,
    /// How to name the model file in locations (e.g. `examples/scaleup.json`).
    pub model_uri: Option<&'a str>,
}

/// Renders `report` in `format`.
pub fn render(format: Format, report: &Report, ctx: &Context<'_>) -> Result<String> {
    match format {
        Format::Sarif => sarif::render(report, ctx),
        Format::Oscal => oscal::render(report, ctx),
        Format::Junit => junit::render(report, ctx),
        Format::Markdown => markdown::render(report, ctx),
        Format::Html => html::render(report, ctx),
        Format::CisoCsv => ciso_csv::render(report, ctx),
    }
}

/// What the Markdown and HTML outputs say of the order of the failing rules.
pub(crate) const FIX_FIRST_NOTE: &str =
    "In the order to fix them: the most severe first, then by clause number.";

/// Where the tier came from, in words: `option`, `model` or `default` of the report.
pub(crate) fn tier_source_words(source: &str) -> String {
    match source {
        "option" => "chosen for this evaluation".to_owned(),
        "model" => "from the model".to_owned(),
        "default" => "by default".to_owned(),
        other => other.replace('_', " "),
    }
}

/// The profile in words: `tier` or `certification` of the report.
pub(crate) fn profile_words(profile: &str) -> String {
    match profile {
        "tier" => "the rules of the tier".to_owned(),
        "certification" => "certification (every startup and scaleup rule)".to_owned(),
        other => other.replace('_', " "),
    }
}

/// An export that could not be produced.
pub(crate) fn export_error(format: Format, message: impl Into<String>) -> Error {
    Error::Export(Box::new(Issue::new(
        codes::EXPORT,
        format!("cannot export {}: {}", format.as_str(), message.into()),
        "",
    )))
}

pub mod ciso_csv;
pub mod diagram;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod oscal;
pub mod sarif;
