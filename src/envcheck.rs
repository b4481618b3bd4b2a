//! `.env` hygiene: the contract between the environment variables code reads and the example
//! file (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`) that documents them.
//!
//! - `references` finds literal env var names read by code, per language (dynamic names are
//!   ignored, not guessed); `parse_env` reads `NAME=value` files.
//! - `EnvIndex` gathers, during a scan, every reference, example file and env file.
//! - `EnvIndex::findings` turns it into findings: names read by code (or set in `.env`) that
//!   the governing example file lacks, env files with values that are committed, and (with the
//!   engine's help, in `app`) secrets in example files. The example file governing a path is
//!   the nearest one in its directory or an ancestor, up to the scan root.
//! - `fix` appends the missing names to the example files (or creates one).
//!
//! Standard and platform variables (`PATH`, `HOME`, `NODE_ENV`, `CI`, `GITHUB_*`...) are never
//! reported: see `IGNORED`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};
use serde::Serialize;

use crate::findings::{fingerprint, Finding, FindingKind, SnippetPart};
use crate::rules::Severity;
use crate::source::{dir_of, file_name};

/// Standard, shell, CI and platform variables that no project documents in its example file.
/// A trailing `*` matches any suffix. Extend with `--env-ignore`.
pub const IGNORED: &[&str] = &[
    // POSIX and shells
    "PATH",
    "HOME",
    "USER",
    "USERNAME",
    "LOGNAME",
    "SHELL",
    "PWD",
    "OLDPWD",
    "SHLVL",
    "TERM",
    "TERM_PROGRAM",
    "COLORTERM",
    "LANG",
    "LANGUAGE",
    "LC_*",
    "TZ",
    "TMPDIR",
    "TMP",
    "TEMP",
    "HOSTNAME",
    "EDITOR",
    "VISUAL",
    "PAGER",
    "DISPLAY",
    "COLUMNS",
    "LINES",
    "XDG_*",
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "SSH_AUTH_SOCK",
    "MAIL",
    "APPDATA",
    "LOCALAPPDATA",
    "USERPROFILE",
    "PROGRAMFILES",
    "SYSTEMROOT",
    "WINDIR",
    "COMSPEC",
    "PATHEXT",
    // proxies and TLS
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "all_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "NODE_EXTRA_CA_CERTS",
    // runtimes and toolchains
    "NODE_ENV",
    "NODE_OPTIONS",
    "NODE_PATH",
    "NODE_DEBUG",
    "NPM_CONFIG_*",
    "npm_*",
    "PYTHONPATH",
    "PYTHONHASHSEED",
    "PYTHONUNBUFFERED",
    "PYTHONDONTWRITEBYTECODE",
    "VIRTUAL_ENV",
    "CONDA_*",
    "JAVA_HOME",
    "JAVA_OPTS",
    "GOPATH",
    "GOROOT",
    "GOOS",
    "GOARCH",
    "GOFLAGS",
    "GO111MODULE",
    "CGO_ENABLED",
    "CARGO",
    "CARGO_*",
    "RUSTC",
    "RUSTC_*",
    "RUSTFLAGS",
    "RUSTDOCFLAGS",
    "RUST_LOG",
    "RUST_BACKTRACE",
    "RUST_MIN_STACK",
    "OUT_DIR",
    "TARGET",
    "HOST",
    "PROFILE",
    "OPT_LEVEL",
    "DEBUG",
    "NUM_JOBS",
    "DOTNET_*",
    "ASPNETCORE_ENVIRONMENT",
    "GEM_HOME",
    "GEM_PATH",
    "BUNDLE_GEMFILE",
    "RAILS_ENV",
    "RACK_ENV",
    "RUBYOPT",
    // Vite and bundlers' built-ins
    "MODE",
    "DEV",
    "PROD",
    "SSR",
    "BASE_URL",
    // CI systems
    "CI",
    "CONTINUOUS_INTEGRATION",
    "BUILD_NUMBER",
    "GITHUB_*",
    "RUNNER_*",
    "GITLAB_*",
    "CI_*",
    "BUILDKITE*",
    "CIRCLE*",
    "TRAVIS*",
    "JENKINS_*",
    "BITBUCKET_*",
    "TF_BUILD",
    "SYSTEM_*",
    "BUILD_*",
    "APPVEYOR*",
    "DRONE*",
    "TEAMCITY_*",
    "CODEBUILD_*",
    // hosting platforms
    "VERCEL",
    "VERCEL_*",
    "NETLIFY",
    "NETLIFY_*",
    "RENDER",
    "RENDER_*",
    "HEROKU_*",
    "DYNO",
    "FLY_*",
    "RAILWAY_*",
    "AWS_LAMBDA_*",
    "AWS_EXECUTION_ENV",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "LAMBDA_TASK_ROOT",
    "K_SERVICE",
    "K_REVISION",
    "GOOGLE_CLOUD_PROJECT",
    "FUNCTION_*",
    "KUBERNETES_*",
    "POD_*",
    "WEBSITE_*",
    "CF_PAGES*",
    "DENO_*",
];

