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
    // Codex OAuth: the Responses API on the ChatGPT backend. URL and headers: notes/providers.md "cx —
    // Upstream" (9router open-sse/executors/codex.js, CLIProxyAPI codex_executor_request.go); `originator` as
    // Codex CLI sends it (wire-formats.md §2.1). Body rules and `chatgpt-account-id`: quirks/codex.rs.
    ProviderSpec {
        id: "codex",
        alias: "cx",
        name: "OpenAI Codex",
        format: Format::OpenAiResponses,
        auth: AuthKind::BearerKey,
        base_url: "https://chatgpt.com/backend-api/codex",
        chat_path: "/responses",
        headers: &[("originator", "codex_cli_rs")],
        default_models: &["gpt-5.5", "gpt-5.4", "gpt-5.3-codex", "gpt-5.1-codex-mini", "gpt-5-codex"],
    },
    // Gemini CLI OAuth: Code Assist `v1internal` (notes/providers.md "gc — Upstream"; gemini-cli
    // packages/core/src/code_assist/server.ts). Headers as 9router's gemini-cli executor sends them.
    ProviderSpec {
        id: "gemini-cli",
        alias: "gc",
        name: "Gemini CLI",
        format: Format::CodeAssist,
        auth: AuthKind::BearerKey,
        base_url: "https://cloudcode-pa.googleapis.com",
        chat_path: "/v1internal",
        headers: &[
            ("user-agent", "GeminiCLI/0.31.0 (linux; x64)"),
            ("x-goog-api-client", "google-genai-sdk/1.41.0 gl-node/v22.19.0"),
        ],
        default_models: &["gemini-3-pro-preview", "gemini-3-flash-preview", "gemini-2.5-pro", "gemini-2.5-flash"],
    },
    // Antigravity OAuth: Code Assist `v1internal` on the daily host, the first base URL both 9router and
    // CLIProxyAPI try (notes/providers.md "ag — Upstream"). Model ids carry the thinking level
    // (`gemini-3-pro-high`) and include Claude models, all sent in the Gemini shape.
    ProviderSpec {
        id: "antigravity",
        alias: "ag",
        name: "Antigravity",
        format: Format::CodeAssist,
        auth: AuthKind::BearerKey,
        base_url: "https://daily-cloudcode-pa.googleapis.com",
        chat_path: "/v1internal",
        headers: &[("user-agent", "antigravity/1.107.0 linux/amd64")],
        default_models: &[
            "gemini-3-pro-high",
            "gemini-3-pro-low",
            "gemini-3.1-pro-high",
            "gemini-3.1-pro-low",
            "gemini-3-flash",
            "claude-sonnet-4-6",
            "claude-opus-4-6-thinking",
            "gpt-oss-120b-medium",
        ],
    },
    // Kiro (AWS CodeWhisperer): JSON in, AWS event-stream out, always. URL and headers: notes/providers.md "kr —
    // Upstream" (9router open-sse/executors/kiro.js). `profileArn` and the invocation id: quirks/kiro.rs.
    ProviderSpec {
        id: "kiro",
        alias: "kr",
        name: "Kiro",
        format: Format::Kiro,
        auth: AuthKind::BearerKey,
        base_url: "https://codewhisperer.us-east-1.amazonaws.com",
        chat_path: "/generateAssistantResponse",
        headers: &[
            ("accept", "application/vnd.amazon.eventstream"),
            ("x-amz-target", "AmazonCodeWhispererStreamingService.GenerateAssistantResponse"),
            ("user-agent", "AWS-SDK-JS/3.0.0 kiro-ide/1.0.0"),
            ("x-amz-user-agent", "aws-sdk-js/3.0.0 kiro-ide/1.0.0"),
            ("amz-sdk-request", "attempt=1; max=3"),
        ],
        default_models: &[
            "claude-sonnet-4.5",
            "claude-haiku-4.5",
            "deepseek-3.2",
            "qwen3-coder-next",
            "glm-5",
            "MiniMax-M2.5",
        ],
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
