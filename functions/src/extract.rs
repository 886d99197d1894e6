//! Request extractors that refuse bad input with a typed [`ApiError`].

use anyhow::Context as _;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use comptoir_shared::ApiError;
use comptoir_shared::ids::{IdempotencyKey, OpaqueId};
use serde::de::DeserializeOwned;

use crate::error::{AppError, AppResult};
use crate::port::Executor;

/// A JSON object parsed into a contract type. Syntax errors answer
/// `malformed_request` (400); anything but an object (an array would fill a
/// struct's fields by position) answers `validation` (422) on the body; a
/// missing, unknown or invalid field answers `validation` (422) naming the
/// field. The body's size and media type were checked at the [`crate::edge`].
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes =
            Bytes::from_request(req, state)
                .await
                .map_err(|e| ApiError::MalformedRequest {
                    message: e.body_text(),
                })?;
        parse_object(&bytes).map(Self).map_err(AppError::Api)
    }
}

/// Parses `bytes` as `T`, which must come as a JSON object.
pub fn parse_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => parse_json(bytes),
        None => Err(ApiError::MalformedRequest {
            message: "a JSON object is required".into(),
        }),
        Some(_) => Err(ApiError::validation("body", "a JSON object is required")),
    }
}

/// Parses `bytes` as `T`, mapping serde's complaint to a typed refusal.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::MalformedRequest {
                message: inner.to_string(),
            };
        }
        let message = inner.to_string();
        let message = message.split(" at line ").next().unwrap_or_default();
        refusal(&path, message)
    })
}

/// A `validation` refusal for serde's `message` at `path`. serde reports a
/// missing or repeated field at its parent's path; name the field itself.
fn refusal(path: &str, message: &str) -> ApiError {
    let named = ["missing field `", "unknown field `", "duplicate field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix))
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name);
    let field = match named {
        Some(name) if path == "." => name.to_owned(),
        // An unknown field's path already ends with it.
        Some(name) if path == name || path.ends_with(&format!(".{name}")) => path.to_owned(),
        Some(name) => format!("{path}.{name}"),
        None => path.to_owned(),
    };
    ApiError::validation(&field, message)
}

/// A query string parsed into a contract type; a parameter it cannot parse,
/// does not know (the type denies unknown fields) or gets twice answers
/// `validation` (422) naming it, so a bad filter is never silently ignored.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(raw.as_bytes()));
        serde_path_to_error::deserialize(de).map(Self).map_err(|e| {
            let path = e.path().to_string();
            refusal(&path, &e.into_inner().to_string()).into()
        })
    }
}

/// The query string of a route that takes none: any parameter is refused
/// (422 naming it) rather than silently ignored.
pub struct NoQuery;

impl<S: Send + Sync> FromRequestParts<S> for NoQuery {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        match form_urlencoded::parse(raw.as_bytes()).next() {
            Some((name, _)) => {
                Err(ApiError::validation(&name, "this route takes no query parameter").into())
            }
            None => Ok(Self),
        }
    }
}

/// A server-issued id in the path, refused as `not_found` when malformed.
pub fn path_id(raw: &str, resource: &str) -> Result<OpaqueId, ApiError> {
    OpaqueId::parse(raw).map_err(|_| ApiError::not_found(resource))
}

/// Free text from a request (a reason, a note, a name) on one line, by the
/// shared rule [`comptoir_shared::text::typed`]: trimmed, at most `max`
/// characters, something visible, not empty when `required`; 422 naming
/// `field` otherwise.
pub fn text(field: &str, value: &str, max: usize, required: bool) -> Result<String, ApiError> {
    comptoir_shared::text::typed(
        value,
        usize::from(required),
        max,
        comptoir_shared::text::Lines::One,
    )
    .map_err(|e| ApiError::validation(field, e.0))
}

/// An optional whole-number query parameter within `range`; 422 naming
/// `field` otherwise.
pub fn int_param(
    field: &str,
    raw: Option<&str>,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, ApiError> {
    raw.map(|raw| {
        raw.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| {
                ApiError::validation(
                    field,
                    format!("a whole number from {} to {}", range.start(), range.end()),
                )
            })
    })
    .transpose()
}

