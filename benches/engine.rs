//! Engine throughput over generated source-like text, with and without planted secrets, and
//! how it scales with the number of rules. Reports MB/s (criterion's `Throughput::Bytes`).
//!
//! Run: `cargo bench --bench engine`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use keyhound::engine::Engine;
use keyhound::rules::RuleSet;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    fn token(&mut self, len: usize) -> String {
        const A: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        (0..len)
            .map(|_| A[(self.next() % 62) as usize] as char)
            .collect()
    }
}

/// About `size` bytes of code-like lines: identifiers, strings, comments, config keys that
/// mention tokens and passwords (so the prefilter has work), hashes and UUIDs.
fn corpus(size: usize, secrets: bool) -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let lines = [
        "    let config = Config::from_env().expect(\"config\");",
        "def handle_request(self, request, *args, **kwargs):",
        "  const token = await getAccessToken(session.user.id);",
        "    password_field = forms.CharField(widget=forms.PasswordInput)",
        "// TODO: rotate the secret once the migration has landed",
        "\"integrity\": \"sha512-3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\",",
        "  request_id = \"3f1c2a9e-8b7d-4c6e-9f10-2b3a4c5d6e7f\"",
        "if err != nil { return fmt.Errorf(\"read api key: %w\", err) }",
        "    <div className=\"token-list\">{items.map(renderItem)}</div>",
        "SECRET_KEY = os.environ[\"SECRET_KEY\"]",
        "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
        "for (int i = 0; i < n; ++i) { sum += values[i] * weights[i]; }",
    ];
    let mut out = String::with_capacity(size + 256);
    while out.len() < size {
        out.push_str(rng.pick(&lines));
        out.push('\n');
        if secrets && rng.next() % 200 == 0 {
            let t = rng.token(36);
            out.push_str(&format!(
                "GITHUB_TOKEN = \"ghp_{t}\"\ndb_password = \"{}\"\n",
                rng.token(16)
            ));
        }
    }
    out.into_bytes()
}

fn throughput(c: &mut Criterion) {
    let engine = Engine::new(RuleSet::builtin().unwrap());
    let mut group = c.benchmark_group("engine");
    for secrets in [false, true] {
        let data = corpus(4 << 20, secrets);
        group.throughput(Throughput::Bytes(data.len() as u64));
        let name = if secrets { "with-secrets" } else { "clean" };
        group.bench_function(name, |b| b.iter(|| engine.scan(&data)));
    }
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let all = RuleSet::builtin().unwrap();
    let data = corpus(4 << 20, true);
    let mut group = c.benchmark_group("rule-count");
    group.throughput(Throughput::Bytes(data.len() as u64));
    for n in [10, 30, all.len()] {
        let mut rules = all.clone();
        let mut i = 0;
        rules.retain(|_| {
            i += 1;
            i <= n
        });
        let engine = Engine::new(rules);
        group.bench_with_input(BenchmarkId::from_parameter(n), &data, |b, d| {
            b.iter(|| engine.scan(d))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = throughput, scaling
}
criterion_main!(benches);
