//! Cost estimates: a model's price (built-in table plus the user's overrides) and the cost of token counts.
//!
//! Matching a routed model name, first hit wins:
//! 1. an override whose name equals the model (ignoring ASCII case);
//! 2. an override whose [`normalize`]d name equals the model's normalised name;
//! 3. an override pattern `prefix*` that the model (or its normalised name) starts with — longest prefix first;
//! 4. the built-in row of the normalised name.
//!
//! Normalisation: lower case; the part after the last `/` (`openai/gpt-4o` → `gpt-4o`) and before an `@`
//! (Vertex-style `claude-sonnet-4-5@20250929`); `.` → `-` (`claude-sonnet-4.5` → `claude-sonnet-4-5`,
//! `gpt-4.1` → `gpt-4-1`); then, repeatedly, a trailing date (`-20250929`, `-2024-07-18`), `-latest`, `-thinking`
//! and a thinking-level suffix (`-minimal`, `-low`, `-medium`, `-high`, `-xhigh`) are dropped.
//!
//! Unknown price → `None`, never 0: a cost we cannot estimate is shown as unknown.

use serde::Serialize;

use super::price_table::BUILT_IN;

/// USD per 1M tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ModelPrice {
    /// Uncached input tokens.
    pub input: f64,
    /// Output tokens (reasoning included).
    pub output: f64,
    /// Input tokens read from a prompt cache.
    pub cache_read: f64,
    /// Input tokens written to a prompt cache.
    pub cache_write: f64,
}

/// Token counts to price, as the usage table stores them (`input` excludes cache reads and writes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenCounts {
    /// Uncached input tokens.
    pub input: i64,
    /// Output tokens.
    pub output: i64,
    /// Cache reads.
    pub cache_read: i64,
    /// Cache writes.
    pub cache_write: i64,
}

impl ModelPrice {
    /// The cost of `tokens` in USD.
    #[must_use]
    pub fn cost(&self, tokens: TokenCounts) -> f64 {
        let part = |count: i64, per_million: f64| to_f64(count.max(0)) * per_million;
        (part(tokens.input, self.input)
            + part(tokens.output, self.output)
            + part(tokens.cache_read, self.cache_read)
            + part(tokens.cache_write, self.cache_write))
            / 1_000_000.0
    }

    /// The first field that is negative or not finite, if any (for validating user input).
    #[must_use]
    pub fn invalid_field(&self) -> Option<&'static str> {
        [
            ("input", self.input),
            ("output", self.output),
            ("cache_read", self.cache_read),
            ("cache_write", self.cache_write),
        ]
        .into_iter()
        .find(|(_, v)| !v.is_finite() || *v < 0.0)
        .map(|(name, _)| name)
    }
}

#[expect(clippy::cast_precision_loss, reason = "token counts stay far below 2^53")]
fn to_f64(value: i64) -> f64 {
    value as f64
}

/// Where a price comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceSource {
    /// The built-in table.
    BuiltIn,
    /// A user override.
    Override,
}

/// A user's price for a model name or a `prefix*` pattern.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceOverride {
    /// Model name or pattern, as entered.
    pub model: String,
    /// The price.
    #[serde(flatten)]
    pub price: ModelPrice,
    /// Unix ms of the last change.
    pub updated_at: i64,
}

/// A price found for a model.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceMatch {
    /// The price.
    pub price: ModelPrice,
    /// Where it came from.
    pub source: PriceSource,
    /// The table key or override name that matched.
    pub key: String,
}

/// Built-in prices plus the user's overrides.
#[derive(Debug, Clone, Default)]
pub struct PriceBook {
    overrides: Vec<PriceOverride>,
}

/// Providers whose accounts are subscriptions: their costs are API-equivalent estimates.
pub const SUBSCRIPTION_PROVIDERS: &[&str] =
    &["codex", "claude", "gemini-cli", "antigravity", "github", "qwen", "iflow", "kiro"];

/// Whether requests through `provider` are priced at API-equivalent rates (a subscription bills no tokens).
#[must_use]
pub fn is_api_equivalent(provider: Option<&str>) -> bool {
    provider.is_some_and(|p| SUBSCRIPTION_PROVIDERS.contains(&p))
}

