//! JSON digests: a `.json` array of records, or `.jsonl`/`.ndjson` with one record per line.
//!
//! A record is an object. Recognised fields (all optional, `null` = absent, others ignored):
//! `id` (string or number), `title`, `abstract` or `body` (tinysearch's name), `url`, `date`
//! (a string [`PaperDate::parse`] understands), `authors` (a count or an array of names),
//! `organization`, `upvotes`, `code` (a link or an array of links) and tinysearch's free-form
//! `meta` (ignored). So tinysearch's `[{"title","url","body","meta"}]` is read as it is.
//!
//! Invariants:
//! * A `.json` file that is not valid JSON, or not an array at the top level, is a
//!   [`DigestError`] with the line (and column) serde_json reports.
//! * A record that cannot be used — not an object, a field of the wrong type, neither title nor
//!   body, or (in JSONL) a line that is not valid JSON — is skipped with a reason naming the
//!   record and field (`[3].title` in arrays, `title` in JSONL, whose records are lines).
//! * A usable field with an unusable value — a non-http(s) `url` or `code` link, an
//!   unparseable `date` — is dropped with a warning; the record is kept.
//! * A record's own `id` is kept; without one the id is derived ([`super::ids`]). Without a
//!   title, the title is derived from the body ([`super::title`]). Without `code`, code links
//!   are taken from the body.
//! * Source lines are where each record starts (its `{` line in arrays, its line in JSONL).

use super::report::FileReport;
use super::{ids, links, new_paper, title, DigestError};
use crate::paper::{Paper, PaperDate};
use serde_json::{Map, Value};

/// Papers of a `.json` file (an array of records).
pub(crate) fn parse_json(text: &str, report: &mut FileReport) -> Result<Vec<Paper>, DigestError> {
    let value: Value = serde_json::from_str(text).map_err(|e| json_error(&report.file, &e))?;
    let Value::Array(items) = value else {
        return Err(DigestError::new(
            report.file.as_str(),
            format!("expected a JSON array of records at the top level, found {}", describe(&value)),
            "wrap the records in [ … ], or save one record per line as .jsonl",
        )
        .at_line(first_value_line(text)));
    };
    let starts = element_lines(text);
    let mut papers = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let line = starts.get(i).copied().unwrap_or(1);
        match record(item, &format!("[{i}]"), line, report) {
            Ok(paper) => {
                report.read += 1;
                papers.push(paper);
            }
            Err(reason) => report.skip(line, reason),
        }
    }
    Ok(papers)
}

/// Papers of a `.jsonl` file; lines that are not valid JSON are skipped.
pub(crate) fn parse_jsonl(text: &str, report: &mut FileReport) -> Vec<Paper> {
    let mut papers = Vec::new();
    for (line, raw) in super::text::numbered_lines(text) {
        if raw.trim().is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(raw) {
            Ok(v) => v,
            Err(e) => {
                report.skip(line, format!("not valid JSON: {} (column {})", bare_message(&e), e.column()));
                continue;
            }
        };
        match record(&value, "", line, report) {
            Ok(paper) => {
                report.read += 1;
                papers.push(paper);
            }
            Err(reason) => report.skip(line, reason),
        }
    }
    papers
}

/// serde_json's message without its " at line L column C" suffix.
fn bare_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    full.strip_suffix(&suffix).map_or(full.clone(), str::to_string)
}

fn json_error(file: &str, e: &serde_json::Error) -> DigestError {
    use serde_json::error::Category;
    let hint = match e.classify() {
        Category::Eof => "the file ends in the middle of a value: is it cut short, or is a ] or } missing?",
        Category::Io => "the file could not be read completely",
        Category::Syntax | Category::Data => {
            "check for a missing comma, quote or bracket just before that spot (JSON allows no \
             trailing commas or comments); for one record per line, name the file .jsonl"
        }
    };
    let line = e.line().max(1);
    DigestError::new(file, format!("invalid JSON: {} (column {})", bare_message(e), e.column()), hint).at_line(line)
}

/// "a string", "a number (42)", … for messages.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) => format!("a string ({:?})", title::truncate(s, 40)),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// The 1-based line of the first non-whitespace character.
fn first_value_line(text: &str) -> usize {
    let start = text.len() - text.trim_start().len();
    text[..start].matches('\n').count() + 1
}

/// The 1-based line each element of the top-level array starts on. `text` must be valid JSON.
fn element_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let (mut line, mut depth) = (1usize, 0usize);
    let (mut in_string, mut escaped, mut expecting) = (false, false, false);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        if depth == 1 && expecting && !matches!(c, ',' | ']' | '}') {
            lines.push(line);
            expecting = false;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    expecting = true;
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    lines
}

/// Field access for one record: names fields by path and collects warnings.
struct Fields<'a> {
    obj: &'a Map<String, Value>,
    path: &'a str,
    warnings: Vec<String>,
}

impl<'a> Fields<'a> {
    fn name(&self, field: &str) -> String {
        if self.path.is_empty() {
            field.to_string()
        } else {
            format!("{}.{field}", self.path)
        }
    }

