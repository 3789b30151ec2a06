//! Pages of the Key Comparison Database: the list of comparisons with a search form, one page
//! per comparison (its description, published reference value, degrees-of-equivalence chart and
//! tables), and an analysis page where anyone can paste or upload a data set, choose a method
//! and see the reference value, the degrees of equivalence and the chart at once.
//!
//! The pages are public: they show what the public may see (`sevres_kcdb::access`), that is the
//! description of every comparison and, once a comparison is published, its results and
//! figures. The analysis page stores nothing.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;
use sevres_comparison::{Method, Options};
use sevres_kcdb::access::{self, Viewer};
use sevres_kcdb::chart::doe_svg;
use sevres_kcdb::doe::DoeTable;
use sevres_kcdb::id::Scope;
use sevres_kcdb::{
    Comparison, ComparisonKind, ConsultativeCommittee, Institute, InstituteCode, Status,
};
use sevres_si::Notation;

use super::layout::page;
use crate::api::comparisons::{comparison_url, filter, segment};
use crate::api::ApiError;
use crate::comparisons::{self as service, DataFormat, DatasetAnalysis};
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/comparisons", get(list))
        .route("/comparisons/analyse", get(analyse_get).post(analyse_post))
        .route("/comparisons/{id}", get(one))
}

/// An error shown in a page.
fn error_box(message: &str) -> Markup {
    html! { p.result.error id="error" role="alert" { (message) } }
}

/// The page of a comparison.
fn page_url(id: &impl std::fmt::Display) -> String {
    format!("/comparisons/{}", segment(&id.to_string()))
}

/// The SVG chart, inline (its text is escaped by the SVG writer).
fn chart(table: &DoeTable) -> Markup {
    match doe_svg(table) {
        Ok(svg) => html! { figure.chart { (PreEscaped(svg)) } },
        Err(e) => error_box(&format!("no chart: {e}")),
    }
}

