//! OAuth storage (migration 0003): sealed credentials per OAuth connection and pending login flows. Only sealed
//! values and display fields are stored; sealing happens in [`crate::oauth`].

use super::{row, Repository, StoreError};
use crate::platform::{Row, SqlValue};

/// An account that needs the user to connect it again.
pub const STATUS_NEEDS_REAUTH: &str = "needs_reauth";
/// An account whose credentials work (as far as the router knows).
pub const STATUS_ACTIVE: &str = "active";

/// The stored credentials row of one connection.
#[derive(Debug, Clone)]
pub struct StoredTokens {
    /// Sealed credentials JSON.
    pub sealed: String,
    /// `active` or `needs_reauth`.
    pub status: String,
    /// When the upstream token expires (unix ms).
    pub expires_at: Option<i64>,
}

/// Status of an OAuth connection for lists.
#[derive(Debug, Clone)]
pub struct TokenStatus {
    /// Connection id.
    pub connection_id: String,
    /// `active` or `needs_reauth`.
    pub status: String,
    /// When the upstream token expires (unix ms).
    pub expires_at: Option<i64>,
}

/// A pending login flow.
#[derive(Debug, Clone)]
pub struct FlowRecord {
    /// Flow id (given to the dashboard).
    pub id: String,
    /// Provider id.
    pub provider: String,
    /// `auth_code` or `device_code`.
    pub kind: String,
    /// Sealed flow secrets.
    pub sealed: String,
    /// Device flows: minimum time between polls.
    pub interval_ms: i64,
    /// Unix ms after which the flow is void.
    pub expires_at: i64,
}

impl FlowRecord {
    fn from_row(r: &Row) -> Result<Self, StoreError> {
        Ok(Self {
            id: row::text(r, "id")?,
            provider: row::text(r, "provider")?,
            kind: row::text(r, "kind")?,
            sealed: row::text(r, "sealed")?,
            interval_ms: row::int(r, "interval_ms")?,
            expires_at: row::int(r, "expires_at")?,
        })
    }
}

const FLOW_COLUMNS: &str = "id, provider, kind, sealed, interval_ms, expires_at";

