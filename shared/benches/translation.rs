//! Translation hot paths, measured side by side in one run (see `bench/README.md`):
//! - `stream/*`: upstream SSE bytes → `SseFramer` → upstream `StreamDecoder` → IR → client `StreamEncoder`,
//!   fed in 1–4 KB chunks the way `pipeline::sse_relay` does, against the same-format relay (`passthrough/*`:
//!   framer + decoder, the upstream's bytes copied out);
//! - `request/*`: a Claude Code–shaped request decoded into the IR and encoded for another format, against
//!   the same-format path of `pipeline::proxy` (JSON `Value` parse, `model` replaced, re-serialized).
//!
//! Inputs are generated in code (`inputs/`), deterministic; nothing touches the network.

mod inputs;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::value::RawValue;
use serde_json::Value;
use shared::formats::dispatch::{decode_request, encode_request, EncoderOptions, StreamDecoder, StreamEncoder};
use shared::formats::sse::SseFramer;
use shared::formats::Format;
use shared::pipeline::prompt_cache;

const OPTIONS: EncoderOptions = EncoderOptions { created_secs: 1_760_000_000, include_usage: true, json_array: false };

/// Relays `chunks` of an upstream stream in `upstream` format to a client in `client` format (`None`: the same
/// format, bytes passed through), as `SseRelay` does per chunk (less its usage bookkeeping). Returns the client's byte count.
fn relay(chunks: &[&[u8]], upstream: Format, client: Option<Format>) -> usize {
    let mut framer = SseFramer::new();
    let mut decoder = StreamDecoder::new(upstream);
    let mut encoder = client.map(|format| StreamEncoder::new(format, OPTIONS));
    let mut sent = 0;
    for chunk in chunks {
        let mut out = Vec::new();
        for event in framer.feed(chunk) {
            let decoded = decoder.feed(&event).expect("the generated transcript decodes");
            match &mut encoder {
                None => out.extend_from_slice(&event.raw),
                Some(encoder) => decoded.iter().for_each(|ir| encoder.feed(ir, &mut out)),
            }
            black_box(&decoded);
        }
        sent += black_box(out).len();
    }
    let flushed = decoder.finish();
    if let Some(encoder) = &mut encoder {
        let mut out = Vec::new();
        flushed.iter().for_each(|ir| encoder.feed(ir, &mut out));
        sent += out.len();
    }
    assert!(decoder.is_complete(), "the generated {upstream:?} transcript is complete");
    sent
}

/// Frames `chunks` only: the SSE layer's share of every relay.
fn frame_only(chunks: &[&[u8]]) -> usize {
    let mut framer = SseFramer::new();
    chunks.iter().map(|chunk| black_box(framer.feed(chunk)).len()).sum()
}

fn streams(c: &mut Criterion) {
    let transcripts = [
        (Format::Anthropic, "anthropic", inputs::streams::anthropic()),
        (Format::OpenAiChat, "openai_chat", inputs::streams::openai_chat()),
        (Format::Gemini, "gemini", inputs::streams::gemini()),
    ];
    let pairs: &[(Format, Format, &str)] = &[
        (Format::Anthropic, Format::OpenAiChat, "anthropic_to_openai_chat"),
        (Format::OpenAiChat, Format::OpenAiResponses, "openai_chat_to_responses"),
        (Format::OpenAiChat, Format::Anthropic, "openai_chat_to_anthropic"),
        (Format::Gemini, Format::OpenAiChat, "gemini_to_openai_chat"),
    ];
    let mut group = c.benchmark_group("stream");
    for (format, name, bytes) in &transcripts {
        let chunks = inputs::streams::chunks(bytes);
        // Sanity: what the client receives, once, outside the timings.
        let sent = relay(&chunks, *format, None);
        assert_eq!(sent, bytes.len(), "passthrough relays every byte");
        eprintln!("stream input {name}: {} bytes in {} chunks", bytes.len(), chunks.len());
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(BenchmarkId::new("passthrough", name), |b| b.iter(|| relay(&chunks, *format, None)));
        group.bench_function(BenchmarkId::new("frame_only", name), |b| b.iter(|| frame_only(&chunks)));
        for &(upstream, client, pair) in pairs.iter().filter(|(upstream, ..)| upstream == format) {
            eprintln!("stream {pair}: {} bytes out", relay(&chunks, upstream, Some(client)));
            group.bench_function(BenchmarkId::new("translate", pair), |b| {
                b.iter(|| relay(&chunks, upstream, Some(client)));
            });
        }
    }
    group.finish();
}

