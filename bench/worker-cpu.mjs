// The Worker's own CPU per request, measured inside workerd: `wrangler dev` opens the DevTools inspector on the
// Worker's isolate, V8's sampling profiler records N sequential requests per case, and every sample is
// classified as our Rust (wasm), the JS glue (workers-rs shim + wasm-bindgen imports), runtime built-ins, GC,
// or idle. Busy time per request = everything but idle. Also the first request after load (cold start).
//
//   node bench/worker-cpu.mjs [--requests 300] [--warmup 200]   (bench/run.sh runs it after the load bench)
//
// V8's sampler measures wall time in each state, so the figures are CPU only on an otherwise idle machine, and
// the profiler's own overhead is included (sampling every 100 µs); they are upper bounds of the production CPU
// time, which also excludes wrangler's dev-only middleware. Writes bench/worker-cpu-results.md.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startWorker } from "../tests/lib/targets.mjs";
import { configureRouter, sender, startUpstream } from "./lib/worker-bench.mjs";
import { smallChat, largeAnthropic } from "./lib/bodies.mjs";
import { connectInspector, profile } from "./lib/cdp.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const REQUESTS = Number(args.requests ?? 300);
const WARMUP = Number(args.warmup ?? 200);
const CATEGORIES = ["wasm", "glue", "builtins", "gc", "d1 client"];

const ALL_CASES = [
  { name: "small, same format (Chat → OpenAI)", path: "/v1/chat/completions", body: smallChat("openai/gpt-4o-mini") },
  { name: "small stream, same format (Chat → OpenAI)", path: "/v1/chat/completions", body: smallChat("openai/gpt-4o-mini", true) },
  { name: "small stream, translated (Chat → Anthropic)", path: "/v1/chat/completions", body: smallChat("anthropic/claude-bench", true) },
  { name: "87 KB Claude Code, same format (Messages → Anthropic)", path: "/v1/messages", body: largeAnthropic("anthropic/claude-bench") },
  { name: "87 KB Claude Code, translated (Messages → OpenAI)", path: "/v1/messages", body: largeAnthropic("openai/gpt-4o-mini") },
];

const CASES = args.only ? ALL_CASES.filter((_, i) => String(args.only).split(",").includes(String(i))) : ALL_CASES;

/** The category of one profile node. */
function category(node) {
  const { functionName, url } = node.callFrame;
  if (functionName === "(idle)") return "idle";
  if (functionName === "(garbage collector)") return "gc";
  if (functionName === "(program)" || functionName === "(root)") return "builtins";
  if (url.startsWith("wasm://") || url.includes(".wasm")) return "wasm";
  if (url.includes("d1")) return "d1 client";
  if (url) return "glue";
  return "builtins";
}

/** The functions with the most self time (ms per request), for finding where the time goes. */
function hotSpots(prof, requests, count = Number(args.hot ?? 12)) {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const frames = new Map();
  prof.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node || category(node) === "idle") return;
    const { functionName, url } = node.callFrame;
    const where = url.startsWith("wasm") || url.includes(".wasm") ? "wasm" : url ? url.split("/").at(-1) : "runtime";
    const { lineNumber, columnNumber } = node.callFrame;
    const key = `${functionName || "(anonymous)"} [${where}${where === "wasm" || where === "runtime" ? "" : `:${lineNumber + 1}:${columnNumber + 1}`}]`;
    self.set(key, (self.get(key) ?? 0) + (prof.timeDeltas[i] ?? 0));
    if (!frames.has(key)) frames.set(key, node.callFrame);
  });
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, us]) => ({ name, ms: us / 1000 / requests, frame: frames.get(name) }));
}

