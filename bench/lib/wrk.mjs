// Runs wrk against one URL with one body and parses its report (requests, req/s, latency percentiles).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { fileURLToPath } from "node:url";

const run = promisify(execFile);
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "../wrk/post.lua");

function toMs(value) {
  const m = value.match(/^([\d.]+)(us|ms|s|m)$/);
  if (!m) return NaN;
  const n = Number(m[1]);
  return { us: n / 1000, ms: n, s: n * 1000, m: n * 60000 }[m[2]];
}

/** Parses wrk's `--latency` report. */
export function parseWrk(text) {
  const pct = (p) => {
    const m = text.match(new RegExp(`^\\s+${p}%\\s+(\\S+)`, "m"));
    return m ? toMs(m[1]) : NaN;
  };
  const requests = Number(text.match(/(\d+) requests in/)?.[1] ?? 0);
  const rps = Number(text.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? 0);
  const non2xx = Number(text.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
  const socketErrors = text.match(/Socket errors: (.*)/)?.[1] ?? null;
  return { requests, rps, p50: pct(50), p99: pct(99), non2xx, socketErrors };
}

/**
 * One wrk run: `concurrency` connections for `seconds` (bounded by a hard timeout), POSTing `bodyFile` to `url`.
 */
export async function wrk({ url, bodyFile, key = "", concurrency, seconds }) {
  const threads = Math.min(2, concurrency);
  const { stdout } = await run(
    "wrk",
    ["-t", String(threads), "-c", String(concurrency), "-d", `${seconds}s`, "--timeout", "10s", "--latency", "-s", SCRIPT, url],
    { env: { ...process.env, BENCH_BODY: bodyFile, BENCH_KEY: key }, timeout: (seconds + 30) * 1000 },
  );
  return parseWrk(stdout);
}
