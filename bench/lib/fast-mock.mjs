// A canned upstream for the load bench, run as its own process (`node bench/lib/fast-mock.mjs`; prints its port):
// OpenAI Chat and Anthropic Messages, JSON and SSE. Unlike tests/lib/mock-upstream.mjs it records nothing and
// parses nothing (the body is drained and searched for `"stream":true`), so it stays cheap next to the router.
import http from "node:http";

const EVENTS = Number(process.env.BENCH_STREAM_EVENTS ?? 40);
const words = Array.from({ length: EVENTS }, (_, i) => `word${i} `);

const chatJson = JSON.stringify({
  id: "chatcmpl-bench", object: "chat.completion", created: 1700000000, model: "gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello there, how are you?" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 21, completion_tokens: 7, total_tokens: 28 },
});
const chatStream = (() => {
  const base = { id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1700000000, model: "gpt-4o-mini" };
  const events = [{ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] }];
  for (const w of words) events.push({ ...base, choices: [{ index: 0, delta: { content: w }, finish_reason: null }] });
  events.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
  events.push({ ...base, choices: [], usage: { prompt_tokens: 21, completion_tokens: EVENTS, total_tokens: 21 + EVENTS } });
  return events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("") + "data: [DONE]\n\n";
})();
const messagesJson = JSON.stringify({
  id: "msg_bench", type: "message", role: "assistant", model: "claude-bench",
  content: [{ type: "text", text: "Hello there, how are you?" }], stop_reason: "end_turn", stop_sequence: null,
  usage: { input_tokens: 21, output_tokens: 7 },
});
const messagesStream = (() => {
  const ev = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  let out = ev("message_start", { message: { id: "msg_bench", type: "message", role: "assistant", model: "claude-bench", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 21, output_tokens: 1 } } });
  out += ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
  for (const w of words) out += ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: w } });
  out += ev("content_block_stop", { index: 0 });
  out += ev("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: EVENTS } });
  out += ev("message_stop", {});
  return out;
})();

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const stream = Buffer.concat(chunks).includes('"stream":true');
    const anthropic = req.url.endsWith("/messages");
    if (!anthropic && !req.url.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"no route"}}');
      return;
    }
    if (stream) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.end(anthropic ? messagesStream : chatStream);
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(anthropic ? messagesJson : chatJson);
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
process.on("SIGINT", () => server.close(() => process.exit(0)));
