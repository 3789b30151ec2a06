//! The time services over HTTP (`/api/v1/time`): the stored Circular T months (JSON, the
//! published text layout, section 1 as CSV), the laboratories with their [UTC − UTC(k)] series,
//! the clock characteristics of every month, TAI − UTC from the built-in leap-second table,
//! frequency stability of a posted series, and CGGTTS file checks.
//!
//! The months served today are the built-in **simulated** year (`crate::time_data`): every
//! month, laboratory and clock says `"simulated": true`, and the text and CSV forms carry a
//! notice. Nothing here writes to the store.

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sevres_store::{clock_status_name, Estimate, StoredTimeMonth, TimeFrequency, TimeLab};
use sevres_timescale::stability::Point;
use utoipa::{IntoParams, ToSchema};

use super::comparisons::segment;
use super::negotiate::best_accepted;
use super::problem::Problem;
use super::{bad_json, bad_query, ApiError};
use crate::time::{self as service, StabilityRun, SIMULATED_NOTICE};
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/time/circular-t", get(months))
        .route("/api/v1/time/circular-t/{month}", get(circular_t))
        .route("/api/v1/time/labs", get(labs))
        .route("/api/v1/time/labs/{lab}", get(lab))
        .route("/api/v1/time/clocks", get(clocks))
        .route("/api/v1/time/leap", get(leap))
        .route("/api/v1/time/stability", post(stability))
        .route("/api/v1/time/cggtts/check", post(cggtts_check))
}

/// Our URL of a month's Circular T.
pub(crate) fn month_url(period: &impl std::fmt::Display) -> String {
    format!("/api/v1/time/circular-t/{period}")
}

/// Our URL of a laboratory.
pub(crate) fn lab_url(code: &str) -> String {
    format!("/api/v1/time/labs/{}", segment(code))
}

fn notice(simulated: bool) -> Option<&'static str> {
    simulated.then_some(SIMULATED_NOTICE)
}

// ---------------------------------------------------------------------------------------------
// DTOs

/// A value with its standard uncertainty.
#[derive(Serialize, ToSchema)]
struct EstimateDto {
    value: f64,
    u: f64,
}

fn estimate(e: Option<Estimate>) -> Option<EstimateDto> {
    e.map(|e| EstimateDto {
        value: e.value,
        u: e.u,
    })
}

/// The frequency of EAL and TAI in a month (Circular T sections 2–3); fractional frequencies.
#[derive(Serialize, ToSchema)]
struct FrequencyDto {
    /// f(EAL) − f(TAI) applied this month.
    eal_minus_tai: f64,
    /// f(EAL) − f(TAI) for the next month.
    eal_minus_tai_next: f64,
    /// Frequency of EAL from this month's primary and secondary standards.
    y_eal_month: Option<EstimateDto>,
    /// Filtered estimate of the frequency of EAL.
    y_eal: Option<EstimateDto>,
    /// d: fractional deviation of the TAI scale interval from the SI second.
    d: Option<EstimateDto>,
    birge_ratio: Option<f64>,
    /// Clocks with a non-zero weight.
    weighted_clocks: u32,
    /// Maximum relative weight A/N.
    max_relative_weight: f64,
}

impl From<&TimeFrequency> for FrequencyDto {
    fn from(f: &TimeFrequency) -> Self {
        FrequencyDto {
            eal_minus_tai: f.eal_minus_tai,
            eal_minus_tai_next: f.eal_minus_tai_next,
            y_eal_month: estimate(f.y_eal_month),
            y_eal: estimate(f.y_eal),
            d: estimate(f.d),
            birge_ratio: f.birge_ratio,
            weighted_clocks: f.weighted_clocks,
            max_relative_weight: f.max_relative_weight,
        }
    }
}

/// A Circular T month in the list.
#[derive(Serialize, ToSchema)]
struct MonthSummary {
    /// `YYYY-MM`.
    month: String,
    /// Our URL.
    url: String,
    /// Computed from the built-in simulated ensemble.
    simulated: bool,
    /// Present when simulated.
    notice: Option<&'static str>,
    /// First and last date of section 1 (MJD).
    first_mjd: Option<i64>,
    last_mjd: Option<i64>,
    tai_minus_utc_s: i32,
    frequency: FrequencyDto,
    computed_at: String,
}

