import type { UsageRow } from "../../api/types";
import { Badge } from "../../components/Badge";
import { formatDuration, formatNumber, formatUsd } from "../../lib/format";
import type { UsageNames } from "./names";

function statusBadge(row: UsageRow) {
  const status = row.status ?? 0;
  const tone = status >= 200 && status < 300 ? "green" : status >= 400 && status < 500 ? "amber" : "red";
  return (
    <Badge tone={tone}>
      {status || "—"}
      {row.error_class ? ` ${row.error_class}` : ""}
    </Badge>
  );
}

function cacheTitle(row: UsageRow): string | undefined {
  const read = row.cache_read_tokens ?? 0;
  const written = row.cache_write_tokens ?? 0;
  return read || written ? `cache read ${formatNumber(read)}, cache write ${formatNumber(written)}` : undefined;
}

function costTitle(row: UsageRow): string {
  if (row.cost_usd === null || row.cost_usd === undefined) return "No price known for this model (set one on the Prices page)";
  const basis = row.cost_basis === "api_equivalent" ? "API-equivalent estimate (subscription account)" : "Estimate at API prices";
  return `${basis}; priced as ${row.price_key ?? "?"}`;
}

/** One request: when, which model (and what it was routed to), where, outcome, latency, tokens. */
export function RecentRequestRow({ row, names }: { row: UsageRow; names?: UsageNames }) {
  // Shown only when routing changed the model (a combo or alias), not when it just dropped the provider prefix.
  const requested = row.requested_model ?? "";
  const routed = row.routed_model && row.routed_model !== requested && !requested.endsWith(`/${row.routed_model}`) ? row.routed_model : null;
  return (
    <tr data-testid="usage-row">
      <td className="py-1.5 pr-3 text-xs whitespace-nowrap text-slate-600">{new Date(row.ts).toLocaleTimeString()}</td>
      <td className="py-1.5 pr-3">
        <code className="text-xs">{row.requested_model ?? "—"}</code>
        {routed ? <span className="block text-xs text-slate-500">→ {routed}</span> : null}
        {row.combo ? <span className="block text-xs text-slate-500">combo {row.combo}</span> : null}
      </td>
      <td className="py-1.5 pr-3 text-xs">{row.connection_id ? (names?.accounts.get(row.connection_id) ?? row.provider) : (row.provider ?? "—")}</td>
      <td className="py-1.5 pr-3 text-xs">{row.api_key_id ? (names?.keys.get(row.api_key_id) ?? "deleted key") : "—"}</td>
      <td className="py-1.5 pr-3">{statusBadge(row)}</td>
      <td className="py-1.5 pr-3 text-right text-xs whitespace-nowrap tabular-nums" title={`first byte ${formatDuration(row.ttfb_ms)}`}>
        {formatDuration(row.total_ms)}
        {row.streamed ? <span className="text-slate-400"> · stream</span> : null}
      </td>
      <td className="py-1.5 pr-3 text-right text-xs whitespace-nowrap tabular-nums" title={cacheTitle(row)}>
        {formatNumber(row.input_tokens)} / {formatNumber(row.output_tokens)}
      </td>
      <td className="py-1.5 text-right text-xs whitespace-nowrap tabular-nums" data-testid="request-cost" title={costTitle(row)}>
        {formatUsd(row.cost_usd)}
        {row.cost_basis === "api_equivalent" && row.cost_usd !== null && row.cost_usd !== undefined ? <span className="text-slate-400"> API-eq.</span> : null}
      </td>
    </tr>
  );
}
