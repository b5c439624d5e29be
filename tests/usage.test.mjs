// Usage records on both targets: one per request, off the hot path, with tokens from JSON responses and from
// streams (also when the client disconnects mid-stream), failures included; aggregates by model.
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient, readSse } from "./lib/client.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

for (const [name, start] of selectedTargets()) {
  describe(`usage (${name})`, () => {
    let mock, router, admin, key;

    /** Waits until `count` usage rows exist (they are written in the background) and returns the newest first. */
    async function rows(count) {
      for (let i = 0; i < 50; i++) {
        const r = await admin.api("GET", "/api/usage/recent?limit=100");
        if (r.json.requests.length >= count) return r.json.requests;
        await sleep(100);
      }
      const have = (await admin.api("GET", "/api/usage/recent?limit=100")).json.requests;
      assert.fail(`expected ${count} usage rows, have ${JSON.stringify(have.map((r) => [r.requested_model, r.status, r.error_class]))}`);
    }

    /** Waits until a usage row matching `pred` exists. */
    async function row(pred) {
      for (let i = 0; i < 50; i++) {
        const found = (await admin.api("GET", "/api/usage/recent?limit=100")).json.requests.find(pred);
        if (found) return found;
        await sleep(100);
      }
      assert.fail("usage row not recorded");
    }

    before(async () => {
      mock = await startMock();
      router = await start();
      admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("usage");
      await admin.addConnection({ provider: "openai", name: "oa", api_key: "sk-oa", base_url: `${mock.url}/v1` });
      await admin.addConnection({ provider: "anthropic", name: "an", api_key: "sk-an", base_url: `${mock.url}/v1` });
    });
    after(async () => { await router?.stop(); await mock?.close(); });
    beforeEach(async () => { await mock.reset(); });

    it("records JSON, streamed, failed and abandoned requests", async () => {
      const plain = await admin.chat(key, { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "a" }] });
      assert.equal(plain.status, 200);
      await plain.json();

      const streamed = await fetch(`${router.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": key },
        body: JSON.stringify({ model: "anthropic/claude-x", max_tokens: 20, stream: true, messages: [{ role: "user", content: "b" }] }),
      });
      await readSse(streamed, performance.now());

      await mock.script("sk-oa", [{ status: 503 }]);
      const failed = await admin.chat(key, { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "c" }] });
      assert.equal(failed.status, 503);
      await failed.text();

      await mock.script("sk-oa", [{ eventDelayMs: 300, text: "w ".repeat(20) }]);
      const controller = new AbortController();
      const abandoned = await fetch(`${router.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: "openai/left-early", stream: true, messages: [{ role: "user", content: "d" }] }),
        signal: controller.signal,
      });
      await abandoned.body.getReader().read();
      controller.abort();

      const all = await rows(4);
      const byModel = (m) => all.find((r) => r.requested_model === m && r.status === (m === "openai/gpt-4o-mini" ? 200 : r.status));
      const json = all.find((r) => r.requested_model === "openai/gpt-4o-mini" && r.status === 200);
      assert.equal(json.routed_model, "gpt-4o-mini");
      assert.equal(json.provider, "openai");
      assert.equal(json.inbound_format, "openai");
      assert.equal(json.input_tokens, 11);
      assert.equal(json.output_tokens, 7);
      assert.equal(Number(json.streamed), 0);
      assert.ok(json.api_key_id, "the client key is recorded");

      const stream = byModel("anthropic/claude-x");
      assert.equal(stream.inbound_format, "claude");
      assert.equal(stream.upstream_format, "claude");
      assert.equal(Number(stream.streamed), 1);
      assert.equal(stream.input_tokens, 11);
      assert.equal(stream.output_tokens, 7);
      assert.ok(stream.ttfb_ms !== null && stream.total_ms >= stream.ttfb_ms);

      const err = all.find((r) => r.status === 503);
      assert.ok(err, "failed requests are recorded");
      assert.equal(err.error_class, "upstream_unavailable");

      const left = byModel("openai/left-early");
      assert.equal(left.error_class, "client_closed");
      assert.equal(Number(left.streamed), 1);
    });

    it("records stream usage even when an OpenAI client did not ask for it, without showing it the chunk", async () => {
      const r = await admin.chat(key, { model: "openai/usage-unasked", stream: true, messages: [{ role: "user", content: "one two" }] });
      const { data } = await readSse(r, performance.now());
      assert.ok(!data.some((d) => d !== "[DONE]" && JSON.parse(d).usage), "no usage chunk for a client that did not ask");
      assert.equal((await mock.requests())[0].body.stream_options?.include_usage, true, "the upstream was asked for usage");
      const rec = await row((x) => x.requested_model === "openai/usage-unasked");
      assert.equal(rec.input_tokens, 11);
      assert.ok(rec.output_tokens > 0);
    });

    it("aggregates by model and by provider", async () => {
      const byModel = await admin.api("GET", "/api/usage?by=model&bucket=day");
      assert.equal(byModel.status, 200);
      const gpt = byModel.json.buckets.filter((b) => b.key === "gpt-4o-mini").reduce((n, b) => n + b.requests, 0);
      assert.ok(gpt >= 2, JSON.stringify(byModel.json));
      const byProvider = await admin.api("GET", "/api/usage?by=provider");
      assert.ok(byProvider.json.buckets.some((b) => b.key === "anthropic" && b.output_tokens >= 7));
      assert.equal((await admin.api("GET", "/api/usage?by=nonsense")).status, 400);
    });
  });
}
