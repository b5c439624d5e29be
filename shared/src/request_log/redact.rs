//! Redaction for request logs: nothing is written before it passes through here.
//!
//! Three layers, because a secret can hide anywhere:
//! 1. headers by name (`Authorization`, `x-api-key`, `x-goog-api-key`, cookies, anything named like a token,
//!    secret or key) and URL query parameters (`?key=`, `access_token=`, …);
//! 2. JSON fields by name (`api_key`, `access_token`, `refresh_token`, `client_secret`, `password`, …), both in
//!    parsed JSON and in raw text such as an SSE stream;
//! 3. every secret value found by 1 and 2 (the client's key, the upstream key, OAuth bearers) replaced literally
//!    wherever else it appears, in every stage.

use http::HeaderMap;
use serde_json::{Map, Value};

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Shortest value treated as a secret for literal replacement (shorter ones would mangle ordinary text).
const MIN_SECRET_LEN: usize = 8;

/// Whether a header carries credentials.
fn sensitive_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "x-api-key" | "x-goog-api-key" | "cookie" | "set-cookie"
    ) || ["token", "secret", "api-key", "apikey", "password", "session"].iter().any(|part| name.contains(part))
}

/// Whether a JSON field name (any case, `-` or `_`) holds a credential. Bare `key` and `token` are left alone:
/// tool arguments and log-probabilities use them for ordinary text, which the literal pass would then scrub
/// everywhere.
fn sensitive_field(name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace('-', "_");
    matches!(
        name.as_str(),
        "api_key"
            | "apikey"
            | "x_api_key"
            | "x_goog_api_key"
            | "access_token"
            | "refresh_token"
            | "id_token"
            | "auth_token"
            | "session_token"
            | "bearer"
            | "client_secret"
            | "secret"
            | "password"
            | "authorization"
            | "cookie"
    ) || name.ends_with("_api_key")
        || name.ends_with("_token") && !name.starts_with("max_") && !name.contains("tokens")
}

/// Whether a URL query parameter holds a credential.
fn sensitive_query(name: &str) -> bool {
    sensitive_field(name) || ["key", "token", "sig", "signature"].iter().any(|n| name.eq_ignore_ascii_case(n))
}

