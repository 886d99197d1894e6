//! The committed API documents, generated from the functions' routers:
//! `docs/openapi.json` (the OpenAPI 3.1 document the native host serves) and
//! `docs/API.md`, the same rendered for people — per tag and operation: who
//! may call it, parameters, request body fields with their types and
//! constraints, answers with their bodies and typed errors; then every
//! schema. `cargo run -p comptoir-host --bin openapi -- docs/` writes both; a
//! test fails when the committed files differ from what the code generates.

use std::fmt::Write as _;

use anyhow::Context as _;
use comptoir_shared::ApiError;
use serde_json::Value;

/// The command that regenerates the committed files.
pub const COMMAND: &str = "cargo run -p comptoir-host --bin openapi -- docs/";

/// The files (`docs/<name>`) and their text.
pub fn generate() -> anyhow::Result<Vec<(&'static str, String)>> {
    let json = comptoir_functions::openapi::document_json();
    let doc: Value = serde_json::from_str(json).context("reading back the document")?;
    Ok(vec![
        ("openapi.json", json.to_owned()),
        ("API.md", markdown(&doc)?),
    ])
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "patch", "options", "head", "trace",
];

/// One of every [`ApiError`] variant, to show each refusal's status (the
/// mapping lives on the server side only). A test checks the list against
/// the variants the document names.
pub fn every_refusal() -> Vec<ApiError> {
    use comptoir_shared::order::OrderStatus;
    use comptoir_shared::pricing::PromoRefusal;
    let code = comptoir_shared::ids::PromoCode::parse("BIENVENUE10");
    let mut all = vec![
        ApiError::MalformedRequest {
            message: String::new(),
        },
        ApiError::validation("", ""),
        ApiError::MethodNotAllowed,
        ApiError::PayloadTooLarge { max_bytes: 0 },
        ApiError::UnsupportedMediaType {
            expected: String::new(),
        },
        ApiError::CrossOrigin,
        ApiError::TooManyAttempts {
            retry_after_seconds: 0,
        },
        ApiError::not_found(""),
        ApiError::UnknownSku { sku: String::new() },
        ApiError::InsufficientStock {
            sku: String::new(),
            available: 0,
        },
        ApiError::EmptyCart,
    ];
    if let Ok(code) = code {
        all.push(ApiError::PromotionRefused {
            code,
            refusal: PromoRefusal::Expired,
        });
    }
    all.extend([
        ApiError::InvalidTransition {
            from: OrderStatus::Paid,
            to: OrderStatus::Paid,
        },
        ApiError::Conflict {
            message: String::new(),
        },
        ApiError::Unauthorized,
        ApiError::Forbidden,
        ApiError::InvalidCredentials,
        ApiError::InvalidSignature,
        ApiError::PaymentProviderUnavailable,
        ApiError::ServiceUnavailable {
            message: String::new(),
        },
        ApiError::Internal,
    ]);
    all
}

/// The Markdown reference of `doc`.
pub fn markdown(doc: &Value) -> anyhow::Result<String> {
    let mut out = String::new();
    let w = &mut out;
    let schemas = &doc["components"]["schemas"];
    writeln!(w, "# Comptoir HTTP API")?;
    writeln!(w)?;
    writeln!(
        w,
        "<!-- Generated from the functions' routers by `{COMMAND}`: do not edit by hand. -->"
    )?;
    writeln!(w)?;
    writeln!(w, "{}", text(&doc["info"]["description"]))?;
    writeln!(w)?;
    writeln!(
        w,
        "The same contract, machine-readable: [`openapi.json`](openapi.json) (OpenAPI {}), also \
         served by the shop at `GET {}`. Examples below are values the shop accepts.",
        text(&doc["openapi"]),
        comptoir_functions::openapi::DOCUMENT_PATH
    )?;
    writeln!(w)?;
    conventions(w)?;
    refusals(w)?;

    writeln!(w, "## Contents")?;
    writeln!(w)?;
    let tags: Vec<&Value> = doc["tags"].as_array().into_iter().flatten().collect();
    for tag in &tags {
        let name = text(&tag["name"]);
        writeln!(w, "- [{name}](#tag-{name}) — {}", text(&tag["description"]))?;
        for (method, path, op) in operations(doc) {
            if op["tags"][0] == tag["name"] {
                writeln!(
                    w,
                    "  - [`{} {path}`](#op-{}) — {}",
                    method.to_uppercase(),
                    text(&op["operationId"]),
                    text(&op["summary"])
                )?;
            }
        }
    }
    writeln!(w, "- [Schemas](#schemas)")?;
    writeln!(w)?;

    for tag in &tags {
        let name = text(&tag["name"]);
        writeln!(w, "<a id=\"tag-{name}\"></a>")?;
        writeln!(w)?;
        writeln!(w, "## {name}")?;
        writeln!(w)?;
        writeln!(w, "{}", text(&tag["description"]))?;
        writeln!(w)?;
        for (method, path, op) in operations(doc) {
            if op["tags"][0] == tag["name"] {
                operation(w, method, path, op, schemas)?;
            }
        }
    }

    writeln!(w, "<a id=\"schemas\"></a>")?;
    writeln!(w)?;
    writeln!(w, "## Schemas")?;
    writeln!(w)?;
    for (name, schema) in schemas.as_object().into_iter().flatten() {
        writeln!(w, "<a id=\"schema-{}\"></a>", name.to_lowercase())?;
        writeln!(w)?;
        writeln!(w, "### `{name}`")?;
        writeln!(w)?;
        schema_section(w, schema)?;
    }
    Ok(out)
}

