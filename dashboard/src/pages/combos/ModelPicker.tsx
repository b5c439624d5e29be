import { useId, useState } from "react";
import type { ModelOption } from "../../lib/models";
import { Button } from "../../components/Button";

/** A model field suggesting the router's models (any `provider/model` or alias may be typed) and an Add button. */
export function ModelPicker({ options, onAdd, label = "Add model" }: { options: ModelOption[]; onAdd: (id: string) => void; label?: string }) {
  const id = useId();
  const [value, setValue] = useState("");
  const add = () => {
    const model = value.trim();
    if (!model) return;
    onAdd(model);
    setValue("");
  };
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="flex max-w-lg gap-2">
        <input
          id={id}
          list={`${id}-models`}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add();
            }
          }}
          placeholder={options[0]?.id ?? "provider/model"}
          className="flex-1 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
        />
        <datalist id={`${id}-models`}>
          {options.map((m) => (
            <option key={m.id} value={m.id}>
              {m.owner}
            </option>
          ))}
        </datalist>
        <Button onClick={add} disabled={!value.trim()}>
          Add
        </Button>
      </div>
      {options.length === 0 ? <p className="text-xs text-slate-500">No models yet: connect a provider, or type a model as provider/model.</p> : null}
    </div>
  );
}
