//! LaTeX in scraped titles and abstracts → readable Unicode text for display.
//!
//! Abstracts copied from arXiv keep their LaTeX: `Poincar\'e`, `3.7$\times$ lower`,
//! `\textit{SQ-GAN}`, `$O(n^2)$`, `models -- including`. [`display`] rewrites what it
//! recognises and leaves everything else exactly as written:
//! - accent commands (`\'e`, `\"{o}`, `{\'e}`, `\c{c}`) → the accented letter (`é`, `ö`, `ç`);
//! - inline math (`$…$`, `$$…$$`): symbols and Greek letters → Unicode (`×`, `≤`, `α`), font and
//!   text commands → their argument, `^2`/`_i` → super/subscripts when every character has
//!   one, `\frac{a}{b}` → `a/b`, braces dropped, other commands → their name (`\log` → `log`);
//! - text commands (`\textit{x}`, `\emph{x}`, `\textcolor{red}{x}`, `\href{u}{x}`) → their text;
//!   `\cite{…}`, `\ref{…}`, `\label{…}`, `\footnote{…}` dropped; `\%`, `\&`, `\_` → the character;
//! - ` -- ` and `10--20` → en dash, ` --- ` → em dash, ``` ``quoted'' ``` → “quoted”.
//!
//! Invariants: never panics, on any input; text without `\`, `$`, `--` or ``` `` ``` is returned
//! unchanged (borrowed); a `$` only opens math when a closing `$` follows on the same stretch and
//! the content looks like math (not `$5 and $10`); an unknown command outside math, an unclosed
//! brace or an unclosed `$` is kept as written. Search indexes the displayed text, so what the
//! reader sees is what the query matches.

use std::borrow::Cow;
use unicode_normalization::char::compose;

/// `text` with its LaTeX rendered as plain Unicode (see the module documentation).
pub fn display(text: &str) -> Cow<'_, str> {
    if !(text.contains(['\\', '$']) || text.contains("--") || text.contains("``")) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    convert(text, false, 0, &mut out);
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// Nesting depth beyond which groups are copied as written (bounds recursion on hostile input).
const MAX_DEPTH: usize = 16;
/// The longest inline math considered, in bytes.
const MAX_MATH: usize = 400;

fn convert(s: &str, math: bool, depth: usize, out: &mut String) {
    let mut i = 0;
    let mut open_quote = false;
    while let Some(c) = s[i..].chars().next() {
        let rest = &s[i..];
        let next = match c {
            '\\' => command(s, i, math, depth, out),
            '$' if !math => match math_span(s, i) {
                Some((inner, after)) if depth < MAX_DEPTH => {
                    convert(inner, true, depth + 1, out);
                    after
                }
                _ => copy(c, i, out),
            },
            '{' | '}' if math => i + 1,
            '~' if math => {
                out.push(' ');
                i + 1
            }
            '^' | '_' if math => script(s, i, c == '^', depth, out),
            '-' if !math && rest.starts_with("---") && spaced(s, i, 3) => {
                out.push('—');
                i + 3
            }
            '-' if !math
                && rest.starts_with("--")
                && !rest.starts_with("---")
                && (spaced(s, i, 2) || digits_around(s, i, 2)) =>
            {
                out.push('–');
                i + 2
            }
            '`' if rest.starts_with("``") => {
                open_quote = true;
                out.push('“');
                i + 2
            }
            '\'' if open_quote && rest.starts_with("''") => {
                open_quote = false;
                out.push('”');
                i + 2
            }
            _ => copy(c, i, out),
        };
        i = next;
    }
}

fn copy(c: char, i: usize, out: &mut String) -> usize {
    out.push(c);
    i + c.len_utf8()
}

/// True when the `len` bytes at `i` have whitespace on both sides.
fn spaced(s: &str, i: usize, len: usize) -> bool {
    s[..i].ends_with(char::is_whitespace) && s[i + len..].starts_with(char::is_whitespace)
}

