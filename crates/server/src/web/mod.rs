//! The web pages, server-rendered with maud and readable by non-experts. Everything a page needs
//! (the style sheet, the small script) is served by this binary: no external CDN.

mod cmc;
mod comparisons;
mod dcc;
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
        .merge(cmc::router())
        .merge(dcc::router())
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
    href: &'static str,
    summary: &'static str,
}

const SERVICES: &[Service] = &[
    Service {
        name: "SI Reference Point",
        href: "/si",
        summary: "The International System of Units in machine-actionable form: units, prefixes, \
                  the seven defining constants, exact unit conversion, and translation between \
                  the SI, UCUM, D-SI and QUDT notations.",
    },
    Service {
        name: "Key Comparison Database",
        href: "/comparisons",
        summary: "Comparisons of national measurement standards, their reference values and \
                  degrees of equivalence, and an analysis tool for comparison data.",
    },
    Service {
        name: "Calibration and Measurement Capabilities",
        href: "/cmc",
        summary: "Who can calibrate what, and how well: search CMCs by words, facets, and a value \
                  with the greatest uncertainty accepted, in any unit (a synthetic registry for \
                  now, real CMCs by import).",
    },
    Service {
        name: "Digital Calibration Certificates",
        href: "/dcc",
        summary: "Upload a DCC: schema and rule checks with their lines, signature verification, \
                  each calibrated value checked against the laboratory's CMCs, and the \
                  certificate shown in the languages it declares.",
    },
    Service {
        name: "Time",
        href: "/time",
        summary:
            "The world time scale (EAL, TAI, UTC) computed from atomic clock data (a simulated \
                  year for now), Circular T, clock characteristics, leap seconds, CGGTTS checks \
                  and frequency stability.",
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
                            a href=(s.href) { (s.name) }
                        }
                        p { (s.summary) }
                    }
                }
            }
        },
    )
}
