//! Degrees of equivalence in one unit, ready for a table or a chart: from an analysis by the
//! engine ([`DoeTable::from_analysis`]) or from a published KCDB release
//! ([`DoeTable::from_release`]).
//!
//! A unilateral degree of equivalence is `d_i = x_i − x_R` with its expanded uncertainty
//! `U(d_i)` (CIPM MRA, Technical supplement T.3; KCDB convention: k = 2). The reference band
//! of the conventional chart is `±U(x_R)`, the expanded uncertainty of the KCRV with the DoEs'
//! coverage factor.

use sevres_comparison::{Analysis, Options};
use sevres_si::Notation;

use crate::import::fair::{Doe, Release};
use crate::unit::Unit;

/// One participant's degree of equivalence.
#[derive(Debug, Clone, PartialEq)]
pub struct DoePoint {
    /// Laboratory label.
    pub lab: String,
    /// `d_i`.
    pub d: f64,
    /// `U(d_i)`.
    pub expanded: f64,
    /// Whether the participant contributed to the reference value, when known.
    pub in_reference: Option<bool>,
    /// The linked comparison through which the DoE was obtained, if any.
    pub via: Option<String>,
}

/// DoEs of one comparison in one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct DoeTable {
    /// Title (comparison identifier and measurand).
    pub title: String,
    /// Unit of `d` and `U(d)` as displayed (SI text, `MBq`); empty when unknown.
    pub unit: String,
    /// Coverage factor of the expanded uncertainties.
    pub coverage_factor: f64,
    /// `U(x_R)`, the half-width of the reference band, if known.
    pub reference_band: Option<f64>,
    /// The points, in order.
    pub points: Vec<DoePoint>,
}

/// DoEs in units that cannot be converted to one another.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot express {from} in {to}: {reason}")]
pub struct DoeUnitError {
    /// Unit of the value.
    pub from: String,
    /// Target unit.
    pub to: String,
    /// The reason.
    pub reason: String,
}

/// `value` (a difference or an uncertainty: the linear part only) from `from` into `to`.
pub(crate) fn convert(value: f64, from: &Unit, to: &Unit) -> Result<f64, DoeUnitError> {
    if from.same_as(to) {
        return Ok(value);
    }
    let c = from.conversion_to(to).map_err(|e| DoeUnitError {
        from: from.text().to_string(),
        to: to.text().to_string(),
        reason: e.to_string(),
    })?;
    Ok(c.apply(value) - c.apply(0.0))
}

impl DoeTable {
    /// The DoEs of an analysis by the engine (`U_d` with `options.coverage_factor`), with the
    /// reference band `k · u(KCRV)`.
    pub fn from_analysis(
        title: impl Into<String>,
        unit: Option<&Unit>,
        analysis: &Analysis,
        options: &Options,
    ) -> DoeTable {
        DoeTable {
            title: title.into(),
            unit: unit
                .map(|u| u.to_notation(Notation::Si))
                .unwrap_or_default(),
            coverage_factor: options.coverage_factor,
            reference_band: Some(options.coverage_factor * analysis.u_kcrv),
            points: analysis
                .doe
                .iter()
                .map(|d| DoePoint {
                    lab: d.lab.to_string(),
                    d: d.d,
                    expanded: d.expanded_u_d,
                    in_reference: Some(d.in_reference),
                    via: None,
                })
                .collect(),
        }
    }

    /// The DoEs of a KCDB release (own and linked), converted to the unit of the first DoE; the
    /// reference band is the KCRV's standard uncertainty times the DoEs' coverage factor,
    /// converted to that unit.
    pub fn from_release(
        title: impl Into<String>,
        release: &Release,
    ) -> Result<DoeTable, DoeUnitError> {
        let all: Vec<(&Doe, Option<&str>)> = release
            .does
            .iter()
            .map(|d| (d, None))
            .chain(
                release
                    .linked
                    .iter()
                    .flat_map(|l| l.does.iter().map(move |d| (d, Some(l.code.as_str())))),
            )
            .collect();
        let unit = all
            .first()
            .map_or(&release.kcrv.unit, |(d, _)| &d.result.unit)
            .clone();
        let coverage_factor = all
            .first()
            .and_then(|(d, _)| d.result.uncertainty)
            .map_or(2.0, |u| u.coverage_factor());
        let mut points = Vec::with_capacity(all.len());
        for (doe, via) in all {
            let expanded = doe.result.uncertainty.map_or(0.0, |u| u.stated());
            points.push(DoePoint {
                lab: doe.lab.label(),
                d: convert(doe.result.value, &doe.result.unit, &unit)?,
                expanded: convert(expanded, &doe.result.unit, &unit)?,
                in_reference: None,
                via: via.map(String::from),
            });
        }
        let reference_band = match release.kcrv.uncertainty {
            Some(u) => Some(convert(
                coverage_factor * u.standard(),
                &release.kcrv.unit,
                &unit,
            )?),
            None => None,
        };
        Ok(DoeTable {
            title: title.into(),
            unit: unit.to_notation(Notation::Si),
            coverage_factor,
            reference_band,
            points,
        })
    }
}
