// The one way the dashboard talks to the router: same-origin fetch with the session cookie, JSON in and out,
// and errors turned into ApiError carrying the server's own message.

/** An HTTP error from the router, with the message of its `{error: {message}}` body. */
export class ApiError extends Error {
  readonly status: number;
  readonly retryAfterSecs: number | null;

  constructor(status: number, message: string, retryAfterSecs: number | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.retryAfterSecs = retryAfterSecs;
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever a management call answers 401 (the session expired or was revoked). */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function messageOf(status: number, body: unknown, fallback: string): string {
  if (body && typeof body === "object" && "error" in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === "string") return error;
    if (error && typeof error === "object" && "message" in error) {
      const message = (error as { message: unknown }).message;
      if (typeof message === "string" && message) return message;
    }
  }
  if (body && typeof body === "object" && "message" in body) {
    const message = (body as { message: unknown }).message;
    if (typeof message === "string" && message) return message;
  }
  return fallback || `request failed with status ${status}`;
}

export interface RequestOptions {
  /** Don't broadcast a 401 (login and status probes expect them). */
  quiet401?: boolean;
}

/** Sends a request; resolves to the parsed JSON body (or null when empty), rejects with ApiError. */
export async function api<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "The router could not be reached. Is it running?");
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !options.quiet401) unauthorizedListeners.forEach((l) => l());
    const retry = Number(response.headers.get("retry-after"));
    throw new ApiError(response.status, messageOf(response.status, parsed, text.slice(0, 200)), Number.isFinite(retry) && retry > 0 ? retry : null);
  }
  return parsed as T;
}

/** True when the error says the endpoint does not exist on this router (yet). */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 405);
}

/** A message for any thrown value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
