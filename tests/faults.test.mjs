// Upstream faults on both targets: what can still fall back does (invisibly to the client); what cannot becomes
// a clear error event in the client's stream, never a silent cut or a hang.
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets, IDLE_TIMEOUT_MS } from "./lib/targets.mjs";
import { RouterClient, readSse } from "./lib/client.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ask = (content, stream = false) => ({ model: "openai/gpt-4o-mini", stream, messages: [{ role: "user", content }] });
const lastError = (data) => {
  const events = data.filter((d) => d !== "[DONE]").map((d) => JSON.parse(d));
  return events.at(-1)?.error;
};

for (const [name, start] of selectedTargets()) {
  describe(`upstream faults (${name})`, () => {
    let mock, router, client, key;
    const authsSeen = async () => (await mock.requests()).map((q) => q.headers.authorization);

    before(async () => {
      mock = await startMock();
      router = await start();
      client = new RouterClient(router.url);
      await client.login();
      key = await client.createKey("faults");
      await client.addConnection({ provider: "openai", name: "a", api_key: "sk-a", base_url: `${mock.url}/v1`, priority: 0 });
      await client.addConnection({ provider: "openai", name: "b", api_key: "sk-b", base_url: `${mock.url}/v1`, priority: 1 });
    });
    after(async () => { await router?.stop(); await mock?.close(); });
    // Each test uses its own model so cooldowns from one do not steer the next.
    beforeEach(async () => { await mock.reset(); });

    it("falls back when a stream is cut before its first event", async () => {
      await mock.script("sk-a", [{ cutAfter: 0 }]);
      const r = await client.chat(key, { ...ask("cut early", true), model: "openai/m-cut-early" });
      assert.equal(r.status, 200);
      const { data } = await readSse(r, performance.now());
      assert.equal(data.at(-1), "[DONE]");
      assert.deepEqual(await authsSeen(), ["Bearer sk-a", "Bearer sk-b"]);
    });

    it("ends a stream cut mid-way with an error event, not a clean end", async () => {
      await mock.script("sk-a", [{ cutAfter: 3, eventDelayMs: 100, text: "a b c d e f" }]);
      const r = await client.chat(key, { ...ask("cut late", true), model: "openai/m-cut-late" });
      assert.equal(r.status, 200);
      const { data } = await readSse(r, performance.now());
      assert.notEqual(data.at(-1), "[DONE]");
      assert.equal(lastError(data)?.code, "stream_interrupted");
      assert.equal(data.filter((d) => d !== "[DONE]" && !JSON.parse(d).error).length, 3, "the 3 events sent are relayed");
      assert.deepEqual(await authsSeen(), ["Bearer sk-a"], "no fallback once the client has bytes");
    });

    it("ends a stalled stream with an error event after the idle timeout", async () => {
      await mock.script("sk-a", [{ stallAfter: 2 }]);
      const t0 = performance.now();
      const r = await client.chat(key, { ...ask("stall", true), model: "openai/m-stall" });
      const { data } = await readSse(r, t0);
      const took = performance.now() - t0;
      assert.equal(lastError(data)?.code, "stream_interrupted");
      assert.ok(took >= IDLE_TIMEOUT_MS * 0.9 && took < IDLE_TIMEOUT_MS * 4, `took ${took} ms`);
    });

    it("falls back when an account does not answer in time", async () => {
      await mock.script("sk-a", [{ hang: true }]);
      const r = await client.chat(key, { ...ask("hang"), model: "openai/m-hang" });
      assert.equal(r.status, 200);
      assert.equal((await r.json()).choices[0].message.content, "echo: hang");
      assert.deepEqual(await authsSeen(), ["Bearer sk-a", "Bearer sk-b"]);
    });

    it("falls back on a 200 that carries an error, and on a JSON body cut short", async () => {
      await mock.script("sk-a", [{ body: { error: { message: "overloaded", type: "server_error" } } }]);
      const r = await client.chat(key, { ...ask("err200"), model: "openai/m-err200" });
      assert.equal(r.status, 200);
      assert.equal((await r.json()).choices[0].message.content, "echo: err200");
      await mock.reset();
      // A 401 cools the whole account, so use a throwaway one ahead of a and b.
      const z = await client.addConnection({ provider: "openai", name: "z", api_key: "sk-z", base_url: `${mock.url}/v1`, priority: -1 });
      try {
        await mock.script("sk-z", [{ status: 401 }]);
        const r2 = await client.chat(key, { ...ask("auth"), model: "openai/m-auth" });
        assert.equal(r2.status, 200, "a 401 on one account is invisible when another answers");
        assert.deepEqual(await authsSeen(), ["Bearer sk-z", "Bearer sk-a"]);
      } finally {
        await client.api("DELETE", `/api/providers/${z.id}`);
      }
    });

    it("does not cool an account down for a request error", async () => {
      await mock.script("sk-a", [{ status: 400 }]);
      const bad = await client.chat(key, { ...ask("bad"), model: "openai/m-400" });
      assert.equal(bad.status, 400);
      await mock.reset();
      const good = await client.chat(key, { ...ask("good"), model: "openai/m-400" });
      assert.equal(good.status, 200);
      assert.deepEqual(await authsSeen(), ["Bearer sk-a"], "account a still serves the model");
    });

    it("fault matrix: every request succeeds while any account is healthy; cooled accounts return", async () => {
      const c = await client.addConnection({ provider: "openai", name: "c", api_key: "sk-c", base_url: `${mock.url}/v1`, priority: 2 });
      try {
        const model = "openai/m-matrix";
        // a: 429 for 1 s, b: 401 (account-wide, 5 min), c: cut before its first event, then healthy.
        await mock.script("sk-a", [{ status: 429, retryAfter: 1 }]);
        await mock.script("sk-b", [{ status: 401 }]);
        await mock.script("sk-c", [{ cutAfter: 0 }]);
        const first = await client.chat(key, { ...ask("m1", true), model });
        assert.equal(first.status, 503, "nobody healthy yet: a clear 503, not a hang");
        assert.ok(Number(first.headers.get("retry-after")) >= 1);
        assert.deepEqual(await authsSeen(), ["Bearer sk-a", "Bearer sk-b", "Bearer sk-c"]);

        // c's cut cooled it for 2 s; a returns after its 1 s; b stays out for every model (auth).
        await mock.reset();
        await sleep(1100);
        const second = await client.chat(key, { ...ask("m2", true), model });
        assert.equal(second.status, 200);
        const { data } = await readSse(second, performance.now());
        assert.equal(data.at(-1), "[DONE]");
        assert.deepEqual(await authsSeen(), ["Bearer sk-a"], "a is back; b and c are still cooling");

        await mock.reset();
        await mock.script("sk-a", [{ status: 500 }]);
        const third = await client.chat(key, { ...ask("m3"), model: "openai/m-matrix-other" });
        assert.equal(third.status, 200);
        assert.deepEqual(await authsSeen(), ["Bearer sk-a", "Bearer sk-c"], "b's auth failure covers other models too");
      } finally {
        await client.api("DELETE", `/api/providers/${c.id}`);
      }
    });

    it("aborts the upstream request when the client disconnects", async () => {
      await mock.script("sk-a", [{ eventDelayMs: 200, text: "w ".repeat(30) }]);
      const controller = new AbortController();
      const r = await fetch(`${router.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ ...ask("disconnect", true), model: "openai/m-disconnect" }),
        signal: controller.signal,
      });
      const reader = r.body.getReader();
      await reader.read();
      controller.abort();
      let aborted = false;
      for (let i = 0; i < 40 && !aborted; i++) {
        await sleep(100);
        aborted = (await mock.requests())[0]?.aborted === true;
      }
      assert.ok(aborted, "the mock saw its client (the router) go away");
    });
  });
}
