// The translation grid end to end on both targets (issue #4): every client format (OpenAI Chat, Responses,
// Anthropic Messages, Gemini) × every upstream dialect of the mock (OpenAI Chat, Codex Responses, Anthropic
// Messages, Gemini, Gemini CLI's Code Assist envelope, Kiro's AWS event-stream) × {JSON, stream} × {plain text,
// one tool call}, over real sockets. Each case checks the status, the request the mock upstream received (path,
// model, the user text and the tool definition in the upstream's format) and the client's answer in its own
// format: the text the mock answered, the tool call's name and arguments, and for streams the event grammar.
// The in-process counterpart (all format pairs, finer fields) is shared/tests/golden_grid.rs.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient } from "./lib/client.mjs";

const WEATHER = { name: "get_weather", input: { city: "Paris", unit: "celsius" } };
const SCHEMA = { type: "object", properties: { city: { type: "string" }, unit: { type: "string" } }, required: ["city"] };
const DESCRIPTION = "Current weather in a city";
/** Kiro's canned tool-call answer says this before the tool call (tests/lib/mock-dialects.mjs). */
const KIRO_PREAMBLE = "Let me check. ";

/** Cases failing because of a known router bug, reported as `todo`: `${client}|${upstream}|${mode}|${kind}` → reason
 * (none at present). */
const KNOWN_BUGS = {};

// ---- upstreams ---------------------------------------------------------------------------------------------------

/** Schema with type names lower-cased (Gemini's OpenAPI subset may upper-case them). */
function normalizeSchema(value) {
  if (Array.isArray(value)) return value.map(normalizeSchema);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "type" && typeof v === "string" ? v.toLowerCase() : normalizeSchema(v)]));
}

const textOf = (content, type) => (typeof content === "string" ? content
  : (content ?? []).filter((p) => p.type === type).map((p) => p.text).join(""));

const geminiUserText = (contents) => {
  const last = [...(contents ?? [])].reverse().find((c) => c.role === "user");
  return (last?.parts ?? []).filter((p) => typeof p.text === "string").map((p) => p.text).join("");
};

function checkGeminiTool(tools) {
  const decl = (tools ?? []).flatMap((t) => t.functionDeclarations ?? []);
  assert.equal(decl.length, 1, JSON.stringify(tools));
  assert.equal(decl[0].name, WEATHER.name);
  assert.deepEqual(normalizeSchema(decl[0].parameters ?? decl[0].parametersJsonSchema), SCHEMA);
}

/**
 * Upstream providers: the connection to add, the model to ask for, and a check of the request the mock received.
 */
