//! The wire error: what every function answers when it refuses a request.
//!
//! The HTTP status code and the internal cause live on the server side only;
//! the storefront matches on these variants, never on message strings.

use serde::{Deserialize, Serialize};

use crate::ids::PromoCode;
use crate::order::OrderStatus;
use crate::pricing::PromoRefusal;

/// A refusal, as the client sees it. Tagged by `error` in snake_case.
///
/// Read back through [`WireError`], a flat struct, rather than serde's
/// internally-tagged enum support: same JSON, a fraction of the code in the
/// browser bundles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "error", rename_all = "snake_case", try_from = "WireError")]
#[cfg_attr(
    feature = "openapi",
    schema(description = "A refusal: `error` names it (snake_case), with the fields of its kind.")
)]
#[non_exhaustive]
pub enum ApiError {
    /// The body is not JSON of the expected shape.
    MalformedRequest {
        /// What the parser said.
        message: String,
    },
    /// A field parsed but holds a value the rules refuse.
    Validation {
        /// The field, as named in the request (`email`, `quantity`, …).
        field: String,
        /// Why it is refused.
        message: String,
    },
    /// The path exists, but not with this HTTP method.
    MethodNotAllowed,
    /// The body is larger than the function accepts.
    PayloadTooLarge {
        /// The largest body accepted, in bytes.
        max_bytes: u32,
    },
    /// A state-changing request whose body is not declared `application/json`.
    UnsupportedMediaType {
        /// The media type required (`application/json`).
        expected: String,
    },
    /// A state-changing request sent from a page that is not the shop's
    /// (another origin, even of the same site): refused whoever is signed in.
    CrossOrigin,
    /// Too many failed attempts from this address or on this account: wait.
    TooManyAttempts {
        /// Seconds to wait before trying again (also in `Retry-After`).
        retry_after_seconds: u32,
    },
    /// The thing named in the path does not exist (or is not yours).
    NotFound {
        /// Which kind of thing (`product`, `cart`, `order`, …).
        resource: String,
    },
    /// The SKU is not sold here.
    UnknownSku {
        /// The SKU asked for.
        sku: String,
    },
    /// Fewer units are available than asked for.
    InsufficientStock {
        /// The SKU asked for.
        sku: String,
        /// What can be had right now.
        available: u32,
    },
    /// The cart has no lines.
    EmptyCart,
    /// A promotion code does not apply, and why.
    PromotionRefused {
        /// The code.
        code: PromoCode,
        /// Why.
        refusal: PromoRefusal,
    },
    /// The order cannot go from its status to the one asked.
    InvalidTransition {
        /// Where the order is.
        from: OrderStatus,
        /// Where the request wanted it.
        to: OrderStatus,
    },
    /// The request conflicts with the current state (e.g. a payment already settled).
    Conflict {
        /// What conflicts.
        message: String,
    },
    /// No valid session: sign in.
    Unauthorized,
    /// Signed in, but this account may not do that.
    Forbidden,
    /// Wrong e-mail or password (deliberately not saying which).
    InvalidCredentials,
    /// A webhook or callback failed its signature check.
    InvalidSignature,
    /// The payment provider could not be reached or refused; try again.
    PaymentProviderUnavailable,
    /// The shop cannot serve right now (its store is unreachable or its
    /// schema behind); try again later.
    ServiceUnavailable {
        /// What is not ready.
        message: String,
    },
    /// Something failed on our side; details are in the server logs.
    Internal,
}

/// Every field any [`ApiError`] variant carries, as the JSON has them.
#[derive(Deserialize)]
pub struct WireError {
    error: String,
    message: Option<String>,
    field: Option<String>,
    resource: Option<String>,
    sku: Option<String>,
    available: Option<u32>,
    max_bytes: Option<u32>,
    expected: Option<String>,
    retry_after_seconds: Option<u32>,
    code: Option<PromoCode>,
    refusal: Option<PromoRefusal>,
    from: Option<OrderStatus>,
    to: Option<OrderStatus>,
}

impl TryFrom<WireError> for ApiError {
    type Error = String;

    fn try_from(w: WireError) -> Result<Self, String> {
        let need = |v: Option<String>, name: &str| v.ok_or(format!("missing field `{name}`"));
        Ok(match w.error.as_str() {
            "malformed_request" => Self::MalformedRequest {
                message: need(w.message, "message")?,
            },
            "validation" => Self::Validation {
                field: need(w.field, "field")?,
                message: need(w.message, "message")?,
            },
            "method_not_allowed" => Self::MethodNotAllowed,
            "payload_too_large" => Self::PayloadTooLarge {
                max_bytes: w.max_bytes.ok_or("missing field `max_bytes`")?,
            },
            "unsupported_media_type" => Self::UnsupportedMediaType {
                expected: need(w.expected, "expected")?,
            },
            "cross_origin" => Self::CrossOrigin,
            "too_many_attempts" => Self::TooManyAttempts {
                retry_after_seconds: w
                    .retry_after_seconds
                    .ok_or("missing field `retry_after_seconds`")?,
            },
            "not_found" => Self::NotFound {
                resource: need(w.resource, "resource")?,
            },
            "unknown_sku" => Self::UnknownSku {
                sku: need(w.sku, "sku")?,
            },
            "insufficient_stock" => Self::InsufficientStock {
                sku: need(w.sku, "sku")?,
                available: w.available.ok_or("missing field `available`")?,
            },
            "empty_cart" => Self::EmptyCart,
            "promotion_refused" => Self::PromotionRefused {
                code: w.code.ok_or("missing field `code`")?,
                refusal: w.refusal.ok_or("missing field `refusal`")?,
            },
            "invalid_transition" => Self::InvalidTransition {
                from: w.from.ok_or("missing field `from`")?,
                to: w.to.ok_or("missing field `to`")?,
            },
            "conflict" => Self::Conflict {
                message: need(w.message, "message")?,
            },
            "unauthorized" => Self::Unauthorized,
            "forbidden" => Self::Forbidden,
            "invalid_credentials" => Self::InvalidCredentials,
            "invalid_signature" => Self::InvalidSignature,
            "payment_provider_unavailable" => Self::PaymentProviderUnavailable,
            "service_unavailable" => Self::ServiceUnavailable {
                message: need(w.message, "message")?,
            },
            "internal" => Self::Internal,
            other => return Err(format!("unknown error `{other}`")),
        })
    }
}

