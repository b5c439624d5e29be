// Subscription (OAuth) logins through the dashboard in a real browser, on both targets, against our mock OAuth
// provider: Claude Code by authorization code with the callback URL pasted back, GitHub Copilot by device code
// (the code shown, the app polling until the mock approves), and reconnecting an account whose refresh was refused
// (its "Reconnect" button replaces the tokens of the same account). Each provider's notice must be accepted first.
// Skipped while the router has no OAuth API (tests/lib/mock-oauth.mjs arrives with it).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startMock } from "./lib/mock-upstream.mjs";
import { selectedTargets } from "./lib/targets.mjs";
import { dashboardSite, ensureDashboardBuilt } from "./lib/dashboard-site.mjs";
import { openDashboard } from "./lib/browser.mjs";

const MOCK_OAUTH = new URL("./lib/mock-oauth.mjs", import.meta.url);
const skip = existsSync(fileURLToPath(MOCK_OAUTH)) ? false : "the router has no OAuth API yet";

for (const [name, start] of selectedTargets()) {
  describe(`dashboard OAuth (${name})`, { skip }, () => {
    let upstream, oauth, router, site, ui, page;

    before(async () => {
      await ensureDashboardBuilt();
      const { startMockOAuth } = await import(MOCK_OAUTH.href);
      upstream = await startMock();
      oauth = await startMockOAuth();
      const overrides = {
        "https://claude.ai": `${oauth.url}/claude-ai`,
        "https://platform.claude.com": `${oauth.url}/claude-platform`,
        "https://api.anthropic.com": `${upstream.url}/anthropic`,
        "https://github.com": `${oauth.url}/github`,
        "https://api.github.com": `${oauth.url}/github-api`,
        "https://api.githubcopilot.com": `${upstream.url}/copilot`,
      };
      router = await start({ PROVIDER_URL_OVERRIDES: JSON.stringify(overrides) });
      site = await dashboardSite(router.url);
      ui = await openDashboard({ site, routerUrl: router.url, target: name });
      page = ui.page;
      // The login page the app opens in a new tab is the mock's; the test plays the user's part itself.
      ui.context.on("page", (p) => void p.close());
      await ui.login();
      await ui.nav("Providers");
    });

    after(async () => {
      await ui?.browser.close();
      await site?.close();
      await router?.stop();
      await oauth?.close();
      await upstream?.close();
    });

    /** Opens a provider's connect dialog and accepts its notice. */
    async function connect(providerName) {
      await page.getByRole("button", { name: `Connect ${providerName}` }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("note").waitFor();
      const proceed = dialog.getByRole("button", { name: "Continue" });
      assert.ok(await proceed.isDisabled(), "the notice must be accepted first");
      await ui.shot(`providers-notice-${providerName.replace(/\s+/g, "-").toLowerCase()}`);
      await dialog.getByLabel("I have read this and want to connect anyway").check();
      await proceed.click();
      return dialog;
    }

    it("connects Claude Code by pasting back the callback URL", async () => {
      const dialog = await connect("Claude Code");
      await dialog.getByLabel("Account name").fill("claude-browser");
      await dialog.getByRole("button", { name: "Open login page" }).click();
      const authorize = new URL(await dialog.getByRole("link", { name: "open the login page" }).getAttribute("href"));
      authorize.searchParams.set("mock_account", "ccbrowser");
      const approved = await fetch(authorize, { redirect: "manual" });
      assert.equal(approved.status, 302);
      const { redirect } = await approved.json();
      await dialog.getByLabel("Callback URL or code").fill(redirect);
      await ui.shot("providers-oauth-paste-back");
      await dialog.getByRole("button", { name: "Connect", exact: true }).click();
      const row = page.getByTestId("connection-row").filter({ hasText: "claude-browser" });
      await row.getByText("subscription login").waitFor();
      await row.getByText("enabled").waitFor();
    });

    it("connects GitHub Copilot with a device code, polling until approved", async () => {
      const dialog = await connect("GitHub Copilot");
      await dialog.getByLabel("Account name").fill("copilot-browser");
      await dialog.getByRole("button", { name: "Get a code" }).click();
      const shown = dialog.getByTestId("device-user-code");
      await shown.waitFor();
      await dialog.getByText("Waiting for you to approve").waitFor();
      await ui.shot("providers-oauth-device-code");
      await oauth.approve((await shown.textContent()).trim(), "ghacct");
      const row = page.getByTestId("connection-row").filter({ hasText: "copilot-browser" });
      await row.waitFor({ timeout: 20_000 });
      await row.getByRole("button", { name: "Test" }).click();
      await row.getByRole("status").filter({ hasText: /^Works/ }).waitFor({ timeout: 20_000 });
      await ui.shot("providers-oauth");
    });

    it("reconnects an account that needs a new login", async () => {
      // A token inside Claude's 4 h refresh window whose refresh the mock refuses: the test call marks it.
      await oauth.configure({ expiresIn: 4 * 3600 + 2 });
      await oauth.fail("ccstale");
      const dialog = await connect("Claude Code");
      await dialog.getByLabel("Account name").fill("claude-reconnect");
      await dialog.getByRole("button", { name: "Open login page" }).click();
      const authorize = new URL(await dialog.getByRole("link", { name: "open the login page" }).getAttribute("href"));
      authorize.searchParams.set("mock_account", "ccstale");
      await dialog.getByLabel("Callback URL or code").fill((await (await fetch(authorize, { redirect: "manual" })).json()).redirect);
      await dialog.getByRole("button", { name: "Connect", exact: true }).click();
      const row = page.getByTestId("connection-row").filter({ hasText: "claude-reconnect" });
      await row.getByText("subscription login").waitFor();
      await new Promise((r) => setTimeout(r, 2500));
      await row.getByRole("button", { name: "Test" }).click();
      await row.getByRole("status").filter({ hasText: /^Failed/ }).waitFor({ timeout: 20_000 });
      // The failed test refreshes the list: the account shows it needs a new login and offers to reconnect.
      const reconnect = row.getByRole("button", { name: "Reconnect claude-reconnect" });
      await reconnect.waitFor({ timeout: 25_000 });
      await row.getByText("needs a new login").waitFor();
      await ui.shot("providers-oauth-needs-reauth");
      await oauth.configure({ expiresIn: 28800 });
      await reconnect.click();
      const again = page.getByRole("dialog");
      await again.getByRole("heading", { name: "Reconnect claude-reconnect" }).waitFor();
      await again.getByLabel("I have read this and want to connect anyway").check();
      await again.getByRole("button", { name: "Continue" }).click();
      assert.equal(await again.getByLabel("Account name").count(), 0, "a reconnect keeps the account's name");
      await again.getByRole("button", { name: "Open login page" }).click();
      const second = new URL(await again.getByRole("link", { name: "open the login page" }).getAttribute("href"));
      second.searchParams.set("mock_account", "ccfresh");
      await again.getByLabel("Callback URL or code").fill((await (await fetch(second, { redirect: "manual" })).json()).redirect);
      await again.getByRole("button", { name: "Connect", exact: true }).click();
      await row.getByText("enabled").waitFor({ timeout: 20_000 });
      assert.equal(await page.getByTestId("connection-row").filter({ hasText: "claude-reconnect" }).count(), 1, "still one account");
      assert.equal(await row.getByRole("button", { name: "Reconnect claude-reconnect" }).count(), 0);
      await row.getByRole("button", { name: "Test" }).click();
      await row.getByRole("status").filter({ hasText: /^Works/ }).waitFor({ timeout: 20_000 });
    });

    it("logged no console errors", () => {
      assert.deepEqual(ui.consoleErrors, []);
    });
  });
}
