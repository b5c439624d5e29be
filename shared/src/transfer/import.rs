//! The pure half of `9router import`: the seed's `db.json` → our store records, plus a list of everything not
//! carried over. Field names are the seed's (`src/lib/localDb.js`: `createProviderConnection`, `createApiKey`,
//! `createCombo`, `setModelAlias`, `updateSettings`); a few `*Hash`/`models` extensions are our own export's.

use serde_json::{Map, Value};

use super::iso_time;
use super::TransferError;
use crate::auth::client_keys;
use crate::oauth::providers::Refresh;
use crate::oauth::Credentials;
use crate::providers::{self, CustomProvider};
use crate::store::{Alias, ApiKeyRecord, Combo, Connection};

/// What an import will write, and what it will not.
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    /// Provider connections (accounts), with the seed's ids.
    pub connections: Vec<Connection>,
    /// Client keys and their SHA-256 hashes.
    pub api_keys: Vec<(ApiKeyRecord, String)>,
    /// Combos.
    pub combos: Vec<Combo>,
    /// Model aliases.
    pub aliases: Vec<Alias>,
    /// Custom providers (the seed's `providerNodes`), written before the connections that use them.
    pub custom_providers: Vec<CustomProvider>,
    /// OAuth credentials of imported OAuth connections, by connection id (sealed when applied).
    pub oauth_tokens: Vec<(String, Credentials)>,
    /// Settings to change, in our names (merged over the current settings).
    pub settings: Map<String, Value>,
    /// One line per thing not imported (entity or field), with the reason. Never contains a secret value.
    pub not_imported: Vec<String>,
}

/// Top-level keys this import reads.
const HANDLED: [&str; 6] = ["providerNodes", "providerConnections", "apiKeys", "combos", "modelAliases", "settings"];

/// Maps the seed's `db.json` (already parsed) to an [`ImportPlan`]. `now_ms` stands in for missing dates.
///
/// # Errors
/// [`TransferError::NotSeedDb`] when the top level is not an object.
pub fn plan_import(db: &Value, now_ms: i64) -> Result<ImportPlan, TransferError> {
    let db = db.as_object().ok_or_else(|| TransferError::NotSeedDb("the top level is not a JSON object".into()))?;
    let mut plan = ImportPlan::default();
    for (index, entry) in array(db, "providerNodes", &mut plan).iter().enumerate() {
        super::import_nodes::node(index, entry, now_ms, &mut plan);
    }
    for (index, entry) in array(db, "providerConnections", &mut plan).iter().enumerate() {
        connection(index, entry, now_ms, &mut plan);
    }
    for (index, entry) in array(db, "apiKeys", &mut plan).iter().enumerate() {
        api_key(index, entry, now_ms, &mut plan);
    }
    for (index, entry) in array(db, "combos", &mut plan).iter().enumerate() {
        combo(index, entry, now_ms, &mut plan);
    }
    aliases(db.get("modelAliases"), now_ms, &mut plan);
    settings(db.get("settings"), &mut plan);
    for (key, value) in db {
        if !HANDLED.contains(&key.as_str()) && !is_empty(value) {
            plan.not_imported.push(format!("`{key}` ({}): {}", size(value), top_level_reason(key)));
        }
    }
    Ok(plan)
}

fn top_level_reason(key: &str) -> &'static str {
    match key {
        "proxyPools" => "outbound proxies are not supported",
        "pricing" => "price overrides are not imported; edit prices in the dashboard",
        "mitmAlias" => "MITM aliases are not supported",
        _ => "unknown to this importer",
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

fn size(value: &Value) -> String {
    match value {
        Value::Array(a) => format!("{} entries", a.len()),
        Value::Object(o) => format!("{} keys", o.len()),
        _ => "a value".to_owned(),
    }
}

/// `db[key]` as an array; anything else is reported.
fn array<'a>(db: &'a Map<String, Value>, key: &str, plan: &mut ImportPlan) -> &'a [Value] {
    match db.get(key) {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => &[],
        Some(_) => {
            plan.not_imported.push(format!("`{key}`: not an array"));
            &[]
        }
    }
}

pub(super) fn text<'a>(entry: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    entry.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

pub(super) fn date(entry: &Map<String, Value>, key: &str, now_ms: i64) -> i64 {
    entry.get(key).and_then(|v| v.as_str().and_then(iso_time::parse_ms).or_else(|| v.as_i64())).unwrap_or(now_ms)
}

