// Live per-account routing status (cool-downs, re-login needed), polled every few seconds while the page is visible.
import { useEffect, useState } from "react";
import { fetchConnectionStatus } from "../../api/endpoints";
import type { ConnectionStatus } from "../../api/types";

/** How often the status is read while the page is visible. */
export const STATUS_POLL_MS = 3_000;

export interface LiveStatus {
  /** Account id → its status. */
  byId: Map<string, ConnectionStatus>;
  /** Server clock minus this browser's clock (ms), so time left is right even with a skewed clock. */
  offsetMs: number;
}

export function useConnectionStatus(): LiveStatus | undefined {
  const [status, setStatus] = useState<LiveStatus>();
  useEffect(() => {
    let stopped = false;
    const read = async () => {
      if (document.visibilityState !== "visible") return;
      try {
        const r = await fetchConnectionStatus();
        if (!stopped) setStatus({ byId: new Map(r.connections.map((c) => [c.id, c])), offsetMs: r.now_ms - Date.now() });
      } catch {
        // Keep the last status; the accounts list shows its own errors.
      }
    };
    void read();
    const timer = window.setInterval(() => void read(), STATUS_POLL_MS);
    const onVisible = () => void read();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);
  return status;
}
