import { useState } from "react";
import { PageHeader } from "../../components/PageHeader";
import { Card } from "../../components/Card";
import { CodeBlock } from "../../components/CodeBlock";
import { CopyButton } from "../../components/CopyButton";
import { Link } from "../../router/router";
import { EndpointModels } from "./EndpointModels";
import { ClientTabs } from "./ClientTabs";
import { KEY_PLACEHOLDER } from "./snippets";

/** Where clients point and how to set each one up. */
export function EndpointPage() {
  const origin = window.location.origin;
  const [model, setModel] = useState("provider/model");
  return (
    <>
      <PageHeader title="Endpoint" description="One endpoint for every provider: OpenAI Chat, Responses, Anthropic Messages and Gemini formats." />
      <div className="grid gap-6">
        <Card title="Base URL">
          <div className="flex flex-wrap items-center gap-3">
            <code data-testid="base-url" className="rounded bg-slate-100 px-2 py-1 text-sm">
              {origin}/v1
            </code>
            <CopyButton text={`${origin}/v1`} label="Copy URL" />
          </div>
          <p className="mt-3 text-sm text-slate-600">
            Clients authenticate with an API key from <Link to="/keys" className="text-indigo-700 underline">API keys</Link> (replace{" "}
            <code>{KEY_PLACEHOLDER}</code> below) and name models as <code>provider/model</code>, a combo or an alias.
          </p>
        </Card>
        <EndpointModels model={model} onPick={setModel} />
        <Card title="Set up your tools">
          <ClientTabs origin={origin} model={model} />
        </Card>
        <Card title="Check it works">
          <CodeBlock code={`curl ${origin}/v1/models -H "Authorization: Bearer ${KEY_PLACEHOLDER}"`} label="List models" />
        </Card>
      </div>
    </>
  );
}
