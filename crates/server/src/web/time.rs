//! Pages of the time services: an overview (the latest Circular T, every month, the
//! laboratories), one page per Circular T month (section 1, the EAL and TAI frequency, the
//! clocks), one page per laboratory (its [UTC − UTC(k)] chart and Circular T lines), and a
//! frequency-stability page where anyone pastes a series and gets the deviation table.
//!
//! The months are the built-in simulated year: every page that shows them says so.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;
use sevres_store::{
    clock_status_name, ClockInMonth, Estimate, StoredTimeMonth, TimeLab, TimeMonth, YearMonth,
};
use sevres_timescale::calendar::{month_abbrev, Date};
use sevres_timescale::stability::{self, Kind, Point};

use super::layout::page;
use crate::api::ApiError;
use crate::time::{self as service, StabilityRun};
use crate::time_chart::{utc_offset_svg, ChartPoint};
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/time", get(overview))
        .route("/time/circular-t/{month}", get(month_page))
        .route("/time/labs/{lab}", get(lab_page))
        .route("/time/stability", get(stability_get).post(stability_post))
}

/// An error shown in a page.
fn error_box(message: &str) -> Markup {
    html! { p.result.error id="error" role="alert" { (message) } }
}

fn simulated_note() -> Markup {
    html! {
        p.note id="simulated" {
            strong { "Simulated data. " }
            "The months, laboratories (SIM-A to SIM-O) and clocks shown here come from a simulated "
            "clock ensemble computed by Sevres's time-scale engine; they are not BIPM Circular T "
            "publications. See " a href="/api/v1/openapi.json" { "the API" } " for the same data."
        }
    }
}

fn month_href(period: YearMonth) -> String {
    format!("/time/circular-t/{period}")
}

fn lab_href(code: &str) -> String {
    format!("/time/labs/{}", crate::api::comparisons::segment(code))
}

/// `January 2024`.
fn month_name(period: YearMonth) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let name = NAMES
        .get(period.month() as usize - 1)
        .copied()
        .unwrap_or("?");
    format!("{name} {}", period.year())
}

/// `Jan 5` for a date.
fn short_date(mjd: i64) -> String {
    let d = Date::from_mjd(mjd);
    let abbrev = month_abbrev(d.month);
    let mut letters = abbrev.chars();
    let title: String = letters
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(letters.map(|c| c.to_ascii_lowercase()))
        .collect();
    format!("{title} {}", d.day)
}

fn ns(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"))
}

/// A fractional frequency in units of 10⁻¹⁵, as Circular T gives them.
fn e15(v: f64) -> String {
    format!("{:.2}", v * 1e15)
}

fn estimate(e: Option<Estimate>) -> String {
    e.map_or_else(
        || "-".to_string(),
        |e| format!("{} (u = {})", e15(e.value), e15(e.u)),
    )
}

/// Circular T section 1 as a table.
fn section1_table(m: &TimeMonth, labs: &[TimeLab]) -> Markup {
    html! {
        table.section1 id="section1" {
            thead {
                tr {
                    th { "Laboratory k" }
                    @for &d in &m.mjds { th.num { (short_date(d)) br; small { (d) } } }
                    th.num { "uA" } th.num { "uB" } th.num { "u" }
                }
            }
            tbody {
                @for l in &m.labs {
                    @let location = labs.iter().find(|t| t.code == l.lab).and_then(|t| t.location.as_deref());
                    tr {
                        td { a href=(lab_href(&l.lab)) { (l.lab) } @if let Some(loc) = location { " (" (loc) ")" } }
                        @for v in &l.values_ns { td.num { (ns(*v)) } }
                        td.num { (ns(l.ua_ns)) } td.num { (ns(l.ub_ns)) } td.num { (ns(l.u_ns)) }
                    }
                }
            }
        }
        p.caption { "[UTC − UTC(k)] in ns at 0h UTC on the dates shown (MJD below each date), with "
            "its statistical (uA), systematic (uB) and combined (u) standard uncertainties in ns. "
            (m.tai_minus_utc_note) "." }
    }
}

