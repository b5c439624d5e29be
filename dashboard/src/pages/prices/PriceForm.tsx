import { useState, type FormEvent } from "react";
import { putPrice } from "../../api/endpoints";
import type { PriceEntry } from "../../api/types";
import { useAction } from "../../hooks/useAction";
import { Button } from "../../components/Button";
import { ErrorNote } from "../../components/ErrorNote";
import { TextField } from "../../components/TextField";

const FIELDS = [
  ["input", "Input"],
  ["output", "Output"],
  ["cache_read", "Cache read"],
  ["cache_write", "Cache write"],
] as const;
type Field = (typeof FIELDS)[number][0];

/** Model (or `prefix*` pattern) and its four prices; empty cache prices default to the input price. */
export function PriceForm({ initial, onSaved, onCancel }: { initial: PriceEntry | null; onSaved: () => Promise<void>; onCancel?: () => void }) {
  const [model, setModel] = useState(initial?.model ?? "");
  const [values, setValues] = useState<Record<Field, string>>(() => ({
    input: initial ? String(initial.input) : "",
    output: initial ? String(initial.output) : "",
    cache_read: initial ? String(initial.cache_read) : "",
    cache_write: initial ? String(initial.cache_write) : "",
  }));
  const save = useAction(async () => {
    const number = (v: string) => (v.trim() === "" ? undefined : Number(v));
    const input = number(values.input);
    const output = number(values.output);
    // The router validates every field and names the wrong one.
    await putPrice(model.trim(), {
      input: input ?? Number.NaN,
      output: output ?? Number.NaN,
      cache_read: number(values.cache_read),
      cache_write: number(values.cache_write),
    });
    await onSaved();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Price override">
      <div className="grid gap-3 sm:grid-cols-5">
        <TextField
          label="Model"
          value={model}
          onChange={setModel}
          required
          placeholder="gpt-4o or qwen3-*"
          hint="Name or prefix*"
          className="sm:col-span-1"
          disabled={Boolean(initial)}
        />
        {FIELDS.map(([field, label]) => (
          <TextField
            key={field}
            label={`${label} $/1M`}
            value={values[field]}
            onChange={(v) => setValues((old) => ({ ...old, [field]: v }))}
            inputMode="decimal"
            required={field === "input" || field === "output"}
            placeholder={field.startsWith("cache") ? "= input" : "0.00"}
          />
        ))}
      </div>
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={save.busy || !model.trim()}>
          {save.busy ? "Saving…" : "Save price"}
        </Button>
        {onCancel ? <Button onClick={onCancel}>Cancel</Button> : null}
      </div>
      <ErrorNote>{save.error}</ErrorNote>
    </form>
  );
}
