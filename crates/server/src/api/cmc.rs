//! The CMC registry over HTTP (`/api/v1/cmc`), in the spirit of the KCDB 2.0 API: reference data
//! (`/referenceData/domain`, `/referenceData/{kind}` for metrology areas, branches, services,
//! quantities, countries, institutes and RMOs, with counts), search (`GET` with query parameters
//! or `POST` with a JSON body like KCDB's `/cmc/searchData`: words, facets, the value to be
//! measured and the greatest acceptable expanded uncertainty, in any commensurable unit), one CMC
//! by KCDB code, exports (JSON as the KCDB 2.0 API records, JSON-LD, CSV) and imports
//! (administrators; KCDB 2.0 API JSON or CSV).
//!
//! Every answer that includes synthetic CMCs (the built-in registry, `crate::cmc_data`) says so:
//! `synthetic` on each CMC and a `notice`.

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sevres_cmc::export::record;
use sevres_cmc::model::METROLOGY_AREAS;
use sevres_cmc::{to_csv, to_json, to_jsonld, Cmc, Domain, Facet};
use sevres_store::{AccountRole, CmcImport, CmcSource};
use utoipa::{IntoParams, ToSchema};

use super::comparisons::segment;
use super::negotiate::best_accepted;
use super::problem::Problem;
use super::{bad_json, bad_query, ApiError};
use crate::auth::Caller;
use crate::cmc::{
    self as service, Answer, Catalogue, LimitFields, SearchFields, UploadFormat, SYNTHETIC_NOTICE,
};
use crate::AppState;

/// Largest accepted import body.
const MAX_IMPORT_BYTES: usize = 256 * 1024 * 1024;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cmc", get(overview))
        .route("/api/v1/cmc/referenceData/domain", get(domains))
        .route("/api/v1/cmc/referenceData/{kind}", get(reference_data))
        .route("/api/v1/cmc/search", get(search_get).post(search_post))
        .route("/api/v1/cmc/export", get(export))
        .route(
            "/api/v1/cmc/import",
            post(import).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
        .route("/api/v1/cmc/{code}", get(one))
}

/// Our URL of a CMC.
pub(crate) fn cmc_url(code: &str) -> String {
    format!("/api/v1/cmc/{}", segment(code))
}

fn notice(synthetic: bool) -> Option<&'static str> {
    synthetic.then_some(SYNTHETIC_NOTICE)
}

// ---------------------------------------------------------------------------------------------
// Overview

/// One import of CMCs.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ImportDto {
    id: i64,
    /// What was imported.
    source: String,
    /// Generated CMCs, not published by the KCDB.
    synthetic: bool,
    count: u64,
    /// New KCDB codes.
    added: u64,
    /// CMCs replaced (same KCDB code).
    replaced: u64,
    /// The CMC generation this import made.
    generation: i64,
    imported_by: String,
    imported_at: String,
}

impl From<&CmcImport> for ImportDto {
    fn from(i: &CmcImport) -> Self {
        ImportDto {
            id: i.id,
            source: i.source.clone(),
            synthetic: i.synthetic,
            count: i.count,
            added: i.added,
            replaced: i.replaced,
            generation: i.generation,
            imported_by: i.imported_by.clone(),
            imported_at: i.imported_at.clone(),
        }
    }
}

/// The registry at a glance.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct OverviewDto {
    /// CMCs stored.
    total: usize,
    /// Of which synthetic.
    synthetic: usize,
    /// Present when some CMCs are synthetic.
    notice: Option<&'static str>,
    /// The CMC generation (increases with every import).
    generation: i64,
    /// Every import, oldest first.
    imports: Vec<ImportDto>,
    /// Where to search.
    search_url: &'static str,
    /// Where to export.
    export_url: &'static str,
}

/// The registry: how many CMCs, how many synthetic, and where they came from.
#[utoipa::path(get, path = "/api/v1/cmc", tag = "cmc",
    responses((status = 200, body = OverviewDto)))]
