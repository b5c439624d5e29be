//! Moving between the JS 9router (the seed) and this router: `9router import` reads the seed's `db.json`
//! (lowdb: `providerConnections`, `apiKeys`, `combos`, `modelAliases`, `settings`, …; schema from the seed's
//! `src/lib/localDb.js`) and `9router export` writes our data back in that shape.
//!
//! [`plan_import`] is a pure mapping from the JSON to our store types plus a list of everything it could not
//! carry over (never dropped silently); [`apply_import`] writes a plan idempotently (by id, or by name for
//! combos and aliases, by key hash for API keys). [`export`] is the reverse.

mod apply;
mod export;
mod import;
mod import_nodes;
pub mod iso_time;

pub use apply::{apply_import, Applied};
pub use export::export;
pub use import::{plan_import, ImportPlan};

/// Why a file cannot be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// Not JSON, or not an object at the top.
    #[error("not a 9router db.json: {0}")]
    NotSeedDb(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

#[cfg(test)]
mod tests;
