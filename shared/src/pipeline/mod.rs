//! Orchestration of one client request: decode, resolve, try accounts under the failure policy, relay.
//! The only module that combines storage, per-account state and the upstream client.

mod attempt;
mod attempts;
pub mod count_tokens;
pub mod count_upstream;
pub mod prompt_cache;
mod resolve;

pub use resolve::validate_target;
pub mod proxy;
pub mod sse_relay;
