//! The OpenAPI 3.1 document, generated from the route table ([`crate::api::ROUTES`]) and
//! the schema types ([`crate::schema`]). Its schemas are JSON Schema 2020-12, OpenAPI 3.1's
//! own dialect (`jsonSchemaDialect`): nullable values are `"type": [..., "null"]` or an
//! `anyOf` with `{"type": "null"}`, never OpenAPI 3.0's `nullable`.

use serde_json::{Map, Value, json};

use crate::api::ROUTES;
use crate::schema;

fn description(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Malformed JSON or parameter",
        401 => "No token, unknown, expired or revoked token",
        403 => "The token's role may not do this",
        404 => "Unknown round, unit, block, stage or schema",
        409 => "Refused by the round's state: deadline passed, stage finalised, already submitted, version conflict…",
        408 => "The body did not arrive within the body timeout",
        413 => "Body larger than the limit, or a stored document that would grow past it",
        415 => "The body is not sent as Content-Type: application/json",
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
        let media = if route.path.ends_with(".tar") {
            "application/x-tar"
        } else if route.path.ends_with("/evidence/{file}") {
            "application/octet-stream"
        } else {
            "application/json"
        };
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
            let required = !route.path.ends_with("/submit")
                && !route.path.ends_with("/finalise")
                && !route.path.ends_with("/done");
            let media = if body == "EvidenceFile" { "application/octet-stream" } else { "application/json" };
            op.insert(
                "requestBody".into(),
                json!({"required": required, "content": {media: {"schema": {"$ref": format!("#/components/schemas/{body}")}}}}),
            );
        }
        if let Value::Object(methods) = paths.entry(route.path.to_owned()).or_insert_with(|| json!({})) {
            methods.insert(route.method.to_lowercase(), Value::Object(op));
        }
    }
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "parindex API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The PAR Index (Chỉ số CCHC) scoring engine as a JSON service: rounds, self-assessments, appraisal stages, explanations, survey results, scores, export, audit log. Decimals are strings. See docs/api.md.",
        },
        "servers": [{"url": "http://127.0.0.1:8080"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A token from `parindex token create --role ROLE`: admin, appraiser, appraiser:<agency>, council, auditor or unit:<id>."}},
            "schemas": schema::components(),
        },
    })
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    /// The keywords of JSON Schema 2020-12 (core, applicator, unevaluated, validation,
    /// meta-data, format-annotation, content).
    const KEYWORDS: &[&str] = &[
        "$schema",
        "$id",
        "$ref",
        "$defs",
        "$comment",
        "$anchor",
        "$dynamicRef",
        "$dynamicAnchor",
        "$vocabulary",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "dependentSchemas",
        "prefixItems",
        "items",
        "contains",
        "properties",
        "patternProperties",
        "additionalProperties",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "type",
        "enum",
        "const",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxContains",
        "minContains",
        "maxProperties",
        "minProperties",
        "required",
        "dependentRequired",
        "title",
        "description",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "examples",
        "format",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
    ];

    /// Keywords whose value is a schema, and those whose value is a list or a map of schemas.
    const ONE: &[&str] = &[
        "not",
        "if",
        "then",
        "else",
        "items",
        "contains",
        "additionalProperties",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    ];
    const LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
    const MAP: &[&str] = &["$defs", "properties", "patternProperties", "dependentSchemas"];

    /// Checks one schema and every schema inside it; returns every `$ref` met.
    fn walk(schema: &Value, at: &str, refs: &mut Vec<(String, String)>, errors: &mut Vec<String>) {
        let map = match schema {
            Value::Bool(_) => return,
            Value::Object(map) => map,
            _ => return errors.push(format!("{at}: a schema must be an object or a bool")),
        };
        for (key, value) in map {
            let here = format!("{at}/{key}");
            if !KEYWORDS.contains(&key.as_str()) {
                errors.push(format!("{here}: not a JSON Schema 2020-12 keyword"));
            }
            match key.as_str() {
                "$ref" => refs.push((here, value.as_str().unwrap_or_default().to_owned())),
                "type" => {
                    let names = value.as_array().cloned().unwrap_or_else(|| vec![value.clone()]);
                    for name in names {
                        let ok = ["null", "boolean", "object", "array", "number", "string", "integer"]
                            .contains(&name.as_str().unwrap_or_default());
                        if !ok {
                            errors.push(format!("{here}: {name} is not a type"));
                        }
                    }
                }
                "exclusiveMinimum" | "exclusiveMaximum" | "minimum" | "maximum" if !value.is_number() => {
                    errors.push(format!("{here}: must be a number in 2020-12"));
                }
                k if ONE.contains(&k) => walk(value, &here, refs, errors),
                k if LIST.contains(&k) => match value.as_array() {
                    Some(items) => {
                        for (i, item) in items.iter().enumerate() {
                            walk(item, &format!("{here}/{i}"), refs, errors);
                        }
                    }
                    None => errors.push(format!("{here}: must be a list of schemas")),
                },
                k if MAP.contains(&k) => match value.as_object() {
                    Some(items) => {
                        for (name, item) in items {
                            walk(item, &format!("{here}/{name}"), refs, errors);
                        }
                    }
                    None => errors.push(format!("{here}: must be a map of schemas")),
                },
                _ => {}
            }
        }
    }

    /// Every schema object of the document outside `components/schemas`: those of the
    /// parameters, request bodies and responses.
    fn operation_schemas<'a>(value: &'a Value, at: &str, out: &mut Vec<(String, &'a Value)>) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    let here = format!("{at}/{key}");
                    if key == "schema" {
                        out.push((here, item));
                    } else {
                        operation_schemas(item, &here, out);
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    operation_schemas(item, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn the_openapi_document_is_3_1_with_2020_12_schemas_that_resolve() {
        let doc = super::document();
        assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1.")), "{}", doc["openapi"]);
        assert_eq!(doc["jsonSchemaDialect"], "https://json-schema.org/draft/2020-12/schema");
        let text = doc.to_string();
        assert!(!text.contains("\"nullable\""), "OpenAPI 3.0's `nullable` is not in 3.1");

        let components = doc["components"]["schemas"].as_object().unwrap();
        let mut refs = Vec::new();
        let mut errors = Vec::new();
        for (name, schema) in components {
            walk(schema, &format!("#/components/schemas/{name}"), &mut refs, &mut errors);
        }
        let mut schemas = Vec::new();
        operation_schemas(&doc["paths"], "#/paths", &mut schemas);
        assert!(schemas.len() > 50, "{} operation schemas", schemas.len());
        for (at, schema) in schemas {
            walk(schema, &at, &mut refs, &mut errors);
        }
        assert!(errors.is_empty(), "{errors:#?}");

        // Every reference names a component that is a schema of its own, not a reference to
        // itself; and every body the routes name is a component.
        assert!(refs.len() > 50, "{} references", refs.len());
        for (at, target) in &refs {
            let name = target.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{at}: {target}"));
            let component = components.get(name).unwrap_or_else(|| panic!("{at}: {target} does not resolve"));
            assert_ne!(component.get("$ref").and_then(Value::as_str), Some(target.as_str()), "{name} is itself");
        }
        for (name, schema) in components {
            let only_a_ref = schema.as_object().is_some_and(|m| m.len() == 1 && m.contains_key("$ref"));
            assert!(!only_a_ref, "{name} is only a reference: {schema}");
        }
        for route in crate::api::ROUTES {
            if let Some(body) = route.body {
                assert!(components.contains_key(body), "{} {}: body {body}", route.method, route.path);
            }
        }
    }
}
