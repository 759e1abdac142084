//! The cost of one `score_unit` call, in Rust and through the C ABI (scripts/bench-bindings.sh).
//! `cargo run --release -p parindex-ffi --example bench_score_unit -- ROUND_DIR ASSESSMENT N`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, missing_docs)]

use std::time::{Duration, Instant};

/// Microseconds per call with one decimal, in integer arithmetic (no binary floats here).
fn per_call(elapsed: Duration, n: u32) -> String {
    let tenths = elapsed.as_nanos() / 100 / u128::from(n.max(1));
    format!("{:6}.{}", tenths / 10, tenths % 10)
}

use parindex_ffi::c_api::{
    parindex_result_free, parindex_round_close, parindex_round_open_path, parindex_round_score_unit,
};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dir, assessment, n) = (&args[1], std::fs::read_to_string(&args[2]).unwrap(), args[3].parse::<u32>().unwrap());
    let folder = parindex::RoundFolder::load(dir.as_ref()).unwrap();
    let preview = parindex::Preview::new(folder);
    for _ in 0..n / 10 {
        preview.score_unit(&assessment).unwrap();
    }
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(preview.score_unit(&assessment).unwrap());
    }
    println!("facade {} µs/call (parindex::Preview::score_unit: the row as a struct)", per_call(t.elapsed(), n));

    let round = parindex_ffi::OpenRound::open(parindex_ffi::Source::Path(dir.as_ref())).unwrap();
    for _ in 0..n / 10 {
        round.score_unit(&assessment).unwrap();
    }
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(round.score_unit(&assessment).unwrap());
    }
    println!("rust   {} µs/call (parindex_ffi::OpenRound::score_unit: the row as JSON text)", per_call(t.elapsed(), n));

    let mut handle = 0u64;
    // SAFETY: live buffers of the given lengths; every result freed once.
    unsafe {
        let mut r = parindex_round_open_path(dir.as_ptr(), dir.len(), &mut handle);
        parindex_result_free(&mut r);
        let t = Instant::now();
        for _ in 0..n {
            let mut r = parindex_round_score_unit(handle, assessment.as_ptr(), assessment.len());
            assert_eq!(r.status, 0);
            parindex_result_free(&mut r);
        }
        println!("c-abi  {} µs/call (parindex_round_score_unit + parindex_result_free)", per_call(t.elapsed(), n));
        let mut r = parindex_round_close(handle);
        parindex_result_free(&mut r);
    }
}
