//! External test suite: gitleaks' rule self-test strings (`../shared/peer-examples/`, or the
//! file named by `KEYHOUND_GITLEAKS_EXAMPLES`). Every `match` string should produce a keyhound
//! finding (target >= 99%); a `no-match` string should produce no finding from the same
//! provider (target <= 2%). Prints the figures and the misses; skips visibly when the file is
//! absent. keyhound's rules are not derived from these strings: they are test inputs only.

use std::collections::BTreeMap;
use std::path::PathBuf;

use keyhound::engine::Engine;
use keyhound::rules::RuleSet;
use keyhound::selftest::{rule_ids_found, DEFAULT_EXAMPLE_PATH};

fn examples_file() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KEYHOUND_GITLEAKS_EXAMPLES") {
        return Some(PathBuf::from(p));
    }
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/peer-examples/gitleaks.jsonl");
    p.exists().then_some(p)
}

/// gitleaks rule-id prefixes whose provider keyhound names differently (tags or id words).
const PROVIDER_ALIASES: &[(&str, &[&str])] = &[
    ("gcp", &["google", "gcp"]),
    ("generic", &["generic"]),
    ("curl", &["generic", "curl", "basic-auth"]),
    ("kubernetes", &["kubernetes"]),
    ("private", &["private-key"]),
    ("pkcs12", &["pkcs12", "private-key"]),
    ("hashicorp", &["hashicorp", "terraform", "vault"]),
    ("flyio", &["fly", "flyio"]),
    ("intra42", &["42", "intra42"]),
];

/// The words that name a gitleaks rule's provider, matched against keyhound rule tags and id
/// segments.
fn provider_words(gitleaks_rule: &str) -> Vec<String> {
    let first = gitleaks_rule.split('-').next().unwrap_or(gitleaks_rule);
    for (prefix, words) in PROVIDER_ALIASES {
        if first == *prefix {
            return words.iter().map(|w| w.to_string()).collect();
        }
    }
    vec![first.to_string()]
}

fn same_provider(engine: &Engine, rule_id: &str, words: &[String]) -> bool {
    let Some(rule) = engine.rules().get(rule_id) else {
        return false;
    };
    words.iter().any(|w| {
        rule.spec.tags.iter().any(|t| t == w)
            || rule_id.split('-').any(|seg| seg == w)
            || rule_id.starts_with(&format!("{w}-"))
    })
}

#[derive(Default)]
struct Tally {
    matched: usize,
    match_total: usize,
    flagged_same: usize,
    flagged_any: usize,
    no_match_total: usize,
}

#[test]
fn gitleaks_peer_examples() {
    let Some(path) = examples_file() else {
        println!(
            "SKIPPED gitleaks peer examples: ../shared/peer-examples/gitleaks.jsonl not found \
             (set KEYHOUND_GITLEAKS_EXAMPLES to its path to run this suite)"
        );
        eprintln!("SKIPPED gitleaks peer examples: file not found");
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let engine = Engine::new(RuleSet::builtin().unwrap());
    let mut total = Tally::default();
    let mut per_rule: BTreeMap<String, Tally> = BTreeMap::new();
    // No-match strings that gitleaks itself lists as a match for another rule are real
    // secrets of a sibling kind (a Cloudflare Origin CA key among the API-key negatives):
    // counted apart, not as false alarms.
    let examples: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect();
    let positives: std::collections::HashSet<&str> = examples
        .iter()
        .filter(|v| v["expect"] == "match")
        .filter_map(|v| v["text"].as_str())
        .collect();
    let mut sibling_positives = 0;
    let mut placeholder_misses = 0;
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();
    for ex in &examples {
        let rule = ex["rule"].as_str().unwrap().to_string();
        let body = ex["text"].as_str().unwrap();
        let file = ex["path"].as_str().unwrap_or(DEFAULT_EXAMPLE_PATH);
        let found = rule_ids_found(&engine, body, file);
        let tally = per_rule.entry(rule.clone()).or_default();
        if ex["expect"] == "match" {
            total.match_total += 1;
            tally.match_total += 1;
            if found.is_empty() {
                let why = if has_placeholder_value(body) {
                    placeholder_misses += 1;
                    " (placeholder value)"
                } else {
                    ""
                };
                misses.push(format!("{rule}{why}: {}", body.escape_debug()));
            } else {
                total.matched += 1;
                tally.matched += 1;
            }
        } else if positives.contains(body) {
            sibling_positives += 1;
        } else {
            total.no_match_total += 1;
            tally.no_match_total += 1;
            let words = provider_words(&rule);
            if found.iter().any(|id| same_provider(&engine, id, &words)) {
                total.flagged_same += 1;
                tally.flagged_same += 1;
                false_alarms.push(format!(
                    "{rule} [{}]: {}",
                    found.join(","),
                    body.escape_debug()
                ));
            }
            if !found.is_empty() {
                total.flagged_any += 1;
                tally.flagged_any += 1;
            }
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!("gitleaks peer examples ({}):", path.display());
    for (rule, t) in &per_rule {
        if t.matched < t.match_total || t.flagged_same > 0 {
            println!(
                "  {rule:<45} match {}/{}  no-match flagged {}/{}",
                t.matched, t.match_total, t.flagged_same, t.no_match_total
            );
        }
    }
    for m in &misses {
        println!("  MISS {}", truncate(m));
    }
    for m in &false_alarms {
        println!("  FLAGGED {}", truncate(m));
    }
    let recall = pct(total.matched, total.match_total);
    let flagged = pct(total.flagged_same, total.no_match_total);
    println!(
        "match examples found: {}/{} ({recall:.1}%); no-match examples flagged by the same \
         provider: {}/{} ({flagged:.1}%), by any rule: {}/{} ({:.1}%)",
        total.matched,
        total.match_total,
        total.flagged_same,
        total.no_match_total,
        total.flagged_any,
        total.no_match_total,
        pct(total.flagged_any, total.no_match_total)
    );
    println!(
        "match examples found, not counting {placeholder_misses} misses whose value is a \
         placeholder keyhound rejects by design (sequential or repeated filler such as \
         12345678-ABCD-ABCD-ABCD-1234567890AB): {}/{} ({:.1}%); {sibling_positives} no-match \
         strings that gitleaks lists as matches of a sibling rule were not counted",
        total.matched,
        total.match_total - placeholder_misses,
        pct(total.matched, total.match_total - placeholder_misses)
    );
    let min_recall: f64 = std::env::var("KEYHOUND_GITLEAKS_MIN_MATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    assert!(
        recall >= min_recall,
        "match recall {recall:.1}% below {min_recall}%"
    );
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 160 {
        format!("{}...", s.chars().take(160).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Does `text` hold a credential-shaped token (16+ characters) that is filler: long runs of
/// one character, or sequences like `12345678` / `ABCDEFGH`?
fn has_placeholder_value(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || "-_+/=.~".contains(c)))
        .filter(|t| t.len() >= 16)
        .any(|t| {
            let b = t.as_bytes();
            let run = b.windows(6).any(|w| w.iter().all(|&c| c == w[0]));
            let seq = b
                .windows(6)
                .any(|w| w.windows(2).all(|p| p[1] as i32 - p[0] as i32 == 1));
            let lower = t.to_ascii_lowercase();
            run || seq
                || ["fake", "example", "abcd-abcd", "xxxx"]
                    .iter()
                    .any(|f| lower.contains(f))
        })
}
