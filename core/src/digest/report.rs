//! The accounting report of a digest load: for every file, how many records were read and what
//! became of each one.
//!
//! Invariant (checked by [`FileReport::is_balanced`] and the tests): every record read is exactly
//! one of indexed, merged into an earlier record, or skipped —
//! `read == indexed + merged.len() + skipped.len()`. Warnings are about fields of records that
//! were kept (an unparseable date, a dropped `javascript:` link, a renamed duplicate id); they
//! never drop a record and are not part of that sum.

use crate::paper::SourceLoc;
use serde::Serialize;
use std::fmt;

/// The format a digest file was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Format {
    /// A dump of a daily-papers web page: title, abstract and optional author/date paragraphs.
    DailyPapers,
    /// One `Abstract:<text>` line per paper; titles are derived.
    AbstractList,
    /// A JSON array of records (tinysearch's `{title,url,body,meta}` or paperbloom's own fields).
    Json,
    /// One JSON record per line (`.jsonl` / `.ndjson`).
    Jsonl,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::DailyPapers => "daily-papers",
            Format::AbstractList => "abstract-list",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
        })
    }
}

/// A record that was read but not indexed, or a field-level warning about a kept record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Where the record (or the offending field's record) is.
    pub loc: SourceLoc,
    /// Why, in words a person can act on.
    pub reason: String,
}

/// A record that duplicated an earlier one and was merged into it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Merged {
    /// Where the duplicate was read.
    pub loc: SourceLoc,
    /// Where the record it was merged into (the first occurrence) was read.
    pub into: SourceLoc,
    /// The duplicate's title as written.
    pub title: String,
}

/// What became of the records of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// The file as named on the command line or in the environment.
    pub file: String,
    /// The format it was read as.
    pub format: Format,
    /// Records read (papers, abstract lines, JSON records, stray lines).
    pub read: usize,
    /// Records that became papers of the digest.
    pub indexed: usize,
    /// Records merged into an earlier record with the same title.
    pub merged: Vec<Merged>,
    /// Records dropped, with the reason.
    pub skipped: Vec<Skipped>,
    /// Problems with fields of records that were kept.
    pub warnings: Vec<Skipped>,
}

impl FileReport {
    /// An empty report for `file`.
    pub fn new(file: &str, format: Format) -> Self {
        Self {
            file: file.to_string(),
            format,
            read: 0,
            indexed: 0,
            merged: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// True when `read == indexed + merged + skipped`.
    pub fn is_balanced(&self) -> bool {
        self.read == self.indexed + self.merged.len() + self.skipped.len()
    }

    /// Records a skipped record (and counts it as read).
    pub(crate) fn skip(&mut self, line: usize, reason: impl Into<String>) {
        self.read += 1;
        self.skipped.push(Skipped { loc: self.loc(line), reason: reason.into() });
    }

    /// Records a warning about a kept record.
    pub(crate) fn warn(&mut self, line: usize, reason: impl Into<String>) {
        self.warnings.push(Skipped { loc: self.loc(line), reason: reason.into() });
    }

    /// A location in this file.
    pub(crate) fn loc(&self, line: usize) -> SourceLoc {
        SourceLoc { file: self.file.clone(), line }
    }
}

/// The report of a whole load: one [`FileReport`] per file, in load order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Per-file reports, in the order the files were read.
    pub files: Vec<FileReport>,
}

impl Report {
    /// Records read over all files.
    pub fn total_read(&self) -> usize {
        self.files.iter().map(|f| f.read).sum()
    }

    /// Papers indexed over all files (the number of papers of the digest).
    pub fn total_indexed(&self) -> usize {
        self.files.iter().map(|f| f.indexed).sum()
    }

    /// Records merged into earlier ones over all files.
    pub fn total_merged(&self) -> usize {
        self.files.iter().map(|f| f.merged.len()).sum()
    }

    /// Records skipped over all files.
    pub fn total_skipped(&self) -> usize {
        self.files.iter().map(|f| f.skipped.len()).sum()
    }

    /// Field warnings over all files.
    pub fn total_warnings(&self) -> usize {
        self.files.iter().map(|f| f.warnings.len()).sum()
    }

    /// True when anything was skipped or warned about (merges are normal and not problems).
    pub fn has_problems(&self) -> bool {
        self.files.iter().any(|f| !f.skipped.is_empty() || !f.warnings.is_empty())
    }
}

impl fmt::Display for Report {
    /// One summary line per file followed by its merges, skipped records and warnings, then a
    /// line of totals. Every line, the last included, ends with a newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for file in &self.files {
            writeln!(
                f,
                "{} ({}): read {}, indexed {}, merged {}, skipped {}",
                file.file,
                file.format,
                file.read,
                file.indexed,
                file.merged.len(),
                file.skipped.len()
            )?;
            for m in &file.merged {
                writeln!(f, "  merged  {}: {:?} into {}", m.loc, m.title, m.into)?;
            }
            for s in &file.skipped {
                writeln!(f, "  skipped {}: {}", s.loc, s.reason)?;
            }
            for w in &file.warnings {
                writeln!(f, "  warning {}: {}", w.loc, w.reason)?;
            }
        }
        writeln!(
            f,
            "total: read {}, indexed {}, merged {}, skipped {}, warnings {}",
            self.total_read(),
            self.total_indexed(),
            self.total_merged(),
            self.total_skipped(),
            self.total_warnings()
        )
    }
}
