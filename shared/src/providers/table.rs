//! The table itself. Sources for endpoints are noted per row.
//!
//! Adding a provider: add a row; if it needs request/response rewriting, add a quirks module and reference it.

use super::{AuthKind, ProviderSpec, WireFormat};

/// Every built-in provider.
pub static PROVIDERS: &[ProviderSpec] = &[
    // https://platform.openai.com/docs/api-reference/chat
    ProviderSpec {
        id: "openai",
        alias: "openai",
        name: "OpenAI",
        format: WireFormat::OpenAiChat,
        auth: AuthKind::ApiKey,
        base_url: "https://api.openai.com/v1",
        chat_path: "/chat/completions",
        default_models: &[
            "gpt-4o",
            "gpt-4o-mini",
            "gpt-4.1",
            "gpt-4.1-mini",
            "o3",
            "o4-mini",
        ],
    },
    // https://openrouter.ai/docs/api-reference/overview (OpenAI-compatible)
    ProviderSpec {
        id: "openrouter",
        alias: "or",
        name: "OpenRouter",
        format: WireFormat::OpenAiChat,
        auth: AuthKind::ApiKey,
        base_url: "https://openrouter.ai/api/v1",
        chat_path: "/chat/completions",
        default_models: &["openai/gpt-4o-mini", "anthropic/claude-sonnet-4"],
    },
];
