import { useId, useState, type FormEvent } from "react";
import { importOAuth } from "../../api/endpoints";
import { useAction } from "../../hooks/useAction";
import { Button } from "../../components/Button";
import { ErrorNote } from "../../components/ErrorNote";
import type { FlowProps } from "./flowProps";

/** Pastes credentials another tool saved (its JSON file, or a bare token). */
export function ImportFlow({ provider, name, connectionId, onConnected, onCancel }: FlowProps) {
  const id = useId();
  const [text, setText] = useState("");
  const action = useAction(async () => {
    let credentials: unknown = text.trim();
    try {
      credentials = JSON.parse(text);
    } catch {
      // Not JSON: send the text as it is (a token).
    }
    await importOAuth(provider, { credentials, name, connectionId });
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run()) onConnected();
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        Credentials
      </label>
      <textarea
        id={id}
        required
        rows={6}
        value={text}
        onChange={(e) => setText(e.target.value)}
        className="rounded-md border border-slate-300 p-2 font-mono text-xs focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
        placeholder='{"refresh_token": "…"}'
      />
      <ErrorNote>{action.error}</ErrorNote>
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={action.busy || !text.trim()}>
          {action.busy ? "Importing…" : "Import"}
        </Button>
      </div>
    </form>
  );
}
