//! The Key Comparison Database over HTTP (`/api/v1/comparisons`): search and read comparisons,
//! register them, add participants, submit results, move them through their lifecycle, run and
//! store analyses, and export results and degrees of equivalence as JSON, JSON-LD, CSV and SVG.
//!
//! Who may do what is `sevres_kcdb::access`, applied to the caller's account
//! ([`crate::auth::Caller`]): writes need a bearer token (401 without), and a caller the policy
//! refuses gets 403. Until a comparison is published, reads return only what the caller may see:
//! a participant its own results, the pilot and administrators everything, the public none of
//! the results, analyses, published figures or charts.
//!
//! Every write passes the status its authorisation was decided on to the store, which refuses it
//! (409) if the comparison moved meanwhile.

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sevres_comparison::{
    Analysis, ComparisonInput, Dependence, Options, Participant as InputParticipant,
};
use sevres_kcdb::access::{self, Viewer};
use sevres_kcdb::doe::DoeTable;
use sevres_kcdb::export::{doe_csv, published_jsonld, results_csv, to_jsonld};
use sevres_kcdb::{
    Comparison, ComparisonKind, ConsultativeCommittee, Date, Doi, Institute, InstituteCode,
    Measurand, MetrologyArea, PublishedReference, ResultEntry, Scope, Status, Unit,
};
use sevres_si::Notation;
use sevres_store::{ComparisonFilter, NewAnalysis, StoredAnalysis};
use utoipa::{IntoParams, ToSchema};

use super::negotiate::best_accepted;
use super::problem::Problem;
use super::{bad_json, bad_query, ApiError};
use crate::auth::Caller;
use crate::comparisons::{self as service, parse_id};
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/comparisons", get(list).post(register))
        .route("/api/v1/comparisons/analyse", post(analyse_data))
        .route("/api/v1/comparisons/{id}", get(one))
        .route(
            "/api/v1/comparisons/{id}/participants",
            post(add_participants),
        )
        .route("/api/v1/comparisons/{id}/status", post(change_status))
        .route(
            "/api/v1/comparisons/{id}/results",
            get(results).post(submit_results),
        )
        .route(
            "/api/v1/comparisons/{id}/analyses",
            get(analyses).post(run_analysis),
        )
        .route(
            "/api/v1/comparisons/{id}/analyses/{analysis}",
            get(analysis),
        )
        .route("/api/v1/comparisons/{id}/doe", get(doe))
        .route("/api/v1/comparisons/{id}/doe.svg", get(doe_svg))
}

/// Largest page of a comparison list.
const MAX_LIMIT: u32 = 1000;

/// Percent-encodes a path segment (RFC 3986 §3.3: everything but unreserved characters,
/// sub-delimiters, `:` and `@`), so that any identifier makes a valid URL.
pub(crate) fn segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Our URL of a comparison.
pub(crate) fn comparison_url(id: &impl std::fmt::Display) -> String {
    format!("/api/v1/comparisons/{}", segment(&id.to_string()))
}

// ---------------------------------------------------------------------------------------------
// Representations

/// A representation of comparison data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Export {
    Json,
    JsonLd,
    Csv,
    Svg,
}

impl Export {
    fn from_name(name: &str) -> Option<Export> {
        match name {
            "json" | "application/json" => Some(Export::Json),
            "jsonld" | "json-ld" | "application/ld+json" => Some(Export::JsonLd),
            "csv" | "text/csv" => Some(Export::Csv),
            "svg" | "image/svg+xml" => Some(Export::Svg),
            _ => None,
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            Export::Json => "application/json",
            Export::JsonLd => "application/ld+json",
            Export::Csv => "text/csv; charset=utf-8",
            Export::Svg => "image/svg+xml",
        }
    }

    /// `?format=` wins over `Accept`; the first offered format when neither names one.
    fn choose(
        query: Option<&str>,
        headers: &HeaderMap,
        offered: &[Export],
    ) -> Result<Export, ApiError> {
        let names = || {
            offered
                .iter()
                .map(|f| match f {
                    Export::Json => "json",
                    Export::JsonLd => "jsonld",
                    Export::Csv => "csv",
                    Export::Svg => "svg",
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if let Some(name) = query {
            return Export::from_name(name)
                .filter(|f| offered.contains(f))
                .ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "format {name:?} is not offered here: use {}",
                        names()
                    ))
                });
        }
        Ok(best_accepted(headers, |m| {
            Export::from_name(m).filter(|f| offered.contains(f))
        })
        .unwrap_or(offered[0]))
    }

    /// The response: the body in this format. What a caller sees depends on its token, so
    /// caches must key on `Authorization` too.
    fn respond(self, body: String) -> Response {
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(self.media_type()),
                ),
                (
                    header::VARY,
                    HeaderValue::from_static("accept, authorization"),
                ),
            ],
            body,
        )
            .into_response()
    }
}

/// `?format=`.
#[derive(Deserialize, IntoParams)]
struct FormatQuery {
    /// `json` or `jsonld` for a comparison; `json` or `csv` for results and degrees of
    /// equivalence. Overrides `Accept`.
    format: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// DTOs: the wire shapes, converted by hand from the domain types.

/// A comparison in a list.
#[derive(Serialize, ToSchema)]
struct ComparisonSummary {
    /// KCDB identifier (`CCM.M-K8.2021`, `BIPM.RI(II)-K1.Co-60`).
    id: String,
    /// Our URL.
    url: String,
    title: String,
    /// `key` or `supplementary` (from the identifier).
    kind: &'static str,
    /// `CIPM` or the RMO's acronym (from the identifier).
    scope: String,
    /// Consultative committee (`CCRI`).
    committee: Option<&'static str>,
    /// Metrology area (`RI`).
    area: Option<&'static str>,
    /// Pilot institute.
    pilot: String,
    /// `registered`, `measurements`, `draft-a`, `draft-b`, `approved` or `published`.
    status: &'static str,
    /// Number of participating institutes.
    participants: usize,
    /// Identifiers of the measurands.
    measurands: Vec<String>,
}

fn kind_name(kind: ComparisonKind) -> &'static str {
    match kind {
        ComparisonKind::Key => "key",
        ComparisonKind::Supplementary => "supplementary",
    }
}

fn scope_name(scope: Scope) -> String {
    match scope {
        Scope::Cipm => "CIPM".into(),
        Scope::Rmo(r) => r.acronym().into(),
    }
}

impl From<&Comparison> for ComparisonSummary {
    fn from(c: &Comparison) -> Self {
        ComparisonSummary {
            id: c.id.to_string(),
            url: comparison_url(&c.id),
            title: c.title.clone(),
            kind: kind_name(c.kind()),
            scope: scope_name(c.scope()),
            committee: c.committee.map(ConsultativeCommittee::acronym),
            area: c.area.map(MetrologyArea::code),
            pilot: c.pilot.to_string(),
            status: c.status.name(),
            participants: c.participants.len(),
            measurands: c.measurands.iter().map(|m| m.id.clone()).collect(),
        }
    }
}

