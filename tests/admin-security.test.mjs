// Management API security, on both targets (native binary; built Worker in workerd via wrangler dev): every
// route refuses missing, expired, foreign-signed, unsigned (`alg: none`) and garbage sessions; bad input on every
// mutating route is a 4xx naming the problem with nothing written; failed logins are rate-limited per client
// address; a password change ends older sessions and is stored as standard PBKDF2-HMAC-SHA256 (checked against
// Node's OpenSSL, which proves the Worker's WebCrypto and the native pure-Rust KDF agree); the dashboard is
// served with an SPA fallback and `/` redirects to it.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac, pbkdf2Sync } from "node:crypto";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { JWT_SECRET, PASSWORD, ROOT, selectedTargets } from "./lib/targets.mjs";

const run = promisify(execFile);
const b64url = (value) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const nowSecs = () => Math.floor(Date.now() / 1000);

/** An HS256 JWT over `claims` signed with `secret` (what the router issues, when the secret is its own). */
function jwt(claims, secret = JWT_SECRET, header = { alg: "HS256", typ: "JWT" }) {
  const unsigned = `${b64url(header)}.${b64url(claims)}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}
const validClaims = () => ({ sub: "admin", iat: nowSecs(), exp: nowSecs() + 3600, pv: 0 });

const BAD_SESSIONS = {
  "no session": null,
  "an expired token": jwt({ sub: "admin", iat: nowSecs() - 7200, exp: nowSecs() - 3600, pv: 0 }),
  "a token signed with another secret": jwt(validClaims(), "another-secret-0123456789"),
  "an alg:none token": `${b64url({ alg: "none", typ: "JWT" })}.${b64url(validClaims())}.`,
  "an HS512 token": jwt(validClaims(), JWT_SECRET, { alg: "HS512", typ: "JWT" }),
  "a garbage token": "not-a-jwt",
  "a token with a tampered payload": (() => {
    const [h, , s] = jwt({ ...validClaims(), sub: "someone" }).split(".");
    return `${h}.${b64url(validClaims())}.${s}`;
  })(),
};

const MANAGEMENT_ROUTES = [
  ["GET", "/api/keys"], ["POST", "/api/keys", { name: "x" }], ["PATCH", "/api/keys/some-id", { enabled: false }],
  ["DELETE", "/api/keys/some-id"],
  ["GET", "/api/providers"], ["POST", "/api/providers", { provider: "openai", api_key: "sk-x" }],
  ["PATCH", "/api/providers/some-id", { enabled: false }], ["DELETE", "/api/providers/some-id"],
  ["GET", "/api/combos"], ["POST", "/api/combos", { name: "c", models: ["openai/gpt-4o-mini"] }],
  ["PUT", "/api/combos/some-id", { name: "c", models: ["openai/gpt-4o-mini"] }], ["DELETE", "/api/combos/some-id"],
  ["GET", "/api/aliases"], ["POST", "/api/aliases", { alias: "a", target: "openai/gpt-4o-mini" }],
  ["DELETE", "/api/aliases/a"],
  ["GET", "/api/settings"], ["PUT", "/api/settings", { routing_strategy: "round-robin" }],
  ["GET", "/api/usage"], ["GET", "/api/usage/recent"],
  ["GET", "/api/prices"], ["PUT", "/api/prices/gpt-4o", { input: 1, output: 1 }], ["DELETE", "/api/prices/gpt-4o"],
  ["GET", "/api/providers/status"],
  ["POST", "/api/auth/password", { currentPassword: PASSWORD, newPassword: "a-new-password-1" }],
];

/** A client of the management API; `client` picks the rate-limit bucket (X-Forwarded-For natively, from
 * loopback; CF-Connecting-IP on the edge). */
function api(router, { token, client = "198.51.100.1", cookie } = {}) {
  return async (method, p, body, extraHeaders = {}) => {
    const headers = { "content-type": "application/json", "x-forwarded-for": client, "cf-connecting-ip": client, ...extraHeaders };
    if (token) headers.authorization = `Bearer ${token}`;
    if (cookie) headers.cookie = cookie;
    const r = await fetch(`${router.url}${p}`, {
      method, headers, redirect: "manual",
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch {}
    return { status: r.status, headers: r.headers, json, text };
  };
}

async function login(router, password, client) {
  const r = await api(router, { client })("POST", "/api/auth/login", { password });
  assert.equal(r.status, 200, `login: ${r.text}`);
  return r.json.token;
}

/** Everything the management API lists, to prove refused calls wrote nothing. */
async function snapshot(call) {
  const out = {};
  for (const p of ["/api/keys", "/api/providers", "/api/combos", "/api/aliases", "/api/settings", "/api/prices"]) {
    const r = await call("GET", p);
    assert.equal(r.status, 200, `${p}: ${r.text}`);
    out[p] = r.json;
  }
  return out;
}

/** The stored password hash, read from the target's own database. */
async function storedHash(router) {
  const sql = "SELECT hash FROM admin_password WHERE id = 1";
  if (router.name === "native") {
    const { stdout } = await run("sqlite3", [path.join(router.dataDir, "db.sqlite"), sql]);
    return stdout.trim();
  }
  const wrangler = path.join(ROOT, "node_modules/.bin/wrangler");
  const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" };
  const { stdout } = await run(wrangler, ["d1", "execute", "DB", "--local", "--persist-to", router.persist, "--command", sql, "--json"], { cwd: ROOT, env });
  return JSON.parse(stdout)[0].results[0].hash;
}

function assertNamedError(r, label, fragment) {
  assert.ok(r.status >= 400 && r.status < 500, `${label}: expected 4xx, got ${r.status} ${r.text}`);
  assert.equal(typeof r.json?.error?.message, "string", `${label}: error body ${r.text}`);
  assert.ok(r.json.error.message.length > 0, label);
  if (fragment) assert.ok(r.json.error.message.toLowerCase().includes(fragment.toLowerCase()), `${label}: "${r.json.error.message}" should mention ${fragment}`);
}

for (const [name, start] of selectedTargets()) {
  describe(`admin security (${name})`, () => {
    let router, admin, token, clientKey, comboId, keyId, connectionId;

    before(async () => {
      router = await start();
      token = await login(router, PASSWORD, "198.51.100.1");
      admin = api(router, { token });
      const key = await admin("POST", "/api/keys", { name: "seed" });
      assert.equal(key.status, 201, key.text);
      clientKey = key.json.key;
      keyId = key.json.id;
      const conn = await admin("POST", "/api/providers", { provider: "openai", name: "seed", api_key: "sk-seed", base_url: "http://127.0.0.1:9/v1" });
      assert.equal(conn.status, 201, conn.text);
      connectionId = conn.json.id;
      const combo = await admin("POST", "/api/combos", { name: "seed-combo", models: ["openai/gpt-4o-mini"] });
      assert.equal(combo.status, 201, combo.text);
      comboId = combo.json.id;
      const alias = await admin("POST", "/api/aliases", { alias: "seed-alias", target: "openai/gpt-4o-mini" });
      assert.equal(alias.status, 201, alias.text);
    });
    after(async () => { await router?.stop(); });

    it("reports auth status without a session", async () => {
      const anon = await api(router)("GET", "/api/auth/status");
      assert.equal(anon.status, 200);
      assert.deepEqual(anon.json, { authenticated: false, mustChangePassword: true });
      const authed = await admin("GET", "/api/auth/status");
      assert.deepEqual(authed.json, { authenticated: true, mustChangePassword: true });
      const forged = await api(router, { token: BAD_SESSIONS["a token signed with another secret"] })("GET", "/api/auth/status");
      assert.deepEqual(forged.json, { authenticated: false, mustChangePassword: true });
    });

    it("accepts a well-formed token signed with the right secret (the forgeries below differ in one thing each)", async () => {
      const r = await api(router, { token: jwt(validClaims()) })("GET", "/api/keys");
      assert.equal(r.status, 200, r.text);
    });

    it("refuses every management route without a valid session, writing nothing", async () => {
      const before = await snapshot(admin);
      for (const [label, bad] of Object.entries(BAD_SESSIONS)) {
        const call = api(router, { token: bad });
        for (const [method, p, body] of MANAGEMENT_ROUTES) {
          const r = await call(method, p, body);
          assert.equal(r.status, 401, `${method} ${p} with ${label}: ${r.status} ${r.text}`);
          assert.equal(r.json?.error?.type, "authentication_error", `${method} ${p} with ${label}: ${r.text}`);
        }
      }
      // The same tokens in the session cookie.
      for (const [label, bad] of Object.entries(BAD_SESSIONS)) {
        if (!bad) continue;
        const r = await api(router, { cookie: `9r_session=${bad}` })("GET", "/api/settings");
        assert.equal(r.status, 401, `cookie with ${label}`);
      }
      assert.deepEqual(await snapshot(admin), before, "refused calls changed nothing");
    });

    it("refuses bad input on every mutating route with a 4xx naming the problem, writing nothing", async () => {
      const before = await snapshot(admin);
      const cases = [
        ["POST", "/api/keys", "{", "invalid request body"],
        ["POST", "/api/keys", { name: 5 }, "invalid type"],
        ["POST", "/api/keys", { name: "  " }, "name"],
        ["PATCH", `/api/keys/${keyId}`, "{", "invalid request body"],
        ["PATCH", `/api/keys/${keyId}`, { enabled: "yes" }, "invalid type"],
        ["PATCH", `/api/keys/${keyId}`, { name: "" }, "name"],
        ["PATCH", `/api/keys/${keyId}`, { bogus: 1 }, "unknown field"],
        ["PATCH", "/api/keys/no-such-key", { enabled: false }, "no-such-key"],
        ["DELETE", "/api/keys/no-such-key", undefined, "no-such-key"],
        ["POST", "/api/providers", "[1,", "invalid request body"],
        ["POST", "/api/providers", { api_key: "sk-x" }, "provider"],
        ["POST", "/api/providers", { provider: "no-such-provider", api_key: "sk-x" }, "unknown provider"],
        ["POST", "/api/providers", { provider: "openai" }, "api_key"],
        ["POST", "/api/providers", { provider: "openai", api_key: " " }, "api_key"],
        ["POST", "/api/providers", { provider: "openai", api_key: "sk-x", base_url: "ftp://example.com" }, "base_url"],
        ["POST", "/api/providers", { provider: "openai", api_key: "sk-x", base_url: "not a url" }, "base_url"],
        ["POST", "/api/providers", { provider: "openai", api_key: "sk-x", base_url: "javascript:alert(1)" }, "base_url"],
        ["POST", "/api/providers", { provider: "openai", api_key: "sk-x", priority: "high" }, "invalid type"],
        ["POST", "/api/providers", { provider: "openai", api_key: "sk-x", models: [""] }, "models"],
        ["POST", "/api/providers", { provider: "openai", api_key: "sk-x", name: "" }, "name"],
        ["PATCH", `/api/providers/${connectionId}`, { base_url: "file:///etc/passwd" }, "base_url"],
        ["PATCH", `/api/providers/${connectionId}`, { priority: "x" }, "invalid type"],
        ["PATCH", `/api/providers/${connectionId}`, { name: " " }, "name"],
        ["PATCH", `/api/providers/${connectionId}`, { api_key: "" }, "api_key"],
        ["PATCH", `/api/providers/${connectionId}`, { models: ["ok", ""] }, "models"],
        ["PATCH", `/api/providers/${connectionId}`, { provider: "anthropic" }, "unknown field"],
        ["PATCH", "/api/providers/no-such-connection", { enabled: false }, "no-such-connection"],
        ["DELETE", "/api/providers/no-such-connection", undefined, "no-such-connection"],
        ["POST", "/api/combos", "nope", "invalid request body"],
        ["POST", "/api/combos", { name: "", models: ["openai/gpt-4o-mini"] }, "name"],
        ["POST", "/api/combos", { name: "has space", models: ["openai/gpt-4o-mini"] }, "name"],
        ["POST", "/api/combos", { name: "a/b", models: ["openai/gpt-4o-mini"] }, "name"],
        ["POST", "/api/combos", { name: 7, models: ["openai/gpt-4o-mini"] }, "invalid type"],
        ["POST", "/api/combos", { name: "fresh", models: [] }, "at least one model"],
        ["POST", "/api/combos", { name: "fresh", models: "openai/gpt-4o-mini" }, "invalid type"],
        ["POST", "/api/combos", { name: "fresh", models: ["no-such-provider/model"] }, "no-such-provider"],
        ["POST", "/api/combos", { name: "fresh", models: ["no-such-alias"] }, "no-such-alias"],
        ["POST", "/api/combos", { name: "seed-combo", models: ["openai/gpt-4o-mini"] }, "exists"],
        ["POST", "/api/combos", { name: "seed-alias", models: ["openai/gpt-4o-mini"] }, "alias"],
        ["PUT", `/api/combos/${comboId}`, { name: "seed-combo", models: [] }, "at least one model"],
        ["PUT", `/api/combos/${comboId}`, { name: "", models: ["openai/gpt-4o-mini"] }, "name"],
        ["PUT", "/api/combos/no-such-combo", { name: "other", models: ["openai/gpt-4o-mini"] }, "no-such-combo"],
        ["DELETE", "/api/combos/no-such-combo", undefined, "no-such-combo"],
        ["POST", "/api/aliases", "{\"alias\":", "invalid request body"],
        ["POST", "/api/aliases", { alias: "", target: "openai/gpt-4o-mini" }, "name"],
        ["POST", "/api/aliases", { alias: "fresh-alias", target: "no-such-provider/model" }, "no-such-provider"],
        ["POST", "/api/aliases", { alias: "fresh-alias", target: "" }, null],
        ["POST", "/api/aliases", { alias: "fresh-alias" }, "target"],
        ["POST", "/api/aliases", { alias: "seed-combo", target: "openai/gpt-4o-mini" }, "combo"],
        ["DELETE", "/api/aliases/no-such-alias", undefined, "no-such-alias"],
        ["PUT", "/api/settings", "{", "invalid request body"],
        ["PUT", "/api/settings", [1], "invalid"],
        ["PUT", "/api/settings", { routing_strategy: "random" }, "routing_strategy"],
        ["PUT", "/api/settings", { sticky_round_robin_limit: 0 }, "sticky_round_robin_limit"],
        ["PUT", "/api/settings", { usage_retention_days: -1 }, "invalid value"],
        ["PUT", "/api/settings", { session_affinity: "yes" }, "invalid type"],
        ["PUT", "/api/settings", { routing_strategy: "round-robin", no_such_setting: 1 }, "no_such_setting"],
        ["GET", "/api/usage?bucket=week", undefined, "bucket"],
        ["GET", "/api/usage?by=colour", undefined, "by"],
        ["PUT", "/api/prices/gpt-4o", "{", "invalid request body"],
        ["PUT", "/api/prices/gpt-4o", { input: -1, output: 1 }, "input"],
        ["PUT", "/api/prices/gpt-4o", { input: 1, output: 1, cache_write: "x" }, "cache_write"],
        ["DELETE", "/api/prices/no-such-model", undefined, "no-such-model"],
        ["POST", "/api/auth/password", "{", "invalid request body"],
        ["POST", "/api/auth/password", { currentPassword: PASSWORD }, "newPassword"],
        ["POST", "/api/auth/password", { currentPassword: PASSWORD, newPassword: 12345678 }, "invalid type"],
        ["POST", "/api/auth/password", { currentPassword: PASSWORD, newPassword: "short" }, "at least 8"],
        ["POST", "/api/auth/password", { currentPassword: PASSWORD, newPassword: "123456" }, "default"],
        ["POST", "/api/auth/password", { currentPassword: PASSWORD, newPassword: PASSWORD }, "differ"],
        ["POST", "/api/auth/login", "{", "invalid request body"],
        ["POST", "/api/auth/login", { password: 123456 }, "invalid type"],
      ];
      for (const [method, p, body, fragment] of cases) {
        const r = await admin(method, p, body);
        assertNamedError(r, `${method} ${p} ${typeof body === "string" ? body : JSON.stringify(body)}`, fragment);
      }
      assert.deepEqual(await snapshot(admin), before, "refused calls changed nothing");
      const status = await admin("GET", "/api/auth/status");
      assert.deepEqual(status.json, { authenticated: true, mustChangePassword: true }, "the password is unchanged");
    });

    it("rate-limits failed logins per client address (429 with Retry-After), wrong current passwords included", async () => {
      const attacker = api(router, { client: "203.0.113.7" });
      for (let i = 1; i <= 5; i++) {
        const r = await attacker("POST", "/api/auth/login", { password: `wrong-${i}` });
        assert.equal(r.status, 401, `attempt ${i}: ${r.text}`);
      }
      for (const password of ["wrong-6", PASSWORD]) {
        const r = await attacker("POST", "/api/auth/login", { password });
        assert.equal(r.status, 429, `a 6th attempt is refused even with the right password: ${r.text}`);
        const retryAfter = Number(r.headers.get("retry-after"));
        assert.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After ${r.headers.get("retry-after")}`);
        assert.equal(r.json.error.type, "rate_limit_error", r.text);
      }
      if (name === "native") {
        // Natively only the peer (or a loopback proxy's X-Forwarded-For) counts: CF-Connecting-IP is not trusted.
        const spoof = await api(router, { client: "203.0.113.7" })("POST", "/api/auth/login", { password: PASSWORD }, { "cf-connecting-ip": "192.0.2.55" });
        assert.equal(spoof.status, 429);
      }
      // Another client is not affected.
      const other = await api(router, { client: "203.0.113.8" })("POST", "/api/auth/login", { password: PASSWORD });
      assert.equal(other.status, 200, other.text);

      // A wrong current password on a password change counts as a failed login.
      const client = "203.0.113.9";
      const session = await login(router, PASSWORD, client);
      const call = api(router, { token: session, client });
      for (let i = 1; i <= 4; i++) assert.equal((await call("POST", "/api/auth/login", { password: `nope-${i}` })).status, 401);
      const wrongCurrent = await call("POST", "/api/auth/password", { currentPassword: "not-it-at-all", newPassword: "a-new-password-1" });
      assert.equal(wrongCurrent.status, 401, wrongCurrent.text);
      assert.equal((await call("POST", "/api/auth/login", { password: PASSWORD })).status, 429);
      const blockedChange = await call("POST", "/api/auth/password", { currentPassword: PASSWORD, newPassword: "a-new-password-1" });
      assert.equal(blockedChange.status, 429, blockedChange.text);
    });

    it("serves the dashboard with an SPA fallback; / redirects there; API routes stay JSON", async () => {
      const index = await fetch(`${router.url}/dashboard`);
      assert.equal(index.status, 200);
      assert.match(index.headers.get("content-type"), /^text\/html/);
      const html = await index.text();
      assert.match(html, /<html/i);
      assert.match(index.headers.get("cache-control") ?? "", /no-cache|max-age=0/);
      for (const deep of ["/dashboard/usage", "/dashboard/providers/openai?tab=keys"]) {
        const r = await fetch(`${router.url}${deep}`);
        assert.equal(r.status, 200, deep);
        assert.match(r.headers.get("content-type"), /^text\/html/, deep);
        assert.equal(await r.text(), html, `${deep} is the app's index.html`);
      }
      const asset = html.match(/\/dashboard\/assets\/[^"'\s>]+/)?.[0];
      if (asset) {
        const r = await fetch(`${router.url}${asset}`);
        assert.equal(r.status, 200, asset);
        assert.match(r.headers.get("content-type"), /javascript|css/, asset);
        assert.match(r.headers.get("cache-control") ?? "", /immutable/, asset);
      }
      const missingAsset = await fetch(`${router.url}/dashboard/assets/no-such-chunk-0000.js`);
      assert.equal(missingAsset.status, 404, "a missing hashed file is not answered with the app");
      await missingAsset.text();
      const root = await fetch(`${router.url}/`, { redirect: "manual" });
      assert.ok([301, 302, 303, 307, 308].includes(root.status), `/ → ${root.status}`);
      assert.match(root.headers.get("location"), /\/dashboard\/?$/);
      const models = await fetch(`${router.url}/v1/models`, { headers: { authorization: `Bearer ${clientKey}` } });
      assert.equal(models.status, 200);
      assert.match(models.headers.get("content-type"), /application\/json/);
      assert.ok((await models.json()).data.some((m) => m.id === "seed-combo"));
      const health = await fetch(`${router.url}/health`);
      assert.equal((await health.json()).status, "ok");
      const status = await fetch(`${router.url}/api/auth/status`);
      assert.match(status.headers.get("content-type"), /application\/json/);
      await status.text();
    });

    it("logs in with a cookie session and logs out", async () => {
      const r = await api(router, { client: "198.51.100.20" })("POST", "/api/auth/login", { password: PASSWORD });
      assert.equal(r.status, 200);
      const cookie = r.headers.get("set-cookie");
      assert.match(cookie, /^9r_session=[^;]+; HttpOnly; SameSite=Strict; Path=\//);
      assert.doesNotMatch(cookie, /Secure/, "no Secure flag over plain http");
      const viaCookie = await api(router, { cookie: cookie.split(";")[0] })("GET", "/api/keys");
      assert.equal(viaCookie.status, 200, viaCookie.text);
      const https = await api(router, { client: "198.51.100.20" })("POST", "/api/auth/login", { password: PASSWORD }, { "x-forwarded-proto": "https" });
      assert.match(https.headers.get("set-cookie"), /; Secure/);
      const out = await api(router)("POST", "/api/auth/logout");
      assert.equal(out.status, 200);
      assert.match(out.headers.get("set-cookie"), /^9r_session=; .*Max-Age=0/);
    });

    it("changes the password: old password and old sessions refused, new ones work, stored as PBKDF2-SHA256", async () => {
      const client = "198.51.100.30";
      const oldSession = await login(router, PASSWORD, client);
      const oldCall = api(router, { token: oldSession, client });
      const newPassword = "correct horse battery staple";
      const changed = await oldCall("POST", "/api/auth/password", { currentPassword: PASSWORD, newPassword });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.json.ok, true);
      assert.equal(typeof changed.json.token, "string");
      assert.match(changed.headers.get("set-cookie"), /^9r_session=[^;]+; HttpOnly; SameSite=Strict/);

      // Sessions issued before the change (this one and the suite's) are over; the fresh one works.
      for (const stale of [oldSession, token, jwt(validClaims())]) {
        assert.equal((await api(router, { token: stale, client })("GET", "/api/keys")).status, 401);
        assert.equal((await api(router, { token: stale, client })("GET", "/api/auth/status")).json.authenticated, false);
      }
      const fresh = api(router, { token: changed.json.token, client });
      assert.equal((await fresh("GET", "/api/keys")).status, 200);
      assert.deepEqual((await fresh("GET", "/api/auth/status")).json, { authenticated: true, mustChangePassword: false });
      assert.deepEqual((await api(router)("GET", "/api/auth/status")).json, { authenticated: false, mustChangePassword: false });

      // The old password no longer logs in; the new one does (verified by this target's KDF).
      assert.equal((await api(router, { client })("POST", "/api/auth/login", { password: PASSWORD })).status, 401);
      const newSession = await login(router, newPassword, client);
      assert.equal((await api(router, { token: newSession, client })("GET", "/api/settings")).status, 200);

      // Stored as pbkdf2-sha256$100000$salt$hash, equal to OpenSSL's PBKDF2 of the password with that salt.
      const stored = await storedHash(router);
      const [scheme, iterations, salt, hash] = stored.split("$");
      assert.equal(scheme, "pbkdf2-sha256");
      assert.equal(iterations, "100000");
      const saltBytes = Buffer.from(salt, "base64");
      assert.equal(saltBytes.length, 16);
      assert.equal(Buffer.from(hash, "base64").toString("hex"), pbkdf2Sync(newPassword, saltBytes, 100000, 32, "sha256").toString("hex"));
      assert.ok(!stored.includes(newPassword));

      // A second change works from the new session (version 2) and ends the version-1 sessions.
      const again = await api(router, { token: newSession, client })("POST", "/api/auth/password", { currentPassword: newPassword, newPassword: "yet another password" });
      assert.equal(again.status, 200, again.text);
      assert.equal((await api(router, { token: newSession, client })("GET", "/api/keys")).status, 401);
      assert.equal((await api(router, { token: again.json.token, client })("GET", "/api/keys")).status, 200);
      assert.notEqual(await storedHash(router), stored, "a new salt and hash");
    });
  });
}
