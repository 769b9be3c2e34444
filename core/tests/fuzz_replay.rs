//! Replays the fuzz corpus kept in `fuzz/corpus/<target>/` and every crash ever found, kept in
//! `fuzz/regressions/<target>/`, through the fuzz targets' bodies (`fuzz/src/lib.rs`) on stable:
//! a fixed bug stays fixed without nightly or libFuzzer. Plus the hostile query shapes issue 6
//! names, so they run even where no corpus exists.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

#[path = "../../fuzz/src/lib.rs"]
mod bodies;

use std::path::Path;

fn replay(target: &str, body: fn(&[u8])) -> usize {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut n = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else { continue };
        for e in entries {
            let path = e.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let run = std::panic::catch_unwind(|| body(&data));
            assert!(
                run.is_ok(),
                "{} fails: replay with `cargo +nightly fuzz run {target} {}`",
                path.display(),
                path.display()
            );
            n += 1;
        }
    }
    n
}

#[test]
fn query_corpus_and_regressions() {
    assert!(replay("query", bodies::query) > 0, "fuzz/corpus/query is kept in the repository");
}

#[test]
fn digest_corpus_and_regressions() {
    assert!(replay("digest", bodies::digest) > 0, "fuzz/corpus/digest is kept in the repository");
}

#[test]
fn index_bytes_corpus_and_regressions() {
    assert!(replay("index_bytes", bodies::index_bytes) > 0, "fuzz/corpus/index_bytes is kept in the repository");
}

#[test]
fn hostile_queries() {
    let long = "bloom filter ".repeat(100_000 / 13);
    let many: String = (0..5000).map(|i| format!("w{i} ")).collect();
    let quotes = "\"".repeat(10_000) + &"(".repeat(5000) + &"-".repeat(5000);
    let ops = "a OR ".repeat(3000) + "title:\"x -y OR z\" year:>=2024 has:code authors:>5 ".repeat(200).as_str();
    let cases = [
        long,
        many,
        quotes,
        ops,
        "مرشح بلوم للبحث".to_string(),
        "🌸🔍 bloom 🧪".to_string(),
        "blo\u{200b}om fil\u{200d}ter \u{feff}".to_string(),
        "bloo\u{0301}m e\u{0301}\u{0301}\u{0301}".to_string(),
        "bloom\0filter\0".to_string(),
        "\u{202e}retlif moolb".to_string(),
        "year:99999999999999999999 authors:>-1 title: : \" ".to_string(),
    ];
    for q in cases {
        for b in [0u8, 0x4f, 0x86, 0xff] {
            let mut data = vec![b];
            data.extend_from_slice(q.as_bytes());
            bodies::query(&data);
        }
    }
}