    /// The field's value; `null` counts as absent.
    fn get(&self, field: &str) -> Option<&'a Value> {
        self.obj.get(field).filter(|v| !v.is_null())
    }

    fn wrong(&self, field: &str, expected: &str, found: &Value) -> String {
        format!("`{}` must be {expected}, found {}", self.name(field), describe(found))
    }

    /// A string field, trimmed; empty strings count as absent.
    fn string(&self, field: &str) -> Result<Option<String>, String> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            Some(other) => Err(self.wrong(field, "a string", other)),
        }
    }

    /// A non-negative integer that fits in 32 bits.
    fn count(&self, field: &str, expected: &str) -> Result<Option<u32>, String> {
        match self.get(field) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => {
                n.as_u64().and_then(|n| u32::try_from(n).ok()).map(Some).ok_or_else(|| self.wrong(field, expected, v))
            }
            Some(other) => Err(self.wrong(field, expected, other)),
        }
    }

    /// The value of an optional field, or — when it has the wrong type — a warning and nothing:
    /// a bad author count or date must not cost the paper.
    fn optional<T>(&mut self, value: Result<Option<T>, String>) -> Option<T> {
        value.unwrap_or_else(|reason| {
            self.warnings.push(format!("{reason}; ignored"));
            None
        })
    }

    /// An http(s) or relative link, or a warning and nothing.
    fn link(&mut self, field: &str, text: &str) -> Option<String> {
        let url = if field == "url" { links::link_url(text) } else { links::http_url(text) };
        if url.is_none() {
            self.warnings.push(format!(
                "`{}` {:?} is not an http(s){} link; dropped",
                self.name(field),
                title::truncate(text, 60),
                if field == "url" { " or relative" } else { "" }
            ));
        }
        url
    }
}