const DROPPED_SUFFIXES: &[&str] = &["-latest", "-thinking", "-minimal", "-low", "-medium", "-xhigh", "-high"];

fn strip_date(name: &str) -> Option<&str> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // `-YYYYMMDD`
    if let Some((head, tail)) = name.rsplit_once('-') {
        if tail.len() == 8 && digits(tail) {
            return Some(head);
        }
    }
    // `-YYYY-MM-DD`
    let bytes = name.len();
    if bytes > 11 {
        let (head, tail) = name.split_at(bytes - 11);
        let parts: Vec<&str> = tail.split('-').collect();
        if let ["", y, m, d] = parts.as_slice() {
            if y.len() == 4 && m.len() == 2 && d.len() == 2 && digits(y) && digits(m) && digits(d) {
                return Some(head);
            }
        }
    }
    None
}

/// The normalised form of a model name (see the module docs).
#[must_use]
pub fn normalize(model: &str) -> String {
    let lower = model.trim().to_ascii_lowercase();
    let last = lower.rsplit('/').next().unwrap_or_default();
    let base = last.split('@').next().unwrap_or_default();
    let mut name = base.replace('.', "-");
    loop {
        let before = name.len();
        if let Some(head) = strip_date(&name) {
            name.truncate(head.len());
        }
        if let Some(suffix) = DROPPED_SUFFIXES.iter().find(|s| name.ends_with(*s) && name.len() > s.len()) {
            name.truncate(name.len() - suffix.len());
        }
        if name.len() == before {
            return name;
        }
    }
}

/// The built-in price of a normalised name.
fn built_in(normalized: &str) -> Option<(&'static str, ModelPrice)> {
    BUILT_IN.iter().find_map(|(names, price)| names.iter().find(|n| **n == normalized).map(|n| (*n, *price)))
}

/// Every built-in `(name, price)`, in table order.
pub fn built_in_prices() -> impl Iterator<Item = (&'static str, ModelPrice)> {
    BUILT_IN.iter().flat_map(|(names, price)| names.iter().map(move |n| (*n, *price)))
}

impl PriceBook {
    /// A book with these overrides.
    #[must_use]
    pub fn new(overrides: Vec<PriceOverride>) -> Self {
        Self { overrides }
    }

    /// The overrides.
    #[must_use]
    pub fn overrides(&self) -> &[PriceOverride] {
        &self.overrides
    }

    /// The price of `model`, if one is known.
    #[must_use]
    pub fn lookup(&self, model: &str) -> Option<PriceMatch> {
        let normalized = normalize(model);
        let from_override =
            |o: &PriceOverride| PriceMatch { price: o.price, source: PriceSource::Override, key: o.model.clone() };
        let patterns = || self.overrides.iter().filter(|o| o.model.ends_with('*'));
        let names = || self.overrides.iter().filter(|o| !o.model.ends_with('*'));
        if let Some(o) = names().find(|o| o.model.eq_ignore_ascii_case(model.trim())) {
            return Some(from_override(o));
        }
        if let Some(o) = names().find(|o| normalize(&o.model) == normalized) {
            return Some(from_override(o));
        }
        let lower = model.trim().to_ascii_lowercase();
        let best_pattern = patterns()
            .filter(|o| {
                let prefix = o.model.trim_end_matches('*').to_ascii_lowercase();
                lower.starts_with(&prefix) || normalized.starts_with(&prefix)
            })
            .max_by_key(|o| o.model.len());
        if let Some(o) = best_pattern {
            return Some(from_override(o));
        }
        built_in(&normalized).map(|(key, price)| PriceMatch { price, source: PriceSource::BuiltIn, key: key.into() })
    }

    /// The estimated cost of `tokens` on `model` in USD, or `None` when its price is unknown.
    #[must_use]
    pub fn cost(&self, model: &str, tokens: TokenCounts) -> Option<f64> {
        self.lookup(model).map(|m| m.price.cost(tokens))
    }
}

#[cfg(test)]
mod tests;
