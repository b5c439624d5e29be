// Set-up snippets for common clients, given the router's base URL. Client facts: Claude Code reads
// ANTHROPIC_BASE_URL / ANTHROPIC_AUTH_TOKEN / ANTHROPIC_MODEL and calls /v1/messages; Codex CLI takes a custom
// provider in ~/.codex/config.toml with `wire_api = "responses"` (calls /v1/responses); Cursor and Cline take an
// OpenAI-compatible base URL ending in /v1.

export interface Snippet {
  id: string;
  client: string;
  note: string;
  code: string;
}

export const KEY_PLACEHOLDER = "YOUR_9ROUTER_KEY";

export function snippets(origin: string, model: string): Snippet[] {
  const v1 = `${origin}/v1`;
  return [
    {
      id: "claude-code",
      client: "Claude Code",
      note: "Set these before starting `claude` (e.g. in your shell profile).",
      code: `export ANTHROPIC_BASE_URL="${origin}"\nexport ANTHROPIC_AUTH_TOKEN="${KEY_PLACEHOLDER}"\nexport ANTHROPIC_MODEL="${model}"\nclaude`,
    },
    {
      id: "codex",
      client: "Codex CLI",
      note: "Add to ~/.codex/config.toml, then export NINEROUTER_API_KEY before running `codex`.",
      code: `model = "${model}"\nmodel_provider = "9router"\n\n[model_providers.9router]\nname = "9router"\nbase_url = "${v1}"\nenv_key = "NINEROUTER_API_KEY"\nwire_api = "responses"`,
    },
    {
      id: "cursor",
      client: "Cursor",
      note: "Settings → Models: enable “OpenAI API Key”, paste your key, turn on “Override OpenAI Base URL” and add the model name. Cursor calls from its own servers, so the router must be reachable from the internet (a deployed Worker or a tunnel), not only on localhost.",
      code: `Base URL: ${v1}\nAPI key:  ${KEY_PLACEHOLDER}\nModel:    ${model}`,
    },
    {
      id: "cline",
      client: "Cline",
      note: "Settings → API Provider “OpenAI Compatible”.",
      code: `Base URL: ${v1}\nAPI Key:  ${KEY_PLACEHOLDER}\nModel ID: ${model}`,
    },
    {
      id: "curl",
      client: "curl",
      note: "Any OpenAI-compatible client works the same way.",
      code: `curl ${v1}/chat/completions \\\n  -H "Authorization: Bearer ${KEY_PLACEHOLDER}" \\\n  -H "Content-Type: application/json" \\\n  -d '{"model": "${model}", "messages": [{"role": "user", "content": "Hello"}]}'`,
    },
  ];
}
