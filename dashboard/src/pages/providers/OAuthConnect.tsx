import { useState } from "react";
import type { CatalogEntry, OAuthFlowKind } from "../../api/types";
import { Button } from "../../components/Button";
import { TextField } from "../../components/TextField";
import { AuthCodeFlow } from "./AuthCodeFlow";
import { DeviceCodeFlow } from "./DeviceCodeFlow";
import { ImportFlow } from "./ImportFlow";

const FLOW_LABELS: Record<OAuthFlowKind, string> = {
  auth_code: "Log in in the browser",
  device_code: "Enter a code on another device",
  import: "Import existing credentials",
};

/** Picks one of the provider's login flows and runs it; with `connectionId`, the login reconnects that account. */
export function OAuthConnect({ entry, available, connectionId, onConnected, onCancel }: { entry: CatalogEntry; available: boolean; connectionId?: string; onConnected: () => void; onCancel: () => void }) {
  const flows = entry.flows.length ? entry.flows : (["auth_code"] as OAuthFlowKind[]);
  const [flow, setFlow] = useState<OAuthFlowKind>(flows[0]);
  const [name, setName] = useState("");
  if (!available) {
    return (
      <div className="flex flex-col gap-3">
        <p className="text-sm text-slate-600">Subscription logins are not available on this router yet.</p>
        <div className="flex justify-end">
          <Button onClick={onCancel}>Close</Button>
        </div>
      </div>
    );
  }
  const props = { provider: entry.id, name: name.trim() || undefined, connectionId, onConnected, onCancel };
  return (
    <div className="flex flex-col gap-4">
      {flows.length > 1 ? (
        <fieldset className="flex flex-col gap-1">
          <legend className="mb-1 text-sm font-medium text-slate-700">How to log in</legend>
          {flows.map((f) => (
            <label key={f} className="flex items-center gap-2 text-sm">
              <input type="radio" name="oauth-flow" value={f} checked={flow === f} onChange={() => setFlow(f)} className="accent-indigo-600" />
              {FLOW_LABELS[f]}
            </label>
          ))}
        </fieldset>
      ) : null}
      {connectionId ? (
        <p className="text-sm text-slate-600">The new login replaces this account's tokens; its name, order and settings stay.</p>
      ) : (
        <TextField label="Account name" value={name} onChange={setName} placeholder={entry.name} hint="Optional; helps tell accounts apart." />
      )}
      {flow === "device_code" ? <DeviceCodeFlow key={flow} {...props} /> : flow === "import" ? <ImportFlow key={flow} {...props} /> : <AuthCodeFlow key={flow} {...props} />}
    </div>
  );
}
