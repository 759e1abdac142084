#![allow(clippy::disallowed_types)] // a measuring tool: ratios of timings, no figure of a round
//! `parindex-perf ROUND_DIR [RUNS]`: times, in one run, what `serde_json` alone needs to parse
//! the round's files into `serde_json::Value` (the floor), then scoring the same folder in
//! this process (load, check and score; writing the results document to `/dev/null`), then
//! the `parindex score ROUND_DIR` command itself (the `parindex` program beside this one,
//! its output to a file), and reports each against the floor. With RUNS, the three
//! alternate RUNS times and medians are reported. See docs/performance.md.

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
/// `PARINDEX_THREADS` says otherwise), then write the results document to `/dev/null`.
fn score_once(dir: &Path) -> Result<(Duration, Duration, usize), String> {
    let start = Instant::now();
    let results = parindex::score_folder(dir).map_err(|e| e.to_string())?;
    let scored = start.elapsed();
    let written = std::fs::File::create("/dev/null").map_err(|e| e.to_string()).and_then(|file| {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        results.write_json_pretty(&mut out).and_then(|()| out.flush()).map_err(|e| e.to_string())
    });
    written?;
    let written = start.elapsed();
    let units = results.blocks.iter().map(|b| b.units.len()).sum();
    Ok((scored, written - scored, units))
}

/// Runs `parindex score DIR` with its output to a temporary file; its wall time.
fn command_once(program: &Path, dir: &Path) -> Result<Duration, String> {
    let out_path = std::env::temp_dir().join(format!("parindex-perf-{}.json", std::process::id()));
    let out = std::fs::File::create(&out_path).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let status = std::process::Command::new(program)
        .arg("score")
        .arg(dir)
        .stdout(out)
        .status()
        .map_err(|e| format!("{}: {e}", program.display()))?;
    let elapsed = start.elapsed();
    let _ = std::fs::remove_file(&out_path);
    if status.success() { Ok(elapsed) } else { Err(format!("parindex score exited with {status}")) }
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

    // The `parindex` program built beside this one, if it is there.
    let program = std::env::current_exe().ok().map(|p| p.with_file_name("parindex")).filter(|p| p.is_file());

    // Floor, library and command alternate, so that all see the same machine.
    let (mut floors, mut scores, mut writes, mut ratios) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut commands, mut command_ratios) = (Vec::new(), Vec::new());
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
        let command = match program.as_deref().map(|p| command_once(p, &dir)).transpose() {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        };
        if runs > 1 {
            let command_text = command
                .map(|c| format!("; parindex score {:.1} ms ({:.2} ×)", ms(c), c.as_secs_f64() / floor.as_secs_f64()))
                .unwrap_or_default();
            println!(
                "run {run}: floor {:.1} ms; library: load + check + score {:.1} ms, write {:.1} ms ({ratio:.2} ×){command_text}",
                ms(floor),
                ms(scored),
                ms(written),
            );
        }
        if let Some(c) = command {
            commands.push(ms(c));
            command_ratios.push(c.as_secs_f64() / floor.as_secs_f64());
        }
        floors.push(ms(floor));
        scores.push(ms(scored));
        writes.push(ms(written));
        ratios.push(ratio);
    }
    let what = if runs > 1 { format!("median of {runs} runs") } else { "one run".to_owned() };
    println!("files: {}  bytes: {bytes}  units: {units}  threads: {threads}  ({what})", files.len());
    println!("serde_json parse to Value (floor):  {:>9.1} ms", median(floors));
    println!("library: load + check + score:      {:>9.1} ms", median(scores));
    println!("library: write results JSON:        {:>9.1} ms", median(writes));
    println!("library ÷ floor:                    {:>9.2} ×", median(ratios));
    if !commands.is_empty() {
        println!("`parindex score` (output to a file): {:>8.1} ms", median(commands));
        println!("`parindex score` ÷ floor:           {:>9.2} ×", median(command_ratios));
    }
    ExitCode::SUCCESS
}
