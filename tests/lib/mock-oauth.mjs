// Mock OAuth provider of our own, enough for every flow the router speaks: authorization code + PKCE (S256),
// refresh with rotation, RFC 8628 device authorization (pending → complete, slow_down, denial), and GitHub's
// Copilot token exchange. One server serves every provider: routes match on path suffixes, so the router's
// PROVIDER_URL_OVERRIDES can map each provider's origin to a prefix of this server.
//
// Routes:  GET  …/oauth/authorize?client_id&redirect_uri&code_challenge&code_challenge_method&state[&mock_account]
//               → 302 to redirect_uri?code=…&state=… (also JSON {code, state, redirect}); the code is bound to
//               the challenge, client and redirect URI and is single-use.
//          POST …/device/code (form or JSON: client_id, scope[, code_challenge]) → device_code, user_code, …
//          POST …/token, …/access_token: grant_type authorization_code | refresh_token | device_code.
//               GitHub's path (…/access_token) answers pending errors with 200 like GitHub; others with 400.
//          GET  …/copilot_internal/v2/token with `Authorization: token <github access token>` → {token, expires_at}
//          GET  …/iflow/oauth (iFlow's authorize: no PKCE, `redirect`; its code needs HTTP Basic client auth)
//          GET  …/api/oauth/getUserInfo?accessToken=… → {success, data: {apiKey, email}} (iFlow)
//          GET  …/o/oauth2/v2/auth (Google's authorize: PKCE; its code and refreshes need `client_secret`)
//          GET  …/oauth2/v1/userinfo with a bearer → {email} (Google)
//          POST …/v1internal:loadCodeAssist / …/v1internal:onboardUser with a bearer (Google Code Assist project
//               discovery: an account of `caProjects` has a project; others are onboarded, `done` on the 2nd call)
//          POST …/client/register, …/device_authorization, …/token with camelCase `grantType` (AWS SSO OIDC: the
//               device and refresh grants check the registered client id/secret)
//          POST …/refreshToken {refreshToken} → {accessToken, refreshToken, profileArn, expiresIn} (Kiro social)
//          Every RFC 6749 token answer but Google's carries an unsigned `id_token` whose
//          `https://api.openai.com/auth` claim names `chatgpt_account_id: "chatgpt-<account>"` (Codex).
// Control: POST /__oauth/config {expiresIn, refreshExpiresIn, refreshDelayMs, copilotExpiresIn, interval,
//               slowDownFirst, resourceUrl: {account: host}}
//          POST /__oauth/fail {account, fail}       refreshes (and Copilot exchanges) of that account fail
//          POST /__oauth/approve {userCode, account} / POST /__oauth/deny {userCode}
//          GET  /__oauth/state → {requests, refreshCalls: {account: n}, copilotCalls: {account: n},
//               issued: {access: [...], refresh: [...], copilot: [...]}, current: {account: {access, refresh}},
//               codes: [...], verifiers: [...], deviceCodes: [...], states: [...]}
//          POST /__oauth/reset-counters
//          POST /__oauth/seed {account, style: "oauth" | "aws" | "kiro-social", google?, profileArn?} → a token
//               answer issued as if the account had logged in (to build the CLI files import tests paste)
import http from "node:http";
import crypto from "node:crypto";