/// A measurand.
#[derive(Serialize, ToSchema)]
struct MeasurandDto {
    /// Identifier within the comparison.
    id: String,
    /// The quantity in words.
    quantity: String,
    /// Unit of the results, in SI Brochure notation (`kBq`).
    unit: String,
    /// The same unit in PTB D-SI (`\kilo\becquerel`).
    unit_dsi: String,
    /// Nominal value, in `unit`.
    nominal: Option<f64>,
}

impl From<&Measurand> for MeasurandDto {
    fn from(m: &Measurand) -> Self {
        MeasurandDto {
            id: m.id.clone(),
            quantity: m.quantity.clone(),
            unit: m.unit.to_notation(Notation::Si),
            unit_dsi: m.unit.to_notation(Notation::Dsi),
            nominal: m.nominal,
        }
    }
}

/// An institute, with what the directory knows of it.
#[derive(Serialize, ToSchema)]
pub(super) struct InstituteDto {
    /// Acronym.
    pub(super) code: String,
    /// Full name, when in the directory.
    pub(super) name: Option<String>,
    pub(super) country: Option<String>,
    /// Regional metrology organisation.
    pub(super) rmo: Option<&'static str>,
    /// ROR identifier (URL).
    pub(super) ror: Option<String>,
    /// Former acronyms.
    pub(super) former_codes: Vec<String>,
}

impl InstituteDto {
    pub(super) fn new(code: &InstituteCode, directory: &[Institute]) -> InstituteDto {
        let found = directory.iter().find(|i| i.code == *code).or_else(|| {
            directory
                .iter()
                .find(|i| i.former_codes.iter().any(|f| f == code.as_str()))
        });
        InstituteDto {
            code: code.to_string(),
            name: found.map(|i| i.name.clone()),
            country: found.and_then(|i| i.country.clone()),
            rmo: found.and_then(|i| i.rmo).map(|r| r.acronym()),
            ror: found.and_then(|i| i.ror.as_ref()).map(|r| r.url()),
            former_codes: found.map(|i| i.former_codes.clone()).unwrap_or_default(),
        }
    }
}

/// One institute's result for one measurand.
#[derive(Serialize, ToSchema)]
struct ResultDto {
    measurand: String,
    institute: String,
    /// Measured value, in `unit`.
    value: f64,
    /// The measurand's unit (SI Brochure notation).
    unit: String,
    /// Standard uncertainty.
    u: f64,
    /// Coverage factor.
    k: Option<f64>,
    /// Expanded uncertainty.
    #[serde(rename = "U")]
    expanded: Option<f64>,
    /// Effective degrees of freedom.
    dof: Option<f64>,
    /// Whether the result contributes to the reference value.
    in_reference: bool,
    /// Who submitted it.
    submitted_by: String,
    /// Date of the result (YYYY-MM-DD).
    date: String,
}

fn result_dto(c: &Comparison, r: &ResultEntry) -> ResultDto {
    ResultDto {
        unit: c
            .measurands
            .iter()
            .find(|m| m.id == r.measurand)
            .map(|m| m.unit.to_notation(Notation::Si))
            .unwrap_or_default(),
        measurand: r.measurand.clone(),
        institute: r.institute.to_string(),
        value: r.value,
        u: r.standard_uncertainty,
        k: r.coverage_factor,
        expanded: r.expanded_uncertainty,
        dof: r.dof,
        in_reference: r.in_reference,
        submitted_by: r.submitted_by.clone(),
        date: r.date.to_string(),
    }
}

/// One degree of equivalence as published.
#[derive(Serialize, ToSchema)]
struct PublishedDoeDto {
    lab: String,
    /// `d_i`, in the table's `doe_unit`.
    d: f64,
    /// Expanded uncertainty `U(d_i)`.
    #[serde(rename = "U")]
    expanded: f64,
    in_reference: Option<bool>,
    /// Linked comparison through which the DoE was obtained.
    via: Option<String>,
}

/// The KCRV and degrees of equivalence as published, for one measurand.
#[derive(Serialize, ToSchema)]
struct PublishedDto {
    measurand: String,
    /// Where the figures come from (a file and release, or a stored analysis).
    source: String,
    year: Option<i32>,
    /// URL of the report's DOI.
    report_doi: Option<String>,
    /// The stored analysis that computed them, if computed here.
    analysis: Option<i64>,
    /// Key comparison reference value, in `unit`.
    kcrv: f64,
    /// Its standard uncertainty.
    u_kcrv: f64,
    unit: String,
    /// Unit of `d` and `U` of the degrees of equivalence.
    doe_unit: String,
    /// Coverage factor of `U`.
    coverage_factor: f64,
    doe: Vec<PublishedDoeDto>,
}

impl From<&PublishedReference> for PublishedDto {
    fn from(p: &PublishedReference) -> Self {
        PublishedDto {
            measurand: p.measurand.clone(),
            source: p.source.clone(),
            year: p.year,
            report_doi: p.report_doi.as_ref().map(Doi::url),
            analysis: p.analysis,
            kcrv: p.kcrv,
            u_kcrv: p.u_kcrv,
            unit: p.unit.to_notation(Notation::Si),
            doe_unit: p.doe_unit.to_notation(Notation::Si),
            coverage_factor: p.coverage_factor,
            doe: p
                .does
                .iter()
                .map(|d| PublishedDoeDto {
                    lab: d.lab.clone(),
                    d: d.d,
                    expanded: d.expanded,
                    in_reference: d.in_reference,
                    via: d.via.clone(),
                })
                .collect(),
        }
    }
}

/// Links to the comparison's other resources.
#[derive(Serialize, ToSchema)]
struct ComparisonLinks {
    results: String,
    analyses: String,
    doe: String,
    doe_svg: String,
    page: String,
}

/// A comparison with everything the caller may see of it.
#[derive(Serialize, ToSchema)]
struct ComparisonDto {
    id: String,
    url: String,
    title: String,
    /// `key` or `supplementary`.
    kind: &'static str,
    /// `CIPM` or the RMO's acronym.
    scope: String,
    committee: Option<&'static str>,
    area: Option<&'static str>,
    pilot: InstituteDto,
    status: &'static str,
    /// The CIPM comparison an RMO comparison is linked to.
    parent: Option<String>,
    /// URL of the final report's DOI.
    report_doi: Option<String>,
    measurands: Vec<MeasurandDto>,
    participants: Vec<InstituteDto>,
    /// The results the caller may see.
    results: Vec<ResultDto>,
    /// Whether some results are withheld from the caller (confidential until publication).
    results_withheld: bool,
    /// Published KCRV and degrees of equivalence, when the caller may see them.
    published: Vec<PublishedDto>,
    links: ComparisonLinks,
}

/// Everything `viewer` may see of a comparison: its visible results and published figures.
struct Visible {
    results: Vec<ResultEntry>,
    withheld: bool,
    published: Vec<PublishedReference>,
}

async fn visible(state: &AppState, c: &Comparison, viewer: &Viewer) -> Result<Visible, ApiError> {
    let all = state.store.results(&c.id).await?;
    let results: Vec<ResultEntry> = access::visible_results(viewer, c, &all)
        .into_iter()
        .cloned()
        .collect();
    let published = if service::can_see_figures(viewer, c) {
        state.store.published(&c.id).await?
    } else {
        Vec::new()
    };
    Ok(Visible {
        withheld: results.len() < all.len(),
        results,
        published,
    })
}

