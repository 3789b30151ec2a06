//! Traceability: each calibrated value of a DCC against the issuing laboratory's published
//! Calibration and Measurement Capabilities (CMCs, `sevres-cmc`).
//!
//! 1. **The laboratory.** The texts of `dcc:calibrationLaboratory` (contact name contents,
//!    `calibrationLaboratoryCode`), its `countryCode` and e-mail domain are matched against the
//!    institutes of the registry, strongest rule first: the institute's full name occurs in the
//!    laboratory name (`name`); its KCDB code occurs as a word (`PTB` in "Physikalisch-Technische
//!    Bundesanstalt (PTB)": `acronym`); the e-mail domain's organisation label equals the code
//!    (`vacuum.cal@ptb.de`: `e-mail domain`). When the DCC and the CMC both give a country, they
//!    must agree. The rule that matched is reported ([`LabMatch::how`]).
//! 2. **The calibrated values.** Every `dcc:quantity` under `dcc:results` (not in
//!    `dcc:measurementMetaData`) that states an uncertainty (`si:real` with `si:expandedUnc` or
//!    `si:coverageInterval`, `si:realListXMLList` with `si:expandedUncXMLList`, or the first such
//!    representation of an `si:hybrid`) gives one entry per value. A measurement *error* or
//!    *deviation* (refType containing `Error`, `Deviation` or `Correction`) is evaluated at the
//!    value of the sibling reference quantity (refType containing `referenceValue`) with the same
//!    index, since the CMC range is one of the measurand, not of the error.
//! 3. **The check.** The unit is read from D-SI (`sevres-si`) into a KCDB unit; the registry is
//!    asked for the institute's CMCs of the same dimension whose range contains the value (any
//!    unit: `0.1 MPa` meets a CMC in `bar`). The claimed expanded uncertainty is normalised to
//!    k = 2 by the rule of `sevres_cmc::capability::normalise_coverage` (a coverage interval gives
//!    half its width at its stated probability) and compared, in SI, with each CMC's uncertainty at
//!    the value (also k = 2): a claim is `ok` when it is not smaller than the CMC's. A CMC known
//!    only by limits gives an interval, and a claim inside it is indeterminate.

use roxmltree::Node;
use serde_json::{json, Value};
use sevres_cmc::capability::normalise_coverage;
use sevres_cmc::unit::KcdbUnit;
use sevres_cmc::{Facet, Quantity, Query, Registry};

use crate::{is_dcc, is_si, Dcc, NS_DCC, NS_SI};

/// How the issuing laboratory was identified among the registry's institutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabMatch {
    /// KCDB institute code, when matched.
    pub institute: Option<String>,
    /// The rule that matched (`name`, `acronym`, `e-mail domain`) with the texts compared, or
    /// why nothing matched.
    pub how: String,
}

/// One CMC that covers the value.
#[derive(Debug, Clone, PartialEq)]
pub struct CmcCheck {
    /// KCDB code.
    pub code: String,
    /// The CMC's expanded uncertainty (k = 2) at the value, least possible, in the coherent SI
    /// unit of the quantity.
    pub uncertainty_low: f64,
    /// Greatest possible (equal to the least when the CMC has an equation).
    pub uncertainty_high: f64,
    /// Whether the claimed uncertainty is not smaller: `None` when it lies between the limits.
    pub ok: Option<bool>,
}

/// Outcome for one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceStatus {
    /// In range of a CMC, and the claimed uncertainty is not smaller than that CMC's.
    Ok,
    /// In range, but the claimed uncertainty is smaller than every covering CMC's.
    BelowCmc,
    /// In range, but only limits are known and the claim lies between them.
    Indeterminate,
    /// The institute has CMCs of this dimension, but none whose range contains the value.
    OutOfRange,
    /// The institute has no CMC of this dimension.
    NoCmc,
    /// The laboratory matches no institute of the registry.
    NoInstitute,
    /// The value or unit could not be read.
    NotEvaluable,
}

