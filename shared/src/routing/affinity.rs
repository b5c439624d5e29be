//! Session affinity: requests of one conversation keep going to the account that served it, so the provider's
//! prompt cache keeps hitting (most of Claude Code's cost and latency). The conversation is recognised by what
//! the clients send — Claude Code's `x-claude-code-session-id` header or `metadata.user_id`, Codex's `session_id`
//! header or `prompt_cache_key` — and otherwise by the first user message. Keys are hashed before storage.

use http::HeaderMap;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// How long a conversation sticks to its account after the last (re)confirmation.
pub const STICKY_TTL_MS: u64 = 60 * 60 * 1000;

/// Headers that name a conversation, in order of preference.
const SESSION_HEADERS: [&str; 4] = ["x-claude-code-session-id", "session_id", "session-id", "x-session-id"];

fn digest(kind: &str, value: &str) -> String {
    let hash = Sha256::digest(format!("{kind}\u{0}{value}").as_bytes());
    crate::auth::hex(hash.get(..12).unwrap_or(&hash))
}

/// The first user message's text, in any of the formats' shapes (string content, text parts, Gemini parts).
fn first_user_text(body: &Map<String, Value>) -> Option<String> {
    let messages = body.get("messages").or_else(|| body.get("contents")).or_else(|| body.get("input"))?;
    if let Value::String(input) = messages {
        return Some(input.clone());
    }
    let first = messages.as_array()?.iter().find(|m| m.get("role").and_then(Value::as_str) == Some("user"))?;
    let content = first.get("content").or_else(|| first.get("parts"))?;
    match content {
        Value::String(text) => Some(text.clone()),
        Value::Array(parts) => {
            let text: String = parts.iter().filter_map(|p| p.get("text").and_then(Value::as_str)).collect();
            (!text.is_empty()).then_some(text)
        }
        _ => None,
    }
}

/// The hashed conversation key of a request, if one can be told.
#[must_use]
pub fn session_key(headers: &HeaderMap, body: &Map<String, Value>) -> Option<String> {
    if let Some(value) = SESSION_HEADERS.iter().find_map(|h| headers.get(*h).and_then(|v| v.to_str().ok())) {
        return Some(digest("header", value));
    }
    if let Some(key) = body.get("prompt_cache_key").and_then(Value::as_str) {
        return Some(digest("cache-key", key));
    }
    if let Some(user) = body.get("metadata").and_then(|m| m.get("user_id")).and_then(Value::as_str) {
        return Some(digest("user-id", user));
    }
    first_user_text(body).map(|text| digest("first-message", &text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use serde_json::json;

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn headers_win_then_body_hints_then_the_first_message() {
        let mut headers = HeaderMap::new();
        let b = body(json!({"prompt_cache_key": "conv-1", "messages": [{"role": "user", "content": "hi"}]}));
        let by_key = session_key(&headers, &b);
        assert_eq!(by_key, session_key(&headers, &body(json!({"prompt_cache_key": "conv-1"}))));
        headers.insert("x-claude-code-session-id", HeaderValue::from_static("s-1"));
        assert_ne!(session_key(&headers, &b), by_key);
        let first = session_key(&HeaderMap::new(), &body(json!({"messages": [{"role": "user", "content": "hi"}]})));
        let later = session_key(
            &HeaderMap::new(),
            &body(json!({"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]},
                                       {"role": "assistant", "content": "yo"}, {"role": "user", "content": "more"}]})),
        );
        assert_eq!(first, later, "the same conversation keeps its key as it grows");
        assert_eq!(session_key(&HeaderMap::new(), &body(json!({}))), None);
        assert!(by_key.is_some_and(|k| !k.contains("conv-1")), "keys are hashed");
    }
}
