//! Display titles for records that have only an abstract (`Abstract:` lists, untitled
//! paragraphs of page dumps, JSON records with a body but no title).
//!
//! The rules, tried in order on the abstract with `\textit{…}`-style wrappers removed:
//!
//! 1. **Named method with an acronym.** A naming cue (`propose`, `present`, `introduce`,
//!    `called`, `named`, `termed`, `dubbed`, …) at most four words before a run of two or more
//!    capitalised or hyphenated words (small connectors like `for`/`with`/`of` allowed inside)
//!    that is followed by `(ACRONYM)` with at least two uppercase letters:
//!    "Dense-to-Sparse Feature Distilled Visual Semantic Embedding (D2S-VSE)".
//! 2. **Named method with a description.** A naming cue followed by a name-like word and a comma
//!    or colon: "we propose \textit{SQ-GAN}, a novel approach that …" →
//!    "SQ-GAN: a novel approach that …" (the rest of that sentence).
//! 3. **Acronym spelled out in lowercase.** A naming cue followed within ten words by
//!    `(ACRONYM)` whose letters can be found, in order, in the words before it, the first at the
//!    start of a word (Schwartz & Hearst's rule): "Fast ANN-SNN conversion strategy (FAS)".
//! 4. **First sentence.**
//!
//! Invariant: the result is never empty for a non-empty abstract, is at most [`MAX_CHARS`]
//! characters long, and is cut only at word boundaries (marked with "…").

use super::text::sentence_ends;

/// Longest derived title, in characters, "…" included.
pub const MAX_CHARS: usize = 90;

/// Words that introduce the name of the paper's method.
const CUES: [&str; 23] = [
    "propose",
    "proposes",
    "proposed",
    "present",
    "presents",
    "presented",
    "introduce",
    "introduces",
    "introduced",
    "called",
    "named",
    "termed",
    "dubbed",
    "coined",
    "develop",
    "develops",
    "developed",
    "design",
    "designs",
    "designed",
    "build",
    "builds",
    "dub",
];

/// Lowercase words allowed inside a capitalised expansion.
const CONNECTORS: [&str; 14] =
    ["for", "with", "of", "and", "on", "in", "to", "the", "via", "a", "an", "from", "by", "under"];

/// Capitalised words that are ordinary English, not names.
const COMMON: [&str; 40] = [
    "a", "an", "the", "this", "that", "these", "those", "our", "we", "it", "its", "their", "here", "there", "some",
    "several", "two", "three", "four", "novel", "new", "first", "simple", "general", "unified", "both", "each", "such",
    "one", "all", "any", "in", "on", "of", "to", "for", "with", "and", "or", "but",
];

/// A display title for an untitled abstract (see the module docs for the rules).
pub fn derive_title(abstract_text: &str) -> String {
    let text = collapse_ws(&strip_latex_wrappers(abstract_text));
    if text.is_empty() {
        return String::new();
    }
    let sentences = split_sentences(&text);
    let found = sentences
        .iter()
        .find_map(|s| acronym_expansion(s))
        .or_else(|| sentences.iter().find_map(|s| named_with_description(s)))
        .or_else(|| sentences.iter().find_map(|s| acronym_schwartz_hearst(s)));
    let title = found.unwrap_or_else(|| {
        let first = sentences.first().map_or(text.as_str(), |s| s.as_str());
        first.trim_end_matches('.').to_string()
    });
    truncate(&title, MAX_CHARS)
}

/// `text` cut at a word boundary so that it has at most `max` characters, "…" included.
pub fn truncate(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let add = word.chars().count() + usize::from(!out.is_empty());
        if len + add + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        len += add;
    }
    if out.is_empty() {
        out = text.chars().take(max.saturating_sub(1)).collect();
    }
    let out = out.trim_end_matches(|c: char| ",;:(-–—".contains(c) || c.is_whitespace());
    format!("{out}…")
}

