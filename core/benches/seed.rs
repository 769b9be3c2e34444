//! The seed-digest benchmark: index size, bits per posting against the Bloom bound, wasm size
//! (raw / gzip / brotli), and native query latency — paperbloom and the `tinysearch` crate
//! (both of its index kinds) on the same papers and the same queries, in the same run.
//!
//! `cargo bench -p paperbloom-core --bench seed` (after `paperbloom build --out target/e2e-site`
//! for the wasm sizes, or set `PAPERBLOOM_WASM` to a `.wasm` file). Prints markdown tables; the
//! latest are in BENCHMARKS.md. Not a test: nothing here passes or fails.
//! `PAPERBLOOM_BENCH_MISSES=1` lists every known-item query whose paper did not come first.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use paperbloom_core::digest;
use paperbloom_core::index::{build, BuildOptions, Index};
use paperbloom_core::search::{SearchOptions, Searcher};
use paperbloom_core::view::{ResultView, StatsView};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tinysearch::{ExactIndexBackend, TinySearch, Xor8IndexBackend};

mod common;
use common::{as_prefix, brotli, gzip, latency, tinysearch_posts, with_typo};

/// Realistic queries: each titled paper's name before ':' (known-item), topic phrases, and
/// words that match nothing.
fn queries(papers: &[paperbloom_core::Paper]) -> Vec<String> {
    let mut q: Vec<String> = papers
        .iter()
        .filter(|p| !p.title_derived)
        .filter_map(|p| p.title.split_once(':').map(|(a, _)| a.trim().to_string()))
        .filter(|a| !a.is_empty() && a.split_whitespace().count() <= 3)
        .collect();
    // At most 100 known-item queries, evenly spaced, so large digests stay quick to measure.
    if q.len() > 100 {
        let step = q.len() / 100;
        q = q.into_iter().step_by(step).take(100).collect();
    }
    for t in [
        "federated learning",
        "contrastive learning",
        "diffusion model",
        "large language models",
        "knowledge distillation",
        "image retrieval",
        "hyperbolic",
        "sparse",
        "anomaly detection time series",
        "dataset distillation",
        "vision language",
        "graph neural networks",
        "quantization",
        "self-supervised representation",
        "zero-shot classification",
        "noisy labels",
        "prompt",
        "xylophone",
        "qwertyuiop asdf",
    ] {
        q.push(t.to_string());
    }
    q
}

