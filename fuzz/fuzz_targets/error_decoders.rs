//! `error_decoders`: see `router_fuzz::error_decoders`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| router_fuzz::error_decoders(data));
