// Mock upstream provider of our own: speaks OpenAI Chat Completions (`/v1/chat/completions`), Anthropic
// Messages (`/v1/messages`) and Gemini (`/v1beta/models/{model}:generateContent` and
// `:streamGenerateContent?alt=sse`), JSON and SSE, and obeys fault directives. The OAuth providers' dialects
// (Responses / Codex, Code Assist, Kiro event-stream) and their directives are in mock-dialects.mjs.
//
// Control API (on the mock itself):
//   POST /__mock/script   {key?: "<upstream api key>", responses: [directive, ...]}  queue directives for requests
//                          carrying `Authorization: Bearer <key>` (or for any request when key is omitted)
//   GET  /__mock/requests  every request received: {method, path, headers, body}
//   POST /__mock/reset     forget scripts and recorded requests
// A directive (all fields optional): {status, headers, body, retryAfter, delayMs, eventDelayMs, text, cutAfter,
//   stallAfter, hang, garbage, tool, count}. cutAfter: destroy the socket after N events; stallAfter: send N events,
//   then nothing; tool: {name, input} answers with a tool call instead of text. Each recorded request gets `aborted: true` if its client went away before the response finished. Without a directive the mock answers a normal completion whose text echoes the last user message.
import http from "node:http";
import {
  codeAssistText, kiroFrames, kiroText, responsesEvents, responsesObject, responsesText, wrapCodeAssist, writeKiro,
} from "./mock-dialects.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function lastUserText(body) {
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  const last = [...messages].reverse().find((m) => m.role === "user");
  if (!last) return "";
  if (typeof last.content === "string") return last.content;
  const texts = (last.content ?? []).filter((p) => p.type === "text").map((p) => p.text);
  return texts.length ? texts.join("") : JSON.stringify(last.content);
}

const sse = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * A prompt cache like Anthropic's, for one mock: every `cache_control` breakpoint caches the request's prefix up
 * to it (tools, then system, then message blocks); a later request whose breakpoint prefix was cached reads it.
 * Token counts are characters / 4. Returns the usage fields of the request.
 */
