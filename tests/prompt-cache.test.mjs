// Claude prompt caching on both targets: breakpoints placed for Anthropic-format upstreams when the client sent
// none (tools, system, the two latest user turns; never more than four, never on thinking), the client's own kept
// as sent, the setting turns it off, and the mock's simulated cache reports cache reads on the second turn —
// in the client's response and in the usage record.
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient, readSse } from "./lib/client.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every object with a `cache_control` key in `value`, as paths. */
function breakpoints(value, path = "$") {
  if (Array.isArray(value)) return value.flatMap((v, i) => breakpoints(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    const here = "cache_control" in value ? [path] : [];
    return here.concat(Object.entries(value).filter(([k]) => k !== "cache_control").flatMap(([k, v]) => breakpoints(v, `${path}.${k}`)));
  }
  return [];
}

const SYSTEM = "You are a careful coding agent. ".repeat(40);
const TOOLS = [{ type: "function", function: { name: "Read", description: "Reads a file", parameters: { type: "object", properties: { path: { type: "string" } } } } }];

for (const [name, start] of selectedTargets()) {
  describe(`prompt caching (${name})`, () => {
    let mock, router, admin, key;

    const lastUpstream = async () => (await mock.requests()).filter((r) => r.path.endsWith("/messages")).at(-1);

    before(async () => {
      mock = await startMock();
      router = await start();
      admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("cache");
      await admin.addConnection({ provider: "anthropic", name: "an", api_key: "sk-an", base_url: `${mock.url}/v1` });
    });
    after(async () => { await router?.stop(); await mock?.close(); });
    beforeEach(async () => { await mock.reset(); });

    it("an OpenAI client's conversation reads the cache on its second turn", async () => {
      const turn1 = [{ role: "system", content: SYSTEM }, { role: "user", content: "List the files." }];
      const r1 = await admin.chat(key, { model: "anthropic/claude-x", tools: TOOLS, messages: turn1 });
      assert.equal(r1.status, 200, await r1.clone().text());
      const b1 = await r1.json();
      const sent1 = (await lastUpstream()).body;
      assert.deepEqual(breakpoints(sent1).length, 3, `tools, system and the user turn: ${breakpoints(sent1)}`);
      assert.equal(b1.usage.prompt_tokens_details?.cached_tokens ?? 0, 0, "nothing cached yet");

      const turn2 = [...turn1, { role: "assistant", content: "src/ and tests/." }, { role: "user", content: "Open src." }];
      const r2 = await admin.chat(key, { model: "anthropic/claude-x", tools: TOOLS, messages: turn2 });
      const b2 = await r2.json();
      const sent2 = (await lastUpstream()).body;
      assert.equal(breakpoints(sent2).length, 4, `at most four: ${breakpoints(sent2)}`);
      assert.ok(b2.usage.prompt_tokens_details.cached_tokens > 0, `second turn reads the cache: ${JSON.stringify(b2.usage)}`);

      let row;
      for (let i = 0; i < 50 && !row; i++) {
        row = (await admin.api("GET", "/api/usage/recent?limit=10")).json.requests.find((r) => Number(r.cache_read_tokens) > 0);
        if (!row) await sleep(100);
      }
      assert.ok(row, "the usage record carries the cache reads");
      assert.equal(Number(row.cache_read_tokens), b2.usage.prompt_tokens_details.cached_tokens);
    });

    it("an Anthropic client without breakpoints gets them on a streamed passthrough; thinking never carries one", async () => {
      const messages1 = [{ role: "user", content: "Explain the router." }];
      const body = (messages) => ({ model: "anthropic/claude-x", max_tokens: 50, stream: true, system: SYSTEM, messages });
      const send = (b) => fetch(`${router.url}/v1/messages`, { method: "POST", headers: { "content-type": "application/json", "x-api-key": key }, body: JSON.stringify(b) });
      await readSse(await send(body(messages1)), performance.now());
      const messages2 = [
        ...messages1,
        { role: "assistant", content: [{ type: "thinking", thinking: "hmm", signature: "sig" }, { type: "text", text: "It routes." }] },
        { role: "user", content: "More." },
      ];
      const { data } = await readSse(await send(body(messages2)), performance.now());
      const sent = (await lastUpstream()).body;
      assert.ok(!breakpoints(sent).some((p) => p.startsWith("$.messages[1]")), "the assistant's thinking turn has none");
      assert.equal(breakpoints(sent).length, 3, `system and the two user turns: ${breakpoints(sent)}`);
      const start = data.map((d) => JSON.parse(d)).find((e) => e.type === "message_start");
      assert.ok(start.message.usage.cache_read_input_tokens > 0, JSON.stringify(start.message.usage));
    });

    it("keeps the client's own breakpoints exactly, and places none when the setting is off", async () => {
      const own = {
        model: "anthropic/claude-x", max_tokens: 20,
        system: [{ type: "text", text: SYSTEM, cache_control: { type: "ephemeral", ttl: "1h" } }],
        messages: [{ role: "user", content: "hi" }],
      };
      const r = await fetch(`${router.url}/v1/messages`, { method: "POST", headers: { "content-type": "application/json", "x-api-key": key }, body: JSON.stringify(own) });
      assert.equal(r.status, 200);
      await r.text();
      const sent = (await lastUpstream()).body;
      assert.deepEqual(breakpoints(sent), ["$.system[0]"]);
      assert.deepEqual(sent.system[0].cache_control, { type: "ephemeral", ttl: "1h" });

      const off = await admin.api("PUT", "/api/settings", { prompt_caching: false });
      assert.equal(off.status, 200, off.text);
      try {
        const r2 = await admin.chat(key, { model: "anthropic/claude-x", messages: [{ role: "system", content: SYSTEM }, { role: "user", content: "x" }] });
        assert.equal(r2.status, 200);
        await r2.text();
        assert.deepEqual(breakpoints((await lastUpstream()).body), []);
      } finally {
        await admin.api("PUT", "/api/settings", { prompt_caching: true });
      }
    });
  });
}
