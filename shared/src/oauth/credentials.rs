//! What is stored (sealed) per OAuth account, what the pipeline gets from it, and how token endpoint answers and
//! imported credential files become [`Credentials`].

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::claims;
use super::providers::{OAuthProvider, Refresh};

/// The secrets of one OAuth account. Serialized only to be sealed; `Debug` never prints a token.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// The provider's access token (GitHub: the long-lived GitHub token).
    pub access_token: String,
    /// Refresh token, if the provider issued one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Unix ms when `access_token` expires (`None`: unknown; used until rejected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at_ms: Option<u64>,
    /// Copilot: the short-lived token chat requests carry; iFlow: the account's API key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream_token: Option<String>,
    /// Copilot: when `upstream_token` expires (unix ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream_expires_at_ms: Option<u64>,
    /// Qwen: the account's API host (`resource_url`, given without scheme).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_url: Option<String>,
    /// Account e-mail, when the provider said (display only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Codex: the ChatGPT account id (the id token's `chatgpt_account_id` claim, or `tokens.account_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Kiro: the CodeWhisperer profile ARN (social logins and IDE token files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_arn: Option<String>,
    /// Kiro: the AWS region of the OIDC client (Builder ID: `us-east-1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Kiro: the AWS SSO OIDC client registered at login (Builder ID / IAM Identity Center); refreshes need it.
    /// Absent for social logins, which refresh at Kiro's own endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_client_id: Option<String>,
    /// Kiro: that client's secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_client_secret: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("expires_at_ms", &self.expires_at_ms)
            .field("upstream_expires_at_ms", &self.upstream_expires_at_ms)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .finish_non_exhaustive()
    }
}

/// What a request needs to call the upstream as this account. `Debug` never prints the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// Sent as `Authorization: Bearer <bearer>`.
    pub bearer: String,
    /// The account's own API base URL (Qwen's `resource_url`), overriding the provider's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// When `bearer` expires (unix ms), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at_ms: Option<u64>,
}

