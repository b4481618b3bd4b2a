//! The keyword prefilter: one Aho-Corasick automaton over every rule's keywords, matched ASCII
//! case-insensitively, reporting each occurrence with the rules that asked for that keyword.
//! It decides where regexes run; it never decides what is a secret.
//!
//! Walking a DFA is a chain of dependent table loads, one per byte, so a single walk is bound
//! by memory latency, not bandwidth. The automaton built by `aho-corasick` is therefore copied
//! into a dense table (256 columns, state ids pre-multiplied, match states numbered last) and
//! large inputs are cut into four overlapping lanes walked in lock-step: four independent
//! chains keep the core busy and halve the time per byte. Each lane reports only the keyword
//! ends that fall in its own quarter, and lanes are reported in order, so hits arrive sorted
//! by end position exactly as an overlapping search would give them.

use aho_corasick::automaton::Automaton;
use aho_corasick::{dfa::DFA, AhoCorasick, Anchored, MatchKind};

/// Above this many DFA states the dense table (1 KiB per state) is not worth its memory and
/// the ordinary overlapping search is used.
const MAX_DENSE_STATES: usize = 16_384;
/// Inputs shorter than this are walked in one lane.
const MIN_LANED_LEN: usize = 2048;
const LANES: usize = 4;

pub struct Prefilter {
    search: Search,
    /// For each automaton pattern, the indices of the rules that listed it.
    pattern_rules: Vec<Vec<u32>>,
    /// Length in bytes of each pattern.
    pattern_len: Vec<u32>,
}

enum Search {
    Dense(Dense),
    Fallback(AhoCorasick),
}

struct Dense {
    /// `table[state + byte]` is the next state; states are multiplied by 256.
    table: Vec<u32>,
    start: u32,
    /// States at or above this value are match states.
    first_match: u32,
    /// For match state `first_match + 256 * k`, the patterns ending there are
    /// `match_patterns[match_ranges[k].0 .. match_ranges[k].1]`.
    match_ranges: Vec<(u32, u32)>,
    match_patterns: Vec<u32>,
    /// Longest pattern length minus one: how far a lane starts before its quarter.
    overlap: usize,
}

impl Prefilter {
    /// `keywords[i]` are rule `i`'s keywords.
    pub fn new<'a>(keywords: impl IntoIterator<Item = &'a [String]>) -> Prefilter {
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_rules: Vec<Vec<u32>> = Vec::new();
        for (rule, kws) in keywords.into_iter().enumerate() {
            for kw in kws {
                let kw = kw.to_ascii_lowercase();
                let idx = match patterns.iter().position(|p| *p == kw) {
                    Some(i) => i,
                    None => {
                        patterns.push(kw);
                        pattern_rules.push(Vec::new());
                        patterns.len() - 1
                    }
                };
                if !pattern_rules[idx].contains(&(rule as u32)) {
                    pattern_rules[idx].push(rule as u32);
                }
            }
        }
        let pattern_len = patterns.iter().map(|p| p.len() as u32).collect();
        let search = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .ok()
            .and_then(|dfa| Dense::from_dfa(&dfa, &patterns))
            .map(Search::Dense)
            .unwrap_or_else(|| {
                Search::Fallback(
                    AhoCorasick::builder()
                        .ascii_case_insensitive(true)
                        .match_kind(MatchKind::Standard)
                        .build(&patterns)
                        .expect("keyword automaton"),
                )
            });
        Prefilter {
            search,
            pattern_rules,
            pattern_len,
        }
    }

    /// Calls `hit(start, end, rules)` for every keyword occurrence, overlapping ones included,
    /// in order of end position.
    #[inline]
    pub fn for_each_hit(&self, haystack: &[u8], mut hit: impl FnMut(usize, usize, &[u32])) {
        match &self.search {
            Search::Fallback(ac) => {
                for m in ac.find_overlapping_iter(haystack) {
                    hit(
                        m.start(),
                        m.end(),
                        &self.pattern_rules[m.pattern().as_usize()],
                    );
                }
            }
            Search::Dense(d) => d.for_each_match(haystack, |end, state| {
                for &p in d.patterns_of(state) {
                    let len = self.pattern_len[p as usize] as usize;
                    hit(end - len, end, &self.pattern_rules[p as usize]);
                }
            }),
        }
    }
}

