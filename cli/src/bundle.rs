//! `paperbloom build`: compiles the widget for a digest and writes the site.
//!
//! The index lives inside the wasm binary, so a new digest means a new wasm: this module runs
//! `cargo build --profile wasm --target wasm32-unknown-unknown -p paperbloom` in the source
//! checkout with `PAPERBLOOM_DIGEST` set (see `build.rs` at the root), then `wasm-bindgen`
//! (`--target web` for embedding, `--target no-modules` for the pages, which inline it) and, when
//! the npm `binaryen` package is installed, `wasm-opt -Oz`. Output: `DIR/index.html` (styles and
//! scripts inline, the wasm fetched from `DIR/pkg/`, or from `DIR/paperbloom_page_bg.wasm`
//! should the two wasm-bindgen targets ever emit different binaries), `DIR/paperbloom.css` and
//! `DIR/paperbloom-element.js` (the `<paper-bloom>` element, for embedding), `DIR/pkg/*` and
//! `DIR/paperbloom.html`, one self-contained file (wasm embedded as base64) that works from
//! `file://`.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const PAGE_HTML: &str = include_str!("../../www/page.html");
const BOOT_JS: &str = include_str!("../../www/boot.js");
const STYLE_CSS: &str = include_str!("../../www/paperbloom.css");

/// The page with its style and scripts put in place.
fn page(csp: &str, style: &str, scripts: &str) -> String {
    PAGE_HTML
        .replace("<!--PAPERBLOOM_CSP-->", &format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">"))
        .replace("<!--PAPERBLOOM_STYLE-->", style)
        .replace("<!--PAPERBLOOM_SCRIPTS-->", scripts)
}

/// Where a page may load anything from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Loads {
    /// Its own site (the served page fetches its wasm).
    FromItsSite,
    /// Nowhere (the single file, which works from `file://`).
    Nothing,
}

/// The Content-Security-Policy of both pages: their inline scripts and inline style run because
/// their SHA-256 hashes are listed, so no other inline script can; `'wasm-unsafe-eval'` is what
/// compiling WebAssembly needs. No plugins, no `<base>`, no form posts; `data:` images for the
/// empty favicon.
fn csp(loads: Loads, scripts: &[&str], style: &str) -> String {
    let hash = |s: &str| format!("'sha256-{}'", base64(&sha256(s.as_bytes())));
    let scripts: Vec<String> = scripts.iter().map(|s| hash(s)).collect();
    let (default_src, img) = match loads {
        Loads::FromItsSite => ("'self'", "'self' data:"),
        Loads::Nothing => ("'none'", "data:"),
    };
    format!(
        "default-src {default_src}; script-src {} 'wasm-unsafe-eval'; style-src {}; img-src {img}; \
         object-src 'none'; base-uri 'none'; form-action 'none'",
        scripts.join(" "),
        hash(style)
    )
}

/// The page's own stylesheet (the widget's is `paperbloom.css`).
const PAGE_CSS: &str = include_str!("../../www/page.css");

/// The page's own script: the tagline counts the papers once the module is ready ("Search
/// 100,000 papers", "Search 1 paper"). The thousands are grouped by hand: the first
/// `toLocaleString` of a fresh page loads the browser's locale data, 16–35 ms before the first
/// result could show.
const PAGE_JS: &str = "ready.then((pb) => {\n  const n = pb.paperCount();\n  \
    const count = String(n).replace(/\\B(?=(\\d{3})+$)/g, ',');\n  \
    document.getElementById('pb-tagline').textContent =\n    'Search ' + count + \
    (n === 1 ? ' paper' : ' papers') + ' — instantly, in your browser, offline.';\n}).catch(() => {});\n";

/// `paperbloom-element.js`: the ES module a site includes to get `<paper-bloom>` (the glue in
/// `pkg/` next to it).
fn element_module() -> String {
    format!(
        "// <paper-bloom>: include with <script type=\"module\" src=\".../paperbloom-element.js\"></script>.\n\
         import init, * as paperbloom from './pkg/paperbloom.js';\n{BOOT_JS}\n\
         export const ready = paperbloomDefine(async () => {{ await init(); return paperbloom; }});\n"
    )
}

