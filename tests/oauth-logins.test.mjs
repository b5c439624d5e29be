// The remaining OAuth logins on both targets, against our mock OAuth provider (tests/lib/mock-oauth.mjs) and mock
// upstream: Codex (auth code + PKCE paste-back, id-token account id, import of ~/.codex/auth.json), Gemini CLI
// and Antigravity (Google auth code + PKCE with the clients' secrets, Code Assist project discovery/onboarding,
// import of ~/.gemini/oauth_creds.json), Kiro (AWS Builder ID device flow; import of the Kiro IDE token file
// with social refresh), and reconnecting an account that needs re-authentication. Each provider goes connect →
// request (headers / project / account id asserted on the mock) → expiry → refresh → request. Bad, reused and
// foreign flows answer 4xx, and no token, code, state, verifier or client secret reaches logs or error bodies.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startMock } from "./lib/mock-upstream.mjs";
import { startMockOAuth } from "./lib/mock-oauth.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient } from "./lib/client.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Each provider's refresh lead (seconds): a token issued with lead + MARGIN_S is refreshed MARGIN_S later (the
// margin covers Code Assist onboarding, which waits 2 s between its calls, and a slow Worker).
const LEAD_S = { cx: 5 * 86400, gc: 300, ag: 300, kr: 300 };
const MARGIN_S = 5;

