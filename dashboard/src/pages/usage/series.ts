// Turns usage buckets into chart series: one value per time bucket for each of the top keys (the rest summed
// as "other"), with empty buckets filled with zero.
import type { UsageBucket } from "../../api/types";

export type Metric = "requests" | "tokens";

export interface Series {
  key: string;
  values: number[];
}

export interface Chart {
  times: number[];
  series: Series[];
}

const TOP = 6;

export const metricOf = (b: UsageBucket, metric: Metric) => (metric === "requests" ? b.requests : b.input_tokens + b.output_tokens);

export function buildChart(buckets: UsageBucket[], since: number, bucketMs: number, now: number, metric: Metric, label: (key: string | null) => string): Chart {
  const first = Math.floor(since / bucketMs) * bucketMs;
  const times: number[] = [];
  for (let t = first; t <= now; t += bucketMs) times.push(t);
  const index = new Map(times.map((t, i) => [t, i]));
  const totals = new Map<string, number>();
  for (const b of buckets) totals.set(label(b.key), (totals.get(label(b.key)) ?? 0) + metricOf(b, metric));
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  const top = new Set(ranked.slice(0, TOP));
  const keys = ranked.length > TOP ? [...ranked.slice(0, TOP), "other"] : ranked;
  const series = new Map(keys.map((k) => [k, new Array<number>(times.length).fill(0)]));
  for (const b of buckets) {
    const i = index.get(b.bucket);
    if (i === undefined) continue;
    const name = top.has(label(b.key)) ? label(b.key) : "other";
    const values = series.get(name);
    if (values) values[i] += metricOf(b, metric);
  }
  return { times, series: keys.map((key) => ({ key, values: series.get(key) ?? [] })) };
}