/// A page with everything it needs to start inline: the styles, the classic-script glue
/// (`wasm-bindgen --target no-modules`), the element and the page's own script. `wasm_bytes` is
/// JavaScript statements that declare `bytes`, what `wasm_bindgen` starts from (they run
/// inside an async function); `head` goes at the end of `<head>`. Every inline text is escaped
/// so nothing in it can end its element early, and has its line breaks made `\n`, as the
/// browser's parser does before it hashes: the hashes are of exactly what the browser sees.
fn inline_page(loads: Loads, head: &str, glue: &str, wasm_bytes: &str) -> String {
    let glue = script_safe(&format!("\n{glue}\n"));
    let boot = script_safe(&format!(
        "\n{BOOT_JS}\nconst ready = paperbloomDefine(async () => {{\n  {wasm_bytes}\n  \
         await wasm_bindgen({{ module_or_path: bytes }});\n  return wasm_bindgen;\n}});\n"
    ));
    let page_js = script_safe(&format!("\n{PAGE_JS}"));
    let style = style_safe(&format!("\n{STYLE_CSS}{PAGE_CSS}"));
    let csp = csp(loads, &[&glue, &boot, &page_js], &style);
    page(
        &csp,
        &format!("{head}<style>{style}</style>"),
        &format!("<script>{glue}</script>\n<script>{boot}</script>\n<script>{page_js}</script>"),
    )
}

/// The wasm the served page fetches: the one in `pkg/`, which the ES module glue uses too.
const WASM_URL: &str = "pkg/paperbloom_bg.wasm";

/// The served page's own wasm, written only if wasm-bindgen ever emits different binaries for
/// the two glue targets.
const OWN_WASM_URL: &str = "paperbloom_page_bg.wasm";

/// The served page. Only the wasm is fetched, and its request starts from `<head>` while the
/// rest is parsed: a cold load waits for no stylesheet or module (three modules and two
/// stylesheets as separate files took 40 ms longer to the first result in Chromium).
/// `wasm_url` is relative to the page.
fn served_page(glue: &str, wasm_url: &str) -> String {
    let head =
        format!("<link rel=\"preload\" href=\"{wasm_url}\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n");
    inline_page(Loads::FromItsSite, &head, glue, &format!("const bytes = fetch('{wasm_url}');"))
}

/// The single file: the wasm embedded as base64, nothing fetched, so it works from `file://`.
fn single_file_page(glue: &str, wasm: &[u8]) -> String {
    // Uint8Array.fromBase64 decodes a megabyte in ~1.5 ms in Chromium, atob and a loop (browsers
    // without it) in 10-18 ms.
    let decode = format!(
        "const b64 = \"{}\";\n  \
         let bytes;\n  \
         if (typeof Uint8Array.fromBase64 === 'function') {{\n    bytes = Uint8Array.fromBase64(b64);\n  }} else {{\n    \
         const bin = atob(b64);\n    bytes = new Uint8Array(bin.length);\n    \
         for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);\n  }}",
        base64(wasm)
    );
    inline_page(Loads::Nothing, "", glue, &decode)
}

/// The source checkout the wasm is built from: `PAPERBLOOM_ROOT`, or where this program was
/// compiled from.
pub fn project_root() -> PathBuf {
    std::env::var_os("PAPERBLOOM_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
}

fn run(cmd: &mut Command, what: &str, fix: &str) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("cannot run {what}: {e}\n  hint: {fix}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})\n  hint: {fix}"))
    }
}

