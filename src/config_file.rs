//! `.keyhound.toml`: a team's tuning without forking. Found at the scan root (or given with
//! `--config FILE`; `--no-config` ignores it). It can add rules (same schema as
//! `rules/*.toml`), replace the built-in ones, disable rules by id, override severities,
//! allowlist findings (path globs, regexes on the secret or the line, stopwords), ignore env
//! names, and set `fail_on` and `max_file_size` (command-line flags win). Unknown keys and
//! bad values are errors naming file, line and column.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use regex::Regex;
use serde::Deserialize;

use crate::findings::{Finding, SnippetPart};
use crate::rules::{RuleSpec, Severity};

pub const CONFIG_FILE: &str = ".keyhound.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Use only this file's rules, not the built-in ones.
    #[serde(default)]
    pub replace_builtin: bool,
    /// Rule ids to turn off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Rule id -> severity.
    #[serde(default)]
    pub severity: std::collections::BTreeMap<String, Severity>,
    pub fail_on: Option<Severity>,
    pub max_file_size: Option<String>,
    #[serde(default)]
    pub allowlist: Allowlist,
    #[serde(default)]
    pub env: EnvConfig,
    /// Extra rules, same schema as the built-in rule files.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allowlist {
    /// Path globs (`*` any characters but `/`, `**` anything).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Regexes on the secret.
    #[serde(default)]
    pub secrets: Vec<String>,
    /// Regexes on the line holding the secret.
    #[serde(default)]
    pub lines: Vec<String>,
    /// Words that, inside a secret (case-insensitive), mark it as not real.
    #[serde(default)]
    pub stopwords: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvConfig {
    /// Env var names (or `PREFIX*`) never reported as missing from the example file.
    #[serde(default)]
    pub ignore: Vec<String>,
}

/// A loaded config: the file plus its compiled allowlist.
#[derive(Debug, Default)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub file: ConfigFile,
    paths: Vec<Regex>,
    secrets: Vec<Regex>,
    lines: Vec<Regex>,
    stopwords: Vec<String>,
}

/// `*` (not `/`), `**` (anything) and `?` globs as an anchored regex.
fn glob_regex(glob: &str) -> Result<Regex> {
    let mut re = String::from("^");
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                if chars.peek() == Some(&'/') {
                    chars.next();
                    re.push_str("(?:.*/)?");
                } else {
                    re.push_str(".*");
                }
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    Ok(Regex::new(&re)?)
}

impl Config {
    /// Loads `path`: a TOML error names the file, line and column.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the config file {}", path.display()))?;
        Config::parse(&path.display().to_string(), &text).map(|mut c| {
            c.path = Some(path.to_path_buf());
            c
        })
    }

    pub fn parse(name: &str, text: &str) -> Result<Config> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| {
            let (line, col) = e
                .span()
                .map(|s| {
                    let before = &text[..s.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    (line, col)
                })
                .unwrap_or((1, 1));
            anyhow::anyhow!("{name}:{line}:{col}: {}", e.message())
        })?;
        let compile = |what: &str, list: &[String], f: &dyn Fn(&str) -> Result<Regex>| {
            list.iter()
                .map(|p| f(p).with_context(|| format!("{name}: invalid {what} {p:?}")))
                .collect::<Result<Vec<Regex>>>()
        };
        let paths = compile("allowlist path", &file.allowlist.paths, &glob_regex)?;
        let re = |p: &str| -> Result<Regex> {
            Ok(regex::RegexBuilder::new(p).size_limit(1 << 20).build()?)
        };
        let secrets = compile("allowlist regex", &file.allowlist.secrets, &re)?;
        let lines = compile("allowlist line regex", &file.allowlist.lines, &re)?;
        if let Some(s) = &file.max_file_size {
            crate::cli::parse_size(s).map_err(|e| anyhow::anyhow!("{name}: max_file_size: {e}"))?;
        }
        let stopwords = file
            .allowlist
            .stopwords
            .iter()
            .map(|w| w.to_ascii_lowercase())
            .collect();
        Ok(Config {
            path: None,
            file,
            paths,
            secrets,
            lines,
            stopwords,
        })
    }

    /// `--config FILE`, else `.keyhound.toml` in `root` if there is one, else nothing.
    pub fn discover(
        explicit: Option<&Path>,
        no_config: bool,
        root: Option<&Path>,
    ) -> Result<Config> {
        if no_config {
            return Ok(Config::default());
        }
        if let Some(p) = explicit {
            return Config::load(p);
        }
        match root.map(|r| r.join(CONFIG_FILE)).filter(|p| p.is_file()) {
            Some(p) => Config::load(&p),
            None => Ok(Config::default()),
        }
    }

    pub fn max_file_size(&self) -> Option<u64> {
        self.file
            .max_file_size
            .as_deref()
            .and_then(|s| crate::cli::parse_size(s).ok())
    }

    /// Whether the allowlist drops this finding.
    pub fn allows(&self, f: &Finding) -> bool {
        if self.paths.iter().any(|r| r.is_match(&f.path)) {
            return true;
        }
        if f.secret.is_empty() {
            return false;
        }
        if self.secrets.iter().any(|r| r.is_match(&f.secret)) {
            return true;
        }
        let lower = f.secret.to_ascii_lowercase();
        if self.stopwords.iter().any(|w| lower.contains(w.as_str())) {
            return true;
        }
        if !self.lines.is_empty() {
            let line: String = f
                .snippet
                .iter()
                .map(|p| match p {
                    SnippetPart::Text(t) | SnippetPart::Secret(t) => t.as_str(),
                    SnippetPart::Elision => "",
                })
                .collect();
            if self.lines.iter().any(|r| r.is_match(&line)) {
                return true;
            }
        }
        false
    }

    /// Applies `disable` and `severity` to rule specs, checking that every id exists.
    pub fn adjust_rules(&self, specs: &mut Vec<(String, RuleSpec)>) -> Result<()> {
        let name = self
            .path
            .as_ref()
            .map_or("config".to_string(), |p| p.display().to_string());
        for id in self.file.disable.iter().chain(self.file.severity.keys()) {
            if !specs.iter().any(|(_, s)| &s.id == id) {
                bail!("{name}: no rule with id {id:?} (see `keyhound rules list`)");
            }
        }
        specs.retain(|(_, s)| !self.file.disable.contains(&s.id));
        for (_, s) in specs.iter_mut() {
            if let Some(sev) = self.file.severity.get(&s.id) {
                s.severity = *sev;
            }
        }
        if specs.is_empty() {
            bail!("{name}: no rules are active (every rule is disabled or replaced): a scan with zero rules would always pass");
        }
        Ok(())
    }
}

