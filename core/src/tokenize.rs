//! The one tokenizer: the index builder and the query side both call it, so a word is always
//! reduced to the same term.
//!
//! Normalization, per character: Unicode compatibility decomposition (NFKD), combining marks
//! dropped (so "Poincaré" = "Poincare"), lowercase. Words are runs of letters and digits; runs
//! joined by `-`, `_`, `/` or `'` form a *compound* ("SQ-GAN", "Local-global").
//!
//! Invariants:
//! - In [`Mode::Index`] a compound yields each part *and* the parts joined ("sq", "gan",
//!   "sqgan"), so "SQ-GAN", "SQGAN" and "sq gan" all find it.
//! - In [`Mode::Query`] a compound yields only the joined form, which every indexed spelling of
//!   it contains; a plain word yields itself. Hence every query term of a text is an index term
//!   of the same text (no false negatives from tokenization).
//! - Stop words and one-letter words (but not digits) are dropped on both sides; terms are cut
//!   to [`MAX_TERM_BYTES`] on both sides.
//! - Token offsets are byte offsets into the original text, for excerpts and highlighting.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Longest term kept, in bytes (longer runs are cut, identically at build and query time).
pub const MAX_TERM_BYTES: usize = 40;

/// Which side is tokenizing: see the module invariants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Building the index: compounds give their parts and the joined form.
    Index,
    /// Parsing a query: compounds give the joined form only.
    Query,
}

/// One term with the span of original text it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The normalized term.
    pub term: String,
    /// Byte offset of the first character in the original text.
    pub start: usize,
    /// Byte offset just past the last character in the original text.
    pub end: usize,
}

/// English function words that carry no search meaning (kept short on purpose: every word here
/// becomes unsearchable).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "does", "for", "from", "had", "has",
    "have", "in", "into", "is", "it", "its", "of", "on", "or", "our", "so", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "to", "was", "we", "were", "which", "while", "with",
    "within", "would",
];

/// True when `term` (already normalized) is a stop word.
pub fn is_stop_word(term: &str) -> bool {
    STOP_WORDS.binary_search(&term).is_ok()
}

fn keep(term: &str) -> bool {
    let mut chars = term.chars();
    match (chars.next(), chars.next()) {
        (None, _) => false,
        (Some(c), None) => c.is_ascii_digit() || !c.is_alphabetic(),
        _ => !is_stop_word(term),
    }
}

fn push_normalized(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    decompose_compatible(c, |d| {
        if !is_combining_mark(d) && d.is_alphanumeric() {
            out.extend(d.to_lowercase());
        }
    });
}

fn cut(term: &mut String) {
    if term.len() > MAX_TERM_BYTES {
        let mut end = MAX_TERM_BYTES;
        while !term.is_char_boundary(end) {
            end -= 1;
        }
        term.truncate(end);
    }
}

/// Calls `emit` for every token of `text`, in order of appearance (for a compound in index
/// mode: the parts first, then the joined form).
pub fn for_each_token(text: &str, mode: Mode, mut emit: impl FnMut(Token)) {
    let mut parts: Vec<Token> = Vec::new();
    let mut current = String::new();
    let mut start = 0usize;
    let mut in_word = false;
    let mut pending_joiner = false;
    let flush = |parts: &mut Vec<Token>, emit: &mut dyn FnMut(Token)| {
        if parts.is_empty() {
            return;
        }
        let joined_start = parts[0].start;
        let joined_end = parts[parts.len() - 1].end;
        if parts.len() == 1 {
            if let Some(mut t) = parts.pop() {
                cut(&mut t.term);
                if keep(&t.term) {
                    emit(t);
                }
            }
            return;
        }
        let mut joined = String::new();
        for p in parts.iter() {
            joined.push_str(&p.term);
        }
        cut(&mut joined);
        if mode == Mode::Index {
            for mut p in parts.drain(..) {
                cut(&mut p.term);
                if keep(&p.term) {
                    emit(p);
                }
            }
        }
        parts.clear();
        if keep(&joined) {
            emit(Token { term: joined, start: joined_start, end: joined_end });
        }
    };
    let emit_dyn: &mut dyn FnMut(Token) = &mut emit;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if !in_word {
                start = i;
                in_word = true;
                if !pending_joiner {
                    flush(&mut parts, emit_dyn);
                }
                pending_joiner = false;
            }
            push_normalized(c, &mut current);
            continue;
        }
        if is_combining_mark(c) && in_word {
            continue;
        }
        if in_word {
            parts.push(Token { term: std::mem::take(&mut current), start, end: i });
            in_word = false;
        }
        if matches!(c, '-' | '_' | '/' | '\'' | '\u{2019}' | '\u{2010}' | '\u{2011}')
            && !parts.is_empty()
            && !pending_joiner
        {
            pending_joiner = true;
        } else {
            pending_joiner = false;
            flush(&mut parts, emit_dyn);
        }
    }
    if in_word {
        parts.push(Token { term: current, start, end: text.len() });
    }
    flush(&mut parts, emit_dyn);
}

/// All tokens of `text`.
pub fn tokens(text: &str, mode: Mode) -> Vec<Token> {
    let mut out = Vec::new();
    for_each_token(text, mode, |t| out.push(t));
    out
}

/// The terms of `text`, in order, duplicates kept.
pub fn terms(text: &str, mode: Mode) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, mode, |t| out.push(t.term));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn q(s: &str) -> Vec<String> {
        terms(s, Mode::Query)
    }
    fn ix(s: &str) -> Vec<String> {
        terms(s, Mode::Index)
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(ix("Poincaré ResNet"), ["poincare", "resnet"]);
        assert_eq!(q("POINCARE"), ["poincare"]);
    }

    #[test]
    fn compounds_index_parts_and_joined_query_joined() {
        assert_eq!(ix("SQ-GAN"), ["sq", "gan", "sqgan"]);
        assert_eq!(q("SQ-GAN"), ["sqgan"]);
        assert_eq!(q("SQGAN"), ["sqgan"]);
        assert_eq!(ix("Local-global Distillation"), ["local", "global", "localglobal", "distillation"]);
    }

    #[test]
    fn drops_stop_words_and_single_letters_keeps_digits() {
        assert_eq!(ix("a study of the 3 D world"), ["study", "3", "world"]);
        assert_eq!(q("GPT-4V"), ["gpt4v"]);
    }

    #[test]
    fn offsets_point_into_original_text() {
        let text = "Hyp-OC: Poincaré";
        let toks = tokens(text, Mode::Index);
        let last = toks.last().unwrap();
        assert_eq!(&text[last.start..last.end], "Poincaré");
        let joined = toks.iter().find(|t| t.term == "hypoc").unwrap();
        assert_eq!(&text[joined.start..joined.end], "Hyp-OC");
    }

    #[test]
    fn every_query_term_is_an_index_term_of_the_same_text() {
        for text in
            ["FedRE: A Representation-Entanglement Framework", "PC^2 and D2S-VSE", "Ferret's 3.7x", "don't-stop me_now"]
        {
            let index = ix(text);
            for t in q(text) {
                assert!(index.contains(&t), "{t} from {text:?} not in {index:?}");
            }
        }
    }

    #[test]
    fn long_terms_are_cut_on_a_char_boundary() {
        let long = "é".repeat(100);
        let t = ix(&long);
        assert_eq!(t.len(), 1);
        assert!(t[0].len() <= MAX_TERM_BYTES);
        assert_eq!(q(&long), t);
    }
}
