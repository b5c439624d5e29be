//! The provider calls of every flow: code exchange, refresh, device authorization and polling, and the Copilot
//! token exchange. Pure request/answer handling over [`Endpoints`]; storage and locking live elsewhere.

use base64::Engine as _;
use http::Method;
use serde_json::Value;

use super::credentials::{epoch_to_ms, Credentials};
use super::endpoint::{Body, Endpoints, Reply, Unreachable};
use super::providers::{OAuthProvider, Refresh, COPILOT_EDITOR_HEADERS};

/// RFC 8628 §3.4 grant type.
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Why a call did not produce credentials.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ExchangeError {
    /// The provider refused (bad code, revoked or reused refresh token, no subscription): the user must act.
    #[error("the provider rejected the credentials: {0}")]
    Rejected(String),
    /// The provider could not be reached or failed (5xx, 429, timeout): try again later.
    #[error("the provider could not be reached: {0}")]
    Transient(String),
}

impl From<Unreachable> for ExchangeError {
    fn from(err: Unreachable) -> Self {
        Self::Transient(err.0)
    }
}

/// Classifies a failed answer: 5xx and 429 are transient, any other failure a rejection.
pub(crate) fn failure(reply: &Reply) -> ExchangeError {
    if reply.status >= 500 || reply.status == 429 {
        ExchangeError::Transient(reply.describe())
    } else {
        ExchangeError::Rejected(reply.describe())
    }
}

/// A token endpoint call; adds the client secret and HTTP Basic client authentication where the provider
/// wants them (iFlow).
async fn token_call(
    ep: Endpoints<'_>,
    provider: &OAuthProvider,
    fields: &[(&str, &str)],
) -> Result<Reply, Unreachable> {
    let mut fields = fields.to_vec();
    if !provider.client_secret.is_empty() {
        fields.push(("client_secret", provider.client_secret));
    }
    let basic = provider.basic_auth.then(|| {
        let pair = format!("{}:{}", provider.client_id, provider.client_secret);
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
    });
    ep.call(Method::POST, provider.token_url, provider.token_headers, basic, Body::Fields(provider.body, &fields)).await
}

/// Exchanges an authorization code (RFC 6749 §4.1.3 with the PKCE verifier). Claude also wants `state` in the
/// JSON body (CLIProxyAPI `internal/auth/claude/anthropic_auth.go`); Google and OpenAI get the plain form.
///
/// # Errors
/// [`ExchangeError`] when the provider refuses or cannot be reached.
pub async fn exchange_code(
    ep: Endpoints<'_>,
    provider: &OAuthProvider,
    code: &str,
    state: &str,
    verifier: &str,
    now_ms: u64,
) -> Result<Credentials, ExchangeError> {
    let mut fields = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("client_id", provider.client_id),
        ("redirect_uri", provider.redirect_uri),
    ];
    if provider.exchange_state {
        fields.push(("state", state));
    }
    if provider.pkce {
        fields.push(("code_verifier", verifier));
    }
    let reply = token_call(ep, provider, &fields).await?;
    if !reply.ok() {
        return Err(failure(&reply));
    }
    let mut credentials = Credentials::from_token_response(&reply.body, now_ms)
        .ok_or_else(|| ExchangeError::Rejected("token answer has no access_token".into()))?;
    if provider.refresh == Refresh::IflowApiKey {
        iflow_api_key(ep, provider, &mut credentials).await?;
    }
    Ok(credentials)
}