/// A literal env var name read by code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnvRef {
    pub name: String,
    pub line: usize,
}

/// A `NAME=value` line of an env file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvEntry {
    pub name: String,
    pub line: usize,
    pub has_value: bool,
}

/// What an env-related file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `.env.example` and variants: documents names, holds no real values.
    Example,
    /// `.env`, `.env.local`, `.env.production`, `prod.env`...: real values.
    EnvFile,
    Other,
}

/// Example suffixes, in order of preference when one directory has several.
const EXAMPLE_KINDS: [&str; 4] = ["example", "sample", "template", "dist"];

/// The role of the file at `path` by its name.
pub fn role(path: &str) -> Role {
    let name = file_name(path).to_ascii_lowercase();
    let is_env_like = name == ".env"
        || name.starts_with(".env.")
        || name.ends_with(".env")
        || name.starts_with("env.");
    if !is_env_like {
        return Role::Other;
    }
    let parts: Vec<&str> = name.split('.').filter(|p| !p.is_empty()).collect();
    if parts.iter().any(|p| EXAMPLE_KINDS.contains(p)) {
        return Role::Example;
    }
    // `env.example` has been handled; `env.js`, `.env.d.ts`, `.envrc` are not env files.
    if name == ".env" || (name.starts_with(".env.") && !is_code_ext(&name)) {
        return Role::EnvFile;
    }
    if name.ends_with(".env") && name.len() > 4 {
        return Role::EnvFile;
    }
    Role::Other
}

fn is_code_ext(name: &str) -> bool {
    [
        ".ts", ".js", ".mjs", ".cjs", ".json", ".py", ".rb", ".go", ".rs", ".sh", ".md",
    ]
    .iter()
    .any(|e| name.ends_with(e))
}

/// Reads `[export ]NAME=value` lines; comments and blank lines are skipped.
pub fn parse_env(bytes: &[u8]) -> Vec<EnvEntry> {
    let mut out = Vec::new();
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = String::from_utf8_lossy(raw);
        let mut t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(rest) = t.strip_prefix("export ") {
            t = rest.trim_start();
        }
        let Some((name, value)) = t.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if !is_env_name(name) {
            continue;
        }
        let mut v = value.trim();
        if let Some(q) = v.chars().next().filter(|c| *c == '"' || *c == '\'') {
            v = v[1..].split(q).next().unwrap_or("");
        } else if v.starts_with('#') {
            v = "";
        } else if let Some(at) = v.find(" #") {
            v = v[..at].trim_end();
        }
        out.push(EnvEntry {
            name: name.to_string(),
            line: i + 1,
            has_value: !v.is_empty(),
        });
    }
    out
}

fn is_env_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// Source languages whose env lookups we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Python,
    JavaScript,
    Rust,
    Go,
    Ruby,
    Php,
    Jvm,
    CSharp,
    Compose,
}

