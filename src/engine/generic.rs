//! The generic assignment detector's judgement: is the value assigned to a secret-like name
//! (`password`, `api_key`, `token`, ...) really a secret? It rejects names that hold hashes,
//! identifiers or metadata (`sha256`, `integrity`, `token_type`, `tokenId`), values that are
//! code (env lookups, calls, attribute paths, symbols, format strings), paths, URLs, host and
//! file names, UUIDs, public keys, base64 of plain words, and natural-language, leetspeak or
//! identifier-like strings; what is left must look random: several character classes and
//! enough entropy for its length.

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
    "search_key",
    "searchkey",
    "search_api_key",
    "searchapikey",
    "search_only",
    "searchonly",
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
    "csrf",
    "xsrf",
    "authenticity",
    "nonce",
    "salt",
    "encoder",
    "algorithm",
    "cmd",
    "command",
    "env",
    "example",
    "sample",
    "dummy",
    "fake",
    "mock",
];

/// File extensions and domain suffixes: `client.key`, `db.internal`, `api.acme.io`.
const KNOWN_SUFFIXES: &[&str] = &[
    "key",
    "pem",
    "crt",
    "cer",
    "der",
    "p12",
    "pfx",
    "jks",
    "json",
    "yaml",
    "yml",
    "xml",
    "txt",
    "ini",
    "cfg",
    "conf",
    "toml",
    "env",
    "sh",
    "py",
    "js",
    "ts",
    "rb",
    "go",
    "rs",
    "java",
    "php",
    "cs",
    "html",
    "css",
    "md",
    "log",
    "csv",
    "sql",
    "db",
    "sqlite",
    "lock",
    "jar",
    "zip",
    "gz",
    "tar",
    "gpg",
    "asc",
    "pub",
    "com",
    "org",
    "net",
    "io",
    "dev",
    "app",
    "co",
    "uk",
    "de",
    "fr",
    "local",
    "internal",
    "test",
    "example",
    "cloud",
    "ai",
    "gov",
    "edu",
    "us",
    "eu",
    "localhost",
    "svc",
    "cluster",
    "corp",
    "lan",
    "info",
    "biz",
];

/// Words that name secrets; an identifier part containing one is a name, not a value.
const SECRET_WORDS: &[&str] = &[
    "passw", "pwd", "secret", "token", "key", "auth", "cred", "webhook",
];

/// Letter pairs common in English and in identifiers; words are made mostly of these.
const COMMON_BIGRAMS: &str =
    "th he in er an re on at en nd ti es or te of ed is it al ar st to nt \
ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di \
fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we \
na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty \
op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi \
da yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu br \
bi pt ak pu ui rg ib tl ny ki rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr hr cc tw ft wn nu \
af hu nn eo vo rv nf xp gn sm fl iz ok nl my gl aw ju oa eq sy sl ps jo lf nv je nk kn gs dy hy ze \
ks xt bs ik dd cy rp sk xi oe oy ws lv dl rf eu dg wr xa yp rb db bc";

fn bigram_table() -> &'static [bool; 676] {
    static TABLE: std::sync::OnceLock<[bool; 676]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [false; 676];
        for bg in COMMON_BIGRAMS.split_whitespace() {
            let b = bg.as_bytes();
            t[(b[0] - b'a') as usize * 26 + (b[1] - b'a') as usize] = true;
        }
        t
    })
}

