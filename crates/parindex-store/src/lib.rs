//! The embedded store of parindex's JSON API: one SQLite file (WAL, `synchronous=FULL`)
//! holding every document of every round, the API's bearer tokens (hashed), idempotency
//! keys, and an audit log chained by SHA-256.
//!
//! Documents are kept as the SPEC JSON text they are, under a key that names them
//! (`rounds/{round}/units/{unit}/self`, …): the store knows nothing of scoring. Every write
//! goes through [`Store::write`], one `BEGIN IMMEDIATE` transaction at a time, and every
//! document written appends an [`audit::Event`] in the same transaction, so that an
//! acknowledged write and its audit record are on disk together or not at all.

pub mod audit;
pub mod documents;
mod error;
pub mod evidence;
pub mod idempotency;
mod migrations;
mod open;
pub mod time;
pub mod tokens;

pub use error::StoreError;
pub use open::{DbLock, Store};
pub use rusqlite::Transaction;

/// The lowercase hex SHA-256 of `bytes` (parindex-core's, re-exported for the store's users).
pub use parindex_core::digest::sha256_hex;
