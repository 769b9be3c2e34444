//! Daily-papers page dumps: the text of a "Daily Papers" web page, copied and pasted.
//!
//! The file is a sequence of paragraphs (runs of non-blank lines). Each paragraph is one of:
//!
//! * **chrome** — page furniture on a line of its own: "new", "Subscribe", "Daily Papers",
//!   "Get trending papers in your email inbox!", "byAK and the research community", or a date
//!   heading such as "Mar 18". Dropped wherever it appears; it is not a record.
//! * **meta** — the author/date block under an abstract: `• 4 authors` (or an organisation line
//!   such as `nielseniq NielsenIQ`), a `·` line, and a date line, possibly with an upvote count
//!   after it (`Sep 23, 2023 2`, `Nov 17 3`). A date inside a meta block is never chrome. A
//!   year is only ever taken from the text, never invented.
//! * **title** — one line, at most 300 characters and 40 words, no sentence-ending period
//!   followed by another sentence.
//! * **abstract** — anything longer or made of several sentences or lines.
//!
//! Papers are assembled without assuming strict alternation: a title followed by another title
//! becomes a paper with an empty abstract; an abstract with no title before it becomes a paper
//! with a derived title (`title_derived`); meta paragraphs attach to the paper before them and
//! are skipped (with a reason) when there is none. A short one-line paragraph ending in a period
//! is an abstract when the paper before it is still waiting for one, else a title when it has
//! fewer than twelve words.
//!
//! Invariants: every paper's source line is its title's line (the abstract's, if untitled); every
//! record read is either returned or skipped in the report; code links are the code-host URLs in
//! the abstract (see [`super::links`]).

use super::report::FileReport;
use super::text::{paragraphs, sentence_ends, Paragraph};
use super::{ids, links, new_paper, title};
use crate::paper::{Paper, PaperDate, MONTHS};

/// Page chrome lines, lowercased with whitespace collapsed.
const CHROME: [&str; 6] = [
    "new",
    "subscribe",
    "daily papers",
    "get trending papers in your email inbox!",
    "byak and the research community",
    "by ak and the research community",
];

/// Longest title, in characters.
const MAX_TITLE_CHARS: usize = 300;
/// Longest title, in words.
const MAX_TITLE_WORDS: usize = 40;
/// A one-sentence paragraph ending in a period with at least this many words is an abstract.
const MIN_SENTENCE_WORDS: usize = 12;

/// The author/date block of a paper.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Meta {
    authors: Option<u32>,
    organization: Option<String>,
    date: Option<PaperDate>,
    upvotes: Option<u32>,
}

impl Meta {
    /// Fills this block's missing fields from `other` (a block split by blank lines).
    fn fill(&mut self, other: Meta) {
        self.authors = self.authors.or(other.authors);
        self.organization = self.organization.take().or(other.organization);
        self.date = self.date.or(other.date);
        self.upvotes = self.upvotes.or(other.upvotes);
    }
}

/// One line of a meta block.
#[derive(Debug, PartialEq, Eq)]
enum MetaLine {
    Authors(u32),
    Separator,
    Date(PaperDate, Option<u32>),
    Other(String),
}

fn month_number(word: &str) -> Option<u8> {
    let lower = word.to_ascii_lowercase();
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let by_abbrev = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(&lower));
    let by_full = FULL.iter().position(|m| *m == lower);
    let sept = (lower == "sept").then_some(8);
    let index = by_abbrev.or(by_full).or(sept)?;
    u8::try_from(index + 1).ok()
}

fn is_count(word: &str) -> bool {
    !word.is_empty() && word.len() <= 9 && word.bytes().all(|b| b.is_ascii_digit())
}

