// End to end, on both targets (native binary over real sockets; built wasm Worker in workerd via wrangler dev):
// keys, connections, /v1/models, chat completions plain and streaming, fallback and cooldowns, bad input.
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient, readSse } from "./lib/client.mjs";

for (const [name, start] of selectedTargets()) {
  describe(`foundation (${name})`, () => {
    let mock, router, client, key;

    before(async () => {
      mock = await startMock();
      router = await start();
      client = new RouterClient(router.url);
      await client.login();
      key = await client.createKey("e2e");
      await client.addConnection({ provider: "openai", name: "acct-a", api_key: "sk-up-a", base_url: `${mock.url}/v1`, priority: 0 });
    });
    after(async () => {
      await router?.stop();
      await mock?.close();
    });
    beforeEach(async () => { await mock.reset(); });

    it("reports health", async () => {
      const r = await fetch(`${router.url}/health`);
      assert.equal(r.status, 200);
      assert.equal((await r.json()).status, "ok");
    });

    it("refuses a wrong dashboard password and unauthenticated management calls", async () => {
      const anon = new RouterClient(router.url);
      const wrong = await anon.api("POST", "/api/auth/login", { password: "nope" });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.json.error.type, "authentication_error");
      const keys = await anon.api("GET", "/api/keys");
      assert.equal(keys.status, 401);
      const forged = new RouterClient(router.url);
      forged.session = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsImV4cCI6OTk5OTk5OTk5OX0.invalid";
      assert.equal((await forged.api("GET", "/api/keys")).status, 401);
    });

    it("lists keys without their secret and connections without their api key", async () => {
      const keys = await client.api("GET", "/api/keys");
      assert.equal(keys.status, 200);
      assert.ok(keys.json.keys.some((k) => k.name === "e2e"));
      assert.ok(!keys.text.includes(key), "the key itself is never listed");
      const conns = await client.api("GET", "/api/providers");
      assert.equal(conns.status, 200);
      assert.ok(conns.json.connections.some((c) => c.name === "acct-a"));
      assert.ok(!conns.text.includes("sk-up-a"), "upstream secrets are never returned");
    });

    it("requires a valid client key on /v1", async () => {
      for (const auth of [undefined, "Bearer sk-9r-wrong"]) {
        const r = await fetch(`${router.url}/v1/models`, { headers: auth ? { authorization: auth } : {} });
        assert.equal(r.status, 401);
        const body = await r.json();
        assert.equal(body.error.code, "invalid_api_key");
        assert.equal(typeof body.error.message, "string");
      }
    });

    it("lists models of connected providers", async () => {
      const r = await fetch(`${router.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(r.status, 200);
      const body = await r.json();
      assert.equal(body.object, "list");
      assert.ok(body.data.some((m) => m.id === "openai/gpt-4o-mini"), JSON.stringify(body));
    });

    it("forwards a chat completion with the routed model and the account's key", async () => {
      const r = await client.chat(key, { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hello there" }] });
      assert.equal(r.status, 200);
      const body = await r.json();
      assert.equal(body.object, "chat.completion");
      assert.equal(body.choices[0].message.content, "echo: hello there");
      const [seen] = await mock.requests();
      assert.equal(seen.path, "/v1/chat/completions");
      assert.equal(seen.body.model, "gpt-4o-mini");
      assert.equal(seen.headers.authorization, "Bearer sk-up-a");
      assert.notEqual(seen.headers.authorization, `Bearer ${key}`, "the client key is not forwarded");
    });

    it("streams SSE events as they arrive, before the upstream has finished", async () => {
      await mock.script("sk-up-a", [{ eventDelayMs: 300, text: "one two three four" }]);
      const t0 = performance.now();
      const r = await client.chat(key, { model: "openai/gpt-4o-mini", stream: true, messages: [{ role: "user", content: "hi" }] });
      assert.equal(r.status, 200);
      assert.match(r.headers.get("content-type"), /text\/event-stream/);
      const { chunks, data } = await readSse(r, t0);
      const total = chunks.at(-1).at;
      assert.ok(total >= 1500, `the mock paces 6 events 300 ms apart (took ${total} ms)`);
      assert.ok(chunks[0].at < total - 900, `first chunk at ${chunks[0].at} ms, last at ${total} ms`);
      assert.equal(data.at(-1), "[DONE]");
      const text = data.slice(0, -1).map((d) => JSON.parse(d).choices[0]?.delta?.content ?? "").join("");
      assert.equal(text, "one two three four");
    });

    it("rejects bad input with clear OpenAI-format errors", async () => {
      const cases = [
        ["{not json", 400, /not valid JSON/],
        [{ messages: [] }, 400, /`model`/],
        [{ model: "openai/gpt-4o-mini" }, 400, /`messages`/],
        [{ model: "gpt-4o-mini", messages: [] }, 404, /use `provider\/model`/],
        [{ model: "nosuch/model-x", messages: [] }, 404, /unknown provider prefix `nosuch`/],
        [{ model: "openrouter/x", messages: [] }, 400, /no enabled connection/],
      ];
      for (const [body, status, message] of cases) {
        const r = await client.chat(key, body);
        assert.equal(r.status, status, JSON.stringify(body));
        const json = await r.json();
        assert.match(json.error.message, message);
        assert.equal(typeof json.error.type, "string");
      }
      assert.equal((await mock.requests()).length, 0, "nothing bad reaches the upstream");
    });

    it("relays a request error from the upstream without falling back", async () => {
      await mock.script("sk-up-a", [{ status: 400, body: { error: { message: "context too long", type: "invalid_request_error", code: "context_length_exceeded" } } }]);
      const r = await client.chat(key, { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "x" }] });
      assert.equal(r.status, 400);
      assert.equal((await r.json()).error.code, "context_length_exceeded");
    });

    it("falls back to the next account on 429 and remembers the cooldown", async () => {
      const b = await client.addConnection({ provider: "openai", name: "acct-b", api_key: "sk-up-b", base_url: `${mock.url}/v1`, priority: 5 });
      try {
        await mock.script("sk-up-a", [{ status: 429, retryAfter: 30 }]);
        const first = await client.chat(key, { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "one" }] });
        assert.equal(first.status, 200);
        assert.equal((await first.json()).choices[0].message.content, "echo: one");
        let seen = (await mock.requests()).map((q) => q.headers.authorization);
        assert.deepEqual(seen, ["Bearer sk-up-a", "Bearer sk-up-b"]);

        await mock.reset();
        const second = await client.chat(key, { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "two" }] });
        assert.equal(second.status, 200);
        seen = (await mock.requests()).map((q) => q.headers.authorization);
        assert.deepEqual(seen, ["Bearer sk-up-b"], "account a is cooling down (Retry-After: 30)");

        await mock.script("sk-up-b", [{ status: 429, retryAfter: 12 }]);
        const third = await client.chat(key, { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "three" }] });
        assert.equal(third.status, 429);
        const retry = Number(third.headers.get("retry-after"));
        assert.ok(retry >= 11 && retry <= 12, `retry-after is the soonest account's (${retry})`);
        const err = await third.json();
        assert.equal(err.error.type, "rate_limit_error");
        assert.match(err.error.message, /rate limited or cooling down/);

        // A different model is not affected by the cooldowns of gpt-4o-mini.
        await mock.reset();
        const other = await client.chat(key, { model: "openai/gpt-4o", messages: [{ role: "user", content: "four" }] });
        assert.equal(other.status, 200);
      } finally {
        await client.api("DELETE", `/api/providers/${b.id}`);
      }
    });

    it("falls back on 5xx and connection errors, and reports 503 when nothing answers", async () => {
      const dead = await client.addConnection({ provider: "openrouter", name: "dead", api_key: "sk-dead", base_url: "http://127.0.0.1:9/v1", priority: 0 });
      const live = await client.addConnection({ provider: "openrouter", name: "live", api_key: "sk-live", base_url: `${mock.url}/v1`, priority: 1 });
      try {
        const ok = await client.chat(key, { model: "openrouter/some/model", messages: [{ role: "user", content: "x" }] });
        assert.equal(ok.status, 200);
        const [seen] = await mock.requests();
        assert.equal(seen.body.model, "some/model");
        await mock.script("sk-live", [{ status: 500 }]);
        const down = await client.chat(key, { model: "openrouter/other-model", messages: [{ role: "user", content: "x" }] });
        assert.equal(down.status, 503);
        const err = await down.json();
        assert.equal(err.error.type, "service_unavailable_error");
        assert.ok(!JSON.stringify(err).includes("sk-live") && !JSON.stringify(err).includes("sk-dead"), "no secrets in errors");
      } finally {
        await client.api("DELETE", `/api/providers/${dead.id}`);
        await client.api("DELETE", `/api/providers/${live.id}`);
      }
    });

    it("never logged a panic or a secret", () => {
      const logs = router.logs.join("");
      assert.ok(!/panicked|RuntimeError: unreachable/.test(logs), logs);
      for (const secret of ["sk-up-a", "sk-up-b", key]) assert.ok(!logs.includes(secret), `secret in logs: ${secret}`);
    });
  });
}
