//! [`ChatRequest`] → Anthropic request body, valid for Anthropic whatever format the request came from.
//!
//! Policies (where the API has requirements the IR does not guarantee):
//! - `messages`: repaired by [`super::history`] (merging, `(continue)` opener, tool-result pairing and order,
//!   dropped unsigned/foreign thinking, sanitised tool ids; with thinking off, no thinking in a final
//!   assistant turn);
//! - thinking: a budget → `{type:"enabled", budget_tokens}` (at least 1024; a budget of 0 means off); else a
//!   native `thinking` kept in `extra` (e.g. `adaptive`) is re-emitted; else an effort maps to a budget —
//!   `minimal` 1024, `low` 2048, `medium` 8192 (also unknown values), `high` 24576, `xhigh`/`max` 27648
//!   (so the default `max_tokens` below stays within the 32000 output cap of every thinking model), `none` off —
//!   unless `output_config.effort` is present in `extra` (an Anthropic client's effort is not thinking).
//!   Disabled reasoning omits `thinking`. Thinking is turned off when tool use is forced (`any` / `tool`,
//!   which Anthropic rejects together with thinking) or when the conversation ends in a tool loop whose
//!   assistant turn does not start with a signed thinking block (Anthropic rejects that too);
//! - `max_tokens` (required): the request's value, else 8192; with a thinking budget `b` it must exceed `b`:
//!   absent → `max(8192, b + 4096)`, at most `b` → `b + max_tokens` (the client's limit then applies to the
//!   answer); with budget-less thinking (adaptive) absent → 16384;
//! - sampling: `temperature` is clamped to 0–1 (Anthropic's range); with thinking on, only `temperature` 1 and
//!   `top_p` 0.95–1 are kept and `top_k` is dropped (Anthropic rejects other values); penalties and seed have
//!   no Anthropic field and are dropped;
//! - tools: empty or non-object parameters become `{"type":"object","properties":{}}`, an object without
//!   `type` gets `"type":"object"`; server tools from `extra` are appended; `tool_choice` is only sent with
//!   tools; `parallel_tool_calls: false` → `disable_parallel_tool_use: true`;
//! - `metadata` carries only `user_id` (from `metadata.user_id`, else `user`): Anthropic rejects other keys;
//! - `response_format` is not sent (Anthropic's `output_config.format` is newer than some upstreams; an
//!   Anthropic client's own `output_config` travels in `extra`);
//! - `extra`: only [`PASSTHROUGH_FIELDS`] are copied (`service_tier` only when `auto` / `standard_only`); they
//!   never collide with fields set here.

use std::borrow::Cow;

use serde_json::{json, Map, Value};

use super::history::{encode_messages, final_tool_turn_unsigned, strip_final_thinking};
use super::types::{OutMetadata, OutRequest, OutTool, OutToolChoice};
use super::{tool_name, PASSTHROUGH_FIELDS, SERVER_TOOLS_KEY};
use crate::ir::{ChatRequest, ToolChoice};

/// Smallest thinking budget Anthropic accepts.
const MIN_BUDGET: u32 = 1024;
/// `max_tokens` when the request has none and thinking is off.
const DEFAULT_MAX_TOKENS: u32 = 8192;
/// `max_tokens` when the request has none and thinking is on without a budget.
const DEFAULT_MAX_TOKENS_ADAPTIVE: u32 = 16384;
/// Room for the answer added to a thinking budget when the request has no `max_tokens`.
const ANSWER_ROOM: u32 = 4096;

/// The thinking configuration decided for a request.
#[derive(Debug, Clone, PartialEq)]
enum ThinkingPlan {
    /// No `thinking` field.
    Off,
    /// `{type:"enabled", budget_tokens}`.
    Budget(u32),
    /// The client's own `thinking` value, verbatim.
    Native(Value),
}

impl ThinkingPlan {
    fn is_on(&self) -> bool {
        match self {
            Self::Off => false,
            Self::Budget(_) => true,
            Self::Native(v) => matches!(v.get("type").and_then(Value::as_str), Some("enabled" | "adaptive")),
        }
    }

    fn budget(&self) -> Option<u32> {
        match self {
            Self::Budget(b) => Some(*b),
            Self::Native(v) => v.get("budget_tokens").and_then(Value::as_u64).and_then(|b| u32::try_from(b).ok()),
            Self::Off => None,
        }
    }