impl From<&StoredTimeMonth> for MonthSummary {
    fn from(s: &StoredTimeMonth) -> Self {
        let m = &s.month;
        MonthSummary {
            month: m.period.to_string(),
            url: month_url(&m.period),
            simulated: m.simulated,
            notice: notice(m.simulated),
            first_mjd: m.mjds.first().copied(),
            last_mjd: m.mjds.last().copied(),
            tai_minus_utc_s: m.tai_minus_utc_s,
            frequency: FrequencyDto::from(&m.frequency),
            computed_at: s.computed_at.clone(),
        }
    }
}

/// One laboratory's line of Circular T section 1.
#[derive(Serialize, ToSchema)]
struct Section1Line {
    lab: String,
    /// Our URL of the laboratory.
    url: String,
    location: Option<String>,
    /// [UTC − UTC(k)] in ns at each date (`mjd`); null where there is no value.
    utc_minus_utck_ns: Vec<Option<f64>>,
    ua_ns: Option<f64>,
    ub_ns: Option<f64>,
    u_ns: Option<f64>,
    note: Option<String>,
    /// The laboratory's clocks with data.
    clocks: u32,
    /// Sum of their relative weights.
    weight: f64,
}

/// One month's Circular T.
#[derive(Serialize, ToSchema)]
struct CircularTDto {
    /// `YYYY-MM`.
    month: String,
    simulated: bool,
    /// Present when simulated.
    notice: Option<&'static str>,
    /// The dates of section 1 (MJD, 0h UTC) and as civil dates.
    mjd: Vec<i64>,
    dates: Vec<String>,
    tai_minus_utc_s: i32,
    tai_minus_utc_note: String,
    /// Pivot laboratory of the time links.
    pivot: String,
    /// TAI − EAL at each date, ns.
    tai_minus_eal_ns: Vec<f64>,
    section1: Vec<Section1Line>,
    frequency: FrequencyDto,
    /// The same month as published text and section 1 as CSV.
    text_url: String,
    csv_url: String,
    /// The month's clock characteristics.
    clocks_url: String,
    computed_by: String,
    computed_at: String,
    software_version: String,
}

/// A laboratory of the time scale.
#[derive(Serialize, ToSchema)]
struct LabDto {
    code: String,
    url: String,
    name: String,
    location: Option<String>,
    /// Part of the built-in simulated ensemble.
    simulated: bool,
}

impl From<&TimeLab> for LabDto {
    fn from(l: &TimeLab) -> Self {
        LabDto {
            code: l.code.clone(),
            url: lab_url(&l.code),
            name: l.name.clone(),
            location: l.location.clone(),
            simulated: l.simulated,
        }
    }
}

/// One date of a laboratory's series.
#[derive(Serialize, ToSchema)]
struct SeriesPointDto {
    /// The Circular T month publishing the value.
    month: String,
    mjd: i64,
    date: String,
    utc_minus_utck_ns: f64,
    /// The month's uncertainties, ns.
    ua_ns: Option<f64>,
    ub_ns: Option<f64>,
    u_ns: Option<f64>,
}

/// A laboratory with its [UTC − UTC(k)] series over the stored months.
#[derive(Serialize, ToSchema)]
struct LabSeriesDto {
    #[serde(flatten)]
    lab: LabDto,
    /// Present when simulated.
    notice: Option<&'static str>,
    /// One point per date in date order (a date shared by two months is given once, from the
    /// earlier issue); dates without a value are left out.
    series: Vec<SeriesPointDto>,
    /// The laboratory's clock characteristics.
    clocks_url: String,
}

/// One clock in one month.
#[derive(Serialize, ToSchema)]
struct ClockDto {
    /// `YYYY-MM`.
    month: String,
    lab: String,
    clock: String,
    /// The laboratory belongs to the simulated ensemble.
    simulated: bool,
    /// `weighted`, `probation`, `abnormal`, `reentry`, `incomplete` or `jump`.
    status: &'static str,
    /// Relative weight, 0–1.
    weight: f64,
    /// The weight reached the maximum A/N.
    capped: bool,
    /// Phase EAL − clock (ns) at `phase_mjd`, the clock's last date of the month.
    phase_mjd: Option<i64>,
    phase_ns: Option<f64>,
    /// Fractional frequency against EAL over the month.
    frequency: Option<f64>,
    /// Frequency drift used in the prediction, fractional per day.
    drift_per_day: f64,
    /// Predictability used for the weight (fractional).
    sigma: Option<f64>,
    /// Observed minus predicted frequency (fractional).
    prediction_error: Option<f64>,
}

/// TAI − UTC.
#[derive(Serialize, ToSchema)]
struct LeapDto {
    /// Seconds.
    tai_minus_utc: i32,
}