impl Dense {
    fn from_dfa(dfa: &DFA, patterns: &[String]) -> Option<Dense> {
        let start = dfa.start_state(Anchored::No).ok()?;
        // Breadth-first numbering of the states reachable from the start state. `index` maps
        // a DFA state id (a small integer) to its number plus one (0: not seen yet).
        let mut order = vec![start];
        let mut index: Vec<u32> = Vec::new();
        let slot = |index: &mut Vec<u32>, k: usize| -> usize {
            if k >= index.len() {
                index.resize(k + 1, 0);
            }
            k
        };
        let k = slot(&mut index, start.as_usize());
        index[k] = 1;
        let mut next: Vec<u32> = Vec::new();
        let mut i = 0;
        while i < order.len() {
            let sid = order[i];
            i += 1;
            for b in 0..=255u8 {
                let to = dfa.next_state(Anchored::No, sid, b);
                let k = slot(&mut index, to.as_usize());
                if index[k] == 0 {
                    order.push(to);
                    if order.len() > MAX_DENSE_STATES {
                        return None;
                    }
                    index[k] = order.len() as u32;
                }
                next.push(index[k] - 1);
            }
        }
        // Renumber: non-match states first, match states after.
        let mut new_id = vec![0u32; order.len()];
        let mut k = 0u32;
        for pass_match in [false, true] {
            for (j, &sid) in order.iter().enumerate() {
                if dfa.is_match(sid) == pass_match {
                    new_id[j] = k;
                    k += 1;
                }
            }
        }
        let first_match_index = order.iter().filter(|&&s| !dfa.is_match(s)).count() as u32;
        let mut table = vec![0u32; order.len() * 256];
        let mut match_ranges = vec![(0, 0); order.len() - first_match_index as usize];
        let mut match_patterns = Vec::new();
        for (j, &sid) in order.iter().enumerate() {
            let row = new_id[j] as usize * 256;
            for b in 0..256 {
                table[row + b] = new_id[next[j * 256 + b] as usize] * 256;
            }
            if dfa.is_match(sid) {
                let from = match_patterns.len() as u32;
                for m in 0..dfa.match_len(sid) {
                    match_patterns.push(dfa.match_pattern(sid, m).as_u32());
                }
                match_ranges[(new_id[j] - first_match_index) as usize] =
                    (from, match_patterns.len() as u32);
            }
        }
        let longest = patterns.iter().map(|p| p.len()).max().unwrap_or(1);
        Some(Dense {
            table,
            start: new_id[0] * 256,
            first_match: first_match_index * 256,
            match_ranges,
            match_patterns,
            overlap: longest.saturating_sub(1),
        })
    }

    #[inline]
    fn patterns_of(&self, state: u32) -> &[u32] {
        let (a, b) = self.match_ranges[((state - self.first_match) / 256) as usize];
        &self.match_patterns[a as usize..b as usize]
    }

    #[inline(always)]
    fn step(&self, state: u32, byte: u8) -> u32 {
        // In bounds: states are multiples of 256 below table.len().
        debug_assert!((state as usize + byte as usize) < self.table.len());
        unsafe { *self.table.get_unchecked(state as usize + byte as usize) }
    }

