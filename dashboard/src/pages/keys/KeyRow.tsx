import { useState } from "react";
import type { ApiKey } from "../../api/types";
import { deleteKey, updateKey } from "../../api/endpoints";
import { useAction } from "../../hooks/useAction";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { formatDateTime } from "../../lib/format";

/** One key: inline rename, revoke (disable) or restore, delete. */
export function KeyRow({ apiKey: k, onChanged }: { apiKey: ApiKey; onChanged: () => Promise<void> }) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(k.name);
  const act = useAction(async (patch: { name?: string; enabled?: boolean } | "delete") => {
    if (patch === "delete") await deleteKey(k.id);
    else await updateKey(k.id, patch);
    setRenaming(false);
    await onChanged();
  });
  return (
    <tr data-testid="key-row">
      <td className="py-2">
        {renaming ? (
          <form
            className="flex gap-1"
            onSubmit={(e) => {
              e.preventDefault();
              void act.run({ name: name.trim() });
            }}
          >
            <input
              aria-label="New name"
              autoFocus
              value={name}
              onChange={(e) => setName(e.target.value)}
              className="w-36 rounded border border-slate-300 px-1.5 py-0.5 text-sm"
            />
            <Button small type="submit" disabled={!name.trim()}>
              Save
            </Button>
          </form>
        ) : (
          <button type="button" className="font-medium hover:underline" onClick={() => setRenaming(true)} title="Rename">
            {k.name}
          </button>
        )}
        {act.error ? (
          <p role="alert" className="text-xs text-red-700">
            {act.error}
          </p>
        ) : null}
      </td>
      <td className="py-2">
        <code className="text-xs">{k.key_prefix}…</code>
      </td>
      <td className="py-2 text-xs text-slate-600">{formatDateTime(k.created_at)}</td>
      <td className="py-2">{k.enabled ? <Badge tone="green">active</Badge> : <Badge tone="red">revoked</Badge>}</td>
      <td className="py-2">
        <div className="flex justify-end gap-1.5">
          <Button small disabled={act.busy} onClick={() => void act.run({ enabled: !k.enabled })} aria-label={`${k.enabled ? "Revoke" : "Restore"} ${k.name}`}>
            {k.enabled ? "Revoke" : "Restore"}
          </Button>
          <Button
            small
            variant="danger"
            disabled={act.busy}
            aria-label={`Delete ${k.name}`}
            onClick={() => window.confirm(`Delete the key “${k.name}”? Clients using it stop working.`) && void act.run("delete")}
          >
            Delete
          </Button>
        </div>
      </td>
    </tr>
  );
}
