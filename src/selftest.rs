//! Rules that test themselves: runs every `match` and `no_match` example of a rule set through
//! the whole engine (prefilter, windows, regex, checks, overlap resolution) under the rule's
//! example path. Used by `keyhound rules check` and by `cargo test`.

use crate::engine::Engine;
use crate::findings;
use crate::source::{Content, Origin};

/// Path examples are scanned under when a rule names none.
pub const DEFAULT_EXAMPLE_PATH: &str = "example.txt";

/// One example that did not behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub rule_id: String,
    /// `true` for a `match` example that was not found, `false` for a `no_match` one reported.
    pub expected_match: bool,
    pub example: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.expected_match {
            "match example not found"
        } else {
            "no_match example reported"
        };
        write!(f, "{}: {what}: {:?}", self.rule_id, self.example)
    }
}

/// Rule ids of the findings in `text` scanned as the file `path`.
pub fn rule_ids_found(engine: &Engine, text: &str, path: &str) -> Vec<String> {
    let content = Content {
        bytes: text.as_bytes(),
        origin: Origin { path: path.into() },
    };
    let matches = engine.scan_path(content.bytes, path);
    findings::from_matches(engine.rules(), &content, &matches)
        .into_iter()
        .map(|f| f.rule_id)
        .collect()
}

/// Checks the examples of every rule for which `select` is true; returns how many examples
/// were checked and the failures. Build `engine` with `report_client_safe(true)` so the
/// examples of publishable-key rules are checked too.
pub fn check(engine: &Engine, mut select: impl FnMut(&str) -> bool) -> (usize, Vec<Failure>) {
    let mut checked = 0;
    let mut failures = Vec::new();
    for rule in engine.rules().rules() {
        let id = &rule.spec.id;
        if !select(id) {
            continue;
        }
        let ex = &rule.spec.examples;
        let path = ex.path.as_deref().unwrap_or(DEFAULT_EXAMPLE_PATH);
        for (expected_match, list) in [(true, &ex.positive), (false, &ex.no_match)] {
            for example in list {
                checked += 1;
                let found = rule_ids_found(engine, example, path).contains(id);
                if found != expected_match {
                    failures.push(Failure {
                        rule_id: id.clone(),
                        expected_match,
                        example: example.clone(),
                    });
                }
            }
        }
    }
    (checked, failures)
}
