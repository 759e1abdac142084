//! Shapes shared by several input documents: decimals, dates, evidence.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// A decimal in input: a JSON number (read from its exact text) or a string
/// `-?digits(.digits)?` (SPEC §2).
pub struct Decimal;

impl JsonSchema for Decimal {
    fn schema_name() -> Cow<'static, str> {
        "Decimal".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An exact decimal: a JSON number, or a string of an optional '-', digits, and optionally '.' and digits (SPEC §2).",
            "anyOf": [
                { "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$" },
                { "type": "number" }
            ]
        })
    }
}

/// A date `YYYY-MM-DD`.
pub struct DateText;

impl JsonSchema for DateText {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A calendar date YYYY-MM-DD.",
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

/// A document or reference offered as evidence (tài liệu kiểm chứng).
#[derive(JsonSchema)]
pub struct Evidence {
    /// What it is, e.g. "QĐ 15/QĐ-SNV ngày 10/01/2023".
    pub title: String,
    /// A document number or link.
    pub r#ref: Option<String>,
    /// A file stored by the API server, `sha256:<64 lowercase hex>` (docs/evidence.md).
    #[schemars(regex(pattern = r"^sha256:[0-9a-f]{64}$"))]
    pub file: Option<String>,
}

/// A bonus or penalty item (điểm thưởng, điểm trừ).
#[derive(JsonSchema)]
pub struct Adjustment {
    /// Points, not negative.
    pub points: Decimal,
    /// Why.
    pub reason: String,
}
