//! The options of an evaluation as Python gives them: `as_of`, and the keyword arguments a
//! call gathers in `**options` (`tier`, `profile`, `max_findings_per_rule`,
//! `max_steps_per_rule`, `max_steps_total`, `timeout`, `limits`, `strict` and, for a batch,
//! `jobs`), read in one place for every evaluating function and method.

use crate::convert::{self, api_limits, load_limits, opt_count, opt_seconds, opt_str};
use aimscheck::LoadLimits;
use aimscheck::api::RunOptions;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

/// The evaluation options of one call, as Python gave them.
pub struct RunArgs<'py> {
    as_of: Bound<'py, PyAny>,
    tier: Option<Bound<'py, PyAny>>,
    profile: Option<Bound<'py, PyAny>>,
    max_findings_per_rule: Option<Bound<'py, PyAny>>,
    max_steps_per_rule: Option<Bound<'py, PyAny>>,
    max_steps_total: Option<Bound<'py, PyAny>>,
    timeout: Option<Bound<'py, PyAny>>,
    limits: Option<Bound<'py, PyAny>>,
    strict: Option<Bound<'py, PyAny>>,
    jobs: Option<Bound<'py, PyAny>>,
}

impl<'py> RunArgs<'py> {
    /// The options of a call to `function` (named as Python names it in a `TypeError`): `as_of`
    /// and the keyword arguments `options`. A name the call does not take is the `TypeError`
    /// Python raises for it; `jobs` is taken only by a `batch`.
    pub fn parse(
        function: &str,
        as_of: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
        batch: bool,
    ) -> PyResult<Self> {
        let mut args = RunArgs {
            as_of: as_of.clone(),
            tier: None,
            profile: None,
            max_findings_per_rule: None,
            max_steps_per_rule: None,
            max_steps_total: None,
            timeout: None,
            limits: None,
            strict: None,
            jobs: None,
        };
        for (key, value) in options.into_iter().flat_map(|d| d.iter()) {
            let name = key.cast::<PyString>()?.to_cow()?;
            let slot = match name.as_ref() {
                "tier" => &mut args.tier,
                "profile" => &mut args.profile,
                "max_findings_per_rule" => &mut args.max_findings_per_rule,
                "max_steps_per_rule" => &mut args.max_steps_per_rule,
                "max_steps_total" => &mut args.max_steps_total,
                "timeout" => &mut args.timeout,
                "limits" => &mut args.limits,
                "strict" => &mut args.strict,
                "jobs" if batch => &mut args.jobs,
                _ => {
                    return Err(PyTypeError::new_err(format!(
                        "{function}() got an unexpected keyword argument '{name}'"
                    )));
                }
            };
            *slot = Some(value);
        }
        Ok(args)
    }

    /// The library's evaluation options, and the load limits they hold. An invalid option is
    /// raised: a `TypeError` for a value of the wrong type, an `OptionsError` for a bad value.
    pub fn options(&self) -> PyResult<(RunOptions, LoadLimits)> {
        let limits = load_limits(self.limits.as_ref())?;
        let max_findings = opt_count(self.max_findings_per_rule.as_ref(), "max_findings_per_rule")?;
        let run = RunOptions {
            tier: opt_str(self.tier.as_ref(), "tier")?,
            profile: opt_str(self.profile.as_ref(), "profile")?,
            // Past the address space, every finding is kept anyway.
            max_findings_per_rule: max_findings.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
            max_steps_per_rule: opt_count(self.max_steps_per_rule.as_ref(), "max_steps_per_rule")?,
            max_steps_total: opt_count(self.max_steps_total.as_ref(), "max_steps_total")?,
            timeout: opt_seconds(self.timeout.as_ref(), "timeout")?,
            limits: api_limits(&limits),
            strict: convert::opt_bool(self.strict.as_ref(), "strict")?.unwrap_or(false),
            ..RunOptions::new(convert::as_of(&self.as_of)?)
        };
        let limits = run.load_limits();
        Ok((run, limits))
    }

    /// The `jobs` option: `None` (one thread per core) or a positive `int`.
    pub fn jobs(&self) -> PyResult<Option<usize>> {
        match opt_count(self.jobs.as_ref(), "jobs")? {
            Some(0) => Err(convert::options_error(
                self.as_of.py(),
                "jobs must be at least 1 (None: one thread per core)".to_owned(),
            )),
            n => Ok(n.map(|n| usize::try_from(n).unwrap_or(usize::MAX))),
        }
    }
}