async fn overview(State(state): State<AppState>) -> Result<Json<OverviewDto>, ApiError> {
    let catalogue = state.cmc.current(state.store.as_ref()).await?;
    let imports = state.store.cmc_imports().await?;
    Ok(Json(OverviewDto {
        total: catalogue.index.registry.len(),
        synthetic: catalogue.synthetic,
        notice: notice(catalogue.synthetic > 0),
        generation: catalogue.index.generation,
        imports: imports.iter().map(ImportDto::from).collect(),
        search_url: "/api/v1/cmc/search",
        export_url: "/api/v1/cmc/export",
    }))
}

// ---------------------------------------------------------------------------------------------
// Reference data

/// A KCDB domain.
#[derive(Serialize, ToSchema)]
struct DomainDto {
    /// `PHYSICS`.
    code: &'static str,
    /// `General physics`.
    name: &'static str,
}

/// The KCDB domains, in the shape of KCDB 2.0's `GET /referenceData/domain`.
#[derive(Serialize, ToSchema)]
struct DomainsDto {
    domains: Vec<DomainDto>,
}

/// The three KCDB domains (the body of KCDB 2.0's `GET /api/kcdb/referenceData/domain`).
#[utoipa::path(get, path = "/api/v1/cmc/referenceData/domain", tag = "cmc",
    responses((status = 200, body = DomainsDto)))]
async fn domains() -> Json<DomainsDto> {
    Json(DomainsDto {
        domains: Domain::ALL
            .into_iter()
            .map(|d| DomainDto {
                code: d.code(),
                name: d.name(),
            })
            .collect(),
    })
}

/// One value of the reference data.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ReferenceValue {
    /// What to filter by (`EM`, `DE`, `PTB`, `DC voltage`).
    label: String,
    /// What to show (`Electricity and Magnetism`, `Germany`, the institute's name).
    value: String,
    /// The domain of a metrology area.
    #[serde(skip_serializing_if = "Option::is_none")]
    domain_code: Option<&'static str>,
    /// CMCs with this value (among those matching the filters).
    count: usize,
}

/// Reference data in the shape of KCDB 2.0's `/referenceData/*` answers.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ReferenceDataDto {
    /// `metrologyArea`, `branch`, `service`, `quantity`, `country`, `institute` or `rmo`.
    kind: String,
    reference_data: Vec<ReferenceValue>,
    /// Present when the registry holds synthetic CMCs.
    notice: Option<&'static str>,
}

/// Filters of the reference data: only values of the CMCs that have these.
#[derive(Deserialize, IntoParams, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
struct ReferenceQuery {
    /// Domain code (`PHYSICS`), for metrology areas.
    domain_code: Option<String>,
    /// Metrology area label (`EM`) or name.
    area: Option<String>,
    branch: Option<String>,
    service: Option<String>,
    quantity: Option<String>,
    /// Country name or ISO code.
    country: Option<String>,
    rmo: Option<String>,
    /// Institute code or name.
    institute: Option<String>,
}

impl ReferenceQuery {
    fn facets(&self) -> Vec<(Facet, String)> {
        [
            (Facet::Area, &self.area),
            (Facet::Branch, &self.branch),
            (Facet::Service, &self.service),
            (Facet::Quantity, &self.quantity),
            (Facet::Country, &self.country),
            (Facet::Rmo, &self.rmo),
            (Facet::Institute, &self.institute),
        ]
        .into_iter()
        .filter_map(|(f, v)| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| (f, v.to_string()))
        })
        .collect()
    }
}

