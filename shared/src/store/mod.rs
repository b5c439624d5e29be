//! Typed storage over [`Database`]: the only module that writes SQL. Callers see records and methods, never a
//! statement, so the edge (D1) and the native server (SQLite) run identical queries.

mod admin_auth;
mod api_keys;
mod combos;
mod connections;
mod oauth;
mod prices;
mod read_cache;
mod routing_state;
mod row;
mod settings;
mod usage;

pub use admin_auth::StoredPassword;
pub use api_keys::ApiKeyRecord;
pub use combos::{Alias, Combo};
pub use connections::{Connection, ConnectionPatch, NewConnection};
pub use oauth::{FlowRecord, StoredTokens, TokenStatus, STATUS_ACTIVE, STATUS_NEEDS_REAUTH};
pub use read_cache::ReadCache;
pub use settings::{RoutingStrategy, Settings};
pub use usage::{UsageBucket, UsageDimension, UsageTotals};

use std::sync::Arc;

use crate::platform::{Clock, Database, DbError, Row, SqlValue};

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A stored row does not have the expected shape (a column missing or of the wrong type).
    #[error("stored row is malformed: {0}")]
    Malformed(String),
}

/// The repository: typed reads and writes of everything the router stores.
#[derive(Clone)]
pub struct Repository {
    db: Arc<dyn Database>,
    cache: Option<(Arc<ReadCache>, Arc<dyn Clock>)>,
}

impl Repository {
    /// Wraps a platform database.
    #[must_use]
    pub fn new(db: Arc<dyn Database>) -> Self {
        Self { db, cache: None }
    }

    /// Wraps a platform database, serving the hot-path reads through `cache`.
    #[must_use]
    pub fn with_read_cache(db: Arc<dyn Database>, cache: Arc<ReadCache>, clock: Arc<dyn Clock>) -> Self {
        Self { db, cache: Some((cache, clock)) }
    }

    /// A read made by every proxied request: served from the read cache when one is configured and fresh.
    async fn query_hot(&self, sql: &str, params: Vec<SqlValue>) -> Result<Arc<Vec<Row>>, DbError> {
        let Some((cache, clock)) = &self.cache else {
            return Ok(Arc::new(self.db.query(sql, params).await?));
        };
        let key = ReadCache::key(sql, &params);
        let now = clock.now_ms();
        if let Some(rows) = cache.get(&key, now) {
            return Ok(rows);
        }
        let rows = Arc::new(self.db.query(sql, params).await?);
        cache.put(key, now, Arc::clone(&rows));
        Ok(rows)
    }

    /// Every write goes through here, so cached reads never outlive a change made by this process.
    async fn execute(&self, sql: &str, params: Vec<SqlValue>) -> Result<u64, DbError> {
        let result = self.db.execute(sql, params).await;
        if let Some((cache, _)) = &self.cache {
            cache.clear();
        }
        result
    }
}

/// A new random record id (128 bits, hex).
pub fn new_id(random: &dyn crate::platform::Random) -> String {
    let mut bytes = [0u8; 16];
    random.fill(&mut bytes);
    crate::auth::hex(&bytes)
}
