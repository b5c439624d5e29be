//! JSON Schema cleaning for Gemini function declarations, and the reverse conversion.

use serde_json::{json, Value};

use crate::formats::gemini::schema::{clean, clean_parameters, from_gemini};

fn object(properties: Value) -> Value {
    json!({"type": "object", "properties": properties})
}

#[test]
fn unsupported_keywords_are_removed_everywhere() {
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#", "$id": "x", "title": "Args", "default": {},
        "examples": [{}], "additionalProperties": false, "propertyNames": {"pattern": "^a"},
        "patternProperties": {"^x": {"type": "string"}}, "type": "object",
        "properties": {
            "n": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10, "minimum": 0, "multipleOf": 2},
            "s": {"type": "string", "title": "S", "default": "a", "minLength": 1, "pattern": "^a", "format": "uri"},
            "list": {"type": "array", "items": {"type": "string", "examples": ["a"]}, "uniqueItems": true, "maxItems": 3}
        }
    });
    assert_eq!(
        clean(&schema),
        object(json!({
            "n": {"type": "number", "minimum": 0},
            "s": {"type": "string", "minLength": 1, "pattern": "^a"},
            "list": {"type": "array", "items": {"type": "string"}, "maxItems": 3}
        }))
    );
}

#[test]
fn property_names_that_look_like_keywords_are_kept() {
    let schema =
        object(json!({"title": {"type": "string"}, "default": {"type": "integer"}, "$ref": {"type": "boolean"}}));
    assert_eq!(clean(&schema), schema);
}

#[test]
fn type_arrays_become_nullable() {
    assert_eq!(clean(&json!({"type": ["string", "null"]})), json!({"type": "string", "nullable": true}));
    assert_eq!(clean(&json!({"type": ["null", "INTEGER"]})), json!({"type": "integer", "nullable": true}));
    assert_eq!(clean(&json!({"type": ["number", "string"]})), json!({"type": "number"}));
}

#[test]
fn const_and_enums() {
    assert_eq!(clean(&json!({"type": "string", "const": "fixed"})), json!({"type": "string", "enum": ["fixed"]}));
    assert_eq!(clean(&json!({"const": "fixed"})), json!({"type": "string", "enum": ["fixed"]}));
    assert_eq!(
        clean(&json!({"type": "string", "enum": ["a", "", null, "b"]})),
        json!({"type": "string", "enum": ["a", "b"], "nullable": true})
    );
    assert_eq!(
        clean(&json!({"type": "integer", "enum": [1, 2], "description": "Depth"})),
        json!({"type": "integer", "description": "Depth (Allowed values: 1, 2)"})
    );
    assert_eq!(
        clean(&json!({"type": "boolean", "const": true})),
        json!({"type": "boolean", "description": "Allowed values: true"})
    );
}

#[test]
fn formats_are_kept_only_where_gemini_takes_them() {
    let schema = object(json!({
        "when": {"type": "string", "format": "date-time"}, "day": {"type": "string", "format": "date"},
        "big": {"type": "integer", "format": "int64"}, "f": {"type": "number", "format": "int32"}}));
    assert_eq!(
        clean(&schema),
        object(json!({"when": {"type": "string", "format": "date-time"}, "day": {"type": "string"},
            "big": {"type": "integer", "format": "int64"}, "f": {"type": "number"}}))
    );
}

#[test]
fn refs_are_inlined_and_cycles_stop() {
    let schema = json!({
        "type": "object",
        "$defs": {
            "Point": {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]},
            "Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}}}
        },
        "definitions": {"Color": {"type": "string", "enum": ["red"]}},
        "properties": {
            "p": {"$ref": "#/$defs/Point", "description": "A point"},
            "c": {"$ref": "#/definitions/Color"},
            "n": {"$ref": "#/$defs/Node"},
            "missing": {"$ref": "#/$defs/Nope"},
            "remote": {"$ref": "https://example.com/schema.json"}
        }
    });
    assert_eq!(
        clean(&schema),
        object(json!({
            "p": {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"], "description": "A point"},
            "c": {"type": "string", "enum": ["red"]},
            "n": {"type": "object", "properties": {"next": {"type": "object", "description": "See: Node"}}},
            "missing": {"type": "object", "description": "See: Nope"},
            "remote": {"type": "object", "description": "See: schema.json"}
        }))
    );
}

#[test]
fn combinators() {
    let all_of = json!({"allOf": [
        {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
        {"properties": {"b": {"type": "integer"}}, "required": ["b"]}]});
    assert_eq!(
        clean(&all_of),
        json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}, "required": ["a", "b"]})
    );
    let optional = json!({"anyOf": [{"type": "string"}, {"type": "null"}], "description": "maybe"});
    assert_eq!(clean(&optional), json!({"type": "string", "nullable": true, "description": "maybe"}));
    let union = json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}], "description": "id", "title": "Id"});
    assert_eq!(
        clean(&union),
        json!({"anyOf": [
            {"type": "string", "description": "id", "nullable": true},
            {"type": "integer", "description": "id", "nullable": true}]})
    );
}

