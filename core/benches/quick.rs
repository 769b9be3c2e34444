#![allow(missing_docs, clippy::unwrap_used)]
use paperbloom_core::digest;
use paperbloom_core::index::{build, BuildOptions, Index};
use paperbloom_core::search::Searcher;
use paperbloom_core::view::ResultView;
use std::time::Instant;
fn main() {
    let d = digest::load(&[std::path::PathBuf::from("../data/digests")]).unwrap();
    let (bytes, _) = build(&d.papers, &BuildOptions::default()).unwrap();
    let ix = Index::open(&bytes).unwrap();
    let mut s = Searcher::new();
    let qs = ["federated learning", "hyperbolic", "FedRE", "zzzz nothing", "diffusion image generation", "LLM"];
    for q in qs {
        let t = Instant::now();
        let mut n = 0;
        for _ in 0..2000 {
            n += s.search(&ix, q, 10).unwrap().hits.len();
        }
        let a = t.elapsed().as_secs_f64() / 2000.0 * 1e6;
        let r = s.search(&ix, q, 10).unwrap();
        let t = Instant::now();
        for _ in 0..2000 {
            for h in &r.hits {
                let _ = ResultView::new(&ix, h, &r.terms).unwrap();
            }
        }
        let b = t.elapsed().as_secs_f64() / 2000.0 * 1e6;
        println!("{q:30} search {a:8.1} µs  views {b:8.1} µs  hits {} total {}", n / 2000, r.total);
    }
}