/// The starter file `keyhound init` writes.
pub const STARTER: &str = r#"# keyhound configuration. Every key is optional; command-line flags win over this file.
# Docs: https://github.com/keyhound/keyhound#configuration

# Exit with 1 only for findings at or above this severity (low, medium, high, critical).
# fail_on = "medium"

# Skip files larger than this.
# max_file_size = "10MiB"

# Turn rules off by id (`keyhound rules list` shows the ids).
# disable = ["generic-secret-assignment"]

# Use only the rules of this file.
# replace_builtin = false

[severity]
# "aws-access-key-id" = "critical"

[allowlist]
# Path globs: `*` matches within a folder, `**` across folders.
paths = []
# Regexes on the secret, and on the line that holds it.
secrets = []
lines = []
# Words that mark a value as fake when they appear in it (case-insensitive).
stopwords = []

[env]
# Env var names (or PREFIX*) never reported as missing from .env.example.
ignore = []

# Your own rules, same schema as keyhound's rules/*.toml; `keyhound rules --config
# .keyhound.toml check` runs their examples.
# [[rules]]
# id = "acme-internal-token"
# name = "Acme internal API token"
# description = "Tokens issued by auth.acme.internal: `acme_` and 32 base62 characters."
# severity = "high"
# keywords = ["acme_"]
# regex = '''\b(?P<secret>acme_[A-Za-z0-9]{32})\b'''
# tags = ["internal"]
# remediation = "Revoke it at https://auth.acme.internal/tokens and use the vault."
# references = ["https://auth.acme.internal/docs/tokens"]
# [rules.examples]
# match = ['''token = "acme_4f9K2mQ7xZ8pL3vR6tW1yB5cD0gH2jN8"''', '''ACME=acme_Zx8Kq3mN7pL2vR5tW9yB1cD4fG6hJ8kL''']
# no_match = ['''token = "acme_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"''', '''acme_token = os.environ["ACME"]''']
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_parses_and_errors_have_line_and_column() {
        Config::parse("starter", STARTER).unwrap();
        let e = Config::parse("k.toml", "fail_on = \"high\"\n[allowlist]\npaths = 3\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("k.toml:3:9:"), "{e}");
        let e = Config::parse("k.toml", "colour = 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("k.toml:1:1:") && e.contains("colour"), "{e}");
        let e = Config::parse("k.toml", "fail_on = \"urgent\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("k.toml:1:11:"), "{e}");
    }

    #[test]
    fn globs() {
        let r = glob_regex("tests/**/*.py").unwrap();
        assert!(r.is_match("tests/a/b/c.py") && r.is_match("tests/c.py"));
        assert!(!r.is_match("src/tests/c.py"));
        assert!(glob_regex("*.lock").unwrap().is_match("Cargo.lock"));
        assert!(!glob_regex("*.lock").unwrap().is_match("a/Cargo.lock"));
        assert!(glob_regex("**/*.lock").unwrap().is_match("a/Cargo.lock"));
    }
}
