import type { Connection } from "../../api/types";
import type { CatalogEntry } from "../../api/types";
import type { Catalog } from "./catalog";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { DeleteCustomProvider } from "./DeleteCustomProvider";

function status(connections: Connection[]) {
  const enabled = connections.filter((c) => c.enabled).length;
  if (connections.length === 0) return <Badge>not connected</Badge>;
  if (enabled === 0) return <Badge tone="amber">all disabled</Badge>;
  return <Badge tone="green">{enabled === 1 ? "1 account" : `${enabled} accounts`}</Badge>;
}

/** Every provider the router knows, its status and a connect button. */
export function ProviderCatalog({
  catalog,
  connections,
  onConnect,
  onChanged,
}: {
  catalog: Catalog;
  connections: Connection[];
  onConnect: (entry: CatalogEntry) => void;
  onChanged: () => void;
}) {
  return (
    <>
      {!catalog.oauthAvailable ? (
        <p className="mb-3 text-xs text-slate-500">Subscription (OAuth) logins are not available on this router yet; API-key providers are listed.</p>
      ) : null}
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {catalog.entries.map((entry) => {
          const mine = connections.filter((c) => c.provider === entry.id);
          return (
            <li key={entry.id} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3" data-testid={`provider-${entry.id}`}>
              <div className="flex items-start justify-between gap-2">
                <div>
                  <p className="font-medium text-slate-900">{entry.name}</p>
                  <p className="text-xs text-slate-500">
                    {entry.custom ? (
                      <>
                        <code>{entry.alias}/…</code> · custom, {entry.customFormat} · {entry.baseUrl}
                      </>
                    ) : (
                      <>
                        <code>{entry.alias !== entry.id ? `${entry.id} · ${entry.alias}` : entry.id}</code> · {entry.auth === "oauth" ? "subscription login" : "API key"}
                      </>
                    )}
                  </p>
                </div>
                {status(mine)}
              </div>
              <div className="mt-auto flex flex-wrap items-center gap-2">
                <Button small variant={mine.length ? "secondary" : "primary"} onClick={() => onConnect(entry)} aria-label={`Connect ${entry.name}`}>
                  {entry.auth === "oauth" ? "Connect" : "Add API key"}
                </Button>
                {entry.custom ? <DeleteCustomProvider entry={entry} onDeleted={onChanged} /> : null}
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}
