//! Query syntax → a [`Query`]: what must, may and must not match, and the metadata filters.
//!
//! Syntax (whitespace separates items; everything else is searched as plain words, so no input
//! is ever an error):
//! - `word` — required (all required items must match: AND).
//! - `"exact phrase"` — its words must occur consecutively (stop words skipped); an unclosed
//!   quote runs to the end of the query.
//! - `-word`, `-"phrase"` — excluded: papers containing it are dropped.
//! - `a OR b` — either (upper-case `OR` between two items; binds tighter than the implicit AND:
//!   `x a OR b` is `x AND (a OR b)`).
//! - `title:word`, `title:"phrase"` — must occur in the title.
//! - `year:2024`, `year:>=2023` (also `>`, `<`, `<=`, `=`), `year:2020..2023`; the same forms for
//!   `authors:` (author count) and `upvotes:`; `has:code`; `-` before a filter negates it.
//!   A paper with no known year (or count) never passes a year (count) filter, so it does pass
//!   the negated one (`-year:2024` is every paper not known to be from 2024). Filters are
//!   always required: `OR` does not combine them.
//!
//! Invariants: parsing never fails; every byte of the query belongs to at most one item; items
//! keep the byte span they came from (for "did you mean" rewrites).

/// Where a text item must occur.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Title or abstract.
    Anywhere,
    /// The title.
    Title,
}

/// One searchable item: a word (which may tokenize to several terms) or a quoted phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// The item's text, without quotes, prefix or operator.
    pub text: String,
    /// Byte span of `text` in the query.
    pub span: (usize, usize),
    /// Quoted: its words must occur in this order, consecutively.
    pub phrase: bool,
    /// Where it must occur.
    pub scope: Scope,
    /// The query ends inside this item with a letter or digit: its last word may still be
    /// being typed.
    pub at_end: bool,
}

/// A comparison in a numeric filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    /// Equal.
    Eq(u32),
    /// Greater than.
    Gt(u32),
    /// Greater than or equal.
    Ge(u32),
    /// Less than.
    Lt(u32),
    /// Less than or equal.
    Le(u32),
    /// Within the inclusive range.
    Between(u32, u32),
}

impl Compare {
    /// True when `v` satisfies the comparison.
    pub fn holds(self, v: u32) -> bool {
        match self {
            Compare::Eq(x) => v == x,
            Compare::Gt(x) => v > x,
            Compare::Ge(x) => v >= x,
            Compare::Lt(x) => v < x,
            Compare::Le(x) => v <= x,
            Compare::Between(a, b) => a <= v && v <= b,
        }
    }

    fn parse(s: &str) -> Option<Self> {
        let num = |t: &str| -> Option<u32> {
            if t.is_empty() || t.len() > 9 || !t.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            t.parse().ok()
        };
        if let Some((a, b)) = s.split_once("..") {
            let (a, b) = (num(a)?, num(b)?);
            return Some(Compare::Between(a.min(b), a.max(b)));
        }
        for (op, make) in [
            (">=", Compare::Ge as fn(u32) -> Compare),
            ("<=", Compare::Le),
            (">", Compare::Gt),
            ("<", Compare::Lt),
            ("=", Compare::Eq),
        ] {
            if let Some(rest) = s.strip_prefix(op) {
                return num(rest).map(make);
            }
        }
        num(s).map(Compare::Eq)
    }
}

/// A metadata filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    /// Publication year.
    Year(Compare),
    /// Author count.
    Authors(Compare),
    /// Upvotes.
    Upvotes(Compare),
    /// Has at least one code link.
    HasCode,
}

/// A parsed query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Required clauses (AND); each clause is satisfied by any one of its items (OR).
    pub clauses: Vec<Vec<Item>>,
    /// Excluded items: a paper matching any of them is dropped.
    pub excluded: Vec<Item>,
    /// Filters, each with `true` when negated; all must hold.
    pub filters: Vec<(Filter, bool)>,
}

impl Query {
    /// True when the query asks for nothing at all (no words, no filters).
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && self.excluded.is_empty() && self.filters.is_empty()
    }
}

/// A raw whitespace-separated chunk (or quoted phrase) before interpretation.
struct Chunk {
    start: usize,
    end: usize,
    quoted: bool,
}

