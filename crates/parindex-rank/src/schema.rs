//! The JSON Schema of the results document (feature `schema`): derived from the results
//! types themselves ([`crate::ResultsDocument`] and the types it holds), with these
//! shapes for what serde writes by hand.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::results::Inputs;

/// A decimal as results write it: always a string (`rust_decimal`'s serde form).
pub struct DecimalString;

impl JsonSchema for DecimalString {
    fn schema_name() -> Cow<'static, str> {
        "DecimalString".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An exact decimal written as a string, with the round's number of decimals (SPEC §8 step 7).",
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$"
        })
    }
}

impl JsonSchema for Inputs {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Inputs".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "additionalProperties": { "type": "string", "pattern": "^[0-9a-f]{64}$" }
        })
    }
}
