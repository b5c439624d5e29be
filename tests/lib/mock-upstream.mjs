// Mock upstream provider of our own: speaks OpenAI Chat Completions (JSON and SSE) and obeys fault directives.
//
// Control API (on the mock itself):
//   POST /__mock/script   {key?: "<upstream api key>", responses: [directive, ...]}  queue directives for requests
//                          carrying `Authorization: Bearer <key>` (or for any request when key is omitted)
//   GET  /__mock/requests  every request received: {method, path, headers, body}
//   POST /__mock/reset     forget scripts and recorded requests
// A directive (all fields optional): {status, headers, body, retryAfter, delayMs, eventDelayMs, text, cutAfter,
//   stallAfter, hang, garbage}. cutAfter: destroy the socket after N events; stallAfter: send N events, then
//   nothing. Each recorded request gets `aborted: true` if its client went away before the response finished. Without a directive the mock answers a normal completion whose text echoes the last user message.
import http from "node:http";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function lastUserText(body) {
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  const last = [...messages].reverse().find((m) => m.role === "user");
  if (!last) return "";
  return typeof last.content === "string" ? last.content : JSON.stringify(last.content);
}

function completion(model, text) {
  return {
    id: "chatcmpl-mock",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  };
}

function streamEvents(model, text, includeUsage) {
  const base = { id: "chatcmpl-mock", object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model };
  const words = text.match(/\S+\s*/g) ?? [text];
  const events = [{ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] }];
  for (const w of words) events.push({ ...base, choices: [{ index: 0, delta: { content: w }, finish_reason: null }] });
  events.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
  if (includeUsage) events.push({ ...base, choices: [], usage: { prompt_tokens: 11, completion_tokens: words.length, total_tokens: 11 + words.length } });
  return events.map((e) => `data: ${JSON.stringify(e)}\n\n`).concat(["data: [DONE]\n\n"]);
}

export async function startMock({ port = 0, host = "127.0.0.1" } = {}) {
  const scripts = new Map(); // key ("" = any) -> directives
  const requests = [];
  const sockets = new Set();

  const takeDirective = (auth) => {
    const key = (auth ?? "").replace(/^Bearer\s+/i, "");
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
      requests.length = 0;
      res.writeHead(204).end();
      return;
    }

    let body = null;
    try { body = raw ? JSON.parse(raw) : null; } catch { body = raw; }
    const record = { method: req.method, path: url.pathname, headers: req.headers, body, aborted: false };
    requests.push(record);
    res.on("close", () => { if (!res.writableFinished) record.aborted = true; });

    if (url.pathname.endsWith("/models") && req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ id: "mock-model", object: "model" }] }));
      return;
    }
    if (!url.pathname.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `mock: no route ${url.pathname}`, type: "invalid_request_error" } }));
      return;
    }

    const d = takeDirective(req.headers.authorization);
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
      res.end(JSON.stringify(d.body ?? { error: { message: `mock error ${status}`, type: status === 429 ? "rate_limit_error" : "server_error", code: null } }));
      return;
    }
    const model = body?.model ?? "mock-model";
    const text = d.text ?? `echo: ${lastUserText(body)}`;
    if (!body?.stream) {
      res.writeHead(200, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(d.body ?? completion(model, text)));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...headers });
    const events = streamEvents(model, text, body?.stream_options?.include_usage);
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
