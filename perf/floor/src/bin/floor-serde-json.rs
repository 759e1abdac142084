//! The floor: serde_json (default features) parses every file into `serde_json::Value`.
//! Like `parindex`, it checks the bytes as UTF-8 (`from_slice` does as it parses).
fn main() {
    parindex_floor::main_with("serde_json", |bytes| {
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        std::hint::black_box(&value);
        Ok(())
    });
}