/// Is `value`, assigned to `name`, a secret? `prev`/`next` are the bytes around the value.
pub fn is_secret(name: &[u8], value: &[u8], prev: Option<u8>, next: Option<u8>) -> bool {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    if NON_SECRET_NAME_PARTS.iter().any(|p| name.contains(p))
        || name.ends_with("id")
        || name.ends_with("ids")
    {
        return false;
    }
    let Ok(v) = std::str::from_utf8(value) else {
        return false;
    };
    // Printable ASCII only: translated UI text and prose are not credentials.
    if v.len() < 8 || v.len() > 256 || !v.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        return false;
    }
    let quoted = matches!(prev, Some(b'"' | b'\'' | b'`'));
    // A bare argument of a call (`ENC(...)`, `decrypt(...)`) is an expression or ciphertext.
    if prev == Some(b'(') {
        return false;
    }
    // A call, attribute access or list right after the value: it is code, not data.
    if matches!(next, Some(b'(' | b'.' | b'[')) || (!quoted && matches!(next, Some(b',' | b'*'))) {
        return false;
    }
    if is_ciphertext(v) || is_public_client_token(v) {
        return false;
    }
    if looks_like_code(v) || looks_like_path_url_or_host(v) || is_uuid(v) || is_public_key(v) {
        return false;
    }
    if is_identifier_like(v) || is_hex_too_short(v) || decodes_to_plain_text(v) {
        return false;
    }
    // Unquoted in code, a bare identifier is a variable: `token = rawCreds`.
    if !quoted
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !v.bytes().any(|b| b.is_ascii_digit())
    {
        return false;
    }
    looks_random(v)
}

/// Encrypted-at-rest envelopes: committing them is the recommended practice, not a leak.
/// Jasypt/SOPS `ENC(...)`/`ENC[...]`, Spring Cloud Config `{cipher}`, Vault transit
/// `vault:v1:`, Ansible Vault, AWS KMS ciphertext blobs (base64 of `01 02 02 00 78`),
/// OpenPGP messages (base64 of a public-key encrypted session key packet), Fernet tokens and
/// Sealed Secrets (`Ag` + long base64).
/// Tokens that are public by design: Datadog browser (RUM/logs) client tokens, `pub` + 32 hex.
fn is_public_client_token(v: &str) -> bool {
    v.len() == 35 && v.starts_with("pub") && v[3..].bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_ciphertext(v: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "ENC(",
        "ENC[",
        "{cipher}",
        "vault:v",
        "$ANSIBLE_VAULT",
        "AQICAH",
        "wcFMA",
        "wcBMA",
        "hQEMA",
        "hQIMA",
        "gAAAAA",
    ];
    PREFIXES.iter().any(|p| v.starts_with(p))
        || (v.len() >= 200
            && ["AgA", "AgB", "AgC", "AgD"]
                .iter()
                .any(|p| v.starts_with(p)))
}

fn looks_like_code(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    const CODE_PREFIXES: &[&str] = &[
        "process.",
        "os.",
        "env.",
        "env:",
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
        "await",
        "return",
        "classpath:",
        "file:",
        "vault:",
        "arn:",
        "ref+",
        "sm://",
        "op://",
    ];
    if CODE_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    // Password-hash formats (`pbkdf2_sha256$...`, `$2b$12$...`, `{SSHA}...`): digests, not secrets.
    const HASH_FORMATS: &[&str] = &[
        "pbkdf2", "argon2", "bcrypt", "scrypt", "sha1$", "sha256$", "sha512$", "md5$", "{ssha",
        "{sha", "{bcrypt", "$2a$", "$2b$", "$2y$", "$1$", "$5$", "$6$", "$apr1$",
    ];
    if HASH_FORMATS.iter().any(|h| lower.starts_with(h)) {
        return true;
    }
    // `@name`, `@host:port/db`: decorators, references and the tail of a URL, never a secret.
    if v.starts_with('@') {
        return true;
    }
    // Template and reference sigils around a name (`:TYPE_STRING`, `&gss_token`, `*anchor`,
    // `!VAR!`, `%VAR%`), and keys ending in a colon (`key_type:`).
    let core = v.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if core.len() < v.len() {
        let namelike = !core.is_empty()
            && core
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b':'))
            && (is_identifier_like(core)
                || word_coverage(core) >= 0.5
                || core.bytes().all(|b| !b.is_ascii_lowercase())
                || core.bytes().all(|b| !b.is_ascii_uppercase()));
        if namelike && (v.starts_with(|c: char| !c.is_ascii_alphanumeric()) || v.ends_with(':')) {
            return true;
        }
    }
    if is_version(v) {
        return true;
    }
    if v.contains("()")
        || v.contains("::")
        || v.contains("->")
        || v.contains("%s")
        || v.contains("%d")
    {
        return true;
    }
    // Assignments and query strings: `length=15`, `a=b&c=d`, `?apikey=x`.
    if starts_with_assignment(v) || has_query_pair(v) {
        return true;
    }
    // Dotted identifiers (`app.config.secret`): every segment an identifier made of names.
    if v.contains('.')
        && v.split('.').all(|s| {
            !s.is_empty()
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && s.bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
                && s.split('_').filter(|p| !p.is_empty()).all(is_name_part)
        })
    {
        return true;
    }
    false
}

