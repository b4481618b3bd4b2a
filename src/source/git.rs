//! Git repositories (git2, vendored libgit2). Three ways in:
//! - `history`: every commit reachable from any ref (branches, tags, remotes, HEAD, the stash
//!   and its reflog), oldest first; every tree is read once and every unique blob is listed
//!   once, with the first path and the first commit it was seen in (its introduction). With
//!   `all_objects`, blobs in the object database that no ref reaches are listed too.
//! - `range`: the commits in `A..B`, each diffed against its parent, giving the new blob of
//!   every changed file with the line numbers the commit added.
//! - `staged`: the index diffed against HEAD (or the empty tree before the first commit).
//!
//! This module only enumerates and reads blobs (`read_blobs` does so in parallel, one
//! `Repository` per worker); scanning and provenance belong to the caller.

use std::collections::HashSet;
use std::path::Path;
use std::sync::mpsc::Receiver;
use std::sync::Mutex;

use git2::{Delta, DiffOptions, ObjectType, Oid, Repository, Sort, Tree};

use super::{prepare, Prepared, SkipReason};

/// An error opening or walking a repository, with what was being done.
#[derive(Debug)]
pub struct GitError(pub String);

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GitError {}

fn err(what: impl std::fmt::Display, e: git2::Error) -> GitError {
    GitError(format!("{what}: {}", e.message()))
}

/// Opens the repository at or above `path` (work tree or bare).
pub fn open(path: &Path) -> Result<Repository, GitError> {
    // libgit2 re-hashes every object it reads (SHA-1 with collision detection) to check it
    // against its id: over a third of the time of a history scan. A scanner only reads;
    // corrupt objects still fail to inflate and are reported as unreadable.
    git2::opts::strict_hash_verification(false);
    Repository::discover(path)
        .map_err(|e| err(format!("not a git repository: {}", path.display()), e))
}

/// Object ids are SHA-1 (or SHA-256) digests: already uniformly distributed, so hashing them
/// again with SipHash is wasted work. Their first eight bytes are the hash.
#[derive(Default, Clone, Copy)]
pub struct OidHasher(u64);

impl std::hash::Hasher for OidHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // `Oid` hashes its raw bytes (after a length prefix, written with `write_usize`).
        let mut b = [0u8; 8];
        let n = bytes.len().min(8);
        b[..n].copy_from_slice(&bytes[..n]);
        self.0 ^= u64::from_le_bytes(b);
    }
    fn write_usize(&mut self, _: usize) {}
}

/// A set of object ids.
pub type OidSet = HashSet<Oid, std::hash::BuildHasherDefault<OidHasher>>;

/// One blob to scan and where it was first seen.
#[derive(Debug, Clone)]
pub struct BlobRef {
    pub id: Oid,
    /// Slash-separated path in the tree (empty for blobs no ref reaches).
    pub path: String,
    /// Index into `History::commits` of the commit that introduced it (`None`: unreachable).
    pub commit: Option<u32>,
    /// For patch scans: the 1-based line numbers this change added, sorted. `None`: all lines.
    pub added_lines: Option<Vec<u32>>,
}

/// What `history`, `range` and `staged` enumerate.
#[derive(Debug, Default)]
pub struct Enumeration {
    /// Commits, oldest first (reverse topological order, deterministic for a given repo).
    pub commits: Vec<Oid>,
    pub blobs: Vec<BlobRef>,
    /// Blob ids in the tree of HEAD (or the range's tip), to tell "still present" from
    /// "only in history".
    pub tip_blobs: OidSet,
    /// The commit HEAD (or the range's tip) points at, if any.
    pub tip: Option<Oid>,
    /// The branch HEAD points at, if any (`refs/heads/main`).
    pub branch: Option<String>,
}

