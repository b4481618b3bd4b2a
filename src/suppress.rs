//! Findings a team has decided not to see again: the ignore file (`.keyhoundignore`: one
//! fingerprint per line, optionally scoped to a path) and baselines (`--baseline-write FILE`
//! records the current findings' fingerprints and locations, never secrets; `--baseline FILE`
//! then reports only findings not in it). Fingerprints hash the rule and the secret, not the
//! line, so moving code around does not bring old findings back. Inline allow markers are
//! handled earlier, where the line is at hand (`findings::drop_inline_allowed`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::findings::Finding;
use crate::report::Report;

/// The default ignore file, looked for at the scan root.
pub const IGNORE_FILE: &str = ".keyhoundignore";

/// One line of an ignore file.
#[derive(Debug, Clone)]
pub struct IgnoreEntry {
    pub fingerprint: String,
    /// Only findings in this path (`*` matches any run of characters, `/` included).
    pub path: Option<String>,
    /// Where the entry is, for `--report-unused-ignores`.
    pub line: usize,
}

/// Parses an ignore file: `FINGERPRINT [PATH]` per line, `#` starts a comment.
pub fn parse_ignore(file: &str, text: &str) -> Result<Vec<IgnoreEntry>> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let fp = parts.next().unwrap_or("");
        if fp.len() != 32 || !fp.bytes().all(|b| b.is_ascii_hexdigit()) {
            bail!(
                "{file}:{}:1: expected a 32-character hexadecimal fingerprint (from a report's \
                 `fingerprint` field), found {fp:?}",
                i + 1
            );
        }
        let path = parts.next().map(str::to_string);
        if let Some(extra) = parts.next() {
            bail!("{file}:{}: unexpected {extra:?} after the path", i + 1);
        }
        out.push(IgnoreEntry {
            fingerprint: fp.to_ascii_lowercase(),
            path,
            line: i + 1,
        });
    }
    Ok(out)
}

/// `*` wildcard match over whole paths.
fn glob(pattern: &str, path: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == path;
    }
    let mut rest = path;
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(p) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(p);
        } else if let Some(at) = rest.find(p) {
            rest = &rest[at + p.len()..];
        } else {
            return false;
        }
    }
    true
}

/// A baseline file.
#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

/// A recorded finding: never the secret itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule_id: String,
    pub kind: String,
    pub path: String,
    pub line: usize,
}

/// Writes the report's findings as a baseline.
pub fn write_baseline(path: &Path, findings: &[Finding]) -> Result<()> {
    let b = Baseline {
        version: 1,
        findings: findings
            .iter()
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                rule_id: f.rule_id.clone(),
                kind: f.kind.as_str().to_string(),
                path: f.path.clone(),
                line: f.line,
            })
            .collect(),
    };
    let text = serde_json::to_string_pretty(&b)? + "\n";
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Reads a baseline written by `write_baseline`.
pub fn read_baseline(path: &Path) -> Result<Baseline> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the baseline {}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: not a keyhound baseline: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

/// What to suppress in a report.
#[derive(Debug, Default)]
pub struct Suppressions {
    pub ignore_file: Option<(String, Vec<IgnoreEntry>)>,
    pub baseline: Option<BTreeSet<String>>,
    pub report_unused: bool,
}

impl Suppressions {
    /// Removes suppressed findings from `report`, counting them in `stats.suppressed` and
    /// recomputing the finding counts; warns about unused ignore entries if asked.
    pub fn apply(&self, report: &mut Report) {
        let mut used: BTreeSet<usize> = BTreeSet::new();
        let mut by_file = 0u64;
        let mut by_baseline = 0u64;
        report.findings.retain(|f| {
            if let Some((_, entries)) = &self.ignore_file {
                if let Some(e) = entries.iter().find(|e| {
                    e.fingerprint == f.fingerprint
                        && e.path.as_deref().is_none_or(|p| glob(p, &f.path))
                }) {
                    used.insert(e.line);
                    by_file += 1;
                    return false;
                }
            }
            if self
                .baseline
                .as_ref()
                .is_some_and(|b| b.contains(&f.fingerprint))
            {
                by_baseline += 1;
                return false;
            }
            true
        });
        if by_file > 0 {
            report
                .stats
                .suppressed
                .insert("ignore-file".to_string(), by_file);
        }
        if by_baseline > 0 {
            report
                .stats
                .suppressed
                .insert("baseline".to_string(), by_baseline);
        }
        if self.report_unused {
            if let Some((file, entries)) = &self.ignore_file {
                for e in entries.iter().filter(|e| !used.contains(&e.line)) {
                    report.warnings.push(format!(
                        "{file}:{}: unused ignore entry {}{} (it matched no finding; remove it \
                         so it cannot hide a future leak)",
                        e.line,
                        e.fingerprint,
                        e.path
                            .as_deref()
                            .map(|p| format!(" {p}"))
                            .unwrap_or_default()
                    ));
                }
            }
        }
        report.stats.findings = report.findings.len();
        let mut by_severity: BTreeMap<String, usize> = BTreeMap::new();
        for f in &report.findings {
            *by_severity
                .entry(f.severity.as_str().to_string())
                .or_insert(0) += 1;
        }
        report.stats.findings_by_severity = by_severity;
        report
            .rules
            .retain(|id, _| report.findings.iter().any(|f| &f.rule_id == id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_lines_and_globs() {
        let e = parse_ignore(
            "x",
            "# comment\n0123456789abcdef0123456789abcdef\n\nFEDCBA9876543210fedcba9876543210 src/*.py # why\n",
        )
        .unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].path.as_deref(), Some("src/*.py"));
        assert_eq!(e[1].fingerprint, "fedcba9876543210fedcba9876543210");
        assert!(parse_ignore("x", "nothex\n")
            .unwrap_err()
            .to_string()
            .contains("x:1:1"));
        assert!(glob("src/*.py", "src/a/b.py"));
        assert!(!glob("src/*.py", "lib/a.py"));
        assert!(glob("a.py", "a.py"));
    }
}
