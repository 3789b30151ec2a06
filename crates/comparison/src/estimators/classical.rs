//! Arithmetic mean, weighted mean (GLS when correlated) and Cox's procedure A
//! with the largest consistent subset.
//!
//! Sources:
//! * M. G. Cox, "The evaluation of key comparison data", Metrologia 39 (2002)
//!   589–595, procedure A: weighted mean, its uncertainty, and the chi-squared
//!   consistency test at the 5 % level;
//! * M. G. Cox, C. Eiø, G. Mana, F. Pennecchi, "The generalized weighted mean of
//!   correlated quantities", Metrologia 43 (2006) S268–S275: GLS form
//!   `y = 1ᵀV⁻¹x / 1ᵀV⁻¹1`, `u(y)² = 1/(1ᵀV⁻¹1)`, `χ² = (x − y1)ᵀV⁻¹(x − y1)`;
//! * M. G. Cox, "The evaluation of key comparison data: determining the largest
//!   consistent subset", Metrologia 44 (2007) 187–200.

use super::{DoeModel, Estimate};
use crate::input::Validated;
use crate::linalg::Matrix;
use crate::special::chi2_upper_tail;
use crate::{AnalysisError, Options};

/// Weighted mean of a set, its uncertainty and chi-squared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct WeightedMean {
    pub(crate) mean: f64,
    pub(crate) u: f64,
    pub(crate) chi2: f64,
}

/// Independent inverse-variance weighted mean over `(x, u)` pairs, two passes,
/// centred on the first value to limit cancellation (Cox 2002, procedure A).
pub(crate) fn weighted_mean_iter<I>(pairs: I) -> WeightedMean
where
    I: Iterator<Item = (f64, f64)> + Clone,
{
    let shift = pairs.clone().next().map_or(0.0, |(x, _)| x);
    let (sw, swx) = pairs.clone().fold((0.0, 0.0), |(sw, swx), (x, u)| {
        let w = 1.0 / (u * u);
        (sw + w, swx + w * (x - shift))
    });
    let mean = shift + swx / sw;
    let chi2 = pairs.fold(0.0, |acc, (x, u)| {
        let r = (x - mean) / u;
        acc + r * r
    });
    WeightedMean {
        mean,
        u: (1.0 / sw).sqrt(),
        chi2,
    }
}

/// Weighted mean of the participants `idx` (GLS when correlated), without the weights.
pub(crate) fn weighted_mean_of(
    data: &Validated,
    idx: &[usize],
) -> Result<WeightedMean, AnalysisError> {
    match &data.correlation {
        None => Ok(weighted_mean_iter(
            idx.iter().map(|&i| (data.x[i], data.u[i])),
        )),
        Some(_) => Ok(gls(data, idx)?.0),
    }
}

/// Weighted mean of the participants `idx` (GLS with the full covariance when
/// correlated), with weights in the order of `idx`.
pub(crate) fn gls(
    data: &Validated,
    idx: &[usize],
) -> Result<(WeightedMean, Vec<f64>), AnalysisError> {
    let Some(r) = &data.correlation else {
        let wm = weighted_mean_iter(idx.iter().map(|&i| (data.x[i], data.u[i])));
        let u2 = wm.u * wm.u;
        let w = idx.iter().map(|&i| u2 / (data.u[i] * data.u[i])).collect();
        return Ok((wm, w));
    };
    let m = idx.len();
    let mut v = Matrix::zeros(m);
    for (a, &i) in idx.iter().enumerate() {
        for (b, &j) in idx.iter().enumerate() {
            v.set(a, b, r.get(i, j) * data.u[i] * data.u[j]);
        }
    }
    // A principal submatrix of a positive-definite matrix is positive definite,
    // so this only fails through rounding on a nearly singular input.
    let chol = v
        .cholesky()
        .map_err(|k| AnalysisError::NotPositiveDefinite {
            index: idx[k],
            lab: String::new(),
        })?;
    // a = V⁻¹ 1.
    let mut a = vec![1.0; m];
    chol.forward(&mut a);
    chol.backward(&mut a);
    let s: f64 = a.iter().sum();
    let weights: Vec<f64> = a.iter().map(|ai| ai / s).collect();
    let shift = data.x[idx[0]];
    let mean = shift
        + weights
            .iter()
            .zip(idx)
            .map(|(w, &i)| w * (data.x[i] - shift))
            .sum::<f64>();
    // χ² = ‖L⁻¹ (x − y1)‖².
    let mut res: Vec<f64> = idx.iter().map(|&i| data.x[i] - mean).collect();
    chol.forward(&mut res);
    let chi2 = res.iter().map(|z| z * z).sum();
    Ok((
        WeightedMean {
            mean,
            u: (1.0 / s).sqrt(),
            chi2,
        },
        weights,
    ))
}

/// Spreads weights given in `idx` order to input order (zeros elsewhere).
pub(crate) fn full_weights(n: usize, idx: &[usize], w: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; n];
    for (&i, &wi) in idx.iter().zip(w) {
        out[i] = wi;
    }
    out
}