async fn comparison_dto(
    state: &AppState,
    c: &Comparison,
    viewer: &Viewer,
) -> Result<ComparisonDto, ApiError> {
    let directory = state.store.institutes().await?;
    let seen = visible(state, c, viewer).await?;
    let url = comparison_url(&c.id);
    Ok(ComparisonDto {
        id: c.id.to_string(),
        title: c.title.clone(),
        kind: kind_name(c.kind()),
        scope: scope_name(c.scope()),
        committee: c.committee.map(ConsultativeCommittee::acronym),
        area: c.area.map(MetrologyArea::code),
        pilot: InstituteDto::new(&c.pilot, &directory),
        status: c.status.name(),
        parent: c.parent.as_ref().map(ToString::to_string),
        report_doi: c.report_doi.as_ref().map(Doi::url),
        measurands: c.measurands.iter().map(MeasurandDto::from).collect(),
        participants: c
            .participants
            .iter()
            .map(|p| InstituteDto::new(p, &directory))
            .collect(),
        results: seen.results.iter().map(|r| result_dto(c, r)).collect(),
        results_withheld: seen.withheld,
        published: seen.published.iter().map(PublishedDto::from).collect(),
        links: ComparisonLinks {
            results: format!("{url}/results"),
            analyses: format!("{url}/analyses"),
            doe: format!("{url}/doe"),
            doe_svg: format!("{url}/doe.svg"),
            page: format!("/comparisons/{}", segment(c.id.as_str())),
        },
        url,
    })
}

// ---------------------------------------------------------------------------------------------
// List, read, register

/// `GET /api/v1/comparisons` filters.
#[derive(Deserialize, IntoParams)]
struct ListQuery {
    /// Text in the identifier or title (case-insensitive).
    q: Option<String>,
    /// Consultative committee (`CCM`, `CCRI`, …).
    committee: Option<String>,
    /// Status (`registered` … `published`).
    status: Option<String>,
    /// `key` or `supplementary`.
    kind: Option<String>,
    /// At most this many (default 100, at most 1000).
    limit: Option<u32>,
    /// Skip this many first.
    offset: Option<u32>,
}

/// Reads the list filters of the API and the web list page.
pub(crate) fn filter(
    q: Option<&str>,
    committee: Option<&str>,
    status: Option<&str>,
    kind: Option<&str>,
) -> Result<ComparisonFilter, ApiError> {
    fn given(s: Option<&str>) -> Option<&str> {
        s.map(str::trim).filter(|s| !s.is_empty())
    }
    let committee = given(committee)
        .map(|c| {
            ConsultativeCommittee::from_acronym(&c.to_ascii_uppercase()).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "unknown consultative committee {c:?} (CCAUV, CCEM, CCL, CCM, CCPR, CCQM, CCRI, CCT, CCTF)"
                ))
            })
        })
        .transpose()?;
    let status = given(status)
        .map(|s| {
            s.parse::<Status>()
                .map_err(|e| ApiError::BadRequest(e.to_string()))
        })
        .transpose()?;
    let kind = given(kind)
        .map(|k| match k {
            "key" | "K" => Ok(ComparisonKind::Key),
            "supplementary" | "S" => Ok(ComparisonKind::Supplementary),
            other => Err(ApiError::BadRequest(format!(
                "unknown kind {other:?} (key or supplementary)"
            ))),
        })
        .transpose()?;
    Ok(ComparisonFilter {
        text: given(q).map(|t| t.chars().take(200).collect()),
        committee,
        status,
        kind,
        ..ComparisonFilter::default()
    })
}

/// Searches the comparisons (their descriptions are public; results are not listed here).
#[utoipa::path(get, path = "/api/v1/comparisons", tag = "comparisons", params(ListQuery),
    responses((status = 200, body = [ComparisonSummary]), (status = 400, body = Problem)))]
async fn list(
    State(state): State<AppState>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Vec<ComparisonSummary>>, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let mut f = filter(
        q.q.as_deref(),
        q.committee.as_deref(),
        q.status.as_deref(),
        q.kind.as_deref(),
    )?;
    f.limit = q.limit.unwrap_or(f.limit).min(MAX_LIMIT);
    f.offset = q.offset.unwrap_or(0);
    let list = state.store.comparisons(&f).await?;
    Ok(Json(list.iter().map(ComparisonSummary::from).collect()))
}

/// One comparison: description, measurands, participants, and the results and published
/// figures the caller may see. JSON, or JSON-LD (`Accept: application/ld+json`,
/// `?format=jsonld`; schema.org `Dataset` with the `kcdb:` terms).
#[utoipa::path(get, path = "/api/v1/comparisons/{id}", tag = "comparisons",
    params(("id" = String, Path, description = "KCDB identifier, e.g. BIPM.RI(II)-K1.Co-60"), FormatQuery),
    responses((status = 200, content((ComparisonDto = "application/json"), (Object = "application/ld+json"))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security((), ("bearer" = [])))]
async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<Query<FormatQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(bad_query)?;
    let format = Export::choose(
        query.format.as_deref(),
        &headers,
        &[Export::Json, Export::JsonLd],
    )?;
    let c = service::load(state.store.as_ref(), &parse_id(&id)?).await?;
    let viewer = caller.viewer();
    if format == Export::Json {
        let dto = comparison_dto(&state, &c, &viewer).await?;
        return Ok(format.respond(serde_json::to_string(&dto).unwrap_or_default()));
    }
    let directory = state.store.institutes().await?;
    let seen = visible(&state, &c, &viewer).await?;
    // The analysis behind the first published figures, when they were computed here.
    let mut behind = None;
    if let Some(n) = seen.published.first().and_then(|p| p.analysis) {
        behind = state.store.analysis(&c.id, n).await?;
    }
    let mut doc = to_jsonld(
        &c,
        &directory,
        &seen.results,
        behind
            .as_ref()
            .map(|s| (&s.analysis.result, &s.analysis.options)),
    );
    if let Value::Object(map) = &mut doc {
        map.insert(
            "kcdb:publishedReference".into(),
            Value::Array(seen.published.iter().map(published_jsonld).collect()),
        );
        map.insert("url".into(), Value::String(comparison_url(&c.id)));
    }
    Ok(format.respond(doc.to_string()))
}

/// A measurand to register.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct MeasurandRequest {
    /// Identifier within the comparison (`1 kg`, `Co-60`).
    id: String,
    /// The quantity in words.
    quantity: String,
    /// Unit of results: SI Brochure (`mg/kg`), UCUM or D-SI notation.
    unit: String,
    /// Nominal value, in `unit`.
    nominal: Option<f64>,
}

/// A comparison to register.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RegisterRequest {
    /// KCDB identifier (`CCM.M-K8.2021`); kind, scope, committee and area follow from it.
    id: String,
    title: String,
    /// Pilot institute (acronym).
    pilot: String,
    /// Consultative committee, when the identifier does not imply it (RMO comparisons).
    committee: Option<String>,
    /// Metrology area, when the identifier does not imply it.
    area: Option<String>,
    /// For an RMO comparison, the CIPM comparison it links to.
    parent: Option<String>,
    /// DOI of the final report.
    report_doi: Option<String>,
    /// At least one.
    measurands: Vec<MeasurandRequest>,
    /// Participating institutes (more can be added later).
    #[serde(default)]
    participants: Vec<String>,
}

