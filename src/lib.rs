//! keyhound: a static secret scanner.
//!
//! Data flows one way; imports follow the arrows:
//!
//! ```text
//! cli -> config -> Settings                (app hands each part what it needs)
//! rules/*.toml -> RuleSet -> Engine
//! source::{fs, stdin} -> Content{bytes, Origin}
//!     -> engine: prefilter -> matcher -> placeholder/entropy/validators -> Match
//! Match + Content -> findings (line, column, snippet, fingerprint) -> Finding
//! Finding* -> Report -> report::{human, json, sarif}
//! ```
//!
//! The engine is pure (bytes in, matches out); reporters see only the report.

pub mod app;
pub mod cli;
pub mod config;
pub mod config_file;
pub mod engine;
pub mod envcheck;
pub mod exposure;
pub mod findings;
pub mod history;
pub mod report;
pub mod rules;
pub mod selftest;
pub mod source;
pub mod suppress;
