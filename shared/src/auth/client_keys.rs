//! Client API keys: generated once, shown once, stored as a SHA-256 hash. Keys carry 192 random bits, so an
//! unsalted hash is not brute-forceable and lookup stays one indexed query.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use http::HeaderMap;
use sha2::{Digest, Sha256};

use super::hex;
use crate::platform::Random;

/// Every key starts with this.
pub const KEY_PREFIX: &str = "sk-9r-";
/// How many characters of a key are kept for display.
const DISPLAY_CHARS: usize = 10;

/// A freshly generated key.
#[derive(Debug)]
pub struct GeneratedKey {
    /// The key; returned to the user once and never stored.
    pub plaintext: String,
    /// Display prefix, safe to store and show.
    pub display_prefix: String,
    /// Hash to store.
    pub hash: String,
}

/// Generates a new client key.
pub fn generate(random: &dyn Random) -> GeneratedKey {
    let mut bytes = [0u8; 24];
    random.fill(&mut bytes);
    let plaintext = format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let display_prefix = format!("{}…", plaintext.chars().take(DISPLAY_CHARS).collect::<String>());
    let hash = hash_key(&plaintext);
    GeneratedKey { plaintext, display_prefix, hash }
}

/// The stored form of a key.
#[must_use]
pub fn hash_key(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

/// The key a client presented: `Authorization: Bearer …` (OpenAI SDKs), `x-api-key` (Anthropic SDKs) or
/// `x-goog-api-key` (Gemini SDKs).
#[must_use]
pub fn presented_key(headers: &HeaderMap) -> Option<&str> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    header("authorization")
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .or_else(|| header("x-api-key"))
        .or_else(|| header("x-goog-api-key"))
        .filter(|k| !k.is_empty())
}

/// The `key` query parameter (Gemini SDKs and REST examples send `?key=`).
#[must_use]
pub fn key_from_query(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "key")
        .map(|(_, value)| value.into_owned())
        .filter(|k| !k.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    struct Counting;
    impl Random for Counting {
        fn fill(&self, buf: &mut [u8]) {
            for (i, b) in buf.iter_mut().enumerate() {
                *b = u8::try_from(i).unwrap_or(0);
            }
        }
    }

    #[test]
    fn generated_keys_hash_to_what_is_stored() {
        let key = generate(&Counting);
        assert!(key.plaintext.starts_with(KEY_PREFIX));
        assert_eq!(key.hash, hash_key(&key.plaintext));
        assert_eq!(key.hash.len(), 64);
        assert!(!key.display_prefix.contains(&key.plaintext[12..]));
    }

    #[test]
    fn keys_are_read_from_the_query() {
        assert_eq!(key_from_query("alt=sse&key=sk-9r-a%2Bb"), Some("sk-9r-a+b".into()));
        assert_eq!(key_from_query("alt=sse"), None);
        assert_eq!(key_from_query("key="), None);
    }

    #[test]
    fn keys_are_read_from_each_sdks_header() {
        let mut h = HeaderMap::new();
        assert_eq!(presented_key(&h), None);
        h.insert("x-api-key", HeaderValue::from_static("k2"));
        assert_eq!(presented_key(&h), Some("k2"));
        h.insert("authorization", HeaderValue::from_static("Bearer k1"));
        assert_eq!(presented_key(&h), Some("k1"));
        h.insert("authorization", HeaderValue::from_static("Basic zzz"));
        assert_eq!(presented_key(&h), Some("k2"));
    }
}