const b64url = (buf) => Buffer.from(buf).toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const rand = (n = 12) => b64url(crypto.randomBytes(n));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function startMockOAuth({ host = "127.0.0.1" } = {}) {
  const config = { expiresIn: 28800, refreshExpiresIn: null, refreshDelayMs: 0, copilotExpiresIn: 1800, interval: 1, slowDownFirst: false, resourceUrl: {} };
  const requests = [];
  const codes = new Map(); // code -> {challenge, clientId, redirectUri, account, used}
  const refreshTokens = new Map(); // refresh -> {account, valid}
  const accessTokens = new Map(); // access -> account
  const devices = new Map(); // device_code -> {userCode, status, account, challenge, polls}
  const failing = new Set();
  const refreshCalls = {};
  const copilotCalls = {};
  const issued = { access: [], refresh: [], copilot: [], apiKeys: [], idTokens: [], clientSecrets: [] };
  const clients = new Map(); // AWS OIDC clientId -> clientSecret
  const onboardCalls = {};
  const current = {};
  const secrets = { codes: [], verifiers: [], deviceCodes: [], states: [] };
  let accountSeq = 0;

  const jwt = (payload) => `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64url(JSON.stringify(payload))}.${rand(8)}`;
  // `extra` is kept with the refresh token: {google: true} (refresh needs client_secret), {client: id} (AWS
  // OIDC refresh needs that client), {social: true, profileArn} (Kiro's refreshToken endpoint).
  const grantTokens = (account, extra = {}) => {
    const access = `at-${account}-${rand()}`;
    const refresh = `rt-${account}-${rand()}`;
    accessTokens.set(access, account);
    refreshTokens.set(refresh, { account, valid: true, ...extra });
    issued.access.push(access);
    issued.refresh.push(refresh);
    current[account] = { ...current[account], access, refresh };
    return { access, refresh };
  };
  const issue = (account, expiresIn, extra = {}) => {
    const { access, refresh } = grantTokens(account, extra);
    const idToken = jwt({ email: `${account}@mock.test`, "https://api.openai.com/auth": { chatgpt_account_id: `chatgpt-${account}`, chatgpt_plan_type: "plus" } });
    issued.idTokens.push(idToken);
    const body = { access_token: access, refresh_token: refresh, id_token: idToken, token_type: "Bearer", expires_in: expiresIn, account: { email_address: `${account}@mock.test` } };
    // Google (no `openid` scope asked): no id token and no e-mail; the router asks userinfo.
    if (extra.google) { delete body.id_token; delete body.account; }
    if (config.resourceUrl[account]) body.resource_url = config.resourceUrl[account];
    return body;
  };
  // AWS SSO OIDC and Kiro answer in camelCase.
  const issueCamel = (account, expiresIn, extra = {}) => {
    const { access, refresh } = grantTokens(account, extra);
    const body = { accessToken: access, refreshToken: refresh, tokenType: "Bearer", expiresIn };
    if (extra.profileArn) body.profileArn = extra.profileArn;
    return body;
  };
  const bearerAccount = (req) => accessTokens.get((req.headers.authorization ?? "").replace(/^Bearer\s+/i, ""));

  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url, "http://mock");
    const path = url.pathname;
    const json = (status, body, headers = {}) => { res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body)); };
    const control = raw && (req.headers["content-type"] ?? "").includes("json") ? JSON.parse(raw) : {};

    if (path === "/__oauth/config") { Object.assign(config, control); return json(200, config); }
    if (path === "/__oauth/fail") { control.fail === false ? failing.delete(control.account) : failing.add(control.account); return json(200, {}); }
    if (path === "/__oauth/approve" || path === "/__oauth/deny") {
      const device = [...devices.values()].find((d) => d.userCode === control.userCode);
      if (!device) return json(404, { error: "no such user code" });
      device.status = path.endsWith("approve") ? "approved" : "denied";
      device.account = control.account ?? device.account;
      return json(200, {});
    }
    if (path === "/__oauth/state") {
      return json(200, { requests, refreshCalls, copilotCalls, onboardCalls, issued, current, ...secrets });
    }
    if (path === "/__oauth/seed") {
      const { account, style = "oauth", google = false, profileArn } = control;
      if (style === "kiro-social") return json(200, issueCamel(account, config.expiresIn, { social: true, profileArn }));
      return json(200, issue(account, config.expiresIn, google ? { google: true } : {}));
    }
    if (path === "/__oauth/reset-counters") {
      for (const k of Object.keys(refreshCalls)) delete refreshCalls[k];
      for (const k of Object.keys(copilotCalls)) delete copilotCalls[k];
      for (const k of Object.keys(onboardCalls)) delete onboardCalls[k];
      requests.length = 0;
      return json(200, {});
    }

    let body = {};
    if ((req.headers["content-type"] ?? "").includes("application/json")) { try { body = JSON.parse(raw || "{}"); } catch {} }
    else body = Object.fromEntries(new URLSearchParams(raw));
    requests.push({ method: req.method, path, query: Object.fromEntries(url.searchParams), headers: req.headers, body, contentType: req.headers["content-type"] ?? null });

    const iflowAuthorize = path.endsWith("/iflow/oauth");
    const googleAuthorize = path.endsWith("/o/oauth2/v2/auth");
    if ((path.endsWith("/oauth/authorize") || iflowAuthorize || googleAuthorize) && req.method === "GET") {
      const q = Object.fromEntries(url.searchParams);
      // iFlow: no PKCE, the redirect in `redirect`; everyone else: PKCE S256 required.
      if (!iflowAuthorize && (q.code_challenge_method !== "S256" || !q.code_challenge)) return json(400, { error: "invalid_request", error_description: "PKCE S256 required" });
      const redirectUri = iflowAuthorize ? q.redirect : q.redirect_uri;
      const code = `code-${rand()}`;
      const account = q.mock_account ?? `acct${++accountSeq}`;
      codes.set(code, { challenge: iflowAuthorize ? null : q.code_challenge, clientId: q.client_id, redirectUri, account, used: false, basic: iflowAuthorize, google: googleAuthorize });
      secrets.codes.push(code);
      secrets.states.push(q.state);
      const redirect = `${redirectUri}?code=${encodeURIComponent(code)}&state=${encodeURIComponent(q.state)}`;
      return json(302, { code, state: q.state, redirect }, { location: redirect });
    }
    if (path.endsWith("/copilot_internal/v2/token")) {
      const token = (req.headers.authorization ?? "").replace(/^token\s+/i, "");
      const account = accessTokens.get(token);
      if (!account) return json(401, { message: "Bad credentials" });
      copilotCalls[account] = (copilotCalls[account] ?? 0) + 1;
      if (failing.has(account)) return json(403, { message: "no copilot access" });
      const copilot = `cop-${account}-${rand()}`;
      issued.copilot.push(copilot);
      current[account] = { ...current[account], copilot };
      return json(200, { token: copilot, expires_at: Math.floor(Date.now() / 1000) + config.copilotExpiresIn, refresh_in: 1500 });
    }
    if (path.endsWith("/api/oauth/getUserInfo")) {
      const account = accessTokens.get(url.searchParams.get("accessToken") ?? "");
      if (!account) return json(200, { success: false, message: "invalid token" });
      const apiKey = `ak-${account}-${rand()}`;
      issued.apiKeys.push(apiKey);
      current[account] = { ...current[account], apiKey };
      return json(200, { success: true, data: { apiKey, email: `${account}@iflow.test`, nickname: account } });
    }
    if (path.endsWith("/oauth2/v1/userinfo")) {
      const account = bearerAccount(req);
      return account ? json(200, { email: `${account}@gmail.test`, verified_email: true }) : json(401, { error: { code: 401, status: "UNAUTHENTICATED" } });
    }
    if (path.endsWith("/v1internal:loadCodeAssist") || path.endsWith("/v1internal:onboardUser")) {
      const account = bearerAccount(req);
      if (!account) return json(401, { error: { code: 401, message: "invalid credentials", status: "UNAUTHENTICATED" } });
      const known = (config.caProjects ?? {})[account];
      if (path.endsWith(":loadCodeAssist")) {
        if (known) return json(200, { currentTier: { id: "standard-tier" }, cloudaicompanionProject: known });
        return json(200, { allowedTiers: [{ id: "legacy-tier" }, { id: "free-tier", isDefault: true }] });
      }
      onboardCalls[account] = (onboardCalls[account] ?? 0) + 1;
      if (onboardCalls[account] < 2) return json(200, { name: `operations/onboard-${account}`, done: false });
      return json(200, { name: `operations/onboard-${account}`, done: true, response: { cloudaicompanionProject: { id: `proj-${account}`, name: "Gemini project" } } });
    }
    if (path.endsWith("/client/register")) {
      const clientId = `cid-${rand()}`;
      const clientSecret = `csec-${rand(16)}`;
      clients.set(clientId, clientSecret);
      issued.clientSecrets.push(clientSecret);
      return json(200, { clientId, clientSecret, clientIdIssuedAt: Math.floor(Date.now() / 1000), clientSecretExpiresAt: Math.floor(Date.now() / 1000) + 90 * 86400 });
    }
    const awsClientOk = () => body.clientId && clients.get(body.clientId) === body.clientSecret;
    if (path.endsWith("/device_authorization")) {
      if (!awsClientOk()) return json(400, { error: "invalid_client" });
      const deviceCode = `dev-${rand()}`;
      const userCode = rand(4).toUpperCase().slice(0, 8);
      devices.set(deviceCode, { userCode, status: "pending", account: `dacct${++accountSeq}`, challenge: null, clientId: body.clientId, polls: 0 });
      secrets.deviceCodes.push(deviceCode);
      return json(200, { deviceCode, userCode, verificationUri: "https://mock.test/aws-device", verificationUriComplete: `https://mock.test/aws-device?user_code=${userCode}`, expiresIn: 600, interval: config.interval });
    }
    if (path.endsWith("/token") && body.grantType) {
      if (!awsClientOk()) return json(400, { error: "invalid_client" });
      if (body.grantType === "urn:ietf:params:oauth:grant-type:device_code") {
        const d = devices.get(body.deviceCode);
        if (!d || d.clientId !== body.clientId) return json(400, { error: "invalid_grant" });
        d.polls += 1;
        if (config.slowDownFirst && d.polls === 1) return json(400, { error: "slow_down" });
        if (d.status === "pending") return json(400, { error: "authorization_pending", error_description: "pending" });
        if (d.status === "denied") return json(400, { error: "access_denied" });
        if (d.status === "used") return json(400, { error: "invalid_grant" });
        d.status = "used";
        return json(200, issueCamel(d.account, config.expiresIn, { client: body.clientId }));
      }
      if (body.grantType === "refresh_token") {
        const t = refreshTokens.get(body.refreshToken);
        const account = t?.account ?? "unknown";
        refreshCalls[account] = (refreshCalls[account] ?? 0) + 1;
        if (!t || !t.valid || t.client !== body.clientId) return json(400, { error: "invalid_grant" });
        if (failing.has(account)) return json(400, { error: "invalid_grant", error_description: "refresh refused by test" });
        t.valid = false;
        return json(200, issueCamel(account, config.refreshExpiresIn ?? config.expiresIn, { client: body.clientId }));
      }
      return json(400, { error: "unsupported_grant_type" });
    }
    if (path.endsWith("/refreshToken")) {
      const t = refreshTokens.get(body.refreshToken);
      const account = t?.account ?? "unknown";
      refreshCalls[account] = (refreshCalls[account] ?? 0) + 1;
      if (!t || !t.valid || !t.social) return json(401, { message: "Invalid refresh token" });
      if (failing.has(account)) return json(401, { message: "refresh refused by test" });
      t.valid = false;
      return json(200, issueCamel(account, config.refreshExpiresIn ?? config.expiresIn, { social: true, profileArn: t.profileArn }));
    }
    if (path.endsWith("/device/code")) {
      const deviceCode = `dev-${rand()}`;
      const userCode = rand(4).toUpperCase().slice(0, 8);
      devices.set(deviceCode, { userCode, status: "pending", account: `dacct${++accountSeq}`, challenge: body.code_challenge ?? null, clientId: body.client_id, polls: 0 });
      secrets.deviceCodes.push(deviceCode);
      return json(200, { device_code: deviceCode, user_code: userCode, verification_uri: "https://mock.test/device", verification_uri_complete: `https://mock.test/device?code=${userCode}`, expires_in: 600, interval: config.interval });
    }
    if (path.endsWith("/token") || path.endsWith("/access_token")) {
      const github = path.endsWith("/access_token");
      const pending = (error) => json(github ? 200 : 400, { error });
      if (body.code_verifier) secrets.verifiers.push(body.code_verifier);
      if (body.grant_type === "authorization_code") {
        const c = codes.get(body.code);
        if (!c || c.used) return json(400, { error: "invalid_grant" });
        c.used = true;
        const challenge = b64url(crypto.createHash("sha256").update(body.code_verifier ?? "").digest());
        if ((c.challenge && challenge !== c.challenge) || body.client_id !== c.clientId || body.redirect_uri !== c.redirectUri) return json(400, { error: "invalid_grant", error_description: "PKCE/client/redirect mismatch" });
        if (c.google && !body.client_secret) return json(401, { error: "invalid_client", error_description: "client_secret missing" });
        if (c.basic) {
          const expected = `Basic ${Buffer.from(`${body.client_id}:${body.client_secret}`).toString("base64")}`;
          if (!body.client_secret || req.headers.authorization !== expected) return json(401, { error: "invalid_client" });
        }
        return json(200, issue(c.account, config.expiresIn, c.google ? { google: true } : {}));
      }
      if (body.grant_type === "refresh_token") {
        const t = refreshTokens.get(body.refresh_token);
        const account = t?.account ?? "unknown";
        refreshCalls[account] = (refreshCalls[account] ?? 0) + 1;
        if (config.refreshDelayMs) await sleep(config.refreshDelayMs);
        if (!t || !t.valid) return json(400, { error: "invalid_grant", error_description: "refresh token reused or unknown" });
        if (failing.has(account)) return json(400, { error: "invalid_grant", error_description: "refresh refused by test" });
        if (t.google && !body.client_secret) return json(401, { error: "invalid_client", error_description: "client_secret missing" });
        if (t.social || t.client) return json(400, { error: "invalid_grant", error_description: "not an RFC 6749 refresh token" });
        t.valid = false; // rotation: the old refresh token is void
        const answer = issue(account, config.refreshExpiresIn ?? config.expiresIn, t.google ? { google: true } : {});
        // Google does not rotate: it answers without a refresh token and the old one stays valid.
        if (t.google) { t.valid = true; refreshTokens.get(answer.refresh_token).valid = false; delete answer.refresh_token; current[account].refresh = body.refresh_token; }
        return json(200, answer);
      }
      if (body.grant_type === "urn:ietf:params:oauth:grant-type:device_code") {
        const d = devices.get(body.device_code);
        if (!d) return json(400, { error: "invalid_grant" });
        if (d.challenge) {
          const challenge = b64url(crypto.createHash("sha256").update(body.code_verifier ?? "").digest());
          if (challenge !== d.challenge) return json(400, { error: "invalid_grant", error_description: "PKCE mismatch" });
        }
        d.polls += 1;
        if (config.slowDownFirst && d.polls === 1) return pending("slow_down");
        if (d.status === "pending") return pending("authorization_pending");
        if (d.status === "denied") return pending("access_denied");
        if (d.status === "used") return json(400, { error: "invalid_grant" });
        d.status = "used";
        return json(200, issue(d.account, config.expiresIn));
      }
      return json(400, { error: "unsupported_grant_type" });
    }
    json(404, { error: "not_found", path });
  });
  const sockets = new Set();
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(0, host, resolve));
  const base = `http://${host}:${server.address().port}`;
  const post = (p, b) => fetch(`${base}${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(b ?? {}) }).then((r) => r.json());
  return {
    url: base,
    configure: (c) => post("/__oauth/config", c),
    fail: (account, fail = true) => post("/__oauth/fail", { account, fail }),
    approve: (userCode, account) => post("/__oauth/approve", { userCode, account }),
    deny: (userCode) => post("/__oauth/deny", { userCode }),
    state: () => fetch(`${base}/__oauth/state`).then((r) => r.json()),
    resetCounters: () => post("/__oauth/reset-counters"),
    seed: (account, opts = {}) => post("/__oauth/seed", { account, ...opts }),
    close() { for (const s of sockets) s.destroy(); return new Promise((r) => server.close(r)); },
  };
}
