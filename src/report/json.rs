//! The JSON format (versioned; documented in the README) and JSON Lines (one finding per
//! line). Field names here are a public contract: add fields, never rename them.

use std::io::{self, Write};

use serde::Serialize;

use super::{secret_text, snippet_text, Options, Report, Stats, TOOL_NAME, TOOL_VERSION};
use crate::findings::{Finding, Occurrence};

/// Version of the JSON shape.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
pub struct JsonFinding<'a> {
    kind: &'static str,
    rule_id: &'a str,
    rule_name: &'a str,
    severity: &'static str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    secret: String,
    redacted: bool,
    fingerprint: &'a str,
    message: &'a str,
    snippet: String,
    client_safe: bool,
    /// Git scans only.
    #[serde(skip_serializing_if = "Option::is_none")]
    git: Option<JsonGit<'a>>,
    /// Env findings only.
    #[serde(skip_serializing_if = "Option::is_none")]
    env: Option<&'a crate::envcheck::EnvInfo>,
    /// Client-exposure findings only: why the location ships to clients.
    #[serde(skip_serializing_if = "Option::is_none")]
    exposure: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonGit<'a> {
    commit: &'a str,
    author: &'a str,
    email: &'a str,
    date: &'a str,
    summary: &'a str,
    blob: &'a str,
    present_at_head: bool,
    /// `present-at-head` (remove and rotate) or `history-only` (rotate; consider rewriting).
    status: &'static str,
    occurrences: JsonOccurrences<'a>,
}

#[derive(Serialize)]
struct JsonOccurrences<'a> {
    count: usize,
    first_commit: &'a str,
    last_commit: &'a str,
    list: &'a [Occurrence],
}

impl<'a> JsonFinding<'a> {
    pub fn new(f: &'a Finding, opts: Options) -> JsonFinding<'a> {
        JsonFinding {
            kind: f.kind.as_str(),
            rule_id: &f.rule_id,
            rule_name: &f.rule_name,
            severity: f.severity.as_str(),
            path: &f.path,
            line: f.line,
            column: f.column,
            end_line: f.end_line,
            end_column: f.end_column,
            secret: secret_text(f, opts),
            redacted: !opts.show_secrets,
            fingerprint: &f.fingerprint,
            message: &f.message,
            snippet: snippet_text(f, opts.show_secrets),
            client_safe: f.client_safe,
            git: f.git.as_deref().map(|g| JsonGit {
                commit: &g.commit,
                author: &g.author_name,
                email: &g.author_email,
                date: &g.date,
                summary: &g.summary,
                blob: &g.blob,
                present_at_head: g.present_at_head,
                status: if g.present_at_head {
                    "present-at-head"
                } else {
                    "history-only"
                },
                occurrences: JsonOccurrences {
                    count: g.occurrences.len(),
                    first_commit: g.occurrences.first().map_or("", |o| o.commit.as_str()),
                    last_commit: g.occurrences.last().map_or("", |o| o.commit.as_str()),
                    list: &g.occurrences,
                },
            }),
            env: f.env.as_deref(),
            exposure: f.exposure.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    stats: &'a Stats,
    warnings: &'a [String],
    findings: Vec<JsonFinding<'a>>,
}

pub fn write(report: &Report, opts: Options, out: &mut dyn Write) -> io::Result<()> {
    let doc = Document {
        version: JSON_VERSION,
        tool: Tool {
            name: TOOL_NAME,
            version: TOOL_VERSION,
        },
        stats: &report.stats,
        warnings: &report.warnings,
        findings: report
            .findings
            .iter()
            .map(|f| JsonFinding::new(f, opts))
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

pub fn write_lines(report: &Report, opts: Options, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.findings {
        serde_json::to_writer(&mut *out, &JsonFinding::new(f, opts))?;
        writeln!(out)?;
    }
    Ok(())
}
