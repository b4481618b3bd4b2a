//! Rules: what a secret looks like. Owns the rule schema (`rules/*.toml`, documented in
//! `rules/README.md`), loading the built-in files embedded by `build.rs`, and validating a rule
//! set (unique ids, compiling regexes with a `secret` group, known validators, keywords present
//! in every positive example). It compiles each regex exactly once; it does no scanning.

use std::collections::HashSet;
use std::fmt;

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
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default, rename = "match")]
    pub positive: Vec<String>,
    #[serde(default)]
    pub no_match: Vec<String>,
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

/// A validated rule with its regex compiled.
#[derive(Debug, Clone)]
pub struct Rule {
    pub spec: RuleSpec,
    pub regex: Regex,
    /// Index of the `secret` capture group.
    pub secret_group: usize,
    /// Yields to provider rules on the same secret: `fallback = true`, or the generic validator.
    pub fallback: bool,
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.spec.id
    }
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

/// Upper bound on a compiled regex, so a pathological rule is an error, not a memory blow-up.
const REGEX_SIZE_LIMIT: usize = 32 << 20;
/// Lazy-DFA cache per regex per thread. Big enough that broad regexes (the generic detector)
/// do not thrash and fall back to the slow NFA on keyword-dense text (measured: 3 -> 35 MiB/s),
/// small enough that rules x threads stays well under Kingfisher's peak RSS.
const DFA_CACHE_LIMIT: usize = 2 << 20;

impl RuleSet {
    /// The rules embedded in the binary.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        let mut specs = Vec::new();
        for (file, text) in BUILTIN_RULE_FILES {
            specs.extend(
                parse_file(file, text)?
                    .into_iter()
                    .map(|s| (file.to_string(), s)),
            );
        }
        RuleSet::from_specs(specs)
    }

    /// Validates and compiles rules given as (file, spec) pairs.
    pub fn from_specs(specs: Vec<(String, RuleSpec)>) -> Result<RuleSet, RuleError> {
        let mut seen = HashSet::new();
        let mut rules = Vec::with_capacity(specs.len());
        for (file, spec) in specs {
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
            let regex = RegexBuilder::new(&spec.regex)
                .size_limit(REGEX_SIZE_LIMIT)
                .dfa_size_limit(DFA_CACHE_LIMIT)
                .build()
                .map_err(|e| invalid(format!("regex does not compile: {e}")))?;
            let secret_group = regex
                .capture_names()
                .position(|n| n == Some("secret"))
                .ok_or_else(|| invalid("regex has no named group `secret`".into()))?;
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
                regex,
                secret_group,
                fallback,
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

/// Parses one rule file.
pub fn parse_file(file: &str, text: &str) -> Result<Vec<RuleSpec>, RuleError> {
    toml::from_str::<RuleFile>(text)
        .map(|f| f.rules)
        .map_err(|e| RuleError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
