//! Synthetic digests through the public API: page-dump edge cases, encodings, JSON and JSONL,
//! empty files, path expansion and errors.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

use paperbloom_core::digest::{self, DigestError, FileReport, Format};
use paperbloom_core::{Paper, PaperDate};
use std::fs;
use std::path::PathBuf;

const ABSTRACT: &str = "We study the problem of testing parsers. We show that careful tests find \
                        bugs early. Code is at https://github.com/example/parser-tests.";

fn parse(label: &str, text: &str) -> (Vec<Paper>, FileReport) {
    let (papers, report) = digest::parse_bytes(label, text.as_bytes()).unwrap();
    assert!(report.is_balanced(), "{report:?}");
    (papers, report)
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("paperbloom-digest-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn first_paper_right_after_chrome() {
    let text = format!(
        "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n\
         byAK and the research community\n\nMar 18\n\nFirst Paper Title\n\n{ABSTRACT}\n"
    );
    let (papers, report) = parse("page.txt", &text);
    assert_eq!(report.format, Format::DailyPapers);
    assert_eq!((report.read, report.indexed), (1, 1));
    assert_eq!(papers[0].title, "First Paper Title");
    assert_eq!(papers[0].source.line, 13);
    assert_eq!(papers[0].abstract_text, ABSTRACT);
    assert_eq!(papers[0].code, ["https://github.com/example/parser-tests"]);
}

#[test]
fn papers_with_and_without_meta() {
    let text = format!(
        "Mar 18\n\nWith Meta\n\n{ABSTRACT}\n\n  • 4 authors\n·\nSep 23, 2023 2\n\n\
         Without Meta\n\n{ABSTRACT} Second.\n\nOrganisation Paper\n\n{ABSTRACT} Third.\n\n\
         acme Acme Corp\n·\nJul 9\n"
    );
    let (papers, report) = parse("page.txt", &text);
    assert_eq!(report.read, 3);
    let [with, without, org] = &papers[..] else { panic!("{papers:?}") };
    assert_eq!((with.authors, with.upvotes), (Some(4), Some(2)));
    assert_eq!(with.date, PaperDate::new(Some(2023), 9, 23));
    assert_eq!((without.authors, without.date, without.upvotes), (None, None, None));
    assert_eq!(org.organization.as_deref(), Some("acme Acme Corp"));
    assert_eq!(org.date, PaperDate::new(None, 7, 9), "no year is invented");
    assert_eq!(org.authors, None);
}

#[test]
fn title_without_abstract_is_kept() {
    let text = format!("Lonely Title\n\nNext Title\n\n{ABSTRACT}\n");
    let (papers, report) = parse("page.txt", &text);
    assert_eq!((report.read, report.indexed), (2, 2));
    assert!(report.skipped.is_empty() && report.warnings.is_empty());
    assert_eq!(papers[0].title, "Lonely Title");
    assert_eq!(papers[0].abstract_text, "");
    assert!(!papers[0].title_derived);
    assert_eq!(papers[1].abstract_text, ABSTRACT);
}

#[test]
fn abstract_without_title_gets_a_derived_title() {
    let untitled = "In this work we propose Widget-Net, a compact network for widgets. It is fast.";
    let text = format!("A Title\n\n{ABSTRACT}\n\n{untitled}\n");
    let (papers, report) = parse("page.txt", &text);
    assert_eq!(report.read, 2);
    let p = &papers[1];
    assert!(p.title_derived);
    assert_eq!(p.title, "Widget-Net: a compact network for widgets");
    assert_eq!(p.abstract_text, untitled);
    assert_eq!(p.source.line, 5);
    assert!(p.id.starts_with("abstract-"));
}

#[test]
fn bom_and_crlf() {
    let text = format!("\u{feff}new\r\n\r\nA Title\r\n\r\n{ABSTRACT}\r\n\r\n  • 2 authors\r\n·\r\nMay 1, 2023\r\n");
    let (papers, _) = parse("page.txt", &text);
    assert_eq!(papers.len(), 1);
    assert_eq!(papers[0].title, "A Title");
    assert_eq!(papers[0].source.line, 3);
    assert_eq!(papers[0].authors, Some(2));
    assert!(!papers[0].abstract_text.contains('\r'));

    let list = "\u{feff}Abstract: We present Foo, a bar.\r\nAbstract:Second entry.\r\n";
    let (papers, report) = parse("list.txt", list);
    assert_eq!(report.format, Format::AbstractList);
    assert_eq!(papers.len(), 2);
    assert_eq!(papers[0].title, "Foo: a bar");
    assert_eq!(papers[1].abstract_text, "Second entry.");
}

#[test]
fn invalid_utf8_is_an_error_naming_the_line() {
    let err = digest::parse_bytes("bad.txt", b"Title\n\nsome text\nmore \xE9t\xE9 text\n").unwrap_err();
    assert_eq!(err.file, "bad.txt");
    assert_eq!(err.line, Some(4));
    assert!(err.message.contains("UTF-8"), "{}", err.message);
    assert_eq!(err.hint, "re-save the file as UTF-8");
    let shown = err.to_string();
    assert!(shown.starts_with("bad.txt:4: not valid UTF-8"), "{shown}");
    assert!(shown.ends_with("\n  hint: re-save the file as UTF-8"), "{shown}");
}

#[test]
fn abstract_list_with_stray_lines() {
    let text = "Abstract:We propose Foo Bar Network (FBN), which works.\n\nnot an abstract\nAbstract:";
    let (papers, report) = parse("list.txt", text);
    assert_eq!((report.read, report.indexed, report.skipped.len()), (3, 1, 2));
    assert_eq!(papers[0].title, "Foo Bar Network (FBN)");
    assert_eq!(report.skipped[0].loc.line, 3);
    assert!(report.skipped[0].reason.contains("Abstract:"), "{}", report.skipped[0].reason);
}

#[test]
fn json_tinysearch_array() {
    let text = r#"[
  {"title": "Hello World", "url": "https://blog.example/hello/", "body": "First post.", "meta": "2023"},
  {"title": "Second Post", "url": "https://blog.example/second/", "body": "More words", "meta": ""}
]"#;
    let (papers, report) = parse("index.json", text);
    assert_eq!(report.format, Format::Json);
    assert_eq!((report.read, report.indexed), (2, 2));
    assert!(!report.has_skipped_or_warnings());
    assert_eq!(papers[0].url.as_deref(), Some("https://blog.example/hello/"));
    assert_eq!(papers[0].abstract_text, "First post.");
    assert_eq!(papers[1].source.line, 3);
    assert!(papers[0].id.starts_with("hello-world-"));
}

