//! `.env` hygiene on the fixture projects (Python, Node, Vite, Rust, Go, Ruby, Laravel, Java
//! and a monorepo): names missing from the governing example file, committed env files,
//! secrets in example files, `--fix`, and how `scan` includes (or skips) these checks.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::keyhound;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/env")
        .join(name)
}

fn env_json(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let out = keyhound()
        .arg("env")
        .arg(dir)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v)
}

/// (kind, env name, path, line, example file) of every finding.
fn summary(v: &Value) -> Vec<Row> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["env"]["name"].as_str().unwrap_or("").to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["env"]["example_file"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect()
}

type Row = (String, String, String, u64, String);

fn row(k: &str, n: &str, p: &str, l: u64, e: &str) -> Row {
    (k.into(), n.into(), p.into(), l, e.into())
}

/// Copies a fixture into a temp dir (outside any git repository).
fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn missing_names_per_language() {
    let m = "env-missing-example";
    let cases: Vec<(&str, Vec<Row>)> = vec![
        // os.environ[...] / .get / getenv; DEBUG... no, DEBUG is a standard name; dynamic
        // names are not guessed.
        (
            "python",
            vec![row(m, "SENTRY_DSN", "app.py", 6, ".env.example")],
        ),
        // Destructuring with alias and default; NODE_ENV is standard; process.env[key] is
        // dynamic.
        (
            "node",
            vec![
                row(m, "MAIL_HOST", "index.js", 2, ".env.example"),
                row(m, "MAIL_PORT", "index.js", 2, ".env.example"),
            ],
        ),
        // import.meta.env; MODE and DEV are Vite built-ins.
        (
            "vite",
            vec![row(
                m,
                "VITE_MAPBOX_TOKEN",
                "src/main.ts",
                2,
                ".env.example",
            )],
        ),
        // env::var, var_os, option_env!; CARGO_PKG_VERSION is set by cargo.
        (
            "rust",
            vec![row(m, "LOG_DIR", "src/main.rs", 5, ".env.sample")],
        ),
        // GITHUB_TOKEN and AWS_REGION are platform variables.
        (
            "go",
            vec![row(m, "API_BASE", "main.go", 9, ".env.template")],
        ),
        // Laravel env() and getenv(); `$config->env(...)` is a method, not a lookup.
        (
            "laravel",
            vec![row(
                m,
                "MAIL_FROM_ADDRESS",
                "config/app.php",
                5,
                ".env.example",
            )],
        ),
        // No example file and no .env: nothing to compare against, nothing reported.
        ("java", vec![]),
    ];
    for (name, want) in cases {
        let (code, v) = env_json(&fixture(name), &[]);
        assert_eq!(summary(&v), want, "{name}");
        assert_eq!(code, if want.is_empty() { 0 } else { 1 }, "{name}");
        for f in v["findings"].as_array().unwrap() {
            assert_eq!(f["severity"], "low");
            assert!(!f["env"]["references"].as_array().unwrap().is_empty());
        }
    }
}

#[test]
fn monorepo_nearest_example_governs_and_env_files_count() {
    let dir = copy_fixture("monorepo");
    let (code, v) = env_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let m = "env-missing-example";
    assert_eq!(
        summary(&v),
        [
            // apps/web has its own example file, which lacks the shared name.
            row(
                m,
                "SHARED_LOG_LEVEL",
                "apps/web/app/page.tsx",
                3,
                "apps/web/.env.example"
            ),
            // docker-compose `${X}` and `${X:-default}`; `$${X}` is an escape.
            row(
                m,
                "POSTGRES_VERSION",
                "docker-compose.yml",
                3,
                ".env.example"
            ),
            row(
                m,
                "POSTGRES_PASSWORD",
                "docker-compose.yml",
                5,
                ".env.example"
            ),
            // Outside git, a .env that no ignore file hides counts as committed.
            row(
                "env-file-committed",
                "API_SIGNING_SECRET,WORKERS",
                "services/api/.env",
                1,
                ".env.example"
            ),
            // Only set in .env: still undocumented.
            row(m, "WORKERS", "services/api/.env", 2, ".env.example"),
            // Read by code (reported there), and also set in services/api/.env.
            row(
                m,
                "API_SIGNING_SECRET",
                "services/api/main.py",
                4,
                ".env.example"
            ),
        ]
    );
    let refs = &v["findings"][5]["env"]["references"];
    assert_eq!(
        refs,
        &serde_json::json!(["services/api/main.py:4", "services/api/.env:1"])
    );
}

