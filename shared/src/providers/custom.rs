//! User-defined providers (OpenAI-, Responses- or Anthropic-compatible endpoints with their own model prefix and
//! base URL, as the JS 9router's "provider nodes") and [`Provider`], the handle routing uses for a built-in row
//! or a custom one. Built-ins stay `&'static` rows of the table; a custom provider is a stored record shared by
//! `Arc`, so resolving either costs no allocation beyond the reference.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{AuthKind, Format, ProviderSpec};

/// The wire format of a custom provider, as stored (`openai`, `responses` or `anthropic`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomFormat {
    /// OpenAI Chat Completions (`{base}/chat/completions`, `Authorization: Bearer`).
    Openai,
    /// OpenAI Responses (`{base}/responses`, `Authorization: Bearer`).
    Responses,
    /// Anthropic Messages (`{base}/messages`, `x-api-key`, `anthropic-version`).
    Anthropic,
}

impl CustomFormat {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Openai => "openai",
            Self::Responses => "responses",
            Self::Anthropic => "anthropic",
        }
    }

    /// Parses a stored name.
    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "openai" => Some(Self::Openai),
            "responses" => Some(Self::Responses),
            "anthropic" => Some(Self::Anthropic),
            _ => None,
        }
    }

    /// The upstream wire format.
    #[must_use]
    pub fn wire(self) -> Format {
        match self {
            Self::Openai => Format::OpenAiChat,
            Self::Responses => Format::OpenAiResponses,
            Self::Anthropic => Format::Anthropic,
        }
    }

    /// How keys are sent: Bearer for OpenAI-style APIs, `x-api-key` for Anthropic's.
    #[must_use]
    pub fn auth(self) -> AuthKind {
        match self {
            Self::Openai | Self::Responses => AuthKind::BearerKey,
            Self::Anthropic => AuthKind::XApiKey,
        }
    }

    /// The chat path used when the provider names none.
    #[must_use]
    pub fn default_chat_path(self) -> &'static str {
        match self {
            Self::Openai => "/chat/completions",
            Self::Responses => "/responses",
            Self::Anthropic => "/messages",
        }
    }

    /// Headers sent unless the provider overrides them (Anthropic's API requires a version).
    #[must_use]
    pub fn default_headers(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Openai | Self::Responses => &[],
            // https://docs.anthropic.com/en/api/versioning
            Self::Anthropic => &[("anthropic-version", "2023-06-01")],
        }
    }
}

/// Longest accepted custom prefix.
pub const MAX_PREFIX: usize = 64;

