import type { Combo } from "../../api/types";
import { deleteCombo } from "../../api/endpoints";
import { useAction } from "../../hooks/useAction";
import { Button } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorNote } from "../../components/ErrorNote";

/** The combos with their model chains. */
export function ComboList({ combos, onEdit, onChanged }: { combos: Combo[]; onEdit: (c: Combo) => void; onChanged: () => Promise<void> }) {
  const remove = useAction(async (combo: Combo) => {
    await deleteCombo(combo.id);
    await onChanged();
  });
  if (combos.length === 0) return <EmptyState title="No combos yet">Create one to give clients a single model name with fallbacks.</EmptyState>;
  return (
    <>
      <ErrorNote>{remove.error}</ErrorNote>
      <ul className="divide-y divide-slate-100">
        {combos.map((combo) => (
          <li key={combo.id} className="flex flex-wrap items-center gap-3 py-2.5" data-testid="combo-row">
            <code className="font-medium text-slate-900">{combo.name}</code>
            <ol className="flex flex-1 flex-wrap items-center gap-1 text-xs text-slate-600" aria-label={`Models of ${combo.name}`}>
              {combo.models.map((m, i) => (
                <li key={`${m}-${i}`} className="flex items-center gap-1">
                  {i > 0 ? <span aria-hidden="true">→</span> : null}
                  <code className="rounded bg-slate-100 px-1.5 py-0.5">{m}</code>
                </li>
              ))}
            </ol>
            <div className="flex gap-1.5">
              <Button small onClick={() => onEdit(combo)}>
                Edit
              </Button>
              <Button
                small
                variant="danger"
                aria-label={`Delete ${combo.name}`}
                disabled={remove.busy}
                onClick={() => window.confirm(`Delete the combo “${combo.name}”?`) && void remove.run(combo)}
              >
                Delete
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
