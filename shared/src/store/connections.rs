//! Provider connections (accounts).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{row, Repository, StoreError};
use crate::platform::{Row, SqlValue};

/// A stored provider connection. `api_key` is the upstream secret: it is skipped when serialized, so it never
/// leaves through an API response or a log line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Connection {
    /// Connection id.
    pub id: String,
    /// Provider id from the provider table.
    pub provider: String,
    /// Display name.
    pub name: String,
    /// `api_key` or `oauth`.
    pub auth_type: String,
    /// Upstream secret.
    #[serde(skip)]
    pub api_key: Option<String>,
    /// Base URL override.
    pub base_url: Option<String>,
    /// Lower is tried first.
    pub priority: i64,
    /// Disabled connections are never tried.
    pub enabled: bool,
    /// Models this connection offers; `None` means the provider's defaults.
    pub models: Option<Vec<String>>,
    /// Provider-specific, non-secret account data read by the provider quirks (e.g. `project_id` for Code
    /// Assist, `chatgpt_account_id` for Codex, `profile_arn` for Kiro). Secrets never go here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Unix ms.
    pub created_at: i64,
}

/// Input for a new connection.
#[derive(Debug, Clone, Deserialize)]
pub struct NewConnection {
    /// Provider id or alias.
    pub provider: String,
    /// Display name (defaults to the provider's).
    #[serde(default)]
    pub name: Option<String>,
    /// Upstream API key.
    #[serde(default)]
    pub api_key: Option<String>,
    /// Base URL override.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Priority (lower first).
    #[serde(default)]
    pub priority: i64,
    /// Models offered.
    #[serde(default)]
    pub models: Option<Vec<String>>,
    /// Provider-specific account data (see [`Connection::metadata`]).
    #[serde(default)]
    pub metadata: Option<Map<String, Value>>,
}

/// Changes to a connection; absent fields stay as they are. `base_url` and `models` may be set to `null` to
/// return to the provider's defaults.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionPatch {
    /// New display name.
    pub name: Option<String>,
    /// New upstream API key.
    pub api_key: Option<String>,
    /// New base URL (`null` clears it).
    #[serde(default, deserialize_with = "nullable")]
    pub base_url: Option<Option<String>>,
    /// New priority.
    pub priority: Option<i64>,
    /// Enable or disable.
    pub enabled: Option<bool>,
    /// New model list (`null` clears it).
    #[serde(default, deserialize_with = "nullable")]
    pub models: Option<Option<Vec<String>>>,
    /// New provider-specific data (`null` clears it).
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: Option<Option<Map<String, Value>>>,
}

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

impl Connection {
    /// Applies `patch`.
    pub fn patch(&mut self, patch: ConnectionPatch) {
        if let Some(name) = patch.name {
            self.name = name;
        }
        if let Some(key) = patch.api_key {
            self.api_key = Some(key);
        }
        if let Some(base_url) = patch.base_url {
            self.base_url = base_url;
        }
        if let Some(priority) = patch.priority {
            self.priority = priority;
        }
        if let Some(enabled) = patch.enabled {
            self.enabled = enabled;
        }
        if let Some(models) = patch.models {
            self.models = models;
        }
        if let Some(metadata) = patch.metadata {
            self.metadata = metadata;
        }
    }

    /// The first non-empty string among the metadata `keys` (several spellings are accepted for one fact).
    #[must_use]
    pub fn metadata_str(&self, keys: &[&str]) -> Option<&str> {
        let metadata = self.metadata.as_ref()?;
        keys.iter().find_map(|key| metadata.get(*key).and_then(Value::as_str).filter(|v| !v.is_empty()))
    }

    fn from_row(r: &Row) -> Result<Self, StoreError> {
        Ok(Self {
            id: row::text(r, "id")?,
            provider: row::text(r, "provider")?,
            name: row::text(r, "name")?,
            auth_type: row::text(r, "auth_type")?,
            api_key: row::opt_text(r, "api_key")?,
            base_url: row::opt_text(r, "base_url")?,
            priority: row::int(r, "priority")?,
            enabled: row::int(r, "enabled")? != 0,
            models: row::opt_string_list(r, "models")?,
            metadata: row::opt_object(r, "metadata")?,
            created_at: row::int(r, "created_at")?,
        })
    }
}

