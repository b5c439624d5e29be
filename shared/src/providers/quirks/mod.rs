//! Per-provider request rewriting, one module per provider that needs any; everything else about a provider is
//! its row in the table. Two stages:
//! - per target ([`rewrites_body`] / [`rewrite_body`]): JSON rewrites that are the same for every account of the
//!   provider (Codex: `store: false`, `stream: true`, `instructions` present, unsupported parameters dropped);
//! - per account ([`for_account`]): headers and envelope fields taken from the connection's metadata (Codex
//!   `chatgpt-account-id`, Code Assist `project`, Kiro `profileArn`) and per-request ids.
//!
//! - for OAuth accounts ([`apply_oauth`]): the bearer token and what the subscription's upstream enforces
//!   (Claude OAuth beta header and system prefix, Copilot editor headers, Qwen headers).
//!
//! Metadata keys accept the spellings of both reference projects (`project_id` / `projectId`, …): see each
//! module's `*_KEYS`.
//!
//! [`always_streams`] says which upstreams only answer with a stream; the pipeline then asks for one and
//! aggregates it for clients that wanted JSON.

mod claude_oauth;
pub mod code_assist;
pub mod codex;
mod copilot;
mod iflow;
pub mod kiro;
mod openai_api;
mod qwen;

use bytes::Bytes;
use http::{header, HeaderMap, HeaderName, HeaderValue};
use serde_json::{Map, Value};

use super::{Format, Provider};
use crate::oauth::Grant;
use crate::platform::{Random, UpstreamRequest};
use crate::store::Connection;

/// Whether `provider` must be asked for a stream whatever the client asked (Codex; Kiro, whose only answer
/// is an event stream).
#[must_use]
pub fn always_streams(provider: &Provider) -> bool {
    provider.builtin().is_some_and(|p| p.id == codex::PROVIDER_ID || p.format == Format::Kiro)
}

/// Whether the upstream is asked for a stream for a client that did (`client_stream`) or did not.
#[must_use]
pub fn upstream_stream(provider: &Provider, client_stream: bool) -> bool {
    client_stream || always_streams(provider)
}

/// Whether [`rewrite_body`] changes anything for `provider` (so the caller can skip re-parsing a body).
#[must_use]
pub fn rewrites_body(provider: &Provider) -> bool {
    provider.builtin().is_some_and(|p| p.id == codex::PROVIDER_ID)
}

/// Rewrites a request body (a JSON object in the provider's format) for every account of `provider`.
pub fn rewrite_body(provider: &Provider, body: &mut Map<String, Value>) {
    if rewrites_body(provider) {
        codex::rewrite_body(body);
    }
}

/// Encodes `ir` for `provider`'s format with the provider's IR-level rules applied (OpenAI's own API: the
/// token limit as `max_completion_tokens`); `ir` is left as it was, for the next target of a combo.
#[must_use]
pub fn encode_request(provider: &Provider, ir: &mut crate::ir::ChatRequest) -> Vec<u8> {
    let openai_api = provider.builtin().is_some_and(|p| p.id == openai_api::PROVIDER_ID);
    let taken = if openai_api { openai_api::prepare(ir) } else { None };
    let body = crate::formats::dispatch::encode_request(provider.format(), ir);
    openai_api::restore(ir, taken);
    body
}

/// Adjusts the request for one account: headers and body fields from `connection`'s metadata.
/// Custom providers have no quirks.
pub fn for_account(provider: &Provider, connection: &Connection, request: &mut UpstreamRequest, random: &dyn Random) {
    let Some(provider) = provider.builtin() else {
        return;
    };
    if provider.id == codex::PROVIDER_ID {
        codex::for_account(connection, request);
    }
    match provider.format {
        Format::CodeAssist => code_assist::for_account(provider, connection, request, random),
        Format::Kiro => kiro::for_account(connection, request, random),
        Format::OpenAiChat | Format::Anthropic | Format::OpenAiResponses | Format::Gemini => {}
    }
}

/// `body` (a JSON object we encoded) with `fields` inserted first; unchanged when `fields` is empty or the body
/// is not an object. The body is not re-parsed: its keys are ours and never include `fields`' names.
#[must_use]
pub fn prepend_fields(body: &Bytes, fields: &Map<String, Value>) -> Bytes {
    let Some(rest) = body.strip_prefix(b"{") else {
        return body.clone();
    };
    if fields.is_empty() {
        return body.clone();
    }
    let Ok(encoded) = serde_json::to_vec(fields) else {
        return body.clone();
    };
    // `encoded` is `{…}`: keep its opening brace and members, then a comma unless the body was `{}`.
    let members = &encoded[..encoded.len().saturating_sub(1)];
    let mut out = Vec::with_capacity(body.len() + encoded.len() + 1);
    out.extend_from_slice(members);
    if !rest.trim_ascii_start().starts_with(b"}") {
        out.push(b',');
    }
    out.extend_from_slice(rest);
    Bytes::from(out)
}

/// A random (version 4) UUID in its usual text form.
#[must_use]
pub fn uuid_v4(random: &dyn Random) -> String {
    let mut b = [0u8; 16];
    random.fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = crate::auth::hex(&b);
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Puts the OAuth bearer on `headers` (replacing any API-key header) and applies the provider's quirks; returns
/// the body, rewritten where the provider requires it. `now_ms` and `random` feed per-request ids and
/// signatures.
#[must_use]
pub fn apply_oauth(
    provider_id: &str,
    grant: &Grant,
    headers: &mut HeaderMap,
    body: Bytes,
    now_ms: u64,
    random: &dyn Random,
) -> Bytes {
    headers.remove("x-api-key");
    headers.remove("x-goog-api-key");
    if let Ok(mut value) = HeaderValue::from_str(&format!("Bearer {}", grant.bearer)) {
        value.set_sensitive(true);
        headers.insert(header::AUTHORIZATION, value);
    }
    match provider_id {
        "claude" => {
            claude_oauth::headers(headers);
            claude_oauth::body(body)
        }
        "github" => {
            set_all(headers, copilot::HEADERS);
            body
        }
        "qwen" => {
            set_all(headers, qwen::HEADERS);
            body
        }
        "iflow" => {
            iflow::headers(headers, &grant.bearer, now_ms, random);
            body
        }
        _ => body,
    }
}

/// Sets each `(name, value)` pair, replacing what was there.
fn set_all(headers: &mut HeaderMap, pairs: &[(&'static str, &'static str)]) {
    for (name, value) in pairs {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Counting;
    impl Random for Counting {
        fn fill(&self, buf: &mut [u8]) {
            buf.iter_mut().enumerate().for_each(|(i, b)| *b = u8::try_from(i).unwrap_or(0));
        }
    }

    #[test]
    fn prepends_fields_without_reparsing() {
        let mut fields = Map::new();
        fields.insert("project".into(), json!("p-1"));
        let body = Bytes::from_static(br#"{"model":"m","request":{}}"#);
        let out = prepend_fields(&body, &fields);
        assert_eq!(&out[..], br#"{"project":"p-1","model":"m","request":{}}"#);
        assert_eq!(&prepend_fields(&Bytes::from_static(b"{ }"), &fields)[..], br#"{"project":"p-1" }"#);
        assert_eq!(prepend_fields(&body, &Map::new()), body);
        assert_eq!(&prepend_fields(&Bytes::from_static(b"[]"), &fields)[..], b"[]");
    }

    #[test]
    fn uuids_have_version_and_variant() {
        let id = uuid_v4(&Counting);
        assert_eq!(id, "00010203-0405-4607-8809-0a0b0c0d0e0f");
    }
}
