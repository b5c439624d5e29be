//! Orchestration of one client request: decode, resolve, try accounts under the failure policy, relay.
//! The only module that combines storage, per-account state and the upstream client.

mod attempt;
mod attempts;
mod resolve;

pub use resolve::validate_target;
pub mod chat;
pub mod sse_relay;