/// Reports the fields of `entry` that are not in `mapped` (names only: values may be secrets).
pub(super) fn leftover_fields(label: &str, entry: &Map<String, Value>, mapped: &[&str], plan: &mut ImportPlan) {
    let left: Vec<&str> =
        entry.iter().filter(|(k, v)| !mapped.contains(&k.as_str()) && !v.is_null()).map(|(k, _)| k.as_str()).collect();
    if !left.is_empty() {
        plan.not_imported.push(format!("{label}: fields not imported: {}", left.join(", ")));
    }
}

const CONNECTION_FIELDS: [&str; 11] = [
    "id",
    "provider",
    "authType",
    "name",
    "displayName",
    "email",
    "priority",
    "isActive",
    "apiKey",
    "createdAt",
    "updatedAt",
];

fn connection(index: usize, entry: &Value, now_ms: i64, plan: &mut ImportPlan) {
    let Some(entry) = entry.as_object() else {
        plan.not_imported.push(format!("providerConnections[{index}]: not an object"));
        return;
    };
    let seed_provider = text(entry, "provider").unwrap_or("?");
    let name = text(entry, "name").or_else(|| text(entry, "displayName")).or_else(|| text(entry, "email"));
    let label = format!("providerConnections[{index}] ({seed_provider} \"{}\")", name.unwrap_or("unnamed"));
    let custom = plan.custom_providers.iter().find(|c| c.id == seed_provider).map(|c| (c.id.clone(), c.name.clone()));
    let (provider_id, provider_name) = match (providers::find(seed_provider), custom) {
        (Some(spec), _) => (spec.id.to_owned(), spec.name.to_owned()),
        (None, Some(custom)) => custom,
        (None, None) => {
            plan.not_imported.push(format!("{label}: provider `{seed_provider}` is not supported by this router"));
            return;
        }
    };
    let oauth = text(entry, "authType") == Some("oauth");
    let api_key = text(entry, "apiKey").map(str::to_owned);
    if !oauth && api_key.is_none() {
        plan.not_imported.push(format!("{label}: API-key connection without an `apiKey`"));
        return;
    }
    let mut mapped = CONNECTION_FIELDS.to_vec();
    let (base_url, models) = provider_specific(&label, entry, &mut mapped, plan);
    let mut credentials = if oauth { oauth_credentials(&provider_id, entry) } else { None };
    let metadata = seed_account_facts(entry, credentials.as_mut(), &mut mapped);
    if credentials.is_some() {
        mapped.extend(["accessToken", "refreshToken", "expiresAt", "tokenType", "expiresIn"]);
    } else if oauth {
        plan.not_imported.push(format!(
            "{label}: OAuth tokens not usable here (missing, or a provider whose tokens need a new sign-in); \
             imported disabled: sign in again in the dashboard"
        ));
    }
    leftover_fields(&label, entry, &mapped, plan);
    let id = text(entry, "id").map_or_else(|| derived_id("conn", &[&provider_id, name.unwrap_or("")]), str::to_owned);
    let usable_oauth = credentials.is_some();
    if let Some(credentials) = credentials {
        plan.oauth_tokens.push((id.clone(), credentials));
    }
    plan.connections.push(Connection {
        id,
        provider: provider_id,
        name: name.map_or(provider_name, str::to_owned),
        auth_type: if oauth { "oauth" } else { "api_key" }.to_owned(),
        api_key: if oauth { None } else { api_key },
        base_url,
        priority: entry.get("priority").and_then(Value::as_i64).unwrap_or(0),
        enabled: (!oauth || usable_oauth) && entry.get("isActive").and_then(Value::as_bool).unwrap_or(true),
        models,
        metadata,
        created_at: date(entry, "createdAt", now_ms),
    });
}

/// The seed's token fields (`accessToken`, `refreshToken`, `expiresAt` as an ISO string) as our credentials, for
/// providers with an OAuth entry here whose tokens work as stored (not Copilot, whose token needs an exchange).
fn oauth_credentials(provider: &str, entry: &Map<String, Value>) -> Option<Credentials> {
    let oauth = crate::oauth::providers::find(provider).filter(|o| o.refresh != Refresh::CopilotExchange)?;
    let mut credentials = Credentials::from_import(oauth, &Value::Object(entry.clone()))?;
    if credentials.expires_at_ms.is_none() {
        credentials.expires_at_ms =
            text(entry, "expiresAt").and_then(iso_time::parse_ms).and_then(|ms| u64::try_from(ms).ok());
    }
    credentials.email = text(entry, "email").map(str::to_owned);
    Some(credentials)
}

