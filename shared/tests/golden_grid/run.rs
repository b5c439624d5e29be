//! One case through the core's real translation path, as `pipeline::proxy` and `pipeline::attempt` take it:
//! request: the client's JSON passed through with the model replaced (same format) or decoded into the IR and
//! encoded in the upstream format; answer: the upstream's JSON decoded and re-encoded (or passed through), or
//! its stream relayed by [`SseRelay`] (translating, passing through, or aggregating for a JSON client).

use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt as _;
use serde_json::Value;
use shared::formats::dispatch::{self, EncoderOptions, StreamEncoder};
use shared::formats::Format;
use shared::pipeline::sse_relay::SseRelay;
use shared::platform::{BoxFuture, ByteStream, Clock};

use super::client_requests;
use super::replies_openai::{chat_json, chat_stream, responses_json, responses_stream};
use super::replies_other::{claude_json, claude_stream, gemini_json, gemini_stream, kiro_stream};
use super::scenario::{reply, upstream_signature, Scenario, UPSTREAM_MODEL};

/// Response time stamped by encoders.
pub const CREATED_SECS: u64 = 1_700_000_000;

/// One cell of the grid.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    pub client: Format,
    pub upstream: Format,
    pub scenario: Scenario,
    pub stream: bool,
}

impl Case {
    /// Both sides speak the same format: bytes pass through (`Exchange::passthrough`).
    pub fn passthrough(&self) -> bool {
        self.client == self.upstream
    }

    /// The upstream is asked for a stream (Kiro always streams: `quirks::always_streams`).
    pub fn upstream_stream(&self) -> bool {
        self.stream || self.upstream == Format::Kiro
    }

    pub fn label(&self) -> String {
        let mode = if self.stream { "stream" } else { "json" };
        format!("{} → {} · {} · {mode}", self.client.name(), self.upstream.name(), self.scenario.name())
    }
}

/// What the router sent and returned.
pub struct Outcome {
    pub upstream_request: Vec<u8>,
    pub client_response: Vec<u8>,
}

struct IdleClock;

impl Clock for IdleClock {
    fn now_ms(&self) -> u64 {
        CREATED_SECS * 1000
    }
    fn sleep(&self, _ms: u64) -> BoxFuture<'static, ()> {
        Box::pin(futures::future::pending())
    }
}

/// The upstream request body for `case` (`proxy::target_body` without provider quirks).
pub fn upstream_request(case: &Case) -> Result<Vec<u8>, String> {
    let raw = client_requests::request(case.client, case.scenario, case.stream);
    if case.passthrough() {
        let mut body: serde_json::Map<String, Value> = serde_json::from_slice(&raw).map_err(|e| e.to_string())?;
        if case.client != Format::Gemini {
            body.insert("model".into(), Value::String(UPSTREAM_MODEL.into()));
        }
        return serde_json::to_vec(&body).map_err(|e| e.to_string());
    }
    let mut ir = dispatch::decode_request(case.client, &raw).map_err(|e| format!("client request rejected: {e}"))?;
    ir.extra.clear();
    ir.model = UPSTREAM_MODEL.into();
    ir.stream = case.upstream_stream();
    Ok(dispatch::encode_request(case.upstream, &ir))
}

/// The canned upstream body for `case`.
pub fn upstream_body(case: &Case) -> Vec<u8> {
    let reply = reply(case.scenario);
    let sig = upstream_signature(case.upstream).unwrap_or_default();
    match (case.upstream, case.upstream_stream()) {
        (Format::OpenAiChat, false) => chat_json(&reply),
        (Format::OpenAiChat, true) => chat_stream(&reply),
        (Format::OpenAiResponses, false) => responses_json(&reply, sig),
        (Format::OpenAiResponses, true) => responses_stream(&reply, sig),
        (Format::Anthropic, false) => claude_json(&reply, sig),
        (Format::Anthropic, true) => claude_stream(&reply, sig),
        (Format::Gemini, false) => gemini_json(&reply, sig, false),
        (Format::Gemini, true) => gemini_stream(&reply, sig, false),
        (Format::CodeAssist, false) => gemini_json(&reply, sig, true),
        (Format::CodeAssist, true) => gemini_stream(&reply, sig, true),
        (Format::Kiro, _) => kiro_stream(&reply),
    }
}

fn body_stream(body: &[u8], chunk: usize) -> ByteStream {
    let chunks: Vec<Result<Bytes, _>> = body.chunks(chunk.max(1)).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    Box::pin(futures::stream::iter(chunks))
}

/// The client's answer for `case`, the upstream body arriving in chunks of `chunk` bytes.
pub async fn client_response(case: &Case, upstream: &[u8], chunk: usize) -> Result<Vec<u8>, String> {
    let clock: Arc<dyn Clock> = Arc::new(IdleClock);
    if case.stream {
        let options = EncoderOptions { created_secs: CREATED_SECS, include_usage: true, json_array: false };
        let encoder = (!case.passthrough()).then(|| StreamEncoder::new(case.client, options));
        let mut relay =
            SseRelay::new(body_stream(upstream, chunk), case.upstream, case.client, encoder, clock, 1_000, None);
        let first = relay.first_events().await.map_err(|e| format!("stream failed early: {}", e.detail))?;
        let chunks: Vec<Bytes> = relay
            .into_body(first)
            .map(|r| r.map_err(|e| e.to_string()))
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()?;
        return Ok(chunks.concat());
    }
    if case.upstream_stream() {
        let mut relay =
            SseRelay::new(body_stream(upstream, chunk), case.upstream, case.client, None, clock, 1_000, None);
        let response = relay.aggregate().await.map_err(|e| format!("aggregation failed: {e:?}"))?;
        return Ok(dispatch::encode_response(case.client, &response, CREATED_SECS));
    }
    let decoded =
        dispatch::decode_response(case.upstream, upstream).map_err(|e| format!("upstream reply rejected: {e}"))?;
    if case.passthrough() {
        return Ok(upstream.to_vec());
    }
    Ok(dispatch::encode_response(case.client, &decoded, CREATED_SECS))
}

/// Runs `case` end to end, the upstream body in one piece.
pub async fn run(case: &Case) -> Result<Outcome, String> {
    let upstream_request = upstream_request(case)?;
    let body = upstream_body(case);
    let client_response = client_response(case, &body, body.len()).await?;
    Ok(Outcome { upstream_request, client_response })
}
