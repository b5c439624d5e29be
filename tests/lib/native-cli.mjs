// Runs the real native `9router` binary for CLI tests: one-shot commands and servers with chosen flags and
// environment, so tests can check exit codes, output, signals and the data directory.
import { spawn, execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT, JWT_SECRET, PASSWORD, freePort } from "./targets.mjs";

export const BIN = path.join(ROOT, "target/release/9router");
const exec = promisify(execFile);

/** Environment for the binary: the test's secrets, no inherited router variables, `CI` so no browser opens. */
export function cliEnv(extra = {}) {
  const env = { ...process.env, JWT_SECRET, INITIAL_PASSWORD: PASSWORD, CI: "1" };
  for (const name of ["PORT", "HOST", "DATA_DIR", "NODE_ENV", "PRODUCTION"]) delete env[name];
  return { ...env, ...extra };
}

export const tempDir = (prefix = "9router-cli-") => mkdtemp(path.join(os.tmpdir(), prefix));

/** Runs the binary to completion: `{code, stdout, stderr}` (never throws on a non-zero exit). */
export async function runCli(args, env = cliEnv()) {
  if (!existsSync(BIN)) throw new Error(`${BIN} missing: cargo build --release -p router-shared --features native --bin 9router`);
  try {
    const { stdout, stderr } = await exec(BIN, args, { env, timeout: 30000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    if (typeof err.code !== "number") throw err;
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/**
 * Starts the binary as a server and waits until `healthUrl` (default: the --port given) answers. Returns
 * `{child, url, logs, exited}`, where `exited` resolves to the exit code (or signal name).
 */
export async function startServer(args, env = cliEnv(), { port, host = "127.0.0.1" } = {}) {
  const child = spawn(BIN, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const logs = [];
  child.stdout.on("data", (d) => logs.push(d.toString()));
  child.stderr.on("data", (d) => logs.push(d.toString()));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  const url = `http://${host}:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`9router exited early:\n${logs.join("")}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`9router not healthy:\n${logs.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, logs, exited };
}

/** A server on a free port over `dataDir`. */
export async function serveOn(dataDir, { host = "127.0.0.1", env = cliEnv(), extra = [] } = {}) {
  const port = await freePort();
  return startServer(["--port", String(port), "--host", host, "--no-browser", "--data-dir", dataDir, ...extra], env, { port });
}

/** SIGTERM, then the exit code. */
export async function stop(server, signal = "SIGTERM") {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  return server.exited;
}

/** Runs a statement on a SQLite file with the sqlite3 CLI (Debian package `sqlite3`). */
export async function sqlite(file, sql) {
  const { stdout } = await exec("sqlite3", ["-batch", "-noheader", file, sql], { timeout: 30000 });
  return stdout.trim();
}

export { PASSWORD };
