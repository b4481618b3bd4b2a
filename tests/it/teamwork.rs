//! Adopting keyhound in a team: inline allow markers, the `.keyhoundignore` file and
//! baselines (write, then report only what is new, even after code moves).

use std::path::Path;

use serde_json::Value;

use crate::common::{keyhound, write_tree, Rng, ALNUM};

fn aws_line(seed: u64) -> String {
    let mut r = Rng(seed);
    format!(
        "AWS_SECRET_ACCESS_KEY = \"{}/{}\"",
        r.string(ALNUM, 20),
        r.string(ALNUM, 19)
    )
}

fn scan(dir: &Path, extra: &[&str]) -> (i32, Value, String) {
    let out = keyhound()
        .arg("scan")
        .arg(dir)
        .args(["--format", "json", "--no-env"])
        .args(extra)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        v,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn count(v: &Value) -> usize {
    v["findings"].as_array().map_or(0, Vec::len)
}

#[test]
fn inline_allow_markers_in_any_comment_syntax() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "a.py",
                &format!("{}  # keyhound:allow test fixture\n", aws_line(1)),
            ),
            (
                "b.js",
                &format!("const k = {}; // gitleaks:allow\n", aws_line(2)),
            ),
            (
                "c.yml",
                &format!("{}  # pragma: allowlist secret\n", aws_line(3)),
            ),
            ("d.py", &format!("{}\n", aws_line(4))),
        ],
    );
    let (code, v, _) = scan(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(count(&v), 1);
    assert_eq!(v["findings"][0]["path"], "d.py");
    assert_eq!(v["stats"]["suppressed"]["inline"], 3);
}

