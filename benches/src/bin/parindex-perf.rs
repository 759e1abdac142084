#![allow(clippy::disallowed_types)] // a measuring tool: ratios of timings, no figure of a round
//! `parindex-perf ROUND_DIR [RUNS] [--ndjson] [--no-library] [--no-featured]`: times, in one
//! run, the parse floors, scoring the folder in this process and the `parindex score`
//! command, and reports each against the floor. With RUNS, everything alternates RUNS times;
//! every run is printed, then the medians (each ratio is the median of the ratios taken
//! within a run, against that run's floor). See docs/performance.md.
//!
//! - **The floor**: `floor-serde-json` from `perf/floor/` (its own cargo workspace, built with
//!   `cargo build --release` there, LTO): serde_json with its default features reads and
//!   parses every file of the folder into `serde_json::Value` on one thread. The other
//!   programs there (`floor-sonic-rs`, `floor-simd-json`, `floor-simd-json-borrowed`) are
//!   run too when built: the fastest JSON parsers available as crates. Each is timed as a
//!   process, as the command is. `PARINDEX_FLOOR_DIR` names another folder of them.
//! - **serde_json with the workspace's features** (`arbitrary_precision`, `preserve_order`),
//!   in this process: the floor earlier figures were taken against (`--no-featured` skips it).
//! - **The library**: `parindex::score_folder`, then the results written to `/dev/null`
//!   through a buffer (`--no-library` skips it).
//! - **The command**: `parindex score ROUND_DIR` (the program beside this one), its output to
//!   a file; with `--ndjson`, `parindex score ROUND_DIR --format ndjson` too. Its peak memory
//!   is measured with `/usr/bin/time` when that is there.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
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

