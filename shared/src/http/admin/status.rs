//! `GET /api/providers/status`: each connection's live routing status — enabled, needs a new login, and the
//! models it is cooling down for (until when, why) — read from the routing state (the in-process state natively,
//! each provider's Durable Object on the edge, through the isolate's snapshot cache of at most
//! [`SNAPSHOT_TTL_MS`](crate::routing::state::SNAPSHOT_TTL_MS)).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::http::{AdminSession, AppState};
use crate::routing::policy::FailureClass;
use crate::routing::state::{RoutingCommand, RoutingSnapshot};
use crate::store::STATUS_NEEDS_REAUTH;

/// One active cooldown.
#[derive(Debug, Serialize)]
struct CooldownView {
    /// Model, or `*` for the whole account.
    model: String,
    /// Unix ms until which the account is skipped.
    until_ms: u64,
    /// Milliseconds left at the time of the answer.
    remaining_ms: u64,
    /// Failure class.
    reason: FailureClass,
    /// Consecutive failures.
    consecutive_failures: u32,
}

/// One connection's status.
#[derive(Debug, Serialize)]
struct ConnectionStatus {
    id: String,
    provider: String,
    name: String,
    enabled: bool,
    /// The login must be redone (OAuth refresh failed / no credentials) or the upstream rejected the
    /// credentials and the account is cooling down for it.
    needs_reauth: bool,
    /// `disabled`, `needs_reauth`, `cooling` (for the models in `cooldowns`; `*` means every model) or `ready`.
    state: &'static str,
    cooldowns: Vec<CooldownView>,
    /// Set when the provider's routing state could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    routing_error: Option<String>,
}

fn active_cooldowns(snapshot: Option<&RoutingSnapshot>, account: &str, now: u64) -> Vec<CooldownView> {
    let Some(book) = snapshot.and_then(|s| s.books.get(account)) else {
        return Vec::new();
    };
    book.entries
        .iter()
        .filter(|(_, c)| c.until_ms > now)
        .map(|(model, c)| CooldownView {
            model: model.clone(),
            until_ms: c.until_ms,
            remaining_ms: c.until_ms - now,
            reason: c.reason,
            consecutive_failures: c.consecutive_failures,
        })
        .collect()
}

/// `GET /api/providers/status` → `{now_ms, connections: [{id, provider, name, enabled, needs_reauth, state,
/// cooldowns: [{model, until_ms, remaining_ms, reason, consecutive_failures}]}]}`.
pub(crate) async fn connection_status(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
) -> Result<Json<Value>, ApiError> {
    let connections = state.repo.list_connections().await?;
    let tokens = state.repo.oauth_statuses().await?;
    let mut snapshots: BTreeMap<String, Result<RoutingSnapshot, String>> = BTreeMap::new();
    for connection in &connections {
        if !snapshots.contains_key(&connection.provider) {
            let read = state.routing.apply(&connection.provider, RoutingCommand::Snapshot { turn_key: None }).await;
            snapshots.insert(connection.provider.clone(), read.map_err(|e| e.to_string()));
        }
    }
    let now = state.clock.now_ms();
    let list: Vec<ConnectionStatus> = connections
        .into_iter()
        .map(|c| {
            let snapshot = snapshots.get(&c.provider);
            let cooldowns = active_cooldowns(snapshot.and_then(|s| s.as_ref().ok()), &c.id, now);
            let login_lost = c.auth_type == "oauth"
                && tokens.iter().find(|t| t.connection_id == c.id).is_none_or(|t| t.status == STATUS_NEEDS_REAUTH);
            let rejected = cooldowns.iter().any(|cd| cd.reason == FailureClass::AuthFailed);
            let needs_reauth = login_lost || rejected;
            let state = match () {
                () if !c.enabled => "disabled",
                () if needs_reauth => "needs_reauth",
                () if !cooldowns.is_empty() => "cooling",
                () => "ready",
            };
            ConnectionStatus {
                id: c.id,
                provider: c.provider,
                name: c.name,
                enabled: c.enabled,
                needs_reauth,
                state,
                cooldowns,
                routing_error: snapshot.and_then(|s| s.as_ref().err().cloned()),
            }
        })
        .collect();
    Ok(Json(json!({ "now_ms": now, "connections": list })))
}
