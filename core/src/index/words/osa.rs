//! Bounded optimal-string-alignment distance to one target, a character at a time: the
//! typo scan's automaton (Wu and Manber's bit-parallel NFA, with a term for swapped
//! neighbours).
//!
//! [`State`] after the first `d` characters of a word holds, for each number of edits
//! `i ≤ max`, the set of target prefixes within `i` edits of those characters: bit `j` of
//! `within[i]` is set exactly when the OSA distance (insert, delete, substitute, swap two
//! neighbours; in characters) between the word's first `d` characters and the target's first
//! `j` is at most `i`. Invariants: `within[i - 1] ⊆ within[i]`, and no bit above the target's
//! length is set. A state whose `within[max]` is empty is dead: no word starting with those
//! characters is within `max` edits, whatever follows. A step costs a few word operations
//! per edit allowed, where a row of the dynamic program costs a loop over its band.

/// Most edits the automaton tracks.
pub const MAX_EDITS: usize = 2;

/// Longest target, in characters: bit `j` of a `u64` stands for the target's first `j`.
pub const MAX_TARGET: usize = 63;

/// What the automaton knows after some characters of a word (see the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// `within[i]`: the target prefixes within `i` edits.
    within: [u64; MAX_EDITS + 1],
    /// The target positions (bit `j`: character `j`, counted from 1) holding the character
    /// that led to this state; 0 for the start.
    at: u64,
}

/// The automaton for one target and bound.
#[derive(Clone, Debug)]
pub struct Osa {
    /// Edits allowed, at most [`MAX_EDITS`].
    max: usize,
    /// The target's length in characters, at most [`MAX_TARGET`].
    len: usize,
    /// Bits 0 to `len`.
    mask: u64,
    /// Per ASCII character, the target positions holding it (bit `j`: character `j`, from 1).
    ascii: [u64; 128],
    /// The same for the target's other characters.
    other: Vec<(char, u64)>,
    /// The target's characters: `chars[j - 1]` is character `j` (see [`Osa::next_alive`]).
    chars: Vec<char>,
}

impl Osa {
    /// The automaton for words within `max` (at most [`MAX_EDITS`]) edits of `target`; `None`
    /// when the target is longer than [`MAX_TARGET`] characters or `max` is too large.
    pub fn new(target: &str, max: u32) -> Option<Self> {
        let max = usize::try_from(max).ok().filter(|&m| m <= MAX_EDITS)?;
        let mut ascii = [0u64; 128];
        let mut other: Vec<(char, u64)> = Vec::new();
        let mut len = 0;
        for c in target.chars() {
            len += 1;
            if len > MAX_TARGET {
                return None;
            }
            let bit = 1u64 << len;
            match ascii.get_mut(c as usize) {
                Some(m) => *m |= bit,
                None => match other.iter_mut().find(|(x, _)| *x == c) {
                    Some((_, m)) => *m |= bit,
                    None => other.push((c, bit)),
                },
            }
        }
        let chars: Vec<char> = target.chars().collect();
        Some(Self { max, len, mask: u64::MAX >> (MAX_TARGET - len), ascii, other, chars })
    }

    /// The state before any character: the target's first `j` characters are `j` deletions
    /// away.
    pub fn start(&self) -> State {
        let mut within = [0u64; MAX_EDITS + 1];
        for (i, w) in within.iter_mut().enumerate().take(self.max + 1) {
            *w = (u64::MAX >> (MAX_TARGET - i)) & self.mask;
        }
        State { within, at: 0 }
    }

    /// The state after character `c`, from the state before it (`prev`) and the one before
    /// that (`prev2`, from the word's second character on).
    #[inline(always)]
    pub fn step(&self, prev: &State, prev2: Option<&State>, c: char) -> State {
        let at = match self.ascii.get(c as usize) {
            Some(&m) => m,
            None => self.other.iter().find(|(x, _)| *x == c).map_or(0, |&(_, m)| m),
        };
        let mut within = [0u64; MAX_EDITS + 1];
        for i in 0..=self.max {
            // Character `c` matches target character `j` after `j - 1` within `i`.
            let mut w = (prev.within[i] << 1) & at;
            if i > 0 {
                let fewer = prev.within[i - 1];
                // Deleted (which also keeps bit 0: the word's first characters all deleted),
                // substituted, or the target's character inserted before it.
                w |= fewer | (fewer << 1) | (within[i - 1] << 1);
                if let Some(p2) = prev2 {
                    // Swapped with the character before: `c` is target character j − 1 and
                    // the one before is character j.
                    w |= (p2.within[i - 1] << 2) & (at << 1) & prev.at;
                }
            }
            within[i] = w & self.mask;
        }
        State { within, at }
    }

    /// No word that starts with the characters that led to `s` is within the bound.
    pub fn dead(&self, s: &State) -> bool {
        s.within[self.max] == 0
    }