/// Lists every unique blob reachable from any ref, with its introduction.
/// `found(index, blob)` is called as each new blob is listed, so that reading and scanning
/// can start while the walk goes on.
pub fn history(
    repo: &Repository,
    all_objects: bool,
    found: &mut dyn FnMut(usize, &BlobRef),
) -> Result<Enumeration, GitError> {
    let mut walk = repo.revwalk().map_err(|e| err("cannot walk commits", e))?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .map_err(|e| err("cannot walk commits", e))?;
    let mut roots = Vec::new();
    let refs = repo
        .references()
        .map_err(|e| err("cannot list references", e))?;
    for r in refs.flatten() {
        if let Ok(c) = r.peel_to_commit() {
            roots.push(c.id());
        }
    }
    if let Ok(c) = repo.head().and_then(|h| h.peel_to_commit()) {
        roots.push(c.id());
    }
    // Older stashes live only in the stash's reflog.
    if let Ok(log) = repo.reflog("refs/stash") {
        roots.extend(log.iter().map(|e| e.id_new()));
    }
    roots.sort();
    roots.dedup();
    for id in &roots {
        // A ref to a commit that is missing (corrupt or shallow repository) is skipped.
        let _ = walk.push(*id);
    }
    let mut e = Enumeration::default();
    let mut seen_trees = OidSet::default();
    let mut seen_blobs = OidSet::default();
    for id in walk {
        let id = id.map_err(|e| err("cannot walk commits", e))?;
        let Ok(commit) = repo.find_commit(id) else {
            continue;
        };
        let index = e.commits.len() as u32;
        e.commits.push(id);
        let Ok(tree) = commit.tree() else { continue };
        // Everything in the first parent's tree was listed when the parent was walked (parents
        // come first): only entries that differ from it need a look.
        let parent = commit.parent(0).ok().and_then(|p| p.tree().ok());
        walk_changes(repo, tree, parent, &mut seen_trees, &mut |blob, path| {
            if seen_blobs.insert(blob) {
                e.blobs.push(BlobRef {
                    id: blob,
                    path: path(),
                    commit: Some(index),
                    added_lines: None,
                });
                found(e.blobs.len() - 1, &e.blobs[e.blobs.len() - 1]);
            }
        });
    }
    // Blobs reachable only from a tag (`git tag v1 <blob>`).
    if let Ok(refs) = repo.references() {
        for r in refs.flatten() {
            if let Ok(obj) = r.peel(ObjectType::Blob) {
                if seen_blobs.insert(obj.id()) {
                    e.blobs.push(BlobRef {
                        id: obj.id(),
                        path: String::new(),
                        commit: None,
                        added_lines: None,
                    });
                    found(e.blobs.len() - 1, &e.blobs[e.blobs.len() - 1]);
                }
            }
        }
    }
    if all_objects {
        let odb = repo
            .odb()
            .map_err(|e| err("cannot open the object database", e))?;
        let mut extra = Vec::new();
        odb.foreach(|oid| {
            if !seen_blobs.contains(oid) {
                if let Ok((_, ObjectType::Blob)) = odb.read_header(*oid) {
                    extra.push(*oid);
                }
            }
            true
        })
        .map_err(|e| err("cannot list the object database", e))?;
        // Packs and loose objects can both hold an object; sort for a stable order.
        extra.sort();
        extra.dedup();
        for id in extra {
            e.blobs.push(BlobRef {
                id,
                path: String::new(),
                commit: None,
                added_lines: None,
            });
            found(e.blobs.len() - 1, &e.blobs[e.blobs.len() - 1]);
        }
    }
    set_tip(repo, &mut e, None)?;
    Ok(e)
}

/// Records the tip commit (HEAD, or `tip`) and the blobs of its tree.
fn set_tip(repo: &Repository, e: &mut Enumeration, tip: Option<Oid>) -> Result<(), GitError> {
    let commit = match tip {
        Some(id) => repo.find_commit(id).ok(),
        None => repo.head().and_then(|h| h.peel_to_commit()).ok(),
    };
    if tip.is_none() {
        e.branch = repo
            .head()
            .ok()
            .filter(|h| h.is_branch())
            .and_then(|h| h.name().ok().map(str::to_string));
    }
    if let Some(c) = commit {
        e.tip = Some(c.id());
        if let Ok(tree) = c.tree() {
            let mut seen = OidSet::default();
            let blobs = &mut e.tip_blobs;
            walk_tree(repo, &tree, &mut seen, &mut |b, _| {
                blobs.insert(b);
            });
        }
    }
    Ok(())
}