fn reference_kind(kind: &str) -> Result<Facet, ApiError> {
    Ok(match kind {
        "metrologyArea" => Facet::Area,
        "branch" => Facet::Branch,
        "service" => Facet::Service,
        "quantity" => Facet::Quantity,
        "country" => Facet::Country,
        "institute" | "nmi" => Facet::Institute,
        "rmo" => Facet::Rmo,
        other => {
            return Err(ApiError::NotFound(format!(
                "no reference data {other:?}: use domain, metrologyArea, branch, service, \
                 quantity, country, institute or rmo"
            )))
        }
    })
}

fn reference_values(
    catalogue: &Catalogue,
    facet: Facet,
    q: &ReferenceQuery,
) -> Result<Vec<ReferenceValue>, ApiError> {
    let domain = match q.domain_code.as_deref() {
        None => None,
        Some(d) => Some(
            d.parse::<Domain>()
                .map_err(|e| ApiError::BadRequest(format!("domainCode: {e}")))?,
        ),
    };
    let values = catalogue.facet_values(facet, &q.facets());
    Ok(values
        .into_iter()
        .filter_map(|(v, count)| {
            let (value, domain_code) = match facet {
                Facet::Area => {
                    let (_, name, d) = METROLOGY_AREAS.iter().find(|(l, _, _)| *l == v)?;
                    if domain.is_some_and(|want| want != *d) {
                        return None;
                    }
                    (name.to_string(), Some(d.code()))
                }
                Facet::Institute => (
                    catalogue.institute_name(&v).unwrap_or_default().to_string(),
                    None,
                ),
                _ => (v.clone(), None),
            };
            let label = match facet {
                Facet::Country => catalogue.country_code(&v).unwrap_or(&v).to_string(),
                _ => v,
            };
            Some(ReferenceValue {
                label,
                value,
                domain_code,
                count,
            })
        })
        .collect())
}

/// Reference data of the stored CMCs, with counts: `metrologyArea`, `branch`, `service`,
/// `quantity`, `country`, `institute` or `rmo`; the filters keep the values of the CMCs that
/// match them (the branches of area `EM`, the quantities of a service).
#[utoipa::path(get, path = "/api/v1/cmc/referenceData/{kind}", tag = "cmc",
    params(("kind" = String, Path, description = "metrologyArea, branch, service, quantity, country, institute or rmo"),
        ReferenceQuery),
    responses((status = 200, body = ReferenceDataDto), (status = 400, body = Problem),
        (status = 404, body = Problem)))]
async fn reference_data(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    query: Result<Query<ReferenceQuery>, QueryRejection>,
) -> Result<Json<ReferenceDataDto>, ApiError> {
    let facet = reference_kind(&kind)?;
    let Query(q) = query.map_err(bad_query)?;
    let catalogue = state.cmc.current(state.store.as_ref()).await?;
    Ok(Json(ReferenceDataDto {
        reference_data: reference_values(&catalogue, facet, &q)?,
        kind,
        notice: notice(catalogue.synthetic > 0),
    }))
}

// ---------------------------------------------------------------------------------------------
// Search

/// Search by query parameters. Facet parameters take one value each (use `POST` for several).
#[derive(Deserialize, IntoParams, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub(crate) struct SearchQuery {
    /// Words that must all occur (a trailing `*` matches a prefix).
    text: Option<String>,
    /// Metrology area label (`EM`) or name.
    area: Option<String>,
    branch: Option<String>,
    service: Option<String>,
    /// `DC voltage`.
    quantity: Option<String>,
    /// Country name or ISO code.
    country: Option<String>,
    rmo: Option<String>,
    /// Institute code or name.
    institute: Option<String>,
    /// The value to be measured, with its unit: `10 V`, `0.01 kV`.
    at: Option<String>,
    /// The greatest acceptable expanded uncertainty at that value: relative (`1 µV/V`, `1e-6`)
    /// or absolute (`10 µV`), at k = 2 unless stated.
    max_uncertainty: Option<String>,
    /// Whether `maxUncertainty` is relative to the value (default: by its unit).
    relative: Option<bool>,
    /// The coverage factor `maxUncertainty` is stated at (default 2).
    coverage_factor: Option<f64>,
    /// The level of confidence `maxUncertainty` is stated at, in percent.
    confidence_level: Option<f64>,
    /// Only CMCs known to meet the limit (leave out those that only may).
    guaranteed_only: Option<bool>,
    /// Count the facet values over all matches.
    facets: Option<bool>,
    /// Page (0-based).
    page: Option<usize>,
    /// CMCs per page (default 20, at most 1000).
    page_size: Option<usize>,
    /// Export only: `json` (KCDB 2.0 API records), `jsonld` or `csv`; overrides `Accept`.
    format: Option<String>,
}

