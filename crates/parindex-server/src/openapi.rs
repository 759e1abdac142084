//! The OpenAPI 3.1 document, generated from the route table ([`crate::api::ROUTES`]) and
//! the schema types ([`crate::schema`]).

use serde_json::{Map, Value, json};

use crate::api::ROUTES;
use crate::schema;

fn description(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Malformed JSON or parameter",
        401 => "No token, unknown token, or expired token",
        403 => "The token's role may not do this",
        404 => "Unknown round, unit, block, stage or schema",
        409 => "Refused by the round's state: deadline passed, stage finalised, already submitted, version conflict…",
        413 => "Body larger than the limit",
        422 => "Invalid document: every problem, as SPEC §10 error objects",
        _ => "Error",
    }
}

/// The document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for route in ROUTES {
        let params: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let mut responses = Map::new();
        let ok_schema = match (route.method, route.path) {
            (_, "/v1/rounds/{round}/results") => json!({"$ref": "#/components/schemas/Results"}),
            (_, "/v1/rounds/{round}/units/{unit}/assessment") => json!({"$ref": "#/components/schemas/Assessment"}),
            _ => json!({"type": "object"}),
        };
        let media = if route.path.ends_with(".tar") { "application/x-tar" } else { "application/json" };
        responses.insert(
            route.ok.to_string(),
            json!({"description": description(route.ok), "content": {media: {"schema": ok_schema}}}),
        );
        let mut errors: Vec<u16> = route.errors.to_vec();
        if !route.allow.is_empty() {
            errors.extend([401, 403]);
        }
        errors.sort_unstable();
        for status in errors {
            let schema = if status == 422 { "Errors" } else { "Error" };
            responses.insert(
                status.to_string(),
                json!({"description": description(status), "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}}),
            );
        }
        let roles: Vec<&str> = route.allow.iter().map(|a| a.name()).collect();
        let mut parameters = params;
        if route.method != "GET" {
            parameters.push(json!({"name": "Idempotency-Key", "in": "header", "required": false, "schema": {"type": "string", "maxLength": 200}, "description": "A retried write with the same key and body changes nothing and gets the first answer again."}));
        }
        let mut op = Map::new();
        op.insert("summary".into(), json!(route.summary));
        op.insert("parameters".into(), Value::Array(parameters));
        op.insert("responses".into(), Value::Object(responses));
        op.insert("x-roles".into(), json!(roles));
        if route.allow.is_empty() {
            op.insert("security".into(), json!([]));
        }
        if let Some(body) = route.body {
            let required = !route.path.ends_with("/submit") && !route.path.ends_with("/finalise");
            op.insert(
                "requestBody".into(),
                json!({"required": required, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{body}")}}}}),
            );
        }
        if let Value::Object(methods) = paths.entry(route.path.to_owned()).or_insert_with(|| json!({})) {
            methods.insert(route.method.to_lowercase(), Value::Object(op));
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "parindex API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The PAR Index (Chỉ số CCHC) scoring engine as a JSON service: rounds, self-assessments, appraisal stages, explanations, survey results, scores, export, audit log. Decimals are strings. See docs/api.md.",
        },
        "servers": [{"url": "http://127.0.0.1:8080"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A token from `parindex token create --role ROLE`: admin, appraiser, auditor or unit:<id>."}},
            "schemas": schema::components(),
        },
    })
}
