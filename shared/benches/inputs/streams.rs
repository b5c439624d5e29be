//! Upstream SSE transcripts of one long agent turn, the same content in each format: a text block of
//! [`TEXT_DELTAS`] deltas of about [`DELTA_CHARS`] characters, then one tool call whose arguments arrive in
//! fragments (Gemini sends a call whole), then the finish reason and usage. Shapes follow the recorded fixtures
//! in `shared/tests/fixtures/<format>/streams/`.

use std::fmt::Write as _;

use super::{fragment, json_str, Lcg};

/// Text deltas per transcript.
pub const TEXT_DELTAS: usize = 2_000;
/// Characters per text delta, about.
pub const DELTA_CHARS: usize = 20;
/// Bytes per tool-argument fragment (more where a character would be split).
const ARG_FRAGMENT: usize = 16;

/// Network read sizes the transcript is cut into, cycled: 1–4 KB, never aligned with events.
const CHUNK_SIZES: &[usize] = &[1_024, 2_900, 4_096, 1_536, 3_333, 2_048, 1_200, 3_900];

/// The text deltas and the tool call every transcript carries.
struct Content {
    deltas: Vec<String>,
    tool_id: &'static str,
    tool_name: &'static str,
    /// The tool call's arguments JSON, whole.
    arguments: String,
}

fn content() -> Content {
    let mut rng = Lcg::new(0x5eed);
    let deltas = (0..TEXT_DELTAS).map(|_| fragment(&mut rng, DELTA_CHARS)).collect();
    let old = super::words(&mut rng, 120);
    let new = super::words(&mut rng, 140);
    let arguments = serde_json::json!({
        "file_path": "/home/dev/project/src/formats/anthropic/stream_encode.rs",
        "old_string": old,
        "new_string": new,
        "replace_all": false,
    })
    .to_string();
    Content { deltas, tool_id: "toolu_01HJ7cXRcWb5dC3vWmpQPE4L", tool_name: "Edit", arguments }
}

/// `text` cut into pieces of about `len` bytes, on char boundaries.
fn pieces(text: &str, len: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = len.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (head, tail) = rest.split_at(end);
        out.push(head);
        rest = tail;
    }
    out
}

