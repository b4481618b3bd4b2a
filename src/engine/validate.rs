//! Checksum and structure validators for captured secrets (`validator = "..."` in a rule):
//! GitHub/npm CRC32, JWT structure, PyPI macaroons, base64 keys. Pure functions over bytes.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine as _;

use crate::rules::Validator;

/// Runs the structural validator `v` (not the generic detector's tests) over `secret`.
pub fn check(v: Validator, secret: &[u8]) -> bool {
    match v {
        Validator::GithubCrc32 => github_crc32(secret),
        Validator::Jwt => jwt(secret),
        Validator::PypiMacaroon => pypi_macaroon(secret),
        Validator::Base64Key => base64_key(secret),
        Validator::Generic => true,
    }
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn base62_value(b: u8) -> Option<u64> {
    BASE62.iter().position(|&c| c == b).map(|p| p as u64)
}

/// `prefix_` + 30 base62 characters + 6 base62 characters encoding the CRC32 of those 30.
pub fn github_crc32(secret: &[u8]) -> bool {
    let Some(us) = secret.iter().position(|&b| b == b'_') else {
        return false;
    };
    let body = &secret[us + 1..];
    if body.len() != 36 {
        return false;
    }
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
    let header = b64url_decode(h).and_then(|b| is_json_object(&b));
    let Some(header) = header else { return false };
    if !header.contains_key("alg") {
        return false;
    }
    b64url_decode(p).and_then(|b| is_json_object(&b)).is_some()
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
    fn base64_keys() {
        assert!(base64_key(b"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"));
        assert!(!base64_key(b"c2VjcmV0"));
        assert!(!base64_key(b"not base64!"));
    }
}
