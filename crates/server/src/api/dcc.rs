//! Digital Calibration Certificates over HTTP (`/api/v1/dcc`): `POST /check` answers the JSON
//! object `sevres dcc check` prints for a file (schema, semantic rules, signature against the
//! operator's trust anchors, traceability to the server's CMC registry), `POST /render` the HTML
//! page `sevres dcc render` prints. The DCC is the body (`application/xml`, `text/xml`) or the
//! `file` part of `multipart/form-data`; bodies over 64 MiB are refused (413) after reading at
//! most that much. Anonymous: nothing is stored.

use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, PartialSchema, ToSchema};

use super::problem::Problem;
use super::{bad_query, ApiError};
use crate::dcc::{self as service, Renderings, MAX_SIZE};
use crate::AppState;

/// The policy of a rendered DCC: user-supplied content, so no script, no request anywhere, no
/// framing; only its own inline style sheet.
const RENDER_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/dcc/check",
            post(check).layer(DefaultBodyLimit::max(MAX_SIZE)),
        )
        .route(
            "/api/v1/dcc/render",
            post(render).layer(DefaultBodyLimit::max(MAX_SIZE)),
        )
}

// ---------------------------------------------------------------------------------------------
// The report's description in the OpenAPI document. The body itself is
// `sevres_dcc::Report::to_json`, the object the command line prints, so that both faces cannot
// drift apart; this type only describes it.

/// The report of one DCC, as `sevres dcc check` prints it.
struct DccReport;

/// A property of type `ty` (nullable when `null`) described by `text`.
fn property(ty: Type, null: bool, text: &str) -> ObjectBuilder {
    let kind = if null {
        SchemaType::from_iter([ty, Type::Null])
    } else {
        SchemaType::Type(ty)
    };
    ObjectBuilder::new()
        .schema_type(kind)
        .description(Some(text))
}

impl PartialSchema for DccReport {
    fn schema() -> RefOr<Schema> {
        let finding = || {
            ObjectBuilder::new()
            .description(Some("One finding."))
            .property(
                "code",
                property(
                    Type::String,
                    false,
                    "Stable code: INPUT-DOCTYPE, XSD1871, SCH-REFID-UNRESOLVED, DSI-UNIT, SIG-… \
                     (docs/dcc.md lists them).",
                ),
            )
            .property("message", property(Type::String, false, "What is wrong."))
            .property(
                "line",
                property(Type::Integer, true, "1-based line of the DCC, when known."),
            )
            .required("code")
            .required("message")
            .required("line")
        };
        let trace = ObjectBuilder::new().description(Some(
            "One calibrated value against the issuing laboratory's CMCs: quantity, line, index, \
             value, unit, evaluated_at, claimed_uncertainty, claimed_k2_si, coverage, institute, \
             institute_match, in_range, cmcs [{code, cmc_uncertainty_k2_si, ok}], status (ok, \
             below_cmc, indeterminate, out_of_range, no_cmc, no_institute, not_evaluable); see \
             docs/dcc.md.",
        ));
        let mut report =
            ObjectBuilder::new()
                .description(Some(
                    "The report of one DCC, the object `sevres dcc check` prints for a file.",
                ))
                .property(
                    "file",
                    property(
                        Type::String,
                        false,
                        "`?file=`, else the uploaded file's name, else `upload.xml`.",
                    ),
                )
                .property(
                    "schema_version",
                    property(Type::String, true, "The root's schemaVersion, when read."),
                )
                .property(
                    "valid",
                    property(
                        Type::Boolean,
                        false,
                        "No error and, where signed, a valid signature.",
                    ),
                )
                .property(
                    "xsd_valid",
                    property(
                        Type::Boolean,
                        false,
                        "The schema verdict alone (as xmllint --schema).",
                    ),
                )
                .property(
                    "errors",
                    finding()
                        .to_array_builder()
                        .description(Some("Every error: any makes the DCC invalid.")),
                )
                .property(
                    "warnings",
                    finding()
                        .to_array_builder()
                        .description(Some("Findings that do not make it invalid.")),
                )
                .property(
                    "signature",
                    property(Type::String, false, "The XML signature's status.")
                        .enum_values(Some(["none", "valid", "invalid", "untrusted", "revoked"])),
                )
                .property(
                    "traceability",
                    trace
                        .to_array_builder()
                        .description(Some("One entry per calibrated value with an uncertainty.")),
                )
                .property(
                    "notice",
                    property(
                        Type::String,
                        false,
                        "Present when the traceability was checked against synthetic CMCs.",
                    ),
                );
        for required in [
            "file",
            "schema_version",
            "valid",
            "xsd_valid",
            "errors",
            "warnings",
            "signature",
            "traceability",
        ] {
            report = report.required(required);
        }
        RefOr::T(Schema::Object(report.build()))
    }
}

