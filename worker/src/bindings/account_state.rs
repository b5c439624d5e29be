//! Per-account state on the edge: one Durable Object per account (`idFromName(account id)`), so every request
//! for the account worldwide sees the same cooldowns and the object serialises updates to them. The object is a
//! shell around `shared::routing::cooldown::CooldownBook`: GET returns the book, POST applies a command.

use std::cell::RefCell;

use shared::platform::{AccountStateStore, BoxFuture, StateError};
use shared::routing::cooldown::{CooldownBook, CooldownCommand};
use worker::send::SendFuture;
use worker::{
    durable_object, DurableObject, Env, Method, ObjectNamespace, Request, RequestInit, Response,
    State,
};

/// Storage key of the book inside the object.
const BOOK_KEY: &str = "cooldowns";

/// The Durable Object class (`ACCOUNT_STATE` binding).
#[durable_object(fetch)]
pub struct AccountState {
    state: State,
    book: RefCell<Option<CooldownBook>>,
}

impl AccountState {
    async fn load(&self) -> worker::Result<CooldownBook> {
        if let Some(book) = self.book.borrow().as_ref() {
            return Ok(book.clone());
        }
        let book: CooldownBook = self
            .state
            .storage()
            .get(BOOK_KEY)
            .await?
            .unwrap_or_default();
        *self.book.borrow_mut() = Some(book.clone());
        Ok(book)
    }
}

impl DurableObject for AccountState {
    fn new(state: State, _env: Env) -> Self {
        Self {
            state,
            book: RefCell::new(None),
        }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let mut book = self.load().await?;
        if req.method() == Method::Post {
            let command: CooldownCommand = match req.json().await {
                Ok(command) => command,
                Err(e) => return Response::error(format!("bad cooldown command: {e}"), 400),
            };
            book.apply(command);
            self.state.storage().put(BOOK_KEY, &book).await?;
            *self.book.borrow_mut() = Some(book.clone());
        }
        Response::from_json(&book)
    }
}

/// The Worker-side client of [`AccountState`].
pub struct DurableAccountState {
    namespace: ObjectNamespace,
}

impl DurableAccountState {
    /// Wraps the namespace binding.
    pub fn new(namespace: ObjectNamespace) -> Self {
        Self { namespace }
    }

    async fn call(
        &self,
        account_id: &str,
        command: Option<CooldownCommand>,
    ) -> Result<CooldownBook, StateError> {
        let fail = |e: worker::Error| StateError(e.to_string());
        let stub = self
            .namespace
            .id_from_name(account_id)
            .and_then(|id| id.get_stub())
            .map_err(fail)?;
        let mut init = RequestInit::new();
        if let Some(command) = command {
            let body = serde_json::to_string(&command).map_err(|e| StateError(e.to_string()))?;
            init.with_method(Method::Post).with_body(Some(body.into()));
        }
        let request =
            Request::new_with_init("https://account-state/cooldowns", &init).map_err(fail)?;
        let mut response = stub.fetch_with_request(request).await.map_err(fail)?;
        if response.status_code() != 200 {
            return Err(StateError(format!(
                "account state answered {}",
                response.status_code()
            )));
        }
        response.json().await.map_err(fail)
    }
}

impl AccountStateStore for DurableAccountState {
    fn cooldowns<'a>(
        &'a self,
        account_id: &'a str,
    ) -> BoxFuture<'a, Result<CooldownBook, StateError>> {
        Box::pin(SendFuture::new(self.call(account_id, None)))
    }

    fn apply<'a>(
        &'a self,
        account_id: &'a str,
        command: CooldownCommand,
    ) -> BoxFuture<'a, Result<CooldownBook, StateError>> {
        Box::pin(SendFuture::new(self.call(account_id, Some(command))))
    }
}
