//! Outbound `fetch` behind `shared::platform::HttpClient`, with the response body streamed.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::{Stream, StreamExt as _};
use shared::platform::{BoxFuture, HttpClient, HttpError, UpstreamRequest, UpstreamResponse};
use wasm_bindgen::JsCast as _;
use wasm_bindgen_futures::JsFuture;
use worker::send::{SendFuture, SendWrapper};

use super::http_bridge;

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

fn send_error(err: &worker::Error) -> HttpError {
    HttpError::Connect(err.to_string())
}

async fn send(request: UpstreamRequest) -> Result<UpstreamResponse, HttpError> {
    let asked_for_stream = http_bridge::accepts_event_stream(&request.headers);
    let init = web_sys::RequestInit::new();
    init.set_method(request.method.as_str());
    let headers = http_bridge::headers_to_js(&request.headers).map_err(|e| HttpError::InvalidRequest(e.to_string()))?;
    init.set_headers(&headers);
    if !request.body.is_empty() {
        init.set_body(&js_sys::Uint8Array::from(request.body.as_ref()));
    }
    let global: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
    let response = JsFuture::from(global.fetch_with_str_and_init(&request.url, &init))
        .await
        .map_err(|e| send_error(&worker::Error::from(e)))?;
    let response = http_bridge::as_response(response).map_err(|e| send_error(&e))?;
    let status = response.status();
    let headers = http_bridge::headers_from_js(&response.headers());
    // An answer to a request that did not ask for a stream, and is not one (JSON answers, errors), is read in one
    // piece: one promise instead of a stream read per chunk. Streams are read as they come.
    if !asked_for_stream && !http_bridge::is_event_stream(&headers) {
        let whole = futures::stream::once(async move {
            http_bridge::array_buffer(response.array_buffer()).await.map_err(|e| HttpError::Body(e.to_string()))
        });
        let body: LocalStream = Box::pin(whole);
        return Ok(UpstreamResponse { status, headers, body: Box::pin(SendStream(SendWrapper::new(body))) });
    }
    let body: LocalStream = match response.body() {
        Some(stream) => Box::pin(
            axum::body::Body::new(worker::Body::new(stream))
                .into_data_stream()
                .map(|chunk| chunk.map_err(|e| HttpError::Body(e.to_string()))),
        ),
        // A body-less response (e.g. 204) streams nothing.
        None => Box::pin(futures::stream::empty()),
    };
    Ok(UpstreamResponse { status, headers, body: Box::pin(SendStream(SendWrapper::new(body))) })
}

impl HttpClient for FetchClient {
    fn send(&self, request: UpstreamRequest) -> BoxFuture<'_, Result<UpstreamResponse, HttpError>> {
        Box::pin(SendFuture::new(send(request)))
    }
}
