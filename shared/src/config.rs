//! Runtime configuration, read from the environment by each platform through a lookup function (the core never
//! reads environment variables itself).

/// The seed's default session secret; refused in production.
pub const DEFAULT_JWT_SECRET: &str = "9router-default-jwt-secret-change-me";
/// The seed's default first-run dashboard password.
pub const DEFAULT_INITIAL_PASSWORD: &str = "123456";

/// Development fallback for `TOKEN_ENCRYPTION_KEY` (publicly known, so refused in production). The native
/// server never uses it: it creates a random key file in its data directory instead.
pub const DEFAULT_TOKEN_ENCRYPTION_KEY: &str = "9router-development-token-key-change-me";

/// Configuration shared by both targets.
#[derive(Clone)]
pub struct Config {
    /// HS256 secret for dashboard session tokens.
    pub jwt_secret: String,
    /// Dashboard password until one is set.
    pub initial_password: String,
    /// `NODE_ENV=production` (or `PRODUCTION=true`): stricter start-up checks.
    pub production: bool,
    /// How long an upstream may stay silent (before its headers, before its first event, between events)
    /// before the attempt is abandoned (`UPSTREAM_IDLE_TIMEOUT_MS`, default 120 s).
    pub upstream_idle_timeout_ms: u64,
    /// Refuse `/v1/*` requests without a valid client key whatever the `require_api_key` setting says. The native
    /// CLI sets it when it binds a non-loopback address; it is never read from the environment.
    pub api_key_always_required: bool,
    /// Secret from which the key sealing OAuth tokens at rest is derived (`TOKEN_ENCRYPTION_KEY`).
    pub token_encryption_key: String,
    /// `PROVIDER_URL_OVERRIDES`: provider URL prefix → replacement (tests, private gateways).
    pub url_overrides: crate::oauth::urls::UrlOverrides,
    /// Largest request body accepted, bytes (`MAX_BODY_MB`, default 50: Claude Code sends multi-megabyte
    /// requests with images).
    pub max_body_bytes: usize,
}

/// Default for [`Config::max_body_bytes`], in MB.
pub const DEFAULT_MAX_BODY_MB: usize = 50;

/// Default for [`Config::upstream_idle_timeout_ms`].
pub const DEFAULT_UPSTREAM_IDLE_TIMEOUT_MS: u64 = 120_000;

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("jwt_secret", &"<redacted>")
            .field("initial_password", &"<redacted>")
            .field("production", &self.production)
            .field("upstream_idle_timeout_ms", &self.upstream_idle_timeout_ms)
            .field("api_key_always_required", &self.api_key_always_required)
            .field("token_encryption_key", &"<redacted>")
            .field("url_overrides", &self.url_overrides)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

/// A configuration the router must not start with.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Production with the publicly known default secret.
    #[error("JWT_SECRET must be set to a private value when NODE_ENV=production")]
    DefaultSecretInProduction,
    /// Production without a private token encryption key.
    #[error("TOKEN_ENCRYPTION_KEY must be set to a private value when NODE_ENV=production")]
    DefaultTokenKeyInProduction,
    /// `MAX_BODY_MB` is not a whole number of megabytes between 1 and 1024.
    #[error("MAX_BODY_MB must be a whole number of megabytes between 1 and 1024")]
    BadMaxBody,
    /// `PROVIDER_URL_OVERRIDES` is not a JSON object of strings.
    #[error("PROVIDER_URL_OVERRIDES must be a JSON object mapping URL prefixes to replacement URLs")]
    BadUrlOverrides,
}

impl Config {
    /// The cipher sealing OAuth tokens at rest.
    #[must_use]
    pub fn token_cipher(&self) -> crate::oauth::TokenCipher {
        crate::oauth::TokenCipher::from_secret(&self.token_encryption_key)
    }

