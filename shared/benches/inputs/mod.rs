//! Deterministic benchmark inputs, generated in code: long upstream SSE transcripts in each format's exact wire
//! shape, and a Claude Code–shaped request.

pub mod requests;
pub mod streams;

/// A tiny deterministic pseudo-random source (64-bit LCG), so every run benches the same bytes.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        // The high bits of an LCG are the random ones; `n` is always small here.
        usize::try_from(self.0 >> 33).unwrap_or(0) % n.max(1)
    }
}

/// Words model output is made of, with the characters that need JSON escaping mixed in (quotes, backslashes,
/// newlines, non-ASCII).
const WORDS: &[&str] = &[
    "the",
    "function",
    "returns",
    "a",
    "value",
    "when",
    "called",
    "with",
    "`Option<T>`",
    "so",
    "we",
    "check",
    "first",
    "then",
    "map",
    "it",
    "into",
    "error",
    "—",
    "naïve",
    "approach",
    "works",
    "\"quoted\"",
    "path\\to",
    "file",
    "line",
    "\n",
    "\n\n",
    "- ",
    "1.",
    "code:",
    "```rust\n",
    "let",
    "x",
    "=",
    "42;",
    "café",
    "🦀",
    "and",
    "handles",
    "edge",
    "cases",
    "like",
    "empty",
    "input,",
    "too.",
];

/// `n` words of text.
pub fn words(rng: &mut Lcg, n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(WORDS[rng.below(WORDS.len())]);
    }
    text
}

/// Between `min` and `min + spread - 1` words of text.
pub fn some_words(rng: &mut Lcg, min: usize, spread: usize) -> String {
    let n = min + rng.below(spread);
    words(rng, n)
}

/// A text fragment of about `len` characters, as a model streams them (a few tokens at a time).
pub fn fragment(rng: &mut Lcg, len: usize) -> String {
    let mut text = String::new();
    while text.chars().count() < len {
        text.push(' ');
        text.push_str(WORDS[rng.below(WORDS.len())]);
    }
    text
}

/// `value` as a JSON string literal (quotes included).
pub fn json_str(value: &str) -> String {
    serde_json::Value::String(value.to_owned()).to_string()
}
