import { PageHeader } from "../../components/PageHeader";
import { Card } from "../../components/Card";
import { EmptyState } from "../../components/EmptyState";
import { Link } from "../../router/router";

/** Request logs. The router has no request-log API yet, so this says so and points to Usage. */
export function LogsPage() {
  return (
    <>
      <PageHeader title="Logs" description="Full request and response bodies, when request logging is on." />
      <Card>
        <EmptyState title="Request logging is off / not available">
          This router does not keep request logs yet. Every request&apos;s model, status, latency and tokens are on the{" "}
          <Link to="/usage" className="text-indigo-700 underline">
            Usage
          </Link>{" "}
          page.
        </EmptyState>
      </Card>
    </>
  );
}
