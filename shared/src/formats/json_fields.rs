//! Field access for `serde_json::Value`-based request decoding (OpenAI Chat and Responses): every error names the
//! JSON path of the offending field.

use serde_json::{Map, Value};

use crate::ir::{CacheControl, DecodeError};

/// An error naming `path`: `` `path` must be what ``.
pub(crate) fn must(path: &str, what: &str) -> DecodeError {
    DecodeError::new(format!("`{path}` must be {what}"))
}

/// A JSON object being decoded, with the path used in error messages.
pub(crate) struct Fields<'a> {
    pub map: &'a Map<String, Value>,
    pub path: String,
}

impl<'a> Fields<'a> {
    /// `value` as an object at `path`.
    pub(crate) fn of(value: &'a Value, path: String) -> Result<Self, DecodeError> {
        match value {
            Value::Object(map) => Ok(Self { map, path }),
            _ => Err(must(&path, "an object")),
        }
    }

    /// The path of `key`.
    pub(crate) fn at(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The value of `key`; `null` counts as absent.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub(crate) fn str(&self, key: &str) -> Result<Option<&'a str>, DecodeError> {
        self.get(key).map(|v| v.as_str().ok_or_else(|| must(&self.at(key), "a string"))).transpose()
    }

    pub(crate) fn required_str(&self, key: &str) -> Result<&'a str, DecodeError> {
        self.str(key)?.ok_or_else(|| must(&self.at(key), "a string"))
    }

    /// A required, non-empty string (ids and names).
    pub(crate) fn name(&self, key: &str) -> Result<&'a str, DecodeError> {
        match self.str(key)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(must(&self.at(key), "a non-empty string")),
        }
    }

    pub(crate) fn f64(&self, key: &str) -> Result<Option<f64>, DecodeError> {
        self.get(key).map(|v| v.as_f64().ok_or_else(|| must(&self.at(key), "a number"))).transpose()
    }

    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, DecodeError> {
        self.get(key).map(|v| v.as_bool().ok_or_else(|| must(&self.at(key), "a boolean"))).transpose()
    }

    pub(crate) fn u32(&self, key: &str) -> Result<Option<u32>, DecodeError> {
        self.get(key)
            .map(|v| {
                v.as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| must(&self.at(key), "a non-negative integer"))
            })
            .transpose()
    }

    pub(crate) fn i64(&self, key: &str) -> Result<Option<i64>, DecodeError> {
        self.get(key).map(|v| v.as_i64().ok_or_else(|| must(&self.at(key), "an integer"))).transpose()
    }

    pub(crate) fn array(&self, key: &str) -> Result<Option<&'a Vec<Value>>, DecodeError> {
        self.get(key).map(|v| v.as_array().ok_or_else(|| must(&self.at(key), "an array"))).transpose()
    }

    /// An extension `cache_control: {type, ttl?}` on a part (sent by some clients for Anthropic upstreams);
    /// anything malformed is ignored, since it is only a hint.
    pub(crate) fn cache_control(&self) -> Option<CacheControl> {
        let cc = self.get("cache_control")?;
        Some(CacheControl {
            kind: cc.get("type")?.as_str()?.to_owned(),
            ttl: cc.get("ttl").and_then(Value::as_str).map(str::to_owned),
        })
    }
}
