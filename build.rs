//! Precompiles the search index into the wasm binary.
//!
//! Reads the digest named by `PAPERBLOOM_DIGEST` — one or more files or folders separated by the
//! platform's path separator (`:` on Unix) — or, when unset or empty, `data/digests`. Writes
//! `$OUT_DIR/index.bin`, which `src/lib.rs` embeds with `include_bytes!`. `PAPERBLOOM_FPR`
//! (default 0.001) sets the target false-positive rate; `PAPERBLOOM_TEXT_BUDGET` the bytes of
//! abstract text stored for display (default 8 MiB; `none` for no budget). Cargo reruns this
//! exactly when one of these variables, a digest folder, or a digest file changes.
//!
//! Bad input fails the build with the parser's message (file, line, what is wrong, what to do).

use paperbloom_core::digest;
use paperbloom_core::index::{build, BuildOptions};
use std::path::PathBuf;

fn fail(msg: &str) -> ! {
    eprintln!("\npaperbloom: {msg}\n");
    std::process::exit(1);
}

fn main() {
    println!("cargo:rerun-if-env-changed=PAPERBLOOM_DIGEST");
    println!("cargo:rerun-if-env-changed=PAPERBLOOM_FPR");
    println!("cargo:rerun-if-env-changed=PAPERBLOOM_TEXT_BUDGET");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let paths: Vec<PathBuf> = match std::env::var_os("PAPERBLOOM_DIGEST") {
        Some(v) if !v.is_empty() => std::env::split_paths(&v).map(|p| manifest.join(p)).collect(),
        _ => vec![manifest.join("data/digests")],
    };
    let mut options = BuildOptions::default();
    if let Ok(v) = std::env::var("PAPERBLOOM_FPR") {
        match v.parse::<f64>() {
            Ok(f) if f > 0.0 && f < 0.5 => options.false_positive_rate = f,
            _ => fail(&format!("PAPERBLOOM_FPR={v:?} is not a rate between 0 and 0.5 (e.g. 0.001)")),
        }
    }
    if let Ok(v) = std::env::var("PAPERBLOOM_TEXT_BUDGET") {
        options.text_budget = match v.trim() {
            "none" => None,
            n => match n.parse::<usize>() {
                Ok(b) => Some(b),
                Err(_) => {
                    fail(&format!("PAPERBLOOM_TEXT_BUDGET={v:?} is not a number of bytes (e.g. 8388608) or \"none\""))
                }
            },
        };
    }
    for p in &paths {
        println!("cargo:rerun-if-changed={}", p.display());
    }
    let files = digest::expand_paths(&paths).unwrap_or_else(|e| fail(&e.to_string()));
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
    }
    let mut d = digest::load(&paths).unwrap_or_else(|e| fail(&e.to_string()));
    d.relativize_sources(&manifest);
    for f in &d.report.files {
        for s in &f.skipped {
            println!("cargo:warning=skipped {}: {}", s.loc, s.reason);
        }
    }
    let (bytes, summary) = build(&d.papers, &options).unwrap_or_else(|e| fail(&e));
    if summary.abstracts_cut > 0 {
        println!(
            "cargo:warning=display text over budget: {} of {} abstracts ({} bytes in all) are stored cut to {} bytes; search still covers their whole text (PAPERBLOOM_TEXT_BUDGET raises the budget)",
            summary.abstracts_cut, summary.papers, summary.abstract_bytes, summary.abstract_cap
        );
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("index.bin");
    if let Err(e) = std::fs::write(&out, &bytes) {
        fail(&format!("cannot write {}: {e}", out.display()));
    }
    // Visible with `cargo build -vv`; `paperbloom check` is the place to read the report.
    eprintln!("paperbloom: indexed {} papers, {} terms, {} bytes", summary.papers, summary.terms, summary.index_bytes);
}
