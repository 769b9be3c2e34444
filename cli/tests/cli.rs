//! The `paperbloom` command as a user runs it: exit codes, messages, JSON shape.
#![allow(clippy::unwrap_used, missing_docs)]

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paperbloom")).args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn temp(name: &str, content: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("paperbloom-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

#[test]
fn check_reports_every_seed_paper() {
    let o = run(&["check"]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("total: read 250, indexed 247, merged 3, skipped 0"), "{t}");
}

#[test]
fn check_names_file_and_line_of_bad_input_and_fails() {
    let bad = temp("bad.json", b"[\n {\"title\": \"ok\", \"body\": \"fine\"},\n {\"title\": oops}\n]\n");
    let o = run(&["check", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let t = text(&o);
    assert!(t.contains("bad.json:3"), "{t}");
    let latin1 = temp("latin1.txt", b"Abstract: caf\xe9 au lait\n");
    let o = run(&["check", latin1.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(text(&o).contains("latin1.txt:1"), "{}", text(&o));
}

#[test]
fn check_lists_skipped_records_and_fails() {
    let f = temp(
        "mixed.jsonl",
        b"{\"title\": \"A\", \"body\": \"alpha beta\"}\nnot json\n{\"title\": \"B\", \"body\": \"gamma\"}\n",
    );
    let o = run(&["check", f.to_str().unwrap()]);
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(t.contains("read 3, indexed 2, merged 0, skipped 1"), "{t}");
    assert!(t.contains("mixed.jsonl:2"), "{t}");
}

#[test]
fn search_json_prints_the_same_objects_as_the_wasm_api() {
    let o = run(&["search", "--limit", "2", "--json", "FedLGD"]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let first = &v[0];
    assert_eq!(first["title"], "Federated Learning on Virtual Heterogeneous Data with Local-global Distillation");
    assert_eq!(first["authors"], 5);
    assert_eq!(first["date"], "Mar 3, 2023");
    for key in ["id", "score", "upvotes", "code", "excerpt", "url", "matched", "terms", "year", "organization"] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn search_with_a_digest_path_uses_that_digest() {
    let f = temp(
        "own.jsonl",
        b"{\"id\": \"x1\", \"title\": \"Bloom filters at scale\", \"body\": \"bit-sliced signatures\"}\n",
    );
    let o = run(&["search", "--digest", f.to_str().unwrap(), "--json", "bit-sliced"]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["id"], "x1");
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let o = run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("unknown command"));
    let o = run(&["search", "--digest", "/no/such/path", "x"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("/no/such/path"), "{}", text(&o));
}

#[test]
fn eval_prints_the_metrics_line_last() {
    let dir = std::env::temp_dir().join(format!("paperbloom-eval-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("docs.jsonl"),
        "{\"id\": \"d1\", \"title\": \"Bloom filters\", \"body\": \"bit arrays for set membership\"}\n\
         {\"id\": \"d2\", \"title\": \"Suffix trees\", \"body\": \"string indexing structures\"}\n\
         {\"id\": \"d3\", \"title\": \"Cuckoo filters\", \"body\": \"set membership with deletions\"}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("queries.jsonl"),
        "{\"id\": \"q1\", \"text\": \"suffix trees\"}\n{\"id\": \"q2\", \"text\": \"zebra\"}\n",
    )
    .unwrap();
    std::fs::write(dir.join("qrels.tsv"), "query-id\tcorpus-id\tscore\nq1\td2\t1\nq2\td1\t1\n").unwrap();
    let run_file = dir.join("run.txt");
    let o = run(&["eval", dir.to_str().unwrap(), "--run", run_file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    // q1 finds d2 first (all metrics 1), q2 finds nothing (0): means 0.5.
    assert_eq!(stdout.lines().last().unwrap(), "ndcg@10=0.5000 mrr@10=0.5000 recall@100=0.5000");
    let trec = std::fs::read_to_string(&run_file).unwrap();
    assert!(trec.starts_with("q1 Q0 d2 1 "), "{trec}");
}

/// The per-file and total lines of `check`'s report, as (label, read, indexed, merged, skipped).
fn books(report: &str) -> Vec<(String, usize, usize, usize, usize)> {
    report
        .lines()
        .filter_map(|l| {
            let (label, counts) = l.split_once("read ")?;
            let n: Vec<usize> = counts.split(", ").filter_map(|c| c.split_whitespace().last()?.parse().ok()).collect();
            (n.len() >= 4).then(|| (label.trim_end_matches([' ', ':']).to_string(), n[0], n[1], n[2], n[3]))
        })
        .collect()
}

#[test]
fn check_books_balance_on_the_seed_and_on_a_corrupted_copy() {
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/digests");
    let dir = std::env::temp_dir().join(format!("paperbloom-cli-corrupt-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(&seed).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    for (i, name) in names.iter().enumerate() {
        let mut text = std::fs::read_to_string(seed.join(name)).unwrap();
        // Corruptions: a truncated tail, a block of lines gone from the middle, garbage lines,
        // an empty record, a CRLF file, a duplicated block.
        match i {
            0 => {
                text.truncate(text.len() * 2 / 3);
                text.push_str("\nAbstract:\nnot an abstract line\n\u{0}Abstract: NUL-led\n");
            }
            1 => {
                let lines: Vec<&str> = text.lines().collect();
                let keep: Vec<&str> =
                    lines.iter().enumerate().filter(|(n, _)| !(40..90).contains(n)).map(|(_, l)| *l).collect();
                text = keep.join("\n") + "\n\n}{][ garbage ~~~\n\n";
            }
            2 => text = text.replace('\n', "\r\n"),
            3 => {
                let block = text[..text.len() / 3].to_string();
                text.push_str("\n\n");
                text.push_str(&block);
            }
            _ => text.insert(0, '\u{feff}'),
        }
        std::fs::write(dir.join(name), text).unwrap();
    }
    for (what, args) in [("seed", vec!["check"]), ("corrupted", vec!["check", dir.to_str().unwrap()])] {
        let o = run(&args);
        let t = text(&o);
        let rows = books(&t);
        assert_eq!(rows.len(), names.len() + 1, "{what}: one line per file and a total:\n{t}");
        let (files, total) = rows.split_at(names.len());
        for (label, read, indexed, merged, skipped) in files {
            assert_eq!(*read, indexed + merged + skipped, "{what}: {label} does not balance:\n{t}");
        }
        let sum = |f: fn(&(String, usize, usize, usize, usize)) -> usize| files.iter().map(f).sum::<usize>();
        let total = &total[0];
        assert_eq!(
            (total.1, total.2, total.3, total.4),
            (sum(|r| r.1), sum(|r| r.2), sum(|r| r.3), sum(|r| r.4)),
            "{what}: totals:\n{t}"
        );
        assert_eq!(total.1, total.2 + total.3 + total.4, "{what}:\n{t}");
        // Every skipped record is listed with its place and reason.
        let listed = t.lines().filter(|l| l.trim_start().starts_with("skipped ")).count();
        assert_eq!(listed, total.4, "{what}:\n{t}");
        assert_eq!(o.status.success(), total.4 == 0, "{what}: fails exactly when records were skipped:\n{t}");
        if what == "corrupted" {
            assert!(total.4 > 0 && total.2 > 150, "{what}: some skipped, most still indexed:\n{t}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
