// The native `9router` CLI, run for real: flags and their environment variables, the default data directory,
// the public-bind key rule, the production secret check, graceful shutdown during a stream, and a SIGKILL in
// the middle of writes. Native only (the Worker has no CLI).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { startMock } from "./lib/mock-upstream.mjs";
import { freePort, selectedTargets } from "./lib/targets.mjs";
import { RouterClient, readSse } from "./lib/client.mjs";
import { cliEnv, runCli, startServer, serveOn, stop, sqlite, tempDir } from "./lib/native-cli.mjs";

const native = selectedTargets().some(([name]) => name === "native");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Logs in, creates a key and an OpenAI connection to the mock; returns `{admin, key}`. */
async function provision(url, mock) {
  const admin = new RouterClient(url);
  await admin.login();
  const key = await admin.createKey("cli");
  await admin.addConnection({ provider: "openai", name: "oa", api_key: "sk-cli-upstream", base_url: `${mock.url}/v1` });
  return { admin, key };
}

describe("native CLI", { skip: !native && "native target not selected" }, () => {
  let mock;
  const dirs = [];
  const dir = async () => { const d = await tempDir(); dirs.push(d); return d; };
  before(async () => { mock = await startMock(); });
  after(async () => {
    await mock?.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("--help and --version print and exit 0; a bad flag exits 2", async () => {
    const help = await runCli(["--help"]);
    assert.equal(help.code, 0);
    for (const word of ["--port", "--host", "--data-dir", "--no-browser", "--skip-update", "import", "export", "PORT", "DATA_DIR"]) {
      assert.ok(help.stdout.includes(word), `help mentions ${word}`);
    }
    const version = await runCli(["--version"]);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^9router \d+\.\d+\.\d+/);
    const bad = await runCli(["--no-such-flag"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /no-such-flag/);
  });

  it("PORT sets the port, --port wins over it; --skip-update is accepted", async () => {
    const data = await dir();
    const envPort = await freePort();
    const byEnv = await startServer(["--no-browser", "--skip-update", "--data-dir", data], cliEnv({ PORT: String(envPort) }), { port: envPort });
    assert.match(byEnv.logs.join(""), new RegExp(`Dashboard: http://127\\.0\\.0\\.1:${envPort}/dashboard`));
    assert.equal(await stop(byEnv), 0);
    const flagPort = await freePort();
    const byFlag = await startServer(["--port", String(flagPort), "--no-browser", "--data-dir", data], cliEnv({ PORT: String(envPort) }), { port: flagPort });
    await assert.rejects(fetch(`http://127.0.0.1:${envPort}/health`), "PORT is ignored when --port is given");
    assert.equal(await stop(byFlag), 0);
  });

  it("without --data-dir or DATA_DIR the data lives in $HOME/.9router", async () => {
    const home = await dir();
    const port = await freePort();
    const server = await startServer(["--port", String(port), "--no-browser"], cliEnv({ HOME: home }), { port });
    assert.equal(await stop(server), 0);
    assert.ok(existsSync(path.join(home, ".9router", "db.sqlite")), "database created under $HOME/.9router");
    const dataDir = await dir();
    const byEnv = await startServer(["--port", String(port), "--no-browser"], cliEnv({ HOME: home, DATA_DIR: dataDir }), { port });
    assert.equal(await stop(byEnv), 0);
    assert.ok(existsSync(path.join(dataDir, "db.sqlite")), "DATA_DIR is honoured");
  });

  it("binding 0.0.0.0 requires an API key even when the setting allows keyless requests", async () => {
    const data = await dir();
    const local = await serveOn(data);
    const { admin, key } = await provision(local.url, mock);
    assert.equal((await admin.api("PUT", "/api/settings", { require_api_key: false })).status, 200);
    const body = { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] };
    const keyless = await admin.chat(null, body);
    assert.equal(keyless.status, 200, "loopback + require_api_key=false serves keyless requests");
    await keyless.json();
    assert.equal(await stop(local), 0);

    const exposed = await serveOn(data, { host: "0.0.0.0" });
    assert.match(exposed.logs.join(""), /non-loopback/);
    const client = new RouterClient(exposed.url); // connects through 127.0.0.1
    const refused = await client.chat(null, body);
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).error.code, "invalid_api_key");
    assert.equal((await client.chat("sk-wrong", body)).status, 401);
    const ok = await client.chat(key, body);
    assert.equal(ok.status, 200);
    await ok.json();
    assert.equal(await stop(exposed), 0);
  });

  it("NODE_ENV=production with the default JWT_SECRET exits non-zero and says why", async () => {
    const env = cliEnv({ NODE_ENV: "production" });
    delete env.JWT_SECRET;
    const result = await runCli(["--port", String(await freePort()), "--no-browser", "--data-dir", await dir()], env);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /JWT_SECRET must be set/);
  });

  it("SIGTERM during a slow stream: the stream completes, new connections are refused, usage is on disk, exit 0", async () => {
    const data = await dir();
    const server = await serveOn(data);
    const { admin, key } = await provision(server.url, mock);
    await mock.script("sk-cli-upstream", [{ text: "one two three four five six seven", eventDelayMs: 250 }]);
    const start = performance.now();
    const response = await admin.chat(key, { model: "openai/gpt-4o-mini", stream: true, messages: [{ role: "user", content: "slow" }] });
    assert.equal(response.status, 200);
    const reader = response.body.getReader();
    const first = await reader.read(); // the stream is under way
    assert.ok(!first.done);
    server.child.kill("SIGTERM");
    await sleep(300);
    await assert.rejects(fetch(`${server.url}/health`), "no new connections after the signal");
    let text = new TextDecoder().decode(first.value);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    assert.ok(performance.now() - start > 1000, "the stream really was slow");
    assert.match(text, /seven/);
    assert.match(text, /data: \[DONE\]/);
    assert.equal(await server.exited, 0);
    const row = await sqlite(path.join(data, "db.sqlite"), "SELECT status, streamed, output_tokens > 0, api_key_id IS NOT NULL FROM usage");
    assert.equal(row, "200|1|1|1", "the stream's usage row was flushed before exit");
    assert.ok(!existsSync(path.join(data, "db.sqlite-wal")) || (await sqlite(path.join(data, "db.sqlite"), "PRAGMA integrity_check")) === "ok");
  });

  it("SIGKILL in the middle of writes: the database is intact and usage rows are whole after a restart", async (t) => {
    const data = await dir();
    const server = await serveOn(data);
    const { admin, key } = await provision(server.url, mock);
    const body = (i) => ({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: `burst ${i}` }] });
    const first = await Promise.all(Array.from({ length: 60 }, (_, i) => admin.chat(key, body(i)).then((r) => r.text())));
    assert.equal(first.length, 60);
    // Keep requests (and usage batches) flowing, and a settings write, then kill without warning.
    const inflight = Array.from({ length: 120 }, (_, i) => admin.chat(key, body(100 + i)).then((r) => r.text()).catch(() => null));
    admin.api("PUT", "/api/settings", { usage_retention_days: 30 }).catch(() => null);
    await sleep(150);
    server.child.kill("SIGKILL");
    assert.equal(await server.exited, "SIGKILL");
    const inflightResults = await Promise.all(inflight);

    const db = path.join(data, "db.sqlite");
    assert.equal(await sqlite(db, "PRAGMA integrity_check"), "ok");
    const restarted = await serveOn(data);
    const client = new RouterClient(restarted.url);
    await client.login();
    const recent = await client.api("GET", "/api/usage/recent?limit=500");
    assert.equal(recent.status, 200);
    const rows = recent.json.requests;
    assert.ok(rows.length >= 60 && rows.length <= 180, `usage rows: ${rows.length}`);
    const answered = inflightResults.filter((r) => r !== null).length;
    t.diagnostic(`after SIGKILL: ${rows.length} whole usage rows of 180 requests (${60 + answered} answered)`);
    for (const r of rows) {
      assert.equal(r.status, 200);
      assert.equal(r.requested_model, "openai/gpt-4o-mini");
      assert.ok(r.input_tokens > 0 && r.output_tokens > 0, "no partial row");
    }
    assert.equal(await sqlite(db, "SELECT COUNT(*) FROM usage WHERE ts IS NULL OR inbound_format IS NULL OR status IS NULL"), "0");
    // The restarted router works on the same data: the old key still authenticates.
    const ok = await client.chat(key, body(999));
    assert.equal(ok.status, 200);
    await ok.json();
    assert.equal(await stop(restarted), 0);
    assert.equal(await sqlite(db, "PRAGMA integrity_check"), "ok");
  });
});
