//! Benchmarks and measured workloads for parindex: a seeded generator of round folders
//! ([`workload`]), and the bundled fixtures' location. The criterion benches live in
//! `benches/benches/`; the programs in `benches/src/bin/`.

pub mod rng;
pub mod workload;
mod workload_v2;

use std::path::PathBuf;

/// The folder of a bundled fixture round (`fixtures/NAME` at the workspace root).
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("fixtures").join(name)
}
