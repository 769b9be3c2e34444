//! The scale benchmark: one row per corpus (the seed digest, SciFact, Debian 64k, registry 100k,
//! registry 1M) — build time, index bytes, bits per posting against the bounds, native query
//! latency — for paperbloom and the `tinysearch` crate (both index kinds) on the same documents
//! and the same queries, in the same run.
//!
//! `cargo bench -p paperbloom-core --bench corpora` measures every corpus found;
//! `PAPERBLOOM_CORPORA=name=path,…` picks others (a `.gz` file is unpacked under `target/bench`).
//! For each corpus it writes `target/bench/<name>/{queries.json, docs.jsonl, native.json}`, and
//! the names of this run's corpora to `target/bench/last-run.json`; `node scripts/bench.mjs`
//! reads them to add the wasm (Node, Chromium) and MiniSearch columns and print the tables of
//! BENCHMARKS.md. Not a test: nothing here passes or fails.
//!
//! Queries, the same for every engine: for 50 documents evenly spaced through the corpus, the
//! first three words of the title (known item), two words of the body (topic), the title with
//! its last word cut to a prefix (typing), the title with one typo; and 3 that match nothing.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{brotli, gzip, known_items, latency, queries, tinysearch_posts, KNOWN_ITEM_KINDS};
use paperbloom_core::digest;
use paperbloom_core::index::{build, BuildOptions, Index};
use paperbloom_core::search::Searcher;
use paperbloom_core::view::{ResultView, StatsView};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tinysearch::{ExactIndexBackend, TinySearch, Xor8IndexBackend};

