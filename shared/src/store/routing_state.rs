//! Persisted routing state (native only: the edge keeps it in Durable Objects): one JSON document per provider.

use super::{row, Repository, StoreError};
use crate::platform::SqlValue;

impl Repository {
    /// Every stored provider state as `(provider, JSON)`.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn load_routing_states(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = self.db.query("SELECT provider, state FROM routing_state", vec![]).await?;
        rows.iter().map(|r| Ok((row::text(r, "provider")?, row::text(r, "state")?))).collect()
    }

    /// Stores `provider`'s state (JSON), replacing the previous one. Bypasses the read-cache reset of other writes:
    /// nothing cached depends on this table, and it is written after many requests.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn save_routing_state(&self, provider: &str, state: &str, now_ms: i64) -> Result<(), StoreError> {
        self.db
            .execute(
                "INSERT INTO routing_state (provider, state, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT(provider) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                vec![provider.into(), state.into(), SqlValue::Integer(now_ms)],
            )
            .await?;
        Ok(())
    }
}
