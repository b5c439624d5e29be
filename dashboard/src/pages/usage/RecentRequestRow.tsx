import type { UsageRow } from "../../api/types";
import { Badge } from "../../components/Badge";
import { formatDuration, formatNumber } from "../../lib/format";
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
      <td className="py-1.5 text-right text-xs whitespace-nowrap tabular-nums">
        {formatNumber(row.input_tokens)} / {formatNumber(row.output_tokens)}
      </td>
    </tr>
  );
}