impl TraceStatus {
    /// The JSON word.
    pub fn as_str(self) -> &'static str {
        match self {
            TraceStatus::Ok => "ok",
            TraceStatus::BelowCmc => "below_cmc",
            TraceStatus::Indeterminate => "indeterminate",
            TraceStatus::OutOfRange => "out_of_range",
            TraceStatus::NoCmc => "no_cmc",
            TraceStatus::NoInstitute => "no_institute",
            TraceStatus::NotEvaluable => "not_evaluable",
        }
    }
}

/// Traceability of one calibrated value.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// The quantity's name (first `dcc:content`) or refType.
    pub quantity: String,
    /// Line of the quantity.
    pub line: u32,
    /// Index in its list (0 for a single value).
    pub index: usize,
    /// The value as stated.
    pub value: f64,
    /// Its D-SI unit as written.
    pub unit: String,
    /// The value the CMCs were evaluated at, and its D-SI unit (the reference value for an error).
    pub evaluated_at: (f64, String),
    /// Where `evaluated_at` comes from (`own value` or `reference value ...`).
    pub value_source: String,
    /// The expanded uncertainty as stated (half the width for a coverage interval).
    pub claimed: Option<f64>,
    /// The claim at k = 2, in the coherent SI unit of the quantity.
    pub claimed_k2_si: Option<f64>,
    /// The coverage normalisation applied (`k=2`, `p=95%`, `assumed`).
    pub coverage: String,
    /// The laboratory match.
    pub lab: LabMatch,
    /// The institute's CMCs that cover the value.
    pub cmcs: Vec<CmcCheck>,
    /// Whether any CMC range contains the value.
    pub in_range: bool,
    /// The outcome.
    pub status: TraceStatus,
}

impl Trace {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "quantity": self.quantity,
            "line": self.line,
            "index": self.index,
            "value": self.value,
            "unit": self.unit,
            "evaluated_at": {"value": self.evaluated_at.0, "unit": self.evaluated_at.1, "source": self.value_source},
            "claimed_uncertainty": self.claimed,
            "claimed_k2_si": self.claimed_k2_si,
            "coverage": self.coverage,
            "institute": self.lab.institute,
            "institute_match": self.lab.how,
            "in_range": self.in_range,
            "cmcs": self.cmcs.iter().map(|c| json!({
                "code": c.code,
                "cmc_uncertainty_k2_si": if c.uncertainty_low == c.uncertainty_high { json!(c.uncertainty_low) } else { json!([c.uncertainty_low, c.uncertainty_high]) },
                "ok": c.ok,
            })).collect::<Vec<_>>(),
            "status": self.status.as_str(),
        })
    }
}

fn text<'a>(n: Node<'a, '_>) -> &'a str {
    n.text().unwrap_or("")
}

fn child<'a, 'i>(n: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| {
        c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(ns)
    })
}

