//! The seed digests in `data/digests`: exact accounting per file, the cross-file merges, spot
//! checks of parsed fields, and the titles derived for the `Abstract:` list.
#![allow(clippy::unwrap_used, missing_docs)]

use paperbloom_core::digest::{self, Digest, FileReport, Format};
use paperbloom_core::{Paper, PaperDate};
use std::collections::HashSet;
use std::path::PathBuf;

fn seed_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/digests"))
}

fn seed() -> Digest {
    digest::load(&[seed_dir()]).unwrap()
}

fn file<'a>(d: &'a Digest, prefix: &str) -> &'a FileReport {
    d.report
        .files
        .iter()
        .find(|f| PathBuf::from(&f.file).file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap()
}

fn paper<'a>(d: &'a Digest, title_prefix: &str) -> &'a Paper {
    let found: Vec<&Paper> = d.papers.iter().filter(|p| p.title.starts_with(title_prefix)).collect();
    assert_eq!(found.len(), 1, "exactly one paper titled {title_prefix:?}…");
    found[0]
}

#[test]
fn counts_per_file() {
    let d = seed();
    // (file, format, read, indexed, merged, skipped)
    let expected = [
        ("000_", Format::AbstractList, 10, 10, 0, 0),
        ("001_", Format::DailyPapers, 92, 92, 0, 0),
        ("002_", Format::DailyPapers, 64, 61, 3, 0),
        ("003_", Format::DailyPapers, 46, 46, 0, 0),
        ("004_", Format::DailyPapers, 38, 38, 0, 0),
    ];
    assert_eq!(d.report.files.len(), expected.len());
    for (i, (prefix, format, read, indexed, merged, skipped)) in expected.into_iter().enumerate() {
        let f = file(&d, prefix);
        assert!(PathBuf::from(&f.file).file_name().unwrap().to_string_lossy().starts_with(prefix));
        assert_eq!(&d.report.files[i], f, "files are reported in name order");
        let got = (f.format, f.read, f.indexed, f.merged.len(), f.skipped.len());
        assert_eq!(got, (format, read, indexed, merged, skipped), "{}", f.file);
        assert!(f.is_balanced(), "{}", f.file);
        assert_eq!(f.read, f.indexed + f.merged.len() + f.skipped.len());
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
    }
    assert_eq!(d.papers.len(), 247);
    assert_eq!(d.report.total_read(), 250);
    assert_eq!(d.report.total_indexed(), 247);
    assert_eq!(d.report.total_merged(), 3);
    assert_eq!(d.report.total_skipped(), 0);
    assert!(!d.report.has_problems());
}

#[test]
fn titles_repeated_across_files_are_merged() {
    let d = seed();
    let merged = &file(&d, "002_").merged;
    let got: Vec<(&str, usize, usize)> = merged.iter().map(|m| (m.title.as_str(), m.loc.line, m.into.line)).collect();
    assert_eq!(
        got,
        [
            (
                "RankMe: Assessing the downstream performance of pretrained self-supervised \
                 representations by their rank",
                31,
                195
            ),
            ("Rethinking Positive Pairs in Contrastive Learning", 195, 79),
            ("MatryoshkaKV: Adaptive KV Compression via Trainable Orthogonal Projection", 223, 59),
        ]
    );
    for m in merged {
        assert!(m.into.file.contains("001_"), "{}", m.into);
        assert!(m.loc.file.contains("002_"), "{}", m.loc);
    }
    // The kept paper is the first occurrence.
    assert!(paper(&d, "RankMe:").source.file.contains("001_"));
}

#[test]
fn ids_are_unique_and_stable() {
    let d = seed();
    let ids: HashSet<&str> = d.papers.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), d.papers.len());
    assert_eq!(seed().papers, d.papers, "loading twice gives the same papers");
    let p = paper(&d, "Poincaré ResNet");
    assert!(p.id.starts_with("poincare-resnet-"), "{}", p.id);
    for p in &d.papers {
        assert!(p.code.iter().all(|c| c.starts_with("https://") && !c.ends_with('.')), "{:?}", p.code);
    }
}

