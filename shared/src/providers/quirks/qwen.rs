//! Qwen Code OAuth requests identify as Qwen Code and name the DashScope OAuth auth type. The per-account base
//! URL (`resource_url` of the token answer) comes with the grant (see `oauth::credentials`).
//!
//! Sources: decolua/9router `open-sse/executors/qwen.js`; router-for-me/CLIProxyAPI (before 8fac29631)
//! `internal/runtime/executor/qwen_executor.go`.

/// Headers of every Qwen OAuth request.
pub(super) const HEADERS: &[(&str, &str)] = &[
    ("user-agent", "QwenCode/0.12.3 (linux; x64)"),
    ("x-dashscope-useragent", "QwenCode/0.12.3 (linux; x64)"),
    ("x-dashscope-authtype", "qwen-oauth"),
    ("x-dashscope-cachecontrol", "enable"),
];
