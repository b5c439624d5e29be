import { useState } from "react";
import { PageHeader } from "../../components/PageHeader";
import { Card } from "../../components/Card";
import { Button } from "../../components/Button";
import { ResourceView } from "../../components/ResourceView";
import { useResource } from "../../hooks/useResource";
import { listAliases, listCombos, listProviders } from "../../api/endpoints";
import type { Combo } from "../../api/types";
import { availableModels } from "../../lib/models";
import { ComboEditor } from "./ComboEditor";
import { ComboList } from "./ComboList";

/** Combos: a name clients use as `model` that tries its models in order until one answers. */
export function CombosPage() {
  const resource = useResource(async () => {
    const [providers, combos, aliases] = await Promise.all([listProviders(), listCombos(), listAliases()]);
    return { combos, models: availableModels(providers, [], aliases) };
  });
  const [editing, setEditing] = useState<Combo | "new" | null>(null);
  const done = () => {
    setEditing(null);
    void resource.reload();
  };
  return (
    <>
      <PageHeader
        title="Combos"
        description="A combo is a model name that falls back through an ordered list of models."
        actions={
          editing === null ? (
            <Button variant="primary" onClick={() => setEditing("new")}>
              New combo
            </Button>
          ) : null
        }
      />
      <ResourceView resource={resource}>
        {({ combos, models }) => (
          <div className="grid gap-6">
            {editing !== null ? (
              <Card title={editing === "new" ? "New combo" : `Edit ${editing.name}`}>
                <ComboEditor combo={editing === "new" ? null : editing} models={models} onSaved={done} onCancel={() => setEditing(null)} />
              </Card>
            ) : null}
            <Card title="Combos">
              <ComboList combos={combos} onEdit={setEditing} onChanged={resource.reload} />
            </Card>
          </div>
        )}
      </ResourceView>
    </>
  );
}
