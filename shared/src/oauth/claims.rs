//! Reading what providers put inside their tokens and files: the (unverified) payload of a JWT — Codex's id
//! token carries the ChatGPT account id, access tokens carry `exp` — and RFC 3339 times (Kiro's `expiresAt`).
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

/// An RFC 3339 time (`2025-10-08T17:12:56.785Z`, offsets allowed) as unix ms; `None` when malformed.
#[must_use]
pub fn rfc3339_ms(text: &str) -> Option<u64> {
    let text = text.trim();
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let mut ymd = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (ymd.next()??, ymd.next()??, ymd.next()??);
    let zone_at = rest.find(['Z', 'z', '+', '-'])?;
    let (clock, zone) = rest.split_at(zone_at);
    let (clock, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut hms = clock.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (hour, minute, second) = (hms.next()??, hms.next()??, hms.next()??);
    let millis: i64 = format!("{fraction:0<3}").get(..3)?.parse().ok()?;
    let offset_min = match zone.as_bytes().first() {
        Some(b'Z' | b'z') => 0,
        Some(sign) => {
            let (h, m) = zone.get(1..)?.split_once(':')?;
            let minutes = h.parse::<i64>().ok()? * 60 + m.parse::<i64>().ok()?;
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        None => return None,
    };
    let valid = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (0..24).contains(&hour)
        && (0..60).contains(&minute)
        && (0..61).contains(&second);
    if !valid {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset_min * 60;
    u64::try_from(seconds.checked_mul(1000)?.checked_add(millis)?).ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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

    #[test]
    fn parses_rfc3339() {
        assert_eq!(rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339_ms("2025-10-08T17:12:56.785Z"), Some(1_759_943_576_785));
        assert_eq!(rfc3339_ms("2025-10-08T19:12:56.785+02:00"), Some(1_759_943_576_785));
        assert_eq!(rfc3339_ms("2025-13-08T17:12:56Z"), None);
        assert_eq!(rfc3339_ms("yesterday"), None);
    }
}
