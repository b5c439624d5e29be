//! `gemini_envelope`: see `router_fuzz::gemini_envelope`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| router_fuzz::gemini_envelope(data));
