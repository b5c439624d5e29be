//! The dashboard password (hash and version) and failed-login records.

use super::{row, Repository, StoreError};
use crate::auth::login_limit::RecentFailures;
use crate::platform::SqlValue;

/// The stored (changed) dashboard password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPassword {
    /// `pbkdf2-sha256$…` (see [`crate::auth::password`]).
    pub hash: String,
    /// Bumped on every change (1 after the first); 0 means "never changed".
    pub version: i64,
}

impl Repository {
    /// The changed password, or `None` while `INITIAL_PASSWORD` applies. Read uncached (logins are rare and must
    /// see a change made through another Worker isolate at once).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn admin_password(&self) -> Result<Option<StoredPassword>, StoreError> {
        let rows = self.db.query("SELECT hash, version FROM admin_password WHERE id = 1", vec![]).await?;
        rows.first()
            .map(|r| Ok(StoredPassword { hash: row::text(r, "hash")?, version: row::int(r, "version")? }))
            .transpose()
    }

    /// The current password version (0 while `INITIAL_PASSWORD` applies), through the read cache: every admin
    /// request checks it against its session.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn password_version(&self) -> Result<i64, StoreError> {
        let rows = self.query_hot("SELECT version FROM admin_password WHERE id = 1", vec![]).await?;
        rows.first().map_or(Ok(0), |r| row::int(r, "version"))
    }

    /// Stores a new password hash as version `previous_version + 1`, only if the stored version is still
    /// `previous_version` (a concurrent change makes this return `false`).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn set_admin_password(&self, hash: &str, previous_version: i64, now_ms: i64) -> Result<bool, StoreError> {
        let (sql, params) = if previous_version == 0 {
            (
                "INSERT INTO admin_password (id, hash, version, updated_at) VALUES (1, ?1, 1, ?2) \
                 ON CONFLICT(id) DO NOTHING",
                vec![hash.into(), SqlValue::Integer(now_ms)],
            )
        } else {
            (
                "UPDATE admin_password SET hash = ?1, version = version + 1, updated_at = ?2 \
                 WHERE id = 1 AND version = ?3",
                vec![hash.into(), SqlValue::Integer(now_ms), SqlValue::Integer(previous_version)],
            )
        };
        Ok(self.execute(sql, params).await? == 1)
    }

    /// Failed logins of `client` after `since_ms`.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn recent_login_failures(&self, client: &str, since_ms: i64) -> Result<RecentFailures, StoreError> {
        let rows = self
            .db
            .query(
                "SELECT COUNT(*) AS n, MIN(ts) AS oldest FROM login_failures WHERE client = ?1 AND ts > ?2",
                vec![client.into(), SqlValue::Integer(since_ms)],
            )
            .await?;
        let Some(r) = rows.first() else {
            return Ok(RecentFailures { count: 0, oldest_ms: None });
        };
        Ok(RecentFailures {
            count: u64::try_from(row::int(r, "n")?).unwrap_or(0),
            oldest_ms: row::opt_int(r, "oldest")?,
        })
    }

    /// Records a failed login of `client` and deletes every record at or before `prune_before_ms`.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn record_login_failure(
        &self,
        client: &str,
        now_ms: i64,
        prune_before_ms: i64,
    ) -> Result<(), StoreError> {
        self.db
            .execute(
                "INSERT INTO login_failures (client, ts) VALUES (?1, ?2)",
                vec![client.into(), SqlValue::Integer(now_ms)],
            )
            .await?;
        self.db.execute("DELETE FROM login_failures WHERE ts <= ?1", vec![SqlValue::Integer(prune_before_ms)]).await?;
        Ok(())
    }

    /// Forgets the failed logins of `client` (after a successful login).
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn clear_login_failures(&self, client: &str) -> Result<(), StoreError> {
        self.db.execute("DELETE FROM login_failures WHERE client = ?1", vec![client.into()]).await?;
        Ok(())
    }
}
