//! Local token estimate for `POST /v1/messages/count_tokens` when no upstream counts for us.
//!
//! The estimate is documented, not exact: about 4 characters of text per token (the usual rule of thumb for
//! English with BPE tokenizers; OpenAI and Anthropic both quote it), counted over every string in `system`,
//! `messages` and `tools` (keys excluded), plus 3 tokens of framing per message. Images count a flat 1,600
//! tokens (Anthropic's figure for a ~1.15 megapixel image). Clients use it for context budgeting, where an
//! estimate within ~20 % is what they need.

use serde_json::Value;

/// Characters per token.
const CHARS_PER_TOKEN: usize = 4;
/// Framing tokens per message.
const PER_MESSAGE: usize = 3;
/// Tokens per image.
const PER_IMAGE: usize = 1_600;

fn walk(value: &Value, chars: &mut usize, images: &mut usize) {
    match value {
        Value::String(s) => *chars += s.chars().count(),
        Value::Array(items) => items.iter().for_each(|v| walk(v, chars, images)),
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("image") {
                *images += 1;
                return;
            }
            map.values().for_each(|v| walk(v, chars, images));
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Estimated input tokens of an Anthropic-format request body.
#[must_use]
pub fn estimate(request: &Value) -> usize {
    let (mut chars, mut images) = (0, 0);
    for key in ["system", "messages", "tools"] {
        if let Some(part) = request.get(key) {
            walk(part, &mut chars, &mut images);
        }
    }
    let messages = request.get("messages").and_then(Value::as_array).map_or(0, Vec::len);
    chars.div_ceil(CHARS_PER_TOKEN) + messages * PER_MESSAGE + images * PER_IMAGE
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_text_messages_and_images() {
        let request = json!({
            "model": "ignored-model-name",
            "system": "abcd",
            "messages": [
                {"role": "user", "content": "12345678"},
                {"role": "user", "content": [{"type": "image", "source": {"type": "base64", "data": "x".repeat(999)}}]}
            ]
        });
        // "abcd" + "user" + "12345678" + "user" = 20 chars → 5 tokens; 2 messages → 6; one image → 1600.
        assert_eq!(estimate(&request), 5 + 6 + 1_600);
        assert_eq!(estimate(&json!({})), 0);
    }
}