impl SearchQuery {
    pub(crate) fn fields(&self) -> SearchFields {
        let reference = ReferenceQuery {
            area: self.area.clone(),
            branch: self.branch.clone(),
            service: self.service.clone(),
            quantity: self.quantity.clone(),
            country: self.country.clone(),
            rmo: self.rmo.clone(),
            institute: self.institute.clone(),
            ..ReferenceQuery::default()
        };
        SearchFields {
            text: self.text.clone(),
            facets: reference.facets(),
            at: self.at.clone(),
            max_uncertainty: self.max_uncertainty.as_ref().map(|a| LimitFields {
                amount: a.clone(),
                relative: self.relative,
                coverage_factor: self.coverage_factor,
                confidence_level: self.confidence_level,
            }),
            guaranteed_only: self.guaranteed_only.unwrap_or(false),
            facet_counts: self.facets.unwrap_or(false),
            page: self.page.unwrap_or(0),
            page_size: self.page_size.unwrap_or(0),
        }
    }
}

/// A value with its unit: `"10 V"` or `{"value": 10, "unit": "V"}`.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
enum QuantityInput {
    /// `10 V`.
    Text(String),
    /// Number and unit apart.
    Parts {
        value: f64,
        /// `V`, `µV/V`, `%`; absent: the unit one.
        #[serde(default)]
        unit: String,
    },
}

impl QuantityInput {
    fn text(&self) -> String {
        match self {
            QuantityInput::Text(t) => t.clone(),
            QuantityInput::Parts { value, unit } => format!("{value:e} {unit}"),
        }
    }
}

/// The greatest acceptable expanded uncertainty.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LimitInput {
    /// `1 µV/V`, `10 µV`, or `{"value": 1, "unit": "µV/V"}`.
    amount: QuantityInput,
    /// Relative to the value (default: by the unit).
    relative: Option<bool>,
    /// Coverage factor it is stated at (default 2).
    coverage_factor: Option<f64>,
    /// Level of confidence it is stated at, percent.
    confidence_level: Option<f64>,
}

/// A limit: just the amount (`"1 µV/V"`) or with its coverage.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
enum LimitOrAmount {
    /// `1 µV/V` (k = 2).
    Amount(QuantityInput),
    /// With relative/coverage stated.
    Limit(LimitInput),
}

/// A search as a JSON body, in the spirit of KCDB 2.0's `POST /cmc/searchData`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SearchRequest {
    /// Words that must all occur.
    text: Option<String>,
    /// Facet → accepted values (several values of one facet are alternatives): `area`,
    /// `branch`, `service`, `quantity`, `country`, `rmo`, `institute`.
    #[serde(default)]
    facets: std::collections::BTreeMap<String, Vec<String>>,
    /// The value to be measured.
    at: Option<QuantityInput>,
    /// The greatest acceptable expanded uncertainty at `at`.
    max_uncertainty: Option<LimitOrAmount>,
    #[serde(default)]
    guaranteed_only: bool,
    /// Count the facet values over all matches.
    #[serde(default)]
    facet_counts: bool,
    #[serde(default)]
    page: usize,
    /// Default 20, at most 1000.
    #[serde(default)]
    page_size: usize,
}

