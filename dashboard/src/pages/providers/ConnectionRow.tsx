import { useState } from "react";
import type { Connection, ConnectionStatus, ConnectionTest } from "../../api/types";
import { deleteConnection, testConnection, updateConnection } from "../../api/endpoints";
import { isNotFound } from "../../api/client";
import { useAction } from "../../hooks/useAction";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { ErrorNote } from "../../components/ErrorNote";
import { formatDuration } from "../../lib/format";
import { LiveStatusBadge } from "./LiveStatusBadge";

function statusBadge(c: Connection) {
  if (!c.enabled) return <Badge>disabled</Badge>;
  if (c.cooldown_until && c.cooldown_until > Date.now()) return <Badge tone="amber">cooling down</Badge>;
  if (c.status === "needs_reauth") return <Badge tone="red">needs a new login</Badge>;
  if (c.status && c.status !== "active" && c.status !== "ok") return <Badge tone="red">{c.status.replace(/_/g, " ")}</Badge>;
  return <Badge tone="green">enabled</Badge>;
}

interface Props {
  connection: Connection;
  position: number;
  onUp?: () => void;
  onDown?: () => void;
  busy: boolean;
  onChanged: () => Promise<void>;
  /** Live routing status, when read. */
  liveStatus?: ConnectionStatus;
  /** Server clock minus the browser's (ms). */
  liveOffsetMs?: number;
  /** Log this OAuth account in again (offered when it needs a new login). */
  onReconnect?: (connection: Connection) => void;
}

/** One account: order buttons, name and details, reconnect (when its login expired), enable/disable, test, delete. */
export function ConnectionRow({ connection: c, position, onUp, onDown, busy, onChanged, liveStatus, liveOffsetMs = 0, onReconnect }: Props) {
  const [test, setTest] = useState<ConnectionTest | "unavailable" | null>(null);
  const toggle = useAction(async () => {
    await updateConnection(c.id, { enabled: !c.enabled });
    await onChanged();
  });
  const remove = useAction(async () => {
    await deleteConnection(c.id);
    await onChanged();
  });
  const runTest = useAction(async () => {
    setTest(null);
    try {
      const result = await testConnection(c.id);
      setTest(result);
      // A failed test may have changed the account's status (a refused token refresh marks it for a new login).
      if (!result.ok) await onChanged();
    } catch (e) {
      if (isNotFound(e)) setTest("unavailable");
      else throw e;
    }
  });
  const confirmDelete = () => {
    if (window.confirm(`Delete the account “${c.name}”? Requests will no longer use it.`)) void remove.run();
  };

  return (
    <li className="flex flex-col gap-2 px-3 py-2.5" data-testid="connection-row">
      <div className="flex flex-wrap items-center gap-3">
        <div className="flex flex-col" role="group" aria-label={`Order of ${c.name}`}>
          <Button small variant="ghost" disabled={!onUp || busy} onClick={onUp} aria-label={`Move ${c.name} up`}>
            ▲
          </Button>
          <Button small variant="ghost" disabled={!onDown || busy} onClick={onDown} aria-label={`Move ${c.name} down`}>
            ▼
          </Button>
        </div>
        <span className="w-6 text-center text-sm text-slate-400" title="Priority">
          {position}
        </span>
        <div className="min-w-0 flex-1">
          <p className="font-medium text-slate-900">{c.name}</p>
          <p className="truncate text-xs text-slate-500">
            {c.auth_type === "api_key" ? "API key" : c.auth_type === "oauth" ? "subscription login" : c.auth_type}
            {c.expiresAt ? ` · token renews ${new Date(c.expiresAt).toLocaleString()}` : ""}
            {c.base_url ? ` · ${c.base_url}` : ""}
            {c.models?.length ? ` · ${c.models.join(", ")}` : " · default models"}
          </p>
        </div>
        {liveStatus ? <LiveStatusBadge status={{ ...liveStatus, enabled: c.enabled }} offsetMs={liveOffsetMs} /> : statusBadge(c)}
        <div className="flex gap-1.5">
          {c.auth_type === "oauth" && (c.status === "needs_reauth" || liveStatus?.needs_reauth) && onReconnect ? (
            <Button small variant="primary" onClick={() => onReconnect(c)} aria-label={`Reconnect ${c.name}`}>
              Reconnect
            </Button>
          ) : null}
          <Button small onClick={() => void runTest.run()} disabled={runTest.busy}>
            {runTest.busy ? "Testing…" : "Test"}
          </Button>
          <Button small onClick={() => void toggle.run()} disabled={toggle.busy}>
            {c.enabled ? "Disable" : "Enable"}
          </Button>
          <Button small variant="danger" onClick={confirmDelete} disabled={remove.busy} aria-label={`Delete ${c.name}`}>
            Delete
          </Button>
        </div>
      </div>
      {test === "unavailable" ? (
        <p className="text-xs text-slate-500">Testing accounts is not available on this router yet.</p>
      ) : test ? (
        <p role="status" className={`text-xs ${test.ok ? "text-emerald-700" : "text-red-700"}`}>
          {test.ok ? "Works" : "Failed"}
          {test.status ? ` (HTTP ${test.status})` : ""} in {formatDuration(test.latencyMs)}: {test.message}
        </p>
      ) : null}
      <ErrorNote>{toggle.error ?? remove.error ?? runTest.error}</ErrorNote>
    </li>
  );
}
