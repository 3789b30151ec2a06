//! The JSON API under `/api/v1`, and its OpenAPI document at `/api/v1/openapi.json`.

mod accounts;
pub(crate) mod cmc;
pub(crate) mod comparisons;
pub(crate) mod dcc;
mod negotiate;
mod problem;
mod si;
pub(crate) mod time;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::AppState;
pub(crate) use problem::ApiError;

/// The OpenAPI 3 description of the API, generated from the handlers and DTOs.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sevres API",
        description = "The digital infrastructure of the international measurement system: the SI Reference Point, the Key Comparison Database, the CMC registry (KCDB 2.0 CMCs, unit-aware search) and the time services (Circular T, leap seconds, frequency stability, CGGTTS) and Digital Calibration Certificates (check and render). Writes need `Authorization: Bearer <token>`."
    ),
    modifiers(&BearerAuth),
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
        comparisons::list,
        comparisons::register,
        comparisons::analyse_data,
        comparisons::one,
        comparisons::add_participants,
        comparisons::change_status,
        comparisons::results,
        comparisons::submit_results,
        comparisons::analyses,
        comparisons::run_analysis,
        comparisons::analysis,
        comparisons::doe,
        comparisons::doe_svg,
        accounts::create,
        accounts::me,
        accounts::institutes,
        accounts::put_institute,
        accounts::audit,
        time::months,
        time::circular_t,
        time::labs,
        time::lab,
        time::clocks,
        time::leap,
        time::stability,
        time::cggtts_check,
        cmc::overview,
        cmc::domains,
        cmc::reference_data,
        cmc::search_get,
        cmc::search_post,
        cmc::export,
        cmc::one,
        cmc::import,
        dcc::check,
        dcc::render,
    ),
    components(schemas(Health, problem::Problem))
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme the write endpoints name.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/openapi.json", get(openapi))
        .merge(si::router())
        .merge(comparisons::router())
        .merge(accounts::router())
        .merge(time::router())
        .merge(cmc::router())
        .merge(dcc::router())
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
