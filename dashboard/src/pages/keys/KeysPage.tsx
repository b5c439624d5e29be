import { useState } from "react";
import { PageHeader } from "../../components/PageHeader";
import { Card } from "../../components/Card";
import { ResourceView } from "../../components/ResourceView";
import { useResource } from "../../hooks/useResource";
import { listKeys } from "../../api/endpoints";
import type { CreatedApiKey } from "../../api/types";
import { NewKeyForm } from "./NewKeyForm";
import { NewKeyDialog } from "./NewKeyDialog";
import { KeyList } from "./KeyList";

/** Client API keys: create (shown once), rename, revoke, delete. */
export function KeysPage() {
  const resource = useResource(listKeys);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  return (
    <>
      <PageHeader title="API keys" description="Clients send one of these keys with every request. A key is shown once, when it is created." />
      <div className="grid gap-6">
        <Card title="Create a key">
          <NewKeyForm
            onCreated={(key) => {
              setCreated(key);
              void resource.reload();
            }}
          />
        </Card>
        <Card title="Keys">
          <ResourceView resource={resource}>{(keys) => <KeyList keys={keys} onChanged={resource.reload} />}</ResourceView>
        </Card>
      </div>
      <NewKeyDialog created={created} onClose={() => setCreated(null)} />
    </>
  );
}
