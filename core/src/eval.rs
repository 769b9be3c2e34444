//! Retrieval evaluation over a test collection: nDCG@10, MRR@10 and Recall@100, as trec_eval
//! and pytrec_eval define them, so our numbers compare with published ones.
//!
//! Definitions (per query, then averaged over the queries that have judgments):
//! - nDCG@k = DCG@k / IDCG@k with DCG@k = Σ_{i ≤ k} grade(d_i) / log2(i + 1) (linear gain);
//!   IDCG@k is the DCG of the judged grades sorted best first.
//! - MRR@k = 1 / rank of the first result with grade > 0 within the top k, else 0.
//! - Recall@k = |relevant ∩ top k| / |relevant|, relevant meaning grade > 0.
//!
//! A judged query the run has no results for scores 0 on every metric.

use std::collections::BTreeMap;
use std::fmt;

/// Relevance judgments: query id → (document id → grade).
pub type Qrels = BTreeMap<String, BTreeMap<String, u32>>;

/// A problem in a collection file, with its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for EvalError {}

/// Parses `qid<TAB>docid<TAB>grade` lines (a header line `query-id…` and blank lines are
/// skipped; whitespace other than tabs also separates fields).
pub fn parse_qrels(file: &str, text: &str) -> Result<Qrels, EvalError> {
    let mut qrels = Qrels::new();
    for (n, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() || (n == 0 && fields.first().is_some_and(|f| f.starts_with("query"))) {
            continue;
        }
        let err = |message: String| EvalError { file: file.into(), line: n + 1, message };
        let [qid, docid, grade] = fields[..] else {
            return Err(err(format!("expected `query-id<TAB>doc-id<TAB>grade`, found {} field(s)", fields.len())));
        };
        let grade: u32 = grade.parse().map_err(|_| err(format!("grade {grade:?} is not a whole number")))?;
        qrels.entry(qid.to_string()).or_default().insert(docid.to_string(), grade);
    }
    Ok(qrels)
}

/// Parses `{"id", "text"}` JSON lines into (id, text) pairs, in order.
pub fn parse_queries(file: &str, text: &str) -> Result<Vec<(String, String)>, EvalError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |message: String| EvalError { file: file.into(), line: n + 1, message };
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| err(format!("not JSON: {e}")))?;
        let id = match v.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(x)) => x.to_string(),
            _ => return Err(err("a query needs an `id` (string or number)".into())),
        };
        let Some(text) = v.get("text").and_then(|t| t.as_str()) else {
            return Err(err("a query needs a `text` string".into()));
        };
        out.push((id, text.to_string()));
    }
    Ok(out)
}

/// nDCG@k of `ranked` document ids against one query's judgments.
pub fn ndcg_at(ranked: &[String], judged: &BTreeMap<String, u32>, k: usize) -> f64 {
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, d)| f64::from(judged.get(d).copied().unwrap_or(0)) / ((i + 2) as f64).log2())
        .sum();
    let mut ideal: Vec<u32> = judged.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal.iter().take(k).enumerate().map(|(i, &g)| f64::from(g) / ((i + 2) as f64).log2()).sum();
    if idcg == 0.0 {
        0.0
    } else {
        dcg / idcg
    }
}

/// Reciprocal rank of the first relevant result within the top `k`.
pub fn mrr_at(ranked: &[String], judged: &BTreeMap<String, u32>, k: usize) -> f64 {
    ranked.iter().take(k).position(|d| judged.get(d).is_some_and(|&g| g > 0)).map_or(0.0, |i| 1.0 / (i + 1) as f64)
}

/// Share of the relevant documents found in the top `k`.
pub fn recall_at(ranked: &[String], judged: &BTreeMap<String, u32>, k: usize) -> f64 {
    let relevant = judged.values().filter(|&&g| g > 0).count();
    if relevant == 0 {
        return 0.0;
    }
    let found = ranked.iter().take(k).filter(|d| judged.get(*d).is_some_and(|&g| g > 0)).count();
    found as f64 / relevant as f64
}

