//! Model strings: `prefix/model`, where the prefix is a provider id or alias and the model is passed upstream
//! as written (it may itself contain `/`, as OpenRouter's do).

use crate::providers::{self, ProviderSpec};

/// A parsed model string.
#[derive(Debug, Clone, Copy)]
pub struct ModelRef<'a> {
    /// The provider the prefix names.
    pub provider: &'static ProviderSpec,
    /// The upstream model name.
    pub model: &'a str,
}

/// Why a model string does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelRefError {
    /// The string is empty.
    #[error("the `model` field is empty")]
    Empty,
    /// No `prefix/` part.
    #[error("model `{0}` has no provider prefix; use `provider/model`, e.g. `openai/gpt-4o-mini` (prefixes: {1})")]
    MissingPrefix(String, String),
    /// The prefix names no provider.
    #[error("unknown provider prefix `{0}` in model `{1}`; known prefixes: {2}")]
    UnknownProvider(String, String, String),
}

/// Parses `prefix/model`.
///
/// # Errors
/// [`ModelRefError`] when the string is empty, has no prefix or names an unknown provider.
pub fn parse(model: &str) -> Result<ModelRef<'_>, ModelRefError> {
    let model = model.trim();
    if model.is_empty() {
        return Err(ModelRefError::Empty);
    }
    let known = || providers::known_prefixes().join(", ");
    let Some((prefix, rest)) = model.split_once('/') else {
        return Err(ModelRefError::MissingPrefix(model.to_owned(), known()));
    };
    if rest.is_empty() {
        return Err(ModelRefError::MissingPrefix(model.to_owned(), known()));
    }
    let provider = providers::find(prefix)
        .ok_or_else(|| ModelRefError::UnknownProvider(prefix.to_owned(), model.to_owned(), known()))?;
    Ok(ModelRef { provider, model: rest })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_first_slash() {
        let r = parse("openrouter/anthropic/claude-sonnet-4").expect("resolves");
        assert_eq!(r.provider.id, "openrouter");
        assert_eq!(r.model, "anthropic/claude-sonnet-4");
        assert_eq!(parse("or/x").expect("alias").provider.id, "openrouter");
    }

    #[test]
    fn rejects_bad_strings_with_a_reason() {
        assert_eq!(parse("  ").unwrap_err(), ModelRefError::Empty);
        assert!(matches!(parse("gpt-4o"), Err(ModelRefError::MissingPrefix(..))));
        assert!(matches!(parse("openai/"), Err(ModelRefError::MissingPrefix(..))));
        let err = parse("zz/gpt").unwrap_err();
        assert!(err.to_string().contains("openai"), "lists the known prefixes: {err}");
    }
}