/// True when the `len` bytes at `i` sit between two digits (`10--20`).
fn digits_around(s: &str, i: usize, len: usize) -> bool {
    s[..i].ends_with(|c: char| c.is_ascii_digit()) && s[i + len..].starts_with(|c: char| c.is_ascii_digit())
}

/// The inside of the math opened by the `$` at `i` and the offset after its close, when it
/// closes and looks like math.
fn math_span(s: &str, i: usize) -> Option<(&str, usize)> {
    let double = s[i..].starts_with("$$");
    let open = if double { 2 } else { 1 };
    let body = &s[i + open..];
    let mut end = None;
    let mut escaped = false;
    for (j, c) in body.char_indices() {
        if j > MAX_MATH || c == '\n' {
            break;
        }
        match c {
            '\\' => escaped = !escaped,
            '$' if !escaped => {
                end = Some(j);
                break;
            }
            _ => escaped = false,
        }
    }
    let end = end?;
    let inner = &body[..end];
    if double && !body[end..].starts_with("$$") {
        return None;
    }
    let looks_like_math = !inner.is_empty()
        && !inner.starts_with(char::is_whitespace)
        && !inner.ends_with(char::is_whitespace)
        && (inner.contains(['\\', '^', '_', '{'])
            || (inner.chars().count() <= 3 && !inner.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')));
    looks_like_math.then_some((inner, i + open + end + open))
}

/// The balanced `{…}` group at `at` (after optional spaces): (inside, offset after it).
fn group(s: &str, at: usize) -> Option<(&str, usize)> {
    let start = at + s[at..].len() - s[at..].trim_start_matches(' ').len();
    if !s[start..].starts_with('{') {
        return None;
    }
    let mut depth = 0usize;
    for (j, c) in s[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&s[start + 1..start + j], start + j + 1));
                }
            }
            _ => {}
        }
    }
    None
}

/// Renders the command at `s[i] == '\\'`; returns the offset after what it consumed.
fn command(s: &str, i: usize, math: bool, depth: usize, out: &mut String) -> usize {
    let after = &s[i + 1..];
    let Some(c) = after.chars().next() else {
        out.push('\\');
        return i + 1;
    };
    // Accents: \'e \'{e} \"o and the lettered ones with braces: \c{c} \v{s}.
    if let Some(mark) = accent_mark(c) {
        if let Some((letter, end)) = accent_letter(s, i + 2) {
            // BibTeX's `{\'e}`: the group's braces go too.
            let braced = out.ends_with('{') && s[end..].starts_with('}');
            if braced {
                out.pop();
            }
            push_accented(letter, mark, out);
            return end + usize::from(braced);
        }
    }
    if !c.is_ascii_alphabetic() {
        return match c {
            '%' | '&' | '_' | '#' | '$' | '{' | '}' => copy(c, i + 1, out),
            ',' | ';' | ':' => {
                out.push(' ');
                i + 2
            }
            '!' | '/' => i + 2,
            ' ' | '\\' if math => {
                out.push(' ');
                i + 2
            }
            _ => copy('\\', i, out),
        };
    }
    let name_len = after.bytes().take_while(u8::is_ascii_alphabetic).count();
    let name = &after[..name_len];
    let name_end = i + 1 + name_len;
    if let Some(mark) = lettered_accent(name) {
        if let Some((inner, after_group)) = group(s, name_end) {
            let mut chars = inner.chars();
            if let (Some(letter), None) = (chars.next(), chars.next()) {
                push_accented(letter, mark, out);
                return after_group;
            }
        }
    }
    if let Some(sym) = symbol(name) {
        out.push_str(sym);
        return name_end;
    }
    let end = optional_arg(s, name_end);
    let nested = depth + 1 < MAX_DEPTH;
    if UNWRAP.contains(&name) && nested {
        if let Some((inner, after_group)) = group(s, end) {
            let math_inside = math && !name.starts_with("text") && name != "mbox";
            convert(inner, math_inside, depth + 1, out);
            return after_group;
        }
    }
    if DROP.contains(&name) {
        if let Some((_, after_group)) = group(s, end) {
            return after_group;
        }
    }
    if matches!(name, "textcolor" | "href" | "frac" | "dfrac" | "tfrac") && nested {
        if let Some((first, mid)) = group(s, end) {
            if let Some((second, after_group)) = group(s, mid) {
                if name.ends_with("frac") {
                    convert(first, math, depth + 1, out);
                    out.push('/');
                }
                convert(second, math, depth + 1, out);
                return after_group;
            }
        }
    }
    if name == "sqrt" && nested {
        if let Some((inner, after_group)) = group(s, end) {
            out.push('√');
            convert(inner, math, depth + 1, out);
            return after_group;
        }
    }
    if math {
        out.push_str(name); // \log, \max, \mathrm-less operators: their name reads right
    } else {
        out.push_str(&s[i..name_end]); // an unknown command in prose stays as written
    }
    name_end
}