/// Splits `q` into chunks: runs of non-whitespace, except that a `"` opens a quoted chunk that
/// runs to the next `"` (or the end), wherever it starts (so `title:"a b"` and `-"a b"` are one
/// chunk each).
fn chunks(q: &str) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut iter = q.char_indices().peekable();
    while let Some(&(i, c)) = iter.peek() {
        if c.is_whitespace() {
            iter.next();
            continue;
        }
        let start = i;
        let mut quoted = false;
        let mut end = q.len();
        while let Some(&(j, c)) = iter.peek() {
            if c == '"' {
                quoted = true;
                iter.next();
                // Inside quotes: up to the closing quote.
                end = q.len();
                for (k, c) in iter.by_ref() {
                    if c == '"' {
                        end = k + 1;
                        break;
                    }
                }
                break;
            }
            if c.is_whitespace() {
                end = j;
                break;
            }
            iter.next();
        }
        out.push(Chunk { start, end, quoted });
    }
    out
}

/// The filter a chunk (without its `-`) spells, if it is one: `year:…`, `authors:…`,
/// `upvotes:…` with a valid comparison, or `has:code`.
fn filter_of(body: &str) -> Option<Filter> {
    let (name, value) = body.split_once(':')?;
    match name.to_ascii_lowercase().as_str() {
        "year" => Compare::parse(value).map(Filter::Year),
        "authors" | "author" => Compare::parse(value).map(Filter::Authors),
        "upvotes" | "votes" => Compare::parse(value).map(Filter::Upvotes),
        "has" if value.eq_ignore_ascii_case("code") => Some(Filter::HasCode),
        _ => None,
    }
}

