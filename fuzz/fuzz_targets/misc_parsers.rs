//! `misc_parsers`: see `router_fuzz::misc_parsers`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| router_fuzz::misc_parsers(data));