/// Collects secrets while redacting, then replaces them literally in any text.
#[derive(Debug, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// A redactor that knows no secret yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Remembers `value` (and, for `Bearer x`-style values, `x`) as a secret.
    pub fn remember(&mut self, value: &str) {
        let value = value.trim();
        for candidate in [Some(value), value.split_once(' ').map(|(_, rest)| rest.trim())].into_iter().flatten() {
            if candidate.len() >= MIN_SECRET_LEN && !self.secrets.iter().any(|s| s == candidate) {
                self.secrets.push(candidate.to_owned());
            }
        }
        // Longest first: a secret containing another is replaced whole.
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// Headers as a JSON object, credentials redacted (and remembered).
    pub fn headers(&mut self, headers: &HeaderMap) -> Value {
        let mut out = Map::new();
        for (name, value) in headers {
            let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
            let shown = if sensitive_header(name.as_str()) {
                self.remember(&text);
                REDACTED.to_owned()
            } else {
                text
            };
            match out.get_mut(name.as_str()) {
                Some(Value::String(existing)) => {
                    existing.push_str(", ");
                    existing.push_str(&shown);
                }
                _ => {
                    out.insert(name.as_str().to_owned(), Value::String(shown));
                }
            }
        }
        Value::Object(out)
    }

    /// A URL (absolute, or a path with a query) with credential query parameters redacted (and remembered).
    pub fn url(&mut self, url: &str) -> String {
        let Some((base, query)) = url.split_once('?') else { return url.to_owned() };
        let (query, fragment) = query.split_once('#').map_or((query, None), |(q, f)| (q, Some(f)));
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, value)) if sensitive_query(name) => {
                    self.remember(value);
                    format!("{name}={REDACTED}")
                }
                _ => pair.to_owned(),
            })
            .collect();
        let mut out = format!("{base}?{}", pairs.join("&"));
        if let Some(fragment) = fragment {
            out.push('#');
            out.push_str(fragment);
        }
        out
    }

    /// Redacts credential fields of a JSON value in place (and remembers their values).
    pub fn json(&mut self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (name, field) in map.iter_mut() {
                    if sensitive_field(name) {
                        if let Value::String(secret) = field {
                            self.remember(secret);
                            *field = Value::String(REDACTED.to_owned());
                            continue;
                        }
                    }
                    self.json(field);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.json(item)),
            _ => {}
        }
    }

    /// Raw bytes as JSON when they parse (fields redacted), else as text (fields redacted by scanning).
    pub fn body(&mut self, bytes: &[u8]) -> Value {
        if bytes.is_empty() {
            return Value::Null;
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(mut value) => {
                self.json(&mut value);
                value
            }
            Err(_) => Value::String(self.text_fields(&String::from_utf8_lossy(bytes))),
        }
    }

    /// Redacts `"field": "value"` pairs with credential names in text that is not one JSON document (an SSE
    /// stream, a truncated body), remembering the values.
    pub fn text_fields(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('"') {
            let (before, from_quote) = rest.split_at(open);
            out.push_str(before);
            let Some(close) = string_end(from_quote) else {
                out.push_str(from_quote);
                return out;
            };
            let name = &from_quote[1..close];
            out.push_str(&from_quote[..=close]);
            rest = &from_quote[close + 1..];
            if !sensitive_field(name) {
                continue;
            }
            let after_colon = rest.trim_start();
            let Some(value_part) = after_colon.strip_prefix(':') else { continue };
            let value_start = value_part.trim_start();
            if !value_start.starts_with('"') {
                continue;
            }
            let Some(value_end) = string_end(value_start) else { continue };
            self.remember(&value_start[1..value_end]);
            out.push_str(&rest[..rest.len() - value_start.len()]);
            out.push('"');
            out.push_str(REDACTED);
            out.push('"');
            rest = &value_start[value_end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Replaces every remembered secret in `text`.
    #[must_use]
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        out
    }
}

/// Index of the quote closing the JSON string that opens at `text[0]`.
fn string_end(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;
    use serde_json::json;

    use super::*;

    #[test]
    fn headers_by_name_and_their_values_everywhere() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer sk-client-123456789"));
        headers.insert("x-api-key", HeaderValue::from_static("up-key-abcdefgh"));
        headers.insert("x-goog-api-key", HeaderValue::from_static("goog-key-abcdefgh"));
        headers.insert("cookie", HeaderValue::from_static("session=cookie-value-1234"));
        headers.insert("proxy-authorization", HeaderValue::from_static("Basic dXNlcjpwYXNz"));
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        let mut r = Redactor::new();
        let shown = r.headers(&headers);
        for name in ["authorization", "x-api-key", "x-goog-api-key", "cookie", "proxy-authorization"] {
            assert_eq!(shown[name], REDACTED, "{name}");
        }
        assert_eq!(shown["content-type"], "application/json");
        let text = "echo sk-client-123456789 and up-key-abcdefgh and goog-key-abcdefgh";
        let scrubbed = r.scrub(text);
        assert!(!scrubbed.contains("sk-client") && !scrubbed.contains("up-key") && !scrubbed.contains("goog-key"));
        assert_eq!(scrubbed.matches(REDACTED).count(), 3);
    }

    #[test]
    fn query_keys() {
        let mut r = Redactor::new();
        let url = r.url("https://h/v1beta/models/x:generateContent?alt=sse&key=AIza-secret-1234#f");
        assert_eq!(url, "https://h/v1beta/models/x:generateContent?alt=sse&key=[redacted]#f");
        assert_eq!(r.url("/plain/path"), "/plain/path");
        assert_eq!(r.scrub("AIza-secret-1234"), REDACTED);
    }

    #[test]
    fn json_fields_nested_keep_ordinary_ones() {
        let mut r = Redactor::new();
        let mut v = json!({
            "model": "m", "max_tokens": 5, "max_output_tokens": 7, "prompt_cache_key": "conv-1",
            "auth": {"access_token": "at-secret-0001", "refresh_token": "rt-secret-0002", "expires_in": 3600},
            "items": [{"api_key": "item-key-0003"}, {"password": "pw-secret-0004"}],
            "client_secret": "cs-secret-0005", "usage": {"input_tokens": 3},
            "tool_input": {"key": "ordinary-value", "token": "Hello-world"}
        });
        r.json(&mut v);
        assert_eq!(v["auth"]["access_token"], REDACTED);
        assert_eq!(v["auth"]["refresh_token"], REDACTED);
        assert_eq!(v["auth"]["expires_in"], 3600);
        assert_eq!(v["items"][0]["api_key"], REDACTED);
        assert_eq!(v["items"][1]["password"], REDACTED);
        assert_eq!(v["client_secret"], REDACTED);
        assert_eq!(v["max_tokens"], 5);
        assert_eq!(v["max_output_tokens"], 7);
        assert_eq!(v["prompt_cache_key"], "conv-1");
        assert_eq!(v["usage"]["input_tokens"], 3);
        assert_eq!(v["tool_input"]["key"], "ordinary-value");
        assert_eq!(v["tool_input"]["token"], "Hello-world");
        assert_eq!(r.scrub("x at-secret-0001 rt-secret-0002 y"), "x [redacted] [redacted] y");
    }

    #[test]
    fn fields_in_raw_text_such_as_sse() {
        let mut r = Redactor::new();
        let sse = "data: {\"access_token\" : \"tok-\\\"quoted\\\"-9999\",\"text\":\"hi\"}\n\ndata: {\"refresh_token\":\"rt-abcdefgh\"}\n\n";
        let out = r.text_fields(sse);
        assert!(!out.contains("tok-") && !out.contains("rt-abcdefgh"), "{out}");
        assert!(out.contains("\"text\":\"hi\""));
        assert!(out.contains("\"access_token\" : \"[redacted]\""), "{out}");
        // Unterminated strings are left as they are, never a panic.
        assert_eq!(r.text_fields("{\"access_token\": \"abc"), "{\"access_token\": \"abc");
        assert_eq!(r.text_fields("\"unterminated"), "\"unterminated");
        let body = r.body(b"not json \"api_key\":\"k-12345678\"");
        assert_eq!(body, Value::String("not json \"api_key\":\"[redacted]\"".into()));
    }

    #[test]
    fn short_values_are_not_scrubbed_literally() {
        let mut r = Redactor::new();
        r.remember("abc");
        assert_eq!(r.scrub("abc"), "abc");
    }
}
