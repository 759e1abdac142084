//! The program's commands, one module each, and what they share.

#[cfg(feature = "forms")]
pub mod form;
#[cfg(feature = "forms")]
pub mod import;
pub mod output;
pub mod score;
pub mod table;
pub mod validate;
