//! keyhound's integration tests: one binary, one module per concern.

mod cli;
mod common;
mod env;
mod eval;
mod exposure;
mod formats;
mod git;
mod gitleaks;
mod rules;
mod teamwork;