/// One averaging time of a stability run (the output of `sevres time stability`).
#[derive(Serialize, ToSchema)]
struct StabilityPointDto {
    /// Averaging time, s.
    tau: f64,
    /// The deviation (s for TDEV, TTOTDEV, TIE rms and MTIE, dimensionless otherwise).
    dev: f64,
    /// Number of analysis terms.
    n: usize,
    /// The 68.3 % confidence interval, where computed.
    ci_low: Option<f64>,
    ci_high: Option<f64>,
}

impl From<&Point> for StabilityPointDto {
    fn from(p: &Point) -> Self {
        StabilityPointDto {
            tau: p.tau,
            dev: p.dev,
            n: p.n,
            ci_low: p.ci_low,
            ci_high: p.ci_high,
        }
    }
}

/// A stability run.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct StabilityRequest {
    /// The samples: phase in s or fractional frequency; `null` marks a gap.
    values: Vec<Option<f64>>,
    /// `adev`, `oadev`, `mdev`, `tdev`, `hdev`, `ohdev`, `totdev`, `mtotdev`, `ttotdev`,
    /// `htotdev`, `theo1`, `tierms` or `mtie`.
    kind: String,
    /// `phase` or `freq`.
    data: String,
    /// Sampling interval, s.
    tau0: f64,
    /// `octave` (default), `decade`, `all` or a list such as `1,2,5,10`.
    af: Option<String>,
}

/// One problem in a CGGTTS file.
#[derive(Serialize, ToSchema)]
struct CggttsProblemDto {
    line: usize,
    message: String,
}

/// The check of a CGGTTS file (the output of `sevres time cggtts check`).
#[derive(Serialize, ToSchema)]
struct CggttsReportDto {
    /// No problem found.
    valid: bool,
    /// Tracks read.
    tracks: usize,
    /// The header-checksum convention that verified: `ExcludingLineEnds` or `IncludingLineFeeds`.
    header_checksum: Option<&'static str>,
    errors: Vec<CggttsProblemDto>,
}

// ---------------------------------------------------------------------------------------------
// Handlers

/// Every stored Circular T month, oldest first.
#[utoipa::path(get, path = "/api/v1/time/circular-t", tag = "time",
    responses((status = 200, body = [MonthSummary])))]
async fn months(State(state): State<AppState>) -> Result<Json<Vec<MonthSummary>>, ApiError> {
    let months = state.store.time_months().await?;
    Ok(Json(months.iter().map(MonthSummary::from).collect()))
}

/// A representation of a Circular T month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CircularTFormat {
    Json,
    Text,
    Csv,
}

impl CircularTFormat {
    fn from_name(name: &str) -> Option<Self> {
        match name {
            "json" | "application/json" => Some(Self::Json),
            "text" | "txt" | "text/plain" => Some(Self::Text),
            "csv" | "text/csv" => Some(Self::Csv),
            _ => None,
        }
    }
}

/// `?format=`.
#[derive(Deserialize, IntoParams)]
struct CircularTQuery {
    /// `json` (default), `text` (the published layout of Circular T) or `csv` (section 1).
    /// Overrides `Accept`.
    format: Option<String>,
}

