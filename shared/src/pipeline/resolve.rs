//! Model strings to targets: a combo name gives its ordered list, an alias its target, anything else must be
//! `prefix/model`. Combo and alias names never contain `/`, so `prefix/model` strings skip the lookups.

use crate::error::{ApiError, ErrorKind};
use crate::providers::{self, ProviderSpec};
use crate::routing::model_ref::{self, ModelRefError};
use crate::store::Repository;

/// One provider and model to try.
#[derive(Debug, Clone)]
pub(super) struct Target {
    /// The provider.
    pub provider: &'static ProviderSpec,
    /// The upstream model name.
    pub model: String,
}

/// What a model string routes to.
#[derive(Debug)]
pub(super) struct Route {
    /// Targets in the order they are tried.
    pub targets: Vec<Target>,
}

fn model_error(err: &ModelRefError) -> ApiError {
    match err {
        ModelRefError::UnknownProvider(..) => ApiError::new(ErrorKind::NotFound, err.to_string()),
        ModelRefError::Empty | ModelRefError::MissingPrefix(..) => ApiError::invalid_request(err.to_string()),
    }
    .with_code("model_not_found")
}

fn target(model: &str) -> Result<Target, ApiError> {
    let parsed = model_ref::parse(model).map_err(|e| model_error(&e))?;
    crate::routing::model_name::check(parsed.model).map_err(|e| ApiError::invalid_request(e.to_string()))?;
    Ok(Target { provider: parsed.provider, model: parsed.model.to_owned() })
}

/// Resolves `model` through combos, aliases and the provider table.
///
/// # Errors
/// 400/404 naming what exists when nothing matches; storage errors as 500.
pub(super) async fn resolve(repo: &Repository, model: &str) -> Result<Route, ApiError> {
    let model = model.trim();
    if model.contains('/') {
        return Ok(Route { targets: vec![target(model)?] });
    }
    if model.is_empty() {
        return Err(model_error(&ModelRefError::Empty));
    }
    if let Some(combo) = repo.combo_by_name(model).await? {
        let mut targets = Vec::with_capacity(combo.models.len());
        for entry in &combo.models {
            let resolved = if entry.contains('/') {
                entry.clone()
            } else {
                repo.alias_target(entry).await?.unwrap_or_else(|| entry.clone())
            };
            targets.push(target(&resolved)?);
        }
        if targets.is_empty() {
            return Err(ApiError::invalid_request(format!("combo `{model}` lists no models")));
        }
        return Ok(Route { targets });
    }
    if let Some(aliased) = repo.alias_target(model).await? {
        return Ok(Route { targets: vec![target(&aliased)?] });
    }
    Err(ApiError::new(
        ErrorKind::NotFound,
        format!(
            "unknown model `{model}`: use `provider/model` (prefixes: {}), a combo or an alias (see GET /v1/models)",
            providers::known_prefixes().join(", ")
        ),
    )
    .with_code("model_not_found"))
}

/// Checks a combo entry or alias target when it is saved: it must be `prefix/model` with a known prefix (or,
/// for combo entries, an alias name).
///
/// # Errors
/// A 400 naming the bad entry.
pub fn validate_target(value: &str) -> Result<(), ApiError> {
    target(value).map(|_| ()).map_err(|e| ApiError::invalid_request(format!("`{value}`: {}", e.message)))
}
