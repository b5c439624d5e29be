import { Button } from "../../components/Button";

/** The chosen models with move-up, move-down and remove buttons. */
export function OrderedModels({ models, onChange }: { models: string[]; onChange: (models: string[]) => void }) {
  if (models.length === 0) return <p className="text-sm text-slate-500">No models yet: add at least one below.</p>;
  const move = (from: number, to: number) => {
    const next = [...models];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item);
    onChange(next);
  };
  return (
    <ol className="flex flex-col gap-1" aria-label="Chosen models">
      {models.map((m, i) => (
        <li key={`${m}-${i}`} className="flex items-center gap-2 rounded-md border border-slate-200 px-2 py-1">
          <span className="w-5 text-right text-xs text-slate-400">{i + 1}.</span>
          <code className="flex-1 text-sm">{m}</code>
          <Button small variant="ghost" disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={`Move ${m} up`}>
            ▲
          </Button>
          <Button small variant="ghost" disabled={i === models.length - 1} onClick={() => move(i, i + 1)} aria-label={`Move ${m} down`}>
            ▼
          </Button>
          <Button small variant="ghost" onClick={() => onChange(models.filter((_, j) => j !== i))} aria-label={`Remove ${m}`}>
            ✕
          </Button>
        </li>
      ))}
    </ol>
  );
}
