//! Hostile digests (issue 6): binary garbage, a 50 MB line, 10,000 identical papers, wrong JSON
//! types and missing fields, a bad JSONL line among good ones, BOM + CRLF. Each either works or
//! gives an error naming the file and line that says what to do, and the books always balance:
//! every record read is indexed, merged or skipped with a reason.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

use paperbloom_core::digest::{self, FileReport};
use paperbloom_core::index::{build, BuildOptions, Index};
use paperbloom_core::search::Searcher;
use paperbloom_core::Paper;

const ABSTRACT: &str = "We study hostile inputs to a digest parser and show that each one is reported.";

fn parsed(label: &str, bytes: &[u8]) -> (Vec<Paper>, FileReport) {
    let (papers, report) = digest::parse_bytes(label, bytes).unwrap();
    assert!(report.is_balanced(), "{report:?}");
    (papers, report)
}

#[test]
fn binary_garbage_is_named_as_such_with_what_to_give_instead() {
    // A PNG header and a run of bytes from a tiny xorshift generator: not a digest.
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.push(x as u8);
    }
    for name in ["logo.png", "digest.txt", "papers.json", "papers.jsonl"] {
        let err = digest::parse_bytes(name, &bytes).unwrap_err();
        assert_eq!(err.file, name);
        assert_eq!(err.line, Some(1), "{err}");
        assert!(err.message.contains("binary"), "{err}");
        assert!(err.hint.contains("JSON"), "the hint lists the formats read: {err}");
    }
    // Valid UTF-8 with NUL bytes is binary too (an object file, a database page).
    let err = digest::parse_bytes("db.txt", b"Title\n\nSome text\0\0\0\x01\x02 more\n").unwrap_err();
    assert!(err.message.contains("binary") && err.line == Some(3), "{err}");
    // UTF-16 keeps its own advice.
    let utf16: Vec<u8> = "\u{feff}Title\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let err = digest::parse_bytes("u16.txt", &utf16).unwrap_err();
    assert!(err.message.contains("UTF-16") && err.hint.contains("UTF-8"), "{err}");
}

#[test]
fn bom_and_crlf_simply_work_in_every_format() {
    let cases = [
        ("a.txt", format!("\u{feff}A Title Here\r\n\r\n{ABSTRACT}\r\n")),
        ("a.jsonl", format!("\u{feff}{{\"title\": \"A Title Here\", \"body\": \"{ABSTRACT}\"}}\r\n")),
        ("a.json", format!("\u{feff}[{{\"title\": \"A Title Here\", \"body\": \"{ABSTRACT}\"}}]\r\n")),
        ("l.txt", format!("\u{feff}Abstract:{ABSTRACT}\r\n")),
    ];
    for (name, text) in cases {
        let (papers, report) = parsed(name, text.as_bytes());
        assert_eq!((report.read, report.indexed), (1, 1), "{name}: {report:?}");
        assert!(!papers[0].title.contains('\r') && !papers[0].abstract_text.contains('\r'), "{name}");
        assert!(papers[0].abstract_text.starts_with("We study"), "{name}: {:?}", papers[0].abstract_text);
    }
}

#[test]
fn a_fifty_megabyte_line_is_indexed_with_its_text_cut_and_a_warning() {
    let word = "bloom ";
    let huge = word.repeat(50 * 1024 * 1024 / word.len());
    for (name, text) in [
        ("huge.jsonl", format!("{{\"title\": \"Huge\", \"body\": \"{huge}needle\"}}\n{{\"title\": \"Small\"}}\n")),
        ("huge.txt", format!("Abstract:{huge}needle\nAbstract:{ABSTRACT}\n")),
    ] {
        let (papers, report) = parsed(name, text.as_bytes());
        assert_eq!((report.read, report.indexed), (2, 2), "{name}");
        let big = &papers[0];
        assert!(big.abstract_text.len() <= digest::MAX_FIELD_BYTES, "{name}: {}", big.abstract_text.len());
        assert!(
            report.warnings.iter().any(|w| w.loc.line == 1 && w.reason.contains("cut")),
            "{name}: a warning says the text was cut: {:?}",
            report.warnings
        );
        // The widget's index builds and finds the paper.
        let (bytes, _) = build(&papers, &BuildOptions::default()).unwrap();
        let index = Index::open(&bytes).unwrap();
        let r = Searcher::new().search(&index, "bloom", 10).unwrap();
        assert_eq!(r.hits.first().map(|h| h.doc), Some(0), "{name}");
    }
}

