//! Client API keys (only their hashes are stored).

use serde::Serialize;

use super::{row, Repository, StoreError};
use crate::platform::{Row, SqlValue};

/// A stored client key, without the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiKeyRecord {
    /// Key id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The first characters of the key, for recognising it in lists.
    pub key_prefix: String,
    /// Disabled keys are refused.
    pub enabled: bool,
    /// Unix ms.
    pub created_at: i64,
}

impl ApiKeyRecord {
    fn from_row(r: &Row) -> Result<Self, StoreError> {
        Ok(Self {
            id: row::text(r, "id")?,
            name: row::text(r, "name")?,
            key_prefix: row::text(r, "key_prefix")?,
            enabled: row::int(r, "enabled")? != 0,
            created_at: row::int(r, "created_at")?,
        })
    }
}

const COLUMNS: &str = "id, name, key_prefix, enabled, created_at";

impl Repository {
    /// The enabled-or-not key whose hash is `key_hash`.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn api_key_by_hash(&self, key_hash: &str) -> Result<Option<ApiKeyRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE key_hash = ?1");
        let rows = self.query_hot(&sql, vec![key_hash.into()]).await?;
        rows.first().map(ApiKeyRecord::from_row).transpose()
    }

    /// Stores a new key by its hash.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails (e.g. a duplicate hash).
    pub async fn insert_api_key(&self, record: &ApiKeyRecord, key_hash: &str) -> Result<(), StoreError> {
        self.execute(
                "INSERT INTO api_keys (id, name, key_hash, key_prefix, enabled, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                vec![
                    record.id.as_str().into(),
                    record.name.as_str().into(),
                    key_hash.into(),
                    record.key_prefix.as_str().into(),
                    record.enabled.into(),
                    SqlValue::Integer(record.created_at),
                ],
            )
            .await?;
        Ok(())
    }

    /// All keys, newest first.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn list_api_keys(&self) -> Result<Vec<ApiKeyRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM api_keys ORDER BY created_at DESC, id");
        let rows = self.db.query(&sql, vec![]).await?;
        rows.iter().map(ApiKeyRecord::from_row).collect()
    }

    /// Renames and/or enables/disables a key; `false` when no key had that id.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn update_api_key(
        &self,
        id: &str,
        name: Option<&str>,
        enabled: Option<bool>,
    ) -> Result<bool, StoreError> {
        let changed = self
            .execute(
                "UPDATE api_keys SET name = COALESCE(?2, name), enabled = COALESCE(?3, enabled) WHERE id = ?1",
                vec![id.into(), name.into(), enabled.into()],
            )
            .await?;
        Ok(changed > 0)
    }

    /// Deletes a key; `false` when no key had that id.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn delete_api_key(&self, id: &str) -> Result<bool, StoreError> {
        let changed = self.execute("DELETE FROM api_keys WHERE id = ?1", vec![id.into()]).await?;
        Ok(changed > 0)
    }

    /// Every key's id and stored hash (for `9router export --include-secrets`).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn api_key_hashes(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = self.db.query("SELECT id, key_hash FROM api_keys ORDER BY created_at, id", vec![]).await?;
        rows.iter().map(|r| Ok((row::text(r, "id")?, row::text(r, "key_hash")?))).collect()
    }
}