/// Replaces `\textit{X}`, `\textbf{X}`, `\emph{X}`, `\texttt{X}`, `\textsc{X}`, `\mathrm{X}`
/// and `\text{X}` by `X`.
pub(crate) fn strip_latex_wrappers(text: &str) -> String {
    const WRAPPERS: [&str; 7] = ["\\textit{", "\\textbf{", "\\emph{", "\\texttt{", "\\textsc{", "\\mathrm{", "\\text{"];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((pos, wrapper)) =
        WRAPPERS.iter().filter_map(|w| rest.find(w).map(|p| (p, *w))).min_by_key(|(p, _)| *p)
    {
        out.push_str(&rest[..pos]);
        let inner = &rest[pos + wrapper.len()..];
        let mut depth = 1usize;
        let close = inner.char_indices().find_map(|(i, c)| {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(i)
        });
        match close {
            Some(i) => {
                out.push_str(&strip_latex_wrappers(&inner[..i]));
                rest = &inner[i + 1..];
            }
            None => {
                out.push_str(inner);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn collapse_ws(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in sentence_ends(text, true) {
        out.push(text[start..end].trim().to_string());
        start = end;
    }
    let last = text[start..].trim();
    if !last.is_empty() {
        out.push(last.to_string());
    }
    out
}

/// A word without surrounding punctuation and quotes, for comparisons.
fn bare(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric())
}

fn is_cue(word: &str) -> bool {
    CUES.contains(&bare(word).to_lowercase().as_str())
}

fn is_capitalised(word: &str) -> bool {
    let w = word.trim_start_matches(['"', '\'', '`', '“']);
    let mut chars = w.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() => true,
        // "3D", "2D-Aware": a leading digit followed by an uppercase letter.
        Some(c) if c.is_ascii_digit() => chars.any(char::is_uppercase),
        _ => false,
    }
}

/// The acronym inside `(…)` that ends `word`, if `word` is one: 2–20 letters, digits or hyphens
/// with at least two uppercase letters.
fn acronym(word: &str) -> Option<&str> {
    let inner = word.trim_end_matches([',', '.', ';', ':']);
    let inner = inner.strip_prefix('(')?.strip_suffix(')')?;
    let ok = (2..=20).contains(&inner.chars().count())
        && inner.chars().all(|c| c.is_alphanumeric() || c == '-')
        && inner.chars().filter(|c| c.is_uppercase()).count() >= 2;
    ok.then_some(inner)
}

/// Rule 1: "… propose Capitalised Expansion Words (ACR) …".
fn acronym_expansion(sentence: &str) -> Option<String> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let Some(acr) = acronym(word) else { continue };
        // Walk back over capitalised words and connectors.
        let mut start = i;
        while start > 0 {
            let w = words[start - 1];
            let ends_clause = w.ends_with([',', ';', ':']);
            if ends_clause || !(is_capitalised(w) || CONNECTORS.contains(&w)) {
                break;
            }
            start -= 1;
        }
        while start < i && CONNECTORS.contains(&words[start]) {
            start += 1;
        }
        let run = &words[start..i];
        if run.iter().filter(|w| is_capitalised(w)).count() < 2 {
            continue;
        }
        let cue_near = words[start.saturating_sub(5)..start].iter().any(|w| is_cue(w));
        if cue_near {
            return Some(format!("{} ({acr})", run.join(" ")));
        }
    }
    None
}

/// True when `word` looks like the name of a method rather than an English word.
fn looks_like_name(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest: Vec<char> = chars.collect();
    let shape_ok = first.is_alphanumeric()
        && !rest.is_empty()
        && word.chars().any(char::is_alphabetic)
        && word.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '+' | '.' | '\''));
    if !shape_ok {
        return false;
    }
    let inner_upper = rest.iter().any(|c| c.is_uppercase());
    let digit = word.chars().any(|c| c.is_ascii_digit());
    let capitalised_uncommon = first.is_uppercase() && !COMMON.contains(&word.to_lowercase().as_str());
    inner_upper || digit || capitalised_uncommon
}

