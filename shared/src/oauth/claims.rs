//! Reading what providers put inside their tokens: the (unverified) payload of a JWT — Codex's id token carries
//! the ChatGPT account id, access tokens carry `exp`.
//!
//! Signatures are not checked: the token came straight from the provider over TLS (or from the user's own CLI
//! file) and is only read for display and routing facts, as Codex CLI and CLIProxyAPI
//! (`internal/auth/codex/jwt_parser.go`) do.

use base64::Engine as _;
use serde_json::Value;

/// Namespace of OpenAI's auth claims in Codex id tokens (CLIProxyAPI `jwt_parser.go`; notes/providers.md "cx").
const OPENAI_AUTH_CLAIM: &str = "https://api.openai.com/auth";

/// The JSON payload of a compact JWT, or `None` when `token` is not one.
#[must_use]
pub fn jwt_payload(token: &str) -> Option<Value> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice::<Value>(&bytes).ok().filter(Value::is_object)
}

/// Codex id token → (`chatgpt_account_id`, `email`).
#[must_use]
pub fn codex_identity(id_token: &str) -> (Option<String>, Option<String>) {
    let Some(payload) = jwt_payload(id_token) else {
        return (None, None);
    };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    let account = text(payload.get(OPENAI_AUTH_CLAIM).and_then(|auth| auth.get("chatgpt_account_id")));
    (account, text(payload.get("email")))
}

/// The `exp` claim of a JWT access token, as unix ms.
#[must_use]
pub fn jwt_expiry_ms(token: &str) -> Option<u64> {
    let exp = jwt_payload(token)?.get("exp")?.as_u64()?;
    exp.checked_mul(1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn jwt(payload: &Value) -> String {
        let enc = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        format!("{}.{}.sig", enc(&json!({"alg": "none"})), enc(payload))
    }

    #[test]
    fn reads_codex_identity_and_expiry() {
        let token =
            jwt(&json!({"email": "a@b.c", "exp": 1_900_000_000, OPENAI_AUTH_CLAIM: {"chatgpt_account_id": "acc-1"}}));
        assert_eq!(codex_identity(&token), (Some("acc-1".into()), Some("a@b.c".into())));
        assert_eq!(jwt_expiry_ms(&token), Some(1_900_000_000_000));
        assert_eq!(codex_identity("not-a-jwt"), (None, None));
        assert_eq!(jwt_payload("a.b"), None);
    }
}
