//! simd-json parses every file into `simd_json::BorrowedValue` (strings borrowed from the
//! buffer, as parindex's document tree borrows them).
fn main() {
    parindex_floor::main_with("simd-json-borrowed", |mut bytes| {
        let value = simd_json::to_borrowed_value(&mut bytes).map_err(|e| e.to_string())?;
        std::hint::black_box(&value);
        Ok(())
    });
}
