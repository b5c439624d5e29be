//! Password key derivation a platform provides: PBKDF2-HMAC-SHA256 (RFC 8018 §5.2). Natively pure-Rust crates
//! compute it; on the edge WebCrypto does (`crypto.subtle.deriveBits`), at native speed instead of wasm's and
//! outside the Worker's wasm CPU budget concerns. Both must produce the bytes of the RFC's definition; the
//! parameters (iterations, salt and output sizes) are fixed in [`crate::auth::password`].

use super::BoxFuture;

/// The derivation failed (the platform refused the parameters or its crypto API failed).
#[derive(Debug, thiserror::Error)]
#[error("password key derivation failed: {0}")]
pub struct KdfError(pub String);

/// PBKDF2-HMAC-SHA256.
pub trait PasswordKdf: Send + Sync {
    /// Derives `out_len` bytes from `password` and `salt` with `iterations` rounds.
    fn pbkdf2_sha256<'a>(
        &'a self,
        password: &'a [u8],
        salt: &'a [u8],
        iterations: u32,
        out_len: usize,
    ) -> BoxFuture<'a, Result<Vec<u8>, KdfError>>;
}