function promptCacheUsage(cache, body) {
  if (!body || typeof body !== "object") return { cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  const blocks = (content) => (typeof content === "string" ? [{ type: "text", text: content }] : Array.isArray(content) ? content : []);
  const items = [
    ...(Array.isArray(body.tools) ? body.tools : []),
    ...blocks(body.system),
    ...(Array.isArray(body.messages) ? body.messages : []).flatMap((m) => [{ role: m.role }, ...blocks(m.content)]),
  ];
  const strip = (v) => JSON.stringify(v, (k, val) => (k === "cache_control" ? undefined : val));
  const tokens = (s) => Math.ceil(s.length / 4);
  let prefix = "";
  const breakpoints = [];
  for (const item of items) {
    prefix += strip(item);
    if (item && item.cache_control) breakpoints.push(prefix);
  }
  let read = 0;
  for (const bp of breakpoints) if (cache.has(bp)) read = Math.max(read, tokens(bp));
  const longest = breakpoints.length ? tokens(breakpoints[breakpoints.length - 1]) : 0;
  for (const bp of breakpoints) cache.add(bp);
  return { cache_read_input_tokens: read, cache_creation_input_tokens: Math.max(0, longest - read) };
}

function anthropicMessage(model, text, tool, cacheUsage = {}) {
  const content = tool
    ? [{ type: "tool_use", id: "toolu_mock1", name: tool.name, input: tool.input }]
    : [{ type: "text", text }];
  return {
    id: "msg_mock", type: "message", role: "assistant", model, content,
    stop_reason: tool ? "tool_use" : "end_turn", stop_sequence: null,
    usage: { input_tokens: 11, output_tokens: 7, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, ...cacheUsage },
  };
}

function anthropicEvents(model, text, tool, cacheUsage = {}) {
  const start = { type: "message_start", message: { id: "msg_mock", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 11, output_tokens: 1, ...cacheUsage } } };
  const events = [sse("message_start", start), sse("ping", { type: "ping" })];
  if (tool) {
    const json = JSON.stringify(tool.input);
    const half = Math.floor(json.length / 2);
    events.push(sse("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_mock1", name: tool.name, input: {} } }));
    for (const part of ["", json.slice(0, half), json.slice(half)]) {
      events.push(sse("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: part } }));
    }
  } else {
    events.push(sse("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }));
    for (const w of text.match(/\S+\s*/g) ?? [text]) {
      events.push(sse("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: w } }));
    }
  }
  events.push(sse("content_block_stop", { type: "content_block_stop", index: 0 }));
  events.push(sse("message_delta", { type: "message_delta", delta: { stop_reason: tool ? "tool_use" : "end_turn", stop_sequence: null }, usage: { output_tokens: 7 } }));
  events.push(sse("message_stop", { type: "message_stop" }));
  return events;
}

function geminiText(body) {
  const contents = Array.isArray(body?.contents) ? body.contents : [];
  const last = [...contents].reverse().find((c) => c.role === "user");
  return (last?.parts ?? []).filter((p) => typeof p.text === "string").map((p) => p.text).join("");
}

function geminiChunk(model, parts, finish) {
  const chunk = { candidates: [{ content: { role: "model", parts }, index: 0 }], modelVersion: model, responseId: "gem-mock" };
  if (finish) {
    chunk.candidates[0].finishReason = "STOP";
    chunk.usageMetadata = { promptTokenCount: 11, candidatesTokenCount: 7, totalTokenCount: 18 };
  }
  return chunk;
}

function geminiParts(text, tool) {
  return tool ? [{ functionCall: { name: tool.name, args: tool.input } }] : [{ text }];
}

function completion(model, text, tool) {
  const message = tool
    ? { role: "assistant", content: null, tool_calls: [{ id: "call_mock1", type: "function", function: { name: tool.name, arguments: JSON.stringify(tool.input) } }] }
    : { role: "assistant", content: text };
  return {
    id: "chatcmpl-mock",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: tool ? "tool_calls" : "stop" }],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  };
}

function streamEvents(model, text, includeUsage, tool) {
  const base = { id: "chatcmpl-mock", object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model };
  const words = text.match(/\S+\s*/g) ?? [text];
  const events = [{ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] }];
  if (tool) {
    const json = JSON.stringify(tool.input);
    const half = Math.floor(json.length / 2);
    events.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: "call_mock1", type: "function", function: { name: tool.name, arguments: "" } }] }, finish_reason: null }] });
    for (const part of [json.slice(0, half), json.slice(half)]) {
      events.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: part } }] }, finish_reason: null }] });
    }
  } else {
    for (const w of words) events.push({ ...base, choices: [{ index: 0, delta: { content: w }, finish_reason: null }] });
  }
  events.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: tool ? "tool_calls" : "stop" }] });
  if (includeUsage) events.push({ ...base, choices: [], usage: { prompt_tokens: 11, completion_tokens: words.length, total_tokens: 11 + words.length } });
  return events.map((e) => `data: ${JSON.stringify(e)}\n\n`).concat(["data: [DONE]\n\n"]);
}

