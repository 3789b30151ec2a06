//! Exporters: KCDB 2.0 API JSON, JSON-LD and CSV, as strings.
//!
//! * [`to_json`]: a list of records in the shape of the KCDB 2.0 API (the field names of
//!   [`crate::import`]), which [`crate::import::import_json`] reads back to equal CMCs.
//! * [`to_jsonld`]: a JSON-LD graph. schema.org where a term fits — a CMC is a `Service`
//!   (`identifier` = KCDB code, `name` = quantity, `provider` = the institute as an
//!   `Organization` with `address.addressCountry` and `memberOf` = its RMO, `additionalProperty`
//!   = parameters as `PropertyValue`s, `description` = comments, `url` = the institute's service
//!   page); the measurand range and the expanded uncertainty are `QuantitativeValue`s
//!   (`minValue`, `maxValue`, `unitText` as published, plus the SI Brochure and SI Reference
//!   Point spellings when the unit is readable). Terms with no schema.org equivalent are in the
//!   project vocabulary `cmc:` ([`CMC_VOCAB`], a placeholder namespace until the project
//!   publishes one).
//! * [`to_csv`]: one row per CMC with the columns [`CSV_COLUMNS`]; parameters, the uncertainty
//!   table and unmodelled fields are JSON in their cells, comparisons are separated by `; `.
//!   Text cells starting with `=`, `+`, `-` or `@` are prefixed with `'` (OWASP "CSV
//!   injection"), which [`crate::import::import_csv`] removes.

use serde_json::{json, Map, Value};
use sevres_si::Notation;

use crate::model::{Cmc, Range};
use crate::unit::KcdbUnit;

/// Namespace of the project's own terms (placeholder).
pub const CMC_VOCAB: &str = "https://example.invalid/sevres/cmc#";

/// The JSON-LD context of [`to_jsonld`].
pub const JSONLD_CONTEXT: &str = r#"{
  "@vocab": "https://schema.org/",
  "cmc": "https://example.invalid/sevres/cmc#",
  "url": {"@type": "@id"}
}"#;

/// The columns of [`to_csv`], in order.
pub const CSV_COLUMNS: [&str; 40] = [
    "kcdbCode",
    "id",
    "domainCode",
    "metrologyAreaLabel",
    "rmo",
    "countryValue",
    "nmiCode",
    "nmiName",
    "branchValue",
    "serviceValue",
    "subServiceValue",
    "individualServiceValue",
    "quantityValue",
    "instrument",
    "instrumentMethod",
    "cmcLowerLimit",
    "cmcUpperLimit",
    "cmcUnit",
    "parameters",
    "uncertaintyLowerLimit",
    "uncertaintyUpperLimit",
    "uncertaintyUnit",
    "uncertaintyMode",
    "coverageFactor",
    "confidenceLevel",
    "uncertaintyEquation",
    "uncertaintyEquationComment",
    "uncertaintyTable",
    "status",
    "statusDate",
    "approvalDate",
    "publicationDate",
    "comparisons",
    "comments",
    "nmiServiceCode",
    "nmiServiceLink",
    "traceabilitySource",
    "internationalStandard",
    "groupIdentifier",
    "extra",
];

