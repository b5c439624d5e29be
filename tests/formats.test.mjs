// Responses (Codex) and Gemini clients and a Gemini upstream, on both targets: the OpenAI SDK's Responses API,
// Gemini REST (JSON, SSE and JSON-array streaming), and OpenAI clients served by a Gemini upstream.
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient, readSse } from "./lib/client.mjs";

for (const [name, start] of selectedTargets()) {
  describe(`responses and gemini (${name})`, () => {
    let mock, router, admin, key, openai;
    const gemini = (model, method, body, query = "") =>
      fetch(`${router.url}/v1beta/models/${model}:${method}${query}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-goog-api-key": key },
        body: JSON.stringify(body),
      });

    before(async () => {
      mock = await startMock();
      router = await start();
      admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("formats");
      await admin.addConnection({ provider: "openai", name: "oa", api_key: "sk-oa", base_url: `${mock.url}/v1` });
      await admin.addConnection({ provider: "gemini", name: "gm", api_key: "sk-gm", base_url: `${mock.url}/v1beta` });
      openai = new OpenAI({ apiKey: key, baseURL: `${router.url}/v1`, maxRetries: 0 });
    });
    after(async () => { await router?.stop(); await mock?.close(); });
    beforeEach(async () => { await mock.reset(); });

    it("serves the Responses API (Codex) from an OpenAI Chat upstream", async () => {
      const res = await openai.responses.create({
        model: "openai/gpt-4o-mini", instructions: "be brief", input: "hello codex",
        store: false, include: ["reasoning.encrypted_content"], prompt_cache_key: "session-1",
      });
      assert.equal(res.status, "completed");
      assert.equal(res.output_text, "echo: hello codex");
      const [seen] = await mock.requests();
      assert.deepEqual(seen.body.messages[0], { role: "system", content: "be brief" });
      for (const field of ["store", "include", "prompt_cache_key", "instructions", "input"]) {
        assert.ok(!(field in seen.body), `Responses-only field \`${field}\` must not reach a Chat upstream`);
      }

      await mock.reset();
      const stream = await openai.responses.create({ model: "openai/gpt-4o-mini", input: "stream codex", stream: true });
      const types = [];
      let text = "", last = -1;
      for await (const event of stream) {
        types.push(event.type);
        assert.ok(event.sequence_number > last, "sequence numbers increase");
        last = event.sequence_number;
        if (event.type === "response.output_text.delta") text += event.delta;
      }
      assert.equal(types[0], "response.created");
      assert.equal(types.at(-1), "response.completed");
      assert.equal(text, "echo: stream codex");
    });

    it("serves Gemini clients: JSON, SSE and JSON-array streams", async () => {
      const body = { systemInstruction: { parts: [{ text: "sys" }] }, contents: [{ role: "user", parts: [{ text: "hi gemini" }] }] };
      const plain = await gemini("openai/gpt-4o-mini", "generateContent", body);
      assert.equal(plain.status, 200);
      const json = await plain.json();
      assert.equal(json.candidates[0].content.parts.map((p) => p.text).join(""), "echo: hi gemini");
      assert.equal(json.candidates[0].finishReason, "STOP");
      assert.equal(json.usageMetadata.candidatesTokenCount, 7);

      const sse = await gemini("openai/gpt-4o-mini", "streamGenerateContent", body, "?alt=sse");
      const { data } = await readSse(sse, performance.now());
      const streamed = data.map((d) => JSON.parse(d)).flatMap((c) => c.candidates?.[0]?.content?.parts ?? []).map((p) => p.text ?? "").join("");
      assert.equal(streamed, "echo: hi gemini");

      const array = await gemini("openai/gpt-4o-mini", "streamGenerateContent", body);
      assert.match(array.headers.get("content-type"), /application\/json/);
      const chunks = JSON.parse(await array.text());
      assert.ok(Array.isArray(chunks) && chunks.length >= 2);
      assert.equal(chunks.at(-1).candidates[0].finishReason, "STOP");
    });

    it("serves OpenAI clients from a Gemini upstream, and Gemini clients untouched", async () => {
      const done = await openai.chat.completions.create({ model: "gemini/gemini-2.5-flash", messages: [{ role: "user", content: "to gemini" }] });
      assert.equal(done.choices[0].message.content, "echo: to gemini");
      let [seen] = await mock.requests();
      assert.equal(seen.path, "/v1beta/models/gemini-2.5-flash:generateContent");
      assert.equal(seen.headers["x-goog-api-key"], "sk-gm");
      assert.deepEqual(seen.body.contents, [{ role: "user", parts: [{ text: "to gemini" }] }]);

      await mock.reset();
      const stream = await openai.chat.completions.create({ model: "gemini/gemini-2.5-flash", stream: true, messages: [{ role: "user", content: "stream gemini" }] });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      assert.equal(text, "echo: stream gemini");
      [seen] = await mock.requests();
      assert.equal(seen.path, "/v1beta/models/gemini-2.5-flash:streamGenerateContent");

      await mock.reset();
      const body = { contents: [{ role: "user", parts: [{ text: "same format" }] }], safetySettings: [] };
      const same = await gemini("gemini/gemini-2.5-flash", "generateContent", body, `?key=${key}`);
      assert.equal(same.status, 200);
      [seen] = await mock.requests();
      assert.deepEqual(seen.body, body, "passed through untouched");
    });

    it("renders errors in the Gemini format and estimates countTokens", async () => {
      const bad = await gemini("nosuch/model", "generateContent", { contents: [] });
      assert.equal(bad.status, 404);
      const err = await bad.json();
      assert.equal(err.error.status, "NOT_FOUND");
      assert.equal(err.error.code, 404);
      const counted = await gemini("openai/x", "countTokens", { contents: [{ role: "user", parts: [{ text: "12345678" }] }] });
      assert.equal((await counted.json()).totalTokens, 3 + 3);
    });
  });
}