fn lang_of(path: &str) -> Option<Lang> {
    let name = file_name(path).to_ascii_lowercase();
    if (name.starts_with("docker-compose") || name.starts_with("compose"))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
    {
        return Some(Lang::Compose);
    }
    if name.ends_with(".min.js") || name.ends_with(".d.ts") {
        return None;
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e)?;
    Some(match ext {
        "py" | "pyw" => Lang::Python,
        "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "mts" | "cts" | "vue" | "svelte"
        | "astro" => Lang::JavaScript,
        "rs" => Lang::Rust,
        "go" => Lang::Go,
        "rb" | "rake" => Lang::Ruby,
        "php" => Lang::Php,
        "java" | "kt" | "kts" | "scala" | "groovy" => Lang::Jvm,
        "cs" => Lang::CSharp,
        _ => return None,
    })
}

/// The name: each alternative below has exactly one such (unnamed) group; the
/// destructuring alternative has the named group `list` instead.
const NAME: &str = r"([A-Za-z_][A-Za-z0-9_]*)";

fn build(patterns: &[String]) -> Regex {
    RegexBuilder::new(&patterns.join("|"))
        .unicode(false)
        .build()
        .expect("env lookup patterns compile")
}

/// One regex per language; every alternative captures the name (or, for destructuring, the
/// `{...}` list as `list`).
fn lookups(lang: Lang) -> &'static Regex {
    static CELLS: [OnceLock<Regex>; 9] = [const { OnceLock::new() }; 9];
    let q = r#"["']"#;
    let i = lang as usize;
    CELLS[i].get_or_init(|| {
        let p: Vec<String> = match lang {
            Lang::Python => vec![
                format!(r"\benviron\s*\[\s*{q}{NAME}{q}\s*\]"),
                format!(r"\benviron\.(?:get|setdefault|pop)\(\s*{q}{NAME}{q}"),
                format!(r"\bgetenv\(\s*{q}{NAME}{q}"),
                format!(r"\benv(?:\.(?:str|int|bool|float|list|json|url|db))?\(\s*{q}{NAME}{q}"),
            ],
            Lang::JavaScript => vec![
                format!(r"\bprocess\.env\.{NAME}"),
                format!(r#"\bprocess\.env\[\s*["'`]{NAME}["'`]\s*\]"#),
                r"(?:const|let|var)\s*\{(?P<list>[^{}]*)\}\s*=\s*process\.env\b".to_string(),
                format!(r"\bimport\.meta\.env\.{NAME}"),
                format!(r"\bDeno\.env\.get\(\s*{q}{NAME}{q}"),
                format!(r"\bBun\.env\.{NAME}"),
            ],
            Lang::Rust => vec![
                format!(r#"\benv::var(?:_os)?\(\s*"{NAME}""#),
                format!(r#"\b(?:option_)?env!\(\s*"{NAME}""#),
            ],
            Lang::Go => vec![format!(r#"\bos\.(?:Getenv|LookupEnv)\(\s*"{NAME}""#)],
            Lang::Ruby => vec![
                format!(r"\bENV\s*\[\s*{q}{NAME}{q}\s*\]"),
                format!(r"\bENV\.fetch\(\s*{q}{NAME}{q}"),
            ],
            Lang::Php => vec![
                format!(r"\bgetenv\(\s*{q}{NAME}{q}"),
                format!(r"\$_(?:ENV|SERVER)\s*\[\s*{q}{NAME}{q}\s*\]"),
                format!(r"(?:^|[^\w$>:])env\(\s*{q}{NAME}{q}"),
            ],
            Lang::Jvm => vec![format!(r#"\bSystem\.getenv\(\s*"{NAME}""#)],
            Lang::CSharp => vec![format!(
                r#"\bEnvironment\.GetEnvironmentVariable\(\s*"{NAME}""#
            )],
            Lang::Compose => vec![format!(r"(?:^|[^$])\$\{{{NAME}(?:[:?\-+}}])")],
        };
        build(&p)
    })
}

/// Literal env var names read by the code in `bytes` (a file at `path`), with their lines.
pub fn references(path: &str, bytes: &[u8]) -> Vec<EnvRef> {
    let Some(lang) = lang_of(path) else {
        return Vec::new();
    };
    // Every lookup spells `env`, `Env` or `ENV` (compose files: `${`): most files have none,
    // and a SIMD substring search is far cheaper than running the lookup regex.
    let markers: &[&[u8]] = match lang {
        Lang::Compose => &[b"${"],
        _ => &[b"env", b"Env", b"ENV"],
    };
    if !markers
        .iter()
        .any(|m| memchr::memmem::find(bytes, m).is_some())
    {
        return Vec::new();
    }
    let re = lookups(lang);
    let mut out = Vec::new();
    let mut line = 1usize;
    let mut counted = 0usize;
    let mut line_at = |pos: usize| {
        line += memchr::memchr_iter(b'\n', &bytes[counted..pos]).count();
        counted = pos;
        line
    };
    for caps in re.captures_iter(bytes) {
        if let Some(list) = caps.name("list") {
            let l = line_at(list.start());
            for item in String::from_utf8_lossy(list.as_bytes()).split(',') {
                // `A`, `A: alias`, `A = "default"`, `...rest` (skipped).
                let name = item.split([':', '=']).next().unwrap_or("").trim();
                if is_env_name(name) {
                    out.push(EnvRef {
                        name: name.to_string(),
                        line: l,
                    });
                }
            }
        } else if let Some(n) = caps.iter().skip(1).flatten().next() {
            let l = line_at(n.start());
            out.push(EnvRef {
                name: String::from_utf8_lossy(n.as_bytes()).into_owned(),
                line: l,
            });
        }
    }
    out
}

/// Whether `name` is a standard or platform variable (built-in list plus `extra`).
pub fn is_ignored(name: &str, extra: &[String]) -> bool {
    let hit = |pat: &str| match pat.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == pat,
    };
    IGNORED.iter().any(|p| hit(p)) || extra.iter().any(|p| hit(p))
}

/// Everything the env checks need from a scan, gathered file by file.
#[derive(Debug, Default)]
pub struct EnvIndex {
    /// Code references, by path.
    pub refs: BTreeMap<String, Vec<EnvRef>>,
    /// Example files and their entries, by path.
    pub examples: BTreeMap<String, Vec<EnvEntry>>,
    /// Env files and their entries, by path.
    pub env_files: BTreeMap<String, Vec<EnvEntry>>,
}

/// What one file contributes to the index (computed without holding any lock).
pub enum Observed {
    Example(Vec<EnvEntry>),
    EnvFile(Vec<EnvEntry>),
    Refs(Vec<EnvRef>),
}

/// Looks at one scanned file; `None` when it has nothing to say.
pub fn observe(path: &str, bytes: &[u8]) -> Option<Observed> {
    match role(path) {
        Role::Example => Some(Observed::Example(parse_env(bytes))),
        Role::EnvFile => Some(Observed::EnvFile(parse_env(bytes))),
        Role::Other => {
            let refs = references(path, bytes);
            (!refs.is_empty()).then_some(Observed::Refs(refs))
        }
    }
}

impl EnvIndex {
    /// Looks at one scanned file.
    pub fn add(&mut self, path: &str, bytes: &[u8]) {
        if let Some(o) = observe(path, bytes) {
            self.insert(path, o);
        }
    }

    pub fn insert(&mut self, path: &str, o: Observed) {
        let path = path.to_string();
        match o {
            Observed::Example(e) => {
                self.examples.insert(path, e);
            }
            Observed::EnvFile(e) => {
                self.env_files.insert(path, e);
            }
            Observed::Refs(r) => {
                self.refs.insert(path, r);
            }
        }
    }

    /// Directories whose `.env` should be read even when ignore files hide it: the scan root
    /// and every directory with an example file (names set there count as used).
    pub fn env_file_dirs(&self) -> Vec<String> {
        let mut dirs: BTreeSet<String> = BTreeSet::from([String::new()]);
        dirs.extend(self.examples.keys().map(|p| dir_of(p).to_string()));
        dirs.into_iter().collect()
    }

    /// The example files in `dir`, in order of preference.
    fn examples_in(&self, dir: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .examples
            .keys()
            .filter(|p| dir_of(p) == dir)
            .map(String::as_str)
            .collect();
        v.sort_by_key(|p| {
            let name = file_name(p).to_ascii_lowercase();
            let kind = EXAMPLE_KINDS
                .iter()
                .position(|k| name.split('.').any(|part| part == *k))
                .unwrap_or(EXAMPLE_KINDS.len());
            (kind, name)
        });
        v
    }

    /// The directory whose example files govern `path`: the nearest ancestor (or its own
    /// directory) holding one.
    pub fn governing_dir(&self, path: &str) -> Option<String> {
        let mut dir = dir_of(path);
        loop {
            if self.examples.keys().any(|p| dir_of(p) == dir) {
                return Some(dir.to_string());
            }
            if dir.is_empty() {
                return None;
            }
            dir = dir_of(dir);
        }
    }

    /// Env findings: missing names and committed env files (`committed(path)` says whether
    /// an env file is tracked by git, or not ignored outside git).
    pub fn findings(&self, ignore: &[String], committed: &dyn Fn(&str) -> bool) -> Vec<Finding> {
        let mut out = Vec::new();
        // (governing dir or None, name) -> references "path:line", in order.
        let mut missing: BTreeMap<(Option<String>, String), Vec<Reference>> = BTreeMap::new();
        // Names each example directory documents (all its example files together).
        let documented: BTreeMap<String, BTreeSet<String>> = self
            .examples
            .keys()
            .map(|p| dir_of(p).to_string())
            .collect::<BTreeSet<String>>()
            .into_iter()
            .map(|dir| {
                let names = self
                    .examples_in(&dir)
                    .iter()
                    .flat_map(|p| self.examples[*p].iter().map(|e| e.name.clone()))
                    .collect();
                (dir, names)
            })
            .collect();
        let has_env_file_above = |path: &str| {
            let mut dir = dir_of(path);
            loop {
                if self.env_files.keys().any(|p| dir_of(p) == dir) {
                    return true;
                }
                if dir.is_empty() {
                    return false;
                }
                dir = dir_of(dir);
            }
        };
        let mut consider = |path: &str, name: &str, line: usize, from_env_file: bool| {
            if is_ignored(name, ignore) {
                return;
            }
            match self.governing_dir(path) {
                Some(dir) if !documented[&dir].contains(name) => {
                    missing
                        .entry((Some(dir), name.to_string()))
                        .or_default()
                        .push((path.to_string(), line));
                }
                Some(_) => {}
                // No example file: suggest one only where an env file shows the project
                // configures itself through the environment.
                None if from_env_file || has_env_file_above(path) => {
                    missing
                        .entry((None, name.to_string()))
                        .or_default()
                        .push((path.to_string(), line));
                }
                None => {}
            }
        };
        for (path, refs) in &self.refs {
            for r in refs {
                consider(path, &r.name, r.line, false);
            }
        }
        for (path, entries) in &self.env_files {
            for e in entries {
                consider(path, &e.name, e.line, true);
            }
        }
        for ((dir, name), mut refs) in missing {
            // Code that reads the name first, then env files that set it.
            refs.sort_by(|a, b| {
                let rank = |p: &str| role(p) != Role::Other;
                (rank(&a.0), &a.0, a.1).cmp(&(rank(&b.0), &b.0, b.1))
            });
            refs.dedup();
            let (path, line) = refs[0].clone();
            let example = dir.as_ref().map(|d| self.examples_in(d)[0].to_string());
            let used = if refs.iter().any(|(p, _)| role(p) == Role::Other) {
                "is read by the code".to_string()
            } else {
                format!("is set in {path}")
            };
            let message = match &example {
                Some(e) => format!("{name} {used} but missing from {e}"),
                None => format!(
                    "{name} {used} but no .env.example documents it: create one \
                     (keyhound env --fix)"
                ),
            };
            out.push(env_finding(
                FindingKind::EnvMissingExample,
                Severity::Low,
                path,
                line,
                message,
                EnvInfo {
                    name: name.clone(),
                    example_file: example,
                    references: refs.iter().map(|(p, l)| format!("{p}:{l}")).collect(),
                },
            ));
        }
        for (path, entries) in &self.env_files {
            let with_values: Vec<&EnvEntry> = entries.iter().filter(|e| e.has_value).collect();
            if with_values.is_empty() || !committed(path) {
                continue;
            }
            let names: Vec<String> = with_values.iter().map(|e| e.name.clone()).collect();
            out.push(env_finding(
                FindingKind::EnvFileCommitted,
                Severity::High,
                path.clone(),
                with_values[0].line,
                format!(
                    "{path} holds values for {} variable{} and is committed: remove it from \
                     the repository, add it to .gitignore and rotate what it holds",
                    names.len(),
                    if names.len() == 1 { "" } else { "s" }
                ),
                EnvInfo {
                    name: names.join(","),
                    example_file: self
                        .governing_dir(path)
                        .map(|d| self.examples_in(&d)[0].to_string()),
                    references: with_values
                        .iter()
                        .map(|e| format!("{path}:{}", e.line))
                        .collect(),
                },
            ));
        }
        out
    }
}

/// Rule metadata for the env finding kinds (they come from this module, not from rules).
pub fn rule_info(kind: FindingKind) -> Option<crate::report::RuleInfo> {
    const DOC: &str = "https://github.com/keyhound/keyhound#env-hygiene";
    let (name, description, severity, remediation) = match kind {
        FindingKind::EnvMissingExample => (
            "Env var missing from the example file",
            "Code reads this environment variable (or .env sets it), but the .env.example that \
             governs the file does not list it, so a new developer or deployment cannot know it \
             is needed.",
            Severity::Low,
            "Add the name with an empty or placeholder value to the example file \
             (`keyhound env --fix` does it).",
        ),
        FindingKind::EnvFileCommitted => (
            "Env file with values committed",
            "An env file holding real values is tracked by git (or, outside git, not ignored).",
            Severity::High,
            "Remove the file from the repository (`git rm --cached`), add it to .gitignore, \
             rotate every credential it holds, and document the names in .env.example instead.",
        ),
        FindingKind::EnvExampleSecret => (
            "Secret in an env example file",
            "An example env file, which is committed and shared, holds a real-looking secret.",
            Severity::High,
            "Replace the value with a placeholder and rotate the key: it has been shared with \
             everyone who can read the repository.",
        ),
        FindingKind::Secret | FindingKind::ClientExposure => return None,
    };
    Some(crate::report::RuleInfo {
        id: kind.as_str().to_string(),
        name: name.to_string(),
        description: description.to_string(),
        severity,
        tags: vec!["env".to_string()],
        remediation: remediation.to_string(),
        references: vec![DOC.to_string()],
    })
}

/// A (path, line) that reads or sets a name.
type Reference = (String, usize);

/// Env details of a finding (JSON `env`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvInfo {
    /// The variable (for a committed env file: its names with values, comma-separated).
    pub name: String,
    /// The governing example file, or none.
    pub example_file: Option<String>,
    /// Every `path:line` that reads (or sets) it.
    pub references: Vec<String>,
}

fn env_finding(
    kind: FindingKind,
    severity: Severity,
    path: String,
    line: usize,
    message: String,
    env: EnvInfo,
) -> Finding {
    let id = kind.as_str();
    let key = format!(
        "{}\0{}",
        env.example_file.as_deref().unwrap_or(""),
        if kind == FindingKind::EnvFileCommitted {
            &path
        } else {
            &env.name
        }
    );
    Finding {
        kind,
        rule_id: id.to_string(),
        rule_name: match kind {
            FindingKind::EnvMissingExample => "Env var missing from the example file",
            FindingKind::EnvFileCommitted => "Env file with values committed",
            _ => "Secret in an env example file",
        }
        .to_string(),
        severity,
        path,
        line,
        column: 1,
        end_line: line,
        end_column: 1,
        secret: String::new(),
        fingerprint: fingerprint(id, key.as_bytes()),
        message,
        snippet: vec![SnippetPart::Text(env.name.clone())],
        client_safe: false,
        git: None,
        env: Some(Box::new(env)),
        exposure: None,
    }
}

/// Turns secret findings in example files into `env-example-secret` findings (an example
/// file must hold placeholders or nothing); other findings pass unchanged.
pub fn reclassify_example_secrets(found: &mut [Finding]) {
    for f in found.iter_mut() {
        if f.kind != FindingKind::Secret || role(&f.path) != Role::Example {
            continue;
        }
        let name = f
            .snippet
            .iter()
            .find_map(|p| match p {
                SnippetPart::Text(t) => t
                    .trim()
                    .trim_start_matches("export ")
                    .split('=')
                    .next()
                    .map(|n| n.trim().to_string()),
                _ => None,
            })
            .filter(|n| is_env_name(n))
            .unwrap_or_default();
        f.message = format!(
            "{} in the example file {}: example files must hold placeholders; rotate the key",
            f.rule_name, f.path
        );
        f.kind = FindingKind::EnvExampleSecret;
        f.rule_name = format!("Secret in an env example file ({})", f.rule_name);
        f.rule_id = "env-example-secret".to_string();
        f.severity = f.severity.max(Severity::High);
        f.env = Some(Box::new(EnvInfo {
            name,
            example_file: Some(f.path.clone()),
            references: vec![format!("{}:{}", f.path, f.line)],
        }));
    }
}

/// Appends `NAME=` for each missing name to its example file (creating `.env.example` next
/// to the env file, or at the scan root, when none governs), keeping existing content.
/// Returns (file relative to the root, names added).
pub fn fix(
    root: &std::path::Path,
    found: &[Finding],
) -> std::io::Result<Vec<(String, Vec<String>)>> {
    let mut plan: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in found {
        if f.kind != FindingKind::EnvMissingExample {
            continue;
        }
        let Some(env) = &f.env else { continue };
        let target = env.example_file.clone().unwrap_or_else(|| {
            let dir = dir_of(&f.path);
            if dir.is_empty() {
                ".env.example".to_string()
            } else {
                format!("{dir}/.env.example")
            }
        });
        let names = plan.entry(target).or_default();
        if !names.contains(&env.name) {
            names.push(env.name.clone());
        }
    }
    let mut done = Vec::new();
    for (rel, names) in plan {
        let path = root.join(&rel);
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        for n in &names {
            text.push_str(n);
            text.push_str("=\n");
        }
        std::fs::write(&path, text)?;
        done.push((rel, names));
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(path: &str, src: &str) -> Vec<String> {
        references(path, src.as_bytes())
            .into_iter()
            .map(|r| r.name)
            .collect()
    }

    #[test]
    fn lookups_by_language() {
        assert_eq!(
            names(
                "a.py",
                "os.environ['A']\nos.environ.get(\"B\", 'x')\nos.getenv('C')\nenviron.get('D')\nos.environ[name]"
            ),
            ["A", "B", "C", "D"]
        );
        assert_eq!(
            names(
                "a.ts",
                "process.env.A; process.env['B']; const { C, D: d, E = 1, ...rest } = process.env;\nimport.meta.env.F; Deno.env.get('G'); Bun.env.H; process.env[key]"
            ),
            ["A", "B", "C", "D", "E", "F", "G", "H"]
        );
        assert_eq!(
            names(
                "m.rs",
                r#"env::var("A"); std::env::var_os("B"); env!("C"); option_env!("D")"#
            ),
            ["A", "B", "C", "D"]
        );
        assert_eq!(
            names("m.go", r#"os.Getenv("A"); os.LookupEnv("B")"#),
            ["A", "B"]
        );
        assert_eq!(names("m.rb", "ENV['A']; ENV.fetch(\"B\")"), ["A", "B"]);
        assert_eq!(
            names(
                "c.php",
                "getenv('A'); $_ENV['B']; env('C', 'x'); $x->env('NO')"
            ),
            ["A", "B", "C"]
        );
        assert_eq!(names("M.java", r#"System.getenv("A")"#), ["A"]);
        assert_eq!(
            names("P.cs", r#"Environment.GetEnvironmentVariable("A")"#),
            ["A"]
        );
        assert_eq!(
            names(
                "docker-compose.yml",
                "image: x:${TAG:-latest}\n  - DB=${DB_URL}\n  - ESC=$${NOT_ME}\n"
            ),
            ["TAG", "DB_URL"]
        );
        assert!(names("notes.md", "process.env.A").is_empty());
    }

    #[test]
    fn roles_by_file_name() {
        assert_eq!(role(".env.example"), Role::Example);
        assert_eq!(role("app/.env.sample"), Role::Example);
        assert_eq!(role(".env.local.template"), Role::Example);
        assert_eq!(role("env.example"), Role::Example);
        assert_eq!(role(".env"), Role::EnvFile);
        assert_eq!(role(".env.production"), Role::EnvFile);
        assert_eq!(role("deploy/prod.env"), Role::EnvFile);
        assert_eq!(role("env.d.ts"), Role::Other);
        assert_eq!(role(".env.d.ts"), Role::Other);
        assert_eq!(role(".envrc"), Role::Other);
    }

    #[test]
    fn env_files_parse_names_and_values() {
        let e = parse_env(b"# c\nA=1\nexport B=\"x y\"\nC=\nD='' \nE= # note\nbad line\n1X=2\n");
        let got: Vec<(&str, usize, bool)> = e
            .iter()
            .map(|e| (e.name.as_str(), e.line, e.has_value))
            .collect();
        assert_eq!(
            got,
            [
                ("A", 2, true),
                ("B", 3, true),
                ("C", 4, false),
                ("D", 5, false),
                ("E", 6, false)
            ]
        );
    }

    #[test]
    fn nearest_example_governs_and_missing_names_are_found() {
        let mut ix = EnvIndex::default();
        ix.add(".env.example", b"A=\n");
        ix.add("svc/.env.example", b"B=\n");
        ix.add(
            "app.py",
            b"os.getenv('A'); os.getenv('Z'); os.getenv('HOME')",
        );
        ix.add("svc/x/main.go", br#"os.Getenv("B"); os.Getenv("A")"#);
        let f = ix.findings(&[], &|_| false);
        let got: Vec<(String, String, Option<String>)> = f
            .iter()
            .map(|f| {
                let e = f.env.as_ref().unwrap();
                (e.name.clone(), f.path.clone(), e.example_file.clone())
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Z".into(), "app.py".into(), Some(".env.example".into())),
                (
                    "A".into(),
                    "svc/x/main.go".into(),
                    Some("svc/.env.example".into())
                ),
            ]
        );
    }

    #[test]
    fn committed_env_files_with_values_are_reported() {
        let mut ix = EnvIndex::default();
        ix.add(".env", b"A=1\n");
        ix.add("empty/.env", b"A=\n");
        ix.add(".env.example", b"A=\n");
        let f = ix.findings(&[], &|p| p == ".env" || p == "empty/.env");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, FindingKind::EnvFileCommitted);
        assert_eq!(f[0].path, ".env");
    }
}
