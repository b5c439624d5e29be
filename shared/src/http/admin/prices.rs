//! `/api/prices`: the price table behind cost estimates — built-in prices merged with the user's overrides
//! (`GET`), an override per model name or `prefix*` pattern (`PUT`), and reverting to the built-in price
//! (`DELETE`). Prices are USD per 1M tokens.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};

use super::{now_ms, parse_json};
use crate::error::{ApiError, ErrorKind};
use crate::http::{AdminSession, AppState};
use crate::usage::prices::{built_in_prices, normalize, SUBSCRIPTION_PROVIDERS};
use crate::usage::ModelPrice;

/// Longest accepted model name or pattern.
const MAX_MODEL_CHARS: usize = 200;
/// Highest accepted price (USD per 1M tokens): far above any real one, low enough to catch a typo in units.
const MAX_PRICE: f64 = 100_000.0;

/// `GET /api/prices`: `{prices: [{model, input, output, cache_read, cache_write, source, built_in?, updated_at?}],
/// subscription_providers}`. `source` is `built_in` or `override`; an override of a built-in model also carries the
/// built-in price it replaces.
pub(crate) async fn list_prices(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
) -> Result<Json<Value>, ApiError> {
    let book = state.repo.price_book().await?;
    let mut merged: BTreeMap<String, Value> = BTreeMap::new();
    for (name, price) in built_in_prices() {
        merged.insert(name.to_owned(), entry(name, &price, "built_in"));
    }
    for o in book.overrides() {
        let mut value = entry(&o.model, &o.price, "override");
        value["updated_at"] = json!(o.updated_at);
        let normalized = normalize(&o.model);
        if let Some(built_in) = merged.get(&normalized).filter(|e| !o.model.ends_with('*') && e["source"] == "built_in")
        {
            value["built_in"] = prices_only(built_in);
        }
        merged.insert(o.model.clone(), value);
    }
    Ok(Json(json!({
        "prices": merged.into_values().collect::<Vec<_>>(),
        "subscription_providers": SUBSCRIPTION_PROVIDERS,
    })))
}

fn entry(model: &str, price: &ModelPrice, source: &str) -> Value {
    json!({
        "model": model,
        "input": price.input,
        "output": price.output,
        "cache_read": price.cache_read,
        "cache_write": price.cache_write,
        "source": source,
    })
}

fn prices_only(entry: &Value) -> Value {
    json!({
        "input": entry["input"],
        "output": entry["output"],
        "cache_read": entry["cache_read"],
        "cache_write": entry["cache_write"],
    })
}

fn check_model(model: &str) -> Result<&str, ApiError> {
    let model = model.trim();
    let pattern_body = model.strip_suffix('*').unwrap_or(model);
    if pattern_body.is_empty() {
        return Err(ApiError::invalid_request("`model` must not be empty (a pattern needs a prefix before `*`)"));
    }
    if model.chars().count() > MAX_MODEL_CHARS {
        return Err(ApiError::invalid_request(format!("`model` is longer than {MAX_MODEL_CHARS} characters")));
    }
    if pattern_body.contains('*') || model.chars().any(char::is_control) {
        return Err(ApiError::invalid_request("`model` may contain `*` only at its end, and no control characters"));
    }
    Ok(model)
}

fn number(body: &Map<String, Value>, field: &str, default: Option<f64>) -> Result<f64, ApiError> {
    let bad =
        || ApiError::invalid_request(format!("`{field}` must be a number from 0 to {MAX_PRICE} (USD per 1M tokens)"));
    match body.get(field) {
        None | Some(Value::Null) => default.ok_or_else(|| ApiError::invalid_request(format!("`{field}` is required"))),
        Some(v) => v.as_f64().filter(|n| n.is_finite() && (0.0..=MAX_PRICE).contains(n)).ok_or_else(bad),
    }
}

/// Reads a price from a request body; `cache_read` and `cache_write` default to the input price.
fn parse_price(body: &[u8]) -> Result<ModelPrice, ApiError> {
    let value: Value = parse_json(body)?;
    let Value::Object(map) = value else {
        return Err(ApiError::invalid_request("body must be a JSON object {input, output, cache_read?, cache_write?}"));
    };
    if let Some(unknown) = map.keys().find(|k| !matches!(k.as_str(), "input" | "output" | "cache_read" | "cache_write"))
    {
        return Err(ApiError::invalid_request(format!(
            "unknown field `{unknown}`; expected input, output, cache_read, cache_write"
        )));
    }
    let input = number(&map, "input", None)?;
    let price = ModelPrice {
        input,
        output: number(&map, "output", None)?,
        cache_read: number(&map, "cache_read", Some(input))?,
        cache_write: number(&map, "cache_write", Some(input))?,
    };
    match price.invalid_field() {
        Some(field) => Err(ApiError::invalid_request(format!("`{field}` must be a non-negative finite number"))),
        None => Ok(price),
    }
}

/// `PUT /api/prices/{model}` `{input, output, cache_read?, cache_write?}` → the stored override.
pub(crate) async fn put_price(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(model): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let model = check_model(&model)?;
    let price = parse_price(&body)?;
    let now = now_ms(&state);
    state.repo.put_price_override(model, &price, now).await?;
    let mut value = entry(model, &price, "override");
    value["updated_at"] = json!(now);
    Ok(Json(value))
}

/// `DELETE /api/prices/{model}`: removes the override; the built-in price (if any) applies again.
pub(crate) async fn delete_price(
    State(state): State<Arc<AppState>>,
    _session: AdminSession,
    Path(model): Path<String>,
) -> Result<Json<Value>, ApiError> {
    if state.repo.delete_price_override(model.trim()).await? {
        Ok(Json(json!({ "ok": true })))
    } else {
        Err(ApiError::new(ErrorKind::NotFound, format!("no price override for `{}`", model.trim())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(err: ApiError) -> String {
        err.body().to_string()
    }

    #[test]
    fn prices_are_validated_field_by_field() {
        assert!(message(parse_price(br#"{"input":-1,"output":2}"#).unwrap_err()).contains("`input`"));
        assert!(message(parse_price(br#"{"input":1}"#).unwrap_err()).contains("`output` is required"));
        assert!(message(parse_price(br#"{"input":1,"output":"2"}"#).unwrap_err()).contains("`output`"));
        assert!(
            message(parse_price(br#"{"input":1,"output":2,"cache_read":1e9}"#).unwrap_err()).contains("`cache_read`")
        );
        assert!(message(parse_price(br#"{"input":1,"output":2,"cost":3}"#).unwrap_err()).contains("`cost`"));
        assert!(message(parse_price(br#"[1,2]"#).unwrap_err()).contains("JSON object"));
        let price = parse_price(br#"{"input":1.5,"output":2}"#).expect("valid");
        assert_eq!(price, ModelPrice { input: 1.5, output: 2.0, cache_read: 1.5, cache_write: 1.5 });
    }

    #[test]
    fn model_names_are_checked() {
        assert!(check_model(" ").is_err());
        assert!(check_model("*").is_err());
        assert!(check_model("a*b").is_err());
        assert!(check_model(&"m".repeat(201)).is_err());
        assert_eq!(check_model(" claude-* ").ok(), Some("claude-*"));
    }
}