/// Whether `prefix` may name a custom provider: 1-[`MAX_PREFIX`] of `a-z A-Z 0-9 - _ .`, starting with a letter
/// or digit (so never `/`, which ends the prefix of a model string). Clashes are checked by the caller.
#[must_use]
pub fn valid_prefix(prefix: &str) -> bool {
    let mut chars = prefix.chars();
    prefix.len() <= MAX_PREFIX
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A stored custom provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomProvider {
    /// Stable id (stored on its connections and usage rows), e.g. `openai-compatible-chat-1a2b…`.
    pub id: String,
    /// Model prefix clients use (`prefix/model`).
    pub prefix: String,
    /// Display name.
    pub name: String,
    /// Wire format.
    pub format: CustomFormat,
    /// Base URL (http or https).
    pub base_url: String,
    /// Chat path under the base URL; `None` means the format's default.
    pub chat_path: Option<String>,
    /// Headers every request carries (besides the format's defaults, which these override).
    pub headers: Vec<(String, String)>,
    /// Models offered when a connection lists none.
    pub models: Vec<String>,
    /// Unix ms.
    pub created_at: i64,
}

impl CustomProvider {
    /// The chat path in effect.
    #[must_use]
    pub fn chat_path(&self) -> &str {
        self.chat_path.as_deref().filter(|p| !p.is_empty()).unwrap_or_else(|| self.format.default_chat_path())
    }
}

/// A routable provider: a built-in row or a custom provider.
#[derive(Debug, Clone)]
pub enum Provider {
    /// A row of [`super::PROVIDERS`].
    Builtin(&'static ProviderSpec),
    /// A stored custom provider.
    Custom(Arc<CustomProvider>),
}

impl Provider {
    /// Stable id (connections' `provider`, usage rows, routing state).
    #[must_use]
    pub fn id(&self) -> &str {
        match self {
            Self::Builtin(spec) => spec.id,
            Self::Custom(custom) => &custom.id,
        }
    }

    /// The model prefix (a built-in's alias).
    #[must_use]
    pub fn prefix(&self) -> &str {
        match self {
            Self::Builtin(spec) => spec.alias,
            Self::Custom(custom) => &custom.prefix,
        }
    }

    /// Display name.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Builtin(spec) => spec.name,
            Self::Custom(custom) => &custom.name,
        }
    }

    /// Upstream wire format.
    #[must_use]
    pub fn format(&self) -> Format {
        match self {
            Self::Builtin(spec) => spec.format,
            Self::Custom(custom) => custom.format.wire(),
        }
    }

    /// How API keys are sent.
    #[must_use]
    pub fn auth(&self) -> AuthKind {
        match self {
            Self::Builtin(spec) => spec.auth,
            Self::Custom(custom) => custom.format.auth(),
        }
    }

    /// Default base URL (a connection may override it).
    #[must_use]
    pub fn base_url(&self) -> &str {
        match self {
            Self::Builtin(spec) => spec.base_url,
            Self::Custom(custom) => &custom.base_url,
        }
    }

    /// The built-in row, when this is one (quirks apply to built-ins only).
    #[must_use]
    pub fn builtin(&self) -> Option<&'static ProviderSpec> {
        match self {
            Self::Builtin(spec) => Some(spec),
            Self::Custom(_) => None,
        }
    }

    /// The URL of a chat request for `model` under `base`.
    #[must_use]
    pub fn chat_url(&self, base: &str, model: &str, stream: bool) -> String {
        match self {
            Self::Builtin(spec) => spec.chat_url(base, model, stream),
            Self::Custom(custom) => format!("{}{}", base.trim_end_matches('/'), custom.chat_path()),
        }
    }

    /// Headers every request carries, in order (later ones replace earlier ones of the same name).
    #[must_use]
    pub fn headers(&self) -> Vec<(&str, &str)> {
        match self {
            Self::Builtin(spec) => spec.headers.to_vec(),
            Self::Custom(custom) => custom
                .format
                .default_headers()
                .iter()
                .copied()
                .chain(custom.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())))
                .collect(),
        }
    }

    /// Models offered when a connection lists none.
    #[must_use]
    pub fn default_models(&self) -> Vec<&str> {
        match self {
            Self::Builtin(spec) => spec.default_models.to_vec(),
            Self::Custom(custom) => custom.models.iter().map(String::as_str).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(format: CustomFormat, chat_path: Option<&str>) -> Provider {
        Provider::Custom(Arc::new(CustomProvider {
            id: "anthropic-compatible-1".into(),
            prefix: "mine".into(),
            name: "Mine".into(),
            format,
            base_url: "http://127.0.0.1:1/v1".into(),
            chat_path: chat_path.map(str::to_owned),
            headers: vec![("anthropic-version".into(), "2024-01-01".into()), ("x-team".into(), "a".into())],
            models: vec!["m1".into()],
            created_at: 0,
        }))
    }

    #[test]
    fn custom_urls_auth_and_headers_follow_the_format() {
        let p = custom(CustomFormat::Anthropic, None);
        assert_eq!(p.chat_url("http://h/v1/", "m", true), "http://h/v1/messages");
        assert_eq!(p.auth(), AuthKind::XApiKey);
        assert_eq!(p.format(), Format::Anthropic);
        let headers = p.headers();
        assert_eq!(headers.first(), Some(&("anthropic-version", "2023-06-01")));
        assert_eq!(headers.get(1), Some(&("anthropic-version", "2024-01-01")), "the provider's own value wins");
        let p = custom(CustomFormat::Openai, Some("/v2/chat"));
        assert_eq!(p.chat_url("http://h", "m", false), "http://h/v2/chat");
        assert_eq!(p.auth(), AuthKind::BearerKey);
        assert_eq!(p.default_models(), vec!["m1"]);
        assert!(p.builtin().is_none());
    }

    #[test]
    fn formats_round_trip() {
        for f in [CustomFormat::Openai, CustomFormat::Responses, CustomFormat::Anthropic] {
            assert_eq!(CustomFormat::parse(f.as_str()), Some(f));
        }
        assert_eq!(CustomFormat::parse("gemini"), None);
    }

    #[test]
    fn prefixes_are_short_words_without_slashes() {
        assert!(valid_prefix("my-llm_2.0"));
        for bad in ["", "-x", "a/b", "a b", "ü", &"x".repeat(MAX_PREFIX + 1)] {
            assert!(!valid_prefix(bad), "{bad}");
        }
    }
}