impl SearchRequest {
    fn fields(&self) -> Result<SearchFields, ApiError> {
        let mut facets = Vec::new();
        for (name, values) in &self.facets {
            let facet = Facet::from_name(name).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "facets.{name}: unknown facet (use area, branch, service, quantity, country, rmo or institute)"
                ))
            })?;
            facets.extend(values.iter().map(|v| (facet, v.clone())));
        }
        Ok(SearchFields {
            text: self.text.clone(),
            facets,
            at: self.at.as_ref().map(QuantityInput::text),
            max_uncertainty: self.max_uncertainty.as_ref().map(|l| match l {
                LimitOrAmount::Amount(a) => LimitFields {
                    amount: a.text(),
                    ..LimitFields::default()
                },
                LimitOrAmount::Limit(l) => LimitFields {
                    amount: l.amount.text(),
                    relative: l.relative,
                    coverage_factor: l.coverage_factor,
                    confidence_level: l.confidence_level,
                },
            }),
            guaranteed_only: self.guaranteed_only,
            facet_counts: self.facet_counts,
            page: self.page,
            page_size: self.page_size,
        })
    }
}

/// A CMC's expanded uncertainty (k = 2) at the asked value.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct UncertaintyAtDto {
    /// Least value (equal to `high` when known exactly), in the unit of `at`.
    low: f64,
    high: f64,
    /// The unit of `at` as asked.
    unit: String,
    /// `low` and `high` relative to the value.
    relative_low: Option<f64>,
    relative_high: Option<f64>,
}

/// One answer.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct HitDto {
    kcdb_code: String,
    /// Our URL of the CMC.
    url: String,
    /// `meets` (within the limit), `may-meet` (only its limits are known, the lesser is within),
    /// `unassessed` (no limit asked).
    grade: &'static str,
    /// At the asked value, when one was given.
    uncertainty: Option<UncertaintyAtDto>,
    /// What limits its answers (`equation-error`, `table`, `coverage-assumed`, ...).
    flags: Vec<&'static str>,
    /// Generated, not published by the KCDB.
    synthetic: bool,
    /// The CMC as a KCDB 2.0 API record.
    #[schema(value_type = Object)]
    record: Map<String, Value>,
}

/// A page of answers, in the spirit of KCDB 2.0's search answers.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct SearchResponse {
    /// CMCs matching.
    total_elements: usize,
    total_pages: usize,
    page_number: usize,
    page_size: usize,
    /// The CMC generation answered from.
    generation: i64,
    /// Present when an answer is synthetic.
    notice: Option<&'static str>,
    /// The best first: meeting the limit, then by uncertainty at the value.
    data: Vec<HitDto>,
    /// Facet → values with counts over all matches (when asked).
    #[schema(value_type = Object)]
    facets: Option<Map<String, Value>>,
}

fn hit_dto(answer: &Answer, hit: &sevres_cmc::Hit) -> Option<HitDto> {
    let cmc = answer.cmc(hit)?;
    let synthetic = answer.catalogue.index.is_synthetic(hit.index);
    let uncertainty = service::uncertainty_in_asked_unit(&answer.query, hit).map(
        |(low, high, relative_low, relative_high)| UncertaintyAtDto {
            low,
            high,
            unit: answer
                .query
                .measurand
                .as_ref()
                .map(|m| m.unit.text.clone())
                .unwrap_or_default(),
            relative_low,
            relative_high,
        },
    );
    Some(HitDto {
        kcdb_code: cmc.kcdb_code.as_str().to_string(),
        url: cmc_url(cmc.kcdb_code.as_str()),
        grade: service::grade_name(hit.grade),
        uncertainty,
        flags: service::flag_names(hit.flags),
        synthetic,
        record: record(cmc),
    })
}

