//! Native routing state: the core's per-provider state in memory, behind one mutex, persisted to SQLite after
//! every change by a background writer (coalesced per provider) and loaded back on the first request after a
//! restart — so cooldowns, round-robin cursors and conversation stickings survive restarts as they do in the
//! edge's Durable Objects. Persistence is best effort: state changed in the last moments before a crash may be
//! lost, which only costs an extra attempt at an account.

use std::collections::HashMap;
use std::sync::Mutex;

use tokio::sync::{mpsc, OnceCell};

use crate::platform::{BoxFuture, Clock, RoutingStateStore, StateError};
use crate::routing::state::{ProviderRoutingState, RoutingCommand, RoutingSnapshot};
use crate::store::Repository;

/// The routing state store of the native server.
pub struct PersistentRoutingState {
    providers: Mutex<HashMap<String, ProviderRoutingState>>,
    loaded: OnceCell<()>,
    repo: Repository,
    changes: mpsc::UnboundedSender<(String, String)>,
}

impl PersistentRoutingState {
    /// A store over `repo`; spawns its writer on the current Tokio runtime.
    pub fn new(repo: Repository, clock: std::sync::Arc<dyn Clock>) -> Self {
        let (changes, receiver) = mpsc::unbounded_channel();
        tokio::spawn(write_changes(repo.clone(), clock, receiver));
        Self { providers: Mutex::new(HashMap::new()), loaded: OnceCell::new(), repo, changes }
    }

    async fn load(&self) {
        let stored = match self.repo.load_routing_states().await {
            Ok(stored) => stored,
            Err(err) => {
                eprintln!("9router: routing state not restored: {err}");
                return;
            }
        };
        if let Ok(mut providers) = self.providers.lock() {
            for (provider, json) in stored {
                match serde_json::from_str::<ProviderRoutingState>(&json) {
                    Ok(state) => {
                        providers.entry(provider).or_insert(state);
                    }
                    Err(err) => eprintln!("9router: stored routing state of `{provider}` ignored: {err}"),
                }
            }
        }
    }
}

impl RoutingStateStore for PersistentRoutingState {
    fn apply<'a>(
        &'a self,
        provider: &'a str,
        command: RoutingCommand,
    ) -> BoxFuture<'a, Result<RoutingSnapshot, StateError>> {
        Box::pin(async move {
            self.loaded.get_or_init(|| self.load()).await;
            let mut providers = self.providers.lock().map_err(|_| StateError("routing state lock poisoned".into()))?;
            let state = providers.entry(provider.to_owned()).or_default();
            let (snapshot, changed) = state.apply(command);
            if changed {
                if let Ok(json) = serde_json::to_string(state) {
                    let _ = self.changes.send((provider.to_owned(), json));
                }
            }
            Ok(snapshot)
        })
    }
}

/// Writes changed states, keeping only the latest of each provider when several are queued.
async fn write_changes(
    repo: Repository,
    clock: std::sync::Arc<dyn Clock>,
    mut receiver: mpsc::UnboundedReceiver<(String, String)>,
) {
    while let Some((provider, json)) = receiver.recv().await {
        let mut latest = HashMap::from([(provider, json)]);
        while let Ok((provider, json)) = receiver.try_recv() {
            latest.insert(provider, json);
        }
        let now = i64::try_from(clock.now_ms()).unwrap_or(i64::MAX);
        for (provider, json) in latest {
            if let Err(err) = repo.save_routing_state(&provider, &json, now).await {
                eprintln!("9router: routing state of `{provider}` not saved: {err}");
            }
        }
    }
}
