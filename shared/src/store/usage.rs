//! Usage records: batched inserts, aggregates by time bucket and dimension, recent requests, retention.

use serde::Serialize;

use super::{row, Repository, StoreError};
use crate::platform::{Row, SqlValue, Statement};
use crate::usage::UsageRecord;

/// Columns written per record, in order.
const COLUMNS: [&str; 19] = [
    "ts",
    "api_key_id",
    "provider",
    "connection_id",
    "requested_model",
    "routed_model",
    "inbound_format",
    "upstream_format",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "reasoning_tokens",
    "ttfb_ms",
    "total_ms",
    "status",
    "error_class",
    "streamed",
    "combo",
];

/// Rows per INSERT statement (SQLite and D1 bind at most 100 parameters per statement on D1).
const ROWS_PER_STATEMENT: usize = 5;

/// What usage can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageDimension {
    /// Routed model.
    Model,
    /// Provider.
    Provider,
    /// Connection (account).
    Account,
    /// Client key.
    Key,
}

impl UsageDimension {
    fn column(self) -> &'static str {
        match self {
            Self::Model => "COALESCE(routed_model, requested_model)",
            Self::Provider => "provider",
            Self::Account => "connection_id",
            Self::Key => "api_key_id",
        }
    }
}

/// One aggregate row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsageBucket {
    /// Bucket start (unix ms).
    pub bucket: i64,
    /// Dimension value (`null` when unknown).
    pub key: Option<String>,
    /// Requests.
    pub requests: i64,
    /// Failed requests (status ≥ 400).
    pub errors: i64,
    /// Token sums.
    pub input_tokens: i64,
    /// Output tokens.
    pub output_tokens: i64,
    /// Cache reads.
    pub cache_read_tokens: i64,
    /// Cache writes.
    pub cache_write_tokens: i64,
    /// Reasoning tokens.
    pub reasoning_tokens: i64,
}

fn params(record: &UsageRecord) -> Vec<SqlValue> {
    let int = |v: u64| SqlValue::Integer(i64::try_from(v).unwrap_or(i64::MAX));
    vec![
        SqlValue::Integer(record.ts),
        record.api_key_id.clone().into(),
        record.provider.clone().into(),
        record.connection_id.clone().into(),
        record.requested_model.clone().into(),
        record.routed_model.clone().into(),
        record.inbound_format.clone().into(),
        record.upstream_format.clone().into(),
        int(record.usage.input_tokens),
        int(record.usage.output_tokens),
        int(record.usage.cache_read_tokens),
        int(record.usage.cache_write_tokens),
        int(record.usage.reasoning_tokens),
        record.ttfb_ms.map(SqlValue::Integer).unwrap_or(SqlValue::Null),
        SqlValue::Integer(record.total_ms),
        SqlValue::Integer(i64::from(record.status)),
        record.error_class.clone().into(),
        record.streamed.into(),
        SqlValue::Null,
    ]
}

/// The statements inserting `records`, several per statement.
pub(super) fn usage_statements(records: &[UsageRecord]) -> Vec<Statement> {
    records
        .chunks(ROWS_PER_STATEMENT)
        .map(|chunk| {
            let placeholders: Vec<String> = (0..chunk.len())
                .map(|row| {
                    let start = row * COLUMNS.len() + 1;
                    let marks: Vec<String> = (start..start + COLUMNS.len()).map(|i| format!("?{i}")).collect();
                    format!("({})", marks.join(", "))
                })
                .collect();
            let sql = format!("INSERT INTO usage ({}) VALUES {}", COLUMNS.join(", "), placeholders.join(", "));
            (sql, chunk.iter().flat_map(params).collect())
        })
        .collect()
}

impl Repository {
    /// Inserts records, several per statement.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails (records of later statements are then not written).
    pub async fn insert_usage(&self, records: &[UsageRecord]) -> Result<(), StoreError> {
        for (sql, values) in usage_statements(records) {
            // Usage writes do not touch configuration: bypass the read-cache invalidation.
            self.db.execute(&sql, values).await?;
        }
        Ok(())
    }

