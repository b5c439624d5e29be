import { useState } from "react";
import type { UsageDimension } from "../../api/types";
import { fetchUsage } from "../../api/endpoints";
import { useResource } from "../../hooks/useResource";
import { Card } from "../../components/Card";
import { SelectField } from "../../components/SelectField";
import { ResourceView } from "../../components/ResourceView";
import { EmptyState } from "../../components/EmptyState";
import { StackedBarChart } from "./StackedBarChart";
import { UsageTotals } from "./UsageTotals";
import { UsageBreakdown } from "./UsageBreakdown";
import { buildChart, type Metric } from "./series";
import type { UsageNames } from "./names";

const RANGES = {
  "24h": { ms: 24 * 3600_000, bucket: "hour" as const },
  "7d": { ms: 7 * 24 * 3600_000, bucket: "day" as const },
  "30d": { ms: 30 * 24 * 3600_000, bucket: "day" as const },
};
type Range = keyof typeof RANGES;

/** Range, grouping and metric controls, the chart, totals and the per-group table. */
export function UsageOverview({ refresh, names }: { refresh: number; names?: UsageNames }) {
  const [range, setRange] = useState<Range>("24h");
  const [by, setBy] = useState<UsageDimension>("model");
  const [metric, setMetric] = useState<Metric>("requests");
  const resource = useResource(async () => {
    const now = Date.now();
    const summary = await fetchUsage(by, RANGES[range].bucket, now - RANGES[range].ms);
    return { summary, now };
  }, [range, by, refresh]);

  const label = (key: string | null) => {
    if (key === null || key === "") return "(none)";
    if (by === "account") return names?.accounts.get(key) ?? key;
    if (by === "key") return names?.keys.get(key) ?? key;
    return key;
  };
  const timeLabel = (t: number) =>
    RANGES[range].bucket === "hour" ? new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : new Date(t).toLocaleDateString([], { month: "short", day: "numeric" });

  return (
    <Card title="Over time">
      <div className="mb-4 flex flex-wrap gap-4">
        <SelectField label="Range" value={range} onChange={(v) => setRange(v as Range)} options={[{ value: "24h", label: "Last 24 hours" }, { value: "7d", label: "Last 7 days" }, { value: "30d", label: "Last 30 days" }]} />
        <SelectField label="Group by" value={by} onChange={(v) => setBy(v as UsageDimension)} options={[{ value: "model", label: "Model" }, { value: "provider", label: "Provider" }, { value: "account", label: "Account" }, { value: "key", label: "API key" }]} />
        <SelectField label="Show" value={metric} onChange={(v) => setMetric(v as Metric)} options={[{ value: "requests", label: "Requests" }, { value: "tokens", label: "Tokens (in + out)" }]} />
      </div>
      <ResourceView resource={resource}>
        {({ summary, now }) =>
          summary.buckets.length === 0 ? (
            <EmptyState title="No requests in this period">Send a request through the router and it shows up here.</EmptyState>
          ) : (
            <div className="flex flex-col gap-5">
              <UsageTotals buckets={summary.buckets} totals={summary.totals} />
              <StackedBarChart chart={buildChart(summary.buckets, summary.since, summary.bucket_ms, now, metric, label)} title={`${metric} by ${by}`} timeLabel={timeLabel} />
              <UsageBreakdown buckets={summary.buckets} label={label} by={by} />
            </div>
          )
        }
      </ResourceView>
    </Card>
  );
}
