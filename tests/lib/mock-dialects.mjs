// The mock upstream's OAuth-provider dialects (used by mock-upstream.mjs):
//   - OpenAI Responses (`…/responses`, what the ChatGPT Codex backend speaks): JSON, or SSE `response.*` events
//     through `response.completed`;
//   - Cloud Code Assist (`/v1internal:generateContent`, `/v1internal:streamGenerateContent?alt=sse`): the Gemini
//     chunks of the mock wrapped as `{response, traceId}`;
//   - Kiro (`/generateAssistantResponse`): AWS event-stream binary frames (prelude, headers, JSON payload, both
//     CRC-32s), always, whatever the client asked.
// Directives (besides the common ones of mock-upstream.mjs: status, text, tool, cutAfter, eventDelayMs, …):
//   streamError: {type?: "response.failed" | "error", code?, message?}  Responses: after `response.created`,
//     fail inside the 200 stream (as the Codex backend does) instead of answering;
//   kiroFault: {kind: "crc" | "cut", at?: N}  Kiro: frame N (default 1) gets a wrong message CRC, or the body
//     ends (cleanly, at the HTTP level) in the middle of frame N.

// ---- CRC-32 (IEEE, as in gzip / AWS event-stream) --------------------------------------------------------------
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One AWS event-stream message: string headers (type 7) and a JSON payload. */
export function eventStreamFrame(headers, payload) {
  const headerParts = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, "utf8");
    const v = Buffer.from(value, "utf8");
    const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    h.writeUInt8(7, 1 + n.length);
    h.writeUInt16BE(v.length, 2 + n.length);
    v.copy(h, 4 + n.length);
    headerParts.push(h);
  }
  const headerBytes = Buffer.concat(headerParts);
  const body = Buffer.from(JSON.stringify(payload), "utf8");
  const total = 12 + headerBytes.length + body.length + 4;
  const frame = Buffer.alloc(total);
  frame.writeUInt32BE(total, 0);
  frame.writeUInt32BE(headerBytes.length, 4);
  frame.writeUInt32BE(crc32(frame.subarray(0, 8)), 8);
  headerBytes.copy(frame, 12);
  body.copy(frame, 12 + headerBytes.length);
  frame.writeUInt32BE(crc32(frame.subarray(0, total - 4)), total - 4);
  return frame;
}

const kiroEvent = (type, payload) =>
  eventStreamFrame({ ":message-type": "event", ":event-type": type, ":content-type": "application/json" }, payload);

const words = (text) => text.match(/\S+\s*/g) ?? [text];
const sse = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

// ---- OpenAI Responses ------------------------------------------------------------------------------------------
export function responsesText(body) {
  if (typeof body?.input === "string") return body.input;
  const items = Array.isArray(body?.input) ? body.input : [];
  const last = [...items].reverse().find((i) => i.role === "user");
  if (!last) return "";
  if (typeof last.content === "string") return last.content;
  return (last.content ?? []).filter((p) => p.type === "input_text").map((p) => p.text).join("");
}

