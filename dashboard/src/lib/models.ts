// The model ids clients can send, computed like the router's `GET /v1/models` (which needs a client key, so the
// dashboard cannot call it): `provider/model` for every enabled connection (its own list or the provider's
// defaults), then combos and aliases.
import type { Alias, Combo, ProvidersResponse } from "../api/types";

export interface ModelOption {
  id: string;
  owner: string;
}

export function availableModels(providers: ProvidersResponse, combos: Combo[] = [], aliases: Alias[] = []): ModelOption[] {
  const byId = new Map(providers.providers.map((p) => [p.id, p]));
  const seen = new Set<string>();
  const models: ModelOption[] = [];
  for (const connection of providers.connections.filter((c) => c.enabled)) {
    const spec = byId.get(connection.provider);
    const names = connection.models && connection.models.length > 0 ? connection.models : (spec?.default_models ?? []);
    for (const name of names) {
      const id = `${connection.provider}/${name}`;
      if (!seen.has(id)) {
        seen.add(id);
        models.push({ id, owner: connection.provider });
      }
    }
  }
  models.sort((a, b) => a.id.localeCompare(b.id));
  return [...models, ...combos.map((c) => ({ id: c.name, owner: "combo" })), ...aliases.map((a) => ({ id: a.alias, owner: "alias" }))];
}
