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
        ApiError::Validation { .. } | ApiError::UnknownSku { .. } | ApiError::EmptyCart => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
        ApiError::InsufficientStock { .. }
        | ApiError::InvalidTransition { .. }
        | ApiError::Conflict { .. } => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
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
        (status_of(&api), axum::Json(api)).into_response()
    }
}
