import type { CatalogEntry, Connection } from "../../api/types";
import { updateConnection } from "../../api/endpoints";
import { useAction } from "../../hooks/useAction";
import { EmptyState } from "../../components/EmptyState";
import { ErrorNote } from "../../components/ErrorNote";
import { ConnectionRow } from "./ConnectionRow";
import type { LiveStatus } from "./useConnectionStatus";

/** Moves `list[index]` by `step` and returns the new order. */
function moved<T>(list: T[], index: number, step: number): T[] {
  const next = [...list];
  const [item] = next.splice(index, 1);
  next.splice(index + step, 0, item);
  return next;
}

/** Accounts grouped by provider in priority order (first = tried first), with reordering. */
export function ConnectionList({
  connections,
  catalog,
  onChanged,
  live,
  onReconnect,
}: {
  connections: Connection[];
  catalog: CatalogEntry[];
  onChanged: () => Promise<void>;
  live?: LiveStatus;
  onReconnect?: (connection: Connection) => void;
}) {
  const reorder = useAction(async (group: Connection[], index: number, step: number) => {
    const order = moved(group, index, step);
    // Priorities become 0..n-1 in the new order; only changed ones are written.
    await Promise.all(order.map((c, priority) => (c.priority === priority ? null : updateConnection(c.id, { priority }))));
    await onChanged();
  });

  if (connections.length === 0) {
    return <EmptyState title="No accounts yet">Pick a provider above and add an API key or log in.</EmptyState>;
  }
  const names = new Map(catalog.map((e) => [e.id, e.name]));
  // Custom providers are addressed by their prefix, not their id.
  const prefixes = new Map(catalog.map((e) => [e.id, e.custom ? e.alias : e.id]));
  const groups = new Map<string, Connection[]>();
  for (const c of connections) groups.set(c.provider, [...(groups.get(c.provider) ?? []), c]);

  return (
    <div className="flex flex-col gap-5">
      <ErrorNote>{reorder.error}</ErrorNote>
      {[...groups.entries()].map(([provider, group]) => {
        const ordered = [...group].sort((a, b) => a.priority - b.priority || a.created_at - b.created_at);
        return (
          <section key={provider} aria-label={`${names.get(provider) ?? provider} accounts`}>
            <h3 className="mb-2 text-sm font-semibold text-slate-700">
              {names.get(provider) ?? provider} <code className="font-normal text-slate-500">{prefixes.get(provider) ?? provider}/…</code>
            </h3>
            <ol className="divide-y divide-slate-100 rounded-md border border-slate-200">
              {ordered.map((c, i) => (
                <ConnectionRow
                  key={c.id}
                  connection={c}
                  position={i + 1}
                  onUp={i > 0 ? () => void reorder.run(ordered, i, -1) : undefined}
                  onDown={i < ordered.length - 1 ? () => void reorder.run(ordered, i, 1) : undefined}
                  busy={reorder.busy}
                  onChanged={onChanged}
                  onReconnect={onReconnect}
                  liveStatus={live?.byId.get(c.id)}
                  liveOffsetMs={live?.offsetMs ?? 0}
                />
              ))}
            </ol>
          </section>
        );
      })}
    </div>
  );
}
