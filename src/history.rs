//! Git scans end to end: enumerate blobs (`source::git`), scan each unique blob once, in
//! parallel, with the same engine as files; for patch scans (`--range`, `staged`) keep only
//! findings on added lines; then attach provenance to the findings, and only to them, so a
//! clean repository never pays for it: the commit that introduced the secret (author, date,
//! summary), every occurrence, and whether it is still in the tree at HEAD. The same secret
//! (same fingerprint) in many blobs is one finding.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Context, Result};
use git2::{Oid, Repository};

use crate::app::{build_report, Tally};
use crate::config::Settings;
use crate::engine::Engine;
use crate::findings::{Finding, GitInfo, Occurrence};
use crate::report::{Report, Vcs};
use crate::source::git::{self, BlobContent, BlobRef, Enumeration};

/// What part of a repository to scan.
#[derive(Debug, Clone)]
pub enum What {
    /// Every blob reachable from any ref (and, with `all_objects`, every blob in the object
    /// database).
    All { all_objects: bool },
    /// Lines added by the commits in `A..B`.
    Range(String),
    /// Lines added in the index relative to HEAD.
    Staged,
}

/// Scans the repository at `repo_path` and builds the report.
pub fn scan(repo_path: &Path, what: What, settings: &Settings, engine: &Engine) -> Result<Report> {
    let started = Instant::now();
    let repo = git::open(repo_path)?;
    let tally = Tally::new();
    let per_blob: Mutex<Vec<(usize, Vec<Finding>)>> = Mutex::new(Vec::new());
    let on_blob = |i: usize, blob: &BlobRef, content: BlobContent<'_>| match content {
        BlobContent::Text(bytes) => {
            tally.scanned(bytes.len());
            let found = scan_blob(engine, blob, bytes, &tally);
            if !found.is_empty() {
                per_blob.lock().unwrap().push((i, found));
            }
        }
        BlobContent::Skipped(reason, detail) => tally.skipped(&label(blob), reason, detail),
    };
    // Workers read and scan blobs while the walk is still listing them.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, BlobRef)>(1024);
    let repo_dir = repo.path().to_path_buf();
    let mut enumerate_ms = 0;
    let (en, read) = std::thread::scope(|s| {
        let workers = s.spawn(|| {
            git::read_blobs(
                &repo_dir,
                rx,
                settings.max_file_size,
                settings.threads,
                &on_blob,
            )
        });
        let send_all = |en: Enumeration| {
            for (i, b) in en.blobs.iter().enumerate() {
                let _ = tx.send((i, b.clone()));
            }
            en
        };
        let en = match &what {
            What::All { all_objects } => git::history(&repo, *all_objects, &mut |i, b| {
                let _ = tx.send((i, b.clone()));
            }),
            What::Range(spec) => git::resolve_range(&repo, spec)
                .and_then(|(hide, tip)| git::range(&repo, hide, tip))
                .map(send_all),
            What::Staged => git::staged(&repo).map(send_all),
        };
        enumerate_ms = started.elapsed().as_millis() as u64;
        drop(tx);
        let read = workers.join().expect("blob reader panicked");
        (en, read)
    });
    let en = en?;
    read.context("cannot read blobs")?;
    let mut per_blob = per_blob.into_inner().unwrap();
    per_blob.sort_by_key(|(i, _)| *i);
    let found = match what {
        What::Staged => per_blob.into_iter().flat_map(|(_, f)| f).collect(),
        _ => attach_provenance(&repo, &en, per_blob),
    };
    // No walk here: client exposure is judged by path and variable prefix alone.
    let mut found = found;
    crate::exposure::reclassify(&mut found, engine.rules(), &Default::default());
    let mut report = build_report(engine, found, tally, started);
    if !matches!(what, What::Staged) {
        report.stats.commits_scanned = Some(en.commits.len() as u64);
    }
    report.stats.enumerate_ms = Some(enumerate_ms);
    report.vcs = Some(vcs(&repo, &en));
    Ok(report)
}

/// How a blob is named in findings: its path, or its id when no ref reaches it.
fn label(blob: &BlobRef) -> String {
    if blob.path.is_empty() {
        format!("blob:{}", blob.id)
    } else {
        blob.path.clone()
    }
}

/// Findings in one blob; for patch scans, only those touching an added line.
fn scan_blob(engine: &Engine, blob: &BlobRef, bytes: &[u8], tally: &Tally) -> Vec<Finding> {
    let mut found = tally.findings_in(engine, bytes, &blob.path, || label(blob));
    if let Some(added) = &blob.added_lines {
        found.retain(|f| {
            let from = added.partition_point(|&l| (l as usize) < f.line);
            added.get(from).is_some_and(|&l| l as usize <= f.end_line)
        });
    }
    found
}

/// Author, date and summary of a commit.
struct CommitMeta {
    name: String,
    email: String,
    date: String,
    summary: String,
}