/// `key=` at the start, with an identifier key (`no_log=True`, `vault_id=x`).
fn starts_with_assignment(v: &str) -> bool {
    match v.find('=') {
        Some(i) if (2..=40).contains(&i) => {
            let key = &v[..i];
            key.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                && key
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
                && (key.len() <= 6 || is_identifier_like(key) || word_coverage(key) >= 0.5)
                && v[i..].trim_end_matches('=').len() > 1
        }
        _ => false,
    }
}

/// `&key=` or `?key=` somewhere: a URL query string.
fn has_query_pair(v: &str) -> bool {
    let b = v.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        (c == b'&' || c == b'?') && {
            let rest = &b[i + 1..];
            let n = rest
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            n >= 1 && rest.get(n) == Some(&b'=')
        }
    })
}

/// Version strings: `1.2.3`, `^3.485.0`, `~> 2.0`, `v1.4.0-beta`.
fn is_version(v: &str) -> bool {
    let t = v.trim_start_matches(['^', '~', '>', '<', '=', 'v', ' ']);
    let mut parts = t.split(['.', '-', '+']);
    let numeric =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    numeric(parts.next()) && numeric(parts.next())
}

fn looks_like_path_url_or_host(v: &str) -> bool {
    // `//host/...`: a URL whose `scheme:` was read as the assignment (`credential.https://`).
    if v.contains("://") || v.starts_with("//") || v.starts_with("c:\\") {
        return true;
    }
    // `user@host.domain`: an address, not a secret on its own.
    if let Some((_, host)) = v.rsplit_once('@') {
        let host = host.split('/').next().unwrap_or(host);
        if host.contains('.')
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            && host
                .rsplit('.')
                .next()
                .is_some_and(|tld| KNOWN_SUFFIXES.contains(&tld))
        {
            return true;
        }
    }
    // `name.ext` and `host.example.com`: ends in a short alphabetic extension or TLD.
    if let Some((stem, ext)) = v.rsplit_once('.') {
        if !stem.is_empty()
            && KNOWN_SUFFIXES.contains(&ext)
            && stem
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
        {
            return true;
        }
    }
    // Paths: two or more slashes between segments that read like names, not base64.
    let segments: Vec<&str> = v.split('/').filter(|s| !s.is_empty()).collect();
    if v.matches('/').count() >= 2 {
        let namey = segments
            .iter()
            .filter(|s| {
                is_identifier_like(s) || s.bytes().all(|b| b.is_ascii_digit()) || s.len() <= 3
            })
            .count();
        if namey * 2 >= segments.len() {
            return true;
        }
    }
    false
}

