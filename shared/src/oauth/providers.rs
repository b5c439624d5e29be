//! The OAuth table: how each OAuth provider logs in and refreshes, keyed by the provider id of
//! [`crate::providers::PROVIDERS`]. A provider listed here is an OAuth provider; every other one takes an API key.
//!
//! Client ids are the public values shipped inside the official CLIs/IDEs (not secrets). Sources per row; the
//! facts were collected in the project's provider notes from decolua/9router (`src/lib/oauth/constants/oauth.js`,
//! `open-sse/services/tokenRefresh.js`) and router-for-me/CLIProxyAPI (`internal/auth/*`).
//!
//! Adding an OAuth provider: add a row; if its token endpoint speaks something other than RFC 6749 JSON/form, add
//! a [`Refresh`] variant and handle it in `exchange.rs`; put request rewriting in `providers/quirks/`.

use serde::Serialize;

/// A way to connect an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowKind {
    /// Authorization code + PKCE (S256), the code pasted back by the user.
    AuthCode,
    /// RFC 8628 device authorization.
    DeviceCode,
    /// A refresh token or the CLI's own credentials file.
    Import,
}

/// How a token endpoint wants its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyStyle {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

/// What "refresh" means for a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// RFC 6749 §6 `grant_type=refresh_token` at the token URL.
    RefreshToken,
    /// GitHub Copilot: the long-lived GitHub token is exchanged for a short-lived Copilot token at
    /// [`OAuthProvider::exchange_url`]; a GitHub refresh token, when one exists, renews the GitHub token first.
    CopilotExchange,
    /// iFlow: an RFC 6749 refresh, then the account's API key (what chat requests carry) is read again from
    /// [`OAuthProvider::exchange_url`] (`getUserInfo?accessToken=…`).
    IflowApiKey,
    /// Kiro: AWS SSO OIDC `CreateToken` (camelCase JSON with the client registered at login) for Builder ID /
    /// IAM Identity Center accounts, or Kiro's own `refreshToken` endpoint ([`OAuthProvider::exchange_url`]) for
    /// social logins and imported IDE tokens (see `oauth/kiro.rs`).
    Kiro,
}

/// One OAuth provider.
#[derive(Debug, Clone, Copy)]
pub struct OAuthProvider {
    /// Provider id (row of the provider table).
    pub id: &'static str,
    /// Flows offered, preferred first.
    pub flows: &'static [FlowKind],
    /// Authorization endpoint (auth code flows).
    pub authorize_url: &'static str,
    /// Extra query parameters of the authorization request.
    pub authorize_params: &'static [(&'static str, &'static str)],
    /// Redirect URI registered for the public client (the page that shows the code to paste back).
    pub redirect_uri: &'static str,
    /// Name of the authorize parameter carrying the redirect URI (`redirect_uri`; iFlow says `redirect`).
    pub redirect_param: &'static str,
    /// Whether the authorization request carries a PKCE challenge.
    pub pkce: bool,
    /// Whether the code exchange also sends `state` in its body (Claude).
    pub exchange_state: bool,
    /// Token endpoint (code exchange, device polling, refresh).
    pub token_url: &'static str,
    /// Device authorization endpoint (device flows).
    pub device_url: &'static str,
    /// Whether the device request carries a PKCE challenge (Qwen).
    pub device_pkce: bool,
    /// Copilot token exchange endpoint ([`Refresh::CopilotExchange`]).
    pub exchange_url: &'static str,
    /// Public client id.
    pub client_id: &'static str,
    /// Client secret shipped in the official client (`""`: none). Sent in token requests.
    pub client_secret: &'static str,
    /// Whether token requests also authenticate the client with HTTP Basic (`client_id:client_secret`).
    pub basic_auth: bool,
    /// Scopes (space-separated).
    pub scopes: &'static str,
    /// Body encoding of token requests.
    pub body: BodyStyle,
    /// What refreshing does.
    pub refresh: Refresh,
    /// Refresh this long before the upstream token expires (each provider's own window).
    pub lead_ms: u64,
    /// Headers every token/exchange request carries.
    pub token_headers: &'static [(&'static str, &'static str)],
    /// Shown by the dashboard before connecting (vendor terms, discontinued tiers); never hidden.
    pub notice: Option<&'static str>,
}

const MINUTE: u64 = 60 * 1000;
const HOUR: u64 = 60 * MINUTE;

