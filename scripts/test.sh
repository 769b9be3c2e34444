#!/usr/bin/env bash
# Sets up everything missing (see setup.sh, including Chromium) and runs every test:
# formatting and lints, native tests (engine, CLI, wasm crate), wasm-bindgen tests in headless
# Chromium and Node, then builds the site with `paperbloom build` (for the default digest and for
# tests/fixtures/xss.jsonl) twice from two empty target directories to check the builds are
# byte-identical, and runs the end-to-end tests (served page and the single file from
# file://) with playwright-core.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format, lints and docs"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p paperbloom --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "native tests"
cargo test --workspace --quiet

step "wasm tests (headless Chromium via wasm-bindgen-test-runner)"
# Release mode: the memory test runs 100,000 searches. The runner's per-test timeout is raised
# for the same reason (it is a safety net, not a speed target: those live in BENCHMARKS.md).
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER=/usr/bin/chromedriver \
WASM_BINDGEN_TEST_TIMEOUT=300 \
  cargo test --release -p paperbloom --target wasm32-unknown-unknown

step "build the site with the default digest, and one from a digest of XSS vectors"
site=target/e2e-site
cargo run --quiet -p paperbloom-cli -- build --out "$site"
xss_site=target/e2e-xss
# Built into a reused folder: the page.js and page.css an older build wrote (the page inlines
# them now) must go, a file of the site owner's must stay.
mkdir -p "$xss_site"
printf "import { ready } from './paperbloom-element.js';\n" > "$xss_site/page.js"
printf "/* This page only; the widget's own style is scoped to .paperbloom. */\n" > "$xss_site/page.css"
printf 'the site owner'"'"'s\n' > "$xss_site/owner.txt"
cargo run --quiet -p paperbloom-cli -- build --digest tests/fixtures/xss.jsonl --out "$xss_site"
if [ -e "$xss_site/page.js" ] || [ -e "$xss_site/page.css" ] || [ ! -e "$xss_site/owner.txt" ]; then
  echo "a rebuild into $xss_site left an older build's page.js/page.css or removed the owner's file" >&2
  exit 1
fi

step "reproducible: a second build from a separate, empty target directory gives byte-identical files"
CARGO_TARGET_DIR=target/repro cargo run --quiet -p paperbloom-cli -- build --out target/e2e-site-again
own_wasm=""  # the page's own wasm, written only if the two glue targets ever differ
if [ -f "$site/paperbloom_page_bg.wasm" ]; then own_wasm=paperbloom_page_bg.wasm; fi
for f in pkg/paperbloom_bg.wasm pkg/paperbloom.js index.html paperbloom.html paperbloom-element.js paperbloom.css $own_wasm; do
  cmp "$site/$f" "target/e2e-site-again/$f" || { echo "not reproducible: $f differs between two clean builds" >&2; exit 1; }
done
echo "byte-identical: $(wc -c < "$site/pkg/paperbloom_bg.wasm") bytes of wasm, $(wc -c < "$site/paperbloom.html") bytes of single file"

step "end-to-end tests (playwright-core + Chromium: widget, navigation, accessibility with axe-core, XSS, embedding and TypeScript types)"
PAPERBLOOM_SITE="$site" PAPERBLOOM_XSS_SITE="$xss_site" node --test --test-concurrency=1 tests/e2e/
