//! Starter models: what `aimscheck init` writes, one per size tier, to fill in.
//!
//! ```
//! use aimscheck::{Model, Tier, starter};
//! let model = Model::from_json(starter::model(Tier::Startup))?;
//! assert_eq!(model.value()["organization"]["size_tier"], "startup");
//! # Ok::<(), aimscheck::Error>(())
//! ```

use crate::lang::Tier;

/// The starter model of `tier` (schema 1.1): the organization, 12-month planned intervals with
/// 14 days of grace, the processes AIMS-PROC-01 requires at that tier (all `planned`), and
/// every other collection empty.
pub fn model(tier: Tier) -> &'static str {
    match tier {
        Tier::Startup => include_str!("starter/startup.json"),
        Tier::Scaleup => include_str!("starter/scaleup.json"),
        Tier::Enterprise => include_str!("starter/enterprise.json"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use crate::{Engine, Model, Options, Status};

    #[test]
    fn every_starter_loads_and_fails_only_what_is_left_to_fill_in() {
        let engine = Engine::new().unwrap();
        for (tier, processes) in [
            (Tier::Startup, 7),
            (Tier::Scaleup, 14),
            (Tier::Enterprise, 14),
        ] {
            let model = Model::from_json(model(tier)).unwrap();
            let listed = model
                .value()
                .get("processes")
                .and_then(|p| p.as_array())
                .map_or(0, Vec::len);
            assert_eq!(listed, processes, "{tier:?}");
            assert_eq!(
                model
                    .value()
                    .pointer("/organization/size_tier")
                    .and_then(|t| t.as_str()),
                Some(tier.as_str())
            );
            let options = Options::parse("2026-06-30", None, None).unwrap();
            let report = engine.evaluate(&model, &options).unwrap();
            let proc01 = report.rule("AIMS-PROC-01").map(|r| r.status);
            assert_eq!(proc01, Some(Status::Fail), "{tier:?}");
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
