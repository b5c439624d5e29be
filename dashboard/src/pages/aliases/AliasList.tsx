import type { Alias } from "../../api/types";
import { deleteAlias } from "../../api/endpoints";
import { useAction } from "../../hooks/useAction";
import { Button } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorNote } from "../../components/ErrorNote";

/** Every alias with its target. */
export function AliasList({ aliases, onChanged }: { aliases: Alias[]; onChanged: () => Promise<void> }) {
  const remove = useAction(async (alias: string) => {
    await deleteAlias(alias);
    await onChanged();
  });
  if (aliases.length === 0) return <EmptyState title="No aliases yet">Add one above.</EmptyState>;
  return (
    <>
      <ErrorNote>{remove.error}</ErrorNote>
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-xs text-slate-500">
            <th className="py-1 font-medium">Alias</th>
            <th className="py-1 font-medium">Target</th>
            <th className="py-1" aria-label="Actions" />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {aliases.map((a) => (
            <tr key={a.alias}>
              <td className="py-2">
                <code className="font-medium">{a.alias}</code>
              </td>
              <td className="py-2">
                <code>{a.target}</code>
              </td>
              <td className="py-2 text-right">
                <Button small variant="danger" aria-label={`Delete ${a.alias}`} disabled={remove.busy} onClick={() => void remove.run(a.alias)}>
                  Delete
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
