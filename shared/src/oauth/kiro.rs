//! Kiro logins and refreshes (notes/providers.md "kr — Auth" / "kr — Refresh", from decolua/9router
//! `src/lib/oauth/services/kiro.js` and `open-sse/services/tokenRefresh.js`; AWS SSO OIDC API reference for
//! `RegisterClient`, `StartDeviceAuthorization`, `CreateToken`):
//!
//! - AWS Builder ID: register a public OIDC client (`POST /client/register`), start a device authorization
//!   (`POST /device_authorization` with the Builder ID start URL), then poll `POST /token` with the device code
//!   grant. All camelCase JSON on `https://oidc.<region>.amazonaws.com`. The registered client id/secret are
//!   stored with the tokens: refreshing needs them.
//! - Refresh, IdC style (a client is stored): `POST /token` `{clientId, clientSecret, refreshToken,
//!   grantType: "refresh_token"}` on the client's region. Social style (Kiro IDE Google/GitHub logins and
//!   imported IDE tokens): `POST https://prod.us-east-1.auth.desktop.kiro.dev/refreshToken` `{refreshToken}`,
//!   which also answers the account's `profileArn`.

use http::Method;
use serde_json::{json, Value};

use super::credentials::Credentials;
use super::endpoint::{Body, Endpoints, Reply};
use super::exchange::{failure, DevicePoll, DeviceStart, ExchangeError};
use super::providers::OAuthProvider;

/// Builder ID's region and start URL (9router `src/lib/oauth/constants/oauth.js`).
pub const DEFAULT_REGION: &str = "us-east-1";
const BUILDER_ID_START_URL: &str = "https://view.awsapps.com/start";
/// The issuer 9router registers its client with (notes/providers.md "kr — Auth" step 1).
const ISSUER_URL: &str = "https://identitycenter.amazonaws.com/ssoins-722374e8c3c8e6c6";
const CLIENT_NAME: &str = "kiro-oauth-client";
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// Kiro's refresh endpoint wants the CLI's agent (9router tokenRefresh.js).
const SOCIAL_HEADERS: &[(&str, &str)] = &[("user-agent", "kiro-cli/1.0.0")];

/// A registered OIDC client (kept sealed with the flow, then with the tokens).
#[derive(Debug, Clone)]
pub struct OidcClient {
    /// `clientId`.
    pub id: String,
    /// `clientSecret`.
    pub secret: String,
}

/// `url` (which names us-east-1, as the row's URLs do) for `region`; a region that is not a plain AWS region
/// name (`[a-z0-9-]`) is ignored rather than spliced into a URL.
fn regional(url: &str, region: &str) -> String {
    let plain = !region.is_empty() && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if plain && region != DEFAULT_REGION {
        url.replace(DEFAULT_REGION, region)
    } else {
        url.to_owned()
    }
}

/// `https://oidc.<region>.amazonaws.com<path>`.
fn oidc_url(provider: &OAuthProvider, region: &str, path: &str) -> String {
    regional(&format!("{}{path}", provider.token_url.trim_end_matches("/token")), region)
}

