//! The Digital Calibration Certificate page: upload a DCC (a form posted as
//! `multipart/form-data`) and see the verdict (valid or not, the signature's status), the
//! errors and warnings with their lines, the traceability of each calibrated value to the
//! laboratory's CMCs, and the certificate itself as a person reads it, in each language it
//! declares (the chosen one first).
//!
//! The rendered certificate is user-supplied content: each rendering is the `srcdoc` of an
//! `<iframe sandbox>` (escaped by maud; no script, its own opaque origin), and the page is served
//! with a Content-Security-Policy that allows no script at all.

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use sevres_dcc::{SignatureStatus, Trace};

use super::layout::page;
use crate::api::comparisons::segment;
use crate::api::ApiError;
use crate::dcc::{self as service, Examined, Renderings, MAX_RENDERINGS, MAX_SIZE};
use crate::AppState;

/// The policy of the page: its own style sheet, inline styles (the rendered certificate's),
/// no script, forms only to this server.
const PAGE_CSP: &str =
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub(super) fn router() -> Router<AppState> {
    Router::new().route(
        "/dcc",
        get(form_page)
            .post(check_page)
            .layer(DefaultBodyLimit::max(MAX_SIZE)),
    )
}

fn respond(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_CSP),
        )],
        markup,
    )
        .into_response()
}

fn upload_form(lang: &str) -> Markup {
    html! {
        form.converter method="post" action="/dcc" enctype="multipart/form-data" id="dcc-upload" {
            label { "DCC file (XML, at most " (MAX_SIZE >> 20) " MiB)"
                input name="file" type="file" accept=".xml,application/xml,text/xml" required;
            }
            label { "Language (ISO 639-1)"
                input name="lang" value=(lang) placeholder="en" size="4";
            }
            button type="submit" { "Check and show" }
        }
    }
}

fn lead() -> Markup {
    html! {
        p.lead {
            "A Digital Calibration Certificate (DCC) is the XML document a calibration laboratory "
            "issues instead of a paper certificate (PTB's DCC format, versions 3.0 to 3.3). Upload "
            "one to check it against the official schema of its version and PTB's rules, verify "
            "its signature, check each calibrated value against the laboratory's CMCs, and read it "
            "in any of the languages it declares. Nothing is stored."
        }
    }
}

fn api_note() -> Markup {
    html! {
        p {
            "Also as an API: "
            code { "POST /api/v1/dcc/check" } " and " code { "POST /api/v1/dcc/render?lang=de" }
            " with the XML as the body (" a href="/api/v1/openapi.json" { "OpenAPI" } "), and "
            code { "sevres dcc check" } " on the command line."
        }
    }
}

async fn form_page() -> Response {
    respond(
        StatusCode::OK,
        page(
            "Digital Calibration Certificates",
            html! { (lead()) (upload_form("")) (api_note()) },
        ),
    )
}

