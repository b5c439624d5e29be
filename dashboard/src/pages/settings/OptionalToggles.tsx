import type { Settings } from "../../api/types";
import { Toggle } from "../../components/Toggle";

const OPTIONAL: { key: "require_api_key" | "request_logs" | "caching"; label: string; missing: string; hint: string }[] = [
  { key: "require_api_key", label: "Require an API key", missing: "turning off API keys", hint: "Refuse /v1 requests without a valid key." },
  { key: "request_logs", label: "Request logs", missing: "request logs", hint: "Keep the bodies of recent requests for the Logs page." },
  { key: "caching", label: "Caching", missing: "caching", hint: "Answer identical requests from a cache." },
];

/** Toggles for settings that only some routers have; each shows only when the router reports it. */
export function OptionalToggles({ draft, set }: { draft: Settings; set: (key: keyof Settings, value: boolean) => void }) {
  const present = OPTIONAL.filter((o) => typeof draft[o.key] === "boolean");
  const missing = OPTIONAL.filter((o) => typeof draft[o.key] !== "boolean");
  return (
    <>
      {present.map((o) => (
        <Toggle key={o.key} label={o.label} hint={o.hint} checked={Boolean(draft[o.key])} onChange={(v) => set(o.key, v)} />
      ))}
      {missing.length ? (
        <p className="text-xs text-slate-500">
          Not available on this router yet: {missing.map((o) => o.missing).join(", ")}.
          {missing.some((o) => o.key === "require_api_key") ? " Clients always need an API key." : ""}
        </p>
      ) : null}
    </>
  );
}
