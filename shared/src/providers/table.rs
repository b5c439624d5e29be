//! The table itself. Sources for endpoints are noted per row.
//!
//! Adding a provider: add a row; if it needs request/response rewriting, add a quirks module and reference it.

use super::{AuthKind, Format, ProviderSpec};

/// Every built-in provider.
pub static PROVIDERS: &[ProviderSpec] = &[
    // https://platform.openai.com/docs/api-reference/chat
    ProviderSpec {
        id: "openai",
        alias: "openai",
        name: "OpenAI",
        format: Format::OpenAiChat,
        auth: AuthKind::BearerKey,
        base_url: "https://api.openai.com/v1",
        chat_path: "/chat/completions",
        headers: &[],
        default_models: &["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3", "o4-mini"],
    },
    // https://openrouter.ai/docs/api-reference/overview (OpenAI-compatible)
    ProviderSpec {
        id: "openrouter",
        alias: "or",
        name: "OpenRouter",
        format: Format::OpenAiChat,
        auth: AuthKind::BearerKey,
        base_url: "https://openrouter.ai/api/v1",
        chat_path: "/chat/completions",
        headers: &[],
        default_models: &["openai/gpt-4o-mini", "anthropic/claude-sonnet-4"],
    },
    // https://docs.anthropic.com/en/api/messages ; versioning: https://docs.anthropic.com/en/api/versioning
    ProviderSpec {
        id: "anthropic",
        alias: "anthropic",
        name: "Anthropic",
        format: Format::Anthropic,
        auth: AuthKind::XApiKey,
        base_url: "https://api.anthropic.com/v1",
        chat_path: "/messages",
        headers: &[("anthropic-version", "2023-06-01")],
        default_models: &["claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5"],
    },
    // https://ai.google.dev/api/generate-content (API key in `x-goog-api-key`)
    ProviderSpec {
        id: "gemini",
        alias: "gemini",
        name: "Google Gemini",
        format: Format::Gemini,
        auth: AuthKind::GoogApiKey,
        base_url: "https://generativelanguage.googleapis.com/v1beta",
        chat_path: "",
        headers: &[],
        default_models: &["gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite"],
    },
    // Claude Code subscription (OAuth; login and refresh in `oauth::providers`, request quirks in
    // `quirks/claude_oauth.rs`). `?beta=true` as Claude Code sends it (9router `open-sse/config/providers.js`).
    ProviderSpec {
        id: "claude",
        alias: "cc",
        name: "Claude Code",
        format: Format::Anthropic,
        auth: AuthKind::BearerKey,
        base_url: "https://api.anthropic.com/v1",
        chat_path: "/messages?beta=true",
        headers: &[("anthropic-version", "2023-06-01")],
        default_models: &[
            "claude-opus-4-7",
            "claude-opus-4-6",
            "claude-sonnet-4-6",
            "claude-sonnet-4-5-20250929",
            "claude-haiku-4-5-20251001",
        ],
    },
    // GitHub Copilot (OAuth device flow + Copilot token; quirks in `quirks/copilot.rs`).
    // 9router `open-sse/config/providers.js`: https://api.githubcopilot.com/chat/completions
    ProviderSpec {
        id: "github",
        alias: "gh",
        name: "GitHub Copilot",
        format: Format::OpenAiChat,
        auth: AuthKind::BearerKey,
        base_url: "https://api.githubcopilot.com",
        chat_path: "/chat/completions",
        headers: &[],
        default_models: &[
            "gpt-4.1",
            "gpt-5-mini",
            "gpt-5.4",
            "claude-sonnet-4.6",
            "gemini-3.1-pro-preview",
            "grok-code-fast-1",
        ],
    },
    // Qwen Code (OAuth device flow; the account's `resource_url` replaces the base URL; quirks in `quirks/qwen.rs`).
    ProviderSpec {
        id: "qwen",
        alias: "qw",
        name: "Qwen Code",
        format: Format::OpenAiChat,
        auth: AuthKind::BearerKey,
        base_url: "https://portal.qwen.ai/v1",
        chat_path: "/chat/completions",
        headers: &[],
        default_models: &["qwen3-coder-plus", "qwen3-coder-flash", "coder-model", "vision-model"],
    },
    // iFlow (OAuth auth code, then the account's API key; signature headers in `quirks/iflow.rs`).
    // 9router `open-sse/config/providers.js`: https://apis.iflow.cn/v1/chat/completions
    ProviderSpec {
        id: "iflow",
        alias: "if",
        name: "iFlow",
        format: Format::OpenAiChat,
        auth: AuthKind::BearerKey,
        base_url: "https://apis.iflow.cn/v1",
        chat_path: "/chat/completions",
        headers: &[],
        default_models: &["qwen3-coder-plus", "qwen3-max", "kimi-k2", "deepseek-v3.2", "deepseek-r1", "glm-4.7"],
    },
];