fn institute_code(text: &str, at: &str) -> Result<InstituteCode, ApiError> {
    InstituteCode::parse(text).map_err(|e| ApiError::BadRequest(format!("{at}: {e}")))
}

fn build_comparison(req: RegisterRequest) -> Result<Comparison, ApiError> {
    let id = parse_id(&req.id)?;
    let pilot = institute_code(&req.pilot, "pilot")?;
    let title = req.title.trim();
    if title.is_empty() {
        return Err(ApiError::BadRequest("title must not be empty".into()));
    }
    let mut c = Comparison::new(id, title, pilot);
    if let Some(text) = &req.committee {
        c.committee = Some(
            ConsultativeCommittee::from_acronym(&text.to_ascii_uppercase()).ok_or_else(|| {
                ApiError::BadRequest(format!("committee: unknown committee {text:?}"))
            })?,
        );
    }
    if let Some(text) = &req.area {
        c.area = Some(
            MetrologyArea::from_code(&text.to_ascii_uppercase())
                .ok_or_else(|| ApiError::BadRequest(format!("area: unknown area {text:?}")))?,
        );
    }
    c.parent = req.parent.as_deref().map(parse_id).transpose()?;
    c.report_doi = req
        .report_doi
        .as_deref()
        .map(|d| Doi::parse(d).map_err(|e| ApiError::BadRequest(format!("report_doi: {e}"))))
        .transpose()?;
    if req.measurands.is_empty() {
        return Err(ApiError::Unprocessable(
            "measurands: a comparison needs at least one measurand".into(),
        ));
    }
    for (i, m) in req.measurands.iter().enumerate() {
        let at = format!("measurands[{i}]");
        let (unit, _) = Unit::normalise(&m.unit)
            .map_err(|e| ApiError::Unprocessable(format!("{at}.unit: {e}")))?;
        let measurand = Measurand::new(m.id.trim(), m.quantity.trim(), unit, m.nominal)
            .map_err(|e| ApiError::Unprocessable(format!("{at}: {e}")))?;
        if c.measurands.iter().any(|o| o.id == measurand.id) {
            return Err(ApiError::Unprocessable(format!(
                "{at}: measurand {:?} is listed twice",
                measurand.id
            )));
        }
        c.measurands.push(measurand);
    }
    for (i, p) in req.participants.iter().enumerate() {
        let code = institute_code(p, &format!("participants[{i}]"))?;
        if c.participants.contains(&code) {
            return Err(ApiError::Unprocessable(format!(
                "participants[{i}]: {code} is listed twice"
            )));
        }
        c.participants.push(code);
    }
    Ok(c)
}

/// Refuses a caller the policy does not allow (403).
fn allow(allowed: bool, what: impl FnOnce() -> String) -> Result<(), ApiError> {
    if allowed {
        Ok(())
    } else {
        Err(ApiError::Forbidden(what()))
    }
}

/// Registers a comparison (administrators). Its status is `registered`.
#[utoipa::path(post, path = "/api/v1/comparisons", tag = "comparisons", request_body = RegisterRequest,
    responses((status = 201, body = ComparisonDto), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
async fn register(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<RegisterRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let account = caller.account()?;
    let viewer = caller.viewer();
    allow(access::can_register_comparison(&viewer), || {
        "only administrators register comparisons".into()
    })?;
    let Json(req) = body.map_err(bad_json)?;
    let c = build_comparison(req)?;
    state
        .store
        .create_comparison(&account.actor(), &c, &[])
        .await?;
    let dto = comparison_dto(&state, &c, &viewer).await?;
    Ok(created(&dto.url.clone(), Json(dto)))
}

fn created(location: &str, body: impl IntoResponse) -> Response {
    let location =
        HeaderValue::from_str(location).unwrap_or_else(|_| HeaderValue::from_static("/"));
    (StatusCode::CREATED, [(header::LOCATION, location)], body).into_response()
}

// ---------------------------------------------------------------------------------------------
// Participants and status

/// Institutes to add.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ParticipantsRequest {
    /// Acronyms; those already taking part are ignored.
    institutes: Vec<String>,
}

