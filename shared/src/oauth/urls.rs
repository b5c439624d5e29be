//! URL overrides for tests and private deployments: `PROVIDER_URL_OVERRIDES` is a JSON object mapping a URL
//! prefix to its replacement, e.g. `{"https://api.anthropic.com": "http://127.0.0.1:9000/anthropic"}`. Every URL
//! the router builds for a provider (upstream base, authorize, token, device and exchange endpoints) passes
//! through [`UrlOverrides::apply`]; the longest matching prefix wins.

use std::collections::BTreeMap;

/// Prefix → replacement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlOverrides(BTreeMap<String, String>);

impl UrlOverrides {
    /// Parses the JSON map; `None` when it is not an object of strings.
    #[must_use]
    pub fn parse(json: &str) -> Option<Self> {
        let map: BTreeMap<String, String> = serde_json::from_str(json).ok()?;
        Some(Self(map.into_iter().map(|(k, v)| (k.trim_end_matches('/').to_owned(), v)).collect()))
    }

    /// `url` with its longest overridden prefix replaced (only at a path boundary).
    #[must_use]
    pub fn apply(&self, url: &str) -> String {
        let hit = self
            .0
            .iter()
            .filter_map(|(prefix, to)| {
                let rest = url.strip_prefix(prefix.as_str())?;
                (rest.is_empty() || rest.starts_with(['/', '?', '#'])).then_some((prefix.len(), to, rest))
            })
            .max_by_key(|(len, _, _)| *len);
        match hit {
            Some((_, to, rest)) => format!("{}{rest}", to.trim_end_matches('/')),
            None => url.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_prefix_at_a_boundary_wins() {
        let o = UrlOverrides::parse(
            r#"{"https://api.anthropic.com": "http://m/up", "https://api.anthropic.com/v1/oauth/": "http://m/oauth"}"#,
        )
        .expect("valid");
        assert_eq!(o.apply("https://api.anthropic.com/v1/messages?beta=true"), "http://m/up/v1/messages?beta=true");
        assert_eq!(o.apply("https://api.anthropic.com/v1/oauth/token"), "http://m/oauth/token");
        assert_eq!(o.apply("https://api.anthropic.comx/v1"), "https://api.anthropic.comx/v1");
        assert_eq!(o.apply("https://other/x"), "https://other/x");
        assert!(UrlOverrides::parse("[1]").is_none());
    }
}
