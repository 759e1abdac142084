//! The JSON API against the real `parindex serve` over loopback, with a real SQLite file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod access;
mod bad_input;
mod common;
mod concurrency;
mod durability;
mod evidence_files;
mod fixture_round;
mod hostile;
mod locale;
mod operations;
mod province;
mod rules;
mod schemas;
