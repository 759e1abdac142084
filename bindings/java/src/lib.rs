//! `libparindex_java`: the JNI functions behind `parindex.Native` (src/main/java). A failure
//! is thrown as a `parindex.ParindexException` carrying SPEC §10's error objects. Round
//! handles are numbers checked in `parindex_ffi`'s registry: a closed or foreign handle is
//! reported, never dereferenced. No panic leaves: every function runs under `catch_unwind`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use jni::JNIEnv;
use jni::objects::{JClass, JObject, JString, JValue};
use jni::sys::{jlong, jstring};
use parindex_ffi::{Failure, Source};

/// Throws `failure` as a `parindex.ParindexException(String status, String[] flat)`, `flat`
/// holding code, file, path, criterion, message for each problem (null when absent).
fn throw(env: &mut JNIEnv<'_>, failure: &Failure) {
    let thrown = (|| -> jni::errors::Result<()> {
        let string_class = env.find_class("java/lang/String")?;
        let flat = env.new_object_array((failure.errors.len() * 5) as i32, &string_class, JObject::null())?;
        for (i, p) in failure.errors.iter().enumerate() {
            let fields = [Some(&p.code), p.file.as_ref(), Some(&p.path), p.criterion.as_ref(), Some(&p.message)];
            for (j, field) in fields.into_iter().enumerate() {
                if let Some(text) = field {
                    let s = env.new_string(text)?;
                    env.set_object_array_element(&flat, (i * 5 + j) as i32, s)?;
                }
            }
        }
        let status = env.new_string(failure.status.as_str())?;
        let exception = env.new_object(
            "parindex/ParindexException",
            "(Ljava/lang/String;[Ljava/lang/String;)V",
            &[JValue::Object(&status), JValue::Object(&flat)],
        )?;
        env.throw(jni::objects::JThrowable::from(exception))
    })();
    if thrown.is_err() && !env.exception_check().unwrap_or(false) {
        let _ = env.throw_new("java/lang/IllegalStateException", failure.render());
    }
}

/// A Java string argument; null is `bad_argument`.
fn string(env: &mut JNIEnv<'_>, s: &JString<'_>, what: &str) -> Result<String, Failure> {
    if s.is_null() {
        return Err(Failure::bad_argument(format!("{what}: null")));
    }
    env.get_string(s).map(String::from).map_err(|e| Failure::bad_argument(format!("{what}: {e}")))
}

/// An optional Java string argument.
fn optional(env: &mut JNIEnv<'_>, s: &JString<'_>, what: &str) -> Result<Option<String>, Failure> {
    if s.is_null() { Ok(None) } else { string(env, s, what).map(Some) }
}

/// Runs `f` guarded; a failure or a panic is thrown, and `fallback` returned to Java.
fn run<T>(env: &mut JNIEnv<'_>, fallback: T, f: impl FnOnce(&mut JNIEnv<'_>) -> Result<T, Failure>) -> T {
    let result = match catch_unwind(AssertUnwindSafe(|| f(env))) {
        Ok(r) => r,
        Err(_) => Err(Failure::internal("the engine failed unexpectedly (please report this)")),
    };
    match result {
        Ok(value) => value,
        Err(failure) => {
            throw(env, &failure);
            fallback
        }
    }
}

/// A Rust string as a Java string.
fn out(env: &mut JNIEnv<'_>, text: &str) -> Result<jstring, Failure> {
    env.new_string(text)
        .map(JString::into_raw)
        .map_err(|e| Failure::internal(format!("cannot make a Java string: {e}")))
}

/// `Native.score(String round)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_parindex_Native_score<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    round: JString<'l>,
) -> jstring {
    run(&mut env, std::ptr::null_mut(), |env| {
        let input = string(env, &round, "round")?;
        let results = parindex_ffi::score(Source::detect(&input))?;
        out(env, &results)
    })
}

/// `Native.validate(String round, String roundDir)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_parindex_Native_validate<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    round: JString<'l>,
    round_dir: JString<'l>,
) -> jstring {
    run(&mut env, std::ptr::null_mut(), |env| {
        let input = string(env, &round, "round")?;
        let round_dir = optional(env, &round_dir, "roundDir")?;
        let valid = parindex_ffi::validate(Source::detect(&input), round_dir.as_deref().map(Path::new))?;
        out(env, &valid)
    })
}

/// `Native.explain(String round, String unit, String criterion)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_parindex_Native_explain<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    round: JString<'l>,
    unit: JString<'l>,
    criterion: JString<'l>,
) -> jstring {
    run(&mut env, std::ptr::null_mut(), |env| {
        let input = string(env, &round, "round")?;
        let unit = string(env, &unit, "unit")?;
        let criterion = optional(env, &criterion, "criterion")?;
        let text = parindex_ffi::explain(Source::detect(&input), &unit, criterion.as_deref())?;
        out(env, &text)
    })
}

/// `Native.open(String round)`: a handle (never 0).
#[unsafe(no_mangle)]
pub extern "system" fn Java_parindex_Native_open<'l>(mut env: JNIEnv<'l>, _: JClass<'l>, round: JString<'l>) -> jlong {
    run(&mut env, 0, |env| {
        let input = string(env, &round, "round")?;
        let round = parindex_ffi::open_round(Source::detect(&input))?;
        Ok(parindex_ffi::register_round(round) as jlong)
    })
}

/// `Native.scoreUnit(long handle, String assessment)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_parindex_Native_scoreUnit<'l>(
    mut env: JNIEnv<'l>,
    _: JClass<'l>,
    handle: jlong,
    assessment: JString<'l>,
) -> jstring {
    run(&mut env, std::ptr::null_mut(), |env| {
        let round = parindex_ffi::get_round(handle as u64)?;
        let assessment = string(env, &assessment, "assessment")?;
        let row = parindex_ffi::score_unit(&round, &assessment)?;
        out(env, &row)
    })
}

/// `Native.close(long handle)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_parindex_Native_close<'l>(mut env: JNIEnv<'l>, _: JClass<'l>, handle: jlong) {
    run(&mut env, (), |_| parindex_ffi::close_round(handle as u64));
}
