//! The record every digest format is parsed into, and the little value types it carries.
//!
//! A [`Paper`] is what the index stores for display and what `paper(id)` returns. Its fields are
//! exactly what the input said: a date without a year keeps `year: None` (we never invent one),
//! a missing author count stays `None`.

use serde::Serialize;
use std::fmt;

/// Where a record came from: the digest file and the 1-based line its first line is on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceLoc {
    /// The digest file as it was named on the command line or in the environment.
    pub file: String,
    /// 1-based line number of the record's first line.
    pub line: usize,
}

impl fmt::Display for SourceLoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A calendar date as far as the digest tells it. Month and day are 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PaperDate {
    /// The year, when the digest gave one ("Jul 9" has none).
    pub year: Option<u16>,
    /// 1..=12
    pub month: u8,
    /// 1..=31
    pub day: u8,
}

/// English three-letter month names, as the daily-papers pages print them.
pub const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl PaperDate {
    /// A date, if month and day are in range (day checked against 31 only: years may be unknown).
    pub fn new(year: Option<u16>, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Self { year, month, day })
    }

    /// Parses "Mar 3, 2023", "Jul 9", "2023-03-03" and "2023-03" (day 1 is not invented: "2023-03"
    /// is rejected) — the forms digests use.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        if let Some((y, rest)) = t.split_once('-') {
            let (m, d) = rest.split_once('-')?;
            let d = d.get(..2).unwrap_or(d);
            return Self::new(Some(y.parse().ok()?), m.parse().ok()?, d.parse().ok()?);
        }
        let (mon, rest) = t.split_once(' ')?;
        let mon = mon.get(..3)?;
        let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(mon))? as u8 + 1;
        let (day, year) = match rest.split_once(',') {
            Some((d, y)) => (d.trim(), Some(y.trim().parse().ok()?)),
            None => (rest.trim(), None),
        };
        Self::new(year, month, day.parse().ok()?)
    }

    /// "Mar 3, 2023", or "Jul 9" when the year is unknown: what `Display` writes, made without
    /// the formatting machinery (every search result carries one; through `write!` a date cost
    /// a few hundred instructions: the seed's 'Decentralized learning' took 1.6% more).
    pub fn label(&self) -> String {
        let mut s = String::with_capacity(12);
        s.push_str(MONTHS[usize::from(self.month.clamp(1, 12) - 1)]);
        s.push(' ');
        push_decimal(&mut s, u32::from(self.day));
        if let Some(y) = self.year {
            s.push_str(", ");
            push_decimal(&mut s, u32::from(y));
        }
        s
    }

    /// A sortable key: unknown years sort before every known one.
    pub fn sort_key(&self) -> u32 {
        u32::from(self.year.unwrap_or(0)) * 10_000 + u32::from(self.month) * 100 + u32::from(self.day)
    }
}

impl fmt::Display for PaperDate {
    /// "Mar 3, 2023", or "Jul 9" when the year is unknown ([`PaperDate::label`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// Appends `n` in decimal.
fn push_decimal(s: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    s.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// One paper (or any document) of a digest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Paper {
    /// Stable result id: the input's own `id`, or derived from the title (see [`crate::digest::ids`]).
    pub id: String,
    /// True when the digest gave the id (JSON/JSONL `id`): such records are distinct documents
    /// even when their titles coincide.
    pub id_given: bool,
    /// Display title. For untitled `Abstract:` entries a title derived from the abstract.
    pub title: String,
    /// True when `title` was derived by paperbloom rather than given by the digest.
    pub title_derived: bool,
    /// The abstract or body text, LaTeX left as written (the tokenizer cleans it for search).
    pub abstract_text: String,
    /// A link to the paper, if the digest gave one (http(s) only; others are dropped and reported).
    pub url: Option<String>,
    /// Publication date as far as known.
    pub date: Option<PaperDate>,
    /// Number of authors ("• 4 authors").
    pub authors: Option<u32>,
    /// Organisation line shown instead of authors on some daily-papers entries.
    pub organization: Option<String>,
    /// Upvotes (the number after the date on daily-papers pages).
    pub upvotes: Option<u32>,
    /// Code links (GitHub URLs found in the abstract, or the `code` field).
    pub code: Vec<String>,
    /// Where the record was read; for merged duplicates, the first occurrence.
    pub source: SourceLoc,
}

/// `text` cut to at most `cap` bytes, at the last whitespace before it when there is one (else
/// at the last character boundary), without trailing whitespace.
pub fn cut_text(text: &str, cap: usize) -> &str {
    if text.len() <= cap {
        return text;
    }
    let mut end = cap;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind(char::is_whitespace) {
        Some(space) if space > 0 => text[..space].trim_end(),
        _ => &text[..end],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_is_the_formatted_date() {
        for month in 1..=12u8 {
            let mon = MONTHS[usize::from(month - 1)];
            for day in 1..=31u8 {
                for year in [None, Some(0u16), Some(7), Some(99), Some(1999), Some(2023), Some(u16::MAX)] {
                    let Some(date) = PaperDate::new(year, month, day) else { continue };
                    let want = match year {
                        Some(y) => format!("{mon} {day}, {y}"),
                        None => format!("{mon} {day}"),
                    };
                    assert_eq!(date.label(), want);
                    assert_eq!(date.to_string(), want);
                    assert_eq!(PaperDate::parse(&want), Some(date), "{want}");
                }
            }
        }
    }
}
