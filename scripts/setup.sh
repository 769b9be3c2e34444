#!/usr/bin/env bash
# Installs what paperbloom needs on a fresh machine, skipping whatever is already present:
# the wasm32 target, wasm-bindgen-cli at the exact version Cargo.lock pins, the npm tools
# (binaryen's wasm-opt, playwright-core), and — with --browser — Debian's chromium and driver.
# Idempotent; a second run takes a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
for a in "$@"; do
  case "$a" in
    --browser) want_browser=1 ;;
    *) echo "setup.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must match the wasm-bindgen crate exactly: read the version from Cargo.lock.
if [ ! -f Cargo.lock ]; then cargo generate-lockfile; fi
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$wbg_version" ]; then echo "setup.sh: cannot find wasm-bindgen in Cargo.lock" >&2; exit 1; fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wbg_version" ]; then
  say "installing wasm-bindgen-cli $wbg_version (takes ~8 minutes on 2 cores, once)"
  # Not --locked: the CLI's own lock file names versions newer than the registry mirror here.
  cargo install wasm-bindgen-cli --version "$wbg_version"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
  || [ ! -d node_modules/axe-core ] || [ ! -x node_modules/.bin/tsc ]; then
  say "installing npm tools (binaryen, playwright-core, axe-core, typescript)"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi

if [ "$want_browser" = 1 ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  say "installing Debian chromium and chromium-driver"
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium chromium-driver
fi
say "ready"
