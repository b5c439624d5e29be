import type { UsageBucket, UsageTotalsResponse } from "../../api/types";
import { formatCompact, formatNumber, formatUsd } from "../../lib/format";

/** Headline figures for the period, with the estimated cost. */
export function UsageTotals({ buckets, totals }: { buckets: UsageBucket[]; totals?: UsageTotalsResponse }) {
  const sum = (f: (b: UsageBucket) => number) => buckets.reduce((s, b) => s + f(b), 0);
  const figures = [
    { label: "Requests", value: sum((b) => b.requests) },
    { label: "Errors", value: sum((b) => b.errors) },
    { label: "Input tokens", value: sum((b) => b.input_tokens) },
    { label: "Output tokens", value: sum((b) => b.output_tokens) },
  ];
  const unpriced = totals?.unpriced_requests ?? 0;
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
      {figures.map((f) => (
        <div key={f.label} className="rounded-md bg-slate-50 px-3 py-2">
          <dt className="text-xs text-slate-500">{f.label}</dt>
          <dd className="text-xl font-semibold text-slate-900" title={formatNumber(f.value)}>
            {formatCompact(f.value)}
          </dd>
        </div>
      ))}
      <div className="rounded-md bg-slate-50 px-3 py-2" data-testid="usage-cost-total">
        <dt className="text-xs text-slate-500">Cost (estimate)</dt>
        <dd className="text-xl font-semibold text-slate-900">{formatUsd(totals?.cost_usd)}</dd>
        {unpriced > 0 ? (
          <dd className="text-xs text-slate-500">
            {formatNumber(unpriced)} request{unpriced === 1 ? "" : "s"} without a price
          </dd>
        ) : null}
      </div>
    </dl>
  );
}
