//! Reading what the client got: its stream's event order checked against each format's documented grammar
//! (independently of the encoders), and its answer decoded back into the IR for the semantic checks.

use serde_json::Value;
use shared::formats::dispatch::{self, StreamDecoder};
use shared::formats::sse::{SseEvent, SseFramer};
use shared::formats::Format;
use shared::ir::aggregate::ResponseBuilder;
use shared::ir::ChatResponse;

/// The client's stream split into events.
pub fn events(body: &[u8]) -> Result<Vec<SseEvent>, String> {
    let mut framer = SseFramer::new();
    let events = framer.feed(body);
    if !framer.pending().iter().all(u8::is_ascii_whitespace) {
        return Err(format!("stream ends inside an event: {:?}", String::from_utf8_lossy(framer.pending())));
    }
    Ok(events)
}

fn json(event: &SseEvent) -> Result<Value, String> {
    serde_json::from_str(&event.data).map_err(|e| format!("event data is not JSON ({e}): {}", event.data))
}

/// The client's answer decoded with the client format's own decoders (a stream must reach its proper end).
pub fn decode(client: Format, body: &[u8], stream: bool) -> Result<ChatResponse, String> {
    if !stream {
        return dispatch::decode_response(client, body).map_err(|e| format!("client response unreadable: {e}"));
    }
    let mut decoder = StreamDecoder::new(client);
    let mut builder = ResponseBuilder::new();
    for event in events(body)? {
        for ir in decoder.feed(&event).map_err(|e| format!("client stream unreadable: {e}"))? {
            builder.push(&ir);
        }
    }
    decoder.finish().iter().for_each(|ir| builder.push(ir));
    if !decoder.is_complete() {
        return Err("client stream is incomplete".into());
    }
    builder.build().map_err(|e| format!("client stream gives no response: {e:?}"))
}

/// Checks the event order of a client stream in `client`'s format.
pub fn check_order(client: Format, body: &[u8]) -> Result<(), String> {
    let events = events(body)?;
    match client {
        Format::Anthropic => anthropic_order(&events),
        Format::OpenAiResponses => responses_order(&events),
        Format::OpenAiChat => chat_order(&events),
        Format::Gemini => gemini_order(&events),
        other => Err(format!("{other:?} is not a client format")),
    }
}

/// `message_start` first and once; blocks opened in index order, each closed before the next; deltas only to
/// the open block; one `message_delta` with no block open; `message_stop` last and once.
fn anthropic_order(events: &[SseEvent]) -> Result<(), String> {
    let names: Vec<&str> = events.iter().map(|e| e.event.as_deref().unwrap_or("")).collect();
    if names.first() != Some(&"message_start") || names.iter().filter(|n| **n == "message_start").count() != 1 {
        return Err(format!("message_start must come first, once: {names:?}"));
    }
    if names.last() != Some(&"message_stop") || names.iter().filter(|n| **n == "message_stop").count() != 1 {
        return Err(format!("message_stop must come last, once: {names:?}"));
    }
    if names.iter().filter(|n| **n == "message_delta").count() != 1 || names[names.len() - 2] != "message_delta" {
        return Err(format!("one message_delta right before message_stop: {names:?}"));
    }
    let (mut open, mut next) = (None::<u64>, 0u64);
    for event in events {
        let name = event.event.as_deref().unwrap_or("");
        let data = json(event)?;
        if data["type"] != name {
            return Err(format!("event `{name}` carries type {}", data["type"]));
        }
        let index = data["index"].as_u64();
        match name {
            "content_block_start" if open.is_none() && index == Some(next) => {
                open = index;
                next += 1;
            }
            "content_block_delta" if open.is_some() && index == open => {}
            "content_block_stop" if open.is_some() && index == open => open = None,
            "message_delta" | "message_stop" if open.is_some() => return Err(format!("{name} with a block open")),
            "message_start" | "message_delta" | "message_stop" | "ping" => {}
            _ => return Err(format!("`{name}` out of place (open block {open:?}, next index {next})")),
        }
    }
    Ok(())
}