#[test]
fn spot_checks() {
    let d = seed();

    let fedlgd = paper(&d, "Federated Learning on Virtual Heterogeneous Data with Local-global Distillation");
    assert_eq!(fedlgd.authors, Some(5));
    assert_eq!(fedlgd.date, PaperDate::new(Some(2023), 3, 3));
    assert_eq!(fedlgd.upvotes, None);
    assert_eq!(fedlgd.code, ["https://github.com/ubc-tea/FedLGD"]);
    assert_eq!(fedlgd.source.line, 21);
    assert!(fedlgd.abstract_text.starts_with("While Federated Learning (FL) is gaining popularity"));

    let fedre = paper(&d, "FedRE: A Representation Entanglement Framework");
    assert_eq!(fedre.code, ["https://github.com/AIResearch-Group/FedRE"]);
    assert_eq!((fedre.authors, fedre.date, fedre.upvotes), (None, None, None));
    assert_eq!(fedre.source.line, 13);
    assert!(!fedre.abstract_text.is_empty());

    let xmc = paper(&d, "Large Language Models Meet Extreme Multi-label Classification");
    assert_eq!(xmc.organization.as_deref(), Some("nielseniq NielsenIQ"));
    assert_eq!(xmc.date, PaperDate::new(None, 11, 17));
    assert_eq!(xmc.date.unwrap().year, None);
    assert_eq!(xmc.upvotes, Some(3));
    assert_eq!(xmc.authors, None);

    let staleness = paper(&d, "Tackling the Unlimited Staleness in Federated Learning");
    assert_eq!(staleness.date, PaperDate::new(Some(2023), 9, 23));
    assert_eq!(staleness.upvotes, Some(2));
    assert_eq!(staleness.authors, Some(2));

    // "Dec 8" is the page's date heading in 004 but a paper's date inside a meta block in 003.
    let local = paper(&d, "LocalSearchBench");
    assert_eq!((local.date, local.authors), (PaperDate::new(None, 12, 8), Some(14)));

    let qnlp = paper(&d, "Category Theory for Quantum Natural Language Processing");
    assert_eq!(qnlp.authors, Some(1));

    let poincare = paper(&d, "Poincaré ResNet");
    assert_eq!(poincare.title, "Poincaré ResNet");
    assert!(poincare.source.file.contains("001_"));
    assert_eq!(poincare.source.line, 35);

    assert!(paper(&d, "Are we certain it's anomalous?").abstract_text.len() > 1000);
    assert_eq!(paper(&d, "Stable-SPAM").code, ["https://github.com/TianjinYellow/StableSPAM.git"]);
    // A project page on github.io is not a code link; Hugging Face links are.
    assert!(paper(&d, "VoxHammer").code.is_empty());
    assert_eq!(
        paper(&d, "SlimPajama-DC").code,
        ["https://huggingface.co/MBZUAI-LLM", "https://huggingface.co/datasets/cerebras/SlimPajama-627B"]
    );

    // Files 001 and 002 have no meta paragraphs at all; 003 has one for every paper.
    let in_file = |prefix: &'static str| d.papers.iter().filter(move |p| p.source.file.contains(prefix));
    assert!(in_file("001_").chain(in_file("002_")).all(|p| p.date.is_none() && p.authors.is_none()));
    assert!(in_file("003_").all(|p| p.date.is_some() && p.authors.is_some()));
    assert!(d.papers.iter().filter(|p| !p.source.file.contains("000_")).all(|p| !p.title_derived));
}

#[test]
fn derived_titles_of_the_abstract_list() {
    let d = seed();
    let titles: Vec<&str> = d
        .papers
        .iter()
        .filter(|p| p.source.file.contains("000_"))
        .inspect(|p| assert!(p.title_derived && p.id.starts_with("abstract-")))
        .map(|p| p.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "SQ-GAN: a novel approach that enhances CR by introducing a style space quantization scheme",
            "Dense-to-Sparse Feature Distilled Visual Semantic Embedding (D2S-VSE)",
            "Ferret: a comprehensive framework designed to enhance online accuracy of Online Continual…",
            "Asymmetric Visual Semantic Embedding (AVSE)",
            "Fast ANN-SNN conversion strategy (FAS)",
            "Extended Single-Step Synthetic Features Compressing (E-3SFC)",
            "With the advancement of large language models (LLMs), intelligent models have evolved…",
            "Understanding the inner workings of Large Language Models (LLMs) is a critical research…",
            "Multi-view Granular-ball Contrastive Clustering (MGBCC)",
            "Global Reviser for Federated Learning with Noisy Labels (FedGR)",
        ]
    );
    for t in titles {
        assert!(t.chars().count() <= 90, "{t}");
    }
    let lines: Vec<usize> = d.papers.iter().filter(|p| p.source.file.contains("000_")).map(|p| p.source.line).collect();
    assert_eq!(lines, (1..=10).collect::<Vec<_>>());
}
