// Debian's Chromium driven by playwright-core (never a downloaded browser) for the dashboard's browser tests:
// one page with console-error collection, screenshots, navigation and login helpers.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";
import { ROOT, PASSWORD } from "./targets.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** What the browser tests change the initial password to. */
export const NEW_PASSWORD = "browser-test-password-1";

/**
 * Failures the app handles on a router that lacks an API it can use (it then falls back): the browser logs
 * them as console errors, but they are not the app's. Empty on a router that has every API.
 */
async function missingApiFailures(routerUrl) {
  const failures = [];
  if ((await fetch(`${routerUrl}/api/auth/status`)).status === 404) {
    failures.push(["/api/auth/status", 404], ["/api/settings", 401]); // the status probe of older routers
  }
  const catalog = (await fetch(`${routerUrl}/api/providers/catalog`)).status;
  if (catalog === 404 || catalog === 405) failures.push(["/api/providers/catalog", catalog]); // no OAuth API yet
  return failures;
}

/**
 * Opens a browser page on `site` (from dashboard-site.mjs). `expectedFailures`: [path, status] pairs the test
 * provokes on purpose. Screenshots go to tests/artifacts/screenshots/<target>/.
 */
export async function openDashboard({ site, routerUrl, target, expectedFailures = [] }) {
  const shots = path.join(ROOT, "tests/artifacts/screenshots", target);
  await mkdir(shots, { recursive: true });
  const allowed = [...expectedFailures, ...(await missingApiFailures(routerUrl))];
  const consoleErrors = [];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("dialog", (d) => void d.accept());
  page.on("pageerror", (e) => consoleErrors.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const where = m.location().url ?? "";
    if (!allowed.some(([p, s]) => where.includes(p) && m.text().includes(`status of ${s}`))) consoleErrors.push(`${m.text()} (${where})`);
  });

  const heading = (text) => page.getByRole("heading", { level: 1, name: text });
  return {
    browser,
    context,
    page,
    consoleErrors,
    heading,
    url: (p) => `${site.url}/dashboard${p}`,
    shot: (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true }),
    /** Follows a sidebar link and waits for its page. */
    async nav(label) {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true }).click();
      await heading(label).waitFor();
    },
    /** Logs in through the form; changes the initial password when the app insists. Returns the password now valid. */
    async login(password = PASSWORD) {
      await page.goto(`${site.url}/dashboard/`);
      await heading("Log in").waitFor();
      await page.getByLabel("Password", { exact: true }).fill(password);
      await page.getByRole("button", { name: "Log in" }).click();
      const forced = heading("Choose a new password");
      await Promise.race([forced.waitFor(), page.getByRole("navigation", { name: "Main" }).waitFor()]);
      if (!(await forced.isVisible())) return password;
      await page.getByLabel("Current password").fill(password);
      await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel("Repeat new password").fill(NEW_PASSWORD);
      await page.getByRole("button", { name: "Save and continue" }).click();
      await page.getByRole("navigation", { name: "Main" }).waitFor();
      return NEW_PASSWORD;
    },
  };
}
