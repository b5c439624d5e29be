//! Custom providers (migration 0007). The routing lookup ([`Repository::custom_providers`]) goes through the
//! read cache like the other per-request reads, and every write clears it.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::{row, Repository, StoreError};
use crate::platform::{Row, SqlValue};
use crate::providers::{self, CustomFormat, CustomProvider, Provider};

const COLUMNS: &str = "id, prefix, name, format, base_url, chat_path, headers, models, created_at";

fn from_row(r: &Row) -> Result<CustomProvider, StoreError> {
    let format_name = row::text(r, "format")?;
    let format = CustomFormat::parse(&format_name)
        .ok_or_else(|| StoreError::Malformed(format!("custom provider format `{format_name}` is unknown")))?;
    let headers = row::opt_object(r, "headers")?
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(name, value)| value.as_str().map(|v| (name, v.to_owned())))
        .collect();
    Ok(CustomProvider {
        id: row::text(r, "id")?,
        prefix: row::text(r, "prefix")?,
        name: row::text(r, "name")?,
        format,
        base_url: row::text(r, "base_url")?,
        chat_path: row::opt_text(r, "chat_path")?,
        headers,
        models: row::opt_string_list(r, "models")?.unwrap_or_default(),
        created_at: row::int(r, "created_at")?,
    })
}

fn headers_json(headers: &[(String, String)]) -> String {
    let map: Map<String, Value> = headers.iter().map(|(n, v)| (n.clone(), Value::String(v.clone()))).collect();
    Value::Object(map).to_string()
}

fn params(p: &CustomProvider, now_ms: i64) -> Vec<SqlValue> {
    vec![
        p.id.as_str().into(),
        p.prefix.as_str().into(),
        p.name.as_str().into(),
        p.format.as_str().into(),
        p.base_url.as_str().into(),
        p.chat_path.as_deref().map_or(SqlValue::Null, Into::into),
        headers_json(&p.headers).into(),
        Value::from(p.models.clone()).to_string().into(),
        SqlValue::Integer(p.created_at),
        SqlValue::Integer(now_ms),
    ]
}

impl Repository {
    /// Every custom provider, by prefix; read through the cache (the proxy resolves custom prefixes with it).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails or a row is malformed.
    pub async fn custom_providers(&self) -> Result<Vec<Arc<CustomProvider>>, StoreError> {
        let rows = self.query_hot(&format!("SELECT {COLUMNS} FROM custom_providers ORDER BY prefix"), vec![]).await?;
        rows.iter().map(|r| from_row(r).map(Arc::new)).collect()
    }

    /// The custom provider with `id`, uncached (management).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn custom_provider(&self, id: &str) -> Result<Option<CustomProvider>, StoreError> {
        let rows =
            self.db.query(&format!("SELECT {COLUMNS} FROM custom_providers WHERE id = ?1"), vec![id.into()]).await?;
        rows.first().map(from_row).transpose()
    }

    /// Stores a new custom provider, or replaces the one with the same id.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails (e.g. the prefix is taken by another id).
    pub async fn put_custom_provider(&self, provider: &CustomProvider, now_ms: i64) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO custom_providers \
                 (id, prefix, name, format, base_url, chat_path, headers, models, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
             ON CONFLICT(id) DO UPDATE SET prefix = excluded.prefix, name = excluded.name, \
                 format = excluded.format, base_url = excluded.base_url, chat_path = excluded.chat_path, \
                 headers = excluded.headers, models = excluded.models, updated_at = excluded.updated_at",
            params(provider, now_ms),
        )
        .await?;
        Ok(())
    }

    /// Deletes a custom provider; `false` when none had that id.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn delete_custom_provider(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.execute("DELETE FROM custom_providers WHERE id = ?1", vec![id.into()]).await? > 0)
    }
}

impl Repository {
    /// The provider a model prefix names: a built-in id or alias (no database read), else a custom prefix.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn provider_by_prefix(&self, prefix: &str) -> Result<Option<Provider>, StoreError> {
        if let Some(spec) = providers::find(prefix) {
            return Ok(Some(Provider::Builtin(spec)));
        }
        Ok(self.custom_providers().await?.into_iter().find(|c| c.prefix == prefix).map(Provider::Custom))
    }

    /// The provider a connection's `provider` column names: a built-in id, else a custom provider id.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn provider_by_id(&self, id: &str) -> Result<Option<Provider>, StoreError> {
        if let Some(spec) = providers::find(id).filter(|p| p.id == id) {
            return Ok(Some(Provider::Builtin(spec)));
        }
        Ok(self.custom_providers().await?.into_iter().find(|c| c.id == id).map(Provider::Custom))
    }

    /// Every accepted model prefix (built-in ids and aliases, then custom prefixes), for error messages.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn known_prefixes(&self) -> Result<Vec<String>, StoreError> {
        let mut all: Vec<String> = providers::known_prefixes().into_iter().map(str::to_owned).collect();
        all.extend(self.custom_providers().await?.iter().map(|c| c.prefix.clone()));
        Ok(all)
    }
}
