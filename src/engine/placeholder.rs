//! The global placeholder filter: values that have the shape of a secret but are templates,
//! documentation examples or filler (`your_api_key_here`, `xxxx`, `${VAR}`, `<API_KEY>`,
//! `{{ secrets.X }}`, AWS's `...EXAMPLE` keys, one repeated character, sequential runs).
//! Applies to every rule; pure and allocation-light.

/// Exact values published in providers' documentation as examples.
const DOCUMENTED_EXAMPLES: &[&str] = &[
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
    "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
    "pk_test_6pRNASCoBOKtIshFeQd4XMUh",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
    "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    // Pulumi access-token docs.
    "pul-75a564ac7f3a48079a0c448c1e1ec95c4cfed141",
    // HCP Terraform API-token docs.
    "QnbSxjjhVMHJgw.atlasv1.gxZnWIjI5j752DGqdwEUVLOFf0mtyaQ00H9bA1j90qWb254lEkQyOdfqqcq9zZL7Sm0",
    // Telegram Bot API docs.
    "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
    // Mailgun API docs.
    "key-3ax6xnjp29jd6fds4gc373sgvjxteol0",
    // RFC 7515 appendix A.1 HMAC key.
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
    // Azurite (Azure Storage emulator) and Cosmos DB emulator well-known keys.
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
    // Square sandbox application id in Square's docs.
    "sq0idp-uCEi65nGfxqyctwVkrLpsQ",
];

/// Lowercase fragments that only filler contains.
const FILLER_WORDS: &[&str] = &[
    "example",
    "placeholder",
    "your_",
    "your-",
    "yourapi",
    "yourkey",
    "yoursecret",
    "yourtoken",
    "yourpass",
    "changeme",
    "change_me",
    "change-me",
    "replace_me",
    "replaceme",
    "replace-with",
    "replace_with",
    "insert_",
    "insert-",
    "dummy",
    "redacted",
    "xxxxx",
    "*****",
    "•••",
    "...",
    "…",
    "<",
    ">",
    "${",
    "$(",
    "{{",
    "}}",
    "%(",
    "<%",
    "notreal",
    "not_real",
    "not-real",
    "not-a-real",
    "fake",
    "lorem",
    "ipsum",
    "secret_here",
    "token_here",
    "key_here",
    "_here",
    "-here",
    "foobar",
    "mysecret",
    "mytoken",
    "mypassword",
    "supersecret",
    "s3cr3t",
    "p@ssw0rd",
    "passw0rd",
    "password1",
    "password123",
    "testtest",
    "test1234",
    "abcd1234",
    "qwerty",
    "letmein",
    "sample",
    "todo",
    "fixme",
];

/// True when `secret` is a template, filler or documented example rather than a real value.
/// `structured` secrets (PEM blocks) skip the character-run tests, which DER legitimately fails.
pub fn is_placeholder(secret: &[u8], structured: bool) -> bool {
    let Ok(text) = std::str::from_utf8(secret) else {
        return false;
    };
    if DOCUMENTED_EXAMPLES.iter().any(|e| text.contains(e)) {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    if structured {
        return [
            "...",
            "…",
            "xxxx",
            "<",
            "example",
            "placeholder",
            "redacted",
        ]
        .iter()
        .any(|w| lower.contains(w));
    }
    if FILLER_WORDS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    let b = text.as_bytes();
    let shell_var = b.first() == Some(&b'$')
        && b.get(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c == b'{');
    let percent_var = b.first() == Some(&b'%') && b.len() > 2 && b[b.len() - 1] == b'%';
    if shell_var || percent_var || (text.starts_with("__") && text.ends_with("__")) {
        return true;
    }
    let body = random_part(strip_prefix(secret));
    if body.len() >= 6 {
        // Long tokens are often base64 of binary, where zero bytes give runs of `A`: scale
        // the run limit with length so only filler-dominated values count.
        let run_limit = (body.len() / 4).max(6);
        if longest_run(body) >= run_limit || distinct(body) <= 3 || longest_sequence(body) >= 6 {
            return true;
        }
    }
    false
}

/// The part after a short type prefix (`ghp_`, `sk_live_`, `xoxb-`), when there is one.
fn strip_prefix(s: &[u8]) -> &[u8] {
    let head = &s[..s.len().min(16)];
    match head.iter().rposition(|&b| b == b'_' || b == b'-') {
        Some(i) if s.len() - (i + 1) >= 8 => &s[i + 1..],
        _ => s,
    }
}

/// In a token of three or more dash-separated segments (`T0123-B0456-<random>`: ids, then
/// the random part), the longest segment: ids may legitimately repeat digits.
fn random_part(s: &[u8]) -> &[u8] {
    if s.iter().filter(|&&b| b == b'-').count() < 2 {
        return s;
    }
    s.split(|&b| b == b'-')
        .max_by_key(|seg| seg.len())
        .filter(|seg| seg.len() >= 8)
        .unwrap_or(s)
}

fn longest_run(s: &[u8]) -> usize {
    let (mut best, mut cur) = (0, 0);
    let mut prev = None;
    for &b in s {
        cur = if Some(b) == prev { cur + 1 } else { 1 };
        best = best.max(cur);
        prev = Some(b);
    }
    best
}

fn distinct(s: &[u8]) -> usize {
    let mut seen = [false; 256];
    s.iter()
        .filter(|&&b| !std::mem::replace(&mut seen[b as usize], true))
        .count()
}

/// Longest run of consecutive ascending or descending characters (`123456`, `abcdef`, `fedcba`).
fn longest_sequence(s: &[u8]) -> usize {
    let (mut best, mut up, mut down) = (1, 1, 1);
    for w in s.windows(2) {
        let (a, b) = (w[0].to_ascii_lowercase(), w[1].to_ascii_lowercase());
        up = if b.wrapping_sub(a) == 1 && a.is_ascii_alphanumeric() {
            up + 1
        } else {
            1
        };
        down = if a.wrapping_sub(b) == 1 && a.is_ascii_alphanumeric() {
            down + 1
        } else {
            1
        };
        best = best.max(up).max(down);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "your_api_key_here",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "${GITHUB_TOKEN}",
            "<API_KEY>",
            "{{ secrets.TOKEN }}",
            "AKIAIOSFODNN7EXAMPLE",
            "sk_live_0000000000000000000000",
            "abcdefghijklmnop",
            "1234567890",
            "$DB_PASSWORD",
        ] {
            assert!(is_placeholder(p.as_bytes(), false), "{p}");
        }
    }

    #[test]
    fn real_looking_values_pass() {
        for s in [
            "ghp_Q8hK2mZp9vX4bN7cR1tY6wL3jF5dS0abXz",
            "sk_live_51HqLyjWDarjtT1zdp7dcQ9vX",
            "k8#Lm2$pQ9vX4bN7",
        ] {
            assert!(!is_placeholder(s.as_bytes(), false), "{s}");
        }
    }
}
