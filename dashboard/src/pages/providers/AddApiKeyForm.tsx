import { useState, type FormEvent } from "react";
import type { CatalogEntry } from "../../api/types";
import { createConnection } from "../../api/endpoints";
import { useAction } from "../../hooks/useAction";
import { TextField } from "../../components/TextField";
import { Button } from "../../components/Button";
import { ErrorNote } from "../../components/ErrorNote";

/** Splits a comma- or newline-separated list. */
export const parseList = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Name, key, optional base URL and model list for a new API-key account. */
export function AddApiKeyForm({ entry, onCreated, onCancel }: { entry: CatalogEntry; onCreated: () => void; onCancel: () => void }) {
  const [name, setName] = useState("");
  const [apiKey, setApiKey] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const [models, setModels] = useState("");
  const action = useAction(() =>
    createConnection({
      provider: entry.id,
      name: name.trim() || undefined,
      api_key: apiKey.trim(),
      base_url: baseUrl.trim() || undefined,
      models: parseList(models).length ? parseList(models) : undefined,
    }),
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run()) onCreated();
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3" aria-label={`Add ${entry.name} API key`}>
      <TextField label="Name" value={name} onChange={setName} placeholder={entry.name} hint="Shown in the dashboard and usage." />
      <TextField label="API key" type="password" autoComplete="off" required value={apiKey} onChange={setApiKey} />
      <TextField label="Base URL" type="url" value={baseUrl} onChange={setBaseUrl} placeholder="default" hint="Optional: a compatible endpoint or proxy, e.g. https://example.com/v1" />
      <TextField
        label="Models"
        value={models}
        onChange={setModels}
        placeholder={entry.defaultModels.slice(0, 3).join(", ") || "model-a, model-b"}
        hint="Optional, comma-separated; without a list the provider's defaults are offered."
      />
      <ErrorNote>{action.error}</ErrorNote>
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={action.busy || !apiKey.trim()}>
          {action.busy ? "Adding…" : "Add account"}
        </Button>
      </div>
    </form>
  );
}