fn commit_meta(repo: &Repository, id: Oid) -> CommitMeta {
    match repo.find_commit(id) {
        Ok(c) => {
            let a = c.author();
            CommitMeta {
                name: String::from_utf8_lossy(a.name_bytes()).into_owned(),
                email: String::from_utf8_lossy(a.email_bytes()).into_owned(),
                date: rfc3339(a.when().seconds(), a.when().offset_minutes()),
                summary: c
                    .summary_bytes()
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .unwrap_or_default(),
            }
        }
        Err(_) => CommitMeta {
            name: String::new(),
            email: String::new(),
            date: String::new(),
            summary: String::new(),
        },
    }
}

/// Groups findings by fingerprint; each group becomes one finding at its oldest occurrence,
/// with the introducing commit's metadata and the list of occurrences.
fn attach_provenance(
    repo: &Repository,
    en: &Enumeration,
    per_blob: Vec<(usize, Vec<Finding>)>,
) -> Vec<Finding> {
    let mut groups: BTreeMap<String, Vec<(usize, Finding)>> = BTreeMap::new();
    for (i, found) in per_blob {
        for f in found {
            groups
                .entry(f.fingerprint.clone())
                .or_default()
                .push((i, f));
        }
    }
    let mut metas: HashMap<u32, CommitMeta> = HashMap::new();
    let mut out = Vec::with_capacity(groups.len());
    for (_, mut items) in groups {
        // Oldest introducing commit first; blobs no commit reaches last.
        items.sort_by(|(a, fa), (b, fb)| {
            let ka = en.blobs[*a].commit.unwrap_or(u32::MAX);
            let kb = en.blobs[*b].commit.unwrap_or(u32::MAX);
            (ka, &fa.path, fa.line, fa.column).cmp(&(kb, &fb.path, fb.line, fb.column))
        });
        let commit_id = |i: usize| {
            en.blobs[i]
                .commit
                .map(|c| en.commits[c as usize].to_string())
                .unwrap_or_default()
        };
        let mut occurrences: Vec<Occurrence> = items
            .iter()
            .map(|(i, f)| Occurrence {
                commit: commit_id(*i),
                path: f.path.clone(),
                line: f.line,
            })
            .collect();
        occurrences.dedup();
        let present_at_head = items
            .iter()
            .any(|(i, _)| en.tip_blobs.contains(&en.blobs[*i].id));
        let (first, mut f) = items.swap_remove(0);
        let blob = &en.blobs[first];
        let meta = blob.commit.map(|c| {
            metas
                .entry(c)
                .or_insert_with(|| commit_meta(repo, en.commits[c as usize]))
        });
        let commit = commit_id(first);
        if let Some(m) = &meta {
            f.message = format!(
                "{} in {}, introduced in commit {} by {} on {}{}",
                f.rule_name,
                f.path,
                &commit[..commit.len().min(12)],
                m.name,
                m.date.get(..10).unwrap_or(&m.date),
                if present_at_head {
                    "; still present at HEAD"
                } else {
                    "; only in history"
                }
            );
        } else {
            f.message = format!("{} in {}, a blob that no ref reaches", f.rule_name, f.path);
        }
        f.git = Some(Box::new(GitInfo {
            commit,
            author_name: meta.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
            author_email: meta.as_ref().map(|m| m.email.clone()).unwrap_or_default(),
            date: meta.as_ref().map(|m| m.date.clone()).unwrap_or_default(),
            summary: meta.as_ref().map(|m| m.summary.clone()).unwrap_or_default(),
            blob: blob.id.to_string(),
            present_at_head,
            occurrences,
        }));
        out.push(f);
    }
    out
}

/// The repository's identity for SARIF: `origin`'s URL without credentials, else its path.
fn vcs(repo: &Repository, en: &Enumeration) -> Vcs {
    let remote = repo
        .find_remote("origin")
        .ok()
        .and_then(|r| r.url().ok().map(strip_userinfo));
    let uri = remote.unwrap_or_else(|| {
        let dir = repo.workdir().unwrap_or_else(|| repo.path());
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        format!("file://{}", crate::source::fs::slash_path(&dir))
    });
    Vcs {
        repository_uri: uri,
        revision: en.tip.map(|t| t.to_string()),
        branch: en.branch.clone(),
    }
}

/// `https://user:token@host/x` -> `https://host/x`: a remote URL must not leak a credential.
fn strip_userinfo(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if let Some(at) = authority.rfind('@') {
            return format!("{scheme}://{}{path}", &authority[at + 1..]);
        }
    }
    url.to_string()
}

/// `seconds` since the epoch at a UTC offset of `offset` minutes, as RFC 3339.
pub fn rfc3339(seconds: i64, offset: i32) -> String {
    let local = seconds + i64::from(offset) * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let sign = if offset < 0 { '-' } else { '+' };
    let off = offset.abs();
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        off / 60,
        off % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc3339_in_the_authors_offset() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00+00:00");
        assert_eq!(rfc3339(1_700_000_000, 60), "2023-11-14T23:13:20+01:00");
        assert_eq!(rfc3339(951_782_400, -330), "2000-02-28T18:30:00-05:30");
    }

    #[test]
    fn remote_credentials_are_dropped() {
        assert_eq!(
            strip_userinfo("https://x-access-token:ghp_secret@github.com/o/r.git"),
            "https://github.com/o/r.git"
        );
        assert_eq!(
            strip_userinfo("git@github.com:o/r.git"),
            "git@github.com:o/r.git"
        );
    }
}
