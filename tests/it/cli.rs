//! The command line as a user meets it: exit codes, stdin, skips, ignore files, errors,
//! redaction in every format, determinism across thread counts.

use std::path::Path;

use crate::common::{keyhound, scan_json, write_tree};

fn fixture() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/basic")
        .display()
        .to_string()
}

/// The full secrets planted in fixtures/basic, read back with --show-secrets.
fn planted_secrets() -> Vec<String> {
    let (_, v) = scan_json(&[&fixture(), "--show-secrets"]);
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "secret")
        .map(|f| f["secret"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn fixture_findings_have_paths_lines_and_columns() {
    let (code, v) = scan_json(&[&fixture()]);
    assert_eq!(code, 1);
    let got: Vec<(String, u64, u64, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "secret")
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("deploy/.env", 2, 29, "postgres-connection-url"),
        ("keys/deploy_key.pem", 1, 1, "private-key-rsa"),
        ("src/billing.js", 2, 35, "stripe-secret-key"),
        ("src/settings.py", 4, 22, "aws-access-key-id"),
        ("src/settings.py", 5, 26, "aws-secret-access-key"),
        ("src/settings.py", 8, 17, "github-pat"),
    ];
    let want: Vec<(String, u64, u64, String)> = want
        .iter()
        .map(|(p, l, c, r)| (p.to_string(), *l, *c, r.to_string()))
        .collect();
    assert_eq!(got, want);
    // The .env checks run too: deploy/.env has values and is committed, and nothing
    // documents its names in a .env.example.
    let env: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] != "secret")
        .map(|f| {
            (
                f["kind"].as_str().unwrap(),
                f["env"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        env.contains(&("env-file-committed", "DATABASE_URL,API_KEY,REDIS_URL")),
        "{env:?}"
    );
    assert!(env.contains(&("env-missing-example", "API_KEY")), "{env:?}");
    assert_eq!(v["version"], 1);
    assert_eq!(v["stats"]["files_skipped"]["binary"], 1);
}

#[test]
fn no_full_secret_in_any_format_without_show_secrets() {
    let secrets = planted_secrets();
    assert_eq!(secrets.len(), 6);
    for format in ["human", "json", "jsonl", "sarif"] {
        let out = keyhound()
            .args(["scan", &fixture(), "--format", format, "--color", "always"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        for s in &secrets {
            // PEM blocks are checked by their body, which is the secret part.
            let probe: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .skip(40)
                .take(40)
                .collect();
            let probe = if s.len() > 100 { probe } else { s.clone() };
            assert!(!text.contains(&probe), "{format} leaks a secret");
        }
    }
    // And with --show-secrets they are there.
    let out = keyhound()
        .args(["scan", &fixture(), "--format", "json", "--show-secrets"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(secrets
        .iter()
        .all(|s| text.contains(&s.replace('\n', "\\n"))));
}

#[test]
fn exit_codes() {
    let empty = tempfile::tempdir().unwrap();
    keyhound().args(["scan"]).arg(empty.path()).assert().code(0);
    // A binary-only tree is clean.
    std::fs::write(empty.path().join("a.bin"), b"\x00\x01\x02AKIA").unwrap();
    keyhound().args(["scan"]).arg(empty.path()).assert().code(0);
    // Findings below --fail-on do not fail.
    keyhound()
        .args(["scan", &fixture(), "--fail-on", "critical"])
        .assert()
        .code(1);
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[("a.js", "const k = 'pk_live_51HqLyjWDarjtT1zdp7dcQ9vXkP';\n")],
    );
    keyhound()
        .args(["scan", "--fail-on", "medium"])
        .arg(dir.path())
        .assert()
        .code(0);
    // Publishable keys are public by design: reported only on request (severity low).
    keyhound().args(["scan"]).arg(dir.path()).assert().code(0);
    keyhound()
        .args(["scan", "--include-client-safe"])
        .arg(dir.path())
        .assert()
        .code(1);
    // Errors: missing path, bad flag value.
    let out = keyhound()
        .args(["scan", "/nonexistent/keyhound"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("keyhound: error: cannot scan /nonexistent/keyhound"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    keyhound()
        .args(["scan", "--max-file-size", "lots"])
        .assert()
        .code(2);
    keyhound()
        .args(["scan", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn stdin_is_scanned() {
    let out = keyhound()
        .args(["scan", "-", "--format", "jsonl"])
        .write_stdin("x = 1\nstripe_key = 'sk_live_9fK2mQ7xLp4vB8nZ3tR6wYcD'\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let line: serde_json::Value =
        serde_json::from_slice(out.stdout.split(|&b| b == b'\n').next().unwrap()).unwrap();
    assert_eq!(line["path"], "<stdin>");
    assert_eq!(line["line"], 2);
    assert_eq!(line["column"], 15);
    assert_eq!(line["rule_id"], "stripe-secret-key");
}

#[test]
fn ignore_files_hidden_files_and_git_dir() {
    let dir = tempfile::tempdir().unwrap();
    let key = "STRIPE=sk_live_9fK2mQ7xLp4vB8nZ3tR6wYcD\n";
    write_tree(
        dir.path(),
        &[
            (".gitignore", "ignored.txt\nbuild/\n"),
            ("ignored.txt", key),
            ("build/out.js", key),
            (".env", key),
            (".aws/credentials", key),
            (".git/config", key),
            ("kept.txt", key),
        ],
    );
    let paths = |v: &serde_json::Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    let root = dir.path().to_str().unwrap();
    let (_, v) = scan_json(&[root, "--no-env"]);
    assert_eq!(paths(&v), [".aws/credentials", ".env", "kept.txt"]);
    let (_, v) = scan_json(&[root, "--no-ignore", "--no-env"]);
    assert_eq!(
        paths(&v),
        [
            ".aws/credentials",
            ".env",
            "build/out.js",
            "ignored.txt",
            "kept.txt"
        ]
    );
}

#[test]
fn oversized_files_and_special_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!(
        "{}\nSTRIPE=sk_live_9fK2mQ7xLp4vB8nZ3tR6wYcD\n",
        "a".repeat(4096)
    );
    write_tree(dir.path(), &[("big.txt", &big)]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("outside")).unwrap();
        std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
        let fifo = dir.path().join("fifo");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .map(|s| s.success());
        assert!(ok.unwrap_or(false), "mkfifo");
    }
    let root = dir.path().to_str().unwrap();
    let (code, v) = scan_json(&[root, "--max-file-size", "1K"]);
    assert_eq!(code, 0);
    assert_eq!(v["stats"]["files_skipped"]["too large"], 1);
    #[cfg(unix)]
    {
        assert_eq!(v["stats"]["files_skipped"]["symlink"], 2);
        assert_eq!(v["stats"]["files_skipped"]["not a regular file"], 1);
    }
    let (code, _) = scan_json(&[root]);
    assert_eq!(code, 1);
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for i in 0..60 {
        files.push((
            format!("d{}/f{i}.py", i % 7),
            format!(
                "# file {i}\nkey = 'sk_live_{:024}'\ntoken = 'ghp_{i}'\npassword = 'Zt7Qp2Lm9Xc4Vb{i:02}!'\n",
                i * 7919 + 104729
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    write_tree(dir.path(), &refs);
    let run = |threads: &str| {
        let out = keyhound()
            .args(["scan", "--format", "sarif", "-j", threads])
            .arg(dir.path())
            .output()
            .unwrap();
        out.stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    for t in ["2", "4", "8"] {
        assert_eq!(one, run(t), "output differs with {t} threads");
    }
}

#[test]
fn output_file_and_terminal_escaping() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "evil\u{1b}[31m.txt",
            "\u{1b}]0;pwned\u{7}STRIPE=sk_live_9fK2mQ7xLp4vB8nZ3tR6wYcD\u{202e}\n",
        )],
    );
    let report = dir.path().join("report.txt");
    let out = keyhound()
        .args(["scan", "--no-ignore", "-o"])
        .arg(&report)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(!text.contains('\u{202e}'), "{text}");
    assert!(text.contains("evil\\u{1b}[31m.txt"), "{text}");
}

#[test]
fn rules_commands() {
    let out = keyhound()
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().len() >= 40);
    let out = keyhound()
        .args(["rules", "show", "github-pat"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("github-crc32"));
    keyhound()
        .args(["rules", "show", "no-such-rule"])
        .assert()
        .code(2);
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    for (shell, marker) in [
        ("bash", "_keyhound()"),
        ("zsh", "#compdef keyhound"),
        ("fish", "complete -c keyhound"),
    ] {
        let out = keyhound().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(marker), "{shell}");
        for sub in ["scan", "history", "staged", "env"] {
            assert!(text.contains(sub), "{shell} lacks {sub}");
        }
    }
    let out = keyhound().arg("man").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(".TH keyhound 1"));
    assert!(text.contains("history"));
}
