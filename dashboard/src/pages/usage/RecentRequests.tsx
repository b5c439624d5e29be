import { fetchRecentUsage } from "../../api/endpoints";
import { useResource } from "../../hooks/useResource";
import { Card } from "../../components/Card";
import { ResourceView } from "../../components/ResourceView";
import { EmptyState } from "../../components/EmptyState";
import { RecentRequestRow } from "./RecentRequestRow";
import type { UsageNames } from "./names";

/** The latest requests, newest first. */
export function RecentRequests({ refresh, names }: { refresh: number; names?: UsageNames }) {
  const resource = useResource(() => fetchRecentUsage(50), [refresh]);
  return (
    <Card title="Recent requests">
      <ResourceView resource={resource}>
        {(rows) =>
          rows.length === 0 ? (
            <EmptyState title="No requests yet">Requests appear here a moment after they finish.</EmptyState>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-sm" aria-label="Recent requests">
                <thead>
                  <tr className="text-left text-xs text-slate-500">
                    <th className="py-1 pr-3 font-medium">Time</th>
                    <th className="py-1 pr-3 font-medium">Model</th>
                    <th className="py-1 pr-3 font-medium">Account</th>
                    <th className="py-1 pr-3 font-medium">Key</th>
                    <th className="py-1 pr-3 font-medium">Status</th>
                    <th className="py-1 pr-3 text-right font-medium">Latency</th>
                    <th className="py-1 pr-3 text-right font-medium">Tokens in / out</th>
                    <th className="py-1 text-right font-medium">Cost (estimate)</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {rows.map((row) => (
                    <RecentRequestRow key={row.id} row={row} names={names} />
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </ResourceView>
    </Card>
  );
}