/// One record as a paper, or the reason it cannot be one. Warnings go to `report` only when the
/// record is kept.
fn record(value: &Value, path: &str, line: usize, report: &mut FileReport) -> Result<Paper, String> {
    let Value::Object(obj) = value else {
        let at = if path.is_empty() { String::new() } else { format!("{path}: ") };
        return Err(format!("{at}a record must be a JSON object, found {}", describe(value)));
    };
    let mut f = Fields { obj, path, warnings: Vec::new() };

    let id = match f.get("id") {
        None => None,
        Some(Value::String(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => return Err(f.wrong("id", "a string or a number", other)),
    };
    let title = f.string("title")?;
    let abstract_field = f.string("abstract")?;
    let body = f.string("body")?;
    let abstract_text = abstract_field.or(body).unwrap_or_default();
    if title.is_none() && abstract_text.is_empty() {
        let at = if path.is_empty() { String::new() } else { format!("{path}: ") };
        return Err(format!("{at}record has neither a `title` nor a `body`/`abstract`"));
    }
    // Optional fields: a wrong type drops the field (with a warning), not the paper.
    let url = match f.string("url") {
        Ok(Some(u)) => f.link("url", &u),
        other => f.optional(other).and(None),
    };
    let date = match f.string("date") {
        Ok(Some(d)) => {
            let parsed = PaperDate::parse(&d);
            if parsed.is_none() {
                f.warnings.push(format!(
                    "`{}` {d:?} is not a date like \"Mar 3, 2023\", \"Jul 9\" or \"2023-03-03\"; ignored",
                    f.name("date")
                ));
            }
            parsed
        }
        other => f.optional(other).and(None),
    };
    const AUTHORS: &str = "a number or an array of names";
    let authors = match f.get("authors") {
        Some(Value::Array(names)) => match names.iter().enumerate().find(|(_, n)| !(n.is_string() || n.is_object())) {
            Some((i, bad)) => {
                let reason = f.wrong(&format!("authors[{i}]"), "a name", bad);
                f.optional::<u32>(Err(reason))
            }
            None => Some(u32::try_from(names.len()).unwrap_or(u32::MAX)),
        },
        _ => {
            let count = f.count("authors", AUTHORS);
            f.optional(count)
        }
    };
    let upvotes = f.count("upvotes", "a non-negative whole number");
    let upvotes = f.optional(upvotes);
    let organization = f.string("organization");
    let organization = f.optional(organization);
    let code = match f.get("code") {
        None => links::code_links(&abstract_text),
        Some(Value::String(s)) => f.link("code", s).into_iter().collect(),
        Some(Value::Array(items)) => {
            let mut code: Vec<String> = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let field = format!("code[{i}]");
                let Value::String(s) = item else {
                    let reason = f.wrong(&field, "a string", item);
                    f.optional::<()>(Err(reason));
                    continue;
                };
                if let Some(link) = f.link(&field, s) {
                    if !code.contains(&link) {
                        code.push(link);
                    }
                }
            }
            code
        }
        Some(other) => {
            let reason = f.wrong("code", "a link or an array of links", other);
            f.optional::<()>(Err(reason));
            links::code_links(&abstract_text)
        }
    };

    let (title, derived) = match title {
        Some(t) => (t, false),
        None => (title::derive_title(&abstract_text), true),
    };
    let id_given = id.is_some();
    let id = id.unwrap_or_else(|| if derived { ids::abstract_id(&abstract_text) } else { ids::title_id(&title) });
    let mut paper = new_paper(id, title, derived, abstract_text, report.loc(line));
    paper.id_given = id_given;
    paper.url = url;
    paper.date = date;
    paper.authors = authors;
    paper.organization = organization;
    paper.upvotes = upvotes;
    paper.code = code;
    for w in f.warnings {
        report.warn(line, w);
    }
    Ok(paper)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::digest::report::Format;

    #[test]
    fn element_start_lines() {
        let text = "[\n  {\"a\": \"x, ] {\"},\n  {\"b\": [1,\n2]},\n  3, \"s\",\n  [4]\n]";
        assert_eq!(element_lines(text), vec![2, 3, 5, 5, 6]);
    }

    #[test]
    fn tinysearch_array() {
        let text = r#"[
  {"title": "First Post", "url": "https://example.org/1", "body": "Hello world.", "meta": "x"},
  {"title": "Second", "url": "/relative/", "body": "More text", "meta": {"k": 1}},
  {"title": "Third", "url": "javascript:alert(1)", "body": "Evil"}
]"#;
        let mut r = FileReport::new("t.json", Format::Json);
        let papers = parse_json(text, &mut r).unwrap();
        assert_eq!(papers.len(), 3);
        assert_eq!(r.read, 3);
        assert_eq!(papers[0].url.as_deref(), Some("https://example.org/1"));
        assert_eq!(papers[0].abstract_text, "Hello world.");
        assert_eq!((papers[0].source.line, papers[1].source.line), (2, 3));
        // Site-relative links are kept (tinysearch's usual case); other schemes are dropped.
        assert_eq!(papers[1].url.as_deref(), Some("/relative/"));
        assert_eq!(papers[2].url, None);
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(r.warnings[0].loc.line, 4);
        assert!(r.warnings[0].reason.contains("[2].url"), "{}", r.warnings[0].reason);
    }

    #[test]
    fn rich_records_and_wrong_types() {
        let text = r#"[
  {"id": 7, "title": "T", "abstract": "A", "date": "Mar 3, 2023", "authors": ["a", "b"],
   "upvotes": 4, "code": ["https://github.com/o/r", "javascript:alert(1)", "https://github.com/o/r"]},
  {"title": 42},
  {"title": "U", "authors": -1},
  {"title": "V", "date": "someday"},
  {"url": "https://x.org"},
  "not an object"
]"#;
        let mut r = FileReport::new("r.json", Format::Json);
        let papers = parse_json(text, &mut r).unwrap();
        assert_eq!(r.read, 6);
        assert_eq!(papers.len(), 3);
        let p = &papers[0];
        assert_eq!(p.id, "7");
        assert_eq!(p.authors, Some(2));
        assert_eq!(p.upvotes, Some(4));
        assert_eq!(p.date, PaperDate::new(Some(2023), 3, 3));
        assert_eq!(p.code, ["https://github.com/o/r"]);
        assert_eq!((papers[1].title.as_str(), papers[1].authors), ("U", None), "bad authors: field dropped");
        assert_eq!(papers[2].date, None);
        let reasons: Vec<&str> = r.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert!(reasons[0].contains("`[1].title` must be a string, found a number (42)"), "{reasons:?}");
        assert!(reasons[1].contains("[4]: record has neither"), "{reasons:?}");
        assert!(reasons[2].contains("[5]: a record must be a JSON object"), "{reasons:?}");
        assert_eq!(r.skipped[0].loc.line, 4);
        let warnings: Vec<&str> = r.warnings.iter().map(|w| w.reason.as_str()).collect();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[1].starts_with("`[2].authors` must be") && warnings[1].ends_with("; ignored"), "{warnings:?}");
    }

    #[test]
    fn malformed_json_has_line() {
        let mut r = FileReport::new("bad.json", Format::Json);
        let err = parse_json("[\n {\"title\": \"a\"},\n {\"title\": \"b\",}\n]", &mut r).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.starts_with("invalid JSON"), "{}", err.message);
        let err = parse_json("\n{\"title\": \"a\"}", &mut r).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("found an object"));
    }

    #[test]
    fn jsonl_bad_line_is_skipped() {
        let text =
            "{\"title\": \"One\", \"body\": \"b\"}\n\n{\"title\": \"Two\"\n{\"body\": \"We present Foo, a thing.\"}\n";
        let mut r = FileReport::new("x.jsonl", Format::Jsonl);
        let papers = parse_jsonl(text, &mut r);
        assert_eq!(papers.len(), 2);
        assert_eq!(r.read, 3);
        assert_eq!(r.skipped.len(), 1);
        assert_eq!(r.skipped[0].loc.line, 3);
        assert!(r.skipped[0].reason.starts_with("not valid JSON"), "{}", r.skipped[0].reason);
        assert_eq!(papers[1].title, "Foo: a thing");
        assert!(papers[1].title_derived);
        assert_eq!(papers[1].source.line, 4);
    }
}