    /// Calls `f(end, state)` for each position where the walk is in a match state, `end`
    /// being one past the byte just read, in increasing order of `end`.
    fn for_each_match(&self, hay: &[u8], mut f: impl FnMut(usize, u32)) {
        let quarter = hay.len() / LANES;
        if hay.len() < MIN_LANED_LEN || quarter <= self.overlap {
            let mut s = self.start;
            for (p, &b) in hay.iter().enumerate() {
                s = self.step(s, b);
                if s >= self.first_match {
                    f(p + 1, s);
                }
            }
            return;
        }
        // Lane `l` owns the ends in [l*quarter, (l+1)*quarter) (the last lane: to the end) and
        // starts `overlap` bytes early so that its state is exact when its quarter begins.
        let ov = self.overlap;
        let mut begin = [0usize; LANES];
        for (l, b) in begin.iter_mut().enumerate().skip(1) {
            *b = l * quarter - ov;
        }
        let mut state = [self.start; LANES];
        let mut found: [Vec<(usize, u32)>; LANES] = Default::default();
        let steps = quarter + ov;
        for i in 0..steps {
            for l in 0..LANES {
                // begin[l] + i < (l + 1) * quarter + ov <= hay.len() for every lane.
                let b = unsafe { *hay.get_unchecked(begin[l] + i) };
                state[l] = self.step(state[l], b);
            }
            if state.iter().any(|&s| s >= self.first_match) {
                for l in 0..LANES {
                    if state[l] >= self.first_match {
                        let p = begin[l] + i;
                        let own = if l == 0 {
                            p < quarter
                        } else {
                            p >= l * quarter
                        };
                        if own {
                            found[l].push((p + 1, state[l]));
                        }
                    }
                }
            }
        }
        let last = LANES - 1;
        let mut s = state[last];
        let tail = begin[last] + steps;
        for (p, &b) in hay.iter().enumerate().skip(tail) {
            s = self.step(s, b);
            if s >= self.first_match {
                found[last].push((p + 1, s));
            }
        }
        for lane in &found {
            for &(end, s) in lane {
                f(end, s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(pf: &Prefilter, hay: &[u8]) -> Vec<(usize, usize, Vec<u32>)> {
        let mut v = Vec::new();
        pf.for_each_hit(hay, |s, e, r| v.push((s, e, r.to_vec())));
        v
    }

    fn reference(kws: &[String], hay: &[u8]) -> Vec<(usize, usize)> {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(kws)
            .unwrap();
        ac.find_overlapping_iter(hay)
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    #[test]
    fn dense_lanes_agree_with_overlapping_search() {
        let kws: Vec<String> = [
            "secret",
            "client_secret",
            "ghp_",
            "xoxb-",
            "env",
            "://",
            "a",
            "key",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let per_rule: Vec<Vec<String>> = kws.iter().map(|k| vec![k.clone()]).collect();
        let pf = Prefilter::new(per_rule.iter().map(|v| v.as_slice()));
        assert!(matches!(pf.search, Search::Dense(_)));
        // Deterministic pseudo-random haystacks mixing keywords (in any case) and noise, of
        // lengths around the lane threshold and with keywords across quarter boundaries.
        let mut x: u64 = 0x9e3779b97f4a7c15;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for len in [0usize, 1, 7, 100, 2047, 2048, 2051, 5000, 65_537] {
            let mut hay = Vec::with_capacity(len + 16);
            while hay.len() < len {
                if rnd() % 5 == 0 {
                    let k = &kws[(rnd() % kws.len() as u64) as usize];
                    for c in k.bytes() {
                        hay.push(if rnd() % 2 == 0 {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        });
                    }
                } else {
                    hay.push(b" _-:/abcdeknstvy"[(rnd() % 16) as usize]);
                }
            }
            hay.truncate(len);
            let got: Vec<(usize, usize)> = hits(&pf, &hay).iter().map(|h| (h.0, h.1)).collect();
            let mut want = reference(&kws, &hay);
            // Same set; ours is ordered by end, then by pattern.
            let mut got_sorted = got.clone();
            got_sorted.sort();
            want.sort();
            assert_eq!(got_sorted, want, "len {len}");
            assert!(
                got.windows(2).all(|w| w[0].1 <= w[1].1),
                "sorted by end, len {len}"
            );
        }
    }

    #[test]
    fn hits_carry_every_rule_that_listed_the_keyword() {
        let rules = [
            vec!["Token".to_string()],
            vec!["token".to_string(), "api".to_string()],
        ];
        let pf = Prefilter::new(rules.iter().map(|v| v.as_slice()));
        let h = hits(&pf, b"x TOKEN y");
        assert_eq!(h, vec![(2, 7, vec![0, 1])]);
    }
}
