//! Implementations of `shared::platform` traits over Workers APIs. JS-backed futures are `!Send`; each is
//! wrapped once in `SendFuture` / `SendWrapper`, which is sound because a Worker isolate is single-threaded.

mod d1;
mod fetch;
pub mod http_bridge;
mod kdf;
mod oauth_tokens;
mod routing_state;
mod system;
mod usage;

pub use d1::D1Store;
pub use fetch::FetchClient;
pub use kdf::WebCryptoPbkdf2;
pub use oauth_tokens::{DurableTokenSource, OAuthTokens};
pub use routing_state::{snapshot_cache, DurableRoutingState, RoutingState};
pub use system::{JsClock, JsRandom};
pub use usage::{D1Sink, WaitUntilWriter};
