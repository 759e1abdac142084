//! The program's commands, one module each, and what they share.

pub mod output;
pub mod score;
pub mod table;
pub mod validate;
