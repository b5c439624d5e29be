//! User price overrides (`model_prices`): read as a [`PriceBook`], written one row per statement so a change is
//! never half-applied.

use super::{Repository, StoreError};
use crate::platform::{Row, SqlValue};
use crate::usage::{ModelPrice, PriceBook, PriceOverride};

fn real(row: &Row, name: &str) -> Result<f64, StoreError> {
    row.get(name)
        .and_then(serde_json::Value::as_f64)
        .ok_or_else(|| StoreError::Malformed(format!("column `{name}` is not a number")))
}

fn read_override(row: &Row) -> Result<PriceOverride, StoreError> {
    Ok(PriceOverride {
        model: super::row::text(row, "model")?,
        price: ModelPrice {
            input: real(row, "input")?,
            output: real(row, "output")?,
            cache_read: real(row, "cache_read")?,
            cache_write: real(row, "cache_write")?,
        },
        updated_at: super::row::int(row, "updated_at")?,
    })
}

impl Repository {
    /// The built-in prices with every stored override.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn price_book(&self) -> Result<PriceBook, StoreError> {
        let rows = self
            .db
            .query(
                "SELECT model, input, output, cache_read, cache_write, updated_at FROM model_prices ORDER BY model",
                vec![],
            )
            .await?;
        Ok(PriceBook::new(rows.iter().map(read_override).collect::<Result<_, _>>()?))
    }

    /// Sets the override of `model` (insert or replace, one statement).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn put_price_override(&self, model: &str, price: &ModelPrice, now_ms: i64) -> Result<(), StoreError> {
        self.db
            .execute(
                "INSERT INTO model_prices (model, input, output, cache_read, cache_write, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(model) DO UPDATE SET input = excluded.input, \
                 output = excluded.output, cache_read = excluded.cache_read, cache_write = excluded.cache_write, \
                 updated_at = excluded.updated_at",
                vec![
                    model.into(),
                    SqlValue::Real(price.input),
                    SqlValue::Real(price.output),
                    SqlValue::Real(price.cache_read),
                    SqlValue::Real(price.cache_write),
                    SqlValue::Integer(now_ms),
                ],
            )
            .await?;
        Ok(())
    }

    /// Deletes the override of `model`; whether there was one.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn delete_price_override(&self, model: &str) -> Result<bool, StoreError> {
        Ok(self.db.execute("DELETE FROM model_prices WHERE model = ?1", vec![model.into()]).await? > 0)
    }
}