/// The offset after an optional `[…]` argument at `at` (`\textcolor[rgb]{1,0,0}{…}`), or `at`.
fn optional_arg(s: &str, at: usize) -> usize {
    if !s[at..].starts_with('[') {
        return at;
    }
    match s[at..].char_indices().take(100).find(|&(_, c)| c == ']') {
        Some((j, _)) => at + j + 1,
        None => at,
    }
}

/// Commands whose one argument is their text.
const UNWRAP: &[&str] = &[
    "textit",
    "textbf",
    "textsl",
    "textsc",
    "texttt",
    "textsf",
    "textrm",
    "textup",
    "textnormal",
    "text",
    "emph",
    "underline",
    "mbox",
    "url",
    "mathrm",
    "mathbf",
    "mathit",
    "mathcal",
    "mathbb",
    "mathsf",
    "mathtt",
    "mathfrak",
    "mathscr",
    "boldsymbol",
    "bm",
    "operatorname",
    "hat",
    "widehat",
    "tilde",
    "widetilde",
    "bar",
    "overline",
    "vec",
    "dot",
    "ddot",
];

/// Commands dropped with their argument.
const DROP: &[&str] = &["cite", "citep", "citet", "ref", "eqref", "label", "footnote", "vspace", "hspace"];

/// The combining mark of a one-character accent command (`\'`, `\"`, …).
fn accent_mark(c: char) -> Option<char> {
    Some(match c {
        '\'' => '\u{301}',
        '`' => '\u{300}',
        '^' => '\u{302}',
        '"' => '\u{308}',
        '~' => '\u{303}',
        '=' => '\u{304}',
        '.' => '\u{307}',
        _ => return None,
    })
}

/// The combining mark of a lettered accent command (`\c{c}`, `\v{s}`, …).
fn lettered_accent(name: &str) -> Option<char> {
    Some(match name {
        "c" => '\u{327}',
        "v" => '\u{30C}',
        "u" => '\u{306}',
        "H" => '\u{30B}',
        "k" => '\u{328}',
        "r" => '\u{30A}',
        _ => return None,
    })
}

/// The letter an accent command at `at` applies to (`e` or `{e}`), and the offset after it.
fn accent_letter(s: &str, at: usize) -> Option<(char, usize)> {
    let rest = &s[at..];
    let c = rest.chars().next()?;
    if c.is_ascii_alphabetic() {
        return Some((c, at + 1));
    }
    let mut chars = rest.chars();
    if let (Some('{'), Some(l), Some('}')) = (chars.next(), chars.next(), chars.next()) {
        if l.is_ascii_alphabetic() {
            return Some((l, at + 3));
        }
    }
    None
}

/// The accented letter, precomposed when Unicode has it (else letter + combining mark).
fn push_accented(letter: char, mark: char, out: &mut String) {
    match compose(letter, mark) {
        Some(c) => out.push(c),
        None => {
            out.push(letter);
            out.push(mark);
        }
    }
}

