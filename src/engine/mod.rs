//! The detection engine: bytes in, matches out. No I/O, no paths, no printing.
//! `prefilter` finds keyword occurrences, `matcher` runs the rules' regexes around them and
//! checks each captured secret (`placeholder`, `entropy`, `validate`, `generic`); this module
//! ties them together and resolves overlaps (a provider rule beats the generic detector on the
//! same secret).

pub mod entropy;
pub mod generic;
pub mod matcher;
pub mod paths;
pub mod placeholder;
pub mod prefilter;
pub mod structure;
pub mod validate;

use crate::rules::{Region, RuleSet};
use matcher::Window;
use prefilter::Prefilter;

/// One secret found by one rule: byte offsets of the `secret` group in the scanned content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub rule: usize,
}

/// Compiled rules plus their keyword automaton. Build once, share across threads.
pub struct Engine {
    rules: RuleSet,
    prefilter: Prefilter,
    /// The keywords of rules limited to some paths, searched only in those files.
    path_prefilter: Option<Prefilter>,
    /// Type prefixes of provider tokens (`ghp_`, `sntrys_`, `xoxb-`): a fallback match whose
    /// value starts with one is a malformed provider token, not a generic secret.
    provider_prefixes: Vec<Vec<u8>>,
    /// Rules with `contextual = true`, and rules limited by `paths`.
    contextual: Vec<usize>,
    path_limited: Vec<usize>,
    /// Report matches of `client_safe` rules (publishable keys). Off by default: they still
    /// run, so a publishable key is never reported as a generic secret, but are not findings.
    report_client_safe: bool,
}

impl Engine {
    pub fn new(rules: RuleSet) -> Engine {
        let none: &[String] = &[];
        let prefilter = Prefilter::new(rules.rules().iter().map(|r| {
            if r.paths.is_some() {
                none
            } else {
                r.spec.keywords.as_slice()
            }
        }));
        let path_prefilter = rules.rules().iter().any(|r| r.paths.is_some()).then(|| {
            Prefilter::new(rules.rules().iter().map(|r| {
                if r.paths.is_some() {
                    r.spec.keywords.as_slice()
                } else {
                    none
                }
            }))
        });
        let mut provider_prefixes: Vec<Vec<u8>> = rules
            .rules()
            .iter()
            .filter(|r| !r.fallback)
            .flat_map(|r| r.spec.keywords.iter())
            .filter(|k| {
                k.len() >= 4
                    && k.ends_with(['_', '-'])
                    && k.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            })
            .map(|k| k.as_bytes().to_vec())
            .collect();
        provider_prefixes.sort();
        provider_prefixes.dedup();
        let contextual = (0..rules.len())
            .filter(|&i| rules.rules()[i].spec.contextual)
            .collect();
        let path_limited = (0..rules.len())
            .filter(|&i| rules.rules()[i].paths.is_some())
            .collect();
        Engine {
            rules,
            prefilter,
            path_prefilter,
            provider_prefixes,
            contextual,
            path_limited,
            report_client_safe: false,
        }
    }

