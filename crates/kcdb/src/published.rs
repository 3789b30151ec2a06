//! The published figures of a comparison: its key comparison reference value (KCRV) and the
//! degrees of equivalence (DoE) as the KCDB shows them, for one measurand.
//!
//! Why a type of its own: a published table is not always the output of an analysis run here.
//! The BIPM.RI(II)-K1 comparisons come with their KCRV and DoE read from the BIPM FAIR files
//! ([`PublishedReference::from_release`]); comparisons run on this platform publish the figures
//! of one stored analysis ([`PublishedReference::from_analysis`]), whose inputs, method and
//! options are kept so that every published figure can be recomputed. Both give the same table
//! and chart ([`PublishedReference::doe_table`]).
//!
//! Conventions (CIPM MRA, Technical supplement T.3; KCDB): `d_i = x_i − x_R` with its expanded
//! uncertainty `U(d_i)` at the coverage factor stated with the table (k = 2 in the KCDB); the
//! reference band of the chart is `±k·u(x_R)`.

use serde::{Deserialize, Serialize};
use sevres_comparison::{Analysis, Options};

use crate::doe::{convert, DoePoint, DoeTable, DoeUnitError};
use crate::id::Doi;
use crate::import::fair::Release;
use crate::model::{finite, positive, ValueError};
use crate::unit::Unit;

/// One published degree of equivalence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedDoe {
    /// Laboratory label (institute acronym as published).
    pub lab: String,
    /// `d_i`, in the table's DoE unit.
    pub d: f64,
    /// `U(d_i)`, in the table's DoE unit.
    pub expanded: f64,
    /// Whether the laboratory contributed to the KCRV, when known.
    pub in_reference: Option<bool>,
    /// The linked comparison through which the DoE was obtained, if any.
    pub via: Option<String>,
}

/// The KCRV and DoE of one measurand as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedReference {
    /// The measurand's id within the comparison.
    pub measurand: String,
    /// Year of publication, if known.
    pub year: Option<i32>,
    /// DOI of the report that published the figures.
    pub report_doi: Option<Doi>,
    /// Where the figures come from, in words (`Co-60_database_FAIR.xml, release 7 (2022)`,
    /// `analysis 3 (pmm)`).
    pub source: String,
    /// The stored analysis that computed them, when computed on this platform.
    pub analysis: Option<i64>,
    /// The KCRV, in [`PublishedReference::unit`].
    pub kcrv: f64,
    /// Its standard uncertainty.
    pub u_kcrv: f64,
    /// Unit of the KCRV.
    pub unit: Unit,
    /// Unit of the DoE (a KCDB table may give the DoE in MBq and the KCRV in kBq).
    pub doe_unit: Unit,
    /// Coverage factor of the expanded uncertainties `U(d_i)`.
    pub coverage_factor: f64,
    /// The DoE, in table order.
    pub does: Vec<PublishedDoe>,
}

impl PublishedReference {
    /// The figures of a KCDB release read from a FAIR file: the KCRV with its standard
    /// uncertainty, and every DoE (own and linked) converted to the unit of the first DoE.
    pub fn from_release(
        measurand: impl Into<String>,
        source: impl Into<String>,
        release: &Release,
    ) -> Result<PublishedReference, DoeUnitError> {
        let table = DoeTable::from_release(String::new(), release)?;
        let doe_unit = release
            .does
            .first()
            .or_else(|| release.linked.iter().flat_map(|l| &l.does).next())
            .map_or(&release.kcrv.unit, |d| &d.result.unit)
            .clone();
        Ok(PublishedReference {
            measurand: measurand.into(),
            year: release.year,
            report_doi: release.doi.clone(),
            source: source.into(),
            analysis: None,
            kcrv: release.kcrv.value,
            u_kcrv: release.kcrv.uncertainty.map_or(0.0, |u| u.standard()),
            unit: release.kcrv.unit.clone(),
            doe_unit,
            coverage_factor: table.coverage_factor,
            does: table.points.into_iter().map(PublishedDoe::from).collect(),
        })
    }

