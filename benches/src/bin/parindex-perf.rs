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

/// One scoring run: load, check and score (what `parindex score` does, on every core unless
/// `PARINDEX_THREADS` says otherwise), then write the results document to a sink.
fn score_once(dir: &Path) -> Result<(Duration, Duration, usize), String> {
    let start = Instant::now();
    let results = parindex::score_folder(dir).map_err(|e| e.to_string())?;
    let scored = start.elapsed();
    let mut sink = std::io::sink();
    let _ = results.write_json_pretty(&mut sink);
    let _ = sink.flush();
    let written = start.elapsed();
    let units = results.blocks.iter().map(|b| b.units.len()).sum();
    Ok((scored, written - scored, units))
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: parindex-perf ROUND_DIR [RUNS]");
        return ExitCode::from(2);
    };
    let runs: usize = args.next().and_then(|n| n.parse().ok()).filter(|n| *n > 0).unwrap_or(1);
    let files = json_files(&dir);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let threads = std::env::var("PARINDEX_THREADS").unwrap_or_else(|_| "all cores".into());

    // Floor and engine alternate, so that both see the same machine; medians are reported.
    let (mut floors, mut scores, mut writes, mut ratios) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut bytes, mut units) = (0, 0);
    for run in 1..=runs {
        let (floor, b) = parse_floor(&files);
        let (scored, written, u) = match score_once(&dir) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        };
        (bytes, units) = (b, u);
        let ratio = (scored + written).as_secs_f64() / floor.as_secs_f64();
        if runs > 1 {
            println!(
                "run {run}: floor {:.1} ms, load + check + score {:.1} ms, write {:.1} ms ({ratio:.2} ×)",
                ms(floor),
                ms(scored),
                ms(written)
            );
        }
        floors.push(ms(floor));
        scores.push(ms(scored));
        writes.push(ms(written));
        ratios.push(ratio);
    }
    let what = if runs > 1 { format!("median of {runs} runs") } else { "one run".to_owned() };
    println!("files: {}  bytes: {bytes}  units: {units}  threads: {threads}  ({what})", files.len());
    println!("serde_json parse to Value (floor): {:>9.1} ms", median(floors));
    println!("load + check + score:               {:>9.1} ms", median(scores));
    println!("write results JSON:                 {:>9.1} ms", median(writes));
    println!("engine ÷ floor:                     {:>9.2} ×", median(ratios));
    ExitCode::SUCCESS
}
