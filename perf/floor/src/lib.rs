//! What the floor programs share: the files of a round folder, and timing one pass over them.

use std::path::{Path, PathBuf};
use std::time::Instant;

/// `round.json`, then `criteria/*.json` and `assessments/*.json`, each sorted by name: every
/// file `parindex score` reads (parindex-perf's list too).
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
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

/// Runs `parse` over every file of the folder named by the first argument (read into a
/// fresh buffer, parsed into the parser's tree, dropped), on this thread, and prints
/// `NAME FILES BYTES MILLISECONDS` on one line. Exits 1 when a file cannot be read or parsed.
pub fn main_with(name: &str, parse: impl Fn(Vec<u8>) -> Result<(), String>) {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: {name} ROUND_DIR");
        std::process::exit(2);
    };
    let files = json_files(Path::new(&dir));
    let start = Instant::now();
    let mut bytes = 0usize;
    for f in &files {
        let text = match std::fs::read(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{name}: {}: {e}", f.display());
                std::process::exit(1);
            }
        };
        bytes += text.len();
        if let Err(e) = parse(text) {
            eprintln!("{name}: {}: {e}", f.display());
            std::process::exit(1);
        }
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    println!("{name} {} {bytes} {ms:.3}", files.len());
}