    /// Also report keys that are public by design (`client_safe` rules): inventories of
    /// publishable keys, and the rules' own self-tests.
    pub fn report_client_safe(mut self, yes: bool) -> Engine {
        self.report_client_safe = yes;
        self
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// All matches in `hay` (content of unknown path), sorted by position, at most one per
    /// (rule, span). Rules limited to some paths do not run.
    pub fn scan(&self, hay: &[u8]) -> Vec<Match> {
        self.scan_path(hay, "")
    }

    /// Which rules may run on a file at `path`: rules limited to other paths do not, and
    /// contextual rules do not run in generated or vendored files.
    fn blocked_rules(&self, path: &str) -> Vec<bool> {
        let mut blocked = vec![false; self.rules.len()];
        if paths::is_generated(path) {
            for &r in &self.contextual {
                blocked[r] = true;
            }
        }
        for &r in &self.path_limited {
            let limit = self.rules.rules()[r].paths.as_ref();
            if path.is_empty() || !limit.is_some_and(|re| re.is_match(path)) {
                blocked[r] = true;
            }
        }
        blocked
    }

    /// All matches in `hay`, the content of the file at `path` (slash-separated, relative to
    /// the scan root), sorted by position, at most one per (rule, span).
    pub fn scan_path(&self, hay: &[u8], path: &str) -> Vec<Match> {
        let rules = self.rules.rules();
        let blocked = self.blocked_rules(path);
        // Rules limited to a structural region: which saw a keyword.
        let mut region_hits: Vec<u32> = Vec::new();
        let mut windows: Vec<Window> = Vec::new();
        // Consecutive hits often sit on one line: compute its window once.
        let mut last: Option<((usize, usize), (usize, usize))> = None;
        let mut on_hit = |s: usize, e: usize, hit_rules: &[u32]| {
            if hit_rules.iter().all(|&r| blocked[r as usize]) {
                return;
            }
            let line = match last {
                Some(((ls, le), window)) if ls <= s && e <= le => window,
                _ => {
                    let (own, window) = matcher::line_window(hay, s, e);
                    last = Some((own, window));
                    window
                }
            };
            for &r in hit_rules {
                if blocked[r as usize] {
                    continue;
                }
                if rules[r as usize].spec.region.is_some() {
                    region_hits.push(r);
                    continue;
                }
                let (start, end) = if rules[r as usize].spec.multiline {
                    matcher::multiline_window(hay, s)
                } else {
                    line
                };
                windows.push(Window {
                    rule: r,
                    start,
                    end,
                });
            }
        };
        self.prefilter.for_each_hit(hay, &mut on_hit);
        // Keywords of path-limited rules (`.tf`, Dockerfile, nuget.config...) are searched only
        // in files where one of those rules may run.
        if let Some(pf) = &self.path_prefilter {
            if self.path_limited.iter().any(|&r| !blocked[r]) {
                pf.for_each_hit(hay, &mut on_hit);
            }
        }
        if !region_hits.is_empty() {
            region_hits.sort_unstable();
            region_hits.dedup();
            let mut k8s: Option<Vec<(usize, usize)>> = None;
            for &r in &region_hits {
                let spans = match rules[r as usize].spec.region {
                    Some(Region::KubernetesSecretData) => {
                        k8s.get_or_insert_with(|| structure::kubernetes_secret_data(hay))
                    }
                    None => continue,
                };
                windows.extend(spans.iter().map(|&(start, end)| Window {
                    rule: r,
                    start,
                    end,
                }));
            }
        }
        if windows.is_empty() {
            return Vec::new();
        }
        matcher::merge(&mut windows);
        let mut matches = Vec::new();
        let mut vetoed = Vec::new();
        for w in &windows {
            let rule = &rules[w.rule as usize];
            matcher::run_window(rule, w.rule, hay, *w, &mut matches, &mut vetoed);
        }
        matches.sort_unstable();
        matches.dedup();
        self.drop_fallback_overlaps(hay, &mut matches, vetoed);
        self.drop_lower_priority_overlaps(&mut matches);
        if !self.report_client_safe {
            matches.retain(|m| !rules[m.rule].spec.client_safe);
        }
        matches
    }

    /// Removes provider matches that overlap a match of a higher-`priority` rule.
    fn drop_lower_priority_overlaps(&self, matches: &mut Vec<Match>) {
        let rules = self.rules.rules();
        let prio = |m: &Match| rules[m.rule].spec.priority;
        let Some(top) = matches.iter().map(prio).max() else {
            return;
        };
        if matches.iter().all(|m| prio(m) == top) {
            return;
        }
        let mut levels: Vec<i32> = matches.iter().map(prio).collect();
        levels.sort_unstable();
        levels.dedup();
        // From the highest level down: spans kept so far beat every lower level.
        let mut winners: Vec<(usize, usize)> = Vec::new();
        let mut dropped = vec![false; matches.len()];
        for &level in levels.iter().rev() {
            let index = SpanIndex::new(winners.clone());
            for (i, m) in matches.iter().enumerate() {
                if prio(m) != level {
                    continue;
                }
                if index.overlaps(m.start, m.end) {
                    dropped[i] = true;
                } else {
                    winners.push((m.start, m.end));
                }
            }
        }
        let mut i = 0;
        matches.retain(|_| {
            i += 1;
            !dropped[i - 1]
        });
    }

    /// Removes fallback (generic) matches that overlap a provider rule's match, or a
    /// provider-shaped value its rule rejected (`vetoed`).
    fn drop_fallback_overlaps(
        &self,
        hay: &[u8],
        matches: &mut Vec<Match>,
        mut vetoed: Vec<(usize, usize)>,
    ) {
        let rules = self.rules.rules();
        let is_fallback = |m: &Match| rules[m.rule].fallback;
        if !matches.iter().any(is_fallback) {
            return;
        }
        let mut specific: Vec<(usize, usize)> = matches
            .iter()
            .filter(|m| !is_fallback(m))
            .map(|m| (m.start, m.end))
            .collect();
        specific.append(&mut vetoed);
        let specific = SpanIndex::new(specific);
        let overlapped: Vec<bool> = matches
            .iter()
            .map(|g| {
                if !is_fallback(g) {
                    return false;
                }
                let value = &hay[g.start..g.end];
                if self.provider_prefixes.iter().any(|p| value.starts_with(p)) {
                    return true;
                }
                specific.overlaps(g.start, g.end)
            })
            .collect();
        let mut i = 0;
        matches.retain(|_| {
            i += 1;
            !overlapped[i - 1]
        });
    }
}

/// Byte spans sorted by start, with the running maximum end: answers "does any span overlap
/// `start..end`?" in O(log n).
struct SpanIndex {
    spans: Vec<(usize, usize)>,
    max_end: Vec<usize>,
}

impl SpanIndex {
    fn new(mut spans: Vec<(usize, usize)>) -> SpanIndex {
        spans.sort_unstable();
        let max_end = spans
            .iter()
            .scan(0, |running, &(_, end)| {
                *running = end.max(*running);
                Some(*running)
            })
            .collect();
        SpanIndex { spans, max_end }
    }

    fn overlaps(&self, start: usize, end: usize) -> bool {
        let k = self.spans.partition_point(|&(s, _)| s < end);
        k > 0 && self.max_end[k - 1] > start
    }
}
