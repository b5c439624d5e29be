#!/usr/bin/env bash
# One command for the load bench: installs wrk (Debian), builds the native binary and the Worker, then runs
# bench/load.mjs (pass its flags through, e.g. `bench/run.sh --seconds 3 --targets direct,native`), bench/worker-proc-cpu.mjs
# (workerd CPU per request against a plain-JS baseline Worker) and bench/worker-cpu.mjs (V8 profile of the isolate).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
scripts/setup.sh --all
export PATH="$HOME/.cargo/bin:$PATH"
cargo build -q --release -p router-shared --features native --bin 9router
scripts/build-worker.sh >/dev/null
node bench/load.mjs "$@"
node bench/worker-proc-cpu.mjs
node bench/worker-cpu.mjs
