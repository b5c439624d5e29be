# Sourced by the build scripts: puts cargo's bin dir on PATH, points worker-build at the locally installed
# wasm-bindgen / wasm-opt / esbuild (it would otherwise download them from GitHub, which is unreachable here), and,
# when setup chose Debian's rustc-web route (.wasm-route = web), selects that toolchain with build-std.
export PATH="$HOME/.cargo/bin:$PATH"
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export WASM_BINDGEN_BIN="${WASM_BINDGEN_BIN:-$HOME/.cargo/bin/wasm-bindgen}"
export WASM_OPT_BIN="${WASM_OPT_BIN:-$_root/node_modules/.bin/wasm-opt}"
export ESBUILD_BIN="${ESBUILD_BIN:-$_root/node_modules/.bin/esbuild}"
if [[ "$(cat "$_root/.wasm-route" 2>/dev/null)" == "web" ]]; then
  export RUSTUP_TOOLCHAIN=web RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
fi
unset _root
