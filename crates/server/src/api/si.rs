//! The SI Reference Point over HTTP: the reference data (units, prefixes, constants, quantity
//! kinds) in JSON, JSON-LD and Turtle, its releases with their digests, and unit parsing,
//! conversion and translation in every notation.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sevres_si::reference::{self, ConstantDef, PrefixDef, QuantityDef, UnitClass, UnitDef};
use sevres_si::{Conversion, Notation};
use utoipa::{IntoParams, ToSchema};

use super::negotiate::{self, Format};
use super::{bad_json, bad_query, ApiError};
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/si", get(reference_point))
        .route("/api/v1/si/units", get(units))
        .route("/api/v1/si/units/{id}", get(unit))
        .route("/api/v1/si/prefixes", get(prefixes))
        .route("/api/v1/si/prefixes/{id}", get(prefix))
        .route("/api/v1/si/constants", get(constants))
        .route("/api/v1/si/constants/{id}", get(constant))
        .route("/api/v1/si/quantities", get(quantities))
        .route("/api/v1/si/quantities/{id}", get(quantity))
        .route("/api/v1/si/releases", get(releases))
        .route("/api/v1/si/releases/{version}", get(release))
        .route("/api/v1/si/convert", get(convert_one).post(convert_batch))
        .route("/api/v1/si/parse", get(parse))
        .route("/api/v1/si/translate", get(translate))
}

/// Our own stable URL for an entity of the reference point.
fn own_url(collection: &str, id: &str) -> String {
    format!("/api/v1/si/{collection}/{id}")
}

/// English and French labels.
#[derive(Serialize, ToSchema)]
struct Labels {
    en: &'static str,
    fr: &'static str,
}

/// A unit of the SI reference data.
#[derive(Serialize, ToSchema)]
struct UnitDto {
    /// Local name in the SI Reference Point.
    id: &'static str,
    /// Persistent identifier (the SI Reference Point's).
    pid: &'static str,
    /// Our own stable URL.
    url: String,
    symbol: &'static str,
    label: Labels,
    /// `base`, `special-named`, `non-si-accepted` or `other`.
    class: &'static str,
    /// Dimension, e.g. `T^-2 L M`.
    dimension: String,
    /// Exact value of one of this unit in coherent SI units.
    factor: &'static str,
    /// Exact offset for affine units (°C), else `0`.
    offset: &'static str,
    prefixable: bool,
    /// The PTB D-SI spelling, e.g. `\metre`.
    dsi: String,
    /// The UCUM code, where UCUM has one.
    ucum: &'static str,
}

impl From<&'static UnitDef> for UnitDto {
    fn from(u: &'static UnitDef) -> Self {
        UnitDto {
            id: u.id,
            pid: u.pid,
            url: own_url("units", u.id),
            symbol: u.symbol,
            label: Labels {
                en: u.label_en,
                fr: u.label_fr,
            },
            class: match u.class {
                UnitClass::Base => "base",
                UnitClass::SpecialNamed => "special-named",
                UnitClass::NonSiAccepted => "non-si-accepted",
                UnitClass::Other => "other",
            },
            dimension: sevres_si::Dimension::from_integers(u.dimension).to_string(),
            factor: u.factor,
            offset: u.offset,
            prefixable: u.prefixable,
            dsi: format!("\\{}", u.dsi),
            ucum: u.ucum,
        }
    }
}

/// An SI prefix.
#[derive(Serialize, ToSchema)]
struct PrefixDto {
    id: &'static str,
    pid: &'static str,
    url: String,
    symbol: &'static str,
    /// The prefix is 10 to this power.
    exponent: i32,
    label: Labels,
    ucum: &'static str,
}

impl From<&'static PrefixDef> for PrefixDto {
    fn from(p: &'static PrefixDef) -> Self {
        PrefixDto {
            id: p.id,
            pid: p.pid,
            url: own_url("prefixes", p.id),
            symbol: p.symbol,
            exponent: p.exponent,
            label: Labels {
                en: p.label_en,
                fr: p.label_fr,
            },
            ucum: p.ucum,
        }
    }
}

/// A defining constant of the SI.
#[derive(Serialize, ToSchema)]
struct ConstantDto {
    id: &'static str,
    pid: &'static str,
    url: String,
    symbol: &'static str,
    label: Labels,
    /// Exact value.
    value: &'static str,
    /// Unit in SI text notation.
    unit: &'static str,
}

impl From<&'static ConstantDef> for ConstantDto {
    fn from(c: &'static ConstantDef) -> Self {
        ConstantDto {
            id: c.id,
            pid: c.pid,
            url: own_url("constants", c.id),
            symbol: c.symbol,
            label: Labels {
                en: c.label_en,
                fr: c.label_fr,
            },
            value: c.value,
            unit: c.unit,
        }
    }
}