    /// Sums since `since_ms`, by `bucket_ms` time buckets and `dimension`.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn usage_summary(
        &self,
        since_ms: i64,
        bucket_ms: i64,
        dimension: UsageDimension,
    ) -> Result<Vec<UsageBucket>, StoreError> {
        let sql = format!(
            "SELECT (ts / CAST(?2 AS INTEGER)) * CAST(?2 AS INTEGER) AS bucket, {key} AS key, COUNT(*) AS requests, \
             SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors, \
             SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, \
             SUM(cache_read_tokens) AS cache_read_tokens, SUM(cache_write_tokens) AS cache_write_tokens, \
             SUM(reasoning_tokens) AS reasoning_tokens \
             FROM usage WHERE ts >= ?1 GROUP BY bucket, key ORDER BY bucket, key",
            key = dimension.column()
        );
        let rows = self.db.query(&sql, vec![SqlValue::Integer(since_ms), SqlValue::Integer(bucket_ms.max(1))]).await?;
        rows.iter()
            .map(|r| {
                Ok(UsageBucket {
                    bucket: row::int(r, "bucket")?,
                    key: row::opt_text(r, "key")?,
                    requests: row::int(r, "requests")?,
                    errors: row::opt_int(r, "errors")?.unwrap_or(0),
                    input_tokens: row::opt_int(r, "input_tokens")?.unwrap_or(0),
                    output_tokens: row::opt_int(r, "output_tokens")?.unwrap_or(0),
                    cache_read_tokens: row::opt_int(r, "cache_read_tokens")?.unwrap_or(0),
                    cache_write_tokens: row::opt_int(r, "cache_write_tokens")?.unwrap_or(0),
                    reasoning_tokens: row::opt_int(r, "reasoning_tokens")?.unwrap_or(0),
                })
            })
            .collect()
    }

    /// The most recent `limit` records, newest first, as stored.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn recent_usage(&self, limit: i64) -> Result<Vec<Row>, StoreError> {
        let sql = format!("SELECT id, {} FROM usage ORDER BY ts DESC, id DESC LIMIT ?1", COLUMNS.join(", "));
        Ok(self.db.query(&sql, vec![SqlValue::Integer(limit.clamp(1, 1000))]).await?)
    }

    /// Applies the retention setting at `now_ms`; returns how many records were deleted.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn apply_usage_retention(&self, now_ms: i64) -> Result<u64, StoreError> {
        let days = self.settings().await?.usage_retention_days;
        if days == 0 {
            return Ok(0);
        }
        self.prune_usage(now_ms.saturating_sub(i64::from(days) * 24 * 60 * 60 * 1000)).await
    }

    /// Deletes records older than `before_ms`; returns how many.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn prune_usage(&self, before_ms: i64) -> Result<u64, StoreError> {
        Ok(self.db.execute("DELETE FROM usage WHERE ts < ?1", vec![SqlValue::Integer(before_ms)]).await?)
    }
}

#[cfg(all(test, feature = "native"))]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::native::open_database;

    #[tokio::test]
    async fn records_round_trip_aggregate_and_expire() {
        let dir = std::env::temp_dir().join(format!("9router-usage-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let repo = Repository::new(Arc::new(open_database(&dir).expect("database opens")));
        const DAY: i64 = 24 * 60 * 60 * 1000;
        let now = 1_000 * DAY;
        let record = |ts: i64, model: &str, tokens: u64| UsageRecord {
            ts,
            requested_model: model.into(),
            routed_model: Some(model.into()),
            usage: crate::ir::Usage { input_tokens: tokens, ..Default::default() },
            status: 200,
            ..UsageRecord::default()
        };
        let records: Vec<UsageRecord> =
            (0..7).map(|i| record(now - i, "m", 10)).chain([record(now - 100 * DAY, "old", 1)]).collect();
        repo.insert_usage(&records).await.expect("insert spans two statements");
        let summary = repo.usage_summary(now - DAY, DAY, UsageDimension::Model).await.expect("summary");
        assert_eq!(summary.iter().map(|b| b.requests).sum::<i64>(), 7);
        assert_eq!(summary.iter().map(|b| b.input_tokens).sum::<i64>(), 70);
        assert_eq!(repo.apply_usage_retention(now).await.expect("retention"), 1, "90-day default drops the old one");
        assert_eq!(repo.recent_usage(100).await.expect("recent").len(), 7);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
