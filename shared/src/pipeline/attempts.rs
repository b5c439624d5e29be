//! What happened to each account tried for one request, summarised into the error the client gets when none
//! could serve it: 429 with the soonest retry when every account was rate limited or cooling, else 503.

use crate::error::{ApiError, ErrorKind};
use crate::routing::policy::FailureClass;

/// Failures collected while trying accounts.
#[derive(Debug, Default)]
pub(super) struct Attempts {
    tried: usize,
    cooling: usize,
    rate_limited: usize,
    other_failures: Vec<String>,
    earliest_retry_ms: Option<u64>,
    /// Why the first target that could not be tried at all was skipped (no connection, model not offered).
    first_skip: Option<ApiError>,
}

impl Attempts {
    /// An account skipped because it is cooling down until `until_ms`.
    pub(super) fn cooling(&mut self, until_ms: u64) {
        self.cooling += 1;
        self.note_retry(until_ms);
    }

    /// An account that failed with `class`; it may be retried from `until_ms`.
    pub(super) fn failed(&mut self, class: FailureClass, detail: String, until_ms: u64) {
        self.tried += 1;
        match class {
            FailureClass::RateLimited => self.rate_limited += 1,
            FailureClass::AuthFailed | FailureClass::ServerError | FailureClass::Unreachable => {
                self.other_failures.push(detail);
            }
        }
        self.note_retry(until_ms);
    }

    /// A target skipped without trying any account.
    pub(super) fn skipped(&mut self, reason: ApiError) {
        self.first_skip.get_or_insert(reason);
    }

    fn note_retry(&mut self, until_ms: u64) {
        self.earliest_retry_ms = Some(self.earliest_retry_ms.map_or(until_ms, |e| e.min(until_ms)));
    }

    /// The error for the client once every account has been tried or skipped.
    pub(super) fn into_error(self, model: &str, now_ms: u64) -> ApiError {
        let retry_secs = self.earliest_retry_ms.map(|until| until.saturating_sub(now_ms).div_ceil(1000).max(1));
        let accounts = self.tried + self.cooling;
        if accounts == 0 {
            if let Some(skip) = self.first_skip {
                return skip;
            }
        }
        if self.other_failures.is_empty() {
            let mut err = ApiError::new(
                ErrorKind::RateLimited,
                format!(
                    "all {accounts} account(s) for `{model}` are rate limited or cooling down{}",
                    retry_secs.map(|s| format!("; retry in {s}s")).unwrap_or_default()
                ),
            )
            .with_code("rate_limit_exceeded");
            if let Some(secs) = retry_secs {
                err = err.with_retry_after(secs);
            }
            err
        } else {
            let mut err = ApiError::new(
                ErrorKind::Unavailable,
                format!(
                    "no account could serve `{model}` ({} tried, {} cooling): {}",
                    self.tried,
                    self.cooling,
                    self.other_failures.join("; ")
                ),
            )
            .with_code("upstream_unavailable");
            if let Some(secs) = retry_secs {
                err = err.with_retry_after(secs);
            }
            err
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_rate_limited_gives_429_with_the_soonest_retry() {
        let mut a = Attempts::default();
        a.failed(FailureClass::RateLimited, "429".into(), 9_000);
        a.cooling(4_500);
        let e = a.into_error("openai/x", 1_000);
        assert_eq!(e.kind, ErrorKind::RateLimited);
        assert_eq!(e.retry_after_secs, Some(4));
    }

    #[test]
    fn any_server_failure_gives_503() {
        let mut a = Attempts::default();
        a.failed(FailureClass::RateLimited, "429".into(), 9_000);
        a.failed(FailureClass::ServerError, "account a: upstream answered 500".into(), 3_000);
        let e = a.into_error("openai/x", 1_000);
        assert_eq!(e.kind, ErrorKind::Unavailable);
        assert!(e.message.contains("answered 500"));
    }
}