/// One month's Circular T: JSON, the published text layout (`?format=text`) or section 1 as CSV
/// (`?format=csv`).
#[utoipa::path(get, path = "/api/v1/time/circular-t/{month}", tag = "time",
    params(("month" = String, Path, description = "YYYY-MM, e.g. 2024-01"), CircularTQuery),
    responses((status = 200, content((CircularTDto = "application/json"), (String = "text/plain"),
        (String = "text/csv"))), (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn circular_t(
    State(state): State<AppState>,
    Path(month): Path<String>,
    headers: HeaderMap,
    query: Result<Query<CircularTQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let format = match q.format.as_deref() {
        Some(name) => CircularTFormat::from_name(name).ok_or_else(|| {
            ApiError::BadRequest(format!("format {name:?}: use json, text or csv"))
        })?,
        None => {
            best_accepted(&headers, CircularTFormat::from_name).unwrap_or(CircularTFormat::Json)
        }
    };
    let period = service::parse_period(&month)?;
    let stored = service::month(state.store.as_ref(), period).await?;
    let labs = state.store.time_labs().await?;
    let m = &stored.month;
    let (media, body) = match format {
        CircularTFormat::Text => ("text/plain; charset=utf-8", service::circular_t_text(m)),
        CircularTFormat::Csv => ("text/csv; charset=utf-8", service::circular_t_csv(m, &labs)),
        CircularTFormat::Json => {
            let url = month_url(&m.period);
            let dto = CircularTDto {
                month: m.period.to_string(),
                simulated: m.simulated,
                notice: notice(m.simulated),
                mjd: m.mjds.clone(),
                dates: m.mjds.iter().map(|&d| service::date(d)).collect(),
                tai_minus_utc_s: m.tai_minus_utc_s,
                tai_minus_utc_note: m.tai_minus_utc_note.clone(),
                pivot: m.pivot.clone(),
                tai_minus_eal_ns: m.tai_minus_eal_ns.clone(),
                section1: m
                    .labs
                    .iter()
                    .map(|l| Section1Line {
                        lab: l.lab.clone(),
                        url: lab_url(&l.lab),
                        location: labs
                            .iter()
                            .find(|t| t.code == l.lab)
                            .and_then(|t| t.location.clone()),
                        utc_minus_utck_ns: l.values_ns.clone(),
                        ua_ns: l.ua_ns,
                        ub_ns: l.ub_ns,
                        u_ns: l.u_ns,
                        note: l.note.clone(),
                        clocks: l.clocks,
                        weight: l.weight,
                    })
                    .collect(),
                frequency: FrequencyDto::from(&m.frequency),
                text_url: format!("{url}?format=text"),
                csv_url: format!("{url}?format=csv"),
                clocks_url: format!("/api/v1/time/clocks?month={}", m.period),
                computed_by: stored.computed_by.clone(),
                computed_at: stored.computed_at.clone(),
                software_version: m.software_version.clone(),
            };
            return Ok(with_vary(Json(dto).into_response()));
        }
    };
    Ok(with_vary(
        (
            [(header::CONTENT_TYPE, HeaderValue::from_static(media))],
            body,
        )
            .into_response(),
    ))
}

/// The answer depends on `Accept`.
fn with_vary(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept"));
    response
}

/// Every laboratory of the time scale, by code.
#[utoipa::path(get, path = "/api/v1/time/labs", tag = "time",
    responses((status = 200, body = [LabDto])))]
async fn labs(State(state): State<AppState>) -> Result<Json<Vec<LabDto>>, ApiError> {
    let labs = state.store.time_labs().await?;
    Ok(Json(labs.iter().map(LabDto::from).collect()))
}

/// A laboratory with its [UTC − UTC(k)] series and uncertainties over the stored months.
#[utoipa::path(get, path = "/api/v1/time/labs/{lab}", tag = "time",
    params(("lab" = String, Path, description = "Acronym as in Circular T, e.g. SIM-B")),
    responses((status = 200, body = LabSeriesDto), (status = 404, body = Problem)))]
async fn lab(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<LabSeriesDto>, ApiError> {
    let store = state.store.as_ref();
    let lab = service::lab(store, &code).await?;
    let lines = store.time_lab_months(&lab.code).await?;
    let series = service::series(&lines)
        .into_iter()
        .map(|p| SeriesPointDto {
            month: p.period.to_string(),
            mjd: p.mjd,
            date: service::date(p.mjd),
            utc_minus_utck_ns: p.value_ns,
            ua_ns: p.ua_ns,
            ub_ns: p.ub_ns,
            u_ns: p.u_ns,
        })
        .collect();
    Ok(Json(LabSeriesDto {
        notice: notice(lab.simulated),
        clocks_url: format!("/api/v1/time/clocks?lab={}", segment(&lab.code)),
        lab: LabDto::from(&lab),
        series,
    }))
}

/// `?lab=&month=`.
#[derive(Deserialize, IntoParams)]
struct ClocksQuery {
    /// Only this laboratory's clocks.
    lab: Option<String>,
    /// Only this month, `YYYY-MM`.
    month: Option<String>,
}

/// The characteristics (phase, frequency, drift, weight) of every clock in every stored month,
/// by month, laboratory and clock; filtered by laboratory and month.
#[utoipa::path(get, path = "/api/v1/time/clocks", tag = "time", params(ClocksQuery),
    responses((status = 200, body = [ClockDto]), (status = 400, body = Problem),
        (status = 404, body = Problem)))]
