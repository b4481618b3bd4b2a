//! Git history, ranges and staged changes, on repositories built with git2 in temp dirs:
//! provenance, dedup of blobs, every kind of ref, unreachable objects, patch scanning and the
//! git fields of JSON and SARIF.

use std::path::Path;

use git2::{Repository, Signature, Time};
use serde_json::Value;

use crate::common::{keyhound, Rng, ALNUM};

/// A test repository: writes files into the work tree and commits them with git2.
struct TestRepo {
    dir: tempfile::TempDir,
    repo: Repository,
    clock: i64,
}

impl TestRepo {
    fn new() -> TestRepo {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        TestRepo {
            dir,
            repo,
            clock: 1_700_000_000,
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes (path, Some(body)) or deletes (path, None), stages everything.
    fn stage(&self, files: &[(&str, Option<&str>)]) {
        let mut index = self.repo.index().unwrap();
        for (rel, body) in files {
            let p = self.path().join(rel);
            match body {
                Some(b) => {
                    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                    std::fs::write(&p, b).unwrap();
                    index.add_path(Path::new(rel)).unwrap();
                }
                None => {
                    let _ = std::fs::remove_file(&p);
                    index.remove_path(Path::new(rel)).unwrap();
                }
            }
        }
        index.write().unwrap();
    }

    /// Stages `files` and commits them on HEAD as `author`; returns the commit id.
    fn commit(&mut self, files: &[(&str, Option<&str>)], msg: &str, author: &str) -> String {
        self.stage(files);
        let mut index = self.repo.index().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        self.clock += 3600;
        let sig = Signature::new(
            author,
            &format!("{}@example.com", author.to_lowercase().replace(' ', ".")),
            &Time::new(self.clock, 120),
        )
        .unwrap();
        let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
            .unwrap()
            .to_string()
    }
}

/// A fresh, valid-looking AWS key pair line for each seed.
fn aws_secret(seed: u64) -> String {
    let mut r = Rng(seed);
    format!("{}/{}", r.string(ALNUM, 20), r.string(ALNUM, 19))
}

fn history_json(repo: &Path, args: &[&str]) -> (i32, Value) {
    run_json("history", repo, args)
}

fn run_json(cmd: &str, repo: &Path, args: &[&str]) -> (i32, Value) {
    let out = keyhound()
        .arg(cmd)
        .arg(repo)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): stdout={} stderr={}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, v)
}

fn findings(v: &Value) -> &Vec<Value> {
    v["findings"].as_array().unwrap()
}

#[test]
fn a_deleted_secret_is_found_with_the_commit_that_introduced_it() {
    let mut t = TestRepo::new();
    let secret = aws_secret(1);
    t.commit(&[("app.py", Some("x = 1\n"))], "init", "Ann Dev");
    let intro = t.commit(
        &[(
            "app.py",
            Some(&format!("x = 1\nAWS_SECRET_ACCESS_KEY = \"{secret}\"\n")),
        )],
        "add config\n\nlonger body",
        "Bob Ross",
    );
    // Edited around the secret (a new blob holding the same secret), then removed.
    let edit = t.commit(
        &[(
            "app.py",
            Some(&format!("x = 2\nAWS_SECRET_ACCESS_KEY = \"{secret}\"\n")),
        )],
        "tweak",
        "Ann Dev",
    );
    t.commit(&[("app.py", Some("x = 3\n"))], "remove key", "Ann Dev");

    let (code, v) = history_json(t.path(), &[]);
    assert_eq!(code, 1);
    let f = findings(&v);
    assert_eq!(f.len(), 1, "one finding for one secret: {f:#?}");
    let f = &f[0];
    assert_eq!(f["rule_id"], "aws-secret-access-key");
    assert_eq!(f["path"], "app.py");
    assert_eq!(f["line"], 2);
    let g = &f["git"];
    assert_eq!(g["commit"], intro.as_str());
    assert_eq!(g["author"], "Bob Ross");
    assert_eq!(g["email"], "bob.ross@example.com");
    assert_eq!(g["summary"], "add config");
    assert_eq!(g["date"], "2023-11-15T02:13:20+02:00");
    assert_eq!(g["present_at_head"], false);
    assert_eq!(g["status"], "history-only");
    assert_eq!(g["occurrences"]["count"], 2);
    assert_eq!(g["occurrences"]["first_commit"], intro.as_str());
    assert_eq!(g["occurrences"]["last_commit"], edit.as_str());
    // Redacted by default, like every other format.
    assert!(!v.to_string().contains(&secret));
    assert_eq!(v["stats"]["commits_scanned"], 4);
}

