// Format translation end to end on both targets, driven by the real SDKs (openai, @anthropic-ai/sdk):
// Claude clients served by OpenAI upstreams and the reverse, same-format passthrough fidelity, tool calls,
// streaming event grammar, errors in the client's own format, and a combo falling back across formats.
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient } from "./lib/client.mjs";

const WEATHER_TOOL = { name: "get_weather", input: { city: "Paris", unit: "celsius" } };

/** Asserts Anthropic's stream grammar over raw SSE event types. */
function assertAnthropicGrammar(types) {
  assert.equal(types[0], "message_start", types.join(","));
  assert.equal(types.filter((t) => t === "message_start").length, 1);
  assert.equal(types.at(-1), "message_stop");
  assert.equal(types.at(-2), "message_delta");
  let open = false;
  for (const t of types) {
    if (t === "content_block_start") { assert.ok(!open, "blocks never nest"); open = true; }
    if (t === "content_block_stop") { assert.ok(open); open = false; }
    if (t === "content_block_delta") assert.ok(open, "deltas only inside a block");
  }
  assert.ok(!open, "every block closed");
}

for (const [name, start] of selectedTargets()) {
  describe(`translation (${name})`, () => {
    let mock, router, admin, key, anthropic, openai;

    before(async () => {
      mock = await startMock();
      router = await start();
      admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("translation");
      await admin.addConnection({ provider: "openai", name: "oa", api_key: "sk-oa", base_url: `${mock.url}/v1` });
      await admin.addConnection({ provider: "anthropic", name: "an", api_key: "sk-an", base_url: `${mock.url}/v1` });
      anthropic = new Anthropic({ apiKey: key, baseURL: router.url, maxRetries: 0 });
      openai = new OpenAI({ apiKey: key, baseURL: `${router.url}/v1`, maxRetries: 0 });
    });
    after(async () => { await router?.stop(); await mock?.close(); });
    beforeEach(async () => { await mock.reset(); });

    it("Claude client → OpenAI upstream (JSON)", async () => {
      const msg = await anthropic.messages.create({
        model: "openai/gpt-4o-mini", max_tokens: 100, system: "be brief",
        messages: [{ role: "user", content: "hello claude" }],
      });
      assert.equal(msg.type, "message");
      assert.equal(msg.role, "assistant");
      assert.deepEqual(msg.content, [{ type: "text", text: "echo: hello claude" }]);
      assert.equal(msg.stop_reason, "end_turn");
      assert.equal(msg.usage.output_tokens, 7);
      const [seen] = await mock.requests();
      assert.equal(seen.path, "/v1/chat/completions");
      assert.equal(seen.body.model, "gpt-4o-mini");
      assert.equal(seen.headers.authorization, "Bearer sk-oa");
      assert.deepEqual(seen.body.messages[0], { role: "system", content: "be brief" });
      // OpenAI's own API: the limit as max_completion_tokens (its reasoning models refuse max_tokens).
      assert.equal(seen.body.max_completion_tokens, 100);
      assert.ok(!("max_tokens" in seen.body), JSON.stringify(Object.keys(seen.body)));
    });

    it("Claude client → OpenAI upstream (stream, tool call)", async () => {
      await mock.script("sk-oa", [{ tool: WEATHER_TOOL }]);
      const stream = anthropic.messages.stream({
        model: "openai/gpt-4o-mini", max_tokens: 100,
        tools: [{ name: "get_weather", description: "weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
        messages: [{ role: "user", content: "weather?" }],
      });
      const types = [];
      stream.on("streamEvent", (e) => types.push(e.type));
      const final = await stream.finalMessage();
      assertAnthropicGrammar(types);
      assert.equal(final.stop_reason, "tool_use");
      const call = final.content.find((b) => b.type === "tool_use");
      assert.equal(call.name, "get_weather");
      assert.ok(call.id, "tool call keeps an id");
      assert.deepEqual(call.input, WEATHER_TOOL.input);
      const [seen] = await mock.requests();
      assert.equal(seen.body.tools[0].function.name, "get_weather");
      assert.equal(seen.body.stream, true);
    });

    it("OpenAI client → Claude upstream (JSON and stream)", async () => {
      const done = await openai.chat.completions.create({ model: "anthropic/claude-x", messages: [{ role: "user", content: "hi openai" }] });
      assert.equal(done.choices[0].message.content, "echo: hi openai");
      assert.equal(done.choices[0].finish_reason, "stop");
      let [seen] = await mock.requests();
      assert.equal(seen.path, "/v1/messages");
      assert.equal(seen.headers["x-api-key"], "sk-an");
      assert.equal(seen.headers["anthropic-version"], "2023-06-01");
      assert.equal(typeof seen.body.max_tokens, "number", "Anthropic requires max_tokens");

      await mock.reset();
      const stream = await openai.chat.completions.create({
        model: "anthropic/claude-x", stream: true, stream_options: { include_usage: true },
        messages: [{ role: "user", content: "stream me" }],
      });
      let text = "", finish = null, usage = null;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        usage = chunk.usage ?? usage;
      }
      assert.equal(text, "echo: stream me");
      assert.equal(finish, "stop");
      assert.equal(usage?.completion_tokens, 7);
    });

    it("OpenAI client → Claude upstream: tool calls survive both ways", async () => {
      await mock.script("sk-an", [{ tool: WEATHER_TOOL }]);
      const res = await openai.chat.completions.create({
        model: "anthropic/claude-x",
        tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } }],
        messages: [{ role: "user", content: "weather?" }],
      });
      const call = res.choices[0].message.tool_calls[0];
      assert.equal(res.choices[0].finish_reason, "tool_calls");
      assert.equal(call.function.name, "get_weather");
      assert.deepEqual(JSON.parse(call.function.arguments), WEATHER_TOOL.input);

      await mock.reset();
      await openai.chat.completions.create({
        model: "anthropic/claude-x",
        messages: [
          { role: "user", content: "weather?" },
          { role: "assistant", content: null, tool_calls: [{ id: call.id, type: "function", function: call.function }] },
          { role: "tool", tool_call_id: call.id, content: "18C sunny" },
        ],
      });
      const [seen] = await mock.requests();
      const [user, assistant, result] = seen.body.messages;
      assert.equal(user.role, "user");
      assert.equal(assistant.content.find((b) => b.type === "tool_use").name, "get_weather");
      const toolResult = result.content.find((b) => b.type === "tool_result");
      assert.ok(toolResult, JSON.stringify(result));
      assert.equal(toolResult.tool_use_id, assistant.content.find((b) => b.type === "tool_use").id);
    });

    it("Claude client → Claude upstream passes the request through untouched", async () => {
      const body = {
        model: "anthropic/claude-x", max_tokens: 64, context_management: { edits: [] },
        messages: [
          { role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral" } }] },
          { role: "assistant", content: [{ type: "thinking", thinking: "hmm", signature: "sig/+==" }, { type: "text", text: "ok" }] },
          { role: "user", content: "again" },
        ],
      };
      const r = await fetch(`${router.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": key, "anthropic-beta": "context-management-2025-06-27", "anthropic-version": "2023-06-01" },
        body: JSON.stringify(body),
      });
      assert.equal(r.status, 200);
      const [seen] = await mock.requests();
      assert.deepEqual(seen.body, { ...body, model: "claude-x" }, "only the model changes");
      assert.equal(seen.headers["anthropic-beta"], "context-management-2025-06-27");
    });

    it("renders errors in the client's own format", async () => {
      const anon = new Anthropic({ apiKey: "sk-9r-wrong", baseURL: router.url, maxRetries: 0 });
      await assert.rejects(anon.messages.create({ model: "openai/x", max_tokens: 5, messages: [{ role: "user", content: "x" }] }), (e) => {
        assert.equal(e.status, 401);
        assert.equal(e.error?.type, "error");
        assert.equal(e.error?.error?.type, "authentication_error");
        return true;
      });
      await mock.script("sk-oa", [{ status: 400, body: { error: { message: "context too long", type: "invalid_request_error", code: "context_length_exceeded" } } }]);
      await assert.rejects(anthropic.messages.create({ model: "openai/x", max_tokens: 5, messages: [{ role: "user", content: "x" }] }), (e) => {
        assert.equal(e.status, 400);
        assert.equal(e.error?.error?.type, "invalid_request_error");
        assert.match(e.error?.error?.message, /context too long/);
        return true;
      });
      const bad = await fetch(`${router.url}/v1/messages`, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body: "{nope" });
      assert.equal(bad.status, 400);
      assert.equal((await bad.json()).error.type, "invalid_request_error");
    });

    it("estimates tokens for Claude Code's count_tokens", async () => {
      const counted = await anthropic.messages.countTokens({ model: "openai/x", system: "abcd", messages: [{ role: "user", content: "12345678" }] });
      assert.equal(counted.input_tokens, 4 + 3, "16 characters / 4 + 3 per message");
      const anon = await fetch(`${router.url}/v1/messages/count_tokens`, { method: "POST", body: "{}" });
      assert.equal(anon.status, 401);
      assert.equal((await anon.json()).type, "error");
    });

    it("a combo falls back from a Claude upstream to an OpenAI one for a Claude client", async () => {
      const combo = await admin.api("POST", "/api/combos", { name: "cross", models: ["anthropic/claude-x", "openai/gpt-4o-mini"] });
      assert.equal(combo.status, 201, combo.text);
      await mock.script("sk-an", [{ status: 529 }]);
      const msg = await anthropic.messages.create({ model: "cross", max_tokens: 50, messages: [{ role: "user", content: "fall" }] });
      assert.deepEqual(msg.content, [{ type: "text", text: "echo: fall" }]);
      assert.deepEqual((await mock.requests()).map((q) => q.path), ["/v1/messages", "/v1/chat/completions"]);
    });
  });
}
