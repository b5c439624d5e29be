//! Gemini CLI / Antigravity: after login, find the account's Cloud AI Companion project (which every Code Assist
//! request names in its envelope) and, for a new account, onboard it.
//!
//! Facts (notes/providers.md "Shared: Google Code Assist envelope"; google-gemini/gemini-cli
//! `packages/core/src/code_assist/setup.ts`; 9router `open-sse/services/projectId.js`; CLIProxyAPI
//! `internal/auth/antigravity/auth.go`): `POST <base>/v1internal:loadCodeAssist {metadata}` answers
//! `cloudaicompanionProject` (a string or `{id}`) for an onboarded account, else `allowedTiers[]`; then
//! `POST <base>/v1internal:onboardUser {tierId, metadata}` is repeated until it answers `done: true` with
//! `response.cloudaicompanionProject`. The e-mail comes from Google's userinfo endpoint.

use http::Method;
use serde_json::{json, Value};

use super::endpoint::{Body, Endpoints, Reply};
use super::exchange::{failure, ExchangeError};
use crate::providers::ProviderSpec;

/// Google's userinfo endpoint (notes/providers.md "gc — Auth").
const USERINFO_URL: &str = "https://www.googleapis.com/oauth2/v1/userinfo?alt=json";
/// The tier used when none is marked default (gemini-cli setup.ts, 9router projectId.js).
const FALLBACK_TIER: &str = "legacy-tier";
/// `onboardUser` is a long-running operation: asked again this many times, this far apart.
const ONBOARD_ATTEMPTS: u32 = 5;
const ONBOARD_WAIT_MS: u64 = 2_000;

/// The client metadata both clients send (CLIProxyAPI's Gemini CLI login; Antigravity names its IDE type).
fn client_metadata(provider: &ProviderSpec) -> Value {
    let ide = if provider.id == "antigravity" { "ANTIGRAVITY" } else { "IDE_UNSPECIFIED" };
    json!({ "ideType": ide, "platform": "PLATFORM_UNSPECIFIED", "pluginType": "GEMINI" })
}

/// The project in a `loadCodeAssist` / `onboardUser` answer: a string or `{id}`.
fn project_of(value: Option<&Value>) -> Option<String> {
    let value = value?;
    value.as_str().or_else(|| value.get("id").and_then(Value::as_str)).filter(|p| !p.is_empty()).map(str::to_owned)
}

/// The tier to onboard to: the allowed tier marked default, else [`FALLBACK_TIER`].
fn default_tier(load: &Value) -> String {
    load.get("allowedTiers")
        .and_then(Value::as_array)
        .and_then(|tiers| tiers.iter().find(|t| t.get("isDefault").and_then(Value::as_bool) == Some(true)))
        .and_then(|t| t.get("id").and_then(Value::as_str))
        .unwrap_or(FALLBACK_TIER)
        .to_owned()
}

async fn call(
    ep: Endpoints<'_>,
    provider: &ProviderSpec,
    access_token: &str,
    method: &str,
    body: &Value,
) -> Result<Reply, ExchangeError> {
    let url = format!("{}/v1internal:{method}", provider.base_url);
    let reply =
        ep.call(Method::POST, &url, provider.headers, Some(format!("Bearer {access_token}")), Body::Json(body)).await?;
    if reply.ok() {
        Ok(reply)
    } else {
        Err(failure(&reply))
    }
}

/// Finds (or creates, by onboarding) the account's Code Assist project.
///
/// # Errors
/// [`ExchangeError::Rejected`] when Google refuses or onboarding never finishes, else
/// [`ExchangeError::Transient`].
pub async fn discover_project(
    ep: Endpoints<'_>,
    provider: &ProviderSpec,
    access_token: &str,
) -> Result<String, ExchangeError> {
    let metadata = client_metadata(provider);
    let load = call(ep, provider, access_token, "loadCodeAssist", &json!({ "metadata": metadata })).await?;
    if let Some(project) = project_of(load.body.get("cloudaicompanionProject")) {
        return Ok(project);
    }
    let onboard = json!({ "tierId": default_tier(&load.body), "metadata": metadata });
    for attempt in 0..ONBOARD_ATTEMPTS {
        if attempt > 0 {
            ep.clock.sleep(ONBOARD_WAIT_MS).await;
        }
        let answer = call(ep, provider, access_token, "onboardUser", &onboard).await?;
        if answer.body.get("done").and_then(Value::as_bool) == Some(true) {
            return project_of(answer.body.pointer("/response/cloudaicompanionProject"))
                .ok_or_else(|| ExchangeError::Rejected("Code Assist onboarding finished without a project".into()));
        }
    }
    Err(ExchangeError::Transient("Code Assist onboarding did not finish in time; try again".into()))
}

/// The account's e-mail from Google's userinfo endpoint (display only: failures give `None`).
pub async fn email(ep: Endpoints<'_>, access_token: &str) -> Option<String> {
    let reply =
        ep.call(Method::GET, USERINFO_URL, &[], Some(format!("Bearer {access_token}")), Body::None).await.ok()?;
    reply.ok().then(|| reply.body.get("email").and_then(Value::as_str).map(str::to_owned)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_projects_and_tiers() {
        assert_eq!(project_of(Some(&json!("p-1"))).as_deref(), Some("p-1"));
        assert_eq!(project_of(Some(&json!({"id": "p-2"}))).as_deref(), Some("p-2"));
        assert_eq!(project_of(Some(&json!(""))), None);
        let load = json!({"allowedTiers": [{"id": "legacy-tier"}, {"id": "free-tier", "isDefault": true}]});
        assert_eq!(default_tier(&load), "free-tier");
        assert_eq!(default_tier(&json!({})), FALLBACK_TIER);
    }
}
