//! JSON Schemas (draft 2020-12) of the SPEC documents and the API's bodies, for the
//! province's forms (`GET /v1/schemas/{doc}`, `parindex schema DOC`) and the OpenAPI
//! document.
//!
//! - The results document (SPEC §9), which the engine writes with serde, is described by its
//!   own types: `parindex_rank::ResultsDocument` and the rows it holds derive `JsonSchema`
//!   (parindex-rank's feature `schema`).
//! - The input documents (criteria set §3–§5, round §7, assessment §6) and the request and
//!   error bodies are described here by schema-only types that follow the SPEC field by
//!   field: the engine reads inputs by walking JSON, so that it can report every problem at
//!   once, and has no serde shape to derive from. A test keeps these honest: every fixture
//!   and conformance document validates against them, strictly (a field a schema does not
//!   name is an error). A schema accepts what the SPEC's shapes allow; the engine's checks
//!   (codes, sums, bands, formulas) go further.

#[allow(dead_code)] // schema-only types: described, never built
mod assessment;
#[allow(dead_code)] // schema-only types: described, never built
mod common;
#[allow(dead_code)] // schema-only types: described, never built
mod criteria;
#[allow(dead_code)] // schema-only types: described, never built
mod requests;
#[allow(dead_code)] // schema-only types: described, never built
mod round;

use schemars::{JsonSchema, SchemaGenerator, generate::SchemaSettings};
use serde_json::Value;

/// The documents that have a schema, by the name used in URLs and on the command line.
pub const DOCUMENTS: &[&str] = &["criteria-set", "round", "assessment", "results", "round-bundle"];

fn generate<T: JsonSchema>() -> Value {
    let generator = SchemaGenerator::new(SchemaSettings::draft2020_12());
    serde_json::to_value(generator.into_root_schema_for::<T>()).unwrap_or(Value::Null)
}

/// The JSON Schema (draft 2020-12) of the document named `doc` (one of [`DOCUMENTS`]).
pub fn schema(doc: &str) -> Option<Value> {
    match doc {
        "criteria-set" => Some(generate::<criteria::CriteriaSetDoc>()),
        "round" => Some(generate::<round::RoundDoc>()),
        "assessment" => Some(generate::<assessment::AssessmentDoc>()),
        "results" => Some(generate::<parindex_rank::ResultsDocument>()),
        "round-bundle" => Some(generate::<requests::RoundBundle>()),
        _ => None,
    }
}

/// The schemas of the request bodies and documents, for the OpenAPI document's
/// `components/schemas`: each under its schema's name (the names `api::ROUTES` and the
/// responses refer to), every reference pointing to `#/components/schemas/NAME`. JSON
/// Schema 2020-12, which OpenAPI 3.1 uses as it is.
pub fn components() -> serde_json::Map<String, Value> {
    let settings = SchemaSettings::draft2020_12().with(|s| s.definitions_path = "#/components/schemas/".into());
    let mut generator = SchemaGenerator::new(settings);
    // Each type registers its definition (and those of the types it holds) under its name.
    generator.subschema_for::<requests::CreateRound>();
    generator.subschema_for::<requests::Window>();
    generator.subschema_for::<assessment::SelfStage>();
    generator.subschema_for::<requests::AppraisalBody>();
    generator.subschema_for::<requests::Finalise>();
    generator.subschema_for::<requests::Done>();
    generator.subschema_for::<requests::Reopen>();
    generator.subschema_for::<requests::Reason>();
    generator.subschema_for::<requests::Workflow>();
    generator.subschema_for::<requests::EvidenceFile>();
    generator.subschema_for::<requests::Explanations>();
    generator.subschema_for::<requests::Survey>();
    generator.subschema_for::<assessment::ClassCap>();
    generator.subschema_for::<parindex_rank::ResultsDocument>();
    generator.subschema_for::<assessment::AssessmentDoc>();
    generator.subschema_for::<requests::Errors>();
    generator.subschema_for::<requests::ErrorBody>();
    generator.take_definitions(true).into_iter().collect()
}
