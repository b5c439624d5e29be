// The `require_api_key` setting (the seed's `requireApiKey`) on both targets: on by default; off, the native
// server on loopback serves keyless requests as the local user, while the Worker (public by nature) still
// refuses them. The native non-loopback case is in cli.test.mjs.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient } from "./lib/client.mjs";

for (const [name, start] of selectedTargets()) {
  describe(`require_api_key (${name})`, () => {
    let mock, router, admin, key;
    const body = { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "keyless?" }] };
    before(async () => {
      mock = await startMock();
      router = await start();
      admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("rk");
      await admin.addConnection({ provider: "openai", name: "oa", api_key: "sk-rk", base_url: `${mock.url}/v1` });
    });
    after(async () => { await router?.stop(); await mock?.close(); });

    it("is on by default and, when turned off, serves keyless requests only natively on loopback", async () => {
      assert.equal((await admin.api("GET", "/api/settings")).json.require_api_key, true);
      assert.equal((await admin.chat(null, body)).status, 401);
      assert.equal((await admin.api("PUT", "/api/settings", { require_api_key: false })).status, 200);
      const keyless = await admin.chat(null, body);
      const wrongKey = await admin.chat("sk-not-a-key", body);
      if (name === "native") {
        assert.equal(keyless.status, 200);
        assert.match((await keyless.json()).choices[0].message.content, /keyless/);
        assert.equal(wrongKey.status, 200, "like the seed: an unknown key is the local user when keys are optional");
        await wrongKey.json();
        const usage = (await admin.api("GET", "/api/usage/recent?limit=10")).json.requests;
        for (let i = 0; i < 30 && !usage.some((r) => r.api_key_id === "local"); i++) {
          await new Promise((r) => setTimeout(r, 100));
          usage.splice(0, usage.length, ...(await admin.api("GET", "/api/usage/recent?limit=10")).json.requests);
        }
        assert.ok(usage.some((r) => r.api_key_id === "local"), "recorded under the local user");
      } else {
        assert.equal(keyless.status, 401, "the Worker always requires a key");
        assert.equal(wrongKey.status, 401);
      }
      const withKey = await admin.chat(key, body);
      assert.equal(withKey.status, 200);
      await withKey.json();
      await admin.api("PUT", "/api/settings", { require_api_key: true });
      assert.equal((await admin.chat(null, body)).status, 401);
    });
  });
}
