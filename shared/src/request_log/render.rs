//! Turns a finished [`RequestCapture`] into the six stages' text, redacted (runs in a sink's background writer,
//! never on the request's path).

use serde::Serialize;
use serde_json::{json, Value};

use super::capture::{BoundedBytes, RequestCapture};
use super::redact::Redactor;
use crate::transfer::iso_time::format_ms;

/// Stage file names, in the seed's layout (`1_…` to `6_…`).
pub const STAGE_NAMES: [&str; 6] = [
    "1_client_raw_request.json",
    "2_raw_request.json",
    "3_converted_request.json",
    "4_provider_response.txt",
    "5_converted_response.txt",
    "6_error.json",
];

/// One stage of a logged request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogStage {
    /// File name (one of [`STAGE_NAMES`]).
    pub name: String,
    /// Redacted content.
    pub content: String,
}

/// A logged request's summary (the list view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogSummary {
    /// Identifier for [`super::RequestLogSink::get`] (directory name natively, row id on the edge).
    pub id: String,
    /// Unix ms when the request arrived.
    pub ts: i64,
    /// Client format.
    pub inbound_format: String,
    /// Upstream format of the last attempt.
    pub upstream_format: Option<String>,
    /// Model as the client asked for it.
    pub model: String,
    /// Status sent to the client.
    pub status: u16,
    /// Total time, ms.
    pub duration_ms: i64,
    /// Streamed response.
    pub streamed: bool,
}

/// A logged request with its stages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogDetail {
    /// The summary.
    #[serde(flatten)]
    pub summary: LogSummary,
    /// Stages present, in order.
    pub stages: Vec<LogStage>,
}

/// A rendered request log, ready to be written.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// The summary (its `id` is empty until stored).
    pub summary: LogSummary,
    /// Stages present, in order (`6_error.json` only when the request failed).
    pub stages: Vec<LogStage>,
}

impl LogEntry {
    /// The seed's directory name: `{sourceFormat}_{targetFormat}_{model}_{YYYYMMDD_HHMMSS_mmm}` (UTC; the model
    /// made path-safe).
    #[must_use]
    pub fn directory_name(&self) -> String {
        let s = &self.summary;
        let iso = format_ms(s.ts);
        // `2025-01-31T12:34:56.789Z` → `20250131_123456_789`.
        let digits: String = iso.chars().filter(char::is_ascii_digit).collect();
        let stamp = match (digits.get(..8), digits.get(8..14), digits.get(14..17)) {
            (Some(d), Some(t), Some(ms)) => format!("{d}_{t}_{ms}"),
            _ => digits,
        };
        let upstream = s.upstream_format.as_deref().unwrap_or("none");
        format!("{}_{}_{}_{stamp}", path_safe(&s.inbound_format), path_safe(upstream), path_safe(&s.model))
    }
}

/// Keeps ASCII letters, digits, `.` and `-`; anything else (`/`, `:`, `_`, spaces, `..`) becomes `-`; at most
/// 80 characters, never empty.
#[must_use]
pub fn path_safe(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(80)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else if c == '.' {
                '.'
            } else {
                '-'
            }
        })
        .collect();
    while out.contains("..") {
        out = out.replace("..", "-");
    }
    if out.is_empty() || out.starts_with('.') {
        out.insert(0, 'x');
    }
    out
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn text_stage(redactor: &mut Redactor, status: Option<u16>, bytes: &BoundedBytes) -> String {
    let mut out = match status {
        Some(status) => format!("status: {status}\n\n"),
        None => "status: (none)\n\n".to_owned(),
    };
    out.push_str(&redactor.text_fields(&String::from_utf8_lossy(&bytes.bytes)));
    if bytes.dropped > 0 {
        out.push_str(&format!("\n[truncated: {} more bytes not captured]\n", bytes.dropped));
    }
    out
}

