// Custom providers on both targets: user-defined OpenAI-, Responses- and Anthropic-compatible endpoints with
// their own model prefix, pointing at our mock upstream. Covers the management API (validation, conflicts,
// 409 on delete while used), every inbound format (Chat, Messages, Responses, Gemini) routed to each, streaming,
// fallback between two accounts of a custom provider, usage rows, model lists, the catalog, connection tests and
// the error for an unknown prefix; then, in a real browser, adding one from the dashboard, an API key for it and
// a request through it (screenshots in tests/artifacts/screenshots/<target>/custom-provider-*.png).
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient, readSse } from "./lib/client.mjs";
import { dashboardSite, ensureDashboardBuilt } from "./lib/dashboard-site.mjs";
import { openDashboard } from "./lib/browser.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const [name, start] of selectedTargets()) {
  describe(`custom providers (${name})`, () => {
    let mock, router, admin, key;
    const providers = {};
    const conns = {};

    const post = (path, body, headers = {}) =>
      fetch(`${router.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...headers },
        body: JSON.stringify(body),
      });
    const chat = (model, content = "hi", extra = {}) => post("/v1/chat/completions", { model, messages: [{ role: "user", content }], ...extra });
    const messages = (model, content = "hi", extra = {}) =>
      post("/v1/messages", { model, max_tokens: 64, messages: [{ role: "user", content }], ...extra }, { "anthropic-version": "2023-06-01" });
    const responses = (model, input = "hi", extra = {}) => post("/v1/responses", { model, input, ...extra });
    const gemini = (model, text = "hi") =>
      post(`/v1beta/models/${model}:generateContent`, { contents: [{ role: "user", parts: [{ text }] }] });
    const models = async (headers = {}) =>
      (await fetch(`${router.url}/v1/models`, { headers: { authorization: `Bearer ${key}`, ...headers } })).json();

    before(async () => {
      mock = await startMock();
      router = await start();
      admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("custom");
      const create = async (body) => {
        const r = await admin.api("POST", "/api/custom-providers", body);
        assert.equal(r.status, 201, r.text);
        return r.json;
      };
      providers.oai = await create({
        name: "My OpenAI-compatible", prefix: "myoai", format: "openai", base_url: `${mock.url}/oai/v1/`,
        headers: { "X-Team": "team-1" }, models: ["m-a", "m-b"],
      });
      providers.ant = await create({
        name: "My Anthropic-compatible", prefix: "myant", format: "anthropic", base_url: `${mock.url}/ant/v1`, models: ["claude-x"],
      });
      providers.resp = await create({
        name: "My Responses", prefix: "myresp", format: "responses", base_url: `${mock.url}/resp/v1`, chat_path: "/responses", models: ["r-1"],
      });
      conns.oa1 = await admin.addConnection({ provider: providers.oai.id, name: "oa1", api_key: "sk-oa1", priority: 0 });
      conns.oa2 = await admin.addConnection({ provider: "myoai", name: "oa2", api_key: "sk-oa2", priority: 1 });
      conns.an1 = await admin.addConnection({ provider: providers.ant.id, name: "an1", api_key: "sk-an1" });
      conns.rs1 = await admin.addConnection({ provider: providers.resp.id, name: "rs1", api_key: "sk-rs1" });
    });
    after(async () => { await router?.stop(); await mock?.close(); });
    beforeEach(async () => { await mock.reset(); });

    it("stores custom providers with ids in the JS 9router's scheme and lists them", async () => {
      assert.match(providers.oai.id, /^openai-compatible-chat-[0-9a-f]+$/);
      assert.match(providers.ant.id, /^anthropic-compatible-[0-9a-f]+$/);
      assert.match(providers.resp.id, /^openai-compatible-responses-[0-9a-f]+$/);
      assert.equal(providers.oai.base_url, `${mock.url}/oai/v1`, "trailing slash trimmed");
      assert.deepEqual(providers.oai.headers, { "x-team": "team-1" });
      assert.equal(providers.ant.effective_chat_path, "/messages");
      assert.equal(conns.oa2.provider, providers.oai.id, "a connection added by prefix is stored under the id");
      const list = await admin.api("GET", "/api/custom-providers");
      assert.equal(list.status, 200);
      assert.deepEqual(list.json.customProviders.map((p) => [p.prefix, p.connections]), [["myant", 1], ["myoai", 2], ["myresp", 1]]);
      const catalog = await admin.api("GET", "/api/providers/catalog");
      const entry = catalog.json.find((p) => p.id === providers.ant.id);
      assert.deepEqual([entry.alias, entry.format, entry.auth, entry.custom, entry.defaultModels], ["myant", "anthropic", "api_key", true, ["claude-x"]]);
      assert.ok(catalog.json.some((p) => p.id === "openai" && !p.custom), "built-ins stay in the catalog");
      const anon = await fetch(`${router.url}/api/custom-providers`);
      assert.equal(anon.status, 401, "session required");
    });

    it("routes every inbound format to an OpenAI-compatible custom provider", async () => {
      const c = await chat("myoai/m-a", "via chat");
      assert.equal(c.status, 200);
      assert.equal((await c.json()).choices[0].message.content, "echo: via chat");
      const m = await messages("myoai/m-a", "via messages");
      assert.equal(m.status, 200);
      assert.equal((await m.json()).content[0].text, "echo: via messages");
      const r = await responses("myoai/m-a", "via responses");
      assert.equal(r.status, 200);
      const rj = await r.json();
      assert.equal(rj.output.find((o) => o.type === "message").content[0].text, "echo: via responses");
      const g = await gemini("myoai/m-b", "via gemini");
      assert.equal(g.status, 200);
      assert.equal((await g.json()).candidates[0].content.parts.map((p) => p.text).join(""), "echo: via gemini");
      const seen = await mock.requests();
      assert.equal(seen.length, 4);
      for (const q of seen) {
        assert.equal(q.path, "/oai/v1/chat/completions");
        assert.equal(q.headers.authorization, "Bearer sk-oa1");
        assert.equal(q.headers["x-team"], "team-1");
      }
      assert.deepEqual(seen.map((q) => q.body.model), ["m-a", "m-a", "m-a", "m-b"]);
      const fromMessages = seen[1].body;
      assert.equal(fromMessages.max_tokens, 64, "OpenAI-compatible vendors get max_tokens (only OpenAI's own API is sent max_completion_tokens)");
      assert.ok(!("max_completion_tokens" in fromMessages));
    });

    it("routes every inbound format to an Anthropic-compatible custom provider", async () => {
      const c = await chat("myant/claude-x", "via chat");
      assert.equal(c.status, 200);
      assert.equal((await c.json()).choices[0].message.content, "echo: via chat");
      const m = await messages("myant/claude-x", "via messages");
      assert.equal(m.status, 200);
      assert.equal((await m.json()).content[0].text, "echo: via messages");
      const r = await responses("myant/claude-x", "via responses");
      assert.equal(r.status, 200);
      assert.equal((await r.json()).output.find((o) => o.type === "message").content[0].text, "echo: via responses");
      const g = await gemini("myant/claude-x", "via gemini");
      assert.equal(g.status, 200);
      assert.equal((await g.json()).candidates[0].content.parts.map((p) => p.text).join(""), "echo: via gemini");
      const seen = await mock.requests();
      assert.equal(seen.length, 4);
      for (const q of seen) {
        assert.equal(q.path, "/ant/v1/messages");
        assert.equal(q.headers["x-api-key"], "sk-an1");
        assert.equal(q.headers["anthropic-version"], "2023-06-01");
        assert.equal(q.headers.authorization, undefined, "no bearer for an Anthropic-compatible upstream");
        assert.equal(q.body.model, "claude-x");
      }
    });

    it("routes to a Responses-compatible custom provider", async () => {
      const c = await chat("myresp/r-1", "via chat");
      assert.equal(c.status, 200, await c.clone().text());
      assert.equal((await c.json()).choices[0].message.content, "echo: via chat");
      const [q] = await mock.requests();
      assert.equal(q.path, "/resp/v1/responses");
      assert.equal(q.headers.authorization, "Bearer sk-rs1");
      assert.equal(q.body.model, "r-1");
    });

    it("streams from custom providers in the client's format", async () => {
      const c = await chat("myant/claude-x", "stream chat", { stream: true });
      assert.equal(c.status, 200);
      const { data } = await readSse(c, performance.now());
      const text = data.filter((d) => d !== "[DONE]").map((d) => JSON.parse(d).choices?.[0]?.delta?.content ?? "").join("");
      assert.equal(text, "echo: stream chat");
      assert.equal(data.at(-1), "[DONE]");
      const m = await messages("myoai/m-a", "stream messages", { stream: true });
      assert.equal(m.status, 200);
      const events = (await readSse(m, performance.now())).data.map((d) => JSON.parse(d));
      const streamed = events.filter((e) => e.type === "content_block_delta").map((e) => e.delta.text).join("");
      assert.equal(streamed, "echo: stream messages");
      assert.equal(events.at(-1).type, "message_stop");
      const seen = await mock.requests();
      assert.deepEqual(seen.map((q) => [q.path, q.body.stream]), [["/ant/v1/messages", true], ["/oai/v1/chat/completions", true]]);
    });

    it("falls back from a rate-limited account to the next one and records usage under the custom id", async () => {
      await mock.script("sk-oa1", [{ status: 429, retryAfter: 30 }]);
      const r = await chat("myoai/m-a", "fallback please");
      assert.equal(r.status, 200);
      assert.equal((await r.json()).choices[0].message.content, "echo: fallback please");
      assert.deepEqual((await mock.requests()).map((q) => q.headers.authorization), ["Bearer sk-oa1", "Bearer sk-oa2"]);
      // The cooled-down account is skipped next time.
      await mock.reset();
      assert.equal((await chat("myoai/m-a", "again")).status, 200);
      assert.deepEqual((await mock.requests()).map((q) => q.headers.authorization), ["Bearer sk-oa2"]);
      let row;
      for (let i = 0; i < 50 && !row; i++) {
        const recent = (await admin.api("GET", "/api/usage/recent?limit=100")).json.requests;
        row = recent.find((u) => u.requested_model === "myoai/m-a" && u.status === 200 && u.connection_id === conns.oa2.id);
        if (!row) await sleep(100);
      }
      assert.ok(row, "usage row recorded");
      assert.equal(row.provider, providers.oai.id);
      assert.equal(row.routed_model, "m-a");
    });

    it("lists the custom providers' models in all three list formats", async () => {
      const openai = await models();
      const ids = openai.data.map((m) => m.id);
      for (const id of ["myoai/m-a", "myoai/m-b", "myant/claude-x", "myresp/r-1"]) assert.ok(ids.includes(id), `${id} in ${ids}`);
      assert.equal(openai.data.find((m) => m.id === "myant/claude-x").owned_by, providers.ant.id);
      const anthropic = await models({ "anthropic-version": "2023-06-01" });
      assert.ok(anthropic.data.some((m) => m.id === "myoai/m-a" && m.type === "model"));
      const gem = await (await fetch(`${router.url}/v1beta/models`, { headers: { "x-goog-api-key": key } })).json();
      assert.ok(gem.models.some((m) => m.name === "models/myant/claude-x"));
    });

    it("tests a custom provider's connection against its upstream", async () => {
      const r = await admin.api("POST", `/api/providers/${conns.an1.id}/test`);
      assert.equal(r.status, 200);
      assert.equal(r.json.ok, true, r.text);
      const [q] = await mock.requests();
      assert.equal(q.path, "/ant/v1/models");
      assert.equal(q.headers["x-api-key"], "sk-an1");
    });

    it("rejects bad definitions naming the field, and writes nothing", async () => {
      const combo = await admin.api("POST", "/api/combos", { name: "clashy", models: ["myoai/m-a"] });
      assert.equal(combo.status, 201, "a combo may list custom models");
      const alias = await admin.api("POST", "/api/aliases", { alias: "aliasy", target: "myant/claude-x" });
      assert.equal(alias.status, 201, "an alias may target custom models");
      const base = { name: "X", prefix: "fresh", format: "openai", base_url: `${mock.url}/v1` };
      const cases = [
        [{ ...base, prefix: "openai" }, /prefix.*built-in/],
        [{ ...base, prefix: "or" }, /prefix.*built-in/],
        [{ ...base, prefix: "myoai" }, /prefix.*already/],
        [{ ...base, prefix: "clashy" }, /prefix.*combo/],
        [{ ...base, prefix: "aliasy" }, /prefix.*alias/],
        [{ ...base, prefix: "has/slash" }, /prefix/],
        [{ ...base, prefix: "" }, /prefix/],
        [{ ...base, base_url: "ftp://example.com/v1" }, /base_url/],
        [{ ...base, base_url: "not a url" }, /base_url/],
        [{ ...base, format: "gemini" }, /format/],
        [{ ...base, name: " " }, /name/],
        [{ ...base, chat_path: "no-slash" }, /chat_path/],
        [{ ...base, headers: { "bad header": "x" } }, /headers/],
        [{ ...base, headers: { Host: "elsewhere" } }, /headers/],
        [{ ...base, headers: { "x-n": 1 } }, /headers/],
        [{ ...base, models: ["ok", ""] }, /models/],
        [{ ...base, surprise: 1 }, /surprise/],
      ];
      for (const [body, pattern] of cases) {
        const r = await admin.api("POST", "/api/custom-providers", body);
        assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${r.text}`);
        assert.match(r.json.error.message, pattern);
      }
      const list = await admin.api("GET", "/api/custom-providers");
      assert.equal(list.json.customProviders.length, 3, "nothing half-written");
      const comboOnPrefix = await admin.api("POST", "/api/combos", { name: "myoai", models: ["myoai/m-a"] });
      assert.equal(comboOnPrefix.status, 400, "a combo may not take a custom prefix");
      const aliasOnPrefix = await admin.api("POST", "/api/aliases", { alias: "myant", target: "myoai/m-a" });
      assert.equal(aliasOnPrefix.status, 400, "an alias may not take a custom prefix");
      const put = await admin.api("PUT", `/api/custom-providers/${providers.resp.id}`, { ...base, prefix: "myoai" });
      assert.equal(put.status, 400, "an update may not take another provider's prefix");
      const missing = await admin.api("PUT", "/api/custom-providers/nope", base);
      assert.equal(missing.status, 404);
      const unknownConn = await admin.api("POST", "/api/providers", { provider: "nosuch", api_key: "k" });
      assert.equal(unknownConn.status, 400);
      assert.match(unknownConn.json.error.message, /myoai/, "the error lists custom prefixes too");
    });

    it("says which prefixes exist for an unknown one", async () => {
      const r = await chat("nope/some-model");
      assert.equal(r.status, 404);
      const body = await r.json();
      assert.equal(body.error.code, "model_not_found");
      for (const prefix of ["openai", "myoai", "myant"]) assert.match(body.error.message, new RegExp(`\\b${prefix}\\b`));
      const m = await messages("nope/x");
      assert.equal(m.status, 404);
      assert.equal((await m.json()).error.type, "not_found_error");
    });

    it("updates a custom provider in place and refuses to delete one in use (409)", async () => {
      const put = await admin.api("PUT", `/api/custom-providers/${providers.resp.id}`, {
        name: "Renamed", prefix: "myresp2", format: "responses", base_url: `${mock.url}/resp2/v1`, models: ["r-2"],
      });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.json.id, providers.resp.id);
      assert.equal((await chat("myresp2/r-2", "renamed")).status, 200);
      assert.equal((await mock.requests())[0].path, "/resp2/v1/responses");
      assert.equal((await chat("myresp/r-1")).status, 404, "the old prefix is gone");

      const busy = await admin.api("DELETE", `/api/custom-providers/${providers.resp.id}`);
      assert.equal(busy.status, 409);
      assert.match(busy.json.error.message, /connection/);
      assert.equal((await admin.api("DELETE", `/api/providers/${conns.rs1.id}`)).status, 200);
      const gone = await admin.api("DELETE", `/api/custom-providers/${providers.resp.id}`);
      assert.equal(gone.status, 200, gone.text);
      assert.equal((await admin.api("DELETE", `/api/custom-providers/${providers.resp.id}`)).status, 404);
      const r = await chat("myresp2/r-2");
      assert.equal(r.status, 404);
      assert.ok(!(await models()).data.some((m) => m.id.startsWith("myresp")));
    });
  });
}

