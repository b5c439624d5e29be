import { useState, type FormEvent } from "react";
import type { NewCustomProvider } from "../../api/types";
import { createCustomProvider } from "../../api/endpoints";
import { useAction } from "../../hooks/useAction";
import { TextField } from "../../components/TextField";
import { SelectField } from "../../components/SelectField";
import { Button } from "../../components/Button";
import { ErrorNote } from "../../components/ErrorNote";
import { parseList } from "./AddApiKeyForm";

const FORMATS: { value: NewCustomProvider["format"]; label: string }[] = [
  { value: "openai", label: "OpenAI compatible (Chat Completions)" },
  { value: "responses", label: "OpenAI compatible (Responses)" },
  { value: "anthropic", label: "Anthropic compatible (Messages)" },
];

/** Name, model prefix, wire format, base URL and models of a user-defined provider. */
export function AddCustomProviderForm({ onCreated, onCancel }: { onCreated: () => void; onCancel: () => void }) {
  const [name, setName] = useState("");
  const [prefix, setPrefix] = useState("");
  const [format, setFormat] = useState<NewCustomProvider["format"]>("openai");
  const [baseUrl, setBaseUrl] = useState("");
  const [models, setModels] = useState("");
  const action = useAction(() =>
    createCustomProvider({
      name: name.trim(),
      prefix: prefix.trim(),
      format,
      base_url: baseUrl.trim(),
      models: parseList(models),
    }),
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run()) onCreated();
  };
  const ready = name.trim() && prefix.trim() && baseUrl.trim();
  return (
    <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3" aria-label="Add custom provider">
      <TextField label="Provider name" required value={name} onChange={setName} placeholder="My local LLM" />
      <TextField
        label="Prefix"
        required
        value={prefix}
        onChange={setPrefix}
        placeholder="local"
        hint={<>Clients ask for <code>{prefix.trim() || "prefix"}/model</code>. Letters, digits, -, _ and . only.</>}
      />
      <SelectField label="Format" value={format} onChange={(v) => setFormat(v as NewCustomProvider["format"])} options={FORMATS} />
      <TextField label="Base URL" type="url" required value={baseUrl} onChange={setBaseUrl} placeholder="https://example.com/v1" hint="The chat path (/chat/completions, /responses or /messages) is added to it." />
      <TextField label="Models" value={models} onChange={setModels} placeholder="model-a, model-b" hint="Comma-separated; listed in /v1/models once an account is added." />
      <ErrorNote>{action.error}</ErrorNote>
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={action.busy || !ready}>
          {action.busy ? "Adding…" : "Add provider"}
        </Button>
      </div>
    </form>
  );
}
