//! `openai_responses` streams: see `router_fuzz::stream`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::formats::Format;

fuzz_target!(|data: &[u8]| router_fuzz::stream(Format::OpenAiResponses, data));
