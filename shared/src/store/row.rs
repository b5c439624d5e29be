//! Reading typed columns out of a [`Row`]. D1 hands numbers over as JS doubles, SQLite as integers; both are
//! accepted for integer columns.

use serde_json::Value;

use super::StoreError;
use crate::platform::Row;

fn column<'r>(row: &'r Row, name: &str) -> Result<&'r Value, StoreError> {
    row.get(name).ok_or_else(|| StoreError::Malformed(format!("column `{name}` missing")))
}

/// A non-null text column.
pub(super) fn text(row: &Row, name: &str) -> Result<String, StoreError> {
    opt_text(row, name)?.ok_or_else(|| StoreError::Malformed(format!("column `{name}` is null")))
}

/// A nullable text column.
pub(super) fn opt_text(row: &Row, name: &str) -> Result<Option<String>, StoreError> {
    match column(row, name)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(StoreError::Malformed(format!("column `{name}` is not text: {other}"))),
    }
}

/// A non-null integer column.
pub(super) fn int(row: &Row, name: &str) -> Result<i64, StoreError> {
    opt_int(row, name)?.ok_or_else(|| StoreError::Malformed(format!("column `{name}` is null")))
}

/// A nullable integer column.
pub(super) fn opt_int(row: &Row, name: &str) -> Result<Option<i64>, StoreError> {
    match column(row, name)? {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(f64_to_i64))
            .map(Some)
            .ok_or_else(|| StoreError::Malformed(format!("column `{name}` is not an integer: {n}"))),
        other => Err(StoreError::Malformed(format!("column `{name}` is not a number: {other}"))),
    }
}

#[expect(clippy::cast_possible_truncation, reason = "caller checked the value is integral and in range")]
fn f64_to_i64(f: f64) -> i64 {
    f as i64
}

/// A JSON array of strings stored as text; NULL reads as `None`.
pub(super) fn opt_string_list(row: &Row, name: &str) -> Result<Option<Vec<String>>, StoreError> {
    opt_text(row, name)?
        .map(|json| {
            serde_json::from_str(&json)
                .map_err(|e| StoreError::Malformed(format!("column `{name}` is not a JSON string list: {e}")))
        })
        .transpose()
}

/// A JSON object stored as text; NULL reads as `None`.
pub(super) fn opt_object(row: &Row, name: &str) -> Result<Option<serde_json::Map<String, Value>>, StoreError> {
    opt_text(row, name)?
        .map(|json| {
            serde_json::from_str(&json)
                .map_err(|e| StoreError::Malformed(format!("column `{name}` is not a JSON object: {e}")))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: Value) -> Row {
        v.as_object().cloned().expect("object")
    }

    #[test]
    fn integers_arrive_as_doubles_from_d1() {
        let r = row(json!({"a": 3.0, "b": 7, "c": null, "d": 1.5}));
        assert_eq!(int(&r, "a").expect("int"), 3);
        assert_eq!(int(&r, "b").expect("int"), 7);
        assert_eq!(opt_int(&r, "c").expect("null ok"), None);
        assert!(int(&r, "d").is_err());
        assert!(int(&r, "missing").is_err());
    }

    #[test]
    fn string_lists_decode() {
        let r = row(json!({"m": "[\"a\",\"b\"]", "n": null, "bad": "{"}));
        assert_eq!(opt_string_list(&r, "m").expect("list"), Some(vec!["a".into(), "b".into()]));
        assert_eq!(opt_string_list(&r, "n").expect("null"), None);
        assert!(opt_string_list(&r, "bad").is_err());
    }
}
