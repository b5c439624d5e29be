import type { CreatedApiKey } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { CopyButton } from "../../components/CopyButton";
import { Button } from "../../components/Button";

/** Shows a new key's secret this one time. */
export function NewKeyDialog({ created, onClose }: { created: CreatedApiKey | null; onClose: () => void }) {
  return (
    <Dialog open={created !== null} title="Your new API key" onClose={onClose}>
      {created ? (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-slate-600">
            Copy the key for <strong>{created.name}</strong> now: it is stored hashed and will not be shown again.
          </p>
          <div className="flex items-center gap-2">
            <code data-testid="new-api-key" className="flex-1 rounded-md bg-slate-100 px-2 py-1.5 font-mono text-sm break-all select-all">
              {created.key}
            </code>
            <CopyButton text={created.key} label="Copy key" />
          </div>
          <div className="flex justify-end">
            <Button variant="primary" onClick={onClose}>
              I have copied it
            </Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
