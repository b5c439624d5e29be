#!/usr/bin/env bash
# Builds the dashboard into dashboard/dist/dashboard/ (served at /dashboard: embedded in the native binary at
# compile time, and the Worker's static assets directory is dashboard/dist). With dashboard/package.json: `npm ci`
# (skipped while the lock file is unchanged) and `npm run build` (Vite, base /dashboard/; skipped while its inputs
# are unchanged). Without it: the placeholder page. Also writes dashboard/dist/_headers (cache rules of the
# Workers assets layer). Idempotent; an up-to-date run takes well under a second.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

dash=dashboard
dist="$dash/dist"
log() { printf '\033[1mdashboard:\033[0m %s\n' "$*"; }
# Copies $1 to $2 only when different (an untouched file keeps the native build from recompiling).
install_if_changed() { cmp -s "$1" "$2" 2>/dev/null || { mkdir -p "$(dirname "$2")"; cp "$1" "$2"; }; }
write_if_changed() { # $1 = path, stdin = contents
  local tmp; tmp="$(mktemp)"; cat > "$tmp"; install_if_changed "$tmp" "$1"; rm -f "$tmp"
}

inputs_hash() {
  { find "$dash/src" "$dash/public" -type f 2>/dev/null | sort | xargs -r cat
    cat "$dash"/index.html "$dash"/package.json "$dash"/package-lock.json "$dash"/tsconfig*.json \
        "$dash"/vite.config.* "$dash"/tailwind.config.* "$dash"/postcss.config.* 2>/dev/null || true
  } | sha256sum | cut -d' ' -f1
}

if [[ -f "$dash/package.json" ]] && command -v npm >/dev/null; then
  lock_hash="$(sha256sum "$dash/package-lock.json" 2>/dev/null | cut -d' ' -f1)"
  if [[ ! -d "$dash/node_modules" || "$(cat "$dash/node_modules/.lock-hash" 2>/dev/null)" != "$lock_hash" ]]; then
    log "npm ci"
    (cd "$dash" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_hash" > "$dash/node_modules/.lock-hash"
  fi
  stamp="$dist/.inputs.sha256"
  hash="$(inputs_hash)"
  if [[ "${FORCE_BUILD:-0}" != 1 && -f "$dist/dashboard/index.html" && "$(cat "$stamp" 2>/dev/null)" == "$hash" ]]; then
    log "up to date ($dist/dashboard)"
  else
    start=$(date +%s)
    (cd "$dash" && npm run build --silent)
    [[ -f "$dist/dashboard/index.html" ]] || { echo "dashboard: the build produced no $dist/dashboard/index.html" >&2; exit 1; }
    echo "$hash" > "$stamp"
    log "built in $(( $(date +%s) - start ))s"
  fi
else
  [[ -f "$dash/package.json" ]] && log "npm not found: serving the placeholder page instead of the dashboard"
  install_if_changed "$dash/placeholder/dashboard/index.html" "$dist/dashboard/index.html"
fi

# Workers static assets: hashed bundles are immutable, the app's page always revalidates. (The native server
# sets the same headers itself: shared/src/native/dashboard.rs.)
write_if_changed "$dist/_headers" <<'HEADERS'
/dashboard/assets/*
  Cache-Control: public, max-age=31536000, immutable
/dashboard/
  Cache-Control: no-cache
/dashboard/index.html
  Cache-Control: no-cache
HEADERS
# Never served as assets.
write_if_changed "$dist/.assetsignore" <<'IGNORE'
.inputs.sha256
.assetsignore
IGNORE
