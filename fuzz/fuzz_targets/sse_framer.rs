//! `sse_framer`: see `router_fuzz::sse_framer`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| router_fuzz::sse_framer(data));