/// Copilot editor identity, shared by the token exchange and chat requests (9router `open-sse/config/appConstants.js`).
pub const COPILOT_EDITOR_HEADERS: &[(&str, &str)] = &[
    ("user-agent", "GitHubCopilotChat/0.38.0"),
    ("editor-version", "vscode/1.110.0"),
    ("editor-plugin-version", "copilot-chat/0.38.0"),
    ("x-github-api-version", "2025-04-01"),
];

/// Every OAuth provider.
pub static OAUTH_PROVIDERS: &[OAuthProvider] = &[
    // Claude Code. Authorize/client id/scopes/code#state paste-back: 9router `src/lib/oauth/constants/oauth.js`,
    // CLIProxyAPI `internal/auth/claude/anthropic_auth.go`; manual-paste redirect page
    // `https://console.anthropic.com/oauth/code/callback` (Claude Code's own manual flow, seen in several public
    // re-implementations). Token URL: CLIProxyAPI 2026-08 uses platform.claude.com (9router:
    // api.anthropic.com/v1/oauth/token; older clients console.anthropic.com) — overridable. JSON bodies.
    // Lead 4 h (9router tokenRefresh.js).
    OAuthProvider {
        id: "claude",
        flows: &[FlowKind::AuthCode, FlowKind::Import],
        authorize_url: "https://claude.ai/oauth/authorize",
        authorize_params: &[("code", "true")],
        redirect_uri: "https://console.anthropic.com/oauth/code/callback",
        redirect_param: "redirect_uri",
        pkce: true,
        exchange_state: true,
        token_url: "https://platform.claude.com/v1/oauth/token",
        device_url: "",
        device_pkce: false,
        exchange_url: "",
        client_id: "9d1c250a-e61b-44d9-88ed-5944d1962f5e",
        client_secret: "",
        basic_auth: false,
        scopes: "org:create_api_key user:profile user:inference",
        body: BodyStyle::Json,
        refresh: Refresh::RefreshToken,
        lead_ms: 4 * HOUR,
        token_headers: &[],
        notice: Some(
            "Claude subscription (Pro/Max) tokens are meant for Claude Code. Anthropic's terms restrict their use \
             by third-party tools; requests are sent with Claude Code's identity. Use at your own risk.",
        ),
    },
    // GitHub Copilot: GitHub device flow with the VS Code Copilot app's client id, then the Copilot token
    // exchange (9router `src/lib/oauth/providers.js`, `open-sse/executors/github.js`). Form bodies,
    // `Accept: application/json`. The Copilot token is refreshed 5 min before its `expires_at`.
    OAuthProvider {
        id: "github",
        flows: &[FlowKind::DeviceCode, FlowKind::Import],
        authorize_url: "",
        authorize_params: &[],
        redirect_uri: "",
        redirect_param: "redirect_uri",
        pkce: false,
        exchange_state: false,
        token_url: "https://github.com/login/oauth/access_token",
        device_url: "https://github.com/login/device/code",
        device_pkce: false,
        exchange_url: "https://api.github.com/copilot_internal/v2/token",
        client_id: "Iv1.b507a08c87ecfe98",
        client_secret: "",
        basic_auth: false,
        scopes: "read:user",
        body: BodyStyle::Form,
        refresh: Refresh::CopilotExchange,
        lead_ms: 5 * MINUTE,
        token_headers: &[],
        notice: Some("Requires an active GitHub Copilot subscription; requests are sent with VS Code's identity."),
    },
    // Qwen Code: device code + PKCE (9router `src/lib/oauth/providers.js`; CLIProxyAPI before 8fac29631
    // `internal/auth/qwen/qwen_auth.go`). Form bodies; the token response names a per-account `resource_url`.
    // Lead 20 min (9router tokenRefresh.js).
    OAuthProvider {
        id: "qwen",
        flows: &[FlowKind::DeviceCode, FlowKind::Import],
        authorize_url: "",
        authorize_params: &[],
        redirect_uri: "",
        redirect_param: "redirect_uri",
        pkce: false,
        exchange_state: false,
        token_url: "https://chat.qwen.ai/api/v1/oauth2/token",
        device_url: "https://chat.qwen.ai/api/v1/oauth2/device/code",
        device_pkce: true,
        exchange_url: "",
        client_id: "f0304373b74a44d2b584a3fb70ca9e56",
        client_secret: "",
        basic_auth: false,
        scopes: "openid profile email model.completion",
        body: BodyStyle::Form,
        refresh: Refresh::RefreshToken,
        lead_ms: 20 * MINUTE,
        token_headers: &[],
        notice: Some("Alibaba discontinued the free Qwen Code OAuth tier on 2026-04-15 (9router README)."),
    },
    // iFlow: authorization code with HTTP Basic client authentication (no PKCE; the redirect travels in a
    // `redirect` parameter), then the account's API key from getUserInfo — chat requests carry the API key, not
    // the OAuth token (9router `src/lib/oauth/providers.js`, `open-sse/executors/iflow.js`; CLIProxyAPI before
    // f5dc6483d `internal/auth/iflow/iflow_auth.go`). Redirect: CLIProxyAPI's fixed localhost callback (the user
    // pastes the URL the browser ends on). Lead 24 h (9router tokenRefresh.js).
    OAuthProvider {
        id: "iflow",
        flows: &[FlowKind::AuthCode, FlowKind::Import],
        authorize_url: "https://iflow.cn/oauth",
        authorize_params: &[("loginMethod", "phone"), ("type", "phone")],
        redirect_uri: "http://localhost:11451/oauth2callback",
        redirect_param: "redirect",
        pkce: false,
        exchange_state: false,
        token_url: "https://iflow.cn/oauth/token",
        device_url: "",
        device_pkce: false,
        exchange_url: "https://iflow.cn/api/oauth/getUserInfo",
        client_id: "10009311001",
        client_secret: "4Z3YjXycVsQvyGF1etiNlIBB4RsqSDtW",
        basic_auth: true,
        scopes: "",
        body: BodyStyle::Form,
        refresh: Refresh::IflowApiKey,
        lead_ms: 24 * HOUR,
        token_headers: &[],
        notice: Some("iFlow moved from a free tier to paid plans in 2026 (9router README)."),
    },
    // OpenAI Codex: authorization code + PKCE against auth.openai.com with Codex CLI's public client and its fixed
    // localhost redirect (the user pastes the URL the browser ends on); form bodies; the id token's
    // `https://api.openai.com/auth.chatgpt_account_id` claim becomes the connection's `chatgpt_account_id`
    // (notes/providers.md "cx — Auth"; 9router `src/lib/oauth/constants/oauth.js`, CLIProxyAPI
    // `internal/auth/codex/openai_auth.go`, `jwt_parser.go`). The refresh token rotates. Lead 5 days (9router
    // tokenRefresh.js; Codex access tokens live for days).
    OAuthProvider {
        id: "codex",
        flows: &[FlowKind::AuthCode, FlowKind::Import],
        authorize_url: "https://auth.openai.com/oauth/authorize",
        authorize_params: &[
            ("id_token_add_organizations", "true"),
            ("codex_cli_simplified_flow", "true"),
            ("originator", "codex_cli_rs"),
        ],
        redirect_uri: "http://localhost:1455/auth/callback",
        redirect_param: "redirect_uri",
        pkce: true,
        exchange_state: false,
        token_url: "https://auth.openai.com/oauth/token",
        device_url: "",
        device_pkce: false,
        exchange_url: "",
        client_id: "app_EMoamEEZ73f0CkXaXp7hrann",
        client_secret: "",
        basic_auth: false,
        scopes: "openid profile email offline_access",
        body: BodyStyle::Form,
        refresh: Refresh::RefreshToken,
        lead_ms: 5 * 24 * HOUR,
        token_headers: &[],
        notice: Some(
            "Needs a ChatGPT plan (Plus/Pro/Team). The ChatGPT login is meant for OpenAI's Codex clients; requests \
             are sent with Codex CLI's identity. Use at your own risk.",
        ),
    },
    // Gemini CLI: Google installed-app OAuth with gemini-cli's public client id/secret, authorization code + PKCE
    // with gemini-cli's own manual ("no browser") redirect page, which shows the code to paste back
    // (google-gemini/gemini-cli `packages/core/src/code_assist/oauth2.ts` authWithUserCode; notes/providers.md
    // "gc — Auth"). `access_type=offline` + `prompt=consent` make Google issue a refresh token; Google does not
    // rotate it. After login, Code Assist project discovery (`oauth/code_assist.rs`). Lead 5 min (9router default).
    OAuthProvider {
        id: "gemini-cli",
        flows: &[FlowKind::AuthCode, FlowKind::Import],
        authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
        authorize_params: &[("access_type", "offline"), ("prompt", "consent")],
        redirect_uri: "https://codeassist.google.com/authcode",
        redirect_param: "redirect_uri",
        pkce: true,
        exchange_state: false,
        token_url: "https://oauth2.googleapis.com/token",
        device_url: "",
        device_pkce: false,
        exchange_url: "",
        client_id: "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com",
        client_secret: "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",
        basic_auth: false,
        scopes: "https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email \
                 https://www.googleapis.com/auth/userinfo.profile",
        body: BodyStyle::Form,
        refresh: Refresh::RefreshToken,
        lead_ms: 5 * MINUTE,
        token_headers: &[],
        notice: Some(
            "Google cut back the free Gemini CLI tier in 2026, and using Gemini CLI's login from other tools may get \
             the account banned (9router README). Use at your own risk.",
        ),
    },
    // Antigravity: the same Google flow with Antigravity's public client id/secret and scopes, redirected to the
    // fixed localhost callback CLIProxyAPI uses (`internal/auth/antigravity/constants.go`; notes/providers.md
    // "ag — Auth"): the browser fails to load it and the user pastes that URL. Then Code Assist discovery.
    // Lead 5 min (9router tokenRefresh.js).
    OAuthProvider {
        id: "antigravity",
        flows: &[FlowKind::AuthCode, FlowKind::Import],
        authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
        authorize_params: &[("access_type", "offline"), ("prompt", "consent")],
        redirect_uri: "http://localhost:51121/oauth-callback",
        redirect_param: "redirect_uri",
        pkce: true,
        exchange_state: false,
        token_url: "https://oauth2.googleapis.com/token",
        device_url: "",
        device_pkce: false,
        exchange_url: "",
        client_id: "1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com",
        client_secret: "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",
        basic_auth: false,
        scopes: "https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email \
                 https://www.googleapis.com/auth/userinfo.profile https://www.googleapis.com/auth/cclog \
                 https://www.googleapis.com/auth/experimentsandconfigs",
        body: BodyStyle::Form,
        refresh: Refresh::RefreshToken,
        lead_ms: 5 * MINUTE,
        token_headers: &[],
        notice: Some(
            "Antigravity's login belongs to Google's Antigravity IDE; requests are sent with its identity, which \
             Google's terms may not allow for other tools. Use at your own risk.",
        ),
    },
    // Kiro: AWS Builder ID through AWS SSO OIDC (register a public client, device authorization, CreateToken;
    // camelCase JSON, region us-east-1, start URL view.awsapps.com/start), or import of the Kiro IDE's
    // `~/.aws/sso/cache/kiro-auth-token.json` / a bare refresh token (notes/providers.md "kr — Auth", from
    // 9router `src/lib/oauth/services/kiro.js`). Refresh: `oauth/kiro.rs`. Lead 5 min (9router default).
    OAuthProvider {
        id: "kiro",
        flows: &[FlowKind::DeviceCode, FlowKind::Import],
        authorize_url: "",
        authorize_params: &[],
        redirect_uri: "",
        redirect_param: "redirect_uri",
        pkce: false,
        exchange_state: false,
        token_url: "https://oidc.us-east-1.amazonaws.com/token",
        device_url: "https://oidc.us-east-1.amazonaws.com/device_authorization",
        device_pkce: false,
        exchange_url: "https://prod.us-east-1.auth.desktop.kiro.dev/refreshToken",
        client_id: "",
        client_secret: "",
        basic_auth: false,
        scopes: "codewhisperer:completions codewhisperer:analysis codewhisperer:conversations",
        body: BodyStyle::Json,
        refresh: Refresh::Kiro,
        lead_ms: 5 * MINUTE,
        token_headers: &[],
        notice: Some(
            "Uses an AWS Builder ID (or Kiro IDE) login; requests are sent with the Kiro IDE's identity, which AWS's \
             terms may not allow for other tools.",
        ),
    },
];

/// The OAuth row of provider `id` (a provider-table id, not an alias).
#[must_use]
pub fn find(id: &str) -> Option<&'static OAuthProvider> {
    OAUTH_PROVIDERS.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_oauth_row_names_a_provider_of_the_table() {
        for row in OAUTH_PROVIDERS {
            assert!(crate::providers::find(row.id).is_some_and(|p| p.id == row.id), "{} is not in the table", row.id);
            assert!(!row.flows.is_empty());
            if row.flows.contains(&FlowKind::AuthCode) {
                assert!(!row.authorize_url.is_empty() && !row.redirect_uri.is_empty());
            }
            if row.flows.contains(&FlowKind::DeviceCode) {
                assert!(!row.device_url.is_empty());
            }
        }
    }
}
