//! `--max-document-size` (score, validate, verify, explain, report): the largest document
//! read, and the reading of other files the commands name within the same bounds
//! (docs/limits.md).

use std::path::Path;

use parindex::Limits;

use super::error::{CliError, Named};

/// The limit options every command that reads a round shares.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// The largest document read, in bytes, or with a suffix: 128MiB, 512KiB, 1GiB (also
    /// K, M, G, KB, MB, GB, all powers of 1024). Default 64MiB (docs/limits.md).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_document_size: Option<u64>,
}

impl LimitArgs {
    /// The limits these options ask for.
    pub fn limits(&self) -> Limits {
        self.max_document_size.map_or_else(Limits::default, Limits::with_max_document_size)
    }
}

/// A size in bytes: digits, then optionally K/KB/KiB, M/MB/MiB or G/GB/GiB (powers of 1024).
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().map_err(|_| format!("'{text}' is not a size: write e.g. 67108864 or 64MiB"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("'{text}' is not a size: the units are KiB, MiB and GiB")),
    };
    n.checked_mul(1u64 << shift).filter(|n| *n > 0).ok_or_else(|| format!("'{text}' is not a usable size"))
}

/// Reads a file the command line names (results, previous results, a bundle, a criteria
/// set): a regular file within the limits, as text; a usage error naming `what` when it
/// cannot be read.
pub fn read_to_string(path: &Path, limits: &Limits, what: Named) -> Result<String, CliError> {
    parindex::limits::read_to_string(path, limits).map_err(|e| {
        CliError::usage(
            format!("không đọc được {}{}: {e}", what.vi, path.display()),
            format!("cannot read {}{}: {e}", what.en, path.display()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_read_with_binary_units() {
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("2k"), Ok(2048));
        assert_eq!(parse_size("1 GB"), Ok(1 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("12x").is_err());
        assert!(parse_size("MiB").is_err());
    }
}