/// `walk_tree`, skipping the entries of `tree` that are identical (same name, same id) in
/// `old`, the same directory in an already-walked commit, by comparing the two sorted entry
/// lists side by side; changed subtrees are compared with their old versions in turn.
fn walk_changes<'r>(
    repo: &'r Repository,
    tree: Tree<'r>,
    old: Option<Tree<'r>>,
    seen: &mut OidSet,
    f: &mut dyn FnMut(Oid, &dyn Fn() -> String),
) {
    if !seen.insert(tree.id()) {
        return;
    }
    let join = |prefix: &str, name: &[u8]| {
        let name = String::from_utf8_lossy(name);
        if prefix.is_empty() {
            name.into_owned()
        } else {
            format!("{prefix}/{name}")
        }
    };
    let mut stack: Vec<(Tree<'r>, Option<Tree<'r>>, String)> = vec![(tree, old, String::new())];
    while let Some((tree, old, prefix)) = stack.pop() {
        let mut old_entries = old.as_ref().map(|o| o.iter().peekable());
        for entry in tree.iter() {
            let is_tree = entry.kind() == Some(ObjectType::Tree);
            // Advance the old cursor to the first entry not ordered before this one.
            let mut same_name_old: Option<(Oid, bool)> = None;
            if let Some(olds) = old_entries.as_mut() {
                while let Some(o) = olds.peek() {
                    let o_tree = o.kind() == Some(ObjectType::Tree);
                    match git_order(o.name_bytes(), o_tree, entry.name_bytes(), is_tree) {
                        std::cmp::Ordering::Less => {
                            olds.next();
                        }
                        std::cmp::Ordering::Equal => {
                            same_name_old = Some((o.id(), o_tree));
                            olds.next();
                            break;
                        }
                        std::cmp::Ordering::Greater => break,
                    }
                }
            }
            if same_name_old.is_some_and(|(id, _)| id == entry.id()) {
                continue;
            }
            match entry.kind() {
                Some(ObjectType::Blob) => f(entry.id(), &|| join(&prefix, entry.name_bytes())),
                Some(ObjectType::Tree) if seen.insert(entry.id()) => {
                    if let Ok(sub) = repo.find_tree(entry.id()) {
                        let old_sub = same_name_old
                            .filter(|&(_, t)| t)
                            .and_then(|(id, _)| repo.find_tree(id).ok());
                        stack.push((sub, old_sub, join(&prefix, entry.name_bytes())));
                    }
                }
                _ => {}
            }
        }
    }
}

/// Git's order of tree entries: by name bytes, a tree's name compared as if it ended in `/`.
fn git_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        std::cmp::Ordering::Equal => {}
        o => return o,
    }
    let end = |name: &[u8], tree: bool| name.get(n).copied().unwrap_or(if tree { b'/' } else { 0 });
    end(a, a_tree).cmp(&end(b, b_tree))
}

/// Calls `f(blob, path)` for every blob under `tree`, not entering trees in `seen` (and
/// adding every tree it enters). `path` builds the blob's path only if `f` asks for it: most
/// blobs of a tree were seen in an earlier commit. Submodules (commit entries) are skipped.
fn walk_tree<'r>(
    repo: &'r Repository,
    tree: &Tree<'r>,
    seen: &mut OidSet,
    f: &mut dyn FnMut(Oid, &dyn Fn() -> String),
) {
    walk_changes(repo, tree.clone(), None, seen, f);
}

