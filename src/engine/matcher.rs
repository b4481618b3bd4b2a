//! Runs rule regexes where the prefilter saw their keywords: turns keyword hits into windows
//! (the keyword's line and its neighbours, or up to 64 KiB for multi-line rules), merges the
//! windows of each rule, runs the regex once per merged window and applies the secret checks
//! (placeholder filter, entropy floor, validator). Pure: bytes in, matches out.

use memchr::{memchr, memrchr};

use super::{entropy, generic, placeholder, validate, Match};
use crate::rules::{Rule, Validator};

/// Lines of context on each side of a keyword's line.
const CONTEXT_LINES: usize = 1;
/// How far a window reaches into a long line on each side of the keyword.
const MAX_LINE_REACH: usize = 2048;
/// How far a multi-line rule's window reaches past its keyword.
const MULTILINE_REACH: usize = 64 * 1024;

/// A region of the haystack where one rule's regex must run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Window {
    pub rule: u32,
    pub start: usize,
    pub end: usize,
}

fn line_start(hay: &[u8], pos: usize) -> usize {
    let lo = pos.saturating_sub(MAX_LINE_REACH);
    match memrchr(b'\n', &hay[lo..pos]) {
        Some(i) => lo + i + 1,
        None => lo,
    }
}

fn line_end(hay: &[u8], pos: usize) -> usize {
    let hi = (pos + MAX_LINE_REACH).min(hay.len());
    match memchr(b'\n', &hay[pos..hi]) {
        Some(i) => pos + i,
        None => hi,
    }
}

/// The keyword's own line `(start, end)` and the window around it: that line plus
/// `CONTEXT_LINES` on each side, each clipped to `MAX_LINE_REACH`.
pub fn line_window(hay: &[u8], kw_start: usize, kw_end: usize) -> ((usize, usize), (usize, usize)) {
    let mut start = line_start(hay, kw_start);
    let mut end = line_end(hay, kw_end);
    let own = (start, end);
    for _ in 0..CONTEXT_LINES {
        if start > 0 && hay[start - 1] == b'\n' {
            start = line_start(hay, start - 1);
        }
        if end < hay.len() && hay[end] == b'\n' {
            end = line_end(hay, end + 1);
        }
    }
    (own, (start, end))
}

/// Where a multi-line rule looks: from the keyword's line start to 64 KiB past the keyword.
pub fn multiline_window(hay: &[u8], kw_start: usize) -> (usize, usize) {
    (
        line_start(hay, kw_start),
        (kw_start + MULTILINE_REACH).min(hay.len()),
    )
}

/// Sorts windows and merges overlapping or touching ones of the same rule.
pub fn merge(windows: &mut Vec<Window>) {
    windows.sort_unstable();
    let mut out = 0;
    for i in 0..windows.len() {
        let w = windows[i];
        if out > 0 {
            let last = &mut windows[out - 1];
            if last.rule == w.rule && w.start <= last.end + 1 {
                last.end = last.end.max(w.end);
                continue;
            }
        }
        windows[out] = w;
        out += 1;
    }
    windows.truncate(out);
}

/// Runs `rule` over one window, pushing accepted matches (absolute offsets) to `out`, and to
/// `vetoed` the spans of provider-shaped values that failed their rule's validator (a token
/// with a bad checksum is not a secret, so the generic detector must not report it either).
pub fn run_window(
    rule: &Rule,
    rule_index: u32,
    hay: &[u8],
    w: Window,
    out: &mut Vec<Match>,
    vetoed: &mut Vec<(usize, usize)>,
) {
    let region = &hay[w.start..w.end];
    let mut at = 0;
    while at <= region.len() {
        let Some(found) = rule.regex().find_at(region, at) else {
            break;
        };
        at = if found.end() > found.start() {
            found.end()
        } else {
            found.end() + 1
        };
        let Some(caps) = rule.regex().captures_at(region, found.start()) else {
            continue;
        };
        let Some(secret) = caps.get(rule.secret_group()) else {
            continue;
        };
        if secret.is_empty() {
            continue;
        }
        let name = caps.name("name").map(|m| m.as_bytes());
        let (start, end) = (w.start + secret.start(), w.start + secret.end());
        let around = (start.checked_sub(1).map(|i| hay[i]), hay.get(end).copied());
        match accept(rule, secret.as_bytes(), name, around) {
            Verdict::Secret => out.push(Match {
                rule: rule_index as usize,
                start,
                end,
            }),
            Verdict::Invalid if !rule.fallback => vetoed.push((start, end)),
            _ => {}
        }
    }
}

/// What the checks made of a captured value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Secret,
    /// A placeholder or too little entropy: filler, not evidence either way.
    Filler,
    /// Has the rule's shape but fails its validator (bad checksum, not a JWT...).
    Invalid,
}

/// The checks every captured secret must pass.
/// `around` holds the bytes just before and after the secret.
pub fn accept(
    rule: &Rule,
    secret: &[u8],
    name: Option<&[u8]>,
    around: (Option<u8>, Option<u8>),
) -> Verdict {
    // Decoding validators judge the decoded value themselves: base64 of binary legitimately
    // holds runs (`AAAAAAAA` for zero bytes) that the placeholder filter would reject.
    let decodes = matches!(
        rule.spec.validator,
        Some(Validator::BasicAuth | Validator::KubernetesData)
    );
    // Multi-line PEM blocks get the structural placeholder test; a multi-line assignment rule
    // (judged by the generic tests) still gets the filler-word test.
    let structured = rule.spec.multiline && rule.spec.validator != Some(Validator::Generic);
    if !decodes && placeholder::is_placeholder(secret, structured) {
        return Verdict::Filler;
    }
    if let Some(min) = rule.spec.min_entropy {
        if entropy::shannon(secret) < min {
            return Verdict::Filler;
        }
    }
    let valid = match rule.spec.validator {
        None => true,
        Some(Validator::Generic) => {
            generic::is_secret(name.unwrap_or(b""), secret, around.0, around.1)
        }
        Some(Validator::KubernetesData) => validate::kubernetes_data(name.unwrap_or(b""), secret),
        Some(v) => validate::check(v, secret),
    };
    if valid {
        Verdict::Secret
    } else {
        Verdict::Invalid
    }
}
