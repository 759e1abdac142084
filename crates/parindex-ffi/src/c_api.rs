//! The C ABI (`include/parindex.h`).
//!
//! - Text in: a pointer and a length in bytes, UTF-8, no NUL terminator needed (one is
//!   allowed after the length and ignored). A NULL pointer is refused (`bad_argument`), except
//!   where an argument is documented as optional.
//! - Text out: every call but [`parindex_version`] returns a [`ParindexResult`]: a status and a
//!   JSON envelope in a buffer this library allocated. The caller frees it once with
//!   [`parindex_result_free`], from any thread. Nothing else is to be freed.
//! - No panic crosses this boundary: every entry point runs the engine under `catch_unwind`
//!   and reports a panic as status `PARINDEX_STATUS_INTERNAL`.
//! - Threads: every function may be called from several threads at once, on the same round
//!   handle too; closing a handle while another thread scores with it is safe (that call
//!   finishes; later ones get `bad_handle`).

use std::ffi::c_char;
use std::path::Path;

use crate::{Failure, Reply, Source};

/// The answer of one call. Free it with [`parindex_result_free`].
#[repr(C)]
#[derive(Debug)]
pub struct ParindexResult {
    /// A `ParindexStatus`: 0 is success.
    pub status: i32,
    /// The JSON envelope, UTF-8: `{"ok":true,"<key>":<value>}` on success,
    /// `{"ok":false,"status":"<status>","errors":[{code, file?, path, criterion?, message}]}`
    /// on failure. A NUL byte follows it (not counted in `json_len`), so it may be read as a
    /// C string. Owned by this library until `parindex_result_free`.
    pub json: *mut u8,
    /// The envelope's length in bytes, without the NUL.
    pub json_len: usize,
    /// Where the value lies in `json` (on failure: the errors array). For a score it is
    /// exactly the results document `parindex score` prints, final newline included.
    pub value_offset: usize,
    /// The value's length in bytes.
    pub value_len: usize,
}

impl ParindexResult {
    fn from_reply(reply: Reply) -> ParindexResult {
        let mut bytes = reply.json.into_bytes();
        bytes.push(0);
        let json_len = bytes.len() - 1;
        // The length is then the allocation's size, which `parindex_result_free` relies on.
        let boxed: Box<[u8]> = bytes.into_boxed_slice();
        let json = Box::into_raw(boxed).cast::<u8>();
        ParindexResult {
            status: reply.status as i32,
            json,
            json_len,
            value_offset: reply.value_offset,
            value_len: reply.value_len,
        }
    }
}

fn answer(key: &str, f: impl FnOnce() -> Result<String, Failure>) -> ParindexResult {
    ParindexResult::from_reply(Reply::of(key, crate::guard(f)))
}

/// Reads a required text argument.
///
/// # Safety
/// `ptr` is NULL, or valid for reads of `len` bytes for the duration of the call.
unsafe fn text<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a str, Failure> {
    // SAFETY: forwarded from the caller's contract.
    match unsafe { optional_text(ptr, len, what) }? {
        Some(text) => Ok(text),
        None => Err(Failure::bad_argument(format!("{what}: a NULL pointer"))),
    }
}

/// Reads an optional text argument: NULL is `None`.
///
/// # Safety
/// `ptr` is NULL, or valid for reads of `len` bytes for the duration of the call.
unsafe fn optional_text<'a>(ptr: *const u8, len: usize, what: &str) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    if len > isize::MAX as usize {
        return Err(Failure::bad_argument(format!("{what}: a length of {len} bytes is not possible")));
    }
    // SAFETY: `ptr` is not NULL and, by the caller's contract, points to `len` readable bytes
    // that stay valid and unchanged during the call; `len` fits in an isize (checked above).
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(e) => Err(Failure::bad_argument(format!("{what}: not UTF-8 text (at byte {})", e.valid_up_to()))),
    }
}

/// A path argument: UTF-8 without NUL.
///
/// # Safety
/// As [`text`].
unsafe fn path<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a Path, Failure> {
    // SAFETY: forwarded from the caller's contract.
    let text = unsafe { text(ptr, len, what) }?;
    if text.contains('\0') {
        return Err(Failure::bad_argument(format!("{what}: a path cannot contain a NUL character")));
    }
    Ok(Path::new(text))
}

/// The library's version (`"0.1.0"`), a static NUL-terminated string: do not free it.
#[unsafe(no_mangle)]
pub extern "C" fn parindex_version() -> *const c_char {
    c"0.1.0".as_ptr()
}

