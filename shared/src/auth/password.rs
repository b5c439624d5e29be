//! The dashboard password: stored as PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) with a random 16-byte salt, computed by
//! the platform's [`PasswordKdf`] (pure Rust natively, WebCrypto on the edge) with the same parameters on both.
//!
//! Iterations: 100 000. That is the most Cloudflare's runtime allows — workerd refuses PBKDF2 above 100 000
//! iterations ("iteration counts above 100000 are not supported"; cloudflare/workerd issue #1346, the limit was
//! sized so one derivation fits a Worker's CPU budget) — and one derivation costs tens of milliseconds of CPU,
//! paid only at login and password change. OWASP asks for more for PBKDF2-SHA256; the edge cannot go higher,
//! failed logins are rate-limited ([`super::login_limit`]), and the parameters are stored with each hash so
//! they can be raised later without invalidating stored passwords.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine as _;

use super::constant_time_eq;
use crate::config::DEFAULT_INITIAL_PASSWORD;
use crate::platform::{KdfError, PasswordKdf, Random};

/// PBKDF2 rounds for new hashes (see the module docs for why this number).
pub const ITERATIONS: u32 = 100_000;
/// Highest iteration count a stored hash may ask for (the edge's limit).
pub const MAX_ITERATIONS: u32 = 100_000;
/// Salt length in bytes.
pub const SALT_LEN: usize = 16;
/// Derived key length in bytes (SHA-256's output size).
pub const HASH_LEN: usize = 32;
/// Shortest accepted new password, in characters.
pub const MIN_LEN: usize = 8;
/// Longest accepted new password, in characters.
pub const MAX_LEN: usize = 1024;
/// Scheme tag of the stored form `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`.
const SCHEME: &str = "pbkdf2-sha256";

/// Why a password could not be hashed or checked.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// The platform's key derivation failed.
    #[error(transparent)]
    Kdf(#[from] KdfError),
    /// The stored hash is not in the expected form.
    #[error("the stored password hash is malformed")]
    MalformedHash,
}

/// Why a new password was refused (the message names the problem for the user).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Fewer than [`MIN_LEN`] characters.
    #[error("the new password must be at least {MIN_LEN} characters long")]
    TooShort,
    /// More than [`MAX_LEN`] characters.
    #[error("the new password must be at most {MAX_LEN} characters long")]
    TooLong,
    /// The publicly known default.
    #[error("the new password must not be the default password")]
    Default,
    /// Unchanged.
    #[error("the new password must differ from the current one")]
    SameAsCurrent,
}

/// Checks a new password against the rules (not the default, length, not the current one).
///
/// # Errors
/// The first rule it breaks.
pub fn check_new(current: &str, new: &str) -> Result<(), PolicyError> {
    if new == DEFAULT_INITIAL_PASSWORD {
        return Err(PolicyError::Default);
    }
    let chars = new.chars().count();
    if chars < MIN_LEN {
        return Err(PolicyError::TooShort);
    }
    if chars > MAX_LEN {
        return Err(PolicyError::TooLong);
    }
    if new == current {
        return Err(PolicyError::SameAsCurrent);
    }
    Ok(())
}

/// Hashes `password` with a fresh salt into its stored form.
///
/// # Errors
/// [`PasswordError::Kdf`] when the platform's derivation fails.
pub async fn hash(kdf: &dyn PasswordKdf, random: &dyn Random, password: &str) -> Result<String, PasswordError> {
    let mut salt = [0u8; SALT_LEN];
    random.fill(&mut salt);
    let derived = kdf.pbkdf2_sha256(password.as_bytes(), &salt, ITERATIONS, HASH_LEN).await?;
    Ok(format!("{SCHEME}${ITERATIONS}${}${}", STANDARD_NO_PAD.encode(salt), STANDARD_NO_PAD.encode(derived)))
}

/// Whether `candidate` matches the stored hash (compared in constant time).
///
/// # Errors
/// [`PasswordError::MalformedHash`] for a stored value not produced by [`hash`] (or asking for more than
/// [`MAX_ITERATIONS`]); [`PasswordError::Kdf`] when the derivation fails.
pub async fn verify(kdf: &dyn PasswordKdf, stored: &str, candidate: &str) -> Result<bool, PasswordError> {
    let (iterations, salt, expected) = parse(stored).ok_or(PasswordError::MalformedHash)?;
    let derived = kdf.pbkdf2_sha256(candidate.as_bytes(), &salt, iterations, expected.len()).await?;
    Ok(constant_time_eq(&derived, &expected))
}

