// Cost estimates and live connection status on both targets: requests through the mock upstream with known token
// counts are priced tokens × price in the usage API (per recent request, per group, total), an unknown model's
// cost is null (never 0), a price override changes past costs and reverting it restores the built-in price, bad
// price input is refused with the field named and nothing written; a 429 with Retry-After on an account shows in
// /api/providers/status as a cooldown of that model until the right time.
import { describe, it, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient } from "./lib/client.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SYSTEM = "You are a careful coding agent. ".repeat(40);

/** tokens × USD per 1M tokens. */
function expectedCost(row, price) {
  return (row.input_tokens * price.input + row.output_tokens * price.output
    + row.cache_read_tokens * price.cache_read + row.cache_write_tokens * price.cache_write) / 1e6;
}

const close = (actual, expected, what) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);

for (const [name, start] of selectedTargets()) {
  describe(`prices and connection status (${name})`, () => {
    let mock, router, admin, key, limited;

    async function recent(count) {
      for (let i = 0; i < 80; i++) {
        const r = await admin.api("GET", "/api/usage/recent?limit=100");
        if (r.json.requests.length >= count) return r.json.requests;
        await sleep(100);
      }
      assert.fail(`expected ${count} usage rows`);
    }
    const priceOf = async (model) => (await admin.api("GET", "/api/prices")).json.prices.find((p) => p.model === model);

    before(async () => {
      mock = await startMock();
      router = await start();
      admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("prices");
      await admin.addConnection({ provider: "openai", name: "oa", api_key: "sk-oa", base_url: `${mock.url}/v1` });
      await admin.addConnection({ provider: "anthropic", name: "an", api_key: "sk-an", base_url: `${mock.url}/v1` });
      limited = await admin.addConnection({ provider: "openrouter", name: "or", api_key: "sk-or", base_url: `${mock.url}/v1` });
    });
    after(async () => { await router?.stop(); await mock?.close(); });
    beforeEach(async () => { await mock.reset(); });

    it("prices requests from their token counts, per request, per group and in total", async () => {
      const plain = await admin.chat(key, { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "a" }] });
      assert.equal(plain.status, 200);
      await plain.json();
      // Two Claude turns with a cached system prompt: the second reads the cache the first wrote.
      for (const turn of ["one", "two"]) {
        const r = await fetch(`${router.url}/v1/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": key },
          body: JSON.stringify({
            model: "anthropic/claude-sonnet-4-5-20250929", max_tokens: 20,
            system: [{ type: "text", text: SYSTEM, cache_control: { type: "ephemeral" } }],
            messages: [{ role: "user", content: turn }],
          }),
        });
        assert.equal(r.status, 200, await r.clone().text());
        await r.json();
      }
      const unknown = await admin.chat(key, { model: "openai/mock-unpriced-model", messages: [{ role: "user", content: "b" }] });
      assert.equal(unknown.status, 200);
      await unknown.json();

      const rows = await recent(4);
      const mini = rows.find((r) => r.routed_model === "gpt-4o-mini");
      assert.deepEqual([mini.input_tokens, mini.output_tokens], [11, 7]);
      const miniPrice = await priceOf("gpt-4o-mini");
      assert.equal(miniPrice.source, "built_in");
      close(mini.cost_usd, expectedCost(mini, miniPrice), "gpt-4o-mini request");
      assert.equal(mini.cost_basis, "api");

      const sonnetPrice = await priceOf("claude-sonnet-4-5");
      assert.deepEqual([sonnetPrice.input, sonnetPrice.output, sonnetPrice.cache_read, sonnetPrice.cache_write], [3, 15, 0.3, 3.75]);
      const claude = rows.filter((r) => r.routed_model === "claude-sonnet-4-5-20250929");
      assert.equal(claude.length, 2);
      assert.ok(claude.some((r) => r.cache_write_tokens > 0) && claude.some((r) => r.cache_read_tokens > 0),
        `cache written then read: ${JSON.stringify(claude.map((r) => [r.cache_write_tokens, r.cache_read_tokens]))}`);
      for (const r of claude) {
        close(r.cost_usd, expectedCost(r, sonnetPrice), "dated Claude snapshot priced by its family row");
        assert.equal(r.price_key, "claude-sonnet-4-5");
      }

      const unpriced = rows.find((r) => r.routed_model === "mock-unpriced-model");
      assert.equal(unpriced.cost_usd, null, "an unknown price is null, never 0");

      const byModel = (await admin.api("GET", "/api/usage?by=model&bucket=day")).json;
      const group = (m) => byModel.buckets.filter((b) => b.key === m);
      close(group("gpt-4o-mini").reduce((s, b) => s + b.cost_usd, 0), mini.cost_usd, "per-model group");
      assert.ok(group("mock-unpriced-model").every((b) => b.cost_usd === null && b.unpriced_requests === b.requests));
      const pricedTotal = mini.cost_usd + claude.reduce((s, r) => s + r.cost_usd, 0);
      close(byModel.totals.cost_usd, pricedTotal, "total");
      assert.equal(byModel.totals.unpriced_requests, 1);

      const byProvider = (await admin.api("GET", "/api/usage?by=provider")).json;
      const anthropic = byProvider.buckets.filter((b) => b.key === "anthropic").reduce((s, b) => s + b.cost_usd, 0);
      close(anthropic, claude.reduce((s, r) => s + r.cost_usd, 0), "per-provider group");
    });

    it("an override re-prices past usage, a pattern prices unknown models, and a revert restores the built-in price", async () => {
      const override = { input: 1, output: 2, cache_read: 0.5, cache_write: 1.5 };
      const put = await admin.api("PUT", "/api/prices/gpt-4o-mini", override);
      assert.equal(put.status, 200, put.text);
      const listed = await priceOf("gpt-4o-mini");
      assert.equal(listed.source, "override");
      assert.equal(listed.built_in.input, 0.15);
      let mini = (await recent(1)).find((r) => r.routed_model === "gpt-4o-mini");
      close(mini.cost_usd, expectedCost(mini, override), "overridden price applies to a past request");
      assert.equal(mini.price_key, "gpt-4o-mini");

      const pattern = await admin.api("PUT", `/api/prices/${encodeURIComponent("mock-unpriced-*")}`, { input: 4, output: 8 });
      assert.equal(pattern.status, 200, pattern.text);
      const unpriced = (await recent(1)).find((r) => r.routed_model === "mock-unpriced-model");
      close(unpriced.cost_usd, (unpriced.input_tokens * 4 + unpriced.output_tokens * 8) / 1e6, "pattern override (cache defaults to input)");
      const totals = (await admin.api("GET", "/api/usage?by=model&bucket=day")).json.totals;
      assert.equal(totals.unpriced_requests, 0);

      assert.equal((await admin.api("DELETE", "/api/prices/gpt-4o-mini")).status, 200);
      assert.equal((await admin.api("DELETE", `/api/prices/${encodeURIComponent("mock-unpriced-*")}`)).status, 200);
      assert.equal((await admin.api("DELETE", "/api/prices/gpt-4o-mini")).status, 404, "nothing left to revert");
      const reverted = await priceOf("gpt-4o-mini");
      assert.equal(reverted.source, "built_in");
      mini = (await recent(1)).find((r) => r.routed_model === "gpt-4o-mini");
      close(mini.cost_usd, expectedCost(mini, reverted), "built-in price again");
      assert.equal((await recent(1)).find((r) => r.routed_model === "mock-unpriced-model").cost_usd, null);
    });

    it("refuses bad prices naming the field, writes nothing, and needs a session", async () => {
      const cases = [
        [{ input: -1, output: 1 }, "input"],
        [{ input: 1, output: "2" }, "output"],
        [{ input: 1 }, "output"],
        [{ input: 1, output: 1, cache_read: -0.5 }, "cache_read"],
        [{ input: 1, output: 1, cache_write: 1e12 }, "cache_write"],
        [{ input: 1, output: 1, price: 3 }, "price"],
        [[1, 2], "object"],
      ];
      for (const [body, field] of cases) {
        const r = await admin.api("PUT", "/api/prices/gpt-4o", body);
        assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${r.text}`);
        assert.ok(r.text.includes(field), `${r.text} names ${field}`);
      }
      const star = await admin.api("PUT", `/api/prices/${encodeURIComponent("*")}`, { input: 1, output: 1 });
      assert.equal(star.status, 400, star.text);
      const inner = await admin.api("PUT", `/api/prices/${encodeURIComponent("a*b")}`, { input: 1, output: 1 });
      assert.equal(inner.status, 400, inner.text);
      const gpt4o = await priceOf("gpt-4o");
      assert.equal(gpt4o.source, "built_in", "nothing written");
      assert.equal(gpt4o.input, 2.5);
      assert.equal((await admin.api("GET", "/api/prices")).json.prices.filter((p) => p.source === "override").length, 0);

      const anonymous = new RouterClient(router.url);
      assert.equal((await anonymous.api("GET", "/api/prices")).status, 401);
      assert.equal((await anonymous.api("PUT", "/api/prices/gpt-4o", { input: 1, output: 1 })).status, 401);
      assert.equal((await anonymous.api("GET", "/api/providers/status")).status, 401);
    });

    it("a 429 with Retry-After shows the account cooling for that model until the right time", async () => {
      const before = (await admin.api("GET", "/api/providers/status")).json.connections.find((c) => c.id === limited.id);
      assert.equal(before.state, "ready");
      assert.deepEqual(before.cooldowns, []);

      await mock.script("sk-or", [{ status: 429, retryAfter: 30 }]);
      const sentAt = Date.now();
      const r = await admin.chat(key, { model: "openrouter/vendor/limited-model", messages: [{ role: "user", content: "c" }] });
      const answeredAt = Date.now();
      assert.equal(r.status, 429, await r.clone().text());
      await r.text();

      const status = (await admin.api("GET", "/api/providers/status")).json;
      const entry = status.connections.find((c) => c.id === limited.id);
      assert.equal(entry.state, "cooling", JSON.stringify(entry));
      assert.equal(entry.enabled, true);
      assert.equal(entry.needs_reauth, false);
      assert.equal(entry.cooldowns.length, 1);
      const [cooldown] = entry.cooldowns;
      assert.equal(cooldown.model, "vendor/limited-model");
      assert.equal(cooldown.reason, "rate_limited");
      assert.ok(cooldown.until_ms >= sentAt + 30_000 && cooldown.until_ms <= answeredAt + 30_000,
        `until ${cooldown.until_ms} within [${sentAt + 30_000}, ${answeredAt + 30_000}]`);
      assert.ok(cooldown.remaining_ms > 25_000 && cooldown.remaining_ms <= 30_000, `remaining ${cooldown.remaining_ms}`);
      assert.equal(cooldown.until_ms - status.now_ms, cooldown.remaining_ms);
      const others = status.connections.filter((c) => c.id !== limited.id);
      assert.ok(others.every((c) => c.state === "ready"), JSON.stringify(others));
    });
  });
}