    /// Builds the configuration from `lookup` (an environment variable reader).
    ///
    /// # Errors
    /// [`ConfigError`] when production runs with the default `JWT_SECRET`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let non_empty = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let production = non_empty("NODE_ENV").is_some_and(|v| v.eq_ignore_ascii_case("production"))
            || non_empty("PRODUCTION").is_some_and(|v| v == "true" || v == "1");
        let jwt_secret = non_empty("JWT_SECRET").unwrap_or_else(|| DEFAULT_JWT_SECRET.to_owned());
        if production && jwt_secret == DEFAULT_JWT_SECRET {
            return Err(ConfigError::DefaultSecretInProduction);
        }
        let token_encryption_key =
            non_empty("TOKEN_ENCRYPTION_KEY").unwrap_or_else(|| DEFAULT_TOKEN_ENCRYPTION_KEY.to_owned());
        if production && token_encryption_key == DEFAULT_TOKEN_ENCRYPTION_KEY {
            return Err(ConfigError::DefaultTokenKeyInProduction);
        }
        let url_overrides = match non_empty("PROVIDER_URL_OVERRIDES") {
            Some(json) => crate::oauth::urls::UrlOverrides::parse(&json).ok_or(ConfigError::BadUrlOverrides)?,
            None => crate::oauth::urls::UrlOverrides::default(),
        };
        let max_body_mb = match non_empty("MAX_BODY_MB") {
            Some(mb) => {
                mb.trim().parse::<usize>().ok().filter(|mb| (1..=1024).contains(mb)).ok_or(ConfigError::BadMaxBody)?
            }
            None => DEFAULT_MAX_BODY_MB,
        };
        Ok(Self {
            max_body_bytes: max_body_mb * 1024 * 1024,
            token_encryption_key,
            url_overrides,
            jwt_secret,
            initial_password: non_empty("INITIAL_PASSWORD").unwrap_or_else(|| DEFAULT_INITIAL_PASSWORD.to_owned()),
            production,
            upstream_idle_timeout_ms: non_empty("UPSTREAM_IDLE_TIMEOUT_MS")
                .and_then(|v| v.trim().parse().ok())
                .filter(|ms| *ms > 0)
                .unwrap_or(DEFAULT_UPSTREAM_IDLE_TIMEOUT_MS),
            api_key_always_required: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_outside_production() {
        let c = Config::from_lookup(|_| None).expect("defaults are fine in development");
        assert_eq!(c.initial_password, "123456");
        assert_eq!(c.jwt_secret, DEFAULT_JWT_SECRET);
        assert_eq!(c.max_body_bytes, 50 * 1024 * 1024);
        assert!(!format!("{c:?}").contains(DEFAULT_JWT_SECRET), "Debug must not print secrets");
    }

    #[test]
    fn the_body_limit_is_configurable_and_checked() {
        let with = |v: &'static str| Config::from_lookup(move |k: &str| (k == "MAX_BODY_MB").then(|| v.to_owned()));
        assert_eq!(with("2").expect("2 MB is fine").max_body_bytes, 2 * 1024 * 1024);
        for bad in ["0", "-1", "1.5", "lots", "5000"] {
            assert!(matches!(with(bad), Err(ConfigError::BadMaxBody)), "{bad}");
        }
    }

    #[test]
    fn production_refuses_the_default_secret() {
        let env = |k: &str| (k == "NODE_ENV").then(|| "production".to_owned());
        assert!(Config::from_lookup(env).is_err());
        let env = |k: &str| match k {
            "NODE_ENV" => Some("production".to_owned()),
            "JWT_SECRET" => Some("s3cret".to_owned()),
            "TOKEN_ENCRYPTION_KEY" => Some("k3y".to_owned()),
            _ => None,
        };
        assert!(Config::from_lookup(env).expect("secret set").production);
        let no_token_key = |k: &str| match k {
            "NODE_ENV" => Some("production".to_owned()),
            "JWT_SECRET" => Some("s3cret".to_owned()),
            _ => None,
        };
        assert!(matches!(Config::from_lookup(no_token_key), Err(ConfigError::DefaultTokenKeyInProduction)));
    }
}
