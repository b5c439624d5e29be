//! Model strings: `prefix/model`, where the prefix is a provider id or alias (built-in or a custom provider's
//! prefix) and the model is passed upstream as written (it may itself contain `/`, as OpenRouter's do).

use crate::providers::{self, Provider};

/// A parsed model string.
#[derive(Debug, Clone)]
pub struct ModelRef<'a> {
    /// The provider the prefix names.
    pub provider: Provider,
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

/// Splits `prefix/model` without looking the prefix up; `known` lists the prefixes for the error message.
///
/// # Errors
/// [`ModelRefError`] when the string is empty or has no prefix.
pub fn split(model: &str, known: impl FnOnce() -> String) -> Result<(&str, &str), ModelRefError> {
    let model = model.trim();
    if model.is_empty() {
        return Err(ModelRefError::Empty);
    }
    match model.split_once('/') {
        Some((prefix, rest)) if !rest.is_empty() => Ok((prefix, rest)),
        _ => Err(ModelRefError::MissingPrefix(model.to_owned(), known())),
    }
}

/// Parses `prefix/model` against the built-in table only.
///
/// # Errors
/// [`ModelRefError`] when the string is empty, has no prefix or names an unknown provider.
pub fn parse(model: &str) -> Result<ModelRef<'_>, ModelRefError> {
    let known = || providers::known_prefixes().join(", ");
    let (prefix, rest) = split(model, known)?;
    let provider = providers::find(prefix)
        .ok_or_else(|| ModelRefError::UnknownProvider(prefix.to_owned(), model.trim().to_owned(), known()))?;
    Ok(ModelRef { provider: Provider::Builtin(provider), model: rest })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_first_slash() {
        let r = parse("openrouter/anthropic/claude-sonnet-4").expect("resolves");
        assert_eq!(r.provider.id(), "openrouter");
        assert_eq!(r.model, "anthropic/claude-sonnet-4");
        assert_eq!(parse("or/x").expect("alias").provider.id(), "openrouter");
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
