//! A [`Database`] wrapper counting what reaches the database — reads, single writes and batches (one round trip
//! each) — so the number of D1 round trips per request can be measured from outside (`GET /api/stats`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde::Serialize;

use super::{BoxFuture, Database, DbError, Row, SqlValue, Statement};

/// Counters since the process (natively) or the isolate (on the edge) started.
#[derive(Debug, Default)]
pub struct DbCounters {
    queries: AtomicU64,
    executes: AtomicU64,
    batches: AtomicU64,
}

/// A copy of [`DbCounters`] at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DbCounts {
    /// Reads (`SELECT`s) that reached the database (read-cache hits are not counted).
    pub queries: u64,
    /// Single write statements.
    pub executes: u64,
    /// Batches (several statements in one round trip).
    pub batches: u64,
}

impl DbCounters {
    /// The counts now.
    #[must_use]
    pub fn snapshot(&self) -> DbCounts {
        DbCounts {
            queries: self.queries.load(Ordering::Relaxed),
            executes: self.executes.load(Ordering::Relaxed),
            batches: self.batches.load(Ordering::Relaxed),
        }
    }
}

/// Counts every call, then delegates to the wrapped database.
pub struct CountingDatabase {
    inner: Arc<dyn Database>,
    counters: Arc<DbCounters>,
}

impl CountingDatabase {
    /// Wraps `inner`, counting into `counters`.
    #[must_use]
    pub fn new(inner: Arc<dyn Database>, counters: Arc<DbCounters>) -> Self {
        Self { inner, counters }
    }
}

impl Database for CountingDatabase {
    fn query<'a>(&'a self, sql: &'a str, params: Vec<SqlValue>) -> BoxFuture<'a, Result<Vec<Row>, DbError>> {
        self.counters.queries.fetch_add(1, Ordering::Relaxed);
        self.inner.query(sql, params)
    }

    fn execute<'a>(&'a self, sql: &'a str, params: Vec<SqlValue>) -> BoxFuture<'a, Result<u64, DbError>> {
        self.counters.executes.fetch_add(1, Ordering::Relaxed);
        self.inner.execute(sql, params)
    }

    fn execute_batch(&self, statements: Vec<Statement>) -> BoxFuture<'_, Result<(), DbError>> {
        self.counters.batches.fetch_add(1, Ordering::Relaxed);
        self.inner.execute_batch(statements)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nothing;

    impl Database for Nothing {
        fn query<'a>(&'a self, _: &'a str, _: Vec<SqlValue>) -> BoxFuture<'a, Result<Vec<Row>, DbError>> {
            Box::pin(async { Ok(Vec::new()) })
        }
        fn execute<'a>(&'a self, _: &'a str, _: Vec<SqlValue>) -> BoxFuture<'a, Result<u64, DbError>> {
            Box::pin(async { Ok(1) })
        }
        fn execute_batch(&self, _: Vec<Statement>) -> BoxFuture<'_, Result<(), DbError>> {
            Box::pin(async { Ok(()) })
        }
    }

    #[test]
    fn counts_each_kind_of_call() {
        let counters = Arc::new(DbCounters::default());
        let db = CountingDatabase::new(Arc::new(Nothing), Arc::clone(&counters));
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        runtime.block_on(async {
            db.query("SELECT 1", vec![]).await.expect("query");
            db.query("SELECT 2", vec![]).await.expect("query");
            db.execute("DELETE FROM x", vec![]).await.expect("execute");
            db.execute_batch(vec![("A".into(), vec![]), ("B".into(), vec![])]).await.expect("batch");
        });
        assert_eq!(counters.snapshot(), DbCounts { queries: 2, executes: 1, batches: 1 });
    }
}