fn search_response(answer: &Answer) -> SearchResponse {
    let data: Vec<HitDto> = answer
        .hits
        .iter()
        .filter_map(|h| hit_dto(answer, h))
        .collect();
    let facets = answer.query.facet_counts.then(|| {
        answer
            .facets
            .iter()
            .map(|(f, values)| {
                let list = values
                    .iter()
                    .map(|(v, n)| serde_json::json!({"value": v, "count": n}))
                    .collect();
                (f.name().to_string(), Value::Array(list))
            })
            .collect()
    });
    SearchResponse {
        total_elements: answer.total,
        total_pages: answer.total.div_ceil(answer.page_size),
        page_number: answer.page,
        page_size: answer.page_size,
        generation: answer.catalogue.index.generation,
        notice: notice(data.iter().any(|h| h.synthetic)),
        data,
        facets,
    }
}

/// Searches the CMCs: "who can calibrate DC voltage at 10 V with an expanded uncertainty of at
/// most 1 µV/V?" is `?quantity=DC voltage&at=10 V&maxUncertainty=1 µV/V`; the value and the
/// limit may be given in any unit of their kind (`at=0.01 kV`, `maxUncertainty=10 µV`).
#[utoipa::path(get, path = "/api/v1/cmc/search", tag = "cmc", params(SearchQuery),
    responses((status = 200, body = SearchResponse), (status = 400, body = Problem),
        (status = 422, body = Problem)))]
async fn search_get(
    State(state): State<AppState>,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Json<SearchResponse>, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let answer = service::search(
        state.store.as_ref(),
        &state.cmc,
        &q.fields(),
        "at",
        "maxUncertainty",
    )
    .await?;
    Ok(Json(search_response(&answer)))
}

/// Searches the CMCs with a JSON body (several values per facet; value and limit as text or
/// as number and unit).
#[utoipa::path(post, path = "/api/v1/cmc/search", tag = "cmc", request_body = SearchRequest,
    responses((status = 200, body = SearchResponse), (status = 400, body = Problem),
        (status = 422, body = Problem)))]
async fn search_post(
    State(state): State<AppState>,
    body: Result<Json<SearchRequest>, JsonRejection>,
) -> Result<Json<SearchResponse>, ApiError> {
    let Json(req) = body.map_err(bad_json)?;
    let answer = service::search(
        state.store.as_ref(),
        &state.cmc,
        &req.fields()?,
        "at",
        "maxUncertainty",
    )
    .await?;
    Ok(Json(search_response(&answer)))
}

// ---------------------------------------------------------------------------------------------
// Export and one CMC

/// A representation of CMCs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Export {
    Json,
    JsonLd,
    Csv,
}

impl Export {
    fn from_name(name: &str) -> Option<Export> {
        match name {
            "json" | "application/json" => Some(Export::Json),
            "jsonld" | "json-ld" | "application/ld+json" => Some(Export::JsonLd),
            "csv" | "text/csv" => Some(Export::Csv),
            _ => None,
        }
    }

    fn choose(query: Option<&str>, headers: &HeaderMap) -> Result<Export, ApiError> {
        match query {
            Some(name) => Export::from_name(name).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "format: {name:?} is not offered: use json, jsonld or csv"
                ))
            }),
            None => Ok(best_accepted(headers, Export::from_name).unwrap_or(Export::Json)),
        }
    }

    fn respond(self, cmcs: &[Cmc], file: &str) -> Response {
        let (media, body, ext) = match self {
            Export::Json => ("application/json", to_json(cmcs), "json"),
            Export::JsonLd => ("application/ld+json", to_jsonld(cmcs), "jsonld"),
            Export::Csv => ("text/csv; charset=utf-8", to_csv(cmcs), "csv"),
        };
        let disposition = HeaderValue::from_str(&format!("inline; filename=\"{file}.{ext}\""))
            .unwrap_or(HeaderValue::from_static("inline"));
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(media)),
                (header::CONTENT_DISPOSITION, disposition),
                (header::VARY, HeaderValue::from_static("accept")),
            ],
            body,
        )
            .into_response()
    }
}

