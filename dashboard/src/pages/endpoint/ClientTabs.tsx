import { useState, type KeyboardEvent } from "react";
import { CodeBlock } from "../../components/CodeBlock";
import { snippets } from "./snippets";

/** A keyboard-usable tab list (arrow keys move between tabs) with one snippet per client. */
export function ClientTabs({ origin, model }: { origin: string; model: string }) {
  const all = snippets(origin, model);
  const [active, setActive] = useState(all[0].id);
  const current = all.find((s) => s.id === active) ?? all[0];

  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = all.findIndex((s) => s.id === active);
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = all[(index + step + all.length) % all.length];
    setActive(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  return (
    <div>
      <div role="tablist" aria-label="Clients" className="mb-3 flex flex-wrap gap-1 border-b border-slate-200" onKeyDown={onKey}>
        {all.map((s) => (
          <button
            key={s.id}
            id={`tab-${s.id}`}
            type="button"
            role="tab"
            aria-selected={s.id === active}
            aria-controls={`panel-${s.id}`}
            tabIndex={s.id === active ? 0 : -1}
            onClick={() => setActive(s.id)}
            className={`-mb-px border-b-2 px-3 py-2 text-sm ${s.id === active ? "border-indigo-600 font-medium text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {s.client}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${current.id}`} aria-labelledby={`tab-${current.id}`}>
        <p className="mb-2 text-sm text-slate-600">{current.note}</p>
        <CodeBlock code={current.code} label={`${current.client} set-up`} />
      </div>
    </div>
  );
}
