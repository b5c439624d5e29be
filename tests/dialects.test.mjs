// The OAuth providers' upstream dialects end to end on both targets, against the mock upstream: Codex (`cx`,
// Responses on the ChatGPT backend, always streamed upstream), Gemini CLI (`gc`) and Antigravity (`ag`, Gemini in
// the Code Assist envelope) and Kiro (`kr`, AWS event-stream). For each: the upstream URL, headers and body shape
// the mock saw, and the client's result, streaming and not, with a tool call round trip.
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient, readSse } from "./lib/client.mjs";

const WEATHER = { name: "get_weather", input: { city: "Paris", unit: "celsius" } };
const CHAT_TOOLS = [{ type: "function", function: { name: "get_weather", description: "weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
const CLAUDE_TOOLS = [{ name: "get_weather", description: "weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }];

/** Collects an OpenAI Chat stream: text, tool calls by index, finish reason, usage. */
async function collectChat(stream) {
  let text = "", finish = null, usage = null;
  const calls = [];
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    text += choice?.delta?.content ?? "";
    for (const call of choice?.delta?.tool_calls ?? []) {
      calls[call.index] ??= { id: "", name: "", arguments: "" };
      calls[call.index].id ||= call.id ?? "";
      calls[call.index].name += call.function?.name ?? "";
      calls[call.index].arguments += call.function?.arguments ?? "";
    }
    finish = choice?.finish_reason ?? finish;
    usage = chunk.usage ?? usage;
  }
  return { text, calls, finish, usage };
}

/** The follow-up turn of a Chat tool-call round trip. */
function chatFollowUp(model, call) {
  return {
    model,
    tools: CHAT_TOOLS,
    messages: [
      { role: "user", content: "weather?" },
      { role: "assistant", content: null, tool_calls: [{ id: call.id, type: "function", function: { name: call.function.name, arguments: call.function.arguments } }] },
      { role: "tool", tool_call_id: call.id, content: "18C sunny" },
    ],
  };
}

for (const [name, start] of selectedTargets()) {
  describe(`upstream dialects (${name})`, () => {
    let mock, router, admin, key, openai, anthropic;
    const seen = async () => (await mock.requests()).filter((r) => !r.path.startsWith("/__mock"));

    before(async () => {
      mock = await startMock();
      router = await start();
      admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("dialects");
      const add = (body) => admin.addConnection(body);
      await add({ provider: "cx", name: "cx-a", api_key: "tok-cx-a", base_url: `${mock.url}/backend-api/codex`, priority: 0, metadata: { chatgpt_account_id: "acct-a" } });
      await add({ provider: "cx", name: "cx-b", api_key: "tok-cx-b", base_url: `${mock.url}/backend-api/codex`, priority: 1, metadata: { chatgpt_account_id: "acct-b" } });
      await add({ provider: "gc", name: "gc", api_key: "tok-gc", base_url: mock.url, metadata: { project_id: "proj-gc" } });
      await add({ provider: "ag", name: "ag", api_key: "tok-ag", base_url: mock.url, metadata: { project_id: "proj-ag" } });
      await add({ provider: "kr", name: "kr-a", api_key: "tok-kr-a", base_url: mock.url, priority: 0, metadata: { profile_arn: "arn:aws:codewhisperer:us-east-1:123456789012:profile/MOCK" } });
      await add({ provider: "kr", name: "kr-b", api_key: "tok-kr-b", base_url: mock.url, priority: 1 });
      openai = new OpenAI({ apiKey: key, baseURL: `${router.url}/v1`, maxRetries: 0 });
      anthropic = new Anthropic({ apiKey: key, baseURL: router.url, maxRetries: 0 });
    });
    after(async () => { await router?.stop(); await mock?.close(); });
    beforeEach(async () => { await mock.reset(); });

    // ---- cx: Codex (Responses on the ChatGPT backend) -------------------------------------------------------
    describe("cx (Codex)", () => {
      it("Chat client, JSON: tool call round trip, upstream always streamed with Codex's body rules", async () => {
        await mock.script("tok-cx-a", [{ tool: WEATHER }]);
        const res = await openai.chat.completions.create({
          model: "cx/gpt-5-codex", max_tokens: 50, temperature: 0.3, tools: CHAT_TOOLS,
          messages: [{ role: "system", content: "be brief" }, { role: "user", content: "weather?" }],
        });
        assert.equal(res.choices[0].finish_reason, "tool_calls");
        const call = res.choices[0].message.tool_calls[0];
        assert.equal(call.function.name, "get_weather");
        assert.deepEqual(JSON.parse(call.function.arguments), WEATHER.input);
        assert.equal(res.usage.prompt_tokens, 11);

        const [up] = await seen();
        assert.equal(up.path, "/backend-api/codex/responses");
        assert.equal(up.headers.authorization, "Bearer tok-cx-a");
        assert.equal(up.headers["chatgpt-account-id"], "acct-a");
        assert.equal(up.headers.originator, "codex_cli_rs");
        assert.equal(up.headers.accept, "text/event-stream");
        assert.equal(up.body.model, "gpt-5-codex");
        assert.equal(up.body.stream, true, "the Codex backend is always asked for a stream");
        assert.equal(up.body.store, false);
        assert.equal(up.body.instructions, "be brief");
        for (const field of ["max_output_tokens", "temperature", "max_tokens"]) assert.ok(!(field in up.body), field);
        assert.deepEqual(up.body.tools.map((t) => [t.type, t.name]), [["function", "get_weather"]]);

        await mock.reset();
        const done = await openai.chat.completions.create(chatFollowUp("cx/gpt-5-codex", call));
        assert.equal(done.choices[0].message.content, "echo: weather?");
        const [next] = await seen();
        const fc = next.body.input.find((i) => i.type === "function_call");
        const out = next.body.input.find((i) => i.type === "function_call_output");
        assert.equal(fc.name, "get_weather");
        assert.equal(fc.call_id, call.id);
        assert.equal(out.call_id, call.id);
        assert.equal(out.output, "18C sunny");
      });

      it("Chat client, stream: text and usage", async () => {
        const stream = await openai.chat.completions.create({
          model: "cx/gpt-5-codex", stream: true, stream_options: { include_usage: true },
          messages: [{ role: "user", content: "stream codex" }],
        });
        const got = await collectChat(stream);
        assert.equal(got.text, "echo: stream codex");
        assert.equal(got.finish, "stop");
        assert.equal(got.usage?.completion_tokens, 7);
      });

      it("Claude client, stream: tool call", async () => {
        await mock.script("tok-cx-a", [{ tool: WEATHER }]);
        const stream = anthropic.messages.stream({ model: "cx/gpt-5-codex", max_tokens: 100, tools: CLAUDE_TOOLS, messages: [{ role: "user", content: "weather?" }] });
        const final = await stream.finalMessage();
        assert.equal(final.stop_reason, "tool_use");
        const call = final.content.find((b) => b.type === "tool_use");
        assert.equal(call.name, "get_weather");
        assert.deepEqual(call.input, WEATHER.input);
      });

      it("Responses client, JSON: passed through with Codex's body rules, answer aggregated from the stream", async () => {
        const res = await openai.responses.create({ model: "cx/gpt-5-codex", input: "hello codex", max_output_tokens: 64, store: true });
        assert.equal(res.status, "completed");
        assert.equal(res.output_text, "echo: hello codex");
        const [up] = await seen();
        assert.equal(up.body.stream, true);
        assert.equal(up.body.store, false);
        assert.equal(up.body.instructions, "");
        assert.ok(!("max_output_tokens" in up.body));
        assert.deepEqual(up.body.input, [{ type: "message", role: "user", content: [{ type: "input_text", text: "hello codex" }] }]);
      });

      it("an error inside the 200 stream falls back to the next account before the first byte", async () => {
        // Distinct prompts and models: neither session affinity nor a cooldown from one case steers the next.
        for (const [stream, type] of [[true, "response.failed"], [false, "error"], [true, "error"], [false, "response.failed"]]) {
          await mock.reset();
          await mock.script("tok-cx-a", [{ streamError: { type, code: "server_error", message: "backend hiccup" } }]);
          const model = `cx/gpt-5-fail-${stream}-${type}`;
          const content = `fall ${stream} ${type}`;
          if (stream) {
            const got = await collectChat(await openai.chat.completions.create({ model, stream: true, messages: [{ role: "user", content }] }));
            assert.equal(got.text, `echo: ${content}`);
          } else {
            const res = await openai.chat.completions.create({ model, messages: [{ role: "user", content }] });
            assert.equal(res.choices[0].message.content, `echo: ${content}`);
          }
          assert.deepEqual((await seen()).map((q) => q.headers.authorization), ["Bearer tok-cx-a", "Bearer tok-cx-b"], `${stream} ${type}`);
        }
      });

      it("an invalid-request error inside the stream reaches the client in its format, no fallback", async () => {
        await mock.script("tok-cx-a", [{ streamError: { code: "context_length_exceeded", message: "input too long" } }]);
        await assert.rejects(
          anthropic.messages.create({ model: "cx/gpt-5-too-long", max_tokens: 10, messages: [{ role: "user", content: "long" }] }),
          (e) => e.status === 400 && e.error?.error?.type === "invalid_request_error" && /input too long/.test(e.error?.error?.message),
        );
        assert.deepEqual((await seen()).map((q) => q.headers.authorization), ["Bearer tok-cx-a"]);
      });
    });

    // ---- gc / ag: Code Assist envelope ----------------------------------------------------------------------
    describe("gc (Gemini CLI)", () => {
      it("Chat client, JSON: envelope with the account's project, tool call round trip", async () => {
        await mock.script("tok-gc", [{ tool: WEATHER }]);
        const res = await openai.chat.completions.create({ model: "gc/gemini-2.5-pro", tools: CHAT_TOOLS, messages: [{ role: "user", content: "weather?" }] });
        assert.equal(res.choices[0].finish_reason, "tool_calls");
        const call = res.choices[0].message.tool_calls[0];
        assert.equal(call.function.name, "get_weather");
        assert.deepEqual(JSON.parse(call.function.arguments), WEATHER.input);
        const [up] = await seen();
        assert.equal(up.path, "/v1internal:generateContent");
        assert.equal(up.headers.authorization, "Bearer tok-gc");
        assert.match(up.headers["user-agent"], /^GeminiCLI\//);
        assert.equal(up.body.project, "proj-gc");
        assert.equal(up.body.model, "gemini-2.5-pro");
        assert.deepEqual(up.body.request.contents, [{ role: "user", parts: [{ text: "weather?" }] }]);
        assert.equal(up.body.request.tools[0].functionDeclarations[0].name, "get_weather");

        await mock.reset();
        await openai.chat.completions.create(chatFollowUp("gc/gemini-2.5-pro", call));
        const [next] = await seen();
        const parts = next.body.request.contents.flatMap((c) => c.parts);
        assert.equal(parts.find((p) => p.functionCall)?.functionCall.name, "get_weather");
        assert.equal(parts.find((p) => p.functionResponse)?.functionResponse.name, "get_weather");
      });

      it("Claude client, stream: `:streamGenerateContent?alt=sse`, unwrapped", async () => {
        const stream = anthropic.messages.stream({ model: "gc/gemini-2.5-pro", max_tokens: 100, messages: [{ role: "user", content: "hello gc" }] });
        const final = await stream.finalMessage();
        assert.deepEqual(final.content, [{ type: "text", text: "echo: hello gc" }]);
        assert.equal(final.usage.output_tokens, 7);
        const [up] = await seen();
        assert.equal(up.path, "/v1internal:streamGenerateContent");
        assert.equal(up.query, "?alt=sse");
        assert.equal(up.body.project, "proj-gc");
      });

      it("Gemini client, stream and JSON", async () => {
        const ask = (method, query) => fetch(`${router.url}/v1beta/models/gc/gemini-2.5-flash:${method}${query}`, {
          method: "POST", headers: { "content-type": "application/json", "x-goog-api-key": key },
          body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi gemini" }] }] }),
        });
        const r = await ask("streamGenerateContent", "?alt=sse");
        const { data } = await readSse(r, performance.now());
        const text = data.map((d) => JSON.parse(d)).flatMap((c) => c.candidates?.[0]?.content?.parts ?? []).map((p) => p.text ?? "").join("");
        assert.equal(text, "echo: hi gemini");
        const json = await (await ask("generateContent", "")).json();
        assert.equal(json.candidates[0].content.parts[0].text, "echo: hi gemini");
        assert.ok(!("response" in json), "the envelope never reaches the client");
      });
    });

    describe("ag (Antigravity)", () => {
      it("Chat client, stream and JSON: Antigravity envelope fields, model ids with thinking level", async () => {
        await mock.script("tok-ag", [{ tool: WEATHER }]);
        const got = await collectChat(await openai.chat.completions.create({
          model: "ag/gemini-3-pro-high", stream: true, tools: CHAT_TOOLS, messages: [{ role: "user", content: "weather?" }],
        }));
        assert.equal(got.finish, "tool_calls");
        assert.equal(got.calls[0].name, "get_weather");
        assert.ok(got.calls[0].id);
        assert.deepEqual(JSON.parse(got.calls[0].arguments), WEATHER.input);
        const [up] = await seen();
        assert.equal(up.path, "/v1internal:streamGenerateContent");
        assert.match(up.headers["user-agent"], /^antigravity\//);
        assert.equal(up.body.model, "gemini-3-pro-high");
        assert.equal(up.body.project, "proj-ag");
        assert.equal(up.body.userAgent, "antigravity");
        assert.equal(up.body.requestType, "agent");
        assert.match(up.body.requestId, /^agent-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

        await mock.reset();
        const call = { id: got.calls[0].id, function: { name: got.calls[0].name, arguments: got.calls[0].arguments } };
        const done = await openai.chat.completions.create(chatFollowUp("ag/claude-sonnet-4-6", call));
        assert.match(done.choices[0].message.content, /^echo: /);
        const [next] = await seen();
        assert.equal(next.path, "/v1internal:generateContent");
        assert.equal(next.body.model, "claude-sonnet-4-6");
        const parts = next.body.request.contents.flatMap((c) => c.parts);
        assert.ok(parts.some((p) => p.functionResponse?.name === "get_weather"), JSON.stringify(parts));
      });
    });

    // ---- kr: Kiro (AWS event-stream) ------------------------------------------------------------------------
    describe("kr (Kiro)", () => {
      it("Chat client, JSON: conversationState out, event-stream in, tool call round trip", async () => {
        await mock.script("tok-kr-a", [{ tool: WEATHER }]);
        const res = await openai.chat.completions.create({
          model: "kr/claude-sonnet-4-5", tools: CHAT_TOOLS, messages: [{ role: "system", content: "be brief" }, { role: "user", content: "weather?" }],
        });
        assert.equal(res.choices[0].finish_reason, "tool_calls");
        assert.equal(res.choices[0].message.content, "Let me check. ");
        const call = res.choices[0].message.tool_calls[0];
        assert.equal(call.id, "tooluse_mock1");
        assert.equal(call.function.name, "get_weather");
        assert.deepEqual(JSON.parse(call.function.arguments), WEATHER.input);
        assert.equal(res.usage.prompt_tokens, 11);
        assert.equal(res.usage.completion_tokens, 7);

        const [up] = await seen();
        assert.equal(up.path, "/generateAssistantResponse");
        assert.equal(up.headers.authorization, "Bearer tok-kr-a");
        assert.equal(up.headers["x-amz-target"], "AmazonCodeWhispererStreamingService.GenerateAssistantResponse");
        assert.equal(up.headers.accept, "application/vnd.amazon.eventstream");
        assert.match(up.headers["amz-sdk-invocation-id"], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(up.body.profileArn, "arn:aws:codewhisperer:us-east-1:123456789012:profile/MOCK");
        const state = up.body.conversationState;
        assert.equal(state.chatTriggerType, "MANUAL");
        assert.deepEqual(state.history, []);
        const current = state.currentMessage.userInputMessage;
        assert.equal(current.content, "be brief\n\nweather?");
        assert.equal(current.modelId, "claude-sonnet-4.5");
        assert.equal(current.origin, "AI_EDITOR");
        assert.deepEqual(current.userInputMessageContext.tools[0].toolSpecification.name, "get_weather");
        assert.deepEqual(current.userInputMessageContext.tools[0].toolSpecification.inputSchema.json, CHAT_TOOLS[0].function.parameters);

        await mock.reset();
        const followUp = chatFollowUp("kr/claude-sonnet-4-5", call);
        followUp.messages.unshift({ role: "system", content: "be brief" });
        const done = await openai.chat.completions.create(followUp);
        assert.equal(done.choices[0].finish_reason, "stop");
        const [next] = await seen();
        const [user, assistant] = next.body.conversationState.history;
        assert.equal(user.userInputMessage.content, "be brief\n\nweather?");
        assert.deepEqual(assistant.assistantResponseMessage.toolUses, [{ toolUseId: call.id, name: "get_weather", input: WEATHER.input }]);
        const results = next.body.conversationState.currentMessage.userInputMessage.userInputMessageContext.toolResults;
        assert.deepEqual(results, [{ toolUseId: call.id, status: "success", content: [{ text: "18C sunny" }] }]);
        assert.equal(next.body.conversationState.conversationId, state.conversationId, "one id per conversation");
      });

      it("Claude client, stream: text and usage", async () => {
        const stream = anthropic.messages.stream({ model: "kr/claude-sonnet-4.5", max_tokens: 100, messages: [{ role: "user", content: "hello kiro" }] });
        const final = await stream.finalMessage();
        assert.deepEqual(final.content, [{ type: "text", text: "echo: hello kiro" }]);
        assert.equal(final.stop_reason, "end_turn");
        assert.equal(final.usage.output_tokens, 7);
      });

      it("Responses client, stream: tool call", async () => {
        await mock.script("tok-kr-a", [{ tool: WEATHER }]);
        const stream = await openai.responses.create({ model: "kr/claude-haiku-4.5", input: "weather?", stream: true, tools: [{ type: "function", name: "get_weather", parameters: { type: "object", properties: {} } }] });
        let done = null;
        for await (const event of stream) if (event.type === "response.completed") done = event.response;
        const call = done.output.find((o) => o.type === "function_call");
        assert.equal(call.name, "get_weather");
        assert.equal(call.call_id, "tooluse_mock1");
        assert.deepEqual(JSON.parse(call.arguments), WEATHER.input);
      });

      it("a corrupt frame before any content falls back to the next account; the next has no profile ARN", async () => {
        for (const [stream, kind] of [[false, "crc"], [true, "crc"], [true, "cut"], [false, "cut"]]) {
          await mock.reset();
          await mock.script("tok-kr-a", [{ kiroFault: { kind, at: 0 } }]);
          const model = `kr/claude-fault-${stream}-${kind}`;
          const content = `kiro fault ${stream} ${kind}`;
          if (stream) {
            const got = await collectChat(await openai.chat.completions.create({ model, stream: true, messages: [{ role: "user", content }] }));
            assert.equal(got.text, `echo: ${content}`);
          } else {
            const res = await openai.chat.completions.create({ model, messages: [{ role: "user", content }] });
            assert.equal(res.choices[0].message.content, `echo: ${content}`);
          }
          const ups = await seen();
          assert.deepEqual(ups.map((q) => q.headers.authorization), ["Bearer tok-kr-a", "Bearer tok-kr-b"], `${stream} ${kind}`);
          assert.ok(!("profileArn" in ups[1].body));
        }
      });

      it("a corrupt or cut frame after content ends the client's stream with an error event", async () => {
        for (const kind of ["crc", "cut"]) {
          await mock.reset();
          await mock.script("tok-kr-a", [{ kiroFault: { kind, at: 2 }, text: "one two three four", eventDelayMs: 20 }]);
          const r = await openai.chat.completions.create({
            model: `kr/claude-late-${kind}`, stream: true, messages: [{ role: "user", content: `late ${kind}` }],
          }).asResponse();
          const { data } = await readSse(r, performance.now());
          assert.notEqual(data.at(-1), "[DONE]", JSON.stringify(data));
          const last = JSON.parse(data.at(-1));
          assert.match(last.error?.message ?? "", kind === "crc" ? /CRC mismatch/ : /ended inside a frame/, JSON.stringify(last));
          const text = data.slice(0, -1).map((d) => JSON.parse(d).choices?.[0]?.delta?.content ?? "").join("");
          assert.equal(text, "one two ", "the frames before the fault reached the client");
          assert.deepEqual((await seen()).map((q) => q.headers.authorization), ["Bearer tok-kr-a"], "no fallback after content");
        }
      });
    });
  });
}
