//! Failed-login rate limiting: at most [`MAX_FAILURES`] wrong passwords per client address within
//! [`WINDOW_MS`]; further attempts are refused (429 with `Retry-After`) without checking the password until the
//! oldest failure leaves the window. Failures are stored (see `store::admin_auth`), so the limit holds across
//! Worker isolates and restarts.

/// Wrong passwords allowed per client within the window.
pub const MAX_FAILURES: u64 = 5;
/// The window, in milliseconds (15 minutes).
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// Failures of one client within the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecentFailures {
    /// How many.
    pub count: u64,
    /// When the oldest happened (unix ms), if any.
    pub oldest_ms: Option<i64>,
}

/// Seconds until the client may try again, or `None` when it may try now.
#[must_use]
pub fn retry_after_secs(failures: RecentFailures, now_ms: i64) -> Option<u64> {
    if failures.count < MAX_FAILURES {
        return None;
    }
    let oldest = failures.oldest_ms.unwrap_or(now_ms);
    let wait_ms = (oldest + WINDOW_MS - now_ms).max(1000);
    Some(u64::try_from(wait_ms).unwrap_or(1000).div_ceil(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_from_the_fifth_failure_until_the_oldest_expires() {
        let now = 10_000_000;
        let four = RecentFailures { count: 4, oldest_ms: Some(now - 1000) };
        assert_eq!(retry_after_secs(four, now), None);
        let five = RecentFailures { count: 5, oldest_ms: Some(now - 60_000) };
        assert_eq!(retry_after_secs(five, now), Some(14 * 60));
        let edge = RecentFailures { count: 5, oldest_ms: Some(now - WINDOW_MS + 10) };
        assert_eq!(retry_after_secs(edge, now), Some(1));
    }
}
