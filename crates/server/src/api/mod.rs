//! The JSON API under `/api/v1`, and its OpenAPI document at `/api/v1/openapi.json`.

mod negotiate;
mod problem;
mod si;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::AppState;
pub(crate) use problem::ApiError;

/// The OpenAPI 3 description of the API, generated from the handlers and DTOs.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sevres API",
        description = "The digital infrastructure of the international measurement system: the SI Reference Point, and more services to follow."
    ),
    paths(
        health,
        si::units,
        si::unit,
        si::prefixes,
        si::prefix,
        si::constants,
        si::constant,
        si::quantities,
        si::quantity,
        si::reference_point,
        si::releases,
        si::release,
        si::convert_one,
        si::convert_batch,
        si::parse,
        si::translate,
    ),
    components(schemas(Health, problem::Problem))
)]
pub struct ApiDoc;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/openapi.json", get(openapi))
        .merge(si::router())
        .fallback(not_found)
}

/// Whether the server and its database answer.
#[derive(Serialize, ToSchema)]
struct Health {
    /// `ok` when everything answers.
    status: &'static str,
    /// The server's version.
    version: &'static str,
}

/// Health of the server and its database.
#[utoipa::path(get, path = "/api/v1/health", tag = "platform",
    responses((status = 200, body = Health), (status = 503, body = problem::Problem)))]
async fn health(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(Health {
            status: "ok",
            version: env!("CARGO_PKG_VERSION"),
        })
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database does not answer");
            problem::problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database does not answer".into(),
            )
        }
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn not_found(uri: axum::http::Uri) -> Response {
    problem::problem(
        StatusCode::NOT_FOUND,
        format!("no resource at {}", uri.path()),
    )
}

/// Turns axum's query rejections into problem+json.
pub(crate) fn bad_query(rejection: QueryRejection) -> ApiError {
    ApiError::BadRequest(rejection.body_text())
}

/// Turns axum's JSON body rejections into problem+json.
pub(crate) fn bad_json(rejection: JsonRejection) -> ApiError {
    ApiError::BadRequest(rejection.body_text())
}