    /// The least character after `after` that keeps the state after `prev` (and `prev2`, as
    /// for [`Osa::step`]) alive, if any. A scan that finds a prefix dead seeks to the prefix's
    /// parent followed by it instead of trying each sibling in turn.
    ///
    /// When `prev` has a prefix within `max - 1` edits every character keeps it alive (as a
    /// substitution), and the next character is the answer. Otherwise no prefix is within
    /// fewer than `max` edits (the sets are nested), every term of [`Osa::step`] that does not
    /// involve the character is empty, and the character keeps the state alive exactly when it
    /// is the target's character at a position in `q`: a match after a prefix within `max`
    /// (`prev.within[max] << 1`), or the first of a swapped pair (`(prev2.within[max - 1] <<
    /// 2) & prev.at`, one position back; the swaps of lower levels are among these). The
    /// answer is the least such character after `after`: no stepping, a pass over the set
    /// bits of `q`.
    pub fn next_alive(&self, prev: &State, prev2: Option<&State>, after: char) -> Option<char> {
        if self.max > 0 && prev.within[self.max - 1] != 0 {
            return char::from_u32(after as u32 + 1).or_else(|| char::from_u32(0xE000).filter(|&c| c > after));
        }
        let mut q = prev.within[self.max] << 1;
        if let (true, Some(p2)) = (self.max > 0, prev2) {
            q |= ((p2.within[self.max - 1] << 2) & prev.at) >> 1;
        }
        q &= self.mask & !1;
        let mut best: Option<char> = None;
        while q != 0 {
            let j = q.trailing_zeros() as usize;
            q &= q - 1;
            if let Some(&c) = self.chars.get(j - 1) {
                if c > after && best.is_none_or(|b| c < b) {
                    best = Some(c);
                }
            }
        }
        best
    }

    /// The distance of the characters that led to `s` to the whole target, if within the
    /// bound.
    pub fn distance(&self, s: &State) -> Option<u32> {
        (0..=self.max).find(|&i| s.within[i] >> self.len & 1 != 0).map(|i| i as u32)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::index::words::tests::osa;

    /// Runs the automaton over `word`: the distance, and the depth at which it died.
    fn run(a: &Osa, word: &str) -> (Option<u32>, Option<usize>) {
        let mut states = vec![a.start()];
        for (d, c) in word.chars().enumerate() {
            let next = a.step(&states[d], d.checked_sub(1).map(|p| &states[p]), c);
            states.push(next);
            if a.dead(&next) {
                return (None, Some(d + 1));
            }
        }
        (a.distance(states.last().unwrap()), None)
    }

    proptest::proptest! {
        /// The distance is the plain one whenever it is within the bound, and a state dies
        /// only when every word starting like it is beyond the bound (the prefix's distance to
        /// every prefix of the target exceeds it).
        #[test]
        fn distance_is_plain_osa_within_the_bound(
            word in "[abcé€𝔸]{0,9}",
            target in "[abcé€𝔸]{0,9}",
            max in 0u32..=2,
        ) {
            let a = Osa::new(&target, max).unwrap();
            let (got, died) = run(&a, &word);
            let want = osa(&word, &target);
            match died {
                None => proptest::prop_assert_eq!(got, Some(want as u32).filter(|&d| d <= max)),
                Some(d) => {
                    let prefix: String = word.chars().take(d).collect();
                    let t: Vec<char> = target.chars().collect();
                    for j in 0..=t.len() {
                        let tp: String = t[..j].iter().collect();
                        proptest::prop_assert!(osa(&prefix, &tp) > max as usize, "{prefix} vs {tp}");
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// `next_alive` is the least live character after a dead one among the target's
        /// characters and others (ASCII, two-, three- and four-byte ones, the last character).
        #[test]
        fn next_alive_is_the_least_live_character_after(
            word in "[abcé€𝔸]{0,7}",
            target in "[abcé€𝔸]{0,7}",
            max in 0u32..=2,
        ) {
            let a = Osa::new(&target, max).unwrap();
            let mut states = vec![a.start()];
            for c in word.chars() {
                let d = states.len();
                let next = a.step(&states[d - 1], d.checked_sub(2).map(|p| &states[p]), c);
                if a.dead(&next) {
                    break;
                }
                states.push(next);
            }
            let d = states.len();
            let (prev, prev2) = (&states[d - 1], d.checked_sub(2).map(|p| &states[p]));
            let mut universe: Vec<char> = "0Aabcdzé€𝔸\u{e000}\u{10ffff}".chars().collect();
            universe.sort_unstable();
            for &x in &universe {
                if !a.dead(&a.step(prev, prev2, x)) {
                    continue;
                }
                let want = universe.iter().copied().find(|&y| y > x && !a.dead(&a.step(prev, prev2, y)));
                proptest::prop_assert_eq!(a.next_alive(prev, prev2, x), want, "{} after {}", word, x);
            }
        }
    }

    #[test]
    fn limits() {
        assert!(Osa::new(&"a".repeat(MAX_TARGET), 2).is_some());
        assert!(Osa::new(&"a".repeat(MAX_TARGET + 1), 2).is_none());
        assert!(Osa::new("abc", 3).is_none());
        let long = "é".repeat(MAX_TARGET);
        let a = Osa::new(&long, 2).unwrap();
        assert_eq!(run(&a, &long), (Some(0), None));
        assert_eq!(run(&a, &"é".repeat(MAX_TARGET - 2)), (Some(2), None));
        assert_eq!(run(&a, &"é".repeat(MAX_TARGET + 2)), (Some(2), None));
        assert_eq!(run(&a, &format!("ab{}", &long[4..])).0, Some(2));
        assert_eq!(run(&a, "x").0, None);
    }
}
