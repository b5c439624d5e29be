//! Connecting an account: start a flow, complete it (paste-back of the code or redirect URL), poll a device
//! flow, or import existing credentials. Flow secrets (state, PKCE verifier, device code) are sealed in
//! `oauth_flows`, expire after [`FLOW_TTL_MS`] and are single-use (claimed with `DELETE … RETURNING`).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::connect::{endpoints, exchange_error, internal, reconnect_target, save_login};
use super::credentials::Credentials;
use super::exchange::{self, DevicePoll};
use super::kiro::{self, OidcClient};
use super::pkce;
use super::providers::{self, FlowKind, OAuthProvider, Refresh};
use crate::error::ApiError;
use crate::http::AppState;
use crate::providers::ProviderSpec;
use crate::store::{new_id, Connection, FlowRecord};

/// How long a started flow may be completed.
pub const FLOW_TTL_MS: u64 = 10 * 60 * 1000;
/// RFC 8628 §3.5: `slow_down` adds 5 seconds to the interval.
const SLOW_DOWN_MS: i64 = 5_000;

/// The sealed part of a flow (`save_flow` seals it into the record it stores).
#[derive(Default, Serialize, Deserialize)]
struct FlowSecrets {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device_code: Option<String>,
    /// The connection this flow reconnects (its credentials are replaced instead of a new one being made).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    connection_id: Option<String>,
    /// Kiro: the OIDC client registered for this device flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
}

fn now(state: &AppState) -> (u64, i64) {
    let now = state.clock.now_ms();
    (now, i64::try_from(now).unwrap_or(i64::MAX))
}

/// The provider's OAuth row, or a 400 naming the problem.
///
/// # Errors
/// [`ApiError`] 400 when the provider is unknown or not an OAuth provider.
pub fn oauth_provider(name: &str) -> Result<(&'static ProviderSpec, &'static OAuthProvider), ApiError> {
    let spec =
        crate::providers::find(name).ok_or_else(|| ApiError::invalid_request(format!("unknown provider `{name}`")))?;
    let oauth = providers::find(spec.id)
        .ok_or_else(|| ApiError::invalid_request(format!("provider `{}` takes an API key, not OAuth", spec.id)))?;
    Ok((spec, oauth))
}

async fn save_flow(state: &AppState, flow: &FlowRecord, secrets: &FlowSecrets, now_ms: i64) -> Result<(), ApiError> {
    let plain = serde_json::to_vec(secrets).map_err(internal)?;
    let sealed = state.config.token_cipher().seal(&plain, state.random.as_ref()).map_err(internal)?;
    state.repo.insert_flow(&FlowRecord { sealed, ..flow.clone() }, now_ms).await?;
    Ok(())
}

fn open_flow(state: &AppState, flow: &FlowRecord) -> Result<FlowSecrets, ApiError> {
    let plain = state.config.token_cipher().open(&flow.sealed).map_err(internal)?;
    serde_json::from_slice(&plain).map_err(internal)
}

