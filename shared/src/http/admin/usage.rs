//! `/api/usage`: aggregates by hour or day and by model, provider, account or key; recent requests.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::http::{AdminSession, AppState};
use crate::store::UsageDimension;

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
    let buckets = state.repo.usage_summary(since, bucket_ms, dimension).await?;
    Ok(Json(json!({ "since": since, "bucket_ms": bucket_ms, "buckets": buckets })))
}

#[derive(Deserialize)]
pub(crate) struct RecentQuery {
    limit: Option<i64>,
}

/// `GET /api/usage/recent?limit=50`.
pub(crate) async fn usage_recent(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Query(query): Query<RecentQuery>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "requests": state.repo.recent_usage(query.limit.unwrap_or(50)).await? })))
}
