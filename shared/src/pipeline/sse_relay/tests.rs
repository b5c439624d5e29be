use std::sync::Arc;

use bytes::Bytes;
use futures::StreamExt as _;

use serde_json::Value;

use super::*;
use crate::platform::BoxFuture;

struct TokioClock;

impl Clock for TokioClock {
    fn now_ms(&self) -> u64 {
        0
    }
    fn sleep(&self, ms: u64) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(std::time::Duration::from_millis(ms)))
    }
}

fn upstream(parts: Vec<Result<&'static str, HttpError>>) -> ByteStream {
    Box::pin(futures::stream::iter(parts.into_iter().map(|p| p.map(|s| Bytes::from_static(s.as_bytes())))))
}

fn stalled_after(first: &'static str) -> ByteStream {
    Box::pin(futures::stream::iter([Ok(Bytes::from_static(first.as_bytes()))]).chain(futures::stream::pending()))
}

fn openai_relay(body: ByteStream, idle_ms: u64) -> SseRelay {
    SseRelay::new(body, Format::OpenAiChat, Format::OpenAiChat, None, Arc::new(TokioClock), idle_ms, None)
}

async fn relay_all(relay: SseRelay, first: Vec<u8>) -> String {
    let chunks: Vec<Bytes> = relay.into_body(first).map(|r| r.expect("relay never yields Err")).collect().await;
    chunks.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect()
}

const CHUNK: &str = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n";
const FINISH: &str = "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";

#[tokio::test]
async fn a_clean_stream_is_relayed_unchanged() {
    let mut relay = openai_relay(upstream(vec![Ok(CHUNK), Ok(FINISH), Ok("data: [DONE]\n\n")]), 1000);
    let first = relay.first_events().await.expect("first event");
    let out = relay_all(relay, first).await;
    assert_eq!(out, format!("{CHUNK}{FINISH}data: [DONE]\n\n"));
}

#[tokio::test]
async fn an_unfinished_stream_ends_with_an_error_event() {
    let mut relay = openai_relay(upstream(vec![Ok(CHUNK), Ok("data: {\"partial")]), 1000);
    let first = relay.first_events().await.expect("first event");
    let out = relay_all(relay, first).await;
    assert!(out.starts_with(CHUNK));
    assert!(!out.contains("partial"), "a partial event is never forwarded: {out}");
    let last = out.trim_end().rsplit("\n\n").next().unwrap_or_default();
    let value: Value = serde_json::from_str(last.trim_start_matches("data: ")).expect("error event is JSON");
    assert_eq!(value["error"]["code"], "stream_interrupted");
}

#[tokio::test]
async fn a_broken_stream_ends_with_an_error_event() {
    let parts = vec![Ok(CHUNK), Err(HttpError::Body("connection reset".into()))];
    let mut relay = openai_relay(upstream(parts), 1000);
    let first = relay.first_events().await.expect("first event");
    let out = relay_all(relay, first).await;
    assert!(out.contains("connection reset") && out.contains("stream_interrupted"), "{out}");
}

#[tokio::test(start_paused = true)]
async fn a_stalled_stream_times_out_with_an_error_event() {
    let mut relay = openai_relay(stalled_after(CHUNK), 5_000);
    let first = relay.first_events().await.expect("first event");
    let out = relay_all(relay, first).await;
    assert!(out.contains("sent nothing for 5 s"), "{out}");
}

#[tokio::test(start_paused = true)]
async fn failures_before_the_first_event_allow_fallback() {
    let mut ended = openai_relay(upstream(vec![Ok(": keep-alive\n\n")]), 1000);
    assert_eq!(ended.first_events().await.map_err(|f| f.class), Err(FailureClass::ServerError));

    let err = "data: {\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}\n\n";
    let mut errored = openai_relay(upstream(vec![Ok(err)]), 1000);
    assert_eq!(errored.first_events().await.map_err(|f| f.class), Err(FailureClass::RateLimited));

    let mut stalled = openai_relay(Box::pin(futures::stream::pending()), 1000);
    assert_eq!(stalled.first_events().await.map_err(|f| f.class), Err(FailureClass::Unreachable));
}

fn responses_relay(body: ByteStream) -> SseRelay {
    SseRelay::new(body, Format::OpenAiResponses, Format::OpenAiChat, None, Arc::new(TokioClock), 1000, None)
}

const CREATED: &str = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"model\":\"m\"}}\n\n";

#[tokio::test]
async fn aggregates_a_responses_stream_for_a_json_client() {
    let delta = "data: {\"type\":\"response.output_text.delta\",\"output_index\":0,\"delta\":\"hi\"}\n\n";
    let done = "data: {\"type\":\"response.completed\",\"response\":{\"status\":\"completed\",\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}}\n\n";
    let mut relay = responses_relay(upstream(vec![Ok(CREATED), Ok(delta), Ok(done)]));
    let response = relay.aggregate().await.expect("a response");
    assert_eq!(response.id, "resp_1");
    assert_eq!(response.content, [crate::ir::ContentPart::text("hi")]);
    assert_eq!((response.usage.input_tokens, response.usage.output_tokens), (3, 2));
}

#[tokio::test]
async fn an_error_inside_an_aggregated_stream_is_a_fallback_or_the_clients_error() {
    let failed = "data: {\"type\":\"response.failed\",\"response\":{\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}}}\n\n";
    let mut relay = responses_relay(upstream(vec![Ok(CREATED), Ok(failed)]));
    match relay.aggregate().await {
        Err(Aggregated::Failed(early)) => assert_eq!(early.class, FailureClass::ServerError),
        other => panic!("expected a fallback, got {other:?}"),
    }
    let invalid =
        "event: error\ndata: {\"type\":\"error\",\"code\":\"context_length_exceeded\",\"message\":\"too long\"}\n\n";
    let mut relay = responses_relay(upstream(vec![Ok(CREATED), Ok(invalid)]));
    match relay.aggregate().await {
        Err(Aggregated::RequestError(error)) => assert_eq!(error.message, "too long"),
        other => panic!("expected the request's error, got {other:?}"),
    }
    let mut relay = responses_relay(upstream(vec![Ok(CREATED)]));
    assert!(matches!(relay.aggregate().await, Err(Aggregated::Failed(_))), "a stream cut before its end");
}

#[tokio::test]
async fn a_responses_stream_that_fails_before_content_falls_back() {
    let failed = "data: {\"type\":\"response.failed\",\"response\":{\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"slow\"}}}\n\n";
    let mut relay = responses_relay(upstream(vec![Ok(CREATED), Ok(failed)]));
    let early = relay.first_events().await.expect_err("falls back");
    assert_eq!(early.class, FailureClass::RateLimited);
}
