//! Exports: a comparison with its results and analysis as JSON-LD, and CSV tables of results and
//! of degrees of equivalence.
//!
//! The exports do not filter: the caller passes only what the viewer may see
//! ([`crate::access::visible_results`], [`crate::access::can_see_analysis`]).
//!
//! JSON-LD vocabulary ([`JSONLD_CONTEXT`]): schema.org where a term fits — the comparison is a
//! `Dataset` (`identifier`, `name`, `creativeWorkStatus`, `citation` = report DOI, `provider` =
//! pilot and `contributor` = participants as `Organization`s with `sameAs` = ROR,
//! `variableMeasured` = measurands as `PropertyValue`s, `isBasedOn` = parent comparison); numbers
//! use `value` and `unitText` (SI Brochure notation). Units also carry their SI Reference Point
//! compound notation (`kcdb:unitSirp`, `mg.kg-1`, <https://si-digital-framework.org>) and D-SI
//! (`kcdb:unitDsi`). Terms with no schema.org equivalent (KCRV, degree of equivalence,
//! standard/expanded uncertainty, coverage factor, reference-set flag, analysis method) are in
//! the project vocabulary `kcdb:` ([`KCDB_VOCAB`]), a placeholder namespace until the project
//! publishes one.

use serde_json::{json, Map, Value};
use sevres_comparison::{Analysis, Options};
use sevres_si::Notation;

use crate::doe::DoeTable;
use crate::id::{ComparisonKind, Scope};
use crate::model::{Comparison, Institute, ResultEntry};
use crate::published::PublishedReference;
use crate::unit::Unit;

/// Namespace of the project's own terms (placeholder).
pub const KCDB_VOCAB: &str = "https://example.invalid/sevres/kcdb#";

/// The JSON-LD context of the exports.
pub const JSONLD_CONTEXT: &str = r#"{
  "@vocab": "https://schema.org/",
  "kcdb": "https://example.invalid/sevres/kcdb#",
  "sameAs": {"@type": "@id"},
  "citation": {"@type": "@id"},
  "isBasedOn": {"@type": "@id"}
}"#;

fn unit_json(unit: &Unit) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("unitText".into(), json!(unit.to_notation(Notation::Si)));
    m.insert(
        "kcdb:unitSirp".into(),
        json!(unit.to_notation(Notation::Sirp)),
    );
    m.insert(
        "kcdb:unitDsi".into(),
        json!(unit.to_notation(Notation::Dsi)),
    );
    m
}

fn organisation(code: &str, institute: Option<&Institute>) -> Value {
    let mut m = Map::new();
    m.insert("@type".into(), json!("Organization"));
    m.insert("identifier".into(), json!(code));
    if let Some(i) = institute {
        m.insert("name".into(), json!(i.name));
        if let Some(c) = &i.country {
            m.insert(
                "address".into(),
                json!({"@type": "PostalAddress", "addressCountry": c}),
            );
        }
        if let Some(r) = &i.ror {
            m.insert("sameAs".into(), json!(r.url()));
        }
        if let Some(r) = i.rmo {
            m.insert(
                "memberOf".into(),
                json!({"@type": "Organization", "identifier": r.acronym()}),
            );
        }
    }
    Value::Object(m)
}

