//! Checksum and structure validators for captured secrets (`validator = "..."` in a rule):
//! GitHub/npm CRC32, JWT structure, PyPI macaroons, base64 keys. Pure functions over bytes.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine as _;

use super::{entropy, placeholder};
use crate::rules::Validator;

/// Runs the structural validator `v` (not the generic detector's tests) over `secret`.
pub fn check(v: Validator, secret: &[u8]) -> bool {
    match v {
        Validator::GithubCrc32 => github_crc32(secret),
        Validator::Jwt => jwt(secret),
        Validator::PypiMacaroon => pypi_macaroon(secret),
        Validator::Base64Key => base64_key(secret),
        Validator::Generic => true,
        Validator::BasicAuth => basic_auth(secret),
        Validator::UserPassword => user_password(secret),
        Validator::Token => token(secret),
        Validator::CloudflareCrc32 => cloudflare_crc32(secret),
        Validator::GrafanaCrc32 => grafana_crc32(secret),
        Validator::Bech32 => bech32(secret),
        Validator::SentryOrgToken => sentry_org_token(secret),
        // Needs the key name: see `kubernetes_data`.
        Validator::KubernetesData => kubernetes_data(b"", secret),
    }
}

/// The part after a token's `prefix_`, when it is exactly `len` bytes long.
fn body_after_prefix(secret: &[u8], len: usize) -> Option<&[u8]> {
    let us = secret.iter().position(|&b| b == b'_')?;
    let body = &secret[us + 1..];
    (body.len() == len).then_some(body)
}

/// `prefix_` + 40 characters + `{:08x}` of their CRC32.
pub fn cloudflare_crc32(secret: &[u8]) -> bool {
    let Some(body) = body_after_prefix(secret, 48) else {
        return false;
    };
    let (random, check) = body.split_at(40);
    format!("{:08x}", crc32fast::hash(random)).as_bytes() == check
}

/// `glsa_` + 32 characters + `_` + little-endian hex of the CRC32 of `glsa_<32 characters>`.
pub fn grafana_crc32(secret: &[u8]) -> bool {
    let Some(us) = secret.iter().rposition(|&b| b == b'_') else {
        return false;
    };
    let (head, check) = (&secret[..us], &secret[us + 1..]);
    let le = crc32fast::hash(head).to_le_bytes();
    check.len() == 8
        && format!("{:02x}{:02x}{:02x}{:02x}", le[0], le[1], le[2], le[3]).as_bytes() == check
}

/// BIP-173 Bech32: `hrp` + `1` + data characters, the last six a checksum over both.
pub fn bech32(secret: &[u8]) -> bool {
    const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let lower: Vec<u8> = secret.iter().map(|b| b.to_ascii_lowercase()).collect();
    let Some(sep) = lower.iter().rposition(|&b| b == b'1') else {
        return false;
    };
    let (hrp, data) = (&lower[..sep], &lower[sep + 1..]);
    if hrp.is_empty() || data.len() < 6 {
        return false;
    }
    let mut values = Vec::with_capacity(hrp.len() * 2 + 1 + data.len());
    values.extend(hrp.iter().map(|&c| (c >> 5) as u32));
    values.push(0);
    values.extend(hrp.iter().map(|&c| (c & 31) as u32));
    for &c in data {
        match CHARSET.iter().position(|&x| x == c) {
            Some(v) => values.push(v as u32),
            None => return false,
        }
    }
    const GEN: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    let mut chk: u32 = 1;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v;
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk == 1
}

fn b64std_decode(s: &[u8]) -> Option<Vec<u8>> {
    STANDARD
        .decode(s)
        .or_else(|_| STANDARD_NO_PAD.decode(s))
        .ok()
}

/// Values that stand for a credential without being one.
const STAND_INS: &[&str] = &[
    "pass",
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "key",
    "apikey",
    "api_key",
    "test",
    "admin",
    "root",
    "user",
    "username",
    "login",
    "guest",
    "demo",
    "changeme",
    "default",
    "none",
    "null",
    "nil",
    "undefined",
    "true",
    "false",
    "xxx",
    "yyy",
    "foo",
    "bar",
    "baz",
    "pw",
    "userpass",
    "usr",
    "client_secret",
    "client_id",
    "clientid",
    "clientsecret",
    "value",
];

