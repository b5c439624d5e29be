//! `upstream_aggregate`: see `router_fuzz::upstream_aggregate`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| router_fuzz::upstream_aggregate(data));
