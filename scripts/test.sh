#!/usr/bin/env bash
# Runs every test: formatting and lints, the core's unit tests, the platform-free check (the core builds for
# wasm32 without tokio/hyper/rusqlite/worker in its graph), then end-to-end tests of the native binary and of the
# built Worker in workerd against our mock upstream. Installs what it needs first (scripts/setup.sh --all).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "setup"
scripts/setup.sh --all
export PATH="$HOME/.cargo/bin:$PATH"

step "dashboard (npm build, or the placeholder page)"
scripts/build-dashboard.sh

step "rustfmt"
cargo fmt --all -- --check

step "clippy (core + native server)"
cargo clippy -q -p router-shared --all-targets --features native -- -D warnings

step "unit tests (core + native server)"
cargo test -q -p router-shared --features native

step "platform-free core: builds for wasm32, no platform crates in its graph"
scripts/check-core-portable.sh

step "build: native release binary"
cargo build -q --release -p router-shared --features native --bin 9router

step "build: Worker (wasm)"
scripts/build-worker.sh

step "wrangler deploy --dry-run (the bundle users deploy)"
scripts/deploy.sh --dry-run

step "clippy (worker, wasm32)"
( source scripts/lib/toolchain-env.sh
  cargo clippy -q -p router-worker --target wasm32-unknown-unknown -- -D warnings )

step "end-to-end: native binary and Worker (wrangler dev) against the mock upstream"
node --test --test-concurrency=1 tests/

printf '\n\033[1mall tests passed\033[0m\n'
