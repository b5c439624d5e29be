use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use super::*;

fn fail(account: &str, now_ms: u64) -> RoutingCommand {
    RoutingCommand::Fail {
        account: account.into(),
        model: "m".into(),
        class: FailureClass::RateLimited,
        retry_after_ms: Some(5_000),
        now_ms,
    }
}

#[test]
fn turns_advance_per_key_and_reads_do_not_change_state() {
    let mut state = ProviderRoutingState::default();
    let turn =
        |s: &mut ProviderRoutingState, k: &str| s.apply(RoutingCommand::Snapshot { turn_key: Some(k.into()) }).0.turn;
    assert_eq!(turn(&mut state, "a"), Some(0));
    assert_eq!(turn(&mut state, "a"), Some(1));
    assert_eq!(turn(&mut state, "b"), Some(0));
    let (snapshot, changed) = state.apply(RoutingCommand::Snapshot { turn_key: None });
    assert!(!changed);
    assert_eq!(snapshot.turn, None);
}

#[test]
fn failures_and_successes_update_the_books() {
    let mut state = ProviderRoutingState::default();
    let (snapshot, changed) = state.apply(fail("acct", 1_000));
    assert!(changed);
    assert_eq!(snapshot.cooling_until("acct", "m", 1_000), Some(6_000));
    assert_eq!(snapshot.cooling_until("other", "m", 1_000), None);
    let (snapshot, changed) = state.apply(RoutingCommand::Succeed { account: "acct".into(), model: "m".into() });
    assert!(changed);
    assert!(snapshot.books.is_empty());
    let (_, changed) = state.apply(RoutingCommand::Succeed { account: "acct".into(), model: "m".into() });
    assert!(!changed, "a success with nothing to clear writes nothing");
}

#[test]
fn commands_round_trip_through_json() {
    let command = fail("acct", 3);
    let json = serde_json::to_string(&command).expect("serializes");
    assert_eq!(serde_json::from_str::<RoutingCommand>(&json).expect("parses"), command);
}

struct CountingStore {
    calls: AtomicUsize,
    state: MemoryRoutingState,
}

impl RoutingStateStore for CountingStore {
    fn apply<'a>(
        &'a self,
        provider: &'a str,
        command: RoutingCommand,
    ) -> BoxFuture<'a, Result<RoutingSnapshot, StateError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.state.apply(provider, command)
    }
}

struct ManualClock(AtomicU64);

impl Clock for ManualClock {
    fn now_ms(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
    fn sleep(&self, _ms: u64) -> BoxFuture<'static, ()> {
        Box::pin(async {})
    }
}

#[tokio::test]
async fn the_cache_serves_reads_until_stale_and_sees_its_own_writes() {
    let inner = Arc::new(CountingStore { calls: AtomicUsize::new(0), state: MemoryRoutingState::default() });
    let clock = Arc::new(ManualClock(AtomicU64::new(10_000)));
    let cached = CachedRoutingState::new(inner.clone(), Arc::new(SnapshotCache::default()), clock.clone());
    let read = RoutingCommand::Snapshot { turn_key: None };

    cached.apply("p", read.clone()).await.expect("read");
    cached.apply("p", read.clone()).await.expect("read");
    assert_eq!(inner.calls.load(Ordering::SeqCst), 1, "second read served from the isolate");

    cached.apply("p", fail("acct", 10_000)).await.expect("write");
    let seen = cached.apply("p", read.clone()).await.expect("read");
    assert!(seen.cooling_until("acct", "m", 10_000).is_some(), "own write visible at once");
    assert_eq!(inner.calls.load(Ordering::SeqCst), 2);

    clock.0.store(10_000 + SNAPSHOT_TTL_MS, Ordering::SeqCst);
    cached.apply("p", read.clone()).await.expect("read");
    assert_eq!(inner.calls.load(Ordering::SeqCst), 3, "stale snapshot refetched");

    let turn = cached.apply("p", RoutingCommand::Snapshot { turn_key: Some("m".into()) }).await.expect("turn");
    assert_eq!(turn.turn, Some(0));
    assert_eq!(inner.calls.load(Ordering::SeqCst), 4, "round-robin turns always reach the store");
}
