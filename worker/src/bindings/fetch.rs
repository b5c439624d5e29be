//! Outbound `fetch` behind `shared::platform::HttpClient`, with the response body streamed.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::{Stream, StreamExt as _};
use shared::platform::{BoxFuture, HttpClient, HttpError, UpstreamRequest, UpstreamResponse};
use worker::send::{SendFuture, SendWrapper};
use worker::{Fetch, Headers, Method, Request, RequestInit};

/// The global `fetch`.
pub struct FetchClient;

type LocalStream = Pin<Box<dyn Stream<Item = Result<Bytes, HttpError>>>>;

/// A JS body stream made `Send` (a Worker is single-threaded).
struct SendStream(SendWrapper<LocalStream>);

impl Stream for SendStream {
    type Item = Result<Bytes, HttpError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

fn method(m: &http::Method) -> Method {
    Method::from(m.as_str().to_owned())
}

async fn send(request: UpstreamRequest) -> Result<UpstreamResponse, HttpError> {
    let headers = Headers::new();
    for (name, value) in &request.headers {
        let value = value.to_str().map_err(|e| HttpError::InvalidRequest(e.to_string()))?;
        headers.set(name.as_str(), value).map_err(|e| HttpError::InvalidRequest(e.to_string()))?;
    }
    let mut init = RequestInit::new();
    init.with_method(method(&request.method)).with_headers(headers);
    if !request.body.is_empty() {
        init.with_body(Some(js_sys::Uint8Array::from(request.body.as_ref()).into()));
    }
    let js_request =
        Request::new_with_init(&request.url, &init).map_err(|e| HttpError::InvalidRequest(e.to_string()))?;
    let mut response = Fetch::Request(js_request).send().await.map_err(|e| HttpError::Connect(e.to_string()))?;
    let status = response.status_code();
    let mut header_map = http::HeaderMap::new();
    for (name, value) in response.headers().entries() {
        if let (Ok(name), Ok(value)) =
            (http::HeaderName::from_bytes(name.as_bytes()), http::HeaderValue::from_str(&value))
        {
            header_map.append(name, value);
        }
    }
    let body: LocalStream = match response.stream() {
        Ok(stream) => Box::pin(stream.map(|chunk| chunk.map(Bytes::from).map_err(|e| HttpError::Body(e.to_string())))),
        // A body-less response (e.g. 204) streams nothing.
        Err(_) => Box::pin(futures::stream::empty()),
    };
    Ok(UpstreamResponse { status, headers: header_map, body: Box::pin(SendStream(SendWrapper::new(body))) })
}

impl HttpClient for FetchClient {
    fn send(&self, request: UpstreamRequest) -> BoxFuture<'_, Result<UpstreamResponse, HttpError>> {
        Box::pin(SendFuture::new(send(request)))
    }
}
