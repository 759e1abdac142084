//! `parindex._native`: the engine for Python (PyO3). The public module is `parindex`
//! (`python/parindex/__init__.py`), which re-exports these. Scoring releases the GIL, so
//! Python threads score at once; a `Round` is shared by threads safely.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use parindex_ffi::{Failure, OpenRound, Source};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

create_exception!(
    parindex,
    InvalidInput,
    PyValueError,
    "Invalid input or an unusable call: `errors` holds SPEC §10's error objects (dicts with code, path, message, and file and criterion when known); `status` says which kind (invalid, usage, bad_argument, bad_handle, internal)."
);

/// The Python exception for a failure, with `status` and `errors` set.
fn raise(py: Python<'_>, failure: Failure) -> PyErr {
    let err = InvalidInput::new_err(failure.render());
    let value = err.value(py);
    let errors =
        py.import("json").and_then(|json| json.call_method1("loads", (failure.errors_json(),))).map(Bound::unbind);
    let _ = value.setattr("status", failure.status.as_str());
    let _ = match errors {
        Ok(list) => value.setattr("errors", list),
        Err(e) => value.setattr("errors", e.to_string()),
    };
    err
}

/// A round bundle's text (a str starting with `{`, or bytes), or a path (str or os.PathLike).
enum Input {
    Text(String),
    Path(PathBuf),
}

impl Input {
    fn from_py(value: &Bound<'_, PyAny>) -> PyResult<Input> {
        if let Ok(s) = value.cast::<PyString>() {
            let text = utf8(s)?;
            return Ok(match Source::detect(&text) {
                Source::Bundle(_) => Input::Text(text),
                Source::Path(_) => Input::Path(PathBuf::from(text)),
            });
        }
        if let Ok(bytes) = value.extract::<Vec<u8>>() {
            return match String::from_utf8(bytes) {
                Ok(text) => Ok(Input::Text(text)),
                Err(e) => Err(raise(
                    value.py(),
                    Failure::bad_argument(format!("bundle: not UTF-8 text (at byte {})", e.utf8_error().valid_up_to())),
                )),
            };
        }
        Ok(Input::Path(value.extract::<PathBuf>()?))
    }

    fn source(&self) -> Source<'_> {
        match self {
            Input::Text(t) => Source::Bundle(t),
            Input::Path(p) => Source::Path(p),
        }
    }
}

/// A str as UTF-8; a str that cannot be (a lone surrogate) is `bad_argument`.
fn utf8(s: &Bound<'_, PyString>) -> PyResult<String> {
    match s.to_cow() {
        Ok(text) => Ok(text.into_owned()),
        Err(e) => Err(raise(s.py(), Failure::bad_argument(format!("the text cannot be UTF-8: {e}")))),
    }
}

/// An assessment: JSON text (str or bytes) or a dict (dumped with `json.dumps`).
fn assessment_text(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = value.cast::<PyString>() {
        return utf8(s);
    }
    if value.is_instance_of::<PyDict>() {
        let json = value.py().import("json")?;
        return json.call_method1("dumps", (value,))?.extract::<String>();
    }
    let bytes = value.extract::<Vec<u8>>()?;
    String::from_utf8(bytes).map_err(|e| {
        raise(
            value.py(),
            Failure::bad_argument(format!("assessment: not UTF-8 text (at byte {})", e.utf8_error().valid_up_to())),
        )
    })
}

/// Scores a round: the results document's JSON text, byte for byte what `parindex score`
/// prints.
#[pyfunction]
fn score(py: Python<'_>, round: &Bound<'_, PyAny>) -> PyResult<String> {
    let input = Input::from_py(round)?;
    py.detach(|| parindex_ffi::score(input.source())).map_err(|f| raise(py, f))
}

/// Checks a round (bundle or folder) or one document's file; returns what it is as a dict.
#[pyfunction]
#[pyo3(signature = (path_or_bundle, round_dir = None))]
fn validate(py: Python<'_>, path_or_bundle: &Bound<'_, PyAny>, round_dir: Option<PathBuf>) -> PyResult<Py<PyAny>> {
    let input = Input::from_py(path_or_bundle)?;
    let text = py.detach(|| parindex_ffi::validate(input.source(), round_dir.as_deref())).map_err(|f| raise(py, f))?;
    Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
}

/// One unit explained as text, byte for byte what `parindex explain` prints.
#[pyfunction]
#[pyo3(signature = (round, unit, criterion = None))]
fn explain(py: Python<'_>, round: &Bound<'_, PyAny>, unit: &str, criterion: Option<&str>) -> PyResult<String> {
    let input = Input::from_py(round)?;
    py.detach(|| parindex_ffi::explain(input.source(), unit, criterion)).map_err(|f| raise(py, f))
}

/// A round opened for live preview: the round and its criteria sets are parsed once.
#[pyclass(frozen, module = "parindex")]
struct Round {
    inner: RwLock<Option<Arc<OpenRound>>>,
}

impl Round {
    fn open(&self, py: Python<'_>) -> PyResult<Arc<OpenRound>> {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| raise(py, Failure::bad_handle("the round is closed")))
    }
}

#[pymethods]
impl Round {
    #[new]
    fn new(py: Python<'_>, round: &Bound<'_, PyAny>) -> PyResult<Round> {
        let input = Input::from_py(round)?;
        let open = py.detach(|| parindex_ffi::open_round(input.source())).map_err(|f| raise(py, f))?;
        Ok(Round { inner: RwLock::new(Some(Arc::new(open))) })
    }

    /// The round's id.
    #[getter]
    fn id(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.open(py)?.id().to_owned())
    }

    /// Scores one unit's assessment (JSON text or a dict): the unit's row as the results
    /// document holds it, as JSON text (`"rank"` is null).
    fn score_unit(&self, py: Python<'_>, assessment: &Bound<'_, PyAny>) -> PyResult<String> {
        let text = assessment_text(assessment)?;
        let round = self.open(py)?;
        py.detach(|| parindex_ffi::score_unit(&round, &text)).map_err(|f| raise(py, f))
    }

    /// Closes the round; later calls raise `InvalidInput` (status `bad_handle`).
    fn close(&self) {
        *self.inner.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Whether `close` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).is_none()
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close();
        false
    }
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(score, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_class::<Round>()?;
    m.add("InvalidInput", m.py().get_type::<InvalidInput>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
