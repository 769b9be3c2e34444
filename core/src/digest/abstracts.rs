//! `Abstract:` line lists: one paper per line, `Abstract:<text>`, no titles.
//!
//! Invariants: blank lines are ignored and not counted; every other line is one record read.
//! A line with the prefix (any ASCII case, optional space after the colon) and some text becomes
//! a paper with a derived title (`title_derived = true`, see [`super::title`]), an
//! `abstract-…` id and the code links found in its text; a line without the prefix, or with the
//! prefix but no text, is skipped with the reason — never an error. The source line is the
//! line's own 1-based number.

use super::report::FileReport;
use super::text::numbered_lines;
use super::{ids, links, new_paper, title};
use crate::paper::Paper;

/// The prefix of every entry.
pub(crate) const PREFIX: &str = "Abstract:";

/// The text after the `Abstract:` prefix (any ASCII case), if `line` has it.
pub(crate) fn strip_prefix(line: &str) -> Option<&str> {
    let head = line.get(..PREFIX.len())?;
    head.eq_ignore_ascii_case(PREFIX).then(|| &line[PREFIX.len()..])
}

/// The papers of an abstract list; skipped lines go to `report`.
pub(crate) fn parse(text: &str, report: &mut FileReport) -> Vec<Paper> {
    let mut papers = Vec::new();
    for (line, raw) in numbered_lines(text) {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let Some(body) = strip_prefix(trimmed).map(str::trim) else {
            report.skip(line, format!("line does not start with {PREFIX:?}: {:?}", title::truncate(trimmed, 50)));
            continue;
        };
        if body.is_empty() {
            report.skip(line, format!("{PREFIX:?} with no abstract text after it"));
            continue;
        }
        report.read += 1;
        let mut paper =
            new_paper(ids::abstract_id(body), title::derive_title(body), true, body.to_string(), report.loc(line));
        paper.code = links::code_links(body);
        papers.push(paper);
    }
    papers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::report::Format;

    #[test]
    fn lines_and_stray_text() {
        let mut r = FileReport::new("a.txt", Format::AbstractList);
        let text = "Abstract:We propose Foo, a tool.\n\nabstract: Second one. Code at \
                    https://github.com/o/r.\nnot an entry\nAbstract:   \nAbstract:Last";
        let papers = parse(text, &mut r);
        assert_eq!(papers.len(), 3);
        assert_eq!(r.read, 5);
        assert_eq!(r.skipped.len(), 2);
        assert_eq!(r.skipped[0].loc.line, 4);
        assert_eq!(papers[0].title, "Foo: a tool");
        assert!(papers[0].title_derived);
        assert_eq!(papers[1].source.line, 3);
        assert_eq!(papers[1].code, ["https://github.com/o/r"]);
        assert_eq!(papers[2].abstract_text, "Last");
        assert!(papers[2].id.starts_with("abstract-"));
    }
}
