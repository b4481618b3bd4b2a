//! Labelled evaluation: a realistic multi-language tree, generated at test time from fixed
//! seeds, with planted secrets (labels: path, line, column, secret, expected rule) and hard
//! decoys (anything reported that is not a planted secret is a false positive). Scans it with
//! `--format json --show-secrets`, prints precision, recall, per-provider recall and every
//! false positive and false negative, and asserts the issue's target (both >= 0.95).
//!
//! Run with `cargo test --test it eval -- --nocapture` to see the report.

use std::collections::BTreeMap;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;

use crate::common::{scan_json, write_tree, Rng, ALNUM, HEX};

const B62: &[u8] = ALNUM; // 0-9A-Za-z: GitHub's checksum alphabet order
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const UPNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DIGITS: &[u8] = b"0123456789";
const LOWNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
/// Bitwarden's default generator alphabet (letters, digits, `!@#$%^&*`).
const PW: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*";
/// Django's `get_random_secret_key()` alphabet.
const DJANGO: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)";

// ---------------------------------------------------------------------------------------------
// Value generators
// ---------------------------------------------------------------------------------------------

struct G(Rng);

impl G {
    fn s(&mut self, a: &[u8], n: usize) -> String {
        self.0.string(a, n)
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.0.next() % (hi - lo + 1) as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.0.next() % xs.len() as u64) as usize]
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.0.next() as u8).collect()
    }
    fn hex(&mut self, n: usize) -> String {
        self.s(HEX, n)
    }
    fn uuid(&mut self) -> String {
        let h = self.hex(32);
        let variant = ["8", "9", "a", "b"][(self.0.next() % 4) as usize];
        format!(
            "{}-{}-4{}-{}{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            variant,
            &h[17..20],
            &h[20..32]
        )
    }
    fn base62_checksum(n: u32) -> String {
        let mut n = n as u64;
        let mut d = Vec::new();
        for _ in 0..6 {
            d.push(B62[(n % 62) as usize]);
            n /= 62;
        }
        d.reverse();
        String::from_utf8(d).unwrap()
    }
    /// GitHub / npm token: prefix_ + 30 base62 + base62(crc32) padded to 6.
    fn gh(&mut self, prefix: &str) -> String {
        let body = self.s(B62, 30);
        let check = Self::base62_checksum(crc32fast::hash(body.as_bytes()));
        format!("{prefix}_{body}{check}")
    }
    /// Right shape, wrong checksum.
    fn gh_bad(&mut self, prefix: &str) -> String {
        let mut t = self.gh(prefix).into_bytes();
        let i = t.len() - 1 - (self.0.next() % 3) as usize;
        t[i] = if t[i] == b'Q' { b'R' } else { b'Q' };
        String::from_utf8(t).unwrap()
    }
    fn jwt(&mut self) -> String {
        let alg = self.pick(&["HS256", "RS256", "ES256", "HS512"]);
        let header = if self.0.next() % 2 == 0 {
            format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#)
        } else {
            format!(r#"{{"alg":"{alg}","typ":"JWT","kid":"{}"}}"#, self.hex(16))
        };
        let iat = 1_690_000_000 + self.0.next() % 40_000_000;
        let role = self.pick(&["service", "admin", "ci-deployer", "billing-worker"]);
        let payload = format!(
            r#"{{"sub":"{}","iss":"https://auth.acme-corp.io","aud":"{}","role":"{role}","iat":{iat},"exp":{}}}"#,
            self.uuid(),
            self.pick(&["billing-api", "orders", "internal"]),
            iat + 31_536_000
        );
        let sig_len = match alg {
            "RS256" => 256,
            "ES256" => 64,
            "HS512" => 64,
            _ => 32,
        };
        let sig = self.bytes(sig_len);
        format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(sig)
        )
    }
    /// PEM block lines: header, base64 body (DER-like prefix + random), footer.
    fn pem(&mut self, label: &str, der_prefix: &str, body_len: usize, width: usize) -> Vec<String> {
        let mut body = der_prefix.to_string();
        body.push_str(&self.s(B64, body_len - der_prefix.len()));
        if self.0.next() % 2 == 0 {
            body.pop();
            body.push('=');
        }
        let mut lines = vec![format!("-----BEGIN {label}-----")];
        let b = body.as_bytes();
        for c in b.chunks(width) {
            lines.push(String::from_utf8(c.to_vec()).unwrap());
        }
        lines.push(format!("-----END {label}-----"));
        lines
    }
    fn rsa_key(&mut self) -> Vec<String> {
        let n = self.range(1580, 1700);
        self.pem("RSA PRIVATE KEY", "MIIEowIBAAKCAQEA", n, 64)
    }
    fn ec_key(&mut self) -> Vec<String> {
        self.pem("EC PRIVATE KEY", "MHcCAQEEI", 164, 64)
    }
    fn openssh_key(&mut self) -> Vec<String> {
        let n = self.range(380, 420);
        self.pem(
            "OPENSSH PRIVATE KEY",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
            n,
            70,
        )
    }
    fn pkcs8_key(&mut self) -> Vec<String> {
        let n = self.range(1620, 1710);
        self.pem(
            "PRIVATE KEY",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ",
            n,
            64,
        )
    }
    fn cert(&mut self) -> Vec<String> {
        let n = self.range(1100, 1400);
        self.pem("CERTIFICATE", "MIIDdzCCAl+gAwIBAgIE", n, 64)
    }
    fn public_key(&mut self) -> Vec<String> {
        self.pem(
            "PUBLIC KEY",
            "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
            392,
            64,
        )
    }
    fn ssh_rsa_pub(&mut self) -> String {
        format!("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ{}", self.s(B64, 526))
    }
    fn ssh_ed_pub(&mut self) -> String {
        format!("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{}", self.s(B64, 43))
    }
    fn aws_id(&mut self) -> String {
        let p = if self.0.next() % 5 == 0 {
            "ASIA"
        } else {
            "AKIA"
        };
        format!("{p}{}", self.s(UPNUM, 16))
    }
    fn aws_secret(&mut self) -> String {
        self.s(B64, 40)
    }
    fn slack_bot(&mut self) -> String {
        let a = self.range(10, 12);
        format!(
            "xoxb-{}-{}-{}",
            self.s(DIGITS, a),
            self.s(DIGITS, 13),
            self.s(B62, 24)
        )
    }
    fn stripe(&mut self) -> String {
        if self.0.next() % 2 == 0 {
            format!("sk_live_51{}", self.s(B62, 97))
        } else {
            format!("sk_live_{}", self.s(B62, 24))
        }
    }
    fn stripe_pk(&mut self) -> String {
        format!("pk_live_51{}", self.s(B62, 97))
    }
    fn google(&mut self) -> String {
        format!("AIzaSy{}", self.s(B64URL, 33))
    }
    fn openai(&mut self) -> String {
        format!(
            "sk-proj-{}T3BlbkFJ{}",
            self.s(B64URL, 74),
            self.s(B64URL, 74)
        )
    }
    fn anthropic(&mut self) -> String {
        format!("sk-ant-api03-{}AA", self.s(B64URL, 93))
    }
    fn hf(&mut self) -> String {
        format!("hf_{}", self.s(LETTERS, 34))
    }
    fn sendgrid(&mut self) -> String {
        format!("SG.{}.{}", self.s(B64URL, 22), self.s(B64URL, 43))
    }
    fn twilio_sk(&mut self) -> String {
        format!("SK{}", self.hex(32))
    }
    fn glpat(&mut self) -> String {
        format!("glpat-{}", self.s(B64URL, 20))
    }
    /// A PyPI API token: `pypi-` + base64url of a v2 binary macaroon located at pypi.org.
    fn pypi(&mut self, test: bool) -> String {
        let loc: &[u8] = if test { b"test.pypi.org" } else { b"pypi.org" };
        let mut m = vec![2u8, 1, loc.len() as u8];
        m.extend_from_slice(loc);
        let id = self.uuid();
        m.extend_from_slice(&[2, id.len() as u8]);
        m.extend_from_slice(id.as_bytes());
        m.push(0);
        let caveat = format!(
            r#"{{"version": 1, "permissions": {{"projects": ["acme-{}"]}}}}"#,
            self.s(LOWNUM, 6)
        );
        m.extend_from_slice(&[2, caveat.len() as u8]);
        m.extend_from_slice(caveat.as_bytes());
        m.push(0);
        m.push(0);
        m.extend_from_slice(&[6, 32]);
        let sig = self.bytes(32);
        m.extend_from_slice(&sig);
        format!("pypi-{}", URL_SAFE_NO_PAD.encode(m))
    }
    /// 12-20 characters of Bitwarden's alphabet with at least one digit and one symbol.
    fn password(&mut self) -> String {
        loop {
            let n = self.range(12, 20);
            let p = self.s(PW, n);
            let has_sym = p.bytes().any(|b| !b.is_ascii_alphanumeric());
            let has_digit = p.bytes().any(|b| b.is_ascii_digit());
            if has_sym && has_digit {
                return p;
            }
        }
    }
    /// A database password as it appears in a URL: alphanumerics, sometimes percent-encoded symbols.
    fn db_password(&mut self) -> String {
        let n = self.range(16, 26);
        let raw = self.s(PW, n);
        let mut out = String::new();
        for b in raw.bytes() {
            if b.is_ascii_alphanumeric() {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }
    fn django_key(&mut self) -> String {
        self.s(DJANGO, 50)
    }
    fn sha1(&mut self) -> String {
        self.hex(40)
    }
    fn sha256(&mut self) -> String {
        self.hex(64)
    }
    fn integrity(&mut self) -> String {
        format!("sha512-{}", STANDARD.encode(self.bytes(64)))
    }
    fn b64blob(&mut self, n: usize) -> String {
        STANDARD.encode(self.bytes(n))
    }
    fn ident(&mut self, n: usize) -> String {
        self.s(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$", 1)
            + &self.s(
                b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$",
                n - 1,
            )
    }
    // --- Generators for the families added with the 400-rule set ---------------------------

    /// A person's password: a word, a symbol, a year and a tag (`Orchid!2001Prod`).
    fn human_password(&mut self) -> String {
        const WORDS: &[&str] = &[
            "Orchid", "Falcon", "Harbor", "Maple", "Copper", "Juniper", "Sparrow", "Granite",
            "Willow", "Cobalt", "Thunder", "Saffron", "Birch", "Marigold", "Pepper", "Nimbus",
            "Quartz", "Lantern", "Bramble", "Tundra",
        ];
        const TAGS: &[&str] = &[
            "Prod", "Db", "Ops", "Admin", "Live", "Sql", "Mail", "Backup",
        ];
        const SYMS: &[&str] = &["!", "#", "@", "%", "*", "?", "+"];
        let w = self.pick(WORDS);
        let w2 = self.pick(WORDS);
        let s = self.pick(SYMS);
        let t = self.pick(TAGS);
        let y = self.range(1968, 2024);
        match self.0.next() % 3 {
            0 => format!("{w}{s}{y}{t}"),
            1 => format!("{t}{w}{y}{s}"),
            _ => format!("{w}{w2}{s}{}", y % 100 + 10),
        }
    }
    /// A generated password without shell/URL-special characters.
    fn safe_password(&mut self) -> String {
        const SAFE: &[u8] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#%^*_-";
        loop {
            let n = self.range(14, 22);
            let p = self.s(SAFE, n);
            let digit = p.bytes().any(|b| b.is_ascii_digit());
            let upper = p.bytes().any(|b| b.is_ascii_uppercase());
            if digit && upper && p.as_bytes()[0].is_ascii_alphanumeric() {
                return p;
            }
        }
    }
    fn alnum_password(&mut self) -> String {
        let n = self.range(16, 24);
        self.s(B62, n)
    }
    /// An opaque bearer token from an in-house API.
    fn opaque_token(&mut self) -> String {
        match self.0.next() % 3 {
            0 => self.hex(40),
            1 => self.s(B62, 32),
            _ => self.s(B64URL, 43),
        }
    }
    fn basic(user: &str, pass: &str) -> String {
        STANDARD.encode(format!("{user}:{pass}"))
    }
    fn azure_storage_key(&mut self) -> String {
        STANDARD.encode(self.bytes(64))
    }
    fn azure_sas_key(&mut self) -> String {
        STANDARD.encode(self.bytes(32))
    }
    /// Entra ID client secret: 3 characters, a digit, `Q~`, 34 characters.
    fn entra_secret(&mut self) -> String {
        const E: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-";
        format!("{}{}Q~{}", self.s(B62, 3), self.s(DIGITS, 1), self.s(E, 34))
    }
    /// Cloudflare scannable token: prefix_ + 40 alphanumerics + CRC32 of them as 8 hex.
    fn cf_token(&mut self, prefix: &str) -> String {
        let body = self.s(B62, 40);
        format!("{prefix}_{body}{:08x}", crc32fast::hash(body.as_bytes()))
    }
    fn cf_token_bad(&mut self, prefix: &str) -> String {
        let body = self.s(B62, 40);
        let crc = crc32fast::hash(body.as_bytes()) ^ 0x0000_0101;
        format!("{prefix}_{body}{crc:08x}")
    }
    fn do_token(&mut self, prefix: &str) -> String {
        format!("{prefix}_v1_{}", self.hex(64))
    }
    fn vercel(&mut self) -> String {
        format!("vcp_{}", self.s(B62, 56))
    }
    fn sb_secret(&mut self) -> String {
        format!("sb_secret_{}_{}", self.s(B62, 22), self.s(B62, 8))
    }
    fn sb_publishable(&mut self) -> String {
        format!("sb_publishable_{}_{}", self.s(B62, 22), self.s(B62, 8))
    }
    fn project_ref(&mut self) -> String {
        self.s(b"abcdefghijklmnopqrstuvwxyz", 20)
    }
    /// A Supabase API JWT (`anon` keys are public by design, `service_role` keys are not).
    fn supabase_jwt(&mut self, project_ref: &str, role: &str) -> String {
        let header = r#"{"alg":"HS256","typ":"JWT"}"#;
        let iat = 1_700_000_000 + self.0.next() % 30_000_000;
        let payload = format!(
            r#"{{"iss":"supabase","ref":"{project_ref}","role":"{role}","iat":{iat},"exp":{}}}"#,
            iat + 315_360_000
        );
        format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(self.bytes(32))
        )
    }
    fn databricks(&mut self) -> String {
        if self.0.next() % 3 == 0 {
            format!("dapi{}-{}", self.hex(32), self.range(2, 3))
        } else {
            format!("dapi{}", self.hex(32))
        }
    }
    fn hex_token(&mut self, prefix: &str, n: usize) -> String {
        format!("{prefix}{}", self.hex(n))
    }
    fn square(&mut self) -> String {
        format!("EAAA{}", self.s(B64URL, 60))
    }
    fn dckr(&mut self) -> String {
        format!("dckr_pat_{}", self.s(B64URL, 27))
    }
    /// Atlassian API token: ATATT3xFfGF0 + 171 base64url + `=` + CRC32 (upper hex) of the head.
    fn atlassian(&mut self) -> String {
        let head = format!("ATATT3xFfGF0{}", self.s(B64URL, 171));
        let crc = crc32fast::hash(head.as_bytes());
        format!("{head}={crc:08X}")
    }
    fn tfc(&mut self) -> String {
        format!("{}.atlasv1.{}", self.s(B62, 14), self.s(B62, 67))
    }
    fn doppler(&mut self, kind: &str) -> String {
        format!("dp.{kind}.{}", self.s(B62, 43))
    }
    /// Grafana service account token: glsa_ + 32 + `_` + little-endian hex of its CRC32.
    fn glsa(&mut self) -> String {
        let head = format!("glsa_{}", self.s(B62, 32));
        let le = crc32fast::hash(head.as_bytes()).to_le_bytes();
        format!(
            "{head}_{:02x}{:02x}{:02x}{:02x}",
            le[0], le[1], le[2], le[3]
        )
    }
    /// Grafana Cloud access policy token: glc_ + base64 of {o, n, k, m.r}.
    fn glc(&mut self) -> String {
        let region = self.pick(&["prod-eu-west-2", "prod-us-central-0", "prod-ap-southeast-1"]);
        let kind = self.pick(&["stack", "logs", "metrics"]);
        let json = format!(
            r#"{{"o":"{}","n":"{kind}-{}-write","k":"{}","m":{{"r":"{region}"}}}}"#,
            self.s(DIGITS, 6),
            self.s(DIGITS, 6),
            self.s(B62, 24)
        );
        format!("glc_{}", STANDARD.encode(json))
    }
    fn nrak(&mut self) -> String {
        format!("NRAK-{}", self.s(UPNUM, 27))
    }
    /// Sentry organization token: sntrys_ + base64 JSON payload + `_` + 43 base64 characters.
    fn sntrys(&mut self, org: &str) -> String {
        let json = format!(
            r#"{{"iat":{}.{},"url":"https://sentry.io","region_url":"https://de.sentry.io","org":"{org}"}}"#,
            1_720_000_000 + self.0.next() % 20_000_000,
            self.s(DIGITS, 6)
        );
        format!(
            "sntrys_{}_{}",
            STANDARD.encode(json).trim_end_matches('='),
            self.s(B64, 43)
        )
    }
    fn groq(&mut self) -> String {
        format!("gsk_{}WGdyb3FY{}", self.s(B62, 20), self.s(B62, 24))
    }
    fn pplx(&mut self) -> String {
        format!("pplx-{}", self.s(B62, 48))
    }
    fn xai(&mut self) -> String {
        format!("xai-{}", self.s(B62, 80))
    }
    fn langsmith(&mut self, kind: &str) -> String {
        format!("lsv2_{kind}_{}_{}", self.hex(32), self.hex(10))
    }
    fn linear(&mut self) -> String {
        format!("lin_api_{}", self.s(B62, 40))
    }
    fn notion(&mut self) -> String {
        format!("ntn_{}{}", self.s(DIGITS, 11), self.s(B62, 35))
    }
    fn snowflake_id(&mut self) -> String {
        format!("1{}", self.s(DIGITS, 18))
    }
    fn discord_webhook(&mut self) -> String {
        format!(
            "https://discord.com/api/webhooks/{}/{}",
            self.snowflake_id(),
            self.s(B64URL, 68)
        )
    }
    fn telegram(&mut self) -> String {
        format!(
            "{}{}:AA{}",
            self.range(5, 7),
            self.s(DIGITS, 9),
            self.s(B64URL, 33)
        )
    }
    fn teams_webhook(&mut self) -> String {
        format!(
            "https://acmecorp.webhook.office.com/webhookb2/{}@{}/IncomingWebhook/{}/{}/V2{}",
            self.uuid(),
            self.uuid(),
            self.hex(32),
            self.uuid(),
            self.s(B64URL, 44)
        )
    }
    fn mailgun(&mut self) -> String {
        if self.0.next() % 2 == 0 {
            format!("key-{}", self.hex(32))
        } else {
            format!("{}-{}-{}", self.hex(32), self.hex(8), self.hex(8))
        }
    }
    fn brevo(&mut self, prefix: &str) -> String {
        format!("{prefix}-{}-{}", self.hex(64), self.s(B62, 16))
    }
    fn hubspot(&mut self) -> String {
        let region = self.pick(&["na1", "eu1", "na2"]);
        format!("pat-{region}-{}", self.uuid())
    }
    fn okta(&mut self) -> String {
        format!("00{}", self.s(B64URL, 40))
    }
    fn okta_client_id(&mut self) -> String {
        format!("0oa{}", self.s(B62, 17))
    }
    /// BIP-173 Bech32 of `data` under `hrp` (lowercase).
    fn bech32(hrp: &str, data: &[u8]) -> String {
        const CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        const GEN: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
        let mut five = Vec::new();
        let (mut acc, mut bits) = (0u32, 0u32);
        for &b in data {
            acc = ((acc << 8) | b as u32) & 0xffff;
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                five.push(((acc >> bits) & 31) as u8);
            }
        }
        if bits > 0 {
            five.push(((acc << (5 - bits)) & 31) as u8);
        }
        let mut values: Vec<u8> = hrp.bytes().map(|c| c >> 5).collect();
        values.push(0);
        values.extend(hrp.bytes().map(|c| c & 31));
        values.extend(&five);
        values.extend([0u8; 6]);
        let mut chk: u32 = 1;
        for v in values {
            let top = chk >> 25;
            chk = ((chk & 0x1ff_ffff) << 5) ^ v as u32;
            for (i, g) in GEN.iter().enumerate() {
                if (top >> i) & 1 == 1 {
                    chk ^= g;
                }
            }
        }
        chk ^= 1;
        for i in 0..6 {
            five.push(((chk >> (5 * (5 - i))) & 31) as u8);
        }
        let tail: String = five.iter().map(|&d| CHARSET[d as usize] as char).collect();
        format!("{hrp}1{tail}")
    }
    fn age_secret(&mut self) -> String {
        let k = self.bytes(32);
        Self::bech32("age-secret-key-", &k).to_uppercase()
    }
    fn age_public(&mut self) -> String {
        let k = self.bytes(32);
        Self::bech32("age", &k)
    }
    fn mapbox_pk(&mut self) -> String {
        let payload = format!(r#"{{"u":"acme-maps","a":"cl{}"}}"#, self.s(LOWNUM, 23));
        format!(
            "pk.{}.{}",
            URL_SAFE_NO_PAD.encode(payload),
            self.s(B64URL, 22)
        )
    }
    fn sentry_dsn(&mut self) -> String {
        format!(
            "https://{}@o{}.ingest.sentry.io/{}",
            self.hex(32),
            self.s(DIGITS, 6),
            self.s(DIGITS, 7)
        )
    }
    // Encrypted-at-rest values committed on purpose.
    fn sops(&mut self, n: usize) -> String {
        format!(
            "ENC[AES256_GCM,data:{},iv:{},tag:{},type:str]",
            STANDARD.encode(self.bytes(n)),
            STANDARD.encode(self.bytes(32)),
            STANDARD.encode(self.bytes(16))
        )
    }
    fn jasypt(&mut self) -> String {
        let n = self.range(24, 48);
        format!("ENC({})", STANDARD.encode(self.bytes(n)))
    }
    fn sealed(&mut self) -> String {
        // Big-endian length of the RSA-4096-wrapped session key (512), then the ciphertexts.
        let mut b = vec![0x02, 0x00];
        let n = self.range(520, 600);
        b.extend(self.bytes(n));
        STANDARD.encode(b)
    }
    fn kms_blob(&mut self) -> String {
        let mut b = vec![0x01, 0x02, 0x02, 0x00, 0x78];
        let n = self.range(160, 220);
        b.extend(self.bytes(n));
        STANDARD.encode(b)
    }
    fn vault_transit(&mut self) -> String {
        let n = self.range(40, 64);
        format!("vault:v1:{}", STANDARD.encode(self.bytes(n)))
    }
    fn ansible_vault(&mut self, indent: &str) -> String {
        let mut out = format!("{indent}$ANSIBLE_VAULT;1.1;AES256");
        let lines = self.range(5, 9);
        for i in 0..lines {
            let w = if i + 1 == lines {
                self.range(20, 70)
            } else {
                80
            };
            out.push('\n');
            out.push_str(indent);
            out.push_str(&self.hex(w));
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// The labelled corpus
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Label {
    path: String,
    line: usize,
    column: usize,
    secret: String,
    /// Expected rule id, or a rule id prefix ending in `-`.
    expect: &'static str,
    provider: &'static str,
}

#[derive(Default)]
struct Corpus {
    files: Vec<(String, String)>,
    labels: Vec<Label>,
    decoys: usize,
    path: String,
    buf: String,
}

impl Corpus {
    fn file(&mut self, path: &str) {
        self.flush();
        self.path = path.to_string();
    }
    fn flush(&mut self) {
        if !self.path.is_empty() {
            let path = std::mem::take(&mut self.path);
            let buf = std::mem::take(&mut self.buf);
            assert!(
                !self.files.iter().any(|(p, _)| *p == path),
                "duplicate file {path}"
            );
            self.files.push((path, buf));
        }
    }
    /// Plain lines (no secret, not counted as decoys).
    fn t(&mut self, text: &str) {
        self.buf.push_str(text);
        self.buf.push('\n');
    }
    /// One hard decoy (lines that must produce no finding).
    fn d(&mut self, text: &str) {
        self.dn(1, text);
    }
    /// `n` hard decoys in `text`.
    fn dn(&mut self, n: usize, text: &str) {
        self.decoys += n;
        self.t(text);
    }
    /// Text holding one planted secret.
    fn s(&mut self, text: &str, secret: &str, expect: &'static str, provider: &'static str) {
        self.sm(text, &[(secret, expect, provider)]);
    }
    /// Text holding several planted secrets.
    fn sm(&mut self, text: &str, secrets: &[(&str, &'static str, &'static str)]) {
        let base = self.buf.len();
        self.t(text);
        for &(secret, expect, provider) in secrets {
            let off = text
                .find(secret)
                .unwrap_or_else(|| panic!("secret {secret} not in {text}"));
            let pos = base + off;
            let line = self.buf[..pos].matches('\n').count() + 1;
            let ls = self.buf[..pos].rfind('\n').map_or(0, |i| i + 1);
            let column = self.buf[ls..pos].chars().count() + 1;
            self.labels.push(Label {
                path: self.path.clone(),
                line,
                column,
                secret: secret.to_string(),
                expect,
                provider,
            });
        }
    }
    /// A PEM block planted as one secret (`lines` joined by `sep`, wrapped by `pre`/`post`).
    fn pem(&mut self, pre: &str, lines: &[String], sep: &str, post: &str, expect: &'static str) {
        let block = lines.join(sep);
        let text = format!("{pre}{block}{post}");
        self.s(&text, &block, expect, "private-key");
    }
}

// ---------------------------------------------------------------------------------------------
// The tree
// ---------------------------------------------------------------------------------------------

const JWT_IO: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

fn build() -> Corpus {
    let mut g = G(Rng(0x6b65_7968_6f75_6e64));
    let mut c = Corpus::default();

    python(&mut c, &mut g);
    javascript(&mut c, &mut g);
    bundle(&mut c, &mut g);
    node_meta(&mut c, &mut g);
    go(&mut c, &mut g);
    java(&mut c, &mut g);
    ruby(&mut c, &mut g);
    php(&mut c, &mut g);
    csharp(&mut c, &mut g);
    rust_src(&mut c, &mut g);
    shell(&mut c, &mut g);
    ci_yaml(&mut c, &mut g);
    k8s(&mut c, &mut g);
    dotenv(&mut c, &mut g);
    terraform(&mut c, &mut g);
    docker(&mut c, &mut g);
    notebook(&mut c, &mut g);
    markdown(&mut c, &mut g);
    ini_props(&mut c, &mut g);
    xml(&mut c, &mut g);
    json_misc(&mut c, &mut g);
    // Families added with the 400-rule set.
    platform_python(&mut c, &mut g);
    platform_sql(&mut c, &mut g);
    platform_ts(&mut c, &mut g);
    vendor_bundle(&mut c, &mut g);
    notifier_go(&mut c, &mut g);
    providers_jvm(&mut c, &mut g);
    shopify_ruby(&mut c, &mut g);
    mail_php(&mut c, &mut g);
    azure_csharp(&mut c, &mut g);
    integrations_rust(&mut c, &mut g);
    ops_shell(&mut c, &mut g);
    deploy_ci(&mut c, &mut g);
    k8s_platform(&mut c, &mut g);
    encrypted_values(&mut c, &mut g);
    dotenv_platform(&mut c, &mut g);
    terraform_platform(&mut c, &mut g);
    docker_platform(&mut c, &mut g);
    netrc_npmrc(&mut c, &mut g);
    runbooks_md(&mut c, &mut g);
    spring_yaml(&mut c, &mut g);
    http_files(&mut c, &mut g);
    lockfiles_new(&mut c, &mut g);
    locales_and_fixtures(&mut c, &mut g);
    c.flush();
    c
}

fn python(c: &mut Corpus, g: &mut G) {
    // Django settings.
    c.file("services/billing/billing/settings.py");
    c.t("\"\"\"Django settings for billing project.\"\"\"");
    c.t("import os\nfrom pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n");
    let dk = g.django_key();
    c.s(&format!("SECRET_KEY = '{dk}'"), &dk, "generic-", "generic");
    c.d("DEBUG = os.environ.get(\"DJANGO_DEBUG\", \"false\").lower() == \"true\"");
    c.t("ALLOWED_HOSTS = [\"billing.acme-corp.io\", \"localhost\"]\n");
    c.t("DATABASES = {\n    \"default\": {\n        \"ENGINE\": \"django.db.backends.postgresql\",\n        \"NAME\": \"billing\",\n        \"USER\": \"billing_app\",");
    let pw = g.password();
    c.s(
        &format!("        \"PASSWORD\": \"{pw}\","),
        &pw,
        "generic-",
        "generic",
    );
    c.t("        \"HOST\": \"pg-primary.internal\",\n        \"PORT\": 5432,\n    },");
    c.t("    \"replica\": {\n        \"ENGINE\": \"django.db.backends.postgresql\",");
    c.d("        \"PASSWORD\": os.environ[\"REPLICA_DB_PASSWORD\"],");
    c.t("    },\n}\n");
    c.t("AUTH_PASSWORD_VALIDATORS = [");
    c.d("    {\"NAME\": \"django.contrib.auth.password_validation.UserAttributeSimilarityValidator\"},");
    c.d("    {\"NAME\": \"django.contrib.auth.password_validation.MinimumLengthValidator\", \"OPTIONS\": {\"min_length\": 12}},");
    c.d("    {\"NAME\": \"django.contrib.auth.password_validation.CommonPasswordValidator\"},");
    c.t("]\n");
    c.d("PASSWORD_HASHERS = [\"django.contrib.auth.hashers.Argon2PasswordHasher\", \"django.contrib.auth.hashers.PBKDF2PasswordHasher\"]");
    c.d("CSRF_COOKIE_NAME = \"billing_csrftoken\"");
    c.d("SESSION_COOKIE_AGE = 60 * 60 * 8  # session token lifetime");
    let sk = g.stripe();
    c.s(
        &format!("STRIPE_SECRET_KEY = \"{sk}\""),
        &sk,
        "stripe-secret-key",
        "stripe",
    );
    let pk = g.stripe_pk();
    c.t(&format!("STRIPE_PUBLISHABLE_KEY = \"{pk}\""));
    c.d("STRIPE_WEBHOOK_SECRET = os.environ.get(\"STRIPE_WEBHOOK_SECRET\", \"\")");
    let sg = g.sendgrid();
    c.s(
        &format!("SENDGRID_API_KEY = '{sg}'"),
        &sg,
        "sendgrid-api-key",
        "sendgrid",
    );
    c.d("EMAIL_HOST_PASSWORD = os.environ[\"EMAIL_HOST_PASSWORD\"]");
    c.d("EMAIL_HOST_USER = \"apikey\"  # SendGrid expects the literal string 'apikey'");
    c.d("OAUTH2_TOKEN_URL = \"https://auth.acme-corp.io/oauth2/token\"");
    c.d("TOKEN_TYPE = \"Bearer\"");
    c.d("JWT_ALGORITHM = \"RS256\"");
    c.d("REST_FRAMEWORK = {\"DEFAULT_AUTHENTICATION_CLASSES\": [\"rest_framework.authentication.TokenAuthentication\"]}");
    let h = g.sha256();
    c.d(&format!("ML_MODEL_SHA256 = \"{h}\""));

    // API clients.
    c.file("services/billing/billing/clients.py");
    c.t("import os\nimport boto3\nimport openai\nimport anthropic\nfrom huggingface_hub import HfApi\n");
    let (ak, sk) = (g.aws_id(), g.aws_secret());
    c.sm(
        &format!("s3 = boto3.client(\"s3\", region_name=\"eu-west-1\", aws_access_key_id=\"{ak}\", aws_secret_access_key=\"{sk}\")"),
        &[(&ak, "aws-access-key-id", "aws"), (&sk, "aws-secret-access-key", "aws")],
    );
    c.d("sqs = boto3.client(\"sqs\", aws_access_key_id=os.environ[\"AWS_ACCESS_KEY_ID\"], aws_secret_access_key=os.environ[\"AWS_SECRET_ACCESS_KEY\"])");
    let oa = g.openai();
    c.s(
        &format!("llm = openai.OpenAI(api_key=\"{oa}\")"),
        &oa,
        "openai-project-key",
        "openai",
    );
    c.d("llm_fallback = openai.OpenAI(api_key=os.getenv(\"OPENAI_API_KEY\"))");
    let an = g.anthropic();
    c.s(
        &format!("claude = anthropic.Anthropic(api_key=\"{an}\")"),
        &an,
        "anthropic-api-key",
        "anthropic",
    );
    let hf = g.hf();
    c.s(
        &format!("hub = HfApi(token=\"{hf}\")"),
        &hf,
        "huggingface-token",
        "huggingface",
    );
    c.d("hub_ro = HfApi(token=os.environ.get(\"HF_TOKEN\"))");
    c.t("\n\ndef fetch_invoice(session, invoice_id, token):");
    c.d(
        "    headers = {\"Authorization\": f\"Bearer {token}\", \"X-Request-Id\": str(invoice_id)}",
    );
    let u = g.uuid();
    c.d(&format!("    trace_token_id = \"{u}\""));
    c.t("    return session.get(f\"https://api.acme-corp.io/v2/invoices/{invoice_id}\", headers=headers)");
    c.d("\n\nREQUEST_TOKEN_HEADER = \"X-Acme-Request-Token\"");
    let pw = g.password();
    c.s(
        &format!("SMTP_PASSWORD = \"{pw}\"  # TODO move to vault"),
        &pw,
        "generic-",
        "generic",
    );
    let db = g.db_password();
    let url = format!("postgresql://reporting:{db}@analytics-db.internal:5432/reporting");
    c.s(
        &format!("REPORTING_DSN = \"{url}\""),
        &db,
        "postgres-connection-url",
        "database",
    );

    // Tests with fixtures.
    c.file("services/billing/tests/test_auth.py");
    c.t("import pytest\nfrom billing.auth import decode_token, login\n");
    c.d(&format!("EXAMPLE_TOKEN = \"{JWT_IO}\""));
    c.d("DUMMY_API_KEY = \"dummy-api-key-0f3a9c\"");
    c.d("def test_login_rejects_wrong_password(client):\n    resp = client.post(\"/login\", json={\"username\": \"alice\", \"password\": \"example-password-123\"})");
    c.d("    assert resp.json()[\"token_type\"] == \"bearer\"");
    c.d("    password_field = \"id_password\"");
    c.d("    assert login(\"alice\", password=\"hunter2hunter2\") is None");
    let j = g.jwt();
    c.t("\n\ndef test_decode_service_token():");
    c.s(&format!("    token = \"{j}\""), &j, "jwt", "jwt");
    c.t("    claims = decode_token(token)\n    assert claims[\"role\"]\n");
    let bad = g.gh_bad("ghp");
    c.d(&format!(
        "    assert not is_valid_github_token(\"{bad}\")  # wrong checksum"
    ));
    let short = format!("ghp_{}", g.s(B62, 20));
    c.d(&format!(
        "    assert not is_valid_github_token(\"{short}\")"
    ));
    c.d("    assert mask(\"sk_live_abc123\") == \"sk_live_***\"");

    // Django fixtures with hashed passwords.
    c.file("services/billing/billing/fixtures/users.json");
    c.t("[");
    for i in 0..3 {
        let salt = g.s(B62, 22);
        let hash = g.b64blob(32);
        c.t(&format!("  {{\"model\": \"auth.user\", \"pk\": {},", i + 1));
        c.d(&format!("   \"fields\": {{\"password\": \"pbkdf2_sha256$720000${salt}${hash}\", \"username\": \"user{i}\"}}}},"));
    }
    c.t("  {}\n]");
}

fn javascript(c: &mut Corpus, g: &mut G) {
    c.file("web/src/api/client.ts");
    c.t("import axios from \"axios\";\nimport Stripe from \"stripe\";\n");
    let gh = g.gh("ghp");
    c.s(
        &format!("const GITHUB_TOKEN = \"{gh}\";"),
        &gh,
        "github-pat",
        "github",
    );
    c.d("const fallbackToken = process.env.GITHUB_TOKEN ?? \"\";");
    c.d("export const api = axios.create({ headers: { Authorization: `token ${process.env.GITHUB_TOKEN}` } });");
    let sk = g.stripe();
    c.s(
        &format!("export const stripe = new Stripe(\"{sk}\", {{ apiVersion: \"2023-10-16\" }});"),
        &sk,
        "stripe-secret-key",
        "stripe",
    );
    c.d("export type TokenType = \"bearer\" | \"basic\";");
    c.d("const passwordInput = document.querySelector<HTMLInputElement>(\"#password\");");
    c.d("export const config = { apiKey: process.env.NEXT_PUBLIC_API_KEY, authDomain: \"acme-corp.firebaseapp.com\" };");
    c.d("const token = localStorage.getItem(\"access_token\");");
    c.d("export const TOKEN_STORAGE_KEY = \"acme.auth.accessToken\";");
    let gho = g.gh("gho");
    c.s(
        &format!("  oauthToken: '{gho}',"),
        &gho,
        "github-oauth-token",
        "github",
    );
    let sl = g.slack_bot();
    c.s(
        &format!("export const slack = new WebClient(\"{sl}\");"),
        &sl,
        "slack-bot-token",
        "slack",
    );
    c.d("if (password.length < MIN_PASSWORD_LENGTH) throw new Error(\"password too short\");");
    c.d("const { data: { access_token: accessToken, token_type: tokenType } } = await api.post(\"/oauth/token\");");
    let bad = g.gh_bad("gho");
    c.d(&format!("// revoked on 2024-03-02: {bad}"));

    c.file("web/src/lib/maps.js");
    let ga = g.google();
    c.s(
        &format!("const MAPS_API_KEY = \"{ga}\";"),
        &ga,
        "google-api-key",
        "google",
    );
    c.t("export function loadMaps() {");
    c.t("  const s = document.createElement(\"script\");");
    let ga2 = g.google();
    c.s(
        &format!("  s.src = `https://maps.googleapis.com/maps/api/js?key={ga2}&libraries=places`;"),
        &ga2,
        "google-api-key",
        "google",
    );
    c.t("  document.head.appendChild(s);\n}");
    let pk = g.stripe_pk();
    c.t(&format!(
        "export const stripePromise = loadStripe(\"{pk}\");"
    ));
    let sentry = g.hex(32);
    c.d(&format!(
        "Sentry.init({{ dsn: \"https://{sentry}@o450123.ingest.sentry.io/5512345\" }});"
    ));
    c.d("gtag(\"config\", \"G-7XK2M9Q4LB\");");
    let id = g.uuid();
    c.d(&format!("export const INTERCOM_APP_TOKEN_ID = \"{id}\";"));

    c.file("web/src/auth/session.test.js");
    c.t("import { parseSession } from \"./session\";\n");
    c.d(&format!("const jwt = \"{JWT_IO}\";"));
    c.d("const password = \"correct-horse-battery-staple\";");
    c.d("const apiKey = \"test_api_key_placeholder\";");
    c.d("const secret = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\";");
    let j = g.jwt();
    c.s(&format!("const serviceJwt = \"{j}\";"), &j, "jwt", "jwt");
    let npm = g.gh("npm");
    c.s(
        &format!("process.env.NPM_TOKEN = \"{npm}\";"),
        &npm,
        "npm-token",
        "npm",
    );
    c.d("expect(parseSession({ token_type: \"bearer\", expires_in: 3600 })).toBeTruthy();");
    let short = format!("sk_live_{}", g.s(B62, 10));
    c.d(&format!("expect(isSecretKey(\"{short}\")).toBe(false);"));
}

fn bundle(c: &mut Corpus, g: &mut G) {
    // A minified production bundle: one long line.
    c.file("web/dist/assets/index-8c1f2b7e.js");
    let mut line = String::new();
    let mut secrets: Vec<(String, &'static str, &'static str)> = Vec::new();
    let mut decoys = 0;
    line.push_str("(function(){\"use strict\";var e={},t={};");
    for i in 0..60 {
        let a = g.ident(2);
        let b = g.ident(3);
        let cls = g.s(B64URL, 5);
        let chunk = g.hex(8);
        line.push_str(&format!(
            "function {a}{i}(e,t,n){{var {b}=n({});return {b}.createElement(\"div\",{{className:\"Card_root__{cls}\",\"data-chunk\":\"{chunk}\"}},e.children)}}",
            g.range(100, 9999)
        ));
        match i {
            3 => {
                let k = g.google();
                line.push_str(&format!(
                    "var mapsCfg={{apiKey:\"{k}\",libraries:[\"places\"]}};"
                ));
                secrets.push((k, "google-api-key", "google"));
            }
            7 => {
                let pk = g.stripe_pk();
                line.push_str(&format!("var st=Stripe(\"{pk}\");"));
            }
            11 => {
                let j = g.jwt();
                line.push_str(&format!(
                    "fetch(\"/api/v1/reports\",{{headers:{{Authorization:\"Bearer {j}\"}}}});"
                ));
                secrets.push((j, "jwt", "jwt"));
            }
            15 => {
                line.push_str("var pw={passwordField:\"Login_passwordField__2xYq9\",tokenInput:\"Login_tokenInput__Hk28c\",resetPasswordLink:\"Login_resetPasswordLink__9Lm3P\",secretToggle:\"Login_secretToggle__aB3dE\"};");
                decoys += 4;
            }
            19 => {
                line.push_str("function vp(e){return/^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d)[A-Za-z\\d@$!%*?&]{12,}$/.test(e)}var passwordRules={minLength:12,requireDigit:!0};");
                decoys += 1;
            }
            23 => {
                let mut m = String::from("var chunkHashes={");
                for _ in 0..12 {
                    m.push_str(&format!("{}:\"{}\",", g.range(10, 999), g.hex(16)));
                }
                m.push_str("};function u(e){return\"static/js/\"+({17:\"token-refresh\",42:\"password-reset\",88:\"api-keys\"}[e]||e)+\".\"+chunkHashes[e]+\".chunk.js\"}");
                line.push_str(&m);
                decoys += 3;
            }
            27 => {
                line.push_str("var t9={apiKey:e.apiKey,authToken:n.authToken,password:r.password||\"\",token:a.token||i.token};");
                decoys += 4;
            }
            31 => {
                let sk = g.stripe();
                line.push_str(&format!(
                    "var billing={{secretKey:\"{sk}\",currency:\"eur\"}};"
                ));
                secrets.push((sk, "stripe-secret-key", "stripe"));
            }
            35 => {
                let font = g.b64blob(1500);
                line.push_str(&format!("var fontFace=\"@font-face{{font-family:Inter;src:url(data:font/woff2;base64,{font}) format('woff2')}}\";"));
                decoys += 1;
            }
            39 => {
                line.push_str("var i18n={\"auth.password.tooShort\":\"Password must be at least 12 characters\",\"auth.token.expired\":\"Your session has expired\",\"settings.apiKey.copy\":\"Copy\"};");
                decoys += 3;
            }
            43 => {
                let pw = g.password();
                line.push_str(&format!(
                    "var smtp={{host:\"smtp.acme-corp.io\",user:\"noreply\",password:\"{pw}\"}};"
                ));
                secrets.push((pw, "generic-", "generic"));
            }
            47 => {
                line.push_str("headers.set(\"Authorization\",\"Bearer \"+e.accessToken);var tokenType=\"bearer\";");
                decoys += 2;
            }
            51 => {
                let sentry = g.hex(32);
                line.push_str(&format!("Sentry.init({{dsn:\"https://{sentry}@o450123.ingest.sentry.io/5512345\",release:\"{}\"}});", g.sha1()));
                decoys += 2;
            }
            55 => {
                let sec = g.s(B62, 32);
                // The Pusher app key is public by design; the Intercom identity secret is not.
                line.push_str(&format!("var pusher=new Pusher(\"{}\",{{cluster:\"eu\"}});var intercomSecret=\"{sec}\";", g.hex(20)));
                decoys += 1;
                secrets.push((sec, "generic-", "generic"));
            }
            _ => {}
        }
    }
    line.push_str("})();//# sourceMappingURL=index-8c1f2b7e.js.map");
    let refs: Vec<(&str, &'static str, &'static str)> = secrets
        .iter()
        .map(|(s, e, p)| (s.as_str(), *e, *p))
        .collect();
    c.decoys += decoys;
    c.sm(&line, &refs);
}

fn node_meta(c: &mut Corpus, g: &mut G) {
    c.file("web/package.json");
    c.t("{\n  \"name\": \"@acme/web\",\n  \"version\": \"3.14.0\",\n  \"private\": true,\n  \"scripts\": {");
    c.d("    \"token:refresh\": \"node scripts/refresh-token.js\",");
    c.d("    \"secrets:check\": \"keyhound scan . --fail-on high\",");
    c.t("    \"build\": \"vite build\"\n  },\n  \"dependencies\": {");
    c.d("    \"jsonwebtoken\": \"^9.0.2\",");
    c.d("    \"passport-jwt\": \"^4.0.1\",");
    c.d("    \"@aws-sdk/credential-providers\": \"^3.485.0\",");
    c.t("    \"react\": \"^18.2.0\"\n  },");
    let sha = g.sha1();
    c.d(&format!("  \"gitHead\": \"{sha}\""));
    c.t("}");

    c.file("web/.npmrc");
    c.t("@acme:registry=https://npm.pkg.github.com");
    c.d("//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}");
    let npm = g.gh("npm");
    c.s(
        &format!("//registry.npmjs.org/:_authToken={npm}"),
        &npm,
        "npm-token",
        "npm",
    );
    c.t("always-auth=true");

    c.file("web/package-lock.json");
    c.t("{\n  \"name\": \"@acme/web\",\n  \"version\": \"3.14.0\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {");
    let pkgs = [
        "js-tokens",
        "jsonwebtoken",
        "passport",
        "passport-jwt",
        "secure-password",
        "csrf",
        "@aws-sdk/credential-providers",
        "@aws-sdk/token-providers",
        "keytar",
        "bcryptjs",
        "jws",
        "jwa",
        "oauth",
        "oauth-sign",
        "dotenv",
        "dotenv-expand",
        "crypto-js",
        "uuid",
        "node-forge",
        "safe-buffer",
        "ecdsa-sig-formatter",
        "buffer-equal-constant-time",
        "@octokit/auth-token",
        "lodash.isstring",
        "password-prompt",
        "secret-handshake",
        "random-bytes",
        "tsscmp",
        "cookie-signature",
        "react",
        "react-dom",
        "scheduler",
        "loose-envify",
        "vite",
        "esbuild",
        "rollup",
        "postcss",
        "nanoid",
        "picocolors",
        "source-map-js",
    ];
    for (i, p) in pkgs.iter().enumerate() {
        let ver = format!("{}.{}.{}", g.range(0, 9), g.range(0, 30), g.range(0, 20));
        let base = p.rsplit('/').next().unwrap();
        c.t(&format!(
            "    \"node_modules/{p}\": {{\n      \"version\": \"{ver}\","
        ));
        c.t(&format!(
            "      \"resolved\": \"https://registry.npmjs.org/{p}/-/{base}-{ver}.tgz\","
        ));
        if i % 7 == 3 {
            let sha1 = STANDARD.encode(g.bytes(20));
            c.d(&format!("      \"integrity\": \"sha1-{sha1}\","));
        } else {
            let integ = g.integrity();
            c.d(&format!("      \"integrity\": \"{integ}\","));
        }
        c.t("      \"license\": \"MIT\"\n    },");
    }
    c.t("    \"\": {}\n  }\n}");

    c.file("web/.next/build-manifest.json");
    c.t("{\n  \"pages\": {");
    for page in [
        "/account/api-keys",
        "/settings/tokens",
        "/reset-password",
        "/login",
    ] {
        let slug = page.rsplit('/').next().unwrap();
        c.dn(
            2,
            &format!(
                "    \"{page}\": [\"static/chunks/webpack-{}.js\", \"static/chunks/pages{page}-{}.js\", \"static/css/{}.css\"],",
                g.hex(16),
                g.hex(16),
                g.hex(16)
            ),
        );
        let _ = slug;
    }
    c.t("    \"/_app\": []\n  }\n}");

    c.file("web/public/locales/ja.json");
    c.t("{");
    c.d("  \"auth.password.tooShort\": \"パスワードは12文字以上で入力してください\",");
    c.d("  \"auth.password.mismatch\": \"パスワードが一致しません\",");
    c.d(
        "  \"auth.token.expired\": \"セッションの有効期限が切れました。再度ログインしてください\",",
    );
    c.d("  \"settings.apiKey.rotate\": \"APIキーを再発行すると、古いキーは24時間後に無効になります\",");
    c.d("  \"settings.apiKey.created\": \"APIキーを作成しました（2件目）\",");
    c.t("  \"common.ok\": \"OK\"\n}");

    c.file("web/public/locales/de.json");
    c.t("{");
    c.d("  \"auth.password.tooShort\": \"Passwort muss mindestens 12 Zeichen lang sein\",");
    c.d("  \"auth.password.forgot\": \"Passwort vergessen?\",");
    c.d("  \"settings.token.revoke\": \"Zugriffstoken widerrufen\",");
    c.d("  \"settings.secret.hint\": \"Geheimschlüssel\",");
    c.t("  \"common.ok\": \"OK\"\n}");

    c.file("web/src/styles/modules.json");
    c.t("{");
    for (k, v) in [
        ("passwordInput", "LoginForm_passwordInput__3kF9x"),
        ("tokenBadge", "TokenList_tokenBadge__Zq7Lm"),
        ("secretReveal", "SecretField_secretReveal__p4Wd2"),
        ("apiKeyRow", "ApiKeys_apiKeyRow__Xm29b"),
        ("credentialsCard", "Settings_credentialsCard__8hGt1"),
    ] {
        c.d(&format!("  \"{k}\": \"{v}\","));
    }
    c.t("  \"root\": \"App_root__1a2b3\"\n}");
}

fn go(c: &mut Corpus, g: &mut G) {
    c.file("cmd/orders/main.go");
    c.t("package main\n\nimport (\n\t\"database/sql\"\n\t\"net/http\"\n\t\"os\"\n)\n");
    let sl = g.slack_bot();
    c.s(
        &format!("const slackToken = \"{sl}\""),
        &sl,
        "slack-bot-token",
        "slack",
    );
    let key = g.password();
    c.s(
        &format!("var hmacSecret = []byte(\"{key}\")"),
        &key,
        "generic-",
        "generic",
    );
    c.d("var ErrInvalidToken = errors.New(\"invalid token\")");
    c.t("\nfunc main() {");
    let db = g.db_password();
    c.s(&format!("\tdsn := \"postgres://orders:{db}@pg.orders.svc.cluster.local:5432/orders?sslmode=require\""), &db, "postgres-connection-url", "database");
    c.d("\tghToken := os.Getenv(\"GITHUB_TOKEN\")");
    c.d("\tapiKey := r.Header.Get(\"X-Api-Key\")");
    c.d("\tpassword := cfg.Database.Password");
    let gh = g.gh("ghp");
    c.s(
        &format!("\tclient := github.NewClient(nil).WithAuthToken(\"{gh}\")"),
        &gh,
        "github-pat",
        "github",
    );
    let rdb = g.db_password();
    c.s(
        &format!("\topt, _ := redis.ParseURL(\"redis://default:{rdb}@redis-master:6379/0\")"),
        &rdb,
        "redis-connection-url",
        "database",
    );
    c.d("\tauthToken := strings.TrimPrefix(req.Header.Get(\"Authorization\"), \"Bearer \")");
    c.t("\t_ = sql.Open\n\t_ = http.ListenAndServe\n\t_ = os.Exit\n}");
    let sha = g.sha1();
    c.d(&format!("// built from commit {sha}"));

    c.file("cmd/orders/go.sum");
    for m in [
        "github.com/golang-jwt/jwt/v5 v5.2.0",
        "golang.org/x/oauth2 v0.15.0",
        "github.com/aws/aws-sdk-go-v2/credentials v1.16.12",
        "github.com/zalando/go-keyring v0.2.3",
        "github.com/hashicorp/vault/api v1.10.0",
        "github.com/google/go-github/v57 v57.0.0",
        "github.com/redis/go-redis/v9 v9.3.1",
        "github.com/lib/pq v1.10.9",
        "golang.org/x/crypto v0.17.0",
        "github.com/slack-go/slack v0.12.3",
    ] {
        let h = STANDARD.encode(g.bytes(32));
        c.d(&format!("{m} h1:{h}"));
        let h2 = STANDARD.encode(g.bytes(32));
        let (name, ver) = m.split_once(' ').unwrap();
        c.d(&format!("{name} {ver}/go.mod h1:{h2}"));
    }

    c.file("internal/auth/token.go");
    c.t("package auth\n");
    c.d("const TokenTypeBearer = \"bearer\"");
    c.d("const passwordMinLen = 12");
    c.d("// Token format: ghp_ followed by 36 characters, e.g. ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    c.t("type Credentials struct {");
    c.d("\tAccessKeyID     string `json:\"access_key_id\"`");
    c.d("\tSecretAccessKey string `json:\"secret_access_key\"`");
    c.d("\tSessionToken    string `json:\"session_token,omitempty\"`");
    c.t("}\n");
    let (ak, sk) = (g.aws_id(), g.aws_secret());
    c.t("var ciCreds = Credentials{");
    c.s(
        &format!("\tAccessKeyID:     \"{ak}\","),
        &ak,
        "aws-access-key-id",
        "aws",
    );
    c.s(
        &format!("\tSecretAccessKey: \"{sk}\","),
        &sk,
        "aws-secret-access-key",
        "aws",
    );
    c.t("}");
}

fn java(c: &mut Corpus, g: &mut G) {
    c.file("payments/src/main/java/com/acme/payments/PaymentsConfig.java");
    c.t("package com.acme.payments;\n\nimport org.springframework.beans.factory.annotation.Value;\n");
    c.t("@Configuration\npublic class PaymentsConfig {");
    let sk = g.stripe();
    c.s(
        &format!("    private static final String STRIPE_KEY = \"{sk}\";"),
        &sk,
        "stripe-secret-key",
        "stripe",
    );
    c.d("    private static final String PASSWORD_PARAM = \"password\";");
    c.d("    @Value(\"${jwt.secret}\")\n    private String jwtSecret;");
    c.d("    private final String dbPassword = System.getenv(\"DB_PASSWORD\");");
    let db = g.db_password();
    c.s(&format!("    private static final String JDBC = \"jdbc:postgresql://pg.internal:5432/payments?user=payments&password={db}&ssl=true\";"), &db, "jdbc-connection-password", "database");
    let pw = g.password();
    c.s(
        &format!("    private static final String KEYSTORE_PASSWORD = \"{pw}\";"),
        &pw,
        "generic-",
        "generic",
    );
    let tw = g.twilio_sk();
    c.t("    // Twilio API key used for SMS receipts");
    c.s(
        &format!("    private static final String TWILIO_API_KEY = \"{tw}\";"),
        &tw,
        "twilio-api-key",
        "twilio",
    );
    let twa = g.hex(32);
    c.s(
        &format!("    private static final String TWILIO_AUTH_TOKEN = \"{twa}\";"),
        &twa,
        "twilio-auth-token",
        "twilio",
    );
    let sid = g.hex(32);
    c.d(&format!(
        "    private static final String TWILIO_ACCOUNT_SID = \"AC{sid}\";"
    ));
    c.d("    public static final String TOKEN_HEADER = \"X-Auth-Token\";");
    c.d("    private String passwordEncoderId = \"bcrypt\";");
    c.t("}");

    c.file("payments/src/main/resources/application.properties");
    c.t("spring.application.name=payments\nserver.port=8080");
    c.t("spring.datasource.url=jdbc:postgresql://pg.internal:5432/payments\nspring.datasource.username=payments");
    let pw = g.password();
    c.s(
        &format!("spring.datasource.password={pw}"),
        &pw,
        "generic-",
        "generic",
    );
    c.d("spring.mail.password=${MAIL_PASSWORD}");
    c.d("jwt.secret=${JWT_SECRET:}");
    c.d("security.oauth2.client.registration.github.client-secret=${GITHUB_CLIENT_SECRET}");
    c.d("security.password.min-length=12");
    c.d("management.endpoint.env.keys-to-sanitize=password,secret,token,key");
    let sg = g.sendgrid();
    c.s(
        &format!("sendgrid.api-key={sg}"),
        &sg,
        "sendgrid-api-key",
        "sendgrid",
    );
    let pw2 = g.password();
    c.s(
        &format!("app.encryption.secret={pw2}"),
        &pw2,
        "generic-",
        "generic",
    );

    c.file("payments/gradle.properties");
    c.t("org.gradle.jvmargs=-Xmx2g -Dfile.encoding=UTF-8\norg.gradle.parallel=true");
    c.d("signing.keyId=24875D73");
    let pw = g.password();
    c.s(
        &format!("signing.password={pw}"),
        &pw,
        "generic-",
        "generic",
    );
    c.d("signing.secretKeyRingFile=/home/ci/.gnupg/secring.gpg");
    let pw2 = g.password();
    c.s(&format!("ossrhPassword={pw2}"), &pw2, "generic-", "generic");
    c.d("ossrhToken=changeme");
}

fn ruby(c: &mut Corpus, g: &mut G) {
    c.file("storefront/config/initializers/stripe.rb");
    let sk = g.stripe();
    c.s(
        &format!("Stripe.api_key = \"{sk}\""),
        &sk,
        "stripe-secret-key",
        "stripe",
    );
    c.d("Stripe.api_key ||= ENV.fetch(\"STRIPE_SECRET_KEY\")");
    c.d("STRIPE_WEBHOOK_SECRET = Rails.application.credentials.stripe[:webhook_secret]");
    c.d("config.secret_key_base = ENV[\"SECRET_KEY_BASE\"]");
    c.d("Rails.application.config.filter_parameters += [:password, :token, :secret, :api_key]");

    c.file("storefront/config/database.yml");
    c.t("default: &default\n  adapter: postgresql\n  encoding: unicode\n  pool: <%= ENV.fetch(\"RAILS_MAX_THREADS\") { 5 } %>\n");
    c.t("development:\n  <<: *default\n  database: storefront_dev");
    c.d("  password: <%= ENV[\"DEV_DB_PASSWORD\"] %>");
    c.t("\nproduction:\n  <<: *default");
    let db = g.db_password();
    c.s(&format!("  url: postgres://storefront:{db}@storefront-db.c9akciq32.eu-west-1.rds.amazonaws.com:5432/storefront"), &db, "postgres-connection-url", "database");

    c.file("storefront/app/services/notifier.rb");
    c.t("class Notifier");
    let sl = g.slack_bot();
    c.s(
        &format!("  SLACK_TOKEN = \"{sl}\".freeze"),
        &sl,
        "slack-bot-token",
        "slack",
    );
    let pw = g.password();
    c.s(&format!("  SMTP_SETTINGS = {{ address: \"smtp.mailgun.org\", user_name: \"postmaster@mg.acme-corp.io\", password: \"{pw}\" }}.freeze"), &pw, "generic-", "generic");
    c.d("  TOKEN_TTL = 15.minutes");
    c.d("  def token = @token ||= ENV.fetch(\"NOTIFIER_TOKEN\")");
    c.d("  validates :password, length: { minimum: 12 }, confirmation: true");
    c.d("  has_secure_password :recovery_password, validations: false");
    let ghs = g.gh("ghp");
    c.s(
        &format!("  GITHUB = Octokit::Client.new(access_token: \"{ghs}\")"),
        &ghs,
        "github-pat",
        "github",
    );
    c.t("end");
}

fn php(c: &mut Corpus, g: &mut G) {
    c.file("shop/config/services.php");
    c.t("<?php\n\nreturn [");
    c.d("    'mailgun' => ['domain' => env('MAILGUN_DOMAIN'), 'secret' => env('MAILGUN_SECRET')],");
    c.d("    'stripe' => ['key' => env('STRIPE_KEY'), 'secret' => env('STRIPE_SECRET')],");
    let sk = g.stripe();
    c.s(
        &format!("    'stripe_legacy' => ['secret' => '{sk}'],"),
        &sk,
        "stripe-secret-key",
        "stripe",
    );
    let sg = g.sendgrid();
    c.s(
        &format!("    'sendgrid' => ['api_key' => '{sg}'],"),
        &sg,
        "sendgrid-api-key",
        "sendgrid",
    );
    c.d("    'github' => ['client_secret' => env('GITHUB_CLIENT_SECRET'), 'redirect' => '/auth/github/callback'],");
    c.t("];");

    c.file("shop/app/Legacy/Db.php");
    c.t("<?php\nnamespace App\\Legacy;\n\nclass Db\n{");
    let pw = g.password();
    c.s(
        &format!("    private $password = '{pw}';"),
        &pw,
        "generic-",
        "generic",
    );
    c.d("    private $passwordColumn = 'password_hash';");
    c.d("    public function __construct() { $this->token = getenv('SHOP_API_TOKEN'); }");
    let db = g.db_password();
    c.s(
        &format!("    const DSN = 'mysql://shop:{db}@mysql-primary:3306/shop';"),
        &db,
        "mysql-connection-url",
        "database",
    );
    c.d("    $hash = password_hash($password, PASSWORD_ARGON2ID);");
    c.d("    if (!hash_equals($expected, $_POST['csrf_token'] ?? '')) { abort(419); }");
    c.t("}");
}

fn csharp(c: &mut Corpus, g: &mut G) {
    c.file("src/Acme.Api/appsettings.json");
    c.t("{\n  \"ConnectionStrings\": {");
    let pw = g.password();
    c.s(&format!("    \"DefaultConnection\": \"Server=tcp:acme-sql.database.windows.net,1433;Initial Catalog=orders;User ID=orders_app;Password={pw};Encrypt=True;\""), &pw, "generic-", "generic");
    c.t("  },\n  \"Jwt\": {\n    \"Issuer\": \"https://auth.acme-corp.io\",\n    \"Audience\": \"orders\",");
    let jk = g.b64blob(48);
    c.s(
        &format!("    \"SigningSecret\": \"{jk}\""),
        &jk,
        "generic-",
        "generic",
    );
    c.t("  },\n  \"SendGrid\": {");
    let sg = g.sendgrid();
    c.s(
        &format!("    \"ApiKey\": \"{sg}\""),
        &sg,
        "sendgrid-api-key",
        "sendgrid",
    );
    c.t("  },\n  \"Logging\": {\n    \"LogLevel\": { \"Default\": \"Information\" }\n  },");
    c.d("  \"TokenValidation\": { \"ClockSkewSeconds\": 30, \"ValidateLifetime\": true },");
    c.d("  \"KeyVault\": { \"SecretUri\": \"https://acme-kv.vault.azure.net/secrets/orders-db\" }");
    c.t("}");

    c.file("src/Acme.Api/Startup.cs");
    c.t("using System;\nnamespace Acme.Api\n{\n    public class Startup\n    {");
    let gh = g.gh("ghp");
    c.s(
        &format!("        private const string GitHubToken = \"{gh}\";"),
        &gh,
        "github-pat",
        "github",
    );
    c.d("        private readonly string _apiKey = Environment.GetEnvironmentVariable(\"ACME_API_KEY\");");
    c.d("        var secret = Configuration[\"Jwt:SigningSecret\"];");
    c.d("        services.AddIdentity<User, Role>(o => { o.Password.RequiredLength = 12; o.Password.RequireNonAlphanumeric = true; });");
    c.d("        public const string PasswordResetTokenPurpose = \"ResetPassword\";");
    let (ak, sk) = (g.aws_id(), g.aws_secret());
    c.s(
        &format!("        var awsCreds = new BasicAWSCredentials(\"{ak}\","),
        &ak,
        "aws-access-key-id",
        "aws",
    );
    c.s(
        &format!("            secretAccessKey: \"{sk}\");"),
        &sk,
        "aws-secret-access-key",
        "aws",
    );
    c.t("    }\n}");
}

fn rust_src(c: &mut Corpus, g: &mut G) {
    c.file("crates/worker/src/config.rs");
    c.t("use std::env;\n");
    let hf = g.hf();
    c.s(
        &format!("const HF_TOKEN: &str = \"{hf}\";"),
        &hf,
        "huggingface-token",
        "huggingface",
    );
    c.d("let database_url = env::var(\"DATABASE_URL\").expect(\"DATABASE_URL must be set\");");
    let db = g.db_password();
    c.s(
        &format!("    let cache = redis::Client::open(\"redis://:{db}@cache.internal:6379/0\")?;"),
        &db,
        "redis-connection-url",
        "database",
    );
    c.d("    let password = rpassword::prompt_password(\"Password: \")?;");
    c.d("    #[serde(skip_serializing)]\n    pub api_key: Option<String>,");
    c.d("    let token = std::env::var(\"WORKER_TOKEN\").unwrap_or_default();");
    let pw = g.password();
    c.s(
        &format!("const QUEUE_PASSWORD: &str = \"{pw}\";"),
        &pw,
        "generic-",
        "generic",
    );
    let amqp = g.db_password();
    c.s(&format!("    let conn = Connection::connect(\"amqp://worker:{amqp}@rabbitmq:5672/%2f\", ConnectionProperties::default()).await?;"), &amqp, "amqp-connection-url", "database");
    c.d("    let amqp_local = \"amqp://guest:guest@localhost:5672/%2f\";");
    let an = g.anthropic();
    c.s(
        &format!("    let client = anthropic::Client::new(\"{an}\");"),
        &an,
        "anthropic-api-key",
        "anthropic",
    );
    c.d("    assert_eq!(token_kind(\"ghp_\"), TokenKind::Classic);");
}

fn shell(c: &mut Corpus, g: &mut G) {
    c.file("scripts/deploy.sh");
    c.t("#!/usr/bin/env bash\nset -euo pipefail\n");
    let gl = g.glpat();
    c.s(
        &format!("export GITLAB_TOKEN=\"{gl}\""),
        &gl,
        "gitlab-pat",
        "gitlab",
    );
    let gl2 = g.glpat();
    c.s(&format!("curl --fail -H \"PRIVATE-TOKEN: {gl2}\" https://gitlab.acme-corp.io/api/v4/projects/42/pipeline"), &gl2, "gitlab-pat", "gitlab");
    let pw = g.password();
    c.s(
        &format!("export PGPASSWORD='{pw}'"),
        &pw,
        "generic-",
        "generic",
    );
    c.d("TOKEN=$(vault kv get -field=token secret/ci/deploy)");
    c.d("read -rsp \"Password: \" PASSWORD");
    c.d(": \"${SLACK_TOKEN:?SLACK_TOKEN must be set}\"");
    c.d("curl -u \"admin:${ADMIN_PASSWORD}\" https://nexus.acme-corp.io/service/rest/v1/status");
    c.d("docker login -u ci -p \"$REGISTRY_PASSWORD\" registry.acme-corp.io");
    c.d("echo \"$DEPLOY_KEY\" | base64 -d > ~/.ssh/id_ed25519 && chmod 600 ~/.ssh/id_ed25519");
    let (ak, sk) = (g.aws_id(), g.aws_secret());
    c.s(
        &format!("aws configure set aws_access_key_id {ak}"),
        &ak,
        "aws-access-key-id",
        "aws",
    );
    c.s(
        &format!("aws configure set aws_secret_access_key {sk}"),
        &sk,
        "aws-secret-access-key",
        "aws",
    );
    c.d("aws configure set aws_session_token \"$AWS_SESSION_TOKEN\"");
    let sha = g.sha256();
    c.d(&format!(
        "echo \"{sha}  terraform_1.6.6_linux_amd64.zip\" | sha256sum -c -"
    ));
    let sl = g.slack_bot();
    c.s(&format!("curl -s -X POST -H \"Authorization: Bearer {sl}\" -d channel=C024BE91L https://slack.com/api/chat.postMessage"), &sl, "slack-bot-token", "slack");
    let py = g.pypi(false);
    c.s(
        &format!("twine upload -u __token__ -p {py} dist/*"),
        &py,
        "pypi-upload-token",
        "pypi",
    );
    c.d("git push https://x-access-token:${GITHUB_TOKEN}@github.com/acme/infra.git HEAD:main");

    c.file("scripts/bootstrap-dev.sh");
    c.t("#!/bin/sh");
    c.d("export DATABASE_URL=postgres://postgres:postgres@localhost:5432/app_dev");
    c.d("export REDIS_URL=redis://localhost:6379/0");
    c.d("export SECRET_KEY=dev-secret-key-not-for-production");
    c.d("export API_TOKEN=REPLACE_ME");
    let hf = g.hf();
    c.s(
        &format!("huggingface-cli login --token {hf}"),
        &hf,
        "huggingface-token",
        "huggingface",
    );
    let npm = g.gh("npm");
    c.s(
        &format!("npm config set //registry.npmjs.org/:_authToken {npm}"),
        &npm,
        "npm-token",
        "npm",
    );
}

fn ci_yaml(c: &mut Corpus, g: &mut G) {
    c.file(".github/workflows/release.yml");
    c.t("name: release\non:\n  push:\n    tags: [\"v*\"]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:");
    let sha = g.sha1();
    c.d(&format!("      - uses: actions/checkout@{sha} # v4.1.1"));
    let sha2 = g.sha1();
    c.d(&format!("      - uses: docker/login-action@{sha2}\n        with:\n          username: ${{{{ secrets.DOCKERHUB_USERNAME }}}}\n          password: ${{{{ secrets.DOCKERHUB_PASSWORD }}}}"));
    c.d("      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}");
    c.d("      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          password: ${{ secrets.PYPI_API_TOKEN }}");
    c.d("      - run: gh release create \"$GITHUB_REF_NAME\"\n        env:\n          GH_TOKEN: ${{ github.token }}");
    let py = g.pypi(true);
    c.t("      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          repository-url: https://test.pypi.org/legacy/");
    c.s(
        &format!("          password: {py}"),
        &py,
        "pypi-test-upload-token",
        "pypi",
    );
    let gh = g.gh("ghp");
    c.s(
        &format!("      - run: git clone https://{gh}@github.com/acme/private-config.git"),
        &gh,
        "github-pat",
        "github",
    );

    c.file(".gitlab-ci.yml");
    c.t("stages: [build, deploy]\n\nvariables:");
    c.d("  DOCKER_AUTH_CONFIG: $DOCKER_AUTH_CONFIG_JSON");
    c.d("  GIT_DEPTH: \"1\"\n  SECRET_DETECTION_ENABLED: \"true\"");
    let gl = g.glpat();
    c.s(
        &format!("  RELEASE_TOKEN: \"{gl}\""),
        &gl,
        "gitlab-pat",
        "gitlab",
    );
    c.t("\nbuild:\n  stage: build\n  script:");
    c.d("    - docker login -u gitlab-ci-token -p \"$CI_JOB_TOKEN\" \"$CI_REGISTRY\"");
    let gl2 = g.glpat();
    c.s(
        &format!("    - git clone https://oauth2:{gl2}@gitlab.acme-corp.io/platform/charts.git"),
        &gl2,
        "gitlab-pat",
        "gitlab",
    );
    let img = g.sha256();
    c.d(&format!(
        "  image: registry.acme-corp.io/tools/token-service@sha256:{img}"
    ));
    let pw = g.password();
    c.s(&format!("  services:\n    - name: postgres:16\n      variables:\n        POSTGRES_PASSWORD: \"{pw}\""), &pw, "generic-", "generic");
}

fn k8s(c: &mut Corpus, g: &mut G) {
    c.file("deploy/k8s/orders/deployment.yaml");
    c.t("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n  namespace: prod");
    let uid = g.uuid();
    c.d(&format!("  uid: {uid}"));
    c.t("spec:\n  template:\n    metadata:\n      annotations:");
    let ch = g.sha256();
    c.d(&format!("        checksum/secret: {ch}"));
    let ch2 = g.sha256();
    c.d(&format!("        checksum/config: {ch2}"));
    c.t("    spec:\n      containers:\n        - name: orders");
    let img = g.sha256();
    c.d(&format!(
        "          image: ghcr.io/acme/orders@sha256:{img}"
    ));
    c.t("          env:");
    c.d("            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: orders-db-credentials\n                  key: password");
    c.d("            - name: API_TOKEN\n              valueFrom:\n                secretKeyRef: {name: orders-api, key: token}");
    let sk = g.stripe();
    c.s(
        &format!("            - name: STRIPE_SECRET_KEY\n              value: \"{sk}\""),
        &sk,
        "stripe-secret-key",
        "stripe",
    );
    let pw = g.password();
    c.s(
        &format!("            - name: REDIS_PASSWORD\n              value: \"{pw}\""),
        &pw,
        "generic-",
        "generic",
    );
    c.d("      imagePullSecrets:\n        - name: ghcr-pull-secret");
    c.d("      serviceAccountName: orders-token-reviewer");

    c.file("deploy/k8s/orders/secret.yaml");
    c.t("apiVersion: v1\nkind: Secret\nmetadata:\n  name: orders-api\ntype: Opaque\nstringData:");
    let pw = g.password();
    c.s(&format!("  password: \"{pw}\""), &pw, "generic-", "generic");
    let j = g.jwt();
    c.s(&format!("  service-token: {j}"), &j, "jwt", "jwt");
    c.t("data:");
    let b = g.b64blob(24);
    c.s(&format!("  api-token: {b}"), &b, "generic-", "generic");

    c.file("deploy/helm/orders/values.yaml");
    c.t("replicaCount: 3\nimage:\n  repository: ghcr.io/acme/orders");
    let h = g.sha256();
    c.d(&format!("  digest: sha256:{h}"));
    c.d("auth:\n  existingSecret: orders-db-credentials\n  secretKeys:\n    adminPasswordKey: postgres-password\n    userPasswordKey: password");
    c.d("redis:\n  auth:\n    password: \"\"\n    existingSecretPasswordKey: redis-password");
    c.d("ingress:\n  annotations:\n    nginx.ingress.kubernetes.io/auth-secret: basic-auth");
    c.d("serviceAccount:\n  automountServiceAccountToken: false");
    let ga = g.google();
    c.s(
        &format!("geocoder:\n  apiKey: {ga}"),
        &ga,
        "google-api-key",
        "google",
    );
}

fn dotenv(c: &mut Corpus, g: &mut G) {
    c.file(".env");
    c.t("NODE_ENV=production\nPORT=3000");
    let (ak, sk) = (g.aws_id(), g.aws_secret());
    c.s(
        &format!("AWS_ACCESS_KEY_ID={ak}"),
        &ak,
        "aws-access-key-id",
        "aws",
    );
    c.s(
        &format!("AWS_SECRET_ACCESS_KEY={sk}"),
        &sk,
        "aws-secret-access-key",
        "aws",
    );
    c.d("AWS_REGION=eu-west-1");
    let db = g.db_password();
    c.s(
        &format!("DATABASE_URL=postgresql://app:{db}@db.internal:5432/app"),
        &db,
        "postgres-connection-url",
        "database",
    );
    let mg = g.db_password();
    c.s(&format!("MONGO_URL=mongodb+srv://app:{mg}@cluster0.x8kq2.mongodb.net/app?retryWrites=true&w=majority"), &mg, "mongodb-connection-url", "database");
    let st = g.stripe();
    c.s(
        &format!("STRIPE_SECRET_KEY={st}"),
        &st,
        "stripe-secret-key",
        "stripe",
    );
    c.t(&format!("STRIPE_PUBLISHABLE_KEY={}", g.stripe_pk()));
    let oa = g.openai();
    c.s(
        &format!("OPENAI_API_KEY={oa}"),
        &oa,
        "openai-project-key",
        "openai",
    );
    let jw = g.password();
    c.s(&format!("JWT_SECRET={jw}"), &jw, "generic-", "generic");
    let sl = g.slack_bot();
    c.s(
        &format!("SLACK_BOT_TOKEN={sl}"),
        &sl,
        "slack-bot-token",
        "slack",
    );
    let tw = g.twilio_sk();
    c.s(
        &format!("TWILIO_API_KEY={tw}"),
        &tw,
        "twilio-api-key",
        "twilio",
    );
    let twa = g.hex(32);
    c.s(
        &format!("TWILIO_AUTH_TOKEN={twa}"),
        &twa,
        "twilio-auth-token",
        "twilio",
    );
    c.d(&format!("TWILIO_ACCOUNT_SID=AC{}", g.hex(32)));
    let an = g.anthropic();
    c.s(
        &format!("ANTHROPIC_API_KEY={an}"),
        &an,
        "anthropic-api-key",
        "anthropic",
    );
    c.d("SESSION_COOKIE_SECURE=true");
    c.d(&format!(
        "SECRET_ARN=arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/app-{}",
        g.s(B62, 6)
    ));
    c.d("TOKEN_EXPIRY_SECONDS=3600");

    c.file(".env.example");
    c.d("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE");
    c.d("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    c.d("DATABASE_URL=postgresql://app:<password>@localhost:5432/app");
    c.d("MONGO_URL=mongodb+srv://<username>:<password>@cluster0.mongodb.net/app");
    c.d("STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx");
    c.d("OPENAI_API_KEY=your_api_key_here");
    c.d("JWT_SECRET=changeme");
    c.d("SLACK_BOT_TOKEN=xoxb-your-token");
    c.d("TWILIO_AUTH_TOKEN=<TWILIO_AUTH_TOKEN>");
    c.d("ANTHROPIC_API_KEY=sk-ant-api03-...");
    c.d("GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    c.d("SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    c.d("HF_TOKEN=hf_********************************");
    c.d("SMTP_PASSWORD=");
    c.d("API_KEY=${API_KEY}");
    c.d("ENCRYPTION_KEY=REPLACE_ME");

    c.file(".env.test");
    c.d("DATABASE_URL=postgres://test:test@localhost:5432/app_test");
    c.d("STRIPE_SECRET_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc");
    c.d("JWT_SECRET=test-secret");
    c.d("API_TOKEN=dummy-token-for-tests");
    c.d("PASSWORD_PEPPER=not-a-real-pepper");
    let u = g.uuid();
    c.d(&format!("TEST_RUN_TOKEN_ID={u}"));
}

fn terraform(c: &mut Corpus, g: &mut G) {
    c.file("infra/terraform/main.tf");
    c.t("terraform {\n  required_version = \">= 1.6\"\n}\n");
    let (ak, sk) = (g.aws_id(), g.aws_secret());
    c.t("provider \"aws\" {\n  region     = \"eu-west-1\"");
    c.s(
        &format!("  access_key = \"{ak}\""),
        &ak,
        "aws-access-key-id",
        "aws",
    );
    c.s(
        &format!("  secret_key = \"{sk}\""),
        &sk,
        "aws-secret-access-key",
        "aws",
    );
    c.t("}\n\nresource \"aws_db_instance\" \"orders\" {\n  engine = \"postgres\"\n  username = \"orders\"");
    c.d("  password = var.db_password");
    c.d("  kms_key_id = \"arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"");
    c.t("}\n\nresource \"aws_rds_cluster\" \"analytics\" {");
    let pw = g.password();
    c.s(
        &format!("  master_password = \"{pw}\""),
        &pw,
        "generic-",
        "generic",
    );
    c.d("  master_username = \"analytics\"");
    c.t("}\n\nresource \"aws_key_pair\" \"deployer\" {\n  key_name   = \"deployer\"");
    let ssh = g.ssh_rsa_pub();
    c.d(&format!("  public_key = \"{ssh} deployer@acme\""));
    c.t("}\n");
    c.d("resource \"random_password\" \"db\" {\n  length  = 24\n  special = true\n}");
    c.d("  master_password = random_password.db.result");
    c.d(&format!(
        "  secret_arn = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/orders-db-{}\"",
        g.s(B62, 6)
    ));
    c.d("  token = data.vault_generic_secret.ci.data[\"token\"]");
    c.d("  password = \"${var.admin_password}\"");
    c.t("resource \"aws_instance\" \"bastion\" {");
    c.pem(
        "  user_data = <<-EOT\n    #!/bin/bash\n    cat > /home/ec2-user/.ssh/id_rsa <<'KEY'\n",
        &g.rsa_key(),
        "\n",
        "\nKEY\n  EOT\n}",
        "private-key-rsa",
    );

    c.file("infra/terraform/terraform.tfvars");
    let dd = g.hex(32);
    c.s(
        &format!("datadog_api_key = \"{dd}\""),
        &dd,
        "generic-",
        "generic",
    );
    c.d("datadog_site    = \"datadoghq.eu\"");
    let ga = g.google();
    c.s(
        &format!("google_maps_api_key = \"{ga}\""),
        &ga,
        "google-api-key",
        "google",
    );
    c.d("db_password = \"CHANGE_ME\"");
    c.d("ssh_private_key_path = \"~/.ssh/id_ed25519\"");

    c.file("infra/terraform/.terraform.lock.hcl");
    c.t("provider \"registry.terraform.io/hashicorp/aws\" {\n  version     = \"5.31.0\"\n  constraints = \"~> 5.0\"\n  hashes = [");
    for _ in 0..8 {
        let h = g.sha256();
        c.d(&format!("    \"zh:{h}\","));
    }
    let h1 = STANDARD.encode(g.bytes(32));
    c.d(&format!("    \"h1:{h1}\","));
    c.t("  ]\n}");
}

fn docker(c: &mut Corpus, g: &mut G) {
    c.file("docker/api/Dockerfile");
    let h = g.sha256();
    c.d(&format!("FROM node:20-alpine@sha256:{h} AS build"));
    c.d("ARG NPM_TOKEN");
    c.d("RUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm -f .npmrc");
    c.d("RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci");
    let hf = g.hf();
    c.s(
        &format!("ENV HF_TOKEN={hf}"),
        &hf,
        "huggingface-token",
        "huggingface",
    );
    let db = g.db_password();
    c.s(
        &format!("ENV DATABASE_URL=mysql://shop:{db}@mysql:3306/shop"),
        &db,
        "mysql-connection-url",
        "database",
    );
    c.d("ENV API_KEY=\"\"");
    let h2 = g.sha256();
    c.d(&format!(
        "FROM gcr.io/distroless/nodejs20-debian12@sha256:{h2}"
    ));
    c.t("COPY --from=build /app /app\nCMD [\"server.js\"]");

    c.file("docker-compose.yml");
    c.t("services:\n  db:\n    image: postgres:16\n    environment:");
    c.d("      POSTGRES_PASSWORD: postgres");
    c.d("      POSTGRES_PASSWORD_FILE: /run/secrets/db_password");
    c.t("  mongo:\n    image: mongo:7\n    environment:\n      MONGO_INITDB_ROOT_USERNAME: root");
    let pw = g.password();
    c.s(
        &format!("      MONGO_INITDB_ROOT_PASSWORD: \"{pw}\""),
        &pw,
        "generic-",
        "generic",
    );
    c.t("  queue:\n    image: rabbitmq:3-management\n    environment:");
    c.d("      RABBITMQ_DEFAULT_PASS: guest");
    c.t("  app:\n    build: .\n    environment:");
    let amqp = g.db_password();
    c.s(
        &format!("      AMQP_URL: amqp://app:{amqp}@queue:5672/"),
        &amqp,
        "amqp-connection-url",
        "database",
    );
    c.d("      REDIS_URL: redis://cache:6379");
    c.d("      SECRET_KEY_FILE: /run/secrets/app_secret");
    c.t("secrets:\n  db_password:\n    file: ./secrets/db_password.txt");
}

fn notebook(c: &mut Corpus, g: &mut G) {
    c.file("notebooks/churn-exploration.ipynb");
    c.t("{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"execution_count\": 1,\n   \"id\": \"3f9a1c2b\",\n   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": [");
    c.t("    \"import os\\n\",\n    \"import openai\\n\",");
    let oa = g.openai();
    c.s(
        &format!("    \"openai.api_key = \\\"{oa}\\\"\\n\","),
        &oa,
        "openai-project-key",
        "openai",
    );
    let hf = g.hf();
    c.s(
        &format!("    \"os.environ[\\\"HF_TOKEN\\\"] = \\\"{hf}\\\"\\n\","),
        &hf,
        "huggingface-token",
        "huggingface",
    );
    c.d("    \"api_key = getpass.getpass(\\\"Anthropic API key: \\\")\\n\",");
    let db = g.db_password();
    c.s(&format!("    \"engine = create_engine(\\\"postgresql+psycopg2://analyst:{db}@warehouse.internal:5432/dw\\\")\\n\","), &db, "postgres-connection-url", "database");
    let pw = g.password();
    c.s(
        &format!("    \"SNOWFLAKE_PASSWORD = \\\"{pw}\\\"\\n\","),
        &pw,
        "generic-",
        "generic",
    );
    c.d("    \"token = os.environ.get(\\\"HF_TOKEN\\\")\"");
    c.t("   ]\n  },\n  {\n   \"cell_type\": \"code\",\n   \"execution_count\": 2,\n   \"id\": \"8d7e6f5a\",\n   \"metadata\": {},\n   \"outputs\": [\n    {\n     \"data\": {");
    let png = g.b64blob(3000);
    c.dn(
        1,
        &format!("      \"image/png\": \"iVBORw0KGgoAAAANSUhEUgAA{png}\","),
    );
    c.t("      \"text/plain\": [\"<Figure size 640x480 with 1 Axes>\"]\n     },\n     \"metadata\": {},\n     \"output_type\": \"display_data\"\n    }\n   ],\n   \"source\": [");
    let an = g.anthropic();
    c.s(
        &format!("    \"client = anthropic.Anthropic(api_key=\\\"{an}\\\")\\n\","),
        &an,
        "anthropic-api-key",
        "anthropic",
    );
    c.t("    \"df.plot()\"\n   ]\n  }\n ],\n \"metadata\": {\n  \"kernelspec\": {\"display_name\": \"Python 3\", \"language\": \"python\", \"name\": \"python3\"}\n },\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}");
}

fn markdown(c: &mut Corpus, g: &mut G) {
    c.file("docs/setup.md");
    c.t("# Local setup\n\nCopy `.env.example` to `.env` and fill in the values.\n\n```bash");
    c.d("export OPENAI_API_KEY=<your key>");
    c.d("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE");
    c.d("export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    c.d("export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    c.d("export STRIPE_SECRET_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc");
    c.t("```\n\nA JWT looks like this (from jwt.io):\n");
    c.d(&format!("    Authorization: Bearer {JWT_IO}"));
    c.t("\nThe token response:\n\n```json");
    c.d("{\"access_token\": \"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9...\", \"token_type\": \"bearer\", \"expires_in\": 3600}");
    c.t("```\n");
    c.d("- `password`: the user's password (at least 12 characters).");
    c.d("- `api_key`: your API key, e.g. `ak_live_XXXXXXXXXXXXXXXX`.");
    c.d("Private keys start with `-----BEGIN RSA PRIVATE KEY-----` and end with `-----END RSA PRIVATE KEY-----`.");
    c.d("```\n-----BEGIN OPENSSH PRIVATE KEY-----\n...\n-----END OPENSSH PRIVATE KEY-----\n```");
    c.t("\n## Staging\n\nThe staging runner registers with:\n");
    let gl = g.glpat();
    c.s(
        &format!("    gitlab-runner register --url https://gitlab.acme-corp.io --token {gl}"),
        &gl,
        "gitlab-pat",
        "gitlab",
    );
    c.t("\n## Release checksums\n");
    for f in [
        "keyhound-x86_64-unknown-linux-gnu.tar.gz",
        "keyhound-aarch64-apple-darwin.tar.gz",
        "keyhound-x86_64-pc-windows-msvc.zip",
    ] {
        let h = g.sha256();
        c.d(&format!("    {h}  {f}"));
    }

    c.file("docs/api/authentication.md");
    c.t("# Authentication\n\nSend the token in the `Authorization` header:\n\n```sh");
    c.d("curl -H \"Authorization: Bearer $ACME_TOKEN\" https://api.acme-corp.io/v2/me");
    c.d("curl -H \"X-Api-Key: <API_KEY>\" https://api.acme-corp.io/v2/me");
    c.t("```\n\nExample signing key rotation:\n\n```python");
    let j = g.jwt();
    c.s(
        &format!("legacy_token = \"{j}\"  # still accepted until 2025-06-30"),
        &j,
        "jwt",
        "jwt",
    );
    c.t("```\n\nPublic key used to verify tokens:\n\n```");
    let pk = g.public_key();
    c.dn(1, &pk.join("\n"));
    c.t("```\n\nOur TLS chain:\n\n```");
    let cert = g.cert();
    c.dn(1, &cert.join("\n"));
    c.t("```\n");
    let ssh = g.ssh_ed_pub();
    c.d(&format!(
        "Add the deploy key `{ssh} deploy@acme` to the repository."
    ));
    c.d("| Field | Type | Description |\n|---|---|---|\n| `token` | string | The access token |\n| `token_type` | string | Always `bearer` |\n| `refresh_token` | string | Use it at `/oauth/token` with `grant_type=refresh_token` |");
}

fn ini_props(c: &mut Corpus, g: &mut G) {
    c.file(".pypirc");
    c.t("[distutils]\nindex-servers =\n    pypi\n    testpypi\n\n[pypi]");
    c.d("username = __token__");
    let py = g.pypi(false);
    c.s(
        &format!("password = {py}"),
        &py,
        "pypi-upload-token",
        "pypi",
    );
    c.t("\n[testpypi]\nrepository = https://test.pypi.org/legacy/\nusername = __token__");
    let py2 = g.pypi(true);
    c.s(
        &format!("password = {py2}"),
        &py2,
        "pypi-test-upload-token",
        "pypi",
    );

    c.file("deploy/aws/credentials");
    c.t("[default]");
    let (ak, sk) = (g.aws_id(), g.aws_secret());
    c.s(
        &format!("aws_access_key_id = {ak}"),
        &ak,
        "aws-access-key-id",
        "aws",
    );
    c.s(
        &format!("aws_secret_access_key = {sk}"),
        &sk,
        "aws-secret-access-key",
        "aws",
    );
    c.t("\n[ci]");
    let (ak, sk) = (g.aws_id(), g.aws_secret());
    c.s(
        &format!("aws_access_key_id={ak}"),
        &ak,
        "aws-access-key-id",
        "aws",
    );
    c.s(
        &format!("aws_secret_access_key={sk}"),
        &sk,
        "aws-secret-access-key",
        "aws",
    );
    c.t("\n[example]");
    c.d("aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    c.file("etl/alembic.ini");
    c.t("[alembic]\nscript_location = migrations");
    let db = g.db_password();
    c.s(
        &format!("sqlalchemy.url = postgresql://etl:{db}@warehouse.internal:5432/dw"),
        &db,
        "postgres-connection-url",
        "database",
    );
    c.t("\n[smtp]\nhost = smtp.acme-corp.io\nport = 587\nuser = etl-alerts");
    let pw = g.password();
    c.s(&format!("password = {pw}"), &pw, "generic-", "generic");
    c.d("password_file = /etc/etl/smtp.pass");
    c.d("token_cache_dir = /var/cache/etl/tokens");

    c.file("etl/config/app.ini");
    c.t("[server]\nhttp_port = 3000\n\n[security]");
    c.d("admin_password = admin");
    let pw = g.password();
    c.s(&format!("secret_key = {pw}"), &pw, "generic-", "generic");
    c.d("cookie_secure = true\ncookie_samesite = lax");
    c.d("disable_initial_admin_creation = false\npassword_hint = Your initial password is in the runbook");
    c.t("\n[database]\ntype = mysql\nhost = mysql:3306\nuser = grafana");
    let db = g.db_password();
    c.s(
        &format!("url = mysql://grafana:{db}@mysql:3306/grafana"),
        &db,
        "mysql-connection-url",
        "database",
    );
    c.t("\n[auth.github]\nenabled = true\nclient_id = 9f2d3e4c5b6a7f8e9d0c");
    let cs = g.hex(40);
    c.s(&format!("client_secret = {cs}"), &cs, "generic-", "generic");
    c.d("client_secret_path = /etc/grafana/github.secret");
}

fn xml(c: &mut Corpus, g: &mut G) {
    c.file("payments/src/main/resources/applicationContext.xml");
    c.t("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<beans xmlns=\"http://www.springframework.org/schema/beans\">");
    c.t("  <bean id=\"dataSource\" class=\"com.zaxxer.hikari.HikariDataSource\">");
    c.t("    <property name=\"jdbcUrl\" value=\"jdbc:postgresql://pg.internal:5432/payments\"/>\n    <property name=\"username\" value=\"payments\"/>");
    let pw = g.password();
    c.s(
        &format!("    <property name=\"password\" value=\"{pw}\"/>"),
        &pw,
        "generic-",
        "generic",
    );
    c.t("  </bean>");
    c.d("  <bean id=\"passwordEncoder\" class=\"org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder\"/>");
    c.d("  <bean id=\"tokenStore\" class=\"org.springframework.security.oauth2.provider.token.store.JdbcTokenStore\"/>");
    let db = g.db_password();
    c.s(&format!("  <jdbc:embedded-database id=\"reportsDb\" url=\"jdbc:sqlserver://reports.internal:1433;databaseName=reports;user=rpt;password={db};encrypt=true\"/>"), &db, "jdbc-connection-password", "database");
    c.t("</beans>");

    c.file("ci/maven/settings.xml");
    c.t("<settings>\n  <servers>\n    <server>\n      <id>nexus-releases</id>\n      <username>deployer</username>");
    c.d("      <password>${env.NEXUS_PASSWORD}</password>");
    c.t("    </server>\n    <server>\n      <id>nexus-snapshots</id>\n      <username>deployer</username>");
    let pw = g.password().replace('&', "");
    c.s(
        &format!("      <password>{pw}</password>"),
        &pw,
        "generic-",
        "generic",
    );
    c.t("    </server>\n    <server>\n      <id>github</id>");
    let gh = g.gh("ghp");
    c.s(
        &format!("      <password>{gh}</password>"),
        &gh,
        "github-pat",
        "github",
    );
    c.t("    </server>\n  </servers>\n</settings>");

    c.file("src/Acme.Api/Web.config");
    c.t("<configuration>\n  <appSettings>");
    c.d("    <add key=\"ApiKeyHeader\" value=\"X-Api-Key\" />");
    c.d("    <add key=\"TokenLifetimeMinutes\" value=\"60\" />");
    let ga = g.google();
    c.s(
        &format!("    <add key=\"GoogleApiKey\" value=\"{ga}\" />"),
        &ga,
        "google-api-key",
        "google",
    );
    let tw = g.twilio_sk();
    c.s(
        &format!("    <add key=\"TwilioApiKey\" value=\"{tw}\" />"),
        &tw,
        "twilio-api-key",
        "twilio",
    );
    let twa = g.hex(32);
    c.s(
        &format!("    <add key=\"TwilioAuthToken\" value=\"{twa}\" />"),
        &twa,
        "twilio-auth-token",
        "twilio",
    );
    c.t("  </appSettings>\n  <connectionStrings>");
    let pw = g.password().replace('&', "");
    c.s(&format!("    <add name=\"Orders\" connectionString=\"Data Source=sql01;Initial Catalog=Orders;User Id=orders;Password={pw};\" providerName=\"System.Data.SqlClient\" />"), &pw, "generic-", "generic");
    c.t("  </connectionStrings>\n</configuration>");
}

fn json_misc(c: &mut Corpus, g: &mut G) {
    // A GCP service account key.
    c.file("infra/gcp/ci-deployer.json");
    c.t("{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme-prod-381214\",");
    let kid = g.hex(40);
    let key = g.pkcs8_key();
    let block = key.join("\\n");
    c.s(
        &format!("  \"private_key_id\": \"{kid}\","),
        &kid,
        "gcp-service-account-key",
        "gcp",
    );
    c.s(
        &format!("  \"private_key\": \"{block}\\n\","),
        &block,
        "private-key-pkcs8",
        "private-key",
    );
    c.d("  \"client_email\": \"ci-deployer@acme-prod-381214.iam.gserviceaccount.com\",\n  \"client_id\": \"104729384756102938475\",");
    c.d("  \"token_uri\": \"https://oauth2.googleapis.com/token\",\n  \"auth_provider_x509_cert_url\": \"https://www.googleapis.com/oauth2/v1/certs\"");
    c.t("}");

    // Webhook fixture with commit SHAs and ids.
    c.file("services/ci-bot/tests/fixtures/push_event.json");
    c.t("{");
    let (a, b) = (g.sha1(), g.sha1());
    c.dn(2, &format!("  \"before\": \"{a}\",\n  \"after\": \"{b}\","));
    c.d("  \"ref\": \"refs/heads/main\",\n  \"installation\": {\"id\": 41234567, \"node_id\": \"MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDEyMzQ1Njc=\"},");
    let h = g.sha256();
    c.d(&format!("  \"hook\": {{\"config\": {{\"content_type\": \"json\", \"secret\": \"********\", \"insecure_ssl\": \"0\"}}, \"last_response\": {{\"signature\": \"sha256={h}\"}}}},"));
    let tree = g.sha1();
    c.d(&format!("  \"head_commit\": {{\"id\": \"{b}\", \"tree_id\": \"{tree}\", \"message\": \"Rotate token refresh logic\"}},"));
    let dl = g.uuid();
    c.d(&format!("  \"delivery\": \"{dl}\","));
    c.d("  \"sender\": {\"login\": \"octocat\", \"type\": \"User\"}");
    c.t("}");

    // Keys and tokens in misc config.
    c.file("services/ci-bot/config.json");
    c.t("{\n  \"github\": {");
    c.d("    \"app_id\": 381234,");
    let ghs = g.gh("ghp");
    c.s(
        &format!("    \"token\": \"{ghs}\","),
        &ghs,
        "github-pat",
        "github",
    );
    c.d("    \"webhook_secret\": \"${GITHUB_WEBHOOK_SECRET}\",");
    c.t("    \"private_key\":");
    c.pem("      \"", &g.rsa_key(), "\\n", "\\n\"", "private-key-rsa");
    c.t("  },");
    c.t("  \"ssh\": {");
    c.pem(
        "    \"deploy_key\": \"",
        &g.openssh_key(),
        "\\n",
        "\\n\",",
        "private-key-openssh",
    );
    let ssh = g.ssh_ed_pub();
    c.d(&format!("    \"deploy_key_public\": \"{ssh}\""));
    c.t("  },");
    let sg = g.sendgrid();
    c.s(
        &format!("  \"sendgrid\": {{\"apiKey\": \"{sg}\", \"from\": \"ci@acme-corp.io\"}},"),
        &sg,
        "sendgrid-api-key",
        "sendgrid",
    );
    c.d("  \"tokenRefreshIntervalMs\": 300000,");
    c.d("  \"passwordPolicy\": {\"minLength\": 12, \"requireSymbols\": true}");
    c.t("}");

    // PEM files on disk.
    c.file("deploy/certs/server.key");
    c.pem("", &g.ec_key(), "\n", "", "private-key-ec");
    c.file("deploy/certs/server.crt");
    let cert = g.cert();
    c.dn(1, &cert.join("\n"));
    c.file("deploy/ssh/id_ed25519");
    c.pem("", &g.openssh_key(), "\n", "", "private-key-openssh");
    c.file("deploy/ssh/id_ed25519.pub");
    let ssh = g.ssh_ed_pub();
    c.d(&format!("{ssh} deploy@acme"));
    c.file("services/auth/keys/signing.pem");
    c.pem("", &g.pkcs8_key(), "\n", "", "private-key-pkcs8");
    c.file("services/auth/keys/signing.pub.pem");
    let pk = g.public_key();
    c.dn(1, &pk.join("\n"));
    c.file("services/auth/keys/legacy_rsa.pem");
    c.pem("", &g.rsa_key(), "\n", "", "private-key-rsa");
    c.file("services/auth/src/keys.py");
    c.t("LEGACY_SIGNING_KEY = \"\"\"");
    c.pem("", &g.ec_key(), "\n", "\n\"\"\"", "private-key-ec");
    c.d("PEM_HEADER = \"-----BEGIN RSA PRIVATE KEY-----\"\nPEM_FOOTER = \"-----END RSA PRIVATE KEY-----\"");

    // More provider tokens in varied config formats.
    c.file("services/ml/config.yaml");
    c.t("model:\n  name: meta-llama/Llama-3-8B\n  revision: main");
    let hf = g.hf();
    c.s(
        &format!("huggingface:\n  token: {hf}"),
        &hf,
        "huggingface-token",
        "huggingface",
    );
    let oa = g.openai();
    c.s(
        &format!("openai:\n  api_key: \"{oa}\""),
        &oa,
        "openai-project-key",
        "openai",
    );
    let an = g.anthropic();
    c.s(
        &format!("anthropic:\n  api_key: {an}"),
        &an,
        "anthropic-api-key",
        "anthropic",
    );
    c.d("wandb:\n  api_key: ${WANDB_API_KEY}");
    c.d("tokenizer:\n  max_tokens: 4096\n  pad_token: \"<pad>\"");
    c.d(&format!("dataset_sha256: {}", g.sha256()));
    let oa2 = g.openai();
    c.s(
        &format!("eval:\n  judge_key: {oa2}"),
        &oa2,
        "openai-project-key",
        "openai",
    );
    let sg = g.sendgrid();
    c.s(
        &format!("alerts:\n  sendgrid: {sg}"),
        &sg,
        "sendgrid-api-key",
        "sendgrid",
    );

    // Extra per-provider coverage in everyday places.
    c.file("tools/release/publish.py");
    for _ in 0..3 {
        let gh = g.gh("ghp");
        c.s(
            &format!("GH_TOKENS.append(\"{gh}\")"),
            &gh,
            "github-pat",
            "github",
        );
    }
    let gho = g.gh("gho");
    c.s(&format!("oauth = {{\"access_token\": \"{gho}\", \"token_type\": \"bearer\", \"scope\": \"repo\"}}"), &gho, "github-oauth-token", "github");
    let gho2 = g.gh("gho");
    c.s(
        &format!("session.headers[\"Authorization\"] = \"token {gho2}\""),
        &gho2,
        "github-oauth-token",
        "github",
    );
    let npm = g.gh("npm");
    c.s(
        &format!("NPM_PUBLISH_TOKEN = '{npm}'"),
        &npm,
        "npm-token",
        "npm",
    );
    let npm2 = g.gh("npm");
    c.s(&format!("subprocess.run([\"npm\", \"publish\"], env={{**os.environ, \"NODE_AUTH_TOKEN\": \"{npm2}\"}})"), &npm2, "npm-token", "npm");
    let py = g.pypi(false);
    c.s(
        &format!("TWINE_PASSWORD = \"{py}\""),
        &py,
        "pypi-upload-token",
        "pypi",
    );
    let gl = g.glpat();
    c.s(
        &format!("gl = gitlab.Gitlab(\"https://gitlab.acme-corp.io\", private_token=\"{gl}\")"),
        &gl,
        "gitlab-pat",
        "gitlab",
    );
    for _ in 0..2 {
        let j = g.jwt();
        c.s(
            &format!("requests.post(url, headers={{\"Authorization\": \"Bearer {j}\"}})"),
            &j,
            "jwt",
            "jwt",
        );
    }
    let (ak, sk) = (g.aws_id(), g.aws_secret());
    c.s(
        &format!("os.environ[\"AWS_ACCESS_KEY_ID\"] = \"{ak}\""),
        &ak,
        "aws-access-key-id",
        "aws",
    );
    c.s(
        &format!("os.environ[\"AWS_SECRET_ACCESS_KEY\"] = \"{sk}\""),
        &sk,
        "aws-secret-access-key",
        "aws",
    );
    let st = g.stripe();
    c.s(
        &format!("stripe.api_key = '{st}'"),
        &st,
        "stripe-secret-key",
        "stripe",
    );
    let sl = g.slack_bot();
    c.s(
        &format!("slack = WebClient(token=\"{sl}\")"),
        &sl,
        "slack-bot-token",
        "slack",
    );
    let ga = g.google();
    c.s(
        &format!("gmaps = googlemaps.Client(key=\"{ga}\")"),
        &ga,
        "google-api-key",
        "google",
    );
    let hf = g.hf();
    c.s(
        &format!("login(\"{hf}\")"),
        &hf,
        "huggingface-token",
        "huggingface",
    );
    let an = g.anthropic();
    c.s(
        &format!("os.environ.setdefault(\"ANTHROPIC_API_KEY\", \"{an}\")"),
        &an,
        "anthropic-api-key",
        "anthropic",
    );
    let oa = g.openai();
    c.s(
        &format!("OpenAI(api_key=\"{oa}\").models.list()"),
        &oa,
        "openai-project-key",
        "openai",
    );
    let tw = g.twilio_sk();
    c.s(
        &format!("twilio_client = Client(\"{tw}\", TWILIO_API_SECRET, TWILIO_ACCOUNT_SID)"),
        &tw,
        "twilio-api-key",
        "twilio",
    );
    let twa = g.hex(32);
    c.s(
        &format!("twilio_auth_token = \"{twa}\""),
        &twa,
        "twilio-auth-token",
        "twilio",
    );
    let sg = g.sendgrid();
    c.s(
        &format!("sg = SendGridAPIClient(\"{sg}\")"),
        &sg,
        "sendgrid-api-key",
        "sendgrid",
    );
    let j = g.jwt();
    c.s(&format!("CI_ID_TOKEN = \"{j}\""), &j, "jwt", "jwt");
    let mg = g.db_password();
    c.s(
        &format!(
            "mongo = MongoClient(\"mongodb://release:{mg}@mongo-0.mongo:27017/?authSource=admin\")"
        ),
        &mg,
        "mongodb-connection-url",
        "database",
    );
    let bad = g.gh_bad("npm");
    c.d(&format!("assert not looks_like_npm_token(\"{bad}\")"));
    c.d("CHECKSUM_TOKEN_RE = re.compile(r\"ghp_[A-Za-z0-9]{36}\")");
    let short = format!("glpat-{}", g.s(B64URL, 12));
    c.d(&format!("assert not is_gitlab_token(\"{short}\")"));
    c.d("SLACK_TOKEN_PREFIXES = (\"xoxb-\", \"xoxp-\", \"xapp-\")");
}

// ---------------------------------------------------------------------------------------------
// Families added with the 400-rule set
// ---------------------------------------------------------------------------------------------

fn platform_python(c: &mut Corpus, g: &mut G) {
    c.file("services/platform/platform/clients.py");
    c.t("\"\"\"Third-party clients for the platform service.\"\"\"\nimport os\n\nimport datadog\nimport pydo\nimport requests\nimport telebot\nfrom azure.identity import ClientSecretCredential\nfrom azure.storage.blob import BlobServiceClient\nfrom databricks import sql\nfrom groq import Groq\nfrom openai import OpenAI\nfrom supabase import create_client\n");
    let key = g.azure_storage_key();
    c.s(
        &format!("AZURE_STORAGE_CONNECTION_STRING = \"DefaultEndpointsProtocol=https;AccountName=acmeprodlogs;AccountKey={key};EndpointSuffix=core.windows.net\""),
        &key,
        "azure-storage-account-key",
        "azure",
    );
    c.d("blobs = BlobServiceClient.from_connection_string(AZURE_STORAGE_CONNECTION_STRING)");
    let (tenant, client) = (g.uuid(), g.uuid());
    c.dn(
        2,
        &format!("TENANT_ID = \"{tenant}\"\nCLIENT_ID = \"{client}\""),
    );
    let es = g.entra_secret();
    c.s(
        &format!("credential = ClientSecretCredential(TENANT_ID, CLIENT_ID, \"{es}\")"),
        &es,
        "azure-entra-client-secret",
        "azure",
    );
    let dop = g.do_token("dop");
    c.s(
        &format!("do_client = pydo.Client(token=\"{dop}\")"),
        &dop,
        "digitalocean-personal-access-token",
        "digitalocean",
    );
    let dbx = g.databricks();
    c.s(
        &format!(
            "warehouse = sql.connect(server_hostname=\"adb-{}.{}.azuredatabricks.net\", http_path=\"/sql/1.0/warehouses/{}\", access_token=\"{dbx}\")",
            g.s(DIGITS, 16),
            g.range(1, 19),
            g.hex(16)
        ),
        &dbx,
        "databricks-access-token",
        "databricks",
    );
    let pref = g.project_ref();
    c.d(&format!("SUPABASE_URL = \"https://{pref}.supabase.co\""));
    let anon = g.supabase_jwt(&pref, "anon");
    c.d(&format!(
        "SUPABASE_ANON_KEY = \"{anon}\"  # public, RLS applies"
    ));
    let sbs = g.sb_secret();
    c.s(
        &format!("supabase_admin = create_client(SUPABASE_URL, \"{sbs}\")"),
        &sbs,
        "supabase-secret-key",
        "supabase",
    );
    let (zone, acct) = (g.hex(32), g.hex(32));
    c.dn(
        2,
        &format!("CF_ZONE_ID = \"{zone}\"\nCF_ACCOUNT_ID = \"{acct}\""),
    );
    let cf = g.cf_token("cfut");
    c.s(
        &format!("cf_headers = {{\"Authorization\": \"Bearer {cf}\", \"Content-Type\": \"application/json\"}}"),
        &cf,
        "cloudflare-api-token",
        "cloudflare",
    );
    let gq = g.groq();
    c.s(
        &format!("groq = Groq(api_key=\"{gq}\")"),
        &gq,
        "groq-api-key",
        "groq",
    );
    let px = g.pplx();
    c.s(
        &format!("sonar = OpenAI(api_key=\"{px}\", base_url=\"https://api.perplexity.ai\")"),
        &px,
        "perplexity-api-key",
        "perplexity",
    );
    let xa = g.xai();
    c.s(
        &format!("grok = OpenAI(api_key=\"{xa}\", base_url=\"https://api.x.ai/v1\")"),
        &xa,
        "xai-api-key",
        "xai",
    );
    let ls = g.langsmith("pt");
    c.s(
        &format!("os.environ[\"LANGSMITH_API_KEY\"] = \"{ls}\""),
        &ls,
        "langsmith-personal-access-token",
        "langsmith",
    );
    c.d("os.environ.setdefault(\"LANGSMITH_PROJECT\", \"platform-support-bot\")");
    let whs = g.s(B62, 32);
    c.s(
        &format!("WEBHOOK_SIGNING_SECRET = os.getenv(\"WEBHOOK_SIGNING_SECRET\", \"{whs}\")"),
        &whs,
        "env-lookup-default-argument",
        "context",
    );
    let hp = g.human_password();
    c.s(
        &format!("DB_PASSWORD = os.environ.get(\"PLATFORM_DB_PASSWORD\", \"{hp}\")"),
        &hp,
        "env-lookup-default-argument",
        "context",
    );
    c.d("GROQ_API_KEY = os.getenv(\"GROQ_API_KEY\")");
    c.d("LINEAR_API_KEY = os.environ.get(\"LINEAR_API_KEY\", \"\")");
    c.d("DB_HOST = os.getenv(\"PLATFORM_DB_HOST\", \"pg-platform.internal\")");
    c.d("TOKEN_TTL = int(os.getenv(\"TOKEN_TTL\", \"3600\"))");
    c.d("SIGNING_KEY_PATH = os.getenv(\"SIGNING_KEY_PATH\", \"/etc/platform/signing.pem\")");
    c.d("notion_token = get_secret(\"platform/notion-token\")");
    c.d("xai_api_key = settings.XAI_API_KEY");
    let (dd, dda) = (g.hex(32), g.hex(40));
    c.sm(
        &format!("datadog.initialize(api_key=\"{dd}\", app_key=\"{dda}\", api_host=\"https://api.datadoghq.eu\")"),
        &[(&dd, "datadog-api-key", "datadog"), (&dda, "datadog-application-key", "datadog")],
    );
    let dsn = g.sentry_dsn();
    let rel = g.sha1();
    c.dn(
        2,
        &format!("sentry_sdk.init(dsn=\"{dsn}\", release=\"{rel}\", traces_sample_rate=0.1)"),
    );
    let su = g.hex_token("sntryu_", 64);
    c.s(
        &format!("SENTRY_API_HEADERS = {{\"Authorization\": \"Bearer {su}\"}}"),
        &su,
        "sentry-user-auth-token",
        "sentry",
    );
    let tg = g.telegram();
    c.s(
        &format!("bot = telebot.TeleBot(\"{tg}\", parse_mode=\"HTML\")"),
        &tg,
        "telegram-bot-token",
        "telegram",
    );
    c.d(&format!("TELEGRAM_CHAT_ID = -100{}", g.s(DIGITS, 10)));
    let dw = g.discord_webhook();
    c.s(
        &format!("def notify_discord(msg):\n    requests.post(\"{dw}\", json={{\"content\": msg}}, timeout=5)"),
        &dw,
        "discord-webhook-url",
        "discord",
    );
    let hs = g.hubspot();
    c.s(
        &format!("hubspot = HubSpot(access_token=\"{hs}\")"),
        &hs,
        "hubspot-private-app-token",
        "hubspot",
    );
    c.d("HUBSPOT_PORTAL_ID = 24681357");
    let ok = g.okta();
    c.s(
        &format!(
            "OKTA_HEADERS = {{\"Authorization\": \"SSWS {ok}\", \"Accept\": \"application/json\"}}"
        ),
        &ok,
        "okta-api-token",
        "okta",
    );
    let oc = g.okta_client_id();
    c.d(&format!("OKTA_CLIENT_ID = \"{oc}\""));
    c.d("OKTA_ISSUER = \"https://acme.okta.com/oauth2/default\"");
    let nt = g.notion();
    c.s(
        &format!("notion = NotionClient(auth=\"{nt}\")"),
        &nt,
        "notion-integration-token",
        "notion",
    );
    c.d(&format!("NOTION_ROADMAP_DATABASE_ID = \"{}\"", g.hex(32)));
    let ln = g.linear();
    c.s(
        &format!("LINEAR_HEADERS = {{\"Authorization\": \"{ln}\", \"Content-Type\": \"application/json\"}}"),
        &ln,
        "linear-api-key",
        "linear",
    );
    c.d(&format!("LINEAR_TEAM_ID = \"{}\"", g.uuid()));
    let at = g.atlassian();
    c.s(
        &format!("jira = JIRA(server=\"https://acme.atlassian.net\", basic_auth=(\"ops@acme-corp.io\", \"{at}\"))"),
        &at,
        "atlassian-api-token",
        "atlassian",
    );

    // Tests: documented example keys and fakes.
    c.file("services/platform/tests/test_clients.py");
    c.t("import pytest\n\nfrom platform import clients\n");
    c.d("TELEGRAM_DOCS_TOKEN = \"110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw\"  # example from core.telegram.org/bots/api");
    c.d("MAILGUN_DOCS_API_KEY = \"key-3ax6xnjp29jd6fds4gc373sgvjxteol0\"  # Mailgun docs example");
    c.d("PULUMI_DOCS_TOKEN = \"pul-75a564ac7f3a48079a0c448c1e1ec95c4cfed141\"  # from the Pulumi docs");
    c.d("AWS_DOCS_KEY_ID = \"AKIAIOSFODNN7EXAMPLE\"");
    c.d("FAKE_PPLX_KEY = \"pplx-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL\"");
    c.d("FAKE_DO_TOKEN = \"dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"");
    c.d("FAKE_NEW_RELIC_KEY = \"NRAK-ABCDEFGHIJKLMNOPQRSTUVWXYZ0\"");
    c.d("FAKE_HUBSPOT_TOKEN = \"pat-na1-00000000-0000-0000-0000-000000000000\"");
    c.d("FAKE_OKTA_TOKEN = \"00abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN\"");
    c.d(&format!("FAKE_XAI_KEY = \"xai-{}\"", "x".repeat(80)));
    c.d(&format!("FAKE_SQUARE_TOKEN = \"EAAA{}\"", "x".repeat(60)));
    c.d(&format!(
        "FAKE_GROQ_KEY = \"gsk_{}\"",
        "abcdefghijklmnopqrstuvwxyz".repeat(2)
    ));
    let r = g.project_ref();
    let anon = g.supabase_jwt(&r, "anon");
    c.d(&format!("SUPABASE_ANON_KEY = \"{anon}\""));
    c.t("\n\ndef test_rejects_bad_tokens(monkeypatch):");
    c.d("    monkeypatch.setenv(\"LINEAR_API_KEY\", \"lin_api_test\")");
    c.d("    monkeypatch.setenv(\"NOTION_TOKEN\", \"ntn_xxxxxxxxxxxxxxxxxxxxxxxxxxxxx\")");
    let bad = g.cf_token_bad("cfut");
    c.d(&format!(
        "    assert not clients.is_cloudflare_token(\"{bad}\")  # bad checksum"
    ));
    let bad_gh = g.gh_bad("ghp");
    c.d(&format!(
        "    assert not clients.is_github_token(\"{bad_gh}\")"
    ));
    let bad_gh2 = g.gh_bad("gho");
    c.d(&format!(
        "    assert clients.redact(\"{bad_gh2}\") == \"gho_***\""
    ));
    c.d("    assert clients.mask(\"sntryu_1234\") == \"sntryu_***\"");
    let u = g.uuid();
    c.d(&format!("    request_token_id = \"{u}\""));

    // Database provisioning from Python.
    c.file("db/scripts/provision.py");
    c.t("import pymysql\n\nconn = pymysql.connect(host=\"mysql-primary\", user=\"root\", unix_socket=\"/run/mysqld/mysqld.sock\")\nwith conn.cursor() as cur:");
    let pw = g.alnum_password();
    c.s(
        &format!("    cur.execute(\"CREATE USER IF NOT EXISTS 'reporter'@'%' IDENTIFIED WITH mysql_native_password BY '{pw}'\")"),
        &pw,
        "sql-user-password",
        "context",
    );
    c.d(
        "    cur.execute(\"CREATE USER IF NOT EXISTS %s@'%%' IDENTIFIED BY %s\", (user, password))",
    );
    c.d("    cur.execute(\"GRANT SELECT ON shop.* TO 'reporter'@'%'\")");
}

fn platform_sql(c: &mut Corpus, g: &mut G) {
    c.file("db/migrations/V7__app_users.sql");
    c.t("-- Application accounts. Rotated by the Vault database secrets engine after bootstrap.\n");
    let pw = g.alnum_password();
    c.s(
        &format!("CREATE USER 'app'@'%' IDENTIFIED BY '{pw}';"),
        &pw,
        "sql-user-password",
        "context",
    );
    c.t("GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO 'app'@'%';");
    let pw2 = g.safe_password();
    c.s(
        &format!("CREATE ROLE reporting LOGIN ENCRYPTED PASSWORD '{pw2}' VALID UNTIL 'infinity';"),
        &pw2,
        "sql-user-password",
        "context",
    );
    let hp = g.human_password();
    c.s(
        &format!("ALTER USER etl WITH PASSWORD '{hp}';"),
        &hp,
        "sql-user-password",
        "context",
    );
    let pw3 = g.safe_password();
    c.s(
        &format!("CREATE LOGIN svc_orders WITH PASSWORD = N'{pw3}', CHECK_POLICY = OFF;"),
        &pw3,
        "sql-user-password",
        "context",
    );
    c.d("CREATE USER '{{ db_user }}'@'%' IDENTIFIED BY '{{ db_password }}';");
    c.d("CREATE USER app_ro WITH PASSWORD :'app_ro_password';");
    c.d("ALTER USER app_legacy WITH PASSWORD NULL;");
    c.d(&format!(
        "CREATE USER 'legacy'@'%' IDENTIFIED BY PASSWORD '*{}';",
        g.hex(40).to_uppercase()
    ));
    c.d(&format!(
        "CREATE ROLE app_rw LOGIN PASSWORD 'SCRAM-SHA-256$4096:{}${}:{}';",
        STANDARD.encode(g.bytes(16)),
        STANDARD.encode(g.bytes(32)),
        STANDARD.encode(g.bytes(32))
    ));
    c.d("CREATE TABLE api_tokens (id uuid PRIMARY KEY, token_hash char(64) NOT NULL, password_reset_token text);");
    c.d(&format!(
        "INSERT INTO api_tokens (id, token_hash) VALUES ('{}', '{}');",
        g.uuid(),
        g.sha256()
    ));
    c.d("-- SET PASSWORD FOR 'app'@'%' = '<generated by vault>';");
}

fn platform_ts(c: &mut Corpus, g: &mut G) {
    c.file("web/src/server/ai.ts");
    c.t("import Groq from \"groq-sdk\";\nimport { createXai } from \"@ai-sdk/xai\";\nimport { Client as LangSmith } from \"langsmith\";\nimport { LinearClient } from \"@linear/sdk\";\nimport { Client as Notion } from \"@notionhq/client\";\nimport { Vercel } from \"@vercel/sdk\";\nimport { createClient } from \"@supabase/supabase-js\";\n");
    let gq = g.groq();
    c.s(
        &format!(
            "export const groq = new Groq({{ apiKey: process.env.GROQ_API_KEY || \"{gq}\" }});"
        ),
        &gq,
        "groq-api-key",
        "groq",
    );
    let xa = g.xai();
    c.s(
        &format!("export const xai = createXai({{ apiKey: \"{xa}\" }});"),
        &xa,
        "xai-api-key",
        "xai",
    );
    let ls = g.langsmith("sk");
    c.s(
        &format!("export const langsmith = new LangSmith({{ apiKey: '{ls}' }});"),
        &ls,
        "langsmith-service-key",
        "langsmith",
    );
    let ln = g.linear();
    c.s(
        &format!("export const linear = new LinearClient({{ apiKey: \"{ln}\" }});"),
        &ln,
        "linear-api-key",
        "linear",
    );
    let nt = g.notion();
    c.s(
        &format!("export const notion = new Notion({{ auth: \"{nt}\" }});"),
        &nt,
        "notion-integration-token",
        "notion",
    );
    let vc = g.vercel();
    c.s(
        &format!("export const vercel = new Vercel({{ bearerToken: \"{vc}\" }});"),
        &vc,
        "vercel-token",
        "vercel",
    );
    let sbs = g.sb_secret();
    c.s(
        &format!(
            "export const supabaseAdmin = createClient(process.env.SUPABASE_URL!, \"{sbs}\");"
        ),
        &sbs,
        "supabase-secret-key",
        "supabase",
    );
    let ss = g.s(B62, 32);
    c.s(
        &format!("const sessionSecret = process.env.SESSION_SECRET || \"{ss}\";"),
        &ss,
        "env-lookup-fallback-literal",
        "context",
    );
    let hp = g.human_password();
    c.s(
        &format!("export const db = {{ host: process.env.DB_HOST || \"pg.internal\", password: process.env.DB_PASSWORD ?? \"{hp}\" }};"),
        &hp,
        "env-lookup-fallback-literal",
        "context",
    );
    let su = g.hex_token("sntryu_", 64);
    c.s(
        &format!("const SENTRY_TOKEN = \"{su}\";"),
        &su,
        "sentry-user-auth-token",
        "sentry",
    );
    c.d("const xaiKey = process.env.XAI_API_KEY;");
    c.d("const groqKey = process.env.GROQ_API_KEY ?? \"\";");
    c.d("const apiToken = process.env.API_TOKEN || defaultToken;");
    c.d("const ttl = process.env.TOKEN_TTL || \"86400\";");
    c.d("const region = process.env.SUPABASE_REGION || \"eu-central-1\";");
    c.d("export const supabase = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!);");
    c.d("const res = await fetch(url, { headers: { Authorization: `Bearer ${await getAccessToken()}` } });");
    c.d("const linearKey = await secrets.get(\"linear-api-key\");");
    c.d("export const LANGSMITH_PROJECT = \"support-bot-prod\";");
    c.d("const passwordResetTokenTtl = 15 * 60;");

    c.file("web/src/lib/public-config.ts");
    c.t("// Client-side configuration. Everything here ships to the browser by design.\n");
    let fb = g.google();
    let app_id = format!("1:{}:web:{}", g.s(DIGITS, 12), g.hex(22));
    c.t("export const firebaseConfig = {");
    c.d(&format!("  apiKey: \"{fb}\","));
    c.t("  authDomain: \"acme-web.firebaseapp.com\",\n  projectId: \"acme-web\",\n  storageBucket: \"acme-web.appspot.com\",");
    c.t(&format!("  messagingSenderId: \"{}\",", g.s(DIGITS, 12)));
    c.d(&format!("  appId: \"{app_id}\","));
    c.t("  measurementId: \"G-4F7K2L9QXR\",\n};\n");
    let mb = g.mapbox_pk();
    c.d(&format!("mapboxgl.accessToken = \"{mb}\";"));
    let ph = format!("phc_{}", g.s(B62, 43));
    c.d(&format!(
        "posthog.init(\"{ph}\", {{ api_host: \"https://eu.i.posthog.com\" }});"
    ));
    let nrjs = format!("NRJS-{}", g.hex(19));
    c.d(&format!("window.NREUM.loader_config = {{ accountID: \"3141592\", trustKey: \"3141592\", agentID: \"601580524\", licenseKey: \"{nrjs}\", applicationID: \"601580524\" }};"));
    let pk = g.stripe_pk();
    c.d(&format!("export const stripe = loadStripe(\"{pk}\");"));
    let pref = g.project_ref();
    let anon = g.supabase_jwt(&pref, "anon");
    c.d(&format!(
        "export const supabase = createClient(\"https://{pref}.supabase.co\", \"{anon}\");"
    ));
    let sbp = g.sb_publishable();
    c.d(&format!(
        "export const SUPABASE_PUBLISHABLE_KEY = \"{sbp}\";"
    ));
    let pspk = g.hex_token("pk_live_", 40);
    c.d(&format!(
        "PaystackPop.setup({{ key: \"{pspk}\", email, amount, currency: \"NGN\" }});"
    ));
    let sq = format!("sq0idp-{}", g.s(B64URL, 22));
    c.d(&format!(
        "const payments = Square.payments(\"{sq}\", \"L{}\");",
        g.s(UPNUM, 12)
    ));
    let (rum_app, rum_token) = (g.uuid(), g.hex_token("pub", 32));
    c.dn(2, &format!("datadogRum.init({{ applicationId: \"{rum_app}\", clientToken: \"{rum_token}\", site: \"datadoghq.eu\", service: \"web\", env: \"prod\" }});"));
    let dsn = g.sentry_dsn();
    c.d(&format!(
        "Sentry.init({{ dsn: \"{dsn}\", tracesSampleRate: 0.2 }});"
    ));
}

fn vendor_bundle(c: &mut Corpus, g: &mut G) {
    // A second minified bundle: vendor chunk with monitoring SDKs (hashes next to datadog/sentry).
    c.file("web/dist/assets/vendor-5b0e93c4.js");
    let mut line = String::from(
        "\"use strict\";(self.webpackChunkacme=self.webpackChunkacme||[]).push([[736],{",
    );
    let mut secrets: Vec<(String, &'static str, &'static str)> = Vec::new();
    let mut decoys = 0;
    for i in 0..40 {
        let a = g.ident(2);
        line.push_str(&format!(
            "{}:function(e,t,n){{var {a}=n({});e.exports={a}.default}},",
            g.range(1000, 99999),
            g.range(10, 999)
        ));
        match i {
            2 => {
                let mut m = String::from("u=function(e){return\"static/js/\"+e+\".\"+{");
                for name in [
                    "datadog-rum",
                    "datadog-logs",
                    "sentry-replay",
                    "sentry-tracing",
                    "dd-trace-web",
                ] {
                    m.push_str(&format!("\"{name}\":\"{}\",", g.hex(32)));
                }
                m.push_str("}[e]+\".chunk.js\"},");
                line.push_str(&m);
                decoys += 5;
            }
            5 => {
                line.push_str(&format!(
                    "dd:{{version:\"5.4.0\",site:\"datadoghq.eu\",clientToken:\"pub{}\",applicationId:\"{}\",buildHash:\"{}\"}},",
                    g.hex(32),
                    g.uuid(),
                    g.hex(32)
                ));
                decoys += 3;
            }
            9 => {
                line.push_str(&format!(
                    "sentryEnvelope:function(e){{return\"https://o{}.ingest.sentry.io/api/{}/envelope/?sentry_key={}&sentry_version=7&sentry_client=sentry.javascript.react%2F7.91.0\"}},",
                    g.s(DIGITS, 6),
                    g.s(DIGITS, 7),
                    g.hex(32)
                ));
                decoys += 1;
            }
            13 => {
                line.push_str(&format!(
                    "sentryDebugIds:{{\"{}\":\"{}\",\"{}\":\"{}\"}},",
                    g.hex(32),
                    g.uuid(),
                    g.hex(32),
                    g.uuid()
                ));
                decoys += 2;
            }
            17 => {
                let lk = g.linear();
                line.push_str(&format!(
                    "linearFeedback:function(e){{return fetch(\"https://api.linear.app/graphql\",{{method:\"POST\",headers:{{Authorization:\"{lk}\",\"Content-Type\":\"application/json\"}},body:JSON.stringify(e)}})}},"
                ));
                secrets.push((lk, "linear-api-key", "linear"));
            }
            21 => {
                line.push_str(&format!(
                    "ddIntegrity:{{\"@datadog/browser-rum\":\"md5-{}\",\"@datadog/browser-core\":\"md5-{}\",\"@sentry/browser\":\"md5-{}\"}},",
                    g.hex(32),
                    g.hex(32),
                    g.hex(32)
                ));
                decoys += 3;
            }
            25 => {
                let gk = g.groq();
                line.push_str(&format!(
                    "chat:function(){{return new Groq({{apiKey:\"{gk}\",dangerouslyAllowBrowser:!0}})}},"
                ));
                secrets.push((gk, "groq-api-key", "groq"));
            }
            29 => {
                line.push_str("auth:function(e){return{Authorization:\"Bearer \"+e.accessToken,\"X-Api-Key\":e.apiKey,password:e.password||\"\"}},");
                decoys += 3;
            }
            33 => {
                line.push_str(&format!(
                    "release:{{name:\"web@3.14.0\",sentryRelease:\"{}\",datadogVersion:\"{}\"}},",
                    g.sha1(),
                    g.hex(32)
                ));
                decoys += 2;
            }
            _ => {}
        }
    }
    line.push_str("}]);//# sourceMappingURL=vendor-5b0e93c4.js.map");
    let refs: Vec<(&str, &'static str, &'static str)> = secrets
        .iter()
        .map(|(s, e, p)| (s.as_str(), *e, *p))
        .collect();
    c.decoys += decoys;
    c.sm(&line, &refs);
}

fn notifier_go(c: &mut Corpus, g: &mut G) {
    c.file("cmd/notifier/main.go");
    c.t("package main\n\nimport (\n\t\"context\"\n\t\"net/http\"\n\t\"os\"\n\n\ttgbotapi \"github.com/go-telegram-bot-api/telegram-bot-api/v5\"\n\t\"github.com/mailgun/mailgun-go/v4\"\n\tdatadog \"github.com/DataDog/datadog-api-client-go/v2/api/datadog\"\n)\n");
    let dw = g.discord_webhook();
    c.s(
        &format!("const discordWebhookURL = \"{dw}\""),
        &dw,
        "discord-webhook-url",
        "discord",
    );
    let tw = g.teams_webhook();
    c.s(
        &format!("const teamsWebhookURL = \"{tw}\""),
        &tw,
        "microsoft-teams-webhook-url",
        "teams",
    );
    c.d("const teamsDocs = \"https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook\"");
    c.d("// Bot tokens look like 110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw (Telegram Bot API docs).");
    c.t("\nfunc main() {\n\tctx := context.Background()");
    let tg = g.telegram();
    c.s(
        &format!("\tbot, err := tgbotapi.NewBotAPI(\"{tg}\")"),
        &tg,
        "telegram-bot-token",
        "telegram",
    );
    c.d(&format!("\tchatID := int64(-100{})", g.s(DIGITS, 10)));
    c.d("\tfallbackBot, _ := tgbotapi.NewBotAPI(os.Getenv(\"TELEGRAM_BOT_TOKEN\"))");
    let mg = g.mailgun();
    c.s(
        &format!("\tmg := mailgun.NewMailgun(\"mg.acme-corp.io\", \"{mg}\")"),
        &mg,
        "mailgun-api-key",
        "mailgun",
    );
    c.d("\tmgEU := mailgun.NewMailgun(os.Getenv(\"MAILGUN_DOMAIN\"), os.Getenv(\"MAILGUN_API_KEY\"))");
    c.d("\t// mailgun docs example key: key-3ax6xnjp29jd6fds4gc373sgvjxteol0");
    c.d("\twebhook := fmt.Sprintf(\"https://discord.com/api/webhooks/%s/%s\", cfg.DiscordID, cfg.DiscordToken)");
    let ok = g.okta();
    c.s(
        &format!("\treq.Header.Set(\"Authorization\", \"SSWS {ok}\")"),
        &ok,
        "okta-api-token",
        "okta",
    );
    c.d("\toktaToken := cfg.Okta.APIToken");
    let br = g.brevo("xkeysib");
    c.s(
        &format!("\tbrevoCfg.AddDefaultHeader(\"api-key\", \"{br}\")"),
        &br,
        "brevo-api-key",
        "brevo",
    );
    let hs = g.hubspot();
    c.s(
        &format!("\thub := hubspot.NewClient(hubspot.SetPrivateAppToken(\"{hs}\"))"),
        &hs,
        "hubspot-private-app-token",
        "hubspot",
    );
    let dd = g.hex(32);
    c.s(
        &format!("\tos.Setenv(\"DD_API_KEY\", \"{dd}\")"),
        &dd,
        "datadog-api-key",
        "datadog",
    );
    let dda = g.hex(40);
    c.s(
        &format!("\tctx = context.WithValue(ctx, datadog.ContextAPIKeys, map[string]datadog.APIKey{{\"apiKeyAuth\": {{Key: os.Getenv(\"DD_API_KEY\")}}, \"appKeyAuth\": {{Key: \"{dda}\"}}}})"),
        &dda,
        "datadog-application-key",
        "datadog",
    );
    c.d(&format!("\tmonitorID := int64({})", g.s(DIGITS, 9)));
    c.d(&format!(
        "\tdashboardHash := \"{}\" // datadog dashboard content hash",
        g.hex(32)
    ));
    c.t("\t_, _, _, _, _ = bot, err, mg, hub, http.StatusOK\n}");

    c.file("cmd/notifier/go.sum");
    for m in [
        "github.com/DataDog/datadog-api-client-go/v2 v2.21.0",
        "github.com/DataDog/zstd v1.5.5",
        "github.com/getsentry/sentry-go v0.25.0",
        "github.com/go-telegram-bot-api/telegram-bot-api/v5 v5.5.1",
        "github.com/mailgun/mailgun-go/v4 v4.12.0",
        "github.com/okta/okta-sdk-golang/v2 v2.20.0",
    ] {
        let (name, ver) = m.split_once(' ').unwrap();
        let h = STANDARD.encode(g.bytes(32));
        c.d(&format!("{name} {ver} h1:{h}"));
        let h2 = STANDARD.encode(g.bytes(32));
        c.d(&format!("{name} {ver}/go.mod h1:{h2}"));
    }
}

fn providers_jvm(c: &mut Corpus, g: &mut G) {
    c.file("payments/src/main/kotlin/com/acme/payments/providers/Providers.kt");
    c.t("package com.acme.payments.providers\n\nimport java.util.UUID\n");
    let sq = g.square();
    c.s(
        &format!("private const val SQUARE_ACCESS_TOKEN = \"{sq}\""),
        &sq,
        "square-access-token",
        "square",
    );
    c.d(&format!(
        "private const val SQUARE_APPLICATION_ID = \"sq0idp-{}\"",
        g.s(B64URL, 22)
    ));
    c.d(&format!(
        "private const val SQUARE_LOCATION_ID = \"L{}\"",
        g.s(UPNUM, 12)
    ));
    let ps = g.hex_token("sk_live_", 40);
    c.s(
        &format!("val paystack = PaystackClient(secretKey = \"{ps}\")"),
        &ps,
        "paystack-secret-key",
        "paystack",
    );
    let pspk = g.hex_token("pk_live_", 40);
    c.d(&format!("const val PAYSTACK_PUBLIC_KEY = \"{pspk}\""));
    let sh = g.hex_token("shpat_", 32);
    c.s(
        &format!("private val shopifyAdminToken = \"{sh}\""),
        &sh,
        "shopify-access-token",
        "shopify",
    );
    c.d("const val SHOPIFY_STORE = \"acme-store.myshopify.com\"");
    let at = g.s(B62, 24);
    c.s(
        &format!("val internalToken = System.getenv(\"PAYMENTS_AUTH_TOKEN\") ?: \"{at}\""),
        &at,
        "env-lookup-fallback-literal",
        "context",
    );
    let hs = g.hubspot();
    c.s(
        &format!("const val HUBSPOT_TOKEN = \"{hs}\""),
        &hs,
        "hubspot-private-app-token",
        "hubspot",
    );
    c.d("val squareToken = System.getenv(\"SQUARE_ACCESS_TOKEN\")");
    c.d("val idempotencyKey = UUID.randomUUID().toString()");
    c.d("const val WEBHOOK_SIGNATURE_HEADER = \"x-paystack-signature\"");
    c.d("val secretKey = config.paystack.secretKey ?: error(\"paystack.secretKey is not set\")");

    c.file("payments/src/test/java/com/acme/payments/ProvidersTest.java");
    c.t("package com.acme.payments;\n\nimport org.junit.jupiter.api.Test;\nimport static org.junit.jupiter.api.Assertions.*;\n\nclass ProvidersTest {");
    c.d("    private static final String FAKE_PAYSTACK = \"sk_live_0000000000000000000000000000000000000000\";");
    c.d("    private static final String FAKE_SHOPIFY = \"shpat_0123456789abcdef0123456789abcdef\";");
    c.d("    private static final String FAKE_SQUARE = \"EAAAabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567\";");
    c.d("    private static final String FAKE_DOCKER = \"dckr_pat_abcdefghijklmnopqrstuvwxyz0\";");
    let bad = g.gh_bad("ghs");
    c.d(&format!(
        "    @Test void rejectsBadChecksum() {{ assertFalse(Tokens.isGithub(\"{bad}\")); }}"
    ));
    c.d("    @Test void masks() { assertEquals(\"sk_live_***\", Tokens.mask(\"sk_live_abc\")); }");
    c.t("}");
}

fn shopify_ruby(c: &mut Corpus, g: &mut G) {
    c.file("storefront/config/initializers/shopify_app.rb");
    c.t("ShopifyApp.configure do |config|\n  config.application_name = \"Acme Storefront Sync\"\n  config.scope = \"read_products,write_orders\"");
    c.d(&format!(
        "  config.api_key = \"{}\"  # client id, visible in the OAuth URL",
        g.hex(32)
    ));
    let ss = g.hex_token("shpss_", 32);
    c.s(
        &format!("  config.secret = \"{ss}\""),
        &ss,
        "shopify-shared-secret",
        "shopify",
    );
    c.d("  config.old_secret = ENV.fetch(\"SHOPIFY_API_SECRET_OLD\")");
    c.t("end\n");
    let sh = g.hex_token("shpat_", 32);
    c.s(
        &format!("SYNC_SESSION = ShopifyAPI::Auth::Session.new(shop: \"acme-store.myshopify.com\", access_token: \"{sh}\")"),
        &sh,
        "shopify-access-token",
        "shopify",
    );
    let sq = g.square();
    c.s(
        &format!("SQUARE = Square::Client.new(access_token: ENV.fetch(\"SQUARE_ACCESS_TOKEN\") {{ \"{sq}\" }}, environment: \"production\")"),
        &sq,
        "square-access-token",
        "square",
    );
    let sec = g.s(B62, 32);
    c.s(
        &format!("Rails.application.config.session_secret = ENV[\"SESSION_SECRET\"] || \"{sec}\""),
        &sec,
        "env-lookup-fallback-literal",
        "context",
    );
    c.d("SHOPIFY_WEBHOOK_SECRET = Rails.application.credentials.dig(:shopify, :webhook_secret)");
    c.d("SQUARE_LOCATION = ENV.fetch(\"SQUARE_LOCATION_ID\", \"main\")");
}

fn mail_php(c: &mut Corpus, g: &mut G) {
    c.file("shop/config/mail.php");
    c.t("<?php\n\nreturn [\n    'default' => env('MAIL_MAILER', 'mailgun'),\n    'mailers' => [");
    let mg = g.mailgun();
    c.s(
        &format!("        'mailgun' => ['transport' => 'mailgun', 'domain' => 'mg.acme-corp.io', 'secret' => env('MAILGUN_SECRET', '{mg}')],"),
        &mg,
        "mailgun-api-key",
        "mailgun",
    );
    let hp = g.human_password();
    c.s(
        &format!("        'smtp' => ['host' => 'smtp-relay.brevo.com', 'port' => 587, 'username' => 'ops@acme-corp.io', 'password' => env('MAIL_PASSWORD', '{hp}')],"),
        &hp,
        "env-lookup-default-argument",
        "context",
    );
    let sm = g.brevo("xsmtpsib");
    c.s(
        &format!(
            "        'brevo_relay' => ['host' => 'smtp-relay.brevo.com', 'password' => '{sm}'],"
        ),
        &sm,
        "brevo-smtp-key",
        "brevo",
    );
    c.d("        'ses' => ['transport' => 'ses', 'key' => env('AWS_ACCESS_KEY_ID'), 'secret' => env('AWS_SECRET_ACCESS_KEY')],");
    c.d("        'mailgun_eu' => ['domain' => env('MAILGUN_DOMAIN'), 'secret' => env('MAILGUN_SECRET'), 'endpoint' => env('MAILGUN_ENDPOINT', 'api.eu.mailgun.net')],");
    c.d(&format!(
        "        'mailgun_validation' => ['public_key' => 'pubkey-{}'],",
        g.hex(32)
    ));
    c.t("    ],\n];");

    c.file("shop/app/Services/Newsletter.php");
    c.t("<?php\nnamespace App\\Services;\n\nclass Newsletter\n{\n    public function client()\n    {");
    let br = g.brevo("xkeysib");
    c.s(
        &format!("        $config = \\Brevo\\Client\\Configuration::getDefaultConfiguration()->setApiKey('api-key', '{br}');"),
        &br,
        "brevo-api-key",
        "brevo",
    );
    c.d("        $fallback = \\Brevo\\Client\\Configuration::getDefaultConfiguration()->setApiKey('api-key', getenv('BREVO_API_KEY'));");
    c.d("        // Mailgun docs example: key-3ax6xnjp29jd6fds4gc373sgvjxteol0");
    c.d("        $listHash = md5($email . $this->listId);");
    c.t("    }\n}");
}

fn azure_csharp(c: &mut Corpus, g: &mut G) {
    c.file("src/Acme.Storage/appsettings.Production.json");
    c.t("{\n  \"ConnectionStrings\": {");
    let key = g.azure_storage_key();
    c.s(
        &format!("    \"Blob\": \"DefaultEndpointsProtocol=https;AccountName=acmemedia01;AccountKey={key};EndpointSuffix=core.windows.net\","),
        &key,
        "azure-storage-account-key",
        "azure",
    );
    let sb = g.azure_sas_key();
    c.s(
        &format!("    \"ServiceBus\": \"Endpoint=sb://acme-orders.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={sb}\","),
        &sb,
        "azure-shared-access-key",
        "azure",
    );
    let ac = g.azure_sas_key();
    c.s(
        &format!("    \"AppConfig\": \"Endpoint=https://acme-config.azconfig.io;Id={}-l0-s0:{};Secret={ac}\",", g.s(B62, 4), g.s(B62, 20)),
        &ac,
        "azure-app-configuration-connection-string",
        "azure",
    );
    c.d("    \"Local\": \"UseDevelopmentStorage=true\",");
    c.d("    \"Azurite\": \"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;\",");
    c.d("    \"CosmosEmulator\": \"AccountEndpoint=https://localhost:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==\"");
    c.t("  },\n  \"AzureAd\": {\n    \"Instance\": \"https://login.microsoftonline.com/\",");
    let (tenant, client) = (g.uuid(), g.uuid());
    c.dn(
        2,
        &format!("    \"TenantId\": \"{tenant}\",\n    \"ClientId\": \"{client}\","),
    );
    let es = g.entra_secret();
    c.s(
        &format!("    \"ClientSecret\": \"{es}\","),
        &es,
        "azure-entra-client-secret",
        "azure",
    );
    c.d("    \"CallbackPath\": \"/signin-oidc\"");
    c.t("  },\n  \"Graph\": {");
    c.d("    \"ClientSecret\": \"@Microsoft.KeyVault(SecretUri=https://acme-kv.vault.azure.net/secrets/GraphClientSecret/)\",");
    c.d(&format!("    \"ObjectId\": \"{}\"", g.uuid()));
    c.t("  }\n}");

    c.file("src/Acme.Storage/BlobClientFactory.cs");
    c.t("using Azure.Identity;\nusing Azure.Storage;\nusing Azure.Storage.Blobs;\n\nnamespace Acme.Storage\n{\n    public static class BlobClientFactory\n    {");
    let key2 = g.azure_storage_key();
    c.s(
        &format!("        private const string StorageAccountKey = \"{key2}\";"),
        &key2,
        "azure-storage-account-key",
        "azure",
    );
    c.d("        private const string AccountName = \"acmemedia01\";");
    c.t("        public static BlobServiceClient Create() =>\n            new BlobServiceClient(new Uri($\"https://{AccountName}.blob.core.windows.net\"), new StorageSharedKeyCredential(AccountName, StorageAccountKey));");
    let es2 = g.entra_secret();
    c.s(
        &format!("        private static readonly ClientSecretCredential Reporting = new ClientSecretCredential(TenantId, ReportingAppId, \"{es2}\");"),
        &es2,
        "azure-entra-client-secret",
        "azure",
    );
    c.d("        private static readonly string Secret = Environment.GetEnvironmentVariable(\"AZURE_CLIENT_SECRET\");");
    c.d("        private static readonly TokenCredential Default = new DefaultAzureCredential();");
    c.d("        private const string SasPermissions = \"rl\";");
    c.d(&format!(
        "        private const string ReportingAppId = \"{}\";",
        g.uuid()
    ));
    c.t("    }\n}");
}

fn integrations_rust(c: &mut Corpus, g: &mut G) {
    c.file("crates/worker/src/integrations.rs");
    c.t("use std::env;\n");
    let gq = g.groq();
    c.s(
        &format!("    let groq_key = env::var(\"GROQ_API_KEY\").unwrap_or_else(|_| \"{gq}\".to_string());"),
        &gq,
        "groq-api-key",
        "groq",
    );
    let sec = g.s(B62, 28);
    c.s(
        &format!(
            "    let signing = env::var(\"WEBHOOK_SIGNING_SECRET\").unwrap_or(\"{sec}\".into());"
        ),
        &sec,
        "env-lookup-fallback-literal",
        "context",
    );
    let nt = g.notion();
    c.s(
        &format!("const NOTION_TOKEN: &str = \"{nt}\";"),
        &nt,
        "notion-integration-token",
        "notion",
    );
    let st = g.sntrys("acme");
    c.s(
        &format!("const SENTRY_AUTH_TOKEN: &str = \"{st}\";"),
        &st,
        "sentry-org-auth-token",
        "sentry",
    );
    c.d("    let dsn = env::var(\"SENTRY_DSN\")?;");
    let dsn = g.sentry_dsn();
    c.d(&format!("    let _guard = sentry::init((\"{dsn}\", sentry::ClientOptions {{ release: sentry::release_name!(), ..Default::default() }}));"));
    c.d("    let notion_token = env::var(\"NOTION_TOKEN\").unwrap_or_default();");
    c.d("    assert_eq!(mask(\"ntn_123\"), \"ntn_***\");");
    c.d("    let api_key = secrets.get(\"groq\").await?;");

    c.file("crates/worker/Cargo.lock");
    c.t("# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 3\n");
    for (name, ver) in [
        ("sentry", "0.32.1"),
        ("sentry-core", "0.32.1"),
        ("sentry-types", "0.32.1"),
        ("sentry-backtrace", "0.32.1"),
        ("datadog-statsd", "0.1.2"),
        ("secrecy", "0.8.0"),
    ] {
        c.t(&format!("[[package]]\nname = \"{name}\"\nversion = \"{ver}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\""));
        let h = g.sha256();
        c.d(&format!("checksum = \"{h}\"\n"));
    }
}

fn ops_shell(c: &mut Corpus, g: &mut G) {
    c.file("scripts/ops/backup.sh");
    c.t("#!/usr/bin/env bash\n# Nightly backup and housekeeping, run from the ops bastion.\nset -euo pipefail\n");
    let pw = g.alnum_password();
    c.s(
        &format!("mysqldump -h db.internal -u backup -p{pw} --single-transaction shop > /backup/shop.sql"),
        &pw,
        "mysql-cli-password",
        "context",
    );
    let pw2 = g.safe_password();
    c.s(
        &format!("mysql -u root -p'{pw2}' shop_restore < /backup/shop.sql"),
        &pw2,
        "mysql-cli-password",
        "context",
    );
    c.d("mysql -u root -p\"$MYSQL_ROOT_PASSWORD\" shop_restore < /backup/shop.sql");
    c.d("mysqldump -u backup -p${DB_PASS} shop > /backup/shop-$(date +%F).sql");
    c.d("mysql -u root -p shop_restore");
    let pw3 = g.alnum_password();
    let cred = format!("deploy:{pw3}");
    c.s(
        &format!("curl -fsS -u {cred} https://nexus.acme-corp.io/service/rest/v1/components?repository=releases"),
        &cred,
        "curl-user-credentials",
        "http",
    );
    c.d("curl -fsS -u \"$NEXUS_USER:$NEXUS_PASSWORD\" https://nexus.acme-corp.io/service/rest/v1/status");
    c.d("curl -u admin https://grafana.internal/api/health");
    c.d("curl -u username:password https://example.com/api");
    let b = G::basic("registry-bot", &g.safe_password());
    c.s(
        &format!(
            "curl -fsS -H \"Authorization: Basic {b}\" https://registry.acme-corp.io/v2/_catalog"
        ),
        &b,
        "http-basic-auth",
        "http",
    );
    c.d("curl -H \"Authorization: Basic dXNlcjpwYXNzd29yZA==\" https://httpbin.org/basic-auth/user/password");
    let op = g.opaque_token();
    c.s(
        &format!("curl -fsS -H \"Authorization: Bearer {op}\" https://jobs.internal.acme-corp.io/v1/jobs?state=failed"),
        &op,
        "http-authorization-header",
        "http",
    );
    c.d("curl -fsS -H \"Authorization: Bearer $CF_API_TOKEN\" https://api.cloudflare.com/client/v4/user/tokens/verify");
    c.d(
        "curl -H \"Authorization: Bearer <your-token>\" https://jobs.internal.acme-corp.io/v1/jobs",
    );
    c.d("curl -H \"Authorization: token ${GITHUB_TOKEN}\" https://api.github.com/user");
    let zone = g.hex(32);
    let cf = g.cf_token("cfut");
    c.s(
        &format!("curl -fsS -X POST -H \"Authorization: Bearer {cf}\" https://api.cloudflare.com/client/v4/zones/{zone}/purge_cache --data '{{\"purge_everything\":true}}'"),
        &cf,
        "cloudflare-api-token",
        "cloudflare",
    );
    c.d(&format!(
        "CF_ZONE_ID={}  # zone id, not a credential",
        g.hex(32)
    ));
    let dop = g.do_token("dop");
    c.s(
        &format!("doctl auth init --access-token {dop}"),
        &dop,
        "digitalocean-personal-access-token",
        "digitalocean",
    );
    c.d("doctl auth init --access-token \"$DIGITALOCEAN_TOKEN\"");
    let np = g.safe_password();
    c.s(
        &format!("echo \"machine git.acme-corp.io login ci-bot password {np}\" >> ~/.netrc"),
        &np,
        "netrc-inline-credentials",
        "context",
    );
    c.d("echo \"machine github.com login x-access-token password ${GITHUB_TOKEN}\" > ~/.netrc");
    let dk = g.dckr();
    c.s(
        &format!("echo {dk} | docker login -u acmeci --password-stdin"),
        &dk,
        "dockerhub-personal-access-token",
        "docker",
    );
    c.d("docker login -u acmeci --password-stdin < /run/secrets/dockerhub");
    let ok = g.okta();
    c.s(
        &format!("curl -s -H \"Authorization: SSWS {ok}\" \"https://acme.okta.com/api/v1/users?limit=200\" > users.json"),
        &ok,
        "okta-api-token",
        "okta",
    );
    let dd = g.hex(32);
    c.s(
        &format!("curl -s -X POST \"https://api.datadoghq.eu/api/v1/series\" -H \"DD-API-KEY: {dd}\" -d @metrics.json"),
        &dd,
        "datadog-api-key",
        "datadog",
    );
    c.d("curl -s -X POST \"https://api.datadoghq.eu/api/v1/series\" -H \"DD-API-KEY: ${DD_API_KEY}\" -d @metrics.json");
    let sha = g.sha256();
    c.d(&format!(
        "echo \"{sha}  datadog-agent_7.50.3-1_amd64.deb\" | sha256sum -c -"
    ));
    let pw4 = g.alnum_password();
    let cred2 = format!("svc-backup:{pw4}");
    c.s(
        &format!("curl -s --user {cred2} -T /backup/shop.sql.gz https://files.acme-corp.io/remote.php/dav/files/svc-backup/"),
        &cred2,
        "curl-user-credentials",
        "http",
    );
}

fn deploy_ci(c: &mut Corpus, g: &mut G) {
    c.file(".github/workflows/deploy-platform.yml");
    c.t("name: deploy-platform\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:");
    let pu = g.hex_token("pul-", 40);
    c.s(
        &format!("      PULUMI_ACCESS_TOKEN: {pu}"),
        &pu,
        "pulumi-access-token",
        "pulumi",
    );
    let dp = g.doppler("st.prd");
    c.s(
        &format!("      DOPPLER_TOKEN: {dp}"),
        &dp,
        "doppler-service-token",
        "doppler",
    );
    let tf = g.tfc();
    c.s(
        &format!("      TF_API_TOKEN: \"{tf}\""),
        &tf,
        "terraform-cloud-api-token",
        "terraform",
    );
    let vc = g.vercel();
    c.s(
        &format!("      VERCEL_TOKEN: {vc}"),
        &vc,
        "vercel-token",
        "vercel",
    );
    let cf = g.cf_token("cfut");
    c.s(
        &format!("      CLOUDFLARE_API_TOKEN: {cf}"),
        &cf,
        "cloudflare-api-token",
        "cloudflare",
    );
    let gl = g.glsa();
    c.s(
        &format!("      GRAFANA_SERVICE_ACCOUNT_TOKEN: {gl}"),
        &gl,
        "grafana-service-account-token",
        "grafana",
    );
    c.d(&format!("      VERCEL_ORG_ID: team_{}", g.s(B62, 24)));
    c.d(&format!("      VERCEL_PROJECT_ID: prj_{}", g.s(B62, 28)));
    c.d(&format!("      CLOUDFLARE_ACCOUNT_ID: {}", g.hex(32)));
    c.d("      PULUMI_STACK: acme/platform/prod\n      DOPPLER_CONFIG: prd\n      TF_WORKSPACE: platform-prod");
    c.d("      SENTRY_AUTH_TOKEN: ${{ secrets.SENTRY_AUTH_TOKEN }}");
    c.d("      DOCKERHUB_TOKEN: ${{ secrets.DOCKERHUB_TOKEN }}");
    c.d("      DD_API_KEY: ${{ secrets.DD_API_KEY }}");
    c.d("      NEW_RELIC_API_KEY: ${{ secrets.NEW_RELIC_API_KEY }}");
    c.t("    steps:");
    let sha = g.sha1();
    c.d(&format!("      - uses: actions/checkout@{sha} # v4.1.1"));
    let dk = g.dckr();
    c.s(
        &format!("      - run: echo \"{dk}\" | docker login -u acme --password-stdin"),
        &dk,
        "dockerhub-personal-access-token",
        "docker",
    );
    c.d("      - run: echo \"${{ secrets.DOCKERHUB_TOKEN }}\" | docker login -u acme --password-stdin");
    let su = g.hex_token("sntryu_", 64);
    c.s(
        &format!("      - run: npx @sentry/cli releases new \"$GITHUB_SHA\" --auth-token {su}"),
        &su,
        "sentry-user-auth-token",
        "sentry",
    );
    let nr = g.nrak();
    c.s(
        &format!("      - run: newrelic profile add --profile ci --region eu --apiKey {nr} --accountId 3141592"),
        &nr,
        "newrelic-user-api-key",
        "newrelic",
    );
    c.d("      - run: pulumi up --yes --stack acme/platform/prod");
}

fn k8s_platform(c: &mut Corpus, g: &mut G) {
    c.file("deploy/k8s/platform/db-credentials.yaml");
    c.t("apiVersion: v1\nkind: Secret\nmetadata:\n  name: platform-db\n  namespace: platform\ntype: Opaque\ndata:");
    c.d(&format!("  username: {}", STANDARD.encode("platform_app")));
    c.d(&format!(
        "  host: {}",
        STANDARD.encode("pg-platform.platform.svc.cluster.local")
    ));
    let pw = STANDARD.encode(g.safe_password());
    c.s(
        &format!("  password: {pw}"),
        &pw,
        "kubernetes-secret-data",
        "kubernetes",
    );
    let gq = STANDARD.encode(g.groq());
    c.s(
        &format!("  groq-api-key: {gq}"),
        &gq,
        "kubernetes-secret-data",
        "kubernetes",
    );
    let sk = STANDARD.encode(g.bytes(32));
    c.s(
        &format!("  session-key: \"{sk}\""),
        &sk,
        "kubernetes-secret-data",
        "kubernetes",
    );

    c.file("deploy/k8s/platform/registry-pull.yaml");
    c.t("apiVersion: v1\nkind: Secret\nmetadata:\n  name: acme-registry\n  namespace: platform\ntype: kubernetes.io/dockerconfigjson\ndata:");
    let auth = G::basic("ci-puller", &g.safe_password());
    let cfg = STANDARD.encode(format!(
        "{{\"auths\":{{\"registry.acme-corp.io\":{{\"username\":\"ci-puller\",\"auth\":\"{auth}\"}}}}}}"
    ));
    c.s(
        &format!("  .dockerconfigjson: {cfg}"),
        &cfg,
        "kubernetes-secret-data",
        "kubernetes",
    );

    c.file("deploy/k8s/platform/tls.yaml");
    c.t("apiVersion: v1\nkind: Secret\nmetadata:\n  name: platform-tls\ntype: kubernetes.io/tls\ndata:");
    let crt = STANDARD.encode(g.cert().join("\n"));
    c.d(&format!("  tls.crt: {crt}"));
    let key = STANDARD.encode(g.ec_key().join("\n"));
    c.s(
        &format!("  tls.key: {key}"),
        &key,
        "kubernetes-secret-data",
        "kubernetes",
    );

    c.file("deploy/k8s/platform/db-endpoint.yaml");
    c.t("apiVersion: v1\nkind: Secret\nmetadata:\n  name: platform-db-endpoint\n  annotations:\n    reflector.v1.k8s.emberstack.com/reflection-allowed: \"true\"\ntype: Opaque\ndata:");
    c.d(&format!("  username: {}", STANDARD.encode("reporting_ro")));
    c.d(&format!(
        "  host: {}",
        STANDARD.encode("pg-replica.platform.svc")
    ));
    c.d(&format!("  port: {}", STANDARD.encode("5432")));
    let ca = STANDARD.encode(g.cert().join("\n"));
    c.d(&format!("  ca.crt: {ca}"));

    c.file("deploy/helm/platform/templates/secret.yaml");
    c.t("apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ include \"platform.fullname\" . }}\n  labels:\n    {{- include \"platform.labels\" . | nindent 4 }}\ntype: Opaque\ndata:");
    c.d("  password: {{ .Values.db.password | b64enc | quote }}");
    c.d("  api-token: {{ required \"apiToken is required\" .Values.apiToken | b64enc }}");
    c.d("  session-key: {{ randAlphaNum 32 | b64enc | quote }}");

    c.file("deploy/k8s/platform/configmap.yaml");
    c.t("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: platform-config\ndata:");
    c.d("  PASSWORD_MIN_LENGTH: \"12\"");
    c.d("  TOKEN_TTL_SECONDS: \"3600\"");
    c.d("  API_KEY_HEADER: X-Api-Key");
    c.d(&format!("  CA_BUNDLE_SHA256: {}", g.sha256()));
    c.d(&format!("  DATADOG_RUM_APPLICATION_ID: {}", g.uuid()));
    c.d("  SECRET_STORE: vault");
    c.d(&format!("  feature-flags-hash: {}", g.hex(32)));

    c.file("deploy/k8s/platform/sealed-secret.yaml");
    c.t("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: platform-api\n  namespace: platform\nspec:\n  encryptedData:");
    let s1 = g.sealed();
    c.d(&format!("    password: {s1}"));
    let s2 = g.sealed();
    c.d(&format!("    api-token: {s2}"));
    let s3 = g.sealed();
    c.d(&format!("    stripe-secret-key: {s3}"));
    c.t("  template:\n    metadata:\n      name: platform-api\n    type: Opaque");

    c.file("deploy/k8s/monitoring/datadog-values.yaml");
    let (dd, dda) = (g.hex(32), g.hex(40));
    c.sm(
        &format!("datadog:\n  apiKey: {dd}\n  appKey: {dda}\n  site: datadoghq.eu\n  clusterName: prod-eu"),
        &[(&dd, "datadog-api-key", "datadog"), (&dda, "datadog-application-key", "datadog")],
    );
    c.d("  logs:\n    enabled: true\n    containerCollectAll: true");
    c.d("clusterAgent:\n  tokenExistingSecret: datadog-cluster-agent-token\n  metricsProvider:\n    enabled: true");

    c.file("deploy/k8s/monitoring/datadog-operator.yaml");
    c.t("apiVersion: datadoghq.com/v2alpha1\nkind: DatadogAgent\nmetadata:\n  name: datadog\nspec:\n  global:\n    site: datadoghq.eu\n    credentials:");
    c.d("      apiSecret:\n        secretName: datadog-secret\n        keyName: api-key");
    c.d("      appSecret:\n        secretName: datadog-secret\n        keyName: app-key");
    c.d(&format!(
        "  override:\n    nodeAgent:\n      annotations:\n        checksum/datadog-config: {}",
        g.hex(32)
    ));

    c.file("deploy/k8s/monitoring/grafana-agent.yaml");
    c.t("metrics:\n  global:\n    scrape_interval: 60s\n    remote_write:\n      - url: https://prometheus-prod-24-prod-eu-west-2.grafana.net/api/prom/push\n        basic_auth:");
    c.d(&format!("          username: \"{}\"", g.s(DIGITS, 7)));
    let glc = g.glc();
    c.s(
        &format!("          password: {glc}"),
        &glc,
        "grafana-cloud-access-policy-token",
        "grafana",
    );
    c.t("logs:\n  configs:\n    - name: default\n      clients:\n        - url: https://logs-prod-012.grafana.net/loki/api/v1/push\n          basic_auth:");
    c.d(&format!("            username: \"{}\"", g.s(DIGITS, 6)));
    c.d("            password_file: /var/run/secrets/grafana/loki-token");
}

fn encrypted_values(c: &mut Corpus, g: &mut G) {
    // SOPS-encrypted secrets file: the values are ciphertext.
    c.file("deploy/sops/platform.enc.yaml");
    for name in [
        "db_password",
        "api_token",
        "stripe_secret_key",
        "datadog_api_key",
        "okta_api_token",
    ] {
        let n = g.range(16, 48);
        let v = g.sops(n);
        c.d(&format!("{name}: {v}"));
    }
    c.t("sops:\n    kms: []\n    gcp_kms: []\n    azure_kv: []\n    hc_vault: []\n    age:");
    let rcpt = g.age_public();
    c.d(&format!("        - recipient: {rcpt}"));
    let armored = STANDARD.encode(g.bytes(180));
    let mut wrapped = String::new();
    for ch in armored.as_bytes().chunks(64) {
        wrapped.push_str("            ");
        wrapped.push_str(std::str::from_utf8(ch).unwrap());
        wrapped.push('\n');
    }
    c.d(&format!("          enc: |\n            -----BEGIN AGE ENCRYPTED FILE-----\n{wrapped}            -----END AGE ENCRYPTED FILE-----"));
    c.t("    lastmodified: \"2024-05-14T09:12:44Z\"");
    let mac = g.sops(32);
    c.d(&format!("    mac: {mac}"));
    c.t("    pgp: []\n    unencrypted_suffix: _unencrypted\n    version: 3.8.1");

    // The age identity that decrypts it, committed by mistake.
    c.file("deploy/sops/age/keys.txt");
    let pubk = g.age_public();
    c.d(&format!(
        "# created: 2024-05-14T09:10:02Z\n# public key: {pubk}"
    ));
    let ak = g.age_secret();
    c.s(&ak, &ak, "age-secret-key", "age");

    // Jasypt-encrypted Spring properties, and the master password next to them.
    c.file("services/platform/src/main/resources/application-prod.properties");
    c.t("spring.datasource.url=jdbc:postgresql://pg-platform.internal:5432/platform\nspring.datasource.username=platform");
    let e1 = g.jasypt();
    c.d(&format!("spring.datasource.password={e1}"));
    let e2 = g.jasypt();
    c.d(&format!("app.jwt.secret={e2}"));
    let e3 = g.jasypt();
    c.d(&format!("spring.mail.password={e3}"));
    c.d("jasypt.encryptor.algorithm=PBEWITHHMACSHA512ANDAES_256");
    c.d("jasypt.encryptor.password=${JASYPT_ENCRYPTOR_PASSWORD}");
    c.file("services/platform/run-local.sh");
    c.t("#!/bin/sh\n# Starts the platform service against the shared staging database.");
    let jp = g.safe_password();
    c.s(
        &format!("export JASYPT_ENCRYPTOR_PASSWORD='{jp}'"),
        &jp,
        "generic-",
        "generic",
    );
    c.t("exec ./mvnw spring-boot:run -Dspring-boot.run.profiles=prod");

    // KMS and Vault transit ciphertext in a Lambda environment file.
    c.file("services/platform/deploy/lambda-env.json");
    c.t("{\n  \"Variables\": {");
    let k1 = g.kms_blob();
    c.d(&format!("    \"DB_PASSWORD\": \"{k1}\","));
    let k2 = g.kms_blob();
    c.d(&format!("    \"GROQ_API_KEY\": \"{k2}\","));
    let v1 = g.vault_transit();
    c.d(&format!("    \"STRIPE_SECRET_KEY\": \"{v1}\","));
    let v2 = g.vault_transit();
    c.d(&format!("    \"SESSION_SECRET\": \"{v2}\","));
    c.d(&format!(
        "    \"KMS_KEY_ID\": \"arn:aws:kms:eu-west-1:123456789012:key/{}\"",
        g.uuid()
    ));
    c.t("  }\n}");

    // Ansible Vault.
    c.file("ansible/group_vars/prod/vault.yml");
    let av = g.ansible_vault("");
    c.d(&av);
    c.file("ansible/group_vars/prod/vars.yml");
    c.d("db_password: \"{{ vault_db_password }}\"");
    c.d("okta_api_token: \"{{ vault_okta_api_token }}\"");
    let inline = g.ansible_vault("  ");
    c.d(&format!("datadog_api_key: !vault |\n{inline}"));
    c.d("telegram_bot_token: \"{{ lookup('community.hashi_vault.hashi_vault', 'secret=kv/data/telegram:token') }}\"");
    let hp = g.human_password();
    c.s(
        &format!("grafana_admin_password: \"{hp}\""),
        &hp,
        "generic-",
        "generic",
    );
}

fn dotenv_platform(c: &mut Corpus, g: &mut G) {
    c.file("services/platform/.env.production");
    c.t("# platform service, production. Loaded by systemd EnvironmentFile=.\nAPP_ENV=production");
    let (tenant, client) = (g.uuid(), g.uuid());
    c.dn(
        2,
        &format!("AZURE_TENANT_ID={tenant}\nAZURE_CLIENT_ID={client}"),
    );
    let es = g.entra_secret();
    c.s(
        &format!("AZURE_CLIENT_SECRET={es}"),
        &es,
        "azure-entra-client-secret",
        "azure",
    );
    c.d("AZURE_STORAGE_ACCOUNT=acmeprodlogs");
    let az = g.azure_storage_key();
    c.s(
        &format!("AZURE_STORAGE_ACCOUNT_KEY={az}"),
        &az,
        "azure-storage-account-key",
        "azure",
    );
    let dop = g.do_token("dop");
    c.s(
        &format!("DIGITALOCEAN_TOKEN={dop}"),
        &dop,
        "digitalocean-personal-access-token",
        "digitalocean",
    );
    let cfa = g.cf_token("cfat");
    c.s(
        &format!("CLOUDFLARE_API_TOKEN={cfa}"),
        &cfa,
        "cloudflare-api-token",
        "cloudflare",
    );
    let cfk = g.cf_token("cfk");
    c.s(
        &format!("CLOUDFLARE_API_KEY={cfk}"),
        &cfk,
        "cloudflare-global-api-key",
        "cloudflare",
    );
    c.dn(
        2,
        &format!(
            "CLOUDFLARE_ZONE_ID={}\nCLOUDFLARE_ACCOUNT_ID={}",
            g.hex(32),
            g.hex(32)
        ),
    );
    let vc = g.vercel();
    c.s(&format!("VERCEL_TOKEN={vc}"), &vc, "vercel-token", "vercel");
    c.dn(
        2,
        &format!(
            "VERCEL_ORG_ID=team_{}\nVERCEL_PROJECT_ID=prj_{}",
            g.s(B62, 24),
            g.s(B62, 28)
        ),
    );
    let pref = g.project_ref();
    c.d(&format!("SUPABASE_URL=https://{pref}.supabase.co"));
    let anon = g.supabase_jwt(&pref, "anon");
    c.d(&format!("NEXT_PUBLIC_SUPABASE_ANON_KEY={anon}"));
    let srv = g.supabase_jwt(&pref, "service_role");
    c.s(
        &format!("SUPABASE_SERVICE_ROLE_KEY={srv}"),
        &srv,
        "jwt",
        "supabase",
    );
    let sbs = g.sb_secret();
    c.s(
        &format!("SUPABASE_SECRET_KEY={sbs}"),
        &sbs,
        "supabase-secret-key",
        "supabase",
    );
    c.d(&format!(
        "DATABRICKS_HOST=https://adb-{}.7.azuredatabricks.net",
        g.s(DIGITS, 16)
    ));
    c.d(&format!(
        "DATABRICKS_CLUSTER_ID={}-{}-{}",
        g.s(DIGITS, 4),
        g.s(DIGITS, 6),
        g.s(LOWNUM, 8)
    ));
    let dbx = g.databricks();
    c.s(
        &format!("DATABRICKS_TOKEN={dbx}"),
        &dbx,
        "databricks-access-token",
        "databricks",
    );
    c.d("SHOPIFY_STORE_DOMAIN=acme-store.myshopify.com");
    let sh = g.hex_token("shpat_", 32);
    c.s(
        &format!("SHOPIFY_ACCESS_TOKEN={sh}"),
        &sh,
        "shopify-access-token",
        "shopify",
    );
    c.dn(
        2,
        &format!(
            "SQUARE_APPLICATION_ID=sq0idp-{}\nSQUARE_LOCATION_ID=L{}",
            g.s(B64URL, 22),
            g.s(UPNUM, 12)
        ),
    );
    let sq = g.square();
    c.s(
        &format!("SQUARE_ACCESS_TOKEN={sq}"),
        &sq,
        "square-access-token",
        "square",
    );
    c.d(&format!("PAYSTACK_PUBLIC_KEY=pk_live_{}", g.hex(40)));
    let ps = g.hex_token("sk_live_", 40);
    c.s(
        &format!("PAYSTACK_SECRET_KEY={ps}"),
        &ps,
        "paystack-secret-key",
        "paystack",
    );
    c.d("DOCKERHUB_USERNAME=acmeci");
    let dk = g.dckr();
    c.s(
        &format!("DOCKERHUB_TOKEN={dk}"),
        &dk,
        "dockerhub-personal-access-token",
        "docker",
    );
    c.d("JIRA_BASE_URL=https://acme.atlassian.net\nJIRA_USER=ops@acme-corp.io");
    let at = g.atlassian();
    c.s(
        &format!("JIRA_API_TOKEN={at}"),
        &at,
        "atlassian-api-token",
        "atlassian",
    );
    c.d("TF_CLOUD_ORGANIZATION=acme");
    let tf = g.tfc();
    c.s(
        &format!("TFE_TOKEN={tf}"),
        &tf,
        "terraform-cloud-api-token",
        "terraform",
    );
    let pu = g.hex_token("pul-", 40);
    c.s(
        &format!("PULUMI_ACCESS_TOKEN={pu}"),
        &pu,
        "pulumi-access-token",
        "pulumi",
    );
    c.d("DOPPLER_PROJECT=platform\nDOPPLER_CONFIG=prd");
    let dp = g.doppler("pt");
    c.s(
        &format!("DOPPLER_TOKEN={dp}"),
        &dp,
        "doppler-personal-token",
        "doppler",
    );
    c.d("GRAFANA_URL=https://acme.grafana.net");
    let glc = g.glc();
    c.s(
        &format!("GRAFANA_CLOUD_TOKEN={glc}"),
        &glc,
        "grafana-cloud-access-policy-token",
        "grafana",
    );
    c.d("NEW_RELIC_ACCOUNT_ID=3141592");
    c.d(&format!("NEW_RELIC_BROWSER_KEY=NRJS-{}", g.hex(19)));
    let nr = g.nrak();
    c.s(
        &format!("NEW_RELIC_API_KEY={nr}"),
        &nr,
        "newrelic-user-api-key",
        "newrelic",
    );
    let dsn = g.sentry_dsn();
    c.d(&format!("SENTRY_DSN={dsn}\nSENTRY_ORG=acme"));
    let su = g.hex_token("sntryu_", 64);
    c.s(
        &format!("SENTRY_AUTH_TOKEN={su}"),
        &su,
        "sentry-user-auth-token",
        "sentry",
    );
    c.d("DD_SITE=datadoghq.eu\nDD_ENV=prod");
    c.dn(
        2,
        &format!(
            "DD_CLIENT_TOKEN=pub{}\nDD_RUM_APPLICATION_ID={}",
            g.hex(32),
            g.uuid()
        ),
    );
    let dd = g.hex(32);
    c.s(
        &format!("DD_API_KEY={dd}"),
        &dd,
        "datadog-api-key",
        "datadog",
    );
    let dda = g.hex(40);
    c.s(
        &format!("DD_APP_KEY={dda}"),
        &dda,
        "datadog-application-key",
        "datadog",
    );
    let gq = g.groq();
    c.s(&format!("GROQ_API_KEY={gq}"), &gq, "groq-api-key", "groq");
    let px = g.pplx();
    c.s(
        &format!("PERPLEXITY_API_KEY={px}"),
        &px,
        "perplexity-api-key",
        "perplexity",
    );
    let xa = g.xai();
    c.s(&format!("XAI_API_KEY={xa}"), &xa, "xai-api-key", "xai");
    c.d("LANGSMITH_PROJECT=support-bot-prod\nLANGSMITH_TRACING=true");
    let ls = g.langsmith("sk");
    c.s(
        &format!("LANGSMITH_API_KEY={ls}"),
        &ls,
        "langsmith-service-key",
        "langsmith",
    );
    c.d(&format!("LINEAR_TEAM_ID={}", g.uuid()));
    let ln = g.linear();
    c.s(
        &format!("LINEAR_API_KEY={ln}"),
        &ln,
        "linear-api-key",
        "linear",
    );
    c.d(&format!("NOTION_DATABASE_ID={}", g.hex(32)));
    let nt = g.notion();
    c.s(
        &format!("NOTION_TOKEN={nt}"),
        &nt,
        "notion-integration-token",
        "notion",
    );
    let dw = g.discord_webhook();
    c.s(
        &format!("DISCORD_WEBHOOK_URL={dw}"),
        &dw,
        "discord-webhook-url",
        "discord",
    );
    c.d(&format!("TELEGRAM_CHAT_ID=-100{}", g.s(DIGITS, 10)));
    let tg = g.telegram();
    c.s(
        &format!("TELEGRAM_BOT_TOKEN={tg}"),
        &tg,
        "telegram-bot-token",
        "telegram",
    );
    let tw = g.teams_webhook();
    c.s(
        &format!("TEAMS_WEBHOOK_URL={tw}"),
        &tw,
        "microsoft-teams-webhook-url",
        "teams",
    );
    c.d("MAILGUN_DOMAIN=mg.acme-corp.io");
    c.d(&format!("MAILGUN_PUBLIC_KEY=pubkey-{}", g.hex(32)));
    let mg = g.mailgun();
    c.s(
        &format!("MAILGUN_API_KEY={mg}"),
        &mg,
        "mailgun-api-key",
        "mailgun",
    );
    let br = g.brevo("xkeysib");
    c.s(
        &format!("BREVO_API_KEY={br}"),
        &br,
        "brevo-api-key",
        "brevo",
    );
    c.d("HUBSPOT_PORTAL_ID=24681357");
    let hs = g.hubspot();
    c.s(
        &format!("HUBSPOT_ACCESS_TOKEN={hs}"),
        &hs,
        "hubspot-private-app-token",
        "hubspot",
    );
    let oc = g.okta_client_id();
    c.d(&format!(
        "OKTA_CLIENT_ID={oc}\nOKTA_ISSUER=https://acme.okta.com/oauth2/default"
    ));
    let ok = g.okta();
    c.s(
        &format!("OKTA_API_TOKEN={ok}"),
        &ok,
        "okta-api-token",
        "okta",
    );
    let rc = g.age_public();
    c.d(&format!("SOPS_AGE_RECIPIENTS={rc}"));
    let ak = g.age_secret();
    c.s(&format!("SOPS_AGE_KEY={ak}"), &ak, "age-secret-key", "age");
    let hp = g.human_password();
    c.s(&format!("SMTP_PASSWORD={hp}"), &hp, "generic-", "generic");
    let mb = g.mapbox_pk();
    c.d(&format!("NEXT_PUBLIC_MAPBOX_TOKEN={mb}"));
    c.d(&format!("NEXT_PUBLIC_POSTHOG_KEY=phc_{}", g.s(B62, 43)));
    c.d(&format!("NEXT_PUBLIC_FIREBASE_API_KEY={}", g.google()));

    c.file("services/platform/.env.sample");
    c.d("AZURE_CLIENT_SECRET=<client-secret>");
    c.d("AZURE_STORAGE_CONNECTION_STRING=\"DefaultEndpointsProtocol=https;AccountName=<account>;AccountKey=<your-account-key>;EndpointSuffix=core.windows.net\"");
    c.d(&format!("DIGITALOCEAN_TOKEN=dop_v1_{}", "x".repeat(64)));
    c.d(&format!("CLOUDFLARE_API_TOKEN=cfut_{}", "x".repeat(48)));
    c.d("VERCEL_TOKEN=vcp_your_token_here");
    c.d("SUPABASE_SECRET_KEY=sb_secret_...");
    c.d("DATABRICKS_TOKEN=dapi...");
    c.d(&format!("SHOPIFY_ACCESS_TOKEN=shpat_{}", "x".repeat(32)));
    c.d("SQUARE_ACCESS_TOKEN=EAAA...");
    c.d(&format!("PAYSTACK_SECRET_KEY=sk_live_{}", "x".repeat(40)));
    c.d("DOCKERHUB_TOKEN=dckr_pat_xxxxx");
    c.d("JIRA_API_TOKEN=ATATT3xFfGF0...");
    c.d("TFE_TOKEN=<YOUR_TOKEN_ID>.atlasv1.<YOUR_TOKEN_SECRET>");
    c.d("PULUMI_ACCESS_TOKEN=pul-75a564ac7f3a48079a0c448c1e1ec95c4cfed141");
    c.d("DOPPLER_TOKEN=dp.st.dev.YOUR_TOKEN");
    c.d("GRAFANA_SERVICE_ACCOUNT_TOKEN=glsa_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX_AAAAAAAA");
    c.d("NEW_RELIC_API_KEY=NRAK-YOUR-API-KEY-HERE");
    c.d("SENTRY_AUTH_TOKEN=sntryu_YOUR_TOKEN_HERE");
    c.d("DD_API_KEY=<DATADOG_API_KEY>");
    c.d("DD_APP_KEY=");
    c.d("GROQ_API_KEY=gsk_your_key_here");
    c.d(&format!("PERPLEXITY_API_KEY=pplx-{}", "x".repeat(48)));
    c.d("XAI_API_KEY=xai-YOUR-KEY");
    c.d("LANGSMITH_API_KEY=lsv2_pt_your_langsmith_api_key_here");
    c.d("LINEAR_API_KEY=lin_api_...");
    c.d("NOTION_TOKEN=ntn_xxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    c.d("DISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/<id>/<token>");
    c.d("TELEGRAM_BOT_TOKEN=123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11");
    c.d(
        "TEAMS_WEBHOOK_URL=https://outlook.office.com/webhook/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
    );
    c.d("MAILGUN_API_KEY=key-3ax6xnjp29jd6fds4gc373sgvjxteol0");
    c.d(&format!("BREVO_API_KEY=xkeysib-{}", "x".repeat(32)));
    c.d("HUBSPOT_ACCESS_TOKEN=pat-na1-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
    c.d("OKTA_API_TOKEN=${OKTA_API_TOKEN}");
    c.d("SOPS_AGE_KEY=AGE-SECRET-KEY-1...");
    c.d("SMTP_PASSWORD=changeme");
}

fn terraform_platform(c: &mut Corpus, g: &mut G) {
    c.file("infra/terraform/platform/variables.tf");
    let hp = g.human_password();
    c.s(
        &format!("variable \"grafana_admin_password\" {{\n  description = \"Grafana admin password\"\n  type        = string\n  default     = \"{hp}\"\n  sensitive   = true\n}}\n"),
        &hp,
        "terraform-variable-default-secret",
        "context",
    );
    let sk = g.hex(64);
    c.s(
        &format!(
            "variable \"session_signing_key\" {{\n  type    = string\n  default = \"{sk}\"\n}}\n"
        ),
        &sk,
        "terraform-variable-default-secret",
        "context",
    );
    let mk = g.hex(32);
    c.s(
        &format!("variable \"monitoring_api_key\" {{ default = \"{mk}\" }}\n"),
        &mk,
        "terraform-variable-default-secret",
        "context",
    );
    let cf = g.cf_token("cfut");
    c.s(
        &format!("variable \"cloudflare_api_token\" {{\n  type      = string\n  sensitive = true\n  default   = \"{cf}\"\n}}\n"),
        &cf,
        "cloudflare-api-token",
        "cloudflare",
    );
    c.d("variable \"db_password\" {\n  type      = string\n  sensitive = true\n}\n");
    c.d("variable \"secret_name\" {\n  default = \"platform/prod/db\"\n}\n");
    c.d("variable \"api_token\" {\n  type    = string\n  default = \"\"\n}\n");
    c.d("variable \"token_ttl\" {\n  default = \"3600\"\n}\n");
    c.d("variable \"admin_password\" {\n  default = \"changeme\"\n}\n");
    c.d("variable \"ssh_private_key_path\" {\n  default = \"~/.ssh/id_ed25519\"\n}\n");
    c.d(&format!("variable \"kms_key_arn\" {{\n  default = \"arn:aws:kms:eu-west-1:123456789012:key/{}\"\n}}\n", g.uuid()));
    c.d(&format!(
        "variable \"cloudflare_zone_id\" {{\n  default = \"{}\"\n}}\n",
        g.hex(32)
    ));
    c.d(&format!(
        "variable \"okta_client_id\" {{\n  default = \"{}\"\n}}\n",
        g.okta_client_id()
    ));

    c.file("infra/terraform/platform/providers.tf");
    let cf2 = g.cf_token("cfut");
    c.s(
        &format!("provider \"cloudflare\" {{\n  api_token = \"{cf2}\"\n}}\n"),
        &cf2,
        "cloudflare-api-token",
        "cloudflare",
    );
    let dop = g.do_token("dop");
    c.s(
        &format!("provider \"digitalocean\" {{\n  token = \"{dop}\"\n}}\n"),
        &dop,
        "digitalocean-personal-access-token",
        "digitalocean",
    );
    let (dd, dda) = (g.hex(32), g.hex(40));
    c.sm(
        &format!("provider \"datadog\" {{\n  api_key = \"{dd}\"\n  app_key = \"{dda}\"\n  api_url = \"https://api.datadoghq.eu/\"\n}}\n"),
        &[(&dd, "datadog-api-key", "datadog"), (&dda, "datadog-application-key", "datadog")],
    );
    let nr = g.nrak();
    c.s(
        &format!("provider \"newrelic\" {{\n  account_id = 3141592\n  api_key    = \"{nr}\"\n  region     = \"EU\"\n}}\n"),
        &nr,
        "newrelic-user-api-key",
        "newrelic",
    );
    let gl = g.glsa();
    c.s(
        &format!("provider \"grafana\" {{\n  url  = \"https://acme.grafana.net/\"\n  auth = \"{gl}\"\n}}\n"),
        &gl,
        "grafana-service-account-token",
        "grafana",
    );
    let ok = g.okta();
    c.s(
        &format!("provider \"okta\" {{\n  org_name  = \"acme\"\n  base_url  = \"okta.com\"\n  api_token = \"{ok}\"\n}}\n"),
        &ok,
        "okta-api-token",
        "okta",
    );
    let (sub, cid, tid) = (g.uuid(), g.uuid(), g.uuid());
    let es = g.entra_secret();
    c.decoys += 3;
    c.s(
        &format!("provider \"azurerm\" {{\n  features {{}}\n  subscription_id = \"{sub}\"\n  client_id       = \"{cid}\"\n  tenant_id       = \"{tid}\"\n  client_secret   = \"{es}\"\n}}\n"),
        &es,
        "azure-entra-client-secret",
        "azure",
    );
    let vc = g.vercel();
    c.s(
        &format!("provider \"vercel\" {{\n  api_token = \"{vc}\"\n  team      = \"acme\"\n}}\n"),
        &vc,
        "vercel-token",
        "vercel",
    );
    let tf = g.tfc();
    c.s(
        &format!(
            "provider \"tfe\" {{\n  hostname = \"app.terraform.io\"\n  token    = \"{tf}\"\n}}\n"
        ),
        &tf,
        "terraform-cloud-api-token",
        "terraform",
    );
    let dbx = g.databricks();
    c.s(
        &format!("provider \"databricks\" {{\n  host  = \"https://adb-{}.11.azuredatabricks.net\"\n  token = \"{dbx}\"\n}}\n", g.s(DIGITS, 16)),
        &dbx,
        "databricks-access-token",
        "databricks",
    );
    c.d("provider \"cloudflare\" {\n  alias     = \"dns\"\n  api_token = var.cloudflare_api_token\n}\n");
    c.d("provider \"okta\" {\n  alias     = \"staging\"\n  org_name  = \"acme-staging\"\n  api_token = data.sops_file.secrets.data[\"okta_api_token\"]\n}\n");
    let (zone, acct) = (g.hex(32), g.hex(32));
    c.dn(2, &format!("resource \"cloudflare_record\" \"www\" {{\n  zone_id = \"{zone}\"\n  name    = \"www\"\n  type    = \"CNAME\"\n  value   = \"acme-web.pages.dev\"\n}}\n\nresource \"cloudflare_workers_kv_namespace\" \"cache\" {{\n  account_id = \"{acct}\"\n  title      = \"cache\"\n}}\n"));
    c.d("resource \"datadog_monitor\" \"api_errors\" {\n  name  = \"API error rate\"\n  type  = \"metric alert\"\n  query = \"sum(last_5m):sum:trace.http.request.errors{service:api}.as_count() > 50\"\n}\n");

    c.file("infra/terraform/.terraformrc");
    let tf2 = g.tfc();
    c.s(
        &format!("credentials \"app.terraform.io\" {{\n  token = \"{tf2}\"\n}}"),
        &tf2,
        "terraform-cloud-api-token",
        "terraform",
    );
    c.d("plugin_cache_dir = \"$HOME/.terraform.d/plugin-cache\"");
}

fn docker_platform(c: &mut Corpus, g: &mut G) {
    c.file("docker/worker/Dockerfile");
    let h = g.sha256();
    c.d(&format!("FROM python:3.12-slim@sha256:{h}"));
    c.d("ARG DOCKERHUB_TOKEN");
    c.t("WORKDIR /app\nENV PYTHONUNBUFFERED 1");
    let su = g.hex_token("sntryu_", 64);
    c.s(
        &format!("ENV SENTRY_AUTH_TOKEN {su}"),
        &su,
        "sentry-user-auth-token",
        "sentry",
    );
    let pw = g.safe_password();
    c.s(
        &format!("ENV DB_PASSWORD {pw}"),
        &pw,
        "dockerfile-env-secret",
        "context",
    );
    let kb = g.hex(128);
    c.s(
        &format!("ENV SECRET_KEY_BASE {kb}"),
        &kb,
        "dockerfile-env-secret",
        "context",
    );
    let hp = g.human_password();
    c.s(
        &format!("ENV SMTP_PASSWORD \"{hp}\""),
        &hp,
        "dockerfile-env-secret",
        "context",
    );
    c.d("ENV SECRET_KEY_FILE /run/secrets/secret_key");
    c.d("ENV API_TOKEN ${API_TOKEN}");
    c.d("ENV TOKEN_TTL 3600");
    c.d("ENV DB_HOST pg-platform.internal");
    c.d("ENV PASSWORD_MIN_LENGTH 12");
    c.d("ENV DB_PASSWORD changeme");
    let np = g.safe_password();
    c.s(
        &format!("RUN echo \"machine artifacts.acme-corp.io login deploy password {np}\" > /root/.netrc && pip install --no-cache-dir -r requirements.txt && rm /root/.netrc"),
        &np,
        "netrc-inline-credentials",
        "context",
    );
    c.d("RUN --mount=type=secret,id=netrc,target=/root/.netrc pip install --no-cache-dir -r requirements-private.txt");
    c.t("COPY . .\nCMD [\"python\", \"-m\", \"worker\"]");

    c.file("deploy/docker/config.json");
    c.t("{\n  \"auths\": {");
    let a1 = G::basic("ci-bot", &g.safe_password());
    c.s(
        &format!("    \"registry.acme-corp.io\": {{\n      \"auth\": \"{a1}\"\n    }},"),
        &a1,
        "docker-config-auth",
        "docker",
    );
    let dk = g.dckr();
    let a2 = G::basic("acmeci", &dk);
    c.s(
        &format!("    \"https://index.docker.io/v1/\": {{\n      \"auth\": \"{a2}\"\n    }},"),
        &a2,
        "docker-config-auth",
        "docker",
    );
    c.d("    \"ghcr.io\": {}");
    c.t("  },");
    c.d("  \"credsStore\": \"desktop\",");
    c.d("  \"HttpHeaders\": {\n    \"User-Agent\": \"Docker-Client/24.0.7 (linux)\"\n  }");
    c.t("}");

    c.file("docker-compose.platform.yml");
    c.t(
        "services:\n  platform:\n    image: registry.acme-corp.io/platform:3.2.0\n    environment:",
    );
    let pw2 = g.safe_password();
    c.s(
        &format!("      - DB_PASSWORD=${{DB_PASSWORD:-{pw2}}}"),
        &pw2,
        "shell-default-expansion-secret",
        "context",
    );
    c.d("      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD:?must be set}");
    c.d("      - REDIS_PASSWORD=${REDIS_PASSWORD:-changeme}");
    c.d("      - DD_API_KEY=${DD_API_KEY}");
    c.d("      - DD_SITE=datadoghq.eu");
}

fn netrc_npmrc(c: &mut Corpus, g: &mut G) {
    c.file("deploy/ci/.netrc");
    let p1 = g.safe_password();
    c.s(
        &format!("machine git.acme-corp.io\n  login ci-bot\n  password {p1}"),
        &p1,
        "netrc-password",
        "context",
    );
    let p2 = g.alnum_password();
    c.s(
        &format!("machine artifacts.acme-corp.io login deploy password {p2}"),
        &p2,
        "netrc-password",
        "context",
    );
    c.d("machine github.com login x-access-token password ${GITHUB_TOKEN}");
    c.d("machine ftp.acme-corp.io login anonymous password guest@");

    c.file("packages/ui/.npmrc");
    c.t("@acme:registry=https://nexus.acme-corp.io/repository/npm-group/");
    let a = G::basic("deploy", &g.safe_password());
    c.s(
        &format!("//nexus.acme-corp.io/repository/npm-group/:_auth={a}"),
        &a,
        "npmrc-auth",
        "context",
    );
    c.d("//registry.npmjs.org/:_authToken=${NPM_TOKEN}");
    c.d("always-auth=true");
    c.d("email=ci@acme-corp.io");

    c.file("packages/ui/.yarnrc.yml");
    c.t("nodeLinker: node-modules\nnpmScopes:\n  acme:\n    npmRegistryServer: \"https://nexus.acme-corp.io/repository/npm-group/\"");
    let a2 = G::basic("npm-publisher", &g.alnum_password());
    c.s(
        &format!("    npmAuthIdent: \"{a2}\""),
        &a2,
        "npmrc-auth",
        "context",
    );
    c.d("npmAuthToken: \"${NPM_TOKEN}\"");
    c.d("yarnPath: .yarn/releases/yarn-4.1.0.cjs");
}

fn runbooks_md(c: &mut Corpus, g: &mut G) {
    c.file("docs/runbooks/integrations.md");
    c.t("# Integrations runbook\n\n## Credentials\n\nAll credentials live in Doppler (`platform/prd`). Never paste them here.\nThe examples below are the vendors' documented sample values.\n\n```bash");
    c.d("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE");
    c.d("export TELEGRAM_BOT_TOKEN=110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw");
    c.d("export MAILGUN_API_KEY=key-3ax6xnjp29jd6fds4gc373sgvjxteol0");
    c.d("export PULUMI_ACCESS_TOKEN=pul-75a564ac7f3a48079a0c448c1e1ec95c4cfed141");
    c.d("export GRAFANA_SERVICE_ACCOUNT_TOKEN=glsa_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX_AAAAAAAA");
    c.d("export DISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/<id>/<token>");
    c.d("export NEW_RELIC_API_KEY=NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX");
    c.d("export DOCKERHUB_TOKEN=dckr_pat_<token>");
    c.t("```\n\nCalling the APIs:\n\n```bash");
    c.d("curl -H \"Authorization: Bearer $TOKEN\" https://api.acme-corp.io/v1/me");
    c.d("curl -u \"$USER:$PASS\" https://nexus.acme-corp.io/service/rest/v1/status");
    c.d("curl -u username:password https://example.com/api");
    c.d("curl -H \"Authorization: SSWS ${OKTA_API_TOKEN}\" https://acme.okta.com/api/v1/users");
    c.d("curl -H \"Authorization: Basic <base64 of user:password>\" https://registry.acme-corp.io/v2/");
    c.d("curl -H \"DD-API-KEY: <DATADOG_API_KEY>\" https://api.datadoghq.eu/api/v1/validate");
    c.t("```\n\nDocker registry auth in `~/.docker/config.json` looks like this:\n\n```json");
    c.d("{\"auths\": {\"registry.acme-corp.io\": {\"auth\": \"dXNlcjpwYXNzd29yZA==\"}}}");
    c.t("```\n\nSOPS recipients for the platform repo:\n");
    let rc = g.age_public();
    c.d(&format!("    {rc}"));
    c.t("\n## Alerting\n\nThe on-call bot posts to #ops-alerts through this webhook (rotate if leaked):\n");
    let dw = g.discord_webhook();
    c.s(&format!("    {dw}"), &dw, "discord-webhook-url", "discord");
    c.t("\nThe legacy Teams channel connector is still used by the billing team:\n");
    let tw = g.teams_webhook();
    c.s(
        &format!("    {tw}"),
        &tw,
        "microsoft-teams-webhook-url",
        "teams",
    );
    c.t("\nBreak-glass Okta admin token (expires with the incident, see INC-2291):\n");
    let ok = g.okta();
    c.s(
        &format!("    curl -H \"Authorization: SSWS {ok}\" https://acme.okta.com/api/v1/users/me"),
        &ok,
        "okta-api-token",
        "okta",
    );
}

fn spring_yaml(c: &mut Corpus, g: &mut G) {
    c.file("services/identity/src/main/resources/application-prod.yml");
    c.t("spring:\n  application:\n    name: identity\nokta:\n  oauth2:");
    c.d("    issuer: https://acme.okta.com/oauth2/default");
    let oc = g.okta_client_id();
    c.d(&format!("    client-id: {oc}"));
    let cs = g.s(B64URL, 40);
    c.s(
        &format!("    client-secret: {cs}"),
        &cs,
        "generic-",
        "generic",
    );
    c.t("  client:\n    org-url: https://acme.okta.com");
    let ok = g.okta();
    c.s(&format!("    token: {ok}"), &ok, "okta-api-token", "okta");
    c.t("hubspot:");
    let hs = g.hubspot();
    c.s(
        &format!("  access-token: {hs}"),
        &hs,
        "hubspot-private-app-token",
        "hubspot",
    );
    c.d("  portal-id: 24681357");
    c.t("mail:\n  brevo:");
    let br = g.brevo("xkeysib");
    c.s(
        &format!("    api-key: \"{br}\""),
        &br,
        "brevo-api-key",
        "brevo",
    );
    c.d("    sender: no-reply@acme-corp.io");
    c.t("security:");
    c.d("  password-policy:\n    min-length: 12\n    require-symbol: true");
    c.d("  token:\n    ttl: PT15M\n    issuer: identity.acme-corp.io");
    c.d("  remember-me-key: ${REMEMBER_ME_KEY}");
    let hp = g.human_password();
    c.s(
        &format!("  admin-bootstrap-password: \"{hp}\""),
        &hp,
        "generic-",
        "generic",
    );
}

fn http_files(c: &mut Corpus, g: &mut G) {
    c.file("api-tests/platform.http");
    c.t("### Okta: list users\nGET https://acme.okta.com/api/v1/users?limit=25\nAccept: application/json");
    let ok = g.okta();
    c.s(
        &format!("Authorization: SSWS {ok}"),
        &ok,
        "okta-api-token",
        "okta",
    );
    c.t("\n### Jobs API\nGET https://jobs.internal.acme-corp.io/v1/jobs?state=failed");
    let op = g.opaque_token();
    c.s(
        &format!("Authorization: Bearer {op}"),
        &op,
        "http-authorization-header",
        "http",
    );
    c.t("\n### Registry catalog\nGET https://registry.acme-corp.io/v2/_catalog");
    let b = G::basic("registry-admin", &g.human_password());
    c.s(
        &format!("Authorization: Basic {b}"),
        &b,
        "http-basic-auth",
        "http",
    );
    c.t("\n### Token from the environment\nGET https://jobs.internal.acme-corp.io/v1/me");
    c.d("Authorization: Bearer {{token}}");
    c.d("X-Api-Key: {{apiKey}}");
    c.t("\n### Login\nPOST https://identity.acme-corp.io/oauth/token\nContent-Type: application/x-www-form-urlencoded\n");
    c.d("grant_type=password&username={{user}}&password={{password}}");
    c.t("\n### Linear\nPOST https://api.linear.app/graphql\nContent-Type: application/json");
    let ln = g.linear();
    c.s(
        &format!("Authorization: {ln}"),
        &ln,
        "linear-api-key",
        "linear",
    );
}

fn lockfiles_new(c: &mut Corpus, g: &mut G) {
    c.file("web/yarn.lock");
    c.t("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n");
    for (name, ver) in [
        ("@datadog/browser-core", "5.4.0"),
        ("@datadog/browser-rum", "5.4.0"),
        ("@datadog/browser-logs", "5.4.0"),
        ("@sentry/browser", "7.91.0"),
        ("@sentry/core", "7.91.0"),
        ("@sentry/react", "7.91.0"),
        ("posthog-js", "1.96.1"),
        ("@supabase/supabase-js", "2.39.1"),
    ] {
        let base = name.rsplit('/').next().unwrap();
        c.t(&format!("\"{name}@^{ver}\":\n  version \"{ver}\""));
        let sha = g.sha1();
        c.d(&format!(
            "  resolved \"https://registry.yarnpkg.com/{name}/-/{base}-{ver}.tgz#{sha}\""
        ));
        let integ = g.integrity();
        c.d(&format!("  integrity {integ}\n"));
    }

    c.file("packages/ui/package-lock.json");
    c.t("{\n  \"name\": \"@acme/ui\",\n  \"version\": \"1.8.2\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {");
    for (name, ver) in [
        ("@datadog/browser-rum", "5.4.0"),
        ("@datadog/browser-core", "5.4.0"),
        ("@sentry/react", "7.91.0"),
        ("@sentry/utils", "7.91.0"),
        ("datadog-metrics", "0.11.1"),
        ("@okta/okta-auth-js", "7.5.1"),
    ] {
        let base = name.rsplit('/').next().unwrap();
        c.t(&format!("    \"node_modules/{name}\": {{\n      \"version\": \"{ver}\",\n      \"resolved\": \"https://registry.npmjs.org/{name}/-/{base}-{ver}.tgz\","));
        let integ = g.integrity();
        c.d(&format!("      \"integrity\": \"{integ}\","));
        c.t("      \"license\": \"Apache-2.0\"\n    },");
    }
    c.t("    \"\": {}\n  }\n}");

    c.file("ml/conda-lock.yml");
    c.t("version: 1\nmetadata:");
    c.d(&format!("  content_hash:\n    linux-64: {}", g.sha256()));
    c.t("package:");
    for (name, ver, build) in [
        ("datadog", "0.49.1", "pyhd8ed1ab_0"),
        ("ddtrace", "2.4.0", "py311h9547e67_0"),
        ("sentry-sdk", "1.39.1", "pyhd8ed1ab_0"),
        ("supabase", "2.3.0", "pyhd8ed1ab_0"),
    ] {
        c.t(&format!("  - name: {name}\n    version: {ver}\n    manager: conda\n    platform: linux-64\n    url: https://conda.anaconda.org/conda-forge/noarch/{name}-{ver}-{build}.conda\n    hash:"));
        let (md5, sha) = (g.hex(32), g.sha256());
        c.dn(2, &format!("      md5: {md5}\n      sha256: {sha}"));
    }

    c.file("ml/explicit-linux-64.txt");
    c.t("# This file may be used to create an environment using:\n# $ conda create --name <env> --file <this file>\n# platform: linux-64\n@EXPLICIT");
    for (name, ver) in [
        ("datadog", "0.49.1"),
        ("sentry-sdk", "1.39.1"),
        ("ddtrace", "2.4.0"),
        ("newrelic", "9.4.0"),
    ] {
        let md5 = g.hex(32);
        c.d(&format!(
            "https://conda.anaconda.org/conda-forge/noarch/{name}-{ver}-pyhd8ed1ab_0.conda#{md5}"
        ));
    }

    c.file("shop/composer.lock");
    c.t("{\n    \"_readme\": [\"This file locks the dependencies of your project to a known state\"],");
    c.d(&format!("    \"content-hash\": \"{}\",", g.hex(32)));
    c.t("    \"packages\": [");
    for (name, ver) in [
        ("sentry/sentry", "4.3.1"),
        ("sentry/sentry-laravel", "4.1.2"),
        ("datadog/dd-trace", "0.96.0"),
        ("mailgun/mailgun-php", "4.2.0"),
    ] {
        let sha = g.sha1();
        c.d(&format!("        {{\"name\": \"{name}\", \"version\": \"{ver}\", \"dist\": {{\"type\": \"zip\", \"url\": \"https://api.github.com/repos/{name}/zipball/{sha}\", \"reference\": \"{sha}\", \"shasum\": \"\"}}}},"));
    }
    c.t("        {}\n    ]\n}");

    c.file("mobile/ios/Podfile.lock");
    c.t("PODS:\n  - DatadogCore (2.6.0)\n  - DatadogRUM (2.6.0)\n  - Sentry (8.17.2)\n\nSPEC CHECKSUMS:");
    for name in [
        "DatadogCore",
        "DatadogInternal",
        "DatadogRUM",
        "Sentry",
        "SentryPrivate",
    ] {
        c.d(&format!("  {name}: {}", g.sha1()));
    }
    c.d(&format!(
        "\nPODFILE CHECKSUM: {}\n\nCOCOAPODS: 1.14.3",
        g.sha1()
    ));

    c.file("web/dist/assets/vendor-5b0e93c4.js.map");
    let mut m = String::from("{\"version\":3,\"file\":\"vendor-5b0e93c4.js\",\"sources\":[\"../../node_modules/@datadog/browser-rum/esm/boot/rumPublicApi.js\",\"../../node_modules/@sentry/browser/esm/sdk.js\"],\"names\":[\"apiKey\",\"clientToken\",\"password\",\"token\"],");
    m.push_str(&format!(
        "\"x_datadog_hashes\":[\"{}\",\"{}\"],\"debugId\":\"{}\",\"mappings\":\"{}\"}}",
        g.hex(32),
        g.hex(32),
        g.uuid(),
        g.s(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/;,",
            1200
        )
    ));
    c.dn(4, &m);
}

fn locales_and_fixtures(c: &mut Corpus, g: &mut G) {
    c.file("web/public/locales/fr.json");
    c.t("{");
    c.d("  \"auth.password.label\": \"Mot de passe\",");
    c.d("  \"auth.password.tooShort\": \"Le mot de passe doit contenir au moins 12 caractères\",");
    c.d("  \"settings.apiKey.label\": \"Clé API\",");
    c.d("  \"settings.token.revoke\": \"Révoquer le jeton d'accès\",");
    c.d("  \"settings.secret.rotate\": \"Faire tourner le secret du webhook\",");
    c.t("  \"common.ok\": \"OK\"\n}");

    c.file("web/public/locales/es.json");
    c.t("{");
    c.d("  \"auth.password.label\": \"Contraseña\",");
    c.d("  \"auth.password.forgot\": \"¿Olvidaste tu contraseña?\",");
    c.d("  \"settings.apiKey.created\": \"Clave de API creada: cópiala ahora, no podrás verla de nuevo\",");
    c.d("  \"settings.integrations.telegram.token\": \"Token del bot de Telegram\",");
    c.d("  \"settings.integrations.datadog.apiKey\": \"Clave de API de Datadog\",");
    c.t("  \"common.ok\": \"OK\"\n}");

    c.file("services/platform/tests/fixtures/integrations.json");
    c.t("{");
    c.d(&format!("  \"notion_page_id\": \"{}\",", g.hex(32)));
    c.d(&format!("  \"linear_issue_id\": \"{}\",", g.uuid()));
    c.d(&format!("  \"datadog_monitor_id\": {},", g.s(DIGITS, 8)));
    c.d(&format!("  \"datadog_event_hash\": \"{}\",", g.hex(32)));
    c.d(&format!("  \"sentry_event_id\": \"{}\",", g.hex(32)));
    c.d(&format!("  \"sentry_release\": \"{}\",", g.sha1()));
    c.d(&format!("  \"okta_user_id\": \"00u{}\",", g.s(B62, 17)));
    c.d(&format!(
        "  \"discord_message_id\": \"{}\",",
        g.snowflake_id()
    ));
    c.d(&format!("  \"telegram_update_id\": {},", g.s(DIGITS, 9)));
    c.d(&format!("  \"api_key_id\": \"{}\",", g.uuid()));
    c.d(&format!("  \"token_hash\": \"{}\",", g.sha256()));
    c.d(&format!("  \"secret_version_id\": \"{}\",", g.uuid()));
    c.d(&format!(
        "  \"password_reset_token_sha256\": \"{}\",",
        g.sha256()
    ));
    c.d(&format!("  \"session_id\": \"{}\",", g.hex(32)));
    c.d(&format!("  \"cloudflare_ray_id\": \"{}-FRA\",", g.hex(16)));
    c.d(&format!(
        "  \"hubspot_object_id\": \"{}\",",
        g.s(DIGITS, 11)
    ));
    c.d(&format!(
        "  \"vercel_deployment_id\": \"dpl_{}\",",
        g.s(B62, 28)
    ));
    c.d(&format!("  \"databricks_run_id\": {},", g.s(DIGITS, 15)));
    c.d(&format!("  \"etag\": \"\\\"{}\\\"\"", g.hex(32)));
    c.t("}");
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

struct Finding {
    rule: String,
    path: String,
    line: usize,
    column: usize,
    secret: String,
}

fn overlaps(a: &str, b: &str) -> bool {
    !a.is_empty() && !b.is_empty() && (a.contains(b) || b.contains(a))
}

fn short(s: &str) -> String {
    let one_line = s.replace('\n', "\\n");
    if one_line.chars().count() > 90 {
        let head: String = one_line.chars().take(87).collect();
        format!("{head}...")
    } else {
        one_line
    }
}

#[test]
fn eval_precision_and_recall_on_a_labelled_tree() {
    let corpus = build();
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(&str, &str)> = corpus
        .files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_str()))
        .collect();
    write_tree(dir.path(), &files);

    let root = dir.path().to_str().unwrap();
    // Secrets only: the .env checks have their own tests.
    let (code, report) = scan_json(&[root, "--show-secrets", "--no-env"]);
    assert!(code == 0 || code == 1, "exit code {code}");
    let findings: Vec<Finding> = report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| Finding {
            rule: f["rule_id"].as_str().unwrap().to_string(),
            path: f["path"].as_str().unwrap().to_string(),
            line: f["line"].as_u64().unwrap() as usize,
            column: f["column"].as_u64().unwrap() as usize,
            secret: f["secret"].as_str().unwrap().to_string(),
        })
        .collect();

    let labels = &corpus.labels;
    let mut found = vec![false; labels.len()];
    let mut tp = 0usize;
    let mut ignored = 0usize;
    let mut fps: Vec<&Finding> = Vec::new();
    let mut wrong_rule: Vec<String> = Vec::new();
    let mut wrong_column: Vec<String> = Vec::new();
    let mut duplicates: Vec<String> = Vec::new();
    for f in &findings {
        let hit = labels
            .iter()
            .position(|l| l.path == f.path && l.line == f.line && overlaps(&l.secret, &f.secret));
        match hit {
            Some(i) => {
                let l = &labels[i];
                tp += 1;
                if found[i] {
                    duplicates.push(format!(
                        "{}:{} {} {}",
                        f.path,
                        f.line,
                        f.rule,
                        short(&f.secret)
                    ));
                }
                found[i] = true;
                let rule_ok = if l.expect.ends_with('-') {
                    f.rule.starts_with(l.expect)
                } else {
                    f.rule == l.expect
                };
                if !rule_ok {
                    wrong_rule.push(format!(
                        "{}:{} expected {} got {} {}",
                        f.path,
                        f.line,
                        l.expect,
                        f.rule,
                        short(&f.secret)
                    ));
                }
                if f.column != l.column {
                    wrong_column.push(format!(
                        "{}:{} {} column {} (label {})",
                        f.path, f.line, f.rule, f.column, l.column
                    ));
                }
            }
            None if f.rule == "stripe-publishable-key" => ignored += 1,
            None => fps.push(f),
        }
    }
    let fns: Vec<&Label> = labels
        .iter()
        .zip(&found)
        .filter(|(_, &ok)| !ok)
        .map(|(l, _)| l)
        .collect();

    let planted = labels.len();
    let recalled = found.iter().filter(|&&x| x).count();
    let precision = tp as f64 / (tp + fps.len()).max(1) as f64;
    let recall = recalled as f64 / planted.max(1) as f64;

    println!("== keyhound labelled evaluation ==");
    println!(
        "files: {}  planted secrets: {}  hard decoys: {}  findings: {} (ignored stripe-publishable-key: {ignored})",
        corpus.files.len(),
        planted,
        corpus.decoys,
        findings.len()
    );
    println!(
        "precision: {precision:.4} ({tp} TP / {} reported)   recall: {recall:.4} ({recalled}/{planted})",
        tp + fps.len()
    );
    let mut per: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (l, &ok) in labels.iter().zip(&found) {
        let e = per.entry(l.provider).or_default();
        e.1 += 1;
        if ok {
            e.0 += 1;
        }
    }
    println!("per-provider recall:");
    for (p, (hit, n)) in &per {
        println!("  {p:<12} {hit:>3}/{n:<3} {:.3}", *hit as f64 / *n as f64);
    }
    println!("false positives ({}):", fps.len());
    for f in &fps {
        println!(
            "  FP {}:{}:{} {} {}",
            f.path,
            f.line,
            f.column,
            f.rule,
            short(&f.secret)
        );
    }
    println!("false negatives ({}):", fns.len());
    for l in &fns {
        println!(
            "  FN {}:{}:{} {} {}",
            l.path,
            l.line,
            l.column,
            l.expect,
            short(&l.secret)
        );
    }
    if !wrong_rule.is_empty() {
        println!("found by another rule ({}):", wrong_rule.len());
        for w in &wrong_rule {
            println!("  {w}");
        }
    }
    if !duplicates.is_empty() {
        println!("duplicate findings of one secret ({}):", duplicates.len());
        for d in &duplicates {
            println!("  {d}");
        }
    }

    assert!(
        corpus.files.len() >= 120,
        "only {} files",
        corpus.files.len()
    );
    assert!(planted >= 340, "only {planted} planted secrets");
    assert!(corpus.decoys >= 800, "only {} decoys", corpus.decoys);
    assert!(
        wrong_column.is_empty(),
        "{} findings at the wrong column:\n{}",
        wrong_column.len(),
        wrong_column.join("\n")
    );
    assert!(
        precision >= 0.95 && recall >= 0.95,
        "precision {precision:.4} / recall {recall:.4} below the 0.95 target ({} FP, {} FN; run with --nocapture for the lists)",
        fps.len(),
        fns.len()
    );
}
