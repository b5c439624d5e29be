// The provider catalog: `/api/providers/catalog` when the router has it, else the provider table of
// `/api/providers` (API-key providers only), else the built-in four.
import { fetchCatalog } from "../../api/endpoints";
import { isNotFound } from "../../api/client";
import type { CatalogEntry, ProviderSpec } from "../../api/types";

const BUILT_IN: ProviderSpec[] = [
  { id: "openai", alias: "openai", name: "OpenAI", format: "openai-chat", default_models: [] },
  { id: "openrouter", alias: "openrouter", name: "OpenRouter", format: "openai-chat", default_models: [] },
  { id: "anthropic", alias: "anthropic", name: "Anthropic", format: "anthropic", default_models: [] },
  { id: "gemini", alias: "gemini", name: "Gemini", format: "gemini", default_models: [] },
];

export interface Catalog {
  entries: CatalogEntry[];
  /** False when the router has no catalog endpoint (so no OAuth providers either). */
  oauthAvailable: boolean;
}

function fromTable(table: ProviderSpec[]): CatalogEntry[] {
  return (table.length > 0 ? table : BUILT_IN).map((p) => ({
    id: p.id,
    alias: p.alias,
    name: p.name,
    format: p.format,
    auth: "api_key",
    flows: [],
    notice: null,
    defaultModels: p.default_models ?? [],
  }));
}

export async function loadCatalog(table: ProviderSpec[]): Promise<Catalog> {
  try {
    const entries = await fetchCatalog();
    if (Array.isArray(entries)) return { entries, oauthAvailable: true };
    return { entries: fromTable(table), oauthAvailable: false };
  } catch (error) {
    if (isNotFound(error)) return { entries: fromTable(table), oauthAvailable: false };
    throw error;
  }
}
