//! Model strings to targets: a combo name gives its ordered list, an alias its target, anything else must be
//! `prefix/model`. Combo and alias names never contain `/`, so `prefix/model` strings skip the lookups; a
//! built-in prefix is found in the static table, a custom one in the (cached) custom provider list.

use crate::error::{ApiError, ErrorKind};
use crate::providers::Provider;
use crate::routing::model_ref::{self, ModelRefError};
use crate::store::Repository;

/// One provider and model to try.
#[derive(Debug, Clone)]
pub(super) struct Target {
    /// The provider.
    pub provider: Provider,
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

async fn known(repo: &Repository) -> Result<String, ApiError> {
    Ok(repo.known_prefixes().await?.join(", "))
}

async fn target(repo: &Repository, model: &str) -> Result<Target, ApiError> {
    let (prefix, rest) = match model_ref::split(model, String::new) {
        Ok(parts) => parts,
        Err(ModelRefError::MissingPrefix(m, _)) => {
            return Err(model_error(&ModelRefError::MissingPrefix(m, known(repo).await?)))
        }
        Err(e) => return Err(model_error(&e)),
    };
    crate::routing::model_name::check(rest).map_err(|e| ApiError::invalid_request(e.to_string()))?;
    match repo.provider_by_prefix(prefix).await? {
        Some(provider) => Ok(Target { provider, model: rest.to_owned() }),
        None => Err(model_error(&ModelRefError::UnknownProvider(
            prefix.to_owned(),
            model.trim().to_owned(),
            known(repo).await?,
        ))),
    }
}

/// Resolves `model` through combos, aliases and the providers (built-in and custom).
///
/// # Errors
/// 400/404 naming what exists when nothing matches; storage errors as 500.
pub(super) async fn resolve(repo: &Repository, model: &str) -> Result<Route, ApiError> {
    let model = model.trim();
    if model.contains('/') {
        return Ok(Route { targets: vec![target(repo, model).await?] });
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
            targets.push(target(repo, &resolved).await?);
        }
        if targets.is_empty() {
            return Err(ApiError::invalid_request(format!("combo `{model}` lists no models")));
        }
        return Ok(Route { targets });
    }
    if let Some(aliased) = repo.alias_target(model).await? {
        return Ok(Route { targets: vec![target(repo, &aliased).await?] });
    }
    Err(ApiError::new(
        ErrorKind::NotFound,
        format!(
            "unknown model `{model}`: use `provider/model` (prefixes: {}), a combo or an alias (see GET /v1/models)",
            known(repo).await?
        ),
    )
    .with_code("model_not_found"))
}

/// Checks a combo entry or alias target when it is saved: it must be `prefix/model` with a known prefix
/// (built-in or custom).
///
/// # Errors
/// A 400 naming the bad entry; storage errors as 500.
pub async fn validate_target(repo: &Repository, value: &str) -> Result<(), ApiError> {
    match target(repo, value).await {
        Ok(_) => Ok(()),
        Err(e) if e.kind == ErrorKind::Internal => Err(e),
        Err(e) => Err(ApiError::invalid_request(format!("`{value}`: {}", e.message))),
    }
}
