//! The generic assignment detector's judgement: is the value assigned to a secret-like name
//! (`password`, `api_key`, `token`, ...) really a secret? It rejects names that hold hashes or
//! metadata (`sha256`, `integrity`, `token_type`), values that are code (env lookups, calls,
//! attribute paths), paths, URLs, UUIDs, and natural-language or identifier-like strings, and
//! asks the rest to look random: several character classes and enough entropy for their length.

use super::entropy::shannon;

/// Name fragments that mark a field holding metadata or a digest, not a secret.
const NON_SECRET_NAME_PARTS: &[&str] = &[
    "hash",
    "sha1",
    "sha256",
    "sha512",
    "sha_",
    "md5",
    "checksum",
    "integrity",
    "digest",
    "fingerprint",
    "public",
    "pubkey",
    "publishable",
    "_id",
    "id_",
    "name",
    "type",
    "field",
    "label",
    "path",
    "file",
    "url",
    "uri",
    "endpoint",
    "length",
    "format",
    "prefix",
    "suffix",
    "regex",
    "pattern",
    "mode",
    "version",
    "expir",
    "ttl",
    "timeout",
    "placeholder",
    "hint",
    "_min",
    "_max",
    "rule",
    "strength",
    "reset",
    "column",
    "param",
    "attr",
    "prompt",
    "message",
    "error",
    "_msg",
    "title",
    "desc",
    "cache",
    "limit",
    "size",
    "_len",
    "count",
    "index",
    "_key_id",
    "keyid",
    "tokenizer",
    "tokens",
    "_at",
    "date",
    "time",
    "enabled",
    "required",
    "class",
    "policy",
    "method",
];

/// Is `value`, assigned to `name`, a secret? `next` is the byte right after the value.
pub fn is_secret(name: &[u8], value: &[u8], next: Option<u8>) -> bool {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    if NON_SECRET_NAME_PARTS.iter().any(|p| name.contains(p)) {
        return false;
    }
    let Ok(v) = std::str::from_utf8(value) else {
        return false;
    };
    if v.len() < 8 || v.len() > 256 {
        return false;
    }
    // A call or an attribute access right after the value: it is code, not data.
    if matches!(next, Some(b'(') | Some(b'.') | Some(b'[')) {
        return false;
    }
    if looks_like_code(v) || looks_like_path_or_url(v) || is_uuid(v) {
        return false;
    }
    looks_random(v)
}

fn looks_like_code(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    const CODE_PREFIXES: &[&str] = &[
        "process.",
        "os.",
        "env.",
        "env:",
        "env[",
        "getenv",
        "system.",
        "config.",
        "settings.",
        "self.",
        "this.",
        "import.",
        "request.",
        "req.",
        "params.",
        "args.",
        "props.",
        "vars.",
        "secrets.",
        "context.",
        "ctx.",
        "opts.",
        "options.",
        "window.",
        "document.",
        "environ",
        "std::",
        "null",
        "none",
        "nil",
        "undefined",
        "true",
        "false",
        "function",
        "lambda",
        "new ",
        "await",
        "return",
    ];
    if CODE_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    if v.contains("()") || v.contains("::") || v.contains("->") {
        return true;
    }
    // Dotted identifiers (`app.config.secret`): every segment an identifier.
    if v.contains('.')
        && v.split('.').all(|s| {
            !s.is_empty()
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && s.bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        })
    {
        return true;
    }
    false
}

fn looks_like_path_or_url(v: &str) -> bool {
    v.contains("://")
        || v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("../")
        || v.starts_with("~/")
        || v.starts_with("c:\\")
        || (v.matches('/').count() >= 2
            && v.split('/')
                .filter(|s| !s.is_empty())
                .all(|s| s.len() >= 2 && is_wordish(s)))
}