/// Adds participants (administrators before publication; the pilot while the comparison is
/// registered or measuring).
#[utoipa::path(post, path = "/api/v1/comparisons/{id}/participants", tag = "comparisons",
    params(("id" = String, Path)), request_body = ParticipantsRequest,
    responses((status = 200, body = ComparisonDto), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
async fn add_participants(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
    body: Result<Json<ParticipantsRequest>, JsonRejection>,
) -> Result<Json<ComparisonDto>, ApiError> {
    let account = caller.account()?;
    let viewer = caller.viewer();
    let c = service::load(state.store.as_ref(), &parse_id(&id)?).await?;
    allow(access::can_manage_participants(&viewer, &c), || {
        format!(
            "participants of {} ({}) are added by an administrator, or by its pilot until \
             measurements end",
            c.id, c.status
        )
    })?;
    let Json(req) = body.map_err(bad_json)?;
    if req.institutes.is_empty() {
        return Err(ApiError::BadRequest("institutes: name at least one".into()));
    }
    let codes = req
        .institutes
        .iter()
        .enumerate()
        .map(|(i, t)| institute_code(t, &format!("institutes[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let updated = state
        .store
        .add_participants(&account.actor(), &c.id, c.status, &codes)
        .await?;
    Ok(Json(comparison_dto(&state, &updated, &viewer).await?))
}

/// A status change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct StatusRequest {
    /// The new status (`measurements`, `draft-a`, …, `published`).
    status: String,
    /// When publishing: the stored analysis whose KCRV and degrees of equivalence are published.
    analysis: Option<i64>,
}

/// Moves a comparison through its lifecycle. The pilot advances it one stage at a time up to
/// `draft-b`; administrators record the approval, publish an approved comparison (optionally
/// with the figures of a stored analysis) and may set any other stage to correct a mistake.
#[utoipa::path(post, path = "/api/v1/comparisons/{id}/status", tag = "comparisons",
    params(("id" = String, Path)), request_body = StatusRequest,
    responses((status = 200, body = ComparisonDto), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
async fn change_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
    body: Result<Json<StatusRequest>, JsonRejection>,
) -> Result<Json<ComparisonDto>, ApiError> {
    let account = caller.account()?;
    let viewer = caller.viewer();
    let c = service::load(state.store.as_ref(), &parse_id(&id)?).await?;
    let Json(req) = body.map_err(bad_json)?;
    let to = req
        .status
        .parse::<Status>()
        .map_err(|e| ApiError::BadRequest(format!("status: {e}")))?;
    if to == c.status {
        return Err(ApiError::Conflict(format!("{} is already {to}", c.id)));
    }
    let mut published = Vec::new();
    if to == Status::Published {
        allow(access::can_publish(&viewer, &c), || {
            format!(
                "{} is {}: administrators publish approved comparisons",
                c.id, c.status
            )
        })?;
        if let Some(n) = req.analysis {
            let stored = state
                .store
                .analysis(&c.id, n)
                .await?
                .ok_or_else(|| ApiError::NotFound(format!("{} has no analysis {n}", c.id)))?;
            let a = &stored.analysis;
            published.push(PublishedReference::from_analysis(
                &a.measurand,
                stored.id,
                &a.unit,
                &a.result,
                &a.options,
            ));
        }
    } else {
        allow(access::can_change_status(&viewer, &c, to), || {
            format!("you may not move {} from {} to {to}", c.id, c.status)
        })?;
        if req.analysis.is_some() {
            return Err(ApiError::BadRequest(
                "analysis: only given when publishing".into(),
            ));
        }
    }
    let updated = state
        .store
        .set_status(&account.actor(), &c.id, c.status, to, &published)
        .await?;
    Ok(Json(comparison_dto(&state, &updated, &viewer).await?))
}

// ---------------------------------------------------------------------------------------------
// Results

/// The results the caller may see: JSON, or CSV (`?format=csv`, `Accept: text/csv`; columns
/// `comparison,measurand,institute,x,unit,u,k,U,dof,in_reference,submitted_by,date`).
#[utoipa::path(get, path = "/api/v1/comparisons/{id}/results", tag = "comparisons",
    params(("id" = String, Path), FormatQuery),
    responses((status = 200, content(([ResultDto] = "application/json"), (String = "text/csv"))),
        (status = 404, body = Problem)),
    security((), ("bearer" = [])))]
async fn results(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<Query<FormatQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(bad_query)?;
    let format = Export::choose(
        query.format.as_deref(),
        &headers,
        &[Export::Json, Export::Csv],
    )?;
    let c = service::load(state.store.as_ref(), &parse_id(&id)?).await?;
    let seen = visible(&state, &c, &caller.viewer()).await?;
    Ok(match format {
        Export::Csv => format.respond(results_csv(&c, &seen.results)),
        _ => {
            let dtos: Vec<ResultDto> = seen.results.iter().map(|r| result_dto(&c, r)).collect();
            format.respond(serde_json::to_string(&dtos).unwrap_or_default())
        }
    })
}

/// One result to submit.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ResultRequest {
    /// The measurand (may be left out when the comparison has only one).
    measurand: Option<String>,
    /// The institute whose result this is.
    institute: String,
    /// Measured value, in `unit`.
    value: f64,
    /// Standard uncertainty (> 0), in `unit`.
    u: f64,
    /// Coverage factor (> 0).
    k: Option<f64>,
    /// Expanded uncertainty (> 0), in `unit`.
    #[serde(rename = "U")]
    expanded: Option<f64>,
    /// Effective degrees of freedom (> 0).
    dof: Option<f64>,
    /// Whether the result contributes to the reference value (default true).
    in_reference: Option<bool>,
    /// Unit of the numbers (any notation); converted to the measurand's unit, which it must be
    /// commensurable with. Default: the measurand's unit.
    unit: Option<String>,
    /// Date of the result, YYYY-MM-DD (default: today).
    date: Option<String>,
}

/// Results to submit, stored together or not at all.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ResultsRequest {
    results: Vec<ResultRequest>,
}

/// `value` in `to`'s unit; uncertainties convert by the slope only (an offset, as between °C and
/// K, shifts values but not their uncertainties).
struct UnitChange {
    conversion: sevres_si::Conversion,
}

impl UnitChange {
    fn value(&self, v: f64) -> f64 {
        self.conversion.apply(v)
    }

    fn difference(&self, v: f64) -> f64 {
        self.conversion.apply(v) - self.conversion.apply(0.0)
    }
}

fn result_entry(
    c: &Comparison,
    viewer: &Viewer,
    actor: &str,
    i: usize,
    r: &ResultRequest,
) -> Result<ResultEntry, ApiError> {
    let at = format!("results[{i}]");
    let institute = institute_code(&r.institute, &format!("{at}.institute"))?;
    let measurand = service::measurand(c, r.measurand.as_deref())
        .map_err(|e| ApiError::Unprocessable(format!("{at}.measurand: {e}")))?;
    let at = format!("{at} ({institute}, measurand {:?})", measurand.id);
    if !c.involves(&institute) {
        return Err(ApiError::Unprocessable(format!(
            "{at}: {institute} does not take part in {}",
            c.id
        )));
    }
    allow(access::can_submit_result(viewer, c, &institute), || {
        format!(
            "{at}: you may not submit this result while {} is {}",
            c.id, c.status
        )
    })?;
    let change = match &r.unit {
        None => None,
        Some(text) => {
            let (unit, _) = Unit::normalise(text)
                .map_err(|e| ApiError::Unprocessable(format!("{at}: unit: {e}")))?;
            if unit.same_as(&measurand.unit) {
                None
            } else {
                let conversion = unit.conversion_to(&measurand.unit).map_err(|e| {
                    ApiError::Unprocessable(format!(
                        "{at}: unit {text:?} is not commensurable with the measurand's unit {:?}: {e}",
                        measurand.unit.to_notation(Notation::Si)
                    ))
                })?;
                Some(UnitChange { conversion })
            }
        }
    };
    let value = change.as_ref().map_or(r.value, |c| c.value(r.value));
    let scale = |v: f64| change.as_ref().map_or(v, |c| c.difference(v));
    let date = match &r.date {
        Some(d) => Date::parse(d).map_err(|e| ApiError::BadRequest(format!("{at}: date: {e}")))?,
        None => service::today()?,
    };
    let entry = ResultEntry {
        comparison: c.id.clone(),
        measurand: measurand.id.clone(),
        institute,
        value,
        standard_uncertainty: scale(r.u),
        coverage_factor: r.k,
        expanded_uncertainty: r.expanded.map(scale),
        dof: r.dof,
        in_reference: r.in_reference.unwrap_or(true),
        submitted_by: actor.to_string(),
        date,
    };
    entry
        .validate()
        .map_err(|e| ApiError::Unprocessable(format!("{at}: {e}")))?;
    Ok(entry)
}

