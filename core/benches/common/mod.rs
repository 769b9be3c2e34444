//! Helpers shared by the benchmarks (and `examples/profile.rs`): compressed sizes, per-query
//! latency percentiles, query variants, the scale benchmark's queries and the papers as
//! tinysearch posts.

#![allow(dead_code)]

use std::io::Write;
use std::time::Instant;

/// Bytes after gzip -9.
pub fn gzip(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).unwrap();
    e.finish().unwrap().len()
}

/// Bytes after brotli quality 11.
pub fn brotli(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).unwrap();
    out.len()
}

/// Median and 99th percentile of per-query times (µs). The queries are timed in up to [`PASSES`]
/// passes over all of them; in each, a query runs once untimed, then is timed until [`WINDOW_MS`]
/// or `max_reps` runs (at least one run). No pass starts once the passes so far have taken
/// [`PASSES_BUDGET_S`], so slow engines on large corpora stay measurable (one pass, as few as one
/// timed run per query). A query's time is its median pass (the mean of the middle two for an even
/// count): a whole pass lies between a query's windows (half a second or more on the seed digest),
/// so a stretch in which the machine ran slow (this one is a VM on two shared cores: one query's
/// back-to-back 20 ms windows in Node ranged over 2×) falls in one of them.
pub fn latency(queries: &[String], max_reps: usize, mut run: impl FnMut(&str) -> usize) -> (f64, f64) {
    let mut passes: Vec<Vec<f64>> = vec![Vec::with_capacity(PASSES); queries.len()];
    let start = Instant::now();
    for pass in 0..PASSES {
        if pass > 0 && start.elapsed().as_secs_f64() > PASSES_BUDGET_S {
            break;
        }
        for (q, times) in queries.iter().zip(&mut passes) {
            std::hint::black_box(run(q));
            let t = Instant::now();
            let mut reps = 0;
            while reps < max_reps && (reps == 0 || t.elapsed().as_millis() < WINDOW_MS) {
                std::hint::black_box(run(q));
                reps += 1;
            }
            times.push(t.elapsed().as_secs_f64() * 1e6 / reps as f64);
        }
    }
    let mut times: Vec<f64> = passes
        .into_iter()
        .map(|mut t| {
            t.sort_by(f64::total_cmp);
            let m = t.len() / 2;
            if t.len() % 2 == 1 {
                t[m]
            } else {
                (t[m - 1] + t[m]) / 2.0
            }
        })
        .collect();
    percentiles(&mut times)
}

/// Passes over the queries in [`latency`] (fewer for slow engines).
pub const PASSES: usize = 5;
/// The longest timed window of one query in one pass of [`latency`], in milliseconds.
pub const WINDOW_MS: u128 = 4;
/// No pass of [`latency`] starts after this many seconds.
pub const PASSES_BUDGET_S: f64 = 30.0;

/// (p50, p99) of `times`, nearest rank.
pub fn percentiles(times: &mut [f64]) -> (f64, f64) {
    if times.is_empty() {
        return (0.0, 0.0);
    }
    times.sort_by(f64::total_cmp);
    let pick = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    (pick(0.5), pick(0.99))
}

/// One edit in the query's longest word (a character in its middle dropped; words of 5+
/// characters only).
pub fn with_typo(q: &str) -> String {
    let longest = q.split_whitespace().max_by_key(|w| w.chars().count()).unwrap_or("");
    let chars: Vec<char> = longest.chars().collect();
    if chars.len() < 5 {
        return q.to_string();
    }
    let mut typo = chars.clone();
    typo.remove(chars.len() / 2);
    q.replacen(longest, &typo.into_iter().collect::<String>(), 1)
}

/// The query with its last word cut to its first half (at least 2 characters), as when typing.
pub fn as_prefix(q: &str) -> String {
    let mut words: Vec<&str> = q.split_whitespace().collect();
    let Some(last) = words.pop() else { return q.to_string() };
    let n = last.chars().count();
    let cut: String = last.chars().take((n / 2).max(2).min(n)).collect();
    words.push(&cut);
    words.join(" ")
}

/// The papers as tinysearch posts: title, url = id, body = abstract.
pub fn tinysearch_posts(papers: &[paperbloom_core::Paper]) -> Vec<tinysearch::BasicPost> {
    papers
        .iter()
        .map(|p| tinysearch::BasicPost {
            title: p.title.clone(),
            url: p.id.clone(),
            body: Some(p.abstract_text.clone()),
            meta: std::collections::HashMap::new(),
        })
        .collect()
}

/// The words of three or more characters (hyphens and `+` kept inside them).
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '+').filter(|w| w.chars().count() >= 3).collect()
}

/// The scale benchmark's queries for these papers (see `corpora.rs`), the same for every
/// engine: for 50 documents evenly spaced, the title's first three words, two body words,
/// the title cut to a prefix, the title with one typo; and 3 that match nothing.
pub fn queries(papers: &[paperbloom_core::Paper]) -> Vec<String> {
    let mut out = Vec::new();
    for p in sampled(papers) {
        let Some(title) = title_query(p) else { continue };
        let body: Vec<&str> = words(&p.abstract_text).into_iter().filter(|w| w.len() >= 4).take(2).collect();
        out.push(title.clone());
        if !body.is_empty() {
            out.push(body.join(" "));
        }
        out.push(as_prefix(&title));
        out.push(with_typo(&title));
    }
    out.extend(["xylophone zebra".into(), "qwertyuiop".into(), "zzzzzz".into()]);
    out
}

/// The 50 papers [`queries`] asks for, evenly spaced through the corpus.
fn sampled(papers: &[paperbloom_core::Paper]) -> impl Iterator<Item = &paperbloom_core::Paper> {
    papers.iter().step_by((papers.len() / 50).max(1)).take(50)
}

/// The first three words of a paper's title (`None` for an empty title).
fn title_query(p: &paperbloom_core::Paper) -> Option<String> {
    let title: Vec<&str> = p.title.split_whitespace().take(3).collect();
    (!title.is_empty()).then(|| title.join(" "))
}

/// The query kinds of [`queries`] that look for one paper, in [`known_items`] order.
pub const KNOWN_ITEM_KINDS: [&str; 3] = ["title", "typing", "typo"];

/// The queries of [`queries`] that look for one paper — its title's first three words, as
/// typed so far ([`as_prefix`]) and with a typo ([`with_typo`], when it has a word long
/// enough) — as (kind, query, paper id), kind an index into [`KNOWN_ITEM_KINDS`]. A query's
/// paper need not be the only right answer (packages share description words), so how often
/// it ranks first is a floor on quality, not a score.
pub fn known_items(papers: &[paperbloom_core::Paper]) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    for p in sampled(papers) {
        let Some(title) = title_query(p) else { continue };
        let typo = with_typo(&title);
        if typo != title {
            out.push((2, typo, p.id.clone()));
        }
        out.push((1, as_prefix(&title), p.id.clone()));
        out.push((0, title, p.id.clone()));
    }
    out
}
