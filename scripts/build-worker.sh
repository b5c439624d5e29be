#!/usr/bin/env bash
# Builds the Worker: Rust -> wasm32 (profile `worker`: opt-level z, LTO, panic=abort) -> wasm-bindgen glue ->
# wasm-opt -Oz -> esbuild bundle, into worker/build/. Skips the build when no input changed since the last one.
# Uses the wasm route chosen by scripts/setup.sh (rustup target, or Debian's rustc-web with -Zbuild-std).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source scripts/lib/toolchain-env.sh
# The static assets wrangler serves next to the Worker (dashboard/dist).
scripts/build-dashboard.sh

out="worker/build"
stamp="$out/.inputs.sha256"
inputs_hash() {
  { cat Cargo.toml Cargo.lock shared/Cargo.toml worker/Cargo.toml shared/build.rs .wasm-route 2>/dev/null
    find shared/src worker/src migrations -type f | sort | xargs cat
  } | sha256sum | cut -d' ' -f1
}
hash="$(inputs_hash)"
if [[ "${FORCE_BUILD:-0}" != 1 && -f "$stamp" && -f "$out/index.js" && -f "$out/index_bg.wasm" && "$(cat "$stamp")" == "$hash" ]]; then
  echo "worker: up to date ($out)"
else
  start=$(date +%s)
  (cd worker && worker-build --profile worker)
  echo "$hash" > "$stamp"
  echo "worker: built in $(( $(date +%s) - start ))s"
fi
raw=$(stat -c %s "$out/index_bg.wasm")
gz=$(gzip -9 -c "$out/index_bg.wasm" | wc -c)
js=$(stat -c %s "$out/index.js")
jsgz=$(gzip -9 -c "$out/index.js" | wc -c)
echo "worker: deploys index_bg.wasm ${raw} B raw / ${gz} B gzip, index.js ${js} B raw / ${jsgz} B gzip; total gzip $(( gz + jsgz )) B"
