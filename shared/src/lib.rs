//! 9router core: everything that is not a platform binding.
//!
//! The crate is platform-free by default (it builds for `wasm32-unknown-unknown` and the host); the Cloudflare
//! Worker (`worker/`) and the native server (feature `native`, binary `9router`) only supply implementations of
//! the traits in [`platform`] and serve [`http::router`].
//!
//! Module map:
//! - [`platform`]: the small traits a host provides (HTTP client, SQL database, per-account state, clock, random).
//! - [`store`]: typed repository over [`platform::Database`]; the only place that speaks SQL.
//! - [`routing`]: model strings, cooldown book and failure policy (pure, clock passed in).
//! - [`providers`]: the provider table.
//! - [`auth`]: client API keys and the management session.
//! - [`oauth`]: OAuth login flows, sealed tokens and serialized refresh.
//! - [`error`]: typed errors rendered in the client's own wire format.
//! - [`http`]: the one axum router both targets serve.
//! - [`request_log`]: per-request logs of every stage, redacted, written off the hot path.

pub mod auth;
pub mod config;
pub mod error;
pub mod formats;
pub mod http;
pub mod ir;
pub mod oauth;
pub mod pipeline;
pub mod platform;
pub mod providers;
pub mod request_log;
pub mod routing;
pub mod store;
pub mod transfer;
pub mod usage;

#[cfg(feature = "native")]
pub mod native;

/// Version reported by `/health` and `--version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
