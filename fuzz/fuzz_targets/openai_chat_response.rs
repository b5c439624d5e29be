//! `openai_chat` responses: see `router_fuzz::response`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shared::formats::Format;

fuzz_target!(|data: &[u8]| router_fuzz::response(Format::OpenAiChat, data));