#[test]
fn ten_thousand_identical_papers_merge_into_one() {
    let line = format!("{{\"title\": \"The Same Paper\", \"body\": \"{ABSTRACT}\"}}\n");
    let text = line.repeat(10_000);
    let (papers, report) = parsed("same.jsonl", text.as_bytes());
    assert_eq!(papers.len(), 1);
    assert_eq!((report.read, report.indexed, report.merged.len(), report.skipped.len()), (10_000, 1, 9_999, 0));
    assert_eq!(report.merged[9_998].loc.line, 10_000);
    assert_eq!(report.merged[9_998].into.line, 1);
}

#[test]
fn a_title_with_no_abstract_is_kept_in_every_format() {
    for (name, text) in [
        ("t.jsonl", "{\"title\": \"Only A Title\"}\n"),
        ("t.json", "[{\"title\": \"Only A Title\"}]"),
        ("t.txt", "Only A Title\n"),
    ] {
        let (papers, report) = parsed(name, text.as_bytes());
        assert_eq!(report.indexed, 1, "{name}: {report:?}");
        assert_eq!(papers[0].title, "Only A Title");
        assert!(papers[0].abstract_text.is_empty());
    }
}

#[test]
fn wrong_json_types_and_missing_fields_name_the_record_and_field() {
    let text = r#"[
  {"title": 42, "body": "x"},
  {"body": ""},
  {"title": "Fine", "authors": {"a": 1}},
  "not an object",
  {"title": "Also fine", "date": [2024]}
]"#;
    let (papers, report) = parsed("wrong.json", text.as_bytes());
    assert_eq!(report.read, 5);
    // A wrong title or a non-object costs the record; a wrong optional field costs the field.
    assert_eq!(papers.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(), ["Fine", "Also fine"], "{report:?}");
    let reasons: Vec<String> = report.skipped.iter().map(|s| format!("{}: {}", s.loc, s.reason)).collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].starts_with("wrong.json:2") && reasons[0].contains("title"), "{reasons:?}");
    assert!(reasons[1].starts_with("wrong.json:3") && reasons[1].contains("neither"), "{reasons:?}");
    assert!(reasons[2].starts_with("wrong.json:5") && reasons[2].contains("object"), "{reasons:?}");
    let warned: Vec<String> = report.warnings.iter().map(|w| format!("{}: {}", w.loc, w.reason)).collect();
    assert!(warned.iter().any(|w| w.starts_with("wrong.json:4") && w.contains("authors")), "{warned:?}");
    assert!(warned.iter().any(|w| w.starts_with("wrong.json:6") && w.contains("date")), "{warned:?}");
}

#[test]
fn one_bad_jsonl_line_among_good_ones_is_skipped_and_named() {
    let mut text = String::new();
    for i in 0..100 {
        if i == 41 {
            text.push_str("{\"title\": \"Broken\", \"body\": \n");
        } else {
            text.push_str(&format!("{{\"title\": \"Paper number {i}\", \"body\": \"{ABSTRACT}\"}}\n"));
        }
    }
    let (papers, report) = parsed("mixed.jsonl", text.as_bytes());
    assert_eq!((report.read, report.indexed, report.skipped.len()), (100, 99, 1));
    assert_eq!(papers.len(), 99);
    assert_eq!(report.skipped[0].loc.line, 42);
    assert!(report.skipped[0].reason.contains("JSON"), "{:?}", report.skipped[0]);
}

#[test]
fn an_empty_digest_is_an_error_saying_what_to_give() {
    let err = digest::load_bytes(&[("none.jsonl".to_string(), b"\n\n".to_vec())]).unwrap_err();
    assert!(err.message.starts_with("no papers found"), "{err}");
    assert!(!err.hint.is_empty(), "{err}");
    let err = digest::load_bytes(&[]).unwrap_err();
    assert!(err.message.starts_with("no papers found"), "{err}");
}
