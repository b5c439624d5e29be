//! `/api/usage`: aggregates by hour or day and by model, provider, account or key; recent requests. Costs are
//! estimated at query time from the token columns and the current prices, so a price edit applies to the past.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::http::{AdminSession, AppState};
use crate::platform::Row;
use crate::store::{UsageDimension, UsageTotals};
use crate::usage::prices::is_api_equivalent;
use crate::usage::{PriceBook, TokenCounts};

const HOUR_MS: i64 = 60 * 60 * 1000;
const DAY_MS: i64 = 24 * HOUR_MS;

#[derive(Deserialize)]
pub(crate) struct SummaryQuery {
    /// Unix ms; default: 24 hours ago.
    since: Option<i64>,
    /// `hour` (default) or `day`.
    bucket: Option<String>,
    /// `model` (default), `provider`, `account` or `key`.
    by: Option<String>,
}

/// `GET /api/usage?since=&bucket=hour|day&by=model|provider|account|key`.
pub(crate) async fn usage_summary(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Query(query): Query<SummaryQuery>,
) -> Result<Json<Value>, ApiError> {
    let bucket_ms = match query.bucket.as_deref() {
        None | Some("hour") => HOUR_MS,
        Some("day") => DAY_MS,
        Some(other) => return Err(ApiError::invalid_request(format!("`bucket` must be hour or day, not `{other}`"))),
    };
    let dimension = match query.by.as_deref() {
        None | Some("model") => UsageDimension::Model,
        Some("provider") => UsageDimension::Provider,
        Some("account") => UsageDimension::Account,
        Some("key") => UsageDimension::Key,
        Some(other) => {
            return Err(ApiError::invalid_request(format!(
                "`by` must be model, provider, account or key, not `{other}`"
            )))
        }
    };
    let now = i64::try_from(state.clock.now_ms()).unwrap_or(i64::MAX);
    let since = query.since.unwrap_or(now - DAY_MS);
    let prices = state.repo.price_book().await?;
    let buckets = state.repo.usage_summary(since, bucket_ms, dimension, &prices).await?;
    let totals = UsageTotals::of(&buckets);
    Ok(Json(json!({ "since": since, "bucket_ms": bucket_ms, "buckets": buckets, "totals": totals })))
}

#[derive(Deserialize)]
pub(crate) struct RecentQuery {
    limit: Option<i64>,
}

/// Adds the estimated cost to a stored usage row: `cost_usd` (`null` when the model has no price), the price
/// key that matched, and `cost_basis` (`api`, or `api_equivalent` for subscription providers).
fn with_cost(mut row: Row, prices: &PriceBook) -> Row {
    let text = |name: &str| row.get(name).and_then(Value::as_str).map(str::to_owned);
    let count = |name: &str| row.get(name).and_then(Value::as_f64).map_or(0, f64_to_i64);
    let model = text("routed_model").or_else(|| text("requested_model"));
    let tokens = TokenCounts {
        input: count("input_tokens"),
        output: count("output_tokens"),
        cache_read: count("cache_read_tokens"),
        cache_write: count("cache_write_tokens"),
    };
    let found = model.as_deref().and_then(|m| prices.lookup(m));
    let basis = if is_api_equivalent(text("provider").as_deref()) { "api_equivalent" } else { "api" };
    row.insert("cost_usd".into(), json!(found.as_ref().map(|m| m.price.cost(tokens))));
    row.insert("price_key".into(), json!(found.map(|m| m.key)));
    row.insert("cost_basis".into(), json!(basis));
    row
}

#[expect(clippy::cast_possible_truncation, reason = "token counts are integers far below 2^53")]
fn f64_to_i64(value: f64) -> i64 {
    value as i64
}

/// `GET /api/usage/recent?limit=50`: newest first, each with its estimated cost.
pub(crate) async fn usage_recent(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Query(query): Query<RecentQuery>,
) -> Result<Json<Value>, ApiError> {
    let prices = state.repo.price_book().await?;
    let rows = state.repo.recent_usage(query.limit.unwrap_or(50)).await?;
    let requests: Vec<Row> = rows.into_iter().map(|r| with_cost(r, &prices)).collect();
    Ok(Json(json!({ "requests": requests })))
}
