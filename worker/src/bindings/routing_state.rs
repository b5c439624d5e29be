//! Shared routing state on the edge: one Durable Object per provider (`idFromName(provider id)`), a shell around
//! `shared::routing::state::ProviderRoutingState`. The Worker reads it through the core's snapshot cache, which
//! lives in isolate memory for the isolate's lifetime. See `shared::routing::state` for why provider sharding.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use shared::platform::{BoxFuture, StateError};
use shared::routing::state::{ProviderRoutingState, RoutingCommand, RoutingSnapshot, RoutingStateStore, SnapshotCache};
use worker::send::SendFuture;
use worker::{durable_object, DurableObject, Env, Method, ObjectNamespace, Request, RequestInit, Response, State};

/// Storage key of the state inside the object.
const STATE_KEY: &str = "routing";

/// The isolate's snapshot cache, shared by every request this isolate serves.
pub fn snapshot_cache() -> Arc<SnapshotCache> {
    static CACHE: OnceLock<Arc<SnapshotCache>> = OnceLock::new();
    Arc::clone(CACHE.get_or_init(Arc::default))
}

/// The Durable Object class (`ROUTING_STATE` binding): POST a `RoutingCommand`, get the snapshot after it.
#[durable_object(fetch)]
pub struct RoutingState {
    state: State,
    loaded: RefCell<Option<ProviderRoutingState>>,
}

impl RoutingState {
    async fn load(&self) -> worker::Result<ProviderRoutingState> {
        if let Some(current) = self.loaded.borrow().as_ref() {
            return Ok(current.clone());
        }
        let stored: ProviderRoutingState = self.state.storage().get(STATE_KEY).await?.unwrap_or_default();
        *self.loaded.borrow_mut() = Some(stored.clone());
        Ok(stored)
    }
}

impl DurableObject for RoutingState {
    fn new(state: State, _env: Env) -> Self {
        Self { state, loaded: RefCell::new(None) }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let command: RoutingCommand = match req.json().await {
            Ok(command) => command,
            Err(e) => return Response::error(format!("bad routing command: {e}"), 400),
        };
        let mut current = self.load().await?;
        let (snapshot, changed) = current.apply(command);
        if changed {
            self.state.storage().put(STATE_KEY, &current).await?;
        }
        *self.loaded.borrow_mut() = Some(current);
        Response::from_json(&snapshot)
    }
}

/// The Worker-side client of [`RoutingState`].
pub struct DurableRoutingState {
    namespace: ObjectNamespace,
}

impl DurableRoutingState {
    /// Wraps the namespace binding.
    pub fn new(namespace: ObjectNamespace) -> Self {
        Self { namespace }
    }

    async fn call(&self, provider: &str, command: RoutingCommand) -> Result<RoutingSnapshot, StateError> {
        let fail = |e: worker::Error| StateError(e.to_string());
        let stub = self.namespace.id_from_name(provider).and_then(|id| id.get_stub()).map_err(fail)?;
        let body = serde_json::to_string(&command).map_err(|e| StateError(e.to_string()))?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post).with_body(Some(body.into()));
        let request = Request::new_with_init("https://routing-state/apply", &init).map_err(fail)?;
        let mut response = stub.fetch_with_request(request).await.map_err(fail)?;
        if response.status_code() != 200 {
            return Err(StateError(format!("routing state answered {}", response.status_code())));
        }
        response.json().await.map_err(fail)
    }
}

impl RoutingStateStore for DurableRoutingState {
    fn apply<'a>(
        &'a self,
        provider: &'a str,
        command: RoutingCommand,
    ) -> BoxFuture<'a, Result<RoutingSnapshot, StateError>> {
        Box::pin(SendFuture::new(self.call(provider, command)))
    }
}
