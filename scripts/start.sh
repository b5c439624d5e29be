#!/usr/bin/env bash
# Builds (once: the dashboard, then the binary that embeds it) and starts the native router on port 20128 with its embedded SQLite under ~/.9router.
# Extra arguments go to the binary, e.g. `scripts/start.sh --port 8080 --host 0.0.0.0`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
scripts/build-dashboard.sh
cargo build -q --release -p router-shared --features native --bin 9router
exec target/release/9router "$@"