/// `response.created` first; a single terminal `response.completed` / `response.incomplete` last; increasing
/// `sequence_number`s; every output item added before its events and done before the next is added.
fn responses_order(events: &[SseEvent]) -> Result<(), String> {
    let names: Vec<&str> = events.iter().map(|e| e.event.as_deref().unwrap_or("")).collect();
    if names.first() != Some(&"response.created") {
        return Err(format!("response.created must come first: {names:?}"));
    }
    let terminal = |n: &str| matches!(n, "response.completed" | "response.incomplete" | "response.failed");
    if !names.last().is_some_and(|n| terminal(n)) || names.iter().filter(|n| terminal(n)).count() != 1 {
        return Err(format!("one terminal response event, last: {names:?}"));
    }
    let (mut seq, mut open, mut next) = (None::<u64>, None::<u64>, 0u64);
    for event in events {
        let name = event.event.as_deref().unwrap_or("");
        let data = json(event)?;
        if data["type"] != name {
            return Err(format!("event `{name}` carries type {}", data["type"]));
        }
        if let Some(n) = data["sequence_number"].as_u64() {
            if seq.is_some_and(|s| n <= s) {
                return Err(format!("sequence_number {n} does not increase"));
            }
            seq = Some(n);
        }
        let index = data["output_index"].as_u64();
        match name {
            "response.output_item.added" if open.is_none() && index == Some(next) => {
                open = index;
                next += 1;
            }
            "response.output_item.done" if open.is_some() && index == open => open = None,
            "response.output_item.added" | "response.output_item.done" => {
                return Err(format!("`{name}` for item {index:?} (open {open:?}, next {next})"));
            }
            _ if index.is_some() && index != open => return Err(format!("`{name}` for item {index:?}, open {open:?}")),
            _ => {}
        }
    }
    if open.is_some() {
        return Err("an output item is never done".into());
    }
    Ok(())
}

/// Unnamed `chat.completion.chunk`s, one carrying the finish reason, the usage chunk after it, then `[DONE]`
/// last and once.
fn chat_order(events: &[SseEvent]) -> Result<(), String> {
    let Some((last, chunks)) = events.split_last() else { return Err("empty stream".into()) };
    if last.data != "[DONE]" || chunks.iter().any(|e| e.data == "[DONE]") {
        return Err("the stream must end with a single data: [DONE]".into());
    }
    let mut finishes = 0;
    let mut usage_at = None;
    for (i, event) in chunks.iter().enumerate() {
        if event.event.is_some() {
            return Err(format!("named event {:?} in a Chat stream", event.event));
        }
        let data = json(event)?;
        if data["object"] != "chat.completion.chunk" {
            return Err(format!("chunk object is {}", data["object"]));
        }
        let choices = data["choices"].as_array().cloned().unwrap_or_default();
        finishes += choices.iter().filter(|c| !c["finish_reason"].is_null()).count();
        if !data["usage"].is_null() {
            usage_at = Some(i);
        }
    }
    if finishes != 1 {
        return Err(format!("{finishes} chunks carry a finish_reason"));
    }
    if usage_at != Some(chunks.len() - 1) {
        return Err("the usage chunk (include_usage) must come last before [DONE]".into());
    }
    Ok(())
}

/// JSON chunks; exactly one carries `finishReason`, and it is the last.
fn gemini_order(events: &[SseEvent]) -> Result<(), String> {
    let mut finished_at = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let data = json(event)?;
        let candidates = data["candidates"].as_array().cloned().unwrap_or_default();
        if candidates.iter().any(|c| c.get("finishReason").is_some()) {
            finished_at.push(i);
        }
    }
    if finished_at != [events.len().saturating_sub(1)] {
        return Err(format!("finishReason must be on the last chunk only (at {finished_at:?} of {})", events.len()));
    }
    Ok(())
}
