// A small client for the router's management API and its OpenAI endpoints.
import { PASSWORD } from "./targets.mjs";

export class RouterClient {
  constructor(url) { this.url = url; this.session = null; }

  async api(method, path, body) {
    const r = await fetch(`${this.url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(this.session ? { authorization: `Bearer ${this.session}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch {}
    return { status: r.status, headers: r.headers, json, text };
  }

  async login(password = PASSWORD) {
    const r = await this.api("POST", "/api/auth/login", { password });
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
    this.session = r.json.token;
    return r;
  }

  async createKey(name = "test") {
    const r = await this.api("POST", "/api/keys", { name });
    if (r.status !== 201) throw new Error(`create key failed: ${r.status} ${r.text}`);
    return r.json.key;
  }

  async addConnection(body) {
    const r = await this.api("POST", "/api/providers", body);
    if (r.status !== 201) throw new Error(`add connection failed: ${r.status} ${r.text}`);
    return r.json;
  }

  chat(key, body, extraHeaders = {}) {
    return fetch(`${this.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...extraHeaders },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  }
}

/** Reads an SSE body, returning each chunk's arrival time (ms since `start`) and the `data:` payloads. */
export async function readSse(response, start) {
  const chunks = [];
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    const s = decoder.decode(chunk, { stream: true });
    chunks.push({ at: performance.now() - start, text: s });
    text += s;
  }
  const data = text.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6));
  return { chunks, data, text };
}