fn doe_rows(table: &DoeTable) -> Markup {
    let unit = &table.unit;
    html! {
        table.doe {
            thead { tr {
                th { "Laboratory" } th { "d / " (unit) } th { "U(d) / " (unit) " (k = " (table.coverage_factor) ")" }
                th { "In reference" } th { "Linked through" }
            } }
            tbody {
                @for p in &table.points {
                    tr {
                        td { (p.lab) }
                        td.num { (p.d) }
                        td.num { (p.expanded) }
                        td { (match p.in_reference { Some(true) => "yes", Some(false) => "no", None => "" }) }
                        td { (p.via.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The list

/// The search form's fields.
#[derive(Deserialize, Default)]
struct ListForm {
    q: Option<String>,
    committee: Option<String>,
    status: Option<String>,
    kind: Option<String>,
}

async fn list(State(state): State<AppState>, Query(form): Query<ListForm>) -> Markup {
    let found = match filter(
        form.q.as_deref(),
        form.committee.as_deref(),
        form.status.as_deref(),
        form.kind.as_deref(),
    ) {
        Ok(f) => state.store.comparisons(&f).await.map_err(ApiError::from),
        Err(e) => Err(e),
    };
    let chosen = |v: &Option<String>, x: &str| v.as_deref() == Some(x);
    page(
        "Key comparisons",
        html! {
            p.lead {
                "Comparisons of national measurement standards under the CIPM Mutual Recognition "
                "Arrangement: their participants, and once published, their key comparison reference "
                "values and degrees of equivalence. "
                a href="/comparisons/analyse" { "Analyse your own comparison data" } "."
            }
            form.converter.search method="get" action="/comparisons" {
                label { "Search" input name="q" type="search" value=(form.q.as_deref().unwrap_or("")) placeholder="Co-60, CCM.M-K8, lead"; }
                label { "Committee"
                    select name="committee" {
                        option value="" { "any" }
                        @for c in ConsultativeCommittee::ALL {
                            option value=(c.acronym()) selected[chosen(&form.committee, c.acronym())] { (c.acronym()) }
                        }
                    }
                }
                label { "Status"
                    select name="status" {
                        option value="" { "any" }
                        @for s in Status::ALL {
                            option value=(s.name()) selected[chosen(&form.status, s.name())] { (status_label(s)) }
                        }
                    }
                }
                label { "Kind"
                    select name="kind" {
                        option value="" { "any" }
                        option value="key" selected[chosen(&form.kind, "key")] { "key" }
                        option value="supplementary" selected[chosen(&form.kind, "supplementary")] { "supplementary" }
                    }
                }
                button type="submit" { "Search" }
            }
            @match found {
                Err(e) => { (error_box(&e.to_string())) }
                Ok(list) if list.is_empty() => { p id="none" { "No comparison matches." } }
                Ok(list) => {
                    table.comparisons {
                        thead { tr { th { "Identifier" } th { "Title" } th { "Committee" } th { "Pilot" } th { "Participants" } th { "Status" } } }
                        tbody {
                            @for c in &list {
                                tr {
                                    td { a href=(page_url(&c.id)) { (c.id) } }
                                    td { (c.title) }
                                    td { (c.committee.map(|c| c.acronym()).unwrap_or("")) }
                                    td { (c.pilot) }
                                    td.num { (c.participants.len()) }
                                    td { (status_label(c.status)) }
                                }
                            }
                        }
                    }
                }
            }
            p { "Also as JSON: " a href="/api/v1/comparisons" { "/api/v1/comparisons" } "." }
        },
    )
}

fn status_label(s: Status) -> &'static str {
    match s {
        Status::Registered => "registered",
        Status::Measurements => "measurements in progress",
        Status::DraftA => "Draft A",
        Status::DraftB => "Draft B",
        Status::Approved => "approved",
        Status::Published => "published",
    }
}

// ---------------------------------------------------------------------------------------------
// One comparison

fn institute_cell(code: &InstituteCode, directory: &[Institute]) -> Markup {
    let found = directory.iter().find(|i| i.code == *code);
    html! {
        (code)
        @if let Some(i) = found { " — " (i.name) }
    }
}

async fn one(State(state): State<AppState>, Path(id): Path<String>) -> Markup {
    match comparison_page(&state, &id).await {
        Ok(markup) => markup,
        Err(e) => page("Comparison", error_box(&e.to_string())),
    }
}

async fn comparison_page(state: &AppState, id: &str) -> Result<Markup, ApiError> {
    let c = service::load(state.store.as_ref(), &service::parse_id(id)?).await?;
    let viewer = Viewer::Public;
    let directory = state.store.institutes().await?;
    let all_results = state.store.results(&c.id).await?;
    let results = access::visible_results(&viewer, &c, &all_results);
    let published = if service::can_see_figures(&viewer, &c) {
        state.store.published(&c.id).await?
    } else {
        Vec::new()
    };
    let api = comparison_url(&c.id);
    Ok(page(
        &c.id.to_string(),
        html! {
            p.lead { (c.title) }
            (description(&c, &directory))
            h2 { "Measurands" }
            table {
                thead { tr { th { "Measurand" } th { "Quantity" } th { "Unit" } th { "Nominal value" } } }
                tbody {
                    @for m in &c.measurands {
                        tr {
                            td { (m.id) } td { (m.quantity) } td { (m.unit.to_notation(Notation::Si)) }
                            td.num { @if let Some(n) = m.nominal { (n) } }
                        }
                    }
                }
            }
            h2 { "Participants" }
            table {
                thead { tr { th { "Institute" } th { "Country" } th { "RMO" } } }
                tbody {
                    @for p in &c.participants {
                        @let found = directory.iter().find(|i| i.code == *p);
                        tr {
                            td { (institute_cell(p, &directory)) }
                            td { (found.and_then(|i| i.country.as_deref()).unwrap_or("")) }
                            td { (found.and_then(|i| i.rmo).map(|r| r.acronym()).unwrap_or("")) }
                        }
                    }
                }
            }
            @if c.status != Status::Published {
                p.note id="confidential" {
                    "Results, analyses and degrees of equivalence are confidential to the participants "
                    "until the comparison is published (CIPM MRA-G-11 §6)."
                }
            }
            @for p in &published {
                @let table = p.doe_table(format!("{} ({})", c.id, p.measurand));
                h2 { "Reference value and degrees of equivalence: " (p.measurand) }
                @let unit = p.unit.to_notation(Notation::Si);
                @let (kcrv, u) = rounded(p.kcrv, p.u_kcrv);
                p.kcrv id="kcrv" {
                    "Key comparison reference value: "
                    strong { (kcrv) " " (unit) }
                    ", standard uncertainty " (u) " " (unit)
                    @if let Some(y) = p.year { " (" (y) ")" }
                    ". Source: " (p.source)
                    @if let Some(d) = &p.report_doi { ", report " a href=(d.url()) { (d) } }
                    "."
                }
                @if p.does.is_empty() {
                    p.note { "This release publishes no degrees of equivalence." }
                } @else {
                    @match table {
                        Ok(t) => { (chart(&t)) (doe_rows(&t)) }
                        Err(e) => { (error_box(&e.to_string())) }
                    }
                }
            }
            @if !results.is_empty() {
                h2 { "Results" }
                table.results {
                    thead { tr { th { "Measurand" } th { "Institute" } th { "Value" } th { "u" } th { "k" } th { "U" } th { "In reference" } th { "Date" } } }
                    tbody {
                        @for r in &results {
                            tr {
                                td { (r.measurand) } td { (r.institute) } td.num { (r.value) }
                                td.num { (r.standard_uncertainty) }
                                td.num { @if let Some(k) = r.coverage_factor { (k) } }
                                td.num { @if let Some(u) = r.expanded_uncertainty { (u) } }
                                td { (if r.in_reference { "yes" } else { "no" }) }
                                td { (r.date) }
                            }
                        }
                    }
                }
            }
            h2 { "Data" }
            p {
                a href=(api) { "JSON" } " · "
                a href=(format!("{api}?format=jsonld")) { "JSON-LD" } " · "
                a href=(format!("{api}/results?format=csv")) { "results (CSV)" }
                @if published.iter().any(|p| !p.does.is_empty()) {
                    " · " a href=(format!("{api}/doe?format=csv")) { "degrees of equivalence (CSV)" }
                    " · " a href=(format!("{api}/doe.svg")) { "chart (SVG)" }
                }
            }
        },
    ))
}

fn description(c: &Comparison, directory: &[Institute]) -> Markup {
    html! {
        table.meta {
            tbody {
                tr { th { "Identifier" } td { (c.id) } }
                tr { th { "Kind" } td { (match c.kind() {
                    ComparisonKind::Key => "key comparison",
                    ComparisonKind::Supplementary => "supplementary comparison",
                }) } }
                tr { th { "Organised by" } td { (match c.scope() {
                    Scope::Cipm => "CIPM (consultative committee or BIPM)".to_string(),
                    Scope::Rmo(r) => format!("{} (regional metrology organisation)", r.acronym()),
                }) } }
                @if let Some(cc) = c.committee { tr { th { "Consultative committee" } td { (cc) } } }
                @if let Some(a) = c.area { tr { th { "Metrology area" } td { (a) } } }
                tr { th { "Pilot" } td { (institute_cell(&c.pilot, directory)) } }
                tr { th { "Status" } td id="status" { (status_label(c.status)) } }
                @if let Some(p) = &c.parent {
                    tr { th { "Linked to" } td { a href=(page_url(p)) { (p) } } }
                }
                @if let Some(d) = &c.report_doi {
                    tr { th { "Final report" } td { a href=(d.url()) { (d) } } }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The analysis page

/// The analysis form's fields (query or multipart).
#[derive(Deserialize, Default)]
struct AnalyseForm {
    data: Option<String>,
    method: Option<String>,
    coverage_factor: Option<String>,
    draws: Option<String>,
    seed: Option<String>,
}

/// An uploaded file.
struct Upload {
    name: String,
    bytes: Vec<u8>,
}

async fn analyse_get(Query(form): Query<AnalyseForm>) -> Markup {
    let outcome = match form.data.as_deref() {
        Some(d) if !d.trim().is_empty() => Some(run_form(&form, None).await),
        _ => None,
    };
    analyse_page(&form, outcome)
}

async fn analyse_post(multipart: Result<Multipart, MultipartRejection>) -> Markup {
    let mut form = AnalyseForm::default();
    let outcome = match read_multipart(multipart, &mut form).await {
        Err(e) => Some(Err(e)),
        Ok(upload) => {
            let has_text = form.data.as_deref().is_some_and(|d| !d.trim().is_empty());
            if upload.is_none() && !has_text {
                Some(Err(ApiError::BadRequest(
                    "paste data or choose a file to analyse".into(),
                )))
            } else {
                Some(run_form(&form, upload).await)
            }
        }
    };
    analyse_page(&form, outcome)
}

async fn read_multipart(
    multipart: Result<Multipart, MultipartRejection>,
    form: &mut AnalyseForm,
) -> Result<Option<Upload>, ApiError> {
    let bad = |e: &dyn std::fmt::Display| ApiError::BadRequest(format!("the form: {e}"));
    let mut multipart = multipart.map_err(|e| bad(&e))?;
    let mut upload = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| bad(&e))? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("upload").to_string();
            let bytes = field.bytes().await.map_err(|e| bad(&e))?;
            if !bytes.is_empty() {
                upload = Some(Upload {
                    name: file_name,
                    bytes: bytes.to_vec(),
                });
            }
            continue;
        }
        let text = field.text().await.map_err(|e| bad(&e))?;
        match name.as_str() {
            "data" => form.data = Some(text),
            "method" => form.method = Some(text),
            "coverage_factor" => form.coverage_factor = Some(text),
            "draws" => form.draws = Some(text),
            "seed" => form.seed = Some(text),
            _ => {}
        }
    }
    Ok(upload)
}

fn number<T: std::str::FromStr>(field: &str, text: Option<&str>) -> Result<Option<T>, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => t
            .parse::<T>()
            .map(Some)
            .map_err(|_| ApiError::BadRequest(format!("{field}: {t:?} is not a valid number"))),
    }
}

async fn run_form(
    form: &AnalyseForm,
    upload: Option<Upload>,
) -> Result<(Method, DatasetAnalysis), ApiError> {
    let method = service::method(form.method.as_deref().unwrap_or("weighted-mean"))?;
    let defaults = Options::default();
    let options = Options {
        coverage_factor: number("coverage factor", form.coverage_factor.as_deref())?
            .unwrap_or(defaults.coverage_factor),
        draws: number("draws", form.draws.as_deref())?.unwrap_or(defaults.draws),
        seed: number("seed", form.seed.as_deref())?.unwrap_or(defaults.seed),
        ..defaults
    };
    let done = match upload {
        Some(file) => {
            let format = if file.name.to_ascii_lowercase().ends_with(".xlsx") {
                DataFormat::Xlsx
            } else {
                DataFormat::sniff(&file.bytes)
            };
            service::analyse_dataset(&file.name, &file.bytes, format, method, options).await?
        }
        None => {
            let text = form.data.as_deref().unwrap_or("");
            let format = DataFormat::sniff(text.as_bytes());
            service::analyse_dataset("pasted data", text.as_bytes(), format, method, options)
                .await?
        }
    };
    Ok((method, done))
}

/// `x` and `u` rounded for display: `u` to two significant digits and `x` to the same decimal
/// place (GUM, JCGM 100:2008, 7.2.6).
fn rounded(x: f64, u: f64) -> (String, String) {
    if !(x.is_finite() && u.is_finite() && u > 0.0) {
        return (x.to_string(), u.to_string());
    }
    let decimals = (1 - u.log10().floor() as i32).clamp(0, 15) as usize;
    (format!("{x:.decimals$}"), format!("{u:.decimals$}"))
}

const EXAMPLE: &str = "lab,x,u,unit\nPTB,10.02,0.05,mg/kg\nNIST,10.11,0.08,mg/kg\nNPL,9.97,0.06,mg/kg\nLNE,10.05,0.10,mg/kg\n";

fn analyse_page(
    form: &AnalyseForm,
    outcome: Option<Result<(Method, DatasetAnalysis), ApiError>>,
) -> Markup {
    let method = form.method.as_deref().unwrap_or("weighted-mean");
    page(
        "Analyse comparison data",
        html! {
            p.lead {
                "Paste the results of a comparison, or upload a CSV, JSON or Excel file, choose an "
                "estimator of the reference value and see the reference value, the degrees of "
                "equivalence and their chart. Nothing is stored."
            }
            p {
                "CSV: one row per laboratory under a header naming the columns " code { "lab" } ", "
                code { "x" } " (value) and " code { "u" } " (standard uncertainty), optionally "
                code { "k" } ", " code { "U" } ", " code { "dof" } ", " code { "in_reference" } " and "
                code { "unit" } ". JSON: " code { "{\"unit\": \"kBq\", \"participants\": [{\"lab\": \"PTB\", \"x\": 1.0, \"u\": 0.1}, …]}" } "."
            }
            form.converter.analyse method="post" action="/comparisons/analyse" enctype="multipart/form-data" {
                label.wide { "Data"
                    textarea name="data" rows="8" placeholder=(EXAMPLE) { (form.data.as_deref().unwrap_or("")) }
                }
                label { "or a file" input name="file" type="file" accept=".csv,.json,.xlsx,text/csv,application/json"; }
                label { "Method"
                    select name="method" {
                        @for m in Method::ALL {
                            option value=(m.name()) selected[m.name() == method] { (method_label(m)) }
                        }
                    }
                }
                label { "Coverage factor" input name="coverage_factor" type="text" inputmode="decimal" value=(form.coverage_factor.as_deref().unwrap_or("2")); }
                label { "Monte Carlo draws" input name="draws" type="text" inputmode="numeric" value=(form.draws.as_deref().unwrap_or("1000000")); }
                label { "Seed" input name="seed" type="text" inputmode="numeric" value=(form.seed.as_deref().unwrap_or("20020801")); }
                button type="submit" { "Analyse" }
            }
            @match outcome {
                None => {}
                Some(Err(e)) => { (error_box(&e.to_string())) }
                Some(Ok((method, done))) => { (analysis_result(method, &done)) }
            }
        },
    )
}

fn method_label(m: Method) -> &'static str {
    match m {
        Method::Mean => "arithmetic mean",
        Method::WeightedMean => "weighted mean",
        Method::ProcedureA => "procedure A (Cox 2002)",
        Method::Median => "median",
        Method::ProcedureB => "procedure B (Cox 2002, Monte Carlo)",
        Method::DerSimonianLaird => "DerSimonian–Laird",
        Method::PauleMandel => "Paule–Mandel",
        Method::PowerModeratedMean => "power-moderated mean (CCRI)",
        Method::LinearPool => "linear opinion pool (NIST Consensus Builder)",
    }
}

fn analysis_result(method: Method, done: &DatasetAnalysis) -> Markup {
    let a = &done.result;
    let unit = done.table.unit.as_str();
    let (kcrv, u) = rounded(a.kcrv, a.u_kcrv);
    html! {
        section.analysis id="result" {
            h2 { "Reference value (" (method_label(method)) ")" }
            p.result id="kcrv" {
                (kcrv) " " (unit) ", standard uncertainty " (u) " " (unit)
            }
            @if !done.data.warnings.is_empty() {
                ul.warnings {
                    @for w in &done.data.warnings { li { (w) } }
                }
            }
            table.meta {
                tbody {
                    tr { th { "Data set" } td { (done.data.id) } }
                    tr { th { "Participants" } td { (done.input.participants.len()) } }
                    @if !a.excluded.is_empty() {
                        tr { th { "Outside the reference value" } td { (a.excluded.join(", ")) } }
                    }
                    @if a.tau > 0.0 { tr { th { "Dark uncertainty τ" } td.num { (a.tau) } } }
                    tr { th { "χ² (" (a.dof) " degrees of freedom)" } td.num { (a.chi2) } }
                    tr { th { "p-value" } td.num { (a.p_value) } }
                    tr { th { "Birge ratio" } td.num { (a.birge_ratio) } }
                    tr { th { "Consistent at " (done.options.significance) } td { (if a.consistent { "yes" } else { "no" }) } }
                    @if let Some(ci) = a.coverage_interval {
                        tr { th { "Coverage interval (" (ci.probability) ")" } td.num { "[" (ci.low) ", " (ci.high) "]" } }
                    }
                    tr { th { "Options" } td { "coverage factor " (done.options.coverage_factor)
                        @if method.is_monte_carlo() { ", " (done.options.draws) " draws, seed " (done.options.seed) } } }
                    tr { th { "Software" } td { "Sevres " (env!("CARGO_PKG_VERSION")) } }
                }
            }
            h2 { "Degrees of equivalence" }
            (chart(&done.table))
            table.doe {
                thead { tr {
                    th { "Laboratory" } th { "d" } th { "u(d)" } th { "U(d)" } th { "Eₙ" } th { "In reference" }
                } }
                tbody {
                    @for d in &a.doe {
                        @let (dv, du) = rounded(d.d, d.u_d);
                        @let (_, dexp) = rounded(d.d, d.expanded_u_d);
                        tr {
                            td { (d.lab) } td.num { (dv) } td.num { (du) } td.num { (dexp) }
                            td.num { (format!("{:.2}", d.en)) }
                            td { (if d.in_reference { "yes" } else { "no" }) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::rounded;

    #[test]
    fn rounding_follows_the_uncertainty() {
        assert_eq!(rounded(7062.04, 2.345), ("7062.0".into(), "2.3".into()));
        assert_eq!(rounded(2.99012, 0.0301), ("2.990".into(), "0.030".into()));
        assert_eq!(rounded(123456.0, 250.0), ("123456".into(), "250".into()));
        assert_eq!(rounded(1.0, 0.0), ("1".into(), "0".into()));
    }
}
