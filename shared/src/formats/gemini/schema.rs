//! JSON Schema ⇄ Gemini's `Schema` (the OpenAPI 3.0 subset of `functionDeclarations[].parameters`).
//!
//! Decoding ([`from_gemini`]): a Gemini schema becomes JSON Schema for the IR — `type` lowercased (Gemini
//! accepts `"STRING"` as well as `"string"`), `nullable: true` turned into a `[type, "null"]` type array.
//!
//! Encoding ([`clean`]) keeps only the fields Gemini's `Schema` declares — type, format, description, nullable,
//! enum, items, min/maxItems, properties, required, min/maxProperties, minimum, maximum, min/maxLength,
//! pattern, anyOf, propertyOrdering (v1beta `Schema`; googleapis js-genai `types.Schema`) — because Gemini
//! answers 400 "Invalid JSON payload received. Unknown name …: Cannot find field" to anything else
//! (`$schema`, `additionalProperties`, `exclusiveMinimum`, `propertyNames`, `patternProperties`, `$defs`,
//! `examples`, `const`, `oneOf`, …). `title`, `default` and `example` are declared but dropped too: they carry
//! no constraint and are reported to be rejected in practice (pydantic-ai's Google transformer drops `title`,
//! python-genai issue 1732; CLIProxyAPI's Gemini cleaner drops `title`). Rewrites before that:
//! - local `$ref`s (`#/$defs/X`, `#/definitions/X`, any JSON pointer) are inlined, sibling keywords winning; a
//!   cyclic or unresolvable one becomes `{"type":"object"}` with a `See: X` description;
//! - `allOf` is merged into its parent (properties and required united, other keywords first one wins);
//!   `oneOf` is read as `anyOf`; a `{"type":"null"}` branch becomes `nullable`, a single remaining branch is
//!   merged into its parent, and a node with several branches keeps only `anyOf` (Gemini: "When using any_of,
//!   it must be the only field set"; its description and `nullable` move into the branches);
//! - a type array such as `["string","null"]` becomes `type: "string"` + `nullable: true` (with several
//!   non-null types the first wins); a missing type is inferred (`object` with properties, `array` with items,
//!   else `string`: Gemini rejects untyped nodes);
//! - `const` becomes a one-value `enum`; `enum` stays only on strings, as `string[]` without empty strings
//!   (Gemini: "enum: only allowed for STRING type"), elsewhere its values move into the description;
//!   `null` members become `nullable`;
//! - `format` is kept only where Gemini accepts it (string `enum`/`date-time`, integer `int32`/`int64`,
//!   number `float`/`double`: it answers "only 'enum' and 'date-time' are supported for STRING type" otherwise;
//!   the rule adk-python's `gemini_schema_util` applies);
//! - `required` keeps only names of declared properties ("property is not defined" otherwise); an empty
//!   `properties` map is removed, leaving `{"type":"object"}` (LiteLLM's `add_object_type` does the same), and
//!   a tool whose parameters have no properties is declared without `parameters` ([`clean_parameters`]:
//!   Gemini answers "properties: should be non-empty for OBJECT type" at the root);
//! - an array without `items` gets `items: {"type":"string"}` (Gemini rejects it; CLIProxyAPI does the same).

use serde_json::{json, Map, Value};

/// Keywords of Gemini's `Schema` that are passed on (after the rewrites above).
const KEPT: &[&str] = &[
    "type",
    "format",
    "description",
    "nullable",
    "enum",
    "items",
    "minItems",
    "maxItems",
    "properties",
    "required",
    "minProperties",
    "maxProperties",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "anyOf",
    "propertyOrdering",
];

/// Schema nodes cleaned per schema at most (bounds `$ref` fan-out); beyond it nodes become `{}`.
const NODE_BUDGET: usize = 10_000;

/// Deepest nesting (including inlined `$ref` chains) cleaned; deeper nodes become `{}` (bounds the stack).
const MAX_DEPTH: usize = 64;

