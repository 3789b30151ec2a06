//! Results of an evaluation: reference value, consistency statistics and
//! degrees of equivalence (DoE) in the participants' input order.

use crate::{Label, Method};

/// Unilateral degree of equivalence of one participant: `d = x − KCRV`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DegreeOfEquivalence {
    /// Laboratory.
    pub lab: Label,
    /// Whether the participant contributed to the reference value.
    pub in_reference: bool,
    /// `d = x − KCRV`.
    pub d: f64,
    /// Standard uncertainty of `d` (formula depends on the method; see [`crate::analyse`]).
    pub u_d: f64,
    /// Expanded uncertainty `U_d = k u_d` with `k` = [`crate::Options::coverage_factor`].
    #[cfg_attr(feature = "serde", serde(rename = "U_d"))]
    pub expanded_u_d: f64,
    /// `E_n = d / U_d` (infinite when `U_d = 0` and `d ≠ 0`).
    pub en: f64,
}

/// A coverage interval for the reference value.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CoverageInterval {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Coverage probability.
    pub probability: f64,
}

/// Full result of [`crate::analyse`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Analysis {
    /// The estimator used.
    pub method: Method,
    /// Key comparison reference value.
    pub kcrv: f64,
    /// Standard uncertainty of the KCRV.
    pub u_kcrv: f64,
    /// Between-laboratory standard deviation ("dark uncertainty"): τ for `dl`
    /// and `pm`, the Paule–Mandel `s` for `pmm`, 0 for the other methods.
    pub tau: f64,
    /// Chi-squared statistic `Σ (x_i − x_w)²/u_i²` (GLS form when correlated) of the
    /// final reference set about its weighted mean (Cochran's Q), for every method.
    pub chi2: f64,
    /// Degrees of freedom of the test: reference-set size − 1.
    pub dof: usize,
    /// `P(χ²_dof > chi2)`.
    pub p_value: f64,
    /// Birge ratio `√(chi2 / dof)`.
    pub birge_ratio: f64,
    /// `p_value ≥ significance`.
    pub consistent: bool,
    /// Labs not contributing to the KCRV (flagged out by the input, or dropped).
    pub excluded: Vec<Label>,
    /// Labs dropped by the largest-consistent-subset search of `procedure-a`.
    pub dropped: Vec<Label>,
    /// Weight of each participant in the KCRV (input order, 0 when excluded), for
    /// estimators that are weighted means; `None` for median and Monte Carlo methods.
    pub weights: Option<Vec<f64>>,
    /// Coverage interval for the KCRV (Monte Carlo methods, Knapp–Hartung).
    pub coverage_interval: Option<CoverageInterval>,
    /// Degrees of equivalence, one per participant, in input order.
    pub doe: Vec<DegreeOfEquivalence>,
}