    fn into_value(self) -> Option<Value> {
        match self {
            Self::Off => None,
            Self::Budget(b) => Some(json!({ "type": "enabled", "budget_tokens": b })),
            Self::Native(v) => Some(v),
        }
    }
}

/// The thinking budget for an effort level; `None` for `none`.
fn effort_budget(effort: &str) -> Option<u32> {
    match effort {
        "none" => None,
        "minimal" => Some(1024),
        "low" => Some(2048),
        "high" => Some(24576),
        "xhigh" | "max" => Some(27648),
        _ => Some(8192),
    }
}

fn plan_thinking(req: &ChatRequest) -> ThinkingPlan {
    let native = req.extra.get("thinking");
    let native_effort = req.extra.get("output_config").and_then(|c| c.get("effort")).is_some();
    let Some(reasoning) = &req.reasoning else {
        return native.map_or(ThinkingPlan::Off, |v| ThinkingPlan::Native(v.clone()));
    };
    if reasoning.disabled {
        return ThinkingPlan::Off;
    }
    match (reasoning.budget_tokens, native, reasoning.effort.as_deref()) {
        (Some(0), _, _) => ThinkingPlan::Off,
        (Some(b), _, _) => ThinkingPlan::Budget(b.max(MIN_BUDGET)),
        (None, Some(v), _) => ThinkingPlan::Native(v.clone()),
        (None, None, Some(effort)) if !native_effort => {
            effort_budget(effort).map_or(ThinkingPlan::Off, ThinkingPlan::Budget)
        }
        _ => ThinkingPlan::Off,
    }
}

fn max_tokens(requested: Option<u32>, thinking: &ThinkingPlan) -> u32 {
    let requested = requested.filter(|&m| m > 0);
    match (thinking.budget(), requested) {
        (Some(b), None) => DEFAULT_MAX_TOKENS.max(b.saturating_add(ANSWER_ROOM)),
        (Some(b), Some(m)) if m <= b => b.saturating_add(m),
        (_, Some(m)) => m,
        (None, None) if thinking.is_on() => DEFAULT_MAX_TOKENS_ADAPTIVE,
        (None, None) => DEFAULT_MAX_TOKENS,
    }
}

/// `input_schema` for tool parameters: always a JSON Schema object.
fn input_schema(parameters: &Value) -> Cow<'_, Value> {
    match parameters {
        Value::Object(map) if map.contains_key("type") => Cow::Borrowed(parameters),
        Value::Object(map) if !map.is_empty() => {
            let mut map = map.clone();
            map.insert("type".to_owned(), Value::String("object".to_owned()));
            Cow::Owned(Value::Object(map))
        }
        _ => Cow::Owned(json!({ "type": "object", "properties": {} })),
    }
}

fn encode_tools(req: &ChatRequest) -> Vec<OutTool<'_>> {
    let custom = req.tools.iter().map(|t| OutTool::Custom {
        name: tool_name(&t.name),
        description: t.description.as_deref(),
        input_schema: input_schema(&t.parameters),
        cache_control: t.cache_control.as_ref(),
    });
    let server = req.extra.get(SERVER_TOOLS_KEY).and_then(Value::as_array).into_iter().flatten().map(OutTool::Server);
    custom.chain(server).collect()
}

fn encode_tool_choice(req: &ChatRequest) -> Option<OutToolChoice<'_>> {
    let disable = (req.parallel_tool_calls == Some(false)).then_some(true);
    let choice = |kind, name| OutToolChoice { kind, name, disable_parallel_tool_use: disable };
    match &req.tool_choice {
        Some(ToolChoice::Auto) => Some(choice("auto", None)),
        Some(ToolChoice::Required) => Some(choice("any", None)),
        Some(ToolChoice::Tool { name }) => Some(choice("tool", Some(name.as_str()))),
        Some(ToolChoice::None) => Some(OutToolChoice { kind: "none", name: None, disable_parallel_tool_use: None }),
        None => disable.map(|_| choice("auto", None)),
    }
}

/// The fields of `extra` an Anthropic upstream may receive.
fn passthrough(extra: &Map<String, Value>) -> Map<String, Value> {
    PASSTHROUGH_FIELDS
        .iter()
        .filter_map(|&key| {
            let value = extra.get(key)?;
            if key == "service_tier" && !matches!(value.as_str(), Some("auto" | "standard_only")) {
                return None;
            }
            Some((key.to_owned(), value.clone()))
        })
        .collect()
}

