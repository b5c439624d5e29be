//! GitHub Copilot chat requests carry the editor identity Copilot expects (VS Code + Copilot Chat). The bearer is
//! the short-lived Copilot token from the exchange, not the GitHub token (see `oauth::exchange`).
//!
//! Source: decolua/9router `open-sse/executors/github.js`, `open-sse/config/appConstants.js`.

/// Headers of every Copilot chat request.
pub(super) const HEADERS: &[(&str, &str)] = &[
    ("copilot-integration-id", "vscode-chat"),
    ("editor-version", "vscode/1.110.0"),
    ("editor-plugin-version", "copilot-chat/0.38.0"),
    ("user-agent", "GitHubCopilotChat/0.38.0"),
    ("openai-intent", "conversation-panel"),
    ("x-github-api-version", "2025-04-01"),
    ("x-initiator", "user"),
];
