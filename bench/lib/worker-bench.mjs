// Shared set-up of the Worker CPU benches (worker-cpu.mjs, worker-proc-cpu.mjs): the canned upstream, a router
// configured against it, and a sequential request sender.
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RouterClient } from "../../tests/lib/client.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Starts bench/lib/fast-mock.mjs in its own process. */
export async function startUpstream() {
  const child = spawn(process.execPath, [path.join(HERE, "fast-mock.mjs")], { stdio: ["ignore", "pipe", "inherit"] });
  const [line] = await once(child.stdout, "data");
  return { url: `http://127.0.0.1:${String(line).trim()}`, stop: () => child.kill("SIGTERM") };
}

/** Logs in to the router at `routerUrl`, creates a client key and OpenAI + Anthropic accounts pointing at the
 * upstream; returns the key. */
export async function configureRouter(routerUrl, upstreamUrl) {
  const admin = new RouterClient(routerUrl);
  await admin.login();
  const key = await admin.createKey("cpu-bench");
  for (const provider of ["openai", "anthropic"]) {
    await admin.addConnection({ provider, name: `bench-${provider}`, api_key: "sk-bench", base_url: `${upstreamUrl}/v1` });
  }
  return key;
}

/** A function sending one bench case (`{ name, path, body }`) to `base` and reading the whole answer. */
export function sender(base, key) {
  return async (c) => {
    const r = await fetch(base + c.path, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}`, "anthropic-version": "2023-06-01" },
      body: c.body,
    });
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`${c.name}: HTTP ${r.status}`);
  };
}
