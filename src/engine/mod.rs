//! The detection engine: bytes in, matches out. No I/O, no paths, no printing.
//! `prefilter` finds keyword occurrences, `matcher` runs the rules' regexes around them and
//! checks each captured secret (`placeholder`, `entropy`, `validate`, `generic`); this module
//! ties them together and resolves overlaps (a provider rule beats the generic detector on the
//! same secret).

pub mod entropy;
pub mod generic;
pub mod matcher;
pub mod placeholder;
pub mod prefilter;
pub mod validate;

use crate::rules::RuleSet;
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
}

impl Engine {
    pub fn new(rules: RuleSet) -> Engine {
        let prefilter = Prefilter::new(rules.rules().iter().map(|r| r.spec.keywords.as_slice()));
        Engine { rules, prefilter }
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// All matches in `hay`, sorted by position, at most one per (rule, span).
    pub fn scan(&self, hay: &[u8]) -> Vec<Match> {
        let rules = self.rules.rules();
        let mut windows: Vec<Window> = Vec::new();
        // Consecutive hits often sit on one line: compute its window once.
        let mut last: Option<((usize, usize), (usize, usize))> = None;
        self.prefilter.for_each_hit(hay, |s, e, hit_rules| {
            let line = match last {
                Some(((ls, le), window)) if ls <= s && e <= le => window,
                _ => {
                    let (own, window) = matcher::line_window(hay, s, e);
                    last = Some((own, window));
                    window
                }
            };
            for &r in hit_rules {
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
        });
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
        self.drop_fallback_overlaps(&mut matches, vetoed);
        matches
    }

    /// Removes fallback (generic) matches that overlap a provider rule's match, or a
    /// provider-shaped value its rule rejected (`vetoed`).
    fn drop_fallback_overlaps(&self, matches: &mut Vec<Match>, mut vetoed: Vec<(usize, usize)>) {
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
        specific.sort_unstable();
        let mut max_end = Vec::with_capacity(specific.len());
        let mut running = 0;
        for &(_, end) in &specific {
            running = running.max(end);
            max_end.push(running);
        }
        let overlapped: Vec<bool> = matches
            .iter()
            .map(|g| {
                if !is_fallback(g) {
                    return false;
                }
                let k = specific.partition_point(|&(start, _)| start < g.end);
                k > 0 && max_end[k - 1] > g.start
            })
            .collect();
        let mut i = 0;
        matches.retain(|_| {
            i += 1;
            !overlapped[i - 1]
        });
    }
}
