import { useState, type FormEvent } from "react";
import { changePassword } from "../api/auth";
import { errorMessage } from "../api/client";
import { TextField } from "../components/TextField";
import { Button } from "../components/Button";
import { ErrorNote } from "../components/ErrorNote";

/** Shortest password the form accepts before asking the server (which has the final word). */
const MIN_LENGTH = 8;

/** Current password, new password twice; the server checks strength and answers with its reason. */
export function ChangePasswordForm({ onChanged, submitLabel = "Change password" }: { onChanged: () => void | Promise<void>; submitLabel?: string }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    if (next.length < MIN_LENGTH) return setError(`The new password needs at least ${MIN_LENGTH} characters.`);
    if (next !== repeat) return setError("The two new passwords differ.");
    if (next === current) return setError("The new password must differ from the current one.");
    setBusy(true);
    setError(null);
    try {
      await changePassword(current, next);
      setCurrent("");
      setNext("");
      setRepeat("");
      setDone(true);
      await onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="flex max-w-sm flex-col gap-4">
      <TextField label="Current password" type="password" autoComplete="current-password" required value={current} onChange={setCurrent} />
      <TextField label="New password" type="password" autoComplete="new-password" required value={next} onChange={setNext} hint={`At least ${MIN_LENGTH} characters.`} />
      <TextField label="Repeat new password" type="password" autoComplete="new-password" required value={repeat} onChange={setRepeat} />
      <ErrorNote>{error}</ErrorNote>
      {done ? (
        <p role="status" className="text-sm text-emerald-700">
          Password changed.
        </p>
      ) : null}
      <Button type="submit" variant="primary" disabled={busy} className="self-start">
        {busy ? "Saving…" : submitLabel}
      </Button>
    </form>
  );
}