/// Scores a round bundle (`parindex/round-bundle@1`, the JSON API's export). Success:
/// `{"ok":true,"results":<results document>}`; the value is byte for byte what
/// `parindex score` prints for the same bundle.
///
/// # Safety
/// `bundle` is NULL or points to `bundle_len` readable bytes, unchanged during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn parindex_score_bundle(bundle: *const u8, bundle_len: usize) -> ParindexResult {
    answer("results", || {
        // SAFETY: the caller's contract above.
        let bundle = unsafe { text(bundle, bundle_len, "bundle") }?;
        crate::glue::score(Source::Bundle(bundle))
    })
}

/// Scores the round folder (or round bundle file) at `path`, as `parindex score PATH` does.
///
/// # Safety
/// `path` is NULL or points to `path_len` readable bytes, unchanged during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn parindex_score_path(path: *const u8, path_len: usize) -> ParindexResult {
    answer("results", || {
        // SAFETY: the caller's contract above.
        let path = unsafe { self::path(path, path_len, "path") }?;
        crate::glue::score(Source::Path(path))
    })
}

/// Checks a round bundle. Success: `{"ok":true,"valid":{"kind":"round_folder","units":n,
/// "assessments":m}}`.
///
/// # Safety
/// `bundle` is NULL or points to `bundle_len` readable bytes, unchanged during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn parindex_validate_bundle(bundle: *const u8, bundle_len: usize) -> ParindexResult {
    answer("valid", || {
        // SAFETY: the caller's contract above.
        let bundle = unsafe { text(bundle, bundle_len, "bundle") }?;
        crate::validate(Source::Bundle(bundle), None)
    })
}

/// Checks a round folder, or one criteria-set, round or assessment file, as
/// `parindex validate PATH [--round ROUND_DIR]` does. `round_dir` is optional (NULL: the
/// folder above an assessment's `assessments/` folder). Success: `{"ok":true,"valid":
/// {"kind": "round_folder" | "criteria_set" | "round" | "assessment", …}}`.
///
/// # Safety
/// `path` and `round_dir` are each NULL or point to that many readable bytes, unchanged
/// during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn parindex_validate_path(
    path: *const u8,
    path_len: usize,
    round_dir: *const u8,
    round_dir_len: usize,
) -> ParindexResult {
    answer("valid", || {
        // SAFETY: the caller's contract above.
        let path = unsafe { self::path(path, path_len, "path") }?;
        let round_dir = if round_dir.is_null() {
            None
        } else {
            // SAFETY: the caller's contract above; not NULL.
            Some(unsafe { self::path(round_dir, round_dir_len, "round_dir") }?)
        };
        crate::validate(Source::Path(path), round_dir)
    })
}

/// Explains one unit of a round bundle as text, as `parindex explain` prints it; `criterion`
/// is optional (NULL: every criterion). Success: `{"ok":true,"text":"<the text>"}`.
///
/// # Safety
/// Each pointer is NULL or points to its length of readable bytes, unchanged during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn parindex_explain_bundle(
    bundle: *const u8,
    bundle_len: usize,
    unit: *const u8,
    unit_len: usize,
    criterion: *const u8,
    criterion_len: usize,
) -> ParindexResult {
    // SAFETY (all three): the caller's contract above.
    let source = || unsafe { text(bundle, bundle_len, "bundle") }.map(Source::Bundle);
    // SAFETY: as above.
    unsafe { explain(source, unit, unit_len, criterion, criterion_len) }
}

/// Explains one unit of the round folder at `path`, as `parindex explain PATH --unit UNIT
/// [--criterion CRITERION]` prints it. Success: `{"ok":true,"text":"<the text>"}`.
///
/// # Safety
/// Each pointer is NULL or points to its length of readable bytes, unchanged during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn parindex_explain_path(
    path: *const u8,
    path_len: usize,
    unit: *const u8,
    unit_len: usize,
    criterion: *const u8,
    criterion_len: usize,
) -> ParindexResult {
    // SAFETY: the caller's contract above.
    let source = || unsafe { self::path(path, path_len, "path") }.map(Source::Path);
    // SAFETY: as above.
    unsafe { explain(source, unit, unit_len, criterion, criterion_len) }
}

/// # Safety
/// `unit` and `criterion` are NULL or point to their length of readable bytes.
unsafe fn explain<'a>(
    source: impl FnOnce() -> Result<Source<'a>, Failure>,
    unit: *const u8,
    unit_len: usize,
    criterion: *const u8,
    criterion_len: usize,
) -> ParindexResult {
    let result = crate::guard(|| {
        let source = source()?;
        // SAFETY: the caller's contract above.
        let unit = unsafe { text(unit, unit_len, "unit") }?;
        // SAFETY: the caller's contract above.
        let criterion = unsafe { optional_text(criterion, criterion_len, "criterion") }?;
        crate::glue::explain(source, unit, criterion)
    });
    ParindexResult::from_reply(match result {
        Ok(text) => Reply::ok_text("text", &text),
        Err(f) => Reply::failure(&f),
    })
}