/// Exports the CMCs matching a search (all of them without criteria; at most 100 000), by KCDB
/// code: KCDB 2.0 API JSON, JSON-LD (schema.org `Service`s) or CSV, by `?format=` or `Accept`.
/// Synthetic CMCs are exported as they are: `GET /api/v1/cmc` says which imports are synthetic.
#[utoipa::path(get, path = "/api/v1/cmc/export", tag = "cmc", params(SearchQuery),
    responses((status = 200, content((Object = "application/json"), (Object = "application/ld+json"),
        (String = "text/csv"))), (status = 400, body = Problem), (status = 422, body = Problem)))]
async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let format = Export::choose(q.format.as_deref(), &headers)?;
    let (catalogue, indices) =
        service::matching(state.store.as_ref(), &state.cmc, &q.fields()).await?;
    let cmcs: Vec<Cmc> = indices
        .iter()
        .filter_map(|&i| catalogue.index.registry.get(i).cloned())
        .collect();
    Ok(format.respond(&cmcs, "cmcs"))
}

/// What a CMC can answer, as read by Sevres.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct CapabilityDto {
    /// The measurand range in the coherent SI unit of its kind.
    range_si_min: Option<f64>,
    range_si_max: Option<f64>,
    /// That unit (`V`, `kg m^2 s^-3 A^-1`).
    si_unit: Option<String>,
    /// What limits the answers (unreadable unit or equation, table, assumed coverage, ...).
    issues: Vec<String>,
    /// The expanded uncertainty (k = 2) at `?at=`, in its unit.
    uncertainty_at: Option<UncertaintyAtDto>,
}

/// One CMC.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct CmcDto {
    kcdb_code: String,
    url: String,
    /// Generated, not published by the KCDB.
    synthetic: bool,
    notice: Option<&'static str>,
    /// The import that wrote it.
    import: i64,
    /// The CMC as a KCDB 2.0 API record.
    #[schema(value_type = Object)]
    record: Map<String, Value>,
    capability: CapabilityDto,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct OneQuery {
    /// `json` (default), `jsonld` or `csv`; overrides `Accept`.
    format: Option<String>,
    /// A value to evaluate the expanded uncertainty at (`10 V`), for JSON.
    at: Option<String>,
}