/// Submits results: a participant its own institute's during measurements; the pilot and
/// administrators any participant's during measurements and Draft A. All or nothing. A result
/// replaces the institute's earlier one for the same measurand.
#[utoipa::path(post, path = "/api/v1/comparisons/{id}/results", tag = "comparisons",
    params(("id" = String, Path)), request_body = ResultsRequest,
    responses((status = 200, body = [ResultDto], description = "the caller's visible results after the submission"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
async fn submit_results(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
    body: Result<Json<ResultsRequest>, JsonRejection>,
) -> Result<Json<Vec<ResultDto>>, ApiError> {
    let account = caller.account()?;
    let viewer = caller.viewer();
    let c = service::load(state.store.as_ref(), &parse_id(&id)?).await?;
    let Json(req) = body.map_err(bad_json)?;
    if req.results.is_empty() {
        return Err(ApiError::BadRequest("results: submit at least one".into()));
    }
    let actor = account.actor();
    let label = actor.label();
    let mut entries: Vec<ResultEntry> = Vec::with_capacity(req.results.len());
    for (i, r) in req.results.iter().enumerate() {
        let entry = result_entry(&c, &viewer, &label, i, r)?;
        if entries
            .iter()
            .any(|e| e.measurand == entry.measurand && e.institute == entry.institute)
        {
            return Err(ApiError::Unprocessable(format!(
                "results[{i}]: a second result of {} for {:?}",
                entry.institute, entry.measurand
            )));
        }
        entries.push(entry);
    }
    state
        .store
        .put_results(&actor, &c.id, c.status, &entries)
        .await?;
    let seen = visible(&state, &c, &viewer).await?;
    Ok(Json(
        seen.results.iter().map(|r| result_dto(&c, r)).collect(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Analyses

/// Analysis options; every field defaults to the engine's default.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
struct OptionsRequest {
    /// Significance level of the chi-squared test (default 0.05).
    significance: Option<f64>,
    /// Coverage factor of the expanded uncertainties (default 2).
    coverage_factor: Option<f64>,
    /// Coverage probability of Monte Carlo intervals (default 0.95).
    coverage_probability: Option<f64>,
    /// Knapp–Hartung adjustment of random-effects uncertainties (default false).
    knapp_hartung: Option<bool>,
    /// Monte Carlo draws (default 1 000 000, at most 10 000 000).
    draws: Option<usize>,
    /// Seed of the Monte Carlo generator (default 20020801).
    seed: Option<u64>,
}

impl OptionsRequest {
    fn options(&self) -> Options {
        let d = Options::default();
        Options {
            significance: self.significance.unwrap_or(d.significance),
            coverage_factor: self.coverage_factor.unwrap_or(d.coverage_factor),
            coverage_probability: self.coverage_probability.unwrap_or(d.coverage_probability),
            knapp_hartung: self.knapp_hartung.unwrap_or(d.knapp_hartung),
            draws: self.draws.unwrap_or(d.draws),
            seed: self.seed.unwrap_or(d.seed),
            max_subsets: d.max_subsets,
        }
    }
}

/// The options an analysis ran with (all of them, so that it can be run again).
#[derive(Serialize, ToSchema)]
pub(crate) struct OptionsDto {
    significance: f64,
    coverage_factor: f64,
    coverage_probability: f64,
    knapp_hartung: bool,
    draws: usize,
    seed: u64,
    max_subsets: u64,
}

impl From<&Options> for OptionsDto {
    fn from(o: &Options) -> Self {
        OptionsDto {
            significance: o.significance,
            coverage_factor: o.coverage_factor,
            coverage_probability: o.coverage_probability,
            knapp_hartung: o.knapp_hartung,
            draws: o.draws,
            seed: o.seed,
            max_subsets: o.max_subsets,
        }
    }
}

/// Correlations between the participants' results.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct DependenceRequest {
    /// `correlation` or `covariance`.
    kind: String,
    /// The institutes, in the order of the matrix rows: every institute with a result, once.
    labs: Vec<String>,
    /// Symmetric, positive definite; a correlation matrix has a unit diagonal, a covariance
    /// matrix the squared standard uncertainties.
    matrix: Vec<Vec<f64>>,
}

/// An analysis to run on the stored results of one measurand.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct AnalysisRequest {
    /// The measurand (may be left out when the comparison has only one).
    measurand: Option<String>,
    /// `mean`, `weighted-mean`, `procedure-a`, `median`, `procedure-b`, `dl`, `pm`, `pmm` or
    /// `linear-pool`.
    method: String,
    #[serde(default)]
    options: OptionsRequest,
    dependence: Option<DependenceRequest>,
}

/// A participant as analysed.
#[derive(Serialize, ToSchema)]
pub(crate) struct InputDto {
    lab: String,
    x: f64,
    u: f64,
    k: Option<f64>,
    #[serde(rename = "U")]
    expanded: Option<f64>,
    dof: Option<f64>,
    in_reference: bool,
}

/// The dependence as analysed (rows in input order).
#[derive(Serialize, ToSchema)]
pub(crate) struct DependenceDto {
    /// `correlation` or `covariance`.
    kind: &'static str,
    matrix: Vec<Vec<f64>>,
}

/// A coverage interval (Monte Carlo methods).
#[derive(Serialize, ToSchema)]
pub(crate) struct IntervalDto {
    low: f64,
    high: f64,
    probability: f64,
}

/// One degree of equivalence of an analysis.
#[derive(Serialize, ToSchema)]
pub(crate) struct DoeDto {
    lab: String,
    in_reference: bool,
    /// `d_i = x_i − x_R`.
    d: f64,
    /// Standard uncertainty of `d_i`.
    u_d: f64,
    /// Expanded uncertainty of `d_i` (coverage factor of the options).
    #[serde(rename = "U_d")]
    expanded_u_d: f64,
    /// `E_n = d_i / U(d_i)`.
    en: f64,
}

/// What an analysis gave.
#[derive(Serialize, ToSchema)]
pub(crate) struct AnalysisResultDto {
    method: &'static str,
    /// Reference value.
    kcrv: f64,
    /// Its standard uncertainty.
    u_kcrv: f64,
    /// Dark uncertainty (random-effects methods), else 0.
    tau: f64,
    /// Chi-squared of the fixed-effect weighted mean of the reference set.
    chi2: f64,
    dof: usize,
    p_value: f64,
    birge_ratio: f64,
    /// Whether the chi-squared test passes at the significance level.
    consistent: bool,
    /// Participants outside the reference set.
    excluded: Vec<String>,
    /// Participants dropped by procedure A.
    dropped: Vec<String>,
    weights: Option<Vec<f64>>,
    coverage_interval: Option<IntervalDto>,
    doe: Vec<DoeDto>,
}

impl From<&Analysis> for AnalysisResultDto {
    fn from(a: &Analysis) -> Self {
        AnalysisResultDto {
            method: a.method.name(),
            kcrv: a.kcrv,
            u_kcrv: a.u_kcrv,
            tau: a.tau,
            chi2: a.chi2,
            dof: a.dof,
            p_value: a.p_value,
            birge_ratio: a.birge_ratio,
            consistent: a.consistent,
            excluded: a.excluded.iter().map(ToString::to_string).collect(),
            dropped: a.dropped.iter().map(ToString::to_string).collect(),
            weights: a.weights.clone(),
            coverage_interval: a.coverage_interval.map(|c| IntervalDto {
                low: c.low,
                high: c.high,
                probability: c.probability,
            }),
            doe: a
                .doe
                .iter()
                .map(|d| DoeDto {
                    lab: d.lab.to_string(),
                    in_reference: d.in_reference,
                    d: d.d,
                    u_d: d.u_d,
                    expanded_u_d: d.expanded_u_d,
                    en: d.en,
                })
                .collect(),
        }
    }
}

pub(crate) fn input_dtos(input: &ComparisonInput) -> (Vec<InputDto>, Option<DependenceDto>) {
    let participants = input
        .participants
        .iter()
        .map(|p| InputDto {
            lab: p.lab.to_string(),
            x: p.x,
            u: p.u,
            k: p.k,
            expanded: p.expanded_u,
            dof: p.dof,
            in_reference: p.in_reference,
        })
        .collect();
    let dependence = input.dependence.as_ref().map(|d| match d {
        Dependence::Correlation(m) => DependenceDto {
            kind: "correlation",
            matrix: m.clone(),
        },
        Dependence::Covariance(m) => DependenceDto {
            kind: "covariance",
            matrix: m.clone(),
        },
    });
    (participants, dependence)
}

/// A stored analysis: its inputs, method, options, software version and result.
#[derive(Serialize, ToSchema)]
struct StoredAnalysisDto {
    id: i64,
    url: String,
    comparison: String,
    measurand: String,
    /// Unit of the values (SI Brochure notation).
    unit: String,
    method: &'static str,
    /// Version of the software that computed it.
    software_version: String,
    created_by: String,
    created_at: String,
    options: OptionsDto,
    /// The participants exactly as analysed.
    input: Vec<InputDto>,
    dependence: Option<DependenceDto>,
    result: AnalysisResultDto,
}

impl From<&StoredAnalysis> for StoredAnalysisDto {
    fn from(s: &StoredAnalysis) -> Self {
        let a = &s.analysis;
        let (input, dependence) = input_dtos(&a.input);
        StoredAnalysisDto {
            id: s.id,
            url: format!("{}/analyses/{}", comparison_url(&a.comparison), s.id),
            comparison: a.comparison.to_string(),
            measurand: a.measurand.clone(),
            unit: a.unit.to_notation(Notation::Si),
            method: a.result.method.name(),
            software_version: a.software_version.clone(),
            created_by: s.created_by.clone(),
            created_at: s.created_at.clone(),
            options: OptionsDto::from(&a.options),
            input,
            dependence,
            result: AnalysisResultDto::from(&a.result),
        }
    }
}

fn confidential_analyses(c: &Comparison) -> String {
    format!(
        "the analyses of {} are confidential until it is published",
        c.id
    )
}

/// The stored analyses (the pilot and administrators; everyone once published).
#[utoipa::path(get, path = "/api/v1/comparisons/{id}/analyses", tag = "comparisons",
    params(("id" = String, Path)),
    responses((status = 200, body = [StoredAnalysisDto]), (status = 403, body = Problem),
        (status = 404, body = Problem)),
    security((), ("bearer" = [])))]
async fn analyses(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Json<Vec<StoredAnalysisDto>>, ApiError> {
    let c = service::load(state.store.as_ref(), &parse_id(&id)?).await?;
    allow(access::can_see_analysis(&caller.viewer(), &c), || {
        confidential_analyses(&c)
    })?;
    let list = state.store.analyses(&c.id).await?;
    Ok(Json(list.iter().map(StoredAnalysisDto::from).collect()))
}

fn analysis_number(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .map_err(|_| ApiError::BadRequest(format!("{text:?} is not an analysis number")))
}

/// One stored analysis.
#[utoipa::path(get, path = "/api/v1/comparisons/{id}/analyses/{analysis}", tag = "comparisons",
    params(("id" = String, Path), ("analysis" = i64, Path)),
    responses((status = 200, body = StoredAnalysisDto), (status = 403, body = Problem),
        (status = 404, body = Problem)),
    security((), ("bearer" = [])))]
async fn analysis(
    State(state): State<AppState>,
    Path((id, n)): Path<(String, String)>,
    caller: Caller,
) -> Result<Json<StoredAnalysisDto>, ApiError> {
    let c = service::load(state.store.as_ref(), &parse_id(&id)?).await?;
    let n = analysis_number(&n)?;
    allow(access::can_see_analysis(&caller.viewer(), &c), || {
        confidential_analyses(&c)
    })?;
    let stored = state
        .store
        .analysis(&c.id, n)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("{} has no analysis {n}", c.id)))?;
    Ok(Json(StoredAnalysisDto::from(&stored)))
}

