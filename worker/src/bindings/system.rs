//! Clock and randomness from the Workers runtime.

use std::time::Duration;

use shared::platform::{BoxFuture, Clock, Random};
use worker::send::SendFuture;

/// `Date.now()`.
pub struct JsClock;

impl Clock for JsClock {
    fn now_ms(&self) -> u64 {
        worker::Date::now().as_millis()
    }

    fn sleep(&self, ms: u64) -> BoxFuture<'static, ()> {
        Box::pin(SendFuture::new(worker::Delay::from(Duration::from_millis(ms))))
    }
}

/// `crypto.getRandomValues` (through getrandom's `wasm_js` backend).
pub struct JsRandom;

impl Random for JsRandom {
    fn fill(&self, buf: &mut [u8]) {
        #[expect(clippy::expect_used, reason = "Workers always provide crypto.getRandomValues")]
        getrandom::fill(buf).expect("crypto.getRandomValues is available in Workers");
    }
}