trait Problems {
    fn has_skipped_or_warnings(&self) -> bool;
}
impl Problems for FileReport {
    fn has_skipped_or_warnings(&self) -> bool {
        !self.skipped.is_empty() || !self.warnings.is_empty()
    }
}

#[test]
fn json_malformed_reports_the_line() {
    let text = "[\n  {\"title\": \"a\"},\n  {\"title\": \"b\" \"body\": \"c\"}\n]\n";
    let err = digest::parse_bytes("broken.json", text.as_bytes()).unwrap_err();
    assert_eq!(err.line, Some(3));
    assert!(err.message.contains("column"), "{}", err.message);
    assert!(!err.hint.is_empty());
    assert!(err.to_string().starts_with("broken.json:3: invalid JSON"), "{err}");
}

#[test]
fn json_rich_records_wrong_types_and_bad_links() {
    let text = r#"[
  {"id": "p1", "title": "Good", "abstract": "Text.", "date": "2023-03-03", "authors": 3,
   "upvotes": 7, "code": "https://github.com/o/good", "url": "javascript:alert(1)"},
  {"id": "p2", "title": 12, "body": "x"},
  {"id": "p3", "title": "Bad upvotes", "upvotes": "many"},
  {"id": ["x"], "title": "Bad id"},
  {"id": "p5", "title": "Bad date", "date": "sometime"},
  {"id": "p6", "meta": "nothing else"}
]"#;
    let (papers, report) = parse("rich.json", text);
    assert_eq!((report.read, report.indexed, report.skipped.len()), (6, 3, 3));
    let good = &papers[0];
    assert_eq!(good.id, "p1");
    assert_eq!(good.url, None, "javascript: url dropped");
    assert_eq!(good.code, ["https://github.com/o/good"]);
    assert_eq!(good.date, PaperDate::new(Some(2023), 3, 3));
    assert_eq!((good.authors, good.upvotes), (Some(3), Some(7)));
    // A wrong-typed optional field costs the field, not the paper.
    assert_eq!((papers[1].id.as_str(), papers[1].upvotes), ("p3", None));
    assert_eq!(papers[2].date, None);
    let reasons: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert!(reasons[0].contains("`[1].title`"), "{reasons:?}");
    assert!(reasons[1].contains("`[3].id`"), "{reasons:?}");
    assert!(reasons[2].contains("neither"), "{reasons:?}");
    let warnings: Vec<(usize, &str)> = report.warnings.iter().map(|w| (w.loc.line, w.reason.as_str())).collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert_eq!(warnings[0].0, 2);
    assert!(warnings[0].1.starts_with("`[0].url` \"javascript:"), "{warnings:?}");
    assert!(warnings[0].1.ends_with("\" is not an http(s) or relative link; dropped"), "{warnings:?}");
    assert_eq!(warnings[1].0, 5);
    assert!(warnings[1].1.contains("`[2].upvotes`") && warnings[1].1.ends_with("; ignored"), "{warnings:?}");
    assert!(warnings[2].1.contains("`[4].date`"), "{warnings:?}");
}

