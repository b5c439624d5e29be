import { useEffect, useState } from "react";
import { PageHeader } from "../../components/PageHeader";
import { ResourceView } from "../../components/ResourceView";
import { Card } from "../../components/Card";
import { useResource } from "../../hooks/useResource";
import { listProviders } from "../../api/endpoints";
import type { CatalogEntry, Connection } from "../../api/types";
import { loadCatalog } from "./catalog";
import { ProviderCatalog } from "./ProviderCatalog";
import { ConnectionList } from "./ConnectionList";
import { ConnectDialog } from "./ConnectDialog";
import { useConnectionStatus } from "./useConnectionStatus";
import { Dialog } from "../../components/Dialog";
import { Button } from "../../components/Button";
import { AddCustomProviderForm } from "./AddCustomProviderForm";

/** Providers with their status, connecting new accounts, and the accounts themselves. */
export function ProvidersPage() {
  const resource = useResource(async () => {
    const providers = await listProviders();
    const catalog = await loadCatalog(providers.providers);
    return { providers, catalog };
  });
  const [connecting, setConnecting] = useState<CatalogEntry | null>(null);
  const [reconnecting, setReconnecting] = useState<Connection | null>(null);
  const live = useConnectionStatus();
  const [addingCustom, setAddingCustom] = useState(false);
  // Account status (re-login needed, cool-downs) changes on its own: refresh while the page is visible.
  const { reload } = resource;
  useEffect(() => {
    if (connecting) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") void reload();
    }, 15_000);
    return () => window.clearInterval(timer);
  }, [connecting, reload]);

  return (
    <>
      <PageHeader title="Providers" description="Connect accounts; requests go to the first healthy account of a provider, in priority order." />
      <ResourceView resource={resource}>
        {({ providers, catalog }) => (
          <div className="grid gap-6">
            <Card title="Providers">
              <div className="mb-3 flex items-center justify-between gap-2">
                <p className="text-xs text-slate-500">Any OpenAI- or Anthropic-compatible endpoint can be added as a custom provider with its own model prefix.</p>
                <Button small onClick={() => setAddingCustom(true)}>
                  Add custom provider
                </Button>
              </div>
              <ProviderCatalog catalog={catalog} connections={providers.connections} onConnect={setConnecting} onChanged={() => void resource.reload()} />
            </Card>
            <Dialog open={addingCustom} title="Add custom provider" onClose={() => setAddingCustom(false)}>
              {addingCustom ? (
                <AddCustomProviderForm
                  onCancel={() => setAddingCustom(false)}
                  onCreated={() => {
                    setAddingCustom(false);
                    void resource.reload();
                  }}
                />
              ) : null}
            </Dialog>
            <Card title="Accounts">
              <ConnectionList
                connections={providers.connections}
                catalog={catalog.entries}
                onChanged={resource.reload}
                live={live}
                onReconnect={(connection) => {
                  const entry = catalog.entries.find((e) => e.id === connection.provider);
                  if (!entry) return;
                  setReconnecting(connection);
                  setConnecting(entry);
                }}
              />
            </Card>
            <ConnectDialog
              entry={connecting}
              reconnect={reconnecting}
              oauthAvailable={catalog.oauthAvailable}
              onClose={() => {
                setConnecting(null);
                setReconnecting(null);
              }}
              onConnected={() => {
                setConnecting(null);
                setReconnecting(null);
                void resource.reload();
              }}
            />
          </div>
        )}
      </ResourceView>
    </>
  );
}
