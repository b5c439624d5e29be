// OAuth accounts on both targets, against our mock OAuth provider and mock upstream: Claude (auth code + PKCE
// with paste-back, import), GitHub Copilot (device flow + Copilot token exchange) and Qwen (device flow + PKCE,
// per-account resource URL). Covers refresh ahead of expiry with rotation, refresh on 401, a rejected refresh
// (account marked needs_reauth, next account answers), 100 concurrent requests on an expired token (exactly one
// refresh reaches the provider), connection tests, and that no token, code, state or verifier ever appears in
// the router's logs or error bodies.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { startMock } from "./lib/mock-upstream.mjs";
import { startMockOAuth } from "./lib/mock-oauth.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient } from "./lib/client.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const CLAUDE_LEAD_S = 4 * 3600;
const CLAUDE_PREFIX = "You are Claude Code, Anthropic's official CLI for Claude.";

for (const [name, start] of selectedTargets()) {
  describe(`oauth (${name})`, () => {
    let upstream, oauth, router, client, key;
    const errorBodies = [];
    const created = [];

    // Every management/proxy call goes through here so error bodies can be scanned for secrets at the end.
    const api = async (method, path, body) => {
      const r = await client.api(method, path, body);
      if (r.status >= 400) errorBodies.push(r.text);
      return r;
    };
    const call = async (path, body) => {
      const r = await fetch(`${router.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      });
      const text = await r.text();
      if (r.status >= 400) errorBodies.push(text);
      let json = null;
      try { json = JSON.parse(text); } catch {}
      return { status: r.status, json, text };
    };
    const chat = (model, content = "hi") => call("/v1/chat/completions", { model, messages: [{ role: "user", content }] });
    const upstreamFor = async (prefix) => (await upstream.requests()).filter((q) => q.path.startsWith(prefix));
    const removeAll = async () => { while (created.length) await api("DELETE", `/api/providers/${created.pop()}`); };

    async function connectClaude(account, expiresIn, paste = "code#state") {
      await oauth.configure({ expiresIn, refreshExpiresIn: 28800 });
      const started = await api("POST", "/api/oauth/cc/start");
      assert.equal(started.status, 200, started.text);
      assert.equal(started.json.kind, "auth_code");
      const url = new URL(started.json.authorizeUrl);
      url.searchParams.set("mock_account", account);
      const auth = await fetch(url, { redirect: "manual" });
      assert.equal(auth.status, 302);
      const { code, state, redirect } = await auth.json();
      const body = paste === "redirectUrl" ? { flowId: started.json.flowId, redirectUrl: redirect }
        : paste === "code" ? { flowId: started.json.flowId, code }
        : { flowId: started.json.flowId, code: `${code}#${state}` };
      const done = await api("POST", "/api/oauth/cc/complete", { ...body, name: account });
      assert.equal(done.status, 200, done.text);
      created.push(done.json.connection.id);
      return { connection: done.json.connection, flowId: started.json.flowId, code, state };
    }

    before(async () => {
      upstream = await startMock();
      oauth = await startMockOAuth();
      const overrides = {
        "https://claude.ai": `${oauth.url}/claude-ai`,
        "https://platform.claude.com": `${oauth.url}/claude-platform`,
        "https://api.anthropic.com": `${upstream.url}/anthropic`,
        "https://github.com": `${oauth.url}/github`,
        "https://api.github.com": `${oauth.url}/github-api`,
        "https://api.githubcopilot.com": `${upstream.url}/copilot`,
        "https://chat.qwen.ai": `${oauth.url}/qwen`,
        "https://qw-acct.qwen.test": `${upstream.url}/qwen-acct`,
        "https://iflow.cn": `${oauth.url}/iflow`,
        "https://apis.iflow.cn": `${upstream.url}/iflow-api`,
      };
      // A generous idle timeout: the 100-request burst runs on a shared 2-core machine and tests refresh
      // serialisation, not latency.
      router = await start({ PROVIDER_URL_OVERRIDES: JSON.stringify(overrides), UPSTREAM_IDLE_TIMEOUT_MS: "20000" });
      client = new RouterClient(router.url);
      await client.login();
      key = await client.createKey("oauth");
    });
    after(async () => { await router?.stop(); await upstream?.close(); await oauth?.close(); });

    it("lists every provider with how it connects", async () => {
      const r = await api("GET", "/api/providers/catalog");
      assert.equal(r.status, 200, r.text);
      const byId = Object.fromEntries(r.json.map((p) => [p.id, p]));
      assert.deepEqual([byId.claude.alias, byId.claude.auth, byId.claude.flows], ["cc", "oauth", ["auth_code", "import"]]);
      assert.match(byId.claude.notice, /terms/);
      assert.deepEqual([byId.github.auth, byId.github.flows], ["oauth", ["device_code", "import"]]);
      assert.deepEqual([byId.qwen.auth, byId.qwen.flows], ["oauth", ["device_code", "import"]]);
      assert.deepEqual([byId.openai.auth, byId.openai.flows, byId.openai.notice], ["api_key", [], null]);
      assert.ok(byId.claude.defaultModels.includes("claude-sonnet-4-6"));
    });

    it("connects Claude by paste-back; flows are single-use and state-checked", async () => {
      const { flowId, code, state } = await connectClaude("paste1", 28800);
      const again = await api("POST", "/api/oauth/cc/complete", { flowId, code: `${code}#${state}` });
      assert.equal(again.status, 400);
      assert.equal(again.json.error.code, "flow_not_found");
      // The authorize request carried PKCE S256 and Claude's parameters.
      const authorize = (await oauth.state()).requests.filter((q) => q.path.endsWith("/oauth/authorize")).at(-1);
      assert.equal(authorize.query.client_id, "9d1c250a-e61b-44d9-88ed-5944d1962f5e");
      assert.equal(authorize.query.code_challenge_method, "S256");
      assert.equal(authorize.query.code, "true");
      assert.equal(authorize.query.redirect_uri, "https://console.anthropic.com/oauth/code/callback");
      const exchange = (await oauth.state()).requests.filter((q) => q.body.grant_type === "authorization_code").at(-1);
      assert.match(exchange.contentType, /application\/json/);
      assert.equal(exchange.body.state, state);
      // A code pasted into another flow is refused (state mismatch), and that flow is then used up.
      const other = await api("POST", "/api/oauth/cc/start");
      const mismatch = await api("POST", "/api/oauth/cc/complete", { flowId: other.json.flowId, code: "abc#not-the-state" });
      assert.equal(mismatch.status, 400);
      assert.equal(mismatch.json.error.code, "state_mismatch");
      // The whole redirect URL and the bare code work too.
      await connectClaude("paste2", 28800, "redirectUrl");
      await connectClaude("paste3", 28800, "code");
      const list = await api("GET", "/api/providers");
      const mine = list.json.connections.filter((c) => created.includes(c.id));
      assert.equal(mine.length, 3);
      for (const c of mine) {
        assert.equal(c.auth_type, "oauth");
        assert.equal(c.status, "active");
        assert.ok(c.expiresAt > Date.now());
      }
      const st = await oauth.state();
      for (const secret of [...st.issued.access, ...st.issued.refresh]) assert.ok(!list.text.includes(secret), "list leaks a token");
      await removeAll();
    });

    it("sends Claude requests with the OAuth identity from /v1/messages and /v1/chat/completions", async () => {
      const { connection } = await connectClaude("ident", 28800);
      await upstream.reset();
      const m = await call("/v1/messages", { model: "cc/claude-sonnet-4-6", max_tokens: 50, system: "be brief", messages: [{ role: "user", content: "hello" }] });
      assert.equal(m.status, 200, m.text);
      assert.equal(m.json.content[0].text, "echo: hello");
      const c = await chat("cc/claude-sonnet-4-6", "hi there");
      assert.equal(c.status, 200, c.text);
      assert.equal(c.json.choices[0].message.content, "echo: hi there");
      const access = (await oauth.state()).current.ident.access;
      const seen = await upstreamFor("/anthropic/");
      assert.equal(seen.length, 2);
      for (const q of seen) {
        assert.equal(q.path, "/anthropic/v1/messages");
        assert.equal(q.headers.authorization, `Bearer ${access}`);
        assert.equal(q.headers["x-api-key"], undefined);
        const betas = q.headers["anthropic-beta"].split(",");
        assert.ok(betas.includes("oauth-2025-04-20") && betas.includes("claude-code-20250219"), q.headers["anthropic-beta"]);
        assert.equal(q.headers["anthropic-version"], "2023-06-01");
        assert.equal(q.headers["x-app"], "cli");
        assert.match(q.headers["user-agent"], /^claude-cli\//);
        assert.equal(q.body.system[0].text, CLAUDE_PREFIX);
      }
      assert.equal(seen[0].body.system[1].text, "be brief");
      assert.equal(connection.provider, "claude");
      await removeAll();
    });

    it("refreshes ahead of expiry with the provider's lead time, persisting the rotated refresh token", async () => {
      await connectClaude("ahead", CLAUDE_LEAD_S + 3);
      await oauth.resetCounters();
      await upstream.reset();
      assert.equal((await chat("cc/claude-sonnet-4-6")).status, 200);
      assert.equal((await oauth.state()).refreshCalls.ahead, undefined, "still fresh: no refresh");
      const first = (await oauth.state()).current.ahead;
      await sleep(3300);
      assert.equal((await chat("cc/claude-sonnet-4-6")).status, 200);
      assert.equal((await chat("cc/claude-sonnet-4-6")).status, 200);
      const st = await oauth.state();
      assert.equal(st.refreshCalls.ahead, 1);
      assert.notEqual(st.current.ahead.refresh, first.refresh, "refresh token rotated");
      const auths = (await upstreamFor("/anthropic/")).map((q) => q.headers.authorization);
      assert.deepEqual(auths, [`Bearer ${first.access}`, `Bearer ${st.current.ahead.access}`, `Bearer ${st.current.ahead.access}`]);
      await removeAll();
    });

    it("100 concurrent requests on an expired token cause exactly one refresh", async () => {
      await connectClaude("burst", CLAUDE_LEAD_S + 1);
      await oauth.configure({ refreshDelayMs: 300 });
      await sleep(1500);
      await oauth.resetCounters();
      await upstream.reset();
      const t0 = Date.now();
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => chat("cc/claude-sonnet-4-6", `n${i}`)));
      console.log(`# ${name}: 100 concurrent OAuth requests in ${Date.now() - t0} ms`);
      await oauth.configure({ refreshDelayMs: 0 });
      const failed = results.filter((r) => r.status !== 200);
      assert.equal(failed.length, 0, `${failed.length} failed, e.g. ${failed[0]?.text}`);
      const st = await oauth.state();
      assert.equal(st.refreshCalls.burst, 1, `refresh calls: ${JSON.stringify(st.refreshCalls)}`);
      const auths = new Set((await upstreamFor("/anthropic/")).map((q) => q.headers.authorization));
      assert.deepEqual([...auths], [`Bearer ${st.current.burst.access}`]);
      await removeAll();
    });

    it("a 401 triggers one refresh; a rejected refresh marks the account needs_reauth and the next account answers", async () => {
      const a = (await connectClaude("reauthA", 28800)).connection;
      const b = (await connectClaude("reauthB", 28800)).connection;
      await oauth.resetCounters();
      await upstream.reset();
      let st = await oauth.state();
      // 401 once, refresh succeeds: same account answers with the new token.
      await upstream.script(st.current.reauthA.access, [{ status: 401 }]);
      const ok = await chat("cc/claude-sonnet-4-6");
      assert.equal(ok.status, 200, ok.text);
      st = await oauth.state();
      assert.equal(st.refreshCalls.reauthA, 1);
      assert.deepEqual((await upstreamFor("/anthropic/")).map((q) => q.headers.authorization.slice(7)).slice(-1), [st.current.reauthA.access]);
      // 401 again, refresh refused: A needs re-auth, B answers.
      await upstream.reset();
      await oauth.fail("reauthA");
      await upstream.script(st.current.reauthA.access, [{ status: 401 }]);
      const fallback = await chat("cc/claude-sonnet-4-6");
      assert.equal(fallback.status, 200, fallback.text);
      st = await oauth.state();
      assert.equal(st.refreshCalls.reauthA, 2);
      const auths = (await upstreamFor("/anthropic/")).map((q) => q.headers.authorization.slice(7));
      assert.deepEqual(auths, [st.current.reauthA.access, st.current.reauthB.access]);
      const list = await api("GET", "/api/providers");
      const status = Object.fromEntries(list.json.connections.map((c) => [c.id, c.status]));
      assert.equal(status[a.id], "needs_reauth");
      assert.equal(status[b.id], "active");
      // Later requests skip A without another refresh attempt.
      assert.equal((await chat("cc/claude-sonnet-4-6")).status, 200);
      assert.equal((await oauth.state()).refreshCalls.reauthA, 2);
      // Connection tests: B fine, A needs re-auth, and an API-key connection works too.
      const tb = await api("POST", `/api/providers/${b.id}/test`);
      assert.equal(tb.status, 200, tb.text);
      assert.equal(tb.json.ok, true, tb.text);
      assert.equal(typeof tb.json.latencyMs, "number");
      const ta = await api("POST", `/api/providers/${a.id}/test`);
      assert.equal(ta.json.ok, false);
      assert.match(ta.json.message, /connected again/);
      const keyed = await api("POST", "/api/providers", { provider: "openai", api_key: "sk-test-oauth-suite", base_url: `${upstream.url}/v1` });
      created.push(keyed.json.id);
      const tk = await api("POST", `/api/providers/${keyed.json.id}/test`);
      assert.equal(tk.json.ok, true, tk.text);
      assert.equal(tk.json.status, 200);
      await removeAll();
    });

    it("imports Claude Code's credentials file and a bare refresh token", async () => {
      const seed = await connectClaude("imp", 28800);
      const st0 = await oauth.state();
      await removeAll();
      const file = { claudeAiOauth: { accessToken: st0.current.imp.access, refreshToken: st0.current.imp.refresh, expiresAt: Date.now() + 8 * 3600e3 } };
      const r = await api("POST", "/api/oauth/cc/import", { credentials: JSON.stringify(file), name: "imported" });
      assert.equal(r.status, 200, r.text);
      created.push(r.json.connection.id);
      await upstream.reset();
      assert.equal((await chat("cc/claude-sonnet-4-6")).status, 200);
      assert.equal((await upstreamFor("/anthropic/"))[0].headers.authorization, `Bearer ${st0.current.imp.access}`);
      await removeAll();
      const bare = await api("POST", "/api/oauth/cc/import", { credentials: st0.current.imp.refresh });
      assert.equal(bare.status, 200, bare.text);
      created.push(bare.json.connection.id);
      const st1 = await oauth.state();
      assert.notEqual(st1.current.imp.access, st0.current.imp.access, "the bare refresh token was redeemed");
      const bad = await api("POST", "/api/oauth/cc/import", { credentials: "rt-unknown-token" });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error.code, "oauth_rejected");
      assert.ok(seed);
      await removeAll();
    });

    it("connects GitHub Copilot by device flow and calls Copilot with the exchanged token", async () => {
      const started = await api("POST", "/api/oauth/gh/start");
      assert.equal(started.status, 200, started.text);
      assert.equal(started.json.kind, "device_code");
      assert.equal(started.json.intervalSecs, 1);
      assert.ok(started.json.userCode && started.json.verificationUri);
      const poll = () => api("POST", "/api/oauth/gh/poll", { flowId: started.json.flowId, name: "copilot" });
      assert.equal((await poll()).json.status, "pending");
      assert.equal((await poll()).json.status, "pending", "too early: answered locally");
      await oauth.approve(started.json.userCode, "ghacct");
      await sleep(1100);
      const done = await poll();
      assert.equal(done.json.status, "complete", done.text);
      created.push(done.json.connection.id);
      let st = await oauth.state();
      const deviceRequests = st.requests.filter((q) => q.path.startsWith("/github/"));
      assert.equal(deviceRequests[0].body.client_id, "Iv1.b507a08c87ecfe98");
      assert.equal(deviceRequests.filter((q) => q.path.endsWith("/access_token")).length, 2, "one local pending answer");
      assert.equal(st.copilotCalls.ghacct, 1);
      const exchange = st.requests.find((q) => q.path.endsWith("/copilot_internal/v2/token"));
      assert.equal(exchange.headers.authorization, `token ${st.current.ghacct.access}`);
      assert.match(exchange.headers["editor-version"], /^vscode\//);
      await upstream.reset();
      const r = await chat("gh/gpt-4.1", "hello copilot");
      assert.equal(r.status, 200, r.text);
      const [q] = await upstreamFor("/copilot/");
      assert.equal(q.path, "/copilot/chat/completions");
      assert.equal(q.headers.authorization, `Bearer ${st.current.ghacct.copilot}`);
      assert.equal(q.headers["copilot-integration-id"], "vscode-chat");
      assert.match(q.headers["editor-plugin-version"], /^copilot-chat\//);
      const denied = await api("POST", "/api/oauth/gh/start");
      await oauth.deny(denied.json.userCode);
      assert.equal((await api("POST", "/api/oauth/gh/poll", { flowId: denied.json.flowId })).json.status, "denied");
      assert.equal((await api("POST", "/api/oauth/gh/poll", { flowId: denied.json.flowId })).json.status, "expired");
      st = await oauth.state();
      await removeAll();
    });

    it("connects Qwen by device flow with PKCE and uses the account's resource URL", async () => {
      await oauth.configure({ slowDownFirst: true, resourceUrl: { qwacct: "qw-acct.qwen.test" } });
      const started = await api("POST", "/api/oauth/qw/start");
      assert.equal(started.status, 200, started.text);
      await oauth.approve(started.json.userCode, "qwacct");
      const poll = () => api("POST", "/api/oauth/qw/poll", { flowId: started.json.flowId });
      assert.equal((await poll()).json.status, "slow_down");
      await sleep(1100);
      assert.equal((await poll()).json.status, "pending", "slow_down added 5 s to the interval");
      await sleep(5000);
      const done = await poll();
      await oauth.configure({ slowDownFirst: false });
      assert.equal(done.json.status, "complete", done.text);
      created.push(done.json.connection.id);
      const st = await oauth.state();
      const device = st.requests.find((q) => q.path === "/qwen/api/v1/oauth2/device/code");
      assert.equal(device.body.code_challenge_method, "S256");
      const tokenPoll = st.requests.filter((q) => q.path === "/qwen/api/v1/oauth2/token").at(-1);
      assert.ok(tokenPoll.body.code_verifier, "device poll carries the PKCE verifier");
      await upstream.reset();
      const r = await chat("qw/qwen3-coder-plus", "hello qwen");
      assert.equal(r.status, 200, r.text);
      const [q] = await upstreamFor("/qwen-acct/");
      assert.equal(q.path, "/qwen-acct/v1/chat/completions");
      assert.equal(q.headers.authorization, `Bearer ${st.current.qwacct.access}`);
      assert.equal(q.headers["x-dashscope-authtype"], "qwen-oauth");
      await removeAll();
    });

    it("connects iFlow (Basic client auth, API key from getUserInfo) and signs its requests", async () => {
      const started = await api("POST", "/api/oauth/if/start");
      assert.equal(started.status, 200, started.text);
      const url = new URL(started.json.authorizeUrl);
      assert.equal(url.searchParams.get("redirect"), "http://localhost:11451/oauth2callback");
      assert.equal(url.searchParams.get("code_challenge"), null);
      url.searchParams.set("mock_account", "ifacct");
      const { redirect } = await (await fetch(url, { redirect: "manual" })).json();
      const done = await api("POST", "/api/oauth/if/complete", { flowId: started.json.flowId, redirectUrl: redirect });
      assert.equal(done.status, 200, done.text);
      created.push(done.json.connection.id);
      assert.equal(done.json.connection.name, "ifacct@iflow.test");
      await upstream.reset();
      const r = await chat("if/qwen3-coder-plus", "hello iflow");
      assert.equal(r.status, 200, r.text);
      const st = await oauth.state();
      const [q] = await upstreamFor("/iflow-api/");
      assert.equal(q.path, "/iflow-api/v1/chat/completions");
      assert.equal(q.headers.authorization, `Bearer ${st.current.ifacct.apiKey}`);
      assert.equal(q.headers["user-agent"], "iFlow-Cli");
      const expected = crypto.createHmac("sha256", st.current.ifacct.apiKey)
        .update(`iFlow-Cli:${q.headers["session-id"]}:${q.headers["x-iflow-timestamp"]}`).digest("hex");
      assert.equal(q.headers["x-iflow-signature"], expected);
      await removeAll();
    });

    it("never logs or returns a token, code, state or verifier", async () => {
      let st = await oauth.state();
      // Errors caused by secret-bearing input must not echo it.
      const echo = await api("POST", "/api/oauth/cc/complete", { flowId: "no-such-flow", code: `${st.codes[0]}#${st.states[0]}` });
      assert.equal(echo.status, 400);
      const unknownRefresh = "rt-never-issued-0123456789";
      const badImport = await api("POST", "/api/oauth/qw/import", { credentials: unknownRefresh });
      assert.equal(badImport.status, 400, badImport.text);
      st = await oauth.state();
      const secrets = [unknownRefresh, ...st.issued.access, ...st.issued.refresh, ...st.issued.copilot, ...st.issued.apiKeys, ...st.codes, ...st.verifiers, ...st.deviceCodes, ...st.states]
        .filter((s) => typeof s === "string" && s.length >= 8);
      assert.ok(secrets.length > 20, `collected ${secrets.length} secrets`);
      const logs = router.logs.join("");
      const errors = errorBodies.join("\n");
      assert.ok(errorBodies.length >= 5, `error bodies were collected (${errorBodies.length})`);
      for (const secret of secrets) {
        assert.ok(!logs.includes(secret), "a secret appears in the router's logs");
        assert.ok(!errors.includes(secret), "a secret appears in an error body");
      }
    });
  });
}
