//! `aws_eventstream`: see `router_fuzz::aws_eventstream`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| router_fuzz::aws_eventstream(data));
