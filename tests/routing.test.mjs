// Routing on both targets: combos across providers, aliases, round-robin (plain and sticky), disabled accounts,
// management-API validation, and a burst of concurrent requests while one account is rate limited.
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient } from "./lib/client.mjs";

const ask = (model, content = "hi") => ({ model, messages: [{ role: "user", content }] });

for (const [name, start] of selectedTargets()) {
  describe(`routing (${name})`, () => {
    let mock, router, client, key;
    const ids = {};
    const authsSeen = async () => (await mock.requests()).map((q) => q.headers.authorization.replace("Bearer ", ""));

    before(async () => {
      mock = await startMock();
      router = await start();
      client = new RouterClient(router.url);
      await client.login();
      key = await client.createKey("routing");
      for (const [n, priority] of [["a", 0], ["b", 1], ["c", 2]]) {
        ids[n] = (await client.addConnection({ provider: "openai", name: n, api_key: n, base_url: `${mock.url}/v1`, priority })).id;
      }
      ids.or = (await client.addConnection({ provider: "openrouter", name: "or", api_key: "or", base_url: `${mock.url}/v1` })).id;
    });
    after(async () => { await router?.stop(); await mock?.close(); });
    beforeEach(async () => { await mock.reset(); });

    it("serves a combo, falling back across providers", async () => {
      const created = await client.api("POST", "/api/combos", { name: "my-combo", models: ["openai/combo-first", "openrouter/vendor/combo-second"] });
      assert.equal(created.status, 201, created.text);
      for (const k of ["a", "b", "c"]) await mock.script(k, [{ status: 503 }]);
      const r = await client.chat(key, ask("my-combo", "via combo"));
      assert.equal(r.status, 200);
      assert.equal((await r.json()).choices[0].message.content, "echo: via combo");
      const seen = await mock.requests();
      assert.deepEqual(seen.map((q) => q.body.model), ["combo-first", "combo-first", "combo-first", "vendor/combo-second"]);
      const models = await (await fetch(`${router.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).json();
      assert.ok(models.data.some((m) => m.id === "my-combo" && m.owned_by === "combo"));
    });

    it("resolves an alias, and lists it", async () => {
      const created = await client.api("POST", "/api/aliases", { alias: "fast", target: "openai/gpt-4o-mini" });
      assert.equal(created.status, 201, created.text);
      const r = await client.chat(key, ask("fast"));
      assert.equal(r.status, 200);
      assert.equal((await mock.requests())[0].body.model, "gpt-4o-mini");
      const models = await (await fetch(`${router.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).json();
      assert.ok(models.data.some((m) => m.id === "fast" && m.owned_by === "alias"));
    });

    it("says what exists for an unknown bare model name", async () => {
      const r = await client.chat(key, ask("no-such-thing"));
      assert.equal(r.status, 404);
      const body = await r.json();
      assert.equal(body.error.code, "model_not_found");
      assert.match(body.error.message, /combo or an alias/);
    });

    it("validates management input and writes nothing on bad input", async () => {
      const bad = [
        ["POST", "/api/combos", { name: "a/b", models: ["openai/x"] }],
        ["POST", "/api/combos", { name: "ok-name", models: ["nosuch/x"] }],
        ["POST", "/api/combos", { name: "ok-name", models: [] }],
        ["POST", "/api/combos", { name: "fast", models: ["openai/x"] }],
        ["POST", "/api/aliases", { alias: "x y", target: "openai/x" }],
        ["POST", "/api/aliases", { alias: "ok", target: "nope" }],
        ["PUT", "/api/settings", { routing_strategy: "random" }],
        ["PUT", "/api/settings", { no_such_setting: 1 }],
        ["PUT", "/api/settings", { sticky_round_robin_limit: 0 }],
        ["PUT", "/api/settings", { usage_retention_days: 99999 }],
        ["PATCH", `/api/providers/${ids.a}`, { base_url: "ftp://x" }],
        ["PATCH", `/api/providers/${ids.a}`, { api_key: "" }],
        ["POST", "/api/providers", { provider: "nosuch", api_key: "k" }],
        ["POST", "/api/providers", { provider: "openai" }],
      ];
      for (const [method, path, body] of bad) {
        const r = await client.api(method, path, body);
        assert.equal(r.status, 400, `${method} ${path} ${JSON.stringify(body)} -> ${r.status} ${r.text}`);
        assert.equal(typeof r.json.error.message, "string");
      }
      assert.equal((await client.api("PATCH", "/api/providers/nope", { priority: 1 })).status, 404);
      const combos = await client.api("GET", "/api/combos");
      assert.ok(!combos.json.combos.some((c) => c.name === "ok-name"));
      const settings = await client.api("GET", "/api/settings");
      assert.deepEqual(settings.json, { routing_strategy: "fill-first", sticky_round_robin_limit: 1, usage_retention_days: 90, session_affinity: true, prompt_caching: true, require_api_key: true, request_logs: false });
    });

    it("rotates accounts round-robin, optionally sticking for N requests", async () => {
      try {
        assert.equal((await client.api("PUT", "/api/settings", { routing_strategy: "round-robin" })).status, 200);
        // Distinct conversations (session affinity would keep one conversation on one account).
        for (let i = 0; i < 6; i++) assert.equal((await client.chat(key, ask("openai/rr-model", `rr ${i}`))).status, 200);
        const seen = await authsSeen();
        assert.equal(new Set(seen).size, 3, `every account used: ${seen}`);
        assert.deepEqual(seen.slice(3), seen.slice(0, 3), `strict rotation: ${seen}`);

        await mock.reset();
        await client.api("PUT", "/api/settings", { sticky_round_robin_limit: 2 });
        for (let i = 0; i < 6; i++) assert.equal((await client.chat(key, ask("openai/rr-sticky", `sticky ${i}`))).status, 200);
        const sticky = await authsSeen();
        assert.deepEqual([sticky[0], sticky[2], sticky[4]], [sticky[1], sticky[3], sticky[5]], `pairs: ${sticky}`);
        assert.equal(new Set(sticky).size, 3);
      } finally {
        await client.api("PUT", "/api/settings", { routing_strategy: "fill-first", sticky_round_robin_limit: 1 });
      }
    });

    it("keeps a conversation on its account, even under round-robin", async () => {
      try {
        await client.api("PUT", "/api/settings", { routing_strategy: "round-robin" });
        for (let i = 0; i < 3; i++) {
          const r = await client.chat(key, ask("openai/affinity", `turn ${i}`), { session_id: "conversation-1" });
          assert.equal(r.status, 200);
        }
        const seen = await authsSeen();
        assert.equal(new Set(seen).size, 1, `one account for the whole conversation: ${seen}`);
        await mock.reset();
        for (let i = 0; i < 3; i++) await client.chat(key, ask("openai/affinity", `other ${i}`), { session_id: `conversation-x${i}` });
        assert.ok(new Set(await authsSeen()).size > 1, "other conversations still rotate");
        // The conversation's account fails: it moves on, and sticks to its new account.
        await mock.reset();
        await mock.script(seen[0], [{ status: 429, retryAfter: 30 }]);
        await client.chat(key, ask("openai/affinity", "turn 3"), { session_id: "conversation-1" });
        await client.chat(key, ask("openai/affinity", "turn 4"), { session_id: "conversation-1" });
        const moved = await authsSeen();
        assert.equal(moved[0], seen[0]);
        assert.equal(moved[1], moved[2], `sticks to the new account: ${moved}`);
      } finally {
        await client.api("PUT", "/api/settings", { routing_strategy: "fill-first" });
      }
    });

    it("skips disabled accounts", async () => {
      const patched = await client.api("PATCH", `/api/providers/${ids.a}`, { enabled: false });
      assert.equal(patched.status, 200, patched.text);
      try {
        assert.equal((await client.chat(key, ask("openai/disabled-test"))).status, 200);
        assert.deepEqual(await authsSeen(), ["b"]);
      } finally {
        await client.api("PATCH", `/api/providers/${ids.a}`, { enabled: true });
      }
    });

    it("serves 100 concurrent requests while one account is rate limited, then avoids it", async () => {
      await mock.script("a", Array.from({ length: 100 }, () => ({ status: 429, retryAfter: 60 })));
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => client.chat(key, ask("openai/burst", `n${i}`)).then(async (r) => [r.status, (await r.json()).choices?.[0]?.message?.content])),
      );
      assert.deepEqual(results.filter(([s]) => s !== 200), [], "no request lost");
      assert.deepEqual(new Set(results.map(([, c]) => c)).size, 100, "each request got its own answer");
      // An attempt the router abandoned (its upstream idle timeout, short in tests, can fire on a loaded machine)
      // is aborted and retried on another account; every answer that completed served exactly one request.
      const completed = (await mock.requests()).filter((q) => !q.aborted);
      const served = completed.map((q) => q.headers.authorization.replace("Bearer ", "")).filter((k) => k !== "a").length;
      assert.equal(served, 100, "exactly one completed upstream call per request");
      await mock.reset();
      for (let i = 0; i < 10; i++) assert.equal((await client.chat(key, ask("openai/burst"))).status, 200);
      assert.ok(!(await authsSeen()).includes("a"), "the cooling account is not used");
    });
  });
}
