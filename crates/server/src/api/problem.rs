//! Errors of the API as `application/problem+json` (RFC 9457). Internal details are logged,
//! never returned.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// A problem details document (RFC 9457 §3.1).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Problem {
    /// A URI reference identifying the problem type; `about:blank` for plain HTTP statuses.
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    /// Short summary of the problem type.
    pub(crate) title: String,
    /// HTTP status code.
    pub(crate) status: u16,
    /// What went wrong in this occurrence.
    pub(crate) detail: String,
}

/// Every error an API handler can return.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    /// The request is malformed or names something invalid (400).
    #[error("{0}")]
    BadRequest(String),
    /// Nothing at this address (404).
    #[error("{0}")]
    NotFound(String),
    /// The request is well-formed but cannot be carried out, e.g. incommensurable units (422).
    #[error("{0}")]
    Unprocessable(String),
    /// No valid credentials for a request that needs them (401).
    #[error("{0}")]
    Unauthorized(String),
    /// The caller is known but may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// The request contradicts the stored state, e.g. a comparison registered twice (409).
    #[error("{0}")]
    Conflict(String),
    /// The body is larger than the endpoint accepts (413).
    #[error("{0}")]
    TooLarge(String),
    /// The body is in a media type the endpoint does not read (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The storage failed (500); the cause is logged.
    #[error(transparent)]
    Store(sevres_store::StoreError),
    /// A defect of the server, e.g. built-in data that do not read (500); the cause is logged.
    #[error("{0}")]
    Internal(String),
}

impl From<sevres_store::StoreError> for ApiError {
    /// Store errors that describe the request become client errors; the others are the server's.
    fn from(e: sevres_store::StoreError) -> ApiError {
        use sevres_store::StoreError;
        match e {
            StoreError::Conflict(m) => ApiError::Conflict(m),
            StoreError::NotFound(m) => ApiError::NotFound(m),
            StoreError::Invalid(m) => ApiError::Unprocessable(m),
            other => ApiError::Store(other),
        }
    }
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Store(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Builds a problem+json response.
pub(crate) fn problem(status: StatusCode, detail: String) -> Response {
    let body = Problem {
        kind: "about:blank",
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail,
    };
    let json = serde_json::to_string(&body).unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        json,
    )
        .into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let detail = match &self {
            ApiError::Store(e) => {
                tracing::error!(error = %e, "storage failure");
                "the server could not complete the request".to_owned()
            }
            ApiError::Internal(e) => {
                tracing::error!(error = %e, "server defect");
                "the server could not complete the request".to_owned()
            }
            other => other.to_string(),
        };
        let mut response = problem(status, detail);
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"sevres\""),
            );
        }
        response
    }
}
