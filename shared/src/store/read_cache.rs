//! A small read-through cache for the queries every proxied request makes (client key, settings, a provider's
//! connections, combo and alias names), so the hot path does not pay a database round-trip per request — on
//! the edge each D1 query is a network hop to the database.
//!
//! Any write made through the same [`super::Repository`] clears the cache, so a process that is the only writer
//! (the native server) never reads stale data. Where other writers exist (other Worker isolates), a cached
//! read is at most the TTL old: a revoked key or changed connection takes effect within it everywhere.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::platform::{Row, SqlValue};

/// Entries kept at most; past this the cache starts over (it only ever holds hot configuration rows).
const MAX_ENTRIES: usize = 1_024;

/// Query results and when they were read.
type Entry = (u64, Arc<Vec<Row>>);

/// Cached query results keyed by statement and parameters.
#[derive(Debug)]
pub struct ReadCache {
    ttl_ms: u64,
    entries: Mutex<HashMap<String, Entry>>,
}

impl ReadCache {
    /// A cache whose entries live `ttl_ms`.
    #[must_use]
    pub fn new(ttl_ms: u64) -> Self {
        Self { ttl_ms, entries: Mutex::new(HashMap::new()) }
    }

    pub(super) fn key(sql: &str, params: &[SqlValue]) -> String {
        format!("{sql}\u{0}{params:?}")
    }

    pub(super) fn get(&self, key: &str, now_ms: u64) -> Option<Arc<Vec<Row>>> {
        let entries = self.entries.lock().ok()?;
        let (at, rows) = entries.get(key)?;
        (now_ms.saturating_sub(*at) < self.ttl_ms).then(|| Arc::clone(rows))
    }

    pub(super) fn put(&self, key: String, now_ms: u64, rows: Arc<Vec<Row>>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, (now_ms, rows));
        }
    }

    /// Forgets everything (after a write).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

    use super::*;
    use crate::platform::{BoxFuture, Clock, Database, DbError};
    use crate::store::Repository;

    #[derive(Default)]
    struct CountingDb {
        queries: AtomicUsize,
    }

    impl Database for CountingDb {
        fn query<'a>(&'a self, _: &'a str, _: Vec<SqlValue>) -> BoxFuture<'a, Result<Vec<Row>, DbError>> {
            self.queries.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(Vec::new()) })
        }
        fn execute<'a>(&'a self, _: &'a str, _: Vec<SqlValue>) -> BoxFuture<'a, Result<u64, DbError>> {
            Box::pin(async { Ok(1) })
        }
    }

    struct ManualClock(AtomicU64);

    impl Clock for ManualClock {
        fn now_ms(&self) -> u64 {
            self.0.load(Ordering::SeqCst)
        }
        fn sleep(&self, _: u64) -> BoxFuture<'static, ()> {
            Box::pin(async {})
        }
    }

    #[tokio::test]
    async fn hot_reads_are_cached_until_a_write_or_the_ttl() {
        let db = Arc::new(CountingDb::default());
        let clock = Arc::new(ManualClock(AtomicU64::new(0)));
        let repo = Repository::with_read_cache(db.clone(), Arc::new(ReadCache::new(1_000)), clock.clone());
        let count = || db.queries.load(Ordering::SeqCst);

        repo.enabled_connections("openai").await.expect("read");
        repo.enabled_connections("openai").await.expect("read");
        assert_eq!(count(), 1, "second read from the cache");
        repo.enabled_connections("openrouter").await.expect("read");
        assert_eq!(count(), 2, "different parameters, different entry");

        repo.delete_connection("x").await.expect("write");
        repo.enabled_connections("openai").await.expect("read");
        assert_eq!(count(), 3, "a write clears the cache");

        clock.0.store(1_000, Ordering::SeqCst);
        repo.enabled_connections("openai").await.expect("read");
        assert_eq!(count(), 4, "entries expire after the TTL");
        repo.list_connections().await.expect("read");
        repo.list_connections().await.expect("read");
        assert_eq!(count(), 6, "management reads are never cached");
    }

    #[tokio::test]
    async fn built_in_prefixes_skip_the_database_and_custom_ones_are_cached() {
        let db = Arc::new(CountingDb::default());
        let clock = Arc::new(ManualClock(AtomicU64::new(0)));
        let repo = Repository::with_read_cache(db.clone(), Arc::new(ReadCache::new(1_000)), clock);
        let count = || db.queries.load(Ordering::SeqCst);
        assert!(repo.provider_by_prefix("openai").await.expect("read").is_some());
        assert!(repo.provider_by_prefix("or").await.expect("read").is_some());
        assert_eq!(count(), 0, "built-in prefixes never touch the database");
        assert!(repo.provider_by_prefix("mine").await.expect("read").is_none());
        assert!(repo.provider_by_prefix("other").await.expect("read").is_none());
        assert_eq!(count(), 1, "one cached read serves every custom prefix");
        repo.delete_custom_provider("x").await.expect("write");
        repo.provider_by_prefix("mine").await.expect("read");
        assert_eq!(count(), 2, "a change clears it");
    }
}