/// A credential part written by a person or a generator, not a stand-in: no template syntax,
/// not a placeholder, not a plain word.
fn real_credential(part: &str) -> bool {
    let p = part.trim_matches(|c| c == '"' || c == '\'' || c == '{' || c == '}');
    if p.len() < 4 || p.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return false;
    }
    let lower = p.to_ascii_lowercase();
    // Template and format syntax; a lone `%` or `*` is an ordinary password character.
    let percent_var = p.len() > 2 && p.starts_with('%') && p.ends_with('%');
    if STAND_INS.contains(&lower.as_str())
        || placeholder::is_placeholder(p.as_bytes(), false)
        || percent_var
        || [
            "$", "{", "}", "<", ">", "[", "]", "`", "***", "%s", "%(", "%v",
        ]
        .iter()
        .any(|t| p.contains(t))
    {
        return false;
    }
    // A lone dictionary-ish word (`kibana`, `hunter`) or words strung together
    // (`secret-passwd`, `not-a-valid-user`) is not a credential to report.
    let alpha = p.bytes().all(|b| b.is_ascii_alphabetic());
    if alpha && p.len() < 8 {
        return false;
    }
    let letters = p.bytes().filter(|b| b.is_ascii_alphabetic()).count();
    let runs: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|r| r.len() >= 4)
        .collect();
    // Runs longer than a word are random letters (or a passphrase): not a stand-in.
    let wordy = !runs.is_empty()
        && runs
            .iter()
            .all(|r| r.len() <= 12 && super::generic::is_wordish(r));
    !(letters * 10 >= p.len() * 7 && wordy)
}

/// `user:password`: a real password, or (API-key-as-username schemes: `-u "KEY:"`) a real
/// user part with an empty password.
pub fn user_password(secret: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(secret) else {
        return false;
    };
    let Some((user, pass)) = text.split_once(':') else {
        return false;
    };
    let user = user.trim_matches(|c| c == '"' || c == '\'');
    let pass = pass.trim_matches(|c| c == '"' || c == '\'');
    if pass.is_empty() {
        return user.len() >= 8
            && real_credential(user)
            && entropy::shannon(user.as_bytes()) >= 3.0;
    }
    if user.is_empty() && pass.len() < 8 {
        return false;
    }
    real_credential(pass)
}

/// Standard base64 of printable `user:password` with a real credential in it.
pub fn basic_auth(secret: &[u8]) -> bool {
    let Some(raw) = b64std_decode(secret) else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(&raw) else {
        return false;
    };
    if text.starts_with('{') || text.chars().any(|c| c.is_control()) {
        return false;
    }
    match text.split_once(':') {
        Some((user, "")) => !user.is_empty() && real_credential(user),
        Some(_) => user_password(text.as_bytes()),
        None => false,
    }
}

/// An opaque credential: 8+ printable characters, not a template, placeholder, variable or
/// word, with some variety.
pub fn token(secret: &[u8]) -> bool {
    let Ok(t) = std::str::from_utf8(secret) else {
        return false;
    };
    if t.len() < 8 || !real_credential(t) {
        return false;
    }
    // `Bearer token`, `Token apiKey`: an identifier, not a value; unless its letters are
    // random (`OqpTYeOmjlCsEHqHRmF`).
    let identifier = t
        .bytes()
        .all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'.');
    if identifier && (t.len() < 12 || !super::generic::looks_random(t)) {
        return false;
    }
    entropy::shannon(secret) >= 2.8
}

/// Key names under a Secret's `data:` that hold public or descriptive values.
const NON_SECRET_DATA_KEYS: &[&str] = &[
    "username",
    "user",
    "host",
    "hostname",
    "port",
    "database",
    "db",
    "dbname",
    "namespace",
    "url",
    "endpoint",
    "region",
    "email",
    "ca.crt",
    "tls.crt",
    "ca.pem",
    "cert",
    "certificate",
];

