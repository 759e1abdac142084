//! `parindex schema DOC`: the JSON Schema of a SPEC document, for forms that validate
//! before they send.

use std::process::ExitCode;

use super::output::USAGE;

/// Arguments of `parindex schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// criteria-set, round, assessment, results or round-bundle.
    doc: String,
}

/// Prints the schema.
pub fn run(args: Args) -> ExitCode {
    match parindex_server::schema(&args.doc) {
        Some(schema) => {
            println!("{}", serde_json::to_string_pretty(&schema).unwrap_or_default());
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "parindex: no schema '{}': use one of {}",
                args.doc,
                parindex_server::SCHEMA_DOCUMENTS.join(", ")
            );
            ExitCode::from(USAGE)
        }
    }
}
