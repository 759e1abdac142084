//! The program's commands, one module each, and what they share.

pub mod audit;
pub mod backup;
pub mod context;
pub mod criteria;
pub mod error;
pub mod explain;
pub mod form;
pub mod import;
pub mod limits;
pub mod output;
pub mod previous;
pub mod report;
pub mod schema;
pub mod score;
pub mod serve;
pub mod terminal;
pub mod token;
pub mod validate;
pub mod verify;