#[test]
fn a_secret_still_at_head_says_so_and_each_blob_is_scanned_once() {
    let mut t = TestRepo::new();
    let secret = aws_secret(2);
    let body = format!("AWS_SECRET_ACCESS_KEY = \"{secret}\"\n");
    t.commit(&[("a/conf.py", Some(&body))], "one", "Ann Dev");
    // The same content at another path and in later commits: one blob.
    t.commit(&[("b/conf.py", Some(&body))], "two", "Ann Dev");
    t.commit(&[("c.txt", Some("hello\n"))], "three", "Ann Dev");
    let (code, v) = history_json(t.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(v["stats"]["files_scanned"], 2, "2 unique blobs: {v:#}");
    let f = findings(&v);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["path"], "a/conf.py");
    assert_eq!(f[0]["git"]["present_at_head"], true);
    assert_eq!(f[0]["git"]["status"], "present-at-head");
}

#[test]
fn every_ref_is_scanned_branches_tags_and_stash() {
    let mut t = TestRepo::new();
    let main = t.commit(&[("README", Some("hi\n"))], "init", "Ann Dev");
    // A branch that HEAD never points at.
    let s1 = aws_secret(3);
    let c = t.commit(
        &[(
            "feature.py",
            Some(&format!("AWS_SECRET_ACCESS_KEY = \"{s1}\"\n")),
        )],
        "feature",
        "Ann Dev",
    );
    {
        let commit = t
            .repo
            .find_commit(git2::Oid::from_str(&c).unwrap())
            .unwrap();
        t.repo.branch("feature", &commit, false).unwrap();
    }
    // A tag on another side commit.
    t.repo
        .set_head_detached(git2::Oid::from_str(&main).unwrap())
        .unwrap();
    t.repo
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
    let s2 = aws_secret(4);
    let tagged = t.commit(
        &[(
            "tagged.py",
            Some(&format!("AWS_SECRET_ACCESS_KEY = \"{s2}\"\n")),
        )],
        "tagged",
        "Ann Dev",
    );
    let sig = Signature::now("T", "t@example.com").unwrap();
    {
        let obj = t.repo.revparse_single(&tagged).unwrap();
        t.repo.tag("v1", &obj, &sig, "release", false).unwrap();
    }
    // Back to main (as a branch), then stash an uncommitted secret.
    t.repo
        .reference(
            "refs/heads/main",
            git2::Oid::from_str(&main).unwrap(),
            true,
            "",
        )
        .unwrap();
    t.repo.set_head("refs/heads/main").unwrap();
    t.repo
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();
    let s3 = aws_secret(5);
    std::fs::write(
        t.path().join("README"),
        format!("hi\nAWS_SECRET_ACCESS_KEY = \"{s3}\"\n"),
    )
    .unwrap();
    t.repo
        .stash_save(&sig, "wip", Some(git2::StashFlags::DEFAULT))
        .unwrap();

    let (code, v) = history_json(t.path(), &["--show-secrets"]);
    assert_eq!(code, 1);
    let secrets: Vec<&str> = findings(&v)
        .iter()
        .map(|f| f["secret"].as_str().unwrap())
        .collect();
    for s in [&s1, &s2, &s3] {
        assert!(
            secrets.contains(&s.as_str()),
            "{s} missing from {secrets:?}"
        );
    }
}

#[test]
fn all_objects_adds_blobs_no_ref_reaches() {
    let mut t = TestRepo::new();
    t.commit(&[("README", Some("hi\n"))], "init", "Ann Dev");
    let secret = aws_secret(6);
    t.repo
        .blob(format!("AWS_SECRET_ACCESS_KEY = \"{secret}\"\n").as_bytes())
        .unwrap();
    let (code, v) = history_json(t.path(), &[]);
    assert_eq!((code, findings(&v).len()), (0, 0));
    let (code, v) = history_json(t.path(), &["--all-objects"]);
    assert_eq!(code, 1);
    let f = findings(&v);
    assert_eq!(f.len(), 1);
    assert!(f[0]["path"].as_str().unwrap().starts_with("blob:"));
    assert_eq!(f[0]["git"]["commit"], "");
}

