//! Links: which URLs are acceptable at all, and which ones in an abstract are code links.
//!
//! Invariants: every URL this module returns starts with `http://` or `https://`, has a host and
//! contains no whitespace or control characters. Code links are found on code hosts only
//! (`github.com`, `gitlab.com`, `huggingface.co`, `bitbucket.org`, with or without `www.`), must
//! have a path after the host, lose trailing punctuation (`.`, `,`, `)`, `;`, …), and are
//! returned deduplicated in order of first appearance.

/// Hosts whose links count as code links.
const CODE_HOSTS: [&str; 4] = ["github.com", "gitlab.com", "huggingface.co", "bitbucket.org"];

/// `url` trimmed, if it is an acceptable http(s) link; `None` for anything else (relative links,
/// `javascript:`, `mailto:`, links with spaces …).
pub(crate) fn http_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"))?;
    let host_ok = rest.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '[');
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    (host_ok && clean).then(|| url.to_string())
}

/// `url` trimmed, if it may be a result's link: an http(s) link (see `http_url`) or a
/// relative link without a scheme (`/posts/x/`, `notes.html#a`), as static sites use.
/// Everything with another scheme (`javascript:`, `data:`, `mailto:` …) is refused, and so are
/// relative links with markup or HTML-entity characters (`&#106;avascript:…`, `"><img …`): no
/// real page path has them, obfuscated payloads do.
pub fn link_url(url: &str) -> Option<String> {
    if let Some(u) = http_url(url) {
        return Some(u);
    }
    let url = url.trim();
    let scheme_end = url.find([':', '/', '?', '#']);
    let has_scheme = scheme_end.is_some_and(|i| url.as_bytes()[i] == b':');
    let clean = !url.is_empty()
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '\\' | '<' | '>' | '"' | '\'' | '`'))
        && !url.contains("&#");
    (!has_scheme && clean).then(|| url.to_string())
}

/// True when `url` is acceptable as a rendered link ([`link_url`] accepts it unchanged).
pub fn is_safe_link(url: &str) -> bool {
    link_url(url).is_some_and(|u| u == url)
}

/// Characters that end a URL inside prose (besides whitespace).
fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '<' | '>' | '{' | '}' | '\\' | '`' | '|' | '^')
}

/// Trailing characters that belong to the prose, not the URL.
fn trailing_punct(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '\'' | '*')
}

/// The code links in `text`, in order, without duplicates.
pub(crate) fn code_links(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find("http").map(|p| p + from) {
        let end = text[pos..].find(ends_url).map_or(text.len(), |e| pos + e);
        from = end.max(pos + 4);
        let candidate = text[pos..end].trim_end_matches(trailing_punct);
        let Some(url) = http_url(candidate) else {
            continue;
        };
        if is_code_link(&url) && !out.contains(&url) {
            out.push(url);
        }
    }
    out
}

/// True for `http(s)://[www.]<code host>/<something>`.
fn is_code_link(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")) else {
        return false;
    };
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    CODE_HOSTS.iter().any(|host| {
        rest.strip_prefix(host)
            .and_then(|r| r.strip_prefix('/'))
            .is_some_and(|path| path.chars().any(char::is_alphanumeric))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_code_links() {
        let text = "Code: https://github.com/a/b. Also (https://github.com/a/b), \
                    https://huggingface.co/datasets/x/y and https://gitlab.com/g/p; \
                    not https://x.github.io/page or http://www.bhchen.cn/}. \
                    \\url{https://github.com/c/d.git}. https://github.com/ only.";
        assert_eq!(
            code_links(text),
            vec![
                "https://github.com/a/b",
                "https://huggingface.co/datasets/x/y",
                "https://gitlab.com/g/p",
                "https://github.com/c/d.git",
            ]
        );
    }

    #[test]
    fn http_only() {
        assert_eq!(http_url(" https://a.org/x "), Some("https://a.org/x".to_string()));
        assert_eq!(http_url("javascript:alert(1)"), None);
        assert_eq!(http_url("/posts/x/"), None);
        assert_eq!(http_url("https://"), None);
        assert_eq!(http_url("https://a b"), None);
    }

    #[test]
    fn links_may_be_relative_but_never_other_schemes() {
        assert_eq!(link_url("/posts/x/"), Some("/posts/x/".to_string()));
        assert_eq!(link_url("notes.html#a:b"), Some("notes.html#a:b".to_string()));
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,x",
            "mailto:a@b",
            "vbscript:x",
            "",
            "a b",
            "\\\\evil",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "\"><img src=x onerror=alert(1)>",
            "x'onmouseover='alert(1)",
        ] {
            assert_eq!(link_url(bad), None, "{bad:?}");
            assert!(!is_safe_link(bad), "{bad:?}");
        }
        assert!(is_safe_link("https://a.org/x") && is_safe_link("/x"));
    }
}
