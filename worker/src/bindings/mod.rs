//! Implementations of `shared::platform` traits over Workers APIs. JS-backed futures are `!Send`; each is
//! wrapped once in `SendFuture` / `SendWrapper`, which is sound because a Worker isolate is single-threaded.

mod account_state;
mod d1;
mod fetch;
mod system;

pub use account_state::{AccountState, DurableAccountState};
pub use d1::D1Store;
pub use fetch::FetchClient;
pub use system::{JsClock, JsRandom};
