#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/) for SECONDS each (default 300), one job per target at a
# time, then minimizes the corpus. No sanitizer (`-s none`): the workspace forbids `unsafe`, so
# AddressSanitizer finds nothing safe Rust can do and costs 2-3x the executions; panics and hangs
# are what the targets look for. Needs the nightly toolchain and cargo-fuzz (installed here if
# missing). A crash is saved under fuzz/artifacts/<target>/: copy it to fuzz/regressions/<target>/
# once fixed, so core/tests/fuzz_replay.rs replays it on stable forever after.
# Prints one line per target: seconds, executions, corpus size (RELIABILITY.md's table).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-300}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
for target in query digest index_bytes; do
  mkdir -p "corpus/$target" "regressions/$target"
  log="$(mktemp)"
  cargo +nightly fuzz run -O -s none "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=16384 \
    -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 2>"$log" || { tail -40 "$log"; exit 1; }
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')"
  cargo +nightly fuzz cmin -O -s none "$target" "corpus/$target" >/dev/null 2>&1 || true
  echo "$target: ${seconds} s, ${execs} executions, corpus $(ls "corpus/$target" | wc -l) inputs"
  rm -f "$log"
done
