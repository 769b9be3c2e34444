//! `paperbloom build`: compiles the widget for a digest and writes the site.
//!
//! The index lives inside the wasm binary, so a new digest means a new wasm: this module runs
//! `cargo build --profile wasm --target wasm32-unknown-unknown -p paperbloom` in the source
//! checkout with `PAPERBLOOM_DIGEST` set (see `build.rs` at the root), then `wasm-bindgen`
//! (`--target web` for the served page, `--target no-modules` for the single file) and, when
//! the npm `binaryen` package is installed, `wasm-opt -Oz`. Output:
//! `DIR/index.html`, `DIR/paperbloom.css`, `DIR/paperbloom-element.js` (the `<paper-bloom>`
//! element, for embedding), `DIR/pkg/*` and `DIR/paperbloom.html`, one
//! self-contained file (glue inlined, wasm embedded as base64) that works from `file://`.

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

/// The served page's Content-Security-Policy: scripts, styles, wasm and fetches from the site
/// itself only (`'wasm-unsafe-eval'` is what compiling WebAssembly needs), nothing inline, no
/// plugins, no `<base>`, no form posts; `data:` images for the empty favicon.
pub const SERVED_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                              img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'";

/// The single file's Content-Security-Policy: nothing may load from anywhere
/// (`default-src 'none'`); its two inline scripts and its inline style run because their
/// SHA-256 hashes are listed, so no other inline script can.
fn single_file_csp(scripts: &[&str], style: &str) -> String {
    let hash = |s: &str| format!("'sha256-{}'", base64(&sha256(s.as_bytes())));
    let scripts: Vec<String> = scripts.iter().map(|s| hash(s)).collect();
    format!(
        "default-src 'none'; script-src {} 'wasm-unsafe-eval'; style-src {}; img-src data:; base-uri 'none'; \
         form-action 'none'",
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

/// `page.js`: the served page's own module (the element, then the tagline).
fn page_module() -> String {
    format!("import {{ ready }} from './paperbloom-element.js';\n{PAGE_JS}")
}

/// The served page: stylesheets, preloads and the page module; nothing inline (see
/// [`SERVED_CSP`]).
fn served_page() -> String {
    // Preloads: the wasm and both modules are fetched while the HTML is parsed, not one after
    // the other as each import is discovered.
    let head = r#"<link rel="stylesheet" href="paperbloom.css">
<link rel="stylesheet" href="page.css">
<link rel="modulepreload" href="page.js">
<link rel="modulepreload" href="paperbloom-element.js">
<link rel="modulepreload" href="pkg/paperbloom.js">
<link rel="preload" href="pkg/paperbloom_bg.wasm" as="fetch" type="application/wasm" crossorigin>"#;
    page(SERVED_CSP, head, r#"<script type="module" src="page.js"></script>"#)
}

/// The single file: style inlined, classic-script glue inlined, wasm embedded as base64, under a
/// hash-based Content-Security-Policy.
fn single_file_page(glue: &str, wasm: &[u8]) -> String {
    let glue = format!("\n{}\n", script_safe(glue));
    // The wasm's bytes: Uint8Array.fromBase64 decodes a megabyte in ~1.5 ms in Chromium, atob
    // and a loop (browsers without it) in 10-18 ms.
    let boot = format!(
        "\n{BOOT_JS}\nconst ready = paperbloomDefine(async () => {{\n  \
         const b64 = \"{}\";\n  \
         let bytes;\n  \
         if (typeof Uint8Array.fromBase64 === 'function') {{\n    bytes = Uint8Array.fromBase64(b64);\n  }} else {{\n    \
         const bin = atob(b64);\n    bytes = new Uint8Array(bin.length);\n    \
         for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);\n  }}\n  \
         await wasm_bindgen({{ module_or_path: bytes }});\n  return wasm_bindgen;\n}});\n{PAGE_JS}",
        base64(wasm)
    );
    let style = format!("\n{}{}", script_safe(STYLE_CSS), script_safe(PAGE_CSS));
    let csp = single_file_csp(&[&glue, &boot], &style);
    page(&csp, &format!("<style>{style}</style>"), &format!("<script>{glue}</script>\n<script>{boot}</script>"))
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

/// SHA-256 of `bytes` (for the single file's script and style hashes).
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

/// Makes `s` safe inside an inline `<script>`: no `</script` or `<!--` can end it early.
fn script_safe(s: &str) -> String {
    s.replace("</script", "<\\/script").replace("<!--", "<\\!--")
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

    // The served site: ES module glue.
    let pkg = out.join("pkg");
    bindgen(&wasm, "web", &pkg)?;
    let web_wasm = pkg.join("paperbloom_bg.wasm");
    let raw = fs::read(&web_wasm).map_err(|e| format!("cannot read {}: {e}", web_wasm.display()))?;
    wasm_opt(&root, &web_wasm)?;
    let write = |name: &str, text: &str| {
        let p = out.join(name);
        fs::write(&p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    write("index.html", &served_page())?;
    write("paperbloom-element.js", &element_module())?;
    write("paperbloom.css", STYLE_CSS)?;
    write("page.css", PAGE_CSS)?;
    write("page.js", &page_module())?;

    // The single file: classic-script glue inlined, wasm as base64.
    let tmp = target_dir.join("paperbloom-no-modules");
    bindgen(&wasm, "no-modules", &tmp)?;
    let nm_wasm = tmp.join("paperbloom_bg.wasm");
    let nm_raw = fs::read(&nm_wasm).map_err(|e| format!("cannot read {}: {e}", nm_wasm.display()))?;
    let wasm_bytes = if nm_raw == raw {
        fs::read(&web_wasm).map_err(|e| e.to_string())?
    } else {
        wasm_opt(&root, &nm_wasm)?;
        fs::read(&nm_wasm).map_err(|e| e.to_string())?
    };
    let glue_path = tmp.join("paperbloom.js");
    let glue = fs::read_to_string(&glue_path).map_err(|e| format!("cannot read {}: {e}", glue_path.display()))?;
    write("paperbloom.html", &single_file_page(&glue, &wasm_bytes))?;
    let size = |p: &Path| fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "wrote {}/index.html (wasm {} bytes) and {}/paperbloom.html ({} bytes, works from file://)",
        out.display(),
        size(&web_wasm),
        out.display(),
        size(&out.join("paperbloom.html"))
    );
    Ok(out.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(!script_safe("<!--").contains("<!--"));
    }
}
