//! `/api/combos` and `/api/aliases`. Names are what clients send as `model`; they may not contain `/` (which
//! marks `provider/model`), and every entry must resolve to a known provider prefix when saved.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

use super::{now_ms, parse_json};
use crate::error::{ApiError, ErrorKind};
use crate::http::{AdminSession, AppState};
use crate::pipeline::validate_target;
use crate::store::{new_id, Alias, Combo};

/// Longest accepted combo or alias name.
const MAX_NAME: usize = 128;

fn check_name(kind: &str, name: &str) -> Result<(), ApiError> {
    let valid = !name.trim().is_empty()
        && name.len() <= MAX_NAME
        && !name.contains('/')
        && name.chars().all(|c| !c.is_whitespace() && !c.is_control());
    if valid {
        Ok(())
    } else {
        Err(ApiError::invalid_request(format!(
            "{kind} name `{name}` is invalid: 1-{MAX_NAME} characters, no spaces and no `/`"
        )))
    }
}

/// Combo and alias names may not be a custom provider's prefix (that check runs the other way too).
async fn check_not_custom_prefix(state: &AppState, name: &str) -> Result<(), ApiError> {
    if state.repo.custom_providers().await?.iter().any(|c| c.prefix == name) {
        return Err(ApiError::invalid_request(format!("`{name}` is a custom provider's prefix")));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComboRequest {
    name: String,
    models: Vec<String>,
}

async fn validated(state: &AppState, body: &[u8]) -> Result<ComboRequest, ApiError> {
    let request: ComboRequest = parse_json(body)?;
    check_name("combo", &request.name)?;
    if request.models.is_empty() {
        return Err(ApiError::invalid_request("a combo needs at least one model"));
    }
    for model in &request.models {
        if model.contains('/') {
            validate_target(&state.repo, model).await?;
        } else if state.repo.alias_target(model).await?.is_none() {
            return Err(ApiError::invalid_request(format!(
                "`{model}` is neither `provider/model` nor an existing alias"
            )));
        }
    }
    if state.repo.alias_target(&request.name).await?.is_some() {
        return Err(ApiError::invalid_request(format!("`{}` is already an alias", request.name)));
    }
    check_not_custom_prefix(state, &request.name).await?;
    Ok(request)
}

/// `GET /api/combos`.
pub(crate) async fn list_combos(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "combos": state.repo.list_combos().await? })))
}

/// `POST /api/combos` `{name, models: [...]}`.
pub(crate) async fn create_combo(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    body: Bytes,
) -> Result<(StatusCode, Json<Combo>), ApiError> {
    let request = validated(&state, &body).await?;
    if state.repo.combo_by_name(&request.name).await?.is_some() {
        return Err(ApiError::invalid_request(format!("a combo named `{}` exists", request.name)));
    }
    let combo = Combo {
        id: new_id(state.random.as_ref()),
        name: request.name,
        models: request.models,
        created_at: now_ms(&state),
    };
    state.repo.insert_combo(&combo).await?;
    Ok((StatusCode::CREATED, Json(combo)))
}

/// `PUT /api/combos/{id}` `{name, models}`.
pub(crate) async fn update_combo(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request = validated(&state, &body).await?;
    if let Some(other) = state.repo.combo_by_name(&request.name).await? {
        if other.id != id {
            return Err(ApiError::invalid_request(format!("a combo named `{}` exists", request.name)));
        }
    }
    if state.repo.update_combo(&id, &request.name, &request.models, now_ms(&state)).await? {
        Ok(Json(json!({ "ok": true })))
    } else {
        Err(ApiError::new(ErrorKind::NotFound, format!("no combo with id `{id}`")))
    }
}

/// `DELETE /api/combos/{id}`.
pub(crate) async fn delete_combo(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    if state.repo.delete_combo(&id).await? {
        Ok(Json(json!({ "ok": true })))
    } else {
        Err(ApiError::new(ErrorKind::NotFound, format!("no combo with id `{id}`")))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasRequest {
    alias: String,
    target: String,
}

/// `GET /api/aliases`.
pub(crate) async fn list_aliases(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "aliases": state.repo.list_aliases().await? })))
}

/// `POST /api/aliases` `{alias, target}` (creates or replaces).
pub(crate) async fn create_alias(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    body: Bytes,
) -> Result<(StatusCode, Json<Alias>), ApiError> {
    let request: AliasRequest = parse_json(&body)?;
    check_name("alias", &request.alias)?;
    validate_target(&state.repo, &request.target).await?;
    if state.repo.combo_by_name(&request.alias).await?.is_some() {
        return Err(ApiError::invalid_request(format!("`{}` is already a combo", request.alias)));
    }
    check_not_custom_prefix(&state, &request.alias).await?;
    let alias = Alias { alias: request.alias, target: request.target, created_at: now_ms(&state) };
    state.repo.put_alias(&alias).await?;
    Ok((StatusCode::CREATED, Json(alias)))
}

/// `DELETE /api/aliases/{alias}`.
pub(crate) async fn delete_alias(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(alias): Path<String>,
) -> Result<Json<Value>, ApiError> {
    if state.repo.delete_alias(&alias).await? {
        Ok(Json(json!({ "ok": true })))
    } else {
        Err(ApiError::new(ErrorKind::NotFound, format!("no alias `{alias}`")))
    }
}
