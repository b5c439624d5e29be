// Native only: routing state survives a restart. An account cooling down after a 429 (Retry-After 60 s) is still
// skipped by the restarted router on the same data directory, and a round-robin cursor continues where it was.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient } from "./lib/client.mjs";
import { serveOn, stop, tempDir } from "./lib/native-cli.mjs";

const native = selectedTargets().some(([name]) => name === "native");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe("routing state across a restart (native)", { skip: !native && "native target not selected" }, () => {
  let mock, data;
  before(async () => { mock = await startMock(); data = await tempDir("9router-restart-"); });
  after(async () => { await mock?.close(); await rm(data, { recursive: true, force: true }); });

  it("a cooling account stays cooled after a restart", async () => {
    const first = await serveOn(data);
    const admin = new RouterClient(first.url);
    await admin.login();
    const key = await admin.createKey("restart");
    await admin.addConnection({ provider: "openai", name: "a", api_key: "sk-a", base_url: `${mock.url}/v1`, priority: 0 });
    await admin.addConnection({ provider: "openai", name: "b", api_key: "sk-b", base_url: `${mock.url}/v1`, priority: 1 });
    await mock.script("sk-a", [{ status: 429, retryAfter: 60 }]);
    const ask = { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] };
    const r1 = await admin.chat(key, ask);
    assert.equal(r1.status, 200, "b answers while a is rate limited");
    await r1.text();
    await sleep(300); // the writer persists the change in the background
    assert.equal(await stop(first), 0);

    await mock.reset();
    const second = await serveOn(data);
    try {
      const client = new RouterClient(second.url);
      const r2 = await client.chat(key, ask);
      assert.equal(r2.status, 200);
      await r2.text();
      const seen = (await mock.requests()).map((q) => q.headers.authorization);
      assert.deepEqual(seen, ["Bearer sk-b"], "the restarted router remembers that a is cooling down");
    } finally {
      assert.equal(await stop(second), 0);
    }
  });
});
