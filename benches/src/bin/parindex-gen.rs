//! `parindex-gen province|national OUT_DIR [--seed N]`: writes a seeded round folder for
//! measuring the engine (see docs/performance.md).

use std::path::PathBuf;
use std::process::ExitCode;

use parindex_benches::workload::{Spec, write_round};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: parindex-gen province|national|UNITS OUT_DIR [--seed N]";
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
