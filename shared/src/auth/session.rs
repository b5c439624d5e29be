//! Management sessions: the dashboard password is checked once, then an HS256 JWT (in an HttpOnly cookie or a
//! Bearer header) authorises `/api/*`. The token carries the password version it was issued for (`pv`); a
//! password change bumps the stored version, which ends every session issued before it.

use http::HeaderMap;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::constant_time_eq;

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "9r_session";
/// Session lifetime.
pub const SESSION_SECS: u64 = 7 * 24 * 60 * 60;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: u64,
    exp: u64,
    /// Password version the session was issued for.
    pv: i64,
}

/// Why a session was refused.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// No token was presented.
    #[error("not logged in")]
    Missing,
    /// The token is invalid or expired.
    #[error("session is invalid or expired; log in again")]
    Invalid,
    /// The token could not be signed.
    #[error("could not sign the session token")]
    Signing,
}

/// Whether `candidate` is the dashboard password.
#[must_use]
pub fn password_matches(candidate: &str, expected: &str) -> bool {
    constant_time_eq(candidate.as_bytes(), expected.as_bytes())
}

/// Issues a session token for password version `password_version`, valid from `now_secs` for [`SESSION_SECS`].
///
/// # Errors
/// [`SessionError::Signing`] if signing fails.
pub fn issue(secret: &str, now_secs: u64, password_version: i64) -> Result<String, SessionError> {
    super::hs256::install();
    let claims = Claims { sub: "admin".into(), iat: now_secs, exp: now_secs + SESSION_SECS, pv: password_version };
    encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(secret.as_bytes()))
        .map_err(|_| SessionError::Signing)
}

/// Verifies a token (HS256 only, signature, expiry, subject) and returns the password version it was issued for;
/// the caller compares that with the stored version.
///
/// # Errors
/// [`SessionError::Invalid`] for a bad signature, another algorithm (`none` included), a malformed token or an
/// expired one.
pub fn verify(secret: &str, token: &str) -> Result<i64, SessionError> {
    super::hs256::install();
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp", "sub"]);
    validation.leeway = 0;
    decode::<Claims>(token, &DecodingKey::from_secret(secret.as_bytes()), &validation)
        .ok()
        .filter(|data| data.claims.sub == "admin")
        .map(|data| data.claims.pv)
        .ok_or(SessionError::Invalid)
}

/// The session token in a request: the cookie, else `Authorization: Bearer`.
#[must_use]
pub fn presented_token(headers: &HeaderMap) -> Option<&str> {
    let from_cookie = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value);
    from_cookie.or_else(|| {
        headers.get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
    })
}

/// The `Set-Cookie` value carrying `token` (`secure` when served over https).
#[must_use]
pub fn cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE_NAME}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={SESSION_SECS}{secure}")
}

/// The `Set-Cookie` value that ends the session.
#[must_use]
pub fn clearing_cookie() -> String {
    format!("{COOKIE_NAME}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn now() -> u64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
    }

    #[test]
    fn issued_tokens_verify_only_with_their_secret() {
        let token = issue("s1", now(), 3).expect("signs");
        assert_eq!(verify("s1", &token).ok(), Some(3));
        assert!(verify("s2", &token).is_err());
        assert!(verify("s1", "garbage").is_err());
    }

    #[test]
    fn expired_tokens_are_refused() {
        let token = issue("s1", 1_000, 0).expect("signs");
        assert!(verify("s1", &token).is_err());
    }

    #[test]
    fn unsigned_tokens_are_refused() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine as _;
        let b64 = |s: &str| URL_SAFE_NO_PAD.encode(s);
        let claims = format!(r#"{{"sub":"admin","iat":1,"exp":{},"pv":0}}"#, now() + 3600);
        for header in [r#"{"alg":"none","typ":"JWT"}"#, r#"{"alg":"HS512","typ":"JWT"}"#] {
            let token = format!("{}.{}.", b64(header), b64(&claims));
            assert!(verify("s1", &token).is_err(), "{header}");
        }
    }

    #[test]
    fn token_is_read_from_cookie_or_bearer() {
        let mut h = HeaderMap::new();
        h.insert("cookie", HeaderValue::from_static("a=b; 9r_session=tok; c=d"));
        assert_eq!(presented_token(&h), Some("tok"));
        let mut h = HeaderMap::new();
        h.insert("authorization", HeaderValue::from_static("Bearer tok2"));
        assert_eq!(presented_token(&h), Some("tok2"));
    }
}