/// A search term (`?q=`) as a lower-case `LIKE … ESCAPE '\'` pattern that
/// matches it anywhere; `None` when absent or blank. At most 100 characters.
pub fn contains_pattern(field: &str, raw: Option<&str>) -> Result<Option<String>, ApiError> {
    let term = text(field, raw.unwrap_or_default(), 100, false)?;
    if term.is_empty() {
        return Ok(None);
    }
    let mut pattern = String::with_capacity(term.len() + 2);
    pattern.push('%');
    for c in term.to_lowercase().chars() {
        if matches!(c, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    Ok(Some(pattern))
}

/// The optional `Idempotency-Key` header.
pub struct MaybeIdempotencyKey(pub Option<IdempotencyKey>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeIdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(raw) = parts.headers.get("idempotency-key") else {
            return Ok(Self(None));
        };
        let key = raw
            .to_str()
            .ok()
            .and_then(|raw| IdempotencyKey::parse(raw).ok())
            .ok_or_else(|| {
                ApiError::validation("Idempotency-Key", "1 to 255 visible ASCII characters")
            })?;
        Ok(Self(Some(key)))
    }
}

/// The hash an `Idempotency-Key` is remembered with: a retry must send the
/// same request.
pub fn request_hash(request: &impl serde::Serialize) -> anyhow::Result<String> {
    use sha2::{Digest as _, Sha256};
    let bytes = serde_json::to_vec(request).context("hashing the request")?;
    Ok(hex::encode(Sha256::digest(bytes)))
}

/// What a request made with `key` before made: the `made` column of
/// `table` (`key`, `request_hash`, `made`, `created_at`), if it was the same
/// request; the same key with another request is a conflict (409).
pub async fn replayed(
    tx: &mut dyn Executor,
    (table, made): (&'static str, &'static str),
    key: Option<&IdempotencyKey>,
    request_hash: &str,
) -> AppResult<Option<String>> {
    let Some(key) = key else {
        return Ok(None);
    };
    let Some(row) = tx
        .optional(
            &format!("SELECT request_hash, {made} FROM {table} WHERE key = ?1"),
            crate::params![key.as_str()],
        )
        .await?
    else {
        return Ok(None);
    };
    if row.text(0)? != request_hash {
        return Err(ApiError::Conflict {
            message: "this Idempotency-Key was used with a different request".into(),
        }
        .into());
    }
    Ok(Some(row.text(1)?.to_owned()))
}

/// Remembers that the request with `key` (if any) made `id`, in the
/// transaction that made it ([`replayed`] reads it back).
pub async fn remember(
    tx: &mut dyn Executor,
    (table, made): (&'static str, &'static str),
    key: Option<&IdempotencyKey>,
    request_hash: &str,
    id: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    if let Some(key) = key {
        tx.query(
            &format!(
                "INSERT INTO {table} (key, request_hash, {made}, created_at) VALUES (?1, ?2, ?3, ?4)"
            ),
            crate::params![key.as_str(), request_hash, id, now_ms],
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use comptoir_shared::cart::SetCartLine;

    #[test]
    fn integer_parameters_are_bounded() {
        assert_eq!(int_param("page", None, 1..=9), Ok(None));
        assert_eq!(int_param("page", Some("3"), 1..=9), Ok(Some(3)));
        for bad in ["0", "10", "x", "1.5", ""] {
            assert!(matches!(
                int_param("page", Some(bad), 1..=9),
                Err(ApiError::Validation { field, .. }) if field == "page"
            ));
        }
    }

    #[test]
    fn search_terms_become_escaped_contains_patterns() {
        assert_eq!(contains_pattern("q", None), Ok(None));
        assert_eq!(contains_pattern("q", Some("  ")), Ok(None));
        assert_eq!(
            contains_pattern("q", Some(" Colis 50%_\\ ")),
            Ok(Some("%colis 50\\%\\_\\\\%".to_owned()))
        );
        assert!(contains_pattern("q", Some(&"x".repeat(101))).is_err());
    }

    #[test]
    fn only_an_object_fills_a_struct() {
        assert!(parse_object::<SetCartLine>(br#" {"sku":"TS-1","quantity":2}"#).is_ok());
        for not_object in [&br#"["TS-1",2]"#[..], b"[]", b"42", b"\"x\"", b"null"] {
            assert!(matches!(
                parse_object::<SetCartLine>(not_object),
                Err(ApiError::Validation { field, .. }) if field == "body"
            ));
        }
        assert!(matches!(
            parse_object::<SetCartLine>(b"  "),
            Err(ApiError::MalformedRequest { .. })
        ));
        assert!(matches!(
            parse_object::<SetCartLine>(br#"{"sku":"TS-1","quantity":2,"price":1}"#),
            Err(ApiError::Validation { field, .. }) if field == "price"
        ));
    }

    #[test]
    fn syntax_errors_are_malformed_and_bad_fields_are_named() {
        assert!(matches!(
            parse_json::<SetCartLine>(b"{\"sku\":"),
            Err(ApiError::MalformedRequest { .. })
        ));
        assert!(matches!(
            parse_json::<SetCartLine>(br#"{"sku":"TS-1","quantity":0}"#),
            Err(ApiError::Validation { field, .. }) if field == "quantity"
        ));
        assert!(matches!(
            parse_json::<SetCartLine>(br#"{"sku":"TS-1"}"#),
            Err(ApiError::Validation { field, .. }) if field == "quantity"
        ));
    }
}
