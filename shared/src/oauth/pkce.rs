//! PKCE (RFC 7636, S256 only) and random opaque strings for `state`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::platform::Random;

/// `n` random bytes as unpadded base64url (32 bytes → 43 characters, the RFC 7636 verifier length floor).
#[must_use]
pub fn random_token(random: &dyn Random, n: usize) -> String {
    let mut bytes = vec![0u8; n];
    random.fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new code verifier (RFC 7636 §4.1: 43–128 unreserved characters).
#[must_use]
pub fn verifier(random: &dyn Random) -> String {
    random_token(random, 32)
}

/// The S256 challenge of `verifier`: `BASE64URL(SHA256(verifier))` (RFC 7636 §4.2).
#[must_use]
pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_vector() {
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
