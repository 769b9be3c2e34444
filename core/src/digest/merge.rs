//! Merging duplicate records, within a file and across files.
//!
//! Two records are the same paper when their titles are equal after folding (Unicode NFKD,
//! combining marks dropped, lowercased, every run of non-alphanumeric characters one space), so
//! "Poincaré ResNet" = "poincare resnet!". Records whose title was *derived* are only the same
//! when their abstracts are identical (whitespace collapsed): two derived titles can coincide by
//! accident. Records that carry their own id (JSON/JSONL) are distinct documents whatever their
//! titles — two packages may share a description — and merge only with a record of the same id
//! *and* the same folded title (a repeated record). A title that folds to nothing never merges.
//!
//! Invariants: the first occurrence is kept, in its place, with its source; later duplicates
//! only fill its missing fields (date, authors, organization, upvotes, code, url, and the
//! abstract if it was empty) and are recorded as [`Merged`] in the report of the file they came
//! from. Every kept paper has a unique id: a later paper whose id is taken (two different
//! records with the same explicit id) gets `-2`, `-3`, … appended and a warning.

use super::report::{FileReport, Merged};
use crate::paper::Paper;
use std::collections::HashMap;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// What makes two records the same paper.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Title(String),
    DerivedAbstract(String),
    GivenId(String, String),
}

