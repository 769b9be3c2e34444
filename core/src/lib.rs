//! paperbloom's engine: everything that is not WebAssembly.
//!
//! The pipeline is [`digest`] (files → [`Paper`]s, with a report of everything merged or
//! skipped) → [`index::build`] (papers → versioned index bytes) → [`index::Index`] (a zero-copy
//! view of those bytes) → [`search`] (query → ranked, verified hits) → [`view`] (hits → the plain
//! objects the wasm API and the CLI print). [`tokenize`] is the one tokenizer used on both sides.
//! No module here depends on wasm; the wasm crate and the command-line program are thin skins.

pub mod digest;
pub mod eval;
pub mod hash;
pub mod index;
pub mod paper;
pub mod query;
pub mod search;
pub mod sort;
pub mod tokenize;
pub mod view;

pub use paper::{Paper, PaperDate, SourceLoc};
