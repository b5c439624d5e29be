//! Router settings: one JSON value per key, read as a typed [`Settings`] with defaults for missing keys.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{row, Repository, StoreError};
use crate::platform::SqlValue;

/// How accounts of a provider are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoutingStrategy {
    /// Always the highest-priority healthy account (the seed's default).
    #[default]
    FillFirst,
    /// Rotate through healthy accounts.
    RoundRobin,
}

/// Every setting, with its default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Account selection.
    pub routing_strategy: RoutingStrategy,
    /// With round-robin: how many consecutive requests stay on one account before moving on (≥ 1).
    pub sticky_round_robin_limit: u32,
    /// Usage records older than this many days are deleted (0 keeps them forever).
    pub usage_retention_days: u32,
    /// Keep each conversation on the account that served it (prompt caches keep hitting).
    pub session_affinity: bool,
    /// Place Claude prompt-cache breakpoints on Anthropic-format upstream requests that carry none.
    pub prompt_caching: bool,
    /// Refuse `/v1/*` requests without a valid client key (the seed's `requireApiKey`). When off, a request
    /// without a known key is served as the local user. Always on when the native server is bound to a
    /// non-loopback address.
    pub require_api_key: bool,
    /// Log every request's stages (client request, upstream request and response, client response, error),
    /// redacted; also on when `ENABLE_REQUEST_LOGS=true`.
    pub request_logs: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            routing_strategy: RoutingStrategy::FillFirst,
            sticky_round_robin_limit: 1,
            usage_retention_days: 90,
            session_affinity: true,
            prompt_caching: true,
            require_api_key: true,
            request_logs: false,
        }
    }
}

impl Settings {
    /// Checks values that serde's types cannot.
    ///
    /// # Errors
    /// A message naming the offending setting.
    pub fn validate(&self) -> Result<(), String> {
        if self.sticky_round_robin_limit == 0 || self.sticky_round_robin_limit > 1000 {
            return Err("`sticky_round_robin_limit` must be between 1 and 1000".into());
        }
        if self.usage_retention_days > 3650 {
            return Err("`usage_retention_days` must be at most 3650 (0 keeps usage forever)".into());
        }
        Ok(())
    }
}

impl Repository {
    /// The current settings (defaults for anything never set; unknown stored keys are ignored).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn settings(&self) -> Result<Settings, StoreError> {
        let rows = self.query_hot("SELECT key, value FROM settings", vec![]).await?;
        let mut object =
            serde_json::to_value(Settings::default()).ok().and_then(|v| v.as_object().cloned()).unwrap_or_default();
        for r in rows.iter() {
            let key = row::text(r, "key")?;
            if object.contains_key(&key) {
                if let Ok(value) = serde_json::from_str::<Value>(&row::text(r, "value")?) {
                    object.insert(key, value);
                }
            }
        }
        serde_json::from_value(Value::Object(object))
            .map_err(|e| StoreError::Malformed(format!("stored settings: {e}")))
    }

    /// Writes every key of `settings` (already validated).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn save_settings(&self, settings: &Settings, now_ms: i64) -> Result<(), StoreError> {
        let object: Map<String, Value> =
            serde_json::to_value(settings).ok().and_then(|v| v.as_object().cloned()).unwrap_or_default();
        for (key, value) in object {
            self.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3) \
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                vec![key.into(), value.to_string().into(), SqlValue::Integer(now_ms)],
            )
            .await?;
        }
        Ok(())
    }
}