/// `POST /api/oauth/{provider}/start`: begins the provider's interactive flow; with `reconnect`, a flow whose
/// result replaces the credentials of that existing connection.
///
/// # Errors
/// [`ApiError`] when the provider has no interactive flow, the connection to reconnect is not one of its OAuth
/// accounts, or its device endpoint fails.
pub async fn start(state: &AppState, provider: &str, reconnect: Option<&str>) -> Result<Value, ApiError> {
    let (spec, oauth) = oauth_provider(provider)?;
    let connection_id = match reconnect {
        Some(id) => Some(reconnect_target(state, spec, id).await?.id),
        None => None,
    };
    let (_, now_i64) = now(state);
    let random = state.random.as_ref();
    let id = new_id(random);
    let expires_at = now_i64.saturating_add(i64::try_from(FLOW_TTL_MS).unwrap_or(i64::MAX));
    if oauth.flows.contains(&FlowKind::AuthCode) {
        let secrets = FlowSecrets {
            state: Some(pkce::random_token(random, 32)),
            verifier: Some(pkce::verifier(random)),
            connection_id,
            ..FlowSecrets::default()
        };
        let mut url = url::Url::parse(&state.config.url_overrides.apply(oauth.authorize_url)).map_err(internal)?;
        {
            let mut query = url.query_pairs_mut();
            query.extend_pairs(oauth.authorize_params.iter().copied());
            query
                .append_pair("client_id", oauth.client_id)
                .append_pair("response_type", "code")
                .append_pair(oauth.redirect_param, oauth.redirect_uri);
            if !oauth.scopes.is_empty() {
                query.append_pair("scope", oauth.scopes);
            }
            if oauth.pkce {
                query
                    .append_pair("code_challenge", &pkce::challenge(secrets.verifier.as_deref().unwrap_or_default()))
                    .append_pair("code_challenge_method", "S256");
            }
            query.append_pair("state", secrets.state.as_deref().unwrap_or_default());
        }
        let flow = FlowRecord {
            id: id.clone(),
            provider: spec.id.into(),
            kind: "auth_code".into(),
            sealed: String::new(),
            interval_ms: 0,
            expires_at,
        };
        save_flow(state, &flow, &secrets, now_i64).await?;
        return Ok(json!({ "flowId": id, "kind": "auth_code", "authorizeUrl": url.as_str(), "expiresAt": expires_at }));
    }
    if !oauth.flows.contains(&FlowKind::DeviceCode) {
        return Err(ApiError::invalid_request(format!("provider `{}` connects by import only", spec.id)));
    }
    let verifier = oauth.device_pkce.then(|| pkce::verifier(random));
    let challenge = verifier.as_deref().map(pkce::challenge);
    let (client, device) = if oauth.refresh == Refresh::Kiro {
        let (client, device) = kiro::device_start(endpoints(state), oauth).await.map_err(exchange_error)?;
        (Some(client), device)
    } else {
        (None, exchange::device_start(endpoints(state), oauth, challenge.as_deref()).await.map_err(exchange_error)?)
    };
    let ttl_ms = device.expires_in_secs.saturating_mul(1000).min(FLOW_TTL_MS);
    let expires_at = now_i64.saturating_add(i64::try_from(ttl_ms).unwrap_or(0));
    let interval_ms = i64::try_from(device.interval_secs.saturating_mul(1000)).unwrap_or(5_000);
    let secrets = FlowSecrets {
        state: None,
        verifier,
        device_code: Some(device.device_code.clone()),
        connection_id,
        client_id: client.as_ref().map(|c| c.id.clone()),
        client_secret: client.map(|c| c.secret),
    };
    let flow = FlowRecord {
        id: id.clone(),
        provider: spec.id.into(),
        kind: "device_code".into(),
        sealed: String::new(),
        interval_ms,
        expires_at,
    };
    save_flow(state, &flow, &secrets, now_i64).await?;
    Ok(json!({
        "flowId": id,
        "kind": "device_code",
        "userCode": device.user_code,
        "verificationUri": device.verification_uri,
        "verificationUriComplete": device.verification_uri_complete,
        "intervalSecs": device.interval_secs,
        "expiresAt": expires_at,
    }))
}

/// Splits what the user pasted: a whole redirect URL (`…?code=…&state=…`), a query string, `code#state` (the
/// form Claude's callback page shows), or a bare code.
fn parse_paste(input: &str) -> Option<(String, Option<String>)> {
    let input = input.trim();
    let query = if let Ok(url) = url::Url::parse(input) {
        url.query().map(str::to_owned)
    } else if input.contains("code=") {
        Some(input.trim_start_matches('?').to_owned())
    } else {
        None
    };
    if let Some(query) = query {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        let get = |k: &str| pairs.iter().find(|(name, _)| name == k).map(|(_, v)| v.clone());
        let code = get("code").filter(|c| !c.is_empty())?;
        // Claude's code may itself carry `#state`.
        return Some(match code.split_once('#') {
            Some((code, state)) => (code.to_owned(), Some(state.to_owned())),
            None => (code, get("state")),
        });
    }
    match input.split_once('#') {
        Some((code, state)) if !code.is_empty() => Some((code.to_owned(), Some(state.to_owned()))),
        Some(_) => None,
        None => (!input.is_empty()).then(|| (input.to_owned(), None)),
    }
}

/// `POST /api/oauth/{provider}/complete`: exchanges the pasted code.
///
/// # Errors
/// [`ApiError`] 400 for an unknown, expired or reused flow, a state mismatch or a rejected code.
pub async fn complete(
    state: &AppState,
    provider: &str,
    flow_id: &str,
    pasted: &str,
    name: Option<String>,
) -> Result<Connection, ApiError> {
    let (spec, oauth) = oauth_provider(provider)?;
    let (code, pasted_state) = parse_paste(pasted)
        .ok_or_else(|| ApiError::invalid_request("paste the code or the whole redirect URL (`code` is missing)"))?;
    let gone = || {
        ApiError::invalid_request("this login flow is unknown, expired or already used; start again")
            .with_code("flow_not_found")
    };
    let flow = state.repo.claim_flow(flow_id).await?.ok_or_else(gone)?;
    let (now, now_i64) = now(state);
    if flow.provider != spec.id || flow.kind != "auth_code" || flow.expires_at <= now_i64 {
        return Err(gone());
    }
    let secrets = open_flow(state, &flow)?;
    let expected = secrets.state.unwrap_or_default();
    if let Some(pasted_state) = pasted_state {
        if !crate::auth::constant_time_eq(pasted_state.as_bytes(), expected.as_bytes()) {
            return Err(ApiError::invalid_request(
                "the pasted code belongs to another login (state mismatch); start again",
            )
            .with_code("state_mismatch"));
        }
    }
    let verifier = secrets.verifier.unwrap_or_default();
    let credentials = exchange::exchange_code(endpoints(state), oauth, &code, &expected, &verifier, now)
        .await
        .map_err(exchange_error)?;
    save_login(state, spec, oauth, credentials, name, secrets.connection_id.as_deref()).await
}

