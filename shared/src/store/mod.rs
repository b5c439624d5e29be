//! Typed storage over [`Database`]: the only module that writes SQL. Callers see records and methods, never a
//! statement, so the edge (D1) and the native server (SQLite) run identical queries.

mod api_keys;
mod combos;
mod connections;
mod row;
mod settings;

pub use api_keys::ApiKeyRecord;
pub use combos::{Alias, Combo};
pub use connections::{Connection, ConnectionPatch, NewConnection};
pub use settings::{RoutingStrategy, Settings};

use std::sync::Arc;

use crate::platform::{Database, DbError};

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
}

impl Repository {
    /// Wraps a platform database.
    #[must_use]
    pub fn new(db: Arc<dyn Database>) -> Self {
        Self { db }
    }
}

/// A new random record id (128 bits, hex).
pub fn new_id(random: &dyn crate::platform::Random) -> String {
    let mut bytes = [0u8; 16];
    random.fill(&mut bytes);
    crate::auth::hex(&bytes)
}
