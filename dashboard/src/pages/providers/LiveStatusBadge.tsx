import { useEffect, useState } from "react";
import type { ConnectionStatus, Cooldown } from "../../api/types";
import { Badge } from "../../components/Badge";
import { formatRemaining } from "../../lib/format";

const REASONS: Record<Cooldown["reason"], string> = {
  rate_limited: "rate limited",
  auth_failed: "credentials rejected",
  server_error: "upstream errors",
  unreachable: "unreachable",
};

/** The current time on the server's clock, ticking every second. */
function useServerNow(offsetMs: number): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now() + offsetMs), 1_000);
    setNow(Date.now() + offsetMs);
    return () => window.clearInterval(timer);
  }, [offsetMs]);
  return now;
}

/** An account's live routing status: a badge, and each active cool-down with its model, reason and time left. */
export function LiveStatusBadge({ status, offsetMs }: { status: ConnectionStatus; offsetMs: number }) {
  const now = useServerNow(offsetMs);
  const active = status.cooldowns.filter((c) => c.until_ms > now);
  if (!status.enabled) return <Badge>disabled</Badge>;
  const badge = status.needs_reauth ? (
    <Badge tone="red">needs a new login</Badge>
  ) : active.length ? (
    <Badge tone="amber">cooling down</Badge>
  ) : (
    <Badge tone="green">enabled</Badge>
  );
  return (
    <div className="flex flex-col items-end gap-0.5" data-testid="connection-status" data-state={active.length && !status.needs_reauth ? "cooling" : status.state}>
      {badge}
      {active.map((c) => (
        <span key={c.model} className="text-xs text-slate-500 tabular-nums" data-testid="cooldown">
          {c.model === "*" ? "all models" : c.model} · {REASONS[c.reason] ?? c.reason} · {formatRemaining(c.until_ms, now)} left
        </span>
      ))}
    </div>
  );
}