/// "Mar 3, 2023", "Jul 9", "Sep 23, 2023 2", "Nov 17 3", "2023-03-03" → date and upvotes.
fn parse_date_line(line: &str) -> Option<(PaperDate, Option<u32>)> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let upvotes_at = |i: usize| -> Option<Option<u32>> {
        match tokens.len() {
            n if n == i => Some(None),
            n if n == i + 1 && is_count(tokens[i]) => Some(tokens[i].parse().ok()),
            _ => None,
        }
    };
    let first = *tokens.first()?;
    if first.len() == 10 && first.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Some((PaperDate::parse(first)?, upvotes_at(1)?));
    }
    let month = month_number(first)?;
    let day_token = *tokens.get(1)?;
    if let Some(day) = day_token.strip_suffix(',') {
        let year = *tokens.get(2)?;
        if year.len() != 4 || !is_count(year) || !is_count(day) || day.len() > 2 {
            return None;
        }
        let date = PaperDate::new(Some(year.parse().ok()?), month, day.parse().ok()?)?;
        Some((date, upvotes_at(3)?))
    } else {
        if !is_count(day_token) || day_token.len() > 2 {
            return None;
        }
        let date = PaperDate::new(None, month, day_token.parse().ok()?)?;
        Some((date, upvotes_at(2)?))
    }
}

fn meta_line(line: &str) -> MetaLine {
    let t = line.trim();
    if t == "·" || t == "•" {
        return MetaLine::Separator;
    }
    let without_bullet = t.trim_start_matches(['•', '·']).trim();
    if let [n, word] = without_bullet.split_whitespace().collect::<Vec<_>>()[..] {
        if (word == "author" || word == "authors") && is_count(n) {
            if let Ok(n) = n.parse() {
                return MetaLine::Authors(n);
            }
        }
    }
    match parse_date_line(t) {
        Some((date, upvotes)) => MetaLine::Date(date, upvotes),
        None => MetaLine::Other(t.to_string()),
    }
}

/// The meta block in `para`, if it is one.
fn parse_meta(para: &Paragraph<'_>) -> Option<Meta> {
    if para.lines.len() > 5 {
        return None;
    }
    let lines: Vec<MetaLine> = para.lines.iter().map(|l| meta_line(l)).collect();
    let mut meta = Meta::default();
    let (mut seps, mut dates, mut authors, mut others) = (0, 0, 0, 0);
    for line in &lines {
        match line {
            MetaLine::Separator => seps += 1,
            MetaLine::Authors(n) => {
                authors += 1;
                meta.authors = Some(*n);
            }
            MetaLine::Date(d, u) => {
                dates += 1;
                meta.date = Some(*d);
                meta.upvotes = *u;
            }
            MetaLine::Other(text) => {
                // An organisation line comes before the separator and is short.
                let before_sep = seps == 0;
                if !before_sep || text.chars().count() > 100 {
                    return None;
                }
                others += 1;
                meta.organization = Some(text.clone());
            }
        }
    }
    if dates > 1 || authors > 1 || others > 1 || (others == 1 && seps == 0) {
        return None;
    }
    let date_with_votes = lines.len() == 1 && meta.upvotes.is_some();
    let is_meta = authors == 1 || seps > 0 || date_with_votes;
    is_meta.then_some(meta)
}

fn is_chrome_text(line: &str) -> bool {
    let normalized = line.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    CHROME.contains(&normalized.as_str())
}

/// A date heading: a date alone on its line, without an upvote count.
fn date_heading(line: &str) -> Option<PaperDate> {
    match parse_date_line(line) {
        Some((date, None)) => Some(date),
        _ => None,
    }
}

/// What a content paragraph looks like on its own.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Title,
    Abstract,
    /// A short single sentence ending in a period: decided by context.
    Either,
}

fn classify(para: &Paragraph<'_>, joined: &str) -> Kind {
    if para.lines.len() > 1 {
        return Kind::Abstract;
    }
    let chars = joined.chars().count();
    let words = joined.split_whitespace().count();
    if chars > MAX_TITLE_CHARS || words > MAX_TITLE_WORDS {
        return Kind::Abstract;
    }
    if !sentence_ends(joined, false).is_empty() {
        return Kind::Abstract;
    }
    if joined.ends_with('.') {
        return Kind::Either;
    }
    Kind::Title
}

/// A paper being assembled from its paragraphs.
#[derive(Debug, Default)]
struct Pending {
    title: Option<(String, usize)>,
    abstract_text: Option<(String, usize)>,
    meta: Option<Meta>,
}

impl Pending {
    fn waiting_for_abstract(&self) -> bool {
        self.title.is_some() && self.abstract_text.is_none()
    }

