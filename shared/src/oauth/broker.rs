//! The token broker: hands out fresh tokens and performs refreshes, one at a time per account.
//!
//! Each account has a slot behind an async mutex. A request takes the lock, finds the cached credentials (read
//! from storage once), and refreshes only if the token is inside the provider's lead window or is exactly the
//! one an upstream just rejected. Waiters queue on the lock and then see the refreshed token, so any number of
//! concurrent requests cause one refresh; on the edge this runs inside the account's Durable Object, whose
//! interleaved requests queue on the same lock. Rotated refresh tokens are written together with their access
//! token in one statement. The broker is the only writer of refreshed credentials, which keeps its cache true.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures::lock::Mutex as AsyncMutex;

use super::endpoint::Endpoints;
use super::exchange::{self, ExchangeError};
use super::providers::{self, OAuthProvider};
use super::urls::UrlOverrides;
use super::{Credentials, Grant, GrantRequest, TokenCipher, TokenError, TokenSource};
use crate::platform::{BoxFuture, Clock, HttpClient, Random};
use crate::store::{Repository, STATUS_NEEDS_REAUTH};

/// One account's cached state.
#[derive(Default)]
struct Slot {
    credentials: Option<Credentials>,
    needs_reauth: bool,
}

/// Serialises refreshes per account; see the module docs.
pub struct TokenBroker {
    repo: Repository,
    http: Arc<dyn HttpClient>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn Random>,
    cipher: TokenCipher,
    urls: UrlOverrides,
    slots: Mutex<HashMap<String, Arc<AsyncMutex<Slot>>>>,
}

impl TokenBroker {
    /// A broker over `repo`, calling providers through `http`.
    #[must_use]
    pub fn new(
        repo: Repository,
        http: Arc<dyn HttpClient>,
        clock: Arc<dyn Clock>,
        random: Arc<dyn Random>,
        cipher: TokenCipher,
        urls: UrlOverrides,
    ) -> Self {
        Self { repo, http, clock, random, cipher, urls, slots: Mutex::default() }
    }

    fn slot(&self, connection_id: &str) -> Arc<AsyncMutex<Slot>> {
        let mut slots = self.slots.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(slots.entry(connection_id.to_owned()).or_default())
    }

    fn now(&self) -> (u64, i64) {
        let now = self.clock.now_ms();
        (now, i64::try_from(now).unwrap_or(i64::MAX))
    }

    async fn load(&self, connection_id: &str, slot: &mut Slot) -> Result<Credentials, TokenError> {
        if let Some(credentials) = &slot.credentials {
            return Ok(credentials.clone());
        }
        let stored = self
            .repo
            .oauth_tokens(connection_id)
            .await
            .map_err(|e| TokenError::Internal(e.to_string()))?
            .ok_or(TokenError::Missing)?;
        let plain = self.cipher.open(&stored.sealed).map_err(|e| TokenError::Internal(e.to_string()))?;
        let credentials: Credentials = serde_json::from_slice(&plain)
            .map_err(|_| TokenError::Internal("stored credentials are malformed".into()))?;
        slot.needs_reauth = stored.status == STATUS_NEEDS_REAUTH;
        slot.credentials = Some(credentials.clone());
        Ok(credentials)
    }

    /// See [`TokenSource::grant`].
    ///
    /// # Errors
    /// [`TokenError`] when the account needs re-authentication, the provider is unreachable and the token has
    /// expired, or storage fails.
    pub async fn fresh_grant(&self, request: &GrantRequest) -> Result<Grant, TokenError> {
        let provider = providers::find(&request.provider)
            .ok_or_else(|| TokenError::Internal(format!("`{}` is not an OAuth provider", request.provider)))?;
        let slot = self.slot(&request.connection_id);
        let mut slot = slot.lock().await;
        if request.reload {
            *slot = Slot::default();
        }
        let current = self.load(&request.connection_id, &mut slot).await?;
        if slot.needs_reauth {
            return Err(TokenError::NeedsReauth);
        }
        let (now, now_i64) = self.now();
        let rejected = request.rejected.as_deref().is_some_and(|r| current.bearer(provider).0 == Some(r));
        if !rejected && !current.needs_refresh(provider, now) {
            return current.grant(provider).ok_or(TokenError::Missing);
        }
        let endpoints = Endpoints { http: self.http.as_ref(), clock: self.clock.as_ref(), urls: &self.urls };
        match exchange::refresh(endpoints, provider, &current, now).await {
            Ok(next) => {
                let grant = next.grant(provider).ok_or(TokenError::Missing)?;
                // Serve the new token even if the write fails: the old refresh token may already be void, and the
                // cached credentials are written again (whole) by the next refresh.
                let _persisted = self.persist(&request.connection_id, provider, &next, now_i64).await;
                slot.credentials = Some(next);
                Ok(grant)
            }
            Err(ExchangeError::Rejected(_)) => {
                slot.needs_reauth = true;
                self.repo
                    .mark_needs_reauth(&request.connection_id, now_i64)
                    .await
                    .map_err(|e| TokenError::Internal(e.to_string()))?;
                Err(TokenError::NeedsReauth)
            }
            Err(ExchangeError::Transient(why)) => {
                if !rejected && current.still_valid(provider, now) {
                    current.grant(provider).ok_or(TokenError::Missing)
                } else {
                    Err(TokenError::Unavailable(why))
                }
            }
        }
    }

    async fn persist(
        &self,
        connection_id: &str,
        provider: &OAuthProvider,
        credentials: &Credentials,
        now_ms: i64,
    ) -> Result<(), TokenError> {
        let sealed = seal(&self.cipher, self.random.as_ref(), credentials)?;
        let expires = credentials.bearer(provider).1.and_then(|e| i64::try_from(e).ok());
        self.repo
            .refreshed_oauth_tokens(connection_id, &sealed, expires, now_ms)
            .await
            .map_err(|e| TokenError::Internal(e.to_string()))
    }
}

/// Seals credentials for storage.
///
/// # Errors
/// [`TokenError::Internal`] if sealing fails.
pub fn seal(cipher: &TokenCipher, random: &dyn Random, credentials: &Credentials) -> Result<String, TokenError> {
    let plain = serde_json::to_vec(credentials).map_err(|e| TokenError::Internal(e.to_string()))?;
    cipher.seal(&plain, random).map_err(|e| TokenError::Internal(e.to_string()))
}

impl TokenSource for TokenBroker {
    fn grant<'a>(&'a self, request: &'a GrantRequest) -> BoxFuture<'a, Result<Grant, TokenError>> {
        Box::pin(self.fresh_grant(request))
    }
}
