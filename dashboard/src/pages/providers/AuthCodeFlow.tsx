import { useState, type FormEvent } from "react";
import { completeOAuth, startOAuth } from "../../api/endpoints";
import { errorMessage, isNotFound } from "../../api/client";
import { Button } from "../../components/Button";
import { TextField } from "../../components/TextField";
import { ErrorNote } from "../../components/ErrorNote";
import type { FlowProps } from "./flowProps";

/**
 * Authorization code with paste-back: open the provider's login page, then paste the URL the browser ended on
 * (or just the code) here. Works wherever the dashboard runs, including a remote Worker.
 */
export function AuthCodeFlow({ provider, name, connectionId, onConnected, onCancel }: FlowProps) {
  const [flow, setFlow] = useState<{ flowId: string; authorizeUrl: string } | null>(null);
  const [pasted, setPasted] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const started = await startOAuth(provider, connectionId);
      if (started.kind !== "auth_code") throw new Error(`unexpected flow ${started.kind}`);
      setFlow({ flowId: started.flowId, authorizeUrl: started.authorizeUrl });
      window.open(started.authorizeUrl, "_blank", "noopener");
    } catch (e) {
      setError(isNotFound(e) ? "Logging in to this provider is not available on this router." : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const complete = async (event: FormEvent) => {
    event.preventDefault();
    if (!flow) return;
    setBusy(true);
    setError(null);
    const value = pasted.trim();
    const isUrl = /^https?:\/\//i.test(value);
    try {
      await completeOAuth(provider, { flowId: flow.flowId, name, ...(isUrl ? { redirectUrl: value } : { code: value }) });
      onConnected();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (!flow) {
    return (
      <div className="flex flex-col gap-3">
        <p className="text-sm text-slate-600">A login page of the provider opens in a new tab. After you approve, copy the address the tab ends on and paste it here.</p>
        <ErrorNote>{error}</ErrorNote>
        <div className="flex justify-end gap-2">
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant="primary" disabled={busy} onClick={() => void start()}>
            {busy ? "Starting…" : "Open login page"}
          </Button>
        </div>
      </div>
    );
  }
  return (
    <form onSubmit={(e) => void complete(e)} className="flex flex-col gap-3">
      <p className="text-sm text-slate-600">
        If no tab opened,{" "}
        <a href={flow.authorizeUrl} target="_blank" rel="noopener noreferrer" className="text-indigo-700 underline">
          open the login page
        </a>
        .
      </p>
      <TextField label="Callback URL or code" required value={pasted} onChange={setPasted} placeholder="http://localhost:…/callback?code=…" autoComplete="off" />
      <ErrorNote>{error}</ErrorNote>
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={busy || !pasted.trim()}>
          {busy ? "Connecting…" : "Connect"}
        </Button>
      </div>
    </form>
  );
}
