import type { LogSummary } from "../../api/types";
import { Badge } from "../../components/Badge";
import { formatDuration } from "../../lib/format";

function statusTone(status: number) {
  return status >= 200 && status < 300 ? "green" : status >= 400 && status < 500 ? "amber" : "red";
}

/** The logged requests, newest first; each row opens its stages (a button, so the keyboard can too). */
export function LogTable({ logs, selected, onSelect }: { logs: LogSummary[]; selected: string | null; onSelect: (id: string) => void }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" aria-label="Logged requests">
        <thead>
          <tr className="text-left text-xs text-slate-500">
            <th className="py-1 pr-3 font-medium">Time</th>
            <th className="py-1 pr-3 font-medium">Model</th>
            <th className="py-1 pr-3 font-medium">Formats</th>
            <th className="py-1 pr-3 font-medium">Status</th>
            <th className="py-1 pr-3 text-right font-medium">Duration</th>
            <th className="py-1 font-medium">
              <span className="sr-only">Open</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {logs.map((log) => (
            <tr key={log.id} data-testid="log-row" className={log.id === selected ? "bg-indigo-50" : undefined}>
              <td className="py-1.5 pr-3 text-xs whitespace-nowrap text-slate-600">{new Date(log.ts).toLocaleString()}</td>
              <td className="py-1.5 pr-3">
                <code className="text-xs">{log.model || "—"}</code>
              </td>
              <td className="py-1.5 pr-3 text-xs whitespace-nowrap">
                {log.inbound_format} → {log.upstream_format ?? "—"}
              </td>
              <td className="py-1.5 pr-3">
                <Badge tone={statusTone(log.status)}>{log.status || "—"}</Badge>
              </td>
              <td className="py-1.5 pr-3 text-right text-xs whitespace-nowrap tabular-nums">
                {formatDuration(log.duration_ms)}
                {log.streamed ? <span className="text-slate-400"> · stream</span> : null}
              </td>
              <td className="py-1.5 text-right">
                <button
                  type="button"
                  className="rounded px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
                  aria-pressed={log.id === selected}
                  aria-label={`Open stages of ${log.model} at ${new Date(log.ts).toLocaleTimeString()}`}
                  onClick={() => onSelect(log.id)}
                >
                  Stages
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