fn frequency_table(m: &TimeMonth) -> Markup {
    let f = &m.frequency;
    html! {
        table.meta id="frequency" {
            tbody {
                tr { th { "f(EAL) − f(TAI) applied this month" } td.num { (e15(f.eal_minus_tai)) " × 10⁻¹⁵" } }
                tr { th { "Frequency of EAL from the primary standards" } td.num { (estimate(f.y_eal_month)) } }
                tr { th { "d (TAI scale interval − SI second)" } td.num { (estimate(f.d)) } }
                tr { th { "f(EAL) − f(TAI) for the next month" } td.num { (e15(f.eal_minus_tai_next)) " × 10⁻¹⁵" } }
                tr { th { "Clocks weighted" } td.num { (f.weighted_clocks) } }
                tr { th { "Maximum relative weight A/N" } td.num { (format!("{:.4}", f.max_relative_weight)) } }
            }
        }
        p.caption { "Fractional frequencies in units of 10⁻¹⁵, with standard uncertainties." }
    }
}

fn months_table(months: &[StoredTimeMonth]) -> Markup {
    html! {
        table.months id="months" {
            thead { tr {
                th { "Circular T" } th { "Dates (MJD)" } th { "TAI − UTC" }
                th.num { "f(EAL) − f(TAI) / 10⁻¹⁵" } th.num { "d / 10⁻¹⁵" } th.num { "Clocks weighted" }
            } }
            tbody {
                @for s in months.iter().rev() {
                    @let m = &s.month;
                    tr {
                        td { a href=(month_href(m.period)) { (month_name(m.period)) }
                            @if m.simulated { " " span.soon { "(simulated)" } } }
                        td.num { (m.mjds.first().copied().unwrap_or(0)) " – " (m.mjds.last().copied().unwrap_or(0)) }
                        td.num { (m.tai_minus_utc_s) " s" }
                        td.num { (e15(m.frequency.eal_minus_tai)) }
                        td.num { (estimate(m.frequency.d)) }
                        td.num { (m.frequency.weighted_clocks) }
                    }
                }
            }
        }
    }
}