/// Known-item queries: for every titled paper, its name before ':' when it has one, else its
/// three rarest title words (by document frequency), with the paper's id.
fn known_items(papers: &[paperbloom_core::Paper]) -> Vec<(String, String)> {
    use paperbloom_core::tokenize::{tokens, Mode};
    let mut df: HashMap<String, usize> = HashMap::new();
    for p in papers {
        let mut seen: Vec<String> =
            tokens(&format!("{} {}", p.title, p.abstract_text), Mode::Index).into_iter().map(|t| t.term).collect();
        seen.sort();
        seen.dedup();
        for t in seen {
            *df.entry(t).or_default() += 1;
        }
    }
    let mut out = Vec::new();
    for p in papers.iter().filter(|p| !p.title_derived) {
        let query = match p.title.split_once(':') {
            Some((name, _)) if !name.trim().is_empty() && name.split_whitespace().count() <= 3 => {
                name.trim().to_string()
            }
            _ => {
                let mut words: Vec<(usize, String)> = tokens(&p.title, Mode::Query)
                    .into_iter()
                    .map(|t| (df.get(&t.term).copied().unwrap_or(0), p.title[t.start..t.end].to_string()))
                    .collect();
                words.sort();
                words.dedup_by(|a, b| a.1 == b.1);
                words.into_iter().take(3).map(|(_, w)| w).collect::<Vec<_>>().join(" ")
            }
        };
        out.push((query, p.id.clone()));
    }
    out
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // Relative paths are taken from the workspace root (cargo runs benches inside core/).
    let digest_path =
        root.join(std::env::var_os("PAPERBLOOM_DIGEST").map(PathBuf::from).unwrap_or("data/digests".into()));
    let mut d = digest::load(std::slice::from_ref(&digest_path)).expect("digest");
    d.relativize_sources(&root); // as build.rs does: the same bytes as the wasm embeds
    let options = BuildOptions::default();
    let t = Instant::now();
    let (bytes, summary) = build(&d.papers, &options).unwrap();
    let build_ms = t.elapsed().as_secs_f64() * 1e3;
    let index = Index::open(&bytes).unwrap();
    let stats = StatsView::new(&index).unwrap();
    let qs = queries(&d.papers);
    let reps = 200;

    // paperbloom: search alone, and search + result objects (what `search()` returns).
    let mut searcher = Searcher::new();
    let pb = latency(&qs, reps, |q| searcher.search(&index, q, 10).unwrap().hits.len());
    let pb_views = latency(&qs, reps, |q| {
        let r = searcher.search(&index, q, 10).unwrap();
        ResultView::all(&index, &r, 0).unwrap().iter().map(|v| v.excerpt.len()).sum()
    });

    // tinysearch on the same papers (title, url = id, body = abstract).
    let posts = tinysearch_posts(&d.papers);
    let ts = TinySearch::new();
    let mut ts_rows = Vec::new();
    for (name, backend) in [
        ("exact", &ExactIndexBackend as &dyn tinysearch::IndexBackend),
        ("xor8", &Xor8IndexBackend as &dyn tinysearch::IndexBackend),
    ] {
        let t = Instant::now();
        let ix = ts.build_index_with(&posts, backend).unwrap();
        let b_ms = t.elapsed().as_secs_f64() * 1e3;
        let ser = ts.serialize_index(&ix).unwrap();
        let lat = latency(&qs, reps, |q| ts.search(&ix, q, 10).len());
        ts_rows.push((name, b_ms, ser.len(), gzip(&ser), lat));
    }

    println!(
        "## {}: {} papers, {} queries, each timed in up to {} passes of up to {} runs or {} ms\n",
        std::env::var("PAPERBLOOM_DIGEST").unwrap_or_else(|_| "Seed digest (data/digests)".into()),
        d.papers.len(),
        qs.len(),
        common::PASSES,
        reps,
        common::WINDOW_MS
    );
    println!("| | value |\n|---|---|");
    println!("| papers / distinct terms / postings | {} / {} / {} |", summary.papers, summary.terms, summary.postings);
    println!("| shards / hashes per term | {} / {} |", summary.shards, stats.hashes);
    println!(
        "| index bytes (signatures + display records) | {} ({} + {}) |",
        bytes.len(),
        stats.signature_bytes,
        summary.record_bytes
    );
    println!("| index gzip / brotli | {} / {} |", gzip(&bytes), brotli(&bytes));
    println!(
        "| bits per posting / Bloom bound 1.44·log2(1/ε) / log2(1/ε) | {:.2} / {:.2} / {:.2} (ε = {}) |",
        stats.bits_per_posting,
        stats.bits_per_posting_bound,
        (1.0 / stats.target_false_positive_rate).log2(),
        stats.target_false_positive_rate
    );
    println!("| expected false-positive rate per term test | {:.5} |", stats.false_positive_rate);
    println!("| native build time | {build_ms:.1} ms |");
    let wasm = root.join(
        std::env::var_os("PAPERBLOOM_WASM")
            .map(PathBuf::from)
            .unwrap_or("target/e2e-site/pkg/paperbloom_bg.wasm".into()),
    );
    match std::fs::read(&wasm) {
        Ok(w) => {
            println!("| wasm raw / gzip / brotli (index included) | {} / {} / {} |", w.len(), gzip(&w), brotli(&w))
        }
        Err(_) => println!("| wasm | not built: run `paperbloom build --out target/e2e-site` first |"),
    }
    println!("\n## Query latency, native, µs (same queries, same run)\n");
    println!("| engine | index bytes | index gzip | build ms | p50 µs | p99 µs | p50 ratio vs paperbloom |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| paperbloom search | {} | {} | {build_ms:.1} | {:.2} | {:.2} | 1.0 |",
        bytes.len(),
        gzip(&bytes),
        pb.0,
        pb.1
    );
    println!(
        "| paperbloom search + result objects | | | | {:.2} | {:.2} | {:.1} |",
        pb_views.0,
        pb_views.1,
        pb_views.0 / pb.0
    );
    for (name, b_ms, size, gz, (p50, p99)) in ts_rows {
        println!("| tinysearch 0.11 {name} | {size} | {gz} | {b_ms:.1} | {p50:.2} | {p99:.2} | {:.1} |", p50 / pb.0);
    }
    println!("\n(tinysearch stores no display text: its index holds titles and urls only.)");

    // Known-item search: the paper must come first.
    // Large digests: an evenly spaced sample of 1,000 papers, and tinysearch (~0.3 s a query at
    // 64k documents) only up to 10,000 papers.
    let all_items = known_items(&d.papers);
    let step = all_items.len().div_ceil(1000).max(1);
    let items: Vec<(String, String)> = all_items.iter().step_by(step).cloned().collect();
    let with_ts = d.papers.len() <= 10_000;
    println!("\n## Known-item search: {} titled papers (of {}), P@1\n", items.len(), all_items.len());
    println!("| query form | paperbloom P@1 | tinysearch exact P@1 |\n|---|---|---|");
    let ts_exact = ts.build_index_with(&posts, &ExactIndexBackend).unwrap();
    let show_misses = std::env::var_os("PAPERBLOOM_BENCH_MISSES").is_some();
    for (form, make) in [
        ("name before ':' or three rarest title words", (|q: &str| q.to_string()) as fn(&str) -> String),
        ("… with one typo in the longest word", with_typo),
        ("… with the last word cut to a prefix", as_prefix),
    ] {
        let (mut ours, mut theirs) = (0usize, 0usize);
        for (q, id) in &items {
            let q = make(q);
            let r = searcher.search(&index, &q, 1).unwrap();
            let hit = r.hits.first().is_some_and(|h| index.doc(h.doc).unwrap().id == id);
            ours += usize::from(hit);
            if !hit && show_misses {
                let got = r.hits.first().map(|h| index.doc(h.doc).unwrap().title);
                eprintln!("miss [{form}] {q:?}: wanted {id}, got {got:?}");
            }
            if with_ts {
                theirs += usize::from(ts.search(&ts_exact, &q, 1).first().is_some_and(|p| &p.url == id));
            }
        }
        let n = items.len().max(1) as f64;
        let ts_col = if with_ts { format!("{:.3}", theirs as f64 / n) } else { "not run (too slow here)".into() };
        println!("| {form} | {:.3} | {ts_col} |", ours as f64 / n);
    }

    // What each query feature costs: the same papers' queries in each form, top 10.
    println!("\n## Query latency by feature, native, µs (top 10, verified)\n");
    println!("| query form | queries | p50 µs | p99 µs |\n|---|---|---|---|");
    let names: Vec<String> = items.iter().map(|(q, _)| q.clone()).collect();
    let exact = SearchOptions { prefix: false, fuzzy: false, ..SearchOptions::new(10) };
    let title_words = |p: &paperbloom_core::Paper| p.title.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    let titled: Vec<&paperbloom_core::Paper> = d.papers.iter().filter(|p| !p.title_derived).step_by(step).collect();
    let forms: Vec<(&str, Vec<String>, bool)> = vec![
        ("topic and known-item queries, exact words only (prefix and typos off)", qs.clone(), false),
        ("the same, widget defaults (last word also a prefix, typo tolerance)", qs.clone(), true),
        ("known-item names, last word cut to a prefix", names.iter().map(|q| as_prefix(q)).collect(), true),
        ("known-item names, one typo in the longest word", names.iter().map(|q| with_typo(q)).collect(), true),
        (
            "\"phrase\" of a title's first three words",
            titled.iter().map(|p| format!("\"{}\"", title_words(p))).collect(),
            true,
        ),
        ("topic query -exclusion", qs.iter().map(|q| format!("{q} -learning")).collect(), true),
        ("topic query year:>=2023 has:code", qs.iter().map(|q| format!("{q} year:>=2023 has:code")).collect(), true),
        (
            "filters alone: year:2024 / authors:>5 / has:code",
            vec!["year:2024".into(), "authors:>5".into(), "has:code".into()],
            true,
        ),
    ];
    for (form, queries, defaults) in forms {
        let options = if defaults { SearchOptions::new(10) } else { exact };
        let (p50, p99) = latency(&queries, reps, |q| searcher.search_with(&index, q, &options).unwrap().hits.len());
        println!("| {form} | {} | {p50:.2} | {p99:.2} |", queries.len());
    }
}