impl ApiError {
    /// Shorthand for a [`ApiError::Validation`] on one field.
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// Shorthand for a [`ApiError::NotFound`].
    pub fn not_found(resource: &str) -> Self {
        Self::NotFound {
            resource: resource.to_owned(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MalformedRequest { message } => write!(f, "malformed request: {message}"),
            Self::Validation { field, message } => write!(f, "{field}: {message}"),
            Self::MethodNotAllowed => f.write_str("method not allowed"),
            Self::PayloadTooLarge { max_bytes } => {
                write!(f, "the body is larger than {max_bytes} bytes")
            }
            Self::UnsupportedMediaType { expected } => write!(f, "the body must be {expected}"),
            Self::CrossOrigin => f.write_str("request from another origin"),
            Self::TooManyAttempts {
                retry_after_seconds,
            } => write!(f, "too many attempts; retry in {retry_after_seconds} s"),
            Self::NotFound { resource } => write!(f, "{resource} not found"),
            Self::UnknownSku { sku } => write!(f, "unknown SKU {sku}"),
            Self::InsufficientStock { sku, available } => {
                write!(f, "only {available} of {sku} available")
            }
            Self::EmptyCart => f.write_str("the cart is empty"),
            Self::PromotionRefused { code, refusal } => {
                write!(f, "code {code} refused: {refusal:?}")
            }
            Self::InvalidTransition { from, to } => {
                write!(f, "an order cannot go from {from:?} to {to:?}")
            }
            Self::Conflict { message } => f.write_str(message),
            Self::Unauthorized => f.write_str("sign in first"),
            Self::Forbidden => f.write_str("not allowed for this account"),
            Self::InvalidCredentials => f.write_str("wrong e-mail or password"),
            Self::InvalidSignature => f.write_str("invalid signature"),
            Self::PaymentProviderUnavailable => f.write_str("the payment provider is unavailable"),
            Self::ServiceUnavailable { message } => write!(f, "unavailable: {message}"),
            Self::Internal => f.write_str("internal error"),
        }
    }
}

impl std::error::Error for ApiError {}

/// Why a value could not be parsed into one of the contract newtypes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError(pub String);

impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValidationError {}

impl ValidationError {
    /// Turns the error into the wire error for `field`.
    pub fn on(self, field: &str) -> ApiError {
        ApiError::validation(field, self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_shape_is_tagged_snake_case() {
        let json = serde_json::to_value(ApiError::InsufficientStock {
            sku: "TS-BLEU-M".into(),
            available: 2,
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": "insufficient_stock", "sku": "TS-BLEU-M", "available": 2})
        );
        let json = serde_json::to_value(ApiError::EmptyCart).unwrap();
        assert_eq!(json, serde_json::json!({"error": "empty_cart"}));
        let back: ApiError = serde_json::from_value(serde_json::json!({
            "error": "invalid_transition", "from": "pending_payment", "to": "shipped"
        }))
        .unwrap();
        assert_eq!(
            back,
            ApiError::InvalidTransition {
                from: OrderStatus::PendingPayment,
                to: OrderStatus::Shipped
            }
        );
    }

    #[test]
    fn every_variant_reads_back_what_it_wrote() {
        use crate::Money;
        let code = PromoCode::parse("BIENVENUE10").unwrap();
        let all = [
            ApiError::MalformedRequest {
                message: "eof".into(),
            },
            ApiError::validation("email", "invalid"),
            ApiError::MethodNotAllowed,
            ApiError::PayloadTooLarge { max_bytes: 65536 },
            ApiError::UnsupportedMediaType {
                expected: "application/json".into(),
            },
            ApiError::CrossOrigin,
            ApiError::TooManyAttempts {
                retry_after_seconds: 30,
            },
            ApiError::not_found("order"),
            ApiError::UnknownSku { sku: "X-1".into() },
            ApiError::InsufficientStock {
                sku: "X-1".into(),
                available: 0,
            },
            ApiError::EmptyCart,
            ApiError::PromotionRefused {
                code: code.clone(),
                refusal: PromoRefusal::Expired,
            },
            ApiError::PromotionRefused {
                code,
                refusal: PromoRefusal::BelowMinimum {
                    minimum: Money::eur(5000),
                },
            },
            ApiError::InvalidTransition {
                from: OrderStatus::Paid,
                to: OrderStatus::Delivered,
            },
            ApiError::Conflict {
                message: "settled".into(),
            },
            ApiError::Unauthorized,
            ApiError::Forbidden,
            ApiError::InvalidCredentials,
            ApiError::InvalidSignature,
            ApiError::PaymentProviderUnavailable,
            ApiError::ServiceUnavailable {
                message: "schema behind".into(),
            },
            ApiError::Internal,
        ];
        for e in all {
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(
                serde_json::from_str::<ApiError>(&json).unwrap(),
                e,
                "{json}"
            );
        }
        assert!(serde_json::from_str::<ApiError>(r#"{"error":"nope"}"#).is_err());
        assert!(serde_json::from_str::<ApiError>(r#"{"error":"validation","field":"x"}"#).is_err());
    }
}
