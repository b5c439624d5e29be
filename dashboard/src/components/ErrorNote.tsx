import type { ReactNode } from "react";
import { errorMessage } from "../api/client";

/** An error message, announced to screen readers. Renders nothing without an error. */
export function ErrorNote({ error, children }: { error?: unknown; children?: ReactNode }) {
  if (!error && !children) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {error ? errorMessage(error) : children}
    </div>
  );
}
