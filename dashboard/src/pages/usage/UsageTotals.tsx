import type { UsageBucket } from "../../api/types";
import { formatCompact, formatNumber } from "../../lib/format";

/** Four headline figures for the period. */
export function UsageTotals({ buckets }: { buckets: UsageBucket[] }) {
  const sum = (f: (b: UsageBucket) => number) => buckets.reduce((s, b) => s + f(b), 0);
  const figures = [
    { label: "Requests", value: sum((b) => b.requests) },
    { label: "Errors", value: sum((b) => b.errors) },
    { label: "Input tokens", value: sum((b) => b.input_tokens) },
    { label: "Output tokens", value: sum((b) => b.output_tokens) },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {figures.map((f) => (
        <div key={f.label} className="rounded-md bg-slate-50 px-3 py-2">
          <dt className="text-xs text-slate-500">{f.label}</dt>
          <dd className="text-xl font-semibold text-slate-900" title={formatNumber(f.value)}>
            {formatCompact(f.value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