/** Answers a Responses, Code Assist or Kiro request (status 200; errors were answered by the caller). */
async function dialect({ res, d, body, headers, responses, codeAssist, kiro }) {
  if (kiro) {
    const text = d.text ?? `echo: ${kiroText(body)}`;
    res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", ...headers });
    await writeKiro(res, kiroFrames(text, d.tool), d, sleep);
    return;
  }
  const model = body?.model ?? "mock-model";
  if (codeAssist) {
    const text = d.text ?? `echo: ${codeAssistText(body)}`;
    if (codeAssist[1] === "generateContent") {
      res.writeHead(200, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(d.body ?? wrapCodeAssist(geminiChunk(model, geminiParts(text, d.tool), true))));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", ...headers });
    const pieces = d.tool ? [] : text.match(/\S+\s*/g) ?? [text];
    const chunks = pieces.map((w) => geminiChunk(model, [{ text: w }], false));
    chunks.push(geminiChunk(model, d.tool ? geminiParts(text, d.tool) : [{ text: "" }], true));
    for (let i = 0; i < chunks.length; i++) {
      if (d.cutAfter !== undefined && i >= d.cutAfter) { res.socket?.destroy(); return; }
      res.write(`data: ${JSON.stringify(wrapCodeAssist(chunks[i]))}\r\n\r\n`);
      if (d.eventDelayMs) await sleep(d.eventDelayMs);
    }
    res.end();
    return;
  }
  const text = d.text ?? `echo: ${responsesText(body)}`;
  if (!body?.stream) {
    res.writeHead(200, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(d.body ?? responsesObject(model, text, d.tool)));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", ...headers });
  const events = responsesEvents(model, text, d.tool, d.streamError);
  for (let i = 0; i < events.length; i++) {
    if (d.cutAfter !== undefined && i >= d.cutAfter) { res.socket?.destroy(); return; }
    if (res.destroyed) return;
    res.write(events[i]);
    if (d.eventDelayMs) await sleep(d.eventDelayMs);
  }
  res.end();
}

export async function startMock({ port = 0, host = "127.0.0.1" } = {}) {
  const scripts = new Map(); // key ("" = any) -> directives
  const promptCache = new Set(); // cached prompt prefixes (Anthropic requests with cache_control)
  const requests = [];
  const sockets = new Set();

  const takeDirective = (headers) => {
    const key = headers["x-api-key"] ?? (headers.authorization ?? "").replace(/^Bearer\s+/i, "");
    for (const k of [key, ""]) {
      const queue = scripts.get(k);
      if (queue?.length) return queue.shift();
    }
    return {};
  };

  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url, "http://mock");

    if (url.pathname === "/__mock/script" && req.method === "POST") {
      const { key = "", responses = [] } = JSON.parse(raw || "{}");
      scripts.set(key, [...(scripts.get(key) ?? []), ...responses]);
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === "/__mock/requests") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(requests));
      return;
    }
    if (url.pathname === "/__mock/reset") {
      scripts.clear();
      promptCache.clear();
      requests.length = 0;
      res.writeHead(204).end();
      return;
    }

    let body = null;
    try { body = raw ? JSON.parse(raw) : null; } catch { body = raw; }
    const record = { method: req.method, path: url.pathname, query: url.search, headers: req.headers, body, aborted: false };
    requests.push(record);
    res.on("close", () => { if (!res.writableFinished) record.aborted = true; });

    if (url.pathname.endsWith("/models") && req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ id: "mock-model", object: "model" }] }));
      return;
    }
    // Token counting: Anthropic `/messages/count_tokens`, Gemini `:countTokens`, Code Assist
    // `/v1internal:countTokens`. A directive's `status` fails it; its `count` sets the number (default: 4321,
    // 8765 and 2468, numbers no estimate gives).
    const countKind = url.pathname.endsWith("/messages/count_tokens") ? "anthropic"
      : url.pathname.match(/\/v1internal:countTokens$/) ? "codeAssist"
      : url.pathname.match(/\/models\/.+:countTokens$/) ? "gemini" : null;
    if (countKind) {
      const d = takeDirective(req.headers);
      if (d.status && d.status !== 200) {
        res.writeHead(d.status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `mock error ${d.status}` } }));
        return;
      }
      const count = d.count ?? { anthropic: 4321, gemini: 8765, codeAssist: 2468 }[countKind];
      const answer = countKind === "anthropic" ? { input_tokens: count } : { totalTokens: count };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      return;
    }
    const anthropic = url.pathname.endsWith("/messages");
    const gemini = url.pathname.match(/\/models\/(.+):(generateContent|streamGenerateContent)$/);
    const responses = url.pathname.endsWith("/responses");
    const codeAssist = url.pathname.match(/\/v1internal:(generateContent|streamGenerateContent)$/);
    const kiro = url.pathname.endsWith("/generateAssistantResponse");
    if (!anthropic && !gemini && !responses && !codeAssist && !kiro && !url.pathname.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `mock: no route ${url.pathname}`, type: "invalid_request_error" } }));
      return;
    }

    const d = takeDirective(req.headers);
    if (d.hang) return; // never answer; the socket is destroyed on close()
    if (d.delayMs) await sleep(d.delayMs);
    if (d.garbage) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end("data: {not json\n\n\u0000\u00ff garbage");
      return;
    }
    const status = d.status ?? 200;
    const headers = { ...(d.headers ?? {}) };
    if (d.retryAfter !== undefined) headers["retry-after"] = String(d.retryAfter);
    if (status !== 200) {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      const type = status === 429 ? "rate_limit_error" : status === 400 ? "invalid_request_error" : anthropic ? "api_error" : "server_error";
      const message = `mock error ${status}`;
      const fallback = anthropic ? { type: "error", error: { type, message } } : { error: { message, type, code: null } };
      res.end(JSON.stringify(d.body ?? fallback));
      return;
    }
    if (responses || codeAssist || kiro) {
      await dialect({ res, d, body, headers, responses, codeAssist, kiro });
      return;
    }
    const model = gemini ? gemini[1] : body?.model ?? "mock-model";
    const text = d.text ?? `echo: ${gemini ? geminiText(body) : lastUserText(body)}`;
    if (gemini) {
      if (gemini[2] === "generateContent") {
        res.writeHead(200, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(d.body ?? geminiChunk(model, geminiParts(text, d.tool), true)));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", ...headers });
      const pieces = d.tool ? [] : text.match(/\S+\s*/g) ?? [text];
      const chunks = pieces.map((w) => geminiChunk(model, [{ text: w }], false));
      chunks.push(geminiChunk(model, d.tool ? geminiParts(text, d.tool) : [{ text: "" }], true));
      for (let i = 0; i < chunks.length; i++) {
        if (d.cutAfter !== undefined && i >= d.cutAfter) { res.socket?.destroy(); return; }
        res.write(`data: ${JSON.stringify(chunks[i])}\r\n\r\n`);
        if (d.eventDelayMs) await sleep(d.eventDelayMs);
      }
      res.end();
      return;
    }
    if (!body?.stream) {
      res.writeHead(200, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(d.body ?? (anthropic ? anthropicMessage(model, text, d.tool, promptCacheUsage(promptCache, body)) : completion(model, text, d.tool))));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...headers });
    const events = anthropic
      ? anthropicEvents(model, text, d.tool, promptCacheUsage(promptCache, body))
      : streamEvents(model, text, body?.stream_options?.include_usage, d.tool);
    for (let i = 0; i < events.length; i++) {
      if (d.cutAfter !== undefined && i >= d.cutAfter) {
        res.socket?.destroy();
        return;
      }
      if (d.stallAfter !== undefined && i >= d.stallAfter) return; // keep the socket open, send nothing more
      if (res.destroyed) return;
      res.write(events[i]);
      if (d.eventDelayMs) await sleep(d.eventDelayMs);
    }
    res.end();
  });
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  const url = `http://${host}:${address.port}`;
  return {
    url,
    port: address.port,
    async script(key, responses) {
      await fetch(`${url}/__mock/script`, { method: "POST", body: JSON.stringify({ key, responses }) });
    },
    async requests() { return (await fetch(`${url}/__mock/requests`)).json(); },
    async reset() { await fetch(`${url}/__mock/reset`, { method: "POST" }); },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

// Standalone: `node tests/lib/mock-upstream.mjs [port]` (used by bench/ and manual runs).
if (import.meta.url === `file://${process.argv[1]}`) {
  const mock = await startMock({ port: Number(process.argv[2] ?? 0) });
  console.log(`mock upstream on ${mock.url}`);
}
