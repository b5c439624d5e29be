//! The provider table: one row per provider. Adding a provider is one row in [`table`].

mod custom;
pub mod quirks;
mod table;

pub use custom::{valid_prefix, CustomFormat, CustomProvider, Provider, MAX_PREFIX};
pub use table::PROVIDERS;

use serde::Serialize;

pub use crate::formats::Format;

/// How a connection authenticates upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// A static API key sent as `Authorization: Bearer <key>`.
    BearerKey,
    /// A static API key sent as `x-api-key: <key>` (Anthropic).
    XApiKey,
    /// A static API key sent as `x-goog-api-key: <key>` (Gemini).
    GoogApiKey,
}

/// One provider.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ProviderSpec {
    /// Stable id, used in storage and as a model prefix.
    pub id: &'static str,
    /// Short model prefix accepted besides the id.
    pub alias: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Upstream wire format.
    pub format: Format,
    /// Authentication kind.
    pub auth: AuthKind,
    /// Default base URL (a connection may override it).
    pub base_url: &'static str,
    /// Path of the chat endpoint under the base URL; for Gemini-format providers the path is built from the
    /// model instead (`/models/{model}:generateContent` or `:streamGenerateContent?alt=sse`), for Code Assist
    /// the method is appended to it (`/v1internal:generateContent`).
    pub chat_path: &'static str,
    /// Headers every request to this provider carries.
    pub headers: &'static [(&'static str, &'static str)],
    /// Models offered when a connection does not list its own.
    pub default_models: &'static [&'static str],
}

impl ProviderSpec {
    /// The URL of a chat request for `model` under `base` (the connection's base URL or the default).
    #[must_use]
    pub fn chat_url(&self, base: &str, model: &str, stream: bool) -> String {
        let base = base.trim_end_matches('/');
        match self.format {
            Format::Gemini => {
                let method = if stream { "streamGenerateContent?alt=sse" } else { "generateContent" };
                format!("{base}/models/{model}:{method}")
            }
            // `{base}/v1internal:generateContent` / `:streamGenerateContent?alt=sse` (wire-formats.md §5).
            Format::CodeAssist => {
                let method = if stream { "streamGenerateContent?alt=sse" } else { "generateContent" };
                format!("{base}{}:{method}", self.chat_path)
            }
            Format::OpenAiChat | Format::Anthropic | Format::OpenAiResponses | Format::Kiro => {
                format!("{base}{}", self.chat_path)
            }
        }
    }
}

/// Finds a provider by id or alias (case-sensitive, as the seed's prefixes are).
#[must_use]
pub fn find(prefix: &str) -> Option<&'static ProviderSpec> {
    PROVIDERS.iter().find(|p| p.id == prefix || p.alias == prefix)
}

/// Every accepted model prefix, for error messages.
#[must_use]
pub fn known_prefixes() -> Vec<&'static str> {
    let mut prefixes: Vec<_> = PROVIDERS.iter().flat_map(|p| [p.id, p.alias]).collect();
    prefixes.dedup();
    prefixes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_aliases_are_unique() {
        let mut all = known_prefixes();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n, "a prefix names two providers");
    }

    #[test]
    fn openai_is_found_by_id() {
        assert_eq!(find("openai").map(|p| p.id), Some("openai"));
        assert!(find("nope").is_none());
    }
}
