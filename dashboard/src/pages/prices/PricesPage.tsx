import { useState } from "react";
import { PageHeader } from "../../components/PageHeader";
import { Card } from "../../components/Card";
import { ResourceView } from "../../components/ResourceView";
import { useResource } from "../../hooks/useResource";
import { listPrices } from "../../api/endpoints";
import type { PriceEntry } from "../../api/types";
import { PriceForm } from "./PriceForm";
import { PriceTable } from "./PriceTable";

/** The price table behind the Usage page's cost estimates: built-in prices, the user's overrides, revert. */
export function PricesPage() {
  const resource = useResource(listPrices);
  const [editing, setEditing] = useState<PriceEntry | null>(null);
  return (
    <>
      <PageHeader
        title="Prices"
        description="USD per 1M tokens, used to estimate costs on the Usage page (past usage too). Subscription accounts (Codex, Claude Code, Gemini CLI, Copilot, …) are priced at the model's API rate: an API-equivalent estimate."
      />
      <div className="grid gap-6">
        <Card title={editing ? `Override ${editing.model}` : "Set a price"}>
          <PriceForm
            key={editing?.model ?? ""}
            initial={editing}
            onSaved={async () => {
              setEditing(null);
              await resource.reload();
            }}
            onCancel={editing ? () => setEditing(null) : undefined}
          />
        </Card>
        <Card title="Price table">
          <ResourceView resource={resource}>
            {(data) => <PriceTable prices={data.prices} onEdit={setEditing} onChanged={resource.reload} />}
          </ResourceView>
        </Card>
      </div>
    </>
  );
}
