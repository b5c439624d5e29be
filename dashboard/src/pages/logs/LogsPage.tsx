import { useCallback, useState } from "react";
import { PageHeader } from "../../components/PageHeader";
import { Card } from "../../components/Card";
import { Button } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorNote } from "../../components/ErrorNote";
import { ResourceView } from "../../components/ResourceView";
import { Link } from "../../router/router";
import { useResource } from "../../hooks/useResource";
import { useAction } from "../../hooks/useAction";
import { clearLogs, listLogs } from "../../api/endpoints";
import { LogTable } from "./LogTable";
import { LogDetailView } from "./LogDetailView";

/** Request logs: the newest logged requests, and the stages of the one selected. */
export function LogsPage() {
  const [refresh, setRefresh] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const resource = useResource(() => listLogs(100), [refresh]);
  const clear = useAction(
    useCallback(async () => {
      await clearLogs();
      setSelected(null);
      setRefresh((r) => r + 1);
    }, []),
  );
  const hasLogs = (resource.data?.logs.length ?? 0) > 0;
  return (
    <>
      <PageHeader
        title="Logs"
        description="Each request's stages as the router saw them: the client's request, what went upstream, the upstream's answer, what the client got. Keys and tokens are redacted."
        actions={
          <>
            <Button onClick={() => setRefresh((r) => r + 1)} aria-label="Refresh logs">
              Refresh
            </Button>
            <Button
              variant="danger"
              disabled={!hasLogs || clear.busy}
              onClick={() => {
                if (window.confirm("Delete every request log?")) void clear.run();
              }}
            >
              Clear logs
            </Button>
          </>
        }
      />
      {clear.error ? <ErrorNote error={clear.error} /> : null}
      <div className="grid gap-6">
        <Card title="Recent requests">
          <ResourceView resource={resource}>
            {(list) =>
              list.logs.length > 0 ? (
                <>
                  {!list.enabled ? <p className="mb-2 text-xs text-slate-500">Logging is off now; older logs are kept until cleared.</p> : null}
                  {list.env_enabled ? (
                    <p className="mb-2 text-xs text-slate-500">
                      On through <code>ENABLE_REQUEST_LOGS</code>: the Settings switch cannot turn it off.
                    </p>
                  ) : null}
                  <LogTable logs={list.logs} selected={selected} onSelect={setSelected} />
                </>
              ) : list.enabled ? (
                <EmptyState title="No requests logged yet">Requests appear here a moment after they finish.</EmptyState>
              ) : (
                <EmptyState title="Request logging is off">
                  Turn on <strong>Request logs</strong> in{" "}
                  <Link to="/settings" className="text-indigo-700 underline">
                    Settings
                  </Link>{" "}
                  (or start the router with <code>ENABLE_REQUEST_LOGS=true</code>) to record each request&apos;s stages here.
                </EmptyState>
              )
            }
          </ResourceView>
        </Card>
        {selected ? <LogDetailView id={selected} onClose={() => setSelected(null)} /> : null}
      </div>
    </>
  );
}
