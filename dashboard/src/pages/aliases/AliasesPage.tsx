import { PageHeader } from "../../components/PageHeader";
import { Card } from "../../components/Card";
import { ResourceView } from "../../components/ResourceView";
import { useResource } from "../../hooks/useResource";
import { listAliases, listProviders } from "../../api/endpoints";
import { availableModels } from "../../lib/models";
import { AliasForm } from "./AliasForm";
import { AliasList } from "./AliasList";

/** Aliases: short model names that stand for one `provider/model`. */
export function AliasesPage() {
  const resource = useResource(async () => {
    const [providers, aliases] = await Promise.all([listProviders(), listAliases()]);
    return { aliases, models: availableModels(providers).filter((m) => m.id.includes("/")) };
  });
  return (
    <>
      <PageHeader title="Aliases" description="An alias is a short model name that stands for one provider/model (e.g. “fast” → openai/gpt-4o-mini)." />
      <ResourceView resource={resource}>
        {({ aliases, models }) => (
          <div className="grid gap-6">
            <Card title="New alias">
              <AliasForm models={models} onSaved={resource.reload} />
            </Card>
            <Card title="Aliases">
              <AliasList aliases={aliases} onChanged={resource.reload} />
            </Card>
          </div>
        )}
      </ResourceView>
    </>
  );
}
