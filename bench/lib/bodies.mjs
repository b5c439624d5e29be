// Request bodies for the load bench: a small chat request and a Claude Code–shaped Anthropic request of about
// 85 KB (system blocks with cache_control, 30 tools with JSON schemas, 79 messages with thinking, tool_use and
// tool_result), generated deterministically so every run and every target sends the same bytes.

const LOREM =
  "The router reads the request, picks an account, translates the body and relays the stream back to the client. ";

/** Deterministic filler text of about `n` characters. */
function filler(n, seed) {
  let out = "";
  let i = seed;
  while (out.length < n) {
    out += LOREM.slice(i % 17) + `[${i}] `;
    i += 7;
  }
  return out.slice(0, n);
}

function tool(i) {
  const properties = {};
  for (let p = 0; p < 6; p++) {
    properties[`param_${p}`] = {
      type: p % 3 === 0 ? "integer" : p % 3 === 1 ? "boolean" : "string",
      description: filler(60, i * 11 + p),
    };
  }
  return {
    name: i < 12 ? ["Read", "Write", "Edit", "Bash", "Glob", "Grep", "TodoWrite", "WebFetch", "WebSearch", "Task", "NotebookEdit", "MultiEdit"][i] : `mcp__server__tool_${i}`,
    description: filler(300, i * 3),
    input_schema: {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties,
      required: ["param_0", "param_2"],
      additionalProperties: false,
    },
  };
}

function messages() {
  const out = [];
  for (let turn = 0; turn < 40; turn++) {
    if (turn === 0) {
      out.push({ role: "user", content: [{ type: "text", text: filler(600, 1) }] });
    } else {
      out.push({
        role: "user",
        content: [{ type: "tool_result", tool_use_id: `toolu_${turn - 1}`, content: filler(520, turn * 5) }],
      });
    }
    if (turn === 39) break;
    out.push({
      role: "assistant",
      content: [
        { type: "thinking", thinking: filler(160, turn), signature: `sig${"A".repeat(80)}${turn}` },
        { type: "text", text: filler(120, turn + 3) },
        { type: "tool_use", id: `toolu_${turn}`, name: "Read", input: { file_path: `/repo/src/file_${turn}.rs`, limit: 200 } },
      ],
    });
  }
  const last = out[out.length - 1];
  last.content[last.content.length - 1].cache_control = { type: "ephemeral" };
  return out;
}

/** A small OpenAI Chat request (same-format to an OpenAI upstream). */
export function smallChat(model, stream = false) {
  return JSON.stringify({
    model,
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
    messages: [
      { role: "system", content: "You are a helpful assistant." },
      { role: "user", content: "Say hello in five words." },
    ],
  });
}

/** The large Claude Code–shaped Anthropic Messages request. */
export function largeAnthropic(model, stream = false) {
  return JSON.stringify({
    model,
    max_tokens: 32000,
    stream,
    system: [
      { type: "text", text: "You are Claude Code, Anthropic's official CLI for Claude." },
      { type: "text", text: filler(6000, 42), cache_control: { type: "ephemeral" } },
    ],
    tools: Array.from({ length: 30 }, (_, i) => tool(i)),
    messages: messages(),
    thinking: { type: "enabled", budget_tokens: 8000 },
    metadata: { user_id: "user_bench_account_session" },
  });
}
