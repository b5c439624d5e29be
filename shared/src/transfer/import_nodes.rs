//! The seed's custom provider nodes (`providerNodes`, seed `src/lib/localDb.js` `createProviderNode`:
//! `{id, type, name, prefix, apiType, baseUrl, createdAt, updatedAt}`) → our custom providers. `type` is
//! `openai-compatible` (with `apiType` `chat` or `responses`) or `anthropic-compatible`; the node id is kept,
//! so the seed's connections (whose `provider` is the node id) attach to it.

use serde_json::{Map, Value};

use super::import::{date, leftover_fields, text};
use super::ImportPlan;
use crate::providers::{self, CustomFormat, CustomProvider};

/// The seed's fields, then our export's extensions (`chatPath`, `headers`, `models`).
const NODE_FIELDS: [&str; 11] =
    ["id", "type", "name", "prefix", "apiType", "baseUrl", "createdAt", "updatedAt", "chatPath", "headers", "models"];

fn format_of(entry: &Map<String, Value>) -> Option<CustomFormat> {
    match (text(entry, "type"), text(entry, "apiType")) {
        (Some("anthropic-compatible"), _) => Some(CustomFormat::Anthropic),
        (Some("openai-compatible"), Some("responses")) => Some(CustomFormat::Responses),
        (Some("openai-compatible"), None | Some("chat")) => Some(CustomFormat::Openai),
        _ => None,
    }
}

/// Maps one `providerNodes` entry into `plan.custom_providers`, or reports why not.
pub(super) fn node(index: usize, entry: &Value, now_ms: i64, plan: &mut ImportPlan) {
    let Some(entry) = entry.as_object() else {
        plan.not_imported.push(format!("providerNodes[{index}]: not an object"));
        return;
    };
    let name = text(entry, "name").unwrap_or("unnamed");
    let label = format!("providerNodes[{index}] (\"{name}\")");
    let (Some(id), Some(prefix), Some(base_url)) = (text(entry, "id"), text(entry, "prefix"), text(entry, "baseUrl"))
    else {
        plan.not_imported.push(format!("{label}: needs `id`, `prefix` and `baseUrl`"));
        return;
    };
    let Some(format) = format_of(entry) else {
        plan.not_imported.push(format!("{label}: type `{}` is not supported", text(entry, "type").unwrap_or("?")));
        return;
    };
    if !providers::valid_prefix(prefix) || providers::find(prefix).is_some() || providers::find(id).is_some() {
        plan.not_imported.push(format!("{label}: prefix `{prefix}` is invalid or names a built-in provider"));
        return;
    }
    let scheme_ok = url::Url::parse(base_url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
    if !scheme_ok {
        plan.not_imported.push(format!("{label}: `baseUrl` is not an http(s) URL"));
        return;
    }
    leftover_fields(&label, entry, &NODE_FIELDS, plan);
    plan.custom_providers.push(CustomProvider {
        id: id.to_owned(),
        prefix: prefix.to_owned(),
        name: name.to_owned(),
        format,
        base_url: base_url.trim_end_matches('/').to_owned(),
        chat_path: text(entry, "chatPath").filter(|p| p.starts_with('/')).map(str::to_owned),
        headers: entry
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| h.iter().filter_map(|(n, v)| Some((n.to_ascii_lowercase(), v.as_str()?.to_owned()))).collect())
            .unwrap_or_default(),
        models: entry
            .get("models")
            .and_then(Value::as_array)
            .map(|m| m.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default(),
        created_at: date(entry, "createdAt", now_ms),
    });
}
