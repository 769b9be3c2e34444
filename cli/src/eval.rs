//! `paperbloom eval DIR [--run FILE]`: searches every query of a test collection with the same
//! engine and default settings the widget uses, and prints nDCG@10, MRR@10 and Recall@100.
//!
//! DIR holds `docs.jsonl` (a digest; result ids are its `id` values), `queries.jsonl`
//! (`{"id", "text"}`) and `qrels.tsv` (`query-id<TAB>doc-id<TAB>grade`). `--run FILE` also
//! writes the ranking in TREC run format (`qid Q0 docid rank score paperbloom`).

use paperbloom_core::digest;
use paperbloom_core::eval::{evaluate, parse_qrels, parse_queries};
use paperbloom_core::index::{build, BuildOptions, Index};
use paperbloom_core::search::Searcher;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// Results per query: enough for Recall@100.
const DEPTH: usize = 100;

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|e| format!("{}: {e}\n  hint: DIR must hold docs.jsonl, queries.jsonl and qrels.tsv", path.display()))
}

/// Runs the evaluation; returns the report to print (last line: the metrics contract line).
pub fn eval(dir: &Path, run_file: Option<&Path>) -> Result<String, String> {
    let docs = dir.join("docs.jsonl");
    let d = digest::load(std::slice::from_ref(&docs)).map_err(|e| e.to_string())?;
    let queries_path = dir.join("queries.jsonl");
    let queries =
        parse_queries(&queries_path.display().to_string(), &read(&queries_path)?).map_err(|e| e.to_string())?;
    let qrels_path = dir.join("qrels.tsv");
    let qrels = parse_qrels(&qrels_path.display().to_string(), &read(&qrels_path)?).map_err(|e| e.to_string())?;
    let (bytes, summary) = build(&d.papers, &BuildOptions::default())?;
    let index = Index::open(&bytes).map_err(|e| e.to_string())?;
    let mut searcher = Searcher::new();
    let mut run: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut trec = String::new();
    let start = Instant::now();
    for (qid, text) in &queries {
        let results = searcher.search(&index, text, DEPTH).map_err(|e| e.to_string())?;
        let mut ranked = Vec::with_capacity(results.hits.len());
        for (rank, hit) in results.hits.iter().enumerate() {
            let id = index.doc(hit.doc).map_err(|e| e.to_string())?.id.to_string();
            let _ = writeln!(trec, "{qid} Q0 {id} {} {:.6} paperbloom", rank + 1, hit.score);
            ranked.push(id);
        }
        run.insert(qid.clone(), ranked);
    }
    let per_query_us = start.elapsed().as_secs_f64() * 1e6 / queries.len().max(1) as f64;
    if let Some(path) = run_file {
        std::fs::write(path, &trec).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let unjudged = queries.iter().filter(|(q, _)| !qrels.contains_key(q)).count();
    let m = evaluate(&run, &qrels);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "collection: {} documents ({} terms, index {} bytes), {} queries ({} judged, {} without judgments)",
        summary.papers,
        summary.terms,
        summary.index_bytes,
        queries.len(),
        m.queries,
        unjudged
    );
    let _ = writeln!(out, "search: {per_query_us:.0} µs per query at depth {DEPTH}");
    let _ = writeln!(
        out,
        "| nDCG@10 | MRR@10 | Recall@100 |\n|---|---|---|\n| {:.4} | {:.4} | {:.4} |",
        m.ndcg10, m.mrr10, m.recall100
    );
    let _ = write!(out, "{m}");
    Ok(out)
}