    /// The figures of analysis `analysis_id` (`analysis`, run with `options`) of a measurand in
    /// `unit`.
    pub fn from_analysis(
        measurand: impl Into<String>,
        analysis_id: i64,
        unit: &Unit,
        analysis: &Analysis,
        options: &Options,
    ) -> PublishedReference {
        PublishedReference {
            measurand: measurand.into(),
            year: None,
            report_doi: None,
            source: format!("analysis {analysis_id} ({})", analysis.method),
            analysis: Some(analysis_id),
            kcrv: analysis.kcrv,
            u_kcrv: analysis.u_kcrv,
            unit: unit.clone(),
            doe_unit: unit.clone(),
            coverage_factor: options.coverage_factor,
            does: analysis
                .doe
                .iter()
                .map(|d| PublishedDoe {
                    lab: d.lab.to_string(),
                    d: d.d,
                    expanded: d.expanded_u_d,
                    in_reference: Some(d.in_reference),
                    via: None,
                })
                .collect(),
        }
    }

    /// Checks the numbers: finite KCRV and DoE, positive coverage factor, non-negative
    /// uncertainties (a KCRV may be published without uncertainty: zero).
    pub fn validate(&self) -> Result<(), ValueError> {
        if self.measurand.trim().is_empty() {
            return Err(ValueError::Empty("measurand"));
        }
        finite("KCRV", self.kcrv)?;
        non_negative("u(KCRV)", self.u_kcrv)?;
        positive("coverage factor", self.coverage_factor)?;
        for d in &self.does {
            finite("degree of equivalence", d.d)?;
            non_negative("U(degree of equivalence)", d.expanded)?;
        }
        Ok(())
    }

    /// The DoE as a table for display and charts, with the reference band `±k·u(KCRV)`
    /// converted to the DoE unit.
    pub fn doe_table(&self, title: impl Into<String>) -> Result<DoeTable, DoeUnitError> {
        let band = (self.u_kcrv > 0.0)
            .then(|| {
                convert(
                    self.coverage_factor * self.u_kcrv,
                    &self.unit,
                    &self.doe_unit,
                )
            })
            .transpose()?;
        Ok(DoeTable {
            title: title.into(),
            unit: self.doe_unit.to_notation(sevres_si::Notation::Si),
            coverage_factor: self.coverage_factor,
            reference_band: band,
            points: self
                .does
                .iter()
                .map(|d| DoePoint {
                    lab: d.lab.clone(),
                    d: d.d,
                    expanded: d.expanded,
                    in_reference: d.in_reference,
                    via: d.via.clone(),
                })
                .collect(),
        })
    }
}

impl From<DoePoint> for PublishedDoe {
    fn from(p: DoePoint) -> PublishedDoe {
        PublishedDoe {
            lab: p.lab,
            d: p.d,
            expanded: p.expanded,
            in_reference: p.in_reference,
            via: p.via,
        }
    }
}

fn non_negative(field: &'static str, value: f64) -> Result<f64, ValueError> {
    finite(field, value)?;
    if value >= 0.0 {
        Ok(value)
    } else {
        Err(ValueError::NonPositive { field, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sevres_comparison::{analyse, ComparisonInput, Method, Participant};

    #[test]
    fn from_analysis_keeps_the_figures_and_validates() {
        let input = ComparisonInput::new(vec![
            Participant::new("A", 10.0, 0.1),
            Participant::new("B", 10.2, 0.2),
        ]);
        let options = Options::default();
        let a = analyse(&input, Method::WeightedMean, &options).unwrap();
        let unit = Unit::normalise("kBq").unwrap().0;
        let p = PublishedReference::from_analysis("m", 7, &unit, &a, &options);
        assert_eq!(p.analysis, Some(7));
        assert_eq!(p.kcrv, a.kcrv);
        p.validate().unwrap();
        let table = p.doe_table("t").unwrap();
        assert_eq!(table.points.len(), 2);
        assert_eq!(table.reference_band, Some(2.0 * a.u_kcrv));
        let mut bad = p.clone();
        bad.does[0].d = f64::NAN;
        assert!(bad.validate().is_err());
        bad = p;
        bad.u_kcrv = -1.0;
        assert!(bad.validate().is_err());
    }
}
