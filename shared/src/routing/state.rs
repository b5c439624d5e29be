//! Shared routing state of one provider: the cooldown books of its accounts and its round-robin cursors.
//!
//! Sharding: one state per provider. A request routes within one provider at a time, so one read gives it every
//! account's cooldowns (one Durable Object round-trip on the edge, not one per account), and a provider's traffic
//! is far below what one object serialises. The edge keeps a short-lived snapshot of it in isolate memory
//! ([`SnapshotCache`]), so a request pays no round-trip at all while its snapshot is fresh and it needs no
//! round-robin turn. The same type sits behind a mutex natively.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::cooldown::{CooldownBook, CooldownCommand};
use super::policy::FailureClass;
use crate::platform::{BoxFuture, Clock, StateError};

/// What a request sees of a provider's routing state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingSnapshot {
    /// Account id → its cooldown book (accounts without cooldowns are absent).
    #[serde(default)]
    pub books: BTreeMap<String, CooldownBook>,
    /// The round-robin turn taken by this request, when it asked for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn: Option<u64>,
    /// Conversation key → the account it sticks to, and until when.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sessions: BTreeMap<String, Stick>,
}

/// A conversation's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stick {
    /// Account id.
    pub account: String,
    /// Unix ms until which it holds.
    pub until_ms: u64,
}

impl RoutingSnapshot {
    /// Until when `account` is cooling down for `model`, if it is.
    #[must_use]
    pub fn cooling_until(&self, account: &str, model: &str, now_ms: u64) -> Option<u64> {
        self.books.get(account)?.cooling_until(model, now_ms)
    }

    /// The account `session` sticks to at `now_ms`, if any.
    #[must_use]
    pub fn sticky_account(&self, session: &str, now_ms: u64) -> Option<&str> {
        self.sessions.get(session).filter(|s| s.until_ms > now_ms).map(|s| s.account.as_str())
    }

    /// Whether `account` has any record for `model` (a success must then clear it).
    #[must_use]
    pub fn has_record(&self, account: &str, model: &str) -> bool {
        self.books.get(account).is_some_and(|b| b.entries.contains_key(model))
    }
}

/// A change to (or read of) a provider's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum RoutingCommand {
    /// Read; with `turn_key`, also take the next round-robin turn of that key.
    Snapshot {
        /// Cursor to advance (e.g. the model), if round-robin.
        turn_key: Option<String>,
    },
    /// An attempt at `account` failed.
    Fail {
        /// Account id.
        account: String,
        /// Model.
        model: String,
        /// Failure class.
        class: FailureClass,
        /// Upstream hint.
        retry_after_ms: Option<u64>,
        /// When.
        now_ms: u64,
    },
    /// A conversation sticks to `account` until `until_ms`.
    Stick {
        /// Conversation key (hashed).
        session: String,
        /// Account id.
        account: String,
        /// Until when.
        until_ms: u64,
        /// Now (expired stickings are pruned).
        now_ms: u64,
    },
    /// An attempt at `account` succeeded.
    Succeed {
        /// Account id.
        account: String,
        /// Model.
        model: String,
    },
}

/// The authoritative state of one provider.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderRoutingState {
    /// Account id → cooldowns.
    #[serde(default)]
    pub books: BTreeMap<String, CooldownBook>,
    /// Round-robin cursors by key.
    #[serde(default)]
    pub cursors: BTreeMap<String, u64>,
    /// Conversation stickings.
    #[serde(default)]
    pub sessions: BTreeMap<String, Stick>,
}

