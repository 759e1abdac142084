//! `parindex-perf ROUND_DIR`: times, in one run, what `serde_json` alone needs to parse the
//! round's files into `serde_json::Value` (the floor), then each phase of scoring the same
//! folder: load and check, score, write the results document. See docs/performance.md.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![dir.join("round.json")];
    for sub in ["criteria", "assessments"] {
        if let Ok(entries) = std::fs::read_dir(dir.join(sub)) {
            let mut more: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            more.sort();
            files.extend(more);
        }
    }
    files
}

/// Reads and parses every file into a `Value`, dropping each: the floor any JSON engine pays.
fn parse_floor(files: &[PathBuf]) -> (Duration, u64) {
    let start = Instant::now();
    let mut bytes = 0u64;
    for f in files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        bytes += u64::try_from(text.len()).unwrap_or(0);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        std::hint::black_box(&value);
    }
    (start.elapsed(), bytes)
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: parindex-perf ROUND_DIR");
        return ExitCode::from(2);
    };
    let files = json_files(&dir);
    let (floor, bytes) = parse_floor(&files);

    // What `parindex score` does: the streaming path, on every core (PARINDEX_THREADS=1 for one).
    let start = Instant::now();
    let results = match parindex::score_folder(&dir) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let scored = start.elapsed();
    let mut sink = std::io::sink();
    let _ = results.write_json_pretty(&mut sink);
    let _ = sink.flush();
    let written = start.elapsed();
    let units: usize = results.blocks.iter().map(|b| b.units.len()).sum();

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "files: {}  bytes: {bytes}  units: {units}  threads: {}",
        files.len(),
        std::env::var("PARINDEX_THREADS").unwrap_or_else(|_| "all cores".into())
    );
    println!("serde_json parse to Value (floor): {:>9.1} ms", ms(floor));
    println!("load + check + score:               {:>9.1} ms", ms(scored));
    println!("write results JSON:                 {:>9.1} ms", ms(written - scored));
    println!(
        "total:                              {:>9.1} ms  ({:.2} × the floor)",
        ms(written),
        written.as_secs_f64() / floor.as_secs_f64()
    );
    ExitCode::SUCCESS
}