/// A Kubernetes Secret data value under key `name`.
pub fn kubernetes_data(name: &[u8], secret: &[u8]) -> bool {
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    if NON_SECRET_DATA_KEYS.contains(&name.as_str()) {
        return false;
    }
    let Some(raw) = b64std_decode(secret) else {
        return false;
    };
    let text = String::from_utf8_lossy(&raw);
    let t = text.trim();
    if t.len() < 6 {
        return false;
    }
    if t.contains("BEGIN CERTIFICATE") || t.contains("PUBLIC KEY-----") {
        return false;
    }
    let printable = raw
        .iter()
        .all(|&b| b >= 0x20 || b == b'\n' || b == b'\r' || b == b'\t');
    // Binary (random key material) is a secret; text must not be a placeholder.
    // Multi-line text and JSON (`.dockerconfigjson`) get the structural placeholder test:
    // braces and newlines are not template syntax there.
    let structured = t.contains('\n') || t.starts_with('{');
    !printable || !placeholder::is_placeholder(t.as_bytes(), structured)
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn base62_value(b: u8) -> Option<u64> {
    BASE62.iter().position(|&c| c == b).map(|p| p as u64)
}

/// `prefix_` + 30 base62 characters + 6 base62 characters encoding the CRC32 of those 30.
pub fn github_crc32(secret: &[u8]) -> bool {
    let Some(body) = body_after_prefix(secret, 36) else {
        return false;
    };
    let (random, check) = body.split_at(30);
    let mut expected: u64 = 0;
    for &b in check {
        match base62_value(b) {
            Some(v) => expected = expected * 62 + v,
            None => return false,
        }
    }
    expected == crc32fast::hash(random) as u64
}

fn b64url_decode(s: &[u8]) -> Option<Vec<u8>> {
    let trimmed: &[u8] = {
        let mut end = s.len();
        while end > 0 && s[end - 1] == b'=' {
            end -= 1;
        }
        &s[..end]
    };
    URL_SAFE_NO_PAD.decode(trimmed).ok()
}

fn is_json_object(bytes: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// Header and payload are base64url JSON objects; the header names an `alg`.
pub fn jwt(secret: &[u8]) -> bool {
    let mut parts = secret.split(|&b| b == b'.');
    let (Some(h), Some(p)) = (parts.next(), parts.next()) else {
        return false;
    };
    let Some(raw_header) = b64url_decode(h) else {
        return false;
    };
    match is_json_object(&raw_header) {
        Some(header) if !header.contains_key("alg") => return false,
        Some(_) => {}
        // A header with a damaged value still reads `{"alg":` or `{"typ":` in the clear.
        None if raw_header.starts_with(b"{\"alg\":") || raw_header.starts_with(b"{\"typ\":") => {}
        None => return false,
    }
    let Some(payload) = b64url_decode(p).and_then(|b| is_json_object(&b)) else {
        return false;
    };
    // Supabase-style anon keys: a JWT for the public `anon` role, shipped to browsers.
    payload.get("role").and_then(|r| r.as_str()) != Some("anon")
}

/// `sntrys_` + base64 of a JSON payload naming the organization (`iat`, `org`) + `_` + secret.
pub fn sentry_org_token(secret: &[u8]) -> bool {
    let Some(body) = secret.strip_prefix(b"sntrys_") else {
        return false;
    };
    let Some(us) = body.iter().rposition(|&b| b == b'_') else {
        return false;
    };
    let payload = &body[..us];
    let decoded = b64std_decode(payload).or_else(|| b64url_decode(payload));
    decoded
        .and_then(|b| is_json_object(&b))
        .is_some_and(|m| m.contains_key("iat") && m.contains_key("org"))
}

/// `pypi-` + base64url of a version-2 binary macaroon whose location is a PyPI index.
pub fn pypi_macaroon(secret: &[u8]) -> bool {
    let Some(body) = secret.strip_prefix(b"pypi-") else {
        return false;
    };
    let Some(raw) = b64url_decode(body) else {
        return false;
    };
    raw.first() == Some(&2) && memchr::memmem::find(&raw, b"pypi.org").is_some()
}

/// Standard base64 (padded or not) decoding to at least 16 bytes.
pub fn base64_key(secret: &[u8]) -> bool {
    STANDARD
        .decode(secret)
        .or_else(|_| STANDARD_NO_PAD.decode(secret))
        .map(|b| b.len() >= 16)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn github_token(prefix: &str, random: &str) -> String {
        let mut n = crc32fast::hash(random.as_bytes()) as u64;
        let mut digits = Vec::new();
        for _ in 0..6 {
            digits.push(BASE62[(n % 62) as usize]);
            n /= 62;
        }
        digits.reverse();
        format!("{prefix}_{random}{}", String::from_utf8(digits).unwrap())
    }

    #[test]
    fn github_checksum_round_trip() {
        let t = github_token("ghp", "Q8hK2mZp9vX4bN7cR1tY6wL3jF5dS0");
        assert!(github_crc32(t.as_bytes()));
        let mut bad = t.into_bytes();
        let last = bad.len() - 1;
        bad[last] = if bad[last] == b'A' { b'B' } else { b'A' };
        assert!(!github_crc32(&bad));
        assert!(!github_crc32(b"ghp_short"));
    }

    #[test]
    fn jwt_structure() {
        let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let p = URL_SAFE_NO_PAD.encode(br#"{"sub":"42"}"#);
        assert!(jwt(format!("{h}.{p}.c2lnbmF0dXJlX2J5dGVz").as_bytes()));
        let no_alg = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT"}"#);
        assert!(!jwt(format!("{no_alg}.{p}.sig").as_bytes()));
        assert!(!jwt(b"eyJnotjson.eyJ.x"));
    }

    #[test]
    fn checksummed_formats() {
        // BIP-173's own valid and invalid test vectors.
        assert!(bech32(b"A12UEL5L"));
        assert!(bech32(b"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"));
        assert!(!bech32(b"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx"));
        assert!(!bech32(b"pzry9x0s0muk"));
        let body = "Q8hK2mZp9vX4bN7cR1tY6wL3jF5dS0aB2cD4eF6g";
        let ok = format!("cfut_{body}{:08x}", crc32fast::hash(body.as_bytes()));
        assert!(cloudflare_crc32(ok.as_bytes()));
        assert!(!cloudflare_crc32(format!("cfut_{body}00000000").as_bytes()));
        let head = "glsa_Q8hK2mZp9vX4bN7cR1tY6wL3jF5dS0aB";
        let le = crc32fast::hash(head.as_bytes()).to_le_bytes();
        let hex: String = le.iter().map(|b| format!("{b:02x}")).collect();
        assert!(grafana_crc32(format!("{head}_{hex}").as_bytes()));
        assert!(!grafana_crc32(format!("{head}_deadbeef").as_bytes()));
    }

    #[test]
    fn credentials_in_user_password_form() {
        assert!(user_password(b"deploy:R7q9vX2mKp4LcZ"));
        assert!(user_password(b"\"sk_9fK2mQ7xLp4Vc8Zt:\""));
        assert!(!user_password(b"username:password"));
        assert!(!user_password(b"$USER:$PASS"));
        assert!(!user_password(b"alice:secret-passwd"));
        assert!(basic_auth(b"ZGVwbG95OlI3cTl2WDJtS3A0TGNa"));
        assert!(!basic_auth(b"dXNlcjpwYXNzd29yZA=="));
        assert!(token(b"9c1f2e7a4b8d3c6f0e5a2b9d7c4f1e8a"));
        assert!(!token(b"authorizationHeader"));
        assert!(!token(b"${TOKEN}"));
    }

    #[test]
    fn base64_keys() {
        assert!(base64_key(b"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"));
        assert!(!base64_key(b"c2VjcmV0"));
        assert!(!base64_key(b"not base64!"));
    }
}
