import { useState } from "react";
import { PageHeader } from "../../components/PageHeader";
import { Button } from "../../components/Button";
import { useResource } from "../../hooks/useResource";
import { listKeys, listProviders } from "../../api/endpoints";
import { UsageOverview } from "./UsageOverview";
import { RecentRequests } from "./RecentRequests";

/** Usage over time by model, provider, account or key, and the latest requests. */
export function UsagePage() {
  const [refresh, setRefresh] = useState(0);
  // Names for account and key ids (usage stores ids).
  const names = useResource(async () => {
    const [providers, keys] = await Promise.all([listProviders(), listKeys()]);
    return {
      accounts: new Map(providers.connections.map((c) => [c.id, c.name])),
      keys: new Map(keys.map((k) => [k.id, k.name])),
    };
  });
  return (
    <>
      <PageHeader
        title="Usage"
        description="Requests, tokens and estimated cost through the router. Costs are estimates from the price table (Prices page); subscription accounts are priced at the model's API rate."
        actions={
          <Button onClick={() => setRefresh((r) => r + 1)} aria-label="Refresh usage">
            Refresh
          </Button>
        }
      />
      <div className="grid gap-6">
        <UsageOverview refresh={refresh} names={names.data} />
        <RecentRequests refresh={refresh} names={names.data} />
      </div>
    </>
  );
}
