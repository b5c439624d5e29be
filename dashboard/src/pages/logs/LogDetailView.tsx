import { fetchLog } from "../../api/endpoints";
import { useResource } from "../../hooks/useResource";
import { Card } from "../../components/Card";
import { Button } from "../../components/Button";
import { CodeBlock } from "../../components/CodeBlock";
import { ResourceView } from "../../components/ResourceView";

/** What each stage file holds. */
const STAGE_LABELS: Record<string, string> = {
  "1_client_raw_request.json": "Client request as received",
  "2_raw_request.json": "Parsed request and where its model resolved",
  "3_converted_request.json": "Request sent upstream",
  "4_provider_response.txt": "Upstream response",
  "5_converted_response.txt": "Response sent to the client",
  "6_error.json": "Error",
};

/** One logged request's stages, each in a collapsible block (the error open when there is one). */
export function LogDetailView({ id, onClose }: { id: string; onClose: () => void }) {
  const resource = useResource(() => fetchLog(id), [id]);
  return (
    <Card
      title={resource.data ? `${resource.data.model} · ${new Date(resource.data.ts).toLocaleString()}` : "Request stages"}
      actions={
        <Button small onClick={onClose}>
          Close
        </Button>
      }
    >
      <ResourceView resource={resource}>
        {(log) => (
          <div className="grid gap-2" role="group" aria-label="Request stages">
            {log.stages.map((stage, i) => (
              <details key={stage.name} className="rounded-md border border-slate-200" open={i === 0 || stage.name === "6_error.json"}>
                <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-600">
                  <code className="text-xs">{stage.name}</code>
                  <span className="ml-2 text-slate-500">{STAGE_LABELS[stage.name] ?? ""}</span>
                </summary>
                <div className="px-3 pb-3">
                  <CodeBlock code={stage.content} label={stage.name} />
                </div>
              </details>
            ))}
          </div>
        )}
      </ResourceView>
    </Card>
  );
}