impl ToSchema for DccReport {}

// ---------------------------------------------------------------------------------------------
// Check

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct CheckQuery {
    /// The report's `file`; default: the uploaded file's name, else `upload.xml`.
    file: Option<String>,
    /// The time at which certificates must be valid (`xs:dateTime`, e.g.
    /// `2026-12-01T00:00:00Z`); default: the signing time the signature declares.
    at: Option<String>,
}

/// Checks a DCC (schema of its `schemaVersion`, PTB's Schematron rules, D-SI units, the XML
/// signature against the server's trust anchors, traceability of each calibrated value to the
/// laboratory's CMCs in the server's registry) and answers the JSON object `sevres dcc check`
/// prints, valid or not: validity is in the body. A refused input (DOCTYPE, not well-formed,
/// unsupported version) is a report with one `INPUT-…` error.
#[utoipa::path(post, path = "/api/v1/dcc/check", tag = "dcc", params(CheckQuery),
    request_body(description = "The DCC XML (at most 64 MiB), or multipart/form-data with the DCC as its `file` part",
        content((String = "application/xml"), (String = "text/xml"), (Object = "multipart/form-data"))),
    responses((status = 200, body = DccReport), (status = 400, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem)))]
async fn check(
    State(state): State<AppState>,
    query: Result<Query<CheckQuery>, QueryRejection>,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let at = q.at.as_deref().map(service::validation_time).transpose()?;
    let upload = service::upload(&state, request).await?;
    let file = q
        .file
        .or(upload.file_name)
        .unwrap_or_else(|| "upload.xml".into());
    let examined = service::examine(&state, upload.bytes, at, Renderings::None).await?;
    Ok(Json(examined.to_json(&file)))
}

// ---------------------------------------------------------------------------------------------
// Render

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct RenderQuery {
    /// ISO 639-1 code among the DCC's `usedLangCodeISO639_1`; default: the first declared.
    lang: Option<String>,
}

/// Renders a DCC as a self-contained HTML page (administrative data, items, laboratory,
/// statements, methods, influence conditions, result tables) in one of the languages it
/// declares, as `sevres dcc render` does. Served with a Content-Security-Policy that allows no
/// script and no request (the page is user-supplied content). The DCC is not checked: use
/// `/api/v1/dcc/check` for the verdict.
#[utoipa::path(post, path = "/api/v1/dcc/render", tag = "dcc", params(RenderQuery),
    request_body(description = "The DCC XML (at most 64 MiB), or multipart/form-data with the DCC as its `file` part",
        content((String = "application/xml"), (String = "text/xml"), (Object = "multipart/form-data"))),
    responses((status = 200, description = "The DCC as an HTML page", content_type = "text/html", body = String),
        (status = 400, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
async fn render(
    State(state): State<AppState>,
    query: Result<Query<RenderQuery>, QueryRejection>,
    request: Request,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let lang = q
        .lang
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty());
    let upload = service::upload(&state, request).await?;
    let html = service::render(upload.bytes, lang).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(RENDER_CSP),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        html,
    )
        .into_response())
}