/// Renders `^…`/`_…` at `i` (math): super/subscript characters when each has one, else as
/// written (braces dropped).
fn script(s: &str, i: usize, sup: bool, depth: usize, out: &mut String) -> usize {
    let (body, end) = match group(s, i + 1) {
        Some((inner, end)) => (inner, end),
        None => match s[i + 1..].chars().next() {
            Some(c) if c != '\\' => (&s[i + 1..i + 1 + c.len_utf8()], i + 1 + c.len_utf8()),
            _ => {
                out.push(if sup { '^' } else { '_' });
                return i + 1;
            }
        },
    };
    let mapped: Option<String> = body.chars().map(|c| if sup { superscript(c) } else { subscript(c) }).collect();
    match mapped {
        Some(m) if !m.is_empty() => out.push_str(&m),
        _ => {
            out.push(if sup { '^' } else { '_' });
            if depth + 1 < MAX_DEPTH {
                convert(body, true, depth + 1, out);
            }
        }
    }
    end
}

fn superscript(c: char) -> Option<char> {
    Some(match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4'..='9' => char::from_u32(0x2070 + (c as u32 - '0' as u32))?,
        '+' => '⁺',
        '-' => '⁻',
        '=' => '⁼',
        '(' => '⁽',
        ')' => '⁾',
        'n' => 'ⁿ',
        'i' => 'ⁱ',
        'T' => 'ᵀ',
        _ => return None,
    })
}

fn subscript(c: char) -> Option<char> {
    Some(match c {
        '0'..='9' => char::from_u32(0x2080 + (c as u32 - '0' as u32))?,
        '+' => '₊',
        '-' => '₋',
        '=' => '₌',
        '(' => '₍',
        ')' => '₎',
        'i' => 'ᵢ',
        'j' => 'ⱼ',
        'k' => 'ₖ',
        'n' => 'ₙ',
        't' => 'ₜ',
        'm' => 'ₘ',
        'p' => 'ₚ',
        'x' => 'ₓ',
        _ => return None,
    })
}