/// Arithmetic mean with `u = s/√n` (s: sample standard deviation of the values).
pub(crate) fn mean(data: &Validated, idx: &[usize]) -> Estimate {
    let n = idx.len();
    let values: Vec<f64> = idx.iter().map(|&i| data.x[i]).collect();
    let (m, s) = super::mean_sd(&values, values[0]);
    let w = vec![1.0 / n as f64; n];
    Estimate {
        kcrv: m,
        u_kcrv: s / (n as f64).sqrt(),
        tau2: 0.0,
        reference: idx.to_vec(),
        dropped: Vec::new(),
        coverage: None,
        doe: DoeModel::Linear {
            weights: full_weights(data.n, idx, &w),
            tau2: 0.0,
        },
    }
}

/// Weighted mean (GLS when correlated) of the reference set.
pub(crate) fn weighted_mean(data: &Validated, idx: &[usize]) -> Result<Estimate, AnalysisError> {
    let (wm, w) = gls(data, idx)?;
    Ok(Estimate {
        kcrv: wm.mean,
        u_kcrv: wm.u,
        tau2: 0.0,
        reference: idx.to_vec(),
        dropped: Vec::new(),
        coverage: None,
        doe: DoeModel::Linear {
            weights: full_weights(data.n, idx, &w),
            tau2: 0.0,
        },
    })
}

/// Cox 2002 procedure A. When the chi-squared test fails (p < significance),
/// the largest consistent subset (Cox 2007) is searched exhaustively: all
/// subsets with one participant removed, then two, …; the first size at which
/// some subset passes gives the LCS. When several subsets of that size pass,
/// the one with the smallest χ² is taken (our tie-break; Cox 2007 notes that
/// the LCS need not be unique). Participants removed keep a DoE, evaluated as
/// for any participant outside the reference (`u_i² + u_ref²`).
pub(crate) fn procedure_a(
    data: &Validated,
    idx: &[usize],
    options: &Options,
) -> Result<Estimate, AnalysisError> {
    let m = idx.len();
    let passes = |chi2: f64, size: usize| chi2_upper_tail(chi2, size - 1) >= options.significance;
    let (wm, _) = gls(data, idx)?;
    if passes(wm.chi2, m) {
        return weighted_mean(data, idx);
    }
    if m > 63 {
        return Err(AnalysisError::SubsetSearchTooLarge {
            participants: m,
            limit: options.max_subsets,
        });
    }
    let full: u64 = (1u64 << m) - 1;
    let mut examined: u64 = 0;
    let mut sub = Vec::with_capacity(m);
    for drop in 1..=(m - 2) {
        let size = m - drop;
        examined = examined.saturating_add(binomial(m as u64, drop as u64));
        if examined > options.max_subsets {
            return Err(AnalysisError::SubsetSearchTooLarge {
                participants: m,
                limit: options.max_subsets,
            });
        }
        let mut best: Option<(f64, u64)> = None;
        // Enumerate the `drop`-element masks of removed participants in
        // lexicographic order (Gosper's hack, HAKMEM item 175).
        let mut removed: u64 = (1u64 << drop) - 1;
        while removed <= full {
            let keep = full & !removed;
            let chi2 = if data.correlation.is_none() {
                let it = idx
                    .iter()
                    .enumerate()
                    .filter(|(b, _)| keep >> b & 1 == 1)
                    .map(|(_, &i)| (data.x[i], data.u[i]));
                weighted_mean_iter(it).chi2
            } else {
                sub.clear();
                sub.extend(
                    idx.iter()
                        .enumerate()
                        .filter(|(b, _)| keep >> b & 1 == 1)
                        .map(|(_, &i)| i),
                );
                gls(data, &sub)?.0.chi2
            };
            if passes(chi2, size) && best.is_none_or(|(c, _)| chi2 < c) {
                best = Some((chi2, keep));
            }
            let c = removed & removed.wrapping_neg();
            let r = removed + c;
            if r == 0 || r > full {
                break;
            }
            removed = (((r ^ removed) >> 2) / c) | r;
        }
        if let Some((_, keep)) = best {
            let in_lcs = |b: usize| keep >> b & 1 == 1;
            let kept: Vec<usize> = (0..m).filter(|&b| in_lcs(b)).map(|b| idx[b]).collect();
            let dropped: Vec<usize> = (0..m).filter(|&b| !in_lcs(b)).map(|b| idx[b]).collect();
            let mut est = weighted_mean(data, &kept)?;
            est.dropped = dropped;
            return Ok(est);
        }
    }
    Err(AnalysisError::NoConsistentSubset)
}

/// `C(n, k)`, saturating.
fn binomial(n: u64, k: u64) -> u64 {
    let k = k.min(n - k);
    let mut c: u64 = 1;
    for i in 0..k {
        c = c.saturating_mul(n - i) / (i + 1);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_small() {
        assert_eq!(binomial(5, 2), 10);
        assert_eq!(binomial(10, 0), 1);
        assert_eq!(binomial(12, 6), 924);
    }
}
