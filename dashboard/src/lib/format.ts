// Number and time formatting shared by the pages.

const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat();

/** 1234567 → "1.2M". */
export const formatCompact = (n: number) => compact.format(n);

/** 1234567 → "1,234,567". */
export const formatNumber = (n: number | null | undefined) => (n === null || n === undefined ? "—" : whole.format(n));

/** A timestamp in ms as local date and time. */
export const formatDateTime = (ms: number) => new Date(ms).toLocaleString();

/** A duration in ms: "850 ms", "2.4 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const cents = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const small = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD", maximumSignificantDigits: 3 });

/** An estimated cost in USD: "$1.23", "$0.0000057"; unknown (null) → "—". */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return "—";
  return usd === 0 || usd >= 0.01 ? cents.format(usd) : small.format(usd);
}

/** Time left until `untilMs`: "45 s", "3 min 5 s", "2 h 10 min". */
export function formatRemaining(untilMs: number, nowMs: number): string {
  const s = Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