/// Rule 2: "… presents Ferret, a comprehensive framework …" → "Ferret: a comprehensive …".
fn named_with_description(sentence: &str) -> Option<String> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        if !is_cue(word) || word.ends_with([',', '.', ';', ':']) {
            continue;
        }
        let Some(candidate) = words.get(i + 1) else {
            continue;
        };
        let (name, rest_from) = if let Some(n) = candidate.strip_suffix([',', ':']) {
            (n, i + 2)
        } else if matches!(words.get(i + 2), Some(&("--" | "—" | "–" | "-" | "---"))) {
            (*candidate, i + 3)
        } else {
            continue;
        };
        let name = name.trim_matches(['"', '\'', '`', '“', '”']);
        if !looks_like_name(name) {
            continue;
        }
        let description = words[rest_from.min(words.len())..].join(" ");
        let description = description.trim_end_matches(['.', '!', '?']);
        return Some(if description.is_empty() { name.to_string() } else { format!("{name}: {description}") });
    }
    None
}

/// Rule 3: a cue, then words whose letters spell the acronym that follows in parentheses.
fn acronym_schwartz_hearst(sentence: &str) -> Option<String> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let Some(acr) = acronym(word) else { continue };
        let window_start = i.saturating_sub(10);
        let Some(cue) = (window_start..i).rev().find(|&k| is_cue(words[k])) else {
            continue;
        };
        let candidates = &words[cue + 1..i];
        if candidates.iter().any(|w| w.ends_with([',', ';', ':'])) {
            continue;
        }
        if let Some(start) = long_form_start(acr, candidates) {
            let long = capitalise_first(&candidates[start..].join(" "));
            return Some(format!("{long} ({acr})"));
        }
    }
    None
}

fn capitalise_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Index of the word where the long form of `short` starts within `words`, matching the short
/// form's letters and digits right to left; the first one must start a word (or a hyphenated
/// part).
fn long_form_start(short: &str, words: &[&str]) -> Option<usize> {
    let short: Vec<char> = short.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    // Characters of the words, lowercased, with the index of the word each belongs to.
    let mut long: Vec<(char, usize)> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            long.push((' ', k));
        }
        long.extend(w.chars().flat_map(char::to_lowercase).map(|c| (c, k)));
    }
    let mut l = long.len();
    for (si, &c) in short.iter().enumerate().rev() {
        loop {
            if l == 0 {
                return None;
            }
            l -= 1;
            let at_word_start = l == 0 || !long[l - 1].0.is_alphanumeric();
            if long[l].0 == c && (si > 0 || at_word_start) {
                break;
            }
        }
    }
    let start = long.get(l).map(|&(_, k)| k)?;
    // A long form much longer than its acronym is a coincidence, not a definition.
    (words.len() - start <= short.len() + 3).then_some(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_at_word_boundary() {
        assert_eq!(truncate("short title", 90), "short title");
        let t = truncate("aaaa bbbb, cccc dddd", 12);
        assert_eq!(t, "aaaa bbbb…");
        assert!(truncate(&"x".repeat(200), 90).chars().count() <= 90);
    }

    #[test]
    fn latex_wrappers() {
        assert_eq!(strip_latex_wrappers("a \\textit{SQ-GAN}, \\textbf{b \\emph{c}} d"), "a SQ-GAN, b c d");
        assert_eq!(strip_latex_wrappers("broken \\textit{x"), "broken x");
    }

    #[test]
    fn rules() {
        assert_eq!(derive_title("We propose a method named Foo Bar Baz (FBB). It works."), "Foo Bar Baz (FBB)");
        assert_eq!(
            derive_title("Large Language Models (LLMs) are big. We study them."),
            "Large Language Models (LLMs) are big"
        );
        assert_eq!(derive_title("We present Quux, a tool. More."), "Quux: a tool");
        assert_eq!(derive_title("We present two-stage, a tool. More."), "We present two-stage, a tool");
        assert_eq!(
            derive_title("We propose a simple yet strong baseline (SYSB) for x."),
            "Simple yet strong baseline (SYSB)"
        );
        assert_eq!(derive_title(""), "");
    }
}