impl std::fmt::Debug for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grant")
            .field("base_url", &self.base_url)
            .field("expires_at_ms", &self.expires_at_ms)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// The token the upstream sees and when it expires.
    #[must_use]
    pub fn bearer(&self, provider: &OAuthProvider) -> (Option<&str>, Option<u64>) {
        match provider.refresh {
            Refresh::CopilotExchange => (self.upstream_token.as_deref(), self.upstream_expires_at_ms),
            // The API key does not expire with the OAuth token, but it is re-read on every refresh.
            Refresh::IflowApiKey => (self.upstream_token.as_deref(), self.expires_at_ms),
            Refresh::RefreshToken | Refresh::Kiro => (Some(self.access_token.as_str()), self.expires_at_ms),
        }
    }

    /// Whether the upstream token is missing or expires within the provider's lead time at `now_ms`.
    #[must_use]
    pub fn needs_refresh(&self, provider: &OAuthProvider, now_ms: u64) -> bool {
        match self.bearer(provider) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(_), Some(expires)) => expires <= now_ms.saturating_add(provider.lead_ms),
        }
    }

    /// Whether the upstream token is still valid at `now_ms` (even if inside the lead window).
    #[must_use]
    pub fn still_valid(&self, provider: &OAuthProvider, now_ms: u64) -> bool {
        match self.bearer(provider) {
            (None, _) => false,
            (Some(_), expires) => expires.is_none_or(|e| e > now_ms),
        }
    }

    /// The grant for the pipeline, if there is an upstream token.
    #[must_use]
    pub fn grant(&self, provider: &OAuthProvider) -> Option<Grant> {
        let (bearer, expires_at_ms) = self.bearer(provider);
        Some(Grant { bearer: bearer?.to_owned(), base_url: self.base_url(), expires_at_ms })
    }

    /// Qwen's `resource_url` as an API base: `https://<host>/v1` (a scheme given by the provider is kept).
    fn base_url(&self) -> Option<String> {
        let host = self.resource_url.as_deref()?.trim().trim_end_matches('/');
        if host.is_empty() {
            return None;
        }
        let base = if host.contains("://") { host.to_owned() } else { format!("https://{host}") };
        Some(if base.ends_with("/v1") { base } else { format!("{base}/v1") })
    }

    /// Credentials from an RFC 6749 token response (`access_token`, `refresh_token`, `expires_in`, plus Qwen's
    /// `resource_url`, Claude's `account.email_address`, Codex's `id_token` claims, and the camelCase answers of
    /// AWS SSO OIDC and Kiro with `profileArn`); `None` without an access token.
    #[must_use]
    pub fn from_token_response(body: &Value, now_ms: u64) -> Option<Self> {
        let access_token = str_field(body, &["access_token", "accessToken"])?;
        let (account_id, id_email) =
            str_field(body, &["id_token", "idToken"]).map_or((None, None), |t| claims::codex_identity(&t));
        Some(Self {
            access_token,
            refresh_token: str_field(body, &["refresh_token", "refreshToken"]),
            expires_at_ms: expires_in_ms(body).map(|ms| now_ms.saturating_add(ms)),
            resource_url: str_field(body, &["resource_url"]),
            email: body
                .pointer("/account/email_address")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| str_field(body, &["email"]))
                .or(id_email),
            account_id,
            profile_arn: str_field(body, &["profileArn", "profile_arn"]),
            ..Self::default()
        })
    }

    /// Applies a refresh answer: new access token and expiry; a new refresh token replaces the old one, an
    /// absent one keeps it (providers that do not rotate); Qwen may move the account to another host.
    pub fn absorb_refresh(&mut self, fresh: Self) {
        self.access_token = fresh.access_token;
        self.expires_at_ms = fresh.expires_at_ms;
        if fresh.refresh_token.is_some() {
            self.refresh_token = fresh.refresh_token;
        }
        if fresh.resource_url.is_some() {
            self.resource_url = fresh.resource_url;
        }
        if fresh.email.is_some() {
            self.email = fresh.email;
        }
        if fresh.account_id.is_some() {
            self.account_id = fresh.account_id;
        }
        if fresh.profile_arn.is_some() {
            self.profile_arn = fresh.profile_arn;
        }
    }

    /// Credentials from what a user pasted to import: a bare token, or a CLI's credentials JSON — Claude Code's
    /// `~/.claude/.credentials.json` (`claudeAiOauth.{accessToken,refreshToken,expiresAt}`), Qwen Code's
    /// `~/.qwen/oauth_creds.json` and gemini-cli's `~/.gemini/oauth_creds.json` (`access_token`, `refresh_token`,
    /// `expiry_date`, `resource_url`), Codex's `~/.codex/auth.json` (`tokens.{access_token,refresh_token,id_token,
    /// account_id}`, openai/codex `docs/authentication.md`), Copilot's `apps.json` (`oauth_token`), Kiro's
    /// `~/.aws/sso/cache/kiro-auth-token.json` (`accessToken`, `refreshToken`, `profileArn`, `region`, `expiresAt`
    /// as ISO 8601 text; for IAM Identity Center logins also `clientId`/`clientSecret` from the client file next to it).
    /// Without an expiry, a JWT access token's `exp` is used. A bare string is a refresh token, except for Copilot
    /// where it is the GitHub token itself.
    #[must_use]
    pub fn from_import(provider: &OAuthProvider, input: &Value) -> Option<Self> {
        let parsed;
        let input = match input.as_str().map(str::trim) {
            Some(text) if text.starts_with('{') => {
                parsed = serde_json::from_str::<Value>(text).ok()?;
                &parsed
            }
            Some("") => return None,
            Some(token) if provider.refresh == Refresh::CopilotExchange => {
                return Some(Self { access_token: token.to_owned(), ..Self::default() });
            }
            Some(token) => return Some(Self { refresh_token: Some(token.to_owned()), ..Self::default() }),
            None => input,
        };
        let inner = ["claudeAiOauth", "tokens"].iter().find_map(|k| input.get(k)).unwrap_or(input);
        let access =
            str_field(inner, &["accessToken", "access_token", "oauth_token"]).or_else(|| find_oauth_token(input));
        let refresh = str_field(inner, &["refreshToken", "refresh_token"]);
        if access.is_none() && refresh.is_none() {
            return None;
        }
        let kiro = provider.refresh == Refresh::Kiro;
        let access_token = access.unwrap_or_default();
        let expires_at_ms = ["expiresAt", "expires_at", "expiry_date"]
            .iter()
            .find_map(|k| match inner.get(k) {
                Some(Value::Number(n)) => n.as_f64().and_then(epoch_to_ms),
                // Kiro's file: `toISOString()` text.
                Some(Value::String(s)) => crate::transfer::iso_time::parse_ms(s).and_then(|ms| u64::try_from(ms).ok()),
                _ => None,
            })
            .or_else(|| claims::jwt_expiry_ms(&access_token));
        let (claimed_account, id_email) =
            str_field(inner, &["id_token"]).map_or((None, None), |t| claims::codex_identity(&t));
        Some(Self {
            access_token,
            refresh_token: refresh,
            expires_at_ms,
            resource_url: str_field(inner, &["resource_url"]),
            email: str_field(inner, &["email"]).or(id_email),
            account_id: str_field(inner, &["account_id"]).or(claimed_account),
            profile_arn: str_field(inner, &["profileArn", "profile_arn"]),
            region: str_field(inner, &["region"]),
            oidc_client_id: str_field(inner, &["clientId"]).filter(|_| kiro),
            oidc_client_secret: str_field(inner, &["clientSecret"]).filter(|_| kiro),
            ..Self::default()
        })
    }
}

