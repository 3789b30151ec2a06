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
    /// The storage failed (500); the cause is logged.
    #[error(transparent)]
    Store(#[from] sevres_store::StoreError),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
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
            other => other.to_string(),
        };
        problem(status, detail)
    }
}
