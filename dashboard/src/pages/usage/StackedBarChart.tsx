import { formatCompact } from "../../lib/format";
import type { Chart } from "./series";

export const COLORS = ["#4f46e5", "#0891b2", "#16a34a", "#ca8a04", "#db2777", "#9333ea", "#64748b"];

const W = 720;
const H = 220;
const PAD = { left: 44, right: 8, top: 8, bottom: 22 };

/** The smallest 1, 2 or 5 × 10^k at or above `n` (an even axis top; halves of it stay whole from 2 up). */
function niceCeiling(n: number): number {
  const power = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 5, 10].map((m) => m * power).find((v) => v >= n) ?? n);
}

/** A hand-written SVG stacked bar chart (no chart library: a few hundred bytes instead of tens of KB). */
export function StackedBarChart({ chart, title, timeLabel }: { chart: Chart; title: string; timeLabel: (t: number) => string }) {
  const n = chart.times.length;
  const totals = chart.times.map((_, i) => chart.series.reduce((s, ser) => s + ser.values[i], 0));
  const max = niceCeiling(Math.max(1, ...totals));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, n);
  const barW = Math.max(1, slot * 0.7);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const labelEvery = Math.max(1, Math.ceil(n / 8));
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} className="h-auto w-full">
        {(max >= 2 ? [0, 0.5, 1] : [0, 1]).map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} stroke="#e2e8f0" />
            <text x={PAD.left - 6} y={y(max * f) + 4} textAnchor="end" fontSize="10" fill="#64748b">
              {formatCompact(Math.round(max * f))}
            </text>
          </g>
        ))}
        {chart.times.map((t, i) => {
          let base = 0;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          return (
            <g key={t}>
              <title>{`${timeLabel(t)}: ${totals[i]}`}</title>
              {chart.series.map((s, si) => {
                const v = s.values[i];
                if (!v) return null;
                const rect = <rect key={s.key} x={x} y={y(base + v)} width={barW} height={y(base) - y(base + v)} fill={COLORS[si % COLORS.length]} />;
                base += v;
                return rect;
              })}
              {i % labelEvery === 0 ? (
                <text x={x + barW / 2} y={H - 6} textAnchor="middle" fontSize="10" fill="#64748b">
                  {timeLabel(t)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-3 text-xs text-slate-600">
        {chart.series.map((s, si) => (
          <span key={s.key} className="flex items-center gap-1">
            <span aria-hidden="true" className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: COLORS[si % COLORS.length] }} />
            {s.key}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
