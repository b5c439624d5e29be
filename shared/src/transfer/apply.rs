//! Writes an [`ImportPlan`] through the [`Repository`], idempotently: connections by id, API keys by hash (a
//! seed key regenerated under the same id replaces the old one), combos by id or name, aliases by name.

use serde_json::Value;

use super::{ImportPlan, TransferError};
use crate::oauth::TokenCipher;
use crate::platform::Random;
use crate::store::{Repository, Settings};

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// `(entity, created, updated or unchanged)` counts, in a fixed order.
    pub counts: Vec<(&'static str, usize, usize)>,
    /// Settings written (our names).
    pub settings: Vec<String>,
    /// Problems met while writing (also not imported).
    pub failed: Vec<String>,
}

/// Applies `plan` to `repo`; OAuth tokens are sealed with `cipher` (the router's token key).
///
/// # Errors
/// [`TransferError::Store`] when the database fails.
pub async fn apply_import(
    repo: &Repository,
    plan: &ImportPlan,
    cipher: &TokenCipher,
    random: &dyn Random,
    now_ms: i64,
) -> Result<Applied, TransferError> {
    let mut applied = Applied::default();

    let (mut created, mut updated) = (0, 0);
    let mut skipped_providers = Vec::new();
    let existing = repo.custom_providers().await?;
    for custom in &plan.custom_providers {
        if existing.iter().any(|c| c.prefix == custom.prefix && c.id != custom.id) {
            applied.failed.push(format!(
                "custom provider \"{}\": another custom provider already has the prefix `{}`; its connections were skipped",
                custom.name, custom.prefix
            ));
            skipped_providers.push(custom.id.as_str());
            continue;
        }
        if existing.iter().any(|c| c.id == custom.id) {
            updated += 1;
        } else {
            created += 1;
        }
        repo.put_custom_provider(custom, now_ms).await?;
    }
    applied.counts.push(("custom providers", created, updated));

    let (mut created, mut updated) = (0, 0);
    for connection in plan.connections.iter().filter(|c| !skipped_providers.contains(&c.provider.as_str())) {
        if repo.connection(&connection.id).await?.is_some() {
            repo.update_connection(connection, now_ms).await?;
            updated += 1;
        } else {
            repo.insert_connection(connection).await?;
            created += 1;
        }
    }
    applied.counts.push(("provider connections", created, updated));

    for (connection_id, credentials) in &plan.oauth_tokens {
        match crate::oauth::broker::seal(cipher, random, credentials) {
            Ok(sealed) => {
                let expires = credentials.expires_at_ms.and_then(|e| i64::try_from(e).ok());
                repo.put_oauth_tokens(connection_id, &sealed, expires, now_ms).await?;
            }
            Err(_) => applied.failed.push(format!("connection {connection_id}: OAuth tokens could not be sealed")),
        }
    }
    applied.counts.push(("OAuth token sets", plan.oauth_tokens.len(), 0));

    let (mut created, mut kept) = (0, 0);
    let existing = repo.list_api_keys().await?;
    for (record, hash) in &plan.api_keys {
        if repo.api_key_by_hash(hash).await?.is_some() {
            kept += 1;
            continue;
        }
        if existing.iter().any(|k| k.id == record.id) {
            repo.delete_api_key(&record.id).await?;
        }
        repo.insert_api_key(record, hash).await?;
        created += 1;
    }
    applied.counts.push(("API keys", created, kept));

    let (mut created, mut updated) = (0, 0);
    let existing = repo.list_combos().await?;
    for combo in &plan.combos {
        let same =
            existing.iter().find(|c| c.id == combo.id).or_else(|| existing.iter().find(|c| c.name == combo.name));
        if let Some(same) = same {
            let clash = existing.iter().any(|c| c.name == combo.name && c.id != same.id);
            if clash {
                applied.failed.push(format!("combo \"{}\": another combo already has that name", combo.name));
                continue;
            }
            repo.update_combo(&same.id, &combo.name, &combo.models, now_ms).await?;
            updated += 1;
        } else {
            repo.insert_combo(combo).await?;
            created += 1;
        }
    }
    applied.counts.push(("combos", created, updated));

    let (mut created, mut updated) = (0, 0);
    for alias in &plan.aliases {
        if repo.alias_target(&alias.alias).await?.is_some() {
            updated += 1;
        } else {
            created += 1;
        }
        repo.put_alias(alias).await?;
    }
    applied.counts.push(("model aliases", created, updated));

    if !plan.settings.is_empty() {
        let mut merged =
            serde_json::to_value(repo.settings().await?).ok().and_then(|v| v.as_object().cloned()).unwrap_or_default();
        merged.extend(plan.settings.clone());
        match serde_json::from_value::<Settings>(Value::Object(merged)) {
            Ok(settings) if settings.validate().is_ok() => {
                repo.save_settings(&settings, now_ms).await?;
                applied.settings = plan.settings.keys().cloned().collect();
            }
            _ => applied.failed.push("settings: the imported values are not valid here".to_owned()),
        }
    }
    Ok(applied)
}
