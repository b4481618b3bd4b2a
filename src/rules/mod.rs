//! Rules: what a secret looks like. Owns the rule schema (`rules/*.toml`, documented in
//! `rules/README.md`), loading the built-in files embedded by `build.rs`, and validating a rule
//! set (unique ids, compiling regexes with a `secret` group, known validators, keywords present
//! in every positive example). It compiles each regex exactly once; it does no scanning.

use std::collections::HashSet;
use std::fmt;

use rayon::prelude::*;
use regex::bytes::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// How bad a leak of this kind is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            _ => Err(format!(
                "unknown severity {s:?} (expected critical, high, medium or low)"
            )),
        }
    }
}

/// Checks a captured secret beyond what a regex can express.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validator {
    /// `prefix_` + 30 base62 chars + 6 base62 chars of CRC32 (GitHub, npm).
    GithubCrc32,
    /// Three base64url segments with a JSON header holding `alg`.
    Jwt,
    /// `pypi-` + base64url of a macaroon for pypi.org.
    PypiMacaroon,
    /// Decodes as standard base64 to at least 16 bytes.
    Base64Key,
    /// The generic assignment detector's randomness and context tests.
    Generic,
    /// Standard base64 of `user:password` (HTTP Basic auth, Docker config `auth`) with a real
    /// password (or, for API-key-as-username schemes, a real user part).
    BasicAuth,
    /// `user:password` in clear (`curl -u`): the password (or a lone user part) is real.
    UserPassword,
    /// An opaque credential in a position that is only ever a credential (an `Authorization`
    /// or API-key header): not a placeholder, template or variable, and not a word.
    Token,
    /// Cloudflare scannable tokens: `prefix_` + 40 characters + 8 lowercase hex digits of the
    /// CRC32 (IEEE) of those 40 characters.
    CloudflareCrc32,
    /// Grafana service account tokens: `glsa_` + 32 characters + `_` + 8 hex digits of the
    /// CRC32 (IEEE) of `glsa_<32 characters>`, little-endian.
    GrafanaCrc32,
    /// A Bech32 string (BIP-173) with a valid checksum: age identities and recipients.
    Bech32,
    /// Sentry org auth tokens: the `sntrys_` payload is base64 JSON with `iat` and `org`.
    SentryOrgToken,
    /// A Kubernetes `Secret` data value: standard base64 of at least 6 bytes that is not a
    /// certificate or public key, not a placeholder, and not under a non-secret key.
    KubernetesData,
}

/// A structural region that restricts where a rule's regex runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    /// The `data:` block of a YAML document whose `kind` is `Secret`.
    KubernetesSecretData,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default, rename = "match")]
    pub positive: Vec<String>,
    #[serde(default)]
    pub no_match: Vec<String>,
    /// Path the examples are scanned under (default `example.txt`); needed by rules with `paths`.
    #[serde(default)]
    pub path: Option<String>,
}

/// One rule as written in a TOML file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub name: String,
    pub description: String,
    pub severity: Severity,
    pub keywords: Vec<String>,
    pub regex: String,
    #[serde(default)]
    pub min_entropy: Option<f64>,
    #[serde(default)]
    pub validator: Option<Validator>,
    #[serde(default)]
    pub multiline: bool,
    #[serde(default)]
    pub client_safe: bool,
    /// Yields to any other rule that matches the same secret (broad, catch-all rules).
    #[serde(default)]
    pub fallback: bool,
    /// On overlapping matches of two provider rules, the higher priority wins (default 0):
    /// a specific rule (a provider's key block) over a generic format (any EC private key).
    #[serde(default)]
    pub priority: i32,
    /// The pattern alone is not distinctive (a bare 32-hex key next to a provider keyword):
    /// the rule does not run in generated or vendored files (lockfiles, minified bundles,
    /// source maps, `vendor/`), which are full of hashes.
    #[serde(default)]
    pub contextual: bool,
    /// Run the regex only inside this structural region of the file (found when a keyword
    /// occurs), instead of around each keyword.
    #[serde(default)]
    pub region: Option<Region>,
    /// Regex over the slash-separated path: the rule runs only on files whose path matches.
    #[serde(default)]
    pub paths: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub remediation: String,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(default)]
    pub examples: Examples,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rules: Vec<RuleSpec>,
}

/// A validated rule. Its regex is compiled on first use (built-in rules, whose regexes the
/// test suite compiles) or up front (rules from `--rules` files, so mistakes fail fast): a
/// pre-commit scan of a few lines compiles only the handful of rules its keywords select.
#[derive(Debug, Clone)]
pub struct Rule {
    pub spec: RuleSpec,
    compiled: std::sync::OnceLock<Compiled>,
    /// Yields to provider rules on the same secret: `fallback = true`, or the generic validator.
    pub fallback: bool,
    /// Compiled `paths`.
    pub paths: Option<regex::Regex>,
}

