//! iFlow chat requests carry the account's API key (not the OAuth token) and a per-request signature:
//! `x-iflow-signature = hex(HMAC-SHA256(key = API key, "<User-Agent>:<session-id>:<timestamp ms>"))`.
//!
//! Sources: decolua/9router `open-sse/executors/iflow.js`; router-for-me/CLIProxyAPI (before f5dc6483d)
//! `internal/runtime/executor/iflow_executor.go`.

use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderName, HeaderValue};
use sha2::Sha256;

use crate::platform::Random;

/// The iFlow CLI's user agent (part of the signed message).
const USER_AGENT: &str = "iFlow-Cli";

/// The signature of one request.
#[must_use]
pub fn signature(api_key: &str, session_id: &str, timestamp_ms: u64) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(api_key.as_bytes()) else {
        return String::new();
    };
    mac.update(format!("{USER_AGENT}:{session_id}:{timestamp_ms}").as_bytes());
    crate::auth::hex(&mac.finalize().into_bytes())
}

/// Sets the iFlow CLI identity, a fresh session id and the signature.
pub(super) fn headers(headers: &mut HeaderMap, api_key: &str, now_ms: u64, random: &dyn Random) {
    let mut id = [0u8; 16];
    random.fill(&mut id);
    let session = format!("session-{}", crate::auth::hex(&id));
    let pairs = [
        ("user-agent", USER_AGENT.to_owned()),
        ("session-id", session.clone()),
        ("x-iflow-timestamp", now_ms.to_string()),
        ("x-iflow-signature", signature(api_key, &session, now_ms)),
    ];
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_hex_of_ua_session_timestamp() {
        // Reference value computed independently (node: crypto.createHmac("sha256", "k")
        //   .update("iFlow-Cli:session-1:1700000000000").digest("hex")).
        let sig = signature("k", "session-1", 1_700_000_000_000);
        assert_eq!(sig, "6ccce0b86ed6a59f79958aa921a1dee8dededa210a436df9707d1f39a595db2d");
        assert_ne!(sig, signature("k2", "session-1", 1_700_000_000_000));
    }
}
