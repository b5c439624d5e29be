import { useState } from "react";
import { deletePrice } from "../../api/endpoints";
import type { PriceEntry } from "../../api/types";
import { useAction } from "../../hooks/useAction";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { ErrorNote } from "../../components/ErrorNote";
import { TextField } from "../../components/TextField";

const usd = (n: number) => `$${n}`;

/** Every price with its source; overrides can be reverted, any row copied into the form to override it. */
export function PriceTable({ prices, onEdit, onChanged }: { prices: PriceEntry[]; onEdit: (p: PriceEntry) => void; onChanged: () => Promise<void> }) {
  const [filter, setFilter] = useState("");
  const revert = useAction(async (model: string) => {
    await deletePrice(model);
    await onChanged();
  });
  const shown = prices.filter((p) => p.model.toLowerCase().includes(filter.trim().toLowerCase()));
  return (
    <div className="flex flex-col gap-3">
      <TextField label="Filter" value={filter} onChange={setFilter} placeholder="claude, gpt-5, gemini…" className="max-w-xs" />
      <ErrorNote>{revert.error}</ErrorNote>
      <div className="overflow-x-auto">
        <table className="w-full text-sm" aria-label="Prices">
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th className="py-1 pr-3 font-medium">Model</th>
              <th className="py-1 pr-3 font-medium">Source</th>
              <th className="py-1 pr-3 text-right font-medium">Input</th>
              <th className="py-1 pr-3 text-right font-medium">Output</th>
              <th className="py-1 pr-3 text-right font-medium">Cache read</th>
              <th className="py-1 pr-3 text-right font-medium">Cache write</th>
              <th className="py-1 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {shown.map((p) => (
              <tr key={p.model} data-testid="price-row" data-model={p.model}>
                <td className="py-1.5 pr-3">
                  <code className="text-xs">{p.model}</code>
                </td>
                <td className="py-1.5 pr-3">
                  {p.source === "override" ? (
                    <Badge tone="indigo">override{p.built_in ? ` (built-in ${usd(p.built_in.input)} / ${usd(p.built_in.output)})` : ""}</Badge>
                  ) : (
                    <Badge>built-in</Badge>
                  )}
                </td>
                <td className="py-1.5 pr-3 text-right tabular-nums">{usd(p.input)}</td>
                <td className="py-1.5 pr-3 text-right tabular-nums">{usd(p.output)}</td>
                <td className="py-1.5 pr-3 text-right tabular-nums">{usd(p.cache_read)}</td>
                <td className="py-1.5 pr-3 text-right tabular-nums">{usd(p.cache_write)}</td>
                <td className="py-1.5 text-right whitespace-nowrap">
                  <Button small onClick={() => onEdit(p)} aria-label={`Override ${p.model}`}>
                    {p.source === "override" ? "Edit" : "Override"}
                  </Button>{" "}
                  {p.source === "override" ? (
                    <Button small variant="danger" onClick={() => void revert.run(p.model)} disabled={revert.busy} aria-label={`Revert ${p.model}`}>
                      {p.built_in ? "Revert" : "Delete"}
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
