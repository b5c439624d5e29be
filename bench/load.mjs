// Load bench: the same requests sent directly to a canned upstream, through the native router and through the
// Worker in workerd (`wrangler dev`), side by side in one run. Prints Markdown tables and writes them to
// bench/load-results.md. Everything stays on 127.0.0.1 and every run is bounded in time.
//
//   node bench/load.mjs [--seconds 5] [--targets direct,native,worker] [--concurrency 1,16,64]
//
// Run through bench/run.sh, which builds the binary and the Worker and installs wrk first.
import { spawn } from "node:child_process";
import { writeFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { startNative, startWorker } from "../tests/lib/targets.mjs";
import { RouterClient } from "../tests/lib/client.mjs";
import { smallChat, largeAnthropic } from "./lib/bodies.mjs";
import { wrk } from "./lib/wrk.mjs";
import { streamProbe } from "./lib/stream-probe.mjs";
import { tree, cpuSeconds, rssMb, rssSampler } from "./lib/proc.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const SECONDS = Number(args.seconds ?? 5);
const TARGETS = (args.targets ?? "direct,native,worker").split(",");
const CONCURRENCY = (args.concurrency ?? "1,16,64").split(",").map(Number);
const STREAM_CONCURRENCY = CONCURRENCY.filter((c) => c <= 16);

/** Non-streaming cases: the path on the router, the path on the upstream (direct), and the body. */
const CASES = [
  { name: "small, same format (Chat → OpenAI)", routerPath: "/v1/chat/completions", directPath: "/v1/chat/completions", body: smallChat("openai/gpt-4o-mini") },
  { name: "87 KB Claude Code, same format (Messages → Anthropic)", routerPath: "/v1/messages", directPath: "/v1/messages", body: largeAnthropic("anthropic/claude-bench") },
  { name: "87 KB Claude Code, translated (Messages → OpenAI)", routerPath: "/v1/messages", directPath: "/v1/messages", body: largeAnthropic("openai/gpt-4o-mini") },
];
const STREAM_CASES = [
  { name: "stream, same format (Chat → OpenAI)", routerPath: "/v1/chat/completions", directPath: "/v1/chat/completions", body: smallChat("openai/gpt-4o-mini", true) },
  { name: "stream, translated (Anthropic upstream → Chat client)", routerPath: "/v1/chat/completions", directPath: "/v1/messages", body: smallChat("anthropic/claude-bench", true) },
];

async function startUpstream() {
  const child = spawn(process.execPath, [path.join(HERE, "lib/fast-mock.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = await once(child.stdout, "data");
  const url = `http://127.0.0.1:${String(line).trim()}`;
  return { name: "direct", url, pid: child.pid, stop: async () => { child.kill("SIGTERM"); } };
}

async function configure(target, upstreamUrl) {
  const admin = new RouterClient(target.url);
  await admin.login();
  const key = await admin.createKey("bench");
  await admin.addConnection({ provider: "openai", name: "bench-openai", api_key: "sk-bench", base_url: `${upstreamUrl}/v1` });
  await admin.addConnection({ provider: "anthropic", name: "bench-anthropic", api_key: "sk-bench", base_url: `${upstreamUrl}/v1` });
  return key;
}

const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

async function main() {
  const bodyDir = await mkdtemp(path.join(os.tmpdir(), "9router-bench-"));
  const upstream = await startUpstream();
  const targets = [];
  const startup = [];
  try {
    if (TARGETS.includes("direct")) targets.push({ ...upstream, key: "", pids: [upstream.pid], runtimePids: [upstream.pid] });
    for (const [name, start] of [["native", startNative], ["worker", startWorker]]) {
      if (!TARGETS.includes(name)) continue;
      const t0 = performance.now();
      const target = await start();
      const readyMs = performance.now() - t0;
      const key = await configure(target, upstream.url);
      const procs = tree(target.pid);
      const pids = procs.map((p) => p.pid);
      // workerd alone (without wrangler's Node dev proxy): the Worker's own CPU.
      const runtimePids = procs.filter((p) => p.comm === "workerd").map((p) => p.pid);
      const first = performance.now();
      const r = await fetch(`${target.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: CASES[0].body });
      await r.text();
      startup.push({ name, readyMs, firstMs: performance.now() - first, idleRss: rssMb(pids) });
      targets.push({ ...target, key, pids, runtimePids: runtimePids.length ? runtimePids : pids });
    }

    const rows = [];
    for (const [ci, c] of CASES.entries()) {
      const bodyFile = path.join(bodyDir, `case${ci}.json`);
      await writeFile(bodyFile, c.body);
      for (const t of targets) {
        // Warm up connections, caches and the JIT on this case before measuring.
        await wrk({ url: t.url + (t.name === "direct" ? c.directPath : c.routerPath), bodyFile, key: t.key, concurrency: 4, seconds: 1 });
      }
      for (const concurrency of CONCURRENCY) {
        for (const t of targets) {
          const url = t.url + (t.name === "direct" ? c.directPath : c.routerPath);
          const cpu0 = cpuSeconds(t.pids);
          const runtime0 = cpuSeconds(t.runtimePids);
          const sampler = rssSampler(t.pids);
          const result = await wrk({ url, bodyFile, key: t.key, concurrency, seconds: SECONDS });
          const peakRss = sampler.stop();
          const cpu = cpuSeconds(t.pids) - cpu0;
          const runtimeCpu = cpuSeconds(t.runtimePids) - runtime0;
          const per1000 = (x) => (result.requests ? (x / result.requests) * 1000 : NaN);
          rows.push({ case: c.name, concurrency, target: t.name, ...result, cpuPer1000: per1000(cpu), runtimeCpuPer1000: per1000(runtimeCpu), peakRss });
          process.stderr.write(`${c.name} c=${concurrency} ${t.name}: ${result.rps} req/s p50 ${result.p50} ms p99 ${result.p99} ms non-2xx ${result.non2xx}\n`);
        }
      }
    }

    const streamRows = [];
    for (const c of STREAM_CASES) {
      for (const concurrency of STREAM_CONCURRENCY) {
        for (const t of targets) {
          const url = t.url + (t.name === "direct" ? c.directPath : c.routerPath);
          await streamProbe({ url, body: c.body, key: t.key, concurrency, seconds: 1 });
          const result = await streamProbe({ url, body: c.body, key: t.key, concurrency, seconds: SECONDS });
          streamRows.push({ case: c.name, concurrency, target: t.name, ...result });
          process.stderr.write(`${c.name} c=${concurrency} ${t.name}: ttfb p50 ${fmt(result.ttfbP50)} ms, ${fmt(result.eventsPerSec, 0)} events/s, failed ${result.failed}\n`);
        }
      }
    }

    const md = render(rows, streamRows, startup);
    process.stdout.write(md);
    await writeFile(path.join(HERE, "load-results.md"), md);
  } finally {
    for (const t of targets) if (t.name !== "direct") await t.stop().catch(() => {});
    await upstream.stop();
    await rm(bodyDir, { recursive: true, force: true });
  }
}

function render(rows, streamRows, startup) {
  const direct = (r, list) => list.find((d) => d.case === r.case && d.concurrency === r.concurrency && d.target === "direct");
  const cpuModel = (os.cpus()[0]?.model ?? "unknown CPU").trim();
  let md = `## Load bench (${new Date().toISOString().slice(0, 10)}; ${os.cpus().length} cores, ${cpuModel}; ${SECONDS} s per cell)\n\n`;
  md += "Router and upstream share the machine with the load generator (wrk), so absolute figures are low; read the\n";
  md += "*added* columns (router minus direct, same run) and the ratios.\n\n";
  md += "| case | c | target | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | CPU s / 1000 req | of which workerd | non-2xx |\n";
  md += "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const r of rows) {
    const d = direct(r, rows);
    const added = (k) => (d && r.target !== "direct" ? fmt(r[k] - d[k]) : "");
    md += `| ${r.case} | ${r.concurrency} | ${r.target} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${added("p50")} | ${added("p99")} | ${fmt(r.cpuPer1000, 3)} | ${r.target === "worker" ? fmt(r.runtimeCpuPer1000, 3) : ""} | ${r.non2xx} |\n`;
  }
  md += "\n| case | c | target | TTFB p50 ms | TTFB p99 ms | added TTFB p50 ms | events/s | failed |\n";
  md += "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n";
  for (const r of streamRows) {
    const d = direct(r, streamRows);
    const added = d && r.target !== "direct" ? fmt(r.ttfbP50 - d.ttfbP50) : "";
    md += `| ${r.case} | ${r.concurrency} | ${r.target} | ${fmt(r.ttfbP50)} | ${fmt(r.ttfbP99)} | ${added} | ${fmt(r.eventsPerSec, 0)} | ${r.failed} |\n`;
  }
  md += "\n| target | ready after start (ms) | first proxied request (ms) | RSS idle (MB) | RSS peak under load (MB) |\n";
  md += "| --- | ---: | ---: | ---: | ---: |\n";
  for (const s of startup) {
    const peak = Math.max(...rows.filter((r) => r.target === s.name).map((r) => r.peakRss));
    md += `| ${s.name} | ${fmt(s.readyMs, 0)} | ${fmt(s.firstMs)} | ${fmt(s.idleRss, 1)} | ${fmt(peak, 1)} |\n`;
  }
  md += "\nWorker CPU and RSS are the whole `wrangler dev` process tree (workerd plus wrangler's Node dev proxy);\n";
  md += "*of which workerd* is the runtime alone, i.e. the Worker's CPU per request as workerd spends it.\n";
  return md;
}

main().catch((e) => { console.error(e); process.exit(1); });
