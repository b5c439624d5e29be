//! The cooldown book of one account: per model, until when the account must not be used and why.
//! A Durable Object (edge) or an in-process map (native) holds one book per account and applies
//! [`CooldownCommand`]s to it; the logic lives here so both behave identically.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::policy::{backoff_ms, FailureClass};

/// Key under which a failure that concerns every model of the account is recorded.
pub const ALL_MODELS: &str = "*";

/// Upstream retry hints are honoured up to this long (a provider saying "come back tomorrow" for a daily quota
/// still gets the account re-tried after a day, not never).
pub const MAX_RETRY_AFTER_MS: u64 = 24 * 60 * 60 * 1000;

/// One model's cooldown on an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cooldown {
    /// Unix milliseconds until which the account is skipped for this model.
    pub until_ms: u64,
    /// What caused it.
    pub reason: FailureClass,
    /// Consecutive failures so far (drives exponential backoff; reset by a success).
    pub consecutive_failures: u32,
}

/// A change to a book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum CooldownCommand {
    /// A request for `model` failed with `class` at `now_ms`; `retry_after_ms` is the upstream's own hint.
    Fail {
        /// Model the failure concerns (or [`ALL_MODELS`]).
        model: String,
        /// Failure class.
        class: FailureClass,
        /// Upstream's retry hint, when it gave one.
        retry_after_ms: Option<u64>,
        /// When the failure happened.
        now_ms: u64,
    },
    /// A request for `model` succeeded: its cooldown and failure count are cleared.
    Succeed {
        /// Model that succeeded.
        model: String,
    },
}

/// Cooldowns of one account, by model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CooldownBook {
    /// Model → cooldown.
    #[serde(default)]
    pub entries: BTreeMap<String, Cooldown>,
}

impl CooldownBook {
    /// Applies `command`, pruning entries that have expired long ago so the book stays small.
    pub fn apply(&mut self, command: CooldownCommand) {
        match command {
            CooldownCommand::Fail { model, class, retry_after_ms, now_ms } => {
                let current = self.entries.get(&model);
                // Requests that were already in flight when the first failure opened the window report the
                // same failure again: they extend the window to the upstream's hint but do not raise the level.
                let window_open = current.is_some_and(|c| c.until_ms > now_ms);
                let previous = current.map_or(0, |c| c.consecutive_failures);
                let failures = if window_open { previous.max(1) } else { previous.saturating_add(1) };
                let wait = retry_after_ms
                    .map(|hint| hint.min(MAX_RETRY_AFTER_MS))
                    .unwrap_or_else(|| backoff_ms(class, failures));
                let until_ms = now_ms.saturating_add(wait).max(current.map_or(0, |c| c.until_ms));
                self.prune(now_ms);
                self.entries.insert(model, Cooldown { until_ms, reason: class, consecutive_failures: failures });
            }
            CooldownCommand::Succeed { model } => {
                self.entries.remove(&model);
            }
        }
    }

    /// Until when the account is cooling down for `model` (a whole-account cooldown counts too), if it is.
    #[must_use]
    pub fn cooling_until(&self, model: &str, now_ms: u64) -> Option<u64> {
        [model, ALL_MODELS]
            .iter()
            .filter_map(|key| self.entries.get(*key))
            .map(|c| c.until_ms)
            .filter(|until| *until > now_ms)
            .max()
    }

    /// Drops entries that expired more than an hour ago (their failure counts are stale by then).
    fn prune(&mut self, now_ms: u64) {
        const STALE_AFTER_MS: u64 = 60 * 60 * 1000;
        self.entries.retain(|_, c| c.until_ms.saturating_add(STALE_AFTER_MS) > now_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(model: &str, class: FailureClass, retry: Option<u64>, now: u64) -> CooldownCommand {
        CooldownCommand::Fail { model: model.into(), class, retry_after_ms: retry, now_ms: now }
    }

    #[test]
    fn retry_after_hint_wins_over_backoff() {
        let mut book = CooldownBook::default();
        book.apply(fail("m", FailureClass::RateLimited, Some(7_000), 1_000));
        assert_eq!(book.cooling_until("m", 1_000), Some(8_000));
        assert_eq!(book.cooling_until("m", 8_000), None);
        assert_eq!(book.cooling_until("other", 1_000), None);
    }

    #[test]
    fn rate_limit_backoff_doubles_and_success_resets() {
        let mut book = CooldownBook::default();
        book.apply(fail("m", FailureClass::RateLimited, None, 0));
        assert_eq!(book.cooling_until("m", 0), Some(1_000));
        book.apply(fail("m", FailureClass::RateLimited, None, 1_000));
        assert_eq!(book.cooling_until("m", 1_000), Some(3_000));
        book.apply(fail("m", FailureClass::RateLimited, None, 3_000));
        assert_eq!(book.cooling_until("m", 3_000), Some(7_000));
        book.apply(CooldownCommand::Succeed { model: "m".into() });
        assert_eq!(book.cooling_until("m", 3_000), None);
        book.apply(fail("m", FailureClass::RateLimited, None, 10_000));
        assert_eq!(book.cooling_until("m", 10_000), Some(11_000));
    }

    #[test]
    fn concurrent_failures_in_one_window_raise_the_level_once() {
        let mut book = CooldownBook::default();
        book.apply(fail("m", FailureClass::RateLimited, None, 0));
        book.apply(fail("m", FailureClass::RateLimited, None, 10));
        book.apply(fail("m", FailureClass::RateLimited, None, 20));
        let entry = book.entries.get("m").expect("recorded");
        assert_eq!(entry.consecutive_failures, 1);
        assert_eq!(entry.until_ms, 1_020);
        book.apply(fail("m", FailureClass::RateLimited, None, 2_000));
        assert_eq!(book.entries.get("m").map(|c| c.consecutive_failures), Some(2));
    }

    #[test]
    fn huge_retry_hints_are_capped() {
        let mut book = CooldownBook::default();
        book.apply(fail("m", FailureClass::RateLimited, Some(u64::MAX / 2), 0));
        assert_eq!(book.cooling_until("m", 0), Some(MAX_RETRY_AFTER_MS));
    }

    #[test]
    fn whole_account_cooldown_covers_every_model() {
        let mut book = CooldownBook::default();
        book.apply(fail(ALL_MODELS, FailureClass::AuthFailed, None, 0));
        assert!(book.cooling_until("any-model", 10).is_some());
    }

    #[test]
    fn book_round_trips_through_json() {
        let mut book = CooldownBook::default();
        book.apply(fail("m", FailureClass::ServerError, None, 5));
        let json = serde_json::to_string(&book).expect("serializable");
        let back: CooldownBook = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, book);
    }
}
