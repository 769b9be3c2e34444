//! `paperbloom`: check, search, build and serve digests from the command line, with the same
//! engine (`paperbloom-core`) the wasm widget uses.
//!
//! Subcommands (their names and flags are a contract, used by scripts, tests and docs):
//! `check [DIGEST…]`, `search [--digest PATH]… [--limit N] [--json] QUERY`,
//! `build [--digest PATH]… [--out DIR]`, `serve [--digest PATH]… [--port N] [--out DIR]`,
//! `stats [--digest PATH]…`, `eval DIR [--run FILE]`. Without `--digest` the embedded default digest is used.

mod args;
mod bundle;
mod eval;
mod serve;

use args::{Args, Command};
use paperbloom_core::digest::{self, Digest, DigestError};
use paperbloom_core::index::{build, BuildOptions, Index};
use paperbloom_core::search::Searcher;
use paperbloom_core::view::{PaperView, ResultView, StatsView};
use std::path::PathBuf;
use std::process::ExitCode;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_digest.rs"));
}

const USAGE: &str = "\
paperbloom — client-side paper search (Bloom-filter index in WebAssembly)

Usage:
  paperbloom check [DIGEST…]                          parse digests, print counts and problems
  paperbloom search [--digest PATH]… [--limit N] [--json] QUERY
  paperbloom stats [--digest PATH]…                   index size and false-positive figures
  paperbloom build [--digest PATH]… [--out DIR]       write DIR/index.html and DIR/paperbloom.html
  paperbloom eval DIR [--run FILE]                    relevance on a test collection (docs.jsonl,
                                                      queries.jsonl, qrels.tsv): nDCG@10, MRR@10, Recall@100
  paperbloom serve [--digest PATH]… [--port N] [--out DIR] [--no-build]
                                                      build, then serve DIR on 127.0.0.1

A DIGEST/PATH is a file (.txt daily-papers dump or Abstract: list, .json, .jsonl) or a folder
of them. Without one, the embedded default digest (data/digests) is used.
";

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("error: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match args.command {
        Command::Help => {
            print!("{USAGE}");
            Ok(())
        }
        Command::Check => check(&args.digests),
        Command::Search { ref query } => search(&args, query),
        Command::Stats => stats(&args.digests),
        Command::Build => bundle::build_site(&args.digests, &args.out).map(|_| ()),
        Command::Eval { ref dir } => eval::eval(dir, args.run_file.as_deref()).map(|report| println!("{report}")),
        Command::Serve { port } => {
            let built = if args.no_build { Ok(args.out.clone()) } else { bundle::build_site(&args.digests, &args.out) };
            built.and_then(|dir| serve::serve(&dir, port))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// Loads the digests named, or the embedded default.
pub fn load(digests: &[PathBuf]) -> Result<Digest, DigestError> {
    if digests.is_empty() {
        let files: Vec<(String, Vec<u8>)> =
            embedded::DEFAULT_DIGEST.iter().map(|(name, bytes)| (name.to_string(), bytes.to_vec())).collect();
        digest::load_bytes(&files)
    } else {
        digest::load(digests)
    }
}

fn check(digests: &[PathBuf]) -> Result<(), String> {
    let d = load(digests).map_err(|e| e.to_string())?;
    print!("{}", d.report);
    if d.report.total_skipped() > 0 {
        return Err(format!("{} record(s) could not be indexed (listed above)", d.report.total_skipped()));
    }
    Ok(())
}

fn index_bytes(digests: &[PathBuf]) -> Result<Vec<u8>, String> {
    let d = load(digests).map_err(|e| e.to_string())?;
    let (bytes, _) = build(&d.papers, &BuildOptions::default())?;
    Ok(bytes)
}

fn search(args: &Args, query: &str) -> Result<(), String> {
    let bytes = index_bytes(&args.digests)?;
    let index = Index::open(&bytes).map_err(|e| e.to_string())?;
    let results = Searcher::new().search(&index, query, args.limit).map_err(|e| e.to_string())?;
    let views = ResultView::all(&index, &results, 0).map_err(|e| e.to_string())?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&views).map_err(|e| e.to_string())?);
        return Ok(());
    }
    let suggestion = results.suggestion.as_deref().filter(|s| s.trim() != query.trim());
    if views.is_empty() {
        println!("no papers match {query:?}");
        if let Some(s) = suggestion {
            println!("did you mean {s:?}?");
        }
        return Ok(());
    }
    if let Some(s) = suggestion {
        println!("(some words are not in the digest: did you mean {s:?}?)");
    }
    let how = match (&results.unfinished, results.partial) {
        (Some(word), _) => format!(" (papers with every word before {word:?}, which may yet become a word they have)"),
        (None, true) => " (no paper has every word; closest matches)".to_string(),
        (None, false) => String::new(),
    };
    let about = if results.total_estimated { "about " } else { "" };
    println!("{about}{} match(es){how}", results.total);
    for (n, v) in views.iter().enumerate() {
        println!("\n{:>2}. {}  [{}]  score {:.2}", n + 1, v.paper.title, v.paper.id, v.score);
        let mut meta = Vec::new();
        if let Some(d) = &v.paper.date {
            meta.push(d.clone());
        }
        if let Some(a) = v.paper.authors {
            meta.push(format!("{a} author{}", if a == 1 { "" } else { "s" }));
        }
        if let Some(o) = v.paper.organization {
            meta.push(o.to_string());
        }
        if let Some(u) = v.paper.upvotes {
            meta.push(format!("{u} upvote{}", if u == 1 { "" } else { "s" }));
        }
        meta.extend(v.paper.code.iter().map(|c| c.to_string()));
        if !meta.is_empty() {
            println!("    {}", meta.join(" · "));
        }
        println!("    {}", v.excerpt);
    }
    Ok(())
}

fn stats(digests: &[PathBuf]) -> Result<(), String> {
    let bytes = index_bytes(digests)?;
    let index = Index::open(&bytes).map_err(|e| e.to_string())?;
    let s = StatsView::new(&index).map_err(|e| e.to_string())?;
    println!("{}", serde_json::to_string_pretty(&s).map_err(|e| e.to_string())?);
    Ok(())
}

/// A paper by id, for tests and scripts (`paperbloom search --json` covers results).
#[allow(dead_code)]
fn paper<'a>(index: &Index<'a>, id: &str) -> Result<Option<PaperView<'a>>, String> {
    let doc = index.find_id(id).map_err(|e| e.to_string())?;
    doc.map(|d| index.doc(d).map(|r| PaperView::from_record(&r)).map_err(|e| e.to_string())).transpose()
}