/** Milliseconds per request in each category (and busy = all but idle). */
function breakdown(prof, requests) {
  const byId = new Map(prof.nodes.map((n) => [n.id, category(n)]));
  const totals = Object.fromEntries([...CATEGORIES, "idle"].map((c) => [c, 0]));
  prof.samples.forEach((id, i) => { totals[byId.get(id) ?? "builtins"] += prof.timeDeltas[i] ?? 0; });
  const perRequest = Object.fromEntries(Object.entries(totals).map(([c, us]) => [c, us / 1000 / requests]));
  perRequest.busy = CATEGORIES.reduce((sum, c) => sum + perRequest[c], 0);
  return perRequest;
}

async function main() {
  const upstream = await startUpstream();
  const inspectorPort = await freePort();
  const worker = await startWorker({}, { inspectorPort });
  let inspector;
  try {
    const key = await configureRouter(worker.url, upstream.url);
    const send = sender(worker.url, key);
    inspector = await connectInspector(inspectorPort);
    // Cold start: the first proxied request after load (the login/admin calls above ran other code paths).
    const cold = breakdown(await profile(inspector, () => send(CASES[0])), 1);
    const rows = [{ name: "first request after load (cold)", requests: 1, ...cold }];
    for (const c of CASES) {
      for (let i = 0; i < WARMUP; i++) await send(c);
      const t0 = performance.now();
      const prof = await profile(inspector, async () => { for (let i = 0; i < REQUESTS; i++) await send(c); });
      rows.push({ name: c.name, requests: REQUESTS, wall: (performance.now() - t0) / REQUESTS, ...breakdown(prof, REQUESTS), hot: hotSpots(prof, REQUESTS) });
      process.stderr.write(`${c.name}: busy ${rows.at(-1).busy.toFixed(3)} ms/request\n`);
    }
    if (args.source) {
      // Where each JS hot spot is in the bundle wrangler serves (for finding it; not part of the table).
      await inspector.send("Debugger.enable");
      for (const h of rows.find((r) => r.hot)?.hot ?? []) {
        if (!h.frame?.url || h.frame.url.startsWith("wasm")) continue;
        const { scriptSource } = await inspector.send("Debugger.getScriptSource", { scriptId: h.frame.scriptId });
        const line = scriptSource.split("\n")[h.frame.lineNumber] ?? "";
        process.stderr.write(`${h.name}: ${line.slice(Math.max(0, h.frame.columnNumber - 60), h.frame.columnNumber + 240)}\n\n`);
      }
    }
    const md = render(rows);
    process.stdout.write(md);
    await writeFile(path.join(HERE, "worker-cpu-results.md"), md);
  } finally {
    inspector?.close();
    await worker.stop().catch(() => {});
    upstream.stop();
  }
}

function render(rows) {
  const f = (n) => (Number.isFinite(n) ? n.toFixed(3) : "–");
  let md = `## Worker CPU per request in workerd (${new Date().toISOString().slice(0, 10)}; V8 sampling profile, ${REQUESTS} sequential requests per case)\n\n`;
  md += "| case | busy ms / req | our Rust (wasm) | JS glue | runtime built-ins | GC | D1 client | wall ms / req |\n";
  md += "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const r of rows) {
    md += `| ${r.name} | ${f(r.busy)} | ${f(r.wasm)} | ${f(r.glue)} | ${f(r.builtins)} | ${f(r.gc)} | ${f(r["d1 client"])} | ${f(r.wall)} |\n`;
  }
  const small = rows.find((r) => r.hot);
  if (small) {
    md += `\nHot spots (self time) for "${small.name}":\n\n| function | ms / req |\n| --- | ---: |\n`;
    for (const h of small.hot) md += `| \`${h.name.replaceAll("|", "\\|").slice(0, 110)}\` | ${f(h.ms)} |\n`;
  }
  md += "\nBusy = non-idle time of the Worker's isolate thread while it served the requests (wall-clock sampling, so\n";
  md += "an upper bound of CPU on a quiet machine; includes the profiler's overhead and wrangler's dev middleware).\n";
  return md;
}

main().catch((e) => { console.error(e); process.exit(1); });
