/** A quiet loading line. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p role="status" className="animate-pulse py-4 text-sm text-slate-500">
      {label}
    </p>
  );
}