/// `q` with its filters (`year:2024`, `-has:code`, …) removed, for a "search without filters"
/// action; `None` when `q` has none. Everything else is kept as typed.
pub fn without_filters(q: &str) -> Option<String> {
    let mut out = String::with_capacity(q.len());
    let mut at = 0;
    let mut removed = false;
    for ch in chunks(q) {
        let text = &q[ch.start..ch.end];
        let body = text.strip_prefix('-').unwrap_or(text);
        if !ch.quoted && filter_of(body).is_some() {
            out.push_str(&q[at..ch.start]);
            at = ch.end;
            removed = true;
        }
    }
    out.push_str(&q[at..]);
    removed.then(|| out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Parses a query. Never fails: what is not syntax is searched as words.
pub fn parse(q: &str) -> Query {
    let mut query = Query::default();
    let mut join_next = false; // the previous chunk was `OR` between two items
    let raw = chunks(q);
    for (n, ch) in raw.iter().enumerate() {
        let text = &q[ch.start..ch.end];
        if text == "OR" && !ch.quoted {
            let has_left = query.clauses.last().is_some();
            let has_right = raw.get(n + 1).is_some_and(|next| !q[next.start..next.end].starts_with('-'));
            if has_left && has_right {
                join_next = true;
            }
            continue; // "or" is a stop word anyway
        }
        let (negated, body_start) = match text.strip_prefix('-') {
            Some(rest) if rest.starts_with(|c: char| c.is_alphanumeric() || c == '"') => (true, ch.start + 1),
            _ => (false, ch.start),
        };
        let body = &q[body_start..ch.end];
        // Field syntax: name:value.
        let mut scope = Scope::Anywhere;
        let mut item_start = body_start;
        if let Some(f) = filter_of(body) {
            query.filters.push((f, negated));
            join_next = false;
            continue;
        }
        if let Some((name, value)) = body.split_once(':') {
            if name.eq_ignore_ascii_case("title") && !value.is_empty() {
                scope = Scope::Title;
                item_start = body_start + name.len() + 1;
            }
        }
        let mut s = item_start;
        let mut e = ch.end;
        let phrase = ch.quoted && q[s..].starts_with('"');
        if phrase {
            s += 1;
            if e > s && q[..e].ends_with('"') {
                e -= 1;
            }
        }
        let at_end = ch.end == q.len() && q.ends_with(|c: char| c.is_alphanumeric());
        let item = Item { text: q[s..e].to_string(), span: (s, e), phrase, scope, at_end };
        if negated {
            query.excluded.push(item);
        } else if join_next {
            if let Some(last) = query.clauses.last_mut() {
                last.push(item);
            }
        } else {
            query.clauses.push(vec![item]);
        }
        join_next = false;
    }
    query
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn texts(items: &[Item]) -> Vec<&str> {
        items.iter().map(|i| i.text.as_str()).collect()
    }

    #[test]
    fn plain_words_are_required_clauses() {
        let q = parse("federated  learning");
        assert_eq!(q.clauses.len(), 2);
        assert_eq!(texts(&q.clauses[0]), ["federated"]);
        assert_eq!(q.clauses[1][0].span, (11, 19));
        assert!(q.clauses[1][0].at_end);
        assert!(!parse("federated learning ").clauses[1][0].at_end);
        assert!(!parse("federated learning.").clauses[1][0].at_end);
    }

    #[test]
    fn phrases_excludes_and_or() {
        let q = parse(r#""hyperbolic space" -euclidean graph OR hypergraph -"point cloud""#);
        assert_eq!(q.clauses.len(), 2);
        assert!(q.clauses[0][0].phrase);
        assert_eq!(q.clauses[0][0].text, "hyperbolic space");
        assert_eq!(texts(&q.clauses[1]), ["graph", "hypergraph"]);
        assert_eq!(texts(&q.excluded), ["euclidean", "point cloud"]);
        assert!(q.excluded[1].phrase);
    }

    #[test]
    fn unclosed_quote_runs_to_the_end() {
        let q = parse(r#"vision "mixture of exp"#);
        assert_eq!(q.clauses[1][0].text, "mixture of exp");
        assert!(q.clauses[1][0].phrase);
        assert!(q.clauses[1][0].at_end);
    }

    #[test]
    fn field_filters() {
        let q = parse("title:GAN year:>=2023 year:2020..2022 authors:>5 has:code -has:code upvotes:10");
        assert_eq!(q.clauses.len(), 1);
        assert_eq!(q.clauses[0][0].scope, Scope::Title);
        assert_eq!(q.clauses[0][0].text, "GAN");
        assert_eq!(
            q.filters,
            [
                (Filter::Year(Compare::Ge(2023)), false),
                (Filter::Year(Compare::Between(2020, 2022)), false),
                (Filter::Authors(Compare::Gt(5)), false),
                (Filter::HasCode, false),
                (Filter::HasCode, true),
                (Filter::Upvotes(Compare::Eq(10)), false),
            ]
        );
        let t = parse(r#"title:"point cloud""#);
        assert!(t.clauses[0][0].phrase);
        assert_eq!(t.clauses[0][0].text, "point cloud");
        assert_eq!(t.clauses[0][0].scope, Scope::Title);
    }

    #[test]
    fn unknown_or_malformed_syntax_is_plain_words() {
        for (q, want) in [
            ("foo:bar", "foo:bar"),
            ("year:abc", "year:abc"),
            ("year:>=", "year:>="),
            ("has:wings", "has:wings"),
            ("title:", "title:"),
            ("-", "-"),
            ("--x", "--x"),
        ] {
            let p = parse(q);
            assert!(p.filters.is_empty(), "{q}");
            assert_eq!(texts(&p.clauses[0]), [want], "{q}");
        }
        assert!(parse("").is_empty());
        assert!(parse("   ").is_empty());
        // Dangling OR and OR before an exclusion are words ("or" is then a stop word).
        assert_eq!(parse("OR gan").clauses.len(), 1);
        assert_eq!(parse("gan OR").clauses.len(), 1);
        let q = parse("gan OR -vae");
        assert_eq!((q.clauses.len(), q.excluded.len()), (1, 1));
    }

    #[test]
    fn without_filters_keeps_everything_else() {
        assert_eq!(without_filters("graph year:2024 -has:code"), Some("graph".into()));
        assert_eq!(
            without_filters(r#"year:>=2023 "point cloud" -vae authors:>5 OR x"#),
            Some(r#""point cloud" -vae OR x"#.into())
        );
        assert_eq!(without_filters("graph year:abc"), None);
        assert_eq!(without_filters("graph"), None);
        assert_eq!(without_filters("has:code"), Some(String::new()));
        let q = without_filters("title:GAN upvotes:>=2 diffusion").unwrap();
        let (with, without) = (parse("title:GAN upvotes:>=2 diffusion"), parse(&q));
        assert!(without.filters.is_empty() && !with.filters.is_empty());
        let texts = |q: &Query| q.clauses.iter().flatten().map(|i| (i.text.clone(), i.scope)).collect::<Vec<_>>();
        assert_eq!(texts(&with), texts(&without));
    }

    #[test]
    fn compare_holds() {
        assert!(Compare::Ge(2023).holds(2023));
        assert!(!Compare::Gt(2023).holds(2023));
        assert!(Compare::Between(2020, 2022).holds(2021));
        assert!(!Compare::Lt(5).holds(5));
        assert!(Compare::Le(5).holds(5));
        assert_eq!(Compare::parse("2022..2020"), Some(Compare::Between(2020, 2022)));
        assert_eq!(Compare::parse("99999999999"), None);
    }
}