/// Averaged metrics of a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metrics {
    /// Mean nDCG@10.
    pub ndcg10: f64,
    /// Mean MRR@10.
    pub mrr10: f64,
    /// Mean Recall@100.
    pub recall100: f64,
    /// Judged queries averaged over.
    pub queries: usize,
}

/// Scores `run` (query id → ranked document ids) against `qrels`, averaging over every judged
/// query (a judged query missing from the run counts as 0).
pub fn evaluate(run: &BTreeMap<String, Vec<String>>, qrels: &Qrels) -> Metrics {
    let empty = Vec::new();
    let (mut n, mut m, mut r) = (0.0, 0.0, 0.0);
    for (qid, judged) in qrels {
        let ranked = run.get(qid).unwrap_or(&empty);
        n += ndcg_at(ranked, judged, 10);
        m += mrr_at(ranked, judged, 10);
        r += recall_at(ranked, judged, 100);
    }
    let q = qrels.len().max(1) as f64;
    Metrics { ndcg10: n / q, mrr10: m / q, recall100: r / q, queries: qrels.len() }
}

impl fmt::Display for Metrics {
    /// The contract line: `ndcg@10=<x> mrr@10=<y> recall@100=<z>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ndcg@10={:.4} mrr@10={:.4} recall@100={:.4}", self.ndcg10, self.mrr10, self.recall100)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn judged(v: &[(&str, u32)]) -> BTreeMap<String, u32> {
        v.iter().map(|(d, g)| (d.to_string(), *g)).collect()
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn ndcg_by_hand() {
        // Relevant d1 (grade 1) at rank 2, d2 (grade 2) at rank 3; ideal: d2, d1.
        let j = judged(&[("d1", 1), ("d2", 2)]);
        let dcg = 1.0 / 3f64.log2() + 2.0 / 4f64.log2();
        let idcg = 2.0 / 2f64.log2() + 1.0 / 3f64.log2();
        close(ndcg_at(&ids(&["x", "d1", "d2"]), &j, 10), dcg / idcg);
        close(ndcg_at(&ids(&["d2", "d1"]), &j, 10), 1.0);
        close(ndcg_at(&ids(&["x", "y"]), &j, 10), 0.0);
        // Cut at k: a relevant document at rank 11 does not count.
        let mut run = ids(&["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
        run.push("d2".into());
        close(ndcg_at(&run, &j, 10), 0.0);
    }

    #[test]
    fn mrr_and_recall_by_hand() {
        let j = judged(&[("d1", 1), ("d2", 1), ("d3", 0)]);
        close(mrr_at(&ids(&["d3", "x", "d2"]), &j, 10), 1.0 / 3.0);
        close(mrr_at(&ids(&["d1"]), &j, 10), 1.0);
        close(recall_at(&ids(&["d3", "d2"]), &j, 100), 0.5);
        close(recall_at(&ids(&["d1", "d2"]), &j, 1), 0.5);
    }

    #[test]
    fn averages_over_judged_queries_and_missing_runs_score_zero() {
        let qrels = parse_qrels("q.tsv", "query-id\tcorpus-id\tscore\n1\td1\t1\n2\td2\t1\n").unwrap();
        let mut run = BTreeMap::new();
        run.insert("1".to_string(), ids(&["d1"]));
        run.insert("9".to_string(), ids(&["d2"])); // unjudged: ignored
        let m = evaluate(&run, &qrels);
        assert_eq!(m.queries, 2);
        close(m.ndcg10, 0.5);
        close(m.mrr10, 0.5);
        close(m.recall100, 0.5);
        assert_eq!(m.to_string(), "ndcg@10=0.5000 mrr@10=0.5000 recall@100=0.5000");
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let e = parse_qrels("q.tsv", "1\td1\t1\n2\td2\n").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("q.tsv", 2));
        let e = parse_qrels("q.tsv", "1\td1\thigh\n").unwrap_err();
        assert!(e.to_string().contains("q.tsv:1: grade"));
        let e = parse_queries("q.jsonl", "{\"id\": 1, \"text\": \"a\"}\n{\"text\": \"b\"}\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(
            parse_queries("q.jsonl", "{\"id\": 7, \"text\": \"x\"}").unwrap(),
            [("7".to_string(), "x".to_string())]
        );
    }
}