/// Orders the dependence matrix of the request like the input's participants.
fn dependence(req: &DependenceRequest, labs: &[String]) -> Result<Dependence, ApiError> {
    let bad = |m: String| ApiError::Unprocessable(format!("dependence: {m}"));
    let n = labs.len();
    if req.labs.len() != n || req.matrix.len() != n {
        return Err(bad(format!(
            "{} labs and {} rows given; the measurand has {n} results ({})",
            req.labs.len(),
            req.matrix.len(),
            labs.join(", ")
        )));
    }
    let mut order = Vec::with_capacity(n);
    for lab in labs {
        let Some(i) = req.labs.iter().position(|l| l == lab) else {
            return Err(bad(format!("labs must list {lab}, which has a result")));
        };
        order.push(i);
    }
    if let Some((row, r)) = req.matrix.iter().enumerate().find(|(_, r)| r.len() != n) {
        return Err(bad(format!("row {row} has {} entries, not {n}", r.len())));
    }
    let matrix: Vec<Vec<f64>> = order
        .iter()
        .map(|&i| order.iter().map(|&j| req.matrix[i][j]).collect())
        .collect();
    match req.kind.as_str() {
        "correlation" => Ok(Dependence::Correlation(matrix)),
        "covariance" => Ok(Dependence::Covariance(matrix)),
        other => Err(ApiError::BadRequest(format!(
            "dependence.kind: {other:?} is neither correlation nor covariance"
        ))),
    }
}