/// Identifies the laboratory among the registry's institutes (see the module documentation).
pub fn match_laboratory(dcc: &Dcc<'_>, registry: &Registry) -> LabMatch {
    let root = dcc.document().root_element();
    let Some(lab) = root
        .children()
        .find(|n| is_dcc(*n, "administrativeData"))
        .and_then(|a| a.children().find(|n| is_dcc(*n, "calibrationLaboratory")))
    else {
        return LabMatch {
            institute: None,
            how: "the DCC has no dcc:calibrationLaboratory".into(),
        };
    };
    let mut names: Vec<String> = Vec::new();
    let mut country: Option<String> = None;
    let mut domains: Vec<String> = Vec::new();
    for n in lab.descendants().filter(|n| n.is_element()) {
        if is_dcc(n, "content") && n.parent().is_some_and(|p| is_dcc(p, "name"))
            || is_dcc(n, "calibrationLaboratoryCode")
        {
            names.push(text(n).trim().to_string());
        } else if is_dcc(n, "countryCode") && country.is_none() {
            country = Some(text(n).trim().to_uppercase());
        } else if is_dcc(n, "eMail") {
            if let Some((_, domain)) = text(n).trim().rsplit_once('@') {
                let labels: Vec<&str> = domain.split('.').collect();
                if labels.len() >= 2 {
                    domains.push(labels[labels.len() - 2].to_lowercase());
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut best: Option<(u8, String, String)> = None;
    for c in registry.cmcs() {
        let code = c.institute.code.trim();
        if code.is_empty() || !seen.insert(code.to_string()) {
            continue;
        }
        let inst_country = c.kcdb_code.country();
        if let Some(cc) = &country {
            if !inst_country.is_empty() && !inst_country.eq_ignore_ascii_case(cc) {
                continue;
            }
        }
        let full = c.institute.name.trim();
        let mut m: Option<(u8, String)> = None;
        if full.len() > 3 {
            if let Some(n) = names
                .iter()
                .find(|n| n.to_lowercase().contains(&full.to_lowercase()))
            {
                m = Some((
                    3,
                    format!("name: institute name '{full}' in laboratory name '{n}'"),
                ));
            }
        }
        if m.is_none() {
            if let Some(n) = names.iter().find(|n| {
                n.split(|ch: char| !ch.is_alphanumeric()).any(|w| w == code) || n.trim() == code
            }) {
                m = Some((
                    2,
                    format!("acronym: institute code '{code}' in laboratory name '{n}'"),
                ));
            }
        }
        if m.is_none() {
            if let Some(d) = domains
                .iter()
                .find(|d| **d == code.to_lowercase().replace(' ', ""))
            {
                m = Some((
                    1,
                    format!("e-mail domain: '{d}' is institute code '{code}'"),
                ));
            }
        }
        if let Some((rank, how)) = m {
            if best.as_ref().is_none_or(|(r, _, _)| rank > *r) {
                best = Some((rank, code.to_string(), how));
            }
        }
    }
    match best {
        Some((_, code, how)) => LabMatch {
            institute: Some(code),
            how: match &country {
                Some(cc) => format!("{how}; country {cc} agrees"),
                None => how,
            },
        },
        None => LabMatch {
            institute: None,
            how: format!(
                "no institute of the CMC registry matches the laboratory [{}]{}",
                names.join("; "),
                country.map(|c| format!(" in {c}")).unwrap_or_default()
            ),
        },
    }
}

/// One numeric representation of a quantity: values, units (1 or n), and its uncertainty.
struct Series {
    values: Vec<f64>,
    units: Vec<String>,
    /// (U, k, p) per value (broadcast when constant).
    unc: Vec<(f64, Option<f64>, Option<f64>)>,
}

impl Series {
    fn unit(&self, i: usize) -> Option<&str> {
        if self.units.len() == 1 {
            self.units.first().map(String::as_str)
        } else {
            self.units.get(i).map(String::as_str)
        }
    }
    fn unc(&self, i: usize) -> Option<(f64, Option<f64>, Option<f64>)> {
        if self.unc.len() == 1 {
            self.unc.first().copied()
        } else {
            self.unc.get(i).copied()
        }
    }
}

fn nums(s: &str) -> Vec<f64> {
    s.split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect()
}

fn strs(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn broadcast(v: Vec<f64>, n: usize) -> Vec<Option<f64>> {
    match v.len() {
        0 => vec![None; n],
        1 => vec![Some(v[0]); n],
        _ => v.into_iter().map(Some).collect(),
    }
}

/// The numeric representations of a quantity (`si:real`, `si:realListXMLList`, inside
/// `si:hybrid` too), each with its uncertainty when stated.
fn series(q: Node<'_, '_>) -> Vec<Series> {
    let mut out = Vec::new();
    let mut nodes: Vec<Node<'_, '_>> = q.children().filter(|c| c.is_element()).collect();
    if let Some(h) = child(q, NS_SI, "hybrid") {
        nodes.extend(h.children().filter(|c| c.is_element()));
    }
    for n in nodes {
        if is_si(n, "real") {
            let Some(v) = child(n, NS_SI, "value").and_then(|v| text(v).trim().parse().ok()) else {
                continue;
            };
            let unit = child(n, NS_SI, "unit")
                .map(|u| text(u).trim().to_string())
                .unwrap_or_default();
            let mut unc = Vec::new();
            if let Some(eu) = child(n, NS_SI, "expandedUnc") {
                let g = |name: &str| {
                    child(eu, NS_SI, name).and_then(|x| text(x).trim().parse::<f64>().ok())
                };
                if let Some(u) = g("uncertainty") {
                    unc.push((u, g("coverageFactor"), g("coverageProbability")));
                }
            } else if let Some(ci) = child(n, NS_SI, "coverageInterval") {
                let g = |name: &str| {
                    child(ci, NS_SI, name).and_then(|x| text(x).trim().parse::<f64>().ok())
                };
                if let (Some(a), Some(b)) = (g("intervalMin"), g("intervalMax")) {
                    unc.push(((b - a).abs() / 2.0, None, g("coverageProbability")));
                }
            }
            out.push(Series {
                values: vec![v],
                units: vec![unit],
                unc,
            });
        } else if is_si(n, "realListXMLList") {
            let values = child(n, NS_SI, "valueXMLList")
                .map(|v| nums(text(v)))
                .unwrap_or_default();
            let units = child(n, NS_SI, "unitXMLList")
                .map(|u| strs(text(u)))
                .unwrap_or_default();
            let count = values.len();
            let mut unc = Vec::new();
            if let Some(eu) = child(n, NS_SI, "expandedUncXMLList") {
                let g = |name: &str| {
                    child(eu, NS_SI, name)
                        .map(|x| nums(text(x)))
                        .unwrap_or_default()
                };
                let us = g("uncertaintyXMLList");
                let ks = broadcast(g("coverageFactorXMLList"), us.len().max(1).max(count));
                let ps = broadcast(g("coverageProbabilityXMLList"), us.len().max(1).max(count));
                for (i, u) in us.iter().enumerate() {
                    unc.push((
                        *u,
                        ks.get(i).copied().flatten(),
                        ps.get(i).copied().flatten(),
                    ));
                }
            } else if let Some(ci) = child(n, NS_SI, "coverageIntervalXMLList") {
                let g = |name: &str| {
                    child(ci, NS_SI, name)
                        .map(|x| nums(text(x)))
                        .unwrap_or_default()
                };
                let (mins, maxs) = (g("intervalMinXMLList"), g("intervalMaxXMLList"));
                let ps = broadcast(g("coverageProbabilityXMLList"), mins.len().max(1));
                for (i, (a, b)) in mins.iter().zip(&maxs).enumerate() {
                    unc.push(((b - a).abs() / 2.0, None, ps.get(i).copied().flatten()));
                }
            }
            out.push(Series { values, units, unc });
        }
    }
    out
}

fn quantity_name(q: Node<'_, '_>) -> String {
    child(q, NS_DCC, "name")
        .and_then(|n| n.children().find(|c| is_dcc(*c, "content")))
        .map(|c| text(c).trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| q.attribute("refType").map(str::to_string))
        .unwrap_or_else(|| "quantity".into())
}

/// The D-SI unit as a KCDB unit (through its SI-text spelling).
fn kcdb_unit(dsi: &str) -> Option<KcdbUnit> {
    let expr = sevres_si::dsi::parse(dsi).ok()?;
    let si = sevres_si::print(sevres_si::Notation::Si, &expr).ok()?;
    KcdbUnit::parse(&si).ok()
}

fn is_error_like(ref_type: &str) -> bool {
    let t = ref_type.to_lowercase();
    t.contains("error") || t.contains("deviation") || t.contains("correction")
}

/// Checks every calibrated value of `dcc` against `registry` (see the module documentation).
pub fn trace(dcc: &Dcc<'_>, registry: &Registry) -> Vec<Trace> {
    let lab = match_laboratory(dcc, registry);
    let root = dcc.document().root_element();
    let mut out = Vec::new();
    let quantities = root
        .descendants()
        .filter(|n| is_dcc(*n, "quantity"))
        .filter(|n| {
            let mut in_results = false;
            for a in n.ancestors().skip(1) {
                if is_dcc(a, "measurementMetaData") || is_dcc(a, "influenceConditions") {
                    return false;
                }
                if is_dcc(a, "results") {
                    in_results = true;
                }
            }
            in_results
        });
    for q in quantities {
        let all = series(q);
        let Some(s) = all.iter().find(|s| !s.unc.is_empty()) else {
            continue;
        };
        // The value the CMCs are evaluated at (see the module documentation, step 2).
        let reference: Option<(Vec<Series>, String)> = q
            .attribute("refType")
            .filter(|t| is_error_like(t))
            .and_then(|_| {
                q.parent()?
                    .children()
                    .filter(|c| is_dcc(*c, "quantity"))
                    .find(|c| {
                        c.attribute("refType")
                            .is_some_and(|t| t.contains("referenceValue"))
                    })
                    .map(|r| (series(r), format!("reference value ({})", quantity_name(r))))
            });
        for i in 0..s.values.len() {
            let unit = s.unit(i).unwrap_or("").to_string();
            let value = s.values[i];
            let mut entry = Trace {
                quantity: quantity_name(q),
                line: dcc.line(q),
                index: i,
                value,
                unit: unit.clone(),
                evaluated_at: (value, unit.clone()),
                value_source: "own value".into(),
                claimed: None,
                claimed_k2_si: None,
                coverage: String::new(),
                lab: lab.clone(),
                cmcs: Vec::new(),
                in_range: false,
                status: TraceStatus::NotEvaluable,
            };
            let own_unit = kcdb_unit(&unit);
            if let (Some((refs, source)), Some(ou)) = (&reference, &own_unit) {
                // A reference representation of the same dimension, preferring the same unit.
                let pick = refs
                    .iter()
                    .filter(|r| r.values.len() == s.values.len() || r.values.len() > i)
                    .filter_map(|r| {
                        let ru = r.unit(i)?;
                        let ku = kcdb_unit(ru)?;
                        (ku.scale.key.dimension == ou.scale.key.dimension).then_some((
                            r,
                            ru,
                            ru == unit,
                        ))
                    })
                    .max_by_key(|(_, _, same)| *same);
                if let Some((r, ru, _)) = pick {
                    if let Some(v) = r.values.get(i) {
                        entry.evaluated_at = (*v, ru.to_string());
                        entry.value_source = source.clone();
                    }
                }
            }
            if let Some((u, k, p)) = s.unc(i) {
                let (factor, basis) = normalise_coverage(k, p);
                entry.claimed = Some(u);
                entry.coverage = format!("{basis:?}");
                if let Some(ou) = &own_unit {
                    entry.claimed_k2_si = Some(ou.scale.interval_to_si(u * factor));
                }
            }
            evaluate(&mut entry, registry);
            out.push(entry);
        }
    }
    out
}

fn evaluate(entry: &mut Trace, registry: &Registry) {
    let Some(code) = entry.lab.institute.clone() else {
        entry.status = TraceStatus::NoInstitute;
        return;
    };
    let Some(unit) = kcdb_unit(&entry.evaluated_at.1) else {
        return;
    };
    let Ok(q) = Quantity::new(entry.evaluated_at.0, &unit.text) else {
        return;
    };
    let Some(claimed) = entry.claimed_k2_si else {
        return;
    };
    let query = Query::new()
        .facet(Facet::Institute, &code)
        .at(q.clone())
        .limit(50);
    let Ok(result) = registry.search(&query) else {
        return;
    };
    for hit in &result.hits {
        let Some(cmc) = registry.get(hit.index) else {
            continue;
        };
        let Some(u) = hit.uncertainty else { continue };
        let tol = 1e-9;
        let ok = if claimed >= u.high * (1.0 - tol) {
            Some(true)
        } else if claimed < u.low * (1.0 - tol) {
            Some(false)
        } else {
            None
        };
        entry.cmcs.push(CmcCheck {
            code: cmc.kcdb_code.to_string(),
            uncertainty_low: u.low,
            uncertainty_high: u.high,
            ok,
        });
    }
    entry.in_range = result.total > 0;
    entry.status = if entry.cmcs.iter().any(|c| c.ok == Some(true)) {
        TraceStatus::Ok
    } else if entry.cmcs.iter().any(|c| c.ok.is_none()) {
        TraceStatus::Indeterminate
    } else if !entry.cmcs.is_empty() {
        TraceStatus::BelowCmc
    } else if result.total > 0 {
        TraceStatus::Indeterminate
    } else {
        // Out of range, or no CMC of this dimension at all?
        let same_dimension = registry.cmcs().iter().any(|c| {
            c.institute.code == code
                && c.capability()
                    .measurand
                    .is_some_and(|m| m.unit.scale.key == q.unit.scale.key)
        });
        if same_dimension {
            TraceStatus::OutOfRange
        } else {
            TraceStatus::NoCmc
        }
    };
}