const UPSTREAMS = {
  openai: {
    model: "openai/gpt-4o-mini",
    /** The mock's Chat stream counts its words as completion tokens (7 elsewhere). */
    outputTokens: ({ prompt, stream }) => (stream ? `echo: ${prompt}`.match(/\S+\s*/g).length : 7),
    connection: (mock) => ({ provider: "openai", name: "grid-oa", api_key: "sk-oa", base_url: `${mock}/v1` }),
    check(up, { prompt, tool, stream }) {
      assert.equal(up.path, "/v1/chat/completions");
      assert.equal(up.headers.authorization, "Bearer sk-oa");
      assert.equal(up.body.model, "gpt-4o-mini");
      assert.equal(Boolean(up.body.stream), stream);
      const user = up.body.messages.filter((m) => m.role === "user").at(-1);
      assert.equal(textOf(user.content, "text"), prompt);
      if (tool) {
        assert.equal(up.body.tools.length, 1);
        assert.equal(up.body.tools[0].type, "function");
        assert.equal(up.body.tools[0].function.name, WEATHER.name);
        assert.deepEqual(up.body.tools[0].function.parameters, SCHEMA);
      } else assert.ok(!up.body.tools?.length);
    },
  },
  cx: {
    model: "cx/gpt-5-codex",
    connection: (mock) => ({ provider: "cx", name: "grid-cx", api_key: "tok-cx", base_url: `${mock}/backend-api/codex`, metadata: { chatgpt_account_id: "acct-grid" } }),
    check(up, { prompt, tool }) {
      assert.equal(up.path, "/backend-api/codex/responses");
      assert.equal(up.headers.authorization, "Bearer tok-cx");
      assert.equal(up.headers["chatgpt-account-id"], "acct-grid");
      assert.equal(up.body.model, "gpt-5-codex");
      assert.equal(up.body.stream, true, "the Codex backend is always asked for a stream");
      const user = up.body.input.filter((i) => i.role === "user").at(-1);
      assert.equal(textOf(user.content, "input_text"), prompt);
      if (tool) {
        assert.equal(up.body.tools.length, 1);
        assert.deepEqual([up.body.tools[0].type, up.body.tools[0].name], ["function", WEATHER.name]);
        assert.deepEqual(up.body.tools[0].parameters, SCHEMA);
      } else assert.ok(!up.body.tools?.length);
    },
  },
  anthropic: {
    model: "anthropic/claude-x",
    connection: (mock) => ({ provider: "anthropic", name: "grid-an", api_key: "sk-an", base_url: `${mock}/v1` }),
    check(up, { prompt, tool, stream }) {
      assert.equal(up.path, "/v1/messages");
      assert.equal(up.headers["x-api-key"], "sk-an");
      assert.equal(up.body.model, "claude-x");
      assert.equal(Boolean(up.body.stream), stream);
      assert.equal(typeof up.body.max_tokens, "number");
      const user = up.body.messages.filter((m) => m.role === "user").at(-1);
      assert.equal(textOf(user.content, "text"), prompt);
      if (tool) {
        assert.equal(up.body.tools.length, 1);
        assert.equal(up.body.tools[0].name, WEATHER.name);
        assert.deepEqual(up.body.tools[0].input_schema, SCHEMA);
      } else assert.ok(!up.body.tools?.length);
    },
  },
  gemini: {
    model: "gemini/gemini-2.5-flash",
    connection: (mock) => ({ provider: "gemini", name: "grid-gm", api_key: "sk-gm", base_url: `${mock}/v1beta` }),
    check(up, { prompt, tool, stream }) {
      assert.equal(up.path, `/v1beta/models/gemini-2.5-flash:${stream ? "streamGenerateContent" : "generateContent"}`);
      assert.equal(up.headers["x-goog-api-key"], "sk-gm");
      if (stream) assert.match(up.query, /alt=sse/);
      assert.equal(geminiUserText(up.body.contents), prompt);
      if (tool) checkGeminiTool(up.body.tools);
      else assert.ok(!up.body.tools?.length);
    },
  },
  gc: {
    model: "gc/gemini-2.5-pro",
    connection: (mock) => ({ provider: "gc", name: "grid-gc", api_key: "tok-gc", base_url: mock, metadata: { project_id: "proj-grid" } }),
    check(up, { prompt, tool, stream }) {
      assert.equal(up.path, `/v1internal:${stream ? "streamGenerateContent" : "generateContent"}`);
      assert.equal(up.headers.authorization, "Bearer tok-gc");
      if (stream) assert.match(up.query, /alt=sse/);
      assert.equal(up.body.model, "gemini-2.5-pro");
      assert.equal(up.body.project, "proj-grid");
      assert.equal(geminiUserText(up.body.request.contents), prompt);
      if (tool) checkGeminiTool(up.body.request.tools);
      else assert.ok(!up.body.request.tools?.length);
    },
  },
  kr: {
    model: "kr/claude-sonnet-4.5",
    connection: (mock) => ({ provider: "kr", name: "grid-kr", api_key: "tok-kr", base_url: mock, metadata: { profile_arn: "arn:aws:codewhisperer:us-east-1:123456789012:profile/GRID" } }),
    check(up, { prompt, tool }) {
      assert.equal(up.path, "/generateAssistantResponse");
      assert.equal(up.headers.authorization, "Bearer tok-kr");
      assert.equal(up.body.profileArn, "arn:aws:codewhisperer:us-east-1:123456789012:profile/GRID");
      const current = up.body.conversationState.currentMessage.userInputMessage;
      assert.equal(current.modelId, "claude-sonnet-4.5");
      assert.equal(current.content, prompt);
      const tools = current.userInputMessageContext?.tools ?? [];
      if (tool) {
        assert.equal(tools.length, 1);
        assert.equal(tools[0].toolSpecification.name, WEATHER.name);
        assert.deepEqual(tools[0].toolSpecification.inputSchema.json, SCHEMA);
      } else assert.equal(tools.length, 0);
    },
  },
};

