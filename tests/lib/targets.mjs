// Starts the router under test: the native `9router` binary, or the built Worker in workerd via `wrangler dev`
// (with D1 migrated by `wrangler d1 migrations apply`, the Durable Object and static assets, as users run it).
import { spawn, execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const JWT_SECRET = "test-jwt-secret-0123456789";
export const PASSWORD = "test-password";
/** Upstream idle timeout for tests: short, so stalls are detected quickly. */
export const IDLE_TIMEOUT_MS = 1500;
const run = promisify(execFile);

export async function freePort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

async function waitHealthy(url, child, logs, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`router exited (${child.exitCode}):\n${logs.join("")}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`router not healthy after ${timeoutMs} ms:\n${logs.join("")}`);
}

function collect(child) {
  const logs = [];
  child.stdout.on("data", (d) => logs.push(d.toString()));
  child.stderr.on("data", (d) => logs.push(d.toString()));
  return logs;
}

/** Process groups started here and not stopped yet: killed when this test process ends any way it can be
 * caught (a test file killed on timeout otherwise left `wrangler dev` and workerd running). */
const liveGroups = new Set();
function killLiveGroups() {
  for (const pid of liveGroups) {
    try { process.kill(-pid, "SIGKILL"); } catch {}
  }
  liveGroups.clear();
}
process.once("exit", killLiveGroups);
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.once(signal, () => { killLiveGroups(); process.exit(128 + os.constants.signals[signal]); });
}

/** Remembers a detached child's process group for [`killLiveGroups`]. */
function track(child) {
  liveGroups.add(child.pid);
  child.once("exit", () => liveGroups.delete(child.pid));
  return child;
}

function stopGroup(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", resolve);
    try { process.kill(-child.pid, "SIGINT"); } catch {}
    setTimeout(() => { try { process.kill(-child.pid, "SIGKILL"); } catch {} }, 3000).unref();
  });
}

/** Token encryption key the Worker gets (production refuses the development fallback); natively a key file in
 * the data directory is created instead. */
export const TOKEN_ENCRYPTION_KEY = "test-token-encryption-key-0123456789abcdef";

/** `extraEnv`: more environment variables (native) / `--var`s (Worker), e.g. PROVIDER_URL_OVERRIDES. */
export async function startNative(extraEnv = {}) {
  const bin = path.join(ROOT, "target/release/9router");
  if (!existsSync(bin)) throw new Error(`${bin} missing: run scripts/test.sh (it builds it)`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "9router-native-"));
  const port = await freePort();
  const child = track(spawn(bin, ["--port", String(port), "--host", "127.0.0.1", "--no-browser", "--data-dir", dataDir], {
    env: { ...process.env, JWT_SECRET, INITIAL_PASSWORD: PASSWORD, NODE_ENV: "production", UPSTREAM_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS), ...extraEnv },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  }));
  const logs = collect(child);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child, logs, 15000);
  return {
    name: "native",
    url,
    logs,
    pid: child.pid,
    dataDir,
    async stop() { await stopGroup(child); await rm(dataDir, { recursive: true, force: true }); },
  };
}

/** Starts `wrangler dev` on the built Worker; `inspectorPort` opens the DevTools protocol (used by the CPU bench). */
export async function startWorker(extraEnv = {}, { inspectorPort } = {}) {
  const wrangler = path.join(ROOT, "node_modules/.bin/wrangler");
  if (!existsSync(path.join(ROOT, "worker/build/index.js"))) throw new Error("worker/build missing: run scripts/build-worker.sh");
  const persist = await mkdtemp(path.join(os.tmpdir(), "9router-worker-"));
  const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" };
  await run(wrangler, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], { cwd: ROOT, env });
  const port = await freePort();
  const child = track(spawn(wrangler, [
    "dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persist,
    "--var", `JWT_SECRET:${JWT_SECRET}`, "--var", `INITIAL_PASSWORD:${PASSWORD}`,
    "--var", `UPSTREAM_IDLE_TIMEOUT_MS:${IDLE_TIMEOUT_MS}`,
    "--var", `TOKEN_ENCRYPTION_KEY:${TOKEN_ENCRYPTION_KEY}`,
    ...Object.entries(extraEnv).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ...(inspectorPort ? ["--inspector-port", String(inspectorPort)] : []),
    "--show-interactive-dev-session=false", "--log-level", "warn",
  ], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] }));
  const logs = collect(child);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child, logs, 60000);
  return {
    name: "worker",
    url,
    logs,
    pid: child.pid,
    persist,
    inspectorPort,
    async stop() { await stopGroup(child); await rm(persist, { recursive: true, force: true }); },
  };
}

export const TARGETS = { native: startNative, worker: startWorker };

/** Targets selected by E2E_TARGETS (comma-separated), default both. */
export function selectedTargets() {
  const wanted = (process.env.E2E_TARGETS ?? "native,worker").split(",").map((s) => s.trim()).filter(Boolean);
  return wanted.map((name) => {
    if (!TARGETS[name]) throw new Error(`unknown E2E target ${name}`);
    return [name, TARGETS[name]];
  });
}