/// Runs an analysis of the stored results of one measurand and stores it with its inputs,
/// method, options and the software version, so that it can be reproduced. The pilot and
/// administrators before publication; any account once published.
#[utoipa::path(post, path = "/api/v1/comparisons/{id}/analyses", tag = "comparisons",
    params(("id" = String, Path)), request_body = AnalysisRequest,
    responses((status = 201, body = StoredAnalysisDto), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
async fn run_analysis(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
    body: Result<Json<AnalysisRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let account = caller.account()?;
    let c = service::load(state.store.as_ref(), &parse_id(&id)?).await?;
    allow(access::can_run_analysis(&caller.viewer(), &c), || {
        format!("you may not analyse {} while it is {}", c.id, c.status)
    })?;
    let Json(req) = body.map_err(bad_json)?;
    let method = service::method(&req.method)?;
    let measurand = service::measurand(&c, req.measurand.as_deref())?.clone();
    let participants: Vec<InputParticipant> = state
        .store
        .results(&c.id)
        .await?
        .into_iter()
        .filter(|r| r.measurand == measurand.id)
        .map(|r| InputParticipant {
            lab: r.institute.to_string().into(),
            x: r.value,
            u: r.standard_uncertainty,
            k: r.coverage_factor,
            expanded_u: r.expanded_uncertainty,
            dof: r.dof,
            in_reference: r.in_reference,
        })
        .collect();
    let labs: Vec<String> = participants.iter().map(|p| p.lab.to_string()).collect();
    let mut input = ComparisonInput::new(participants);
    if let Some(d) = &req.dependence {
        input.dependence = Some(dependence(d, &labs)?);
    }
    let (input, options, result) = service::run(input, method, req.options.options()).await?;
    let stored = state
        .store
        .put_analysis(
            &account.actor(),
            &NewAnalysis {
                comparison: c.id.clone(),
                measurand: measurand.id.clone(),
                unit: measurand.unit.clone(),
                input,
                options,
                result,
                software_version: env!("CARGO_PKG_VERSION").to_string(),
            },
        )
        .await?;
    let dto = StoredAnalysisDto::from(&stored);
    Ok(created(&dto.url.clone(), Json(dto)))
}

/// `GET …/doe` and `…/doe.svg` parameters.
#[derive(Deserialize, IntoParams)]
struct DoeQuery {
    /// The measurand (may be left out when the comparison has only one).
    measurand: Option<String>,
    /// A stored analysis; default: the published figures, else the latest analysis.
    analysis: Option<String>,
    /// `json` or `csv` (for `…/doe`).
    format: Option<String>,
}

/// A table of degrees of equivalence.
#[derive(Serialize, ToSchema)]
struct DoeTableDto {
    title: String,
    /// Where the figures come from.
    source: String,
    /// Unit of `d` and `U`.
    unit: String,
    coverage_factor: f64,
    /// Half-width of the reference band, `k·u(KCRV)`.
    reference_band: Option<f64>,
    points: Vec<PublishedDoeDto>,
}

async fn doe_table(
    state: &AppState,
    id: &str,
    caller: &Caller,
    q: &DoeQuery,
) -> Result<(DoeTable, String), ApiError> {
    let c = service::load(state.store.as_ref(), &parse_id(id)?).await?;
    let analysis = q.analysis.as_deref().map(analysis_number).transpose()?;
    let measurand = match (analysis, q.measurand.as_deref()) {
        // A stored analysis names its measurand.
        (Some(_), None) => None,
        (_, name) => Some(service::measurand(&c, name)?),
    };
    let source = match measurand {
        Some(m) => {
            service::doe_source(state.store.as_ref(), &c, &caller.viewer(), m, analysis).await?
        }
        None => {
            let first = c
                .measurands
                .first()
                .ok_or_else(|| ApiError::Unprocessable(format!("{} has no measurand", c.id)))?;
            service::doe_source(state.store.as_ref(), &c, &caller.viewer(), first, analysis).await?
        }
    };
    let table = source.table(&c)?;
    Ok((table, source.describe()))
}

/// The degrees of equivalence the caller may see, as JSON or CSV (`lab,d,U,k,unit,in_reference,via`):
/// of a stored analysis, else the published ones, else those of the latest analysis.
#[utoipa::path(get, path = "/api/v1/comparisons/{id}/doe", tag = "comparisons",
    params(("id" = String, Path), DoeQuery),
    responses((status = 200, content((DoeTableDto = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem), (status = 404, body = Problem)),
    security((), ("bearer" = [])))]
async fn doe(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<Query<DoeQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let format = Export::choose(q.format.as_deref(), &headers, &[Export::Json, Export::Csv])?;
    let (table, source) = doe_table(&state, &id, &caller, &q).await?;
    Ok(match format {
        Export::Csv => format.respond(doe_csv(&table)),
        _ => {
            let dto = DoeTableDto {
                source,
                unit: table.unit.clone(),
                coverage_factor: table.coverage_factor,
                reference_band: table.reference_band,
                points: table
                    .points
                    .iter()
                    .map(|p| PublishedDoeDto {
                        lab: p.lab.clone(),
                        d: p.d,
                        expanded: p.expanded,
                        in_reference: p.in_reference,
                        via: p.via.clone(),
                    })
                    .collect(),
                title: table.title,
            };
            format.respond(serde_json::to_string(&dto).unwrap_or_default())
        }
    })
}

/// The degrees-of-equivalence chart (SVG): points `d_i` with bars `±U(d_i)`, the KCRV at zero
/// and its band `±k·u(KCRV)`.
#[utoipa::path(get, path = "/api/v1/comparisons/{id}/doe.svg", tag = "comparisons",
    params(("id" = String, Path), DoeQuery),
    responses((status = 200, content_type = "image/svg+xml"),
        (status = 403, body = Problem), (status = 404, body = Problem)),
    security((), ("bearer" = [])))]
async fn doe_svg(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
    query: Result<Query<DoeQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let (table, _) = doe_table(&state, &id, &caller, &q).await?;
    let svg =
        sevres_kcdb::chart::doe_svg(&table).map_err(|e| ApiError::Unprocessable(e.to_string()))?;
    Ok(Export::Svg.respond(svg))
}

// ---------------------------------------------------------------------------------------------
// Analysis of a data set (stateless)

/// `POST /api/v1/comparisons/analyse` parameters.
#[derive(Deserialize, IntoParams)]
struct AnalyseQuery {
    /// The method (default `weighted-mean`).
    method: Option<String>,
    /// `json`, `csv` or `xlsx`; default from `Content-Type`.
    format: Option<String>,
    /// Coverage factor (default 2).
    coverage_factor: Option<f64>,
    /// Significance level of the chi-squared test (default 0.05).
    significance: Option<f64>,
    /// Monte Carlo draws (default 1 000 000).
    draws: Option<usize>,
    /// Monte Carlo seed.
    seed: Option<u64>,
}

/// The analysis of a data set.
#[derive(Serialize, ToSchema)]
pub(crate) struct DataAnalysisDto {
    /// The data set's identifier (as given in the data).
    id: String,
    measurand: Option<String>,
    /// Unit as written in the data.
    unit: Option<String>,
    /// What the importer repaired or ignored, with where.
    warnings: Vec<String>,
    options: OptionsDto,
    input: Vec<InputDto>,
    dependence: Option<DependenceDto>,
    result: AnalysisResultDto,
    software_version: &'static str,
}

/// Analyses a data set sent in the body — JSON (the test-data format), CSV (`lab,x,u[,k,U,dof,
/// in_reference,unit]`) or an Excel workbook — and stores nothing: no account needed.
#[utoipa::path(post, path = "/api/v1/comparisons/analyse", tag = "comparisons", params(AnalyseQuery),
    request_body(content((Object = "application/json"), (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = DataAnalysisDto), (status = 400, body = Problem),
        (status = 422, body = Problem)))]
async fn analyse_data(
    headers: HeaderMap,
    query: Result<Query<AnalyseQuery>, QueryRejection>,
    body: Bytes,
) -> Result<Json<DataAnalysisDto>, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let format = match q.format.as_deref() {
        Some(name) => service::DataFormat::from_name(name).ok_or_else(|| {
            ApiError::BadRequest(format!("format {name:?}: use json, csv or xlsx"))
        })?,
        None => headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(service::DataFormat::from_name)
            .unwrap_or_else(|| service::DataFormat::sniff(&body)),
    };
    let method = service::method(q.method.as_deref().unwrap_or("weighted-mean"))?;
    let options = OptionsRequest {
        significance: q.significance,
        coverage_factor: q.coverage_factor,
        draws: q.draws,
        seed: q.seed,
        ..OptionsRequest::default()
    }
    .options();
    let done = service::analyse_dataset("data", &body, format, method, options).await?;
    let (input, dependence) = input_dtos(&done.input);
    Ok(Json(DataAnalysisDto {
        id: done.data.id,
        measurand: done.data.measurand,
        unit: done.data.unit_text,
        warnings: done.data.warnings.iter().map(ToString::to_string).collect(),
        options: OptionsDto::from(&done.options),
        input,
        dependence,
        result: AnalysisResultDto::from(&done.result),
        software_version: env!("CARGO_PKG_VERSION"),
    }))
}
