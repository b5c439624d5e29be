// Worker CPU per request as workerd's own process accounting sees it (/proc/<pid>/stat utime + stime of every
// workerd process `wrangler dev` runs), without a profiler attached. Two Workers run side by side in one run:
// ours (the built wasm) and a plain-JS baseline (bench/baseline-worker: key check, forward to the upstream,
// stream back, one D1 row in waitUntil). The baseline is the floor of this dev setup: wrangler's proxy
// worker, miniflare's D1 and the runtime's HTTP, which production does not charge to a Worker. So
// "ours − baseline" is the CPU our code adds per request.
//
//   node bench/worker-proc-cpu.mjs [--requests 1000] [--warmup 200] [--rounds 2]
//
// Writes bench/worker-proc-cpu-results.md. Clock ticks are 10 ms, so each figure is taken over many requests;
// the two Workers are measured alternately, `--rounds` times, and the median is reported.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startWorker, ROOT } from "../tests/lib/targets.mjs";
import { configureRouter, sender, startUpstream } from "./lib/worker-bench.mjs";
import { smallChat, largeAnthropic } from "./lib/bodies.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const REQUESTS = Number(args.requests ?? 1000);
const WARMUP = Number(args.warmup ?? 200);
const ROUNDS = Number(args.rounds ?? 2);
const TICK_MS = 10; // sysconf(_SC_CLK_TCK) = 100 on Linux

const CASES = [
  { name: "small, same format (Chat → OpenAI)", path: "/v1/chat/completions", body: smallChat("openai/gpt-4o-mini"), baseline: true },
  { name: "small stream, same format (Chat → OpenAI)", path: "/v1/chat/completions", body: smallChat("openai/gpt-4o-mini", true), baseline: true },
  { name: "small stream, translated (Chat → Anthropic)", path: "/v1/chat/completions", body: smallChat("anthropic/claude-bench", true) },
  { name: "87 KB Claude Code, same format (Messages → Anthropic)", path: "/v1/messages", body: largeAnthropic("anthropic/claude-bench"), baseline: true },
  { name: "87 KB Claude Code, translated (Messages → OpenAI)", path: "/v1/messages", body: largeAnthropic("openai/gpt-4o-mini") },
];

/** CPU ticks (user + system) of the workerd processes in process group `pgid`. */
async function workerdTicks(pgid) {
  let ticks = 0;
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    const close = stat.lastIndexOf(")");
    if (close < 0 || !stat.slice(stat.indexOf("(") + 1, close).startsWith("workerd")) continue;
    const fields = stat.slice(close + 2).split(" "); // fields[0] is field 3 (state)
    if (Number(fields[2]) !== pgid) continue; // field 5: process group
    ticks += Number(fields[11]) + Number(fields[12]); // fields 14, 15: utime, stime
  }
  return ticks;
}

/** The plain-JS baseline Worker under `wrangler dev`. */
async function startBaseline(upstreamUrl, key) {
  const persist = await mkdtemp(path.join(os.tmpdir(), "9router-baseline-"));
  const port = await freePort();
  const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" };
  const child = spawn(path.join(ROOT, "node_modules/.bin/wrangler"), [
    "dev", "-c", path.join(HERE, "baseline-worker/wrangler.toml"), "--local", "--ip", "127.0.0.1", "--port", String(port),
    "--persist-to", persist, "--var", `UPSTREAM:${upstreamUrl}`, "--var", `KEY:${key}`,
    "--show-interactive-dev-session=false", "--log-level", "warn",
  ], { cwd: ROOT, env, detached: true, stdio: ["ignore", "inherit", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(url).then((r) => r.status === 401, () => false);
    if (ok) break;
    if (i > 600) throw new Error("baseline worker did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, pid: child.pid,
    async stop() {
      try { process.kill(-child.pid, "SIGINT"); } catch {}
      await Promise.race([once(child, "exit"), new Promise((r) => setTimeout(r, 3000))]);
      try { process.kill(-child.pid, "SIGKILL"); } catch {}
      await rm(persist, { recursive: true, force: true });
    },
  };
}

/** CPU ms per request of `target` over REQUESTS sequential requests of case `c`. */
async function measure(target, c) {
  for (let i = 0; i < WARMUP; i++) await target.send(c);
  const before = await workerdTicks(target.pid);
  for (let i = 0; i < REQUESTS; i++) await target.send(c);
  // waitUntil writes finish shortly after the response.
  await new Promise((r) => setTimeout(r, 300));
  return ((await workerdTicks(target.pid)) - before) * TICK_MS / REQUESTS;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const upstream = await startUpstream();
  const worker = await startWorker();
  let baseline;
  try {
    const key = await configureRouter(worker.url, upstream.url);
    baseline = await startBaseline(upstream.url, key);
    const ours = { pid: worker.pid, send: sender(worker.url, key) };
    const floor = { pid: baseline.pid, send: sender(baseline.url, key) };
    // Cold start: workerd CPU for the first proxied request (the admin calls above ran other code paths).
    const coldBefore = await workerdTicks(worker.pid);
    await ours.send(CASES[0]);
    const cold = ((await workerdTicks(worker.pid)) - coldBefore) * TICK_MS;
    const rows = [];
    for (const c of CASES) {
      const oursMs = [], floorMs = [];
      for (let round = 0; round < ROUNDS; round++) {
        oursMs.push(await measure(ours, c));
        if (c.baseline) floorMs.push(await measure(floor, c));
      }
      const row = { name: c.name, ours: median(oursMs), floor: c.baseline ? median(floorMs) : NaN };
      rows.push(row);
      process.stderr.write(`${c.name}: ours ${row.ours.toFixed(2)} ms, baseline ${row.floor.toFixed(2)} ms\n`);
    }
    const md = render(rows, cold);
    process.stdout.write(md);
    await writeFile(path.join(HERE, "worker-proc-cpu-results.md"), md);
  } finally {
    await baseline?.stop().catch(() => {});
    await worker.stop().catch(() => {});
    upstream.stop();
  }
}

function render(rows, cold) {
  const f = (n) => (Number.isFinite(n) ? n.toFixed(2) : "–");
  let md = `## Worker CPU per request, workerd process accounting (${new Date().toISOString().slice(0, 10)}; ${REQUESTS} sequential requests, median of ${ROUNDS} rounds)\n\n`;
  md += "| case | ours ms / req | plain-JS baseline ms / req | ours − baseline | ratio |\n| --- | ---: | ---: | ---: | ---: |\n";
  const first = rows.find((r) => Number.isFinite(r.floor));
  for (const r of rows) {
    // Translated cases have no baseline of their own: compared with the small same-format baseline.
    const floor = Number.isFinite(r.floor) ? r.floor : r.name.startsWith("small") ? first.floor : rows.find((x) => x.name.startsWith("87") && Number.isFinite(x.floor))?.floor;
    const note = Number.isFinite(r.floor) ? "" : " (vs the same-size baseline)";
    md += `| ${r.name} | ${f(r.ours)} | ${f(r.floor)} | ${f(r.ours - floor)}${note} | ${f(r.ours / floor)} |\n`;
  }
  md += `\nFirst proxied request after load (cold): ${f(cold)} ms of workerd CPU (one sample, 10 ms ticks).\n`;
  md += "\nCPU = utime + stime of every workerd process of the `wrangler dev` session (includes wrangler's proxy\n";
  md += "worker, miniflare's D1 and the HTTP stack). The baseline Worker does the same platform work in plain JS, so\n";
  md += "the difference is what our Worker itself adds per request.\n";
  return md;
}

main().catch((e) => { console.error(e); process.exit(1); });
