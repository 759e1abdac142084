//! The criteria side of parindex, the PAR Index (Chỉ số CCHC) scoring engine.
//!
//! This crate owns everything that is true of a criteria set (bộ tiêu chí) whatever unit is
//! scored with it: the criteria tree, the rule kinds of SPEC §4 and the inputs they read, the
//! formula language of SPEC §5, the validation of a criteria set (§3, §10), scoring one leaf,
//! and rolling points up a tree. It does no I/O: documents come in as parsed JSON values.
//!
//! Problems are reported as [`Diagnostic`]s carrying the stable code of SPEC §10, a JSON
//! Pointer and, where one applies, the criterion code; loaders report every problem at once.

pub mod criteria;
pub mod decimal;
pub mod diagnostic;
pub mod digest;
pub mod formula;
pub mod input;
pub mod locale;
pub mod reader;
pub mod rollup;
pub mod rule;
pub mod sum;
mod vi_detail;

pub use criteria::{CriteriaSet, Leaf, Node, NodeId, NodeKind, NotArisingPolicy, Source};
pub use decimal::DecimalError;
pub use diagnostic::{Code, Diagnostic, Diagnostics};
pub use input::{Date, Input, SurveyAnswer};
pub use locale::{LOCALE_ENV, Locale, UnknownLocale};
pub use rule::{Outcome, Rule};

/// Exact decimal type used for every point, bound, weight and index.
pub use rust_decimal::Decimal;
