//! `parindex-gen province|national|UNITS OUT_DIR [--seed N] [--mix national|compute|v2] [--compact]`:
//! writes a seeded round folder for measuring the engine (see docs/performance.md). Without
//! `--mix` and `--compact`, the files are those it always wrote (pretty-printed, the
//! national mix), byte for byte.

use std::path::PathBuf;
use std::process::ExitCode;

use parindex_benches::workload::{Mix, Spec, write_round};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage =
        "usage: parindex-gen province|national|UNITS OUT_DIR [--seed N] [--mix national|compute|v2] [--compact]";
    let (Some(kind), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let seed = match args.iter().position(|a| a == "--seed").and_then(|i| args.get(i + 1)) {
        Some(s) => match s.parse() {
            Ok(n) => n,
            Err(_) => {
                eprintln!("{usage}");
                return ExitCode::from(2);
            }
        },
        None => 2023,
    };
    let mix = match args.iter().position(|a| a == "--mix").map(|i| args.get(i + 1).and_then(|m| Mix::named(m))) {
        None => Mix::National,
        Some(Some(mix)) => mix,
        Some(None) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    let compact = args.iter().any(|a| a == "--compact");
    let spec = match kind.as_str() {
        "province" => Spec::province(seed),
        "national" => Spec::national(seed),
        n => match n.parse() {
            Ok(units) => Spec { units, ..Spec::national(seed) },
            Err(_) => {
                eprintln!("{usage}");
                return ExitCode::from(2);
            }
        },
    };
    let spec = Spec { mix, compact, ..spec };
    match write_round(&PathBuf::from(out), &spec) {
        Ok(s) => {
            println!(
                "{out}: {} files, {} bytes, {} leaves per criteria set, {} units",
                s.files, s.bytes, s.leaves, spec.units
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("parindex-gen: {e}");
            ExitCode::from(1)
        }
    }
}