#[test]
fn jsonl_bad_line_among_good_ones() {
    let text = "{\"title\": \"One\", \"body\": \"b1\"}\n{\"title\": \"Two\", \"body\": \n\n{\"id\": 9, \"title\": \"Three\", \"authors\": [\"A\", \"B\", \"C\"]}\n";
    for name in ["x.jsonl", "x.ndjson"] {
        let (papers, report) = parse(name, text);
        assert_eq!(report.format, Format::Jsonl);
        assert_eq!((report.read, report.indexed, report.skipped.len()), (3, 2, 1));
        assert_eq!(report.skipped[0].loc.line, 2);
        assert_eq!(papers[1].id, "9");
        assert_eq!(papers[1].authors, Some(3));
        assert_eq!(papers[1].source.line, 4);
    }
}

#[test]
fn duplicate_explicit_ids_are_made_unique() {
    let text = "{\"id\": \"same\", \"title\": \"First\"}\n{\"id\": \"same\", \"title\": \"Second\"}\n{\"id\": \"same\", \"title\": \"first\"}\n";
    let (papers, report) = parse("ids.jsonl", text);
    let ids: Vec<&str> = papers.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["same", "same-2"]);
    assert_eq!(report.merged.len(), 1, "same title: merged, not renamed");
    assert_eq!(report.warnings.len(), 1);
    assert!(report.warnings[0].reason.contains("same-2"));
}