#[test]
fn a_range_reports_only_lines_its_commits_added() {
    let mut t = TestRepo::new();
    let old = aws_secret(7);
    let base = t.commit(
        &[(
            "conf.py",
            Some(&format!("AWS_SECRET_ACCESS_KEY = \"{old}\"\nx = 1\n")),
        )],
        "old secret",
        "Ann Dev",
    );
    // The PR: edits the file around the old secret, then adds a new one elsewhere.
    t.commit(
        &[(
            "conf.py",
            Some(&format!("AWS_SECRET_ACCESS_KEY = \"{old}\"\nx = 2\n")),
        )],
        "edit",
        "Cy Pr",
    );
    let new = aws_secret(8);
    let adds = t.commit(
        &[(
            "svc/new.py",
            Some(&format!("import os\nAWS_SECRET_ACCESS_KEY = \"{new}\"\n")),
        )],
        "add service",
        "Cy Pr",
    );
    for args in [
        vec!["--range".to_string(), format!("{base}..HEAD")],
        vec!["--since-commit".to_string(), base.clone()],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut all = args.clone();
        all.push("--show-secrets");
        let (code, v) = history_json(t.path(), &all);
        assert_eq!(code, 1);
        let f = findings(&v);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0]["secret"], new.as_str());
        assert_eq!(f[0]["path"], "svc/new.py");
        assert_eq!(f[0]["line"], 2);
        assert_eq!(f[0]["git"]["commit"], adds.as_str());
        assert_eq!(f[0]["git"]["author"], "Cy Pr");
        assert_eq!(v["stats"]["commits_scanned"], 2);
    }
    // The whole history still has both.
    let (_, v) = history_json(t.path(), &[]);
    assert_eq!(findings(&v).len(), 2);
}

#[test]
fn staged_scans_added_lines_even_before_the_first_commit() {
    let mut t = TestRepo::new();
    let first = aws_secret(9);
    t.stage(&[(
        "a.py",
        Some(&format!("AWS_SECRET_ACCESS_KEY = \"{first}\"\n")),
    )]);
    let (code, v) = run_json("staged", t.path(), &[]);
    assert_eq!(code, 1, "unborn HEAD: everything staged is added");
    assert_eq!(findings(&v).len(), 1);
    assert!(findings(&v)[0].get("git").is_none());
    t.commit(&[], "first", "Ann Dev");
    let (code, v) = run_json("staged", t.path(), &[]);
    assert_eq!((code, findings(&v).len()), (0, 0), "nothing staged");
    // Modify the file without touching the secret's line: not reported again.
    let second = aws_secret(10);
    t.stage(&[(
        "a.py",
        Some(&format!("AWS_SECRET_ACCESS_KEY = \"{first}\"\nx = 1\n")),
    )]);
    let (code, _) = run_json("staged", t.path(), &[]);
    assert_eq!(code, 0);
    t.stage(&[(
        "b.py",
        Some(&format!("k = 1\nAWS_SECRET_ACCESS_KEY = \"{second}\"\n")),
    )]);
    let (code, v) = run_json("staged", t.path(), &["--show-secrets"]);
    assert_eq!(code, 1);
    let f = findings(&v);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["path"], "b.py");
    assert_eq!(f[0]["line"], 2);
    assert_eq!(f[0]["secret"], second.as_str());
}

#[test]
fn sarif_carries_version_control_provenance_and_commit_properties() {
    let mut t = TestRepo::new();
    let secret = aws_secret(11);
    let c = t.commit(
        &[(
            "k.py",
            Some(&format!("AWS_SECRET_ACCESS_KEY = \"{secret}\"\n")),
        )],
        "add",
        "Ann Dev",
    );
    t.repo
        .remote(
            "origin",
            "https://user:hunter2token@git.example.com/o/r.git",
        )
        .unwrap();
    let out = keyhound()
        .args(["history", "--format", "sarif"])
        .arg(t.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let run = &v["runs"][0];
    let vcp = &run["versionControlProvenance"][0];
    assert_eq!(vcp["repositoryUri"], "https://git.example.com/o/r.git");
    assert_eq!(vcp["revisionId"], c.as_str());
    let props = &run["results"][0]["properties"];
    assert_eq!(props["commit"], c.as_str());
    assert_eq!(props["author"], "Ann Dev");
    assert_eq!(props["presentAtHead"], true);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("hunter2token"));
}

#[test]
fn history_output_is_the_same_whatever_the_thread_count() {
    let mut t = TestRepo::new();
    for i in 0..12u64 {
        let s = aws_secret(100 + i);
        t.commit(
            &[(
                &format!("d{}/f{i}.py", i % 3),
                Some(&format!("AWS_SECRET_ACCESS_KEY = \"{s}\"\n")),
            )],
            &format!("c{i}"),
            "Ann Dev",
        );
    }
    let run = |j: &str| {
        let out = keyhound()
            .args(["history", "-f", "json", "-j", j])
            .arg(t.path())
            .output()
            .unwrap();
        let mut v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["stats"]["elapsed_ms"] = Value::Null;
        v["stats"]["enumerate_ms"] = Value::Null;
        v.to_string()
    };
    let one = run("1");
    assert!(one.contains("aws-secret-access-key"));
    assert_eq!(one, run("4"));
}

#[test]
fn not_a_repository_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = keyhound().arg("history").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a git repository"), "{err}");
}
