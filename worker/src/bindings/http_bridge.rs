//! Conversions between the runtime's `Request` / `Response` / `Headers` and the `http` types, made with as few
//! wasm↔JS crossings as possible (each crossing, promise and stream pull costs far more than the Rust work of a
//! small request):
//! - headers cross as one JSON string each way instead of one call per header and per name/value;
//! - a body of declared length is read with one `arrayBuffer()` instead of chunk by chunk through a stream;
//! - a response body that is already complete (JSON, errors) is handed over as one byte array, not as a stream
//!   pulled from Rust. Streams (SSE, bodies of unknown length) still go through `worker`'s stream adapters.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use http_body_util::BodyExt as _;
use js_sys::{Array, Uint8Array, JSON};
use wasm_bindgen::{JsCast as _, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A failed conversion, as `worker`'s error (the fetch handler's error type).
fn js_error(context: &str, err: &JsValue) -> worker::Error {
    let detail = err.as_string().or_else(|| JSON::stringify(err).ok().and_then(|s| s.as_string()));
    worker::Error::RustError(format!("{context}: {}", detail.unwrap_or_else(|| "unknown JS error".to_owned())))
}

/// The headers of a runtime `Headers` object: one JSON string crossing the boundary.
pub fn headers_from_js(headers: &web_sys::Headers) -> HeaderMap {
    let mut map = HeaderMap::new();
    let pairs = JSON::stringify(&Array::from(headers)).ok().and_then(|s| s.as_string()).unwrap_or_default();
    let pairs: Vec<(String, String)> = serde_json::from_str(&pairs).unwrap_or_default();
    for (name, value) in pairs {
        // The runtime already validated both; anything `http` still refuses is left out rather than failing.
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) {
            map.append(name, value);
        }
    }
    map
}

/// A runtime `Headers` object holding `headers`: one JSON string crossing the boundary.
pub fn headers_to_js(headers: &HeaderMap) -> worker::Result<web_sys::Headers> {
    let pairs: Vec<(&str, &str)> =
        headers.iter().filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?))).collect();
    let json = serde_json::to_string(&pairs).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let parsed = JSON::parse(&json).map_err(|e| js_error("headers", &e))?;
    web_sys::Headers::new_with_str_sequence_sequence(&parsed).map_err(|e| js_error("headers", &e))
}

/// The whole body behind an `arrayBuffer()` promise, copied once into wasm memory.
pub async fn array_buffer(promise: Result<js_sys::Promise, JsValue>) -> worker::Result<Bytes> {
    let promise = promise.map_err(|e| js_error("body", &e))?;
    let buffer = JsFuture::from(promise).await.map_err(|e| js_error("body", &e))?;
    Ok(Bytes::from(Uint8Array::new(&buffer).to_vec()))
}

/// A request's method, URL and headers as `http` parts (the body is read separately).
pub fn request_parts(req: &web_sys::Request) -> worker::Result<http::request::Parts> {
    let mut builder = http::Request::builder().method(req.method().as_str()).uri(req.url());
    if let Some(headers) = builder.headers_mut() {
        *headers = headers_from_js(&req.headers());
    }
    let (parts, ()) = builder.body(())?.into_parts();
    Ok(parts)
}

/// A runtime `Response` for `response`: a complete body (its exact size is known) is collected and handed
/// over as bytes; anything else streams through `worker`'s adapter.
pub async fn response_to_js(response: http::Response<axum::body::Body>) -> worker::Result<web_sys::Response> {
    use http_body::Body as _;
    let complete = response.body().size_hint().exact().is_some();
    if !complete {
        return worker::response_to_wasm(response);
    }
    let (parts, body) = response.into_parts();
    let init = web_sys::ResponseInit::new();
    init.set_status(parts.status.as_u16());
    init.set_headers(&headers_to_js(&parts.headers)?.into());
    let bytes = body.collect().await.map_err(|e| worker::Error::RustError(e.to_string()))?.to_bytes();
    // One copy, straight from wasm memory into a JS array the runtime owns.
    let body =
        (!bytes.is_empty() && parts.status != http::StatusCode::NO_CONTENT).then(|| Uint8Array::from(&bytes[..]));
    web_sys::Response::new_with_opt_buffer_source_and_init(body.as_ref().map(AsRef::as_ref), &init)
        .map_err(|e| js_error("response", &e))
}

/// Whether a response is an event stream (SSE, or AWS event-stream frames), which must be read as it arrives.
pub fn is_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("event-stream") || ct.contains("eventstream"))
}

/// Whether a request's `accept` asks for an event stream (how the pipeline marks a streaming upstream call).
pub fn accepts_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get_all(http::header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|accept| accept.contains("event-stream") || accept.contains("eventstream"))
}

/// `JsValue` → `web_sys::Response` (a `fetch` promise's result).
pub fn as_response(value: JsValue) -> worker::Result<web_sys::Response> {
    value.dyn_into::<web_sys::Response>().map_err(|e| js_error("fetch did not return a Response", &e))
}