#[test]
fn empty_files_read_nothing() {
    for (name, text) in
        [("e.txt", ""), ("w.txt", "  \n\n\t\n"), ("e.json", "\n"), ("e.jsonl", ""), ("b.txt", "\u{feff}")]
    {
        let (papers, report) = parse(name, text);
        assert!(papers.is_empty());
        assert_eq!((report.read, report.indexed), (0, 0));
    }
    let dir = scratch("empty");
    fs::write(dir.join("empty.txt"), "").unwrap();
    let err = digest::load(std::slice::from_ref(&dir)).unwrap_err();
    assert!(err.message.starts_with("no papers found in any digest"), "{err}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn directories_expand_to_sorted_regular_files() {
    let dir = scratch("expand");
    for name in ["b.txt", "a.jsonl", ".hidden", "c.json"] {
        fs::write(dir.join(name), "").unwrap();
    }
    fs::create_dir(dir.join("sub")).unwrap();
    fs::write(dir.join("sub").join("inner.txt"), "x").unwrap();
    let extra = dir.join("sub").join("inner.txt");
    let files = digest::expand_paths(&[dir.clone(), extra.clone()]).unwrap();
    let names: Vec<PathBuf> = files.iter().map(|f| f.strip_prefix(&dir).unwrap().to_path_buf()).collect();
    assert_eq!(
        names,
        [PathBuf::from("a.jsonl"), "b.txt".into(), "c.json".into(), PathBuf::from("sub").join("inner.txt")]
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn load_merges_across_files_and_reports_per_file() {
    let dir = scratch("load");
    fs::write(dir.join("1.txt"), format!("Shared Title\n\n{ABSTRACT}\n")).unwrap();
    fs::write(dir.join("2.jsonl"), "{\"title\": \"shared title\", \"date\": \"Mar 3, 2023\"}\n{\"title\": \"Own\"}\n")
        .unwrap();
    let d = digest::load(std::slice::from_ref(&dir)).unwrap();
    assert_eq!(d.papers.len(), 2);
    assert_eq!(d.papers[0].date, PaperDate::new(Some(2023), 3, 3), "filled from the duplicate");
    assert_eq!(d.papers[0].abstract_text, ABSTRACT);
    let second = &d.report.files[1];
    assert_eq!((second.read, second.indexed, second.merged.len()), (2, 1, 1));
    assert_eq!(second.merged[0].into.line, 1);
    assert_eq!((d.report.total_read(), d.report.total_indexed(), d.report.total_merged()), (3, 2, 1));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn missing_path_is_an_error_naming_it() {
    let missing = std::env::temp_dir().join("paperbloom-no-such-digest-dir/none.txt");
    let err: DigestError = digest::expand_paths(std::slice::from_ref(&missing)).unwrap_err();
    assert_eq!(err.file, missing.display().to_string());
    assert_eq!(err.line, None);
    assert!(err.message.contains("no such file"), "{}", err.message);
    assert!(err.to_string().starts_with(&format!("{}: no such file", missing.display())));
    assert!(digest::load(&[missing]).is_err());
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A cheap deterministic fuzz: slices of a mixed corpus through every format.
    let corpus = format!(
        "new\n\nTitle\n\n{ABSTRACT}\n\n  • 4 authors\n·\nNov 17 3\n\nAbstract:x\n[{{\"title\": 1}}]\n\u{feff}é\r\n"
    );
    let bytes = corpus.as_bytes();
    for name in ["f.txt", "f.json", "f.jsonl"] {
        for start in 0..bytes.len() {
            for len in [1, 7, 31, 200] {
                let end = (start + len).min(bytes.len());
                if let Ok((_, report)) = digest::parse_bytes(name, &bytes[start..end]) {
                    assert!(report.is_balanced());
                }
            }
        }
    }
}

#[test]
fn load_bytes_and_the_printed_report() {
    let files = vec![
        ("a.txt".to_string(), format!("Shared\n\n{ABSTRACT}\n\n• 1 author\n·\nJul 9\n").into_bytes()),
        ("b.jsonl".to_string(), b"{\"title\": \"shared\"}\nnot json\n".to_vec()),
    ];
    let d = digest::load_bytes(&files).unwrap();
    assert_eq!(d.papers.len(), 1);
    assert!(d.report.has_problems());
    let shown = d.report.to_string();
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines[0], "a.txt (daily-papers): read 1, indexed 1, merged 0, skipped 0");
    assert_eq!(lines[1], "b.jsonl (jsonl): read 2, indexed 0, merged 1, skipped 1");
    assert!(lines[2].starts_with("  merged  b.jsonl:1: \"shared\" into a.txt:1"), "{shown}");
    assert!(lines[3].starts_with("  skipped b.jsonl:2: not valid JSON"), "{shown}");
    assert_eq!(lines[4], "total: read 3, indexed 1, merged 1, skipped 1, warnings 0");
    assert!(shown.ends_with('\n'));
    let none = digest::load_bytes(&[("e.txt".to_string(), Vec::new())]).unwrap_err();
    assert_eq!(none.file, "e.txt");
    assert!(none.message.starts_with("no papers found in any digest"));
}
