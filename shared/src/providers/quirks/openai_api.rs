//! OpenAI's own API (`openai` provider): the completion-token limit is `max_completion_tokens`. `max_tokens` is
//! deprecated there and refused by the reasoning models (o-series, gpt-5: "Unsupported parameter: 'max_tokens'
//! … Use 'max_completion_tokens' instead"), while `max_completion_tokens` works for every Chat model — source:
//! https://platform.openai.com/docs/api-reference/chat/create (`max_tokens`: "deprecated … not compatible with
//! o-series models"). OpenAI-compatible vendors keep getting `max_tokens`, the field they all accept.
//!
//! Applied to translated requests only: a Chat client talking to OpenAI chose its own field.

use serde_json::Value;

use crate::ir::ChatRequest;

/// Provider id this module is for.
pub const PROVIDER_ID: &str = "openai";

/// Moves the token limit to `max_completion_tokens` (through `extra`, which the Chat encoder merges). Returns
/// what [`restore`] needs to undo it on the shared IR once the body is encoded.
pub fn prepare(ir: &mut ChatRequest) -> Option<u32> {
    let limit = ir.max_tokens.take()?;
    ir.extra.insert("max_completion_tokens".into(), Value::from(limit));
    Some(limit)
}

/// Undoes [`prepare`] (the IR is reused for the next target of a combo).
pub fn restore(ir: &mut ChatRequest, taken: Option<u32>) {
    if let Some(limit) = taken {
        ir.extra.remove("max_completion_tokens");
        ir.max_tokens = Some(limit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{dispatch, Format};

    #[test]
    fn openai_gets_max_completion_tokens_and_the_ir_is_restored() {
        let mut ir = ChatRequest { max_tokens: Some(321), ..ChatRequest::default() };
        let taken = prepare(&mut ir);
        let body: Value = serde_json::from_slice(&dispatch::encode_request(Format::OpenAiChat, &ir)).expect("json");
        assert_eq!(body["max_completion_tokens"], 321);
        assert!(body.get("max_tokens").is_none(), "{body}");
        restore(&mut ir, taken);
        assert_eq!(ir.max_tokens, Some(321));
        assert!(ir.extra.is_empty());
        let plain: Value = serde_json::from_slice(&dispatch::encode_request(Format::OpenAiChat, &ir)).expect("json");
        assert_eq!(plain["max_tokens"], 321, "other OpenAI-compatible vendors keep max_tokens");
    }

    #[test]
    fn no_limit_means_nothing_to_move() {
        let mut ir = ChatRequest::default();
        assert_eq!(prepare(&mut ir), None);
        assert!(ir.extra.is_empty());
    }
}