/// A Gemini (OpenAPI-subset) schema as JSON Schema for the IR.
pub(super) fn from_gemini(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::with_capacity(map.len());
    let nullable = map.get("nullable").and_then(Value::as_bool) == Some(true);
    for (key, value) in map {
        let converted = match (key.as_str(), value) {
            ("nullable", _) => continue,
            ("type", Value::String(t)) => {
                let t = t.to_ascii_lowercase();
                if nullable && t != "null" {
                    json!([t, "null"])
                } else {
                    Value::String(t)
                }
            }
            ("properties", Value::Object(props)) => {
                Value::Object(props.iter().map(|(name, p)| (name.clone(), from_gemini(p))).collect())
            }
            ("items", item) => from_gemini(item),
            ("anyOf", Value::Array(branches)) => Value::Array(branches.iter().map(from_gemini).collect()),
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    if nullable && !map.contains_key("type") {
        out.insert("nullable".to_owned(), Value::Bool(true));
    }
    Value::Object(out)
}

/// The `parameters` of a function declaration: the cleaned schema, or `None` when it declares no properties
/// (Gemini rejects an OBJECT without properties at the root; a parameterless function has no `parameters`).
pub(super) fn clean_parameters(schema: &Value) -> Option<Value> {
    let cleaned = clean(schema);
    cleaned.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty()).then_some(cleaned)
}

/// `schema` cleaned for Gemini (see the module doc).
pub(super) fn clean(schema: &Value) -> Value {
    let mut cleaner = Cleaner { root: schema, active: Vec::new(), budget: NODE_BUDGET, depth: 0 };
    Value::Object(cleaner.node(schema))
}

struct Cleaner<'a> {
    root: &'a Value,
    /// `$ref`s being expanded (cycle guard).
    active: Vec<&'a str>,
    budget: usize,
    depth: usize,
}

/// The target of a local JSON pointer such as `#/$defs/Name`.
fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.is_empty() {
        return Some(root);
    }
    root.pointer(pointer)
}

/// The last segment of a reference, for the `See: X` hint.
fn ref_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

impl<'a> Cleaner<'a> {
    fn node(&mut self, node: &'a Value) -> Map<String, Value> {
        let Value::Object(map) = node else {
            return Map::new();
        };
        if self.budget == 0 || self.depth >= MAX_DEPTH {
            return Map::new();
        }
        self.budget -= 1;
        self.depth += 1;
        let out = self.object(map);
        self.depth -= 1;
        out
    }

