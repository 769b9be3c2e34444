//! Digest files → [`Paper`]s, with a full accounting [`Report`].
//!
//! A *digest* is any file of papers paperbloom indexes. Four formats are read, chosen per file:
//!
//! | file                         | format                      | module        |
//! |------------------------------|-----------------------------|---------------|
//! | `*.json`                     | [`Format::Json`]            | `json.rs`     |
//! | `*.jsonl`, `*.ndjson`        | [`Format::Jsonl`]           | `json.rs`     |
//! | text, first line `Abstract:` | [`Format::AbstractList`]    | `abstracts.rs`|
//! | any other text               | [`Format::DailyPapers`]     | `daily.rs`    |
//!
//! Titles and abstracts lose their LaTeX markup (`latex.rs`: `Poincar\'e` → `Poincaré`, `$\times$` → `×`)
//! before anything else sees them.
//!
//! Every file is decoded the same way (`text.rs`): a UTF-8 byte-order mark is dropped, CRLF is
//! accepted, invalid UTF-8 is an error naming the line. A file with nothing but whitespace is not
//! an error: it reads zero records.
//!
//! The accounting invariant: every record read from a file ends up exactly once as indexed, merged
//! into an earlier duplicate (`merge.rs`), or skipped with a reason —
//! `read == indexed + merged.len() + skipped.len()` for every [`FileReport`]. Problems with single
//! records never abort a load; [`DigestError`] is only for files that cannot be read at all, and
//! for a load that finds no papers. Nothing here panics on any input.

mod abstracts;
mod daily;
mod error;
pub mod ids;
mod json;
pub mod latex;
mod links;
mod merge;
mod report;
mod text;
mod title;

pub use error::DigestError;
pub use links::{is_safe_link, link_url};
pub use report::{FileReport, Format, Merged, Report, Skipped};
pub use title::derive_title;

use crate::paper::{Paper, SourceLoc};
use merge::Merger;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The papers of a set of digest files, and what happened to every record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Digest {
    /// Unique papers (by title and by id), in order of first occurrence.
    pub papers: Vec<Paper>,
    /// Per-file accounting.
    pub report: Report,
}

/// A paper with only the given fields set.
pub(crate) fn new_paper(
    id: String,
    title: String,
    title_derived: bool,
    abstract_text: String,
    source: SourceLoc,
) -> Paper {
    Paper {
        id,
        id_given: false,
        title,
        title_derived,
        abstract_text,
        url: None,
        date: None,
        authors: None,
        organization: None,
        upvotes: None,
        code: Vec::new(),
        source,
    }
}

/// The files named by `paths`: a file as it is, a directory as its regular files sorted by name
/// (not recursive; names starting with `.` skipped). A path that does not exist is an error.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, DigestError> {
    let mut files = Vec::new();
    for path in paths {
        let label = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| io_error(&label, &e))?;
        if !meta.is_dir() {
            files.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path).map_err(|e| io_error(&label, &e))?;
        let mut in_dir = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&label, &e))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let entry_path = entry.path();
            // Follows symlinks; entries that vanish or cannot be inspected are left out.
            if std::fs::metadata(&entry_path).is_ok_and(|m| m.is_file()) {
                in_dir.push(entry_path);
            }
        }
        in_dir.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        files.extend(in_dir);
    }
    Ok(files)
}

fn io_error(label: &str, e: &std::io::Error) -> DigestError {
    use std::io::ErrorKind;
    let (message, hint) = match e.kind() {
        ErrorKind::NotFound => (
            "no such file or directory".to_string(),
            "check the path; digests are given as files or directories of files",
        ),
        ErrorKind::PermissionDenied => ("permission denied".to_string(), "make the file readable by this user"),
        _ => (format!("cannot read: {e}"), "check that the path is a readable file or directory"),
    };
    DigestError::new(label, message, hint)
}

impl Digest {
    /// Rewrites every paper's source file relative to `base` (or to its bare file name when it
    /// lies elsewhere), so that what is stored does not depend on where a checkout lives: the
    /// same digest gives the same index bytes on any machine.
    pub fn relativize_sources(&mut self, base: &Path) {
        for p in &mut self.papers {
            let path = Path::new(&p.source.file);
            let rel = match path.strip_prefix(base) {
                Ok(rel) => rel.display().to_string(),
                Err(_) => path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            };
            if !rel.is_empty() {
                p.source.file = rel;
            }
        }
    }
}

/// Reads, parses and merges the digests named by `paths` (see [`expand_paths`]).
///
/// Errors when a file cannot be read or decoded, a JSON file is malformed, or no file yields a
/// single paper.
pub fn load(paths: &[PathBuf]) -> Result<Digest, DigestError> {
    let files = expand_paths(paths)?;
    let mut parsed = Vec::with_capacity(files.len());
    for file in &files {
        let label = file.display().to_string();
        let bytes = std::fs::read(file).map_err(|e| io_error(&label, &e))?;
        parsed.push(parse_bytes(&label, &bytes)?);
    }
    let fallback = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
    non_empty(merge_files(parsed), &fallback)
}

/// Like [`load`], for digests already in memory: `(file label, bytes)` pairs, in order (the
/// label names the file in reports and its extension chooses the format).
pub fn load_bytes(files: &[(String, Vec<u8>)]) -> Result<Digest, DigestError> {
    let mut parsed = Vec::with_capacity(files.len());
    for (label, bytes) in files {
        parsed.push(parse_bytes(label, bytes)?);
    }
    non_empty(merge_files(parsed), "(no digest files)")
}

