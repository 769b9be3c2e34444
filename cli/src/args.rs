//! Command-line arguments, parsed by hand (a handful of flags do not need a framework).

use std::path::PathBuf;

/// A subcommand.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// `--help`, `help`, or nothing.
    Help,
    /// `check [DIGEST…]`
    Check,
    /// `search … QUERY`
    Search {
        /// The query (all remaining words joined by spaces).
        query: String,
    },
    /// `stats`
    Stats,
    /// `build`
    Build,
    /// `eval DIR`
    Eval {
        /// The collection folder.
        dir: PathBuf,
    },
    /// `serve`
    Serve {
        /// Port on 127.0.0.1.
        port: u16,
    },
}

/// Parsed arguments.
#[derive(Debug)]
pub struct Args {
    /// What to do.
    pub command: Command,
    /// Digest files or folders; empty = the embedded default.
    pub digests: Vec<PathBuf>,
    /// Results to print (`--limit`).
    pub limit: usize,
    /// Print JSON (`--json`).
    pub json: bool,
    /// Output folder of `build`/`serve` (`--out`).
    pub out: PathBuf,
    /// `serve --no-build`: serve the folder as it is.
    pub no_build: bool,
    /// `eval --run FILE`: where to write the TREC run.
    pub run_file: Option<PathBuf>,
}

impl Default for Args {
    fn default() -> Self {
        Self {
            command: Command::Help,
            digests: vec![],
            limit: 10,
            json: false,
            out: PathBuf::from("site"),
            no_build: false,
            run_file: None,
        }
    }
}

fn value(flag: &str, it: &mut impl Iterator<Item = String>) -> Result<String, String> {
    it.next().ok_or_else(|| format!("{flag} needs a value"))
}

impl Args {
    /// Parses the arguments after the program name.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut it = args.into_iter();
        let Some(cmd) = it.next() else {
            return Ok(Self::default());
        };
        let mut a = Self::default();
        let mut port = 8000u16;
        let mut words: Vec<String> = Vec::new();
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--digest" | "-d" => a.digests.push(value(&arg, &mut it)?.into()),
                "--limit" | "-n" => {
                    let v = value(&arg, &mut it)?;
                    a.limit = v.parse().map_err(|_| format!("--limit takes a whole number, not {v:?}"))?;
                }
                "--json" => a.json = true,
                "--no-build" => a.no_build = true,
                "--run" => a.run_file = Some(value(&arg, &mut it)?.into()),
                "--out" | "-o" => a.out = value(&arg, &mut it)?.into(),
                "--port" | "-p" => {
                    let v = value(&arg, &mut it)?;
                    port = v.parse().map_err(|_| format!("--port takes a port number, not {v:?}"))?;
                }
                "--" => words.extend(it.by_ref()),
                s if s.starts_with("--") => return Err(format!("unknown option {s}")),
                _ => words.push(arg),
            }
        }
        a.command = match cmd.as_str() {
            "help" | "--help" | "-h" => Command::Help,
            "check" => {
                a.digests.extend(words.drain(..).map(PathBuf::from));
                Command::Check
            }
            "search" => {
                if words.is_empty() {
                    return Err("search needs a QUERY".into());
                }
                Command::Search { query: std::mem::take(&mut words).join(" ") }
            }
            "stats" => Command::Stats,
            "build" => Command::Build,
            "eval" => match words.len() {
                1 => Command::Eval { dir: std::mem::take(&mut words).remove(0).into() },
                _ => return Err("eval needs exactly one collection folder DIR".into()),
            },
            "serve" => Command::Serve { port },
            other => return Err(format!("unknown command {other:?}")),
        };
        if let Some(extra) = words.first() {
            return Err(format!("unexpected argument {extra:?}"));
        }
        Ok(a)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Args, String> {
        Args::parse(s.split_whitespace().map(String::from))
    }

    #[test]
    fn parses_the_documented_forms() {
        let a = p("search --digest a.json --digest dir --limit 3 --json federated learning").unwrap();
        assert_eq!(a.command, Command::Search { query: "federated learning".into() });
        assert_eq!(a.digests, [PathBuf::from("a.json"), PathBuf::from("dir")]);
        assert_eq!((a.limit, a.json), (3, true));
        assert_eq!(p("check x y").unwrap().digests.len(), 2);
        assert_eq!(p("serve --port 9000").unwrap().command, Command::Serve { port: 9000 });
        assert_eq!(p("build --out /tmp/o").unwrap().out, PathBuf::from("/tmp/o"));
        let e = p("eval coll --run r.txt").unwrap();
        assert_eq!((e.command, e.run_file), (Command::Eval { dir: "coll".into() }, Some(PathBuf::from("r.txt"))));
        assert!(p("eval").unwrap_err().contains("DIR"));
    }

    #[test]
    fn rejects_bad_input_with_a_message() {
        assert!(p("search").unwrap_err().contains("QUERY"));
        assert!(p("search --limit x q").unwrap_err().contains("whole number"));
        assert!(p("frobnicate").unwrap_err().contains("unknown command"));
        assert!(p("build extra").unwrap_err().contains("unexpected"));
    }
}
