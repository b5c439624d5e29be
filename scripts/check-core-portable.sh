#!/usr/bin/env bash
# The core crate without `native` must build for wasm32-unknown-unknown and must not depend on platform crates.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/toolchain-env.sh
forbidden='^(tokio|hyper|hyper-util|reqwest|rusqlite|libsqlite3-sys|worker|worker-sys|mio) '
for target in wasm32-unknown-unknown x86_64-unknown-linux-gnu; do
  graph="$(cargo tree -p router-shared -e normal --target "$target" --prefix none --no-dedupe | sort -u)"
  if bad="$(grep -E "$forbidden" <<<"$graph")"; then
    echo "core depends on platform crates for $target:" >&2
    echo "$bad" >&2
    exit 1
  fi
done
cargo build -q -p router-shared --target wasm32-unknown-unknown
echo "core: portable (wasm32 build ok; no tokio/hyper/reqwest/rusqlite/worker in its graph)"
