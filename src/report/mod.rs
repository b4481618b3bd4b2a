//! Reports: what a scan found, in a format. Reporters see only the `Report` (findings, the
//! metadata of the rules that fired, stats); they never see content or the engine. This module
//! owns redaction (secrets are redacted unless `show_secrets`), escaping of anything taken from
//! scanned files before it reaches a terminal, and snippet rendering shared by the formats.

pub mod human;
pub mod json;
pub mod sarif;

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::findings::{Finding, SnippetPart};
use crate::rules::{Rule, Severity};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Sarif,
}

/// Rule metadata a reporter may show (remediation, links).
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub name: String,
    pub description: String,
    pub severity: Severity,
    pub tags: Vec<String>,
    pub remediation: String,
    pub references: Vec<String>,
}

impl From<&Rule> for RuleInfo {
    fn from(r: &Rule) -> RuleInfo {
        RuleInfo {
            id: r.spec.id.clone(),
            name: r.spec.name.clone(),
            description: r.spec.description.clone(),
            severity: r.spec.severity,
            tags: r.spec.tags.clone(),
            remediation: r.spec.remediation.clone(),
            references: r.spec.references.clone(),
        }
    }
}

/// Counters of one scan.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    /// Files not scanned, by reason (`binary`, `too large`, `unreadable`, ...).
    pub files_skipped: BTreeMap<String, u64>,
    pub findings: usize,
    pub findings_by_severity: BTreeMap<String, usize>,
    pub rules: usize,
    pub elapsed_ms: u64,
    /// Findings not reported, by why: `inline` (an allow marker on the line), `ignore-file`
    /// (`.keyhoundignore`), `baseline`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub suppressed: BTreeMap<String, u64>,
    /// Git scans: commits walked (history) or diffed (range).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commits_scanned: Option<u64>,
    /// Git scans: time spent listing commits, trees and blobs before scanning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enumerate_ms: Option<u64>,
}

/// The repository a git scan read, for SARIF `versionControlProvenance`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Vcs {
    /// The `origin` remote's URL, else the repository's directory as a `file://` URI.
    pub repository_uri: String,
    /// The commit HEAD (or the range's tip) pointed at.
    pub revision: Option<String>,
    /// The branch HEAD pointed at (`refs/heads/main`).
    pub branch: Option<String>,
}

/// Everything a reporter may use.
#[derive(Debug, Clone)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Metadata of every rule that has a finding, by id.
    pub rules: BTreeMap<String, RuleInfo>,
    pub stats: Stats,
    /// Warnings to show (unreadable files and the like), already bounded in number.
    pub warnings: Vec<String>,
    /// Set by git scans.
    pub vcs: Option<Vcs>,
}

impl Report {
    /// Brings the counts and the rule metadata back in line with `findings` after some were
    /// dropped (allowlist, ignore file, baseline).
    pub fn recount(&mut self) {
        self.stats.findings = self.findings.len();
        let mut by_severity = BTreeMap::new();
        for f in &self.findings {
            *by_severity
                .entry(f.severity.as_str().to_string())
                .or_insert(0) += 1;
        }
        self.stats.findings_by_severity = by_severity;
        let findings = &self.findings;
        self.rules
            .retain(|id, _| findings.iter().any(|f| &f.rule_id == id));
    }
}

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub show_secrets: bool,
    pub color: bool,
}

pub const TOOL_NAME: &str = "keyhound";
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
pub const INFORMATION_URI: &str = "https://github.com/keyhound/keyhound";

/// Writes `report` in `format`.
pub fn write(
    report: &Report,
    format: Format,
    opts: Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, opts, out),
        Format::Json => json::write(report, opts, out),
        Format::Jsonl => json::write_lines(report, opts, out),
        Format::Sarif => sarif::write(report, opts, out),
    }
}

/// A secret shown as a short prefix, an ellipsis and its length: `ghp_ab…(40)`.
pub fn redact(secret: &str) -> String {
    let n = secret.chars().count();
    let keep = (n / 4).min(6);
    let prefix: String = secret.chars().take(keep).collect();
    format!("{prefix}…({n})")
}

/// The secret as the user asked to see it: full, or redacted.
pub fn secret_text(f: &Finding, opts: Options) -> String {
    if opts.show_secrets {
        f.secret.clone()
    } else {
        redact(&f.secret)
    }
}

/// The snippet as plain text (not escaped: JSON and SARIF encode it themselves).
pub fn snippet_text(f: &Finding, show_secrets: bool) -> String {
    let mut s = String::new();
    for part in &f.snippet {
        match part {
            SnippetPart::Text(t) => s.push_str(t),
            SnippetPart::Secret(t) if show_secrets => s.push_str(t),
            SnippetPart::Secret(t) => s.push_str(&redact(t)),
            SnippetPart::Elision => s.push('…'),
        }
    }
    s
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Makes text from scanned files safe for a terminal: control characters (C0, DEL, C1) and
/// bidirectional overrides are written as `\u{..}` escapes, so a file cannot move the cursor,
/// change colours or reorder what the user reads.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() || is_bidi_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_hides_most_of_the_secret() {
        assert_eq!(
            redact("ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            "ghp_ab…(40)"
        );
        assert_eq!(redact("abc"), "…(3)");
    }

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(escape("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(escape("plain"), "plain");
    }
}
