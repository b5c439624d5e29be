//! A read-through cache in front of a remote [`TokenSource`] (the edge's per-account Durable Objects): a grant
//! is reused while it is outside its provider's refresh window, so a request with a fresh token pays no
//! round-trip. Refreshing stays with the source: an expiring or rejected grant always goes there, and the one
//! it returns replaces the cached one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{providers, Grant, GrantRequest, TokenError, TokenSource};
use crate::platform::{BoxFuture, Clock};

/// Grants by connection id, in front of `inner`.
pub struct CachedTokenSource {
    inner: Arc<dyn TokenSource>,
    clock: Arc<dyn Clock>,
    grants: Arc<Mutex<HashMap<String, Grant>>>,
}

impl CachedTokenSource {
    /// Wraps `inner`; `grants` may be shared by every request of an isolate.
    #[must_use]
    pub fn new(inner: Arc<dyn TokenSource>, clock: Arc<dyn Clock>, grants: Arc<Mutex<HashMap<String, Grant>>>) -> Self {
        Self { inner, clock, grants }
    }

    fn cached(&self, request: &GrantRequest) -> Option<Grant> {
        let lead = providers::find(&request.provider)?.lead_ms;
        let grants = self.grants.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let grant = grants.get(&request.connection_id)?;
        let rejected = request.reload || request.rejected.as_deref().is_some_and(|r| r == grant.bearer);
        // Grants of unknown expiry are not cached: only the source can tell whether they still work.
        let fresh = grant.expires_at_ms.is_some_and(|e| e > self.clock.now_ms().saturating_add(lead));
        (fresh && !rejected).then(|| grant.clone())
    }

    async fn fetch(&self, request: &GrantRequest) -> Result<Grant, TokenError> {
        if let Some(grant) = self.cached(request) {
            return Ok(grant);
        }
        let result = self.inner.grant(request).await;
        let mut grants = self.grants.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match &result {
            Ok(grant) => {
                grants.insert(request.connection_id.clone(), grant.clone());
            }
            Err(_) => {
                grants.remove(&request.connection_id);
            }
        }
        result
    }
}

impl TokenSource for CachedTokenSource {
    fn grant<'a>(&'a self, request: &'a GrantRequest) -> BoxFuture<'a, Result<Grant, TokenError>> {
        Box::pin(self.fetch(request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    struct Fixed(AtomicU64);
    impl Clock for Fixed {
        fn now_ms(&self) -> u64 {
            self.0.load(Ordering::Relaxed)
        }
        fn sleep(&self, _ms: u64) -> BoxFuture<'static, ()> {
            Box::pin(async {})
        }
    }

    /// Counts calls; each call issues `t<n>` valid for one hour from the clock.
    struct Counting(AtomicU64, Arc<Fixed>);
    impl TokenSource for Counting {
        fn grant<'a>(&'a self, _r: &'a GrantRequest) -> BoxFuture<'a, Result<Grant, TokenError>> {
            let n = self.0.fetch_add(1, Ordering::Relaxed) + 1;
            let expires = self.1.now_ms() + 3_600_000;
            Box::pin(async move { Ok(Grant { bearer: format!("t{n}"), base_url: None, expires_at_ms: Some(expires) }) })
        }
    }

    #[tokio::test]
    async fn reuses_fresh_grants_and_bypasses_on_rejection_or_lead_window() {
        let clock = Arc::new(Fixed(AtomicU64::new(1_000)));
        let inner = Arc::new(Counting(AtomicU64::new(0), clock.clone()));
        let cache = CachedTokenSource::new(inner.clone(), clock.clone(), Arc::default());
        let mut request =
            GrantRequest { connection_id: "c".into(), provider: "github".into(), rejected: None, reload: false };
        assert_eq!(cache.grant(&request).await.map(|g| g.bearer), Ok("t1".to_owned()));
        assert_eq!(cache.grant(&request).await.map(|g| g.bearer), Ok("t1".to_owned()));
        request.rejected = Some("t1".into());
        assert_eq!(cache.grant(&request).await.map(|g| g.bearer), Ok("t2".to_owned()));
        request.rejected = None;
        // Copilot's lead is 5 min: 56 minutes later the grant is inside it.
        clock.0.store(1_000 + 56 * 60_000, Ordering::Relaxed);
        assert_eq!(cache.grant(&request).await.map(|g| g.bearer), Ok("t3".to_owned()));
        assert_eq!(inner.0.load(Ordering::Relaxed), 3);
    }
}
