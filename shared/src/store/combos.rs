//! Combos (named ordered model lists) and model aliases (name → `provider/model`).

use serde::Serialize;

use super::{row, Repository, StoreError};
use crate::platform::{Row, SqlValue};

/// A combo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Combo {
    /// Id.
    pub id: String,
    /// Name clients use as the model.
    pub name: String,
    /// `provider/model` strings (or aliases), tried in order.
    pub models: Vec<String>,
    /// Unix ms.
    pub created_at: i64,
}

/// A model alias.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alias {
    /// Name clients use as the model.
    pub alias: String,
    /// What it stands for (`provider/model`).
    pub target: String,
    /// Unix ms.
    pub created_at: i64,
}

impl Combo {
    fn from_row(r: &Row) -> Result<Self, StoreError> {
        Ok(Self {
            id: row::text(r, "id")?,
            name: row::text(r, "name")?,
            models: row::opt_string_list(r, "models")?.unwrap_or_default(),
            created_at: row::int(r, "created_at")?,
        })
    }
}

impl Alias {
    fn from_row(r: &Row) -> Result<Self, StoreError> {
        Ok(Self {
            alias: row::text(r, "alias")?,
            target: row::text(r, "target")?,
            created_at: row::int(r, "created_at")?,
        })
    }
}

fn models_json(models: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(models).map_err(|e| StoreError::Malformed(e.to_string()))
}

impl Repository {
    /// Every combo, by name.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn list_combos(&self) -> Result<Vec<Combo>, StoreError> {
        let rows = self.db.query("SELECT id, name, models, created_at FROM combos ORDER BY name", vec![]).await?;
        rows.iter().map(Combo::from_row).collect()
    }

    /// The combo called `name`.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn combo_by_name(&self, name: &str) -> Result<Option<Combo>, StoreError> {
        let rows = self
            .query_hot("SELECT id, name, models, created_at FROM combos WHERE name = ?1", vec![name.into()])
            .await?;
        rows.first().map(Combo::from_row).transpose()
    }

    /// Stores a new combo.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails (e.g. the name exists).
    pub async fn insert_combo(&self, combo: &Combo) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO combos (id, name, models, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            vec![
                combo.id.as_str().into(),
                combo.name.as_str().into(),
                models_json(&combo.models)?.into(),
                SqlValue::Integer(combo.created_at),
            ],
        )
        .await?;
        Ok(())
    }

    /// Replaces a combo's name and models; `false` when no combo had that id.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn update_combo(&self, id: &str, name: &str, models: &[String], now_ms: i64) -> Result<bool, StoreError> {
        let changed = self
            .execute(
                "UPDATE combos SET name = ?2, models = ?3, updated_at = ?4 WHERE id = ?1",
                vec![id.into(), name.into(), models_json(models)?.into(), SqlValue::Integer(now_ms)],
            )
            .await?;
        Ok(changed > 0)
    }

    /// Deletes a combo; `false` when none had that id.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn delete_combo(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.execute("DELETE FROM combos WHERE id = ?1", vec![id.into()]).await? > 0)
    }

    /// Every alias, by name.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn list_aliases(&self) -> Result<Vec<Alias>, StoreError> {
        let rows = self.db.query("SELECT alias, target, created_at FROM aliases ORDER BY alias", vec![]).await?;
        rows.iter().map(Alias::from_row).collect()
    }

    /// What `alias` stands for.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn alias_target(&self, alias: &str) -> Result<Option<String>, StoreError> {
        let rows = self
            .query_hot("SELECT alias, target, created_at FROM aliases WHERE alias = ?1", vec![alias.into()])
            .await?;
        Ok(rows.first().map(Alias::from_row).transpose()?.map(|a| a.target))
    }

    /// Creates or replaces an alias.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn put_alias(&self, alias: &Alias) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO aliases (alias, target, created_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(alias) DO UPDATE SET target = excluded.target",
            vec![alias.alias.as_str().into(), alias.target.as_str().into(), SqlValue::Integer(alias.created_at)],
        )
        .await?;
        Ok(())
    }

    /// Deletes an alias; `false` when it did not exist.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn delete_alias(&self, alias: &str) -> Result<bool, StoreError> {
        Ok(self.execute("DELETE FROM aliases WHERE alias = ?1", vec![alias.into()]).await? > 0)
    }
}
