import { useState, type FormEvent } from "react";
import { createKey } from "../../api/endpoints";
import type { CreatedApiKey } from "../../api/types";
import { useAction } from "../../hooks/useAction";
import { TextField } from "../../components/TextField";
import { Button } from "../../components/Button";
import { ErrorNote } from "../../components/ErrorNote";

/** Names and creates a key. */
export function NewKeyForm({ onCreated }: { onCreated: (key: CreatedApiKey) => void }) {
  const [name, setName] = useState("");
  const create = useAction(async () => {
    const key = await createKey(name.trim());
    setName("");
    onCreated(key);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Create a key">
      <div className="flex flex-wrap items-end gap-3">
        <TextField label="Key name" value={name} onChange={setName} placeholder="laptop, claude-code, ci…" className="min-w-64" />
        <Button type="submit" variant="primary" disabled={create.busy}>
          {create.busy ? "Creating…" : "Create key"}
        </Button>
      </div>
      <ErrorNote>{create.error}</ErrorNote>
    </form>
  );
}
