//! Linking a subsequent (RMO or bilateral) comparison to a CIPM key comparison
//! through linking laboratories.
//!
//! Additive model of C. Elster, A. Link, W. Wöger, "Proposal for linking the
//! results of CIPM and RMO key comparisons", Metrologia 40 (2003) 189–194 (see
//! also C. M. Sutton, "Analysis and linking of international measurement
//! comparisons", Metrologia 41 (2004) 272–277): the RMO results are offset from
//! the CIPM scale by an unknown constant. Each linking laboratory l, with CIPM
//! degree of equivalence `D_l` (w.r.t. the CIPM KCRV) and RMO result `y_l`,
//! estimates that offset as `c_l = D_l − y_l` with
//! `u(c_l)² = u(D_l)² + u(y_l)² − 2 cov(D_l, y_l)`; the link correction is their
//! inverse-variance weighted mean `c = Σ c_l/u(c_l)² / Σ 1/u(c_l)²` with
//! `u(c)² = 1/Σ 1/u(c_l)²` (least-squares estimate of the offset), and a
//! chi-squared test at [`Options::significance`] checks the linking labs agree.
//! A non-linking participant j then has the linked DoE `D_j = y_j + c`,
//! `u(D_j)² = u(y_j)² + u(c)²`, `U = k u` with `k` = [`Options::coverage_factor`].

use crate::doe::entry;
use crate::estimators::classical::weighted_mean_iter;
use crate::special::chi2_upper_tail;
use crate::{AnalysisError, DegreeOfEquivalence, Label, Options};

/// A laboratory that took part in both comparisons.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LinkingLab {
    /// Laboratory.
    pub lab: String,
    /// Its DoE `D_l` in the CIPM key comparison.
    pub cipm_d: f64,
    /// Standard uncertainty `u(D_l)`.
    pub cipm_u_d: f64,
    /// Its result `y_l` in the subsequent comparison.
    pub rmo_x: f64,
    /// Standard uncertainty `u(y_l)`.
    pub rmo_u: f64,
    /// `cov(D_l, y_l)` (e.g. from systematic effects common to the lab's two
    /// results); 0 when unknown.
    #[cfg_attr(feature = "serde", serde(default))]
    pub covariance: f64,
}

/// A participant of the subsequent comparison that is not a linking lab.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RmoResult {
    /// Laboratory.
    pub lab: String,
    /// Result `y_j` in the subsequent comparison.
    pub x: f64,
    /// Standard uncertainty `u(y_j)`.
    pub u: f64,
}

/// Outcome of [`link`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Link {
    /// Link correction `c`, added to RMO results to express them against the CIPM KCRV.
    pub correction: f64,
    /// Its standard uncertainty `u(c)`.
    pub u_correction: f64,
    /// Weight of each linking lab in `c` (order of the input).
    pub weights: Vec<f64>,
    /// Chi-squared of the linking labs' estimates `c_l` about `c`.
    pub chi2: f64,
    /// Its degrees of freedom (number of linking labs − 1).
    pub dof: usize,
    /// `P(χ²_dof > chi2)`; 1 with a single linking lab.
    pub p_value: f64,
    /// `p_value ≥ significance`.
    pub consistent: bool,
    /// Linked DoE of the non-linking participants (input order; `in_reference` false).
    pub doe: Vec<DegreeOfEquivalence>,
}

fn check(
    index: usize,
    lab: &str,
    field: &'static str,
    v: f64,
    positive: bool,
) -> Result<(), AnalysisError> {
    if !v.is_finite() {
        return Err(AnalysisError::NonFinite {
            index,
            lab: lab.to_owned(),
            field,
            value: v,
        });
    }
    if positive && v <= 0.0 {
        return Err(AnalysisError::NonPositive {
            index,
            lab: lab.to_owned(),
            field,
            value: v,
        });
    }
    Ok(())
}

/// Computes the link correction from `linking` labs and the linked DoE of `others`.
pub fn link(
    linking: &[LinkingLab],
    others: &[RmoResult],
    options: &Options,
) -> Result<Link, AnalysisError> {
    options.validate()?;
    if linking.is_empty() {
        return Err(AnalysisError::NoLinkingLabs);
    }
    let mut c = Vec::with_capacity(linking.len());
    for (i, l) in linking.iter().enumerate() {
        check(i, &l.lab, "cipm_d", l.cipm_d, false)?;
        check(i, &l.lab, "cipm_u_d", l.cipm_u_d, true)?;
        check(i, &l.lab, "rmo_x", l.rmo_x, false)?;
        check(i, &l.lab, "rmo_u", l.rmo_u, true)?;
        check(i, &l.lab, "covariance", l.covariance, false)?;
        let var = l.cipm_u_d * l.cipm_u_d + l.rmo_u * l.rmo_u - 2.0 * l.covariance;
        if var <= 0.0 {
            return Err(AnalysisError::CorrelationOutOfRange {
                row: i,
                col: i,
                lab_row: l.lab.clone(),
                lab_col: l.lab.clone(),
                value: l.covariance / (l.cipm_u_d * l.rmo_u),
            });
        }
        c.push((l.cipm_d - l.rmo_x, var.sqrt()));
    }
    for (j, o) in others.iter().enumerate() {
        check(j, &o.lab, "x", o.x, false)?;
        check(j, &o.lab, "u", o.u, true)?;
    }
    let wm = weighted_mean_iter(c.iter().copied());
    let u2 = wm.u * wm.u;
    let dof = linking.len() - 1;
    let p_value = if dof == 0 {
        1.0
    } else {
        chi2_upper_tail(wm.chi2, dof)
    };
    let doe = others
        .iter()
        .map(|o| {
            entry(
                Label::from(o.lab.as_str()),
                false,
                o.x + wm.mean,
                o.u * o.u + u2,
                options.coverage_factor,
            )
        })
        .collect();
    Ok(Link {
        correction: wm.mean,
        u_correction: wm.u,
        weights: c.iter().map(|(_, u)| u2 / (u * u)).collect(),
        chi2: wm.chi2,
        dof,
        p_value,
        consistent: p_value >= options.significance,
        doe,
    })
}