/// `POST /api/oauth/{provider}/poll`: one poll of a device flow, honouring its interval.
///
/// # Errors
/// [`ApiError`] when the provider fails unexpectedly.
pub async fn poll(state: &AppState, provider: &str, flow_id: &str, name: Option<String>) -> Result<Value, ApiError> {
    let (spec, oauth) = oauth_provider(provider)?;
    let (now, now_i64) = now(state);
    let status = |s: &str| Ok(json!({ "status": s }));
    let Some(flow) = state.repo.flow(flow_id).await?.filter(|f| f.provider == spec.id && f.kind == "device_code")
    else {
        return status("expired");
    };
    if flow.expires_at <= now_i64 {
        state.repo.claim_flow(flow_id).await?;
        return status("expired");
    }
    if !state.repo.claim_poll_slot(flow_id, now_i64).await? {
        return status("pending");
    }
    let secrets = open_flow(state, &flow)?;
    let device_code = secrets.device_code.unwrap_or_default();
    let answer = match (secrets.client_id, secrets.client_secret) {
        (Some(id), Some(secret)) => {
            kiro::device_poll(endpoints(state), oauth, &OidcClient { id, secret }, &device_code, now).await
        }
        _ => exchange::device_poll(endpoints(state), oauth, &device_code, secrets.verifier.as_deref(), now).await,
    }
    .map_err(exchange_error)?;
    match answer {
        DevicePoll::Pending => status("pending"),
        DevicePoll::SlowDown => {
            state.repo.slow_down_flow(flow_id, SLOW_DOWN_MS, now_i64).await?;
            status("slow_down")
        }
        DevicePoll::Denied => {
            state.repo.claim_flow(flow_id).await?;
            status("denied")
        }
        DevicePoll::Expired => {
            state.repo.claim_flow(flow_id).await?;
            status("expired")
        }
        DevicePoll::Complete(credentials) => {
            state.repo.claim_flow(flow_id).await?;
            let reconnect = secrets.connection_id.as_deref();
            let connection = save_login(state, spec, oauth, *credentials, name, reconnect).await?;
            Ok(json!({ "status": "complete", "connection": connection }))
        }
    }
}

/// `POST /api/oauth/{provider}/import`: a refresh token or the CLI's credentials JSON; with `reconnect`, into
/// that existing connection.
///
/// # Errors
/// [`ApiError`] 400 when nothing usable was given or the provider rejects it.
pub async fn import(
    state: &AppState,
    provider: &str,
    input: &Value,
    name: Option<String>,
    reconnect: Option<&str>,
) -> Result<Connection, ApiError> {
    let (spec, oauth) = oauth_provider(provider)?;
    if let Some(id) = reconnect {
        reconnect_target(state, spec, id).await?;
    }
    let credentials = Credentials::from_import(oauth, input).ok_or_else(|| {
        ApiError::invalid_request("`credentials` must be a refresh token or the CLI's credentials JSON")
    })?;
    save_login(state, spec, oauth, credentials, name, reconnect).await
}

#[cfg(test)]
mod tests {
    use super::parse_paste;

    #[test]
    fn paste_back_forms() {
        let pair = |c: &str, s: Option<&str>| Some((c.to_owned(), s.map(str::to_owned)));
        assert_eq!(parse_paste(" abc#st "), pair("abc", Some("st")));
        assert_eq!(parse_paste("abc"), pair("abc", None));
        assert_eq!(parse_paste("https://x/cb?code=abc&state=st"), pair("abc", Some("st")));
        assert_eq!(parse_paste("http://localhost:1455/auth/callback?state=st&code=a%2Bb"), pair("a+b", Some("st")));
        assert_eq!(parse_paste("code=abc&state=st"), pair("abc", Some("st")));
        assert_eq!(parse_paste("https://x/cb?error=access_denied"), None);
        assert_eq!(parse_paste(""), None);
        assert_eq!(parse_paste("#st"), None);
    }
}