/// A finite number as JSON (non-finite values, which validated data never holds, become null).
fn num(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// The comparison, the given results and optionally an analysis (with the options it ran with)
/// as a JSON-LD document. `institutes` supplies names, countries and ROR identifiers.
pub fn to_jsonld(
    comparison: &Comparison,
    institutes: &[Institute],
    results: &[ResultEntry],
    analysis: Option<(&Analysis, &Options)>,
) -> Value {
    let find = |code: &str| institutes.iter().find(|i| i.code.as_str() == code);
    let context: Value = serde_json::from_str(JSONLD_CONTEXT).unwrap_or(Value::Null);
    let kind = match comparison.kind() {
        ComparisonKind::Key => "kcdb:KeyComparison",
        ComparisonKind::Supplementary => "kcdb:SupplementaryComparison",
    };
    let scope = match comparison.scope() {
        Scope::Cipm => "CIPM".to_string(),
        Scope::Rmo(r) => r.acronym().to_string(),
    };
    let mut doc = Map::new();
    doc.insert("@context".into(), context);
    doc.insert("@type".into(), json!(["Dataset", kind]));
    doc.insert("identifier".into(), json!(comparison.id.as_str()));
    doc.insert("name".into(), json!(comparison.title));
    doc.insert("creativeWorkStatus".into(), json!(comparison.status.name()));
    doc.insert("kcdb:scope".into(), json!(scope));
    if let Some(cc) = comparison.committee {
        doc.insert("kcdb:consultativeCommittee".into(), json!(cc.acronym()));
    }
    if let Some(a) = comparison.area {
        doc.insert("kcdb:metrologyArea".into(), json!(a.code()));
    }
    if let Some(d) = &comparison.report_doi {
        doc.insert("citation".into(), json!(d.url()));
    }
    if let Some(p) = &comparison.parent {
        doc.insert(
            "isBasedOn".into(),
            json!({"@type": "Dataset", "identifier": p.as_str()}),
        );
    }
    doc.insert(
        "provider".into(),
        organisation(comparison.pilot.as_str(), find(comparison.pilot.as_str())),
    );
    doc.insert(
        "contributor".into(),
        Value::Array(
            comparison
                .participants
                .iter()
                .map(|c| organisation(c.as_str(), find(c.as_str())))
                .collect(),
        ),
    );
    doc.insert(
        "variableMeasured".into(),
        Value::Array(
            comparison
                .measurands
                .iter()
                .map(|m| {
                    let mut v = unit_json(&m.unit);
                    v.insert("@type".into(), json!("PropertyValue"));
                    v.insert("propertyID".into(), json!(m.id));
                    v.insert("name".into(), json!(m.quantity));
                    if let Some(n) = m.nominal {
                        v.insert("value".into(), num(n));
                    }
                    Value::Object(v)
                })
                .collect(),
        ),
    );
    let unit_of = |measurand: &str| {
        comparison
            .measurands
            .iter()
            .find(|m| m.id == measurand)
            .map(|m| &m.unit)
    };
    doc.insert(
        "kcdb:result".into(),
        Value::Array(
            results
                .iter()
                .map(|r| {
                    let mut v = unit_of(&r.measurand).map(unit_json).unwrap_or_default();
                    v.insert("@type".into(), json!("kcdb:Result"));
                    v.insert("kcdb:measurand".into(), json!(r.measurand));
                    v.insert(
                        "kcdb:institute".into(),
                        organisation(r.institute.as_str(), find(r.institute.as_str())),
                    );
                    v.insert("value".into(), num(r.value));
                    v.insert(
                        "kcdb:standardUncertainty".into(),
                        num(r.standard_uncertainty),
                    );
                    if let Some(k) = r.coverage_factor {
                        v.insert("kcdb:coverageFactor".into(), num(k));
                    }
                    if let Some(u) = r.expanded_uncertainty {
                        v.insert("kcdb:expandedUncertainty".into(), num(u));
                    }
                    if let Some(n) = r.dof {
                        v.insert("kcdb:degreesOfFreedom".into(), num(n));
                    }
                    v.insert("kcdb:inReference".into(), json!(r.in_reference));
                    v.insert("dateCreated".into(), json!(r.date.to_string()));
                    v.insert("kcdb:submittedBy".into(), json!(r.submitted_by));
                    Value::Object(v)
                })
                .collect(),
        ),
    );
    if let Some((a, options)) = analysis {
        let unit = comparison
            .measurands
            .first()
            .map(|m| unit_json(&m.unit))
            .unwrap_or_default();
        let mut kcrv = unit.clone();
        kcrv.insert("@type".into(), json!("QuantitativeValue"));
        kcrv.insert("value".into(), num(a.kcrv));
        kcrv.insert("kcdb:standardUncertainty".into(), num(a.u_kcrv));
        let does: Vec<Value> = a
            .doe
            .iter()
            .map(|d| {
                let mut v = unit.clone();
                v.insert("@type".into(), json!("kcdb:DegreeOfEquivalence"));
                v.insert("kcdb:institute".into(), json!(&*d.lab));
                v.insert("value".into(), num(d.d));
                v.insert("kcdb:standardUncertainty".into(), num(d.u_d));
                v.insert("kcdb:expandedUncertainty".into(), num(d.expanded_u_d));
                v.insert("kcdb:coverageFactor".into(), num(options.coverage_factor));
                v.insert("kcdb:en".into(), num(d.en));
                v.insert("kcdb:inReference".into(), json!(d.in_reference));
                Value::Object(v)
            })
            .collect();
        doc.insert(
            "kcdb:analysis".into(),
            json!({
                "@type": "kcdb:Analysis",
                "kcdb:method": a.method.name(),
                "softwareVersion": concat!("sevres ", env!("CARGO_PKG_VERSION")),
                "kcdb:parameters": {
                    "kcdb:significance": num(options.significance),
                    "kcdb:coverageFactor": num(options.coverage_factor),
                    "kcdb:coverageProbability": num(options.coverage_probability),
                    "kcdb:knappHartung": options.knapp_hartung,
                    "kcdb:draws": options.draws,
                    "kcdb:seed": options.seed,
                },
                "kcdb:kcrv": Value::Object(kcrv),
                "kcdb:tau": num(a.tau),
                "kcdb:chiSquared": num(a.chi2),
                "kcdb:chiSquaredDof": a.dof,
                "kcdb:pValue": num(a.p_value),
                "kcdb:birgeRatio": num(a.birge_ratio),
                "kcdb:consistent": a.consistent,
                "kcdb:degreeOfEquivalence": does,
            }),
        );
    }
    Value::Object(doc)
}

/// Published figures ([`PublishedReference`]) as a JSON-LD node (`kcdb:PublishedReference`) to
/// add to a comparison's document: the KCRV as a `QuantitativeValue` with its standard
/// uncertainty, the DoE with their expanded uncertainties and coverage factor, the report's DOI
/// as `citation` and, for figures computed here, the analysis they come from.
pub fn published_jsonld(published: &PublishedReference) -> Value {
    let mut kcrv = unit_json(&published.unit);
    kcrv.insert("@type".into(), json!("QuantitativeValue"));
    kcrv.insert("value".into(), num(published.kcrv));
    kcrv.insert("kcdb:standardUncertainty".into(), num(published.u_kcrv));
    let doe_unit = unit_json(&published.doe_unit);
    let does: Vec<Value> = published
        .does
        .iter()
        .map(|d| {
            let mut v = doe_unit.clone();
            v.insert("@type".into(), json!("kcdb:DegreeOfEquivalence"));
            v.insert("kcdb:institute".into(), json!(d.lab));
            v.insert("value".into(), num(d.d));
            v.insert("kcdb:expandedUncertainty".into(), num(d.expanded));
            v.insert("kcdb:coverageFactor".into(), num(published.coverage_factor));
            if let Some(r) = d.in_reference {
                v.insert("kcdb:inReference".into(), json!(r));
            }
            if let Some(via) = &d.via {
                v.insert(
                    "kcdb:linkedThrough".into(),
                    json!({"@type": "Dataset", "identifier": via}),
                );
            }
            Value::Object(v)
        })
        .collect();
    let mut node = Map::new();
    node.insert("@type".into(), json!("kcdb:PublishedReference"));
    node.insert("kcdb:measurand".into(), json!(published.measurand));
    node.insert("kcdb:source".into(), json!(published.source));
    if let Some(y) = published.year {
        node.insert("datePublished".into(), json!(y.to_string()));
    }
    if let Some(d) = &published.report_doi {
        node.insert("citation".into(), json!(d.url()));
    }
    if let Some(a) = published.analysis {
        node.insert("kcdb:analysis".into(), json!(a));
    }
    node.insert("kcdb:kcrv".into(), Value::Object(kcrv));
    node.insert("kcdb:degreeOfEquivalence".into(), Value::Array(does));
    Value::Object(node)
}

/// Quotes a CSV field (RFC 4180) and defuses spreadsheet formulas: a text field starting with
/// `=`, `+`, `-` or `@` is prefixed with `'` (OWASP "CSV injection").
fn text_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// The results as CSV: `comparison,measurand,institute,x,unit,u,k,U,dof,in_reference,submitted_by,date`
/// (`unit` from the comparison's measurand; numbers in Rust's shortest round-trip form).
pub fn results_csv(comparison: &Comparison, results: &[ResultEntry]) -> String {
    let mut out = String::from(
        "comparison,measurand,institute,x,unit,u,k,U,dof,in_reference,submitted_by,date\r\n",
    );
    for r in results {
        let unit = comparison
            .measurands
            .iter()
            .find(|m| m.id == r.measurand)
            .map(|m| m.unit.to_notation(Notation::Si))
            .unwrap_or_default();
        let fields = [
            text_field(r.comparison.as_str()),
            text_field(&r.measurand),
            text_field(r.institute.as_str()),
            r.value.to_string(),
            text_field(&unit),
            r.standard_uncertainty.to_string(),
            opt(r.coverage_factor),
            opt(r.expanded_uncertainty),
            opt(r.dof),
            r.in_reference.to_string(),
            text_field(&r.submitted_by),
            r.date.to_string(),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The degrees of equivalence as CSV: `lab,d,U,k,unit,in_reference,via`.
pub fn doe_csv(table: &DoeTable) -> String {
    let mut out = String::from("lab,d,U,k,unit,in_reference,via\r\n");
    for p in &table.points {
        let fields = [
            text_field(&p.lab),
            p.d.to_string(),
            p.expanded.to_string(),
            table.coverage_factor.to_string(),
            text_field(&table.unit),
            p.in_reference.map(|b| b.to_string()).unwrap_or_default(),
            text_field(p.via.as_deref().unwrap_or_default()),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}
