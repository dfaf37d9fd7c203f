//! `evaluate_many`: models evaluated on one engine in parallel, each answered with its report
//! or with the exception `evaluate` would raise for it (returned, not raised).

use crate::convert::{self, given, type_name};
use crate::errors;
use crate::run::RunArgs;
use aimscheck::api::{self, EvaluateManyRequest, ManyAnswer, ModelFields, NamedModel, PacksArg};
use aimscheck::error::{Issue, codes};
use aimscheck::{Engine, Error, LoadLimits};
use pyo3::exceptions::{PyException, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyString};

/// The request of a batch evaluation (`evaluate_many`, `evaluate_arrow`) with `run`'s options
/// and `packs`, and no model yet, and the load limits. An invalid option is raised.
pub fn request(run: &RunArgs<'_>, packs: PacksArg) -> PyResult<(EvaluateManyRequest, LoadLimits)> {
    let (options, limits) = run.options()?;
    let req = EvaluateManyRequest {
        models: Vec::new(),
        run: options,
        jobs: run.jobs()?,
        packs,
    };
    Ok((req, limits))
}

/// Runs a batch request on `engine`, or, without one, on the engine its packs describe, with
/// the GIL released: one answer per model of the request, in order.
pub fn answers(
    py: Python<'_>,
    engine: Option<&Engine>,
    req: EvaluateManyRequest,
) -> PyResult<Vec<ManyAnswer>> {
    crate::call(py, || match engine {
        Some(engine) => api::evaluate_many_on(engine, req),
        None => api::evaluate_many(req),
    })
}

/// The arguments of an `evaluate_many` call, as Python gave them.
pub struct ManyArgs<'a, 'py> {
    pub models: &'a Bound<'py, PyAny>,
    pub run: RunArgs<'py>,
    pub names: Option<&'a Bound<'py, PyAny>>,
}

impl<'py> ManyArgs<'_, 'py> {
    /// Evaluates the models on `engine` (or, without one, on the engine `packs` describe) with
    /// the GIL released: a list with one item per model, in order, its report or its exception.
    /// An invalid option is raised; a model that cannot be converted or loaded is its item.
    pub fn run(
        &self,
        py: Python<'py>,
        engine: Option<&Engine>,
        packs: PacksArg,
    ) -> PyResult<Bound<'py, PyList>> {
        let (mut req, limits) = request(&self.run, packs)?;
        let models = model_list(self.models)?;
        let names = names(self.names, models.len())?;
        // `None` for a model sent to the engine, its exception for one refused here.
        let mut refused: Vec<Option<PyErr>> = Vec::with_capacity(models.len());
        for (i, (obj, name)) in models.iter().zip(names).enumerate() {
            let name = name.unwrap_or_else(|| format!("models/{i}"));
            match convert::model_input(obj, &limits) {
                Ok(Ok(input)) => {
                    req.models.push(NamedModel {
                        name: Some(name),
                        model: ModelFields::of(input),
                    });
                    refused.push(None);
                }
                Ok(Err(e)) => refused.push(Some(errors::to_py(py, &e.in_file(&name)))),
                // A model Python cannot convert (a NaN in a dict) is its own TypeError; an
                // interruption (KeyboardInterrupt) stops the call.
                Err(e) if e.is_instance_of::<PyException>(py) => refused.push(Some(e)),
                Err(e) => return Err(e),
            }
        }
        let answers = answers(py, engine, req)?;
        let mut answers = answers.into_iter();
        let list = PyList::empty(py);
        for (slot, obj) in refused.into_iter().zip(&models) {
            let item = match slot {
                Some(e) => exception(py, e),
                None => match answers.next() {
                    Some(answer) => item(py, answer, obj)?,
                    None => exception(py, errors::to_py(py, &missing())),
                },
            };
            list.append(item)?;
        }
        Ok(list)
    }
}

/// One model's answer: its report as a dict, or its error as the exception instance (with the
/// help of [`convert::path_hint`] for `model`, the model given).
fn item<'py>(
    py: Python<'py>,
    answer: ManyAnswer,
    model: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    match (answer.report, answer.failure) {
        (Some(report), _) => Ok(pythonize::pythonize(py, &report)?),
        (None, Some(e)) => Ok(exception(
            py,
            errors::to_py(py, &convert::path_hint(model, e)),
        )),
        (None, None) => Ok(exception(py, errors::to_py(py, &missing()))),
    }
}

/// The exception instance of `e`.
fn exception(py: Python<'_>, e: PyErr) -> Bound<'_, PyAny> {
    e.into_value(py).into_bound(py).into_any()
}

/// The error of an answer the library did not give (a bug).
pub fn missing() -> Error {
    Error::Internal(Box::new(Issue::new(
        codes::INTERNAL,
        "internal error in aimscheck: a model of the batch has no answer (please report it)",
        "",
    )))
}

/// The `models` argument: any iterable of models, but not one model itself (a dict, a str,
/// bytes or a path), whose items would be taken for models.
fn model_list<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let single = obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyByteArray>()
        || obj.is_instance_of::<PyDict>()
        || obj.get_type().hasattr("__fspath__")?;
    let not_a_list = || {
        PyTypeError::new_err(format!(
            "models must be an iterable of models (a list of dicts, JSON str or bytes, or \
             paths), not {}",
            type_name(obj)
        ))
    };
    if single {
        return Err(not_a_list());
    }
    obj.try_iter().map_err(|_| not_a_list())?.collect()
}

/// The `names` argument for `count` models: `None` (each named by the library, `models/<i>`)
/// or an iterable of as many `str`.
fn names(obj: Option<&Bound<'_, PyAny>>, count: usize) -> PyResult<Vec<Option<String>>> {
    let Some(obj) = given(obj) else {
        return Ok(vec![None; count]);
    };
    let not_strs = |found: &Bound<'_, PyAny>| {
        PyTypeError::new_err(format!(
            "names must be an iterable of str or None, not {}",
            type_name(found)
        ))
    };
    if obj.is_instance_of::<PyString>() {
        return Err(not_strs(obj));
    }
    let mut names = Vec::with_capacity(count);
    for name in obj.try_iter().map_err(|_| not_strs(obj))? {
        let name = name?;
        let text = match name.cast::<PyString>() {
            Ok(s) => s.to_cow()?.into_owned(),
            Err(_) => {
                return Err(PyTypeError::new_err(format!(
                    "names must be str, found a {}",
                    type_name(&name)
                )));
            }
        };
        names.push(Some(text));
    }
    if names.len() != count {
        return Err(convert::options_error(
            obj.py(),
            format!("{} names for {count} models", names.len()),
        ));
    }
    Ok(names)
}