for (const [name, start] of selectedTargets()) {
  describe(`oauth logins (${name})`, () => {
    let upstream, oauth, router, client, key;
    const errorBodies = [];
    const created = [];

    const api = async (method, path, body) => {
      const r = await client.api(method, path, body);
      if (r.status >= 400) errorBodies.push(r.text);
      return r;
    };
    const chat = async (model, content = "hi") => {
      const r = await fetch(`${router.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ model, messages: [{ role: "user", content }] }),
      });
      const text = await r.text();
      if (r.status >= 400) errorBodies.push(text);
      let json = null;
      try { json = JSON.parse(text); } catch {}
      return { status: r.status, json, text };
    };
    const upstreamFor = async (prefix) => (await upstream.requests()).filter((q) => q.path.startsWith(prefix));
    const removeAll = async () => { while (created.length) await api("DELETE", `/api/providers/${created.pop()}`); };
    const connections = async () => Object.fromEntries((await api("GET", "/api/providers")).json.connections.map((c) => [c.id, c]));

    /** Starts an auth-code flow, "logs in" at the mock as `account`, pastes back `paste` (redirect URL or code). */
    async function authCode(alias, account, { paste = "redirectUrl", connectionId } = {}) {
      const started = await api("POST", `/api/oauth/${alias}/start`, connectionId ? { connectionId } : undefined);
      assert.equal(started.status, 200, started.text);
      assert.equal(started.json.kind, "auth_code");
      const url = new URL(started.json.authorizeUrl);
      url.searchParams.set("mock_account", account);
      const auth = await fetch(url, { redirect: "manual" });
      assert.equal(auth.status, 302, await auth.clone().text());
      const { code, state, redirect } = await auth.json();
      const pasted = paste === "redirectUrl" ? { redirectUrl: redirect } : { code };
      const done = await api("POST", `/api/oauth/${alias}/complete`, { flowId: started.json.flowId, ...pasted });
      return { done, url, flowId: started.json.flowId, code, state, redirect };
    }

    /** Asserts one refresh of `account` happens once its token is inside the lead window, then returns the state. */
    async function expireAndRefresh(model, account, prefix, issuedAt) {
      await oauth.resetCounters();
      await sleep(Math.max(0, issuedAt + MARGIN_S * 1000 + 300 - Date.now()));
      await upstream.reset();
      const r = await chat(model, "after expiry");
      assert.equal(r.status, 200, r.text);
      const st = await oauth.state();
      assert.equal(st.refreshCalls[account], 1, JSON.stringify(st.refreshCalls));
      const [q] = await upstreamFor(prefix);
      assert.equal(q.headers.authorization, `Bearer ${st.current[account].access}`, "the refreshed token is used");
      return { st, q };
    }

    before(async () => {
      upstream = await startMock();
      oauth = await startMockOAuth();
      const ca = (host, label) => ({
        [`https://${host}/v1internal:loadCodeAssist`]: `${oauth.url}/${label}/v1internal:loadCodeAssist`,
        [`https://${host}/v1internal:onboardUser`]: `${oauth.url}/${label}/v1internal:onboardUser`,
      });
      const overrides = {
        "https://auth.openai.com": `${oauth.url}/openai-auth`,
        "https://chatgpt.com": `${upstream.url}/chatgpt`,
        "https://accounts.google.com": `${oauth.url}/google-accounts`,
        "https://oauth2.googleapis.com": `${oauth.url}/google-oauth2`,
        "https://www.googleapis.com": `${oauth.url}/googleapis`,
        "https://cloudcode-pa.googleapis.com": `${upstream.url}/gc-up`,
        "https://daily-cloudcode-pa.googleapis.com": `${upstream.url}/ag-up`,
        ...ca("cloudcode-pa.googleapis.com", "gc-ca"),
        ...ca("daily-cloudcode-pa.googleapis.com", "ag-ca"),
        "https://oidc.us-east-1.amazonaws.com": `${oauth.url}/aws-oidc`,
        "https://prod.us-east-1.auth.desktop.kiro.dev": `${oauth.url}/kiro-auth`,
        "https://codewhisperer.us-east-1.amazonaws.com": `${upstream.url}/kiro-up`,
      };
      router = await start({ PROVIDER_URL_OVERRIDES: JSON.stringify(overrides) });
      client = new RouterClient(router.url);
      await client.login();
      key = await client.createKey("oauth-logins");
    });
    after(async () => { await router?.stop(); await upstream?.close(); await oauth?.close(); });

    it("lists the new logins with their notices", async () => {
      const r = await api("GET", "/api/providers/catalog");
      assert.equal(r.status, 200, r.text);
      const byId = Object.fromEntries(r.json.map((p) => [p.id, p]));
      assert.deepEqual([byId.codex.auth, byId.codex.flows], ["oauth", ["auth_code", "import"]]);
      assert.deepEqual([byId["gemini-cli"].auth, byId["gemini-cli"].flows], ["oauth", ["auth_code", "import"]]);
      assert.deepEqual([byId.antigravity.auth, byId.antigravity.flows], ["oauth", ["auth_code", "import"]]);
      assert.deepEqual([byId.kiro.auth, byId.kiro.flows], ["oauth", ["device_code", "import"]]);
      for (const id of ["codex", "gemini-cli", "antigravity", "kiro"]) assert.match(byId[id].notice, /identity|banned/, id);
    });

    it("Codex: paste-back with PKCE, account id from the id token, refresh, import of auth.json", async () => {
      await oauth.configure({ expiresIn: LEAD_S.cx + MARGIN_S });
      const issuedAt = Date.now();
      const { done, url, redirect } = await authCode("cx", "cxacct");
      assert.equal(done.status, 200, done.text);
      created.push(done.json.connection.id);
      assert.equal(done.json.connection.metadata.chatgpt_account_id, "chatgpt-cxacct");
      assert.equal(done.json.connection.name, "cxacct@mock.test");
      assert.equal(url.searchParams.get("client_id"), "app_EMoamEEZ73f0CkXaXp7hrann");
      assert.equal(url.searchParams.get("redirect_uri"), "http://localhost:1455/auth/callback");
      assert.equal(url.searchParams.get("code_challenge_method"), "S256");
      assert.equal(url.searchParams.get("codex_cli_simplified_flow"), "true");
      assert.match(redirect, /^http:\/\/localhost:1455\/auth\/callback\?code=/);
      const exchange = (await oauth.state()).requests.filter((q) => q.path === "/openai-auth/oauth/token").at(-1);
      assert.match(exchange.contentType, /x-www-form-urlencoded/);
      assert.ok(exchange.body.code_verifier && !exchange.body.state);
      await upstream.reset();
      const r = await chat("cx/gpt-5-codex", "hello codex");
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.choices[0].message.content, "echo: hello codex");
      let st = await oauth.state();
      const [q] = await upstreamFor("/chatgpt/");
      assert.equal(q.path, "/chatgpt/backend-api/codex/responses");
      assert.equal(q.headers.authorization, `Bearer ${st.current.cxacct.access}`);
      assert.equal(q.headers["chatgpt-account-id"], "chatgpt-cxacct");
      assert.equal(q.body.store, false);
      const before = st.current.cxacct;
      ({ st } = await expireAndRefresh("cx/gpt-5-codex", "cxacct", "/chatgpt/", issuedAt));
      assert.notEqual(st.current.cxacct.refresh, before.refresh, "the rotated refresh token is kept");
      assert.equal((await chat("cx/gpt-5-codex")).status, 200);
      assert.equal((await oauth.state()).refreshCalls.cxacct, 1, "fresh again: no second refresh");
      await removeAll();
      // Import of Codex CLI's ~/.codex/auth.json (openai/codex docs/authentication.md).
      const seeded = await oauth.seed("cximp");
      const file = { OPENAI_API_KEY: null, tokens: { id_token: seeded.id_token, access_token: seeded.access_token, refresh_token: seeded.refresh_token, account_id: "chatgpt-cximp" }, last_refresh: new Date().toISOString() };
      const imported = await api("POST", "/api/oauth/cx/import", { credentials: JSON.stringify(file) });
      assert.equal(imported.status, 200, imported.text);
      created.push(imported.json.connection.id);
      assert.equal(imported.json.connection.metadata.chatgpt_account_id, "chatgpt-cximp");
      await upstream.reset();
      assert.equal((await chat("cx/gpt-5-codex")).status, 200);
      const [qi] = await upstreamFor("/chatgpt/");
      assert.equal(qi.headers.authorization, `Bearer ${seeded.access_token}`);
      assert.equal(qi.headers["chatgpt-account-id"], "chatgpt-cximp");
      await removeAll();
    });

    it("Gemini CLI: Google code paste-back, onboarding finds the project, refresh with the client secret, import", async () => {
      await oauth.configure({ expiresIn: LEAD_S.gc + MARGIN_S, caProjects: {} });
      const issuedAt = Date.now();
      const { done, url } = await authCode("gc", "gcacct", { paste: "code" });
      assert.equal(done.status, 200, done.text);
      created.push(done.json.connection.id);
      assert.equal(done.json.connection.metadata.project_id, "proj-gcacct");
      assert.equal(done.json.connection.name, "gcacct@gmail.test");
      assert.equal(url.searchParams.get("client_id"), "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com");
      assert.equal(url.searchParams.get("redirect_uri"), "https://codeassist.google.com/authcode");
      assert.equal(url.searchParams.get("access_type"), "offline");
      assert.equal(url.searchParams.get("code_challenge_method"), "S256");
      assert.ok(url.searchParams.get("scope").split(" ").includes("https://www.googleapis.com/auth/cloud-platform"));
      let st = await oauth.state();
      assert.equal(st.onboardCalls.gcacct, 2, "onboardUser repeated until done");
      const load = st.requests.find((q) => q.path === "/gc-ca/v1internal:loadCodeAssist");
      assert.equal(load.body.metadata.pluginType, "GEMINI");
      assert.equal(st.requests.filter((q) => q.path === "/gc-ca/v1internal:onboardUser").at(-1).body.tierId, "free-tier");
      const exchange = st.requests.filter((q) => q.path === "/google-oauth2/token").at(-1);
      assert.equal(exchange.body.client_secret, "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");
      await upstream.reset();
      const r = await chat("gc/gemini-2.5-pro", "hello gemini");
      assert.equal(r.status, 200, r.text);
      const [q] = await upstreamFor("/gc-up/");
      assert.match(q.path, /^\/gc-up\/v1internal:(generateContent|streamGenerateContent)$/);
      assert.equal(q.headers.authorization, `Bearer ${st.current.gcacct.access}`);
      assert.equal(q.body.project, "proj-gcacct");
      const refreshToken = st.current.gcacct.refresh;
      ({ st } = await expireAndRefresh("gc/gemini-2.5-pro", "gcacct", "/gc-up/", issuedAt));
      const refresh = st.requests.filter((q) => q.body.grant_type === "refresh_token").at(-1);
      assert.equal(refresh.body.client_secret, "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");
      assert.equal(refresh.body.refresh_token, refreshToken);
      assert.equal((await chat("gc/gemini-2.5-pro")).status, 200);
      await removeAll();
      // Import of gemini-cli's ~/.gemini/oauth_creds.json (expiry_date in ms); the project is discovered too.
      const seeded = await oauth.seed("gcimp", { google: true });
      const file = { access_token: seeded.access_token, refresh_token: seeded.refresh_token, scope: "https://www.googleapis.com/auth/cloud-platform", token_type: "Bearer", expiry_date: Date.now() + 3600e3 };
      const imported = await api("POST", "/api/oauth/gc/import", { credentials: file });
      assert.equal(imported.status, 200, imported.text);
      created.push(imported.json.connection.id);
      assert.equal(imported.json.connection.metadata.project_id, "proj-gcimp");
      assert.equal(imported.json.connection.name, "gcimp@gmail.test", "the e-mail comes from Google's userinfo");
      await upstream.reset();
      assert.equal((await chat("gc/gemini-2.5-flash")).status, 200);
      const [qi] = await upstreamFor("/gc-up/");
      assert.equal(qi.body.project, "proj-gcimp");
      assert.equal(qi.headers.authorization, `Bearer ${seeded.access_token}`);
      await removeAll();
    });

    it("Antigravity: its own client and scopes, an existing project is reused, refresh", async () => {
      await oauth.configure({ expiresIn: LEAD_S.ag + MARGIN_S, caProjects: { agacct: "proj-existing-ag" } });
      const issuedAt = Date.now();
      const { done, url } = await authCode("ag", "agacct");
      assert.equal(done.status, 200, done.text);
      created.push(done.json.connection.id);
      assert.equal(done.json.connection.metadata.project_id, "proj-existing-ag");
      assert.equal(url.searchParams.get("client_id"), "1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com");
      assert.equal(url.searchParams.get("redirect_uri"), "http://localhost:51121/oauth-callback");
      assert.ok(url.searchParams.get("scope").includes("https://www.googleapis.com/auth/cclog"));
      let st = await oauth.state();
      assert.equal(st.onboardCalls.agacct, undefined, "no onboarding for an account with a project");
      assert.equal(st.requests.find((q) => q.path === "/ag-ca/v1internal:loadCodeAssist").body.metadata.ideType, "ANTIGRAVITY");
      await upstream.reset();
      const r = await chat("ag/gemini-3-pro-high", "hello antigravity");
      assert.equal(r.status, 200, r.text);
      const [q] = await upstreamFor("/ag-up/");
      assert.equal(q.headers.authorization, `Bearer ${st.current.agacct.access}`);
      assert.equal(q.body.project, "proj-existing-ag");
      assert.equal(q.body.userAgent, "antigravity");
      ({ st } = await expireAndRefresh("ag/gemini-3-pro-high", "agacct", "/ag-up/", issuedAt));
      assert.equal(st.requests.filter((x) => x.body.grant_type === "refresh_token").at(-1).body.client_secret, "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");
      await removeAll();
    });

    it("Kiro: Builder ID device flow (registered client), refresh through AWS OIDC", async () => {
      await oauth.configure({ expiresIn: LEAD_S.kr + MARGIN_S });
      const started = await api("POST", "/api/oauth/kr/start");
      assert.equal(started.status, 200, started.text);
      assert.equal(started.json.kind, "device_code");
      assert.match(started.json.verificationUriComplete, /user_code=/);
      const poll = () => api("POST", "/api/oauth/kr/poll", { flowId: started.json.flowId });
      assert.equal((await poll()).json.status, "pending");
      await oauth.approve(started.json.userCode, "kracct");
      await sleep(1100);
      const issuedAt = Date.now();
      const done = await poll();
      assert.equal(done.json.status, "complete", done.text);
      created.push(done.json.connection.id);
      assert.deepEqual(done.json.connection.metadata, { region: "us-east-1", auth_method: "builder-id" });
      let st = await oauth.state();
      const register = st.requests.find((q) => q.path === "/aws-oidc/client/register");
      assert.equal(register.body.clientType, "public");
      assert.ok(register.body.scopes.includes("codewhisperer:conversations"));
      const authz = st.requests.find((q) => q.path === "/aws-oidc/device_authorization");
      assert.equal(authz.body.startUrl, "https://view.awsapps.com/start");
      await upstream.reset();
      const r = await chat("kr/claude-sonnet-4.5", "hello kiro");
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.choices[0].message.content, "echo: hello kiro");
      const [q] = await upstreamFor("/kiro-up/");
      assert.equal(q.path, "/kiro-up/generateAssistantResponse");
      assert.equal(q.headers.authorization, `Bearer ${st.current.kracct.access}`);
      assert.equal(q.body.profileArn, undefined, "Builder ID accounts have no profile ARN");
      ({ st } = await expireAndRefresh("kr/claude-sonnet-4.5", "kracct", "/kiro-up/", issuedAt));
      const refresh = st.requests.filter((x) => x.path === "/aws-oidc/token").at(-1);
      assert.equal(refresh.body.grantType, "refresh_token");
      assert.equal(refresh.body.clientId, authz.body.clientId, "the client registered at login refreshes");
      assert.ok(refresh.body.clientSecret, "refresh authenticates the registered client");
      await removeAll();
    });

    it("Kiro: import of the IDE's kiro-auth-token.json, profile ARN in the body, social refresh", async () => {
      await oauth.configure({ expiresIn: LEAD_S.kr + MARGIN_S });
      const arn = "arn:aws:codewhisperer:us-east-1:123456789012:profile/MOCKPROFILE";
      const issuedAt = Date.now();
      const seeded = await oauth.seed("krsocial", { style: "kiro-social", profileArn: arn });
      const file = { accessToken: seeded.accessToken, refreshToken: seeded.refreshToken, profileArn: arn, expiresAt: new Date(Date.now() + seeded.expiresIn * 1000).toISOString(), authMethod: "social", provider: "Google" };
      const imported = await api("POST", "/api/oauth/kr/import", { credentials: JSON.stringify(file) });
      assert.equal(imported.status, 200, imported.text);
      created.push(imported.json.connection.id);
      assert.deepEqual(imported.json.connection.metadata, { region: "us-east-1", auth_method: "social", profile_arn: arn });
      await upstream.reset();
      assert.equal((await chat("kr/claude-sonnet-4.5")).status, 200);
      const [q] = await upstreamFor("/kiro-up/");
      assert.equal(q.headers.authorization, `Bearer ${seeded.accessToken}`);
      assert.equal(q.body.profileArn, arn);
      const { st, q: after } = await expireAndRefresh("kr/claude-sonnet-4.5", "krsocial", "/kiro-up/", issuedAt);
      const refresh = st.requests.filter((x) => x.path === "/kiro-auth/refreshToken").at(-1);
      assert.equal(refresh.headers["user-agent"], "kiro-cli/1.0.0");
      assert.equal(after.body.profileArn, arn);
      await removeAll();
    });

    it("reconnects an account that needs re-authentication, keeping its id, priority and metadata", async () => {
      await oauth.configure({ expiresIn: 30 * 86400, caProjects: {} });
      const first = (await authCode("cx", "rcacct")).done;
      assert.equal(first.status, 200, first.text);
      const id = first.json.connection.id;
      created.push(id);
      const patched = await api("PATCH", `/api/providers/${id}`, { priority: 7, metadata: { ...first.json.connection.metadata, note: "keep me" } });
      assert.equal(patched.status, 200, patched.text);
      // A 401 and a refused refresh: the account needs re-authentication.
      let st = await oauth.state();
      await oauth.fail("rcacct");
      await upstream.script(st.current.rcacct.access, [{ status: 401 }]);
      assert.notEqual((await chat("cx/gpt-5-codex")).status, 200);
      assert.equal((await connections())[id].status, "needs_reauth");
      // Reconnect targets: unknown ids and other providers' connections are refused before any login.
      assert.equal((await api("POST", "/api/oauth/cx/start", { connectionId: "no-such-connection" })).status, 404);
      assert.equal((await api("POST", "/api/oauth/gc/start", { connectionId: id })).status, 400);
      // The new login replaces the tokens of the same connection (here as another ChatGPT workspace).
      const again = await authCode("cx", "rcacct2", { connectionId: id });
      assert.equal(again.done.status, 200, again.done.text);
      assert.equal(again.done.json.connection.id, id);
      const now = (await connections())[id];
      assert.equal(now.status, "active");
      assert.equal(now.priority, 7);
      assert.equal(now.metadata.note, "keep me");
      assert.equal(now.metadata.chatgpt_account_id, "chatgpt-rcacct2");
      assert.equal(Object.values(await connections()).filter((c) => c.provider === "codex").length, 1, "no second connection");
      await upstream.reset();
      const r = await chat("cx/gpt-5-codex", "back again");
      assert.equal(r.status, 200, r.text);
      st = await oauth.state();
      const [q] = await upstreamFor("/chatgpt/");
      assert.equal(q.headers.authorization, `Bearer ${st.current.rcacct2.access}`);
      assert.equal(q.headers["chatgpt-account-id"], "chatgpt-rcacct2");
      await oauth.fail("rcacct", false);
      await removeAll();
    });

    it("refuses reused, foreign and mismatched flows with 4xx", async () => {
      await oauth.configure({ expiresIn: 30 * 86400, caProjects: { badacct: "proj-bad" } });
      const { done, flowId, code, state } = await authCode("ag", "badacct");
      assert.equal(done.status, 200, done.text);
      created.push(done.json.connection.id);
      const reused = await api("POST", "/api/oauth/ag/complete", { flowId, code: `${code}#${state}` });
      assert.equal(reused.status, 400);
      assert.equal(reused.json.error.code, "flow_not_found");
      // A flow started for Codex cannot be completed as Gemini CLI (and is used up by the attempt).
      const cx = await api("POST", "/api/oauth/cx/start");
      const foreign = await api("POST", "/api/oauth/gc/complete", { flowId: cx.json.flowId, code: "whatever" });
      assert.equal(foreign.status, 400);
      assert.equal(foreign.json.error.code, "flow_not_found");
      // A redirect URL whose state belongs to another login.
      const gc = await api("POST", "/api/oauth/gc/start");
      const mismatch = await api("POST", "/api/oauth/gc/complete", { flowId: gc.json.flowId, redirectUrl: "https://codeassist.google.com/authcode?code=abc&state=forged" });
      assert.equal(mismatch.status, 400);
      assert.equal(mismatch.json.error.code, "state_mismatch");
      // A code the provider does not know.
      const kept = await api("POST", "/api/oauth/cx/start");
      const badCode = await api("POST", "/api/oauth/cx/complete", { flowId: kept.json.flowId, code: "code-never-issued" });
      assert.equal(badCode.status, 400);
      assert.equal(badCode.json.error.code, "oauth_rejected");
      // Imports that are not credentials, or that the provider refuses.
      assert.equal((await api("POST", "/api/oauth/kr/import", { credentials: { nothing: true } })).status, 400);
      const refused = await api("POST", "/api/oauth/kr/import", { credentials: "aorAAAAAG-never-issued-refresh" });
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.json.error.code, "oauth_rejected");
      await removeAll();
    });

    it("never logs or returns a token, code, state, verifier or client secret", async () => {
      const st = await oauth.state();
      const { issued } = st;
      const secrets = [...issued.access, ...issued.refresh, ...issued.idTokens, ...issued.clientSecrets, ...st.codes, ...st.verifiers, ...st.deviceCodes, ...st.states, "aorAAAAAG-never-issued-refresh"]
        .filter((s) => typeof s === "string" && s.length >= 8);
      assert.ok(secrets.length > 30, `collected ${secrets.length} secrets`);
      assert.ok(errorBodies.length >= 8, `error bodies were collected (${errorBodies.length})`);
      const logs = router.logs.join("");
      const errors = errorBodies.join("\n");
      for (const secret of secrets) {
        assert.ok(!logs.includes(secret), "a secret appears in the router's logs");
        assert.ok(!errors.includes(secret), "a secret appears in an error body");
      }
    });
  });
}
