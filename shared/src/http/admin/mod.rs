//! The management API under `/api` (the dashboard's backend): login, status and password change in `auth`;
//! keys, providers, combos and aliases, settings and usage in their own files. Every route but login, logout and
//! status requires an [`AdminSession`](super::AdminSession).

mod auth;
mod catalog;
mod combos;
mod custom_providers;
mod keys;
mod logs;
mod oauth;
mod prices;
mod providers;
mod settings;
mod stats;
mod status;
mod usage;

pub(super) use auth::{change_password, login, logout, status};
pub(super) use catalog::{catalog, test_connection};
pub(super) use combos::{
    create_alias, create_combo, delete_alias, delete_combo, list_aliases, list_combos, update_combo,
};
pub(super) use custom_providers::{
    create_custom_provider, delete_custom_provider, list_custom_providers, update_custom_provider,
};
pub(super) use keys::{create_key, delete_key, list_keys, update_key};
pub(super) use logs::{clear_logs, get_log, list_logs, logs_enabled};
pub(super) use oauth::{complete as oauth_complete, import as oauth_import, poll as oauth_poll, start as oauth_start};
pub(super) use prices::{delete_price, list_prices, put_price};
pub(super) use providers::{create_connection, delete_connection, list_connections, update_connection};
pub(super) use settings::{get_settings, put_settings};
pub(super) use stats::stats;
pub(super) use status::connection_status;
pub(super) use usage::{usage_recent, usage_summary};

use serde::de::DeserializeOwned;

use super::AppState;
use crate::error::ApiError;

/// The clock as a stored timestamp.
pub(super) fn now_ms(state: &AppState) -> i64 {
    i64::try_from(state.clock.now_ms()).unwrap_or(i64::MAX)
}

/// Parses a JSON request body, naming the problem on failure.
pub(super) fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::invalid_request(format!("invalid request body: {e}")))
}