impl Repository {
    /// Stores the sealed credentials of a new connection (replacing any left by an earlier one with that id).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn put_oauth_tokens(
        &self,
        connection_id: &str,
        sealed: &str,
        expires_at: Option<i64>,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT OR REPLACE INTO oauth_tokens (connection_id, sealed, status, expires_at, refreshed_at, updated_at) \
             VALUES (?1, ?2, 'active', ?3, ?4, ?4)",
            vec![connection_id.into(), sealed.into(), expires_at.map(SqlValue::Integer).into(), SqlValue::Integer(now_ms)],
        )
        .await?;
        Ok(())
    }

    /// The sealed credentials of `connection_id`.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails or the row is malformed.
    pub async fn oauth_tokens(&self, connection_id: &str) -> Result<Option<StoredTokens>, StoreError> {
        let rows = self
            .db
            .query(
                "SELECT sealed, status, expires_at FROM oauth_tokens WHERE connection_id = ?1",
                vec![connection_id.into()],
            )
            .await?;
        rows.first()
            .map(|r| {
                Ok(StoredTokens {
                    sealed: row::text(r, "sealed")?,
                    status: row::text(r, "status")?,
                    expires_at: row::opt_int(r, "expires_at")?,
                })
            })
            .transpose()
    }

    /// Replaces the credentials after a refresh — access and (rotated) refresh token in one statement — and
    /// marks the account active.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn refreshed_oauth_tokens(
        &self,
        connection_id: &str,
        sealed: &str,
        expires_at: Option<i64>,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        self.execute(
            "UPDATE oauth_tokens SET sealed = ?2, status = 'active', expires_at = ?3, refreshed_at = ?4, updated_at = ?4 \
             WHERE connection_id = ?1",
            vec![connection_id.into(), sealed.into(), expires_at.map(SqlValue::Integer).into(), SqlValue::Integer(now_ms)],
        )
        .await?;
        Ok(())
    }

    /// Marks an account as needing the user to connect it again.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn mark_needs_reauth(&self, connection_id: &str, now_ms: i64) -> Result<(), StoreError> {
        self.execute(
            "UPDATE oauth_tokens SET status = ?2, updated_at = ?3 WHERE connection_id = ?1",
            vec![connection_id.into(), STATUS_NEEDS_REAUTH.into(), SqlValue::Integer(now_ms)],
        )
        .await?;
        Ok(())
    }

    /// Status and expiry of every OAuth connection.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails or a row is malformed.
    pub async fn oauth_statuses(&self) -> Result<Vec<TokenStatus>, StoreError> {
        let rows = self.db.query("SELECT connection_id, status, expires_at FROM oauth_tokens", vec![]).await?;
        rows.iter()
            .map(|r| {
                Ok(TokenStatus {
                    connection_id: row::text(r, "connection_id")?,
                    status: row::text(r, "status")?,
                    expires_at: row::opt_int(r, "expires_at")?,
                })
            })
            .collect()
    }

    /// Deletes the credentials of a removed connection.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn delete_oauth_tokens(&self, connection_id: &str) -> Result<(), StoreError> {
        self.execute("DELETE FROM oauth_tokens WHERE connection_id = ?1", vec![connection_id.into()]).await?;
        Ok(())
    }

    /// Stores a new flow, first dropping flows that expired before `now_ms`.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn insert_flow(&self, flow: &FlowRecord, now_ms: i64) -> Result<(), StoreError> {
        self.db.execute("DELETE FROM oauth_flows WHERE expires_at < ?1", vec![SqlValue::Integer(now_ms)]).await?;
        self.db
            .execute(
                "INSERT INTO oauth_flows (id, provider, kind, sealed, interval_ms, next_poll_at, expires_at, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6)",
                vec![
                    flow.id.as_str().into(),
                    flow.provider.as_str().into(),
                    flow.kind.as_str().into(),
                    flow.sealed.as_str().into(),
                    SqlValue::Integer(flow.interval_ms),
                    SqlValue::Integer(now_ms),
                    SqlValue::Integer(flow.expires_at),
                ],
            )
            .await?;
        Ok(())
    }

    /// The flow `id`, if it exists (expired or not).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails or the row is malformed.
    pub async fn flow(&self, id: &str) -> Result<Option<FlowRecord>, StoreError> {
        let sql = format!("SELECT {FLOW_COLUMNS} FROM oauth_flows WHERE id = ?1");
        let rows = self.db.query(&sql, vec![id.into()]).await?;
        rows.first().map(FlowRecord::from_row).transpose()
    }

    /// Removes and returns flow `id` in one statement: of two concurrent claims exactly one gets it.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails or the row is malformed.
    pub async fn claim_flow(&self, id: &str) -> Result<Option<FlowRecord>, StoreError> {
        let sql = format!("DELETE FROM oauth_flows WHERE id = ?1 RETURNING {FLOW_COLUMNS}");
        let rows = self.db.query(&sql, vec![id.into()]).await?;
        rows.first().map(FlowRecord::from_row).transpose()
    }

    /// Takes the next poll slot of device flow `id` if its interval has passed: `false` means "too early" (or
    /// another poll holds the slot). The slot moves `interval_ms` ahead.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn claim_poll_slot(&self, id: &str, now_ms: i64) -> Result<bool, StoreError> {
        let changed = self
            .db
            .execute(
                "UPDATE oauth_flows SET next_poll_at = ?2 + interval_ms WHERE id = ?1 AND next_poll_at <= ?2 AND expires_at > ?2",
                vec![id.into(), SqlValue::Integer(now_ms)],
            )
            .await?;
        Ok(changed > 0)
    }

    /// A `slow_down` answer: the interval grows by `add_ms`, and the next poll waits for it.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn slow_down_flow(&self, id: &str, add_ms: i64, now_ms: i64) -> Result<(), StoreError> {
        self.db
            .execute(
                "UPDATE oauth_flows SET interval_ms = interval_ms + ?2, next_poll_at = ?3 + interval_ms + ?2 WHERE id = ?1",
                vec![id.into(), SqlValue::Integer(add_ms), SqlValue::Integer(now_ms)],
            )
            .await?;
        Ok(())
    }
}