fn open(source: impl FnOnce() -> Result<Source<'static>, Failure>, handle: *mut u64) -> ParindexResult {
    if handle.is_null() {
        return ParindexResult::from_reply(Reply::failure(&Failure::bad_argument("handle: a NULL pointer")));
    }
    let result = crate::guard(|| {
        let round = crate::OpenRound::open(source()?)?;
        let summary = round.summary().to_string();
        Ok((crate::register_round(round), summary))
    });
    let (value, reply) = match result {
        Ok((h, summary)) => (h, Reply::ok("round", &summary)),
        Err(f) => (0, Reply::failure(&f)),
    };
    // SAFETY: `handle` is not NULL and, by the caller's contract, valid for a write.
    unsafe { handle.write(value) };
    ParindexResult::from_reply(reply)
}

/// Opens a round bundle for live preview: its round and criteria sets are checked and
/// parsed once. On success `*handle` is set to the round's handle (never 0) and the
/// envelope is `{"ok":true,"round":{"id","title","units":[ids]}}`; on failure `*handle` is 0.
/// Close the handle with [`parindex_round_close`].
///
/// # Safety
/// `bundle` is NULL or points to `bundle_len` readable bytes, unchanged during the call;
/// `handle` is NULL or valid for writing one `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn parindex_round_open_bundle(
    bundle: *const u8,
    bundle_len: usize,
    handle: *mut u64,
) -> ParindexResult {
    // SAFETY: the caller's contract above; the text is used only during `open`.
    open(|| unsafe { text(bundle, bundle_len, "bundle") }.map(Source::Bundle), handle)
}

/// Opens the round folder (or round bundle file) at `path` for live preview; as
/// [`parindex_round_open_bundle`].
///
/// # Safety
/// `path` is NULL or points to `path_len` readable bytes, unchanged during the call;
/// `handle` is NULL or valid for writing one `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn parindex_round_open_path(
    path: *const u8,
    path_len: usize,
    handle: *mut u64,
) -> ParindexResult {
    // SAFETY: the caller's contract above; the text is used only during `open`.
    open(|| unsafe { self::path(path, path_len, "path") }.map(Source::Path), handle)
}

/// Scores one unit's assessment document (JSON text; its `"unit"` names the unit) against an
/// open round. Success: `{"ok":true,"unit":<the unit's row>}`, the row as the results
/// document holds it (SPEC §9), `"rank"` `null`. A closed or unknown handle is `bad_handle`.
///
/// # Safety
/// `assessment` is NULL or points to `assessment_len` readable bytes, unchanged during the
/// call. Any `handle` value is safe.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn parindex_round_score_unit(
    handle: u64,
    assessment: *const u8,
    assessment_len: usize,
) -> ParindexResult {
    answer("unit", || {
        let round = crate::get_round(handle)?;
        // SAFETY: the caller's contract above.
        let assessment = unsafe { text(assessment, assessment_len, "assessment") }?;
        round.score_unit(assessment)
    })
}

/// Closes a round handle. Success: `{"ok":true,"closed":true}`; closing a handle twice, or a
/// value this library never gave out, is `bad_handle`. Any `handle` value is safe.
#[unsafe(no_mangle)]
pub extern "C" fn parindex_round_close(handle: u64) -> ParindexResult {
    answer("closed", || crate::close_round(handle).map(|()| "true".to_owned()))
}

/// Frees a result's buffer and sets its fields to zero, so freeing the same result twice is
/// harmless. NULL, or a result whose `json` is NULL, is ignored.
///
/// # Safety
/// `result` is NULL or points to a `ParindexResult` returned by this library (or zeroed by
/// this function), not freed through a copy of it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn parindex_result_free(result: *mut ParindexResult) {
    if result.is_null() {
        return;
    }
    // SAFETY: not NULL, and by the caller's contract points to a valid ParindexResult.
    let r = unsafe { &mut *result };
    if r.json.is_null() {
        return;
    }
    let slice = std::ptr::slice_from_raw_parts_mut(r.json, r.json_len + 1);
    // SAFETY: `json` and `json_len + 1` are exactly the pointer and length of the boxed slice
    // `from_reply` leaked (its allocation's size), and it has not been freed: each free
    // sets `json` to NULL.
    drop(unsafe { Box::from_raw(slice) });
    *r = ParindexResult { status: r.status, json: std::ptr::null_mut(), json_len: 0, value_offset: 0, value_len: 0 };
}