async fn check_page(State(state): State<AppState>, request: Request) -> Response {
    let outcome = match service::upload(&state, request).await {
        Ok(upload) => {
            let file = upload
                .file_name
                .clone()
                .unwrap_or_else(|| "upload.xml".into());
            let first = upload.lang.clone();
            service::examine(
                &state,
                upload.bytes,
                None,
                Renderings::All {
                    first: first.clone(),
                },
            )
            .await
            .map(|examined| (file, first, examined))
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok((file, lang, examined)) => respond(
            StatusCode::OK,
            page(
                "Digital Calibration Certificates",
                html! {
                    (upload_form(lang.as_deref().unwrap_or("")))
                    (report(&state, &file, lang.as_deref(), &examined))
                    (api_note())
                },
            ),
        ),
        Err(e) => {
            let status = match &e {
                ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
                ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            respond(
                status,
                page(
                    "Digital Calibration Certificates",
                    html! {
                        (lead())
                        (upload_form(""))
                        p.result.error id="error" role="alert" { (e.to_string()) }
                    },
                ),
            )
        }
    }
}

fn signature_text(status: SignatureStatus, trust_configured: bool) -> &'static str {
    match status {
        SignatureStatus::None => "not signed",
        SignatureStatus::Valid => "valid: the signature verifies and its signer chains to a trusted certificate",
        SignatureStatus::Invalid => "invalid: the signed content or the signature was altered",
        SignatureStatus::Untrusted if trust_configured => {
            "untrusted: the signer does not chain to a certificate this server trusts"
        }
        SignatureStatus::Untrusted => {
            "untrusted: this server has no trusted certificates configured (sevres serve --dcc-trust DIR)"
        }
        SignatureStatus::Revoked => "revoked: the signer's certificate is revoked",
    }
}

/// A table of findings, folded when it is long (the certificate comes after it).
fn findings(id: &str, title: &str, list: &[sevres_dcc::Finding]) -> Markup {
    html! {
        @if !list.is_empty() {
            details.findings open[list.len() <= 10] {
                summary { h2 { (title) " (" (list.len()) ")" } }
                table id=(id) {
                    thead { tr { th { "Code" } th.num { "Line" } th { "Message" } } }
                    tbody {
                        @for f in list {
                            tr {
                                td { code { (f.code) } }
                                td.num { @if let Some(l) = f.line { (l) } }
                                td { (f.message) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// CMC links shown per traceability row (the API lists them all).
const CMC_LINKS: usize = 3;

fn traceability(traces: &[Trace], synthetic: bool) -> Markup {
    html! {
        @if traces.is_empty() {
            h2 { "Traceability to CMCs" }
            p id="traceability" { "No calibrated value with an uncertainty was found to check." }
        } @else {
            @if synthetic {
                p.note id="synthetic" {
                    strong { "Synthetic data. " }
                    "This server's CMC registry holds CMCs generated by Sevres, not CMCs "
                    "published in the KCDB: the statuses below show how the check works, not "
                    "whether the laboratory's claims are backed."
                }
            }
            details.findings open[traces.len() <= 10] {
                summary { h2 { "Traceability to CMCs (" (traces.len()) " values)" } }
                table id="traceability" {
                    thead {
                        tr {
                            th { "Quantity" } th.num { "Line" } th.num { "Value" }
                            th.num { "Claimed U (k = 2, SI)" } th { "Institute" } th { "CMCs" }
                            th { "Status" }
                        }
                    }
                    tbody {
                        @for t in traces {
                            tr {
                                td { (t.quantity) }
                                td.num { (t.line) }
                                td.num { (t.value) " " code { (t.unit) } }
                                td.num { @if let Some(u) = t.claimed_k2_si { (u) } }
                                td { @if let Some(i) = &t.lab.institute { (i) } @else { "—" } }
                                td {
                                    @for (n, c) in t.cmcs.iter().take(CMC_LINKS).enumerate() {
                                        @if n > 0 { ", " }
                                        a href=(format!("/cmc/{}", segment(&c.code))) { (c.code) }
                                    }
                                    @if t.cmcs.len() > CMC_LINKS { " and " (t.cmcs.len() - CMC_LINKS) " more" }
                                }
                                td { (t.status.as_str().replace('_', " ")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn report(state: &AppState, file: &str, lang: Option<&str>, e: &Examined) -> Markup {
    let r = &e.report;
    let valid = r.valid();
    html! {
        h2 { "Report" }
        p.result.valid[valid].error[!valid] id="verdict" {
            (file) ": " strong { @if valid { "valid" } @else { "invalid" } }
            @if let Some(v) = &r.schema_version { " (DCC " (v) ")" }
        }
        table.meta {
            tbody {
                tr { th { "Schema" } td id="xsd" { @if r.xsd_valid() { "valid" } @else { "invalid" } } }
                tr { th { "Signature" } td id="signature" data-status=(r.signature().as_str()) {
                    (signature_text(r.signature(), state.dcc_trust.is_some()))
                } }
                tr { th { "Errors" } td { (r.errors.len()) } }
                tr { th { "Warnings" } td { (r.warnings.len()) } }
            }
        }
        (findings("errors", "Errors", &r.errors))
        (findings("warnings", "Warnings", &r.warnings))
        @if !r.errors.iter().any(|f| f.code.starts_with("INPUT-")) {
            (traceability(&r.traceability, e.synthetic_cmcs))
        }
        @if !e.renderings.is_empty() {
            h2 { "The certificate" }
            @if let Some(l) = lang.filter(|l| !e.languages.iter().any(|d| d == l)) {
                p.note id="lang-note" {
                    "The DCC does not declare the language " code { (l) } "; it declares "
                    (e.languages.join(", ")) "."
                }
            }
            @if e.languages.len() > MAX_RENDERINGS {
                p.note {
                    "The DCC declares " (e.languages.len()) " languages; the first "
                    (MAX_RENDERINGS) " are shown (the API renders any of them)."
                }
            }
            @for (n, (l, html)) in e.renderings.iter().enumerate() {
                details.rendering open[n == 0] {
                    summary { @if l.is_empty() { "As written" } @else { "In " code { (l) } } }
                    iframe.dcc id=(format!("rendering-{l}")) sandbox="" title=(format!("The DCC ({l})")) srcdoc=(html) {}
                }
            }
        }
    }
}
