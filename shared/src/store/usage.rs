//! Usage records: batched inserts, aggregates by time bucket and dimension, recent requests, retention.

use serde::Serialize;

use super::{row, Repository, StoreError};
use crate::platform::{Row, SqlValue};
use crate::usage::{PriceBook, TokenCounts, UsageRecord};

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
            Self::Model => PRICED_MODEL,
            Self::Provider => "provider",
            Self::Account => "connection_id",
            Self::Key => "api_key_id",
        }
    }
}

/// One aggregate row.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// Estimated cost in USD of the requests whose model has a price; `None` when none has.
    pub cost_usd: Option<f64>,
    /// Requests whose model has no price (not in `cost_usd`).
    pub unpriced_requests: i64,
}

/// Cost over a whole summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct UsageTotals {
    /// Requests.
    pub requests: i64,
    /// Estimated cost in USD of the priced requests; `None` when no request has a price.
    pub cost_usd: Option<f64>,
    /// Requests whose model has no price.
    pub unpriced_requests: i64,
}

impl UsageTotals {
    /// Sums `buckets`.
    #[must_use]
    pub fn of(buckets: &[UsageBucket]) -> Self {
        buckets.iter().fold(Self::default(), |t, b| Self {
            requests: t.requests + b.requests,
            cost_usd: add_cost(t.cost_usd, b.cost_usd),
            unpriced_requests: t.unpriced_requests + b.unpriced_requests,
        })
    }
}

fn add_cost(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x + y),
        (x, None) => x,
        (None, y) => y,
    }
}

/// The model a usage row is priced by.
const PRICED_MODEL: &str = "COALESCE(routed_model, requested_model)";

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

/// The aggregation query: rows since `?1`, in buckets of `?2` ms, by dimension and priced model.
fn summary_sql(dimension: UsageDimension) -> String {
    format!(
        "SELECT (ts / CAST(?2 AS INTEGER)) * CAST(?2 AS INTEGER) AS bucket, {key} AS key, {PRICED_MODEL} AS model, \
             COUNT(*) AS requests, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors, \
             SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, \
             SUM(cache_read_tokens) AS cache_read_tokens, SUM(cache_write_tokens) AS cache_write_tokens, \
             SUM(reasoning_tokens) AS reasoning_tokens \
             FROM usage WHERE ts >= ?1 GROUP BY bucket, key, model ORDER BY bucket, key",
        key = dimension.column()
    )
}

impl Repository {
    /// Inserts records, several per statement.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails (records of later statements are then not written).
    pub async fn insert_usage(&self, records: &[UsageRecord]) -> Result<(), StoreError> {
        for chunk in records.chunks(ROWS_PER_STATEMENT) {
            let placeholders: Vec<String> = (0..chunk.len())
                .map(|row| {
                    let start = row * COLUMNS.len() + 1;
                    let marks: Vec<String> = (start..start + COLUMNS.len()).map(|i| format!("?{i}")).collect();
                    format!("({})", marks.join(", "))
                })
                .collect();
            let sql = format!("INSERT INTO usage ({}) VALUES {}", COLUMNS.join(", "), placeholders.join(", "));
            let values: Vec<SqlValue> = chunk.iter().flat_map(params).collect();
            // Usage writes do not touch configuration: bypass the read-cache invalidation.
            self.db.execute(&sql, values).await?;
        }
        Ok(())
    }

