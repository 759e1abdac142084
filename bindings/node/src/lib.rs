//! `parindex.node`: the engine for Node.js (napi-rs). `index.js` wraps it: a failure leaves
//! here as an `Error` whose message is `parindex:` and a JSON object `{status, errors}`,
//! which `index.js` turns into an `InvalidInput`.

use std::path::Path;
use std::sync::Arc;

use napi::Either;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use parindex_ffi::{Failure, OpenRound, Source};

/// The marker `index.js` recognises.
const MARKER: &str = "parindex:";

fn fail(f: Failure) -> napi::Error {
    let errors = f.errors_json();
    napi::Error::from_reason(format!("{MARKER}{{\"status\":\"{}\",\"errors\":{errors}}}", f.status.as_str()))
}

/// A round given as a string (a path, or a bundle's text when it starts with `{`) or a
/// Buffer (a bundle's UTF-8 bytes).
fn with_source<T>(input: &Either<String, Buffer>, f: impl FnOnce(Source<'_>) -> Result<T, Failure>) -> napi::Result<T> {
    match input {
        Either::A(text) => f(Source::detect(text)),
        Either::B(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => f(Source::Bundle(text)),
            Err(e) => Err(Failure::bad_argument(format!("bundle: not UTF-8 text (at byte {})", e.valid_up_to()))),
        },
    }
    .map_err(fail)
}

/// Scores a round: the results document's JSON text, byte for byte what `parindex score`
/// prints.
#[napi]
pub fn score(round: Either<String, Buffer>) -> napi::Result<String> {
    with_source(&round, parindex_ffi::score)
}

/// Checks a round, or one document's file: what it is, as JSON text.
#[napi]
pub fn validate(round: Either<String, Buffer>, round_dir: Option<String>) -> napi::Result<String> {
    with_source(&round, |s| parindex_ffi::validate(s, round_dir.as_deref().map(Path::new)))
}

/// One unit explained as text, byte for byte what `parindex explain` prints.
#[napi]
pub fn explain(round: Either<String, Buffer>, unit: String, criterion: Option<String>) -> napi::Result<String> {
    with_source(&round, |s| parindex_ffi::explain(s, &unit, criterion.as_deref()))
}

/// A round opened for live preview.
#[napi]
pub struct Round {
    inner: Option<Arc<OpenRound>>,
}

#[napi]
impl Round {
    /// Opens a round (folder, bundle file, bundle text or Buffer).
    #[napi(constructor)]
    pub fn new(round: Either<String, Buffer>) -> napi::Result<Round> {
        let open = with_source(&round, parindex_ffi::open_round)?;
        Ok(Round { inner: Some(Arc::new(open)) })
    }

    fn open(&self) -> napi::Result<&Arc<OpenRound>> {
        self.inner.as_ref().ok_or_else(|| fail(Failure::bad_handle("the round is closed")))
    }

    /// The round's id.
    #[napi(getter)]
    pub fn id(&self) -> napi::Result<String> {
        Ok(self.open()?.id().to_owned())
    }

    /// Whether `close` was called.
    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.inner.is_none()
    }

    /// Scores one unit's assessment (JSON text or a Buffer): its row as JSON text.
    #[napi]
    pub fn score_unit(&self, assessment: Either<String, Buffer>) -> napi::Result<String> {
        let round = self.open()?;
        match &assessment {
            Either::A(text) => parindex_ffi::score_unit(round, text),
            Either::B(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => parindex_ffi::score_unit(round, text),
                Err(e) => {
                    Err(Failure::bad_argument(format!("assessment: not UTF-8 text (at byte {})", e.valid_up_to())))
                }
            },
        }
        .map_err(fail)
    }

    /// Closes the round; later calls throw `InvalidInput` (status `bad_handle`).
    #[napi]
    pub fn close(&mut self) {
        self.inner = None;
    }
}
