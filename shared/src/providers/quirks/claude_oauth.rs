//! Claude subscription (OAuth) tokens are accepted only from Claude Code: `Authorization: Bearer` instead of
//! `x-api-key`, the `oauth-2025-04-20` beta flag next to `claude-code-20250219`, Claude Code's client identity,
//! and a system prompt that starts with Claude Code's identity line.
//!
//! Sources (facts, not code): decolua/9router `open-sse/executors/default.js`, `open-sse/config/appConstants.js`,
//! `open-sse/utils/claudeCloaking.js`; router-for-me/CLIProxyAPI
//! `internal/runtime/executor/claude_executor_request.go`, `claude_executor_cloaking.go`. Not done here (yet):
//! the billing-header system block, `metadata.user_id` and tool renaming those projects also add.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{json, Value};

/// Beta flags an OAuth request must carry (merged with the client's own).
const REQUIRED_BETAS: [&str; 3] = ["claude-code-20250219", "oauth-2025-04-20", "interleaved-thinking-2025-05-14"];

/// The first system block of every request.
pub const SYSTEM_PREFIX: &str = "You are Claude Code, Anthropic's official CLI for Claude.";

/// Claude Code 2.1.92's identity headers (9router's static set).
const IDENTITY: [(&str, &str); 3] = [
    ("user-agent", "claude-cli/2.1.92 (external, sdk-cli)"),
    ("x-app", "cli"),
    ("anthropic-dangerous-direct-browser-access", "true"),
];

/// Merges the required beta flags into `anthropic-beta` and sets the identity headers.
pub(super) fn headers(headers: &mut HeaderMap) {
    let client = headers.get("anthropic-beta").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let mut flags: Vec<&str> = REQUIRED_BETAS.to_vec();
    for flag in client.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        if !flags.contains(&flag) {
            flags.push(flag);
        }
    }
    if let Ok(value) = HeaderValue::from_str(&flags.join(",")) {
        headers.insert(HeaderName::from_static("anthropic-beta"), value);
    }
    super::set_all(headers, &IDENTITY);
}

/// Puts [`SYSTEM_PREFIX`] first in `system` (as its own text block, before the caller's system text). Bodies
/// that are not JSON objects are returned as they are (the upstream will reject them on its own terms).
pub(super) fn body(body: Bytes) -> Bytes {
    let Ok(Value::Object(mut object)) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    let prefix = json!({ "type": "text", "text": SYSTEM_PREFIX });
    let system = match object.remove("system") {
        None | Some(Value::Null) => vec![prefix],
        Some(Value::String(text)) if text.is_empty() => vec![prefix],
        Some(Value::String(text)) if text.starts_with(SYSTEM_PREFIX) => vec![json!({ "type": "text", "text": text })],
        Some(Value::String(text)) => vec![prefix, json!({ "type": "text", "text": text })],
        Some(Value::Array(blocks)) => {
            let first = blocks.first().and_then(|b| b.get("text")).and_then(Value::as_str);
            if first.is_some_and(|t| t.starts_with(SYSTEM_PREFIX)) {
                blocks
            } else {
                std::iter::once(prefix).chain(blocks).collect()
            }
        }
        Some(other) => vec![prefix, other],
    };
    object.insert("system".into(), Value::Array(system));
    serde_json::to_vec(&object).map(Bytes::from).unwrap_or(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn system_of(input: Value) -> Value {
        let out = body(Bytes::from(input.to_string()));
        serde_json::from_slice::<Value>(&out).expect("json")["system"].clone()
    }

    #[test]
    fn system_prefix_goes_first_once() {
        let prefix = json!({"type": "text", "text": SYSTEM_PREFIX});
        assert_eq!(system_of(json!({"messages": []})), json!([prefix]));
        assert_eq!(system_of(json!({"system": "be brief"})), json!([prefix, {"type": "text", "text": "be brief"}]));
        let blocks = json!([{"type": "text", "text": "x", "cache_control": {"type": "ephemeral"}}]);
        assert_eq!(system_of(json!({"system": blocks}))[1]["cache_control"]["type"], "ephemeral");
        assert_eq!(system_of(json!({"system": [prefix.clone()]})), json!([prefix]));
        assert_eq!(body(Bytes::from_static(b"[1]")), Bytes::from_static(b"[1]"));
    }

    #[test]
    fn beta_flags_are_merged() {
        let mut h = HeaderMap::new();
        h.insert("anthropic-beta", HeaderValue::from_static("oauth-2025-04-20, context-1m-2025-08-07"));
        headers(&mut h);
        let beta = h.get("anthropic-beta").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert_eq!(beta, "claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14,context-1m-2025-08-07");
        assert_eq!(h.get("x-app").map(HeaderValue::as_bytes), Some(&b"cli"[..]));
    }
}