/// Refreshes `current` as the provider requires, returning the complete new credentials (a rotated refresh
/// token included, the old one kept when none is returned).
///
/// # Errors
/// [`ExchangeError::Rejected`] when the account must be connected again, else [`ExchangeError::Transient`].
pub async fn refresh(
    ep: Endpoints<'_>,
    provider: &OAuthProvider,
    current: &Credentials,
    now_ms: u64,
) -> Result<Credentials, ExchangeError> {
    let mut next = current.clone();
    match provider.refresh {
        Refresh::RefreshToken => {
            next.absorb_refresh(refresh_grant(ep, provider, current, now_ms).await?);
        }
        Refresh::CopilotExchange => match copilot_token(ep, provider, &current.access_token).await {
            Ok((token, expires)) => {
                next.upstream_token = Some(token);
                next.upstream_expires_at_ms = expires;
            }
            // A revoked GitHub token may be renewed by its refresh token (GitHub Apps with expiring tokens).
            Err(ExchangeError::Rejected(why)) if current.refresh_token.is_some() => {
                next.absorb_refresh(refresh_grant(ep, provider, current, now_ms).await.map_err(|e| match e {
                    ExchangeError::Rejected(_) => ExchangeError::Rejected(why),
                    transient @ ExchangeError::Transient(_) => transient,
                })?);
                let (token, expires) = copilot_token(ep, provider, &next.access_token).await?;
                next.upstream_token = Some(token);
                next.upstream_expires_at_ms = expires;
            }
            Err(err) => return Err(err),
        },
        Refresh::IflowApiKey => {
            next.absorb_refresh(refresh_grant(ep, provider, current, now_ms).await?);
            iflow_api_key(ep, provider, &mut next).await?;
        }
        Refresh::Kiro => next.absorb_refresh(super::kiro::refresh(ep, provider, current, now_ms).await?),
    }
    Ok(next)
}

/// iFlow: the API key chat requests carry, from `getUserInfo?accessToken=…` (answer
/// `{success, data: {apiKey, email}}`); a login without one fails (9router `src/lib/oauth/providers.js`).
async fn iflow_api_key(
    ep: Endpoints<'_>,
    provider: &OAuthProvider,
    credentials: &mut Credentials,
) -> Result<(), ExchangeError> {
    let mut url = url::Url::parse(provider.exchange_url).map_err(|e| ExchangeError::Rejected(e.to_string()))?;
    url.query_pairs_mut().append_pair("accessToken", &credentials.access_token);
    let reply = ep.call(Method::GET, url.as_str(), provider.token_headers, None, Body::None).await?;
    if !reply.ok() {
        return Err(failure(&reply));
    }
    let data = reply.body.get("data");
    let key = data.and_then(|d| d.get("apiKey")).and_then(Value::as_str).filter(|k| !k.is_empty());
    let key = key.ok_or_else(|| ExchangeError::Rejected("iFlow returned no API key for this account".into()))?;
    credentials.upstream_token = Some(key.to_owned());
    if let Some(email) = data.and_then(|d| d.get("email")).and_then(Value::as_str).filter(|e| !e.is_empty()) {
        credentials.email = Some(email.to_owned());
    }
    Ok(())
}

/// RFC 6749 §6 refresh.
async fn refresh_grant(
    ep: Endpoints<'_>,
    provider: &OAuthProvider,
    current: &Credentials,
    now_ms: u64,
) -> Result<Credentials, ExchangeError> {
    let Some(refresh_token) = current.refresh_token.as_deref() else {
        return Err(ExchangeError::Rejected("no refresh token stored".into()));
    };
    let fields = [("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", provider.client_id)];
    let reply = token_call(ep, provider, &fields).await?;
    if !reply.ok() {
        return Err(failure(&reply));
    }
    Credentials::from_token_response(&reply.body, now_ms)
        .ok_or_else(|| ExchangeError::Rejected("refresh answer has no access_token".into()))
}

/// GitHub token → Copilot token (9router `open-sse/executors/github.js`): GET with `Authorization: token <gh>`
/// and the editor headers; answer `{token, expires_at}` (`expires_at` in seconds, sometimes ms).
async fn copilot_token(
    ep: Endpoints<'_>,
    provider: &OAuthProvider,
    github_token: &str,
) -> Result<(String, Option<u64>), ExchangeError> {
    if github_token.is_empty() {
        return Err(ExchangeError::Rejected("no GitHub token stored".into()));
    }
    let reply = ep
        .call(
            Method::GET,
            provider.exchange_url,
            COPILOT_EDITOR_HEADERS,
            Some(format!("token {github_token}")),
            Body::None,
        )
        .await?;
    if !reply.ok() {
        return Err(failure(&reply));
    }
    let token = reply.body.get("token").and_then(Value::as_str).filter(|t| !t.is_empty());
    let token = token.ok_or_else(|| ExchangeError::Rejected("Copilot answer has no token".into()))?;
    let expires = reply.body.get("expires_at").and_then(Value::as_f64).and_then(epoch_to_ms);
    Ok((token.to_owned(), expires))
}