#[derive(Debug, Clone)]
struct Compiled {
    regex: Regex,
    /// Index of the `secret` capture group.
    secret_group: usize,
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.spec.id
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            compile(&self.spec).unwrap_or_else(|e| {
                // Unreachable for rules that passed `from_specs`: built-in regexes are compiled
                // by the test suite, and rule files' regexes are compiled when loaded.
                panic!("rule {}: {e}", self.spec.id)
            })
        })
    }

    /// The compiled regex (compiled now if this is its first use).
    pub fn regex(&self) -> &Regex {
        &self.compiled().regex
    }

    /// Index of the regex's `secret` capture group.
    pub fn secret_group(&self) -> usize {
        self.compiled().secret_group
    }
}

/// Compiles a rule's regex and finds its `secret` group.
fn compile(spec: &RuleSpec) -> Result<Compiled, String> {
    let regex = compile_regex(spec).map_err(|e| format!("regex does not compile: {e}"))?;
    let secret_group = regex
        .capture_names()
        .position(|n| n == Some("secret"))
        .ok_or_else(|| "regex has no named group `secret`".to_string())?;
    Ok(Compiled {
        regex,
        secret_group,
    })
}

/// Why a rule set could not be built.
#[derive(Debug)]
pub enum RuleError {
    Parse {
        file: String,
        message: String,
    },
    Invalid {
        file: String,
        id: String,
        message: String,
    },
    Empty,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::Parse { file, message } => write!(f, "{file}: {message}"),
            RuleError::Invalid { file, id, message } => write!(f, "{file}: rule {id:?}: {message}"),
            RuleError::Empty => f.write_str("no rules are active"),
        }
    }
}

impl std::error::Error for RuleError {}

/// The rules of one scan, in a stable order (by file, then position in the file).
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

/// Changes a config makes to the loaded rule specs (disable, severity overrides).
pub type SpecAdjust<'a> = dyn Fn(&mut Vec<(String, RuleSpec)>) -> Result<(), String> + 'a;

/// Upper bound on a compiled regex, so a pathological rule is an error, not a memory blow-up.
const REGEX_SIZE_LIMIT: usize = 32 << 20;
/// Lazy-DFA cache per regex per thread. Big enough that broad regexes (the generic detector)
/// do not thrash and fall back to the slow NFA on keyword-dense text (measured: 3 -> 35 MiB/s),
/// small enough that rules x threads stays well under Kingfisher's peak RSS.
const DFA_CACHE_LIMIT: usize = 2 << 20;