    fn object(&mut self, map: &'a Map<String, Value>) -> Map<String, Value> {
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            return self.reference(map, reference);
        }
        let mut out = self.keywords(map);
        if let Some(Value::Array(parts)) = map.get("allOf") {
            for part in parts {
                let part = self.node(part);
                merge_into(&mut out, part);
            }
        }
        let branches = map.get("anyOf").or_else(|| map.get("oneOf"));
        if let Some(Value::Array(branches)) = branches {
            self.union(&mut out, branches);
        }
        finish(&mut out);
        out
    }

    /// A `$ref` node: the target inlined (sibling keywords win), or a hint when it cannot be.
    fn reference(&mut self, map: &'a Map<String, Value>, reference: &'a str) -> Map<String, Value> {
        let target = resolve(self.root, reference).filter(|_| !self.active.contains(&reference));
        let mut out = match target {
            Some(target) => {
                self.active.push(reference);
                let resolved = self.node(target);
                self.active.pop();
                resolved
            }
            None => {
                let mut hint = Map::new();
                hint.insert("type".to_owned(), json!("object"));
                hint.insert("description".to_owned(), json!(format!("See: {}", ref_name(reference))));
                hint
            }
        };
        // `$ref` itself is not a kept keyword, so this is the siblings, cleaned.
        for (key, value) in self.keywords(map) {
            out.insert(key, value);
        }
        finish(&mut out);
        out
    }

    /// The kept keywords of one node, children cleaned, before the node-level fix-ups.
    fn keywords(&mut self, map: &'a Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, value) in map {
            match key.as_str() {
                "properties" => {
                    if let Value::Object(props) = value {
                        let props: Map<String, Value> =
                            props.iter().map(|(name, p)| (name.clone(), Value::Object(self.node(p)))).collect();
                        out.insert(key.clone(), Value::Object(props));
                    }
                }
                "items" => {
                    let item = match value {
                        Value::Array(items) => items.first(),
                        other => Some(other),
                    };
                    if let Some(item) = item {
                        out.insert(key.clone(), Value::Object(self.node(item)));
                    }
                }
                "const" if !map.contains_key("enum") => {
                    out.insert("enum".to_owned(), Value::Array(vec![value.clone()]));
                }
                "anyOf" | "oneOf" | "allOf" => {}
                k if KEPT.contains(&k) => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        out
    }

    /// `anyOf` / `oneOf`: null branches become `nullable`; one branch left is merged, several are kept.
    fn union(&mut self, out: &mut Map<String, Value>, branches: &'a [Value]) {
        let mut kept = Vec::new();
        for branch in branches {
            let cleaned = self.node(branch);
            if cleaned.get("type").and_then(Value::as_str) == Some("null") && cleaned.len() == 1 {
                out.insert("nullable".to_owned(), Value::Bool(true));
            } else {
                kept.push(cleaned);
            }
        }
        if kept.len() == 1 {
            if let Some(only) = kept.pop() {
                merge_into(out, only);
            }
        } else if !kept.is_empty() {
            out.insert("anyOf".to_owned(), Value::Array(kept.into_iter().map(Value::Object).collect()));
        }
    }
}

/// Merges `from` into `into`: properties and required united, any other keyword only where absent.
fn merge_into(into: &mut Map<String, Value>, from: Map<String, Value>) {
    for (key, value) in from {
        match (key.as_str(), into.get_mut(&key), value) {
            ("properties", Some(Value::Object(existing)), Value::Object(more)) => {
                for (name, schema) in more {
                    existing.entry(name).or_insert(schema);
                }
            }
            ("required", Some(Value::Array(existing)), Value::Array(more)) => {
                for name in more {
                    if !existing.contains(&name) {
                        existing.push(name);
                    }
                }
            }
            (_, Some(_), _) => {}
            (_, None, value) => {
                into.insert(key, value);
            }
        }
    }
}

/// Node-level fix-ups once children are clean: type, enum, format, required, empty properties, items; a
/// node with several `anyOf` branches keeps nothing else.
fn finish(out: &mut Map<String, Value>) {
    if out.contains_key("anyOf") {
        only_any_of(out);
        return;
    }
    normalise_type(out);
    normalise_enum(out);
    let ty = out.get("type").and_then(Value::as_str).unwrap_or_default().to_owned();
    let format_ok = match (ty.as_str(), out.get("format").and_then(Value::as_str)) {
        ("string", Some(f)) => matches!(f, "enum" | "date-time"),
        ("integer", Some(f)) => matches!(f, "int32" | "int64"),
        ("number", Some(f)) => matches!(f, "float" | "double"),
        _ => false,
    };
    if !format_ok {
        out.remove("format");
    }
    let declared: Vec<String> =
        out.get("properties").and_then(Value::as_object).map(|p| p.keys().cloned().collect()).unwrap_or_default();
    if declared.is_empty() {
        out.remove("properties");
    }
    let is_declared = |n: &Value| n.as_str().is_some_and(|n| declared.iter().any(|d| d == n));
    let required: Vec<Value> = match out.get("required") {
        Some(Value::Array(names)) => names.iter().filter(|n| is_declared(n)).cloned().collect(),
        _ => Vec::new(),
    };
    if required.is_empty() {
        out.remove("required");
    } else {
        out.insert("required".to_owned(), Value::Array(required));
    }
    let ordering_ok = out
        .get("propertyOrdering")
        .and_then(Value::as_array)
        .is_some_and(|o| o.len() == declared.len() && o.iter().all(is_declared));
    if !ordering_ok {
        out.remove("propertyOrdering");
    }
    if !matches!(out.get("nullable"), Some(Value::Bool(true))) {
        out.remove("nullable");
    }
    if ty == "array" && !matches!(out.get("items"), Some(Value::Object(_))) {
        out.insert("items".to_owned(), json!({"type": "string"}));
    }
    if !matches!(out.get("description"), Some(Value::String(_))) {
        out.remove("description");
    }
}

