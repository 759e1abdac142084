//! The program's commands, one module each, and what they share.

pub mod audit;
pub mod output;
pub mod schema;
pub mod score;
pub mod serve;
pub mod table;
pub mod token;
pub mod validate;