const RESPONSES_USAGE = { input_tokens: 11, input_tokens_details: { cached_tokens: 0 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 18 };

function responsesOutput(text, tool) {
  return tool
    ? [{ type: "function_call", id: "fc_mock1", call_id: "call_mock1", name: tool.name, arguments: JSON.stringify(tool.input), status: "completed" }]
    : [{ type: "message", id: "msg_mock1", role: "assistant", status: "completed", content: [{ type: "output_text", text, annotations: [] }] }];
}

export function responsesObject(model, text, tool) {
  return { id: "resp_mock", object: "response", created_at: 1700000000, status: "completed", model, output: responsesOutput(text, tool), usage: RESPONSES_USAGE };
}

export function responsesEvents(model, text, tool, streamError) {
  let seq = 0;
  const ev = (type, data) => sse(type, { type, sequence_number: seq++, ...data });
  const shell = { id: "resp_mock", object: "response", created_at: 1700000000, model, output: [] };
  const events = [ev("response.created", { response: { ...shell, status: "in_progress" } })];
  if (streamError) {
    const error = { code: streamError.code ?? "server_error", message: streamError.message ?? "mock stream failure" };
    events.push(streamError.type === "error"
      ? ev("error", { ...error, param: null })
      : ev("response.failed", { response: { ...shell, status: "failed", error } }));
    return events;
  }
  events.push(sse("codex.rate_limits", { type: "codex.rate_limits", primary: { used_percent: 1 } }));
  const [item] = responsesOutput(text, tool);
  if (tool) {
    events.push(ev("response.output_item.added", { output_index: 0, item: { ...item, arguments: "", status: "in_progress" } }));
    const json = item.arguments;
    const half = Math.floor(json.length / 2);
    for (const delta of [json.slice(0, half), json.slice(half)]) {
      events.push(ev("response.function_call_arguments.delta", { item_id: item.id, output_index: 0, delta }));
    }
    events.push(ev("response.function_call_arguments.done", { item_id: item.id, output_index: 0, arguments: json }));
  } else {
    events.push(ev("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", content: [] } }));
    events.push(ev("response.content_part.added", { item_id: item.id, output_index: 0, content_index: 0, part: { type: "output_text", text: "", annotations: [] } }));
    for (const delta of words(text)) {
      events.push(ev("response.output_text.delta", { item_id: item.id, output_index: 0, content_index: 0, delta, logprobs: [] }));
    }
    events.push(ev("response.output_text.done", { item_id: item.id, output_index: 0, content_index: 0, text }));
  }
  events.push(ev("response.output_item.done", { output_index: 0, item }));
  events.push(ev("response.completed", { response: { ...shell, status: "completed", output: [item], usage: RESPONSES_USAGE } }));
  return events;
}

// ---- Code Assist -----------------------------------------------------------------------------------------------
export function codeAssistText(body) {
  const contents = Array.isArray(body?.request?.contents) ? body.request.contents : [];
  const last = [...contents].reverse().find((c) => c.role === "user");
  return (last?.parts ?? []).filter((p) => typeof p.text === "string").map((p) => p.text).join("");
}

export const wrapCodeAssist = (chunk) => ({ response: chunk, traceId: "trace-mock" });

// ---- Kiro ------------------------------------------------------------------------------------------------------
export function kiroText(body) {
  return body?.conversationState?.currentMessage?.userInputMessage?.content ?? "";
}

export function kiroFrames(text, tool) {
  const frames = [];
  if (tool) {
    frames.push(kiroEvent("assistantResponseEvent", { content: "Let me check. " }));
    const json = JSON.stringify(tool.input);
    const half = Math.floor(json.length / 2);
    for (const input of [json.slice(0, half), json.slice(half)]) {
      frames.push(kiroEvent("toolUseEvent", { toolUseId: "tooluse_mock1", name: tool.name, input }));
    }
    frames.push(kiroEvent("toolUseEvent", { toolUseId: "tooluse_mock1", name: tool.name, stop: true }));
  } else {
    for (const content of words(text)) frames.push(kiroEvent("assistantResponseEvent", { content }));
  }
  frames.push(kiroEvent("meteringEvent", { unit: "credit", unitPlural: "credits", usage: 0.02 }));
  frames.push(kiroEvent("metricsEvent", { inputTokens: 11, outputTokens: 7 }));
  frames.push(kiroEvent("contextUsageEvent", { contextUsagePercentage: 0.5 }));
  return frames;
}

/** Writes the Kiro frames with an optional fault; resolves when done (the socket is destroyed on a cut). */
export async function writeKiro(res, frames, d, sleep) {
  const fault = d.kiroFault;
  const at = fault?.at ?? 1;
  for (let i = 0; i < frames.length; i++) {
    let frame = frames[i];
    if (fault && i === at) {
      if (fault.kind === "cut") {
        // A clean end of the HTTP body in the middle of a frame (a transport cut is `cutAfter`).
        res.end(frame.subarray(0, Math.max(1, frame.length - 7)));
        return;
      }
      frame = Buffer.from(frame);
      frame[frame.length - 1] ^= 0xff;
    }
    if (d.cutAfter !== undefined && i >= d.cutAfter) { res.socket?.destroy(); return; }
    if (res.destroyed) return;
    res.write(frame);
    if (d.eventDelayMs) await sleep(d.eventDelayMs);
  }
  res.end();
}
