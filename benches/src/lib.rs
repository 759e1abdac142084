//! Benchmarks of the parindex scoring engine live in `benches/`; this library only locates
//! the bundled fixtures for them.

use std::path::PathBuf;

/// The folder of a bundled fixture round (`fixtures/NAME` at the workspace root).
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("fixtures").join(name)
}