/// The first non-empty string among `names`.
fn str_field(v: &Value, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| v.get(n).and_then(Value::as_str).filter(|s| !s.trim().is_empty()).map(str::to_owned))
}

/// Copilot's `apps.json` nests `oauth_token` under a `github.com:<app id>` key.
fn find_oauth_token(v: &Value) -> Option<String> {
    v.as_object()?.values().find_map(|inner| str_field(inner, &["oauth_token"]))
}

/// `expires_in` (AWS: `expiresIn`) seconds as ms (number or numeric string).
fn expires_in_ms(body: &Value) -> Option<u64> {
    let secs = match body.get("expires_in").or_else(|| body.get("expiresIn"))? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    seconds_to_ms(secs)
}

fn seconds_to_ms(secs: f64) -> Option<u64> {
    if secs.is_finite() && (0.0..1e10).contains(&secs) {
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "range checked")]
        Some((secs * 1000.0) as u64)
    } else {
        None
    }
}

/// An absolute time given in seconds or milliseconds since the epoch (files differ), as ms.
#[must_use]
pub fn epoch_to_ms(value: f64) -> Option<u64> {
    // Below 1e11 it cannot be milliseconds of any date after 1973.
    if value < 1e11 {
        seconds_to_ms(value)
    } else if value.is_finite() && value < 1e14 {
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "range checked")]
        Some(value as u64)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::providers::find;
    use serde_json::json;

    #[test]
    fn token_responses_and_refresh_rotation() {
        let mut c = Credentials::from_token_response(
            &json!({"access_token": "a1", "refresh_token": "r1", "expires_in": 3600, "account": {"email_address": "u@x"}}),
            1_000,
        )
        .expect("access token present");
        assert_eq!(c.expires_at_ms, Some(3_601_000));
        assert_eq!(c.email.as_deref(), Some("u@x"));
        c.absorb_refresh(
            Credentials::from_token_response(&json!({"access_token": "a2", "expires_in": 60}), 0).expect("ok"),
        );
        assert_eq!((c.access_token.as_str(), c.refresh_token.as_deref()), ("a2", Some("r1")), "old refresh kept");
        c.absorb_refresh(
            Credentials::from_token_response(&json!({"access_token": "a3", "refresh_token": "r3"}), 0).expect("ok"),
        );
        assert_eq!(c.refresh_token.as_deref(), Some("r3"), "rotated refresh stored");
        assert!(!format!("{c:?}").contains("a3"));
    }

    #[test]
    fn lead_time_decides_refresh() {
        let claude = find("claude").expect("row");
        let c = Credentials { access_token: "a".into(), expires_at_ms: Some(10 * 3_600_000), ..Credentials::default() };
        assert!(!c.needs_refresh(claude, 6 * 3_600_000 - 1), "more than 4 h left");
        assert!(c.needs_refresh(claude, 6 * 3_600_000), "4 h left: refresh");
        assert!(c.still_valid(claude, 6 * 3_600_000));
        assert!(!c.still_valid(claude, 10 * 3_600_000));
    }

    #[test]
    fn imports_cli_files_and_bare_tokens() {
        let claude = find("claude").expect("row");
        let file = json!({"claudeAiOauth": {"accessToken": "sk-ant-oat-x", "refreshToken": "sk-ant-ort-y", "expiresAt": 1_900_000_000_000_u64}});
        let c = Credentials::from_import(claude, &file).expect("claude file");
        assert_eq!((c.access_token.as_str(), c.expires_at_ms), ("sk-ant-oat-x", Some(1_900_000_000_000)));
        let c = Credentials::from_import(claude, &json!(" sk-ant-ort-y ")).expect("bare refresh token");
        assert_eq!((c.access_token.as_str(), c.refresh_token.as_deref()), ("", Some("sk-ant-ort-y")));
        let qwen = find("qwen").expect("row");
        let text =
            r#"{"access_token":"q","refresh_token":"qr","expiry_date":1900000000000,"resource_url":"portal.qwen.ai"}"#;
        let c = Credentials::from_import(qwen, &json!(text)).expect("qwen file as text");
        assert_eq!(c.grant(qwen).and_then(|g| g.base_url).as_deref(), Some("https://portal.qwen.ai/v1"));
        let github = find("github").expect("row");
        let apps = json!({"github.com:Iv1.b507a08c87ecfe98": {"user": "me", "oauth_token": "gho_x"}});
        assert_eq!(Credentials::from_import(github, &apps).map(|c| c.access_token).as_deref(), Some("gho_x"));
        assert_eq!(Credentials::from_import(github, &json!("gho_y")).map(|c| c.access_token).as_deref(), Some("gho_y"));
        assert!(Credentials::from_import(claude, &json!({"nothing": 1})).is_none());
        assert_eq!(epoch_to_ms(1_700_000_000.0), Some(1_700_000_000_000));
    }

    #[test]
    fn imports_codex_gemini_and_kiro_files() {
        let codex = find("codex").expect("row");
        let auth = json!({"OPENAI_API_KEY": null, "tokens": {"id_token": "x.y.z", "access_token": "cx-a", "refresh_token": "cx-r", "account_id": "acc-9"}});
        let c = Credentials::from_import(codex, &auth).expect("codex auth.json");
        assert_eq!((c.access_token.as_str(), c.account_id.as_deref()), ("cx-a", Some("acc-9")));
        let gemini = find("gemini-cli").expect("row");
        let creds = json!({"access_token": "g-a", "refresh_token": "g-r", "expiry_date": 1_900_000_000_000_u64});
        let c = Credentials::from_import(gemini, &creds).expect("gemini oauth_creds.json");
        assert_eq!((c.refresh_token.as_deref(), c.expires_at_ms), (Some("g-r"), Some(1_900_000_000_000)));
        let kiro = find("kiro").expect("row");
        let file = json!({"accessToken": "k-a", "refreshToken": "aorAAAAAG-r", "profileArn": "arn:p", "region": "eu-west-1",
            "expiresAt": "2030-01-01T00:00:00.000Z", "clientId": "cid", "clientSecret": "cs", "authMethod": "IdC"});
        let c = Credentials::from_import(kiro, &file).expect("kiro token file");
        assert_eq!(c.expires_at_ms, Some(1_893_456_000_000));
        assert_eq!((c.profile_arn.as_deref(), c.region.as_deref()), (Some("arn:p"), Some("eu-west-1")));
        assert_eq!((c.oidc_client_id.as_deref(), c.oidc_client_secret.as_deref()), (Some("cid"), Some("cs")));
        let c = Credentials::from_import(gemini, &file).expect("any provider reads the tokens");
        assert_eq!(c.oidc_client_id, None, "OIDC clients are Kiro's only");
        let aws = json!({"accessToken": "k2", "refreshToken": "r2", "expiresIn": 3600, "profileArn": "arn:q"});
        let c = Credentials::from_token_response(&aws, 1_000).expect("camelCase answer");
        assert_eq!((c.expires_at_ms, c.profile_arn.as_deref()), (Some(3_601_000), Some("arn:q")));
    }
}