fn is_uuid(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// DER SubjectPublicKeyInfo in base64 (`MIIB...DQEBAQUAA...`): public, not secret.
fn is_public_key(v: &str) -> bool {
    (v.starts_with("MII") || v.starts_with("MIG") || v.starts_with("MF") || v.starts_with("MC"))
        && (v.contains("DQEBAQUAA") || v.contains("AgEGCCqGSM49") || v.contains("KoZIzj0CAQ"))
}

/// Hex-only values shorter than 16 characters are ids, colours and short hashes.
fn is_hex_too_short(v: &str) -> bool {
    v.len() < 16 && v.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Base64 that decodes to readable, non-random text (`QUNDRVNTX0tFWQ==` is `ACCESS_KEY`).
fn decodes_to_plain_text(v: &str) -> bool {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
    use base64::Engine as _;
    if v.len() < 12
        || !v
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return false;
    }
    let Ok(raw) = STANDARD.decode(v).or_else(|_| STANDARD_NO_PAD.decode(v)) else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(&raw) else {
        return false;
    };
    let text = text.trim_end();
    !text.is_empty() && text.bytes().all(|b| (0x20..0x7f).contains(&b)) && !looks_random(text)
}

/// Englishness of a letters-only segment: most of its letter pairs are common in words.
pub(crate) fn is_wordish(seg: &str) -> bool {
    let letters: Vec<u8> = seg
        .bytes()
        .filter(|b| b.is_ascii_alphabetic())
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if letters.len() < 3 {
        return false;
    }
    let table = bigram_table();
    let pairs = letters.len() - 1;
    let common = letters
        .windows(2)
        .filter(|w| table[(w[0] - b'a') as usize * 26 + (w[1] - b'a') as usize])
        .count();
    common * 10 >= pairs * 6
}

/// Undoes common leetspeak (`P4ssw0rd` -> `Password`) so words are recognised.
pub(crate) fn unleet(v: &str) -> String {
    v.chars()
        .map(|c| match c {
            '0' => 'o',
            '1' => 'l',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '7' => 't',
            '$' => 's',
            '@' => 'a',
            c => c,
        })
        .collect()
}

/// Splits into letter runs at case changes (`camelCase` -> `camel`, `Case`), digits and symbols.
fn word_segments(v: &str) -> Vec<&str> {
    let b = v.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for i in 0..=b.len() {
        let c = b.get(i).copied();
        let is_letter = c.is_some_and(|c| c.is_ascii_alphabetic());
        if let Some(s) = start {
            let boundary = match c {
                None => true,
                Some(c) => {
                    !is_letter
                        || (c.is_ascii_uppercase() && b[i - 1].is_ascii_lowercase())
                        // `HTTPServer` -> `HTTP`, `Server`
                        || (c.is_ascii_lowercase()
                            && i >= s + 2
                            && b[i - 1].is_ascii_uppercase()
                            && b[i - 2].is_ascii_uppercase())
                }
            };
            if boundary {
                let cut = if c.is_some_and(|c| c.is_ascii_lowercase()) && is_letter {
                    i - 1
                } else {
                    i
                };
                if cut > s {
                    out.push(&v[s..cut]);
                }
                start = if is_letter { Some(cut) } else { None };
                continue;
            }
        } else if is_letter {
            start = Some(i);
        }
    }
    out
}

/// Share of the value's characters inside word-like segments of four letters or more.
pub(crate) fn word_coverage(v: &str) -> f64 {
    let wordy: usize = word_segments(v)
        .iter()
        .filter(|s| s.len() >= 4 && is_wordish(s))
        .map(|s| s.len())
        .sum();
    wordy as f64 / v.len().max(1) as f64
}

/// `snake_case`, `kebab-case`, `CONSTANT_CASE`, `camelCase` and `dotted.names` made of words and
/// short parts: identifiers, not credentials.
fn is_identifier_like(v: &str) -> bool {
    if !v
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
    {
        return false;
    }
    let parts: Vec<&str> = v
        .split(['_', '-', '.', ':'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return false;
    }
    parts.iter().all(|p| is_name_part(p))
}

/// One part of an identifier: digits, a word, a secret word, or a short single-case chunk.
fn is_name_part(p: &str) -> bool {
    let b = p.as_bytes();
    if b.is_empty() {
        return false;
    }
    let single_case = !b.iter().any(|c| c.is_ascii_lowercase())
        || !b.iter().any(|c| c.is_ascii_uppercase())
        || (b[0].is_ascii_uppercase() && !b[1..].iter().any(|c| c.is_ascii_uppercase()));
    let letters = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
    b.iter().all(|c| c.is_ascii_digit())
        || word_coverage(p) >= 0.5
        || SECRET_WORDS
            .iter()
            .any(|w| p.to_ascii_lowercase().contains(w))
        || (single_case && letters <= 5)
}

/// Longest ascending run among the value's letters alone, and among its digits alone
/// (`a1b2c3d4` interleaves `abcd` and `1234`).
fn projected_sequences(v: &str) -> (usize, usize) {
    fn run(chars: impl Iterator<Item = u8>) -> usize {
        let (mut best, mut cur, mut prev) = (0, 0, None::<u8>);
        for c in chars {
            cur = if prev.is_some_and(|p| c == p.wrapping_add(1)) {
                cur + 1
            } else {
                1
            };
            best = best.max(cur);
            prev = Some(c);
        }
        best
    }
    (
        run(v
            .bytes()
            .filter(|b| b.is_ascii_alphabetic())
            .map(|b| b.to_ascii_lowercase())),
        run(v.bytes().filter(|b| b.is_ascii_digit())),
    )
}

/// A person-made password: word, symbol and digits (`Tango@2004x`, `Orchid!2001Prod`). Weak,
/// but real: not random, so the word tests must not veto it. Emails, paths and hosts
/// (`.`, `/`, `:`) and stand-ins built on `password`, `secret`, `admin`... are excluded.
fn human_password(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() < 10
        || !b.iter().any(|c| c.is_ascii_uppercase())
        || !b.iter().any(|c| c.is_ascii_lowercase())
        || !b.iter().any(|c| c.is_ascii_digit())
        || !b.iter().any(|c| b"!@#$%^&*+=?~".contains(c))
        || b.iter().any(|c| b"./:\\ ".contains(c))
    {
        return false;
    }
    // The letters alone must not be a stand-in (`Admin@123`, `P@ssw0rd!2024`): a real word
    // pair (`AdminGranite1970!`) is fine.
    let letters: String = unleet(&v.to_ascii_lowercase())
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    let stand_in = [
        "password", "passwd", "pass", "secret", "admin", "changeme", "qwerty", "letmein",
        "welcome", "example", "test", "default", "sample", "dummy", "user", "login", "root",
    ]
    .iter()
    .any(|w| letters.starts_with(w) && letters.len() <= w.len() + 2);
    let named = [
        "password", "passwd", "secret", "example", "token", "apikey", "changeme", "qwerty",
    ];
    !stand_in && !named.iter().any(|w| letters.contains(w))
}

/// Random enough to be a credential: not words (plain or leetspeak), not a keyboard or
/// sequence pattern, several character classes, entropy close to a random string's.
pub(crate) fn looks_random(v: &str) -> bool {
    let b = v.as_bytes();
    let lower = b.iter().any(|c| c.is_ascii_lowercase());
    let upper = b.iter().any(|c| c.is_ascii_uppercase());
    let digit = b.iter().any(|c| c.is_ascii_digit());
    let symbol = b.iter().any(|c| !c.is_ascii_alphanumeric());
    let classes = [lower, upper, digit, symbol].iter().filter(|&&x| x).count();
    if classes < 2 {
        return false;
    }
    if human_password(v) {
        return shannon(b) >= 2.8;
    }
    let hex = b.iter().all(|c| c.is_ascii_hexdigit());
    if word_coverage(v) >= 0.5 || (!hex && word_coverage(&unleet(v)) >= 0.6) {
        return false;
    }
    let (letters, digits) = projected_sequences(v);
    if letters >= 6 || digits >= 6 || (letters >= 4 && digits >= 4) {
        return false;
    }
    let lower_v = v.to_ascii_lowercase();
    if ["asdf", "qwer", "zxcv", "hjkl", "1234", "abcd"]
        .iter()
        .any(|k| lower_v.contains(k))
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

    fn secret(v: &str) -> bool {
        is_secret(b"db_password", v.as_bytes(), Some(b'"'), Some(b'"'))
    }

    #[test]
    fn secrets() {
        for v in [
            "k8#Lm2$pQ9vX4bN7",
            "9f86d081884c7d659a2feaa0c55ad015",
            "Xk9pQ2mZ7vB4tR",
            "rcHu+HzSFw89Ypyhn/896A==",
            "F9&&*#s49S7omFHhS1r5",
            "jOUXA=h520ep3BqKBF*b",
            "e2S@f.c-.klyI2-4",
            "J68.d.uaU9tvhA7",
            "XPetm23kOKcD0.znnj",
            "*xtxiR8KdIDLAv",
            "e7q3_%^*6#oexx=2b!k@m1$_tw)f-6_vvbmn1$xgi(d7hy**8b",
            "S6c%rI@nGTY!pTt^",
            "&5MHBd9Uem7VuBeR%",
            "1l9Qf7lutEf7h73VXfBwhw",
            "tbsy84uSV1Kt3ZJZELY2TmShPRs91E3yL4tzf96297vBCkDWgL",
        ] {
            assert!(secret(v), "{v}");
        }
    }

    #[test]
    fn not_secrets() {
        for v in [
            "process.env.DB_PASSWORD",
            "SuperSecretPassword123",
            "StrongPassword!",
            "B0bP4ssw0rd",
            "Cl1ent$ecret!",
            "my_database_password",
            "get_password",
            "INT64_MAX",
            "nghttp3_rcbuf",
            "123e4567-e89b-12d3-a456-426614174000",
            "https://example.com/token",
            "settings.SECRET_KEY",
            "passwordInput",
            "a1b2c3d4e5f6",
            "A1B2C3D4E5F6G7H8I9J0",
            "asdfqwer1234asdf",
            "QUNDRVNTX0tFWQ0K",
            "YWxpY2U6c2VjcmV0LXBhc3N3ZA==",
            "xxx/19700101/us-east-1/s3/aws4_request",
            "test-ca.key",
            "mysql-service-public.clqg2e2w3ecf.us-east-1.rds.amazonaws.com",
            "eu-west-1-prod",
            "length=15",
            "@SECRET_KEY",
            ":TYPE_STRING",
            "key_type:",
            "SG.SECRET-API-KEY",
            "MySekretPa$$word",
            "mysql-password",
            "secret-passwd",
            "testWebhookId",
            "token:uniq",
            "0279bf37a1",
            "pbkdf2_sha256$720000$3rxgk4K9bEKevRrFBAaxcx$RVdRa58MUiTIR3H7LkwGehgSXKKB1CNT657JIuCj1Os=",
            "^3.485.0",
            "ApiKeys_apiKeyRow__Xm29b",
            "!SENDGRID_VALIDATION_SECRET!",
            "&gss_w_token",
            "username:pas:word@foo.com/data",
            "no_log=True",
            "test_api_key&i=test_imdb_id",
        ] {
            assert!(!secret(v), "{v}");
        }
        assert!(!is_secret(
            b"password_hash",
            b"k8#Lm2$pQ9vX4bN7",
            None,
            None
        ));
        assert!(!is_secret(
            b"tokenID",
            b"7b2c56dd51edd90952c1b94c472b94b1",
            None,
            None
        ));
        assert!(!is_secret(b"token", b"k8Lm2pQ9vX4bN7", None, Some(b'(')));
        assert!(!is_secret(b"token", b"k8Lm2pQ9vX4bN7", None, Some(b',')));
    }

    #[test]
    fn segments() {
        assert_eq!(
            word_segments("camelCaseHTTPServer9x"),
            ["camel", "Case", "HTTP", "Server", "x"]
        );
    }
}
