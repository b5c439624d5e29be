import type { ApiKey } from "../../api/types";
import { EmptyState } from "../../components/EmptyState";
import { KeyRow } from "./KeyRow";

/** Every key (never its secret). */
export function KeyList({ keys, onChanged }: { keys: ApiKey[]; onChanged: () => Promise<void> }) {
  if (keys.length === 0) return <EmptyState title="No API keys yet">Create one above, then use it in your tools.</EmptyState>;
  return (
    <table className="w-full text-sm">
      <thead>
        <tr className="text-left text-xs text-slate-500">
          <th className="py-1 font-medium">Name</th>
          <th className="py-1 font-medium">Key</th>
          <th className="py-1 font-medium">Created</th>
          <th className="py-1 font-medium">Status</th>
          <th className="py-1" aria-label="Actions" />
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {keys.map((k) => (
          <KeyRow key={k.id} apiKey={k} onChanged={onChanged} />
        ))}
      </tbody>
    </table>
  );
}