/// A kind of quantity.
#[derive(Serialize, ToSchema)]
struct QuantityDto {
    id: &'static str,
    pid: &'static str,
    url: String,
    label: Labels,
    dimension: String,
    /// Coherent SI unit in SI text notation.
    unit: &'static str,
}

impl From<&'static QuantityDef> for QuantityDto {
    fn from(q: &'static QuantityDef) -> Self {
        QuantityDto {
            id: q.id,
            pid: q.pid,
            url: own_url("quantities", q.id),
            label: Labels {
                en: q.label_en,
                fr: q.label_fr,
            },
            dimension: sevres_si::Dimension::from_integers(q.dimension).to_string(),
            unit: q.unit,
        }
    }
}

/// `?format=json|jsonld|turtle` (overrides the Accept header).
#[derive(Deserialize, IntoParams)]
struct FormatQuery {
    format: Option<String>,
}

/// Serves one entity or a list, in the negotiated format.
fn represent(headers: &HeaderMap, query: &FormatQuery, value: Value) -> Result<Response, ApiError> {
    let format = Format::choose(query.format.as_deref(), headers).map_err(ApiError::BadRequest)?;
    let body = match format {
        Format::Json => value.to_string(),
        Format::JsonLd => with_context(value).to_string(),
        Format::Turtle => {
            return Err(ApiError::BadRequest(
                "Turtle is served for the whole reference point: GET /api/v1/si?format=turtle"
                    .into(),
            ))
        }
    };
    Ok(negotiate::respond(
        headers,
        &reference::digest(),
        format,
        body,
    ))
}

/// Adds the JSON-LD context (onto the SI Reference Point vocabulary; it maps `pid` to `@id`).
fn with_context(value: Value) -> Value {
    let context: Value = serde_json::from_str(reference::jsonld_context()).unwrap_or(Value::Null);
    match value {
        Value::Array(items) => json!({ "@context": context, "@graph": items }),
        Value::Object(mut map) => {
            map.insert("@context".into(), context);
            Value::Object(map)
        }
        other => other,
    }
}

fn to_value<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

macro_rules! collection_handlers {
    ($list:ident, $one:ident, $table:expr, $dto:ty, $path:literal, $what:literal) => {
        #[doc = concat!("Every ", $what, " of the SI reference data.")]
        #[utoipa::path(get, path = concat!("/api/v1/si/", $path), tag = "si", params(FormatQuery),
            responses((status = 200, body = [$dto])))]
        async fn $list(
            headers: HeaderMap,
            query: Result<Query<FormatQuery>, QueryRejection>,
        ) -> Result<Response, ApiError> {
            let Query(query) = query.map_err(bad_query)?;
            let items: Vec<$dto> = $table.iter().map(<$dto>::from).collect();
            represent(&headers, &query, to_value(items))
        }

        #[doc = concat!("One ", $what, " by its local name.")]
        #[utoipa::path(get, path = concat!("/api/v1/si/", $path, "/{id}"), tag = "si",
            params(("id" = String, Path), FormatQuery),
            responses((status = 200, body = $dto), (status = 404, body = super::problem::Problem)))]
        async fn $one(
            Path(id): Path<String>,
            headers: HeaderMap,
            query: Result<Query<FormatQuery>, QueryRejection>,
        ) -> Result<Response, ApiError> {
            let Query(query) = query.map_err(bad_query)?;
            let item = $table
                .iter()
                .find(|e| e.id == id)
                .ok_or_else(|| ApiError::NotFound(format!(concat!("no ", $what, " {:?}"), id)))?;
            represent(&headers, &query, to_value(<$dto>::from(item)))
        }
    };
}

collection_handlers!(units, unit, reference::UNITS, UnitDto, "units", "unit");
collection_handlers!(
    prefixes,
    prefix,
    reference::PREFIXES,
    PrefixDto,
    "prefixes",
    "prefix"
);
collection_handlers!(
    constants,
    constant,
    reference::CONSTANTS,
    ConstantDto,
    "constants",
    "defining constant"
);
collection_handlers!(
    quantities,
    quantity,
    reference::QUANTITIES,
    QuantityDto,
    "quantities",
    "quantity kind"
);

/// The whole reference point: every table, in JSON, JSON-LD or Turtle.
#[utoipa::path(get, path = "/api/v1/si", tag = "si", params(FormatQuery),
    responses((status = 200, content_type = "application/json")))]
