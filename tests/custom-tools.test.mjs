// Codex's freeform (custom) tools through a non-Responses upstream, on both targets, against the mock: a
// Responses client declaring `apply_patch` as a `custom` tool, with a `custom_tool_call` and its output in the
// history, served by an Anthropic upstream. The upstream sees a function tool with one string argument
// (`freeform_input`) and the history as tool_use / tool_result; its tool_use comes back to the client as a
// `custom_tool_call` item (JSON) or `response.custom_tool_call_input.*` events (stream).
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient, readSse } from "./lib/client.mjs";

const OLD_PATCH = "*** Begin Patch\n*** Add File: a.txt\n+first\n*** End Patch\n";
const NEW_PATCH = "*** Begin Patch\n*** Update File: a.txt\n@@\n-first\n+\"second\"\n*** End Patch\n";
const BODY = {
  model: "anthropic/claude-x",
  instructions: "You are Codex.",
  tools: [{ type: "custom", name: "apply_patch", description: "Edit files with a patch",
            format: { type: "grammar", syntax: "lark", definition: "start: begin_patch hunk+ end_patch" } }],
  input: [
    { type: "message", role: "user", content: [{ type: "input_text", text: "create a.txt, then change it" }] },
    { type: "custom_tool_call", call_id: "call_old", name: "apply_patch", input: OLD_PATCH },
    { type: "custom_tool_call_output", call_id: "call_old", output: "Success. Updated: A a.txt" },
  ],
  store: false,
};

for (const [name, start] of selectedTargets()) {
  describe(`Codex custom tools across formats (${name})`, () => {
    let mock, router, key;
    const seen = async () => (await mock.requests()).filter((r) => !r.path.startsWith("/__mock"));
    const post = (body) => fetch(`${router.url}/v1/responses`, {
      method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body),
    });

    before(async () => {
      mock = await startMock();
      router = await start();
      const admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("custom-tools");
      await admin.addConnection({ provider: "anthropic", name: "an", api_key: "sk-an", base_url: `${mock.url}/v1` });
    });
    after(async () => { await router?.stop(); await mock?.close(); });
    beforeEach(async () => { await mock.reset(); });

    it("JSON: the upstream gets a single-string function tool; its call comes back as custom_tool_call", async () => {
      await mock.script("sk-an", [{ tool: { name: "apply_patch", input: { freeform_input: NEW_PATCH } } }]);
      const res = await post(BODY);
      assert.equal(res.status, 200);
      const out = await res.json();
      const call = out.output.find((item) => item.type === "custom_tool_call");
      assert.ok(call, JSON.stringify(out.output));
      assert.equal(call.name, "apply_patch");
      assert.equal(call.input, NEW_PATCH);
      assert.ok(call.call_id);
      const [req] = await seen();
      assert.equal(req.path, "/v1/messages");
      const tool = req.body.tools.find((t) => t.name === "apply_patch");
      assert.deepEqual(tool.input_schema.required, ["freeform_input"]);
      assert.match(tool.input_schema.properties.freeform_input.description, /lark grammar/);
      const history = JSON.stringify(req.body.messages);
      const use = req.body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).find((b) => b.type === "tool_use");
      assert.deepEqual(use, { type: "tool_use", id: "call_old", name: "apply_patch", input: { freeform_input: OLD_PATCH } });
      assert.match(history, /"tool_use_id":"call_old"/);
    });

    it("stream: custom_tool_call_input events and a custom_tool_call item, ending in response.completed", async () => {
      await mock.script("sk-an", [{ tool: { name: "apply_patch", input: { freeform_input: NEW_PATCH } } }]);
      const res = await post({ ...BODY, stream: true });
      assert.equal(res.status, 200);
      const { data } = await readSse(res, performance.now());
      const events = data.map((d) => JSON.parse(d));
      const types = events.map((e) => e.type);
      assert.ok(types.includes("response.custom_tool_call_input.delta"), types.join(","));
      assert.ok(types.includes("response.custom_tool_call_input.done"));
      assert.ok(!types.includes("response.function_call_arguments.delta"));
      assert.equal(types.at(-1), "response.completed");
      const done = events.find((d) => d.type === "response.output_item.done" && d.item.type === "custom_tool_call");
      assert.equal(done.item.input, NEW_PATCH);
    });
  });
}
