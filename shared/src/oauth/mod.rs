//! OAuth accounts: login flows (authorization code + PKCE with paste-back, RFC 8628 device code, import), tokens
//! sealed at rest, and refresh ahead of expiry or after an upstream 401 with exactly one refresh in flight per
//! account.
//!
//! - [`providers`]: the OAuth table (endpoints, client ids, scopes, lead times, notices) keyed by provider id.
//! - [`flows`]: start / complete / poll / import, driven by the management API.
//! - [`broker`]: [`TokenBroker`], the per-account serialiser of refreshes; natively it is the [`TokenSource`]
//!   itself, on the edge it runs inside each account's Durable Object and the Worker reaches it through a
//!   [`TokenSource`] that calls the object.
//! - [`exchange`], [`endpoint`]: the provider calls ([`kiro`]: AWS SSO OIDC and Kiro's refresh; [`code_assist`]:
//!   Google project discovery); [`connect`]: the end of every login (metadata, new or reconnected connection);
//!   [`credentials`], [`claims`]: what is stored and read from tokens; [`cipher`]: sealing.
//!
//! Nothing here logs, and no error message carries a token, code, state or verifier.

pub mod broker;
#[cfg(all(test, feature = "native"))]
mod broker_tests;
pub mod cipher;
pub mod claims;
pub mod code_assist;
pub mod connect;
pub mod credentials;
pub mod endpoint;
pub mod exchange;
pub mod flows;
pub mod grant_cache;
pub mod kiro;
pub mod pkce;
pub mod providers;
pub mod urls;

pub use broker::TokenBroker;
pub use cipher::TokenCipher;
pub use credentials::{Credentials, Grant};
pub use grant_cache::CachedTokenSource;

use serde::{Deserialize, Serialize};

use crate::platform::BoxFuture;

/// "Give me a fresh access token for connection X": what the pipeline asks.
#[derive(Clone, Serialize, Deserialize)]
pub struct GrantRequest {
    /// Connection id.
    pub connection_id: String,
    /// Provider id (a row of the OAuth table).
    pub provider: String,
    /// The bearer an upstream just rejected with 401: refresh unless it has been replaced already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected: Option<String>,
    /// Drop whatever is cached for this account and read its credentials again (they were just replaced by a
    /// reconnect).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reload: bool,
}

impl std::fmt::Debug for GrantRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GrantRequest")
            .field("connection_id", &self.connection_id)
            .field("provider", &self.provider)
            .field("rejected", &self.rejected.is_some())
            .field("reload", &self.reload)
            .finish()
    }
}

/// Why no token could be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "error", content = "message", rename_all = "snake_case")]
pub enum TokenError {
    /// The provider rejected the refresh: the user must connect the account again.
    #[error("the account needs to be connected again (its token refresh was rejected)")]
    NeedsReauth,
    /// The provider could not be reached to refresh; the account may work again later.
    #[error("token refresh failed: {0}")]
    Unavailable(String),
    /// No credentials are stored for this connection.
    #[error("no stored credentials for this connection")]
    Missing,
    /// Storage or decryption failed.
    #[error("token store failed: {0}")]
    Internal(String),
}

/// Where the pipeline gets OAuth access tokens: the [`TokenBroker`] natively, the account's Durable Object on
/// the edge.
pub trait TokenSource: Send + Sync {
    /// A token valid for at least the provider's lead time (refreshing first if needed), or after `rejected`.
    fn grant<'a>(&'a self, request: &'a GrantRequest) -> BoxFuture<'a, Result<Grant, TokenError>>;
}

/// Whether provider `id` connects through OAuth.
#[must_use]
pub fn is_oauth_provider(id: &str) -> bool {
    providers::find(id).is_some()
}