async fn clocks(
    State(state): State<AppState>,
    query: Result<Query<ClocksQuery>, QueryRejection>,
) -> Result<Json<Vec<ClockDto>>, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let store = state.store.as_ref();
    let period = q
        .month
        .as_deref()
        .filter(|m| !m.is_empty())
        .map(service::parse_period)
        .transpose()?;
    let lab = q.lab.as_deref().filter(|l| !l.is_empty());
    if let Some(code) = lab {
        service::lab(store, code).await?;
    }
    if let Some(period) = period {
        if store
            .time_months()
            .await?
            .iter()
            .all(|m| m.month.period != period)
        {
            return Err(ApiError::NotFound(format!("no Circular T for {period}")));
        }
    }
    let labs = store.time_labs().await?;
    let simulated = |code: &str| labs.iter().any(|l| l.code == code && l.simulated);
    let rows = store.time_clocks(lab, period).await?;
    Ok(Json(
        rows.iter()
            .map(|r| {
                let c = &r.clock;
                ClockDto {
                    month: r.period.to_string(),
                    lab: c.lab.clone(),
                    clock: c.clock.clone(),
                    simulated: simulated(&c.lab),
                    status: clock_status_name(c.status),
                    weight: c.weight,
                    capped: c.capped,
                    phase_mjd: c.phase.map(|p| p.mjd),
                    phase_ns: c.phase.map(|p| p.x_ns),
                    frequency: c.frequency,
                    drift_per_day: c.drift_per_day,
                    sigma: c.sigma,
                    prediction_error: c.prediction_error,
                }
            })
            .collect(),
    ))
}

/// `?utc=`.
#[derive(Deserialize, IntoParams)]
struct LeapQuery {
    /// UTC as ISO 8601, e.g. `2016-12-31T23:59:60` (23:59:60 only at a leap second).
    utc: String,
}

/// TAI − UTC at a UTC date and time, from the leap-second table the server was started with
/// (`sevres serve --leap FILE`), else the built-in IERS table.
#[utoipa::path(get, path = "/api/v1/time/leap", tag = "time", params(LeapQuery),
    responses((status = 200, body = LeapDto), (status = 400, body = Problem),
        (status = 422, body = Problem, description = "before 1972 or after the table expires")))]
async fn leap(
    State(state): State<AppState>,
    query: Result<Query<LeapQuery>, QueryRejection>,
) -> Result<Json<LeapDto>, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    Ok(Json(LeapDto {
        tai_minus_utc: service::tai_minus_utc(state.leap.as_deref(), &q.utc)?,
    }))
}

/// Frequency stability of a series: one row per averaging time, as `sevres time stability`
/// prints. A request's work is bounded (422 beyond it: use fewer factors or samples).
#[utoipa::path(post, path = "/api/v1/time/stability", tag = "time",
    request_body = StabilityRequest,
    responses((status = 200, body = [StabilityPointDto]), (status = 400, body = Problem),
        (status = 422, body = Problem)))]
async fn stability(
    body: Result<Json<StabilityRequest>, JsonRejection>,
) -> Result<Json<Vec<StabilityPointDto>>, ApiError> {
    let Json(req) = body.map_err(bad_json)?;
    let values = req.values.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
    let run = StabilityRun::new(
        &req.kind,
        &req.data,
        req.tau0,
        req.af.as_deref().unwrap_or("octave"),
        values,
    )?;
    let points = run.run().await?;
    Ok(Json(points.iter().map(StabilityPointDto::from).collect()))
}

/// Checks a CGGTTS V2E file sent as the body: format, header and track checksums, the BIPM
/// track schedule. A file with problems is a 200 answer with `"valid": false` and every problem.
#[utoipa::path(post, path = "/api/v1/time/cggtts/check", tag = "time",
    request_body(content = String, content_type = "text/plain"),
    responses((status = 200, body = CggttsReportDto), (status = 400, body = Problem)))]
async fn cggtts_check(body: Bytes) -> Result<Json<CggttsReportDto>, ApiError> {
    if body.is_empty() {
        return Err(ApiError::BadRequest(
            "the body is empty: send the CGGTTS file as the body".into(),
        ));
    }
    let text = std::str::from_utf8(&body).map_err(|e| {
        ApiError::BadRequest(format!(
            "the body is not UTF-8 text (a CGGTTS file is ASCII): invalid byte at offset {}",
            e.valid_up_to()
        ))
    })?;
    let report = sevres_timescale::cggtts::check("body", text);
    Ok(Json(CggttsReportDto {
        valid: report.valid,
        tracks: report.tracks,
        header_checksum: report.header_checksum.map(|c| c.name()),
        errors: report
            .problems
            .into_iter()
            .map(|p| CggttsProblemDto {
                line: p.line,
                message: p.message,
            })
            .collect(),
    }))
}
