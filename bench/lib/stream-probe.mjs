// Streaming load: `concurrency` clients loop for `seconds`, each request timed to its first body byte (TTFB) and
// to its end; events are counted by their blank-line separators. Bounded in time and count.

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function once(url, body, headers) {
  const start = performance.now();
  const response = await fetch(url, { method: "POST", headers, body });
  let ttfb = null;
  let events = 0;
  let tail = "";
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    if (ttfb === null) ttfb = performance.now() - start;
    const text = tail + decoder.decode(chunk, { stream: true });
    const parts = text.split(/\r?\n\r?\n/);
    events += parts.length - 1;
    tail = parts[parts.length - 1];
  }
  return { ok: response.status === 200, ttfb: ttfb ?? performance.now() - start, total: performance.now() - start, events };
}

/** Runs the probe; returns TTFB percentiles (ms), events/s and request counts. */
export async function streamProbe({ url, body, key = "", concurrency, seconds, maxRequests = 20000 }) {
  const headers = { "content-type": "application/json", "anthropic-version": "2023-06-01" };
  if (key) { headers.authorization = `Bearer ${key}`; headers["x-api-key"] = key; }
  const deadline = performance.now() + seconds * 1000;
  const ttfbs = [];
  let events = 0;
  let failed = 0;
  let started = 0;
  const t0 = performance.now();
  async function worker() {
    while (performance.now() < deadline && started < maxRequests) {
      started++;
      try {
        const r = await once(url, body, headers);
        if (!r.ok) failed++;
        ttfbs.push(r.ttfb);
        events += r.events;
      } catch {
        failed++;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  ttfbs.sort((a, b) => a - b);
  return { requests: ttfbs.length, failed, ttfbP50: percentile(ttfbs, 50), ttfbP99: percentile(ttfbs, 99), eventsPerSec: events / elapsed };
}