/// `digest`, or the "no papers found" error when it has none.
fn non_empty(digest: Digest, fallback_label: &str) -> Result<Digest, DigestError> {
    if digest.report.total_indexed() > 0 {
        return Ok(digest);
    }
    let names: Vec<&str> = digest.report.files.iter().map(|f| f.file.as_str()).collect();
    let label = if names.is_empty() { fallback_label.to_string() } else { names.join(", ") };
    Err(DigestError::new(
        label,
        format!(
            "no papers found in any digest ({} file(s), {} record(s) read, {} skipped)",
            digest.report.files.len(),
            digest.report.total_read(),
            digest.report.total_skipped()
        ),
        "digests are daily-papers page dumps, `Abstract:` line lists, .json arrays or .jsonl \
         files; check that the right files were given and that they are not empty",
    ))
}

/// Merges the papers of several parsed files (each already merged within itself), in order.
pub(crate) fn merge_files(parsed: Vec<(Vec<Paper>, FileReport)>) -> Digest {
    let mut merger = Merger::default();
    let mut files = Vec::with_capacity(parsed.len());
    for (papers, mut report) in parsed {
        report.indexed = 0;
        for paper in papers {
            merger.add(paper, &mut report);
        }
        files.push(report);
    }
    Digest { papers: merger.into_papers(), report: Report { files } }
}

/// The format of a file named `file_label` with text `text`.
fn detect_format(file_label: &str, text: &str) -> Format {
    let ext = Path::new(file_label).extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "json" => Format::Json,
        "jsonl" | "ndjson" => Format::Jsonl,
        _ => {
            let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
            if abstracts::strip_prefix(first).is_some() {
                Format::AbstractList
            } else {
                Format::DailyPapers
            }
        }
    }
}

/// Parses one file's bytes (duplicates merged within the file, not across files).
///
/// `file_label` names the file in reports and errors, and its extension chooses JSON or JSONL.
pub fn parse_bytes(file_label: &str, bytes: &[u8]) -> Result<(Vec<Paper>, FileReport), DigestError> {
    let text = text::decode(file_label, bytes)?;
    let format = detect_format(file_label, text);
    let mut report = FileReport::new(file_label, format);
    if text.trim().is_empty() {
        return Ok((Vec::new(), report));
    }
    let raw = match format {
        Format::Json => json::parse_json(text, &mut report)?,
        Format::Jsonl => json::parse_jsonl(text, &mut report),
        Format::AbstractList => abstracts::parse(text, &mut report),
        Format::DailyPapers => daily::parse(text, &mut report),
    };
    let mut merger = Merger::default();
    for mut paper in raw {
        limit_fields(&mut paper, &mut report);
        // Displayed (and so indexed) without LaTeX markup.
        for text in [&mut paper.title, &mut paper.abstract_text] {
            if let Cow::Owned(clean) = latex::display(text) {
                *text = clean;
            }
        }
        merger.add(paper, &mut report);
    }
    Ok((merger.into_papers(), report))
}

/// Longest abstract kept, in bytes (1 MiB, some 150,000 words): a longer one — a whole book
/// pasted in, a runaway line — is cut at a word boundary, with a warning.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// Longest title kept, in bytes; a longer one is cut, with a warning.
pub const MAX_TITLE_BYTES: usize = 2048;

/// Cuts an over-long title or abstract (see [`MAX_FIELD_BYTES`]), saying so in `report`.
fn limit_fields(paper: &mut Paper, report: &mut FileReport) {
    for (text, cap, what) in
        [(&mut paper.title, MAX_TITLE_BYTES, "title"), (&mut paper.abstract_text, MAX_FIELD_BYTES, "abstract")]
    {
        if text.len() > cap {
            let was = text.len();
            let kept = crate::paper::cut_text(text, cap).len();
            text.truncate(kept);
            report.warnings.push(Skipped {
                loc: paper.source.clone(),
                reason: format!(
                    "{what} of {was} bytes cut to its first {kept} (at most {cap} are kept); split or shorten it \
                     to keep the rest searchable"
                ),
            });
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(detect_format("a.JSON", ""), Format::Json);
        assert_eq!(detect_format("dir.d/a.ndjson", ""), Format::Jsonl);
        assert_eq!(detect_format("a.txt", "\n  \nAbstract: x"), Format::AbstractList);
        assert_eq!(detect_format("a", "new\nAbstract: x"), Format::DailyPapers);
    }

    #[test]
    fn merges_within_and_across_files() {
        let a = "Same Title\n\nWe study a thing. We show results.\n\nSame  title!\n\n\
                 We study a thing again. More.\n\n• 2 authors\n·\nJul 9\n";
        let (papers, report) = parse_bytes("a.txt", a.as_bytes()).unwrap();
        assert_eq!(papers.len(), 1);
        assert_eq!((report.read, report.indexed, report.merged.len()), (2, 1, 1));
        assert_eq!(papers[0].authors, Some(2), "filled from the duplicate");
        let b = r#"[{"title": "SAME TITLE", "url": "https://a.org"}, {"title": "Other"}]"#;
        let second = parse_bytes("b.json", b.as_bytes()).unwrap();
        let digest = merge_files(vec![(papers, report), second]);
        assert_eq!(digest.papers.len(), 2);
        assert_eq!(digest.papers[0].url.as_deref(), Some("https://a.org"));
        let rb = &digest.report.files[1];
        assert_eq!((rb.read, rb.indexed, rb.merged.len()), (2, 1, 1));
        assert_eq!(rb.merged[0].into, SourceLoc { file: "a.txt".into(), line: 1 });
        assert!(digest.report.files.iter().all(FileReport::is_balanced));
        assert!(!digest.report.has_problems());
    }
}
