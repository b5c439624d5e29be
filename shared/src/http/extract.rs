//! Extractors that authorise a request: a client key for `/v1/*`, a session for `/api/*`.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use http::request::Parts;

use super::AppState;
use crate::auth::{client_keys, session};
use crate::error::{ApiError, ErrorKind};
use crate::store::ApiKeyRecord;

/// The client key that authorised a `/v1/*` request.
#[derive(Debug)]
pub struct ClientKey(pub ApiKeyRecord);

impl FromRequestParts<Arc<AppState>> for ClientKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let from_query = parts.uri.query().and_then(client_keys::key_from_query);
        let presented = client_keys::presented_key(&parts.headers).or(from_query.as_deref()).ok_or_else(|| {
            ApiError::new(
                ErrorKind::Authentication,
                "missing API key: send `Authorization: Bearer <key>` with a key created in the dashboard",
            )
            .with_code("invalid_api_key")
        })?;
        let record = state.repo.api_key_by_hash(&client_keys::hash_key(presented)).await?;
        match record {
            Some(record) if record.enabled => Ok(Self(record)),
            Some(_) => {
                Err(ApiError::new(ErrorKind::Authentication, "this API key is disabled").with_code("invalid_api_key"))
            }
            None => Err(ApiError::new(ErrorKind::Authentication, "invalid API key").with_code("invalid_api_key")),
        }
    }
}

/// Proof that a `/api/*` request carries a valid management session.
#[derive(Debug)]
pub struct AdminSession;

impl FromRequestParts<Arc<AppState>> for AdminSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let token = session::presented_token(&parts.headers)
            .ok_or_else(|| ApiError::new(ErrorKind::Authentication, session::SessionError::Missing.to_string()))?;
        session::verify(&state.config.jwt_secret, token)
            .map(|()| Self)
            .map_err(|e| ApiError::new(ErrorKind::Authentication, e.to_string()))
    }
}

/// Whether the request arrived over https (directly or behind a proxy that says so).
pub(super) fn is_https(parts_uri: &http::Uri, headers: &http::HeaderMap) -> bool {
    parts_uri.scheme_str() == Some("https")
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}
