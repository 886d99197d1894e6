//! The one place where errors become HTTP responses.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use comptoir_shared::ApiError;

/// A handler's error: a refusal the client may see, or an internal failure
/// whose cause is logged and never sent.
#[derive(Debug)]
pub enum AppError {
    /// Sent as is.
    Api(ApiError),
    /// Logged with its context; the client sees `internal`.
    Internal(anyhow::Error),
}

/// What handlers return.
pub type AppResult<T> = Result<T, AppError>;

impl From<ApiError> for AppError {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        Self::Internal(e)
    }
}

/// The HTTP status of each refusal.
pub fn status_of(error: &ApiError) -> StatusCode {
    match error {
        ApiError::MalformedRequest { .. } | ApiError::InvalidSignature => StatusCode::BAD_REQUEST,
        ApiError::Validation { .. }
        | ApiError::UnknownSku { .. }
        | ApiError::EmptyCart
        | ApiError::PromotionRefused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
        ApiError::Unauthorized | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
        ApiError::Forbidden | ApiError::CrossOrigin => StatusCode::FORBIDDEN,
        ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        ApiError::InsufficientStock { .. }
        | ApiError::InvalidTransition { .. }
        | ApiError::Conflict { .. } => StatusCode::CONFLICT,
        ApiError::PaymentProviderUnavailable => StatusCode::BAD_GATEWAY,
        ApiError::ServiceUnavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        // A variant added to the contract without a status here is a bug; be loud.
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Every router's answer to a path it does not serve.
pub async fn no_route() -> AppError {
    AppError::Api(ApiError::not_found("route"))
}

/// Every router's answer to a method a path does not take.
pub async fn wrong_method() -> AppError {
    AppError::Api(ApiError::MethodNotAllowed)
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let api = match self {
            Self::Api(api) => api,
            Self::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "request failed");
                ApiError::Internal
            }
        };
        let mut response = (status_of(&api), axum::Json(&api)).into_response();
        if let ApiError::TooManyAttempts {
            retry_after_seconds,
        } = api
        {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(retry_after_seconds),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_a_4xx() {
        let refusals = [
            ApiError::MalformedRequest {
                message: String::new(),
            },
            ApiError::validation("x", "y"),
            ApiError::not_found("x"),
            ApiError::UnknownSku { sku: String::new() },
            ApiError::InsufficientStock {
                sku: String::new(),
                available: 0,
            },
            ApiError::EmptyCart,
            ApiError::PromotionRefused {
                code: comptoir_shared::ids::PromoCode::parse("ABC").unwrap(),
                refusal: comptoir_shared::pricing::PromoRefusal::Expired,
            },
            ApiError::InvalidTransition {
                from: comptoir_shared::order::OrderStatus::Paid,
                to: comptoir_shared::order::OrderStatus::Paid,
            },
            ApiError::Conflict {
                message: String::new(),
            },
            ApiError::InvalidSignature,
            ApiError::Unauthorized,
            ApiError::Forbidden,
            ApiError::InvalidCredentials,
            ApiError::MethodNotAllowed,
            ApiError::PayloadTooLarge { max_bytes: 1 },
            ApiError::UnsupportedMediaType {
                expected: String::new(),
            },
            ApiError::CrossOrigin,
            ApiError::TooManyAttempts {
                retry_after_seconds: 1,
            },
        ];
        for refusal in refusals {
            assert!(status_of(&refusal).is_client_error(), "{refusal:?}");
        }
    }
}