// ---- clients -----------------------------------------------------------------------------------------------------

/** Parses an SSE body into events `{event, data}` (data JSON-parsed unless `[DONE]`). */
function parseSse(body) {
  const events = [];
  for (const block of body.replace(/\r\n/g, "\n").split("\n\n")) {
    if (!block.trim()) continue;
    let event = null;
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (!data.length) continue;
    const raw = data.join("\n");
    events.push({ event, data: raw === "[DONE]" ? raw : JSON.parse(raw) });
  }
  return events;
}

/** Asserts Anthropic's stream grammar over the event types (as tests/translation.test.mjs does). */
function assertAnthropicGrammar(types) {
  const all = types.join(",");
  assert.equal(types[0], "message_start", all);
  assert.equal(types.filter((t) => t === "message_start").length, 1, all);
  assert.equal(types.filter((t) => t === "message_stop").length, 1, all);
  assert.equal(types.at(-1), "message_stop", all);
  assert.equal(types.at(-2), "message_delta", all);
  let open = false;
  for (const t of types) {
    if (t === "content_block_start") { assert.ok(!open, `blocks never nest: ${all}`); open = true; }
    if (t === "content_block_stop") { assert.ok(open, all); open = false; }
    if (t === "content_block_delta") assert.ok(open, `deltas only inside a block: ${all}`);
  }
  assert.ok(!open, `every block closed: ${all}`);
}

/**
 * Client formats: `request` builds the fetch (path, headers, body) for one case; `json` and `stream` read the
 * answer, assert its shape and grammar, and return `{text, calls: [{name, args}], finish}` with `finish` one of
 * "stop" / "tool".
 */
