import { useEffect, useRef, useState } from "react";
import { pollOAuth, startOAuth } from "../../api/endpoints";
import { errorMessage, isNotFound } from "../../api/client";
import { Button } from "../../components/Button";
import { CopyButton } from "../../components/CopyButton";
import { ErrorNote } from "../../components/ErrorNote";
import type { FlowProps } from "./flowProps";

interface DeviceFlow {
  flowId: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  intervalSecs: number;
}

/** Device code: show the code and the page to enter it on, then poll until the provider says yes or no. */
export function DeviceCodeFlow({ provider, name, connectionId, onConnected, onCancel }: FlowProps) {
  const [flow, setFlow] = useState<DeviceFlow | null>(null);
  const [state, setState] = useState<"idle" | "starting" | "waiting" | "failed">("idle");
  const [error, setError] = useState<string | null>(null);
  const interval = useRef(5);
  // Latest callbacks without restarting the poll loop on every render.
  const latest = useRef({ name, onConnected });
  latest.current = { name, onConnected };

  const start = async () => {
    setState("starting");
    setError(null);
    try {
      const started = await startOAuth(provider, connectionId);
      if (started.kind !== "device_code") throw new Error(`unexpected flow ${started.kind}`);
      interval.current = Math.max(1, started.intervalSecs || 5);
      setFlow(started);
      setState("waiting");
    } catch (e) {
      setState("failed");
      setError(isNotFound(e) ? "Logging in to this provider is not available on this router." : errorMessage(e));
    }
  };

  useEffect(() => {
    if (!flow || state !== "waiting") return;
    let cancelled = false;
    let timer = 0;
    const tick = async () => {
      try {
        const result = await pollOAuth(provider, { flowId: flow.flowId, name: latest.current.name });
        if (cancelled) return;
        if (result.status === "complete") return latest.current.onConnected();
        if (result.status === "expired" || result.status === "denied") {
          setState("failed");
          setError(result.status === "expired" ? "The code expired. Start again." : "The login was denied.");
          return;
        }
        if (result.status === "slow_down") interval.current += 5;
      } catch (e) {
        if (cancelled) return;
        setState("failed");
        setError(errorMessage(e));
        return;
      }
      timer = window.setTimeout(() => void tick(), interval.current * 1000);
    };
    timer = window.setTimeout(() => void tick(), interval.current * 1000);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [flow, state, provider]);

  if (!flow || state === "idle" || state === "starting") {
    return (
      <div className="flex flex-col gap-3">
        <p className="text-sm text-slate-600">You get a code to enter on the provider's page (on any device).</p>
        <ErrorNote>{error}</ErrorNote>
        <div className="flex justify-end gap-2">
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant="primary" disabled={state === "starting"} onClick={() => void start()}>
            {state === "starting" ? "Starting…" : "Get a code"}
          </Button>
        </div>
      </div>
    );
  }
  const link = flow.verificationUriComplete ?? flow.verificationUri;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-slate-600">
        Open{" "}
        <a href={link} target="_blank" rel="noopener noreferrer" className="text-indigo-700 underline">
          {flow.verificationUri}
        </a>{" "}
        and enter:
      </p>
      <div className="flex items-center gap-3">
        <code data-testid="device-user-code" className="rounded-md bg-slate-100 px-3 py-2 font-mono text-2xl tracking-widest">
          {flow.userCode}
        </code>
        <CopyButton text={flow.userCode} label="Copy code" />
      </div>
      {state === "waiting" ? (
        <p role="status" className="animate-pulse text-sm text-slate-500">
          Waiting for you to approve…
        </p>
      ) : null}
      <ErrorNote>{error}</ErrorNote>
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        {state === "failed" ? (
          <Button variant="primary" onClick={() => void start()}>
            Start again
          </Button>
        ) : null}
      </div>
    </div>
  );
}