fn conventions(w: &mut String) -> anyhow::Result<()> {
    writeln!(w, "## Conventions")?;
    writeln!(w)?;
    for line in [
        "- **Bodies** are JSON objects (`Content-Type: application/json`); unknown fields are refused. \
         Money is `{\"amount\": <integer minor units>, \"currency\": \"EUR\"}`; times are unix \
         milliseconds (`_ms`); ids are 32 lower-case hex digits.",
        "- **Who may call**: each operation starts with *Public* or *Roles:*. A session is the \
         `comptoir_session` cookie set by `POST /api/accounts/signup` and `POST /api/accounts/signin`; \
         without a live one, an operation that needs it answers 401 `unauthorized`, and an account \
         without one of the roles named answers 403 `forbidden`. Admins pass every staff role check.",
        "- **State changes** (`POST`, `PUT`, `DELETE`) are accepted only from the shop's own origin \
         (the `Origin` header, or without it a `Sec-Fetch-Site` that is not cross-site), with a body \
         declared `application/json`; the payment webhook, called by the provider and signed, is \
         exempt.",
        "- **Answers** carry the security headers and `Cache-Control: no-store` unless said otherwise.",
    ] {
        writeln!(w, "{line}")?;
    }
    writeln!(w)?;
    Ok(())
}

fn refusals(w: &mut String) -> anyhow::Result<()> {
    writeln!(w, "## Refusals")?;
    writeln!(w)?;
    writeln!(
        w,
        "Every refusal is an [`ApiError`](#schema-apierror): an object whose `error` names it, with \
         the fields of its kind. Clients match on `error`, never on messages."
    )?;
    writeln!(w)?;
    writeln!(w, "| `error` | status | fields |")?;
    writeln!(w, "|---|---|---|")?;
    for refusal in every_refusal() {
        let status = comptoir_functions::error::status_of(&refusal);
        let json = serde_json::to_value(&refusal)?;
        let fields: Vec<String> = json
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| *k != "error")
            .map(|(k, _)| format!("`{k}`"))
            .collect();
        writeln!(
            w,
            "| `{}` | {} | {} |",
            text(&json["error"]),
            status.as_u16(),
            if fields.is_empty() {
                "—".to_owned()
            } else {
                fields.join(", ")
            }
        )?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "Any operation may also answer 400 `malformed_request` (a body or path that cannot be read), \
         413 `payload_too_large` (a body over 64 KiB) and 500 `internal`; a state change 403 \
         `cross_origin` and 415 `unsupported_media_type`; an operation with a body or query \
         parameters 422 `validation`; one with path parameters 404 `not_found`. They are listed \
         with each operation."
    )?;
    writeln!(w)?;
    Ok(())
}

/// Every operation as (method, path, operation), in the document's order.
pub fn operations(doc: &Value) -> Vec<(&'static str, &str, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                out.push((method, path.as_str(), op));
            }
        }
    }
    out
}