const CLIENTS = {
  chat: {
    request: ({ model, prompt, tool, stream }) => ({
      path: "/v1/chat/completions",
      headers: { authorization: "Bearer KEY" },
      body: {
        model, stream, messages: [{ role: "user", content: prompt }],
        ...(stream ? { stream_options: { include_usage: true } } : {}),
        ...(tool ? { tools: [{ type: "function", function: { name: WEATHER.name, description: DESCRIPTION, parameters: SCHEMA } }] } : {}),
      },
    }),
    json(body) {
      assert.equal(body.object, "chat.completion");
      const [choice] = body.choices;
      const calls = (choice.message.tool_calls ?? []).map((c) => {
        assert.equal(c.type, "function");
        assert.ok(c.id, "tool call has an id");
        return { name: c.function.name, args: JSON.parse(c.function.arguments) };
      });
      return {
        text: choice.message.content ?? "", calls, finish: { stop: "stop", tool_calls: "tool" }[choice.finish_reason],
        usage: { input: body.usage?.prompt_tokens, output: body.usage?.completion_tokens },
      };
    },
    stream(events) {
      assert.ok(events.length >= 2);
      assert.equal(events.at(-1).data, "[DONE]", "ends with data: [DONE]");
      assert.equal(events.filter((e) => e.data === "[DONE]").length, 1);
      let text = "", finish = null, usage = null;
      const calls = [];
      for (const { data } of events.slice(0, -1)) {
        assert.equal(data.object, "chat.completion.chunk", JSON.stringify(data));
        assert.ok(!data.error, JSON.stringify(data));
        if (data.usage) usage = data.usage;
        const choice = data.choices?.[0];
        if (!choice) continue; // the usage chunk
        text += choice.delta?.content ?? "";
        for (const c of choice.delta?.tool_calls ?? []) {
          calls[c.index] ??= { id: "", name: "", arguments: "" };
          calls[c.index].id ||= c.id ?? "";
          calls[c.index].name += c.function?.name ?? "";
          calls[c.index].arguments += c.function?.arguments ?? "";
        }
        if (choice.finish_reason) { assert.equal(finish, null, "one finish_reason"); finish = choice.finish_reason; }
      }
      return {
        text,
        calls: calls.map((c) => { assert.ok(c.id, "tool call has an id"); return { name: c.name, args: JSON.parse(c.arguments) }; }),
        finish: { stop: "stop", tool_calls: "tool" }[finish],
        usage: { input: usage?.prompt_tokens, output: usage?.completion_tokens },
      };
    },
  },

  responses: {
    request: ({ model, prompt, tool, stream }) => ({
      path: "/v1/responses",
      headers: { authorization: "Bearer KEY" },
      body: {
        model, stream, input: prompt,
        ...(tool ? { tools: [{ type: "function", name: WEATHER.name, description: DESCRIPTION, parameters: SCHEMA }] } : {}),
      },
    }),
    json(body) {
      assert.equal(body.object, "response");
      assert.equal(body.status, "completed");
      return { ...responsesOutput(body.output), usage: { input: body.usage?.input_tokens, output: body.usage?.output_tokens } };
    },
    stream(events) {
      const types = events.map((e) => e.data.type);
      const all = types.join(",");
      assert.equal(types[0], "response.created", all);
      assert.equal(types.at(-1), "response.completed", all);
      assert.equal(types.filter((t) => t === "response.completed").length, 1, all);
      let last = -1;
      const open = new Map(); // output_index → item type
      let text = "";
      const args = new Map();
      for (const { event, data } of events) {
        if (event) assert.equal(event, data.type);
        // Vendor events passed through from the Codex backend (`codex.rate_limits`) carry no sequence number.
        if (!data.type.startsWith("response.")) continue;
        assert.ok(data.sequence_number > last, `sequence numbers increase: ${all}`);
        last = data.sequence_number;
        if (data.type === "response.output_item.added") { assert.ok(!open.has(data.output_index), all); open.set(data.output_index, data.item.type); }
        if (data.type === "response.output_item.done") { assert.ok(open.has(data.output_index), all); open.delete(data.output_index); }
        if (data.type === "response.output_text.delta") { assert.equal(open.get(data.output_index), "message", all); text += data.delta; }
        if (data.type === "response.function_call_arguments.delta") {
          assert.equal(open.get(data.output_index), "function_call", all);
          args.set(data.output_index, (args.get(data.output_index) ?? "") + data.delta);
        }
      }
      assert.equal(open.size, 0, `every output item done: ${all}`);
      const done = events.at(-1).data.response;
      assert.equal(done.status, "completed");
      const final = responsesOutput(done.output);
      assert.equal(text, final.text, "the deltas add up to the completed text");
      const streamedArgs = [...args.values()].map((a) => JSON.parse(a));
      assert.deepEqual(streamedArgs, final.calls.map((c) => c.args), "the argument deltas add up to the completed call");
      return { ...final, usage: { input: done.usage?.input_tokens, output: done.usage?.output_tokens } };
    },
  },

  anthropic: {
    request: ({ model, prompt, tool, stream }) => ({
      path: "/v1/messages",
      headers: { "x-api-key": "KEY", "anthropic-version": "2023-06-01" },
      body: {
        model, stream, max_tokens: 256, messages: [{ role: "user", content: prompt }],
        ...(tool ? { tools: [{ name: WEATHER.name, description: DESCRIPTION, input_schema: SCHEMA }] } : {}),
      },
    }),
    json(body) {
      assert.equal(body.type, "message");
      assert.equal(body.role, "assistant");
      return { ...anthropicContent(body.content, body.stop_reason), usage: { input: body.usage?.input_tokens, output: body.usage?.output_tokens } };
    },
    stream(events) {
      const types = events.map((e) => e.data.type);
      for (const e of events) assert.equal(e.event, e.data.type);
      assertAnthropicGrammar(types);
      const blocks = [];
      let stop = null;
      const usage = { input: events[0].data.message.usage?.input_tokens, output: undefined };
      for (const { data } of events) {
        if (data.type === "content_block_start") {
          assert.equal(data.index, blocks.length, "block indices count up");
          blocks.push({ ...data.content_block, json: "" });
        }
        if (data.type === "content_block_delta") {
          const block = blocks[data.index];
          if (data.delta.type === "text_delta") { assert.equal(block.type, "text"); block.text += data.delta.text; }
          if (data.delta.type === "input_json_delta") { assert.equal(block.type, "tool_use"); block.json += data.delta.partial_json; }
        }
        if (data.type === "message_delta") {
          stop = data.delta.stop_reason;
          usage.output = data.usage?.output_tokens;
          if (data.usage?.input_tokens !== undefined) usage.input = data.usage.input_tokens;
        }
      }
      const content = blocks.map(({ json, ...b }) => (b.type === "tool_use" ? { ...b, input: JSON.parse(json || "{}") } : b));
      return { ...anthropicContent(content, stop), usage };
    },
  },

  gemini: {
    request: ({ model, prompt, tool, stream }) => ({
      path: `/v1beta/models/${model}:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`,
      headers: { "x-goog-api-key": "KEY" },
      body: {
        contents: [{ role: "user", parts: [{ text: prompt }] }],
        ...(tool ? { tools: [{ functionDeclarations: [{ name: WEATHER.name, description: DESCRIPTION, parameters: SCHEMA }] }] } : {}),
      },
    }),
    json(body) {
      assert.ok(!("response" in body), "no Code Assist envelope");
      const [candidate] = body.candidates;
      assert.equal(candidate.content.role, "model");
      return {
        ...geminiParts(candidate.content.parts), finish: geminiFinish(candidate.finishReason, candidate.content.parts),
        usage: { input: body.usageMetadata?.promptTokenCount, output: body.usageMetadata?.candidatesTokenCount },
      };
    },
    stream(events) {
      assert.ok(events.length >= 1);
      const parts = [];
      let finish = null;
      for (const { data } of events) {
        assert.notEqual(data, "[DONE]", "Gemini streams have no [DONE]");
        assert.ok(!("response" in data), "no Code Assist envelope");
        assert.ok(Array.isArray(data.candidates), JSON.stringify(data));
        const [candidate] = data.candidates;
        parts.push(...(candidate.content?.parts ?? []));
        if (candidate.finishReason) { assert.equal(finish, null, "one finishReason"); finish = candidate.finishReason; }
      }
      assert.ok(events.at(-1).data.candidates[0].finishReason, "the last chunk carries the finish reason");
      const meta = events.at(-1).data.usageMetadata;
      return { ...geminiParts(parts), finish: geminiFinish(finish, parts), usage: { input: meta?.promptTokenCount, output: meta?.candidatesTokenCount } };
    },
  },
};