/// A node with several `anyOf` branches: Gemini wants `anyOf` alone ("When using any_of, it must be the only
/// field set"), so the node's description and `nullable` move into the branches.
fn only_any_of(out: &mut Map<String, Value>) {
    let description = out.get("description").and_then(Value::as_str).map(str::to_owned);
    let nullable = matches!(out.get("nullable"), Some(Value::Bool(true)));
    let Some(Value::Array(mut branches)) = out.remove("anyOf") else {
        out.clear();
        return;
    };
    for branch in &mut branches {
        if let Value::Object(branch) = branch {
            if let Some(description) = &description {
                branch.entry("description").or_insert_with(|| Value::String(description.clone()));
            }
            if nullable {
                branch.insert("nullable".to_owned(), Value::Bool(true));
            }
        }
    }
    out.clear();
    out.insert("anyOf".to_owned(), Value::Array(branches));
}

/// `type`: lowercase string; type arrays → one type + `nullable`; when absent, inferred from `properties`,
/// `items` or `enum`, else `string` (Gemini rejects untyped schemas: "didn't specify the schema type field";
/// an any-value parameter can still carry JSON text).
fn normalise_type(out: &mut Map<String, Value>) {
    let ty = match out.remove("type") {
        Some(Value::String(t)) => Some(t.to_ascii_lowercase()),
        Some(Value::Array(types)) => {
            let names: Vec<String> = types.iter().filter_map(Value::as_str).map(str::to_ascii_lowercase).collect();
            if names.iter().any(|t| t == "null") {
                out.insert("nullable".to_owned(), Value::Bool(true));
            }
            names.iter().find(|t| *t != "null").or_else(|| names.first()).cloned()
        }
        _ => None,
    };
    let ty = ty.unwrap_or_else(|| {
        if out.contains_key("properties") {
            "object"
        } else if out.contains_key("items") {
            "array"
        } else {
            "string"
        }
        .to_owned()
    });
    out.insert("type".to_owned(), Value::String(ty));
}

/// `enum`: Gemini takes it on strings only ("enum: only allowed for STRING type") and as `string[]` without
/// empty strings; on other types the values move into the description. `null` members become `nullable`.
fn normalise_enum(out: &mut Map<String, Value>) {
    let Some(Value::Array(values)) = out.remove("enum") else {
        return;
    };
    if values.iter().any(Value::is_null) {
        out.insert("nullable".to_owned(), Value::Bool(true));
    }
    let values: Vec<Value> = values.into_iter().filter(|v| !v.is_null() && v.as_str() != Some("")).collect();
    if values.is_empty() {
        return;
    }
    if out.get("type").and_then(Value::as_str) == Some("string") {
        let strings =
            values.into_iter().map(|v| Value::String(v.as_str().map_or_else(|| v.to_string(), str::to_owned)));
        out.insert("enum".to_owned(), Value::Array(strings.collect()));
        return;
    }
    let allowed: Vec<String> = values.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect();
    let hint = format!("Allowed values: {}", allowed.join(", "));
    let description = match out.get("description").and_then(Value::as_str) {
        Some(d) if !d.is_empty() => format!("{d} ({hint})"),
        _ => hint,
    };
    out.insert("description".to_owned(), Value::String(description));
}
