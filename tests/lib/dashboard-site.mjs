// Where the browser tests open the dashboard. When the router serves the built app at /dashboard itself (as
// both targets do once the serving code is in), that is the router's own URL. Otherwise (a router that still
// serves the placeholder page) a small stopgap server serves dashboard/dist at /dashboard (SPA fallback to
// index.html) and proxies everything else to the router, so the same origin carries the app and the API.
import http from "node:http";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./targets.mjs";

const run = promisify(execFile);
export const DIST = path.join(ROOT, "dashboard/dist");
/** In the built index.html: tells the app apart from the placeholder page. */
const MARKER = 'content="9router-dashboard"';

/** Builds the dashboard unless dashboard/dist already has it (scripts/test.sh builds it first). */
export async function ensureDashboardBuilt() {
  if (existsSync(path.join(DIST, "dashboard/index.html"))) return;
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const opts = { cwd: ROOT, env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" }, maxBuffer: 16 << 20 };
  if (!existsSync(path.join(ROOT, "dashboard/node_modules"))) await run(npm, ["--prefix", "dashboard", "ci", "--no-audit", "--no-fund"], opts);
  await run(npm, ["--prefix", "dashboard", "run", "build"], opts);
}

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".json": "application/json" };

async function serveFile(res, urlPath) {
  const rel = decodeURIComponent(urlPath).replace(/^\/+/, "");
  let file = path.join(DIST, rel);
  if (!file.startsWith(DIST)) file = path.join(DIST, "dashboard/index.html");
  const isFile = await stat(file).then((s) => s.isFile(), () => false);
  if (!isFile) file = path.join(DIST, "dashboard/index.html");
  res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
  res.end(await readFile(file));
}

function proxy(req, res, target) {
  const upstream = http.request(new URL(req.url, target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on("error", () => { if (!res.headersSent) res.writeHead(502); res.end(); });
  req.pipe(upstream);
}

/** The origin to open: `{url, stopgap, close()}`. */
export async function dashboardSite(routerUrl) {
  const probe = await fetch(`${routerUrl}/dashboard/`).then((r) => r.text(), () => "");
  if (probe.includes(MARKER)) return { url: routerUrl, stopgap: false, async close() {} };
  const server = http.createServer((req, res) => {
    const p = new URL(req.url, "http://x").pathname;
    if ((req.method === "GET" || req.method === "HEAD") && (p === "/dashboard" || p.startsWith("/dashboard/"))) {
      serveFile(res, p).catch(() => { res.writeHead(500); res.end(); });
    } else proxy(req, res, routerUrl);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stopgap: true,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
  };
}