async fn reference_point(
    headers: HeaderMap,
    query: Result<Query<FormatQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(bad_query)?;
    let format = Format::choose(query.format.as_deref(), &headers).map_err(ApiError::BadRequest)?;
    let value = json!({
        "release": reference::RELEASE,
        "digest": reference::digest(),
        "units": to_value(reference::UNITS.iter().map(UnitDto::from).collect::<Vec<_>>()),
        "prefixes": to_value(reference::PREFIXES.iter().map(PrefixDto::from).collect::<Vec<_>>()),
        "constants": to_value(reference::CONSTANTS.iter().map(ConstantDto::from).collect::<Vec<_>>()),
        "quantities": to_value(reference::QUANTITIES.iter().map(QuantityDto::from).collect::<Vec<_>>()),
    });
    let body = match format {
        Format::Json => value.to_string(),
        Format::JsonLd => {
            let mut graph = Vec::new();
            for key in ["units", "prefixes", "constants", "quantities"] {
                if let Value::Array(items) = with_context(value[key].clone())["@graph"].take() {
                    graph.extend(items);
                }
            }
            let context: Value =
                serde_json::from_str(reference::jsonld_context()).unwrap_or(Value::Null);
            json!({ "@context": context, "@graph": graph }).to_string()
        }
        Format::Turtle => reference::turtle(),
    };
    Ok(negotiate::respond(
        &headers,
        &reference::digest(),
        format,
        body,
    ))
}

/// A release of the reference data.
#[derive(Serialize, ToSchema)]
struct ReleaseDto {
    version: String,
    /// SHA-256 (hex) of the canonical serialization.
    digest: String,
    loaded_at: String,
    /// Whether this is the release the server runs on.
    current: bool,
    url: String,
}

/// Every release of the reference data this server has held; earlier releases stay retrievable.
#[utoipa::path(get, path = "/api/v1/si/releases", tag = "si",
    responses((status = 200, body = [ReleaseDto])))]
async fn releases(State(state): State<AppState>) -> Result<Json<Vec<ReleaseDto>>, ApiError> {
    let releases = state.store.si_releases().await?;
    Ok(Json(
        releases
            .into_iter()
            .map(|r| ReleaseDto {
                current: r.version == reference::RELEASE,
                url: format!("/api/v1/si/releases/{}", r.version),
                version: r.version,
                digest: r.digest,
                loaded_at: r.loaded_at,
            })
            .collect(),
    ))
}

/// One release: its canonical serialization, exactly as digested (check it with
/// `sevres si verify FILE --digest HEX`). The digest is in the `Digest` header (RFC 3230 style:
/// `sha-256=<hex>`) and in the ETag.
#[utoipa::path(get, path = "/api/v1/si/releases/{version}", tag = "si",
    params(("version" = String, Path)),
    responses((status = 200, content_type = "application/json"), (status = 404, body = super::problem::Problem)))]
async fn release(
    State(state): State<AppState>,
    Path(version): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let release = state
        .store
        .si_release(&version)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no release {version:?}")))?;
    let mut response = negotiate::respond(&headers, &release.digest, Format::Json, release.dump);
    if let Ok(value) = format!("sha-256={}", release.digest).parse() {
        response.headers_mut().insert("digest", value);
    }
    Ok(response)
}

fn notation(name: Option<&str>) -> Result<Notation, ApiError> {
    name.unwrap_or("ucum")
        .parse::<Notation>()
        .map_err(|e| ApiError::BadRequest(e.to_string()))
}

/// `GET /api/v1/si/convert` parameters.
#[derive(Deserialize, IntoParams)]
struct ConvertQuery {
    /// The value to convert.
    value: f64,
    /// Unit expression of the value.
    from: String,
    /// Unit expression to convert to.
    to: String,
    /// `ucum` (default), `dsi`, `si`, `sirp` or `qudt`.
    notation: Option<String>,
}

/// A converted value.
#[derive(Serialize, ToSchema)]
struct ConvertedDto {
    value: f64,
}

fn conversion(notation: Notation, from: &str, to: &str) -> Result<Conversion, String> {
    let from = sevres_si::parse(notation, from).map_err(|e| format!("from: {e}"))?;
    let to = sevres_si::parse(notation, to).map_err(|e| format!("to: {e}"))?;
    Conversion::new(&from, &to).map_err(|e| e.to_string())
}

/// Converts one value exactly between two commensurable unit expressions.
#[utoipa::path(get, path = "/api/v1/si/convert", tag = "si", params(ConvertQuery),
    responses((status = 200, body = ConvertedDto), (status = 400, body = super::problem::Problem),
        (status = 422, body = super::problem::Problem)))]
async fn convert_one(
    query: Result<Query<ConvertQuery>, QueryRejection>,
) -> Result<Json<ConvertedDto>, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let notation = notation(q.notation.as_deref())?;
    let conversion = conversion(notation, &q.from, &q.to).map_err(ApiError::Unprocessable)?;
    Ok(Json(ConvertedDto {
        value: conversion.apply(q.value),
    }))
}

