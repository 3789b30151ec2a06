//! The web pages, server-rendered with maud and readable by non-experts. Everything a page needs
//! (the style sheet, the small script) is served by this binary: no external CDN.

mod comparisons;
mod layout;
mod si;
mod time;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};

use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/assets/sevres.css", get(stylesheet))
        .merge(si::router())
        .merge(comparisons::router())
        .merge(time::router())
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("assets/sevres.css"),
    )
}

/// One service on the home page.
struct Service {
    name: &'static str,
    href: Option<&'static str>,
    summary: &'static str,
}

const SERVICES: &[Service] = &[
    Service {
        name: "SI Reference Point",
        href: Some("/si"),
        summary: "The International System of Units in machine-actionable form: units, prefixes, \
                  the seven defining constants, exact unit conversion, and translation between \
                  the SI, UCUM, D-SI and QUDT notations.",
    },
    Service {
        name: "Key Comparison Database",
        href: Some("/comparisons"),
        summary: "Comparisons of national measurement standards, their reference values and \
                  degrees of equivalence, and an analysis tool for comparison data.",
    },
    Service {
        name: "Time",
        href: Some("/time"),
        summary:
            "The world time scale (EAL, TAI, UTC) computed from atomic clock data (a simulated \
                  year for now), Circular T, clock characteristics, leap seconds, CGGTTS checks \
                  and frequency stability.",
    },
    Service {
        name: "Digital Calibration Certificates",
        href: None,
        summary: "Validation and rendering of DCCs, and verification of their claims against \
                  registered capabilities.",
    },
];

async fn home() -> Markup {
    layout::page(
        "Sevres",
        html! {
            p.lead {
                "Sevres is the digital infrastructure of the international measurement system: "
                "what the BIPM and the national metrology institutes run so that a kilogram, a volt "
                "or a second means the same everywhere. Every service is a web page, an HTTP API "
                "(" a href="/api/v1/openapi.json" { "OpenAPI" } ") and a command-line tool."
            }
            ul.services {
                @for s in SERVICES {
                    li {
                        h2 {
                            @if let Some(href) = s.href { a href=(href) { (s.name) } }
                            @else { (s.name) " " span.soon { "(coming)" } }
                        }
                        p { (s.summary) }
                    }
                }
            }
        },
    )
}
