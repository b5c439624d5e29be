//! The built-in price table: USD per 1M tokens for the models of the provider table's default lists and their
//! common spellings. Keys are normalised names ([`super::prices::normalize`]), so dated snapshots, vendor
//! prefixes, `.`/`-` version spellings and thinking-level suffixes find the same row.
//!
//! Sources (standard, non-batch, ≤ 200k-token prompt tier; read 2026-11):
//! - Anthropic: <https://platform.claude.com/docs/en/about-claude/pricing> ("Model pricing": base input, 5m cache
//!   writes, cache hits, output).
//! - OpenAI: <https://developers.openai.com/api/docs/pricing> (input, cached input, output; OpenAI charges no
//!   cache write, so `cache_write` equals the input price). GPT-5.x Codex rates cross-checked against OpenAI's
//!   Codex rate card (25 credits = $1).
//! - Google: <https://ai.google.dev/gemini-api/docs/pricing> (input, output incl. thinking, context caching
//!   price; creating a cache bills its tokens as input, so `cache_write` equals the input price; hourly storage
//!   is not per request and is left out).
//! - DeepSeek: <https://api-docs.deepseek.com/quick_start/pricing> (cache hit / miss input, output).
//! - xAI: <https://docs.x.ai/docs/models> (grok-code-fast-1).
//!
//! Subscription providers (Codex, Claude Code, Gemini CLI, Antigravity, Copilot, Qwen Code, iFlow, Kiro) bill no
//! tokens; their requests are priced with the underlying model's API rate — an API-equivalent estimate. Models
//! without a published per-token API price here (e.g. `qwen3-coder-plus`, `kimi-k2`, `glm-*`, `MiniMax-*`) are
//! left out on purpose: their cost shows as unknown until the user sets a price.

use super::prices::ModelPrice;

const fn price(input: f64, output: f64, cache_read: f64, cache_write: f64) -> ModelPrice {
    ModelPrice { input, output, cache_read, cache_write }
}

/// Anthropic rows: cache writes at the 5-minute rate (1.25× input), hits at 0.1× input.
const OPUS_4_5_UP: ModelPrice = price(5.0, 25.0, 0.50, 6.25);
const OPUS_4_0_1: ModelPrice = price(15.0, 75.0, 1.50, 18.75);
const SONNET_4_X: ModelPrice = price(3.0, 15.0, 0.30, 3.75);
const HAIKU_4_5: ModelPrice = price(1.0, 5.0, 0.10, 1.25);

/// `(normalised model names, price)`.
pub(super) static BUILT_IN: &[(&[&str], ModelPrice)] = &[
    // Anthropic (also Claude Code, Antigravity's and Kiro's and Copilot's Claude models: API-equivalent).
    (&["claude-opus-4-7", "claude-opus-4-6", "claude-opus-4-5"], OPUS_4_5_UP),
    (&["claude-opus-4-1", "claude-opus-4", "claude-opus-4-0"], OPUS_4_0_1),
    (&["claude-sonnet-4-6", "claude-sonnet-4-5", "claude-sonnet-4", "claude-sonnet-4-0"], SONNET_4_X),
    (&["claude-haiku-4-5"], HAIKU_4_5),
    // OpenAI.
    (&["gpt-4o"], price(2.50, 10.0, 1.25, 2.50)),
    (&["gpt-4o-mini"], price(0.15, 0.60, 0.075, 0.15)),
    (&["gpt-4-1"], price(2.0, 8.0, 0.50, 2.0)),
    (&["gpt-4-1-mini"], price(0.40, 1.60, 0.10, 0.40)),
    (&["o3"], price(2.0, 8.0, 0.50, 2.0)),
    (&["o4-mini"], price(1.10, 4.40, 0.275, 1.10)),
    (&["gpt-5", "gpt-5-codex", "gpt-5-1", "gpt-5-1-codex", "gpt-5-1-codex-max"], price(1.25, 10.0, 0.125, 1.25)),
    (&["gpt-5-mini", "gpt-5-1-codex-mini"], price(0.25, 2.0, 0.025, 0.25)),
    (&["gpt-5-2", "gpt-5-2-codex", "gpt-5-3-codex"], price(1.75, 14.0, 0.175, 1.75)),
    (&["gpt-5-4"], price(2.50, 15.0, 0.25, 2.50)),
    (&["gpt-5-5"], price(5.0, 30.0, 0.50, 5.0)),
    // Google (also Gemini CLI and Antigravity: API-equivalent; Antigravity's `-high`/`-low` are normalised away).
    (&["gemini-2-5-pro"], price(1.25, 10.0, 0.125, 1.25)),
    (&["gemini-2-5-flash"], price(0.30, 2.50, 0.03, 0.30)),
    (&["gemini-2-5-flash-lite"], price(0.10, 0.40, 0.01, 0.10)),
    (
        &["gemini-3-pro-preview", "gemini-3-pro", "gemini-3-1-pro-preview", "gemini-3-1-pro"],
        price(2.0, 12.0, 0.20, 2.0),
    ),
    (&["gemini-3-flash-preview", "gemini-3-flash"], price(0.50, 3.0, 0.05, 0.50)),
    // DeepSeek V3.2 (`deepseek-chat`; iFlow's and Kiro's DeepSeek models: API-equivalent).
    (&["deepseek-v3-2", "deepseek-3-2", "deepseek-chat", "deepseek-reasoner"], price(0.28, 0.42, 0.028, 0.28)),
    // xAI (Copilot's Grok: API-equivalent).
    (&["grok-code-fast-1"], price(0.20, 1.50, 0.02, 0.20)),
];
