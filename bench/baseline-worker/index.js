// The floor for bench/worker-proc-cpu.mjs: the least a proxy Worker does per request in the same workerd,
// written in plain JS. It checks a bearer key, forwards the body to UPSTREAM, streams the answer back and
// writes one D1 row in waitUntil: the platform work our Worker also does, without any translation or routing.
let tableReady;

export default {
  async fetch(request, env, ctx) {
    if (request.headers.get("authorization") !== `Bearer ${env.KEY}`) return new Response("unauthorized", { status: 401 });
    const url = new URL(request.url);
    const upstream = await fetch(env.UPSTREAM + url.pathname, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
      body: await request.arrayBuffer(),
    });
    tableReady ??= env.DB.prepare("CREATE TABLE IF NOT EXISTS hits (ts INTEGER, path TEXT)").run();
    ctx.waitUntil(tableReady.then(() => env.DB.prepare("INSERT INTO hits VALUES (?, ?)").bind(Date.now(), url.pathname).run()));
    return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
  },
};
