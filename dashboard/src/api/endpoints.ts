// Typed calls to the management API, one function per action.
import { api } from "./client";
import type {
  Alias,
  ApiKey,
  CatalogEntry,
  Combo,
  Connection,
  ConnectionTest,
  CreatedApiKey,
  LogDetail,
  LogList,
  NewCustomProvider,
  OAuthPoll,
  OAuthStart,
  Price,
  PriceEntry,
  PricesResponse,
  ProvidersResponse,
  StatusResponse,
  Settings,
  UsageDimension,
  UsageRow,
  UsageSummary,
} from "./types";

const enc = encodeURIComponent;

export const listKeys = () => api<{ keys: ApiKey[] }>("GET", "/api/keys").then((r) => r.keys);
/** An empty name is left out (the router names the key `default`). */
export const createKey = (name: string) => api<CreatedApiKey>("POST", "/api/keys", name ? { name } : {});
export const updateKey = (id: string, patch: { name?: string; enabled?: boolean }) => api("PATCH", `/api/keys/${enc(id)}`, patch);
export const deleteKey = (id: string) => api("DELETE", `/api/keys/${enc(id)}`);

export const listProviders = () => api<ProvidersResponse>("GET", "/api/providers");
export interface NewConnection {
  provider: string;
  name?: string;
  api_key: string;
  base_url?: string;
  priority?: number;
  models?: string[];
}
export const createConnection = (body: NewConnection) => api<Connection>("POST", "/api/providers", body);
export type ConnectionPatch = Partial<{ name: string; api_key: string; base_url: string | null; priority: number; enabled: boolean; models: string[] | null }>;
export const updateConnection = (id: string, patch: ConnectionPatch) => api<Connection>("PATCH", `/api/providers/${enc(id)}`, patch);
export const deleteConnection = (id: string) => api("DELETE", `/api/providers/${enc(id)}`);
export const testConnection = (id: string) => api<ConnectionTest>("POST", `/api/providers/${enc(id)}/test`);

export const fetchCatalog = () => api<CatalogEntry[]>("GET", "/api/providers/catalog");
export const createCustomProvider = (body: NewCustomProvider) => api<{ id: string }>("POST", "/api/custom-providers", body);
export const deleteCustomProvider = (id: string) => api("DELETE", `/api/custom-providers/${enc(id)}`);
export const startOAuth = (provider: string, connectionId?: string) =>
  api<OAuthStart>("POST", `/api/oauth/${enc(provider)}/start`, connectionId ? { connectionId } : undefined);
export const completeOAuth = (provider: string, body: { flowId: string; code?: string; redirectUrl?: string; name?: string }) =>
  api<{ connection: Connection }>("POST", `/api/oauth/${enc(provider)}/complete`, body);
export const pollOAuth = (provider: string, body: { flowId: string; name?: string }) =>
  api<OAuthPoll>("POST", `/api/oauth/${enc(provider)}/poll`, body);
export const importOAuth = (provider: string, body: { credentials: unknown; name?: string; connectionId?: string }) =>
  api<{ connection: Connection }>("POST", `/api/oauth/${enc(provider)}/import`, body);

export const listCombos = () => api<{ combos: Combo[] }>("GET", "/api/combos").then((r) => r.combos);
export const createCombo = (name: string, models: string[]) => api<Combo>("POST", "/api/combos", { name, models });
export const updateCombo = (id: string, name: string, models: string[]) => api("PUT", `/api/combos/${enc(id)}`, { name, models });
export const deleteCombo = (id: string) => api("DELETE", `/api/combos/${enc(id)}`);

export const listAliases = () => api<{ aliases: Alias[] }>("GET", "/api/aliases").then((r) => r.aliases);
export const putAlias = (alias: string, target: string) => api<Alias>("POST", "/api/aliases", { alias, target });
export const deleteAlias = (alias: string) => api("DELETE", `/api/aliases/${enc(alias)}`);

export const fetchSettings = () => api<Settings>("GET", "/api/settings");
export const saveSettings = (changes: Partial<Settings>) => api<Settings>("PUT", "/api/settings", changes);

export const fetchUsage = (by: UsageDimension, bucket: "hour" | "day", since: number) =>
  api<UsageSummary>("GET", `/api/usage?by=${by}&bucket=${bucket}&since=${since}`);
export const fetchRecentUsage = (limit = 50) => api<{ requests: UsageRow[] }>("GET", `/api/usage/recent?limit=${limit}`).then((r) => r.requests);

export const fetchConnectionStatus = () => api<StatusResponse>("GET", "/api/providers/status");

export const listPrices = () => api<PricesResponse>("GET", "/api/prices");
/** `cache_read` / `cache_write` left out default to the input price. */
export const putPrice = (model: string, price: Partial<Price> & Pick<Price, "input" | "output">) =>
  api<PriceEntry>("PUT", `/api/prices/${enc(model)}`, price);
export const deletePrice = (model: string) => api("DELETE", `/api/prices/${enc(model)}`);
export const listLogs = (limit = 100) => api<LogList>("GET", `/api/logs?limit=${limit}`);
export const fetchLog = (id: string) => api<LogDetail>("GET", `/api/logs/${enc(id)}`);
export const clearLogs = () => api<{ deleted: number }>("DELETE", "/api/logs");