function responsesOutput(output) {
  let text = "";
  const calls = [];
  for (const item of output) {
    if (item.type === "message") text += item.content.filter((c) => c.type === "output_text").map((c) => c.text).join("");
    if (item.type === "function_call") {
      assert.ok(item.call_id, "tool call has a call_id");
      calls.push({ name: item.name, args: JSON.parse(item.arguments) });
    }
  }
  return { text, calls, finish: calls.length ? "tool" : "stop" };
}

function anthropicContent(content, stopReason) {
  const text = content.filter((b) => b.type === "text").map((b) => b.text).join("");
  const calls = content.filter((b) => b.type === "tool_use").map((b) => {
    assert.ok(b.id, "tool_use has an id");
    return { name: b.name, args: b.input };
  });
  return { text, calls, finish: { end_turn: "stop", tool_use: "tool" }[stopReason] };
}

function geminiParts(parts) {
  return {
    text: parts.filter((p) => typeof p.text === "string" && !p.thought).map((p) => p.text).join(""),
    calls: parts.filter((p) => p.functionCall).map((p) => ({ name: p.functionCall.name, args: p.functionCall.args })),
  };
}

/** Gemini says STOP for tool calls too; "tool" when a function call is among the parts. */
function geminiFinish(reason, parts) {
  if (reason !== "STOP") return undefined;
  return parts.some((p) => p.functionCall) ? "tool" : "stop";
}

