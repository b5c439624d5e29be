#!/usr/bin/env bash
# Deploys 9router to your own Cloudflare account (needs `wrangler login` once, or CLOUDFLARE_API_TOKEN):
#   1. builds the dashboard and the Worker,
#   2. creates the D1 database `9router` on first deploy and writes its id into wrangler.toml,
#   3. applies migrations/ to it (`wrangler d1 migrations apply DB --remote`),
#   4. deploys, then sets the secrets that are not set yet: JWT_SECRET and TOKEN_ENCRYPTION_KEY (random, 32 bytes),
#      and INITIAL_PASSWORD when you pass one in the environment (else the dashboard starts with 123456 and
#      insists on a change at first login).
# Re-running it is safe: an existing database, its applied migrations and existing secrets are kept.
#
#   scripts/deploy.sh              deploy
#   scripts/deploy.sh --dry-run    build and bundle only; prints what would be uploaded (no account needed)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
wrangler=("$root/node_modules/.bin/wrangler")
export WRANGLER_SEND_METRICS=false
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

scripts/setup.sh --all >/dev/null
[ -x scripts/build-dashboard.sh ] && scripts/build-dashboard.sh >/dev/null
scripts/build-worker.sh

if [[ "${1:-}" == "--dry-run" ]]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
  step "wrangler deploy --dry-run"
  "${wrangler[@]}" deploy --dry-run --outdir "$out" 2>&1 | grep -vE '^\[custom build\]|update available|^─+$|^\s*$'
  exit 0
fi

step "Cloudflare account"
"${wrangler[@]}" whoami >/dev/null 2>&1 || "${wrangler[@]}" login

placeholder="00000000-0000-0000-0000-000000000000"
if grep -q "database_id = \"$placeholder\"" wrangler.toml; then
  step "D1 database"
  created="$("${wrangler[@]}" d1 create 9router 2>&1 || "${wrangler[@]}" d1 info 9router --json 2>&1)"
  id="$(grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' <<<"$created" | grep -v "$placeholder" | head -n1)"
  [ -n "$id" ] || { echo "could not create or find the D1 database 9router:"; echo "$created"; exit 1; }
  sed -i.bak "s/database_id = \"$placeholder\"/database_id = \"$id\"/" wrangler.toml && rm -f wrangler.toml.bak
  echo "database 9router: $id (written to wrangler.toml)"
fi

step "migrations"
"${wrangler[@]}" d1 migrations apply DB --remote

step "deploy"
"${wrangler[@]}" deploy

step "secrets"
existing="$("${wrangler[@]}" secret list 2>/dev/null || echo '[]')"
random_secret() { node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))'; }
for name in JWT_SECRET TOKEN_ENCRYPTION_KEY; do
  if grep -q "\"$name\"" <<<"$existing"; then
    echo "$name: already set (kept)"
  else
    random_secret | "${wrangler[@]}" secret put "$name" >/dev/null && echo "$name: set (random)"
  fi
done
if [ -n "${INITIAL_PASSWORD:-}" ]; then
  printf '%s' "$INITIAL_PASSWORD" | "${wrangler[@]}" secret put INITIAL_PASSWORD >/dev/null && echo "INITIAL_PASSWORD: set"
fi
echo
echo "Done. Open https://<your worker>.workers.dev/dashboard (URL printed by the deploy step above)."
