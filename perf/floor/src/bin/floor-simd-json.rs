//! simd-json parses every file into `simd_json::OwnedValue` (it needs the buffer mutable:
//! it unescapes strings in place).
fn main() {
    parindex_floor::main_with("simd-json", |mut bytes| {
        let value = simd_json::to_owned_value(&mut bytes).map_err(|e| e.to_string())?;
        std::hint::black_box(&value);
        Ok(())
    });
}
