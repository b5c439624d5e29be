//! `anthropic` requests: see `router_fuzz::request`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::formats::Format;

fuzz_target!(|data: &[u8]| router_fuzz::request(Format::Anthropic, data));
