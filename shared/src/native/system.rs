//! Clock and randomness from the operating system.

use crate::platform::{BoxFuture, Clock, Random};

/// `SystemTime`-based clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0)
    }

    fn sleep(&self, ms: u64) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(std::time::Duration::from_millis(ms)))
    }
}

/// The OS's CSPRNG via `getrandom`.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRandom;

impl Random for OsRandom {
    fn fill(&self, buf: &mut [u8]) {
        // getrandom only fails on platforms without an entropy source; there is no safe fallback, and a
        // predictable key would be worse than stopping.
        #[expect(clippy::expect_used, reason = "no entropy means no safe keys; stopping is correct")]
        getrandom::fill(buf).expect("the operating system provides entropy");
    }
}