/// The account facts 9router keeps beside the tokens (notes/providers.md "Common behaviour in 9router", "kr —
/// Auth"): Google's top-level `projectId`; Kiro's `providerSpecificData.{profileArn, region, authMethod}` and its
/// OIDC client (`clientId`, `clientSecret`), which refreshes need.
const ACCOUNT_FACT_KEYS: &[&str] = &["profileArn", "region", "authMethod", "clientId", "clientSecret", "startUrl"];

/// Our connection metadata from those facts (the keys quirks read: `project_id`, `profile_arn`, `region`,
/// `auth_method`); Kiro's client goes into the credentials.
fn seed_account_facts(
    entry: &Map<String, Value>,
    credentials: Option<&mut Credentials>,
    mapped: &mut Vec<&'static str>,
) -> Option<Map<String, Value>> {
    let mut metadata = Map::new();
    if let Some(project) = text(entry, "projectId") {
        mapped.push("projectId");
        metadata.insert("project_id".into(), Value::String(project.to_owned()));
    }
    let data = entry.get("providerSpecificData").and_then(Value::as_object);
    let fact = |key: &str| data.and_then(|d| text(d, key)).map(str::to_owned);
    for (from, to) in [("profileArn", "profile_arn"), ("region", "region"), ("authMethod", "auth_method")] {
        if let Some(value) = fact(from) {
            metadata.insert(to.into(), Value::String(value));
        }
    }
    if let Some(credentials) = credentials {
        if let (Some(id), Some(secret)) = (fact("clientId"), fact("clientSecret")) {
            credentials.oidc_client_id = Some(id);
            credentials.oidc_client_secret = Some(secret);
            credentials.region = fact("region");
        }
    }
    (!metadata.is_empty()).then_some(metadata)
}

/// `providerSpecificData.baseUrl` and `.models` (our export's); other keys are reported.
fn provider_specific(
    label: &str,
    entry: &Map<String, Value>,
    mapped: &mut Vec<&'static str>,
    plan: &mut ImportPlan,
) -> (Option<String>, Option<Vec<String>>) {
    let Some(data) = entry.get("providerSpecificData").and_then(Value::as_object) else {
        return (None, None);
    };
    mapped.push("providerSpecificData");
    let base_url = text(data, "baseUrl").map(str::to_owned);
    let models = data
        .get("models")
        .and_then(Value::as_array)
        .map(|m| m.iter().filter_map(Value::as_str).map(str::to_owned).collect::<Vec<_>>());
    // `prefix` and `apiType` repeat the custom provider node's own (seed connections on nodes carry them).
    leftover_fields(
        &format!("{label} providerSpecificData"),
        data,
        &[&["baseUrl", "models", "prefix", "apiType"][..], ACCOUNT_FACT_KEYS].concat(),
        plan,
    );
    (base_url, models)
}

/// A stable id for an entry the seed stored without one (so a second import finds it again).
fn derived_id(kind: &str, parts: &[&str]) -> String {
    format!("{kind}-{}", &client_keys::hash_key(&parts.join("\u{1f}"))[..24])
}

fn api_key(index: usize, entry: &Value, now_ms: i64, plan: &mut ImportPlan) {
    let Some(entry) = entry.as_object() else {
        plan.not_imported.push(format!("apiKeys[{index}]: not an object"));
        return;
    };
    let name = text(entry, "name").unwrap_or("imported key");
    let label = format!("apiKeys[{index}] (\"{name}\")");
    let (hash, prefix) = match (text(entry, "key"), text(entry, "keyHash")) {
        (Some(key), _) => (client_keys::hash_key(key), format!("{}…", key.chars().take(10).collect::<String>())),
        (None, Some(hash)) if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            (hash.to_ascii_lowercase(), text(entry, "keyPrefix").unwrap_or("imported…").to_owned())
        }
        _ => {
            plan.not_imported.push(format!("{label}: no `key` (exported without secrets?)"));
            return;
        }
    };
    leftover_fields(&label, entry, &["id", "name", "key", "keyHash", "keyPrefix", "isActive", "createdAt"], plan);
    let id = text(entry, "id").map_or_else(|| derived_id("key", &[&hash]), str::to_owned);
    plan.api_keys.push((
        ApiKeyRecord {
            id,
            name: name.to_owned(),
            key_prefix: prefix,
            enabled: entry.get("isActive").and_then(Value::as_bool).unwrap_or(true),
            created_at: date(entry, "createdAt", now_ms),
        },
        hash,
    ));
}