/// Renders and redacts every stage of `capture`.
#[must_use]
pub fn render(capture: &RequestCapture) -> LogEntry {
    let mut r = Redactor::new();
    let time = format_ms(capture.ts_ms);
    let client_body = r.body(&capture.client_body);
    let stage1 = json!({
        "timestamp": time,
        "endpoint": r.url(&capture.endpoint),
        "format": capture.inbound_format,
        "headers": r.headers(&capture.client_headers),
        "body": client_body,
    });
    let targets: Vec<Value> = capture.resolved.as_ref().map_or_else(Vec::new, |resolved| {
        resolved
            .targets
            .iter()
            .map(|(provider, model, format)| json!({ "provider": provider, "model": model, "format": format }))
            .collect()
    });
    let stage2 = json!({
        "timestamp": time,
        "format": capture.inbound_format,
        "model": capture.model,
        "stream": capture.resolved.as_ref().map(|r| r.stream),
        "targets": targets,
        "body": client_body,
    });
    let stage3 = capture.upstream.as_ref().map_or(Value::Null, |up| {
        json!({
            "timestamp": time,
            "provider": up.provider,
            "format": capture.outcome.upstream_format,
            "model": capture.outcome.routed_model,
            "method": "POST",
            "url": r.url(&up.url),
            "headers": r.headers(&up.headers),
            "body": r.body(&up.body),
        })
    });
    let stage4 = if capture.upstream.is_some() {
        text_stage(&mut r, capture.provider_status, &capture.provider_bytes)
    } else {
        "status: (no upstream request was made)\n".to_owned()
    };
    let client_status = capture.client_status.or(Some(capture.outcome.status));
    let stage5 = text_stage(&mut r, client_status, &capture.client_bytes);
    let mut contents = vec![pretty(&stage1), pretty(&stage2), pretty(&stage3), stage4, stage5];
    if capture.failed() {
        contents.push(pretty(&json!({
            "timestamp": time,
            "status": capture.outcome.status,
            "error_class": capture.outcome.error_class,
            "message": capture.error_message,
            "failed_attempts": capture.failed_attempts,
        })));
    }
    let stages = STAGE_NAMES
        .iter()
        .zip(contents)
        .map(|(name, content)| LogStage { name: (*name).to_owned(), content: r.scrub(&content) })
        .collect();
    let o = &capture.outcome;
    LogEntry {
        summary: LogSummary {
            id: String::new(),
            ts: capture.ts_ms,
            inbound_format: capture.inbound_format.clone(),
            upstream_format: o.upstream_format.clone(),
            model: capture.model.clone(),
            status: o.status,
            duration_ms: o.duration_ms,
            streamed: o.streamed,
        },
        stages,
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use http::{HeaderMap, HeaderValue, Method};

    use super::*;
    use crate::platform::UpstreamRequest;
    use crate::usage::UsageRecord;

    #[test]
    fn six_stages_redacted_and_named_like_the_seed() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer client-key-unique-1"));
        let body = Bytes::from_static(br#"{"model":"openai/gpt-x","messages":[],"stream":true}"#);
        let mut c = RequestCapture::start(1_735_648_496_789, "claude", "/v1/messages".into(), &headers, body);
        c.resolved("openai/gpt-x", true, vec![("openai".into(), "gpt-x".into(), "openai".into())]);
        let mut up_headers = HeaderMap::new();
        up_headers.insert("authorization", HeaderValue::from_static("Bearer upstream-key-unique-2"));
        let upstream = UpstreamRequest {
            method: Method::POST,
            url: "https://api.example/v1/chat/completions?key=query-key-unique-3".into(),
            headers: up_headers,
            body: Bytes::from_static(br#"{"model":"gpt-x","refresh_token":"rt-unique-4"}"#),
        };
        c.upstream_request("openai", &upstream);
        c.provider_status(500);
        c.provider_bytes(b"data: echo upstream-key-unique-2\n\n");
        c.client_bytes(b"{\"error\":\"client-key-unique-1 rt-unique-4\"}");
        c.error_message("every account failed");
        let record = UsageRecord {
            status: 502,
            total_ms: 12,
            upstream_format: Some("openai".into()),
            requested_model: "openai/gpt-x".into(),
            ..UsageRecord::default()
        };
        c.finish(&record);
        let entry = render(&c);
        let names: Vec<&str> = entry.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, STAGE_NAMES);
        for stage in &entry.stages {
            for secret in ["client-key-unique-1", "upstream-key-unique-2", "query-key-unique-3", "rt-unique-4"] {
                assert!(!stage.content.contains(secret), "{} leaks {secret}", stage.name);
            }
        }
        let stage3: Value = serde_json::from_str(&entry.stages[2].content).expect("json");
        assert_eq!(stage3["body"]["model"], "gpt-x");
        assert!(entry.stages[3].content.starts_with("status: 500"));
        assert_eq!(entry.directory_name(), "claude_openai_openai-gpt-x_20241231_123456_789");
    }

    #[test]
    fn path_safe_models() {
        let evil = path_safe("../../etc/passwd");
        assert!(!evil.contains('/') && !evil.contains("..") && !evil.starts_with('.'), "{evil}");
        assert_eq!(path_safe(""), "x");
        assert_eq!(path_safe("gemini/gemini-2.5-pro"), "gemini-gemini-2.5-pro");
        assert!(!path_safe("a..b").contains(".."));
    }
}