fn parse(stored: &str) -> Option<(u32, Vec<u8>, Vec<u8>)> {
    let mut parts = stored.split('$');
    if parts.next()? != SCHEME {
        return None;
    }
    let iterations: u32 = parts.next()?.parse().ok().filter(|n| (1..=MAX_ITERATIONS).contains(n))?;
    let salt = STANDARD_NO_PAD.decode(parts.next()?).ok()?;
    let hash = STANDARD_NO_PAD.decode(parts.next()?).ok().filter(|h| !h.is_empty() && h.len() <= 64)?;
    parts.next().is_none().then_some((iterations, salt, hash))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::BoxFuture;
    use sha2::Sha256;

    /// The `pbkdf2` crate, as the native platform uses it.
    struct TestKdf;
    impl PasswordKdf for TestKdf {
        fn pbkdf2_sha256<'a>(
            &'a self,
            password: &'a [u8],
            salt: &'a [u8],
            iterations: u32,
            out_len: usize,
        ) -> BoxFuture<'a, Result<Vec<u8>, KdfError>> {
            let mut out = vec![0u8; out_len];
            pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations, &mut out);
            Box::pin(async move { Ok(out) })
        }
    }

    struct Fixed(u8);
    impl Random for Fixed {
        fn fill(&self, buf: &mut [u8]) {
            buf.fill(self.0);
        }
    }

    fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread().build().expect("runtime").block_on(f)
    }

    #[test]
    fn hashes_verify_only_the_right_password() {
        let stored = block_on(hash(&TestKdf, &Fixed(7), "correct horse")).expect("hashes");
        assert!(stored.starts_with("pbkdf2-sha256$100000$"), "{stored}");
        assert!(block_on(verify(&TestKdf, &stored, "correct horse")).expect("verifies"));
        assert!(!block_on(verify(&TestKdf, &stored, "correct hors")).expect("verifies"));
        let other_salt = block_on(hash(&TestKdf, &Fixed(8), "correct horse")).expect("hashes");
        assert_ne!(stored, other_salt, "the salt changes the hash");
    }

    #[test]
    fn stored_form_is_standard_pbkdf2() {
        // Salt 16 × 0x07; the derived key computed independently (Node's OpenSSL: crypto.pbkdf2Sync).
        let stored = block_on(hash(&TestKdf, &Fixed(7), "correct horse")).expect("hashes");
        let (iterations, salt, derived) = parse(&stored).expect("parses");
        assert_eq!((iterations, salt.len(), derived.len()), (ITERATIONS, SALT_LEN, HASH_LEN));
        assert_eq!(crate::auth::hex(&derived), "415669a13f8a80ba9d4d2bc7d52237dd362c45703fce47a93cf98d05467c4721");
    }

    #[test]
    fn malformed_or_oversized_hashes_are_refused() {
        for bad in [
            "",
            "plain",
            "pbkdf2-sha256$0$AAAA$AAAA",
            "pbkdf2-sha256$100001$AAAA$AAAA",
            "pbkdf2-sha256$1$!!$AAAA",
            "pbkdf2-sha256$1$AAAA$AAAA$extra",
            "bcrypt$1$AAAA$AAAA",
        ] {
            assert!(matches!(block_on(verify(&TestKdf, bad, "x")), Err(PasswordError::MalformedHash)), "{bad}");
        }
    }

    #[test]
    fn new_passwords_follow_the_rules() {
        assert_eq!(check_new("old-password", "short"), Err(PolicyError::TooShort));
        assert_eq!(check_new("old-password", "123456"), Err(PolicyError::Default));
        assert_eq!(check_new("old-password", "old-password"), Err(PolicyError::SameAsCurrent));
        assert_eq!(check_new("old-password", &"x".repeat(MAX_LEN + 1)), Err(PolicyError::TooLong));
        assert_eq!(check_new("old-password", "ünïcödé!"), Ok(()));
        assert_eq!(check_new("old-password", "a much better one"), Ok(()));
    }
}
