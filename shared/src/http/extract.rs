//! Extractors that authorise a request (a client key for `/v1/*`, a session for `/api/*`) or identify its
//! client.

use std::net::{IpAddr, SocketAddr};
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
        match authorize(parts, state).await {
            Ok(key) => Ok(key),
            // Keys optional (local use, the seed's `requireApiKey: false`): serve the request as the local user.
            Err(err) if err.kind == ErrorKind::Authentication && !key_required(state).await? => {
                Ok(Self(ApiKeyRecord {
                    id: LOCAL_CLIENT_ID.to_owned(),
                    name: "local (no key)".to_owned(),
                    key_prefix: String::new(),
                    enabled: true,
                    created_at: 0,
                }))
            }
            Err(err) => Err(err),
        }
    }
}

/// The client id usage is recorded under when keys are optional and a request came without a known key.
pub const LOCAL_CLIENT_ID: &str = "local";

/// Whether `/v1/*` requests need a valid key: always when the configuration says so (a public bind), else as the
/// `require_api_key` setting says.
async fn key_required(state: &AppState) -> Result<bool, ApiError> {
    Ok(state.config.api_key_always_required || state.repo.settings().await?.require_api_key)
}

async fn authorize(parts: &Parts, state: &AppState) -> Result<ClientKey, ApiError> {
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
        Some(record) if record.enabled => Ok(ClientKey(record)),
        Some(_) => {
            Err(ApiError::new(ErrorKind::Authentication, "this API key is disabled").with_code("invalid_api_key"))
        }
        None => Err(ApiError::new(ErrorKind::Authentication, "invalid API key").with_code("invalid_api_key")),
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
        let issued_for = session::verify(&state.config.jwt_secret, token)
            .map_err(|e| ApiError::new(ErrorKind::Authentication, e.to_string()))?;
        // Sessions issued before the last password change are over (one cached read, admin routes only).
        if issued_for != state.repo.password_version().await? {
            return Err(ApiError::new(ErrorKind::Authentication, session::SessionError::Invalid.to_string()));
        }
        Ok(Self)
    }
}

/// The TCP peer of a request, as a request extension; the native server adds it (the edge has no peer
/// address, only `CF-Connecting-IP`).
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub SocketAddr);

/// The client's address, for rate limiting failed logins: natively the peer address (or, from a proxy on
/// loopback, the last `X-Forwarded-For` entry, the one that proxy added); on the edge `CF-Connecting-IP`, which
/// Cloudflare sets. `unknown` when neither is available.
#[derive(Debug)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(client_ip(parts).map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())))
    }
}

fn client_ip(parts: &Parts) -> Option<IpAddr> {
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(PeerAddr(peer)) = parts.extensions.get::<PeerAddr>() {
        let forwarded = || header("x-forwarded-for")?.rsplit(',').next()?.trim().parse().ok();
        return Some(if peer.ip().is_loopback() { forwarded().unwrap_or(peer.ip()) } else { peer.ip() });
    }
    header("cf-connecting-ip")?.trim().parse().ok()
}

/// Whether the request arrived over https (directly or behind a proxy that says so).
pub(crate) fn is_https(parts_uri: &http::Uri, headers: &http::HeaderMap) -> bool {
    parts_uri.scheme_str() == Some("https")
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(peer: Option<&str>, headers: &[(&'static str, &'static str)]) -> Parts {
        let mut builder = http::Request::builder().uri("/api/auth/login");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let (mut parts, ()) = builder.body(()).expect("request").into_parts();
        if let Some(peer) = peer {
            parts.extensions.insert(PeerAddr(peer.parse().expect("socket address")));
        }
        parts
    }

    fn ip(peer: Option<&str>, headers: &[(&'static str, &'static str)]) -> Option<String> {
        client_ip(&parts(peer, headers)).map(|ip| ip.to_string())
    }

    #[test]
    fn natively_the_peer_counts_and_forwarding_only_from_loopback() {
        let spoof = [("x-forwarded-for", "10.0.0.1"), ("cf-connecting-ip", "10.0.0.2")];
        assert_eq!(ip(Some("192.0.2.7:5000"), &spoof), Some("192.0.2.7".into()));
        let proxied = [("x-forwarded-for", "10.9.9.9, 198.51.100.4"), ("cf-connecting-ip", "10.0.0.2")];
        assert_eq!(ip(Some("127.0.0.1:5000"), &proxied), Some("198.51.100.4".into()), "the proxy's own entry");
        assert_eq!(ip(Some("[::1]:5000"), &[]), Some("::1".into()));
        assert_eq!(ip(Some("127.0.0.1:5000"), &[("x-forwarded-for", "garbage")]), Some("127.0.0.1".into()));
    }

    #[test]
    fn on_the_edge_cloudflares_header_counts() {
        assert_eq!(ip(None, &[("cf-connecting-ip", "2001:db8::1")]), Some("2001:db8::1".into()));
        assert_eq!(ip(None, &[("x-forwarded-for", "10.0.0.1")]), None);
        assert_eq!(ip(None, &[("cf-connecting-ip", "not an ip")]), None);
    }
}
