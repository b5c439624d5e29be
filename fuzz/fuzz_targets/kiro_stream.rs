//! `kiro_stream`: see `router_fuzz::kiro_stream`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| router_fuzz::kiro_stream(data));