/// One CMC by KCDB code: JSON (the KCDB 2.0 record with what Sevres reads from it), JSON-LD or
/// CSV, by `?format=` or `Accept`.
#[utoipa::path(get, path = "/api/v1/cmc/{code}", tag = "cmc",
    params(("code" = String, Path, description = "KCDB code, e.g. EURAMET-EM-DE-00000001-1"), OneQuery),
    responses((status = 200, content((CmcDto = "application/json"), (Object = "application/ld+json"),
        (String = "text/csv"))), (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn one(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    query: Result<Query<OneQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let format = Export::choose(q.format.as_deref(), &headers)?;
    let stored = state
        .store
        .cmc(&code)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no CMC {code:?}")))?;
    if format != Export::Json {
        return Ok(format.respond(
            std::slice::from_ref(&stored.cmc),
            stored.cmc.kcdb_code.as_str(),
        ));
    }
    let at =
        q.at.as_deref()
            .map(|t| service::quantity("at", t))
            .transpose()?;
    let service::Reading {
        range,
        issues,
        uncertainty: u,
    } = service::read(&stored.cmc, at.as_ref());
    let uncertainty_at = at.as_ref().zip(u).map(|(at, (low, high))| {
        let x = at.value.abs();
        let rel = |v: f64| (x > 0.0).then(|| v / x);
        UncertaintyAtDto {
            low,
            high,
            unit: at.unit.text.clone(),
            relative_low: rel(low),
            relative_high: rel(high),
        }
    });
    let c = &stored.cmc;
    Ok(Json(CmcDto {
        kcdb_code: c.kcdb_code.as_str().to_string(),
        url: cmc_url(c.kcdb_code.as_str()),
        synthetic: stored.synthetic,
        notice: notice(stored.synthetic),
        import: stored.import,
        record: record(c),
        capability: CapabilityDto {
            range_si_min: range.as_ref().map(|r| r.0),
            range_si_max: range.as_ref().map(|r| r.1),
            si_unit: range.map(|r| r.2),
            issues,
            uncertainty_at,
        },
    })
    .into_response())
}

// ---------------------------------------------------------------------------------------------
// Import

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ImportQuery {
    /// `json` (KCDB 2.0 API: a result page, a list of records or one record) or `csv`;
    /// default: by `Content-Type`, else by the first character.
    format: Option<String>,
    /// What is imported (a file name, `KCDB 2.0 API export of 2025-05-20`).
    source: Option<String>,
    /// The CMCs are synthetic (default false).
    synthetic: Option<bool>,
}

/// A record that was not imported.
#[derive(Serialize, ToSchema)]
struct RejectedDto {
    /// Index of the record in the input (0-based).
    record: usize,
    /// CSV line.
    line: Option<u64>,
    field: String,
    reason: String,
}

/// What an import did.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
struct ImportResponse {
    import: ImportDto,
    /// Records not imported (the first 100).
    rejected: Vec<RejectedDto>,
    rejected_count: usize,
    /// Fields dropped from imported records (the first 100, as `CODE field: message`).
    warnings: Vec<String>,
    warning_count: usize,
}

/// Imports CMCs (administrators): KCDB 2.0 API JSON or CSV as the body. New KCDB codes are
/// added, known ones replaced; records without a valid code are reported and skipped. One
/// transaction with one audit entry.
#[utoipa::path(post, path = "/api/v1/cmc/import", tag = "cmc", params(ImportQuery),
    request_body(content((Object = "application/json"), (String = "text/csv"))),
    responses((status = 201, body = ImportResponse), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<Query<ImportQuery>, QueryRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let account = caller.account()?;
    if account.role != AccountRole::Administrator {
        return Err(ApiError::Forbidden(
            "only administrators may import CMCs".into(),
        ));
    }
    let Query(q) = query.map_err(bad_query)?;
    let text = std::str::from_utf8(&body)
        .map_err(|e| ApiError::BadRequest(format!("body: not UTF-8 text ({e})")))?;
    let format = match q.format.as_deref() {
        Some(name) => UploadFormat::from_name(name).ok_or_else(|| {
            ApiError::BadRequest(format!("format: {name:?} is not offered: use json or csv"))
        })?,
        None => headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(UploadFormat::from_name)
            .unwrap_or_else(|| UploadFormat::sniff(text)),
    };
    let read = service::read_upload(format, text)?;
    let source = CmcSource {
        description: q
            .source
            .map(|s| s.trim().chars().take(200).collect::<String>())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| match format {
                UploadFormat::Json => "KCDB 2.0 API JSON upload".into(),
                UploadFormat::Csv => "CSV upload".into(),
            }),
        synthetic: q.synthetic.unwrap_or(false),
    };
    let stored =
        service::store_import(state.store.as_ref(), &account.actor(), &source, &read).await?;
    let dto = ImportResponse {
        import: ImportDto::from(&stored),
        rejected: read
            .rejected
            .iter()
            .take(100)
            .map(|r| RejectedDto {
                record: r.record,
                line: r.line,
                field: r.field.clone(),
                reason: r.reason.clone(),
            })
            .collect(),
        rejected_count: read.rejected.len(),
        warnings: read
            .warnings
            .iter()
            .take(100)
            .map(|w| format!("{} {}: {}", w.kcdb_code, w.field, w.message))
            .collect(),
        warning_count: read.warnings.len(),
    };
    Ok((StatusCode::CREATED, Json(dto)).into_response())
}