impl ProviderRoutingState {
    /// Applies `command`; returns the snapshot after it and whether the state changed (needs persisting).
    pub fn apply(&mut self, command: RoutingCommand) -> (RoutingSnapshot, bool) {
        let (turn, changed) = match command {
            RoutingCommand::Snapshot { turn_key: None } => (None, false),
            RoutingCommand::Snapshot { turn_key: Some(key) } => {
                let cursor = self.cursors.entry(key).or_insert(0);
                let turn = *cursor;
                *cursor = cursor.wrapping_add(1);
                (Some(turn), true)
            }
            RoutingCommand::Fail { account, model, class, retry_after_ms, now_ms } => {
                let book = self.books.entry(account).or_default();
                book.apply(CooldownCommand::Fail { model, class, retry_after_ms, now_ms });
                (None, true)
            }
            RoutingCommand::Stick { session, account, until_ms, now_ms } => {
                self.sessions.retain(|_, s| s.until_ms > now_ms);
                self.sessions.insert(session, Stick { account, until_ms });
                (None, true)
            }
            RoutingCommand::Succeed { account, model } => {
                let changed = match self.books.get_mut(&account) {
                    Some(book) => {
                        let had = book.entries.contains_key(&model);
                        book.apply(CooldownCommand::Succeed { model });
                        if book.entries.is_empty() {
                            self.books.remove(&account);
                        }
                        had
                    }
                    None => false,
                };
                (None, changed)
            }
        };
        let snapshot = RoutingSnapshot { books: self.books.clone(), turn, sessions: self.sessions.clone() };
        (snapshot, changed)
    }
}

/// Where provider routing states live: a Durable Object per provider on the edge, a map in memory natively.
pub trait RoutingStateStore: Send + Sync {
    /// Applies `command` to `provider`'s state and returns the snapshot after it.
    fn apply<'a>(
        &'a self,
        provider: &'a str,
        command: RoutingCommand,
    ) -> BoxFuture<'a, Result<RoutingSnapshot, StateError>>;
}

/// In-process states (the native server, and tests).
#[derive(Debug, Default)]
pub struct MemoryRoutingState {
    providers: Mutex<HashMap<String, ProviderRoutingState>>,
}

impl RoutingStateStore for MemoryRoutingState {
    fn apply<'a>(
        &'a self,
        provider: &'a str,
        command: RoutingCommand,
    ) -> BoxFuture<'a, Result<RoutingSnapshot, StateError>> {
        let result = self
            .providers
            .lock()
            .map(|mut providers| providers.entry(provider.to_owned()).or_default().apply(command).0)
            .map_err(|_| StateError("routing state lock poisoned".into()));
        Box::pin(async move { result })
    }
}

/// How long a cached snapshot is trusted. Another isolate's new cooldown is seen at most this late; the cost of
/// that is one extra attempt at an account that then fails fast and falls back.
pub const SNAPSHOT_TTL_MS: u64 = 2_000;

/// Snapshots kept in isolate memory, by provider.
#[derive(Debug, Default)]
pub struct SnapshotCache {
    entries: Mutex<HashMap<String, (u64, RoutingSnapshot)>>,
}

impl SnapshotCache {
    fn fresh(&self, provider: &str, now_ms: u64) -> Option<RoutingSnapshot> {
        let entries = self.entries.lock().ok()?;
        let (at, snapshot) = entries.get(provider)?;
        (now_ms.saturating_sub(*at) < SNAPSHOT_TTL_MS).then(|| snapshot.clone())
    }

    fn store(&self, provider: &str, now_ms: u64, snapshot: &RoutingSnapshot) {
        if let Ok(mut entries) = self.entries.lock() {
            let mut kept = snapshot.clone();
            kept.turn = None;
            entries.insert(provider.to_owned(), (now_ms, kept));
        }
    }
}

/// A [`RoutingStateStore`] read through a [`SnapshotCache`]: plain reads are served from a fresh snapshot;
/// round-robin turns and writes go to the store and refresh the snapshot.
pub struct CachedRoutingState {
    inner: Arc<dyn RoutingStateStore>,
    cache: Arc<SnapshotCache>,
    clock: Arc<dyn Clock>,
}

impl CachedRoutingState {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn RoutingStateStore>, cache: Arc<SnapshotCache>, clock: Arc<dyn Clock>) -> Self {
        Self { inner, cache, clock }
    }
}

impl RoutingStateStore for CachedRoutingState {
    fn apply<'a>(
        &'a self,
        provider: &'a str,
        command: RoutingCommand,
    ) -> BoxFuture<'a, Result<RoutingSnapshot, StateError>> {
        Box::pin(async move {
            let now = self.clock.now_ms();
            if command == (RoutingCommand::Snapshot { turn_key: None }) {
                if let Some(snapshot) = self.cache.fresh(provider, now) {
                    return Ok(snapshot);
                }
            }
            let snapshot = self.inner.apply(provider, command).await?;
            self.cache.store(provider, now, &snapshot);
            Ok(snapshot)
        })
    }
}

#[cfg(test)]
mod tests;