/// `title` folded for duplicate detection (see the module docs).
pub(crate) fn fold_title(title: &str) -> String {
    let folded: String = title
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn key(paper: &Paper) -> Option<Key> {
    let key = if paper.id_given {
        return Some(Key::GivenId(paper.id.clone(), fold_title(&paper.title)));
    } else if paper.title_derived {
        Key::DerivedAbstract(paper.abstract_text.split_whitespace().collect::<Vec<_>>().join(" "))
    } else {
        Key::Title(fold_title(&paper.title))
    };
    match &key {
        Key::Title(k) | Key::DerivedAbstract(k) if k.is_empty() => None,
        _ => Some(key),
    }
}

/// Accumulates papers in order, merging duplicates.
#[derive(Debug, Default)]
pub(crate) struct Merger {
    papers: Vec<Paper>,
    by_key: HashMap<Key, usize>,
    by_id: HashMap<String, usize>,
}

impl Merger {
    /// Adds `paper`, read from the file `report` is about: it is either kept (`indexed` + 1) or
    /// merged into an earlier paper (a [`Merged`] entry).
    pub fn add(&mut self, mut paper: Paper, report: &mut FileReport) {
        let key = key(&paper);
        if let Some(&i) = key.as_ref().and_then(|k| self.by_key.get(k)) {
            let kept = &mut self.papers[i];
            report.merged.push(Merged {
                loc: paper.source.clone(),
                into: kept.source.clone(),
                title: paper.title.clone(),
            });
            fill_missing(kept, paper);
            return;
        }
        if let Some(&other) = self.by_id.get(&paper.id) {
            let taken = paper.id.clone();
            let mut n = 2;
            while self.by_id.contains_key(&format!("{taken}-{n}")) {
                n += 1;
            }
            paper.id = format!("{taken}-{n}");
            let other = &self.papers[other];
            report.warn(
                paper.source.line,
                format!(
                    "id {taken:?} is already used by {:?} ({}); this record is kept as {:?}",
                    other.title, other.source, paper.id
                ),
            );
        }
        let index = self.papers.len();
        if let Some(key) = key {
            self.by_key.insert(key, index);
        }
        self.by_id.insert(paper.id.clone(), index);
        self.papers.push(paper);
        report.indexed += 1;
    }

    /// The kept papers, in order of first occurrence.
    pub fn into_papers(self) -> Vec<Paper> {
        self.papers
    }
}

/// Fills the fields `kept` lacks from its later duplicate `dup`.
fn fill_missing(kept: &mut Paper, dup: Paper) {
    if kept.abstract_text.trim().is_empty() && !dup.abstract_text.trim().is_empty() {
        kept.abstract_text = dup.abstract_text;
    }
    if kept.url.is_none() {
        kept.url = dup.url;
    }
    if kept.date.is_none() {
        kept.date = dup.date;
    }
    if kept.authors.is_none() {
        kept.authors = dup.authors;
    }
    if kept.organization.is_none() {
        kept.organization = dup.organization;
    }
    if kept.upvotes.is_none() {
        kept.upvotes = dup.upvotes;
    }
    if kept.code.is_empty() {
        kept.code = dup.code;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::new_paper;
    use crate::digest::report::Format;
    use crate::paper::{PaperDate, SourceLoc};

    fn p(id: &str, title: &str, line: usize) -> Paper {
        new_paper(id.into(), title.into(), false, String::new(), SourceLoc { file: "f".into(), line })
    }

    #[test]
    fn folds_titles() {
        assert_eq!(fold_title("  Poincaré  ResNet!"), "poincare resnet");
        assert_eq!(fold_title("A:B--c"), "a b c");
        assert_eq!(fold_title("?!"), "");
    }

    #[test]
    fn records_with_their_own_ids_are_distinct_despite_equal_titles() {
        let given = |id: &str, title: &str, line| Paper { id_given: true, ..p(id, title, line) };
        let mut m = Merger::default();
        let mut r = FileReport::new("f.jsonl", Format::Jsonl);
        m.add(given("deb:libgrpc-dev", "libgrpc-dev: RPC framework", 1), &mut r);
        m.add(given("deb:libgrpc++-dev", "libgrpc-dev: RPC framework", 2), &mut r);
        m.add(given("deb:libgrpc-dev", "libgrpc-dev: RPC framework", 3), &mut r); // a repeated record
        m.add(given("deb:libgrpc-dev", "another title", 4), &mut r); // an id clash: kept, renamed
        assert_eq!((r.indexed, r.merged.len(), r.warnings.len()), (3, 1, 1));
        assert_eq!(r.merged[0].loc.line, 3);
        let ids: Vec<String> = m.into_papers().into_iter().map(|p| p.id).collect();
        assert_eq!(ids, ["deb:libgrpc-dev", "deb:libgrpc++-dev", "deb:libgrpc-dev-2"]);
    }

    #[test]
    fn merges_and_fills() {
        let mut m = Merger::default();
        let mut r = FileReport::new("f", Format::Json);
        m.add(p("a", "Same Title", 1), &mut r);
        let mut dup = p("b", "same title.", 5);
        dup.date = PaperDate::new(None, 3, 1);
        dup.abstract_text = "text".into();
        dup.code = vec!["https://github.com/x/y".into()];
        m.add(dup, &mut r);
        m.add(p("c", "?!", 7), &mut r);
        m.add(p("d", "?!", 8), &mut r);
        assert_eq!(r.indexed, 3);
        assert_eq!(r.merged.len(), 1);
        assert_eq!((r.merged[0].loc.line, r.merged[0].into.line), (5, 1));
        let papers = m.into_papers();
        assert_eq!(papers[0].id, "a");
        assert_eq!(papers[0].abstract_text, "text");
        assert_eq!(papers[0].date, PaperDate::new(None, 3, 1));
        assert_eq!(papers[0].code.len(), 1);
    }

    #[test]
    fn renames_duplicate_ids() {
        let mut m = Merger::default();
        let mut r = FileReport::new("f", Format::Json);
        m.add(p("x", "One", 1), &mut r);
        m.add(p("x", "Two", 2), &mut r);
        m.add(p("x", "Three", 3), &mut r);
        let ids: Vec<String> = m.into_papers().into_iter().map(|p| p.id).collect();
        assert_eq!(ids, ["x", "x-2", "x-3"]);
        assert_eq!(r.warnings.len(), 2);
        assert_eq!(r.indexed, 3);
    }

    #[test]
    fn derived_titles_merge_only_on_identical_abstracts() {
        let mut m = Merger::default();
        let mut r = FileReport::new("f", Format::AbstractList);
        let mut a = p("abstract-1", "Derived", 1);
        a.title_derived = true;
        a.abstract_text = "Alpha  beta.".into();
        let mut b = a.clone();
        b.id = "abstract-2".into();
        b.abstract_text = "Alpha beta gamma.".into();
        let mut c = a.clone();
        c.abstract_text = "Alpha beta.".into();
        m.add(a, &mut r);
        m.add(b, &mut r);
        m.add(c, &mut r);
        assert_eq!((r.indexed, r.merged.len()), (2, 1));
    }
}
