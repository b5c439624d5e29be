// Shapes of the management API's JSON (see shared/src/http/admin/ and shared/src/store/).

export interface AuthStatus {
  authenticated: boolean;
  mustChangePassword: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  key_prefix: string;
  enabled: boolean;
  created_at: number;
}

export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface ProviderSpec {
  id: string;
  alias: string;
  name: string;
  format: string;
  base_url?: string;
  default_models: string[];
}

export interface Connection {
  id: string;
  provider: string;
  name: string;
  auth_type: string;
  base_url: string | null;
  priority: number;
  enabled: boolean;
  models: string[] | null;
  created_at: number;
  /** OAuth accounts: "active", or "needs_reauth" when the login must be redone. */
  status?: string;
  /** OAuth accounts: when the access token expires (ms). */
  expiresAt?: number | null;
  /** When the router reports cool-downs: until when the account rests (ms). */
  cooldown_until?: number | null;
}

export interface ProvidersResponse {
  providers: ProviderSpec[];
  connections: Connection[];
}

export type OAuthFlowKind = "auth_code" | "device_code" | "import";

/** One row of `/api/providers/catalog`. */
export interface CatalogEntry {
  id: string;
  alias: string;
  name: string;
  format: string;
  auth: "api_key" | "oauth";
  flows: OAuthFlowKind[];
  notice: string | null;
  defaultModels: string[];
}

export type OAuthStart =
  | { flowId: string; kind: "auth_code"; authorizeUrl: string; expiresAt: number | string }
  | {
      flowId: string;
      kind: "device_code";
      userCode: string;
      verificationUri: string;
      verificationUriComplete?: string;
      intervalSecs: number;
      expiresAt: number | string;
    };

export interface OAuthPoll {
  status: "pending" | "slow_down" | "complete" | "expired" | "denied";
  connection?: Connection;
}

export interface ConnectionTest {
  ok: boolean;
  status?: number;
  message: string;
  latencyMs: number;
}

export interface Combo {
  id: string;
  name: string;
  models: string[];
  created_at: number;
}

export interface Alias {
  alias: string;
  target: string;
  created_at: number;
}

export type RoutingStrategy = "fill-first" | "round-robin";

/** Settings as the router returns them; unknown keys are kept and shown only when understood. */
export interface Settings {
  routing_strategy: RoutingStrategy;
  sticky_round_robin_limit: number;
  usage_retention_days: number;
  session_affinity: boolean;
  require_api_key?: boolean;
  request_logs?: boolean;
  caching?: boolean;
  [key: string]: unknown;
}

export type UsageDimension = "model" | "provider" | "account" | "key";

export interface UsageBucket {
  bucket: number;
  key: string | null;
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  /** Estimated USD of the requests whose model has a price; null when none has. */
  cost_usd: number | null;
  /** Requests whose model has no price (left out of `cost_usd`). */
  unpriced_requests: number;
}

export interface UsageTotalsResponse {
  requests: number;
  cost_usd: number | null;
  unpriced_requests: number;
}

export interface UsageSummary {
  since: number;
  bucket_ms: number;
  buckets: UsageBucket[];
  totals?: UsageTotalsResponse;
}

export interface UsageRow {
  id: number;
  ts: number;
  api_key_id: string | null;
  provider: string | null;
  connection_id: string | null;
  requested_model: string | null;
  routed_model: string | null;
  inbound_format: string | null;
  upstream_format: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_write_tokens: number | null;
  reasoning_tokens: number | null;
  ttfb_ms: number | null;
  total_ms: number | null;
  status: number | null;
  error_class: string | null;
  streamed: number | boolean | null;
  combo: string | null;
  /** Estimated USD; null when the model has no price. */
  cost_usd?: number | null;
  /** The price-table key or override that priced it. */
  price_key?: string | null;
  /** "api_equivalent" for subscription providers (priced at the model's API rate). */
  cost_basis?: "api" | "api_equivalent";
}

/** USD per 1M tokens. */
export interface Price {
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
}

export interface PriceEntry extends Price {
  model: string;
  source: "built_in" | "override";
  /** For an override of a built-in model: the built-in price it replaces. */
  built_in?: Price;
  updated_at?: number;
}

export interface PricesResponse {
  prices: PriceEntry[];
  subscription_providers: string[];
}

export interface Cooldown {
  /** Model, or "*" for every model of the account. */
  model: string;
  until_ms: number;
  remaining_ms: number;
  reason: "rate_limited" | "auth_failed" | "server_error" | "unreachable";
  consecutive_failures: number;
}

export interface ConnectionStatus {
  id: string;
  provider: string;
  name: string;
  enabled: boolean;
  needs_reauth: boolean;
  state: "disabled" | "needs_reauth" | "cooling" | "ready";
  cooldowns: Cooldown[];
  routing_error?: string;
}

export interface StatusResponse {
  now_ms: number;
  connections: ConnectionStatus[];
}
