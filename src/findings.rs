//! The one place a match becomes a finding: rule metadata, line and column (1-based; columns
//! count Unicode characters, `end_column` is exclusive), the line snippet split into text and
//! secret parts (so reporters can redact), and the fingerprint (a hash of rule id and secret,
//! the same for the same key everywhere). Also owns the deterministic order of findings.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::engine::Match;
use crate::rules::{RuleSet, Severity};
use crate::source::Content;

/// What kind of problem a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A hardcoded credential.
    Secret,
    /// An env var read by code (or set in `.env`) that the example file does not list.
    EnvMissingExample,
    /// An env file with values that is committed.
    EnvFileCommitted,
    /// A real-looking secret in an env example file.
    EnvExampleSecret,
    /// A secret-class key in code or config that ships to browsers or mobile apps.
    ClientExposure,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Secret => "secret",
            FindingKind::EnvMissingExample => "env-missing-example",
            FindingKind::EnvFileCommitted => "env-file-committed",
            FindingKind::EnvExampleSecret => "env-example-secret",
            FindingKind::ClientExposure => "client-exposure",
        }
    }
}

/// A piece of a snippet: plain text from the line, or (part of) a secret to redact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnippetPart {
    Text(String),
    Secret(String),
    /// The line was cut here (very long lines).
    Elision,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: FindingKind,
    pub rule_id: String,
    pub rule_name: String,
    pub severity: Severity,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The full secret; reporters redact it unless asked not to.
    pub secret: String,
    pub fingerprint: String,
    pub message: String,
    pub snippet: Vec<SnippetPart>,
    /// The key is designed to be public (a publishable key).
    pub client_safe: bool,
    /// Where in git history it came from (history and range scans only).
    pub git: Option<Box<GitInfo>>,
    /// The variable, example file and references of an env finding.
    pub env: Option<Box<crate::envcheck::EnvInfo>>,
    /// Why the location ships to clients (client-exposure findings).
    pub exposure: Option<String>,
}

/// Provenance of a finding in git history: the commit that introduced the secret (the oldest
/// commit that added a blob holding it), every occurrence, and whether it is still there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GitInfo {
    pub commit: String,
    pub author_name: String,
    pub author_email: String,
    /// Author date, RFC 3339 with the author's UTC offset.
    pub date: String,
    /// First line of the commit message.
    pub summary: String,
    pub blob: String,
    /// The secret is in a blob of the tree at HEAD (or the range's tip): remove it and rotate.
    /// Otherwise it is only in history: rotate, and consider rewriting history.
    pub present_at_head: bool,
    /// Every (commit, path, line) that introduced a blob holding this secret, oldest first.
    pub occurrences: Vec<Occurrence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    pub commit: String,
    pub path: String,
    pub line: usize,
}

/// Snippet bytes kept on each side of a secret on long lines.
const SNIPPET_CONTEXT: usize = 60;
/// Lines longer than this are shown around the secret only.
const SNIPPET_MAX: usize = 240;

/// Stable identity of a secret: the same key found by the same rule has the same fingerprint.
pub fn fingerprint(rule_id: &str, secret: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"keyhound:v1\0");
    h.update(rule_id.as_bytes());
    h.update(b"\0");
    h.update(secret);
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Counts characters (not bytes) in UTF-8 text, tolerating invalid sequences.
fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

fn line_bounds(hay: &[u8], pos: usize) -> (usize, usize) {
    let start = memchr::memrchr(b'\n', &hay[..pos]).map_or(0, |i| i + 1);
    let mut end = memchr::memchr(b'\n', &hay[pos..]).map_or(hay.len(), |i| pos + i);
    if end > start && hay[end - 1] == b'\r' {
        end -= 1;
    }
    (start, end)
}

