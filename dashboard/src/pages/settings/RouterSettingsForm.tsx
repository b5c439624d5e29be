import { useState, type FormEvent } from "react";
import type { RoutingStrategy, Settings } from "../../api/types";
import { saveSettings } from "../../api/endpoints";
import { useAction } from "../../hooks/useAction";
import { SelectField } from "../../components/SelectField";
import { TextField } from "../../components/TextField";
import { Toggle } from "../../components/Toggle";
import { Button } from "../../components/Button";
import { ErrorNote } from "../../components/ErrorNote";
import { OptionalToggles } from "./OptionalToggles";

/** Edits the settings the router has; saves only what changed. */
export function RouterSettingsForm({ settings, onSaved }: { settings: Settings; onSaved: () => Promise<void> }) {
  const [draft, setDraft] = useState<Settings>(settings);
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const changes = Object.fromEntries(Object.entries(draft).filter(([k, v]) => settings[k] !== v)) as Partial<Settings>;
  const save = useAction(async () => {
    await saveSettings(changes);
    setSaved(true);
    await onSaved();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };
  return (
    <form onSubmit={submit} className="flex max-w-xl flex-col gap-5" aria-label="Router settings">
      <SelectField
        label="Routing strategy"
        value={draft.routing_strategy}
        onChange={(v) => set("routing_strategy", v as RoutingStrategy)}
        options={[
          { value: "fill-first", label: "Fill first: highest-priority healthy account" },
          { value: "round-robin", label: "Round robin: rotate through healthy accounts" },
        ]}
      />
      <TextField
        label="Sticky limit"
        type="number"
        min={1}
        max={1000}
        value={String(draft.sticky_round_robin_limit)}
        onChange={(v) => set("sticky_round_robin_limit", Number(v))}
        disabled={draft.routing_strategy !== "round-robin"}
        hint="With round robin: requests in a row that stay on one account (1–1000)."
        className="max-w-xs"
      />
      <Toggle
        label="Session affinity"
        checked={draft.session_affinity}
        onChange={(v) => set("session_affinity", v)}
        hint="Keep each conversation on the account that served it, so prompt caches keep hitting."
      />
      <TextField
        label="Usage retention (days)"
        type="number"
        min={0}
        max={3650}
        value={String(draft.usage_retention_days)}
        onChange={(v) => set("usage_retention_days", Number(v))}
        hint="Older usage records are deleted daily; 0 keeps them forever."
        className="max-w-xs"
      />
      <OptionalToggles draft={draft} set={set} />
      <ErrorNote>{save.error}</ErrorNote>
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={save.busy || Object.keys(changes).length === 0}>
          {save.busy ? "Saving…" : "Save settings"}
        </Button>
        {saved ? (
          <span role="status" className="text-sm text-emerald-700">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
