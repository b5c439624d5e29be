// Model lists in each client's format on both targets: OpenAI's `/v1/models`, Anthropic's (same path with
// `anthropic-version`, through the Anthropic SDK) and Gemini's `/v1beta/models`, each with connected providers'
// models, combos and aliases; a listed Gemini name is usable as the model of generateContent.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient } from "./lib/client.mjs";

for (const [name, start] of selectedTargets()) {
  describe(`model lists (${name})`, () => {
    let mock, router, admin, key;

    before(async () => {
      mock = await startMock();
      router = await start();
      admin = new RouterClient(router.url);
      await admin.login();
      key = await admin.createKey("models");
      await admin.addConnection({ provider: "openai", name: "oa", api_key: "sk-oa", base_url: `${mock.url}/v1`, models: ["gpt-4o-mini"] });
      await admin.addConnection({ provider: "gemini", name: "ge", api_key: "sk-ge", base_url: `${mock.url}/v1beta`, models: ["gemini-2.5-flash"] });
      assert.equal((await admin.api("POST", "/api/combos", { name: "my-combo", models: ["openai/gpt-4o-mini", "gemini/gemini-2.5-flash"] })).status, 201);
      assert.equal((await admin.api("POST", "/api/aliases", { alias: "fast", target: "gemini/gemini-2.5-flash" })).status, 201);
    });
    after(async () => { await router?.stop(); await mock?.close(); });

    it("lists OpenAI-style by default", async () => {
      const r = await fetch(`${router.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
      const body = await r.json();
      assert.equal(body.object, "list");
      assert.deepEqual(body.data.map((m) => [m.id, m.owned_by]), [
        ["gemini/gemini-2.5-flash", "gemini"], ["openai/gpt-4o-mini", "openai"], ["my-combo", "combo"], ["fast", "alias"],
      ]);
    });

    it("lists Anthropic-style for the Anthropic SDK", async () => {
      const client = new Anthropic({ apiKey: key, baseURL: router.url });
      const ids = [];
      for await (const model of client.models.list()) {
        assert.equal(model.type, "model");
        ids.push(model.id);
      }
      assert.deepEqual(ids, ["gemini/gemini-2.5-flash", "openai/gpt-4o-mini", "my-combo", "fast"]);
    });

    it("lists Gemini-style on /v1beta/models, and a listed name generates", async () => {
      const r = await fetch(`${router.url}/v1beta/models?key=${key}`);
      assert.equal(r.status, 200);
      const { models } = await r.json();
      assert.deepEqual(models.map((m) => m.name), ["models/gemini/gemini-2.5-flash", "models/openai/gpt-4o-mini", "models/my-combo", "models/fast"]);
      assert.ok(models.every((m) => m.supportedGenerationMethods.includes("generateContent")));
      const gen = await fetch(`${router.url}/v1beta/${models[3].name}:generateContent`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-goog-api-key": key },
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }),
      });
      assert.equal(gen.status, 200, await gen.clone().text());
      assert.match(JSON.stringify(await gen.json()), /echo: hi/);
    });

    it("refuses a request without a key", async () => {
      assert.equal((await fetch(`${router.url}/v1beta/models`)).status, 401);
    });
  });
}
