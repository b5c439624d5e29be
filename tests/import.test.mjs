// `9router import` of a JS 9router db.json (tests/fixtures/9router-db.json, written from the seed's
// src/lib/localDb.js schema, fake secrets) and `9router export` back, run with the real binary; the imported
// data is checked through the management API and an imported key is used against the mock upstream. Native only.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile, rm, mkdir, copyFile } from "node:fs/promises";
import path from "node:path";
import { startMock } from "./lib/mock-upstream.mjs";
import { ROOT, selectedTargets } from "./lib/targets.mjs";
import { RouterClient } from "./lib/client.mjs";
import { cliEnv, runCli, serveOn, stop, tempDir } from "./lib/native-cli.mjs";

const native = selectedTargets().some(([name]) => name === "native");
const FIXTURE = path.join(ROOT, "tests/fixtures/9router-db.json");
const SEED_KEY = "sk-0123456789abcdef-fk01ab-3c";
const DISABLED_SEED_KEY = "sk-0123456789abcdef-fk02cd-7e";

/** Everything the management API shows of a router's imported data (timestamps of aliases aside). */
async function snapshot(url) {
  const admin = new RouterClient(url);
  await admin.login();
  const get = async (p) => (await admin.api("GET", p)).json;
  return {
    admin,
    connections: (await get("/api/providers")).connections,
    custom: (await get("/api/custom-providers")).customProviders,
    keys: (await get("/api/keys")).keys,
    combos: (await get("/api/combos")).combos,
    aliases: (await get("/api/aliases")).aliases.map(({ alias, target }) => ({ alias, target })),
    settings: await get("/api/settings"),
  };
}