fn num(v: Option<f64>) -> Value {
    v.and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

fn range_json(r: &Option<Range>) -> Value {
    match r {
        None => Value::Null,
        Some(r) => json!({"lowerLimit": num(r.min), "upperLimit": num(r.max), "unit": r.unit}),
    }
}

fn opt_string<T: ToString>(v: &Option<T>) -> Value {
    v.as_ref()
        .map_or(Value::Null, |d| Value::String(d.to_string()))
}

fn table_json(c: &Cmc) -> Value {
    match &c.uncertainty.table {
        None => Value::Null,
        Some(t) => json!({
            "tableName": t.name,
            "tableRows": t.rows,
            "tableCols": t.cols,
            "tableComment": t.comment,
            "tableContents": t.contents,
        }),
    }
}

fn parameters_json(c: &Cmc) -> Value {
    Value::Array(
        c.parameters
            .iter()
            .map(|p| json!({"parameterName": p.name, "parameterValue": p.value}))
            .collect(),
    )
}

/// One CMC as a KCDB 2.0 API record.
pub fn record(c: &Cmc) -> Map<String, Value> {
    let mut m: Map<String, Value> = c.extra.clone().into_iter().collect();
    let u = &c.uncertainty;
    let fields = [
        ("id", c.id.map_or(Value::Null, |i| json!(i))),
        ("kcdbCode", json!(c.kcdb_code.as_str())),
        ("domainCode", opt_string(&c.domain.map(|d| d.code()))),
        ("metrologyAreaLabel", json!(c.metrology_area)),
        ("rmo", json!(c.rmo)),
        ("countryValue", json!(c.country)),
        ("nmiCode", json!(c.institute.code)),
        ("nmiName", json!(c.institute.name)),
        ("nmiServiceCode", json!(c.nmi_service_code)),
        ("nmiServiceLink", json!(c.nmi_service_link)),
        ("quantityValue", json!(c.quantity)),
        ("branchValue", json!(c.classification.branch)),
        ("serviceValue", json!(c.classification.service)),
        ("subServiceValue", json!(c.classification.sub_service)),
        (
            "individualServiceValue",
            json!(c.classification.individual_service),
        ),
        ("instrument", json!(c.instrument)),
        ("instrumentMethod", json!(c.instrument_method)),
        ("cmc", range_json(&c.measurand)),
        ("cmcUncertainty", range_json(&u.limits)),
        ("confidenceLevel", num(u.confidence_level)),
        ("coverageFactor", num(u.coverage_factor)),
        ("uncertaintyMode", opt_string(&u.mode.map(|m| m.as_str()))),
        (
            "uncertaintyEquation",
            u.equation.as_ref().map_or(
                Value::Null,
                |e| json!({"equation": e.equation, "equationComment": e.comment}),
            ),
        ),
        ("uncertaintyTable", table_json(c)),
        ("parameters", parameters_json(c)),
        ("status", json!(c.status)),
        ("statusDate", opt_string(&c.status_date)),
        ("approvalDate", opt_string(&c.approval_date)),
        ("publicationDate", opt_string(&c.publication_date)),
        ("comparisons", json!(c.comparisons)),
        ("comments", json!(c.comments)),
        ("traceabilitySource", json!(c.traceability_source)),
        ("internationalStandard", json!(c.international_standard)),
        ("groupIdentifier", json!(c.group_identifier)),
    ];
    for (k, v) in fields {
        m.insert(k.to_string(), v);
    }
    m
}

/// The CMCs as a JSON list of KCDB 2.0 API records.
pub fn to_json(cmcs: &[Cmc]) -> String {
    let list = Value::Array(cmcs.iter().map(|c| Value::Object(record(c))).collect());
    serde_json::to_string_pretty(&list).unwrap_or_default()
}

fn quantitative(r: &Range) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("@type".into(), json!("QuantitativeValue"));
    if let Some(v) = r.min {
        m.insert("minValue".into(), num(Some(v)));
    }
    if let Some(v) = r.max {
        m.insert("maxValue".into(), num(Some(v)));
    }
    m.insert("unitText".into(), json!(r.unit));
    if let Ok(u) = KcdbUnit::parse(&r.unit) {
        if let Ok(si) = sevres_si::print(Notation::Si, &u.expr) {
            m.insert("cmc:unitSi".into(), json!(si));
        }
        if let Ok(sirp) = sevres_si::print(Notation::Sirp, &u.expr) {
            m.insert("cmc:unitSirp".into(), json!(sirp));
        }
    }
    m
}

