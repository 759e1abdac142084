//! `parindex schema DOC`: the JSON Schema of a SPEC document, for forms that validate
//! before they send.

use std::process::ExitCode;

use super::error::CliError;
use super::output::print;

/// Arguments of `parindex schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// criteria-set, round, assessment, results or round-bundle.
    doc: String,
}

/// Prints the schema.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let Some(schema) = parindex_server::schema(&args.doc) else {
        let known = parindex_server::SCHEMA_DOCUMENTS.join(", ");
        return Err(CliError::usage(
            format!("không có lược đồ '{}': dùng một trong {known}", args.doc),
            format!("no schema '{}': use one of {known}", args.doc),
        ));
    };
    print(&(serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"))?;
    Ok(ExitCode::SUCCESS)
}
