//! Bytes → text, and text → numbered lines and paragraphs, shared by every format.
//!
//! Invariants: a leading UTF-8 byte-order mark is removed; CRLF and LF line endings are both
//! accepted (the `\r` never reaches a parser); line numbers are 1-based and count lines of the
//! file as it is on disk; invalid UTF-8 is an error naming the line and column of the first
//! invalid byte.

use super::DigestError;

/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Bytes of a file's start looked at to tell binary data from text.
const SNIFF_BYTES: usize = 8192;

/// The file's text without its byte-order mark, or an error naming the first invalid byte — or,
/// for binary data (a NUL byte, or invalid UTF-8 among control bytes near the start), saying
/// that the file is not a digest at all.
pub(crate) fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, DigestError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(DigestError::new(file, "the file is UTF-16, not UTF-8", "re-save the file as UTF-8").at_line(1));
    }
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let decoded = std::str::from_utf8(bytes);
    // NUL bytes in the first SNIFF_BYTES mean binary data; later ones are left to the parsers.
    let nul = bytes[..bytes.len().min(SNIFF_BYTES)].iter().position(|&b| b == 0);
    if let (Ok(text), None) = (decoded, nul) {
        return Ok(text);
    }
    let invalid = decoded.err().map(|e| e.valid_up_to());
    let at = match (invalid, nul) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(0),
    };
    let (line, column) = line_and_column(&bytes[..at]);
    if nul.is_some() || looks_binary(bytes) {
        return Err(DigestError::new(
            file,
            format!("binary data, not text (byte 0x{:02X} at column {column}): this is not a digest", bytes[at]),
            "give a text digest: a daily-papers page dump, one `Abstract:` line per paper, a JSON array of \
             records or JSONL (one JSON record per line); check that this is the file you meant",
        )
        .at_line(line));
    }
    Err(DigestError::new(
        file,
        format!("not valid UTF-8: byte 0x{:02X} at column {column}", bytes[at]),
        "re-save the file as UTF-8",
    )
    .at_line(line))
}

/// 1-based line and column (in characters, like editors) just past `good`.
fn line_and_column(good: &[u8]) -> (usize, usize) {
    let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    (line, String::from_utf8_lossy(&good[line_start..]).chars().count() + 1)
}

/// Whether the file's start looks like binary data: more than 1 in 8 bytes are control
/// characters other than tab, line feed, carriage return and form feed, or not valid UTF-8.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let control = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)).count();
    let invalid = String::from_utf8_lossy(head).matches('\u{FFFD}').count();
    (control + invalid) * 8 > head.len()
}

/// The lines of `text` with their 1-based numbers (`\r\n` and `\n` endings).
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l))
}

/// A run of non-blank lines.
#[derive(Debug)]
pub(crate) struct Paragraph<'a> {
    /// 1-based number of the first line.
    pub line: usize,
    /// The lines, untrimmed.
    pub lines: Vec<&'a str>,
}

impl Paragraph<'_> {
    /// The lines trimmed and joined with single spaces.
    pub fn joined(&self) -> String {
        self.lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")
    }
}

/// The paragraphs of `text`: runs of lines that are not blank (blank = only whitespace).
pub(crate) fn paragraphs(text: &str) -> Vec<Paragraph<'_>> {
    let mut out: Vec<Paragraph<'_>> = Vec::new();
    let mut current: Option<Paragraph<'_>> = None;
    for (n, line) in numbered_lines(text) {
        if line.trim().is_empty() {
            out.extend(current.take());
        } else {
            current.get_or_insert_with(|| Paragraph { line: n, lines: Vec::new() }).lines.push(line);
        }
    }
    out.extend(current);
    out
}

/// Words that end with a period without ending a sentence.
const ABBREVIATIONS: [&str; 20] = [
    "e.g", "i.e", "vs", "etc", "al", "cf", "fig", "figs", "eq", "eqs", "no", "dr", "mr", "mrs", "ms", "st", "jr",
    "inc", "ltd", "approx",
];

/// Byte offsets just past each sentence end in `text`: a `.` (or, when `any_mark`, also `!`/`?`)
/// followed by whitespace and an uppercase letter or digit, not after an abbreviation or a
/// single-letter initial.
pub(crate) fn sentence_ends(text: &str, any_mark: bool) -> Vec<usize> {
    let mut ends = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let is_mark = c == '.' || (any_mark && (c == '!' || c == '?'));
        if !is_mark {
            continue;
        }
        // Must be followed by whitespace, then an uppercase letter or a digit.
        let mut j = k + 1;
        if !chars.get(j).is_some_and(|(_, c)| c.is_whitespace()) {
            continue;
        }
        while chars.get(j).is_some_and(|(_, c)| c.is_whitespace()) {
            j += 1;
        }
        if !chars.get(j).is_some_and(|(_, c)| c.is_uppercase() || c.is_ascii_digit()) {
            continue;
        }
        if c == '.' {
            let word: String = text[..i]
                .chars()
                .rev()
                .take_while(|c| !c.is_whitespace() && *c != '(')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let lower = word.to_lowercase();
            let single_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            if single_initial || ABBREVIATIONS.contains(&lower.as_str()) {
                continue;
            }
        }
        ends.push(i + c.len_utf8());
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf() {
        let text = decode("f", b"\xEF\xBB\xBFa\r\n\r\nb\r\nc").ok().unwrap_or_default();
        let paras = paragraphs(text);
        assert_eq!(paras.len(), 2);
        assert_eq!((paras[0].line, paras[0].lines.clone()), (1, vec!["a"]));
        assert_eq!((paras[1].line, paras[1].lines.clone()), (3, vec!["b", "c"]));
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let err = decode("f.txt", b"ok\nfine\nab\xFFc").err();
        let err = err.as_ref().map(|e| (e.line, e.message.clone()));
        assert_eq!(err, Some((Some(3), "not valid UTF-8: byte 0xFF at column 3".to_string())));
    }

    #[test]
    fn sentences() {
        let t = "We compare A vs. Bee. Results improve, e.g. Table 2. J. Smith agrees! Next one";
        let ends = sentence_ends(t, false);
        assert_eq!(ends.len(), 2, "{ends:?}");
        assert_eq!(&t[..ends[0]], "We compare A vs. Bee.");
        assert_eq!(sentence_ends(t, true).len(), 3);
    }
}