/// tinysearch is timed only up to this many documents (its queries take seconds beyond).
const TINYSEARCH_MAX_DOCS: usize = 150_000;

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The digest file to load: `.gz` files are unpacked once under `target/bench/<name>/`.
fn unpacked(root: &Path, name: &str, path: &Path) -> PathBuf {
    if path.extension().is_none_or(|e| e != "gz") {
        return path.to_path_buf();
    }
    let out = root.join("target/bench").join(name).join("digest.jsonl");
    if !out.exists() {
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap()).read_to_end(&mut text).unwrap();
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        std::fs::write(&out, text).unwrap();
    }
    out
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap();
    let spec = std::env::var("PAPERBLOOM_CORPORA").unwrap_or_else(|_| {
        "seed=data/digests,scifact=../shared/relevance/scifact/docs.jsonl,debian-64k=../shared/scale/debian-64k.jsonl,\
         registry-100k=../shared/scale/registry-100k.jsonl,registry-1m=../shared/scale/registry-1m.jsonl.gz"
            .into()
    });
    println!("| corpus | docs | build s | index bytes | bits/posting (bound 1.44·log2(1/ε), target 1.5·log2(1/ε)) | engine | p50 µs | p99 µs | p99/p50 |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut measured: Vec<&str> = Vec::new();
    for item in spec.split(',').filter(|s| !s.is_empty()) {
        let (name, path) = item.split_once('=').expect("name=path");
        let path = root.join(path);
        if !path.exists() {
            eprintln!("{name}: {} not found, skipped", path.display());
            continue;
        }
        let path = unpacked(&root, name, &path);
        let t = Instant::now();
        let mut d = digest::load(std::slice::from_ref(&path)).expect("digest");
        let parse_s = t.elapsed().as_secs_f64();
        d.relativize_sources(&root);
        let t = Instant::now();
        let (bytes, summary) = build(&d.papers, &BuildOptions::default()).unwrap();
        let build_s = t.elapsed().as_secs_f64();
        let index = Index::open(&bytes).unwrap();
        // What the widget does once, at its first call: structural checks plus the checksum.
        let mut opens: Vec<f64> = (0..21)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(Index::open_verified(std::hint::black_box(&bytes)).is_ok());
                t.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        opens.sort_by(f64::total_cmp);
        let open_us = opens[opens.len() / 2];
        let stats = StatsView::new(&index).unwrap();
        let qs = queries(&d.papers);
        let mut searcher = Searcher::new();
        let (p50, p99) = latency(&qs, 200, |q| searcher.search(&index, q, 10).unwrap().hits.len());
        // What the wasm `search()` does before its JS conversion: the hits and their views
        // (record read, excerpt, highlights).
        let (v50, v99) = latency(&qs, 200, |q| {
            let r = searcher.search(&index, q, 10).unwrap();
            ResultView::all(&index, &r, 0).unwrap().iter().map(|v| v.excerpt.len()).sum::<usize>()
        });
        // Quality, not speed: how often a known-item query ranks its paper first / in the top 10.
        let mut found = [[0usize; 3]; KNOWN_ITEM_KINDS.len()]; // queries, first, top 10
        for (kind, q, id) in known_items(&d.papers) {
            let r = searcher.search(&index, &q, 10).unwrap();
            let at = r.hits.iter().position(|h| index.doc(h.doc).unwrap().id == id);
            found[kind][0] += 1;
            found[kind][1] += usize::from(at == Some(0));
            found[kind][2] += usize::from(at.is_some());
        }
        let (known, known_line): (Vec<serde_json::Value>, Vec<String>) = KNOWN_ITEM_KINDS
            .iter()
            .zip(found)
            .map(|(kind, [n, first, top10])| {
                let json = serde_json::json!({"kind": kind, "queries": n, "first": first, "top10": top10});
                (json, format!("{kind} {first}/{top10}/{n}"))
            })
            .unzip();
        let eps = stats.target_false_positive_rate;
        let bound = (1.0 / eps).log2();
        let dir = root.join("target/bench").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let mut docs = BufWriter::new(std::fs::File::create(dir.join("docs.jsonl")).unwrap());
        for p in &d.papers {
            writeln!(
                docs,
                "{{\"id\":{},\"title\":{},\"body\":{}}}",
                json_str(&p.id),
                json_str(&p.title),
                json_str(&p.abstract_text)
            )
            .unwrap();
        }
        drop(docs);
        std::fs::write(dir.join("queries.json"), serde_json::to_string(&qs).unwrap()).unwrap();
        let (igz, ibr) = if bytes.len() < 64 << 20 { (gzip(&bytes), brotli(&bytes)) } else { (0, 0) };
        println!(
            "| {name} | {} | {:.2} (+{:.2} parse) | {} | {:.2} ({:.2}, {:.2}) | paperbloom | {p50:.1} | {p99:.1} | {:.1} |",
            d.papers.len(),
            build_s,
            parse_s,
            bytes.len(),
            stats.bits_per_posting,
            stats.bits_per_posting_bound,
            1.5 * bound,
            p99 / p50
        );
        println!("| | | | | | paperbloom + result views | {v50:.1} | {v99:.1} | {:.1} |", v99 / v50);
        println!("| | | | | | paperbloom open + checksum (once per load) | {open_us:.1} | | |");
        eprintln!("{name}: known item first / in the top 10 / queries: {}", known_line.join(", "));
        let mut native = serde_json::json!({
            "name": name,
            "digest": path,
            "docs": d.papers.len(),
            "parseSeconds": parse_s,
            "buildSeconds": build_s,
            "indexBytes": bytes.len(),
            "indexGzip": igz,
            "indexBrotli": ibr,
            "signatureBytes": stats.signature_bytes,
            "recordBytes": summary.record_bytes,
            "postings": summary.postings,
            "privateRows": summary.private_rows,
            "shards": summary.shards,
            "words": summary.words,
            "bitsPerPosting": stats.bits_per_posting,
            "bloomBound": stats.bits_per_posting_bound,
            "log2InvEps": bound,
            "eps": eps,
            "queries": qs.len(),
            "p50": p50,
            "p99": p99,
            "viewsP50": v50,
            "viewsP99": v99,
            "openVerifiedMicros": open_us,
            "knownItems": known,
            "tinysearch": [],
        });
        if d.papers.len() <= TINYSEARCH_MAX_DOCS {
            let posts = tinysearch_posts(&d.papers);
            let ts = TinySearch::new();
            for (kind, backend) in [
                ("exact", &ExactIndexBackend as &dyn tinysearch::IndexBackend),
                ("xor8", &Xor8IndexBackend as &dyn tinysearch::IndexBackend),
            ] {
                let t = Instant::now();
                let ix = ts.build_index_with(&posts, backend).unwrap();
                let b_s = t.elapsed().as_secs_f64();
                let ser = ts.serialize_index(&ix).unwrap();
                let (t50, t99) = latency(&qs, 200, |q| ts.search(&ix, q, 10).len());
                println!(
                    "| | | {b_s:.2} | {} | | tinysearch {kind} | {t50:.1} | {t99:.1} | {:.1} |",
                    ser.len(),
                    t99 / t50
                );
                native["tinysearch"].as_array_mut().unwrap().push(serde_json::json!({
                    "kind": kind, "buildSeconds": b_s, "indexBytes": ser.len(), "indexGzip": gzip(&ser),
                    "indexBrotli": brotli(&ser), "p50": t50, "p99": t99,
                }));
            }
        }
        std::fs::write(dir.join("native.json"), serde_json::to_string_pretty(&native).unwrap()).unwrap();
        measured.push(name);
    }
    // What `node scripts/bench.mjs` measures when given no names: this run's corpora, not
    // whatever an earlier run left in target/bench.
    let bench_dir = root.join("target/bench");
    std::fs::create_dir_all(&bench_dir).unwrap();
    std::fs::write(bench_dir.join("last-run.json"), serde_json::to_string(&measured).unwrap()).unwrap();
}
