import { useId, useState, type FormEvent } from "react";
import { putAlias } from "../../api/endpoints";
import { useAction } from "../../hooks/useAction";
import type { ModelOption } from "../../lib/models";
import { TextField } from "../../components/TextField";
import { Button } from "../../components/Button";
import { ErrorNote } from "../../components/ErrorNote";

/** Creates (or replaces) an alias. */
export function AliasForm({ models, onSaved }: { models: ModelOption[]; onSaved: () => Promise<void> }) {
  const targetId = useId();
  const [alias, setAlias] = useState("");
  const [target, setTarget] = useState("");
  const save = useAction(async () => {
    await putAlias(alias.trim(), target.trim());
    setAlias("");
    setTarget("");
    await onSaved();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="New alias">
      <div className="flex flex-wrap items-end gap-3">
        <TextField label="Alias" required value={alias} onChange={setAlias} placeholder="fast" />
        <div className="flex min-w-64 flex-1 flex-col gap-1">
          <label htmlFor={targetId} className="text-sm font-medium text-slate-700">
            Target model
          </label>
          <input
            id={targetId}
            required
            list={`${targetId}-models`}
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            placeholder="provider/model"
            className="rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
          />
          <datalist id={`${targetId}-models`}>
            {models.map((m) => (
              <option key={m.id} value={m.id} />
            ))}
          </datalist>
        </div>
        <Button type="submit" variant="primary" disabled={save.busy || !alias.trim() || !target.trim()}>
          {save.busy ? "Saving…" : "Save alias"}
        </Button>
      </div>
      <ErrorNote>{save.error}</ErrorNote>
    </form>
  );
}