fn combo(index: usize, entry: &Value, now_ms: i64, plan: &mut ImportPlan) {
    let Some(entry) = entry.as_object() else {
        plan.not_imported.push(format!("combos[{index}]: not an object"));
        return;
    };
    let Some(name) = text(entry, "name") else {
        plan.not_imported.push(format!("combos[{index}]: no `name`"));
        return;
    };
    let label = format!("combos[{index}] (\"{name}\")");
    let items = entry.get("models").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let models: Vec<String> = items.iter().filter_map(Value::as_str).map(str::to_owned).collect();
    if models.len() != items.len() {
        plan.not_imported.push(format!("{label}: {} model entries that are not strings", items.len() - models.len()));
    }
    if models.is_empty() {
        plan.not_imported.push(format!("{label}: no models"));
        return;
    }
    leftover_fields(&label, entry, &["id", "name", "models", "createdAt", "updatedAt"], plan);
    plan.combos.push(Combo {
        id: text(entry, "id").map_or_else(|| derived_id("combo", &[name]), str::to_owned),
        name: name.to_owned(),
        models,
        created_at: date(entry, "createdAt", now_ms),
    });
}

fn aliases(value: Option<&Value>, now_ms: i64, plan: &mut ImportPlan) {
    let Some(map) = value.and_then(Value::as_object) else {
        if value.is_some_and(|v| !v.is_null()) {
            plan.not_imported.push("`modelAliases`: not an object".to_owned());
        }
        return;
    };
    for (alias, target) in map {
        match target.as_str().map(str::trim).filter(|t| !t.is_empty()) {
            Some(target) if !alias.trim().is_empty() => {
                plan.aliases.push(Alias { alias: alias.clone(), target: target.to_owned(), created_at: now_ms });
            }
            _ => plan.not_imported.push(format!("modelAliases[\"{alias}\"]: not an alias → model string")),
        }
    }
}

/// Seed setting names → ours (the last three are our export's own, the seed ignores them).
const SETTINGS: [(&str, &str); 6] = [
    ("fallbackStrategy", "routing_strategy"),
    ("stickyRoundRobinLimit", "sticky_round_robin_limit"),
    ("requireApiKey", "require_api_key"),
    ("usageRetentionDays", "usage_retention_days"),
    ("sessionAffinity", "session_affinity"),
    ("promptCaching", "prompt_caching"),
];

fn settings(value: Option<&Value>, plan: &mut ImportPlan) {
    let Some(map) = value.and_then(Value::as_object) else {
        return;
    };
    let mut left = Vec::new();
    for (key, value) in map {
        match SETTINGS.iter().find(|(seed, _)| seed == key) {
            Some((_, ours)) if setting_value_ok(ours, value) => {
                plan.settings.insert((*ours).to_owned(), value.clone());
            }
            Some(_) => plan.not_imported.push(format!("settings.{key}: unsupported value {value}")),
            None if key == "password" => plan.not_imported.push(
                "settings.password: the dashboard password is not imported (log in with INITIAL_PASSWORD and set it again)"
                    .to_owned(),
            ),
            None => left.push(key.as_str()),
        }
    }
    if !left.is_empty() {
        plan.not_imported.push(format!("settings: not imported: {}", left.join(", ")));
    }
}

fn setting_value_ok(ours: &str, value: &Value) -> bool {
    match ours {
        "routing_strategy" => matches!(value.as_str(), Some("fill-first" | "round-robin")),
        "sticky_round_robin_limit" => value.as_u64().is_some_and(|n| (1..=1000).contains(&n)),
        "usage_retention_days" => value.as_u64().is_some_and(|n| n <= 3650),
        _ => value.is_boolean(),
    }
}