#[test]
fn ignore_file_by_fingerprint_with_optional_path_and_unused_report() {
    let dir = tempfile::tempdir().unwrap();
    let same = aws_line(5);
    write_tree(
        dir.path(),
        &[
            ("src/a.py", &format!("{same}\n")),
            ("tests/a.py", &format!("{same}\n")),
            ("src/b.py", &format!("{}\n", aws_line(6))),
        ],
    );
    let (_, v, _) = scan(dir.path(), &[]);
    assert_eq!(count(&v), 3);
    let fp = |path: &str| {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .unwrap()["fingerprint"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (same_fp, b_fp) = (fp("tests/a.py"), fp("src/b.py"));
    std::fs::write(
        dir.path().join(".keyhoundignore"),
        format!(
            "# test fixtures only\n{same_fp} tests/*\n{b_fp}\n{} \n",
            "0".repeat(32)
        ),
    )
    .unwrap();
    let (code, v, err) = scan(dir.path(), &["--report-unused-ignores"]);
    assert_eq!(code, 1);
    // The same secret in src/ is still reported: the entry is scoped to tests/.
    assert_eq!(count(&v), 1);
    assert_eq!(v["findings"][0]["path"], "src/a.py");
    assert_eq!(v["stats"]["suppressed"]["ignore-file"], 2);
    assert!(
        err.contains(".keyhoundignore:4: unused ignore entry"),
        "{err}"
    );
    // A malformed ignore file is an error with file and line, not a silent pass.
    std::fs::write(dir.path().join(".keyhoundignore"), "not-a-fingerprint\n").unwrap();
    let (code, _, err) = scan(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(err.contains(".keyhoundignore:1:1"), "{err}");
}

#[test]
fn baseline_then_one_new_secret_and_moved_code_gives_exactly_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // 50 existing findings over 10 files.
    for f in 0..10u64 {
        let body: String = (0..5u64)
            .map(|i| format!("{}\n", aws_line(100 + f * 5 + i)))
            .collect();
        write_tree(root, &[(&format!("svc{f}/settings.py"), &body)]);
    }
    let base = root.join("keyhound-baseline.json");
    let (code, v, _) = scan(root, &["--baseline-write", base.to_str().unwrap()]);
    assert_eq!((code, count(&v)), (1, 50));
    let text = std::fs::read_to_string(&base).unwrap();
    let b: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(b["findings"].as_array().unwrap().len(), 50);
    // Never the secrets themselves.
    assert!(!text.contains(&aws_line(100)[25..60]));
    // Move code around: shift lines, move a file to another folder, split another.
    let moved = std::fs::read_to_string(root.join("svc0/settings.py")).unwrap();
    std::fs::remove_file(root.join("svc0/settings.py")).unwrap();
    write_tree(
        root,
        &[("lib/moved/config.py", &format!("# moved\n\n\n{moved}"))],
    );
    let s1 = std::fs::read_to_string(root.join("svc1/settings.py")).unwrap();
    let lines: Vec<&str> = s1.lines().collect();
    write_tree(
        root,
        &[
            (
                "svc1/settings.py",
                &format!("import os\n\n{}\n", lines[..2].join("\n")),
            ),
            ("svc1/more.py", &format!("{}\n", lines[2..].join("\n"))),
            // The one new secret.
            ("svc9/new.py", &format!("x = 1\n{}\n", aws_line(999))),
        ],
    );
    let (code, v, _) = scan(root, &["--baseline", base.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(count(&v), 1, "{v:#}");
    assert_eq!(v["findings"][0]["path"], "svc9/new.py");
    assert_eq!(v["stats"]["suppressed"]["baseline"], 50);
}

#[test]
fn config_file_rules_severities_allowlist_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // `keyhound init` writes a starter that parses and changes nothing.
    let out = keyhound().arg("init").arg(root).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (code, v, _) = scan(root, &[]);
    assert_eq!((code, count(&v)), (0, 0), "{v:#}");
    let aws = aws_line(7);
    write_tree(
        root,
        &[
            (
                "app.py",
                &format!("{aws}\ntoken = \"acme_4f9K2mQ7xZ8pL3vR6tW1yB5cD0gH2jN8\"\n"),
            ),
            ("tests/app.py", &format!("{aws}\n")),
            (
                ".keyhound.toml",
                r#"fail_on = "critical"
disable = ["generic-secret-assignment"]
[severity]
"aws-secret-access-key" = "high"
[allowlist]
paths = ["tests/**"]
[[rules]]
id = "acme-internal-token"
name = "Acme internal API token"
description = "Tokens issued by auth.acme.internal."
severity = "critical"
keywords = ["acme_"]
regex = '''\b(?P<secret>acme_[A-Za-z0-9]{32})\b'''
tags = ["internal"]
remediation = "Revoke it at https://auth.acme.internal/tokens."
references = ["https://auth.acme.internal/docs/tokens"]
[rules.examples]
match = ['''token = "acme_4f9K2mQ7xZ8pL3vR6tW1yB5cD0gH2jN8"''', '''ACME=acme_Zx8Kq3mN7pL2vR5tW9yB1cD4fG6hJ8kL''']
no_match = ['''token = "acme_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"''', '''acme_token = os.environ["ACME"]''']
"#,
            ),
        ],
    );
    let (code, v, err) = scan(root, &[]);
    let got: Vec<(&str, &str, &str)> = v["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("{err}"))
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap(),
                f["rule_id"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("app.py", "aws-secret-access-key", "high"),
            ("app.py", "acme-internal-token", "critical"),
        ]
    );
    assert_eq!(code, 1, "a critical finding fails with fail_on = critical");
    assert_eq!(v["stats"]["suppressed"]["allowlist"], 1);
    // Without the config the custom rule is gone; `--no-config` ignores the file.
    let (_, v, _) = scan(root, &["--no-config"]);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["rule_id"] != "acme-internal-token"));
    // The custom rule's examples are checked like built-in ones.
    let out = keyhound()
        .args(["rules", "--config"])
        .arg(root.join(".keyhound.toml"))
        .args(["check", "acme-internal-token"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    // Errors name file, line and column, and exit 2.
    for (text, want) in [
        (
            "fail_on = \"high\"\n[allowlist]\npaths = 3\n",
            "bad.toml:3:9:",
        ),
        ("colour = true\n", "bad.toml:1:1:"),
        ("replace_builtin = true\n", "no rules are active"),
        (
            "disable = [\"no-such-rule\"]\n",
            "no rule with id \"no-such-rule\"",
        ),
    ] {
        std::fs::write(root.join("bad.toml"), text).unwrap();
        let (code, _, err) = scan(root, &["--config", root.join("bad.toml").to_str().unwrap()]);
        assert_eq!(code, 2, "{text}");
        assert!(err.contains(want), "{text}: {err}");
    }
}