/// Reads and parses every file into the workspace's `serde_json::Value` (with its features),
/// dropping each: the floor of the earlier figures.
fn featured_floor(files: &[PathBuf]) -> (Duration, u64) {
    let start = Instant::now();
    let mut bytes = 0u64;
    for f in files {
        let text = std::fs::read(f).unwrap_or_default();
        bytes += u64::try_from(text.len()).unwrap_or(0);
        let value: serde_json::Value = serde_json::from_slice(&text).unwrap_or(serde_json::Value::Null);
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

/// Runs `program ARGS`, its output to a temporary file (kept for the caller to read when
/// `keep`); its wall time, and its peak resident memory in KB when `/usr/bin/time` is there.
fn run_timed(program: &Path, args: &[&std::ffi::OsStr]) -> Result<(Duration, Option<u64>, String), String> {
    let tmp = std::env::temp_dir();
    let out_path = tmp.join(format!("parindex-perf-{}.out", std::process::id()));
    let mem_path = tmp.join(format!("parindex-perf-{}.mem", std::process::id()));
    let out = std::fs::File::create(&out_path).map_err(|e| e.to_string())?;
    let time = Path::new("/usr/bin/time");
    let mut command = if time.is_file() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&mem_path).arg(program);
        c
    } else {
        Command::new(program)
    };
    let start = Instant::now();
    let status = command
        .args(args)
        .stdout(out)
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("{}: {e}", program.display()))?;
    let elapsed = start.elapsed();
    let memory = std::fs::read_to_string(&mem_path).ok().and_then(|t| t.trim().parse().ok());
    // The floor programs print one line; the results are not kept.
    let head = if std::fs::metadata(&out_path).map(|m| m.len()).unwrap_or(0) < 4096 {
        std::fs::read_to_string(&out_path).unwrap_or_default()
    } else {
        String::new()
    };
    let _ = std::fs::remove_file(&out_path);
    let _ = std::fs::remove_file(&mem_path);
    if status.success() {
        Ok((elapsed, memory, head))
    } else {
        Err(format!("{} exited with {status}", program.display()))
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Every measurement of one name, in run order: milliseconds, ratio to its run's floor, peak KB.
#[derive(Default)]
struct Series {
    ms: Vec<f64>,
    ratio: Vec<f64>,
    kb: Vec<f64>,
}

/// The floor programs, by the name they are reported under.
const FLOORS: [(&str, &str); 4] = [
    ("floor-serde-json", "floor: serde_json (default features) → Value"),
    ("floor-sonic-rs", "sonic-rs → Value"),
    ("floor-simd-json", "simd-json → OwnedValue"),
    ("floor-simd-json-borrowed", "simd-json → BorrowedValue"),
];

fn main() -> ExitCode {
    let all: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| all.iter().any(|a| a == name);
    let positional: Vec<&String> = all.iter().filter(|a| !a.starts_with("--")).collect();
    let Some(dir) = positional.first().map(PathBuf::from) else {
        eprintln!("usage: parindex-perf ROUND_DIR [RUNS] [--ndjson] [--no-library] [--no-featured]");
        return ExitCode::from(2);
    };
    let runs: usize = positional.get(1).and_then(|n| n.parse().ok()).filter(|n| *n > 0).unwrap_or(1);
    let files = json_files(&dir);
    let bytes: u64 = files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let threads = std::env::var("PARINDEX_THREADS").unwrap_or_else(|_| "all cores".into());

    // The `parindex` program built beside this one, if it is there.
    let program = std::env::current_exe().ok().map(|p| p.with_file_name("parindex")).filter(|p| p.is_file());
    let floor_dir = std::env::var_os("PARINDEX_FLOOR_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../perf/floor/target/release"));
    let floors: Vec<(&str, PathBuf)> =
        FLOORS.iter().map(|(bin, label)| (*label, floor_dir.join(bin))).filter(|(_, p)| p.is_file()).collect();
    if floors.first().is_none_or(|(label, _)| !label.starts_with("floor:")) {
        eprintln!(
            "parindex-perf: {} has no floor-serde-json: run `cargo build --release` in perf/floor (or set PARINDEX_FLOOR_DIR)",
            floor_dir.display()
        );
        return ExitCode::from(2);
    }
    let dir_arg = dir.as_os_str();
    let mut commands: Vec<(&str, Vec<&std::ffi::OsStr>)> = Vec::new();
    if program.is_some() {
        commands.push(("`parindex score` (pretty JSON, to a file)", vec!["score".as_ref(), dir_arg]));
        if flag("--ndjson") {
            commands.push((
                "`parindex score --format ndjson` (to a file)",
                vec!["score".as_ref(), dir_arg, "--format".as_ref(), "ndjson".as_ref()],
            ));
        }
    }

    // Everything alternates, so that all see the same machine; the order rotates from run to
    // run, so that none always runs first after a pause.
    let mut series: BTreeMap<String, Series> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut units = 0;
    println!(
        "{}: {} files, {bytes} bytes; threads: {threads}; {runs} run(s); load average {}",
        dir.display(),
        files.len(),
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split(' ').take(3).collect::<Vec<_>>().join(" ")
    );
    for run in 1..=runs {
        let mut times: Vec<(String, f64, Option<u64>)> = Vec::new();
        let steps = floors.len() + 2 + commands.len();
        for step in 0..steps {
            let k = (step + run - 1) % steps;
            if let Some((label, path)) = floors.get(k) {
                match run_timed(path, &[dir_arg]) {
                    Ok((d, kb, _)) => times.push(((*label).to_owned(), ms(d), kb)),
                    Err(e) => {
                        eprintln!("{e}");
                        return ExitCode::from(1);
                    }
                }
            } else if k == floors.len() {
                if !flag("--no-featured") {
                    let (d, _) = featured_floor(&files);
                    times.push(("serde_json with the workspace's features, in process".to_owned(), ms(d), None));
                }
            } else if k == floors.len() + 1 {
                if !flag("--no-library") {
                    match score_once(&dir) {
                        Ok((scored, written, u)) => {
                            units = u;
                            times.push(("library: score_folder".to_owned(), ms(scored), None));
                            times.push(("library: write pretty results".to_owned(), ms(written), None));
                            times.push(("library: both".to_owned(), ms(scored + written), None));
                        }
                        Err(e) => {
                            eprintln!("{e}");
                            return ExitCode::from(1);
                        }
                    }
                }
            } else if let (Some((label, args)), Some(p)) = (commands.get(k - floors.len() - 2), program.as_deref()) {
                match run_timed(p, args) {
                    Ok((d, kb, _)) => times.push(((*label).to_owned(), ms(d), kb)),
                    Err(e) => {
                        eprintln!("{e}");
                        return ExitCode::from(1);
                    }
                }
            }
        }
        let floor = times.iter().find(|(l, ..)| l.starts_with("floor:")).map_or(f64::NAN, |(_, t, _)| *t);
        let mut line = format!("run {run}:");
        for (label, t, kb) in &times {
            if !order.contains(label) {
                order.push(label.clone());
            }
            let s = series.entry(label.clone()).or_default();
            s.ms.push(*t);
            s.ratio.push(t / floor);
            if let Some(kb) = kb {
                s.kb.push(*kb as f64);
            }
            line.push_str(&format!(" | {} {t:.0} ms ({:.2} ×)", short(label), t / floor));
        }
        println!("{line}");
    }
    println!("units: {units}; medians of {runs} run(s), each ratio against its run's floor:");
    for label in &order {
        let Some(s) = series.remove(label) else { continue };
        let memory = if s.kb.is_empty() {
            String::new()
        } else {
            let kb = median(s.kb);
            format!("  peak {:.0} MB ({:.2} × input)", kb / 1024.0, kb * 1024.0 / bytes as f64)
        };
        println!(
            "  {label:<52} {:>9.1} ms  {:>5.2} ×  (range {:.2}–{:.2} ×){memory}",
            median(s.ms.clone()),
            median(s.ratio.clone()),
            s.ratio.iter().copied().fold(f64::INFINITY, f64::min),
            s.ratio.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );
    }
    ExitCode::SUCCESS
}

/// A label's first words, for the per-run lines.
fn short(label: &str) -> &str {
    label.split(" (").next().unwrap_or(label)
}
