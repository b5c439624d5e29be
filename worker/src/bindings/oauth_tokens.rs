//! OAuth tokens on the edge: one Durable Object per account (`idFromName(connection id)`), a shell around
//! `shared::oauth::TokenBroker`. Every token request of an account goes through its object, so its refreshes
//! are serialised: requests that interleave while a refresh awaits the provider queue on the broker's lock and
//! then get the refreshed token. The sealed credentials stay in D1 (`oauth_tokens`), read once per object
//! instance and rewritten by the object after each refresh.

use std::sync::Arc;

use shared::config::Config;
use shared::oauth::{Grant, GrantRequest, TokenBroker, TokenError, TokenSource};
use shared::platform::BoxFuture;
use shared::store::Repository;
use worker::send::SendFuture;
use worker::{durable_object, DurableObject, Env, Method, ObjectNamespace, Request, RequestInit, Response, State};

use super::{D1Store, FetchClient, JsClock, JsRandom};

/// The Durable Object class (`OAUTH_TOKENS` binding): POST a `GrantRequest`, get `{"Ok": grant}` or
/// `{"Err": error}`.
#[durable_object(fetch)]
pub struct OAuthTokens {
    broker: Result<TokenBroker, String>,
}

fn broker(env: &Env) -> Result<TokenBroker, String> {
    let config = Config::from_lookup(|name| crate::lookup(env, name)).map_err(|e| e.to_string())?;
    let db = env.d1(crate::D1_BINDING).map_err(|e| e.to_string())?;
    Ok(TokenBroker::new(
        Repository::new(Arc::new(D1Store::new(db))),
        Arc::new(FetchClient),
        Arc::new(JsClock),
        Arc::new(JsRandom),
        config.token_cipher(),
        config.url_overrides,
    ))
}

impl DurableObject for OAuthTokens {
    fn new(_state: State, env: Env) -> Self {
        Self { broker: broker(&env) }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let request: GrantRequest = match req.json().await {
            Ok(request) => request,
            Err(e) => return Response::error(format!("bad token request: {e}"), 400),
        };
        let result = match &self.broker {
            Ok(broker) => broker.fresh_grant(&request).await,
            Err(why) => Err(TokenError::Internal(why.clone())),
        };
        Response::from_json(&result)
    }
}

/// The Worker-side [`TokenSource`]: asks the account's object.
pub struct DurableTokenSource {
    namespace: ObjectNamespace,
}

impl DurableTokenSource {
    /// Wraps the namespace binding.
    pub fn new(namespace: ObjectNamespace) -> Self {
        Self { namespace }
    }

    async fn call(&self, request: &GrantRequest) -> Result<Grant, TokenError> {
        let fail = |e: worker::Error| TokenError::Internal(format!("token object unavailable: {e}"));
        let stub = self.namespace.id_from_name(&request.connection_id).and_then(|id| id.get_stub()).map_err(fail)?;
        let body = serde_json::to_string(request).map_err(|e| TokenError::Internal(e.to_string()))?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post).with_body(Some(body.into()));
        let outbound = Request::new_with_init("https://oauth-tokens/grant", &init).map_err(fail)?;
        let mut response = stub.fetch_with_request(outbound).await.map_err(fail)?;
        if response.status_code() != 200 {
            return Err(TokenError::Internal(format!("token object answered {}", response.status_code())));
        }
        response.json::<Result<Grant, TokenError>>().await.map_err(fail)?
    }
}

impl TokenSource for DurableTokenSource {
    fn grant<'a>(&'a self, request: &'a GrantRequest) -> BoxFuture<'a, Result<Grant, TokenError>> {
        Box::pin(SendFuture::new(self.call(request)))
    }
}
