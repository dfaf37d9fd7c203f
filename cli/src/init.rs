//! `init`: write a starter model for a tier, to fill in.

use crate::args::{InitArgs, TierArg};
use crate::commands::EXIT_OK;
use crate::diag::Failure;
use crate::output;

/// The starter model of `tier`: the organization, 12-month planned intervals with 14 days of
/// grace, the processes AIMS-PROC-01 requires at that tier (all `planned`), and every other
/// collection empty.
pub fn template(tier: TierArg) -> &'static str {
    match tier {
        TierArg::Startup => include_str!("../templates/startup.json"),
        TierArg::Scaleup => include_str!("../templates/scaleup.json"),
        TierArg::Enterprise => include_str!("../templates/enterprise.json"),
    }
}

/// `aimscheck init`.
pub fn run(args: &InitArgs) -> Result<u8, Failure> {
    let text = template(args.tier);
    let Some(path) = &args.output else {
        output::stdout(text)?;
        output::note(
            "next: save this model to a file, fill in roles, owners and procedures, then run: aimscheck check FILE\n",
        );
        return Ok(EXIT_OK);
    };
    let name = path.display().to_string();
    output::create(path, text, args.force, "the model")?;
    output::note(&format!(
        "wrote a starter model for tier {} to {name}\nnext: fill in roles, owners and procedures, then run: aimscheck check {name}\n",
        args.tier.as_str()
    ));
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::template;
    use crate::args::TierArg;
    use aimscheck::{Engine, Model, Options, Status};

    #[test]
    fn every_template_loads_and_fails_only_what_is_left_to_fill_in() {
        let engine = Engine::new().unwrap_or_else(|e| panic!("{e}"));
        for (tier, processes) in [
            (TierArg::Startup, 7),
            (TierArg::Scaleup, 14),
            (TierArg::Enterprise, 14),
        ] {
            let model = Model::from_json(template(tier)).unwrap_or_else(|e| panic!("{e}"));
            let listed = model
                .value()
                .get("processes")
                .and_then(|p| p.as_array())
                .map_or(0, Vec::len);
            assert_eq!(listed, processes, "{}", tier.as_str());
            assert_eq!(
                model
                    .value()
                    .pointer("/organization/size_tier")
                    .and_then(|t| t.as_str()),
                Some(tier.as_str())
            );
            let options =
                Options::parse("2026-06-30", None, None).unwrap_or_else(|e| panic!("{e}"));
            let report = engine
                .evaluate(&model, &options)
                .unwrap_or_else(|e| panic!("{e}"));
            let proc01 = report.rule("AIMS-PROC-01").map(|r| r.status);
            assert_eq!(proc01, Some(Status::Fail), "{}", tier.as_str());
            let errors: Vec<&str> = report
                .rules
                .iter()
                .filter(|r| r.status == Status::Error)
                .map(|r| r.id.as_str())
                .collect();
            assert!(errors.is_empty(), "rules in error: {errors:?}");
        }
    }
}
