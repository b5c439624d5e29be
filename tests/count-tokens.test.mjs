// Token counting through the upstream on both targets, against the mock upstream: Anthropic clients
// (`/v1/messages/count_tokens`) and Gemini clients (`:countTokens`) are answered by the routed upstream's own
// count endpoint where its format has one (Anthropic, Gemini, Code Assist), with the account's credentials, and
// by the documented local estimate otherwise (an OpenAI-format upstream, or an upstream whose count fails).
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient } from "./lib/client.mjs";

const CLAUDE_BODY = { system: "abcd", messages: [{ role: "user", content: "12345678" }] };
const GEMINI_BODY = { systemInstruction: { parts: [{ text: "abcd" }] }, contents: [{ role: "user", parts: [{ text: "12345678" }] }] };

for (const [name, start] of selectedTargets()) {
  describe(`count tokens via the upstream (${name})`, () => {
    let mock, router, key, anthropic;
    const seen = async () => (await mock.requests()).filter((r) => !r.path.startsWith("/__mock"));
    const countClaude = (model, extra = {}) => fetch(`${router.url}/v1/messages/count_tokens`, {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model, ...CLAUDE_BODY, ...extra }),
    });
    const countGemini = (model) => fetch(`${router.url}/v1beta/models/${model}:countTokens`, {
      method: "POST",
      headers: { "x-goog-api-key": key, "content-type": "application/json" },
      body: JSON.stringify(GEMINI_BODY),
    });

    before(async () => {
      mock = await startMock();
      router = await start();
      const admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("count");
      await admin.addConnection({ provider: "anthropic", name: "an", api_key: "sk-an", base_url: `${mock.url}/v1` });
      await admin.addConnection({ provider: "gemini", name: "gm", api_key: "sk-gm", base_url: `${mock.url}/v1beta` });
      await admin.addConnection({ provider: "gc", name: "gc", api_key: "tok-gc", base_url: mock.url, metadata: { project_id: "proj-gc" } });
      await admin.addConnection({ provider: "openai", name: "oa", api_key: "sk-oa", base_url: `${mock.url}/v1` });
      anthropic = new Anthropic({ apiKey: key, baseURL: router.url, maxRetries: 0 });
    });
    after(async () => { await router?.stop(); await mock?.close(); });
    beforeEach(async () => { await mock.reset(); });

    it("Anthropic client, Anthropic upstream: the SDK gets the upstream's count; only count fields are sent", async () => {
      const counted = await anthropic.messages.countTokens({
        model: "anthropic/claude-x", ...CLAUDE_BODY, thinking: { type: "enabled", budget_tokens: 1024 },
      });
      assert.equal(counted.input_tokens, 4321);
      const [req] = await seen();
      assert.equal(req.path, "/v1/messages/count_tokens");
      assert.equal(req.headers["x-api-key"], "sk-an", "the account's key, not the client's");
      assert.equal(req.headers["anthropic-version"], "2023-06-01");
      assert.deepEqual(req.body, { model: "claude-x", ...CLAUDE_BODY, thinking: { type: "enabled", budget_tokens: 1024 } });
      const raw = await countClaude("anthropic/claude-x", { max_tokens: 100, stream: true });
      assert.equal(raw.headers.get("x-9router-token-count"), "upstream");
      assert.equal((await raw.json()).input_tokens, 4321);
      const [, second] = await seen();
      assert.equal(second.body.max_tokens, undefined, "fields the count endpoint rejects are dropped");
      assert.equal(second.body.stream, undefined);
    });

    it("Gemini client, Gemini upstream: `:countTokens` with the qualified model in generateContentRequest", async () => {
      const res = await countGemini("gemini/gemini-2.5-pro");
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-9router-token-count"), "upstream");
      assert.deepEqual(await res.json(), { totalTokens: 8765 });
      const [req] = await seen();
      assert.equal(req.path, "/v1beta/models/gemini-2.5-pro:countTokens");
      assert.equal(req.headers["x-goog-api-key"], "sk-gm");
      assert.equal(req.body.generateContentRequest.model, "models/gemini-2.5-pro");
      assert.deepEqual(req.body.generateContentRequest.contents, GEMINI_BODY.contents);
    });

    it("Gemini client, Code Assist upstream: `v1internal:countTokens` with {request: {model, contents}}, no project", async () => {
      const res = await countGemini("gc/gemini-2.5-pro");
      assert.deepEqual(await res.json(), { totalTokens: 2468 });
      const [req] = await seen();
      assert.equal(req.path, "/v1internal:countTokens");
      assert.equal(req.headers.authorization, "Bearer tok-gc");
      assert.deepEqual(req.body, { request: { model: "models/gemini-2.5-pro", contents: GEMINI_BODY.contents } });
    });

    it("across formats: an Anthropic client counted by Gemini, a Gemini client counted by Anthropic", async () => {
      const claude = await countClaude("gemini/gemini-2.5-flash");
      assert.deepEqual(await claude.json(), { input_tokens: 8765 });
      const gemini = await countGemini("anthropic/claude-x");
      assert.deepEqual(await gemini.json(), { totalTokens: 4321 });
      const [toGemini, toClaude] = await seen();
      assert.equal(toGemini.path, "/v1beta/models/gemini-2.5-flash:countTokens");
      assert.equal(toGemini.body.generateContentRequest.contents[0].parts[0].text, "12345678");
      assert.equal(toClaude.path, "/v1/messages/count_tokens");
      assert.equal(toClaude.body.model, "claude-x");
      assert.equal(JSON.stringify(toClaude.body.messages).includes("12345678"), true);
    });

    it("falls back to the documented estimate: no count endpoint (OpenAI format), or the upstream's count fails", async () => {
      const openai = await countClaude("openai/gpt-4o-mini");
      assert.equal(openai.headers.get("x-9router-token-count"), "estimate");
      assert.equal((await openai.json()).input_tokens, 4 + 3, "16 characters / 4 + 3 per message");
      assert.equal((await seen()).length, 0, "nothing asked of an upstream without a count endpoint");
      await mock.script("sk-an", [{ status: 500 }]);
      const failed = await countClaude("anthropic/claude-x");
      assert.equal(failed.status, 200);
      assert.equal(failed.headers.get("x-9router-token-count"), "estimate");
      assert.equal((await failed.json()).input_tokens, 7);
      assert.equal((await seen()).length, 1, "the upstream was asked first");
      const gemini = await countGemini("openai/gpt-4o-mini");
      assert.equal((await gemini.json()).totalTokens, 7);
    });

    it("rejects a bad body in the client's format", async () => {
      const res = await fetch(`${router.url}/v1/messages/count_tokens`, {
        method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body: JSON.stringify({ model: "anthropic/claude-x" }),
      });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error.type, "invalid_request_error");
      assert.equal((await seen()).length, 0);
    });
  });
}