fn operation(
    w: &mut String,
    method: &str,
    path: &str,
    op: &Value,
    schemas: &Value,
) -> anyhow::Result<()> {
    writeln!(w, "<a id=\"op-{}\"></a>", text(&op["operationId"]))?;
    writeln!(w)?;
    writeln!(w, "### `{} {path}`", method.to_uppercase())?;
    writeln!(w)?;
    writeln!(
        w,
        "**{}** (`{}`)",
        text(&op["summary"]).trim_end_matches('.'),
        text(&op["operationId"])
    )?;
    writeln!(w)?;
    writeln!(w, "{}", text(&op["description"]))?;
    writeln!(w)?;

    let params: Vec<&Value> = op["parameters"].as_array().into_iter().flatten().collect();
    if !params.is_empty() {
        writeln!(w, "Parameters:")?;
        writeln!(w)?;
        writeln!(w, "| name | in | type | required | description |")?;
        writeln!(w, "|---|---|---|---|---|")?;
        for p in params {
            writeln!(
                w,
                "| `{}` | {} | {} | {} | {} |",
                text(&p["name"]),
                text(&p["in"]),
                type_of(&p["schema"]),
                if p["required"] == true { "yes" } else { "no" },
                cell(&join([
                    text(&p["description"]),
                    bracketed(constraints(&p["schema"]))
                ]))
            )?;
        }
        writeln!(w)?;
    }

    if let Some((media, content)) = op["requestBody"]["content"]
        .as_object()
        .and_then(|c| c.iter().next())
    {
        let schema = &content["schema"];
        writeln!(w, "Request body (`{media}`): {}", type_of(schema))?;
        writeln!(w)?;
        let resolved = resolve(schema, schemas);
        if resolved["properties"].is_object() {
            fields(w, resolved, schemas)?;
        } else {
            schema_section(w, resolved)?;
        }
    }

    writeln!(w, "Answers:")?;
    writeln!(w)?;
    writeln!(w, "| status | body | meaning |")?;
    writeln!(w, "|---|---|---|")?;
    for (status, answer) in op["responses"].as_object().into_iter().flatten() {
        let body = answer["content"]
            .as_object()
            .and_then(|c| c.iter().next())
            .map(|(media, content)| {
                let t = type_of(&content["schema"]);
                if media == "application/json" {
                    t
                } else {
                    format!("{t} (`{media}`)")
                }
            })
            .unwrap_or_else(|| "—".to_owned());
        let headers: Vec<String> = answer["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, h)| format!("`{name}`: {}", text(&h["description"])))
            .collect();
        writeln!(
            w,
            "| {status} | {body} | {} |",
            cell(&join([text(&answer["description"]), headers.join(" ")]))
        )?;
    }
    writeln!(w)?;
    Ok(())
}

/// A schema's own section: its description, then its fields, variants or values.
fn schema_section(w: &mut String, schema: &Value) -> anyhow::Result<()> {
    let description = text(&schema["description"]);
    if !description.is_empty() {
        writeln!(w, "{description}")?;
        writeln!(w)?;
    }
    if let Some(variants) = schema["oneOf"].as_array() {
        writeln!(w, "One of:")?;
        writeln!(w)?;
        for variant in variants {
            let props = variant["properties"].as_object();
            let tag = props.and_then(|p| {
                p.iter()
                    .find(|(_, v)| v["enum"].as_array().is_some_and(|e| e.len() == 1))
            });
            match tag {
                Some((key, value)) => {
                    let others: Vec<String> = props
                        .into_iter()
                        .flatten()
                        .filter(|(k, _)| *k != key)
                        .map(|(k, v)| format!("`{k}`: {}", type_of(v)))
                        .collect();
                    let description = text(&variant["description"]);
                    writeln!(
                        w,
                        "- `{key}: \"{}\"`{}{}",
                        text(&value["enum"][0]),
                        if others.is_empty() {
                            String::new()
                        } else {
                            format!(", {}", others.join(", "))
                        },
                        if description.is_empty() {
                            String::new()
                        } else {
                            format!(" — {description}")
                        }
                    )?;
                }
                None => writeln!(w, "- {}", type_of(variant))?,
            }
        }
        writeln!(w)?;
    } else if schema["properties"].is_object() {
        fields(w, schema, &Value::Null)?;
    } else {
        let mut facts = vec![format!("Type: {}", type_of_inline(schema))];
        let c = constraints(schema);
        if !c.is_empty() {
            facts.push(c);
        }
        writeln!(w, "{}.", facts.join("; "))?;
        writeln!(w)?;
    }
    Ok(())
}

/// The fields of an object schema; with `schemas`, the bounds of a field
/// whose type is a referenced string or number are repeated beside it.
fn fields(w: &mut String, schema: &Value, schemas: &Value) -> anyhow::Result<()> {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    writeln!(w, "| field | type | required | description |")?;
    writeln!(w, "|---|---|---|---|")?;
    for (name, field) in schema["properties"].as_object().into_iter().flatten() {
        writeln!(
            w,
            "| `{name}` | {} | {} | {} |",
            type_of(field),
            if required.contains(&name.as_str()) {
                "yes"
            } else {
                "no"
            },
            cell(&join([
                description_of(field),
                bracketed(field_constraints(field, schemas))
            ]))
        )?;
    }
    if schema["additionalProperties"] == false {
        writeln!(w)?;
        writeln!(w, "Other fields are refused.")?;
    }
    writeln!(w)?;
    Ok(())
}

/// A field's own constraints, or those of the simple type it refers to.
fn field_constraints(field: &Value, schemas: &Value) -> String {
    let own = constraints(field);
    if !own.is_empty() || schemas.is_null() {
        return own;
    }
    let target = field["oneOf"]
        .as_array()
        .and_then(|v| v.iter().find(|v| v["$ref"].is_string()))
        .unwrap_or(field);
    let resolved = resolve(target, schemas);
    if std::ptr::eq(resolved, target) || resolved["type"] == "object" || resolved["enum"].is_array()
    {
        return String::new();
    }
    constraints(resolved)
}

/// A field's description, wherever utoipa put it (beside a `$ref`, or in
/// the first branch of a nullable `oneOf`).
fn description_of(field: &Value) -> String {
    if let Some(d) = field["description"].as_str() {
        return d.to_owned();
    }
    field["oneOf"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|v| v["description"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// `#/components/schemas/X` resolved, or the schema itself.
fn resolve<'a>(schema: &'a Value, schemas: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => &schemas[r.rsplit('/').next().unwrap_or(r)],
        None => schema,
    }
}

/// A type as a reader sees it, schemas linked.
fn type_of(schema: &Value) -> String {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("[`{name}`](#schema-{})", name.to_lowercase());
    }
    if let Some(variants) = schema["oneOf"].as_array() {
        let nullable = variants.iter().any(|v| v["type"] == "null");
        let others: Vec<String> = variants
            .iter()
            .filter(|v| v["type"] != "null")
            .map(type_of)
            .collect();
        if nullable && others.len() == 1 {
            return format!("{} or null", others[0]);
        }
    }
    type_of_inline(schema)
}

fn type_of_inline(schema: &Value) -> String {
    if let Some(values) = schema["enum"].as_array() {
        return values
            .iter()
            .map(|v| {
                format!(
                    "`{}`",
                    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
                )
            })
            .collect::<Vec<_>>()
            .join(" \\| ");
    }
    let base = |t: &str| match t {
        "array" => format!("array of {}", type_of(&schema["items"])),
        "integer" => match schema["format"].as_str() {
            Some(f) => format!("integer ({f})"),
            None => "integer".to_owned(),
        },
        other => other.to_owned(),
    };
    match &schema["type"] {
        Value::String(t) => base(t),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .map(base)
            .collect::<Vec<_>>()
            .join(" or "),
        _ if schema["oneOf"].is_array() => "one of several shapes".to_owned(),
        _ => "any JSON".to_owned(),
    }
}

/// Bounds, pattern and example of a schema, in words.
fn constraints(schema: &Value) -> String {
    let mut out = Vec::new();
    match (schema["minimum"].as_i64(), schema["maximum"].as_i64()) {
        (Some(min), Some(max)) => out.push(format!("{min} to {max}")),
        (Some(min), None) if min > 0 => out.push(format!("at least {min}")),
        (None, Some(max)) => out.push(format!("at most {max}")),
        _ => {}
    }
    match (schema["minLength"].as_u64(), schema["maxLength"].as_u64()) {
        (Some(min), Some(max)) => out.push(format!("{min} to {max} characters")),
        (Some(min), None) => out.push(format!("at least {min} characters")),
        (None, Some(max)) => out.push(format!("at most {max} characters")),
        _ => {}
    }
    if let Some(pattern) = schema["pattern"].as_str() {
        out.push(format!("pattern `{pattern}`"));
    }
    let example = schema["examples"]
        .get(0)
        .or_else(|| schema.get("example"))
        .filter(|e| !e.is_null());
    if let Some(example) = example {
        out.push(format!("e.g. `{example}`"));
    }
    out.join("; ")
}

/// [`constraints`] in parentheses, for a table cell.
fn bracketed(constraints: String) -> String {
    if constraints.is_empty() {
        constraints
    } else {
        format!("({constraints})")
    }
}

fn join<const N: usize>(parts: [String; N]) -> String {
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.replace("\n\n", "\n"),
        other => other.to_string(),
    }
}

/// Text for a table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    text.replace('\n', " ").replace('|', "\\|")
}
