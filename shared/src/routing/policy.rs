//! The failure policy: how an upstream outcome is classified and how long each class cools an account down.
//! One table, so the edge and the native server agree.

use serde::{Deserialize, Serialize};

/// Why an attempt at an account failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureClass {
    /// 429: rate limited.
    RateLimited,
    /// 401/403: credentials rejected.
    AuthFailed,
    /// 5xx from the upstream.
    ServerError,
    /// Connection refused, DNS, TLS, timeout.
    Unreachable,
}

/// What the router does with an upstream answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Relay the answer to the client.
    Deliver,
    /// Cool the account down and try the next one.
    Fallback(FailureClass),
}

/// Classifies an upstream HTTP status. 4xx other than 401/403/429 are caused by the request itself and go back
/// to the client unchanged (another account would fail the same way).
#[must_use]
pub fn classify_status(status: u16) -> Outcome {
    match status {
        429 => Outcome::Fallback(FailureClass::RateLimited),
        401 | 403 => Outcome::Fallback(FailureClass::AuthFailed),
        500..=599 => Outcome::Fallback(FailureClass::ServerError),
        _ => Outcome::Deliver,
    }
}

/// Maximum cooldown from backoff alone.
pub const MAX_BACKOFF_MS: u64 = 5 * 60 * 1000;

/// Cooldown for the `failures`-th consecutive failure of `class` when the upstream gave no retry hint.
///
/// | class        | cooldown                                   |
/// |--------------|--------------------------------------------|
/// | RateLimited  | 1 s, doubling per failure, capped at 5 min |
/// | ServerError  | 2 s, doubling, capped at 5 min             |
/// | Unreachable  | 2 s, doubling, capped at 5 min             |
/// | AuthFailed   | 5 min (the account needs attention)        |
#[must_use]
pub fn backoff_ms(class: FailureClass, failures: u32) -> u64 {
    let base: u64 = match class {
        FailureClass::RateLimited => 1_000,
        FailureClass::ServerError | FailureClass::Unreachable => 2_000,
        FailureClass::AuthFailed => return MAX_BACKOFF_MS,
    };
    let doublings = failures.saturating_sub(1).min(20);
    base.saturating_mul(1u64 << doublings).min(MAX_BACKOFF_MS)
}

/// Reads an upstream's retry hint from `retry-after-ms` or `retry-after` (seconds; HTTP dates are ignored).
#[must_use]
pub fn retry_after_ms(headers: &http::HeaderMap) -> Option<u64> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return to_ms(ms);
    }
    header("retry-after").and_then(|v| v.parse::<f64>().ok()).and_then(|secs| to_ms(secs * 1000.0))
}

fn to_ms(value: f64) -> Option<u64> {
    if value.is_finite() && (0.0..1e12).contains(&value) {
        // Bounded above, so the cast cannot overflow.
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "range checked")]
        Some(value.ceil() as u64)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_the_policy_table() {
        assert_eq!(classify_status(200), Outcome::Deliver);
        assert_eq!(classify_status(400), Outcome::Deliver);
        assert_eq!(classify_status(404), Outcome::Deliver);
        assert_eq!(classify_status(429), Outcome::Fallback(FailureClass::RateLimited));
        assert_eq!(classify_status(401), Outcome::Fallback(FailureClass::AuthFailed));
        assert_eq!(classify_status(503), Outcome::Fallback(FailureClass::ServerError));
    }

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_ms(FailureClass::RateLimited, 1), 1_000);
        assert_eq!(backoff_ms(FailureClass::RateLimited, 4), 8_000);
        assert_eq!(backoff_ms(FailureClass::RateLimited, 40), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(FailureClass::ServerError, 1), 2_000);
    }

    #[test]
    fn retry_after_headers_are_parsed() {
        let mut h = http::HeaderMap::new();
        h.insert("retry-after", http::HeaderValue::from_static("3"));
        assert_eq!(retry_after_ms(&h), Some(3_000));
        h.insert("retry-after-ms", http::HeaderValue::from_static("250.5"));
        assert_eq!(retry_after_ms(&h), Some(251));
        let mut bad = http::HeaderMap::new();
        bad.insert("retry-after", http::HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(retry_after_ms(&bad), None);
        bad.insert("retry-after", http::HeaderValue::from_static("-4"));
        assert_eq!(retry_after_ms(&bad), None);
    }
}