/// Anthropic Messages SSE (`event:` + `data:` lines, `\n\n`), with the pings Anthropic interleaves.
pub fn anthropic() -> Vec<u8> {
    let c = content();
    let mut s = String::new();
    let event = |s: &mut String, name: &str, data: &str| {
        let _ = write!(s, "event: {name}\ndata: {data}\n\n");
    };
    event(
        &mut s,
        "message_start",
        r#"{"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":2193,"cache_creation_input_tokens":1480,"cache_read_input_tokens":41092,"cache_creation":{"ephemeral_5m_input_tokens":1480,"ephemeral_1h_input_tokens":0},"output_tokens":1,"service_tier":"standard"}}}"#,
    );
    event(
        &mut s,
        "content_block_start",
        r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
    );
    event(&mut s, "ping", r#"{"type": "ping"}"#);
    for (i, delta) in c.deltas.iter().enumerate() {
        let data = format!(
            r#"{{"type":"content_block_delta","index":0,"delta":{{"type":"text_delta","text":{}}}}}"#,
            json_str(delta)
        );
        event(&mut s, "content_block_delta", &data);
        if i % 500 == 499 {
            event(&mut s, "ping", r#"{"type": "ping"}"#);
        }
    }
    event(&mut s, "content_block_stop", r#"{"type":"content_block_stop","index":0}"#);
    let start = format!(
        r#"{{"type":"content_block_start","index":1,"content_block":{{"type":"tool_use","id":"{}","name":"{}","input":{{}}}}}}"#,
        c.tool_id, c.tool_name
    );
    event(&mut s, "content_block_start", &start);
    event(
        &mut s,
        "content_block_delta",
        r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#,
    );
    for piece in pieces(&c.arguments, ARG_FRAGMENT) {
        let data = format!(
            r#"{{"type":"content_block_delta","index":1,"delta":{{"type":"input_json_delta","partial_json":{}}}}}"#,
            json_str(piece)
        );
        event(&mut s, "content_block_delta", &data);
    }
    event(&mut s, "content_block_stop", r#"{"type":"content_block_stop","index":1}"#);
    event(
        &mut s,
        "message_delta",
        r#"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":2193,"cache_creation_input_tokens":1480,"cache_read_input_tokens":41092,"output_tokens":11873}}"#,
    );
    event(&mut s, "message_stop", r#"{"type":"message_stop"}"#);
    s.into_bytes()
}

/// OpenAI Chat Completions SSE (`data:` lines, `\n\n`, `usage: null` on every chunk as with
/// `stream_options.include_usage`, a trailing usage chunk and `[DONE]`).
pub fn openai_chat() -> Vec<u8> {
    let c = content();
    let mut s = String::new();
    let head = r#"{"id":"chatcmpl-CGx7pVb3qk2pXnYy1Gx9HtR4sE0lT","object":"chat.completion.chunk","created":1760000000,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_b3f1157249","choices":[{"index":0,"delta":"#;
    let chunk = |s: &mut String, delta: &str, finish: &str| {
        let _ = write!(s, "data: {head}{delta},\"logprobs\":null,\"finish_reason\":{finish}}}],\"usage\":null}}\n\n");
    };
    chunk(&mut s, r#"{"role":"assistant","content":"","refusal":null}"#, "null");
    for delta in &c.deltas {
        chunk(&mut s, &format!(r#"{{"content":{}}}"#, json_str(delta)), "null");
    }
    let call = format!(
        r#"{{"tool_calls":[{{"index":0,"id":"call_{}","type":"function","function":{{"name":"{}","arguments":""}}}}]}}"#,
        &c.tool_id[6..],
        c.tool_name
    );
    chunk(&mut s, &call, "null");
    for piece in pieces(&c.arguments, ARG_FRAGMENT) {
        let delta = format!(r#"{{"tool_calls":[{{"index":0,"function":{{"arguments":{}}}}}]}}"#, json_str(piece));
        chunk(&mut s, &delta, "null");
    }
    chunk(&mut s, "{}", r#""tool_calls""#);
    s.push_str(
        r#"data: {"id":"chatcmpl-CGx7pVb3qk2pXnYy1Gx9HtR4sE0lT","object":"chat.completion.chunk","created":1760000000,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_b3f1157249","choices":[],"usage":{"prompt_tokens":44765,"completion_tokens":11873,"total_tokens":56638,"prompt_tokens_details":{"cached_tokens":41092,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}"#,
    );
    s.push_str("\n\ndata: [DONE]\n\n");
    s.into_bytes()
}

/// Gemini `streamGenerateContent?alt=sse` (`data:` lines, `\r\n\r\n`, `usageMetadata` on every chunk); the
/// function call arrives whole, the finish reason on the last chunk.
pub fn gemini() -> Vec<u8> {
    let c = content();
    let mut s = String::new();
    let tail = r#""role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":44765,"totalTokenCount":44765,"cachedContentTokenCount":41092},"modelVersion":"gemini-2.5-pro","responseId":"oQ3kaOv0Bq6Gz7IPqp2T2QE"}"#;
    for delta in &c.deltas {
        let _ = write!(
            s,
            "data: {{\"candidates\":[{{\"content\":{{\"parts\":[{{\"text\":{}}}],{tail}\r\n\r\n",
            json_str(delta)
        );
    }
    let _ = write!(
        s,
        "data: {{\"candidates\":[{{\"content\":{{\"parts\":[{{\"functionCall\":{{\"name\":\"{}\",\"args\":{}}},\"thoughtSignature\":\"CiQBVKhc7uUx1Q2bb9Y8nAf3QmXlqdlI4N7zkQ==\"}}],{tail}\r\n\r\n",
        c.tool_name, c.arguments
    );
    s.push_str(
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":44765,\"candidatesTokenCount\":11873,\"totalTokenCount\":56638,\"cachedContentTokenCount\":41092},\"modelVersion\":\"gemini-2.5-pro\",\"responseId\":\"oQ3kaOv0Bq6Gz7IPqp2T2QE\"}\r\n\r\n",
    );
    s.into_bytes()
}

/// `bytes` cut the way network reads arrive: 1–4 KB pieces, cycling [`CHUNK_SIZES`].
pub fn chunks(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = bytes;
    for &size in CHUNK_SIZES.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (head, tail) = rest.split_at(size.min(rest.len()));
        out.push(head);
        rest = tail;
    }
    out
}