impl RuleSet {
    /// The rules embedded in the binary.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        RuleSet::with_extra(&[])
    }

    /// Compiles every regex now (on all cores) instead of on first use: for long scans that
    /// will use most rules, and for tests that must see every regex compile.
    pub fn compile_all(&self) -> Result<(), RuleError> {
        self.rules.par_iter().try_for_each(|r| {
            if r.compiled.get().is_some() {
                return Ok(());
            }
            let c = compile(&r.spec).map_err(|message| RuleError::Invalid {
                file: String::new(),
                id: r.spec.id.clone(),
                message,
            })?;
            let _ = r.compiled.set(c);
            Ok(())
        })
    }

    /// The built-in rules (unless `replace_builtin`), the rule files in `extra` and the
    /// config's own rules, after `adjust` (disable, severity overrides) has seen them.
    pub fn configured(
        extra: &[std::path::PathBuf],
        replace_builtin: bool,
        config_rules: Vec<(String, RuleSpec)>,
        adjust: &SpecAdjust<'_>,
    ) -> Result<RuleSet, RuleError> {
        let mut specs: Vec<(String, RuleSpec)> = Vec::new();
        if !replace_builtin {
            for (file, text) in BUILTIN_RULE_FILES {
                specs.extend(
                    parse_file(file, text)?
                        .into_iter()
                        .map(|s| (file.to_string(), s)),
                );
            }
        }
        let builtin = specs.len();
        for path in extra {
            for file in toml_files(path)? {
                let name = file.display().to_string();
                let text = std::fs::read_to_string(&file).map_err(|e| RuleError::Parse {
                    file: name.clone(),
                    message: format!("cannot read: {e}"),
                })?;
                specs.extend(
                    parse_file(&name, &text)?
                        .into_iter()
                        .map(|s| (name.clone(), s)),
                );
            }
        }
        specs.extend(config_rules);
        // Built-in rules keep their place (and compile lazily); the rest compile now.
        let ids: Vec<String> = specs[..builtin].iter().map(|(_, s)| s.id.clone()).collect();
        adjust(&mut specs).map_err(|message| RuleError::Parse {
            file: "config".to_string(),
            message,
        })?;
        let marked = specs
            .into_iter()
            .map(|(f, s)| {
                let now = !ids.contains(&s.id);
                (f, s, now)
            })
            .collect();
        RuleSet::from_specs_with(marked)
    }

    /// The built-in rules plus the rule files (or directories of `*.toml` files) in `extra`.
    pub fn with_extra(extra: &[std::path::PathBuf]) -> Result<RuleSet, RuleError> {
        RuleSet::configured(extra, false, Vec::new(), &|_| Ok(()))
    }

    /// Validates and compiles rules given as (file, spec) pairs.
    pub fn from_specs(specs: Vec<(String, RuleSpec)>) -> Result<RuleSet, RuleError> {
        RuleSet::from_specs_with(specs.into_iter().map(|(f, s)| (f, s, true)).collect())
    }

    /// Validates rules given as (file, spec, compile now) triples; the others compile lazily.
    fn from_specs_with(specs: Vec<(String, RuleSpec, bool)>) -> Result<RuleSet, RuleError> {
        // Compiling is most of the start-up time: what must be compiled now, on every core.
        let mut compiled = specs
            .par_iter()
            .map(|(_, spec, now)| now.then(|| compile(spec)))
            .collect::<Vec<_>>()
            .into_iter();
        let mut seen = HashSet::new();
        let mut rules = Vec::with_capacity(specs.len());
        for (file, spec, _) in specs {
            let invalid = |message: String| RuleError::Invalid {
                file: file.clone(),
                id: spec.id.clone(),
                message,
            };
            if !is_kebab(&spec.id) {
                return Err(invalid(
                    "id must be kebab-case: lowercase letters, digits and '-'".into(),
                ));
            }
            if !seen.insert(spec.id.clone()) {
                return Err(invalid("duplicate rule id".into()));
            }
            if spec.keywords.is_empty() || spec.keywords.iter().any(|k| k.trim().is_empty()) {
                return Err(invalid("needs at least one non-empty keyword".into()));
            }
            let cell = std::sync::OnceLock::new();
            if let Some(c) = compiled.next().expect("one entry per spec") {
                let _ = cell.set(c.map_err(invalid)?);
            }
            let paths = match &spec.paths {
                None => None,
                Some(p) => Some(
                    regex::RegexBuilder::new(p)
                        .size_limit(REGEX_SIZE_LIMIT)
                        .build()
                        .map_err(|e| invalid(format!("paths regex does not compile: {e}")))?,
                ),
            };
            for ex in &spec.examples.positive {
                let lower = ex.to_ascii_lowercase();
                if !spec
                    .keywords
                    .iter()
                    .any(|k| lower.contains(&k.to_ascii_lowercase()))
                {
                    return Err(invalid(format!(
                        "match example contains none of the rule's keywords: {ex:?}"
                    )));
                }
            }
            let fallback = spec.fallback || spec.validator == Some(Validator::Generic);
            rules.push(Rule {
                spec,
                compiled: cell,
                fallback,
                paths,
            });
        }
        if rules.is_empty() {
            return Err(RuleError::Empty);
        }
        Ok(RuleSet { rules })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.spec.id == id)
    }

    /// Keeps only the rules for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&Rule) -> bool) {
        self.rules.retain(keep)
    }
}

/// Compiles a rule's regex. Secrets are ASCII: ASCII `\w`, `\b`, `(?i)` and classes keep the
/// automata small (Unicode classes multiply NFA size and lazy-DFA states). Broad rules get the
/// larger lazy-DFA cache.
fn compile_regex(spec: &RuleSpec) -> Result<Regex, regex::Error> {
    let broad = spec.fallback || spec.validator == Some(Validator::Generic);
    RegexBuilder::new(&spec.regex)
        .unicode(false)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(if broad {
            DFA_CACHE_LIMIT
        } else {
            DFA_CACHE_LIMIT / 8
        })
        .build()
}

/// Parses one rule file.
pub fn parse_file(file: &str, text: &str) -> Result<Vec<RuleSpec>, RuleError> {
    toml::from_str::<RuleFile>(text)
        .map(|f| f.rules)
        .map_err(|e| RuleError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })
}

/// `path` itself, or the `*.toml` files directly inside it, sorted.
fn toml_files(path: &std::path::Path) -> Result<Vec<std::path::PathBuf>, RuleError> {
    let err = |e: std::io::Error| RuleError::Parse {
        file: path.display().to_string(),
        message: format!("cannot read: {e}"),
    };
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<_> = std::fs::read_dir(path)
        .map_err(err)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
