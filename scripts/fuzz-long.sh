#!/usr/bin/env bash
# Long fuzz run: every cargo-fuzz target (or the ones named) for LONG_SECS each (default 300 s), one at a time,
# from the committed corpus. New inputs of <= 1 KiB that add edge coverage are merged back into
# fuzz/corpus/<target> (`-merge=1 -use_counters=0`), so the corpus grows only by what is new. Prints one
# markdown row per target (seconds, executions, exec/s, corpus before -> after, result) and appends them to
# $LONG_REPORT (default fuzz/long-run.log). Exits non-zero if any target found a crash (reproducer in
# fuzz/artifacts/<target>/). Run it under `nice` on a shared machine; see fuzz/README.md.
#
# Usage: LONG_SECS=600 scripts/fuzz-long.sh [target ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"
export PATH="$HOME/.cargo/bin:$PATH"
secs="${LONG_SECS:-300}"
report="${LONG_REPORT:-$root/fuzz/long-run.log}"

cargo +nightly fuzz build
if [ "$#" -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(cargo +nightly fuzz list); fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=()
echo "| target | seconds | execs | exec/s | corpus before → after | result |" | tee -a "$report"
echo "|---|---:|---:|---:|---:|---|" | tee -a "$report"
for target in "${targets[@]}"; do
  mkdir -p "$scratch/$target/new" "$scratch/$target/small" "corpus/$target"
  before=$(find "corpus/$target" -type f | wc -l)
  result=ok
  if ! cargo +nightly fuzz run "$target" "$scratch/$target/new" "corpus/$target" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$scratch/$target.log" 2>&1; then
    result=CRASH
    failed+=("$target")
    tail -n 40 "$scratch/$target.log" >&2
  fi
  execs=$(grep -oP '^stat::number_of_executed_units:\s*\K[0-9]+' "$scratch/$target.log" || echo 0)
  rate=$(grep -oP '^stat::average_exec_per_sec:\s*\K[0-9]+' "$scratch/$target.log" || echo 0)
  find "$scratch/$target/new" -type f -size -1025c -exec cp {} "$scratch/$target/small/" \;
  cargo +nightly fuzz run "$target" "corpus/$target" "$scratch/$target/small" -- -merge=1 -use_counters=0 \
    >"$scratch/$target.merge.log" 2>&1 || true
  after=$(find "corpus/$target" -type f | wc -l)
  echo "| $target | $secs | $execs | $rate | $before → $after | $result |" | tee -a "$report"
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz long run: crashes in ${failed[*]} (reproducers under fuzz/artifacts/)" >&2
  exit 1
fi