describe("import from 9router", { skip: !native && "native target not selected" }, () => {
  let mock, work, seedDb;
  before(async () => {
    mock = await startMock();
    work = await tempDir();
    // The fixture's OpenAI account and custom provider nodes point at a placeholder; aim them at the mock.
    seedDb = path.join(work, "db.json");
    await writeFile(seedDb, (await readFile(FIXTURE, "utf8")).replaceAll("http://127.0.0.1:9/", `${mock.url}/`));
  });
  after(async () => { await mock?.close(); await rm(work, { recursive: true, force: true }); });

  it("imports providers, keys, combos, aliases and settings, reports the rest, and is idempotent", async () => {
    const data = path.join(work, "a");
    const first = await runCli(["import", seedDb, "--data-dir", data]);
    assert.equal(first.code, 0, first.stderr);
    // The seed's OAuth Claude account comes in with its tokens (sealed) when this build knows `claude`.
    const oauthKnown = /OAuth token sets: 1 new/.test(first.stdout);
    const connections = oauthKnown ? 5 : 4;
    assert.match(first.stdout, new RegExp(`provider connections: ${connections} new`));
    assert.match(first.stdout, /API keys: 2 new/);
    assert.match(first.stdout, /custom providers: 2 new/);
    assert.match(first.stdout, /combos: 1 new/);
    assert.match(first.stdout, /model aliases: 2 new/);
    for (const reported of ["pricing", "testStatus", "machineId", "cloudEnabled"]) {
      assert.ok(first.stdout.includes(reported), `report names ${reported}:\n${first.stdout}`);
    }
    assert.ok(!first.stdout.includes("providerNodes"), `custom provider nodes are imported:\n${first.stdout}`);
    for (const secret of ["sk-fake-openai-import-0001", "sk-fake-node-0004", "sk-ant-fake-node-0005", "fake-oauth-access-token-0003", SEED_KEY]) {
      assert.ok(!first.stdout.includes(secret) && !first.stderr.includes(secret), `report leaks ${secret}`);
    }
    const again = await runCli(["import", seedDb, "--data-dir", data]);
    assert.equal(again.code, 0);
    assert.match(again.stdout, new RegExp(`provider connections: 0 new, ${connections} already present`));
    assert.match(again.stdout, /API keys: 0 new, 2 already present/);
    assert.match(again.stdout, /combos: 0 new, 1 already present/);
    assert.match(again.stdout, /custom providers: 0 new, 2 already present/);

    const server = await serveOn(data);
    try {
      const s = await snapshot(server.url);
      assert.deepEqual(
        s.connections.map((c) => [c.id, c.provider, c.name, c.auth_type, c.priority, c.enabled, c.base_url ?? null]).sort(),
        [
          ["0b8f3c1e-5a7d-4e21-9c3b-2f6d8e9a1b01", "openai", "work", "api_key", 1, true, `${mock.url}/v1`],
          ["0b8f3c1e-5a7d-4e21-9c3b-2f6d8e9a1b02", "anthropic", "personal", "api_key", 2, false, null],
          ...(oauthKnown ? [["0b8f3c1e-5a7d-4e21-9c3b-2f6d8e9a1b03", "claude", "me@example.com", "oauth", 1, true, null]] : []),
          ["0b8f3c1e-5a7d-4e21-9c3b-2f6d8e9a1b04", "openai-compatible-chat-7f3a", "local llm", "api_key", 1, true, `${mock.url}/local/v1`],
          ["0b8f3c1e-5a7d-4e21-9c3b-2f6d8e9a1b05", "anthropic-compatible-3c9d", "team proxy", "api_key", 1, true, null],
        ].sort(),
      );
      assert.deepEqual(
        s.custom.map((p) => [p.id, p.prefix, p.name, p.format, p.base_url]),
        [
          ["openai-compatible-chat-7f3a", "local", "Local LLM", "openai", `${mock.url}/local/v1`],
          ["anthropic-compatible-3c9d", "teamclaude", "Team Claude proxy", "anthropic", `${mock.url}/team/v1`],
        ].sort((a, b) => a[1].localeCompare(b[1])),
      );
      assert.deepEqual(s.keys.map((k) => [k.name, k.enabled]).sort(), [["laptop", true], ["old ci", false]]);
      assert.deepEqual(s.combos.map((c) => [c.name, c.models]), [["coding", ["anthropic/claude-sonnet-4-20250514", "openai/gpt-4o"]]]);
      assert.deepEqual(s.aliases, [{ alias: "fast", target: "openai/gpt-4o-mini" }, { alias: "smart", target: "anthropic/claude-sonnet-4-20250514" }]);
      assert.equal(s.settings.routing_strategy, "round-robin");
      assert.equal(s.settings.sticky_round_robin_limit, 3);
      assert.equal(s.settings.require_api_key, true);

      // The seed's key string authenticates; the alias routes to the imported account with its upstream key.
      const ok = await s.admin.chat(SEED_KEY, { model: "fast", messages: [{ role: "user", content: "imported" }] });
      assert.equal(ok.status, 200);
      assert.match((await ok.json()).choices[0].message.content, /imported/);
      const seen = (await mock.requests()).at(-1);
      assert.equal(seen.headers.authorization, "Bearer sk-fake-openai-import-0001");
      assert.equal(seen.body.model, "gpt-4o-mini");
      // The imported custom providers route with their own prefixes, base URLs and keys.
      const local = await s.admin.chat(SEED_KEY, { model: "local/llama3", messages: [{ role: "user", content: "node" }] });
      assert.equal(local.status, 200, await local.clone().text());
      const viaLocal = (await mock.requests()).at(-1);
      assert.deepEqual([viaLocal.path, viaLocal.headers.authorization, viaLocal.body.model], ["/local/v1/chat/completions", "Bearer sk-fake-node-0004", "llama3"]);
      const team = await s.admin.chat(SEED_KEY, { model: "teamclaude/claude-x", messages: [{ role: "user", content: "node" }] });
      assert.equal(team.status, 200, await team.clone().text());
      const viaTeam = (await mock.requests()).at(-1);
      assert.deepEqual([viaTeam.path, viaTeam.headers["x-api-key"], viaTeam.body.model], ["/team/v1/messages", "sk-ant-fake-node-0005", "claude-x"]);
      assert.equal((await s.admin.chat(DISABLED_SEED_KEY, { model: "fast", messages: [{ role: "user", content: "x" }] })).status, 401);
    } finally {
      assert.equal(await stop(server), 0);
    }
  });

  it("without a path, imports the JS 9router's db.json from the data directory (DATA_DIR)", async () => {
    const data = path.join(work, "default");
    await mkdir(data, { recursive: true });
    await copyFile(seedDb, path.join(data, "db.json"));
    const result = await runCli(["import"], cliEnv({ DATA_DIR: data }));
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.includes(path.join(data, "db.json")), result.stdout);
    assert.match(result.stdout, /combos: 1 new/);
    const missing = await runCli(["import", path.join(work, "nope.json"), "--data-dir", data]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read/);
  });

  it("export then import into a fresh directory round-trips; secrets only with --include-secrets", async () => {
    const source = path.join(work, "src");
    assert.equal((await runCli(["import", seedDb, "--data-dir", source])).code, 0);
    const bare = await runCli(["export", "--data-dir", source]);
    assert.equal(bare.code, 0);
    const bareJson = JSON.parse(bare.stdout);
    assert.ok(bareJson.providerConnections.length >= 2);
    for (const secret of ["sk-fake-openai-import-0001", "keyHash", "fake-oauth-access-token-0003", "fake-oauth-refresh-token-0003"]) {
      assert.ok(!bare.stdout.includes(secret), `no ${secret} without the flag`);
    }
    assert.match(bare.stderr, /--include-secrets/);

    const file = path.join(work, "export.json");
    const full = await runCli(["export", file, "--include-secrets", "--data-dir", source]);
    assert.equal(full.code, 0, full.stderr);
    assert.equal((await runCli(["export", file, "--data-dir", source])).code, 1, "an existing file is not overwritten without --force");
    const exported = JSON.parse(await readFile(file, "utf8"));
    for (const key of ["providerConnections", "providerNodes", "apiKeys", "combos", "modelAliases", "settings"]) assert.ok(key in exported, key);
    assert.deepEqual(exported.providerNodes.map((n) => [n.id, n.type, n.prefix]).sort(), [
      ["anthropic-compatible-3c9d", "anthropic-compatible", "teamclaude"],
      ["openai-compatible-chat-7f3a", "openai-compatible", "local"],
    ]);
    assert.equal(exported.settings.fallbackStrategy, "round-robin");

    const target = path.join(work, "dst");
    const back = await runCli(["import", file, "--data-dir", target]);
    assert.equal(back.code, 0, back.stderr);
    const leftovers = back.stdout.split("\n").filter((l) => l.startsWith("  - "));
    assert.ok(leftovers.every((l) => l.includes("OAuth")), `only OAuth tokens stay behind:\n${back.stdout}`);

    const [a, b] = [await serveOn(source), await serveOn(target)];
    try {
      const [sa, sb] = [await snapshot(a.url), await snapshot(b.url)];
      for (const part of ["connections", "custom", "keys", "combos", "aliases", "settings"]) assert.deepEqual(sb[part], sa[part], part);
      const ok = await sb.admin.chat(SEED_KEY, { model: "fast", messages: [{ role: "user", content: "round trip" }] });
      assert.equal(ok.status, 200, "the key survives export → import");
      await ok.json();
    } finally {
      assert.equal(await stop(a), 0);
      assert.equal(await stop(b), 0);
    }
  });
});