/// A batch of conversions.
#[derive(Deserialize, ToSchema)]
struct ConvertBatch {
    /// Notation of every expression: `ucum` (default), `dsi`, `si`, `sirp` or `qudt`.
    notation: Option<String>,
    conversions: Vec<ConvertItem>,
}

/// One conversion of a batch.
#[derive(Deserialize, ToSchema)]
struct ConvertItem {
    value: f64,
    from: String,
    to: String,
}

/// Converts a batch; each result is `{"value": ...}` or `{"error": ...}`, in input order.
#[utoipa::path(post, path = "/api/v1/si/convert", tag = "si", request_body = ConvertBatch,
    responses((status = 200, body = Vec<Object>), (status = 400, body = super::problem::Problem)))]
async fn convert_batch(
    body: Result<Json<ConvertBatch>, JsonRejection>,
) -> Result<Json<Vec<Value>>, ApiError> {
    let Json(batch) = body.map_err(bad_json)?;
    let notation = notation(batch.notation.as_deref())?;
    let mut cache = sevres_si::ConversionCache::new();
    let results = batch
        .conversions
        .iter()
        .map(|item| match cache.get(notation, &item.from, &item.to) {
            Ok(conversion) => json!({ "value": conversion.apply(item.value) }),
            Err(e) => json!({ "error": e.to_string() }),
        })
        .collect();
    Ok(Json(results))
}

/// `GET /api/v1/si/parse` parameters.
#[derive(Deserialize, IntoParams)]
struct ParseQuery {
    /// The unit expression.
    expr: String,
    /// `ucum` (default), `dsi`, `si`, `sirp` or `qudt`.
    notation: Option<String>,
}

/// A parsed unit expression.
#[derive(Serialize, ToSchema)]
struct ParsedDto {
    /// The expression printed back in its notation, normalised.
    normalized: String,
    /// Its coherent SI base-unit form in the same notation (UCUM's "canonical units").
    canonical: String,
    /// Dimension in the SI base quantities, e.g. `T^-2 L M`.
    dimension: String,
    /// Value of one of it in coherent SI units (nearest double).
    factor: f64,
    /// The same, exactly.
    factor_exact: String,
    /// The expression in every notation that can write it.
    notations: std::collections::BTreeMap<String, String>,
}

/// Parses a unit expression: its canonical form, dimension and exact factor.
#[utoipa::path(get, path = "/api/v1/si/parse", tag = "si", params(ParseQuery),
    responses((status = 200, body = ParsedDto), (status = 400, body = super::problem::Problem)))]
async fn parse(
    query: Result<Query<ParseQuery>, QueryRejection>,
) -> Result<Json<ParsedDto>, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let notation = notation(q.notation.as_deref())?;
    let expr =
        sevres_si::parse(notation, &q.expr).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let normalized =
        sevres_si::print(notation, &expr).map_err(|e| ApiError::Unprocessable(e.to_string()))?;
    let scaled = expr
        .canonical()
        .map_err(|e| ApiError::Unprocessable(e.to_string()))?;
    let canonical = sevres_si::notation::canonical_expression(notation, &scaled)
        .map_err(|e| ApiError::Unprocessable(e.to_string()))?;
    let notations = Notation::ALL
        .iter()
        .filter_map(|&n| Some((n.to_string(), sevres_si::print(n, &expr).ok()?)))
        .collect();
    Ok(Json(ParsedDto {
        normalized,
        canonical,
        dimension: scaled.dimension.to_string(),
        factor: scaled.factor.to_f64(),
        factor_exact: scaled.factor.to_string(),
        notations,
    }))
}

/// `GET /api/v1/si/translate` parameters.
#[derive(Deserialize, IntoParams)]
struct TranslateQuery {
    /// The unit expression.
    expr: String,
    /// Its notation.
    from: String,
    /// The notation to write it in.
    to: String,
}

/// A translated expression.
#[derive(Serialize, ToSchema)]
struct TranslatedDto {
    expr: String,
}

/// Translates a unit expression from one notation to another.
#[utoipa::path(get, path = "/api/v1/si/translate", tag = "si", params(TranslateQuery),
    responses((status = 200, body = TranslatedDto), (status = 400, body = super::problem::Problem),
        (status = 422, body = super::problem::Problem)))]
async fn translate(
    query: Result<Query<TranslateQuery>, QueryRejection>,
) -> Result<Json<TranslatedDto>, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let from = notation(Some(&q.from))?;
    let to = notation(Some(&q.to))?;
    let expr = sevres_si::translate(from, to, &q.expr)
        .map_err(|e| ApiError::Unprocessable(e.to_string()))?;
    Ok(Json(TranslatedDto { expr }))
}
