use super::*;

fn over(model: &str, input: f64) -> PriceOverride {
    PriceOverride {
        model: model.into(),
        price: ModelPrice { input, output: 0.0, cache_read: 0.0, cache_write: 0.0 },
        updated_at: 0,
    }
}

#[test]
fn normalisation_drops_prefixes_dates_dots_and_levels() {
    assert_eq!(normalize("claude-sonnet-4-5-20250929"), "claude-sonnet-4-5");
    assert_eq!(normalize("claude-sonnet-4.5"), "claude-sonnet-4-5");
    assert_eq!(normalize("anthropic/claude-sonnet-4"), "claude-sonnet-4");
    assert_eq!(normalize("gpt-4o-mini-2024-07-18"), "gpt-4o-mini");
    assert_eq!(normalize("GPT-4.1"), "gpt-4-1");
    assert_eq!(normalize("gemini-3-pro-high"), "gemini-3-pro");
    assert_eq!(normalize("claude-opus-4-6-thinking"), "claude-opus-4-6");
    assert_eq!(normalize("claude-sonnet-4-5@20250929"), "claude-sonnet-4-5");
    assert_eq!(normalize("o4-mini"), "o4-mini");
    assert_eq!(normalize("-high"), "-high");
    assert_eq!(normalize(""), "");
}

#[test]
fn every_default_model_of_the_api_providers_has_a_price() {
    let book = PriceBook::default();
    for id in ["openai", "anthropic", "gemini", "codex", "claude"] {
        let spec = crate::providers::find(id).expect("provider");
        for model in spec.default_models {
            assert!(book.lookup(model).is_some(), "{id}/{model} has no price");
        }
    }
    for model in ["gemini-3-pro-high", "claude-sonnet-4.5", "claude-opus-4-6-thinking", "gpt-5.1-codex-mini"] {
        assert!(book.lookup(model).is_some(), "{model} has no price");
    }
}

#[test]
fn unknown_models_have_no_price_not_zero() {
    let book = PriceBook::default();
    assert_eq!(book.lookup("mock-model-x"), None);
    assert_eq!(book.cost("mock-model-x", TokenCounts { input: 10, ..TokenCounts::default() }), None);
}

#[test]
fn cost_is_tokens_times_price_per_million() {
    let price = ModelPrice { input: 3.0, output: 15.0, cache_read: 0.30, cache_write: 3.75 };
    let tokens = TokenCounts { input: 1_000, output: 2_000, cache_read: 10_000, cache_write: 4_000 };
    let expected = (1_000.0 * 3.0 + 2_000.0 * 15.0 + 10_000.0 * 0.30 + 4_000.0 * 3.75) / 1e6;
    assert!((price.cost(tokens) - expected).abs() < 1e-12);
    let book = PriceBook::default();
    let sonnet = book.cost("claude-sonnet-4-5-20250929", tokens).expect("priced");
    assert!((sonnet - expected).abs() < 1e-12, "{sonnet} vs {expected}");
    assert_eq!(price.cost(TokenCounts { input: -5, ..TokenCounts::default() }), 0.0);
}

#[test]
fn overrides_win_exact_then_normalised_then_longest_pattern() {
    let book = PriceBook::new(vec![
        over("claude-*", 1.0),
        over("claude-sonnet-*", 2.0),
        over("claude-sonnet-4.5", 3.0),
        over("claude-sonnet-4-5-20250929", 4.0),
    ]);
    let input = |m: &str| book.lookup(m).map(|p| (p.price.input, p.source));
    assert_eq!(input("claude-sonnet-4-5-20250929"), Some((4.0, PriceSource::Override)));
    assert_eq!(input("claude-sonnet-4-5"), Some((3.0, PriceSource::Override)));
    assert_eq!(input("claude-sonnet-4-6"), Some((2.0, PriceSource::Override)));
    assert_eq!(input("claude-opus-4-1"), Some((1.0, PriceSource::Override)));
    assert_eq!(input("gpt-4o"), Some((2.5, PriceSource::BuiltIn)));
}

#[test]
fn invalid_fields_are_named() {
    let mut price = ModelPrice { input: 1.0, output: 1.0, cache_read: 1.0, cache_write: 1.0 };
    assert_eq!(price.invalid_field(), None);
    price.cache_read = -0.1;
    assert_eq!(price.invalid_field(), Some("cache_read"));
    price.cache_read = 0.0;
    price.output = f64::INFINITY;
    assert_eq!(price.invalid_field(), Some("output"));
}

#[test]
fn subscription_providers_are_api_equivalent() {
    assert!(is_api_equivalent(Some("claude")));
    assert!(!is_api_equivalent(Some("anthropic")));
    assert!(!is_api_equivalent(None));
}