fn is_uuid(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A letters-only segment that reads like a word (pronounceable: vowels spread through it).
fn is_wordish(seg: &str) -> bool {
    let letters: Vec<u8> = seg.bytes().filter(|b| b.is_ascii_alphabetic()).collect();
    if letters.len() < 3 {
        return false;
    }
    let is_vowel = |b: u8| {
        matches!(
            b.to_ascii_lowercase(),
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
        )
    };
    let vowels = letters.iter().filter(|&&b| is_vowel(b)).count();
    let ratio = vowels as f64 / letters.len() as f64;
    let (mut run_c, mut max_c) = (0, 0);
    for &b in &letters {
        run_c = if is_vowel(b) { 0 } else { run_c + 1 };
        max_c = max_c.max(run_c);
    }
    (0.2..=0.7).contains(&ratio) && max_c <= 3
}

/// Splits into letter runs at case changes (`camelCase` -> `camel`, `Case`), digits and symbols.
fn word_segments(v: &str) -> Vec<&str> {
    let b = v.as_bytes();
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=b.len() {
        let c = b.get(i).copied();
        let is_letter = c.is_some_and(|c| c.is_ascii_alphabetic());
        let boundary = match (start, c) {
            (Some(_), Some(c)) => {
                !is_letter || (c.is_ascii_uppercase() && i > 0 && b[i - 1].is_ascii_lowercase())
            }
            (Some(_), None) => true,
            _ => false,
        };
        if boundary {
            out.push(&v[start.unwrap()..i]);
            start = None;
        }
        if start.is_none() && is_letter {
            start = Some(i);
        }
    }
    out
}

/// Random enough to be a credential: not mostly words, several character classes, entropy
/// close to what a random string of this length would have.
fn looks_random(v: &str) -> bool {
    let b = v.as_bytes();
    let lower = b.iter().any(|c| c.is_ascii_lowercase());
    let upper = b.iter().any(|c| c.is_ascii_uppercase());
    let digit = b.iter().any(|c| c.is_ascii_digit());
    let symbol = b.iter().any(|c| !c.is_ascii_alphanumeric());
    let classes = [lower, upper, digit, symbol].iter().filter(|&&x| x).count();
    if classes < 2 {
        return false;
    }
    // Identifier-like or prose-like: most letters sit in word-like segments.
    let segments = word_segments(v);
    let letters: usize = segments.iter().map(|s| s.len()).sum();
    let wordy: usize = segments
        .iter()
        .filter(|s| s.len() >= 4 && is_wordish(s))
        .map(|s| s.len())
        .sum();
    if letters > 0 && wordy * 10 >= b.len() * 6 {
        return false;
    }
    // snake_case / kebab-case / SCREAMING_CASE identifiers.
    if !digit
        && b.iter()
            .all(|c| c.is_ascii_alphabetic() || *c == b'_' || *c == b'-')
    {
        return false;
    }
    let floor = match b.len() {
        0..=9 => 2.7,
        10..=15 => 3.0,
        16..=31 => 3.3,
        _ => 3.5,
    };
    shannon(b) >= floor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets() {
        for v in [
            "k8#Lm2$pQ9vX4bN7",
            "9f86d081884c7d659a2feaa0c55ad015",
            "Xk9pQ2mZ7vB4tR",
        ] {
            assert!(is_secret(b"db_password", v.as_bytes(), Some(b'"')), "{v}");
        }
    }

    #[test]
    fn not_secrets() {
        for v in [
            "process.env.DB_PASSWORD",
            "SuperSecretPassword123",
            "my_database_password",
            "get_password",
            "123e4567-e89b-12d3-a456-426614174000",
            "https://example.com/token",
            "settings.SECRET_KEY",
            "passwordInput",
        ] {
            assert!(!is_secret(b"password", v.as_bytes(), None), "{v}");
        }
        assert!(!is_secret(b"password_hash", b"k8#Lm2$pQ9vX4bN7", None));
        assert!(!is_secret(b"token", b"k8Lm2pQ9vX4bN7", Some(b'(')));
    }
}