/// Unicode for a symbol command (math or text).
fn symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "times" => "×",
        "cdot" => "·",
        "pm" => "±",
        "mp" => "∓",
        "div" => "÷",
        "leq" | "le" => "≤",
        "geq" | "ge" => "≥",
        "neq" | "ne" => "≠",
        "approx" => "≈",
        "sim" => "∼",
        "simeq" => "≃",
        "equiv" => "≡",
        "propto" => "∝",
        "ll" => "≪",
        "gg" => "≫",
        "infty" => "∞",
        "to" | "rightarrow" => "→",
        "leftarrow" | "gets" => "←",
        "Rightarrow" | "implies" => "⇒",
        "leftrightarrow" => "↔",
        "uparrow" => "↑",
        "downarrow" => "↓",
        "in" => "∈",
        "notin" => "∉",
        "subset" => "⊂",
        "subseteq" => "⊆",
        "cup" => "∪",
        "cap" => "∩",
        "forall" => "∀",
        "exists" => "∃",
        "partial" => "∂",
        "nabla" => "∇",
        "sum" => "∑",
        "prod" => "∏",
        "int" => "∫",
        "ell" => "ℓ",
        "top" => "⊤",
        "circ" => "∘",
        "star" => "⋆",
        "ast" => "∗",
        "dagger" => "†",
        "ldots" | "dots" | "cdots" | "textellipsis" => "…",
        "textendash" => "–",
        "textemdash" => "—",
        "textasciitilde" => "~",
        "textbackslash" => "\\",
        "S" => "§",
        "P" => "¶",
        "ss" => "ß",
        "o" => "ø",
        "O" => "Ø",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "aa" => "å",
        "l" => "ł",
        "L" => "Ł",
        "i" => "ı",
        "LaTeX" => "LaTeX",
        "TeX" => "TeX",
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "epsilon" | "varepsilon" => "ε",
        "zeta" => "ζ",
        "eta" => "η",
        "theta" | "vartheta" => "θ",
        "iota" => "ι",
        "kappa" => "κ",
        "lambda" => "λ",
        "mu" => "μ",
        "nu" => "ν",
        "xi" => "ξ",
        "pi" => "π",
        "rho" | "varrho" => "ρ",
        "sigma" => "σ",
        "tau" => "τ",
        "upsilon" => "υ",
        "phi" | "varphi" => "φ",
        "chi" => "χ",
        "psi" => "ψ",
        "omega" => "ω",
        "Gamma" => "Γ",
        "Delta" => "Δ",
        "Theta" => "Θ",
        "Lambda" => "Λ",
        "Xi" => "Ξ",
        "Pi" => "Π",
        "Sigma" => "Σ",
        "Upsilon" => "Υ",
        "Phi" => "Φ",
        "Psi" => "Ψ",
        "Omega" => "Ω",
        "left" | "right" | "big" | "Big" | "bigg" | "Bigg" | "displaystyle" | "limits" | "quad" | "qquad" => "",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::display;

    #[test]
    fn seed_digest_latex_reads_as_text() {
        for (raw, shown) in [
            ("on the Poincar\\'e ball model", "on the Poincaré ball model"),
            ("up to 3.7$\\times$ lower memory", "up to 3.7× lower memory"),
            ("we propose \\textit{SQ-GAN}, a novel", "we propose SQ-GAN, a novel"),
            ("\\textcolor{red}{new} results", "new results"),
            (
                "tasks. \\textcolor[rgb]{1, 0, 0}{Code available at http://x.cn/}.",
                "tasks. Code available at http://x.cn/.",
            ),
            ("models -- including zero-shot models -- are", "models – including zero-shot models – are"),
        ] {
            assert_eq!(display(raw), shown, "{raw}");
        }
    }

    #[test]
    fn math_symbols_scripts_and_fonts() {
        for (raw, shown) in [
            ("$O(n^2)$ time", "O(n²) time"),
            ("$\\mathcal{O}(n \\log n)$", "O(n log n)"),
            ("$x_i$ and $x_{10}$", "xᵢ and x₁₀"),
            ("$\\alpha$-divergence with $\\beta \\leq 0.5$", "α-divergence with β ≤ 0.5"),
            ("$\\frac{1}{2}$", "1/2"),
            ("$\\sqrt{d}$", "√d"),
            ("$W^{QK}$", "W^QK"),
            ("$k$-means", "k-means"),
            ("$$E = mc^2$$", "E = mc²"),
            ("$\\mathbf{x}^\\top$", "x^⊤"),
            ("a $\\textbf{bold}$ claim", "a bold claim"),
        ] {
            assert_eq!(display(raw), shown, "{raw}");
        }
    }

    #[test]
    fn accents_and_escapes() {
        for (raw, shown) in [
            ("Erd\\H{o}s and G\\\"{o}del", "Erdős and Gödel"),
            ("{\\'e}t{\\'e}", "été"),
            ("Fran\\c{c}ois", "François"),
            ("50\\% of R\\&D", "50% of R&D"),
            ("``quoted''", "“quoted”"),
            ("pages 10--20", "pages 10–20"),
            ("see \\cite{smith2020} for more", "see  for more"),
            ("\\href{https://x.org}{our code}", "our code"),
        ] {
            assert_eq!(display(raw), shown, "{raw}");
        }
    }

    #[test]
    fn plain_text_and_non_latex_stay_as_written() {
        for raw in [
            "It costs $5 and $10 per month",
            "run `apt-get --fix-broken install` or --help",
            "a C:\\Users\\name path",
            "JSON like {\"a\": 1} and a_b^c outside math",
            "unclosed $\\foo math",
            "unclosed \\textit{group",
            "a lone \\ at the end \\",
            "it's a 'single' quote''",
            "$$",
            "$ $",
        ] {
            assert_eq!(display(raw), raw, "{raw}");
        }
        assert!(matches!(display("no latex here"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn hostile_nesting_is_bounded() {
        let deep = format!("${}x{}$", "\\textit{".repeat(10_000), "}".repeat(10_000));
        let _ = display(&deep);
        let braces = format!("${}$", "{".repeat(100_000));
        let _ = display(&braces);
        let scripts = format!("${}$", "^".repeat(100_000));
        let _ = display(&scripts);
        for s in ["\\", "$", "\\'", "\\c{", "\\frac{a}", "$^$", "$_{$", "\\textcolor{a}", "é\\'é"] {
            let _ = display(s);
        }
    }
}
