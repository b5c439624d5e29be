import { PageHeader } from "../../components/PageHeader";
import { Card } from "../../components/Card";
import { ResourceView } from "../../components/ResourceView";
import { useResource } from "../../hooks/useResource";
import { fetchSettings } from "../../api/endpoints";
import { ChangePasswordForm } from "../../auth/ChangePasswordForm";
import { RouterSettingsForm } from "./RouterSettingsForm";

/** Router settings and the dashboard password. */
export function SettingsPage() {
  const resource = useResource(fetchSettings);
  return (
    <>
      <PageHeader title="Settings" />
      <div className="grid gap-6">
        <Card title="Routing and data">
          <ResourceView resource={resource}>{(settings) => <RouterSettingsForm settings={settings} onSaved={resource.reload} />}</ResourceView>
        </Card>
        <Card title="Dashboard password">
          <ChangePasswordForm onChanged={() => undefined} />
        </Card>
      </div>
    </>
  );
}
