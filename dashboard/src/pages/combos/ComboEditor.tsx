import { useState, type FormEvent } from "react";
import type { Combo } from "../../api/types";
import { createCombo, updateCombo } from "../../api/endpoints";
import { useAction } from "../../hooks/useAction";
import type { ModelOption } from "../../lib/models";
import { TextField } from "../../components/TextField";
import { Button } from "../../components/Button";
import { ErrorNote } from "../../components/ErrorNote";
import { ModelPicker } from "./ModelPicker";
import { OrderedModels } from "./OrderedModels";

/** Name and ordered model list of a new or existing combo. */
export function ComboEditor({ combo, models, onSaved, onCancel }: { combo: Combo | null; models: ModelOption[]; onSaved: () => void; onCancel: () => void }) {
  const [name, setName] = useState(combo?.name ?? "");
  const [chain, setChain] = useState<string[]>(combo?.models ?? []);
  const save = useAction(() => (combo ? updateCombo(combo.id, name.trim(), chain) : createCombo(name.trim(), chain)));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await save.run()) onSaved();
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-4" aria-label="Combo">
      <TextField label="Combo name" required value={name} onChange={setName} placeholder="my-coder" hint="What clients send as model: no spaces and no “/”." className="max-w-sm" />
      <div className="flex flex-col gap-2">
        <p className="text-sm font-medium text-slate-700">Models, tried in order</p>
        <OrderedModels models={chain} onChange={setChain} />
        <ModelPicker options={models.filter((m) => m.id !== name)} onAdd={(id) => setChain((c) => [...c, id])} />
      </div>
      <ErrorNote>{save.error}</ErrorNote>
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={save.busy || !name.trim() || chain.length === 0}>
          {save.busy ? "Saving…" : combo ? "Save combo" : "Create combo"}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
