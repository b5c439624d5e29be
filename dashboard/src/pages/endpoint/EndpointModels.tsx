import { useEffect } from "react";
import { Card } from "../../components/Card";
import { EmptyState } from "../../components/EmptyState";
import { ResourceView } from "../../components/ResourceView";
import { Badge } from "../../components/Badge";
import { Link } from "../../router/router";
import { useResource } from "../../hooks/useResource";
import { listAliases, listCombos, listProviders } from "../../api/endpoints";
import { availableModels } from "../../lib/models";

/** The models clients can use now; clicking one puts it into the snippets. */
export function EndpointModels({ model, onPick }: { model: string; onPick: (id: string) => void }) {
  const resource = useResource(async () => {
    const [providers, combos, aliases] = await Promise.all([listProviders(), listCombos(), listAliases()]);
    return availableModels(providers, combos, aliases);
  });
  // The snippets start with a model that exists.
  const first = resource.data?.[0]?.id;
  const known = resource.data?.some((m) => m.id === model) ?? false;
  useEffect(() => {
    if (first && !known) onPick(first);
  }, [first, known, onPick]);
  return (
    <Card title="Available models">
      <ResourceView resource={resource}>
        {(models) =>
          models.length === 0 ? (
            <EmptyState title="No models yet">
              <Link to="/providers" className="text-indigo-700 underline">Connect a provider</Link> to get models.
            </EmptyState>
          ) : (
            <ul className="flex flex-wrap gap-2" aria-label="Models (select one for the snippets)">
              {models.map((m) => (
                <li key={m.id}>
                  <button
                    type="button"
                    aria-pressed={m.id === model}
                    onClick={() => onPick(m.id)}
                    className={`flex items-center gap-1.5 rounded-md px-2 py-1 text-xs ring-1 ${m.id === model ? "bg-indigo-50 ring-indigo-400" : "ring-slate-200 hover:bg-slate-50"}`}
                  >
                    <code>{m.id}</code>
                    {m.owner === "combo" || m.owner === "alias" ? <Badge tone="indigo">{m.owner}</Badge> : null}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </ResourceView>
    </Card>
  );
}
