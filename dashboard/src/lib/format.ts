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