fn labs_table(labs: &[TimeLab]) -> Markup {
    html! {
        table.labs id="labs" {
            thead { tr { th { "Laboratory" } th { "Name" } th { "Location" } } }
            tbody {
                @for l in labs {
                    tr {
                        td { a href=(lab_href(&l.code)) { (l.code) } }
                        td { (l.name) }
                        td { (l.location.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    }
}

fn clocks_table(clocks: &[ClockInMonth], with_lab: bool) -> Markup {
    html! {
        table.clocks id="clocks" {
            thead { tr {
                @if with_lab { th { "Laboratory" } }
                th { "Clock" } th { "Status" } th.num { "Weight / %" }
                th.num { "Frequency / 10⁻¹⁵" } th.num { "Drift / 10⁻¹⁵ per 30 days" }
                th.num { "Phase EAL − clock / ns" }
            } }
            tbody {
                @for c in clocks {
                    @let k = &c.clock;
                    tr {
                        @if with_lab { td { a href=(lab_href(&k.lab)) { (k.lab) } } }
                        td { (k.clock) }
                        td { (clock_status_name(k.status)) }
                        td.num { (format!("{:.2}", k.weight * 100.0)) }
                        td.num { (k.frequency.map_or_else(|| "-".to_string(), e15)) }
                        td.num { (e15(k.drift_per_day * 30.0)) }
                        td.num { (k.phase.map_or_else(|| "-".to_string(), |p| format!("{:.1}", p.x_ns))) }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Overview

async fn overview(State(state): State<AppState>) -> Markup {
    let body = match overview_body(&state).await {
        Ok(b) => b,
        Err(e) => error_box(&e.to_string()),
    };
    page("Time", body)
}

async fn overview_body(state: &AppState) -> Result<Markup, ApiError> {
    let store = state.store.as_ref();
    let months = store.time_months().await?;
    let labs = store.time_labs().await?;
    let latest = match months.last() {
        Some(m) => Some(service::month(store, m.month.period).await?),
        None => None,
    };
    let any_simulated = months.iter().any(|m| m.month.simulated);
    Ok(html! {
        p.lead {
            "The world time scale: the BIPM computes International Atomic Time (TAI) and "
            "Coordinated Universal Time (UTC) each month from the atomic clocks of the timing "
            "laboratories and publishes, in Circular T, how far each laboratory's realization "
            "UTC(k) is from UTC."
        }
        @if any_simulated { (simulated_note()) }
        p {
            a href="/time/stability" { "Frequency stability of your data" } " · "
            a href="/api/v1/time/leap?utc=2016-12-31T23:59:60" { "TAI − UTC at a date (API)" } " · "
            a href="/api/v1/openapi.json" { "API" }
        }
        @match &latest {
            None => { p id="none" { "No Circular T is stored yet." } }
            Some(m) => {
                h2 id="latest" { "Latest: Circular T for " a href=(month_href(m.month.period)) { (month_name(m.month.period)) } }
                (section1_table(&m.month, &labs))
            }
        }
        @if !months.is_empty() {
            h2 { "Every month" }
            (months_table(&months))
        }
        @if !labs.is_empty() {
            h2 { "Laboratories" }
            (labs_table(&labs))
        }
    })
}

// ---------------------------------------------------------------------------------------------
// One month

async fn month_page(State(state): State<AppState>, Path(month): Path<String>) -> Markup {
    match month_body(&state, &month).await {
        Ok((title, body)) => page(&title, body),
        Err(e) => page("Circular T", error_box(&e.to_string())),
    }
}

async fn month_body(state: &AppState, month: &str) -> Result<(String, Markup), ApiError> {
    let store = state.store.as_ref();
    let period = service::parse_period(month)?;
    let stored = service::month(store, period).await?;
    let labs = store.time_labs().await?;
    let clocks = store.time_clocks(None, Some(period)).await?;
    let months = store.time_months().await?;
    let index = months.iter().position(|m| m.month.period == period);
    let neighbour = |offset: isize| {
        index
            .and_then(|i| i.checked_add_signed(offset))
            .and_then(|i| months.get(i))
            .map(|m| m.month.period)
    };
    let m = &stored.month;
    let api = crate::api::time::month_url(&period);
    let title = format!(
        "Circular T: {}{}",
        month_name(period),
        if m.simulated { " (simulated)" } else { "" }
    );
    Ok((
        title,
        html! {
            @if m.simulated { (simulated_note()) }
            p.nav {
                @if let Some(p) = neighbour(-1) { a href=(month_href(p)) rel="prev" { "← " (month_name(p)) } " · " }
                a href="/time" { "All months" }
                @if let Some(n) = neighbour(1) { " · " a href=(month_href(n)) rel="next" { (month_name(n)) " →" } }
            }
            h2 { "1 – [UTC − UTC(k)]" }
            (section1_table(m, &labs))
            h2 { "2 – Frequency of EAL and TAI" }
            (frequency_table(m))
            h2 { "Clocks" }
            p { (clocks.len()) " clocks; the weight is the clock's share of EAL this month, the "
                "frequency is against EAL over the month." }
            (clocks_table(&clocks, true))
            h2 { "Data" }
            p {
                a href=(format!("{api}?format=text")) { "Circular T (text)" } " · "
                a href=(format!("{api}?format=csv")) { "section 1 (CSV)" } " · "
                a href=(api) { "JSON" } " · "
                a href=(format!("/api/v1/time/clocks?month={period}")) { "clocks (JSON)" }
            }
            p.caption { "Computed " (stored.computed_at) " by Sevres " (m.software_version) "." }
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// One laboratory

async fn lab_page(State(state): State<AppState>, Path(code): Path<String>) -> Markup {
    match lab_body(&state, &code).await {
        Ok((title, body)) => page(&title, body),
        Err(e) => page("Laboratory", error_box(&e.to_string())),
    }
}

async fn lab_body(state: &AppState, code: &str) -> Result<(String, Markup), ApiError> {
    let store = state.store.as_ref();
    let lab = service::lab(store, code).await?;
    let lines = store.time_lab_months(&lab.code).await?;
    let series = service::series(&lines);
    let points: Vec<ChartPoint> = series
        .iter()
        .map(|p| ChartPoint {
            mjd: p.mjd,
            value_ns: p.value_ns,
            u_ns: p.u_ns,
        })
        .collect();
    let chart_title = format!(
        "[UTC − UTC({})]{}",
        lab.code,
        if lab.simulated { ", simulated" } else { "" }
    );
    let chart = if points.is_empty() {
        html! { p id="none" { "No [UTC − UTC(k)] value is stored for this laboratory." } }
    } else {
        match utc_offset_svg(&chart_title, &points) {
            Ok(svg) => html! { figure.chart { (PreEscaped(svg)) } },
            Err(e) => error_box(&format!("no chart: {e}")),
        }
    };
    let latest = lines.last().map(|l| l.period);
    let clocks = match latest {
        Some(p) => store.time_clocks(Some(&lab.code), Some(p)).await?,
        None => Vec::new(),
    };
    let title = format!("{} — {}", lab.code, lab.name);
    Ok((
        title,
        html! {
            @if lab.simulated { (simulated_note()) }
            (chart)
            p.caption { "Each point is [UTC − UTC(" (lab.code) ")] at a Circular T date, with a bar "
                "of ± u, the combined standard uncertainty of its month." }
            h2 { "Circular T lines" }
            table.lines id="lines" {
                thead { tr {
                    th { "Circular T" } th { "[UTC − UTC(k)] / ns at the month's dates" }
                    th.num { "uA" } th.num { "uB" } th.num { "u" }
                } }
                tbody {
                    @for l in &lines {
                        tr {
                            td { a href=(month_href(l.period)) { (month_name(l.period)) } }
                            td.num {
                                @for (k, (&d, v)) in l.mjds.iter().zip(&l.line.values_ns).enumerate() {
                                    @if k > 0 { " · " }
                                    span title=(format!("MJD {d}, {}", service::date(d))) { (short_date(d)) ": " (ns(*v)) }
                                }
                            }
                            td.num { (ns(l.line.ua_ns)) } td.num { (ns(l.line.ub_ns)) } td.num { (ns(l.line.u_ns)) }
                        }
                    }
                }
            }
            @if let Some(p) = latest {
                h2 { "Clocks in " (month_name(p)) }
                (clocks_table(&clocks, false))
            }
            h2 { "Data" }
            p {
                a href=(crate::api::time::lab_url(&lab.code)) { "series (JSON)" } " · "
                a href=(format!("/api/v1/time/clocks?lab={}", crate::api::comparisons::segment(&lab.code))) { "clocks of every month (JSON)" }
            }
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// Frequency stability

/// The stability form's fields.
#[derive(Deserialize, Default)]
struct StabilityForm {
    data: Option<String>,
    kind: Option<String>,
    data_type: Option<String>,
    tau0: Option<String>,
    af: Option<String>,
}

async fn stability_get(Query(form): Query<StabilityForm>) -> Markup {
    let outcome = match form.data.as_deref() {
        Some(d) if !d.trim().is_empty() => Some(run_form(&form).await),
        _ => None,
    };
    stability_page(&form, outcome)
}

async fn stability_post(form: Result<Form<StabilityForm>, FormRejection>) -> Markup {
    match form {
        Ok(Form(form)) => {
            let outcome = Some(run_form(&form).await);
            stability_page(&form, outcome)
        }
        Err(e) => stability_page(
            &StabilityForm::default(),
            Some(Err(ApiError::BadRequest(format!(
                "the form: {}",
                e.body_text()
            )))),
        ),
    }
}

async fn run_form(form: &StabilityForm) -> Result<(Kind, Vec<Point>), ApiError> {
    let text = form.data.as_deref().unwrap_or("");
    let values =
        stability::parse_series(text).map_err(|e| ApiError::BadRequest(format!("data: {e}")))?;
    let tau0_text = form.tau0.as_deref().map(str::trim).unwrap_or("1");
    let tau0: f64 = tau0_text
        .parse()
        .map_err(|_| ApiError::BadRequest(format!("τ0: {tau0_text:?} is not a number")))?;
    let run = StabilityRun::new(
        form.kind.as_deref().unwrap_or("oadev"),
        form.data_type.as_deref().unwrap_or("phase"),
        tau0,
        form.af
            .as_deref()
            .filter(|a| !a.trim().is_empty())
            .unwrap_or("octave"),
        values,
    )?;
    let kind = run.kind;
    Ok((kind, run.run().await?))
}

fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Adev => "Allan deviation (ADEV)",
        Kind::Oadev => "overlapping Allan deviation (OADEV)",
        Kind::Mdev => "modified Allan deviation (MDEV)",
        Kind::Tdev => "time deviation (TDEV)",
        Kind::Hdev => "Hadamard deviation (HDEV)",
        Kind::Ohdev => "overlapping Hadamard deviation (OHDEV)",
        Kind::Totdev => "total deviation (TOTDEV)",
        Kind::Mtotdev => "modified total deviation (MTOTDEV)",
        Kind::Ttotdev => "time total deviation (TTOTDEV)",
        Kind::Htotdev => "Hadamard total deviation (HTOTDEV)",
        Kind::Theo1 => "Théo1",
        Kind::TieRms => "RMS time-interval error (TIE rms)",
        Kind::Mtie => "maximum time-interval error (MTIE)",
    }
}

const EXAMPLE: &str = "# phase in seconds, one value per line\n0\n1.2e-9\n2.1e-9\n3.5e-9\n…";

/// `9.1229e+01`, as Stable32 prints deviations.
fn sci(v: f64) -> String {
    let text = format!("{v:.4e}");
    match text.split_once('e').map(|(m, e)| (m, e.parse::<i32>())) {
        Some((mantissa, Ok(exp))) => {
            let sign = if exp < 0 { '-' } else { '+' };
            format!("{mantissa}e{sign}{:02}", exp.abs())
        }
        _ => text,
    }
}

fn sci_opt(v: Option<f64>) -> String {
    v.map_or_else(String::new, sci)
}

fn stability_page(
    form: &StabilityForm,
    outcome: Option<Result<(Kind, Vec<Point>), ApiError>>,
) -> Markup {
    let kind = form.kind.as_deref().unwrap_or("oadev");
    let data_type = form.data_type.as_deref().unwrap_or("phase");
    page(
        "Frequency stability",
        html! {
            p.lead {
                "Paste a series of phase (time error, in seconds) or fractional-frequency values, "
                "one per line, and get the Allan deviation or another stability statistic for each "
                "averaging time τ, with its 68.3 % confidence interval as Stable32 reports it "
                "(NIST SP 1065). Nothing is stored."
            }
            p { "Lines may hold several columns (the last one is the value, so " code { "MJD value" }
                " files work); " code { "#" } " starts a comment and " code { "nan" } " marks a gap." }
            form.converter.analyse method="post" action="/time/stability" {
                label.wide { "Data"
                    textarea name="data" rows="10" placeholder=(EXAMPLE) { (form.data.as_deref().unwrap_or("")) }
                }
                label { "Statistic"
                    select name="kind" {
                        @for k in Kind::ALL {
                            option value=(k.name()) selected[k.name() == kind] { (kind_label(k)) }
                        }
                    }
                }
                label { "Data"
                    select name="data_type" {
                        option value="phase" selected[data_type == "phase"] { "phase (s)" }
                        option value="freq" selected[data_type == "freq"] { "fractional frequency" }
                    }
                }
                label { "τ0 / s" input name="tau0" type="text" inputmode="decimal" value=(form.tau0.as_deref().unwrap_or("1")); }
                label { "Averaging factors" input name="af" type="text" value=(form.af.as_deref().unwrap_or("octave")) placeholder="octave, decade, all or 1,2,5"; }
                button type="submit" { "Compute" }
            }
            @match outcome {
                None => {}
                Some(Err(e)) => { (error_box(&e.to_string())) }
                Some(Ok((kind, points))) => {
                    section.analysis id="result" {
                        h2 { (kind_label(kind)) }
                        table.stability id="stability" {
                            thead { tr {
                                th.num { "AF" } th.num { "τ / s" } th.num { "σ(τ)" } th.num { "Terms" }
                                th.num { "Noise α" } th.num { "Min σ (68.3 %)" } th.num { "Max σ (68.3 %)" }
                            } }
                            tbody {
                                @for p in &points {
                                    tr {
                                        td.num { (p.af) } td.num { (p.tau) } td.num { (sci(p.dev)) }
                                        td.num { (p.n) } td.num { (p.alpha.map(|a| a.to_string()).unwrap_or_default()) }
                                        td.num { (sci_opt(p.ci_low)) } td.num { (sci_opt(p.ci_high)) }
                                    }
                                }
                            }
                        }
                        p.caption { "The same table as JSON: " code { "POST /api/v1/time/stability" } "." }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_months_read_as_in_circular_t() {
        assert_eq!(short_date(60_309), "Dec 31");
        assert_eq!(short_date(60_314), "Jan 5");
        assert_eq!(month_name(YearMonth::new(2024, 1).unwrap()), "January 2024");
        assert_eq!(ns(None), "-");
        assert_eq!(ns(Some(-7.44)), "-7.4");
        assert_eq!(e15(-1.85e-14), "-18.50");
        assert_eq!(sci(91.229_45), "9.1229e+01");
        assert_eq!(sci(-2.5e-13), "-2.5000e-13");
        assert_eq!(sci(f64::NAN), "NaN");
    }
}
