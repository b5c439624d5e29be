// Cost estimates and live account status in a real browser on both targets: requests with known token counts show
// their estimated cost on the Usage page (per request, per group, total; an unpriced model shows "—"); a price
// override made on the Prices page changes it and a revert restores it; a 429 with Retry-After shows the account
// as cooling down on the Providers page with the model and a time left that counts down. Screenshots go to
// tests/artifacts/screenshots/<target>/ (usage-cost, prices, prices-override, providers-cooling).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { RouterClient } from "./lib/client.mjs";
import { dashboardSite, ensureDashboardBuilt } from "./lib/dashboard-site.mjs";
import { openDashboard } from "./lib/browser.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** What the page shows for a cost (the dashboard's formatUsd for amounts below a cent). */
const small = (usd) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumSignificantDigits: 3 }).format(usd);

for (const [name, start] of selectedTargets()) {
  describe(`dashboard prices and status (${name})`, () => {
    let mock, router, site, ui, page, admin, key, limited;

    before(async () => {
      await ensureDashboardBuilt();
      mock = await startMock();
      router = await start();
      site = await dashboardSite(router.url);
      ui = await openDashboard({ site, routerUrl: router.url, target: name });
      page = ui.page;
      const password = await ui.login();
      admin = new RouterClient(router.url);
      await admin.login(password);
      key = await admin.createKey("browser-prices");
      await admin.addConnection({ provider: "openai", name: "oa", api_key: "sk-oa", base_url: `${mock.url}/v1` });
      limited = await admin.addConnection({ provider: "openrouter", name: "limited-account", api_key: "sk-or", base_url: `${mock.url}/v1` });
    });

    after(async () => {
      await ui?.browser.close();
      await site?.close();
      await router?.stop();
      await mock?.close();
    });

    async function waitForRows(count) {
      for (let i = 0; i < 80; i++) {
        if ((await admin.api("GET", "/api/usage/recent")).json.requests.length >= count) return;
        await sleep(100);
      }
      assert.fail("usage not recorded");
    }

    it("shows estimated costs on the Usage page, and a Prices override changes them", async () => {
      for (const model of ["openai/gpt-4o-mini", "openai/mock-unpriced-model"]) {
        const r = await admin.chat(key, { model, messages: [{ role: "user", content: "hi" }] });
        assert.equal(r.status, 200);
        await r.json();
      }
      await waitForRows(2);
      // 11 input and 7 output tokens from the mock at $0.15 / $0.60 per 1M.
      const builtIn = small((11 * 0.15 + 7 * 0.6) / 1e6);

      await page.goto(ui.url("/usage"));
      await ui.heading("Usage").waitFor();
      const priced = page.getByTestId("usage-row").filter({ hasText: "openai/gpt-4o-mini" });
      await priced.getByTestId("request-cost").filter({ hasText: builtIn }).waitFor();
      const unpriced = page.getByTestId("usage-row").filter({ hasText: "openai/mock-unpriced-model" });
      assert.equal((await unpriced.getByTestId("request-cost").innerText()).trim(), "—");
      const total = page.getByTestId("usage-cost-total");
      await total.filter({ hasText: builtIn }).waitFor();
      await total.filter({ hasText: "1 request without a price" }).waitFor();
      assert.ok((await page.getByText("Cost (estimate)").count()) >= 2, "labelled as an estimate");
      await ui.shot("usage-cost");

      await ui.nav("Prices");
      await page.getByLabel("Filter").fill("gpt-4o-mini");
      await page.getByRole("button", { name: "Override gpt-4o-mini" }).click();
      await page.getByLabel("Input $/1M").fill("1");
      await page.getByLabel("Output $/1M").fill("2");
      await ui.shot("prices");
      await page.getByRole("button", { name: "Save price" }).click();
      await page.locator('[data-testid="price-row"][data-model="gpt-4o-mini"]').filter({ hasText: "override" }).waitFor();
      await ui.shot("prices-override");

      await page.goto(ui.url("/usage"));
      await priced.getByTestId("request-cost").filter({ hasText: small((11 * 1 + 7 * 2) / 1e6) }).waitFor();

      await page.goto(ui.url("/prices"));
      await page.getByLabel("Filter").fill("gpt-4o-mini");
      await page.getByRole("button", { name: "Revert gpt-4o-mini" }).click();
      await page.locator('[data-testid="price-row"][data-model="gpt-4o-mini"]').filter({ hasText: "built-in" }).waitFor();
      await page.goto(ui.url("/usage"));
      await priced.getByTestId("request-cost").filter({ hasText: builtIn }).waitFor();
    });

    it("shows a rate-limited account cooling down on the Providers page, counting down", async () => {
      await mock.script("sk-or", [{ status: 429, retryAfter: 90 }]);
      const r = await admin.chat(key, { model: "openrouter/vendor/limited-model", messages: [{ role: "user", content: "x" }] });
      assert.equal(r.status, 429);
      await r.text();

      await page.goto(ui.url("/providers"));
      await ui.heading("Providers").waitFor();
      const row = page.getByTestId("connection-row").filter({ hasText: "limited-account" });
      const cooldown = row.getByTestId("cooldown");
      await cooldown.filter({ hasText: "vendor/limited-model" }).waitFor();
      await row.getByText("cooling down").waitFor();
      const first = await cooldown.innerText();
      assert.match(first, /rate limited · 1 min \d+ s left/);
      await sleep(2_100);
      const later = await cooldown.innerText();
      assert.notEqual(later, first, "the time left counts down");
      const ready = page.getByTestId("connection-row").filter({ hasText: "oa" }).filter({ hasNotText: "limited" });
      await ready.getByText("enabled").waitFor();
      await ui.shot("providers-cooling");
      assert.ok(limited.id);
      assert.deepEqual(ui.consoleErrors, []);
    });
  });
}
