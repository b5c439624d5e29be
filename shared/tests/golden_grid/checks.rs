//! Semantic assertions per case: what must hold of the request we send upstream and the answer we return,
//! including the documented degradations where a format cannot carry something:
//! - Gemini (and Code Assist) carry no tool-call ids: ids are minted on the Gemini side, calls and results stay
//!   paired; elsewhere ids are kept exactly;
//! - Kiro reports no stop reason (a length stop reads as a natural end), no cache counts, no reasoning count;
//! - cache writes reach only Anthropic clients (others count them as plain input); reasoning token counts only
//!   formats that carry them (not Anthropic, not Kiro);
//! - reasoning in history: kept for the same family (signature byte-exact), never sent to another family; Gemini
//!   gets the signature without the thought text; Chat upstreams get none (DeepSeek rejects it);
//! - Anthropic upstreams get `max_tokens` raised above a thinking budget.

use serde_json::Value;
use shared::formats::{dispatch, Format};
use shared::ir::{ChatRequest, ChatResponse, ContentPart, FinishReason, Role};

use super::client_requests::{max_tokens, question, HISTORY_THOUGHT, SYSTEM, TOOL_RESULT};
use super::observe;
use super::run::Case;
use super::scenario::{
    family, history_signature, reply, upstream_signature, Block, Finish, Scenario, THOUGHT, UPSTREAM_MODEL,
    WEATHER_ARGS,
};

/// Collects failures of one case.
pub struct Failures<'a> {
    case: &'a Case,
    pub list: Vec<String>,
}

impl<'a> Failures<'a> {
    pub fn new(case: &'a Case) -> Self {
        Self { case, list: Vec::new() }
    }

    /// The case being checked.
    pub fn case(&self) -> &Case {
        self.case
    }

    pub fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.list.push(format!("{}: {}", self.case.label(), what()));
        }
    }
}

fn same_json(a: &str, b: &str) -> bool {
    matches!((serde_json::from_str::<Value>(a), serde_json::from_str::<Value>(b)), (Ok(x), Ok(y)) if x == y)
}

/// Gemini carries no tool-call ids: a call's id is minted on whichever side speaks Gemini.
fn ids_survive(case: &Case) -> bool {
    ![case.client, case.upstream].iter().any(|f| matches!(f, Format::Gemini | Format::CodeAssist))
}