#[test]
fn secrets_in_example_files_are_reported_as_such() {
    let (code, v) = env_json(&fixture("ruby"), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&v),
        [row(
            "env-example-secret",
            "AWS_SECRET_ACCESS_KEY",
            ".env.example",
            3,
            ".env.example"
        )]
    );
    let f = &v["findings"][0];
    assert_eq!(f["severity"], "critical");
    assert!(!v
        .to_string()
        .contains("Zq8vR2mXk4TbW9nLp3YcJ6sHd1FgA7eUo5QiVx0N"));
    // The placeholder-valued example files of the other fixtures raise nothing of the kind.
    for name in ["python", "node", "laravel", "monorepo"] {
        let (_, v) = env_json(&fixture(name), &[]);
        assert!(
            summary(&v).iter().all(|r| r.0 != "env-example-secret"),
            "{name}: {v:#}"
        );
    }
}

#[test]
fn fix_appends_missing_names_and_rescans_clean() {
    for name in ["python", "node", "monorepo", "rust"] {
        let dir = copy_fixture(name);
        let before = std::fs::read_to_string(dir.path().join(match name {
            "rust" => ".env.sample",
            _ => ".env.example",
        }))
        .unwrap();
        let out = keyhound()
            .arg("env")
            .arg(dir.path())
            .args(["--fix", "--format", "json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            summary(&v).iter().all(|r| r.0 != "env-missing-example"),
            "{name}: {v:#}"
        );
        let (_, again) = env_json(dir.path(), &[]);
        assert!(summary(&again).iter().all(|r| r.0 != "env-missing-example"));
        // Existing lines, comments and order are kept; names are appended.
        let file = if name == "rust" {
            ".env.sample"
        } else {
            ".env.example"
        };
        let after = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert!(after.starts_with(&before), "{name}: {after}");
    }
    // No example file but a .env: one is created next to it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".env"), "A=1\n").unwrap();
    std::fs::write(dir.path().join("a.py"), "import os\nos.getenv('B')\n").unwrap();
    let (_, v) = env_json(dir.path(), &[]);
    assert_eq!(
        summary(&v)
            .iter()
            .filter(|r| r.0 == "env-missing-example")
            .map(|r| r.1.as_str())
            .collect::<Vec<_>>(),
        ["A", "B"]
    );
    keyhound()
        .arg("env")
        .arg(dir.path())
        .args(["--fix", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".env.example")).unwrap(),
        "A=\nB=\n"
    );
}

#[test]
fn committed_means_tracked_by_git() {
    let dir = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(dir.path()).unwrap();
    let root = dir.path();
    std::fs::write(root.join(".gitignore"), ".env.local\n").unwrap();
    std::fs::write(root.join(".env"), "A=1\n").unwrap();
    std::fs::write(root.join(".env.local"), "A=2\n").unwrap();
    std::fs::write(root.join(".env.production"), "A=3\n").unwrap();
    std::fs::write(root.join(".env.example"), "A=\n").unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new(".env")).unwrap();
    index.write().unwrap();
    let (code, v) = env_json(root, &[]);
    assert_eq!(code, 1);
    // .env is tracked; .env.production is untracked; .env.local is ignored.
    assert_eq!(
        summary(&v),
        [row("env-file-committed", "A", ".env", 1, ".env.example")]
    );
}

#[test]
fn scan_runs_the_env_checks_unless_told_not_to() {
    let dir = copy_fixture("python");
    let run = |extra: &[&str]| {
        let out = keyhound()
            .arg("scan")
            .arg(dir.path())
            .args(["--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        summary(&v)
    };
    assert_eq!(
        run(&[]),
        [row(
            "env-missing-example",
            "SENTRY_DSN",
            "app.py",
            6,
            ".env.example"
        )]
    );
    assert!(run(&["--no-env"]).is_empty());
    assert!(run(&["--env-ignore", "SENTRY_*"]).is_empty());
}
