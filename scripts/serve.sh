#!/usr/bin/env bash
# Sets up everything missing, builds the widget from the default digest (or the --digest
# arguments given) and serves it at http://127.0.0.1:8000/ (override with --port N).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec cargo run --release --quiet -p paperbloom-cli -- serve --out site "$@"
