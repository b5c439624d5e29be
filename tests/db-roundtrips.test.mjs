// Database round trips per proxied request, measured on both targets through GET /api/stats (counters of the
// database wrapper): at most one write round trip per request (D1 on the edge: one `batch` per request with its
// request log, or one INSERT; natively the background writer batches several records per INSERT), and no reads
// on the hot path while the read cache is warm. The figures are printed as test diagnostics.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient } from "./lib/client.mjs";

const REQUESTS = 10; // of each kind: JSON and streamed

for (const [name, start] of selectedTargets()) {
  describe(`database round trips per request (${name})`, () => {
    let mock, router, admin, key;
    before(async () => {
      mock = await startMock();
      router = await start();
      admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("rt");
      await admin.addConnection({ provider: "openai", name: "oa", api_key: "sk-rt", base_url: `${mock.url}/v1` });
    });
    after(async () => { await router?.stop(); await mock?.close(); });

    const stats = async () => (await admin.api("GET", "/api/stats")).json.db;
    const recorded = async () => (await admin.api("GET", "/api/usage/recent?limit=200")).json.requests.length;
    const waitRecorded = async (count) => {
      for (let i = 0; i < 100; i++) {
        if ((await recorded()) >= count) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`usage rows never reached ${count}`);
    };
    const traffic = async () => {
      for (let i = 0; i < REQUESTS; i++) {
        const json = await admin.chat(key, { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: `json ${i}` }] });
        assert.equal(json.status, 200);
        await json.json();
        const stream = await admin.chat(key, { model: "openai/gpt-4o-mini", stream: true, messages: [{ role: "user", content: `stream ${i}` }] });
        assert.equal(stream.status, 200);
        await stream.text();
      }
    };
    const delta = (a, b) => ({ queries: b.queries - a.queries, executes: b.executes - a.executes, batches: b.batches - a.batches });

    it("writes at most once per request and reads nothing on a warm hot path", async (t) => {
      assert.equal((await admin.api("GET", "/api/stats")).status, 200);
      assert.equal((await new RouterClient(router.url).api("GET", "/api/stats")).status, 401, "stats need a session");
      // Warm the read cache and the connection pool, and let those rows land.
      await traffic();
      await waitRecorded(2 * REQUESTS);

      const before = await stats();
      await traffic();
      const afterRequests = await stats();
      await waitRecorded(4 * REQUESTS);
      const settled = await stats();
      const requests = 2 * REQUESTS;
      const reads = delta(before, afterRequests).queries / requests;
      const writes = delta(before, settled);
      const writeTrips = (writes.executes + writes.batches) / requests;
      t.diagnostic(`${name}: ${reads.toFixed(2)} reads and ${writeTrips.toFixed(2)} write round trips per request ` +
        `(${writes.executes} single writes, ${writes.batches} batches for ${requests} requests)`);
      assert.ok(writeTrips <= 1, `at most one write round trip per request, got ${writeTrips}`);
      assert.ok(writeTrips > 0, "usage was written");
      // Reads: the read cache (5 s on the edge) serves key, settings and connections; allow one refresh.
      assert.ok(reads <= 0.5, `hot path reads per request: ${reads}`);
    });

    it("keeps one write round trip per request with request logs on", async (t) => {
      assert.equal((await admin.api("PUT", "/api/settings", { request_logs: true })).status, 200);
      const rows = await recorded();
      await traffic(); // the first requests after the settings write refill the read cache
      await waitRecorded(rows + 2 * REQUESTS);
      const before = await stats();
      await traffic();
      await waitRecorded(rows + 4 * REQUESTS);
      const settled = await stats();
      const requests = 2 * REQUESTS;
      const writes = delta(before, settled);
      const writeTrips = (writes.executes + writes.batches) / requests;
      t.diagnostic(`${name} with request logs: ${writeTrips.toFixed(2)} write round trips per request ` +
        `(${writes.executes} single writes, ${writes.batches} batches)`);
      assert.ok(writeTrips <= 1, `at most one write round trip per request with logs on, got ${writeTrips}`);
      const logs = (await admin.api("GET", "/api/logs")).json.logs;
      assert.ok(logs.length >= 2 * REQUESTS, `the logs were written too (${logs.length})`);
    });
  });
}