/// The same-format path `pipeline::proxy` takes now: read the top level only (`model`, `stream`, the
/// conversation's type), look for the client's own prompt-cache breakpoints in the raw text, and re-emit the
/// raw top-level fields with `model` replaced.
fn splice_request(body: &[u8]) -> Vec<u8> {
    let top: BTreeMap<String, &RawValue> = serde_json::from_slice(body).expect("the generated request is an object");
    let model: String = serde_json::from_str(top["model"].get()).expect("a string model");
    let stream = top.get("stream").map(|raw| raw.get() == "true");
    assert!(top["messages"].get().starts_with('['));
    let has_breakpoints = prompt_cache::BREAKPOINT_FIELDS
        .iter()
        .any(|field| top.get(*field).is_some_and(|raw| prompt_cache::raw_has_cache_control(raw.get())));
    black_box((model, stream, has_breakpoints));
    let replaced = serde_json::value::to_raw_value("claude-opus-4-1-20250805").expect("a string serializes");
    let mut out: BTreeMap<&str, &RawValue> = top.iter().map(|(name, raw)| (name.as_str(), *raw)).collect();
    out.insert("model", &replaced);
    serde_json::to_vec(&out).expect("a JSON map serializes")
}

/// The same-format path `pipeline::proxy` took before the splice: parse to a `Value` (checking `model`,
/// `stream`, the conversation), replace `model`, re-serialize. Kept as the reference the ratios use.
fn passthrough_request(body: &[u8]) -> Vec<u8> {
    let value: Value = serde_json::from_slice(body).expect("the generated request is JSON");
    let Value::Object(mut map) = value else { panic!("the generated request is an object") };
    let model = map.get("model").and_then(Value::as_str).map(str::to_owned);
    let stream = map.get("stream").and_then(Value::as_bool);
    assert!(map.get("messages").is_some_and(Value::is_array));
    black_box((model, stream));
    map.insert("model".into(), Value::String("claude-opus-4-1-20250805".into()));
    serde_json::to_vec(&map).expect("a JSON map serializes")
}

/// Decode in `client` format, encode for `upstream` (`ir.model` set as `pipeline::proxy` does).
fn translate_request(body: &[u8], client: Format, upstream: Format) -> Vec<u8> {
    let mut ir = decode_request(client, body).expect("the generated request decodes");
    ir.model = "upstream-model".into();
    encode_request(upstream, &ir)
}

fn requests(c: &mut Criterion) {
    let anthropic = inputs::requests::anthropic();
    // The equivalent OpenAI-shaped request: the same conversation as an OpenAI Chat client sends it.
    let openai = translate_request(&anthropic, Format::Anthropic, Format::OpenAiChat);
    let bodies = [(Format::Anthropic, "anthropic", &anthropic), (Format::OpenAiChat, "openai_chat", &openai)];
    let pairs: &[(Format, Format, &str)] = &[
        (Format::Anthropic, Format::OpenAiChat, "anthropic_to_openai_chat"),
        (Format::Anthropic, Format::OpenAiResponses, "anthropic_to_responses"),
        (Format::Anthropic, Format::Gemini, "anthropic_to_gemini"),
        (Format::OpenAiChat, Format::Anthropic, "openai_chat_to_anthropic"),
    ];
    let mut group = c.benchmark_group("request");
    for (format, name, body) in bodies {
        let messages = decode_request(format, body).expect("the generated request decodes").messages.len();
        eprintln!("request input {name}: {} bytes, {messages} messages", body.len());
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(BenchmarkId::new("passthrough", name), |b| b.iter(|| passthrough_request(body)));
        group.bench_function(BenchmarkId::new("splice", name), |b| b.iter(|| splice_request(body)));
        group.bench_function(BenchmarkId::new("parse_value", name), |b| {
            b.iter(|| serde_json::from_slice::<Value>(body).expect("the generated request is JSON"));
        });
        group.bench_function(BenchmarkId::new("decode", name), |b| {
            b.iter(|| decode_request(format, body).expect("the generated request decodes"));
        });
        for &(client, upstream, pair) in pairs.iter().filter(|(client, ..)| *client == format) {
            eprintln!("request {pair}: {} bytes out", translate_request(body, client, upstream).len());
            group.bench_function(BenchmarkId::new("translate", pair), |b| {
                b.iter(|| translate_request(body, client, upstream));
            });
        }
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3))
}

criterion_group! { name = benches; config = config(); targets = streams, requests }
criterion_main!(benches);
