//! Small JSON calls to OAuth endpoints (token, device, exchange) over the platform [`HttpClient`], bounded in
//! time and size. Errors carry the status and the endpoint's `error` code only — never a body, which could echo
//! a secret.

use bytes::{Bytes, BytesMut};
use futures::future::{select, Either};
use futures::StreamExt as _;
use http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use serde_json::Value;

use super::providers::BodyStyle;
use super::urls::UrlOverrides;
use crate::platform::{Clock, HttpClient, HttpError, UpstreamRequest};

/// OAuth endpoints answer quickly; anything slower is treated as down.
const TIMEOUT_MS: u64 = 30_000;
/// Token answers are small.
const MAX_BYTES: usize = 1024 * 1024;

/// Where calls go and how.
#[derive(Clone, Copy)]
pub struct Endpoints<'a> {
    /// Outbound HTTP.
    pub http: &'a dyn HttpClient,
    /// Timeouts.
    pub clock: &'a dyn Clock,
    /// Test/deployment URL overrides.
    pub urls: &'a UrlOverrides,
}

/// An endpoint's answer.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The JSON body (`Null` when it was not JSON).
    pub body: Value,
}

impl Reply {
    /// 2xx.
    #[must_use]
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The OAuth `error` code (RFC 6749 §5.2), sanitised for messages: `[a-z0-9_.-]`, at most 64 characters.
    #[must_use]
    pub fn error_code(&self) -> Option<String> {
        let code = self.body.get("error")?;
        let code = code
            .as_str()
            .or_else(|| code.get("code").and_then(Value::as_str))
            .or_else(|| code.get("type").and_then(Value::as_str))?;
        let clean: String =
            code.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')).take(64).collect();
        (!clean.is_empty()).then_some(clean)
    }

    /// `"<status> <error code>"` for messages.
    #[must_use]
    pub fn describe(&self) -> String {
        match self.error_code() {
            Some(code) => format!("HTTP {} ({code})", self.status),
            None => format!("HTTP {}", self.status),
        }
    }
}

/// The endpoint could not be reached or did not answer in time.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct Unreachable(pub String);

/// A transport failure in words that cannot carry a secret: platform messages may quote the URL, and some
/// provider URLs carry a token in their query (iFlow's getUserInfo).
fn transport(err: &HttpError) -> &'static str {
    match err {
        HttpError::Connect(_) => "could not connect",
        HttpError::Timeout => "timed out",
        HttpError::Body(_) => "the answer broke off",
        HttpError::InvalidRequest(_) => "the request could not be built",
    }
}

/// A request body.
pub enum Body<'a> {
    /// No body.
    None,
    /// Fields, encoded per the provider's style.
    Fields(BodyStyle, &'a [(&'a str, &'a str)]),
    /// A JSON document (nested bodies: AWS OIDC registration, Code Assist discovery).
    Json(&'a Value),
}

impl Endpoints<'_> {
    /// Sends one request and reads the JSON answer.
    ///
    /// # Errors
    /// [`Unreachable`] on transport failure, timeout or an oversized body.
    pub async fn call(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        authorization: Option<String>,
        body: Body<'_>,
    ) -> Result<Reply, Unreachable> {
        let mut map = HeaderMap::new();
        map.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        for (name, value) in headers {
            if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
                map.insert(name, value);
            }
        }
        if let Some(auth) = authorization {
            let mut value =
                HeaderValue::from_str(&auth).map_err(|_| Unreachable("invalid credential characters".into()))?;
            value.set_sensitive(true);
            map.insert(header::AUTHORIZATION, value);
        }
        let bytes = match body {
            Body::None => Bytes::new(),
            Body::Fields(BodyStyle::Json, fields) => {
                map.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
                let object: serde_json::Map<String, Value> =
                    fields.iter().map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned()))).collect();
                Bytes::from(Value::Object(object).to_string())
            }
            Body::Json(value) => {
                map.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
                Bytes::from(value.to_string())
            }
            Body::Fields(BodyStyle::Form, fields) => {
                map.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
                let mut form = url::form_urlencoded::Serializer::new(String::new());
                for (k, v) in fields {
                    form.append_pair(k, v);
                }
                Bytes::from(form.finish())
            }
        };
        let request = UpstreamRequest { method, url: self.urls.apply(url), headers: map, body: bytes };
        let response = match select(self.http.send(request), self.clock.sleep(TIMEOUT_MS)).await {
            Either::Left((Ok(response), _)) => response,
            Either::Left((Err(err), _)) => return Err(Unreachable(transport(&err).into())),
            Either::Right(_) => return Err(Unreachable("no answer in time".into())),
        };
        let status = response.status;
        let mut stream = response.body;
        let mut buffer = BytesMut::new();
        loop {
            match select(stream.next(), self.clock.sleep(TIMEOUT_MS)).await {
                Either::Left((Some(Ok(chunk)), _)) => {
                    if buffer.len() + chunk.len() > MAX_BYTES {
                        return Err(Unreachable("answer too large".into()));
                    }
                    buffer.extend_from_slice(&chunk);
                }
                Either::Left((Some(Err(err)), _)) => return Err(Unreachable(transport(&err).into())),
                Either::Left((None, _)) => break,
                Either::Right(_) => return Err(Unreachable("answer stalled".into())),
            }
        }
        Ok(Reply { status, body: serde_json::from_slice(&buffer).unwrap_or(Value::Null) })
    }
}
