//! The keyword prefilter: one Aho-Corasick automaton over every rule's keywords, matched ASCII
//! case-insensitively, reporting each occurrence with the rules that asked for that keyword.
//! It decides where regexes run; it never decides what is a secret.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

pub struct Prefilter {
    automaton: AhoCorasick,
    /// For each automaton pattern, the indices of the rules that listed it.
    pattern_rules: Vec<Vec<u32>>,
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
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .or_else(|_| {
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
            })
            .expect("keyword automaton");
        Prefilter {
            automaton,
            pattern_rules,
        }
    }

    /// Calls `hit(start, end, rules)` for every keyword occurrence, overlapping ones included.
    #[inline]
    pub fn for_each_hit(&self, haystack: &[u8], mut hit: impl FnMut(usize, usize, &[u32])) {
        for m in self.automaton.find_overlapping_iter(haystack) {
            hit(
                m.start(),
                m.end(),
                &self.pattern_rules[m.pattern().as_usize()],
            );
        }
    }
}
