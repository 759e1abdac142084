//! Open rounds behind checked handles, for hosts that hold a number rather than an object
//! (the C ABI, Java). A handle is never reused: a closed handle, or a number this library
//! never gave out, is found missing in the registry and reported as `bad_handle` — it is
//! never dereferenced.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, RwLock};

use crate::{Failure, OpenRound};

/// The low bits every handle carries, so that small integers and pointers are never handles.
const TAG: u64 = 0x7a1d;

static NEXT: AtomicU64 = AtomicU64::new(1);
static ROUNDS: LazyLock<RwLock<HashMap<u64, Arc<OpenRound>>>> = LazyLock::new(|| RwLock::new(HashMap::new()));

/// Registers an open round; returns its handle (never 0).
pub fn register_round(round: OpenRound) -> u64 {
    let handle = (NEXT.fetch_add(1, Ordering::Relaxed) << 16) | TAG;
    ROUNDS.write().unwrap_or_else(|e| e.into_inner()).insert(handle, Arc::new(round));
    handle
}

/// The round behind `handle`. The round stays alive while the caller holds it, even if
/// another thread closes the handle meanwhile.
pub fn get_round(handle: u64) -> Result<Arc<OpenRound>, Failure> {
    ROUNDS.read().unwrap_or_else(|e| e.into_inner()).get(&handle).cloned().ok_or_else(|| unknown(handle))
}

/// Closes `handle`. Closing a handle twice, or one never opened, is `bad_handle`.
pub fn close_round(handle: u64) -> Result<(), Failure> {
    match ROUNDS.write().unwrap_or_else(|e| e.into_inner()).remove(&handle) {
        Some(_) => Ok(()),
        None => Err(unknown(handle)),
    }
}

fn unknown(handle: u64) -> Failure {
    Failure::bad_handle(format!("no open round has the handle {handle}: it was closed, or not given by this library"))
}