/// A started device authorization (RFC 8628 §3.2).
#[derive(Debug, Clone)]
pub struct DeviceStart {
    /// Secret polling handle.
    pub device_code: String,
    /// What the user types.
    pub user_code: String,
    /// Where the user goes.
    pub verification_uri: String,
    /// The same with the code filled in, if offered.
    pub verification_uri_complete: Option<String>,
    /// Minimum seconds between polls (default 5).
    pub interval_secs: u64,
    /// Lifetime of the device code in seconds.
    pub expires_in_secs: u64,
}

/// Starts a device authorization; `challenge` is the PKCE challenge for providers that want one (Qwen).
///
/// # Errors
/// [`ExchangeError`] when the provider refuses or cannot be reached.
pub async fn device_start(
    ep: Endpoints<'_>,
    provider: &OAuthProvider,
    challenge: Option<&str>,
) -> Result<DeviceStart, ExchangeError> {
    let mut fields = vec![("client_id", provider.client_id), ("scope", provider.scopes)];
    if let Some(challenge) = challenge {
        fields.extend([("code_challenge", challenge), ("code_challenge_method", "S256")]);
    }
    let reply = ep
        .call(Method::POST, provider.device_url, provider.token_headers, None, Body::Fields(provider.body, &fields))
        .await?;
    if !reply.ok() {
        return Err(failure(&reply));
    }
    let text = |k: &str| reply.body.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    let number = |k: &str| reply.body.get(k).and_then(Value::as_u64);
    let missing = || ExchangeError::Rejected("device answer is incomplete".into());
    Ok(DeviceStart {
        device_code: text("device_code").ok_or_else(missing)?,
        user_code: text("user_code").ok_or_else(missing)?,
        verification_uri: text("verification_uri").or_else(|| text("verification_url")).ok_or_else(missing)?,
        verification_uri_complete: text("verification_uri_complete"),
        interval_secs: number("interval").unwrap_or(5).clamp(1, 60),
        expires_in_secs: number("expires_in").unwrap_or(600),
    })
}

/// One poll of a device authorization (RFC 8628 §3.5).
#[derive(Debug)]
pub enum DevicePoll {
    /// The user has not finished yet.
    Pending,
    /// Polling too fast: add 5 s to the interval.
    SlowDown,
    /// The user refused.
    Denied,
    /// The device code expired.
    Expired,
    /// Done.
    Complete(Box<Credentials>),
}

/// Polls the token endpoint once with the device code (and the PKCE verifier for Qwen).
///
/// # Errors
/// [`ExchangeError`] on unexpected errors or when the provider cannot be reached.
pub async fn device_poll(
    ep: Endpoints<'_>,
    provider: &OAuthProvider,
    device_code: &str,
    verifier: Option<&str>,
    now_ms: u64,
) -> Result<DevicePoll, ExchangeError> {
    let mut fields =
        vec![("grant_type", DEVICE_GRANT), ("client_id", provider.client_id), ("device_code", device_code)];
    if let Some(verifier) = verifier {
        fields.push(("code_verifier", verifier));
    }
    let reply = token_call(ep, provider, &fields).await?;
    // GitHub answers 200 with an `error` field while pending; others answer 400.
    match reply.error_code().as_deref() {
        Some("authorization_pending") => return Ok(DevicePoll::Pending),
        Some("slow_down") => return Ok(DevicePoll::SlowDown),
        Some("access_denied") => return Ok(DevicePoll::Denied),
        Some("expired_token") => return Ok(DevicePoll::Expired),
        _ => {}
    }
    if !reply.ok() {
        return Err(failure(&reply));
    }
    Credentials::from_token_response(&reply.body, now_ms)
        .map(|c| DevicePoll::Complete(Box::new(c)))
        .ok_or_else(|| ExchangeError::Rejected("token answer has no access_token".into()))
}
