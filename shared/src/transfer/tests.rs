//! The mapping of every entity of the seed's `db.json`, the report of what is not imported, and (natively, over
//! real SQLite) idempotent apply and the export → import round trip.

use serde_json::{json, Value};

use super::*;
use crate::auth::client_keys::hash_key;

const FIXTURE: &str = include_str!("../../../tests/fixtures/9router-db.json");
const NOW: i64 = 1_750_000_000_000;

fn fixture() -> Value {
    serde_json::from_str(FIXTURE).expect("fixture is JSON")
}

fn has_line(plan: &ImportPlan, parts: &[&str]) -> bool {
    plan.not_imported.iter().any(|line| parts.iter().all(|p| line.contains(p)))
}

#[test]
fn maps_connections_keys_combos_aliases_and_settings() {
    let plan = plan_import(&fixture(), NOW).expect("plan");
    let openai = plan.connections.iter().find(|c| c.name == "work").expect("openai connection");
    assert_eq!(openai.id, "0b8f3c1e-5a7d-4e21-9c3b-2f6d8e9a1b01");
    assert_eq!((openai.provider.as_str(), openai.auth_type.as_str()), ("openai", "api_key"));
    assert_eq!(openai.api_key.as_deref(), Some("sk-fake-openai-import-0001"));
    assert_eq!(openai.base_url.as_deref(), Some("http://127.0.0.1:9/v1"));
    assert_eq!((openai.priority, openai.enabled), (1, true));
    assert_eq!(openai.created_at, iso_time::parse_ms("2025-06-01T10:00:00.000Z").expect("date"));
    let anthropic = plan.connections.iter().find(|c| c.name == "personal").expect("anthropic connection");
    assert!(!anthropic.enabled, "isActive: false carries over");

    assert_eq!(plan.api_keys.len(), 2);
    let (laptop, hash) = &plan.api_keys[0];
    assert_eq!(
        (laptop.id.as_str(), laptop.name.as_str(), laptop.enabled),
        ("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b01", "laptop", true)
    );
    assert_eq!(hash, &hash_key("sk-0123456789abcdef-fk01ab-3c"), "stored as our SHA-256 form");
    assert!(!laptop.key_prefix.contains("fk01ab"), "the display prefix does not reveal the key");
    assert!(!plan.api_keys[1].0.enabled);

    assert_eq!(plan.combos.len(), 1);
    assert_eq!(plan.combos[0].name, "coding");
    assert_eq!(plan.combos[0].models, vec!["anthropic/claude-sonnet-4-20250514", "openai/gpt-4o"]);
    let mut aliases: Vec<(&str, &str)> = plan.aliases.iter().map(|a| (a.alias.as_str(), a.target.as_str())).collect();
    aliases.sort_unstable();
    assert_eq!(aliases, vec![("fast", "openai/gpt-4o-mini"), ("smart", "anthropic/claude-sonnet-4-20250514")]);

    assert_eq!(plan.settings.get("routing_strategy"), Some(&json!("round-robin")));
    assert_eq!(plan.settings.get("sticky_round_robin_limit"), Some(&json!(3)));
    assert_eq!(plan.settings.get("require_api_key"), Some(&json!(true)));
}

#[test]
fn provider_nodes_become_custom_providers_with_their_connections() {
    let plan = plan_import(&fixture(), NOW).expect("plan");
    let node = plan.custom_providers.first().expect("the node is planned");
    assert_eq!(
        (node.id.as_str(), node.prefix.as_str(), node.name.as_str()),
        ("openai-compatible-chat-7f3a", "local", "Local LLM")
    );
    assert_eq!(node.format, crate::providers::CustomFormat::Openai);
    assert_eq!(node.base_url, "http://127.0.0.1:9/local/v1");
    let team = plan.custom_providers.get(1).expect("the Anthropic-compatible node is planned");
    assert_eq!((team.prefix.as_str(), team.format), ("teamclaude", crate::providers::CustomFormat::Anthropic));
    let connection = plan.connections.iter().find(|c| c.provider == node.id).expect("its connection is planned");
    assert_eq!(connection.auth_type, "api_key");
    assert_eq!(connection.api_key.as_deref(), Some("sk-fake-node-0004"));
    let bad = json!({ "providerNodes": [
        { "id": "n1", "type": "openai-compatible", "name": "Clash", "prefix": "openai", "baseUrl": "http://x" },
        { "id": "n2", "type": "custom-embedding", "name": "Emb", "prefix": "emb", "baseUrl": "http://x" },
        { "id": "n3", "type": "anthropic-compatible", "name": "Ftp", "prefix": "ftp", "baseUrl": "ftp://x" },
    ]});
    let plan = plan_import(&bad, NOW).expect("plan");
    assert!(plan.custom_providers.is_empty());
    assert!(has_line(&plan, &["Clash", "built-in"]) && has_line(&plan, &["Emb", "custom-embedding"]));
    assert!(has_line(&plan, &["Ftp", "http(s)"]));
}

