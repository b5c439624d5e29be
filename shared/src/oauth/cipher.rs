//! Tokens at rest: ChaCha20-Poly1305 (RFC 8439) with a 256-bit key derived from the configured secret, a fresh
//! random 96-bit nonce per seal. A sealed value is `base64(nonce || ciphertext+tag)`; anything tampered with or
//! sealed under another key fails to open.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::{Digest, Sha256};

use crate::platform::Random;

const NONCE_LEN: usize = 12;

/// Seals and opens secrets with one key.
#[derive(Clone)]
pub struct TokenCipher {
    aead: ChaCha20Poly1305,
}

impl std::fmt::Debug for TokenCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCipher(<key redacted>)")
    }
}

/// A sealed value that cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum CipherError {
    /// Not base64, too short, tampered with, or sealed under another key.
    #[error("stored secret cannot be decrypted (wrong TOKEN_ENCRYPTION_KEY or corrupted data)")]
    Open,
    /// Encryption failed (cannot happen with valid inputs; reported instead of panicking).
    #[error("secret could not be encrypted")]
    Seal,
}

impl TokenCipher {
    /// A cipher whose key is SHA-256 of `secret` (so any string works; use at least 32 random characters).
    #[must_use]
    pub fn from_secret(secret: &str) -> Self {
        let key: [u8; 32] = Sha256::digest(secret.as_bytes()).into();
        Self { aead: ChaCha20Poly1305::new(Key::from_slice(&key)) }
    }

    /// Encrypts `plain` under a fresh random nonce.
    ///
    /// # Errors
    /// [`CipherError::Seal`] if the AEAD refuses (never for inputs under 256 GiB).
    pub fn seal(&self, plain: &[u8], random: &dyn Random) -> Result<String, CipherError> {
        let mut nonce = [0u8; NONCE_LEN];
        random.fill(&mut nonce);
        let sealed = self.aead.encrypt(Nonce::from_slice(&nonce), plain).map_err(|_| CipherError::Seal)?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(STANDARD.encode(out))
    }

    /// Decrypts a value made by [`Self::seal`].
    ///
    /// # Errors
    /// [`CipherError::Open`] when the value is malformed, tampered with or sealed under another key.
    pub fn open(&self, sealed: &str) -> Result<Vec<u8>, CipherError> {
        let bytes = STANDARD.decode(sealed.trim()).map_err(|_| CipherError::Open)?;
        if bytes.len() < NONCE_LEN {
            return Err(CipherError::Open);
        }
        let (nonce, body) = bytes.split_at(NONCE_LEN);
        self.aead.decrypt(Nonce::from_slice(nonce), body).map_err(|_| CipherError::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Counter(std::sync::atomic::AtomicU8);
    impl Random for Counter {
        fn fill(&self, buf: &mut [u8]) {
            for b in buf {
                *b = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }

    #[test]
    fn seals_round_trip_and_reject_tampering_and_other_keys() {
        let random = Counter(0.into());
        let cipher = TokenCipher::from_secret("k1");
        let a = cipher.seal(b"refresh-token-123", &random).expect("seal");
        let b = cipher.seal(b"refresh-token-123", &random).expect("seal");
        assert_ne!(a, b, "fresh nonce per seal");
        assert!(!a.contains("refresh"));
        assert_eq!(cipher.open(&a).expect("open"), b"refresh-token-123");
        assert!(TokenCipher::from_secret("k2").open(&a).is_err());
        let mut raw = STANDARD.decode(&a).expect("b64");
        if let Some(last) = raw.last_mut() {
            *last ^= 1;
        }
        assert!(cipher.open(&STANDARD.encode(raw)).is_err());
        assert!(cipher.open("nope").is_err());
        assert!(!format!("{cipher:?}").contains("k1"));
    }
}
