import type { UsageBucket, UsageDimension } from "../../api/types";
import { formatNumber, formatUsd } from "../../lib/format";

const HEADINGS: Record<UsageDimension, string> = { model: "Model", provider: "Provider", account: "Account", key: "API key" };

/** Totals per group over the period, largest first. */
export function UsageBreakdown({ buckets, label, by }: { buckets: UsageBucket[]; label: (key: string | null) => string; by: UsageDimension }) {
  const rows = new Map<string, { requests: number; errors: number; input: number; output: number; cached: number; cost: number | null; unpriced: number }>();
  for (const b of buckets) {
    const name = label(b.key);
    const row = rows.get(name) ?? { requests: 0, errors: 0, input: 0, output: 0, cached: 0, cost: null, unpriced: 0 };
    row.requests += b.requests;
    row.errors += b.errors;
    row.input += b.input_tokens;
    row.output += b.output_tokens;
    row.cached += b.cache_read_tokens;
    // Unknown prices stay unknown ("—"), never 0.
    if (b.cost_usd !== null && b.cost_usd !== undefined) row.cost = (row.cost ?? 0) + b.cost_usd;
    row.unpriced += b.unpriced_requests ?? 0;
    rows.set(name, row);
  }
  const sorted = [...rows.entries()].sort((a, b) => b[1].requests - a[1].requests);
  return (
    <table className="w-full text-sm">
      <thead>
        <tr className="text-left text-xs text-slate-500">
          <th className="py-1 font-medium">{HEADINGS[by]}</th>
          <th className="py-1 text-right font-medium">Requests</th>
          <th className="py-1 text-right font-medium">Errors</th>
          <th className="py-1 text-right font-medium">Input tokens</th>
          <th className="py-1 text-right font-medium">Cached</th>
          <th className="py-1 text-right font-medium">Output tokens</th>
          <th className="py-1 text-right font-medium">Cost (estimate)</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {sorted.map(([name, r]) => (
          <tr key={name}>
            <td className="py-1.5">
              <code className="text-xs">{name}</code>
            </td>
            <td className="py-1.5 text-right tabular-nums">{formatNumber(r.requests)}</td>
            <td className="py-1.5 text-right tabular-nums">{formatNumber(r.errors)}</td>
            <td className="py-1.5 text-right tabular-nums">{formatNumber(r.input)}</td>
            <td className="py-1.5 text-right tabular-nums">{formatNumber(r.cached)}</td>
            <td className="py-1.5 text-right tabular-nums">{formatNumber(r.output)}</td>
            <td
              className="py-1.5 text-right tabular-nums"
              data-testid="group-cost"
              title={r.unpriced > 0 ? `${r.unpriced} request(s) without a price are not included` : undefined}
            >
              {formatUsd(r.cost)}
              {r.cost !== null && r.unpriced > 0 ? "+" : ""}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
