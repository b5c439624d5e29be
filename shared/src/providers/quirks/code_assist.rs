//! Gemini CLI (`gc`) and Antigravity (`ag`): Gemini inside the Cloud Code Assist `v1internal` envelope
//! (`formats::gemini::envelope` builds `{model, request}`; this adds what depends on the account).
//!
//! Facts (notes/providers.md "Shared: Google Code Assist envelope", "gc — Upstream", "ag — Upstream";
//! wire-formats.md §5; google-gemini/gemini-cli `packages/core/src/code_assist/converter.ts`): `project` is the
//! account's Cloud AI Companion project (found at login by `loadCodeAssist` / `onboardUser`, stored in the
//! connection's metadata); Antigravity's envelope adds `userAgent: "antigravity"`, `requestType: "agent"` and a
//! `requestId` of the form `agent-<uuid>` (9router `open-sse/executors/antigravity.js`, CLIProxyAPI
//! `antigravity_executor_request.go`; reverse-engineered, not documented by Google).

use serde_json::{Map, Value};

use super::{prepend_fields, uuid_v4};
use crate::platform::{Random, UpstreamRequest};
use crate::providers::ProviderSpec;
use crate::store::Connection;

/// The provider id of the Antigravity row.
pub const ANTIGRAVITY_ID: &str = "antigravity";

/// Metadata keys holding the Code Assist project id (CLIProxyAPI `project_id`, 9router `projectId`).
pub const PROJECT_KEYS: &[&str] = &["project_id", "projectId", "project"];

/// Adds `project` (and Antigravity's envelope fields) to the envelope.
pub fn for_account(
    provider: &ProviderSpec,
    connection: &Connection,
    request: &mut UpstreamRequest,
    random: &dyn Random,
) {
    let mut fields = Map::new();
    if let Some(project) = connection.metadata_str(PROJECT_KEYS) {
        fields.insert("project".into(), Value::String(project.to_owned()));
    }
    if provider.id == ANTIGRAVITY_ID {
        fields.insert("userAgent".into(), Value::String("antigravity".into()));
        fields.insert("requestType".into(), Value::String("agent".into()));
        fields.insert("requestId".into(), Value::String(format!("agent-{}", uuid_v4(random))));
    }
    request.body = prepend_fields(&request.body, &fields);
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use http::{HeaderMap, Method};
    use serde_json::{json, Value};

    use super::*;
    use crate::formats::{dispatch, Format};
    use crate::ir::{ChatRequest, ContentPart, Message, Role};
    use crate::providers::find;

    struct Zeros;
    impl Random for Zeros {
        fn fill(&self, buf: &mut [u8]) {
            buf.fill(0);
        }
    }

    fn connection(metadata: Value) -> Connection {
        Connection {
            id: "c".into(),
            provider: "gemini-cli".into(),
            name: "c".into(),
            auth_type: "api_key".into(),
            api_key: Some("tok".into()),
            base_url: None,
            priority: 0,
            enabled: true,
            models: None,
            metadata: metadata.as_object().cloned(),
            created_at: 0,
        }
    }

    fn envelope(provider: &str, metadata: Value) -> Value {
        let ir = ChatRequest {
            model: "gemini-3-pro-high".into(),
            messages: vec![Message { role: Role::User, content: vec![ContentPart::text("hi")] }],
            ..ChatRequest::default()
        };
        let body = Bytes::from(dispatch::encode_request(Format::CodeAssist, &ir));
        let mut request = UpstreamRequest { method: Method::POST, url: String::new(), headers: HeaderMap::new(), body };
        let spec = find(provider).expect("provider row");
        for_account(spec, &connection(metadata), &mut request, &Zeros);
        serde_json::from_slice(&request.body).expect("json")
    }

    #[test]
    fn gemini_cli_envelope_carries_the_accounts_project() {
        let request = json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]});
        assert_eq!(
            envelope("gc", json!({"project_id": "proj-1"})),
            json!({"project": "proj-1", "model": "gemini-3-pro-high", "request": request})
        );
        assert_eq!(envelope("gc", json!({})), json!({"model": "gemini-3-pro-high", "request": request}));
    }

    #[test]
    fn antigravity_envelope_adds_its_fields() {
        let value = envelope("ag", json!({"projectId": "proj-2"}));
        assert_eq!(value["project"], "proj-2");
        assert_eq!(value["userAgent"], "antigravity");
        assert_eq!(value["requestType"], "agent");
        assert_eq!(value["requestId"], "agent-00000000-0000-4000-8000-000000000000");
        assert_eq!(value["model"], "gemini-3-pro-high");
    }

    #[test]
    fn urls_name_the_v1internal_method() {
        let spec = find("gc").expect("row");
        assert_eq!(spec.chat_url("https://x", "m", false), "https://x/v1internal:generateContent");
        assert_eq!(spec.chat_url("https://x/", "m", true), "https://x/v1internal:streamGenerateContent?alt=sse");
    }
}