fn text_of(parts: &[ContentPart]) -> String {
    parts
        .iter()
        .filter_map(|p| if let ContentPart::Text { text, .. } = p { Some(text.as_str()) } else { None })
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The request we send upstream.
pub fn upstream_request(f: &mut Failures<'_>, body: &[u8]) {
    let case = *f.case;
    let scenario = case.scenario;
    f.check(contains(body, SYSTEM), || "system prompt missing upstream".into());
    f.check(contains(body, question(scenario)), || "the user's question missing upstream".into());
    // Reasoning signatures in history: byte-exact to the same family, never to another.
    if let Some(sig) = history_signature(case.client).filter(|_| scenario == Scenario::Thinking) {
        let same_family = family(case.client) == family(case.upstream);
        f.check(contains(body, sig) == same_family, || {
            format!(
                "history signature {} upstream (same family: {same_family})",
                if same_family { "lost" } else { "leaked" }
            )
        });
    }
    if case.upstream == Format::Kiro {
        kiro_request(f, body);
        return;
    }
    let ir = match dispatch::decode_request(case.upstream, body) {
        Ok(ir) => ir,
        Err(e) => return f.check(false, || format!("upstream request does not decode as {:?}: {e}", case.upstream)),
    };
    let system: String = ir.system.iter().map(|b| b.text.as_str()).collect();
    f.check(system.contains(SYSTEM), || format!("system is {system:?}"));
    let limit = u32::try_from(max_tokens(scenario)).unwrap_or(0);
    // Anthropic needs `max_tokens` above the thinking budget: its encoder adds the budget when it is not.
    let raised = case.upstream == Format::Anthropic && scenario == Scenario::Thinking && !case.passthrough();
    f.check(if raised { ir.max_tokens >= Some(limit) } else { ir.max_tokens == Some(limit) }, || {
        format!("max tokens {:?}", ir.max_tokens)
    });
    if matches!(case.upstream, Format::OpenAiChat | Format::OpenAiResponses | Format::Anthropic | Format::CodeAssist) {
        f.check(ir.model == UPSTREAM_MODEL, || format!("model {:?}", ir.model));
    }
    if matches!(case.upstream, Format::OpenAiChat | Format::OpenAiResponses | Format::Anthropic) {
        f.check(ir.stream == case.stream, || format!("upstream stream flag {}", ir.stream));
    }
    let names: Vec<&str> = ir.tools.iter().map(|t| t.name.as_str()).collect();
    let expected: &[&str] = if scenario.has_tools() { &["get_weather", "get_time"] } else { &[] };
    f.check(names == expected, || format!("tools {names:?}"));
    if matches!(case.upstream, Format::Gemini | Format::CodeAssist) && !case.passthrough() {
        let schemas =
            serde_json::to_string(&ir.tools.iter().map(|t| &t.parameters).collect::<Vec<_>>()).unwrap_or_default();
        f.check(!schemas.contains("$schema") && !schemas.contains("additionalProperties"), || {
            format!("schema keywords Gemini rejects reach it: {schemas}")
        });
    }
    if scenario == Scenario::Thinking {
        let on = ir.reasoning.as_ref().is_some_and(|r| !r.disabled);
        f.check(on, || format!("reasoning not requested upstream: {:?}", ir.reasoning));
        // The history's reasoning text survives wherever the upstream format can hold it in history.
        let history_thinking = ir
            .messages
            .iter()
            .flat_map(|m| &m.content)
            .any(|p| matches!(p, ContentPart::Thinking(t) if t.text == HISTORY_THOUGHT));
        // Degradations: Chat upstreams get no reasoning back (DeepSeek rejects `reasoning_content` in input);
        // Gemini gets only the signature (thought text is not sent back); other families get none of it.
        let gemini = matches!(case.upstream, Format::Gemini | Format::CodeAssist);
        let holds = case.passthrough() || (family(case.client) == family(case.upstream) && !gemini);
        if holds {
            f.check(history_thinking, || "history reasoning lost upstream".into());
        }
    }
    if scenario == Scenario::MixedTurn {
        mixed_history(f, &ir);
    }
}

/// The tool call and its result in the history reach the upstream paired.
fn mixed_history(f: &mut Failures<'_>, ir: &ChatRequest) {
    let case = *f.case;
    let calls: Vec<(&str, &str, &str)> = ir
        .messages
        .iter()
        .filter(|m| m.role == Role::Assistant)
        .flat_map(|m| &m.content)
        .filter_map(|p| match p {
            ContentPart::ToolCall { id, name, arguments } => Some((id.as_str(), name.as_str(), arguments.as_str())),
            _ => None,
        })
        .collect();
    let results: Vec<(&str, String)> = ir
        .messages
        .iter()
        .flat_map(|m| &m.content)
        .filter_map(|p| match p {
            ContentPart::ToolResult { call_id, content, .. } => Some((call_id.as_str(), text_of(content))),
            _ => None,
        })
        .collect();
    f.check(calls.len() == 1 && calls[0].1 == "get_weather" && same_json(calls[0].2, WEATHER_ARGS), || {
        format!("history tool call {calls:?}")
    });
    f.check(results.len() == 1 && results[0].1.contains(TOOL_RESULT), || format!("history tool result {results:?}"));
    if let (Some(call), Some(result)) = (calls.first(), results.first()) {
        f.check(!call.0.is_empty() && call.0 == result.0, || format!("call id {} answered by {}", call.0, result.0));
        if ids_survive(&case) {
            f.check(call.0 == "call_prev", || format!("history call id {}", call.0));
        }
    }
    let assistant_text: String =
        ir.messages.iter().filter(|m| m.role == Role::Assistant).map(|m| text_of(&m.content)).collect();
    f.check(assistant_text.contains("Checking Paris."), || format!("history assistant text {assistant_text:?}"));
}

/// Kiro's request is checked on its JSON (no decoder reads it: no client speaks Kiro).
fn kiro_request(f: &mut Failures<'_>, body: &[u8]) {
    let scenario = f.case.scenario;
    let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let state = &value["conversationState"];
    f.check(state.is_object(), || "no conversationState".into());
    let tools = &state["currentMessage"]["userInputMessage"]["userInputMessageContext"]["tools"];
    let names: Vec<&str> =
        tools.as_array().into_iter().flatten().filter_map(|t| t["toolSpecification"]["name"].as_str()).collect();
    let expected: &[&str] = if scenario.has_tools() { &["get_weather", "get_time"] } else { &[] };
    f.check(names == expected, || format!("Kiro tools {names:?}"));
    if scenario == Scenario::MixedTurn {
        let text = String::from_utf8_lossy(body);
        for needle in ["call_prev", "get_weather", "Paris", TOOL_RESULT, "Checking Paris."] {
            f.check(text.contains(needle) || f.case.client == Format::Gemini && needle == "call_prev", || {
                format!("Kiro history lacks {needle}")
            });
        }
    }
}

fn expected_finish(case: &Case) -> FinishReason {
    match (reply(case.scenario).finish, case.upstream) {
        // Kiro reports no stop reason: a cut answer reads as a natural end (documented in kiro/stream_decode.rs).
        (Finish::Length, Format::Kiro) => FinishReason::Stop,
        (Finish::Length, _) => FinishReason::Length,
        (Finish::Stop, _) => FinishReason::Stop,
        (Finish::Tools, _) => FinishReason::ToolCalls,
    }
}

/// The finish reason as the client's format spells it.
fn check_wire_finish(f: &mut Failures<'_>, body: &[u8]) {
    let case = *f.case;
    if case.stream {
        return;
    }
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let finish = expected_finish(&case);
    let (got, want) = match case.client {
        Format::OpenAiChat => (
            v["choices"][0]["finish_reason"].clone(),
            match finish {
                FinishReason::Length => "length",
                FinishReason::ToolCalls => "tool_calls",
                _ => "stop",
            },
        ),
        Format::Anthropic => (
            v["stop_reason"].clone(),
            match finish {
                FinishReason::Length => "max_tokens",
                FinishReason::ToolCalls => "tool_use",
                _ => "end_turn",
            },
        ),
        Format::OpenAiResponses => {
            (v["status"].clone(), if finish == FinishReason::Length { "incomplete" } else { "completed" })
        }
        _ => (
            v["candidates"][0]["finishReason"].clone(),
            if finish == FinishReason::Length { "MAX_TOKENS" } else { "STOP" },
        ),
    };
    f.check(got == want, || format!("wire finish {got}, want {want}"));
}

/// The answer we return.
pub fn client_response(f: &mut Failures<'_>, body: &[u8]) {
    let case = *f.case;
    if case.stream {
        if let Err(e) = observe::check_order(case.client, body) {
            f.check(false, || format!("stream order: {e}"));
        }
    }
    check_wire_finish(f, body);
    let response = match observe::decode(case.client, body, case.stream) {
        Ok(r) => r,
        Err(e) => return f.check(false, || e),
    };
    answer(f, &response, body);
}

fn answer(f: &mut Failures<'_>, response: &ChatResponse, body: &[u8]) {
    let case = *f.case;
    let reply = reply(case.scenario);
    let want_text: String =
        reply.blocks.iter().filter_map(|b| if let Block::Text(t) = b { Some(*t) } else { None }).collect();
    let got_text = text_of(&response.content);
    f.check(got_text == want_text, || format!("text {got_text:?}, want {want_text:?}"));
    // Tool calls: names, arguments, order and count intact; ids kept where no Gemini side mints them.
    let want_calls: Vec<(&str, &str, &str)> = reply
        .blocks
        .iter()
        .filter_map(|b| if let Block::Tool { id, name, args } = b { Some((*id, *name, *args)) } else { None })
        .collect();
    let got_calls: Vec<(&str, &str, &str)> = response
        .content
        .iter()
        .filter_map(|p| match p {
            ContentPart::ToolCall { id, name, arguments } => Some((id.as_str(), name.as_str(), arguments.as_str())),
            _ => None,
        })
        .collect();
    f.check(got_calls.len() == want_calls.len(), || format!("tool calls {got_calls:?}"));
    for (got, want) in got_calls.iter().zip(&want_calls) {
        f.check(got.1 == want.1 && same_json(got.2, want.2), || format!("tool call {got:?}, want {want:?}"));
        f.check(!got.0.is_empty(), || "empty tool call id".into());
        if ids_survive(&case) {
            f.check(got.0 == want.0, || format!("tool call id {}, want {}", got.0, want.0));
        }
    }
    let mut ids: Vec<&str> = got_calls.iter().map(|c| c.0).collect();
    ids.dedup();
    f.check(ids.len() == got_calls.len(), || "tool call ids repeat".into());
    // Reasoning: shown to every client; the upstream's signature only to a client of its family.
    let thoughts: Vec<_> =
        response.content.iter().filter_map(|p| if let ContentPart::Thinking(t) = p { Some(t) } else { None }).collect();
    // No empty reasoning blocks (a signature-only block only where the client can use the signature).
    let same = family(case.client) == family(case.upstream);
    f.check(thoughts.iter().all(|t| !t.text.is_empty() || (same && t.signature.is_some())), || {
        format!("empty reasoning block in {thoughts:?}")
    });
    if case.scenario == Scenario::Thinking {
        let text: String = thoughts.iter().map(|t| t.text.as_str()).collect();
        f.check(text == THOUGHT, || format!("thinking text {text:?}"));
        if let Some(sig) = upstream_signature(case.upstream) {
            let same = family(case.client) == family(case.upstream);
            let shown = contains(body, sig);
            f.check(shown == same, || {
                format!(
                    "upstream signature {} (same family: {same})",
                    if same { "lost" } else { "leaked to the client" }
                )
            });
            if same {
                f.check(thoughts.iter().any(|t| t.signature.as_deref() == Some(sig)), || {
                    "signature not byte-exact".into()
                });
            }
        }
    } else {
        f.check(thoughts.is_empty(), || "thinking where none was sent".into());
    }
    let finish = expected_finish(&case);
    f.check(response.finish.as_ref() == Some(&finish), || format!("finish {:?}, want {finish:?}", response.finish));
    usage(f, response);
}

/// Usage: the upstream's numbers, never padded; cache reads wherever both sides report them; cache writes
/// only to an Anthropic client (other formats count them as plain input).
fn usage(f: &mut Failures<'_>, response: &ChatResponse) {
    let case = *f.case;
    let u = reply(case.scenario).usage;
    let got = response.usage;
    let (cache_read, cache_write) = match case.upstream {
        Format::Kiro => (0, 0),
        Format::Anthropic => (u.cache_read, u.cache_write),
        _ => (u.cache_read, 0),
    };
    let total_input = u.input + cache_read + cache_write;
    f.check(got.total_input() == total_input, || {
        format!("total input {}, want {total_input} ({got:?})", got.total_input())
    });
    f.check(got.output_tokens == u.output, || format!("output tokens {}, want {}", got.output_tokens, u.output));
    f.check(got.cache_read_tokens == cache_read, || {
        format!("cache reads {}, want {cache_read}", got.cache_read_tokens)
    });
    if case.client == Format::Anthropic {
        f.check(got.cache_write_tokens == cache_write, || {
            format!("cache writes {}, want {cache_write}", got.cache_write_tokens)
        });
    }
    let reasoning_carried =
        |fmt: Format| matches!(fmt, Format::OpenAiChat | Format::OpenAiResponses | Format::Gemini | Format::CodeAssist);
    // Anthropic's usage has no reasoning count and Kiro reports none: 0 then, never an invented number.
    let want_reasoning =
        if reasoning_carried(case.client) && reasoning_carried(case.upstream) { u.reasoning } else { 0 };
    f.check(got.reasoning_tokens == want_reasoning, || {
        format!("reasoning tokens {}, want {want_reasoning}", got.reasoning_tokens)
    });
}
