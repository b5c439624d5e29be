//! SSE framing helpers for canned upstream streams.

use serde_json::Value;

/// `data: <json>\n\n`.
pub fn data_frame(value: &Value) -> Vec<u8> {
    format!("data: {value}\n\n").into_bytes()
}

/// `event: <name>\ndata: <json>\n\n`.
pub fn named_frame(name: &str, value: &Value) -> Vec<u8> {
    format!("event: {name}\ndata: {value}\n\n").into_bytes()
}

/// Gemini's `alt=sse` frames end with CRLF pairs.
pub fn crlf_frame(value: &Value) -> Vec<u8> {
    format!("data: {value}\r\n\r\n").into_bytes()
}
