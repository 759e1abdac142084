//! sonic-rs parses every file into `sonic_rs::Value` (its owned tree).
fn main() {
    parindex_floor::main_with("sonic-rs", |bytes| {
        let value: sonic_rs::Value = sonic_rs::from_slice(&bytes).map_err(|e| e.to_string())?;
        std::hint::black_box(&value);
        Ok(())
    });
}