#[test]
fn nested_structures_are_cleaned_and_repaired() {
    let schema = object(json!({
        "outer": {"type": "object", "additionalProperties": {"type": "string"}, "properties": {
            "inner": {"type": ["array", "null"], "items": {"type": "object", "properties": {
                "leaf": {"const": 3, "type": "integer"}}, "required": ["leaf", "ghost"]}}}},
        "free": {"type": "object", "additionalProperties": true},
        "tags": {"type": "array"},
        "any": {"description": "anything"}
    }));
    assert_eq!(
        clean(&schema),
        object(json!({
            "outer": {"type": "object", "properties": {
                "inner": {"type": "array", "nullable": true, "items": {"type": "object", "properties": {
                    "leaf": {"type": "integer", "description": "Allowed values: 3"}}, "required": ["leaf"]}}}},
            "free": {"type": "object"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "any": {"type": "string", "description": "anything"}
        }))
    );
}

#[test]
fn parameters_without_properties_are_omitted() {
    assert_eq!(clean_parameters(&json!({"type": "object", "properties": {}})), None);
    assert_eq!(clean_parameters(&json!({"type": "object", "additionalProperties": false})), None);
    assert_eq!(clean_parameters(&Value::Null), None);
    assert_eq!(
        clean_parameters(&object(json!({"a": {"type": "string"}}))),
        Some(object(json!({"a": {"type": "string"}})))
    );
}

#[test]
fn property_ordering_and_required_are_validated() {
    let schema = json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "propertyOrdering": ["b", "a"], "required": ["a", "zzz"]});
    assert_eq!(
        clean(&schema),
        json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
            "propertyOrdering": ["b", "a"], "required": ["a"]})
    );
    let wrong = json!({"type": "object", "properties": {"a": {"type": "string"}}, "propertyOrdering": ["a", "b"]});
    assert!(clean(&wrong).get("propertyOrdering").is_none());
}

#[test]
fn huge_ref_fan_out_is_bounded() {
    // Each level references the next twice: 2^40 nodes if expanded naively.
    let mut defs = serde_json::Map::new();
    for level in 0..40 {
        let next = format!("#/$defs/L{}", level + 1);
        defs.insert(
            format!("L{level}"),
            json!({"type": "object", "properties": {"a": {"$ref": next}, "b": {"$ref": next}}}),
        );
    }
    defs.insert("L40".into(), json!({"type": "string"}));
    let schema = json!({"$defs": defs, "type": "object", "properties": {"root": {"$ref": "#/$defs/L0"}}});
    let cleaned = clean(&schema);
    assert_eq!(cleaned["type"], "object");
}

#[test]
fn gemini_schemas_read_as_json_schema() {
    let gemini = json!({"type": "OBJECT", "properties": {
        "a": {"type": "STRING", "nullable": true, "format": "date-time"},
        "b": {"type": "ARRAY", "items": {"type": "INTEGER"}},
        "c": {"anyOf": [{"type": "NUMBER"}, {"type": "BOOLEAN"}]}}, "required": ["a"]});
    assert_eq!(
        from_gemini(&gemini),
        json!({"type": "object", "properties": {
            "a": {"type": ["string", "null"], "format": "date-time"},
            "b": {"type": "array", "items": {"type": "integer"}},
            "c": {"anyOf": [{"type": "number"}, {"type": "boolean"}]}}, "required": ["a"]})
    );
    // Cleaning what was decoded gives Gemini's schema back (lowercase).
    assert_eq!(
        clean(&from_gemini(&gemini))["properties"]["a"],
        json!({"type": "string", "nullable": true, "format": "date-time"})
    );
}

#[test]
fn long_ref_chains_and_deep_nesting_are_bounded() {
    let mut defs = serde_json::Map::new();
    for level in 0..5_000 {
        defs.insert(
            format!("L{level}"),
            json!({"type": "object", "properties": {"next": {"$ref": format!("#/$defs/L{}", level + 1)}}}),
        );
    }
    let schema = json!({"$defs": defs, "type": "object", "properties": {"root": {"$ref": "#/$defs/L0"}}});
    assert_eq!(clean(&schema)["type"], "object");
    let mut deep = json!({"type": "string"});
    for _ in 0..120 {
        deep = json!({"type": "array", "items": deep});
    }
    assert_eq!(clean(&deep)["type"], "array");
}