/// Resolves `A..B` (or a single `A`, meaning `A..HEAD`) to (hidden, tip) commit ids.
pub fn resolve_range(repo: &Repository, spec: &str) -> Result<(Option<Oid>, Oid), GitError> {
    let commit_of = |rev: &str| -> Result<Oid, GitError> {
        repo.revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map(|c| c.id())
            .map_err(|e| err(format!("cannot resolve {rev:?} to a commit"), e))
    };
    // `A...B` (as CI systems often write a PR's range) means the same here: commits reachable
    // from B and not from A, whose added lines are the PR's.
    let (from, to) = match spec.split_once("..") {
        Some((a, b)) => (a, b.strip_prefix('.').unwrap_or(b)),
        None => (spec, ""),
    };
    let to = if to.is_empty() { "HEAD" } else { to };
    let from = if from.is_empty() {
        None
    } else {
        Some(commit_of(from)?)
    };
    Ok((from, commit_of(to)?))
}

/// Lists, for each non-merge commit in `hide..tip` (oldest first), the new blob of each file
/// it added or changed, with the lines it added.
pub fn range(repo: &Repository, hide: Option<Oid>, tip: Oid) -> Result<Enumeration, GitError> {
    let mut walk = repo.revwalk().map_err(|e| err("cannot walk commits", e))?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .map_err(|e| err("cannot walk commits", e))?;
    walk.push(tip).map_err(|e| err("cannot walk commits", e))?;
    if let Some(h) = hide {
        walk.hide(h).map_err(|e| err("cannot walk commits", e))?;
    }
    let mut e = Enumeration::default();
    for id in walk {
        let id = id.map_err(|e| err("cannot walk commits", e))?;
        let commit = repo
            .find_commit(id)
            .map_err(|e| err(format!("cannot read commit {id}"), e))?;
        // A merge's changes are the commits it merges, which are in the range themselves.
        if commit.parent_count() > 1 {
            continue;
        }
        let index = e.commits.len() as u32;
        e.commits.push(id);
        let new_tree = commit
            .tree()
            .map_err(|e| err(format!("cannot read the tree of {id}"), e))?;
        let old_tree = match commit.parent(0) {
            Ok(p) => Some(
                p.tree()
                    .map_err(|e| err(format!("cannot read the tree of {}", p.id()), e))?,
            ),
            Err(_) => None,
        };
        let diff = repo
            .diff_tree_to_tree(
                old_tree.as_ref(),
                Some(&new_tree),
                Some(&mut diff_options()),
            )
            .map_err(|e| err(format!("cannot diff {id}"), e))?;
        added_blobs(&diff, Some(index), &mut e.blobs)?;
    }
    set_tip(repo, &mut e, Some(tip))?;
    Ok(e)
}

/// The blobs staged in the index that differ from HEAD, with the lines they add.
pub fn staged(repo: &Repository) -> Result<Enumeration, GitError> {
    let head_tree = match repo.head() {
        Ok(h) => Some(
            h.peel_to_tree()
                .map_err(|e| err("cannot read the tree of HEAD", e))?,
        ),
        // No commit yet: everything staged is new.
        Err(_) => None,
    };
    let index = repo.index().map_err(|e| err("cannot read the index", e))?;
    let diff = repo
        .diff_tree_to_index(head_tree.as_ref(), Some(&index), Some(&mut diff_options()))
        .map_err(|e| err("cannot diff the index against HEAD", e))?;
    let mut e = Enumeration::default();
    added_blobs(&diff, None, &mut e.blobs)?;
    Ok(e)
}

fn diff_options() -> DiffOptions {
    let mut o = DiffOptions::new();
    o.context_lines(0)
        .ignore_submodules(true)
        .include_typechange(true);
    o
}

