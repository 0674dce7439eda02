//! A small JSON-schema validator for model answers: the subset that structured-output
//! schemas use (type, union types, properties, required, additionalProperties, items,
//! enum, const, anyOf, minimum/maximum, length and item counts). Unknown keywords are
//! ignored. Servers that claim strict mode do not always honour it, so every answer goes
//! through here.

use serde_json::Value;

/// Where and why a value does not match. `path` is a JSON pointer-ish location (`$.a[2]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Checks `value` against `schema`; the first mismatch found is returned.
pub fn validate(schema: &Value, value: &Value) -> Result<(), SchemaError> {
    check(schema, value, "$")
}

fn fail(path: &str, message: impl Into<String>) -> Result<(), SchemaError> {
    Err(SchemaError { path: path.to_string(), message: message.into() })
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if is_integer(n) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_integer(n: &serde_json::Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

fn has_type(value: &Value, wanted: &str) -> bool {
    match wanted {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.as_number().is_some_and(is_integer),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

fn check(schema: &Value, value: &Value, path: &str) -> Result<(), SchemaError> {
    let schema = match schema {
        Value::Bool(true) => return Ok(()),
        Value::Bool(false) => return fail(path, "no value is allowed here"),
        Value::Object(map) => map,
        _ => return Ok(()),
    };

    if let Some(wanted) = schema.get("type") {
        let names: Vec<&str> = match wanted {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !names.is_empty() && !names.iter().any(|t| has_type(value, t)) {
            return fail(path, format!("expected {}, got {}", names.join(" or "), type_name(value)));
        }
    }
    if let Some(Value::Array(allowed)) = schema.get("enum")
        && !allowed.contains(value)
    {
        return fail(path, "value is not one of the allowed values");
    }
    if let Some(constant) = schema.get("const")
        && constant != value
    {
        return fail(path, "value differs from the required constant");
    }
    if let Some(Value::Array(options)) = schema.get("anyOf")
        && !options.iter().any(|option| check(option, value, path).is_ok())
    {
        return fail(path, "value matches none of the anyOf alternatives");
    }

    match value {
        Value::Number(n) => check_number(schema, n, path),
        Value::String(s) => check_length(schema, s.chars().count(), "minLength", "maxLength", path),
        Value::Array(items) => {
            check_length(schema, items.len(), "minItems", "maxItems", path)?;
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check(item_schema, item, &format!("{path}[{i}]"))?;
                }
            }
            Ok(())
        }
        Value::Object(fields) => check_object(schema, fields, path),
        Value::Null | Value::Bool(_) => Ok(()),
    }
}

fn check_number(
    schema: &serde_json::Map<String, Value>,
    n: &serde_json::Number,
    path: &str,
) -> Result<(), SchemaError> {
    let Some(x) = n.as_f64() else { return Ok(()) };
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
        && x < min
    {
        return fail(path, format!("{n} is below the minimum {min}"));
    }
    if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
        && x > max
    {
        return fail(path, format!("{n} is above the maximum {max}"));
    }
    Ok(())
}

fn check_length(
    schema: &serde_json::Map<String, Value>,
    len: usize,
    min_key: &str,
    max_key: &str,
    path: &str,
) -> Result<(), SchemaError> {
    if let Some(min) = schema.get(min_key).and_then(Value::as_u64)
        && (len as u64) < min
    {
        return fail(path, format!("length {len} is below {min_key} {min}"));
    }
    if let Some(max) = schema.get(max_key).and_then(Value::as_u64)
        && (len as u64) > max
    {
        return fail(path, format!("length {len} is above {max_key} {max}"));
    }
    Ok(())
}

fn check_object(
    schema: &serde_json::Map<String, Value>,
    fields: &serde_json::Map<String, Value>,
    path: &str,
) -> Result<(), SchemaError> {
    if let Some(Value::Array(required)) = schema.get("required") {
        for name in required.iter().filter_map(Value::as_str) {
            if !fields.contains_key(name) {
                return fail(path, format!("missing required property `{name}`"));
            }
        }
    }
    let properties = schema.get("properties").and_then(Value::as_object);
    let additional = schema.get("additionalProperties");
    for (name, field) in fields {
        let field_path = format!("{path}.{name}");
        match properties.and_then(|p| p.get(name)) {
            Some(field_schema) => check(field_schema, field, &field_path)?,
            None => match additional {
                Some(Value::Bool(false)) => {
                    return fail(path, format!("unexpected property `{name}`"));
                }
                Some(extra @ Value::Object(_)) => check(extra, field, &field_path)?,
                _ => {}
            },
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::validate;
    use serde_json::json;

    fn schema() -> serde_json::Value {
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["name", "score", "tags", "note", "kind"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "score": {"type": "integer", "minimum": 0, "maximum": 100},
                "ratio": {"type": "number", "minimum": 0.0, "maximum": 1.0},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
                "note": {"type": ["string", "null"]},
                "kind": {"type": "string", "enum": ["a", "b"]},
                "ok": {"type": "boolean"},
                "nothing": {"type": "null"},
                "either": {"anyOf": [{"type": "integer"}, {"type": "string", "enum": ["none"]}]}
            }
        })
    }

    fn good() -> serde_json::Value {
        json!({"name": "x", "score": 72, "tags": ["t"], "note": null, "kind": "a"})
    }

    fn with(key: &str, v: serde_json::Value) -> serde_json::Value {
        let mut g = good();
        g[key] = v;
        g
    }

    #[test]
    fn accepts_a_matching_value() {
        assert_eq!(validate(&schema(), &good()), Ok(()));
        let full = json!({"name": "x", "score": 0, "ratio": 0.5, "tags": [], "note": "n", "kind": "b",
            "ok": true, "nothing": null, "either": "none"});
        assert_eq!(validate(&schema(), &full), Ok(()));
        assert_eq!(validate(&schema(), &with("score", json!(3.0))), Ok(()), "3.0 is an integer");
    }

    #[test]
    fn rejects_wrong_types() {
        assert!(validate(&schema(), &json!([1])).is_err());
        let err = validate(&schema(), &with("score", json!("72"))).unwrap_err();
        assert_eq!(err.path, "$.score");
        assert!(err.message.contains("expected integer, got string"), "{err}");
        assert!(validate(&schema(), &with("score", json!(7.5))).is_err());
        assert!(validate(&schema(), &with("ratio", json!("0.5"))).is_err());
        assert!(validate(&schema(), &with("ok", json!(1))).is_err());
        assert!(validate(&schema(), &with("nothing", json!(0))).is_err());
    }

    #[test]
    fn union_types_accept_each_member_only() {
        assert!(validate(&schema(), &with("note", json!("text"))).is_ok());
        assert!(validate(&schema(), &with("note", json!(null))).is_ok());
        let err = validate(&schema(), &with("note", json!(5))).unwrap_err();
        assert!(err.message.contains("string or null"), "{err}");
    }

    #[test]
    fn required_and_additional_properties() {
        let mut missing = good();
        missing.as_object_mut().unwrap().remove("kind");
        assert!(validate(&schema(), &missing).unwrap_err().message.contains("`kind`"));
        let err = validate(&schema(), &with("extra", json!(1))).unwrap_err();
        assert!(err.message.contains("unexpected property `extra`"), "{err}");
        let open = json!({"type": "object", "additionalProperties": {"type": "integer"}});
        assert!(validate(&open, &json!({"a": 1})).is_ok());
        assert!(validate(&open, &json!({"a": "1"})).is_err());
    }

    #[test]
    fn items_enum_and_bounds() {
        let err = validate(&schema(), &with("tags", json!(["a", 2]))).unwrap_err();
        assert_eq!(err.path, "$.tags[1]");
        assert!(validate(&schema(), &with("tags", json!(["a", "b", "c", "d"]))).is_err());
        assert!(validate(&schema(), &with("kind", json!("c"))).is_err());
        assert!(validate(&schema(), &with("score", json!(101))).is_err());
        assert!(validate(&schema(), &with("score", json!(-1))).is_err());
        assert!(validate(&schema(), &with("ratio", json!(1.5))).is_err());
        assert!(validate(&schema(), &with("name", json!(""))).is_err());
        assert!(validate(&schema(), &with("either", json!(4))).is_ok());
        assert!(validate(&schema(), &with("either", json!("some"))).is_err());
    }

    #[test]
    fn nested_paths_are_reported() {
        let s = json!({"type": "object", "properties": {"signals": {"type": "array", "items": {
            "type": "object", "required": ["type"], "properties": {"type": {"type": "string"}}}}}});
        let err = validate(&s, &json!({"signals": [{"type": "x"}, {"type": 1}]})).unwrap_err();
        assert_eq!(err.path, "$.signals[1].type");
    }
}
