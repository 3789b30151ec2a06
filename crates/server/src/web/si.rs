//! Pages of the SI Reference Point: a browser of the reference data and a unit converter.

use axum::extract::Query;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;
use sevres_si::reference;
use sevres_si::{Conversion, Notation};

use super::layout::page;
use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/si", get(browser))
        .route("/si/convert", get(converter))
}

fn dimension(d: [i8; 7]) -> String {
    sevres_si::Dimension::from_integers(d).to_string()
}

async fn browser() -> Markup {
    page(
        "The SI Reference Point",
        html! {
            p.lead {
                "The International System of Units as published in the SI Brochure (9th edition, "
                "2019, with the prefixes of 2022). Every entry links to its persistent identifier "
                "in the BIPM SI Reference Point. Release " code { (reference::RELEASE) }
                ", SHA-256 " code { (reference::digest()) } "."
            }
            p { a href="/si/convert" { "Convert between units" } " · "
                a href="/api/v1/si?format=turtle" { "Download (Turtle)" } " · "
                a href="/api/v1/si?format=jsonld" { "Download (JSON-LD)" } }
            h2 id="constants" { "The seven defining constants" }
            table {
                thead { tr { th { "Constant" } th { "Symbol" } th { "Exact value" } th { "Unit" } th { "Constante" } } }
                tbody {
                    @for c in reference::CONSTANTS {
                        tr {
                            td { a href=(c.pid) { (c.label_en) } }
                            td { (c.symbol) }
                            td.num { (c.value) }
                            td { (c.unit) }
                            td { (c.label_fr) }
                        }
                    }
                }
            }
            h2 id="units" { "Units" }
            table {
                thead { tr { th { "Unit" } th { "Symbol" } th { "Kind" } th { "Dimension" } th { "In coherent SI units" } th { "Unité" } } }
                tbody {
                    @for u in reference::UNITS {
                        tr {
                            td { a href=(u.pid) { (u.label_en) } }
                            td { (u.symbol) }
                            td { (match u.class {
                                reference::UnitClass::Base => "base unit",
                                reference::UnitClass::SpecialNamed => "derived, special name",
                                reference::UnitClass::NonSiAccepted => "accepted for use with the SI",
                                reference::UnitClass::Other => "",
                            }) }
                            td.num { (dimension(u.dimension)) }
                            td.num { (u.factor) @if u.offset != "0" { " (offset " (u.offset) ")" } }
                            td { (u.label_fr) }
                        }
                    }
                }
            }
            h2 id="prefixes" { "Prefixes" }
            table {
                thead { tr { th { "Prefix" } th { "Symbol" } th { "Factor" } th { "Préfixe" } } }
                tbody {
                    @for p in reference::PREFIXES {
                        tr {
                            td { a href=(p.pid) { (p.label_en) } }
                            td { (p.symbol) }
                            td.num { "10" sup { (p.exponent) } }
                            td { (p.label_fr) }
                        }
                    }
                }
            }
            h2 id="quantities" { "Kinds of quantity" }
            table {
                thead { tr { th { "Quantity" } th { "Dimension" } th { "Coherent SI unit" } th { "Grandeur" } } }
                tbody {
                    @for q in reference::QUANTITIES {
                        tr {
                            td { (q.label_en) }
                            td.num { (dimension(q.dimension)) }
                            td { (q.unit) }
                            td { (q.label_fr) }
                        }
                    }
                }
            }
        },
    )
}

/// The converter's form fields; all optional so that the empty form renders.
#[derive(Deserialize, Default)]
struct ConvertForm {
    value: Option<String>,
    from: Option<String>,
    to: Option<String>,
    notation: Option<String>,
}

/// Outcome of the converter for the submitted form.
fn convert(form: &ConvertForm) -> Option<Result<String, String>> {
    let (value, from, to) = (
        form.value.as_deref()?,
        form.from.as_deref()?,
        form.to.as_deref()?,
    );
    if from.trim().is_empty() || to.trim().is_empty() {
        return None;
    }
    Some((|| {
        let notation: Notation = form
            .notation
            .as_deref()
            .unwrap_or("si")
            .parse()
            .map_err(|e: sevres_si::UnknownNotation| e.to_string())?;
        let number: f64 = value
            .trim()
            .parse()
            .map_err(|_| format!("{value:?} is not a number"))?;
        let from_expr = sevres_si::parse(notation, from).map_err(|e| format!("{from}: {e}"))?;
        let to_expr = sevres_si::parse(notation, to).map_err(|e| format!("{to}: {e}"))?;
        let conversion = Conversion::new(&from_expr, &to_expr).map_err(|e| e.to_string())?;
        Ok(format!(
            "{number} {from} = {} {to}",
            conversion.apply(number)
        ))
    })())
}

async fn converter(Query(form): Query<ConvertForm>) -> Markup {
    let outcome = convert(&form);
    let notation = form.notation.as_deref().unwrap_or("si");
    page(
        "Unit converter",
        html! {
            p.lead {
                "Convert a value between any two units of the same dimension, exactly. "
                "Write units as in the SI Brochure (" code { "km/h" } ", " code { "kg m s^-2" } ", "
                code { "°C" } "), in UCUM (" code { "[degF]" } ", " code { "mm[Hg]" } "), in D-SI ("
                code { "\\kilo\\metre\\per\\hour" } ") or in the SI Reference Point notation ("
                code { "km.h-1" } ")."
            }
            form.converter method="get" action="/si/convert" {
                label { "Value" input name="value" type="text" inputmode="decimal" value=(form.value.as_deref().unwrap_or("1")); }
                label { "From" input name="from" type="text" value=(form.from.as_deref().unwrap_or("")) placeholder="km/h"; }
                label { "To" input name="to" type="text" value=(form.to.as_deref().unwrap_or("")) placeholder="m/s"; }
                label { "Notation"
                    select name="notation" {
                        @for (code, name) in [("si", "SI Brochure"), ("ucum", "UCUM"), ("dsi", "D-SI"), ("sirp", "SI Reference Point"), ("qudt", "QUDT")] {
                            option value=(code) selected[code == notation] { (name) }
                        }
                    }
                }
                button type="submit" { "Convert" }
            }
            @match outcome {
                Some(Ok(text)) => { p.result id="result" { (text) } }
                Some(Err(message)) => { p.result.error id="result" role="alert" { (message) } }
                None => {}
            }
        },
    )
}
