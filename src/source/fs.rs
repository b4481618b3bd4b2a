//! Files on disk. Walks each root in parallel with the `ignore` crate (honouring `.gitignore`,
//! `.ignore` and global git excludes unless told not to; hidden files included; never entering
//! `.git/`; never following symlinks), opens only regular files, skips oversized ones by their
//! size before reading, and hands each file's bytes to the sink from a per-thread buffer.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use ignore::{WalkBuilder, WalkState};

use super::{deliver, Origin, Sink, SkipReason};

/// How to walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Scan files that ignore files would skip.
    pub no_ignore: bool,
    /// Files larger than this are skipped unread.
    pub max_file_size: u64,
    /// Worker threads (0: one per core).
    pub threads: usize,
}

/// A root that cannot be scanned at all.
#[derive(Debug)]
pub struct RootError {
    pub path: PathBuf,
    pub error: io::Error,
}

impl std::fmt::Display for RootError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot scan {}: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for RootError {}

/// Scans every root: directories are walked, files are read directly.
pub fn scan(roots: &[PathBuf], opts: &WalkOptions, sink: &dyn Sink) -> Result<(), RootError> {
    // Check every root before scanning any, so a typo fails fast.
    let mut kinds = Vec::with_capacity(roots.len());
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|error| RootError {
            path: root.clone(),
            error,
        })?;
        kinds.push(meta.is_dir());
    }
    let prefix_roots = roots.len() > 1;
    for (root, is_dir) in roots.iter().zip(kinds) {
        if is_dir {
            walk(root, prefix_roots, opts, sink);
        } else {
            let display = slash_path(root);
            let mut buf = Vec::new();
            read_and_deliver(root, display, opts.max_file_size, &mut buf, sink);
        }
    }
    Ok(())
}

fn walk(root: &Path, prefix_root: bool, opts: &WalkOptions, sink: &dyn Sink) {
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git");
    if opts.no_ignore {
        builder.standard_filters(false).hidden(false);
    }
    let root_display = slash_path(root);
    builder.build_parallel().run(|| {
        let mut buf = Vec::new();
        let root_display = root_display.as_str();
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = error_path(&err).unwrap_or_else(|| root_display.to_string());
                    sink.skipped(&path, SkipReason::Unreadable, Some(err.to_string()));
                    return WalkState::Continue;
                }
            };
            let Some(ft) = entry.file_type() else {
                return WalkState::Continue;
            };
            if ft.is_dir() {
                return WalkState::Continue;
            }
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let display = if prefix_root || rel.as_os_str().is_empty() {
                slash_path(entry.path())
            } else {
                slash_path(rel)
            };
            if ft.is_symlink() {
                sink.skipped(&display, SkipReason::Symlink, None);
            } else if !ft.is_file() {
                sink.skipped(&display, SkipReason::Special, None);
            } else {
                read_and_deliver(entry.path(), display, opts.max_file_size, &mut buf, sink);
            }
            WalkState::Continue
        })
    });
}

fn error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(slash_path(path)),
        ignore::Error::WithDepth { err, .. } => error_path(err),
        ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(slash_path(child)),
        _ => None,
    }
}

/// Opens `path` only if it is a regular file within the size limit, and reads it into `buf`.
fn read_and_deliver(path: &Path, display: String, max: u64, buf: &mut Vec<u8>, sink: &dyn Sink) {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return sink.skipped(&display, SkipReason::Unreadable, Some(e.to_string())),
    };
    let meta = match file.metadata() {
        Ok(m) => m,
        Err(e) => return sink.skipped(&display, SkipReason::Unreadable, Some(e.to_string())),
    };
    if !meta.is_file() {
        return sink.skipped(&display, SkipReason::Special, None);
    }
    if meta.len() > max {
        return sink.skipped(
            &display,
            SkipReason::TooLarge,
            Some(format!("{} bytes", meta.len())),
        );
    }
    buf.clear();
    // `take` guards against a file that grows while we read it.
    if let Err(e) = file.take(max + 1).read_to_end(buf) {
        return sink.skipped(&display, SkipReason::Unreadable, Some(e.to_string()));
    }
    if buf.len() as u64 > max {
        return sink.skipped(&display, SkipReason::TooLarge, None);
    }
    deliver(sink, buf, Origin { path: display });
    // Do not keep a huge buffer alive for the rest of the walk.
    if buf.capacity() > 4 << 20 {
        *buf = Vec::new();
    }
}

/// A path as text with `/` separators, without a leading `./`.
pub fn slash_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    }
}