#[test]
fn reports_everything_not_imported_without_secret_values() {
    let plan = plan_import(&fixture(), NOW).expect("plan");
    assert!(has_line(&plan, &["work", "testStatus", "lastTested"]), "{:#?}", plan.not_imported);
    assert!(has_line(&plan, &["personal", "rateLimitedUntil", "consecutiveUseCount"]));
    assert!(has_line(&plan, &["apiKeys[0]", "machineId"]));
    assert!(!has_line(&plan, &["providerNodes"]), "custom provider nodes are imported: {:#?}", plan.not_imported);
    assert!(has_line(&plan, &["`pricing`"]));
    assert!(has_line(&plan, &["settings", "cloudEnabled", "requireLogin", "comboStrategy", "observabilityEnabled"]));
    assert!(!has_line(&plan, &["proxyPools"]), "empty collections have nothing to report");
    // The seed's OAuth Claude account: unsupported provider here, or imported disabled without its tokens.
    match plan.connections.iter().find(|c| c.auth_type == "oauth") {
        Some(oauth) => {
            assert!(oauth.enabled && oauth.api_key.is_none(), "usable tokens: imported enabled");
            let (id, credentials) = plan.oauth_tokens.first().expect("tokens planned");
            assert_eq!(id, &oauth.id);
            assert_eq!(credentials.access_token, "fake-oauth-access-token-0003");
            assert_eq!(credentials.refresh_token.as_deref(), Some("fake-oauth-refresh-token-0003"));
            assert_eq!(credentials.expires_at_ms, Some(1_749_052_800_000));
            assert!(!has_line(&plan, &["accessToken"]), "token fields are imported, not reported");
        }
        None => assert!(has_line(&plan, &["providerConnections[2]", "claude"])),
    }
    let report = plan.not_imported.join("\n");
    for secret in ["fake-oauth-access-token-0003", "sk-fake-node-0004", "sk-ant-fake-node-0005", "sk-0123456789abcdef"]
    {
        assert!(!report.contains(secret), "report leaks {secret}");
    }
}

#[test]
fn oauth_accounts_are_imported_disabled_and_unknown_fields_reported() {
    let db = json!({
        "providerConnections": [{ "id": "o1", "provider": "anthropic", "authType": "oauth", "email": "a@b.c",
            "accessToken": "tok", "refreshToken": "ref", "isActive": true, "shinyNewField": 1 }],
        "apiKeys": [{ "id": "k1", "name": "no secret" }],
        "combos": [{ "name": "empty", "models": [] }],
        "modelAliases": { "x": 3 },
        "settings": { "fallbackStrategy": "random" },
        "somethingElse": [1],
    });
    let plan = plan_import(&db, NOW).expect("plan");
    let oauth = &plan.connections[0];
    assert_eq!((oauth.auth_type.as_str(), oauth.enabled, oauth.name.as_str()), ("oauth", false, "a@b.c"));
    assert!(oauth.api_key.is_none());
    assert!(has_line(&plan, &["OAuth tokens not usable here"]));
    assert!(plan.oauth_tokens.is_empty());
    assert!(has_line(&plan, &["accessToken", "refreshToken", "shinyNewField"]));
    assert!(has_line(&plan, &["apiKeys[0]", "no `key`"]));
    assert!(has_line(&plan, &["combos[0]", "no models"]));
    assert!(has_line(&plan, &["modelAliases[\"x\"]"]));
    assert!(has_line(&plan, &["settings.fallbackStrategy", "unsupported value"]));
    assert!(has_line(&plan, &["`somethingElse`", "unknown"]));
    assert!(plan.api_keys.is_empty() && plan.combos.is_empty() && plan.aliases.is_empty() && plan.settings.is_empty());
    assert!(plan_import(&json!([1]), NOW).is_err(), "a top-level array is not a db.json");
}

#[cfg(feature = "native")]
mod native {
    use std::sync::Arc;

    use super::*;
    use crate::store::Repository;

