//! `9router export`: our data in the seed's `db.json` shape. Secrets (upstream API keys, client key hashes) only
//! when asked for; client keys are stored hashed here, so the seed itself cannot use exported keys (our
//! `import` can, from `keyHash`).

use serde_json::{json, Map, Value};

use super::iso_time::format_ms;
use super::TransferError;
use crate::oauth::{Credentials, TokenCipher};
use crate::providers::{CustomFormat, CustomProvider};
use crate::store::{Repository, RoutingStrategy};

/// The export and the notes about what it leaves out.
///
/// # Errors
/// [`TransferError::Store`] when the database fails.
pub async fn export(
    repo: &Repository,
    include_secrets: bool,
    cipher: &TokenCipher,
) -> Result<(Value, Vec<String>), TransferError> {
    let mut notes = Vec::new();
    let mut tokens = Vec::new();
    if include_secrets {
        for c in repo.list_connections().await?.iter().filter(|c| c.auth_type == "oauth") {
            let stored = repo.oauth_tokens(&c.id).await?;
            let opened = stored.and_then(|t| cipher.open(&t.sealed).ok());
            match opened.and_then(|plain| serde_json::from_slice::<Credentials>(&plain).ok()) {
                Some(credentials) => tokens.push((c.id.clone(), credentials)),
                None => notes.push(format!("OAuth account \"{}\": tokens could not be read (other key?)", c.name)),
            }
        }
    }
    let connections: Vec<Value> = repo
        .list_connections()
        .await?
        .into_iter()
        .map(|c| {
            let mut entry = json!({
                "id": c.id,
                "provider": c.provider,
                "authType": if c.auth_type == "oauth" { "oauth" } else { "apikey" },
                "name": c.name,
                "priority": c.priority,
                "isActive": c.enabled,
                "createdAt": format_ms(c.created_at),
                "updatedAt": format_ms(c.created_at),
            });
            let mut specific = Map::new();
            if let Some(base_url) = c.base_url {
                specific.insert("baseUrl".into(), base_url.into());
            }
            if let Some(models) = c.models {
                specific.insert("models".into(), models.into());
            }
            if !specific.is_empty() {
                entry["providerSpecificData"] = Value::Object(specific);
            }
            if let (true, Some(key)) = (include_secrets, c.api_key) {
                entry["apiKey"] = key.into();
            }
            if let Some((_, credentials)) = tokens.iter().find(|(id, _)| *id == c.id) {
                entry["accessToken"] = credentials.access_token.clone().into();
                if let Some(refresh) = &credentials.refresh_token {
                    entry["refreshToken"] = refresh.clone().into();
                }
                if let Some(email) = &credentials.email {
                    entry["email"] = email.clone().into();
                }
                if let Some(expires) = credentials.expires_at_ms.and_then(|e| i64::try_from(e).ok()) {
                    entry["expiresAt"] = format_ms(expires).into();
                }
            }
            entry
        })
        .collect();
    if !include_secrets {
        notes.push("upstream API keys left out (use --include-secrets to export them)".to_owned());
    }
    if !include_secrets && connections.iter().any(|c| c["authType"] == "oauth") {
        notes.push("OAuth accounts exported without tokens (use --include-secrets to export them)".to_owned());
    }

    let hashes = if include_secrets { repo.api_key_hashes().await? } else { Vec::new() };
    let api_keys: Vec<Value> = repo
        .list_api_keys()
        .await?
        .into_iter()
        .map(|k| {
            let mut entry = json!({
                "id": k.id,
                "name": k.name,
                "keyPrefix": k.key_prefix,
                "isActive": k.enabled,
                "createdAt": format_ms(k.created_at),
            });
            if let Some((_, hash)) = hashes.iter().find(|(id, _)| *id == k.id) {
                entry["keyHash"] = hash.clone().into();
            }
            entry
        })
        .collect();
    if !api_keys.is_empty() {
        notes.push(if include_secrets {
            "client keys are stored hashed: exported as `keyHash` (this router's import restores them; the JS \
             9router cannot use them)"
                .to_owned()
        } else {
            "client keys left out (stored hashed; use --include-secrets to export the hashes)".to_owned()
        });
    }

    let combos: Vec<Value> = repo
        .list_combos()
        .await?
        .into_iter()
        .map(|c| {
            json!({ "id": c.id, "name": c.name, "models": c.models,
                    "createdAt": format_ms(c.created_at), "updatedAt": format_ms(c.created_at) })
        })
        .collect();
    let aliases: Map<String, Value> =
        repo.list_aliases().await?.into_iter().map(|a| (a.alias, Value::String(a.target))).collect();
    let settings = repo.settings().await?;
    let strategy = match settings.routing_strategy {
        RoutingStrategy::FillFirst => "fill-first",
        RoutingStrategy::RoundRobin => "round-robin",
    };
    let nodes: Vec<Value> = repo.custom_providers().await?.iter().map(|p| node(p)).collect();
    let db = json!({
        "providerConnections": connections,
        "providerNodes": nodes,
        "proxyPools": [],
        "modelAliases": aliases,
        "mitmAlias": {},
        "combos": combos,
        "apiKeys": api_keys,
        "settings": {
            "fallbackStrategy": strategy,
            "stickyRoundRobinLimit": settings.sticky_round_robin_limit,
            "requireApiKey": settings.require_api_key,
            "usageRetentionDays": settings.usage_retention_days,
            "sessionAffinity": settings.session_affinity,
            "promptCaching": settings.prompt_caching,
        },
        "pricing": {},
    });
    Ok((db, notes))
}

/// A custom provider as the seed's provider node; `chatPath`, `headers` and `models` are our own extensions
/// (the seed ignores them, our import reads them back).
fn node(p: &CustomProvider) -> Value {
    let (kind, api_type) = match p.format {
        CustomFormat::Openai => ("openai-compatible", "chat"),
        CustomFormat::Responses => ("openai-compatible", "responses"),
        CustomFormat::Anthropic => ("anthropic-compatible", "anthropic"),
    };
    let headers: Map<String, Value> = p.headers.iter().map(|(n, v)| (n.clone(), Value::String(v.clone()))).collect();
    json!({
        "id": p.id,
        "type": kind,
        "name": p.name,
        "prefix": p.prefix,
        "apiType": api_type,
        "baseUrl": p.base_url,
        "chatPath": p.chat_path,
        "headers": headers,
        "models": p.models,
        "createdAt": format_ms(p.created_at),
        "updatedAt": format_ms(p.created_at),
    })
}