/// SHA-256 of `bytes` (for the pages' script and style hashes).
fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// Standard base64 (RFC 4648, with padding).
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `s` with `\r\n` and lone `\r` made `\n`, and every `</` before `tag` (in any case) made `<\/`.
fn inline_text(s: &str, tag: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find("</") {
        let after = &rest[i + 2..];
        let closes = after.get(..tag.len()).is_some_and(|t| t.eq_ignore_ascii_case(tag));
        out.push_str(&rest[..i]);
        out.push_str(if closes { "<\\/" } else { "</" });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Makes `s` safe inside an inline `<script>`: no `</script` (any case) or `<!--` can end it
/// early; line breaks are `\n`.
fn script_safe(s: &str) -> String {
    inline_text(s, "script").replace("<!--", "<\\!--")
}

/// Makes `s` safe inside an inline `<style>`: no `</style` (any case) can end it early; line
/// breaks are `\n`.
fn style_safe(s: &str) -> String {
    inline_text(s, "style")
}

fn wasm_opt(root: &Path, wasm: &Path) -> Result<bool, String> {
    let bin = root.join("node_modules/.bin/wasm-opt");
    if !bin.exists() {
        eprintln!("note: {} not found (npm ci installs it): the wasm is not size-optimized", bin.display());
        return Ok(false);
    }
    run(
        Command::new(&bin)
            .arg("-Oz")
            // Functions with one caller are inlined only when small: merged into their caller,
            // the search was one 40 KB function, which the browser's baseline compiler (run
            // lazily, on the page's critical path, at the first search) compiles slower per
            // byte than several smaller ones.
            .args(["--one-caller-inline-max-function-size", "500"])
            .arg("--enable-bulk-memory")
            .arg("--enable-nontrapping-float-to-int")
            .arg("--enable-sign-ext")
            .arg("--enable-reference-types")
            .arg("--enable-mutable-globals")
            .arg(wasm)
            .arg("-o")
            .arg(wasm),
        "wasm-opt",
        "run scripts/setup.sh to install the npm binaryen package",
    )?;
    Ok(true)
}

fn bindgen(wasm: &Path, target: &str, out: &Path) -> Result<(), String> {
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    run(
        Command::new("wasm-bindgen").args(["--target", target, "--out-dir"]).arg(out).arg(wasm),
        &format!("wasm-bindgen --target {target}"),
        "install the pinned wasm-bindgen-cli with scripts/setup.sh",
    )
}

/// How the `page.js` that builds before the served page inlined its scripts wrote begins (it
/// came with a `page.css`; both are no longer written).
const OLD_PAGE_JS_START: &str = "import { ready } from './paperbloom-element.js';";
/// How that `page.css` begins.
const OLD_PAGE_CSS_START: &str = "/* This page only; the widget's own style is scoped to .paperbloom. */";

/// Removes from `out` what an earlier build wrote and a build that fetches its wasm from
/// `wasm_url` does not, so that a reused folder keeps no stale copy to be served or deployed:
/// the page's own wasm when the shared one serves, and the `page.js` and `page.css` of builds
/// before the page inlined them — those only when they begin as those builds wrote them (a
/// folder may hold the site owner's own files of those names).
fn remove_stale(out: &Path, wasm_url: &str) -> Result<(), String> {
    let begins = |name: &str, start: &str| fs::read_to_string(out.join(name)).is_ok_and(|t| t.starts_with(start));
    let old_page = begins("page.js", OLD_PAGE_JS_START);
    let stale = [
        (wasm_url != OWN_WASM_URL, OWN_WASM_URL),
        (old_page, "page.js"),
        (old_page && begins("page.css", OLD_PAGE_CSS_START), "page.css"),
    ];
    for name in stale.into_iter().filter_map(|(stale, name)| stale.then_some(name)) {
        let p = out.join(name);
        match fs::remove_file(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(format!("cannot remove the stale {}: {e}", p.display()));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Builds the site for `digests` (empty = the default digest) into `out`.
pub fn build_site(digests: &[PathBuf], out: &Path) -> Result<PathBuf, String> {
    // Parse first: digest errors are reported here, clearly, before any compiler runs.
    let d = crate::load(digests).map_err(|e| e.to_string())?;
    eprintln!(
        "digest: {} papers ({} merged duplicates, {} skipped)",
        d.papers.len(),
        d.report.total_merged(),
        d.report.total_skipped()
    );
    let root = project_root();
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")));
    cargo.current_dir(&root).args([
        "build",
        "--profile",
        "wasm",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "paperbloom",
    ]);
    if digests.is_empty() {
        cargo.env_remove("PAPERBLOOM_DIGEST");
    } else {
        let abs: Vec<PathBuf> = digests.iter().map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone())).collect();
        let joined = std::env::join_paths(&abs).map_err(|e| format!("digest path cannot be passed on: {e}"))?;
        cargo.env("PAPERBLOOM_DIGEST", joined);
    }
    run(&mut cargo, "cargo build (wasm)", "run scripts/setup.sh (it adds the wasm32-unknown-unknown target)")?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let wasm = target_dir.join("wasm32-unknown-unknown/wasm/paperbloom.wasm");

    // ES module glue, for embedding (`paperbloom-element.js`).
    let pkg = out.join("pkg");
    bindgen(&wasm, "web", &pkg)?;
    let web_wasm = pkg.join("paperbloom_bg.wasm");
    let raw = fs::read(&web_wasm).map_err(|e| format!("cannot read {}: {e}", web_wasm.display()))?;
    wasm_opt(&root, &web_wasm)?;
    let write = |name: &str, text: &[u8]| {
        let p = out.join(name);
        fs::write(&p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    write("paperbloom-element.js", element_module().as_bytes())?;
    write("paperbloom.css", STYLE_CSS.as_bytes())?;

    // Both pages: classic-script glue inlined. It expects the same wasm as the ES module glue
    // (wasm-bindgen emits the same binary for both targets); should a version ever differ, the
    // page gets its own.
    let tmp = target_dir.join("paperbloom-no-modules");
    bindgen(&wasm, "no-modules", &tmp)?;
    let nm_wasm = tmp.join("paperbloom_bg.wasm");
    let nm_raw = fs::read(&nm_wasm).map_err(|e| format!("cannot read {}: {e}", nm_wasm.display()))?;
    let (wasm_url, wasm_bytes) = if nm_raw == raw {
        (WASM_URL, fs::read(&web_wasm).map_err(|e| e.to_string())?)
    } else {
        wasm_opt(&root, &nm_wasm)?;
        let bytes = fs::read(&nm_wasm).map_err(|e| e.to_string())?;
        write(OWN_WASM_URL, &bytes)?;
        (OWN_WASM_URL, bytes)
    };
    remove_stale(out, wasm_url)?;
    let glue_path = tmp.join("paperbloom.js");
    let glue = fs::read_to_string(&glue_path).map_err(|e| format!("cannot read {}: {e}", glue_path.display()))?;
    write("index.html", served_page(&glue, wasm_url).as_bytes())?;
    write("paperbloom.html", single_file_page(&glue, &wasm_bytes).as_bytes())?;
    let size = |p: &Path| fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "wrote {}/index.html (wasm {} bytes) and {}/paperbloom.html ({} bytes, works from file://)",
        out.display(),
        size(&out.join(wasm_url)),
        out.display(),
        size(&out.join("paperbloom.html"))
    );
    Ok(out.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rebuild_removes_what_earlier_builds_wrote_and_this_one_does_not() -> Result<(), String> {
        let out = std::env::temp_dir().join(format!("paperbloom-stale-{}", std::process::id()));
        let old_js = format!("{OLD_PAGE_JS_START}\nready.then(() => {{}});\n");
        let old_css = format!("{OLD_PAGE_CSS_START}\n:root {{}}\n");
        // (page.js, page.css, the page fetches its own wasm, what is left)
        let cases: [(&str, &str, bool, &[&str]); 4] = [
            (&old_js, &old_css, false, &["index.html"]),
            (&old_js, &old_css, true, &[OWN_WASM_URL, "index.html"]),
            // The owner's own files of those names stay.
            ("console.log(1);", &old_css, false, &["page.js", "page.css", "index.html"]),
            (&old_js, "body {}", false, &["page.css", "index.html"]),
        ];
        for (js, css, own, want) in cases {
            fs::create_dir_all(&out).map_err(|e| e.to_string())?;
            for (name, text) in [("page.js", js), ("page.css", css), (OWN_WASM_URL, "x"), ("index.html", "x")] {
                fs::write(out.join(name), text).map_err(|e| e.to_string())?;
            }
            remove_stale(&out, if own { OWN_WASM_URL } else { WASM_URL })?;
            let left: Vec<&str> = ["page.js", "page.css", OWN_WASM_URL, "index.html"]
                .into_iter()
                .filter(|n| out.join(n).exists())
                .collect();
            assert_eq!(left, want, "{js:?} {css:?} {own}");
            remove_stale(&out, WASM_URL)?; // nothing left to remove is no error
            fs::remove_dir_all(&out).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn script_safe_cannot_close_the_script() {
        assert!(!script_safe("a</script>b<!--c").contains("</script"));
        assert!(!script_safe("a</SCRIPT >b").to_ascii_lowercase().contains("</script"));
        assert!(!script_safe("<!--").contains("<!--"));
        assert_eq!(script_safe("x</p>y</scriptz"), "x</p>y<\\/scriptz");
        assert!(!style_safe("a</Style>b").to_ascii_lowercase().contains("</style"));
        assert_eq!(style_safe("a\r\nb\rc"), "a\nb\nc");
    }

    /// The texts between `<tag>` and `</tag>` in `html`.
    fn bodies<'h>(html: &'h str, tag: &str) -> Vec<&'h str> {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        html.split(open.as_str()).skip(1).filter_map(|s| s.split(close.as_str()).next()).collect()
    }

    #[test]
    fn every_inline_script_and_style_is_whole_and_its_hash_is_in_the_policy() {
        // A glue with an end tag and CRLF line breaks: escaped and normalized before hashing.
        let glue = "let a = '</SCRIPT>';\r\nlet wasm_bindgen = {};\r\n";
        for (html, scripts) in [(served_page(glue, WASM_URL), 3), (single_file_page(glue, b"\0asm"), 3)] {
            let policy = html.split("content=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or_default();
            let found = bodies(&html, "script");
            assert_eq!(found.len(), scripts, "three inline scripts");
            for body in found.into_iter().chain(bodies(&html, "style")) {
                assert!(!body.contains('\r'));
                let hash = format!("'sha256-{}'", base64(&sha256(body.as_bytes())));
                assert!(policy.contains(&hash), "{hash} is not in {policy}");
            }
            assert!(html.contains("let a = '<\\/SCRIPT>';\nlet wasm_bindgen"));
        }
        assert!(served_page(glue, WASM_URL).contains("default-src 'self'"));
        assert!(single_file_page(glue, b"").contains("default-src 'none'"));
    }
}
