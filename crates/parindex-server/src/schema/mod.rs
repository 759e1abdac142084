//! JSON Schemas of the SPEC documents, generated (schemars) from schema-only Rust types
//! that mirror SPEC.md §3–§9 field by field. The engine reads documents by walking JSON so
//! that it can report every problem at once; these types exist to describe the documents
//! to the province's forms (`GET /v1/schemas/{doc}`, `parindex schema DOC`) and to the
//! OpenAPI document. A schema accepts what the SPEC's shapes allow; the engine's checks
//! (codes, sums, bands, formulas) go further.

#[allow(dead_code)] // schema-only types: described, never built
mod assessment;
#[allow(dead_code)] // schema-only types: described, never built
mod common;
#[allow(dead_code)] // schema-only types: described, never built
mod criteria;
#[allow(dead_code)] // schema-only types: described, never built
mod requests;
#[allow(dead_code)] // schema-only types: described, never built
mod results;
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
        "results" => Some(generate::<results::ResultsDoc>()),
        "round-bundle" => Some(generate::<requests::RoundBundle>()),
        _ => None,
    }
}

/// The schemas of the request bodies and documents, for the OpenAPI document's
/// `components/schemas` (references point to `#/components/schemas/NAME`).
pub fn components() -> serde_json::Map<String, Value> {
    let settings = SchemaSettings::openapi3().with(|s| s.definitions_path = "#/components/schemas/".into());
    let mut generator = SchemaGenerator::new(settings);
    let mut out = serde_json::Map::new();
    let mut add = |name: &str, schema: schemars::Schema| {
        out.insert(name.to_owned(), serde_json::to_value(schema).unwrap_or(Value::Null));
    };
    add("CreateRound", generator.subschema_for::<requests::CreateRound>());
    add("Window", generator.subschema_for::<requests::Window>());
    add("SelfStage", generator.subschema_for::<assessment::SelfStage>());
    add("AppraisalStage", generator.subschema_for::<requests::AppraisalBody>());
    add("Finalise", generator.subschema_for::<requests::Finalise>());
    add("Explanations", generator.subschema_for::<requests::Explanations>());
    add("Survey", generator.subschema_for::<requests::Survey>());
    add("ClassCap", generator.subschema_for::<Option<assessment::ClassCap>>());
    add("Results", generator.subschema_for::<results::ResultsDoc>());
    add("Assessment", generator.subschema_for::<assessment::AssessmentDoc>());
    add("Errors", generator.subschema_for::<requests::Errors>());
    add("Error", generator.subschema_for::<requests::ErrorBody>());
    for (name, def) in generator.take_definitions(true) {
        out.entry(name).or_insert(def);
    }
    out
}
