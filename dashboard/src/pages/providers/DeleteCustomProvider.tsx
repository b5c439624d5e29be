import { deleteCustomProvider } from "../../api/endpoints";
import type { CatalogEntry } from "../../api/types";
import { useAction } from "../../hooks/useAction";
import { Button } from "../../components/Button";
import { ErrorNote } from "../../components/ErrorNote";

/** Deletes a custom provider; the router refuses (409, shown here) while accounts still use it. */
export function DeleteCustomProvider({ entry, onDeleted }: { entry: CatalogEntry; onDeleted: () => void }) {
  const action = useAction(() => deleteCustomProvider(entry.id));
  const remove = async () => {
    if (!window.confirm(`Delete the custom provider ${entry.name}?`)) return;
    if (await action.run()) onDeleted();
  };
  return (
    <>
      <Button small variant="danger" onClick={() => void remove()} disabled={action.busy} aria-label={`Delete ${entry.name}`}>
        Delete
      </Button>
      {action.error ? <ErrorNote>{action.error}</ErrorNote> : null}
    </>
  );
}
