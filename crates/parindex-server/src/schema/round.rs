//! The round document (kỳ đánh giá), SPEC §7.

use schemars::JsonSchema;

use super::common::{DateText, Decimal};

/// A round: blocks of units, each scored with one criteria set and ranked on its own.
#[derive(JsonSchema)]
#[schemars(title = "parindex round (parindex/round@1)")]
pub struct RoundDoc {
    /// Always "parindex/round@1".
    #[schemars(extend("const" = "parindex/round@1"))]
    pub format: String,
    /// The round's id (used in URLs: lowercase letters, digits, '-').
    pub id: String,
    /// Its title.
    pub title: String,
    /// The year evaluated.
    pub year: Option<i64>,
    /// Who evaluates, e.g. "UBND tỉnh Đồng Tháp".
    pub evaluator: Option<String>,
    /// Presentation rounding.
    pub rounding: Option<Rounding>,
    /// Deadlines.
    pub deadlines: Option<Deadlines>,
    /// The blocks (khối).
    pub blocks: Vec<Block>,
    /// The units (đơn vị).
    pub units: Vec<Unit>,
}

/// How figures are presented.
#[derive(JsonSchema)]
pub struct Rounding {
    /// 0–6 (default 2).
    #[schemars(range(min = 0, max = 6))]
    pub decimals: Option<u8>,
    /// "half_up" (default) or "half_even".
    pub mode: Option<RoundingMode>,
}

/// Rounding mode.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Half away from zero.
    HalfUp,
    /// Half to even.
    HalfEven,
}

/// Deadlines of the round.
#[derive(JsonSchema)]
pub struct Deadlines {
    /// The self-assessment deadline.
    #[serde(rename = "self")]
    pub self_: Option<DateText>,
}

/// A block: units scored with one criteria set and ranked together.
#[derive(JsonSchema)]
pub struct Block {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// The criteria set's path in the round folder.
    pub criteria_set: String,
    /// Whether a survey is held.
    pub survey: Option<bool>,
    /// Classes by strictly descending `from`.
    pub classes: Vec<ClassBand>,
    /// "survey", "appraised" or "exact", applied in order to equal indices.
    pub tie_breakers: Option<Vec<TieBreaker>>,
}

/// A class (xếp loại) and its lower bound.
#[derive(JsonSchema)]
pub struct ClassBand {
    /// The label, e.g. "Xuất sắc".
    pub label: String,
    /// The lowest index in the class.
    pub from: Decimal,
    /// false: strictly above `from`.
    pub from_inclusive: Option<bool>,
}

/// A tie-breaker.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TieBreaker {
    /// Presented survey_total.
    Survey,
    /// Presented appraised_total.
    Appraised,
    /// The unrounded index.
    Exact,
}

/// A unit (đơn vị).
#[derive(JsonSchema)]
pub struct Unit {
    /// Lowercase ASCII letters, digits and '-'.
    #[schemars(regex(pattern = r"^[a-z0-9-]+$"))]
    pub id: String,
    /// Its name, in Vietnamese.
    pub name: String,
    /// Its block's id.
    pub block: String,
    /// Tags that decide which criteria apply.
    pub tags: Option<Vec<String>>,
    /// false keeps the unit out of the ranking (default true).
    pub ranked: Option<bool>,
}
