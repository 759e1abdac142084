//! The program's commands, one module each, and what they share.

pub mod criteria;
pub mod explain;
pub mod form;
pub mod import;
pub mod output;
pub mod previous;
pub mod report;
pub mod score;
pub mod table;
pub mod validate;
pub mod verify;