const COLUMNS: &str =
    "id, provider, name, auth_type, api_key, base_url, priority, enabled, models, metadata, created_at";

/// `metadata` as stored (JSON text).
fn metadata_text(c: &Connection) -> Result<Option<String>, StoreError> {
    c.metadata.as_ref().map(|m| serde_json::to_string(m).map_err(|e| StoreError::Malformed(e.to_string()))).transpose()
}

impl Repository {
    /// Enabled connections of `provider`, in the order they are tried.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails or a row is malformed.
    pub async fn enabled_connections(&self, provider: &str) -> Result<Vec<Connection>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM provider_connections WHERE provider = ?1 AND enabled = 1 ORDER BY priority, created_at, id"
        );
        let rows = self.query_hot(&sql, vec![provider.into()]).await?;
        rows.iter().map(Connection::from_row).collect()
    }

    /// Every connection, by provider then priority.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails or a row is malformed.
    pub async fn list_connections(&self) -> Result<Vec<Connection>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM provider_connections ORDER BY provider, priority, created_at, id");
        let rows = self.db.query(&sql, vec![]).await?;
        rows.iter().map(Connection::from_row).collect()
    }

    /// Stores a connection.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn insert_connection(&self, c: &Connection) -> Result<(), StoreError> {
        let models = c
            .models
            .as_ref()
            .map(|m| serde_json::to_string(m).map_err(|e| StoreError::Malformed(e.to_string())))
            .transpose()?;
        self.execute(
                "INSERT INTO provider_connections (id, provider, name, auth_type, api_key, base_url, priority, enabled, models, created_at, updated_at, metadata) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
                vec![
                    c.id.as_str().into(),
                    c.provider.as_str().into(),
                    c.name.as_str().into(),
                    c.auth_type.as_str().into(),
                    c.api_key.clone().into(),
                    c.base_url.clone().into(),
                    SqlValue::Integer(c.priority),
                    c.enabled.into(),
                    models.into(),
                    SqlValue::Integer(c.created_at),
                    metadata_text(c)?.into(),
                ],
            )
            .await?;
        Ok(())
    }

    /// The connection with `id`.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails or the row is malformed.
    pub async fn connection(&self, id: &str) -> Result<Option<Connection>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM provider_connections WHERE id = ?1");
        let rows = self.db.query(&sql, vec![id.into()]).await?;
        rows.first().map(Connection::from_row).transpose()
    }

    /// Writes every mutable field of `c` in one statement; `false` when it no longer exists.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn update_connection(&self, c: &Connection, now_ms: i64) -> Result<bool, StoreError> {
        let models = c
            .models
            .as_ref()
            .map(|m| serde_json::to_string(m).map_err(|e| StoreError::Malformed(e.to_string())))
            .transpose()?;
        let changed = self
            .execute(
                "UPDATE provider_connections SET name = ?2, api_key = ?3, base_url = ?4, priority = ?5, enabled = ?6, \
                 models = ?7, updated_at = ?8, metadata = ?9 WHERE id = ?1",
                vec![
                    c.id.as_str().into(),
                    c.name.as_str().into(),
                    c.api_key.clone().into(),
                    c.base_url.clone().into(),
                    SqlValue::Integer(c.priority),
                    c.enabled.into(),
                    models.into(),
                    SqlValue::Integer(now_ms),
                    metadata_text(c)?.into(),
                ],
            )
            .await?;
        Ok(changed > 0)
    }

    /// Deletes a connection; `false` when none had that id.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn delete_connection(&self, id: &str) -> Result<bool, StoreError> {
        let changed = self.execute("DELETE FROM provider_connections WHERE id = ?1", vec![id.into()]).await?;
        Ok(changed > 0)
    }
}