    fn into_paper(self, report: &mut FileReport) -> Option<Paper> {
        let (abstract_text, abstract_line) = self.abstract_text.unzip();
        let abstract_text = abstract_text.unwrap_or_default();
        let mut paper = match self.title {
            Some((title, line)) => new_paper(ids::title_id(&title), title, false, abstract_text, report.loc(line)),
            None => {
                let line = abstract_line?;
                new_paper(
                    ids::abstract_id(&abstract_text),
                    title::derive_title(&abstract_text),
                    true,
                    abstract_text,
                    report.loc(line),
                )
            }
        };
        paper.code = links::code_links(&paper.abstract_text);
        if let Some(meta) = self.meta {
            paper.authors = meta.authors;
            paper.organization = meta.organization;
            paper.date = meta.date;
            paper.upvotes = meta.upvotes;
        }
        report.read += 1;
        Some(paper)
    }
}

fn flush(pending: Option<Pending>, report: &mut FileReport, papers: &mut Vec<Paper>) {
    if let Some(paper) = pending.and_then(|p| p.into_paper(report)) {
        papers.push(paper);
    }
}

/// The papers of a daily-papers page dump; orphan meta blocks go to `report` as skipped.
pub(crate) fn parse(text: &str, report: &mut FileReport) -> Vec<Paper> {
    let mut papers = Vec::new();
    let mut current: Option<Pending> = None;
    let mut previous_was_meta = false;
    for para in paragraphs(text) {
        let joined = para.joined();
        if para.lines.len() == 1 && is_chrome_text(&joined) {
            previous_was_meta = false;
            continue;
        }
        if para.lines.len() == 1 {
            if let Some(date) = date_heading(&joined) {
                // A date split from its meta block by a blank line belongs to it.
                let meta = current.as_mut().and_then(|p| p.meta.as_mut());
                match meta {
                    Some(meta) if previous_was_meta && meta.date.is_none() => meta.date = Some(date),
                    _ => previous_was_meta = false,
                }
                continue;
            }
        }
        if let Some(meta) = parse_meta(&para) {
            match current.as_mut() {
                Some(p) if p.meta.is_none() => p.meta = Some(meta),
                Some(Pending { meta: Some(existing), .. }) if previous_was_meta => existing.fill(meta),
                _ => report.skip(
                    para.line,
                    format!("author/date lines with no paper before them: {:?}", title::truncate(&joined, 60)),
                ),
            }
            previous_was_meta = true;
            continue;
        }
        previous_was_meta = false;
        let waiting = current.as_ref().is_some_and(Pending::waiting_for_abstract);
        let is_title = match classify(&para, &joined) {
            Kind::Title => true,
            Kind::Abstract => false,
            Kind::Either => !waiting && joined.split_whitespace().count() < MIN_SENTENCE_WORDS,
        };
        if is_title {
            flush(current.take(), report, &mut papers);
            current = Some(Pending { title: Some((joined, para.line)), ..Pending::default() });
        } else if let Some(p) = current.as_mut().filter(|p| p.waiting_for_abstract()) {
            p.abstract_text = Some((joined, para.line));
        } else {
            flush(current.take(), report, &mut papers);
            current = Some(Pending { abstract_text: Some((joined, para.line)), ..Pending::default() });
        }
    }
    flush(current.take(), report, &mut papers);
    papers
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::digest::report::Format;

    fn run(text: &str) -> (Vec<Paper>, FileReport) {
        let mut r = FileReport::new("d.txt", Format::DailyPapers);
        let papers = parse(text, &mut r);
        (papers, r)
    }

    const ABSTRACT: &str = "We study a problem. We show that it is hard, and we then solve it \
                            anyway with a new method. Code: https://github.com/o/r.";

    #[test]
    fn date_lines() {
        let d = |y, m, d| PaperDate::new(y, m, d).unwrap();
        assert_eq!(parse_date_line("May 1, 2023"), Some((d(Some(2023), 5, 1), None)));
        assert_eq!(parse_date_line("Sep 23, 2023 2"), Some((d(Some(2023), 9, 23), Some(2))));
        assert_eq!(parse_date_line("Nov 17 3"), Some((d(None, 11, 17), Some(3))));
        assert_eq!(parse_date_line("Jul 9"), Some((d(None, 7, 9), None)));
        assert_eq!(parse_date_line("2023-03-03"), Some((d(Some(2023), 3, 3), None)));
        assert_eq!(parse_date_line("Mayday 3"), None);
        assert_eq!(parse_date_line("May 32"), None);
        assert_eq!(parse_date_line("May 3 is here"), None);
        assert_eq!(parse_date_line("Mar 3, 23"), None);
    }

    #[test]
    fn meta_lines() {
        assert_eq!(meta_line("  • 4 authors"), MetaLine::Authors(4));
        assert_eq!(meta_line("• 1 author"), MetaLine::Authors(1));
        assert_eq!(meta_line("·"), MetaLine::Separator);
        assert_eq!(meta_line("nielseniq NielsenIQ"), MetaLine::Other("nielseniq NielsenIQ".into()));
    }

    #[test]
    fn first_paper_right_after_chrome_and_meta() {
        let text = format!(
            "new\n\nSubscribe\n\nDaily Papers\n\nMar 18\n\nA Title\n\n{ABSTRACT}\n\n  • 4 authors\n·\nMay 1, 2023\n\n\
             Org Paper\n\n{ABSTRACT} Other.\n\nnielseniq NielsenIQ\n·\nNov 17 3\n"
        );
        let (papers, r) = run(&text);
        assert_eq!(papers.len(), 2);
        assert_eq!(r.read, 2);
        assert!(r.skipped.is_empty());
        let p = &papers[0];
        assert_eq!((p.title.as_str(), p.source.line), ("A Title", 9));
        assert_eq!(p.authors, Some(4));
        assert_eq!(p.date, PaperDate::new(Some(2023), 5, 1));
        assert_eq!(p.code, ["https://github.com/o/r"]);
        let q = &papers[1];
        assert_eq!(q.organization.as_deref(), Some("nielseniq NielsenIQ"));
        assert_eq!((q.date, q.upvotes, q.authors), (PaperDate::new(None, 11, 17), Some(3), None));
    }

    #[test]
    fn title_without_abstract_and_trailing_untitled_abstract() {
        let text = format!("Mar 1\n\nLonely Title\n\nSecond Title\n\n{ABSTRACT}\n\n{ABSTRACT} Again.\n");
        let (papers, r) = run(&text);
        assert_eq!(r.read, 3);
        assert_eq!(papers.len(), 3);
        assert_eq!(papers[0].title, "Lonely Title");
        assert_eq!(papers[0].abstract_text, "");
        assert_eq!(papers[1].title, "Second Title");
        assert!(papers[2].title_derived);
        assert_eq!(papers[2].title, "We study a problem");
        assert_eq!(papers[2].source.line, 9);
        assert!(papers[2].id.starts_with("abstract-"));
    }

    #[test]
    fn orphan_meta_is_skipped_and_split_meta_is_joined() {
        let text = format!("new\n\n• 3 authors\n·\nJan 1, 2020\n\nT\n\n{ABSTRACT}\n\n• 2 authors\n·\n\nJul 9\n");
        let (papers, r) = run(&text);
        assert_eq!(r.read, 2);
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].loc.line, 3);
        assert_eq!(papers[0].authors, Some(2));
        assert_eq!(papers[0].date, PaperDate::new(None, 7, 9));
    }

    #[test]
    fn short_sentence_after_title_is_its_abstract() {
        let (papers, _) = run("Title One\n\nWe do a thing.\n\nTitle Two\n");
        assert_eq!(papers.len(), 2);
        assert_eq!(papers[0].abstract_text, "We do a thing.");
        assert_eq!(papers[1].title, "Title Two");
    }

    #[test]
    fn titles_with_abbreviations_and_marks_stay_titles() {
        let text = format!(
            "Revisiting Discriminative vs. Generative Classifiers: Theory\n\n{ABSTRACT}\n\n\
             Heavy Labels Out! Dataset Distillation\n\n{ABSTRACT}\n"
        );
        let (papers, _) = run(&text);
        assert_eq!(papers.len(), 2);
        assert!(!papers[0].title_derived && !papers[1].title_derived);
    }
}
