//! Request rewriting that real upstreams enforce for OAuth accounts, one module per provider that needs any.
//! Applied in one place ([`apply_oauth`]) after the generic request is built; generic code never matches on a
//! provider id.

mod claude_oauth;
mod copilot;
mod iflow;
mod qwen;

use bytes::Bytes;
use http::{header, HeaderMap, HeaderName, HeaderValue};

use crate::oauth::Grant;
use crate::platform::Random;

/// Puts the OAuth bearer on `headers` (replacing any API-key header) and applies the provider's quirks; returns
/// the body, rewritten where the provider requires it. `now_ms` and `random` feed per-request ids and
/// signatures.
#[must_use]
pub fn apply_oauth(
    provider_id: &str,
    grant: &Grant,
    headers: &mut HeaderMap,
    body: Bytes,
    now_ms: u64,
    random: &dyn Random,
) -> Bytes {
    headers.remove("x-api-key");
    headers.remove("x-goog-api-key");
    if let Ok(mut value) = HeaderValue::from_str(&format!("Bearer {}", grant.bearer)) {
        value.set_sensitive(true);
        headers.insert(header::AUTHORIZATION, value);
    }
    match provider_id {
        "claude" => {
            claude_oauth::headers(headers);
            claude_oauth::body(body)
        }
        "github" => {
            set_all(headers, copilot::HEADERS);
            body
        }
        "qwen" => {
            set_all(headers, qwen::HEADERS);
            body
        }
        "iflow" => {
            iflow::headers(headers, &grant.bearer, now_ms, random);
            body
        }
        _ => body,
    }
}

/// Sets each `(name, value)` pair, replacing what was there.
fn set_all(headers: &mut HeaderMap, pairs: &[(&'static str, &'static str)]) {
    for (name, value) in pairs {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
}