/// Appends, for every added or modified file in `diff`, its new blob and the line numbers
/// the change added (files whose change only deletes lines, and binary files, add nothing).
fn added_blobs(
    diff: &git2::Diff<'_>,
    commit: Option<u32>,
    out: &mut Vec<BlobRef>,
) -> Result<(), GitError> {
    for i in 0..diff.deltas().len() {
        let Some(d) = diff.get_delta(i) else { continue };
        if !matches!(
            d.status(),
            Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange
        ) {
            continue;
        }
        let file = d.new_file();
        if file.id().is_zero() || file.mode() == git2::FileMode::Commit {
            continue;
        }
        let path = file
            .path_bytes()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .unwrap_or_default();
        let Some(patch) =
            git2::Patch::from_diff(diff, i).map_err(|e| err(format!("cannot diff {path}"), e))?
        else {
            continue;
        };
        let mut lines = Vec::new();
        for h in 0..patch.num_hunks() {
            let n = patch.num_lines_in_hunk(h).unwrap_or(0);
            for l in 0..n {
                if let Ok(line) = patch.line_in_hunk(h, l) {
                    if line.origin() == '+' {
                        if let Some(no) = line.new_lineno() {
                            lines.push(no);
                        }
                    }
                }
            }
        }
        if lines.is_empty() {
            continue;
        }
        lines.sort_unstable();
        lines.dedup();
        out.push(BlobRef {
            id: file.id(),
            path,
            commit,
            added_lines: Some(lines),
        });
    }
    Ok(())
}

/// A blob's bytes as handed to a reader, or why it was skipped.
pub enum BlobContent<'a> {
    Text(&'a [u8]),
    Skipped(SkipReason, Option<String>),
}

/// Reads the blobs arriving on `blobs` on `threads` workers (each with its own `Repository`),
/// calling `f(index, blob, content)` once per blob, in no particular order, until the sender
/// is dropped. Oversized blobs are skipped by their header, before being inflated; binary
/// ones after.
pub fn read_blobs(
    repo_dir: &Path,
    blobs: Receiver<(usize, BlobRef)>,
    max_size: u64,
    threads: usize,
    f: &(dyn Fn(usize, &BlobRef, BlobContent<'_>) + Sync),
) -> Result<(), GitError> {
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    }
    .max(1);
    let blobs = Mutex::new(blobs);
    let open_error: Mutex<Option<GitError>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let repo = match Repository::open(repo_dir) {
                    Ok(r) => r,
                    Err(e) => {
                        *open_error.lock().unwrap() = Some(err("cannot open the repository", e));
                        // Keep draining, so the sender never blocks on a full channel.
                        while blobs.lock().unwrap().recv().is_ok() {}
                        return;
                    }
                };
                let odb = match repo.odb() {
                    Ok(o) => o,
                    Err(e) => {
                        *open_error.lock().unwrap() =
                            Some(err("cannot open the object database", e));
                        while blobs.lock().unwrap().recv().is_ok() {}
                        return;
                    }
                };
                loop {
                    let next = blobs.lock().unwrap().recv();
                    let Ok((i, blob)) = next else { break };
                    let f = |content: BlobContent<'_>| f(i, &blob, content);
                    let id = blob.id;
                    match odb.read_header(id) {
                        Ok((size, _)) if size as u64 > max_size => {
                            f(BlobContent::Skipped(
                                SkipReason::TooLarge,
                                Some(format!("{size} bytes")),
                            ));
                            continue;
                        }
                        Ok(_) => {}
                        Err(e) => {
                            f(BlobContent::Skipped(
                                SkipReason::Unreadable,
                                Some(format!("blob {id}: {}", e.message())),
                            ));
                            continue;
                        }
                    }
                    match repo.find_blob(id) {
                        Ok(blob) => match prepare(blob.content()) {
                            Prepared::Text(t) => f(BlobContent::Text(&t)),
                            Prepared::Binary => f(BlobContent::Skipped(SkipReason::Binary, None)),
                        },
                        Err(e) => f(BlobContent::Skipped(
                            SkipReason::Unreadable,
                            Some(format!("blob {id}: {}", e.message())),
                        )),
                    }
                }
            });
        }
    });
    match open_error.into_inner().unwrap() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