for (const [name, start] of selectedTargets()) {
  describe(`custom providers in the dashboard (${name})`, () => {
    let mock, router, site, ui, page, password;

    before(async () => {
      await ensureDashboardBuilt();
      mock = await startMock();
      router = await start();
      site = await dashboardSite(router.url);
      // The delete refused while an account uses the provider is on purpose.
      ui = await openDashboard({ site, routerUrl: router.url, target: name, expectedFailures: [["/api/custom-providers/", 409]] });
      page = ui.page;
      password = await ui.login();
      await ui.nav("Providers");
    });
    after(async () => {
      await ui?.browser.close();
      await site?.close();
      await router?.stop();
      await mock?.close();
    });

    it("adds a custom provider, an API key for it, routes through it and deletes it", async () => {
      await page.getByRole("button", { name: "Add custom provider" }).click();
      const form = page.getByRole("form", { name: "Add custom provider" });
      await form.getByLabel("Provider name").fill("Browser LLM");
      await form.getByLabel("Prefix").fill("browserllm");
      await form.getByLabel("Format").selectOption("anthropic");
      await form.getByLabel("Base URL").fill(`${mock.url}/browser/v1`);
      await form.getByLabel("Models").fill("b-model-1, b-model-2");
      await ui.shot("custom-provider-form");
      await form.getByRole("button", { name: "Add provider" }).click();
      const card = page.locator('[data-testid^="provider-anthropic-compatible-"]').filter({ hasText: "Browser LLM" });
      await card.getByText("browserllm/…").waitFor();
      await card.getByText("not connected").waitFor();

      await card.getByRole("button", { name: "Connect Browser LLM" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("Name", { exact: true }).fill("browser custom account");
      await dialog.getByLabel("API key", { exact: true }).fill("sk-browser-custom");
      await dialog.getByRole("button", { name: "Add account" }).click();
      await page.getByTestId("connection-row").filter({ hasText: "browser custom account" }).waitFor();
      await card.getByText("1 account").waitFor();
      await ui.shot("custom-provider-connected");

      // The provider serves requests (the test logs in to the API itself for a client key).
      const admin = new RouterClient(router.url);
      await admin.login(password);
      const key = await admin.createKey("browser-custom");
      const r = await admin.chat(key, { model: "browserllm/b-model-2", messages: [{ role: "user", content: "from the browser test" }] });
      assert.equal(r.status, 200, await r.clone().text());
      assert.equal((await r.json()).choices[0].message.content, "echo: from the browser test");
      const [q] = await mock.requests();
      assert.deepEqual([q.path, q.headers["x-api-key"], q.body.model], ["/browser/v1/messages", "sk-browser-custom", "b-model-2"]);

      // Deleting is refused while the account exists; after removing the account it goes.
      await card.getByRole("button", { name: "Delete Browser LLM" }).click();
      await card.getByRole("alert").filter({ hasText: "connection" }).waitFor();
      const row = page.getByTestId("connection-row").filter({ hasText: "browser custom account" });
      await row.getByRole("button", { name: /Delete/ }).click();
      await row.waitFor({ state: "detached" });
      await card.getByRole("button", { name: "Delete Browser LLM" }).click();
      await card.waitFor({ state: "detached" });
      await ui.shot("custom-provider-deleted");
      assert.deepEqual(ui.consoleErrors, []);
    });
  });
}