    fn repo(name: &str) -> (Repository, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("9router-transfer-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = crate::native::open_database(&dir).expect("open");
        (Repository::new(Arc::new(db)), dir)
    }

    #[tokio::test]
    async fn import_is_idempotent_and_export_round_trips() {
        let (first, dir_a) = repo("a");
        let plan = plan_import(&fixture(), NOW).expect("plan");
        let cipher = crate::oauth::TokenCipher::from_secret("transfer-test-key");
        let random = crate::native::OsRandom;
        let applied = apply_import(&first, &plan, &cipher, &random, NOW).await.expect("apply");
        assert!(applied.counts.iter().all(|(_, _, existing)| *existing == 0), "{applied:?}");
        let again = apply_import(&first, &plan, &cipher, &random, NOW).await.expect("apply twice");
        assert!(
            again.counts.iter().all(|(what, created, _)| *created == 0 || *what == "OAuth token sets"),
            "second import creates nothing: {again:?}"
        );
        assert_eq!(first.list_connections().await.expect("list").len(), plan.connections.len());
        assert_eq!(first.list_api_keys().await.expect("keys").len(), 2);
        assert_eq!(first.list_combos().await.expect("combos").len(), 1);
        assert_eq!(first.list_aliases().await.expect("aliases").len(), 2);
        let key = first.api_key_by_hash(&hash_key("sk-0123456789abcdef-fk01ab-3c")).await.expect("lookup");
        assert_eq!(key.map(|k| k.name), Some("laptop".to_owned()), "the seed's key string still works");

        let (without, _) = export(&first, false, &cipher).await.expect("export");
        let text = without.to_string();
        assert!(!text.contains("sk-fake-openai-import-0001") && !text.contains("keyHash"), "no secrets by default");

        let (exported, _) = export(&first, true, &cipher).await.expect("export with secrets");
        let (second, dir_b) = repo("b");
        let replan = plan_import(&exported, NOW).expect("re-plan");
        assert!(replan.not_imported.is_empty(), "our own export imports completely: {:#?}", replan.not_imported);
        apply_import(&second, &replan, &cipher, &random, NOW).await.expect("apply export");
        for c in first.list_connections().await.expect("list").iter().filter(|c| c.auth_type == "oauth") {
            let sealed = |t: Option<crate::store::StoredTokens>| t.and_then(|t| cipher.open(&t.sealed).ok());
            let a = sealed(first.oauth_tokens(&c.id).await.expect("a"));
            assert!(a.is_some(), "tokens stored sealed");
            assert_eq!(sealed(second.oauth_tokens(&c.id).await.expect("b")), a, "OAuth tokens round-trip");
        }
        assert_eq!(second.list_connections().await.expect("a"), first.list_connections().await.expect("b"));
        assert_eq!(second.list_api_keys().await.expect("a"), first.list_api_keys().await.expect("b"));
        assert_eq!(second.list_combos().await.expect("a"), first.list_combos().await.expect("b"));
        let targets =
            |aliases: Vec<crate::store::Alias>| aliases.into_iter().map(|a| (a.alias, a.target)).collect::<Vec<_>>();
        assert_eq!(targets(second.list_aliases().await.expect("a")), targets(first.list_aliases().await.expect("b")));
        assert_eq!(second.settings().await.expect("a"), first.settings().await.expect("b"));
        let _ = std::fs::remove_dir_all(dir_a);
        let _ = std::fs::remove_dir_all(dir_b);
    }
}

#[test]
fn keeps_google_projects_and_kiro_account_facts() {
    let seed = json!({"providerConnections": [
        {"id": "g1", "provider": "gemini-cli", "authType": "oauth", "name": "g", "accessToken": "ga", "refreshToken": "gr",
         "expiresAt": "2030-01-01T00:00:00.000Z", "projectId": "proj-7"},
        {"id": "k1", "provider": "kiro", "authType": "oauth", "name": "k", "accessToken": "ka", "refreshToken": "kr",
         "providerSpecificData": {"profileArn": "arn:aws:codewhisperer:us-east-1:1:profile/P", "region": "us-east-1",
         "authMethod": "builder-id", "clientId": "cid", "clientSecret": "csec"}}
    ]});
    let plan = plan_import(&seed, NOW).expect("plan");
    let gemini = plan.connections.iter().find(|c| c.id == "g1").expect("gemini");
    assert_eq!(gemini.metadata_str(&["project_id"]), Some("proj-7"));
    assert!(gemini.enabled);
    let kiro = plan.connections.iter().find(|c| c.id == "k1").expect("kiro");
    assert_eq!(kiro.metadata_str(&["profile_arn"]), Some("arn:aws:codewhisperer:us-east-1:1:profile/P"));
    assert_eq!(kiro.metadata_str(&["auth_method"]), Some("builder-id"));
    let (_, credentials) = plan.oauth_tokens.iter().find(|(id, _)| id == "k1").expect("kiro tokens");
    assert_eq!(credentials.oidc_client_secret.as_deref(), Some("csec"));
    assert!(
        !plan.not_imported.iter().any(|l| l.contains("profileArn") || l.contains("projectId")),
        "{:#?}",
        plan.not_imported
    );
}
