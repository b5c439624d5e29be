#!/usr/bin/env bash
# Fuzz smoke test: builds the cargo-fuzz targets in fuzz/ and runs each one for a few seconds from the committed
# seed corpus (fuzz/corpus/<target>/), one at a time. Exits non-zero if any target crashes, panics, times out
# on one input or runs out of memory; the reproducer is left in fuzz/artifacts/<target>/.
#
# Fuzzing time is FUZZ_SECS per target (default 5 s; 16 targets: ~1 min 45 s warm, start-up included; 19 now). Building
# is extra: a few minutes cold, seconds warm. Needs a nightly toolchain (installed with rustup, minimal profile,
# if missing) and cargo-fuzz (installed from crates.io with `cargo install --locked` if missing, ~1 min).
# New inputs found go to a temporary directory, so the committed corpus is never modified.
#
# Usage: scripts/fuzz-smoke.sh [target ...]     (default: every target; `cargo +nightly fuzz list`)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"
export PATH="$HOME/.cargo/bin:$PATH"
secs="${FUZZ_SECS:-5}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if ! cargo +nightly --version >/dev/null 2>&1; then
  step "installing the nightly toolchain (rustup, minimal profile)"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  step "installing cargo-fuzz (cargo install --locked)"
  cargo install cargo-fuzz --locked
fi

step "build (cargo +nightly fuzz build)"
cargo +nightly fuzz build

if [ "$#" -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(cargo +nightly fuzz list); fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=()
for target in "${targets[@]}"; do
  step "$target (${secs} s)"
  mkdir -p "$scratch/$target"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: libFuzzer's default, spelled out.
  if cargo +nightly fuzz run "$target" "$scratch/$target" "corpus/$target" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$scratch/$target.log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "$scratch/$target.log" | tr '\n' ' ' || true
    echo
  else
    failed+=("$target")
    tail -n 40 "$scratch/$target.log"
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\n\033[1;31mfuzz smoke FAILED:\033[0m %s (reproducers under fuzz/artifacts/)\n' "${failed[*]}"
  exit 1
fi
printf '\n\033[1;32mfuzz smoke passed\033[0m (%d targets, %s s each)\n' "${#targets[@]}" "$secs"
