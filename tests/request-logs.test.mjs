// Request logs on both targets: with the `request_logs` setting on, every request's six stages (the seed's layout)
// are written off the hot path — files under DATA_DIR/logs natively, a capped D1 table on the edge — and read back
// through /api/logs. Keys and tokens never appear in anything written or served.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient, readSse } from "./lib/client.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const STAGES = [
  "1_client_raw_request.json",
  "2_raw_request.json",
  "3_converted_request.json",
  "4_provider_response.txt",
  "5_converted_response.txt",
];
const unique = (label) => `${label}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

for (const [name, start] of selectedTargets()) {
  describe(`request logs (${name})`, () => {
    let mock, router, admin, key;
    // Upstream keys and token strings unique to this run: none may appear in any log.
    const UP_OA = unique("sk-upstream-openai");
    const UP_AN = unique("sk-upstream-anthropic");
    const COOKIE_TOKEN = unique("cookie-token");
    const BODY_TOKEN = unique("body-access-token");
    const secrets = () => [key, UP_OA, UP_AN, COOKIE_TOKEN, BODY_TOKEN];

    /** Waits until logs matching `pred` number `count`; returns them (newest first). */
    async function logs(pred, count = 1) {
      let have = [];
      for (let i = 0; i < 80; i++) {
        const r = await admin.api("GET", "/api/logs?limit=200");
        assert.equal(r.status, 200, r.text);
        have = r.json.logs.filter(pred);
        if (have.length >= count) return have;
        await sleep(100);
      }
      assert.fail(`expected ${count} matching logs, have ${JSON.stringify(have)}`);
    }

    async function detail(id) {
      const r = await admin.api("GET", `/api/logs/${encodeURIComponent(id)}`);
      assert.equal(r.status, 200, r.text);
      return r.json;
    }

    const stage = (d, file) => d.stages.find((s) => s.name === file)?.content;

    before(async () => {
      mock = await startMock();
      router = await start();
      admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("logs");
      await admin.addConnection({ provider: "openai", name: "oa", api_key: UP_OA, base_url: `${mock.url}/v1` });
      await admin.addConnection({ provider: "anthropic", name: "an", api_key: UP_AN, base_url: `${mock.url}/v1` });
    });
    after(async () => { await router?.stop(); await mock?.close(); });

    it("writes nothing while off, and says so", async () => {
      const r = await admin.chat(key, { model: "openai/off-model", messages: [{ role: "user", content: "x" }] });
      assert.equal(r.status, 200);
      await r.text();
      await sleep(500);
      const list = await admin.api("GET", "/api/logs");
      assert.equal(list.status, 200);
      assert.equal(list.json.enabled, false);
      assert.deepEqual(list.json.logs, []);
    });

    it("logs six stages for JSON, streamed and failed requests in several formats, with no secret in them", async () => {
      const on = await admin.api("PUT", "/api/settings", { request_logs: true });
      assert.equal(on.status, 200, on.text);
      assert.equal((await admin.api("GET", "/api/logs")).json.enabled, true);

      // 1. OpenAI Chat client, JSON, translated to Anthropic upstream; a cookie and a token field in the body.
      const plain = await admin.chat(
        key,
        { model: "anthropic/claude-logs", max_tokens: 50, messages: [{ role: "user", content: "plain hello" }], metadata: { access_token: BODY_TOKEN } },
        { cookie: `sid=${COOKIE_TOKEN}` },
      );
      assert.equal(plain.status, 200, await plain.clone().text());
      await plain.json();

      // 2. Anthropic client, streamed, translated to an OpenAI upstream.
      const streamed = await fetch(`${router.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": key, "anthropic-version": "2023-06-01" },
        body: JSON.stringify({ model: "openai/gpt-logs", max_tokens: 20, stream: true, messages: [{ role: "user", content: "stream hello" }] }),
      });
      assert.equal(streamed.status, 200);
      const sse = await readSse(streamed, performance.now());
      assert.ok(sse.text.includes("message_stop"));

      // 3. Gemini client with its key in `?key=`, streamed (SSE), to an OpenAI upstream.
      const gemini = await fetch(`${router.url}/v1beta/models/openai/gemini-logs:streamGenerateContent?alt=sse&key=${key}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "gemini hello" }] }] }),
      });
      assert.equal(gemini.status, 200);
      await readSse(gemini, performance.now());

      // 4. An upstream failure: the only account answers 500, the client gets an error.
      await mock.script(UP_OA, [{ status: 500, body: { error: { message: "mock exploded" } } }]);
      const failed = await admin.chat(key, { model: "openai/fail-logs", messages: [{ role: "user", content: "fail" }] });
      assert.ok(failed.status >= 500, String(failed.status));
      await failed.text();

      const [jsonLog] = await logs((l) => l.model === "anthropic/claude-logs");
      assert.equal(jsonLog.inbound_format, "openai");
      assert.equal(jsonLog.upstream_format, "claude");
      assert.equal(jsonLog.status, 200);
      assert.equal(jsonLog.streamed, false);
      const jsonDetail = await detail(jsonLog.id);
      assert.deepEqual(jsonDetail.stages.map((s) => s.name), STAGES);
      const s1 = JSON.parse(stage(jsonDetail, STAGES[0]));
      assert.equal(s1.body.messages[0].content, "plain hello");
      assert.equal(s1.headers.authorization, "[redacted]");
      assert.equal(s1.headers.cookie, "[redacted]");
      assert.equal(s1.body.metadata.access_token, "[redacted]");
      const s2 = JSON.parse(stage(jsonDetail, STAGES[1]));
      assert.deepEqual(s2.targets, [{ provider: "anthropic", model: "claude-logs", format: "claude" }]);
      const s3 = JSON.parse(stage(jsonDetail, STAGES[2]));
      assert.match(s3.url, /\/v1\/messages$/);
      assert.equal(s3.headers["x-api-key"], "[redacted]");
      assert.equal(s3.body.model, "claude-logs", "stage 3 is the translated upstream body");
      assert.equal(s3.body.max_tokens, 50);
      const content = s3.body.messages[0].content;
      assert.equal(typeof content === "string" ? content : content[0].text, "plain hello");
      assert.match(stage(jsonDetail, STAGES[3]), /^status: 200\n\n\{.*"type":"message"/s);
      assert.match(stage(jsonDetail, STAGES[4]), /"object":"chat.completion"/);

      const [streamLog] = await logs((l) => l.model === "openai/gpt-logs");
      assert.equal(streamLog.inbound_format, "claude");
      assert.equal(streamLog.upstream_format, "openai");
      assert.equal(streamLog.streamed, true);
      const streamDetail = await detail(streamLog.id);
      assert.deepEqual(streamDetail.stages.map((s) => s.name), STAGES);
      const st3 = JSON.parse(stage(streamDetail, STAGES[2]));
      assert.match(st3.url, /\/v1\/chat\/completions$/);
      assert.equal(st3.headers.authorization, "[redacted]");
      assert.equal(st3.body.model, "gpt-logs");
      assert.equal(st3.body.stream, true);
      assert.ok(Array.isArray(st3.body.messages));
      const st4 = stage(streamDetail, STAGES[3]);
      assert.match(st4, /^status: 200/);
      assert.ok(st4.includes("chat.completion.chunk") && st4.includes("[DONE]"), st4);
      const st5 = stage(streamDetail, STAGES[4]);
      assert.ok(st5.includes("event: message_start") && st5.includes("event: message_stop"), st5);

      const [geminiLog] = await logs((l) => l.model === "openai/gemini-logs");
      assert.equal(geminiLog.inbound_format, "gemini");
      const g1 = JSON.parse(stage(await detail(geminiLog.id), STAGES[0]));
      assert.match(g1.endpoint, /[?&]key=\[redacted\]/);

      const [failLog] = await logs((l) => l.model === "openai/fail-logs");
      assert.ok(failLog.status >= 500);
      const failDetail = await detail(failLog.id);
      assert.deepEqual(failDetail.stages.map((s) => s.name), [...STAGES, "6_error.json"]);
      const error = JSON.parse(stage(failDetail, "6_error.json"));
      assert.ok(error.failed_attempts.some((a) => a.includes("500")), JSON.stringify(error));
      assert.ok(error.message);
      assert.match(stage(failDetail, STAGES[3]), /^status: 500\n\n.*mock exploded/s);
      // Successful requests have no error stage.
      assert.ok(!stage(jsonDetail, "6_error.json"));

      // Nothing served contains a key or token.
      const served = [JSON.stringify((await admin.api("GET", "/api/logs?limit=200")).json)];
      for (const l of (await admin.api("GET", "/api/logs?limit=200")).json.logs) served.push(JSON.stringify(await detail(l.id)));
      for (const secret of secrets()) {
        assert.ok(served.every((text) => !text.includes(secret)), `served logs contain ${secret.slice(0, 12)}…`);
      }

      if (name === "native") {
        // The seed's layout on disk: one directory per request, the stage files, JSON stages valid.
        const dir = path.join(router.dataDir, "logs");
        const dirs = await readdir(dir);
        assert.ok(dirs.length >= 4, dirs.join(", "));
        for (const d of dirs) assert.match(d, /^(openai|claude|gemini)_(openai|claude|none)_[A-Za-z0-9.-]+_\d{8}_\d{6}_\d{3}(_\d+)?$/, d);
        const jsonDir = dirs.find((d) => d === jsonLog.id);
        assert.ok(jsonDir?.startsWith("openai_claude_anthropic-claude-logs_"), String(jsonDir));
        const failDir = dirs.find((d) => d === failLog.id);
        assert.ok(failDir, "the failed request has a directory");
        for (const d of dirs) {
          const files = await readdir(path.join(dir, d));
          for (const f of STAGES) assert.ok(files.includes(f), `${d} lacks ${f}`);
          for (const f of files.filter((f) => f.endsWith(".json"))) JSON.parse(await readFile(path.join(dir, d, f), "utf8"));
          assert.equal(files.includes("6_error.json"), d === failDir, `${d}: 6_error.json only when it failed`);
          for (const f of files) {
            const text = await readFile(path.join(dir, d, f), "utf8");
            for (const secret of secrets()) assert.ok(!text.includes(secret), `${d}/${f} contains ${secret.slice(0, 12)}…`);
          }
        }
        const onDisk = await readFile(path.join(dir, streamLog.id, STAGES[3]), "utf8");
        assert.equal(onDisk, stage(streamDetail, STAGES[3]));
      }
    });

    it("caps a long stream's captured bytes and says so", async () => {
      // ~350 KB of upstream stream: beyond the 256 KB per-stage capture (and the edge's 64 KB per stored stage).
      await mock.script(UP_OA, [{ text: `${"x".repeat(1000)} `.repeat(300) }]);
      const r = await admin.chat(key, { model: "openai/long-logs", stream: true, messages: [{ role: "user", content: "long" }] });
      assert.equal(r.status, 200);
      const { text } = await readSse(r, performance.now());
      assert.ok(text.length > 300_000, String(text.length));
      const [log] = await logs((l) => l.model === "openai/long-logs");
      const d = await detail(log.id);
      for (const file of [STAGES[3], STAGES[4]]) {
        const content = stage(d, file);
        assert.match(content, /\[truncated: \d+ more bytes not (captured|stored)\]/, `${file} is marked as cut`);
        assert.ok(content.length < 270_000, `${file}: ${content.length} chars`);
      }
    });

    it("refuses bad ids, requires a session, and clears", async () => {
      const bad = await admin.api("GET", `/api/logs/${encodeURIComponent("../etc")}`);
      assert.equal(bad.status, 400, bad.text);
      const missing = await admin.api("GET", name === "worker" ? "/api/logs/987654321" : "/api/logs/openai_openai_nothing_20000101_000000_000");
      assert.equal(missing.status, 404, missing.text);
      assert.equal((await fetch(`${router.url}/api/logs`)).status, 401);
      assert.equal((await fetch(`${router.url}/api/logs`, { method: "DELETE" })).status, 401);
      const cleared = await admin.api("DELETE", "/api/logs");
      assert.equal(cleared.status, 200, cleared.text);
      assert.ok(cleared.json.deleted >= 5, cleared.text);
      assert.deepEqual((await admin.api("GET", "/api/logs")).json.logs, []);
    });
  });
}
