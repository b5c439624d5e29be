// A minimal Chrome DevTools Protocol client (over the `ws` package) for the inspector `wrangler dev` opens on
// the Worker's isolate: enough to record a CPU profile.
import WebSocket from "ws";

/** Connects to the first target the inspector at `port` lists. */
export async function connectInspector(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  const target = targets.find((t) => t.webSocketDebuggerUrl);
  if (!target) throw new Error(`no debuggable target on inspector port ${port}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { ws.once("open", resolve); ws.once("error", reject); });
  let nextId = 0;
  const pending = new Map();
  ws.on("message", (raw) => {
    const msg = JSON.parse(raw);
    const waiter = msg.id && pending.get(msg.id);
    if (!waiter) return;
    pending.delete(msg.id);
    if (msg.error) waiter.reject(new Error(`${msg.error.message} (${msg.error.code})`));
    else waiter.resolve(msg.result);
  });
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = ++nextId;
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params }));
  });
  return { send, close: () => ws.close() };
}

/** Runs `work` under V8's sampling profiler and returns the profile (`nodes`, `samples`, `timeDeltas` in µs). */
export async function profile(inspector, work, intervalUs = 100) {
  await inspector.send("Profiler.enable");
  await inspector.send("Profiler.setSamplingInterval", { interval: intervalUs });
  await inspector.send("Profiler.start");
  try {
    await work();
  } finally {
    var { profile: result } = await inspector.send("Profiler.stop");
  }
  return result;
}