/// Moves `i` back to a UTF-8 character boundary.
fn floor_char(hay: &[u8], mut i: usize) -> usize {
    while i > 0 && i < hay.len() && (hay[i] & 0xC0) == 0x80 {
        i -= 1;
    }
    i
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The line holding `m`, split into text and secret parts; every match on the shown part of
/// the line is marked secret, so a second key on the same line is redacted too.
fn snippet(hay: &[u8], m: &Match, all: &[Match]) -> Vec<SnippetPart> {
    let (ls, le) = line_bounds(hay, m.start);
    let (mut from, mut to) = (ls, le);
    let mut parts = Vec::new();
    if le - ls > SNIPPET_MAX {
        from = floor_char(hay, m.start.saturating_sub(SNIPPET_CONTEXT).max(ls));
        to = floor_char(hay, (m.end.min(le) + SNIPPET_CONTEXT).min(le));
        if to < m.end.min(le) {
            to = m.end.min(le);
        }
    }
    if from > ls {
        parts.push(SnippetPart::Elision);
    }
    let mut at = from;
    for other in all.iter().filter(|o| o.start < to && o.end > from) {
        let (s, e) = (other.start.max(at), other.end.min(to));
        if s >= e {
            continue;
        }
        if s > at {
            parts.push(SnippetPart::Text(text(&hay[at..s])));
        }
        parts.push(SnippetPart::Secret(text(&hay[s..e])));
        at = e;
    }
    if at < to {
        parts.push(SnippetPart::Text(text(&hay[at..to])));
    }
    if to < le {
        parts.push(SnippetPart::Elision);
    }
    parts
}

/// Markers that suppress findings on their line, in any comment syntax: keyhound's own, and
/// those of gitleaks and detect-secrets for teams migrating.
pub const INLINE_ALLOW: [&[u8]; 3] = [
    b"keyhound:allow",
    b"gitleaks:allow",
    b"pragma: allowlist secret",
];

/// Removes the matches whose first or last line carries an inline allow marker; returns how
/// many were removed.
pub fn drop_inline_allowed(hay: &[u8], matches: &mut Vec<Match>) -> usize {
    let before = matches.len();
    let marked = |pos: usize| {
        let (s, e) = line_bounds(hay, pos.min(hay.len()));
        INLINE_ALLOW
            .iter()
            .any(|m| memchr::memmem::find(&hay[s..e], m).is_some())
    };
    matches.retain(|m| !(marked(m.start) || marked(m.end.saturating_sub(1).max(m.start))));
    before - matches.len()
}

/// Turns the engine's matches over `content` into findings.
pub fn from_matches(rules: &RuleSet, content: &Content<'_>, matches: &[Match]) -> Vec<Finding> {
    let hay = content.bytes;
    let mut out = Vec::with_capacity(matches.len());
    // Matches are sorted by start: count lines incrementally.
    let (mut line, mut counted_to) = (1usize, 0usize);
    for m in matches {
        line += memchr::memchr_iter(b'\n', &hay[counted_to..m.start]).count();
        counted_to = m.start;
        let line_start = memchr::memrchr(b'\n', &hay[..m.start]).map_or(0, |i| i + 1);
        let column = char_count(&hay[line_start..m.start]) + 1;
        let secret_bytes = &hay[m.start..m.end];
        let inner_newlines = memchr::memchr_iter(b'\n', secret_bytes).count();
        let end_line = line + inner_newlines;
        let end_line_start = memchr::memrchr(b'\n', &hay[..m.end]).map_or(0, |i| i + 1);
        let end_column = char_count(&hay[end_line_start..m.end]) + 1;
        let rule = &rules.rules()[m.rule];
        out.push(Finding {
            kind: FindingKind::Secret,
            rule_id: rule.spec.id.clone(),
            rule_name: rule.spec.name.clone(),
            severity: rule.spec.severity,
            path: content.origin.path.clone(),
            line,
            column,
            end_line,
            end_column,
            secret: text(secret_bytes),
            fingerprint: fingerprint(&rule.spec.id, secret_bytes),
            message: format!("{} hardcoded in {}", rule.spec.name, content.origin.path),
            snippet: snippet(hay, m, matches),
            client_safe: rule.spec.client_safe,
            git: None,
            env: None,
            exposure: None,
        });
    }
    out
}

/// The report order: path, line, column, rule. Independent of thread scheduling.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            &a.path,
            a.line,
            a.column,
            &a.rule_id,
            a.end_line,
            a.end_column,
        )
            .cmp(&(
                &b.path,
                b.line,
                b.column,
                &b.rule_id,
                b.end_line,
                b.end_column,
            ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_rule_scoped() {
        assert_eq!(fingerprint("a", b"s"), fingerprint("a", b"s"));
        assert_ne!(fingerprint("a", b"s"), fingerprint("b", b"s"));
        assert_eq!(fingerprint("a", b"s").len(), 32);
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(char_count("héllo".as_bytes()), 5);
    }
}
