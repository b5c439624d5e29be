#!/usr/bin/env bash
# Installs what building and testing 9router needs, idempotently (a second run with everything present takes
# seconds). Only package registries are used: crates.io, npm, Debian.
#
#   scripts/setup.sh            native toolchain pieces only (enough to run the router)
#   scripts/setup.sh --all      also the wasm toolchain, wasm-bindgen-cli, worker-build and npm packages
#
# The wasm32 std comes from `rustup target add` (tried under a timeout; it has hung on some days) or, failing
# that, from Debian's rustc-web + rust-web-src built with -Zbuild-std. FORCE_WASM_ROUTE=web forces the latter.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

all=0
[[ "${1:-}" == "--all" ]] && all=1

log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
sudo_if_needed() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  if ((apt_updated == 0)); then sudo_if_needed apt-get update -qq; apt_updated=1; fi
  log "apt-get install ${missing[*]}"
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
lock_version() { # version of crate $1 in Cargo.lock
  awk -v n="$1" '$0 == "name = \"" n "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust with rustup first" >&2; exit 1; }
# gcc builds the bundled SQLite and ring (native TLS).
command -v cc >/dev/null || apt_install build-essential

((all)) || { log "native toolchain ready"; exit 0; }

# --- wasm32 standard library ---------------------------------------------------------------------------------
route_file="$root/.wasm-route"
use_web_route() {
  log "wasm route B: Debian rustc-web with -Zbuild-std"
  apt_install rustc-web cargo-web rust-web-src rust-web-llvm rust-web-clippy lld-22
  rustup toolchain list | grep -q '^web' || rustup toolchain link web /usr
  # worker-build refuses a sysroot without this directory; empty is enough (std is built from source).
  [[ -d /usr/lib/rustlib/wasm32-unknown-unknown/lib ]] || sudo_if_needed mkdir -p /usr/lib/rustlib/wasm32-unknown-unknown/lib
  echo web > "$route_file"
}
if [[ "${FORCE_WASM_ROUTE:-}" == "web" ]]; then
  use_web_route
elif rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo rustup > "$route_file"
elif timeout 90 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
  log "wasm route A: rustup target added"
  echo rustup > "$route_file"
else
  log "rustup target add failed or hung; falling back"
  use_web_route
fi

# --- wasm-bindgen-cli (must equal the wasm-bindgen in Cargo.lock) and worker-build ------------------------------
wbg="$(lock_version wasm-bindgen)"
if [[ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg" ]]; then
  apt_install pkg-config libssl-dev
  log "cargo install wasm-bindgen-cli $wbg (a few minutes, once)"
  # Not --locked: its lockfile pins a yanked webpki-roots.
  cargo install -q wasm-bindgen-cli --version "$wbg" --force
fi
wb="$(lock_version worker)"
if ! cargo install --list | grep -qx "worker-build v$wb:"; then
  log "cargo install worker-build $wb (a few minutes, once)"
  cargo install -q worker-build --version "$wb" --locked --force
fi

# --- npm: wrangler, miniflare, esbuild, binaryen (wasm-opt) ----------------------------------------------------
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ "$(cat node_modules/.lock-hash 2>/dev/null)" != "$lock_hash" ]]; then
  log "npm ci"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.lock-hash
fi
# --- Chromium for the dashboard's browser tests (Debian's package; playwright-core never downloads a browser) ---
command -v chromium >/dev/null || apt_install chromium
log "ready (wasm route: $(cat "$route_file"))"
