//! Codex (`cx`): the Responses API on the ChatGPT backend (`https://chatgpt.com/backend-api/codex/responses`).
//!
//! Facts (notes/providers.md "cx — Upstream", from decolua/9router `open-sse/executors/codex.js` and
//! router-for-me/CLIProxyAPI `internal/runtime/executor/codex_executor_request.go`; wire-formats.md §2.1 "What
//! Codex CLI actually sends"): the backend always streams (`stream: true`; JSON clients get the stream
//! aggregated), needs `store: false` and an `instructions` string (CLIProxyAPI sends `""` when missing), wants
//! `input` as an array, rejects sampling and limit parameters (`{"detail":"Unsupported parameter:
//! max_output_tokens"}`), and identifies the ChatGPT workspace with a `chatgpt-account-id` header (the
//! `chatgpt_account_id` claim of the login's id token).

use http::{HeaderName, HeaderValue};
use serde_json::{json, Map, Value};

use crate::platform::UpstreamRequest;
use crate::store::Connection;

/// The provider id of the table row.
pub const PROVIDER_ID: &str = "codex";

/// Metadata keys holding the ChatGPT account id (9router's and CLIProxyAPI's spellings).
pub const ACCOUNT_ID_KEYS: &[&str] = &["chatgpt_account_id", "chatgptAccountId", "account_id"];

/// Body fields never sent to the Codex backend (CLIProxyAPI's removal list plus the Chat-style limits).
const DROPPED_FIELDS: &[&str] = &[
    "temperature",
    "top_p",
    "frequency_penalty",
    "presence_penalty",
    "logprobs",
    "top_logprobs",
    "n",
    "seed",
    "max_tokens",
    "max_output_tokens",
    "max_completion_tokens",
    "user",
    "metadata",
    "stream_options",
    "prompt_cache_retention",
    "safety_identifier",
    "previous_response_id",
];

/// Rewrites a Responses request body for the Codex backend.
pub fn rewrite_body(body: &mut Map<String, Value>) {
    for field in DROPPED_FIELDS {
        body.remove(*field);
    }
    body.insert("store".into(), Value::Bool(false));
    body.insert("stream".into(), Value::Bool(true));
    if !body.get("instructions").is_some_and(Value::is_string) {
        body.insert("instructions".into(), Value::String(String::new()));
    }
    if let Some(Value::String(text)) = body.get("input") {
        let message = json!({"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]});
        body.insert("input".into(), Value::Array(vec![message]));
    }
}

/// Adds the account's `chatgpt-account-id` header when its metadata has one.
pub fn for_account(connection: &Connection, request: &mut UpstreamRequest) {
    if let Some(Ok(value)) = connection.metadata_str(ACCOUNT_ID_KEYS).map(HeaderValue::from_str) {
        request.headers.insert(HeaderName::from_static("chatgpt-account-id"), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_is_what_the_backend_accepts() {
        let mut body = json!({
            "model": "gpt-5", "input": "hi", "max_output_tokens": 9, "temperature": 0.2, "store": true,
            "stream": false, "metadata": {"a": "b"}, "reasoning": {"effort": "low"}
        })
        .as_object()
        .cloned()
        .unwrap_or_default();
        rewrite_body(&mut body);
        assert_eq!(
            Value::Object(body),
            json!({
                "model": "gpt-5", "store": false, "stream": true, "instructions": "", "reasoning": {"effort": "low"},
                "input": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}]
            })
        );
    }
}
