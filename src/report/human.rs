//! The human format: findings grouped by file, each with rule, severity, the redacted secret,
//! the line and a one-line fix, then a summary. Colour only when the caller says so (a
//! terminal without `NO_COLOR`); everything from scanned files goes through `escape`.

use std::io::{self, Write};

use owo_colors::OwoColorize;

use super::{escape, secret_text, snippet_text, Options, Report};
use crate::rules::Severity;

struct Paint {
    on: bool,
}

impl Paint {
    fn severity(&self, s: Severity) -> String {
        let label = s.as_str().to_ascii_uppercase();
        let label = format!("{label:<8}");
        if !self.on {
            return label;
        }
        match s {
            Severity::Critical => label.red().bold().to_string(),
            Severity::High => label.red().to_string(),
            Severity::Medium => label.yellow().to_string(),
            Severity::Low => label.blue().to_string(),
        }
    }
    fn path(&self, p: &str) -> String {
        if self.on {
            p.bold().underline().to_string()
        } else {
            p.to_string()
        }
    }
    fn dim(&self, p: &str) -> String {
        if self.on {
            p.dimmed().to_string()
        } else {
            p.to_string()
        }
    }
}

/// The first sentence of a remediation text, for a one-line hint.
fn first_sentence(s: &str) -> &str {
    let end = s.find(". ").map(|i| i + 1).unwrap_or(s.len());
    &s[..end]
}

fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// The total of a by-reason count and its breakdown (`3 binary, 1 too large`); `None` at 0.
fn tally(by_reason: &std::collections::BTreeMap<String, u64>) -> Option<(u64, String)> {
    let total: u64 = by_reason.values().sum();
    (total > 0).then(|| {
        let why: Vec<String> = by_reason.iter().map(|(k, v)| format!("{v} {k}")).collect();
        (total, why.join(", "))
    })
}

pub fn write(report: &Report, opts: Options, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint { on: opts.color };
    let mut current: Option<&str> = None;
    for f in &report.findings {
        if current != Some(f.path.as_str()) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", paint.path(&escape(&f.path)))?;
            current = Some(&f.path);
        }
        writeln!(
            out,
            "  {:>9}  {}  {} {}",
            format!("{}:{}", f.line, f.column),
            paint.severity(f.severity),
            f.rule_name,
            paint.dim(&format!("[{}]", f.rule_id)),
        )?;
        match (&f.env, f.kind) {
            (Some(env), crate::findings::FindingKind::EnvMissingExample)
            | (Some(env), crate::findings::FindingKind::EnvFileCommitted) => {
                writeln!(out, "      env     {}", escape(&f.message))?;
                if env.references.len() > 1 {
                    let shown: Vec<&str> =
                        env.references.iter().take(5).map(String::as_str).collect();
                    let more = env.references.len().saturating_sub(5);
                    writeln!(
                        out,
                        "      refs    {}{}",
                        escape(&shown.join(", ")),
                        if more > 0 {
                            format!(" (+{more} more)")
                        } else {
                            String::new()
                        }
                    )?;
                }
            }
            _ => {
                if let Some(why) = &f.exposure {
                    writeln!(out, "      ships   {}", escape(why))?;
                }
                writeln!(out, "      secret  {}", escape(&secret_text(f, opts)))?;
                writeln!(
                    out,
                    "      line    {}",
                    escape(snippet_text(f, opts.show_secrets).trim())
                )?;
            }
        }
        if let Some(g) = &f.git {
            if !g.commit.is_empty() {
                writeln!(
                    out,
                    "      commit  {} {} {} <{}>  {}",
                    &g.commit[..g.commit.len().min(12)],
                    g.date.get(..10).unwrap_or(&g.date),
                    escape(&g.author_name),
                    escape(&g.author_email),
                    escape(&g.summary),
                )?;
            } else {
                writeln!(out, "      blob    {} (no ref reaches it)", g.blob)?;
            }
            let n = g.occurrences.len();
            let mut status = if g.present_at_head {
                "still present at HEAD: remove it and rotate".to_string()
            } else {
                "only in history: rotate it, and consider rewriting history".to_string()
            };
            if n > 1 {
                let short = |c: &str| c[..c.len().min(12)].to_string();
                status.push_str(&format!(
                    " ({n} occurrences, first {}, last {})",
                    short(&g.occurrences[0].commit),
                    short(&g.occurrences[n - 1].commit)
                ));
            }
            writeln!(out, "      status  {}", paint.dim(&status))?;
        }
        if let Some(rule) = report.rules.get(&f.rule_id) {
            writeln!(out, "      fix     {}", first_sentence(&rule.remediation))?;
        }
    }
    if !report.findings.is_empty() {
        writeln!(out)?;
    }
    let s = &report.stats;
    let files_with: std::collections::BTreeSet<&str> =
        report.findings.iter().map(|f| f.path.as_str()).collect();
    if s.findings == 0 {
        writeln!(out, "No secrets found.")?;
    } else {
        let by: Vec<String> = Severity::ALL
            .iter()
            .filter_map(|sev| {
                s.findings_by_severity
                    .get(sev.as_str())
                    .map(|n| format!("{n} {}", sev.as_str()))
            })
            .collect();
        writeln!(
            out,
            "{} finding{} ({}) in {} file{}.",
            s.findings,
            if s.findings == 1 { "" } else { "s" },
            by.join(", "),
            files_with.len(),
            if files_with.len() == 1 { "" } else { "s" },
        )?;
    }
    let mut line = format!(
        "Scanned {} file{} ({}) with {} rules in {:.2} s",
        s.files_scanned,
        if s.files_scanned == 1 { "" } else { "s" },
        human_bytes(s.bytes_scanned),
        s.rules,
        s.elapsed_ms as f64 / 1000.0,
    );
    if let Some((n, why)) = tally(&s.files_skipped) {
        line.push_str(&format!("; skipped {n} ({why})"));
    }
    if let Some((n, why)) = tally(&s.suppressed) {
        let plural = if n == 1 { "" } else { "s" };
        line.push_str(&format!("; suppressed {n} finding{plural} ({why})"));
    }
    line.push('.');
    writeln!(out, "{}", paint.dim(&line))?;
    if !opts.show_secrets && s.findings > 0 {
        writeln!(
            out,
            "{}",
            paint.dim("Secrets are redacted; pass --show-secrets to print them.")
        )?;
    }
    Ok(())
}
