//! Per-account state in process memory: the native equivalent of the edge's Durable Object. Cooldowns are
//! short-lived, so losing them on restart only means one extra attempt at a cooling account.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::platform::{AccountStateStore, BoxFuture, StateError};
use crate::routing::cooldown::{CooldownBook, CooldownCommand};

/// Cooldown books by account id.
#[derive(Debug, Default)]
pub struct MemoryAccountState {
    books: Mutex<HashMap<String, CooldownBook>>,
}

impl MemoryAccountState {
    fn with_books<T>(
        &self,
        f: impl FnOnce(&mut HashMap<String, CooldownBook>) -> T,
    ) -> Result<T, StateError> {
        let mut books = self
            .books
            .lock()
            .map_err(|_| StateError("account state lock poisoned".into()))?;
        Ok(f(&mut books))
    }
}

impl AccountStateStore for MemoryAccountState {
    fn cooldowns<'a>(
        &'a self,
        account_id: &'a str,
    ) -> BoxFuture<'a, Result<CooldownBook, StateError>> {
        let result = self.with_books(|books| books.get(account_id).cloned().unwrap_or_default());
        Box::pin(async move { result })
    }

    fn apply<'a>(
        &'a self,
        account_id: &'a str,
        command: CooldownCommand,
    ) -> BoxFuture<'a, Result<CooldownBook, StateError>> {
        let result = self.with_books(|books| {
            let book = books.entry(account_id.to_owned()).or_default();
            book.apply(command);
            book.clone()
        });
        Box::pin(async move { result })
    }
}