    /// Sums since `since_ms`, by `bucket_ms` time buckets and `dimension`, with the estimated cost from `prices`.
    ///
    /// The query reads the `ts` range through `idx_usage_ts` and groups by (bucket, key, model); the cost is
    /// computed per model group here, so a price change applies to past usage too.
    ///
    /// # Errors
    /// [`StoreError`] when the database fails.
    pub async fn usage_summary(
        &self,
        since_ms: i64,
        bucket_ms: i64,
        dimension: UsageDimension,
        prices: &PriceBook,
    ) -> Result<Vec<UsageBucket>, StoreError> {
        let sql = summary_sql(dimension);
        let rows = self.db.query(&sql, vec![SqlValue::Integer(since_ms), SqlValue::Integer(bucket_ms.max(1))]).await?;
        let mut buckets: Vec<UsageBucket> = Vec::new();
        for r in &rows {
            let part = UsageBucket {
                bucket: row::int(r, "bucket")?,
                key: row::opt_text(r, "key")?,
                requests: row::int(r, "requests")?,
                errors: row::opt_int(r, "errors")?.unwrap_or(0),
                input_tokens: row::opt_int(r, "input_tokens")?.unwrap_or(0),
                output_tokens: row::opt_int(r, "output_tokens")?.unwrap_or(0),
                cache_read_tokens: row::opt_int(r, "cache_read_tokens")?.unwrap_or(0),
                cache_write_tokens: row::opt_int(r, "cache_write_tokens")?.unwrap_or(0),
                reasoning_tokens: row::opt_int(r, "reasoning_tokens")?.unwrap_or(0),
                cost_usd: None,
                unpriced_requests: 0,
            };
            let tokens = TokenCounts {
                input: part.input_tokens,
                output: part.output_tokens,
                cache_read: part.cache_read_tokens,
                cache_write: part.cache_write_tokens,
            };
            let cost = row::opt_text(r, "model")?.and_then(|model| prices.cost(&model, tokens));
            let unpriced = if cost.is_some() { 0 } else { part.requests };
            match buckets.last_mut().filter(|b| b.bucket == part.bucket && b.key == part.key) {
                Some(b) => {
                    b.requests += part.requests;
                    b.errors += part.errors;
                    b.input_tokens += part.input_tokens;
                    b.output_tokens += part.output_tokens;
                    b.cache_read_tokens += part.cache_read_tokens;
                    b.cache_write_tokens += part.cache_write_tokens;
                    b.reasoning_tokens += part.reasoning_tokens;
                    b.cost_usd = add_cost(b.cost_usd, cost);
                    b.unpriced_requests += unpriced;
                }
                None => buckets.push(UsageBucket { cost_usd: cost, unpriced_requests: unpriced, ..part }),
            }
        }
        Ok(buckets)
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
    use crate::platform::Database;

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
        let summary =
            repo.usage_summary(now - DAY, DAY, UsageDimension::Model, &PriceBook::default()).await.expect("summary");
        assert_eq!(summary.iter().map(|b| b.requests).sum::<i64>(), 7);
        assert_eq!(summary.iter().map(|b| b.input_tokens).sum::<i64>(), 70);
        assert!(summary.iter().all(|b| b.cost_usd.is_none()), "an unknown model has no cost, not 0");
        let totals = UsageTotals::of(&summary);
        assert_eq!((totals.requests, totals.cost_usd, totals.unpriced_requests), (7, None, 7));
        assert_eq!(repo.apply_usage_retention(now).await.expect("retention"), 1, "90-day default drops the old one");
        assert_eq!(repo.recent_usage(100).await.expect("recent").len(), 7);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn cost_per_group_follows_each_models_price_and_the_query_uses_the_ts_index() {
        let dir = std::env::temp_dir().join(format!("9router-usage-cost-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = Arc::new(open_database(&dir).expect("database opens"));
        let repo = Repository::new(db.clone());
        let record = |model: &str, provider: &str, input: u64, output: u64, cache_read: u64| UsageRecord {
            ts: 5_000,
            provider: Some(provider.into()),
            requested_model: model.into(),
            routed_model: Some(model.into()),
            usage: crate::ir::Usage {
                input_tokens: input,
                output_tokens: output,
                cache_read_tokens: cache_read,
                ..Default::default()
            },
            status: 200,
            ..UsageRecord::default()
        };
        repo.insert_usage(&[
            record("gpt-4o-mini", "openai", 1_000, 2_000, 0),
            record("claude-sonnet-4-5-20250929", "openai", 100, 10, 1_000),
            record("mystery", "openai", 5, 5, 0),
        ])
        .await
        .expect("insert");
        let book = PriceBook::default();
        let summary = repo.usage_summary(0, 60_000, UsageDimension::Provider, &book).await.expect("summary");
        assert_eq!(summary.len(), 1);
        let expected = (1_000.0 * 0.15 + 2_000.0 * 0.60) / 1e6 + (100.0 * 3.0 + 10.0 * 15.0 + 1_000.0 * 0.30) / 1e6;
        let cost = summary[0].cost_usd.expect("priced");
        assert!((cost - expected).abs() < 1e-12, "{cost} vs {expected}");
        assert_eq!(summary[0].unpriced_requests, 1);
        assert_eq!(summary[0].requests, 3);
        let totals = UsageTotals::of(&summary);
        assert_eq!(totals.unpriced_requests, 1);

        let explain = format!("EXPLAIN QUERY PLAN {}", summary_sql(UsageDimension::Provider));
        let plan = db.query(&explain, vec![SqlValue::Integer(0), SqlValue::Integer(60_000)]).await.expect("plan");
        let details: Vec<String> =
            plan.iter().filter_map(|r| r.get("detail").and_then(|d| d.as_str()).map(str::to_owned)).collect();
        assert!(details.iter().any(|d| d.contains("idx_usage_ts")), "plan: {details:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