// ---- the grid ----------------------------------------------------------------------------------------------------

for (const [name, start] of selectedTargets()) {
  describe(`translation grid end to end (${name})`, () => {
    let mock, router, key;
    let n = 0;

    before(async () => {
      mock = await startMock();
      router = await start();
      const admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("grid");
      for (const upstream of Object.values(UPSTREAMS)) await admin.addConnection(upstream.connection(mock.url));
    });
    after(async () => { await router?.stop(); await mock?.close(); });

    for (const [clientName, client] of Object.entries(CLIENTS)) {
      for (const [upstreamName, upstream] of Object.entries(UPSTREAMS)) {
        for (const stream of [false, true]) {
          for (const tool of [false, true]) {
            const mode = stream ? "stream" : "json";
            const kind = tool ? "tool" : "text";
            const id = `${clientName}|${upstreamName}|${mode}|${kind}`;
            const todo = KNOWN_BUGS[id];
            it(`${clientName} client → ${upstreamName} upstream, ${mode}, ${kind}`, todo ? { todo } : {}, async () => {
              await mock.reset();
              const prompt = `grid ${++n} ${clientName} to ${upstreamName} ${mode} ${kind}`;
              // Unkeyed: Gemini's key travels in `x-goog-api-key`, which the mock does not match scripts on.
              if (tool) await mock.script(undefined, [{ tool: WEATHER }]);
              const req = client.request({ model: upstream.model, prompt, tool, stream });
              const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, v.replace("KEY", key)]));
              const res = await fetch(`${router.url}${req.path}`, {
                method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(req.body),
              });
              const raw = await res.text();
              assert.equal(res.status, 200, raw);

              const ups = (await mock.requests()).filter((r) => !r.path.startsWith("/__mock"));
              assert.equal(ups.length, 1, `one upstream request: ${ups.map((u) => u.path).join(", ")}`);
              upstream.check(ups[0], { prompt, tool, stream });

              let got;
              if (stream) {
                assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
                got = client.stream(parseSse(raw));
              } else {
                assert.match(res.headers.get("content-type") ?? "", /application\/json/);
                got = client.json(JSON.parse(raw));
              }
              if (tool) {
                assert.deepEqual(got.calls, [{ name: WEATHER.name, args: WEATHER.input }], raw);
                assert.equal(got.text, upstreamName === "kr" ? KIRO_PREAMBLE : "", raw);
                assert.equal(got.finish, "tool", raw);
              } else {
                assert.deepEqual(got.calls, [], raw);
                assert.equal(got.text, `echo: ${prompt}`, raw);
                assert.equal(got.finish, "stop", raw);
              }
              // The mock answers 11 input and 7 output tokens (its Chat stream: one output token a word). The router
              // marks Anthropic prompt-cache breakpoints, and the mock's cache then reports creation/read tokens,
              // which Chat, Responses and Gemini count within the input (Anthropic counts them apart).
              const output = upstream.outputTokens?.({ prompt, stream }) ?? 7;
              if (upstreamName === "anthropic" && clientName !== "anthropic") {
                assert.equal(got.usage.output, output, `usage: ${raw}`);
                assert.ok(got.usage.input >= 11, `usage: ${raw}`);
              } else assert.deepEqual(got.usage, { input: 11, output }, `usage: ${raw}`);
            });
          }
        }
      }
    }
  });
}