fn text(body: &Value, key: &str) -> Option<String> {
    body.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// AWS names errors both ways: RFC 6749 `error` (`authorization_pending`) and the JSON protocol's `__type`
/// (`AuthorizationPendingException`).
fn aws_error(reply: &Reply) -> Option<String> {
    if let Some(code) = reply.error_code() {
        return Some(code);
    }
    let kind = reply.body.get("__type").and_then(Value::as_str)?;
    let kind = kind.rsplit(['#', ':']).next().unwrap_or(kind);
    Some(
        match kind {
            "AuthorizationPendingException" => "authorization_pending",
            "SlowDownException" => "slow_down",
            "AccessDeniedException" => "access_denied",
            "ExpiredTokenException" => "expired_token",
            _ => "aws_error",
        }
        .to_owned(),
    )
}

/// Registers a public client, then starts a Builder ID device authorization with it.
///
/// # Errors
/// [`ExchangeError`] when AWS refuses or cannot be reached.
pub async fn device_start(
    ep: Endpoints<'_>,
    provider: &OAuthProvider,
) -> Result<(OidcClient, DeviceStart), ExchangeError> {
    let scopes: Vec<&str> = provider.scopes.split_whitespace().collect();
    let register = json!({
        "clientName": CLIENT_NAME,
        "clientType": "public",
        "scopes": scopes,
        "grantTypes": [DEVICE_GRANT, "refresh_token"],
        "issuerUrl": ISSUER_URL,
    });
    let url = oidc_url(provider, DEFAULT_REGION, "/client/register");
    let reply = ep.call(Method::POST, &url, provider.token_headers, None, Body::Json(&register)).await?;
    if !reply.ok() {
        return Err(failure(&reply));
    }
    let missing = || ExchangeError::Rejected("AWS answer is incomplete".into());
    let client = OidcClient {
        id: text(&reply.body, "clientId").ok_or_else(missing)?,
        secret: text(&reply.body, "clientSecret").ok_or_else(missing)?,
    };
    let start = json!({ "clientId": client.id, "clientSecret": client.secret, "startUrl": BUILDER_ID_START_URL });
    let reply = ep.call(Method::POST, provider.device_url, provider.token_headers, None, Body::Json(&start)).await?;
    if !reply.ok() {
        return Err(failure(&reply));
    }
    let number = |k: &str| reply.body.get(k).and_then(Value::as_u64);
    let device = DeviceStart {
        device_code: text(&reply.body, "deviceCode").ok_or_else(missing)?,
        user_code: text(&reply.body, "userCode").ok_or_else(missing)?,
        verification_uri: text(&reply.body, "verificationUri").ok_or_else(missing)?,
        verification_uri_complete: text(&reply.body, "verificationUriComplete"),
        interval_secs: number("interval").unwrap_or(5).clamp(1, 60),
        expires_in_secs: number("expiresIn").unwrap_or(600),
    };
    Ok((client, device))
}

/// One `CreateToken` poll with the device code.
///
/// # Errors
/// [`ExchangeError`] on unexpected errors or when AWS cannot be reached.
pub async fn device_poll(
    ep: Endpoints<'_>,
    provider: &OAuthProvider,
    client: &OidcClient,
    device_code: &str,
    now_ms: u64,
) -> Result<DevicePoll, ExchangeError> {
    let body = json!({
        "clientId": client.id,
        "clientSecret": client.secret,
        "deviceCode": device_code,
        "grantType": DEVICE_GRANT,
    });
    let url = oidc_url(provider, DEFAULT_REGION, "/token");
    let reply = ep.call(Method::POST, &url, provider.token_headers, None, Body::Json(&body)).await?;
    if !reply.ok() {
        return match aws_error(&reply).as_deref() {
            Some("authorization_pending") => Ok(DevicePoll::Pending),
            Some("slow_down") => Ok(DevicePoll::SlowDown),
            Some("access_denied") => Ok(DevicePoll::Denied),
            Some("expired_token") => Ok(DevicePoll::Expired),
            _ => Err(failure(&reply)),
        };
    }
    let mut credentials = Credentials::from_token_response(&reply.body, now_ms)
        .ok_or_else(|| ExchangeError::Rejected("token answer has no accessToken".into()))?;
    credentials.oidc_client_id = Some(client.id.clone());
    credentials.oidc_client_secret = Some(client.secret.clone());
    credentials.region = Some(DEFAULT_REGION.to_owned());
    Ok(DevicePoll::Complete(Box::new(credentials)))
}

/// Refreshes a Kiro account in the style its credentials call for (see the module docs).
///
/// # Errors
/// [`ExchangeError::Rejected`] when the account must be connected again, else [`ExchangeError::Transient`].
pub async fn refresh(
    ep: Endpoints<'_>,
    provider: &OAuthProvider,
    current: &Credentials,
    now_ms: u64,
) -> Result<Credentials, ExchangeError> {
    let Some(refresh_token) = current.refresh_token.as_deref() else {
        return Err(ExchangeError::Rejected("no refresh token stored".into()));
    };
    let region = current.region.as_deref().unwrap_or(DEFAULT_REGION);
    let reply = match (&current.oidc_client_id, &current.oidc_client_secret) {
        (Some(client_id), Some(client_secret)) => {
            let body = json!({
                "clientId": client_id,
                "clientSecret": client_secret,
                "refreshToken": refresh_token,
                "grantType": "refresh_token",
            });
            let url = oidc_url(provider, region, "/token");
            ep.call(Method::POST, &url, provider.token_headers, None, Body::Json(&body)).await?
        }
        _ => {
            // `prod.<region>.auth.desktop.kiro.dev` (9router tokenRefresh.js; several Kiro gateways likewise).
            let body = json!({ "refreshToken": refresh_token });
            let url = regional(provider.exchange_url, region);
            ep.call(Method::POST, &url, SOCIAL_HEADERS, None, Body::Json(&body)).await?
        }
    };
    if !reply.ok() {
        return Err(failure(&reply));
    }
    Credentials::from_token_response(&reply.body, now_ms)
        .ok_or_else(|| ExchangeError::Rejected("refresh answer has no accessToken".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::providers::find;

    #[test]
    fn oidc_urls_follow_the_region() {
        let kiro = find("kiro").expect("row");
        assert_eq!(
            oidc_url(kiro, "us-east-1", "/client/register"),
            "https://oidc.us-east-1.amazonaws.com/client/register"
        );
        assert_eq!(oidc_url(kiro, "eu-west-1", "/token"), "https://oidc.eu-west-1.amazonaws.com/token");
        assert_eq!(oidc_url(kiro, "evil.com/x?", "/token"), "https://oidc.us-east-1.amazonaws.com/token");
        assert_eq!(
            regional(kiro.exchange_url, "eu-central-1"),
            "https://prod.eu-central-1.auth.desktop.kiro.dev/refreshToken"
        );
    }

    #[test]
    fn aws_errors_in_both_spellings() {
        let reply = |body: Value| Reply { status: 400, body };
        assert_eq!(
            aws_error(&reply(json!({"error": "authorization_pending"}))).as_deref(),
            Some("authorization_pending")
        );
        assert_eq!(aws_error(&reply(json!({"__type": "SlowDownException"}))).as_deref(), Some("slow_down"));
        assert_eq!(aws_error(&reply(json!({}))), None);
    }
}