fn node(c: &Cmc) -> Value {
    let mut n = Map::new();
    n.insert(
        "@type".into(),
        json!(["Service", "cmc:CalibrationAndMeasurementCapability"]),
    );
    n.insert("identifier".into(), json!(c.kcdb_code.as_str()));
    n.insert("name".into(), json!(c.quantity));
    if let Some(d) = c.domain {
        n.insert("cmc:domain".into(), json!(d.code()));
    }
    for (k, v) in [
        ("cmc:metrologyArea", &c.metrology_area),
        ("cmc:branch", &c.classification.branch),
        ("cmc:service", &c.classification.service),
        ("cmc:subService", &c.classification.sub_service),
        (
            "cmc:individualService",
            &c.classification.individual_service,
        ),
        ("cmc:instrument", &c.instrument),
        ("cmc:instrumentMethod", &c.instrument_method),
        ("cmc:status", &c.status),
        ("cmc:traceabilitySource", &c.traceability_source),
        ("cmc:internationalStandard", &c.international_standard),
        ("description", &c.comments),
        ("url", &c.nmi_service_link),
    ] {
        if !v.is_empty() {
            n.insert(k.into(), json!(v));
        }
    }
    let mut provider = Map::new();
    provider.insert("@type".into(), json!("Organization"));
    provider.insert("identifier".into(), json!(c.institute.code));
    if !c.institute.name.is_empty() {
        provider.insert("name".into(), json!(c.institute.name));
    }
    provider.insert(
        "address".into(),
        json!({"@type": "PostalAddress", "addressCountry": c.kcdb_code.country()}),
    );
    if !c.rmo.is_empty() {
        provider.insert(
            "memberOf".into(),
            json!({"@type": "Organization", "identifier": c.rmo}),
        );
    }
    n.insert("provider".into(), Value::Object(provider));
    if let Some(r) = &c.measurand {
        n.insert("cmc:measurand".into(), Value::Object(quantitative(r)));
    }
    let u = &c.uncertainty;
    let mut unc = u.limits.as_ref().map(quantitative).unwrap_or_else(|| {
        let mut m = Map::new();
        m.insert("@type".into(), json!("QuantitativeValue"));
        m
    });
    if let Some(mode) = u.mode {
        unc.insert("cmc:uncertaintyMode".into(), json!(mode.as_str()));
    }
    if let Some(k) = u.coverage_factor {
        unc.insert("cmc:coverageFactor".into(), num(Some(k)));
    }
    if let Some(p) = u.confidence_level {
        unc.insert("cmc:levelOfConfidence".into(), num(Some(p)));
    }
    if let Some(e) = &u.equation {
        unc.insert("cmc:equation".into(), json!(e.equation));
        if !e.comment.is_empty() {
            unc.insert("cmc:equationComment".into(), json!(e.comment));
        }
    }
    if let Some(t) = &u.table {
        unc.insert("cmc:table".into(), json!(t.name));
    }
    n.insert("cmc:expandedUncertainty".into(), Value::Object(unc));
    if !c.parameters.is_empty() {
        n.insert(
            "additionalProperty".into(),
            Value::Array(
                c.parameters
                    .iter()
                    .map(|p| json!({"@type": "PropertyValue", "name": p.name, "value": p.value}))
                    .collect(),
            ),
        );
    }
    for (k, d) in [
        ("cmc:approvalDate", c.approval_date),
        ("cmc:publicationDate", c.publication_date),
        ("cmc:statusDate", c.status_date),
    ] {
        if let Some(d) = d {
            n.insert(k.into(), json!(d.to_string()));
        }
    }
    if !c.comparisons.is_empty() {
        n.insert("cmc:supportingComparison".into(), json!(c.comparisons));
    }
    Value::Object(n)
}

/// The CMCs as a JSON-LD document (`@context` and `@graph`).
pub fn to_jsonld(cmcs: &[Cmc]) -> String {
    let context: Value = serde_json::from_str(JSONLD_CONTEXT).unwrap_or(Value::Null);
    let doc = json!({
        "@context": context,
        "@graph": cmcs.iter().map(node).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Defuses spreadsheet formulas: a text starting with `=`, `+`, `-` or `@` gets a leading `'`.
fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn opt_num(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// The CMCs as CSV with the columns [`CSV_COLUMNS`].
pub fn to_csv(cmcs: &[Cmc]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut rows: Vec<Vec<String>> = vec![CSV_COLUMNS.iter().map(|s| s.to_string()).collect()];
    for c in cmcs {
        let u = &c.uncertainty;
        let m = c.measurand.clone().unwrap_or_default();
        let l = u.limits.clone().unwrap_or_default();
        let eq = u.equation.clone().unwrap_or_default();
        let json_cell = |v: Value| match v {
            Value::Null => String::new(),
            Value::Array(a) if a.is_empty() => String::new(),
            Value::Object(o) if o.is_empty() => String::new(),
            v => v.to_string(),
        };
        rows.push(vec![
            c.kcdb_code.as_str().to_string(),
            c.id.map(|i| i.to_string()).unwrap_or_default(),
            c.domain.map(|d| d.code().to_string()).unwrap_or_default(),
            text(&c.metrology_area),
            text(&c.rmo),
            text(&c.country),
            text(&c.institute.code),
            text(&c.institute.name),
            text(&c.classification.branch),
            text(&c.classification.service),
            text(&c.classification.sub_service),
            text(&c.classification.individual_service),
            text(&c.quantity),
            text(&c.instrument),
            text(&c.instrument_method),
            opt_num(m.min),
            opt_num(m.max),
            text(&m.unit),
            json_cell(parameters_json(c)),
            opt_num(l.min),
            opt_num(l.max),
            text(&l.unit),
            u.mode.map(|m| m.as_str().to_string()).unwrap_or_default(),
            opt_num(u.coverage_factor),
            opt_num(u.confidence_level),
            text(&eq.equation),
            text(&eq.comment),
            json_cell(table_json(c)),
            text(&c.status),
            c.status_date.map(|d| d.to_string()).unwrap_or_default(),
            c.approval_date.map(|d| d.to_string()).unwrap_or_default(),
            c.publication_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
            text(&c.comparisons.join("; ")),
            text(&c.comments),
            text(&c.nmi_service_code),
            text(&c.nmi_service_link),
            text(&c.traceability_source),
            text(&c.international_standard),
            text(&c.group_identifier),
            json_cell(Value::Object(c.extra.clone().into_iter().collect())),
        ]);
    }
    for r in rows {
        if w.write_record(&r).is_err() {
            return String::new();
        }
    }
    w.into_inner()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}
