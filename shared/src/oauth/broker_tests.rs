//! The broker against real SQLite and a counting fake token endpoint: concurrent requests share one refresh,
//! the rotated refresh token is persisted, a rejected bearer is refreshed once, a refused refresh marks the
//! account.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use futures::future::join_all;
use http::HeaderMap;

use super::broker::seal;
use super::urls::UrlOverrides;
use super::{Credentials, GrantRequest, TokenBroker, TokenCipher, TokenError};
use crate::native::{open_database, OsRandom};
use crate::platform::{BoxFuture, Clock, HttpClient, HttpError, UpstreamRequest, UpstreamResponse};
use crate::store::Repository;

const NOW: u64 = 1_800_000_000_000;

struct FixedClock;
impl Clock for FixedClock {
    fn now_ms(&self) -> u64 {
        NOW
    }
    fn sleep(&self, ms: u64) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(std::time::Duration::from_millis(ms)))
    }
}

/// Answers every refresh with `a<n>` / `r<n>` after 50 ms, or 400 `invalid_grant` when refusing.
struct TokenEndpoint {
    calls: AtomicU64,
    refuse: bool,
}
impl HttpClient for TokenEndpoint {
    fn send(&self, _request: UpstreamRequest) -> BoxFuture<'_, Result<UpstreamResponse, HttpError>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            let (status, body) = if self.refuse {
                (400, r#"{"error":"invalid_grant"}"#.to_owned())
            } else {
                (200, format!(r#"{{"access_token":"a{n}","refresh_token":"r{n}","expires_in":28800}}"#))
            };
            let stream = futures::stream::iter([Ok(Bytes::from(body))]);
            Ok(UpstreamResponse { status, headers: HeaderMap::new(), body: Box::pin(stream) })
        })
    }
}

async fn setup(refuse: bool) -> (TokenBroker, Arc<TokenEndpoint>, Repository, TokenCipher, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("9router-broker-{}-{refuse}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let repo = Repository::new(Arc::new(open_database(&dir).expect("db")));
    let cipher = TokenCipher::from_secret("test");
    // Expires in 1 s: well inside Claude's 4 h lead.
    let credentials = Credentials {
        access_token: "a0".into(),
        refresh_token: Some("r0".into()),
        expires_at_ms: Some(NOW + 1_000),
        ..Credentials::default()
    };
    let sealed = seal(&cipher, &OsRandom, &credentials).expect("seal");
    repo.put_oauth_tokens("c1", &sealed, None, 0).await.expect("stored");
    let http = Arc::new(TokenEndpoint { calls: AtomicU64::new(0), refuse });
    let broker = TokenBroker::new(
        repo.clone(),
        http.clone(),
        Arc::new(FixedClock),
        Arc::new(OsRandom),
        cipher.clone(),
        UrlOverrides::default(),
    );
    (broker, http, repo, cipher, dir)
}

fn request(rejected: Option<&str>) -> GrantRequest {
    GrantRequest {
        connection_id: "c1".into(),
        provider: "claude".into(),
        rejected: rejected.map(str::to_owned),
        reload: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_share_one_refresh_and_rotation_is_persisted() {
    let (broker, http, repo, cipher, dir) = setup(false).await;
    let broker = Arc::new(broker);
    let tasks = (0..50).map(|_| {
        let broker = Arc::clone(&broker);
        tokio::spawn(async move { broker.fresh_grant(&request(None)).await })
    });
    for result in join_all(tasks).await {
        assert_eq!(result.expect("task").map(|g| g.bearer), Ok("a1".to_owned()));
    }
    assert_eq!(http.calls.load(Ordering::SeqCst), 1, "exactly one refresh");
    let stored = repo.oauth_tokens("c1").await.expect("read").expect("row");
    let opened: Credentials = serde_json::from_slice(&cipher.open(&stored.sealed).expect("open")).expect("json");
    assert_eq!((opened.access_token.as_str(), opened.refresh_token.as_deref()), ("a1", Some("r1")));

    // An upstream 401 on a1: one refresh; a second report of the same stale token gets a2 without another.
    assert_eq!(broker.fresh_grant(&request(Some("a1"))).await.map(|g| g.bearer), Ok("a2".to_owned()));
    assert_eq!(broker.fresh_grant(&request(Some("a1"))).await.map(|g| g.bearer), Ok("a2".to_owned()));
    assert_eq!(http.calls.load(Ordering::SeqCst), 2);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_refused_refresh_marks_the_account_and_stops_calling() {
    let (broker, http, repo, _cipher, dir) = setup(true).await;
    assert_eq!(broker.fresh_grant(&request(None)).await, Err(TokenError::NeedsReauth));
    assert_eq!(broker.fresh_grant(&request(None)).await, Err(TokenError::NeedsReauth));
    assert_eq!(http.calls.load(Ordering::SeqCst), 1);
    let stored = repo.oauth_tokens("c1").await.expect("read").expect("row");
    assert_eq!(stored.status, crate::store::STATUS_NEEDS_REAUTH);
    let _ = std::fs::remove_dir_all(dir);
}
