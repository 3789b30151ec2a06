//! Reference-value estimators.
//!
//! Each submodule implements one family and cites its source next to the
//! formulas. The public functions here work on plain slices of values and
//! standard uncertainties, allocate nothing, and are what the benchmarks time;
//! [`crate::analyse`] wraps them with validation, reference-set handling and
//! degrees of equivalence.

pub(crate) mod classical;
pub(crate) mod linear_pool;
pub(crate) mod random_effects;
pub(crate) mod robust;

use crate::output::CoverageInterval;
use crate::AnalysisError;

pub use random_effects::{dersimonian_laird, paule_mandel, power_moderated_mean};

/// Result of a pooled (weighted-mean type) estimator on slices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pooled {
    /// The pooled mean.
    pub mean: f64,
    /// Its standard uncertainty.
    pub u_mean: f64,
    /// Between-laboratory variance τ² (0 for the fixed-effect weighted mean).
    pub tau2: f64,
    /// Cochran's Q = `Σ (x_i − x_w)²/u_i²` about the fixed-effect weighted mean.
    pub q: f64,
}

/// Inverse-variance weighted mean of independent values (Cox 2002, Metrologia 39
/// 589, procedure A): `y = Σ x_i/u_i² / Σ 1/u_i²`, `u(y)² = 1/Σ 1/u_i²`.
pub fn weighted_mean(x: &[f64], u: &[f64]) -> Result<Pooled, AnalysisError> {
    check_slices(x, u)?;
    let wm = classical::weighted_mean_iter(x.iter().copied().zip(u.iter().copied()));
    Ok(Pooled {
        mean: wm.mean,
        u_mean: wm.u,
        tau2: 0.0,
        q: wm.chi2,
    })
}

/// Validates slice input of the public slice functions.
pub(crate) fn check_slices(x: &[f64], u: &[f64]) -> Result<(), AnalysisError> {
    if x.len() != u.len() {
        return Err(AnalysisError::LengthMismatch {
            what: "x and u",
            a: x.len(),
            b: u.len(),
        });
    }
    if x.len() < 2 {
        return Err(AnalysisError::TooFewParticipants { found: x.len() });
    }
    for (index, (&xi, &ui)) in x.iter().zip(u).enumerate() {
        for (field, value) in [("x", xi), ("u", ui)] {
            if !value.is_finite() {
                return Err(AnalysisError::NonFinite {
                    index,
                    lab: String::new(),
                    field,
                    value,
                });
            }
        }
        if ui <= 0.0 {
            return Err(AnalysisError::NonPositive {
                index,
                lab: String::new(),
                field: "u",
                value: ui,
            });
        }
    }
    Ok(())
}

/// How the uncertainty of a participant's degree of equivalence is evaluated.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DoeModel {
    /// KCRV = `Σ_j w_j x_j` (weights in input order, 0 outside the reference) with
    /// participant variances `V + τ² I`:
    /// `u(d_i)² = (V_ii + τ²) − 2 Σ_j w_j (V_ij + τ² δ_ij) + u_ref²`
    /// (law of propagation of uncertainty, JCGM 100:2008 eq. (13), applied to
    /// `d_i = x_i − Σ w_j x_j`).
    Linear { weights: Vec<f64>, tau2: f64 },
    /// KCRV treated as uncorrelated with every participant: `u(d_i)² = u_i² + u_ref²`.
    Independent,
    /// Monte Carlo standard deviations of `d_i`, input order.
    MonteCarlo(Vec<f64>),
}

/// What an estimator produces for [`crate::analyse`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Estimate {
    pub(crate) kcrv: f64,
    pub(crate) u_kcrv: f64,
    pub(crate) tau2: f64,
    /// Final reference set (input indices, increasing).
    pub(crate) reference: Vec<usize>,
    /// Participants removed from the reference by the estimator (input indices).
    pub(crate) dropped: Vec<usize>,
    pub(crate) coverage: Option<CoverageInterval>,
    pub(crate) doe: DoeModel,
}

/// Probabilistically symmetric coverage interval from Monte Carlo values
/// (JCGM 101:2008, 7.7.1): with `q = ⌊pM + ½⌋` and `r = ⌊(M − q + 1)/2⌋`,
/// the interval is `[y_(r), y_(r+q)]` (1-based order statistics).
/// Reorders `values`.
pub(crate) fn mc_interval(values: &mut [f64], p: f64) -> Option<CoverageInterval> {
    let m = values.len();
    if m < 2 {
        return None;
    }
    let q = ((p * m as f64) + 0.5).floor() as usize;
    let r = (m - q.min(m)).div_ceil(2).max(1);
    let lo = r - 1;
    let hi = (r + q - 1).min(m - 1);
    let (_, &mut low, right) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let high = if hi == lo {
        low
    } else {
        let k = hi - lo - 1;
        *right.select_nth_unstable_by(k, f64::total_cmp).1
    };
    Some(CoverageInterval {
        low,
        high,
        probability: p,
    })
}

/// Median of `values` (mean of the two middle ones for an even count); reorders `values`.
pub(crate) fn median_in_place(values: &mut [f64]) -> f64 {
    let m = values.len();
    if m == 0 {
        return f64::NAN;
    }
    let k = m / 2;
    if m <= 24 {
        // Small sets (a draw of a comparison): insertion sort beats selection.
        for i in 1..m {
            let v = values[i];
            let mut j = i;
            while j > 0 && values[j - 1].total_cmp(&v).is_gt() {
                values[j] = values[j - 1];
                j -= 1;
            }
            values[j] = v;
        }
        return if m % 2 == 1 {
            values[k]
        } else {
            0.5 * (values[k - 1] + values[k])
        };
    }
    let (left, &mut upper, _) = values.select_nth_unstable_by(k, f64::total_cmp);
    if m % 2 == 1 {
        upper
    } else {
        let lower = left.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        0.5 * (lower + upper)
    }
}

/// Mean and sample standard deviation, computed about `shift` to limit cancellation.
pub(crate) fn mean_sd(values: &[f64], shift: f64) -> (f64, f64) {
    let n = values.len() as f64;
    let (s, s2) = values.iter().fold((0.0, 0.0), |(s, s2), &v| {
        let e = v - shift;
        (s + e, s2 + e * e)
    });
    let m = s / n;
    let var = ((s2 - n * m * m) / (n - 1.0)).max(0.0);
    (shift + m, var.sqrt())
}