/// Encodes `req` as an Anthropic Messages request body (see the module doc for every policy applied).
#[must_use]
pub fn encode_request(req: &ChatRequest) -> Vec<u8> {
    let mut messages = encode_messages(&req.messages);
    let tools = encode_tools(req);
    let tool_choice = if tools.is_empty() { None } else { encode_tool_choice(req) };
    let forced = tool_choice.as_ref().is_some_and(|c| matches!(c.kind, "any" | "tool"));
    let mut thinking = plan_thinking(req);
    if thinking.is_on() && (forced || final_tool_turn_unsigned(&messages)) {
        thinking = ThinkingPlan::Off;
    }
    let thinking_on = thinking.is_on();
    if !thinking_on {
        strip_final_thinking(&mut messages);
    }
    let sampling = &req.sampling;
    let temperature =
        sampling.temperature.filter(|t| t.is_finite()).map(|t| t.clamp(0.0, 1.0)).filter(|&t| !thinking_on || t == 1.0);
    let top_p = sampling.top_p.filter(|p| p.is_finite()).filter(|&p| !thinking_on || (0.95..=1.0).contains(&p));
    let top_k = sampling.top_k.filter(|_| !thinking_on);
    let user_id = req.metadata.as_ref().and_then(|m| m.get("user_id")).and_then(Value::as_str).or(req.user.as_deref());
    let body = OutRequest {
        model: &req.model,
        max_tokens: max_tokens(req.max_tokens, &thinking),
        system: req
            .system
            .iter()
            .filter(|b| !b.text.trim().is_empty())
            .map(|b| super::types::OutSystem { text: &b.text, cache_control: b.cache_control.as_ref() })
            .collect(),
        messages,
        tools,
        tool_choice,
        temperature,
        top_p,
        top_k,
        stop_sequences: req.stop.iter().filter(|s| !s.trim().is_empty()).map(String::as_str).collect(),
        stream: req.stream,
        metadata: user_id.map(|user_id| OutMetadata { user_id }),
        thinking: thinking.into_value(),
        extra: passthrough(&req.extra),
    };
    // Serialising these types cannot fail (string keys, no fallible Serialize impls).
    serde_json::to_vec(&body).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Reasoning;

    fn with_reasoning(reasoning: Reasoning) -> ChatRequest {
        ChatRequest { reasoning: Some(reasoning), ..ChatRequest::default() }
    }

    #[test]
    fn effort_maps_to_budgets_and_none_is_off() {
        let plan = |effort: &str| {
            plan_thinking(&with_reasoning(Reasoning { effort: Some(effort.to_owned()), ..Reasoning::default() }))
        };
        assert_eq!(plan("low"), ThinkingPlan::Budget(2048));
        assert_eq!(plan("medium"), ThinkingPlan::Budget(8192));
        assert_eq!(plan("high"), ThinkingPlan::Budget(24576));
        assert_eq!(plan("none"), ThinkingPlan::Off);
    }

    #[test]
    fn budgets_are_raised_to_the_minimum_and_zero_is_off() {
        let plan = |b| plan_thinking(&with_reasoning(Reasoning { budget_tokens: Some(b), ..Reasoning::default() }));
        assert_eq!(plan(10), ThinkingPlan::Budget(1024));
        assert_eq!(plan(0), ThinkingPlan::Off);
    }

    #[test]
    fn max_tokens_always_exceeds_the_budget() {
        assert_eq!(max_tokens(None, &ThinkingPlan::Off), 8192);
        assert_eq!(max_tokens(Some(100), &ThinkingPlan::Off), 100);
        assert_eq!(max_tokens(None, &ThinkingPlan::Budget(24576)), 28672);
        assert_eq!(max_tokens(None, &ThinkingPlan::Budget(1024)), 8192);
        assert_eq!(max_tokens(Some(1000), &ThinkingPlan::Budget(2048)), 3048);
        assert_eq!(max_tokens(Some(9000), &ThinkingPlan::Budget(2048)), 9000);
        let adaptive = ThinkingPlan::Native(json!({"type": "adaptive"}));
        assert_eq!(max_tokens(None, &adaptive), 16384);
    }

    #[test]
    fn schemas_are_always_objects() {
        assert_eq!(*input_schema(&Value::Null), json!({"type": "object", "properties": {}}));
        assert_eq!(
            *input_schema(&json!({"properties": {"a": {}}})),
            json!({"type": "object", "properties": {"a": {}}})
        );
    }
}
